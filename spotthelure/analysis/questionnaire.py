"""The questionnaire an analysis reads answers to, loaded and checked as the book loads it.

A questionnaire is loaded by the project loader (:func:`spotthelure.project.load_activity_file`)
and checked by :func:`spotthelure.checks.check_questionnaire`: the same file gives the same
messages to ``spotthelure validate`` and to ``spotthelure evaluate``. The analysis adds one rule
of its own (a question id may not name one of the CSV template's fixed columns).

The answer labels of scales and yes/no questions (what a Moodle export writes for the chosen
answer) are content labels in ``spotthelure/data/labels.yml`` (groups ``likert`` and ``yesno``),
shared with the printed form.
"""
from __future__ import annotations

import re
from pathlib import Path

from .. import model
from ..i18n import _, labels
from ..problems import ContentError, Problem

PHASES = ("pre", "post")
FIXED = ("questionnaire", "code", "phase", "group")
SCORED = ("knowledge", "confidence", "attitude", "wellbeing")
CMDLINE = "(command line)"
# A questionnaire id as the schema allows it (schemas.ID), without importing the validator.
ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*\Z")
_NOT_WORD = re.compile(r"[\W_]+")


# The questionnaire and its items are the content model's (spotthelure.model): the analysis reads
# id, title, use, pre_post, index(); and of each item id, construct, type, options, n_options,
# correct_number (the right option numbered from 1, as answers are) and reverse.
Questionnaire = model.Questionnaire
Item = model.QuestionnaireItem


def from_data(data, shown: str) -> Questionnaire:
    """The model of questionnaire data that :func:`check` found no problem in."""
    return model.activity_from_data("questionnaire", data, shown)


def check(data, shown: str) -> list[Problem]:
    """Every problem of questionnaire data: the book's own checks, plus the analysis's one rule."""
    from ..checks import check_questionnaire
    if not isinstance(data, dict):
        return [Problem(shown, 1, _("should be a set of fields (kind, id, ...)"))]
    if data.get("kind") != "questionnaire":
        return [_not_a_questionnaire(data, shown)]
    return check_questionnaire(data, shown) + _fixed_columns(data, shown)


def _not_a_questionnaire(data, shown: str) -> Problem:
    line = data.line_of("kind") if hasattr(data, "line_of") and "kind" in data else 1
    return Problem(shown, line, _("kind '{kind}': this is not a questionnaire").format(kind=data.get("kind")))


def _fixed_columns(data, shown: str) -> list[Problem]:
    from ..checks import locate
    out = []
    items = data.get("items") if isinstance(data.get("items"), list) else []
    for i, it in enumerate(items):
        if isinstance(it, dict) and it.get("id") in FIXED:
            out.append(Problem(shown, locate(data, ["items", i, "id"]),
                               _("item {id}: this id names a fixed column of the CSV template ({fixed}); "
                                 "choose another").format(id=it["id"], fixed=", ".join(FIXED))))
    return out


def find_root(start: Path) -> Path | None:
    """The book folder at or above ``start`` (one that has questionnaires)."""
    for d in [start, *start.parents]:
        if (d / "_config.yml").exists() and (d / "activities" / "evaluation").is_dir():
            return d
    return None


def roots() -> list[Path]:
    """The book of the working folder, then the book this package is installed in."""
    out = []
    for start in (Path.cwd().resolve(), Path(__file__).resolve().parent):
        r = find_root(start)
        if r is not None and r not in out:
            out.append(r)
    return out


def known_ids() -> frozenset:
    """The ids of the book's questionnaires, looked up once per analysis (not once per id in a file)."""
    return frozenset(f.stem for r in roots() for f in (r / "activities" / "evaluation").glob("*.yml")
                     if ID.match(f.stem) and f.is_file())


def _from_file(path: Path, shown: str) -> Questionnaire:
    """Load a questionnaire file as ``spotthelure validate`` loads any activity file."""
    from ..project import load_activity_file
    act, problems = load_activity_file(path, shown)
    if act is not None and act.kind != "questionnaire":
        problems = [_not_a_questionnaire(act.data, shown)]
    elif act is not None:
        problems = problems + _fixed_columns(act.data, shown)
    if problems or act is None:
        raise ContentError(problems)
    return act.model if getattr(act, "model", None) is not None else from_data(act.data, shown)


def load_questionnaire(ref, root: Path | None = None) -> Questionnaire:
    """A questionnaire from its id (looked up in ``activities/evaluation/``), a YAML file, or its data.

    It is checked as ``spotthelure validate`` checks it; a problem raises :class:`ContentError`.
    """
    if isinstance(ref, Questionnaire):
        return ref
    if isinstance(ref, dict):
        shown = f"questionnaire {ref.get('id', '?')}"
        problems = check(ref, shown)
        if problems:
            raise ContentError(problems)
        return from_data(ref, shown)
    text = str(ref).strip()
    p = Path(text)
    if p.is_file() or text.endswith((".yml", ".yaml")) or "/" in text or "\\" in text:
        if not p.is_file():
            raise ContentError([Problem(text, 1, _("no such questionnaire file"))])
        return _from_file(p, text)
    if not ID.match(text):
        raise ContentError([Problem(CMDLINE, 1, _("'{text}' is not a questionnaire id (lower case letters, digits "
                                                  "and hyphens)").format(text=text[:60]))])
    where = [Path(root)] if root else roots()
    found = [f for f in (r / "activities" / "evaluation" / f"{text}.yml" for r in where) if f.is_file()]
    if not found:
        known = sorted({f.stem for r in where for f in (r / "activities" / "evaluation").glob("*.yml")})
        msg = _("no questionnaire '{id}' in activities/evaluation/").format(id=text)
        if known:
            msg += " " + _("(there are: {ids})").format(ids=", ".join(known))
        raise ContentError([Problem(CMDLINE, 1, msg)])
    return _from_file(found[0], f"activities/evaluation/{text}.yml")


# --------------------------------------------------------------------------- answers

def answer_labels(kind: str) -> tuple[str, ...]:
    """The labels of a scale (``likert``) or yes/no question (``yesno``) in the current language,
    in answer-number order, as the printed form shows them."""
    return tuple(labels(kind).values())


def norm(s: str) -> str:
    """Answer text as matched: case, spaces and punctuation do not count."""
    return _NOT_WORD.sub("", s.casefold())


def template_lookup(it: Item) -> dict[str, int]:
    """CSV template cell -> answer number ("" is 0: not answered)."""
    d = {str(k): k for k in range(1, it.n_options + 1)}
    d[""] = 0
    return d


def moodle_lookup(it: Item) -> dict[str, int]:
    """Normalised Moodle answer text -> answer number ("" and "-" normalise to "": not answered).

    Labels match in the source language and in the current one (a translated Moodle quiz)."""
    from ..i18n import language
    d = {str(k): k for k in range(1, it.n_options + 1)}
    if it.type == "single":
        sets = [it.options or ()]
    elif it.type in ("likert", "yesno"):
        with language(None):
            source = answer_labels(it.type)
        sets = [source, answer_labels(it.type)]
    else:
        sets = []
    for labs in sets:
        for k, lab in enumerate(labs, 1):
            d.setdefault(norm(lab), k)
            d.setdefault(norm(f"{k} {lab}"), k)
    d[""] = 0
    return d


def allowed(it: Item) -> str:
    if it.type == "single":
        return _("the option's number, 1 to {n}").format(n=it.n_options)
    if it.type == "likert":
        return _("1 to 5")
    return _("1 (yes), 2 (partly) or 3 (no)")
