"""The schema of a language's rules file (``data/languages/<lang>.yml``) and its checks.

A rules file holds the words and patterns the validator uses for texts written in one language:
objective wording, the "all of the above" pattern, help-seeking and verdict words, the
victim-centred terminology and the reading-level measure with its limits by band. Every
terminology rule names where it comes from (``source``, an https address) and where its wording
in this language comes from (``wording``); either may be ``unsourced`` when no published source was
found, and the rule then says in ``note`` why it is recommended (pending review). The readability block
names its measure (one of :data:`readability.MEASURES`), the source of its formula and of its
limits, and says ``provisional:`` why when the limits have no source that ties them to ages.

:func:`check_file` reports each problem at its line; :func:`check_languages` checks the files of
the languages a book uses (the validator calls it), so a broken rules file is a ``path:line``
problem, never a traceback.
"""
from __future__ import annotations

import re
from pathlib import Path

from . import i18n
from .i18n import _
from .problems import ContentError, Problem
from .schemas import BANDS, END

TEXT = {"type": "string", "minLength": 1}
WORDS = {"type": "array", "items": TEXT, "minItems": 1}
URL = {"type": "string", "pattern": r"^https?://[^\s<>\"]+" + END}
SOURCE = {"anyOf": [URL, {"type": "array", "items": URL, "minItems": 1}]}


def _obj(required: dict, optional: dict | None = None) -> dict:
    return {"type": "object", "properties": {**required, **(optional or {})}, "required": list(required),
            "additionalProperties": False}


SOURCED = {"anyOf": [SOURCE, {"const": "unsourced"}]}
TERM = _obj({"pattern": TEXT, "say": TEXT, "source": SOURCED, "wording": SOURCED}, {"note": TEXT})
READABILITY = _obj({"measure": TEXT, "limits": {"type": "object", "additionalProperties": False, "minProperties": 1,
                                                 "properties": {b: {"type": "number", "exclusiveMinimum": 0}
                                                                for b in BANDS}},
                    "source": SOURCE},
                   {"hyphenation": TEXT, "long_word": {"type": "integer", "minimum": 1, "maximum": 20},
                    "limits_source": SOURCE, "provisional": TEXT, "note": TEXT})
SCHEMA = _obj({"language": {"type": "string", "pattern": r"^[a-z]{2,3}(-[A-Z][a-z]{3})?" + END}},
              {"objectives": _obj({"openings": WORDS}, {"vague_verbs": WORDS, "observable_verbs": WORDS}),
               "option_leans_on_others": TEXT,
               "help_seeking": WORDS,
               "verdict_words": WORDS,
               "terminology": {"type": "array", "items": TERM, "minItems": 1},
               "readability": READABILITY})


def problems_of(data, shown: str, name: str | None = None) -> list[Problem]:
    """Schema problems of a rules file's data and what a schema cannot say (patterns that do not
    compile, a measure the package does not have, limits without a source or a reason), each at
    its line."""
    from .checks import locate, schema_problems
    from .readability import MEASURES
    if not isinstance(data, dict):
        return [Problem(shown, getattr(data, "line", 1) or 1, _("should be a set of fields (kind, id, ...)"))]
    out = schema_problems(data, SCHEMA, shown)
    if name and isinstance(data.get("language"), str) and data["language"] != name:
        out.append(Problem(shown, locate(data, ["language"]),
                           _("should be '{want}', not '{value}'").format(want=name, value=data["language"])))
    pats = [(["option_leans_on_others"], data.get("option_leans_on_others"))]
    terms = data.get("terminology")
    for i, t in enumerate(terms if isinstance(terms, list) else []):
        if isinstance(t, dict):
            pats.append((["terminology", i, "pattern"], t.get("pattern")))
            if "unsourced" in (t.get("source"), t.get("wording")) and not t.get("note"):
                out.append(Problem(shown, locate(data, ["terminology", i]),
                                   _("terminology[{n}]: an unsourced rule needs a 'note' saying why it is recommended").format(n=i + 1)))
    for where, pattern in pats:
        if isinstance(pattern, str):
            try:
                re.compile(pattern)
            except re.error as e:
                out.append(Problem(shown, locate(data, where), _("not a regular expression: {error}").format(error=e)))
    r = data.get("readability")
    if isinstance(r, dict):
        if isinstance(r.get("measure"), str) and r["measure"] not in MEASURES:
            out.append(Problem(shown, locate(data, ["readability", "measure"]),
                               _("'{value}' is not allowed; use one of: {allowed}").format(
                                   value=r["measure"], allowed=", ".join(sorted(MEASURES)))))
        if "limits_source" not in r and "provisional" not in r:
            out.append(Problem(shown, locate(data, ["readability", "limits"]),
                               _("the limits need a 'limits_source', or 'provisional:' saying why they have none")))
    return out


def check_file(path: Path, shown: str | None = None) -> list[Problem]:
    """The problems of one rules file (none: it is sound)."""
    from .yamlload import load_yaml_file
    shown = shown or i18n.rules_path(Path(path).stem)
    try:
        data = load_yaml_file(path, shown)
    except ContentError as e:
        return list(e.problems)
    return problems_of(data, shown, Path(path).stem)


def rules_file(lang: str) -> Path | None:
    """The rules file that :func:`i18n.rules` reads for ``lang`` (``sr-Latn`` → ``sr-Latn.yml``,
    else ``sr.yml``), or None."""
    d = i18n.languages_dir()
    for name in (lang, lang.split("-")[0]):
        p = d / f"{name}.yml"
        if p.is_file():
            return p
    return None


def check_languages(langs) -> list[Problem]:
    """The problems of the rules files of ``langs`` (a language without a file has a note elsewhere)."""
    out: list[Problem] = []
    for p in sorted({f for f in (rules_file(str(x)) for x in langs if x) if f}):
        out += check_file(p)
    return out


def check_all() -> list[Problem]:
    """The problems of every rules file in the languages folder."""
    out: list[Problem] = []
    for p in sorted(i18n.languages_dir().glob("*.yml")):
        out += check_file(p)
    return out


# ---- the safeguarding vocabulary in each language (data/glossary-terms.yml) --------------------

GLOSSARY_TERMS = Path(__file__).parent / "data" / "glossary-terms.yml"
GLOSSARY_LANGS = ("sv", "uk", "sr-Latn", "ar")
_PAIR = _obj({"say": TEXT, "not": TEXT})
GLOSSARY_SCHEMA = _obj({"terms": {"type": "array", "minItems": 1,
                                  "items": _obj({"en": TEXT, **{lang: TEXT for lang in GLOSSARY_LANGS}})},
                        "avoid": {"type": "array", "minItems": 1,
                                  "items": _obj({"en": _PAIR, **{lang: _PAIR for lang in GLOSSARY_LANGS},
                                                 "lint": {"type": "boolean"}})}})


def glossary_headings(text: str) -> list[str]:
    """The terms of a MyST ``{glossary}`` block, in order (a term is a line of the block that is
    not indented and not an option)."""
    out, inside = [], False
    for line in text.splitlines():
        if line.startswith("```{glossary}"):
            inside = True
        elif inside and line.startswith("```"):
            inside = False
        elif inside and line.strip() and not line[0].isspace() and not line.startswith(":"):
            out.append(line.strip())
    return out


def glossary_problems(book_root: Path, path: Path = GLOSSARY_TERMS) -> list[Problem]:
    """Problems of the glossary-terms file: its schema, a term of book/glossary.md it lacks or
    has in another order, a term it has that the glossary does not, and an avoided word whose
    rule (``lint: true``) the language's terminology lint does not catch or that flags the
    preferred wording."""
    from .checks import locate, schema_problems
    from .terminology import lint_text
    from .yamlload import load_yaml_file
    shown = "spotthelure/data/glossary-terms.yml"
    try:
        data = load_yaml_file(path, shown)
    except ContentError as e:
        return list(e.problems)
    out = schema_problems(data, GLOSSARY_SCHEMA, shown)
    if not isinstance(data, dict):
        return out
    glossary = Path(book_root) / "book" / "glossary.md"
    terms = [t for t in data.get("terms") or [] if isinstance(t, dict)]
    if glossary.is_file():
        want = glossary_headings(glossary.read_text(encoding="utf-8"))
        have = [str(t.get("en")) for t in terms]
        for w in want:
            if w not in have:
                out.append(Problem(shown, locate(data, ["terms"]),
                                   _("the glossary's term '{term}' has no entry here; add it with its words in {langs}").format(
                                       term=w, langs=", ".join(GLOSSARY_LANGS))))
        for i, h in enumerate(have):
            if h not in want:
                out.append(Problem(shown, locate(data, ["terms", i]),
                                   _("'{term}' is not a term of book/glossary.md").format(term=h)))
        if [h for h in have if h in want] != [w for w in want if w in have]:
            out.append(Problem(shown, locate(data, ["terms"]), _("the terms are not in the glossary's order")))
    for i, row in enumerate(data.get("avoid") or []):
        if not (isinstance(row, dict) and row.get("lint") is True):
            continue
        for lang in ("en", *GLOSSARY_LANGS):
            pair = row.get(lang)
            if not isinstance(pair, dict) or not isinstance(pair.get("say"), str) or not isinstance(pair.get("not"), str):
                continue
            if not lint_text(pair["not"], shown, lang=lang):
                out.append(Problem(shown, locate(data, ["avoid", i, lang, "not"]),
                                   _("'{word}' is not caught by the terminology rules of {lang}").format(word=pair["not"], lang=lang)))
            if lint_text(pair["say"], shown, lang=lang):
                out.append(Problem(shown, locate(data, ["avoid", i, lang, "say"]),
                                   _("'{word}' is flagged by the terminology rules of {lang}").format(word=pair["say"], lang=lang)))
    return out
