"""Balance of a quiz bank: answer cues a test-wise learner could use instead of knowing the answer.

Per age-band bank (all quizzes of a band) and per file:

(a) single-choice: items whose keyed option is the longest (ties count) against what chance gives
    (each item 1/k, k its number of options); warned above the 95% upper bound of that count;
(b) the keyed option's position in the order the learner sees (single-choice options are shown as
    written), per position against chance; warned above the 95% upper bound;
(c) true/false: items keyed "true"; warned outside the binomial 95% interval around one half;
(d) multiple-select: items whose keyed options are on average longer than the distractors; warned
    above the binomial 95% upper bound around one half.

The bounds are exact (a Poisson-binomial distribution), so small banks are not over-warned.
These are warnings, never errors: they ask an author to look again.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .i18n import _, ngettext
from .model import ChoiceItem, Quiz
from .problems import Problem


def _dist(ps: list[float]) -> list[float]:
    """P(X = x) for a sum of independent Bernoulli(p) variables."""
    d = [1.0]
    for p in ps:
        nd = [0.0] * (len(d) + 1)
        for x, v in enumerate(d):
            nd[x] += v * (1 - p)
            nd[x + 1] += v * p
        d = nd
    return d


def upper(ps: list[float], q: float = 0.95) -> int:
    """The smallest x with P(X <= x) >= q."""
    acc = 0.0
    for x, v in enumerate(_dist(ps)):
        acc += v
        if acc >= q - 1e-12:
            return x
    return len(ps)


def lower(ps: list[float], q: float = 0.025) -> int:
    """The largest x with P(X < x) <= q (the lower end of a two-sided interval)."""
    acc = 0.0
    for x, v in enumerate(_dist(ps)):
        if acc + v > q + 1e-12:
            return x
        acc += v
    return len(ps)


@dataclass
class Figures:
    name: str                      # shown above the figures (a bank, or a file's path)
    label: str = ""                # how warnings name it ("this quiz" for a file: the path is already there)
    single: int = 0
    longest: int = 0
    longest_chance: list[float] = field(default_factory=list)
    positions: dict[int, int] = field(default_factory=dict)
    position_chance: dict[int, list[float]] = field(default_factory=dict)
    tf: int = 0
    tf_true: int = 0
    multiple: int = 0
    multiple_longer: int = 0

    def add(self, item: ChoiceItem) -> None:
        """Count one item (ordering and red-flag items have no answer cues of these kinds)."""
        if not getattr(item, "is_choice", False) or item.type == "redflags":
            return
        if item.type == "truefalse":
            self.tf += 1
            self.tf_true += item.answer is True
            return
        choices = item.choices()
        if item.type == "single":
            keyed = [j for j, c in enumerate(choices) if c.correct]
            if len(keyed) != 1:
                return
            k, j = len(choices), keyed[0]
            lens = [len(c.text) for c in choices]
            self.single += 1
            self.longest_chance.append(1 / k)
            if lens[j] == max(lens):
                self.longest += 1
            self.positions[j + 1] = self.positions.get(j + 1, 0) + 1
            for p in range(1, 7):
                self.position_chance.setdefault(p, []).append(1 / k if p <= k else 0.0)
        else:
            right = [len(c.text) for c in choices if c.correct]
            wrong = [len(c.text) for c in choices if not c.correct]
            if right and wrong:
                self.multiple += 1
                self.multiple_longer += sum(right) / len(right) > sum(wrong) / len(wrong)

    def warnings(self) -> list[str]:
        out = []
        who = self.label or self.name
        if self.single:
            hi = upper(self.longest_chance)
            if self.longest > hi:
                out.append(_("{who}: the right answer is the longest option in {n} of {total} single-choice items "
                             "(chance gives {chance}, at most {most} expected); make some distractors as long as the "
                             "answer").format(who=who, n=self.longest, total=self.single,
                                              chance=f"{sum(self.longest_chance):.1f}", most=hi))
            for p, c in sorted(self.positions.items()):
                hi = upper(self.position_chance.get(p, []))
                if c > hi:
                    out.append(_("{who}: the right answer is option {position} in {n} of {total} single-choice "
                                 "items (chance gives {chance}, at most {most} expected); move it in some "
                                 "items").format(who=who, position=p, n=c, total=self.single,
                                                 chance=f"{sum(self.position_chance[p]):.1f}", most=hi))
        if self.tf:
            lo, hi = lower([0.5] * self.tf), upper([0.5] * self.tf, 0.975)
            if not lo <= self.tf_true <= hi:
                out.append(_("{who}: {n} of {total} true/false items are keyed 'true' ({share}; between {low} and "
                             "{high} expected); balance true and false").format(
                    who=who, n=self.tf_true, total=self.tf, share=f"{self.tf_true / self.tf:.0%}", low=lo, high=hi))
        if self.multiple:
            hi = upper([0.5] * self.multiple)
            if self.multiple_longer > hi:
                out.append(_("{who}: in {n} of {total} multiple-select items the right options are longer than the "
                             "others (at most {most} expected); lengthen some distractors").format(
                    who=who, n=self.multiple_longer, total=self.multiple, most=hi))
        return out

    def table(self) -> str:
        pos = " ".join(f"{p}:{c}" for p, c in sorted(self.positions.items())) or "–"
        rows = [self.name,
                "  " + _("single-choice {n}: keyed option longest in {longest} (chance {chance}, 95% bound {bound}); "
                         "keyed position {positions}").format(
                    n=self.single, longest=self.longest, chance=f"{sum(self.longest_chance):.1f}",
                    bound=upper(self.longest_chance) if self.single else 0, positions=pos),
                "  " + (_("true/false {n}: keyed true {true} (95% interval {low}–{high})").format(
                    n=self.tf, true=self.tf_true, low=lower([0.5] * self.tf), high=upper([0.5] * self.tf, 0.975))
                        if self.tf else _("true/false {n}: keyed true {true}").format(n=self.tf, true=self.tf_true)),
                "  " + (_("multiple-select {n}: keyed options longer in {longer} (95% bound {bound})").format(
                    n=self.multiple, longer=self.multiple_longer, bound=upper([0.5] * self.multiple))
                        if self.multiple else _("multiple-select {n}: keyed options longer in {longer}").format(
                    n=self.multiple, longer=self.multiple_longer))]
        return "\n".join(rows)


def bank_figures(quizzes: list[tuple[str, Quiz]]) -> list[tuple[str, int, Figures]]:
    """Figures per age-band bank, then per file: (path, line, figures)."""
    quizzes = [(rel, as_quiz(q)) for rel, q in quizzes]
    out = []
    bands: dict[str, list[tuple[str, Quiz]]] = {}
    for rel, q in quizzes:
        bands.setdefault(str(q.age_band), []).append((rel, q))
    for band, qs in sorted(bands.items()):
        f = Figures(ngettext("ages {band} bank ({n} quiz)", "ages {band} bank ({n} quizzes)", len(qs)).format(
            band=band, n=len(qs)))
        for _rel, q in qs:
            for it in q.items:
                f.add(it)
        out.append((qs[0][0], 1, f))
    for rel, q in sorted(quizzes, key=lambda x: x[0]):
        f = Figures(rel, _("this quiz"))
        for it in q.items:
            f.add(it)
        out.append((rel, q.line_of("items"), f))
    return out


def as_quiz(q) -> Quiz:
    """A Quiz from a model object or from a quiz's valid data (a bank built in a test)."""
    from .model import as_model
    return as_model(q, "quiz")


def bank_warnings(quizzes: list[tuple[str, Quiz]]) -> list[Problem]:
    return [Problem(rel, line, _("warning: {message}").format(message=w))
            for rel, line, f in bank_figures(quizzes) for w in f.warnings()]


def project_quizzes(pr) -> list[tuple[str, Quiz]]:
    """The book's valid quizzes (path, model); a quiz with problems has none to weigh."""
    return [(a.rel, a.model) for a in sorted(pr.activities.values(), key=lambda a: a.rel)
            if a.kind == "quiz" and a.model is not None]


def project_warnings(pr, paths: set[str] | None = None) -> list[Problem]:
    """Every warning of the book's quizzes (or of those under ``paths``)."""
    from .checks import quiz_warnings
    acts = sorted((a for a in pr.activities.values() if a.kind == "quiz"), key=lambda a: a.rel)
    if paths is not None:
        acts = [a for a in acts if a.rel in paths]
    out = [Problem(p.path, p.line, _("warning: {message}").format(message=p.message))
           for a in acts for p in quiz_warnings(a.data, a.rel)]
    return out + bank_warnings([(a.rel, a.model) for a in acts if a.model is not None])
