"""Synthetic questionnaire answers for examples, tests and benchmarks: never real people.

Everything made here says so: codes start ``SYN-``, groups are called "Synthetic class A", ...,
and :func:`write_synthetic_csv` refuses a file name without the word "synthetic" (a CSV file
has no place for a comment). The same seed always gives the same rows.

The made-up effect is deliberately modest and claims nothing about the real programme: a small
knowledge gain (roughly 10 percentage points), small rises in confidence and in not blaming the
victim, and no change in wellbeing. Answers carry noise and a few blanks, and a few people fill
in only the "before" form, so the example data exercise matching and missing answers.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np

from .._fs import atomic_write
from .questionnaire import load_questionnaire

DEFAULT_GROUPS = ("Synthetic class A", "Synthetic class B", "Synthetic class C")
# Mean on the 1-5 scale (after reverse-scoring, so higher is better) before and after.
_LIKERT_MEANS = {"confidence": (3.0, 3.3), "attitude": (3.7, 3.85), "wellbeing": (3.8, 3.8),
                 "feedback": (4.0, 4.0), "fidelity": (4.0, 4.0)}
_KNOWLEDGE_LOGIT = (0.2, 0.7)   # about 55% right before, 65% after


def synthetic_rows(questionnaire, n_people: int = 60, seed: int = 2026, groups=DEFAULT_GROUPS,
                   dropout: float = 0.05, missing: float = 0.02) -> list[dict[str, str]]:
    """Rows in the CSV template's columns (all values as text; "" = not answered).

    Pre-post questionnaires get a "pre" row for everyone and a "post" row for all but about
    ``dropout`` of them; other questionnaires get one "post" row each.
    """
    return _table(questionnaire, n_people, seed, groups, dropout, missing).rows()


def _table(questionnaire, n_people: int = 60, seed: int = 2026, groups=DEFAULT_GROUPS,
           dropout: float = 0.05, missing: float = 0.02) -> "_Table":
    """The answers of :func:`synthetic_rows`, column by column."""
    qn = load_questionnaire(questionnaire)
    groups = tuple(groups)
    if not groups or any("synthetic" not in str(g).lower() for g in groups):
        raise ValueError("every synthetic group name must contain the word 'synthetic'")
    if n_people < 1:
        raise ValueError("n_people must be 1 or more")
    rng = np.random.default_rng(seed)
    n = int(n_people)
    person = rng.normal(0.0, 1.0, n)                 # one latent trait: answers are correlated
    post_taken = rng.random(n) >= dropout if qn.pre_post else np.zeros(n, dtype=bool)
    phases = [("pre", np.ones(n, dtype=bool)), ("post", post_taken)] if qn.pre_post else [("post", np.ones(n, dtype=bool))]
    cols: dict[str, list[list[str]]] = {}
    for it in qn.items:
        per_phase = []
        difficulty = rng.normal(0.0, 0.3)
        for p, (ph, _) in enumerate(phases):
            shift = p if qn.pre_post else 1
            if it.type == "single" and it.correct_number:
                logit = _KNOWLEDGE_LOGIT[shift] + 0.9 * person + difficulty
                right = rng.random(n) < 1.0 / (1.0 + np.exp(-logit))
                wrong = rng.integers(1, it.n_options, n)          # 1..k-1, then skip the right one
                wrong = np.where(wrong >= it.correct_number, wrong + 1, wrong)
                v = np.where(right, it.correct_number, wrong)
            elif it.type == "single":
                v = rng.integers(1, it.n_options + 1, n)
            elif it.type == "likert":
                mean = _LIKERT_MEANS.get(it.construct, (3.5, 3.5))[shift]
                score = np.clip(np.rint(mean + 0.45 * person + rng.normal(0.0, 0.8, n)), 1, 5).astype(int)
                v = 6 - score if it.reverse else score
            elif it.type == "yesno":
                v = rng.choice([1, 2, 3], size=n, p=[0.8, 0.15, 0.05])
            else:
                v = np.zeros(n, dtype=int)                        # text: left blank, nothing invented
            v = np.where(rng.random(n) < missing, 0, v)
            per_phase.append(["" if x == 0 else str(x) for x in v.tolist()])
        cols[it.id] = per_phase
    return _Table(qn, phases, cols, groups)


class _Table:
    """Synthetic answers held column by column: rows as dicts (:meth:`rows`) or straight to CSV
    lines (:meth:`lines`), without a dict per row."""

    def __init__(self, qn, phases, cols, groups):
        self.qn, self.phases, self.cols, self.groups = qn, phases, cols, groups
        self.columns = ["questionnaire", "code", "phase", "group", *(it.id for it in qn.items)]

    def records(self, phase: str | None = None):
        """Tuples of cells in :attr:`columns` order, phase by phase (``phase``: that phase only)."""
        qid, groups, items = self.qn.id, self.groups, self.qn.items
        for p, (ph, who) in enumerate(self.phases):
            if phase is not None and ph != phase:
                continue
            idx = np.flatnonzero(who).tolist()
            answers = [[self.cols[it.id][p][i] for i in idx] for it in items]
            fixed = ((qid, f"SYN-{i + 1:05d}", ph, groups[i % len(groups)]) for i in idx)
            yield from (f + a for f, a in zip(fixed, zip(*answers)))

    def rows(self) -> list[dict[str, str]]:
        return [dict(zip(self.columns, r)) for r in self.records()]


def synthetic_csv(questionnaire, **kw) -> str:
    """The rows of :func:`synthetic_rows` as CSV text in the template's format."""
    t = _table(questionnaire, **kw)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(t.columns)
    w.writerows(t.records())
    return buf.getvalue()


def synthetic_pair_csv(questionnaire, **kw) -> tuple[str, str]:
    """The rows of :func:`synthetic_rows` as two CSV texts, "before" and "after", without a phase
    column (give them as ``pre=FILE post=FILE``)."""
    t = _table(questionnaire, **kw)
    keep = [i for i, c in enumerate(t.columns) if c != "phase"]
    out = []
    for ph in ("pre", "post"):
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow([t.columns[i] for i in keep])
        w.writerows([r[i] for i in keep] for r in t.records(ph))
        out.append(buf.getvalue())
    return out[0], out[1]


def write_synthetic_pair(pre_path, post_path, questionnaire, n_people: int = 60, seed: int = 2026, **kw) -> tuple[Path, Path]:
    """Write :func:`synthetic_pair_csv`; both file names must contain "synthetic"."""
    paths = (Path(pre_path), Path(post_path))
    for p in paths:
        if "synthetic" not in p.name.lower():
            raise ValueError(f"the file name '{p.name}' must contain the word 'synthetic'")
    for p, text in zip(paths, synthetic_pair_csv(questionnaire, n_people=n_people, seed=seed, **kw)):
        atomic_write(p, text)
    return paths


def write_synthetic_csv(path, questionnaire, n_people: int = 60, seed: int = 2026, **kw) -> Path:
    """Write synthetic answers; the file name must contain "synthetic" so no one mistakes it for real data."""
    path = Path(path)
    if "synthetic" not in path.name.lower():
        raise ValueError(f"the file name '{path.name}' must contain the word 'synthetic'")
    atomic_write(path, synthetic_csv(questionnaire, n_people=n_people, seed=seed, **kw))
    return path
