"""Words the book does not use (Luxembourg Terminology Guidelines, 2016), with what to say instead.

The words are data keyed by language (``terminology`` in ``data/languages/<lang>.yml``: English,
Swedish, Ukrainian, Serbian in Latin script, Arabic), each rule with its source and the source of
its wording, or marked ``unsourced`` with a note (spotthelure/language_rules.py checks that). A
language with no rules file has no terminology rules here (the validator notes that it was not
checked). A text is linted by the rules of the language it is written in, never by another's."""
from __future__ import annotations

import re
from functools import lru_cache

from . import i18n
from .i18n import _
from .problems import Problem

# The one page that names these words to explain why the book does not use them.
DISCUSSES_TERMS = {"book/words-we-use.md"}


@lru_cache(maxsize=None)
def _compiled(rules: tuple) -> tuple:
    out = []
    for pattern, why in rules:
        try:
            out.append((re.compile(pattern, re.I), why))
        except re.error:
            pass                # language_rules reports the pattern at its line
    return tuple(out)


def rules(lang: str = i18n.SOURCE_LANGUAGE) -> tuple:
    """(compiled pattern, what to say instead) for ``lang``: empty when it has no rules."""
    r = (i18n.rules(lang) or {}).get("terminology") or []
    return _compiled(tuple((str(t["pattern"]), str(t.get("say", ""))) for t in r if isinstance(t, dict) and t.get("pattern")))


def _hits(text: str, compiled: tuple, first_line: int = 1) -> tuple[tuple[int, str, int], ...]:
    """(line, word, index of the rule) of each rule of ``compiled`` that a line of ``text`` breaks."""
    out = []
    for n, line in enumerate(text.splitlines(), start=first_line):
        for i, (rx, _why) in enumerate(compiled):
            m = rx.search(line)
            if m:
                out.append((n, m.group(0), i))
    return tuple(out)


def _problems(path: str, hits, compiled: tuple) -> list[Problem]:
    """The problems of ``hits``, written in the interface language of this moment."""
    return [Problem(path, n, _("'{word}': {advice}").format(word=word, advice=compiled[i][1])) for n, word, i in hits]


# ``_hits``, kept for texts linted before (the same pages in each copy of a book a process checks).
_hits_kept = lru_cache(maxsize=4096)(_hits)


def lint_text(text: str, path: str, first_line: int = 1, lang: str = i18n.SOURCE_LANGUAGE) -> list[Problem]:
    compiled = rules(lang)
    return _problems(path, _hits_kept(text, compiled, first_line), compiled)


def lint_po(path, shown: str, lang: str) -> list[Problem]:
    """The terminology rules of ``lang`` on every translation in the PO catalog ``path`` (a
    book's content catalog in ``locales/<lang>/`` or a package's interface catalog), each problem
    at the line of its message. A catalog that cannot be read is left to the checks that read it."""
    from . import pofile
    compiled = rules(lang)
    if not compiled:
        return []
    try:
        cat = pofile.entries(path)
    except Exception:           # noqa: BLE001 - unreadable catalogs are reported where they are loaded
        return []
    hits = pofile.derived(_catalog_hits, cat, compiled, on_disk="terminology-" + _digest(compiled))
    if not all(len(h) == 3 and isinstance(h[0], int) and isinstance(h[2], int) and 0 <= h[2] < len(compiled)
               for h in hits):
        hits = _catalog_hits(cat, compiled)         # what was kept on disk is not what this writes
    return _problems(shown, hits, compiled)


@lru_cache(maxsize=None)
def _digest(compiled: tuple) -> str:
    """What the hits of ``compiled`` depend on: each pattern with its flags, in order."""
    import hashlib
    text = "\n".join(f"{rx.flags}:{rx.pattern}" for rx, _why in compiled)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


def _catalog_hits(cat: tuple, compiled: tuple) -> tuple[tuple[int, str, int], ...]:
    """(line, word, index of the rule) of each hit of ``compiled`` in the translations of ``cat``
    (a translation on one line, at its message's line)."""
    hits = []
    for m in cat:
        if m.fuzzy:
            continue
        for text in (m.string if isinstance(m.string, (list, tuple)) else [m.string]):
            if text:
                hits += _hits(" ".join(str(text).split()), compiled, m.lineno)
    return tuple(hits)


def lint_catalogs(root) -> list[Problem]:
    """The terminology rules of each language on the book's catalogs (``<root>/locales/<lang>/
    LC_MESSAGES/**.po``): a translation is held to its own language's words."""
    from pathlib import Path
    out: list[Problem] = []
    base = Path(root) / "locales"
    if not base.is_dir():
        return out
    for d in sorted(p for p in base.iterdir() if (p / "LC_MESSAGES").is_dir()):
        lang = d.name.replace("_", "-")
        for po in sorted((d / "LC_MESSAGES").rglob("*.po")):
            page = po.relative_to(d / "LC_MESSAGES").with_suffix(".md").as_posix()
            if page not in DISCUSSES_TERMS:         # the page that names the words, translated
                out += lint_po(po, po.relative_to(root).as_posix(), lang)
    return out
