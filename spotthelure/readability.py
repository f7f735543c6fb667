"""Reading level of student-facing text, by age band.

The measure and its limits are data keyed by language (``readability`` in
``data/languages/<lang>.yml``): English names Flesch-Kincaid (a US school grade), Swedish LIX
(Björnsson's läsbarhetsindex); Ukrainian and Serbian use LIX too, and Arabic the average
sentence length, each with limits marked provisional in its file (why is written there). A
language with no rules file, or one whose measure is not in :data:`MEASURES`, is not measured."""
from __future__ import annotations

import re
from functools import lru_cache

from . import i18n
from .i18n import _
from .text import plain

_WORD = re.compile(r"[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")


@lru_cache(maxsize=None)
def _hyphenator(dictionary: str = "en_US"):
    import pyphen   # its dictionary takes a tenth of a second to load; only reading levels need it
    return pyphen.Pyphen(lang=dictionary)


def settings(lang: str = i18n.SOURCE_LANGUAGE) -> dict | None:
    """The readability rules of ``lang`` (measure, hyphenation, limits), or None: not measured."""
    r = (i18n.rules(lang) or {}).get("readability")
    if not isinstance(r, dict) or r.get("measure") not in MEASURES:
        return None
    return r


def limits(lang: str = i18n.SOURCE_LANGUAGE) -> dict[str, float]:
    """The highest score each age band may read, in ``lang`` (empty: not measured)."""
    r = settings(lang)
    lim = r.get("limits") if r else None
    # A value that is not a number is left out (language_rules reports it at its line).
    return {str(k): float(v) for k, v in lim.items()
            if isinstance(v, (int, float)) and not isinstance(v, bool)} if isinstance(lim, dict) else {}


@lru_cache(maxsize=65536)
def _sentences(s: str) -> str:
    s = plain(str(s)).strip()
    s = re.sub(r"[_#>`]", " ", s)
    if s and s[-1] not in ".!?":
        s += "."
    return s


def student_text(kind: str, obj) -> list[str]:
    """The texts a learner reads in an activity, as sentences.

    ``obj`` is the activity's model object; the validator also passes the data of a file that has
    problems, whose typed view (checks.typed_activity) is walked the same way, by schema field names
    (``get``), so a value of the wrong type, which the schema reports, is left out instead of
    crashing the walk.
    """
    from .model import Model
    if not isinstance(obj, Model):
        from .checks import typed_activity
        obj = typed_activity(kind, obj)
    out: list[str] = []
    add = lambda *xs: out.extend(_sentences(x) for x in xs if isinstance(x, str))  # noqa: E731
    each = lambda x, *keys: [e for k in keys for e in x.get(k) or ()]  # noqa: E731
    if kind == "quiz":
        for it in each(obj, "items"):
            add(it.get("prompt"), it.get("feedback_true"), it.get("feedback_false"))
            for o in each(it, "options", "chat", "steps"):
                add(o.get("text"), o.get("feedback"), o.get("reason"))  # an ordering rule's reason is read too
    elif kind == "scenario":
        add(obj.get("title"), obj.get("summary"))
        for n in each(obj, "nodes"):
            add(n.get("title"), n.get("prompt"), n.get("feedback"))
            for m in each(n, "messages"):
                add(m.get("text"))
            for c in each(n, "choices"):
                add(c.get("text"), c.get("feedback"))
    elif kind == "handout":
        add(obj.get("title"))
        for c in each(obj, "cards", "sections"):
            add(c.get("title"), c.get("heading"), c.get("text"))
    elif kind == "roleplay":
        add(obj.get("setting"))
        for r in each(obj, "roles"):
            add(r.get("card"))
        for p in each(obj, "props"):
            for line in each(p, "lines"):
                add(line.get("text"))
    return out


def markdown_text(body: str) -> list[str]:
    """Sentences of a MyST page, without directives, tables, front matter and link targets.

    Lines of one paragraph or list entry are joined first: a line break is not a sentence end.
    """
    out: list[str] = []
    para: list[str] = []

    def flush():
        if para:
            out.append(_sentences(" ".join(para)))
            para.clear()

    fence = False
    for line in body.splitlines():
        s = line.strip()
        if s.startswith(("```", ":::")):
            flush()
            fence = not fence if s in ("```", ":::") or not fence else fence
            continue
        if fence or not s or s.startswith(("|", "<", "{", "%")):
            flush()
            continue
        s = re.sub(r"\{[a-z]+\}`[^`]*`", "", s)
        starts_entry = re.match(r"^[-*+] |^\d+\. |^#+ ", s)
        if starts_entry:
            flush()
            s = s[starts_entry.end():]
        para.append(s)
        if starts_entry and line.lstrip().startswith("#"):
            flush()                                     # a heading is a line of its own
    flush()
    return out


_SILENT_END = re.compile(r"(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$")


def _vowel_groups(w: str) -> int:
    """A spelling estimate: groups of vowels, less a silent final e, -es or -ed."""
    if len(w) > 3:
        w = _SILENT_END.sub(lambda m: m.group(0)[0], w)
    w = w.lstrip("y")
    return len(re.findall(r"[aeiouy]+", w))


@lru_cache(maxsize=None)
def syllables(word: str, dictionary: str = "en_US") -> int:
    """Syllables of a word (at least one).

    Hyphenation dictionaries never split near a word's ends, so they undercount ("idea", "video",
    "eleven" all come out as one); spelling rules miscount in other words. The larger of the two
    errs on the side of a harder text, which is the safe side for a reading-level limit.
    """
    w = word.lower().replace("’", "'")
    if w.isdigit():
        return max(1, len(w))
    return max(1, len(_hyphenator(dictionary).positions(w)) + 1, _vowel_groups(w))


def flesch_kincaid(text: str, hyphenation: str = "en_US") -> float:
    """Flesch-Kincaid grade: 0.39 (words/sentences) + 11.8 (syllables/words) - 15.59."""
    words = _WORD.findall(text)
    if not words:
        return 0.0
    n_sent = max(1, len(_SENTENCE_END.findall(text)))
    n_syl = sum(syllables(w, hyphenation) for w in words)
    return 0.39 * len(words) / n_sent + 11.8 * n_syl / len(words) - 15.59


# Words and sentence ends in any script (Swedish å, Cyrillic, Arabic): a word is a run of letters
# or digits, joined by an apostrophe or a hyphen; a sentence ends at . ! ? or the Arabic ؟ before
# a space or the end. Serbian ijekavian "dj" and Arabic clitics count as one word with their host,
# as they are written.
_ANY_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_ANY_SENTENCE_END = re.compile(r"[.!?؟…]+(?=\s|$)")


@lru_cache(maxsize=65536)
def counts(text: str, long_word: int = 6) -> tuple[int, int, int]:
    """(words, sentences, long words) of ``text``: a long word has more than ``long_word`` letters
    (LIX counts letters only: the hyphen and the apostrophe of a joined word are not letters)."""
    words = _ANY_WORD.findall(text)
    sentences = max(1, len(_ANY_SENTENCE_END.findall(text))) if words else 0
    longs = sum(1 for w in words if sum(ch.isalpha() for ch in w) > long_word)
    return len(words), sentences, longs


def lix(text: str, long_word: int = 6) -> float:
    """LIX (Björnsson 1968): words per sentence + the percentage of words longer than six letters."""
    w, s, long_ = counts(text, long_word)
    return w / s + 100 * long_ / w if w else 0.0


def words_per_sentence(text: str) -> float:
    """The average sentence length in words: the sentence part every classic formula shares."""
    w, s, _long = counts(text)
    return w / s if w else 0.0


# Measures by the name a language's rules give them: (text, rules) → score.
MEASURES = {
    "flesch-kincaid": lambda text, r: flesch_kincaid(text, str(r.get("hyphenation") or "en_US")),
    "lix": lambda text, r: lix(text, r["long_word"] if isinstance(r.get("long_word"), int) else 6),
    "words-per-sentence": lambda text, r: words_per_sentence(text),
}


def grade(sentences: list[str], lang: str = i18n.SOURCE_LANGUAGE) -> float | None:
    """The reading level of ``sentences`` by the measure of ``lang`` (None: the language has none)."""
    r = settings(lang)
    if r is None:
        return None
    text = " ".join(x for x in sentences if x)
    return round(MEASURES[r["measure"]](text, r), 1) if text.strip() else 0.0


def __getattr__(name: str):
    # LIMITS: the English limits, for code written before the limits were data.
    if name == "LIMITS":
        return limits(i18n.SOURCE_LANGUAGE)
    raise AttributeError(name)


# ---- translations: the reading level of an activity in each language it is translated into -------
# A book's content catalogs (locales/<lang>/LC_MESSAGES/activities.po) hold one message per text
# field, with the context "<activity id>:<field path>" ("q911-1:items.a.prompt"). An activity whose
# learner-facing fields are all translated is measured by its language's own measure and limits.

STUDENT_FIELDS = frozenset({"prompt", "feedback", "feedback_true", "feedback_false", "text", "reason",
                            "title", "summary", "heading", "setting", "card"})


def _band_list(data) -> list[str]:
    if data.get("age_band"):
        return [str(data.get("age_band"))]
    return [str(b) for b in data.get("audience") or []]


def translation_levels(pr) -> list[tuple[str, int, str, str, list[str], float, float]]:
    """(catalog, line, language, activity id, bands, score, limit) of each fully translated activity
    whose translation reads above the limit of its language for its bands."""
    from pathlib import Path
    from . import pofile
    base = Path(pr.root) / "locales"
    out: list = []
    if not base.is_dir():
        return out
    acts = {a.id: a for a in pr.activities.values() if a.kind != "questionnaire"}
    for d in sorted(p for p in base.iterdir() if (p / "LC_MESSAGES" / "activities.po").is_file()):
        lang = d.name.replace("_", "-")
        lim = limits(lang)
        if not lim:
            continue
        po = d / "LC_MESSAGES" / "activities.po"
        try:
            cat = pofile.entries(po)
        except Exception:       # noqa: BLE001 - an unreadable catalog is reported where it is loaded
            continue
        texts: dict[str, list[str]] = {}
        first: dict[str, int] = {}
        missing: set[str] = set()
        for m in cat:
            ctx = m.context or ""
            if not m.id or ":" not in ctx:
                continue
            aid, field = ctx.split(":", 1)
            if aid not in acts or field.split(".")[-1] not in STUDENT_FIELDS:
                continue
            if not m.string or m.fuzzy:
                missing.add(aid)
                continue
            texts.setdefault(aid, []).append(_sentences(m.string))
            first.setdefault(aid, m.lineno or 1)
        for aid, sentences in texts.items():
            if aid in missing:
                continue                        # measured once every learner-facing text is translated
            bands = [b for b in _band_list(acts[aid].data) if b in lim]
            if not bands:
                continue
            g = grade(sentences, lang)
            limit = min(lim[b] for b in bands)
            if g is not None and g > limit:
                out.append((po.relative_to(pr.root).as_posix(), first[aid], lang, aid, bands, g, limit))
    return out


def translation_notes(pr) -> list:
    """A note (not an error: translations are drafts) for each translated activity that reads above
    its language's limit for its bands."""
    from .problems import Problem
    out = []
    for rel, line, lang, aid, bands, g, limit in translation_levels(pr):
        measure = (settings(lang) or {}).get("measure")
        out.append(Problem(rel, line, _(
            "note: the {lang} translation of {id} reads at {measure} {score}; for ages {bands} keep it at or "
            "below {limit} (shorter sentences, simpler words)").format(
                lang=lang, id=aid, measure=measure, score=g, bands="/".join(bands), limit=limit)))
    return out
