"""Analyse before/after questionnaire answers: ``spotthelure evaluate``.

Nothing here guesses silently. Every row of every file is checked; each bad row is reported as
``path:line: what is wrong`` and left out of the analysis (the report counts them). Input files
are only read, never changed. Participants' codes are never printed, and a Moodle export's
identifying columns are never kept.

Input files
===========

**The CSV template** (each questionnaire's "CSV template" download). The first line names the
columns: ``questionnaire,code,phase,group`` and then one column per question id, in any order
(case and spaces around a name do not matter). Then one row per person per phase:

- ``questionnaire``: the questionnaire id. It may be left blank when the questionnaire is known
  (from ``--questionnaire`` or another row); with ``--questionnaire`` the column may be left out.
- ``code``: the participant's made-up secret code, the only link between "before" and "after".
  Case and spaces are ignored when matching (``ab 12`` is ``AB12``). Codes are never printed.
- ``phase``: ``pre`` or ``post``. It may be blank or left out when the file is given as
  ``pre=FILE`` or ``post=FILE`` (see below).
- ``group``: optional; a class or workshop name, never a person.
- one column per question: *single* the option's number from 1; *likert* 1 to 5; *yesno* 1 yes,
  2 partly, 3 no; *text* free text (only counted: text answers are never shown or kept). A blank
  cell means "not answered".

Files saved by a spreadsheet with semicolons or tabs between values are read too. The file must
be UTF-8 ("CSV UTF-8" in spreadsheet programs); a byte-order mark is fine.

**A Moodle quiz "Responses" export** (Quiz > Results > Responses > Download, as CSV). It is
recognised by its ``Response 1``, ``Response 2``, ... columns. Only those columns are used: every
other column (Surname, First name, Email address, Institution, Department, State, times, grade,
``Question N``, ``Right answer N``) is skipped as each line is read, and is never kept, counted or
shown. Convention: the Moodle quiz asks first for the participant's secret code (a short-answer
question) and then the questionnaire's questions in the questionnaire's order, so ``Response 1``
is the code and ``Response N+1`` answers the questionnaire's N-th item. Answers may be the text
Moodle writes for the chosen option (matched to the questionnaire's option text, ignoring case,
spaces and punctuation) or the option's number; for scales the label ("Not at all" ...
"Completely") or 1 to 5; for yes/no "Yes", "Partly", "No" or 1 to 3; ``-`` or blank is "not
answered". A Moodle export names neither the questionnaire nor the phase: give the questionnaire
with ``--questionnaire ID`` and the phase by naming the file ``pre=FILE`` or ``post=FILE``.

**The phase on the command line.** Any response file may be written ``pre=FILE`` or
``post=FILE`` (``spotthelure evaluate pre=before.csv post=after.csv``). Every row of that file is
then in that phase; a ``phase`` cell, if there is one, must be blank or agree.

Questionnaires whose ``use`` is ``fidelity`` or ``feedback`` have no before and after: their rows
need no code or phase, and the analysis summarises each question.

**Privacy of the report.** No figure about fewer than ``--min-cell`` people (5) is shown, and
hidden figures cannot be worked out from the shown ones: secondary suppression hides the next
smallest group (for group sizes) or the same score of the next smallest group (for each score)
until the people behind the hidden figures of one kind number 0 or at least ``--min-cell``.
Questions that count towards a score are summarised over that score's people, and hidden when a
few of them left the question blank. Hidden groups are not named; the worry warning gives no count of fewer than ``--min-cell``
people. The report's "Data checks" say what is wrong on which line without the value typed
(standard error shows the value, so that it can be fixed). The same file, or two files with the
same bytes, given twice is refused: it would match everyone with themselves.

Exit status: 0 when the analysis ran (rows with problems are listed on standard error and left
out); 1 when nothing usable remains, or the command line or questionnaire is wrong.

For notebooks: :func:`load_questionnaire`, :func:`read_responses`, :func:`check`,
:func:`analyse`, :func:`plots`, :func:`figure_svg`, :func:`report_html`; :func:`bench` times
reading, checking and analysing a large synthetic file.
"""
from __future__ import annotations

import csv
import html
import io
import math
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import schemas
from .problems import ContentError, Problem

PHASES = ("pre", "post")
FIXED = ("questionnaire", "code", "phase", "group")
SCORED = ("knowledge", "confidence", "attitude", "wellbeing")


def _scored(changes: dict) -> list:
    """(score, change) for each score that has a change, in SCORED order."""
    return [(c, changes[c]) for c in SCORED if changes.get(c) is not None]
LABEL = {
    "knowledge": "Knowledge (% of answers right)",
    "confidence": "Confidence to act and to seek help (1 to 5)",
    "attitude": "Not blaming the victim (1 to 5)",
    "wellbeing": "Feeling calm, not worried (1 to 5)",
}
SHORT = {"knowledge": "Knowledge", "confidence": "Confidence", "attitude": "Not blaming", "wellbeing": "Wellbeing"}
UNIT = {"knowledge": "percentage points"}
LIKERT_LABELS = ("Not at all", "A little", "Somewhat", "Mostly", "Completely")  # as on the printed form
YESNO_LABELS = ("Yes", "Partly", "No")
MIN_CELL = 5
WORSE_BY = 1.0        # a participant "reports more worry" when wellbeing falls by this much or more
WORSE_SHARE = 0.20    # ... and a warning is shown when this share of participants or more do
# Okabe & Ito (2008): distinguishable with the common colour-vision deficiencies.
COLOURS = {"pre": "#E69F00", "post": "#0072B2", "better": "#009E73", "worse": "#D55E00", "unclear": "#555555"}
_MOODLE_RESPONSE = re.compile(r"^\s*response\s*(\d+)\s*$", re.I)
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*" + schemas.END)
_NOT_WORD = re.compile(r"[\W_]+")
_SURROGATE = re.compile("[\udc80-\udcff]")
_CMDLINE = "(command line)"


# --------------------------------------------------------------------------- questionnaires

@dataclass(frozen=True)
class Item:
    id: str
    construct: str
    type: str             # single | likert | yesno | text
    n_options: int        # highest valid answer number (0 for text)
    correct: int | None   # knowledge items: the right option's number, from 1
    reverse: bool
    options: tuple[str, ...] = ()


@dataclass
class Questionnaire:
    id: str
    title: str
    use: str
    items: list[Item]
    source: str = ""

    @property
    def pre_post(self) -> bool:
        return self.use == "pre-post"

    def index(self, construct: str, types=("likert",)) -> list[int]:
        return [i for i, it in enumerate(self.items) if it.construct == construct and it.type in types]


def _questionnaire_from_data(data: dict, shown: str) -> Questionnaire:
    items = []
    for it in data["items"]:
        t = it["type"]
        opts = tuple(str(o) for o in it.get("options") or ())
        n = {"single": len(opts), "likert": 5, "yesno": 3, "text": 0}[t]
        correct = it.get("correct")
        items.append(Item(str(it["id"]), it["construct"], t, n,
                          correct + 1 if isinstance(correct, int) and it["construct"] == "knowledge" else None,
                          bool(it.get("reverse", False)), opts))
    return Questionnaire(str(data["id"]), str(data["title"]), str(data["use"]), items, shown)


def _find_root(start: Path) -> Path | None:
    # Like spotthelure.project.find_root, without importing the validator (jsonschema is slow to import).
    for d in [start, *start.parents]:
        if (d / "_config.yml").exists() and (d / "activities" / "evaluation").is_dir():
            return d
    return None


def _roots() -> list[Path]:
    out = []
    for start in (Path.cwd().resolve(), Path(__file__).resolve().parent):
        r = _find_root(start)
        if r is not None and r not in out:
            out.append(r)
    return out


_CONSTRUCTS = ("knowledge", "confidence", "attitude", "wellbeing", "fidelity", "feedback")
_TYPES = ("single", "likert", "yesno", "text")


def _questionnaire_problems(q, shown: str) -> list[Problem]:
    """What the analysis relies on (``spotthelure validate`` checks the rest of the format)."""
    line = lambda d, k: d.line_of(k) if hasattr(d, "line_of") else 1  # noqa: E731
    if not isinstance(q, dict):
        return [Problem(shown, 1, "should be a set of fields (kind, id, title, use, items)")]
    P = []
    if q.get("kind") != "questionnaire":
        P.append(Problem(shown, line(q, "kind"), f"kind '{q.get('kind')}': this is not a questionnaire"))
    if not isinstance(q.get("id"), str) or not _ID.match(q["id"]):
        P.append(Problem(shown, line(q, "id"), "id: lower case letters, digits and hyphens"))
    if not isinstance(q.get("title"), str) or not q["title"].strip():
        P.append(Problem(shown, line(q, "title"), "missing field 'title'"))
    if q.get("use") not in ("pre-post", "fidelity", "feedback"):
        P.append(Problem(shown, line(q, "use"), "use: one of pre-post, fidelity, feedback"))
    items = q.get("items")
    if not isinstance(items, list) or not items:
        return P + [Problem(shown, line(q, "items"), "items: a list of at least one question")]
    seen = set()
    for i, it in enumerate(items):
        at = items.line_of(i) if hasattr(items, "line_of") else 1
        if not isinstance(it, dict):
            P.append(Problem(shown, at, f"item {i + 1}: should be a set of fields (id, construct, type, prompt)"))
            continue
        iid = it.get("id")
        lbl = f"item {iid if isinstance(iid, str) else i + 1}"
        if not isinstance(iid, str) or not _ID.match(iid):
            P.append(Problem(shown, at, f"{lbl}: id should be lower case letters, digits and hyphens"))
        elif iid in seen or iid in FIXED:
            P.append(Problem(shown, at, f"{lbl}: this id is used twice or names a fixed column"))
        seen.add(iid)
        if it.get("construct") not in _CONSTRUCTS:
            P.append(Problem(shown, at, f"{lbl}: construct should be one of {', '.join(_CONSTRUCTS)}"))
        t = it.get("type")
        if t not in _TYPES:
            P.append(Problem(shown, at, f"{lbl}: type should be one of {', '.join(_TYPES)}"))
        opts = it.get("options")
        if t == "single" and (not isinstance(opts, list) or not 2 <= len(opts) <= 6):
            P.append(Problem(shown, at, f"{lbl}: a single-choice item needs 2 to 6 'options'"))
        elif t == "single" and it.get("construct") == "knowledge":
            c = it.get("correct")
            if isinstance(c, bool) or not isinstance(c, int) or not 0 <= c < len(opts):
                P.append(Problem(shown, at, f"{lbl}: 'correct' should be the number (from 0) of the right option"))
        if "reverse" in it and not isinstance(it["reverse"], bool):
            P.append(Problem(shown, at, f"{lbl}: reverse should be true or false"))
    return P


def load_questionnaire(ref, root: Path | None = None) -> Questionnaire:
    """A questionnaire from its id (looked up in ``activities/evaluation/``), a YAML file, or its data.

    It is checked for what the analysis needs; ``spotthelure validate`` checks everything else.
    """
    from .yamlload import load_yaml_file
    if isinstance(ref, Questionnaire):
        return ref
    if isinstance(ref, dict):
        shown = f"questionnaire {ref.get('id', '?')}"
        problems = _questionnaire_problems(ref, shown)
        if problems:
            raise ContentError(problems)
        return _questionnaire_from_data(ref, shown)
    text = str(ref).strip()
    p = Path(text)
    if p.is_file() or text.endswith((".yml", ".yaml")) or "/" in text or "\\" in text:
        if not p.is_file():
            raise ContentError([Problem(text, 1, "no such questionnaire file")])
        path, shown = p, text
    else:
        if not _ID.match(text):
            raise ContentError([Problem(_CMDLINE, 1, f"'{text[:60]}' is not a questionnaire id (lower case letters, digits and hyphens)")])
        roots = [Path(root)] if root else _roots()
        found = [f for f in (r / "activities" / "evaluation" / f"{text}.yml" for r in roots) if f.is_file()]
        if not found:
            known = sorted({f.stem for r in roots for f in (r / "activities" / "evaluation").glob("*.yml")})
            raise ContentError([Problem(_CMDLINE, 1, f"no questionnaire '{text}' in activities/evaluation/"
                                        + (f" (there are: {', '.join(known)})" if known else ""))])
        path, shown = found[0], f"activities/evaluation/{text}.yml"
    data = load_yaml_file(path, shown)
    problems = _questionnaire_problems(data, shown)
    if problems:
        raise ContentError(problems)
    return _questionnaire_from_data(data, shown)


def _norm(s: str) -> str:
    return _NOT_WORD.sub("", s.casefold())


def _template_lookup(it: Item) -> dict[str, int]:
    d = {str(k): k for k in range(1, it.n_options + 1)}
    d[""] = 0
    return d


def _moodle_lookup(it: Item) -> dict[str, int]:
    """Normalised Moodle answer text -> answer number ("" and "-" normalise to "": not answered)."""
    d = {str(k): k for k in range(1, it.n_options + 1)}
    labels = {"single": it.options, "likert": LIKERT_LABELS, "yesno": YESNO_LABELS}.get(it.type, ())
    for k, lab in enumerate(labels, 1):
        d.setdefault(_norm(lab), k)
        d.setdefault(_norm(f"{k} {lab}"), k)
    d[""] = 0
    return d


def _allowed(it: Item) -> str:
    if it.type == "single":
        return f"the option's number, 1 to {it.n_options}"
    if it.type == "likert":
        return "1 to 5"
    return "1 (yes), 2 (partly) or 3 (no)"


# --------------------------------------------------------------------------- reading and checking

@dataclass(frozen=True)
class ResponseFile:
    """One file of answers; ``phase`` comes from ``pre=FILE`` / ``post=FILE``; ``shown`` names it in messages."""
    path: Path
    phase: str | None = None
    shown: str | None = None

    @property
    def name(self) -> str:
        return self.shown or str(self.path)


def parse_response_args(specs) -> list[ResponseFile]:
    """``FILE``, ``pre=FILE`` or ``post=FILE`` (strings, paths or :class:`ResponseFile`)."""
    out: list[ResponseFile] = []
    problems: list[Problem] = []
    for s in specs:
        if isinstance(s, ResponseFile):
            spec = s
        else:
            text = str(s)
            m = re.match(r"^(pre|post)=(.+)$", text, re.I)
            if m and not (Path(text).is_file() and not Path(m.group(2)).exists()):
                spec = ResponseFile(Path(m.group(2)), m.group(1).lower(), m.group(2))
            else:
                spec = ResponseFile(Path(text), None, text)
        if spec.path.is_dir():
            problems.append(Problem(spec.name, 1, "this is a folder; name the CSV files"))
        elif not spec.path.is_file():
            problems.append(Problem(spec.name, 1, "is not a regular file (a device, pipe or socket); name a CSV file"
                                    if spec.path.exists() else "no such file"))
        out.append(spec)
    if not problems:
        problems = _same_files(out)
    if problems:
        raise ContentError(problems)
    return out


def _same_files(specs: list[ResponseFile]) -> list[Problem]:
    """One file given twice (or two files with the same bytes) would match every person with
    themselves and report "no change": refuse it."""
    import hashlib
    import os
    problems = []
    digests: dict[tuple[int, str], ResponseFile] = {}
    def same(x: Path, y: Path) -> bool:
        try:
            return os.path.samefile(x, y)
        except OSError:
            return False
    for i, b in enumerate(specs):
        a = next((a for a in specs[:i] if same(a.path, b.path)), None)
        if a is not None:
            problems.append(Problem(b.name, 1, f"this is the same file as {a.name}: give the 'before' and the "
                                               "'after' answers in two different files"))
            continue
        try:
            size = b.path.stat().st_size
            h = hashlib.sha256()
            with open(b.path, "rb") as f:
                for block in iter(lambda: f.read(1 << 20), b""):
                    h.update(block)
        except OSError:
            continue                    # reported when the file is read
        a = digests.setdefault((size, h.hexdigest()), b)
        if a is not b and size:
            problems.append(Problem(b.name, 1, f"this file holds exactly the same answers as {a.name}: give the "
                                               "'before' and the 'after' answers in two different files"))
    return problems


@dataclass
class FileReport:
    name: str
    kind: str = "CSV template"    # or "Moodle export"
    rows: int = 0                 # data rows read (blank lines not counted)
    used: int = 0
    left_out: int = 0
    blank: int = 0
    delimiter: str = ","


@dataclass
class _Source:
    spec: ResponseFile
    text: str = ""
    bad_lines: set = field(default_factory=set)
    delimiter: str = ","
    header: list = field(default_factory=list)
    header_end: int = 1
    kind: str = "template"
    report: FileReport | None = None


@dataclass
class Responses:
    """Checked answers: one row per person and phase, ready for :func:`analyse`."""
    questionnaire: Questionnaire
    values: np.ndarray          # int8 (rows x items): the answer number; 0 = not answered; text: 1 = answered
    phase: np.ndarray           # int8: 0 pre, 1 post, -1 none (fidelity and feedback forms)
    codes: list[str]            # normalised codes (never printed)
    groups: list[str]
    files: list[FileReport]
    problems: list[Problem]
    blank_lines: int = 0
    public: dict = field(default_factory=dict, repr=False)   # Problem -> its message without the file's values

    @property
    def n(self) -> int:
        return len(self.codes)


def _reader(text: str, delimiter: str):
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _open(spec: ResponseFile, text: str | None = None) -> tuple[_Source | None, list[Problem]]:
    """Decode a file and read its first line; problems here mean the file cannot be used at all."""
    name = spec.name
    src = _Source(spec)
    if text is None:
        try:
            data = spec.path.read_bytes()
        except OSError as e:
            return None, [Problem(name, 1, f"cannot read this file: {e.strerror or e}")]
        if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
            return None, [Problem(name, 1, "this is a spreadsheet file, not CSV: save it as 'CSV UTF-8 (comma delimited)'")]
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return None, [Problem(name, 1, "this file is UTF-16 text: save it as 'CSV UTF-8 (comma delimited)'")]
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("utf-8", "surrogateescape")
            for n, line in enumerate(io.StringIO(text, newline=""), 1):
                if _SURROGATE.search(line):
                    src.bad_lines.add(n)
    elif text.startswith("\ufeff"):
        text = text[1:]
    if not text or text.isspace():
        return None, [Problem(name, 1, "the file is empty; the first line should name the columns "
                                       "(questionnaire, code, phase, group, then the question ids)")]
    src.text = text
    first = re.match(r"[^\r\n]*", text).group(0)
    if not first.strip():
        return None, [Problem(name, 1, "the first line is empty; it should name the columns "
                                       "(questionnaire, code, phase, group, then the question ids)")]
    if 1 in src.bad_lines:
        return None, [Problem(name, 1, "the first line is not UTF-8 text: save the file as 'CSV UTF-8 (comma delimited)'")]

    def known(cells):
        names = [c.strip().lower() for c in cells]
        return sum(n in FIXED for n in names) + sum(bool(_MOODLE_RESPONSE.match(c)) for c in cells)

    best = None
    for delim in (",", ";", "\t"):
        if delim != "," and delim not in first:
            continue
        r = _reader(text, delim)
        try:
            header = next(r)
        except csv.Error as e:
            return None, [Problem(name, 1, f"cannot read the first line as CSV: {e}")]
        except StopIteration:
            header = []
        if best is None or known(header) > known(best[1]):
            best = (delim, header, r.line_num)
    delim, header, end = best
    if known(header) == 0:
        return None, [Problem(name, 1, "the first line should name the columns (questionnaire, code, phase, group, then "
                                       "the question ids, as in the CSV template), or be a Moodle 'Responses' export; "
                                       "it names none of them")]
    src.delimiter, src.header, src.header_end = delim, header, end
    src.kind = "moodle" if any(_MOODLE_RESPONSE.match(c) for c in header) else "template"
    src.report = FileReport(name, "Moodle export" if src.kind == "moodle" else "CSV template", delimiter=delim)
    return src, []


def _records(src: _Source):
    """(first line, last line, cells or None, error) for each record after the header."""
    r = _reader(src.text, src.delimiter)
    prev = 0
    try:
        next(r)
    except (StopIteration, csv.Error):
        return
    prev = r.line_num
    while True:
        try:
            row = next(r)
        except StopIteration:
            return
        except csv.Error as e:
            if r.line_num <= prev:   # no progress: stop rather than loop
                yield prev + 1, prev + 1, None, str(e)
                return
            yield prev + 1, r.line_num, None, str(e)
            prev = r.line_num
            continue
        yield prev + 1, r.line_num, row, None
        prev = r.line_num


def _resolve_questionnaire(sources: list[_Source], problems: list[Problem], known: frozenset) -> Questionnaire | None:
    """The first questionnaire id in a 'questionnaire' column that names a real questionnaire.

    Only ids of the book's questionnaires (``known``) are loaded, so a file full of other ids costs
    no look-up per id.
    """
    tried: set[str] = set()
    for src in sources:
        if src.kind != "template":
            continue
        names = [c.strip().lower() for c in src.header]
        if names.count("questionnaire") != 1:
            continue
        j = names.index("questionnaire")
        for _, _, row, _ in _records(src):
            if not row or j >= len(row):
                continue
            v = row[j].strip()
            if not v or v in tried:
                continue
            tried.add(v)
            if v in known:
                try:
                    return load_questionnaire(v)
                except ContentError as e:
                    if not all(p.path == _CMDLINE for p in e.problems):
                        problems.extend(e.problems)   # the questionnaire file itself is broken
                        return None
    return None


def _value_text(v: str) -> str:
    v = v.strip()
    return f"'{v}'" if len(v) <= 12 and v.isprintable() else "this value"


def _span(start: int, end: int) -> str:
    return f" (this row runs on to line {end}: check for a missing closing quote)" if end > start else ""


def _check_source(src: _Source, qn: Questionnaire, qn_given: bool, out: dict, problems: list[Problem],
                  known: frozenset = frozenset(), public: dict | None = None) -> None:
    """Check every row of one file and append the good ones to ``out``.

    ``known``: the ids of the book's questionnaires. ``public``: for each problem whose message
    repeats a value from the file, the same message without the value (for the shared report).
    """
    public = {} if public is None else public
    rep, name = src.report, src.spec.name
    items = qn.items
    ncols = len(src.header)
    P = problems
    fixed: dict[str, int] = {}
    item_cols: list[tuple[int, int]] = []   # (column, item index)
    fatal = False
    if src.kind == "template":
        ids = {it.id: i for i, it in enumerate(items)}
        seen: dict[str, int] = {}
        for j, raw in enumerate(src.header):
            h = raw.strip().lower()
            if h in seen:
                pr = Problem(name, 1, f"column '{raw.strip()}' appears twice (columns {seen[h] + 1} and {j + 1}); keep one")
                P.append(pr)
                public[pr] = f"columns {seen[h] + 1} and {j + 1} have the same name; keep one"
                fatal = True
                continue
            seen[h] = j
            if h in FIXED:
                fixed[h] = j
            elif h in ids:
                item_cols.append((j, ids[h]))
            elif not h:
                P.append(Problem(name, 1, f"column {j + 1} has no name; its values are not read"))
            else:
                shown = raw.strip() if raw.strip().isprintable() else "?"
                pr = Problem(name, 1, f"unknown column '{shown[:40]}': not a question of {qn.id}; its values are not read")
                P.append(pr)
                public[pr] = f"unknown column {j + 1}: not a question of {qn.id}; its values are not read"
        missing = [it.id for i, it in enumerate(items) if i not in {k for _, k in item_cols}]
        if missing:
            P.append(Problem(name, 1, f"no column for question{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                                      f"of {qn.id}: counted as not answered"))
        if qn.pre_post and "code" not in fixed:
            P.append(Problem(name, 1, "no 'code' column: the secret code links each person's 'before' and 'after' answers"))
            fatal = True
        if qn.pre_post and "phase" not in fixed and src.spec.phase is None:
            P.append(Problem(name, 1, "no 'phase' column: add one (pre or post on each row), or give the file as pre=FILE or post=FILE"))
            fatal = True
        if not qn_given and "questionnaire" not in fixed:
            P.append(Problem(name, 1, f"no 'questionnaire' column; add it, or name the questionnaire with --questionnaire {qn.id}"))
            fatal = True
        lookups = [(j, _template_lookup(items[k]), k) for j, k in item_cols if items[k].type != "text"]
    else:
        resp: dict[int, int] = {}
        for j, raw in enumerate(src.header):
            m = _MOODLE_RESPONSE.match(raw)
            if m:
                k = int(m.group(1))
                if k in resp:
                    P.append(Problem(name, 1, f"'Response {k}' appears twice"))
                    fatal = True
                resp[k] = j
        want = len(items) + 1
        if sorted(resp) != list(range(1, len(resp) + 1)):
            gap = next(k for k in range(1, max(resp) + 1) if k not in resp)
            P.append(Problem(name, 1, f"'Response {gap}' is missing: the responses must be numbered 1, 2, 3 ..."))
            fatal = True
        elif len(resp) != want:
            P.append(Problem(name, 1, f"this Moodle export has {len(resp)} responses, but {qn.id} needs {want}: "
                                      f"Response 1 for the secret code, then one for each of its {len(items)} questions, in order"))
            fatal = True
        if qn.pre_post and src.spec.phase is None:
            P.append(Problem(name, 1, "a Moodle export has no phase: give the file as pre=FILE or post=FILE"))
            fatal = True
        if not fatal:
            fixed["code"] = resp[1]
            item_cols = [(resp[k + 2], k) for k in range(len(items))]
        lookups = [(j, _moodle_lookup(items[k]), k) for j, k in item_cols if items[k].type != "text"]
    if fatal:
        rep.rows = sum(1 for rec in _records(src) if rec[2] is None or "".join(rec[2]).strip())
        rep.left_out = rep.rows
        P.append(Problem(name, 1, f"no row of this file was used ({rep.rows} row{'s' if rep.rows != 1 else ''}): "
                                  "fix the first line and run the analysis again"))
        return

    moodle = src.kind == "moodle"
    texts = [(j, k) for j, k in item_cols if items[k].type == "text"]
    present = [k for _, _, k in lookups] + [k for _, k in texts]
    qcol, ccol, pcol, gcol = (fixed.get(c) for c in FIXED)
    fixed_phase = src.spec.phase
    bad_lines = src.bad_lines
    vals_out, phase_out, code_out, group_out, where_out = out["values"], out["phase"], out["codes"], out["groups"], out["where"]
    rows_here: list[list[int]] = []
    qid = qn.id
    pre_post = qn.pre_post
    file_no = out["nfiles"]

    def bad(start, end, msg, quiet=None):
        pr = Problem(name, start, msg)
        P.append(pr)
        if quiet is not None and quiet != msg:
            public[pr] = quiet
        rep.left_out += 1

    for start, end, row, err in _records(src):
        if row is None:
            rep.rows += 1
            bad(start, end, f"cannot read this line as CSV ({err})")
            continue
        if not "".join(row).strip():
            rep.blank += 1
            continue
        rep.rows += 1
        if len(row) != ncols:
            bad(start, end, f"{len(row)} values, but the first line names {ncols} columns"
                            f"{_span(start, end) or ' (a comma inside an answer needs quotes around the answer)'}")
            continue
        if bad_lines and any(n in bad_lines for n in range(start, end + 1)):
            bad(start, end, "not UTF-8 text: save the file as 'CSV UTF-8 (comma delimited)'")
            continue
        reasons = []
        quiet = []      # the same reasons without any value from the file

        def say(msg, without_value=None):
            reasons.append(msg)
            quiet.append(msg if without_value is None else without_value)
        if qcol is not None:
            qv = row[qcol].strip()
            if qv and qv != qid:
                if qv in known:
                    say(f"this row is for questionnaire '{qv}', but this analysis is of '{qid}' "
                        "(analyse each questionnaire on its own)")
                else:
                    shown = qv[:40] if qv.isprintable() else "?"
                    say(f"unknown questionnaire id '{shown}'", "unknown questionnaire id")
        ph = -1
        pv = row[pcol].strip().lower() if pcol is not None else ""
        if pv in PHASES:
            ph = PHASES.index(pv)
            if fixed_phase and pv != fixed_phase:
                say(f"phase '{pv}', but the file was given as {fixed_phase}=...")
        elif pv:
            say(f"phase {_value_text(pv)} is not pre or post", "phase is not pre or post")
        elif fixed_phase:
            ph = PHASES.index(fixed_phase)
        elif pre_post:
            say("no phase: write pre or post")
        code = ""
        if ccol is not None:
            code = "".join(row[ccol].split()).casefold()
            if moodle and code == "-":
                code = ""
        if pre_post and not code:
            say("no code (Response 1 is empty)" if moodle else "no code: each person's made-up secret code")
        try:
            if moodle:
                vals = [lk[_norm(row[j])] for j, lk, _ in lookups]
            else:
                vals = [lk[row[j]] for j, lk, _ in lookups]
        except KeyError:
            vals = []
            for j, lk, k in lookups:
                cell = row[j]
                v = lk.get(_norm(cell) if moodle else cell.strip())
                if v is None:
                    it = items[k]
                    if moodle:
                        say(f"Response {k + 2} (question {it.id}): the answer matches no option of {it.id}")
                    else:
                        say(f"{it.id}: {_value_text(cell)} is not an answer ({_allowed(it)}, or blank)",
                            f"{it.id}: not an answer ({_allowed(it)}, or blank)")
                    v = 0
                vals.append(v)
        for j, _ in texts:
            t = row[j].strip()
            vals.append(1 if t and not (moodle and t == "-") else 0)
        if not reasons and not any(vals):
            say("no answers on this row")
        if reasons:
            bad(start, end, "; ".join(reasons), "; ".join(quiet))
            continue
        rows_here.append(vals)
        phase_out.append(ph)
        code_out.append(code)
        group_out.append(" ".join(row[gcol].split()) if gcol is not None else "")
        where_out.append((file_no, start))
    if rows_here:
        block = np.zeros((len(rows_here), len(items)), dtype=np.int8)
        block[:, present] = np.asarray(rows_here, dtype=np.int8)
        vals_out.append(block)
    elif rep.rows == 0:
        P.append(Problem(name, 1, "no answers below the first line"))


def _known_ids() -> frozenset:
    """The ids of the book's questionnaires, looked up once per analysis (not once per id in a file)."""
    return frozenset(f.stem for r in _roots() for f in (r / "activities" / "evaluation").glob("*.yml")
                     if _ID.match(f.stem) and f.is_file())


def _rows_to_text(rows) -> str:
    cols: list[str] = []
    for r in rows:
        if not isinstance(r, dict):
            raise ContentError([Problem("(rows)", 1, "each row should be a dict of column name -> value")])
        for k in r:
            if k not in cols:
                cols.append(k)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)
    for r in rows:
        w.writerow(["" if r.get(c) is None else str(r.get(c)) for c in cols])
    return buf.getvalue()


def read_responses(files, questionnaire=None, *, rows=None) -> Responses:
    """Read and check answer files (``FILE``, ``pre=FILE``, ``post=FILE`` or :class:`ResponseFile`),
    or in-memory ``rows`` (dicts keyed by the template's column names).

    Raises :class:`ContentError` with every problem when nothing usable remains; otherwise the
    problems found travel in ``Responses.problems`` and the bad rows are left out.
    """
    problems: list[Problem] = []
    qn = load_questionnaire(questionnaire) if questionnaire is not None else None
    sources: list[_Source] = []
    if rows is not None:
        src, probs = _open(ResponseFile(Path("(rows)"), None, "(rows)"), _rows_to_text(rows))
        problems += probs
        if src:
            sources.append(src)
    specs = parse_response_args(files or [])
    for spec in specs:
        src, probs = _open(spec)
        problems += probs
        if src:
            sources.append(src)
    known = _known_ids() if sources else frozenset()
    if qn is None and sources:
        qn = _resolve_questionnaire(sources, problems, known)
        if qn is None and not problems:
            moodle = [s for s in sources if s.kind == "moodle"]
            first = (moodle or sources)[0].spec.name
            problems.append(Problem(first, 1, "which questionnaire is this? Name it with --questionnaire ID "
                                    "(or fill in the 'questionnaire' column with a questionnaire id)"))
        elif qn is None:
            problems.append(Problem(sources[0].spec.name, 1, "no row names a known questionnaire: name it with --questionnaire ID"))
    if qn is None:
        raise ContentError(problems or [Problem(_CMDLINE, 1, "name at least one response file")])
    out = {"values": [], "phase": [], "codes": [], "groups": [], "where": [], "nfiles": 0}
    reports = []
    public: dict = {}
    for src in sources:
        _check_source(src, qn, questionnaire is not None, out, problems, known, public)
        reports.append(src.report)
        out["nfiles"] += 1
    n_items = len(qn.items)
    values = np.concatenate(out["values"]) if out["values"] else np.zeros((0, n_items), dtype=np.int8)
    phase = np.asarray(out["phase"], dtype=np.int8)
    codes, groups, where = out["codes"], out["groups"], out["where"]
    keep = np.ones(len(codes), dtype=bool)
    if qn.pre_post:
        _duplicates(codes, phase, where, sources, keep, problems)
    if not keep.all():
        idx = np.flatnonzero(keep)
        values, phase = values[idx], phase[idx]
        codes = [codes[i] for i in idx]
        groups = [groups[i] for i in idx]
        where = [where[i] for i in idx]
    for rep in reports:
        rep.used = 0
    for f, _ in where:
        reports[f].used += 1
    if not codes:
        problems.append(Problem((sources[0].spec.name if sources else _CMDLINE), 1,
                                "nothing usable remains: every row has a problem (listed here)"))
        raise ContentError(problems)
    return Responses(qn, values, phase, codes, groups, reports, sorted(problems),
                     blank_lines=sum(r.blank for r in reports), public=public)


def _duplicates(codes, phase, where, sources, keep, problems) -> None:
    """Rows sharing a code within a phase cannot be matched: report and leave out all of them."""
    first: dict[tuple[int, str], int] = {}
    dups: dict[tuple[int, str], list[int]] = {}
    for i, (c, p) in enumerate(zip(codes, phase.tolist())):
        key = (p, c)
        j = first.setdefault(key, i)
        if j != i:
            dups.setdefault(key, [j]).append(i)
    for (p, _), rows in dups.items():
        for i in rows:
            keep[i] = False
            others = []
            for j in rows:
                if j == i:
                    continue
                f, line = where[j]
                others.append(f"line {line}" if f == where[i][0] else f"{sources[f].spec.name} line {line}")
            more = f" and {len(others) - 3} more" if len(others) > 3 else ""
            src = sources[where[i][0]]
            problems.append(Problem(src.spec.name, where[i][1],
                                    f"the code on this row is used more than once in the '{PHASES[p]}' phase "
                                    f"(also on {', '.join(others[:3])}{more}); rows that share a code cannot be "
                                    "matched, so all of them are left out"))
            src.report.left_out += 1


def check(files, questionnaire=None, *, rows=None) -> list[Problem]:
    """Every problem in the given files, without raising for bad input."""
    try:
        return read_responses(files, questionnaire, rows=rows).problems
    except ContentError as e:
        return e.problems


# --------------------------------------------------------------------------- analysis

@dataclass
class Change:
    """Before-to-after change of one score among matched participants."""
    construct: str
    shown: bool
    n: int | None = None
    pre_mean: float = math.nan
    post_mean: float = math.nan
    diff_mean: float = math.nan
    diff_sd: float = math.nan
    ci_low: float = math.nan
    ci_high: float = math.nan
    d_z: float = math.nan
    n_worse: int | None = None      # participants whose score fell by WORSE_BY or more (1-5 scales)
    reason: str = ""                # why a hidden score is hidden ("" = too few answers)

    @property
    def direction(self) -> str:
        if not self.shown or math.isnan(self.ci_low):
            return "unclear"
        return "better" if self.ci_low > 0 else "worse" if self.ci_high < 0 else "unclear"


@dataclass
class GroupResult:
    """One group's results. A hidden group's ``name`` is kept for the analyst but never printed."""
    name: str
    shown: bool
    n: int | None                   # None when not shown
    changes: dict = field(default_factory=dict)
    reason: str = ""


@dataclass
class ItemSummary:
    item: str
    construct: str
    type: str
    phase: str                      # pre | post | all
    shown: bool
    n: int | None
    value: float = math.nan         # % right, mean 1-5, or % yes
    what: str = ""
    reason: str = ""                # why a figure with enough answers is hidden


@dataclass
class Result:
    questionnaire_id: str
    title: str
    use: str
    min_cell: int
    files: list
    problems: list
    rows_read: int
    rows_used: int
    rows_left_out: int
    blank_lines: int
    n_pre: int
    n_post: int
    n_matched: int
    unmatched_pre: int
    unmatched_post: int
    changes: dict
    groups: list
    items: list
    warnings: list
    synthetic: bool
    paired: dict = field(default_factory=dict, repr=False)   # construct -> (pre, post) arrays, for plots only
    public: dict = field(default_factory=dict, repr=False)   # Problem -> its message without the file's values

    def problem_text(self, p: Problem) -> str:
        """A problem as the shared report gives it: where and what is wrong, never the value typed."""
        return f"{p.path}:{p.line}: {self.public.get(p, p.message)}"

    @property
    def overall_shown(self) -> bool:
        return self.n_matched >= self.min_cell

    def table(self) -> list[dict]:
        """One dict per score: the numbers of the summary table (for notebooks)."""
        out = []
        for c, ch in _scored(self.changes):
            row = {"score": LABEL[c], "shown": ch.shown}
            if ch.shown:
                row.update(n=ch.n, before=ch.pre_mean, after=ch.post_mean, change=ch.diff_mean,
                           ci_low=ch.ci_low, ci_high=ch.ci_high, d_z=ch.d_z)
            out.append(row)
        return out

    def summary_text(self) -> str:
        return summary_text(self)

    def table_html(self) -> str:
        return _changes_table_html(self)


def _scores(r: Responses) -> dict[str, np.ndarray]:
    """Each row's score per construct; NaN where none of its questions was answered."""
    qn, V = r.questionnaire, r.values
    out = {}
    k = qn.index("knowledge", ("single",))
    k = [i for i in k if qn.items[i].correct]
    if k:
        A = V[:, k]
        answered = (A > 0).sum(axis=1)
        right = (A == np.array([qn.items[i].correct for i in k], dtype=np.int8)).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            out["knowledge"] = np.where(answered > 0, 100.0 * right / np.maximum(answered, 1), np.nan)
    for c in ("confidence", "attitude", "wellbeing"):
        idx = qn.index(c)
        if not idx:
            continue
        X = V[:, idx].astype(np.float64)
        answered = X > 0
        rev = np.array([qn.items[i].reverse for i in idx])
        X = np.where(rev, 6.0 - X, X) * answered
        cnt = answered.sum(axis=1)
        out[c] = np.where(cnt > 0, X.sum(axis=1) / np.maximum(cnt, 1), np.nan)
    return out


def _paired(c: str, pre: np.ndarray, post: np.ndarray, min_cell: int) -> Change:
    from scipy.special import stdtrit   # the t quantile; far lighter to import than scipy.stats
    ok = ~np.isnan(pre) & ~np.isnan(post)
    p, q = pre[ok], post[ok]
    n = int(ok.sum())
    if n < min_cell or n == 0:
        return Change(c, False)
    d = q - p
    mean = float(d.mean())
    ch = Change(c, True, n, float(p.mean()), float(q.mean()), mean)
    if n >= 2:
        sd = float(d.std(ddof=1))
        ch.diff_sd = sd
        half = float(stdtrit(n - 1, 0.975)) * sd / math.sqrt(n)
        ch.ci_low, ch.ci_high = mean - half, mean + half
        ch.d_z = mean / sd if sd > 0 else math.nan
    if c != "knowledge":
        ch.n_worse = int((d <= -WORSE_BY).sum())
    return ch


def analyse(data, questionnaire=None, min_cell: int = MIN_CELL) -> Result:
    """Match before and after by code and summarise the change in each score.

    ``data``: a :class:`Responses`, a list of files (``FILE``, ``pre=FILE``, ``post=FILE``), or a
    list of row dicts (as :func:`spotthelure.synthetic.synthetic_rows` gives).
    """
    if isinstance(data, Responses):
        r = data
    elif isinstance(data, (list, tuple)) and data and all(isinstance(x, dict) for x in data):
        r = read_responses([], questionnaire, rows=data)
    else:
        r = read_responses(list(data), questionnaire)
    if not isinstance(min_cell, int) or min_cell < 1:
        raise ContentError([Problem(_CMDLINE, 1, "--min-cell must be a whole number, 1 or more")])
    qn = r.questionnaire
    pre_rows = np.flatnonzero(r.phase == 0)
    post_rows = np.flatnonzero(r.phase == 1)
    post_by_code = {r.codes[i]: i for i in post_rows.tolist()}
    pairs = [(i, post_by_code[r.codes[i]]) for i in pre_rows.tolist() if r.codes[i] in post_by_code]
    pi = np.array([a for a, _ in pairs], dtype=np.int64)
    qi = np.array([b for _, b in pairs], dtype=np.int64)
    n_matched = len(pairs)
    scores = _scores(r) if qn.pre_post else {}
    changes, paired = {}, {}
    overall = n_matched >= min_cell
    for c, s in scores.items():
        paired[c] = (s[pi], s[qi])
        changes[c] = _paired(c, s[pi], s[qi], min_cell) if overall else Change(c, False)
    groups = _groups(r, pi, qi, scores, min_cell, changes) if qn.pre_post and n_matched else []
    items = _item_summaries(r, min_cell, pi, qi, scores)
    files = [f.name for f in r.files]
    synthetic = any("synthetic" in Path(f).name.lower() for f in files) or any(g.lower().startswith("synthetic") for g in r.groups)
    res = Result(qn.id, qn.title, qn.use, min_cell, r.files, r.problems,
                 rows_read=sum(f.rows for f in r.files), rows_used=r.n,
                 rows_left_out=sum(f.left_out for f in r.files), blank_lines=r.blank_lines,
                 n_pre=len(pre_rows), n_post=len(post_rows), n_matched=n_matched,
                 unmatched_pre=len(pre_rows) - n_matched, unmatched_post=len(post_rows) - n_matched,
                 changes=changes, groups=groups, items=items, warnings=[], synthetic=synthetic,
                 paired=paired if overall else {}, public=r.public)
    res.warnings = _warnings(res)
    return res


def _groups(r: Responses, pi, qi, scores, min_cell, overall: dict) -> list[GroupResult]:
    names = [r.groups[a] or r.groups[b] or "(no group)" for a, b in zip(pi.tolist(), qi.tolist())]
    arr = np.array(names, dtype=object)
    sizes = {g: int((arr == g).sum()) for g in sorted(set(names))}
    if list(sizes) == ["(no group)"]:
        return []
    hidden = {g for g, n in sizes.items() if n < min_cell}
    extra: set[str] = set()
    # Secondary suppression: with the total shown, a lone small group could be worked out by
    # subtraction, so hide the next smallest groups until the hidden ones together reach min_cell.
    total_hidden = sum(sizes[g] for g in hidden)
    for n, g in sorted((n, g) for g, n in sizes.items() if g not in hidden):
        if not (0 < total_hidden < min_cell):
            break
        extra.add(g)
        total_hidden += n
    out = []
    masks = {g: arr == g for g in sizes}
    for g, n in sizes.items():
        if g in hidden:
            out.append(GroupResult(g, False, None, reason=f"fewer than {min_cell}, not shown"))
        elif g in extra:
            out.append(GroupResult(g, False, None, reason="not shown, so that a smaller group's results "
                                                          "cannot be worked out from the total"))
        else:
            m = masks[g]
            out.append(GroupResult(g, True, n, {c: _paired(c, s[pi][m], s[qi][m], min_cell) for c, s in scores.items()}))
    _protect_scores(out, masks, pi, qi, scores, min_cell, overall)
    return out


def _protect_scores(groups: list[GroupResult], masks: dict, pi, qi, scores: dict, min_cell: int, overall: dict) -> None:
    """Secondary suppression score by score, as for group sizes.

    A group's score is hidden when fewer than ``min_cell`` people have it, even in a group that is
    shown. With the overall score shown, the people behind all hidden figures of one score could
    then be worked out together (overall x n minus each shown group x n), so hide the same score
    for the next smallest groups until the hidden people of that score number 0 or ``min_cell`` or
    more. The number for each group is how many have the score both times, not the group's size.
    """
    for c, s in scores.items():
        both = ~np.isnan(s[pi]) & ~np.isnan(s[qi])
        n_of = {g.name: int(both[masks[g.name]].sum()) for g in groups}
        ch = overall.get(c)
        if ch is None or not ch.shown:
            for g in groups:
                if g.shown:
                    g.changes[c] = Change(c, False)
            continue
        hidden_n = sum(n_of[g.name] for g in groups if not g.shown or not g.changes[c].shown)
        candidates = sorted((n_of[g.name], g.name, i) for i, g in enumerate(groups) if g.shown and g.changes[c].shown)
        for n, _, i in candidates:
            if not (0 < hidden_n < min_cell):
                break
            groups[i].changes[c] = Change(c, False, reason="not shown, so that a smaller figure cannot be worked out")
            hidden_n += n
        if 0 < hidden_n < min_cell:     # cannot happen while the groups add up to the total; stay safe
            overall[c] = Change(c, False, reason="not shown, so that a smaller figure cannot be worked out")


def _score_items(qn: Questionnaire) -> dict[int, str]:
    """Item index -> the score it counts towards (as in :func:`_scores`)."""
    out = {i: "knowledge" for i in qn.index("knowledge", ("single",)) if qn.items[i].correct}
    for c in ("confidence", "attitude", "wellbeing"):
        out.update({i: c for i in qn.index(c)})
    return out


def _item_summaries(r: Responses, min_cell: int, pi=None, qi=None, scores: dict | None = None) -> list[ItemSummary]:
    """Question by question. In a before-and-after analysis, a question that counts towards a score
    is summarised over the people of that score (matched, with the score both times), so that it
    cannot be set against the score to give away the answers of a few people who filled in one
    form only; and its figure is hidden when between 1 and ``min_cell - 1`` of those people left
    the question blank (the score against the question would give those few people's answers)."""
    qn = r.questionnaire
    phases = [("pre", r.phase == 0), ("post", r.phase == 1)] if qn.pre_post else [("all", np.ones(r.n, dtype=bool))]
    scored = _score_items(qn) if qn.pre_post and scores is not None else {}
    people: dict[str, dict[str, np.ndarray]] = {}
    for c, sc in (scores or {}).items():
        ok = ~np.isnan(sc[pi]) & ~np.isnan(sc[qi])
        people[c] = {"pre": pi[ok], "post": qi[ok]}
    out = []
    for i, it in enumerate(qn.items):
        c = scored.get(i)
        for ph, mask in phases:
            if c is not None:
                rows = people.get(c, {}).get(ph, np.zeros(0, dtype=np.int64))
                col, population = r.values[rows, i], int(rows.size)
            else:
                col, population = r.values[mask, i], None
            ans = col[col > 0]
            n = int(ans.size)
            if it.type == "text":
                what, value = "answered (text not shown)", math.nan
            elif it.type == "single" and it.correct:
                what, value = "% right", 100.0 * float((ans == it.correct).mean()) if n else math.nan
            elif it.type == "likert":
                what, value = "mean answer (1 to 5)" + (", lower is better" if it.reverse else ""), float(ans.mean()) if n else math.nan
            elif it.type == "yesno":
                what, value = "% yes", 100.0 * float((ans == 1).mean()) if n else math.nan
            else:
                what, value = "answered", math.nan
            shown, reason = n >= min_cell, ""
            if shown and population is not None and 0 < population - n < min_cell:
                shown, reason = False, "not shown, so that a smaller figure cannot be worked out"
            out.append(ItemSummary(it.id, it.construct, it.type, ph, shown, n if shown else None,
                                   value if shown else math.nan, what, reason))
    return out


def _warnings(res: Result) -> list[str]:
    out = []
    for c, ch in res.changes.items():
        if ch.shown and ch.ci_high < 0:
            what = "more worry" if c == "wellbeing" else "worse"
            out.append(f"WARNING: {SHORT[c].lower()} went down after the sessions ({what}): change "
                       f"{_fmt(c, ch.diff_mean, True)}, 95% CI {_fmt(c, ch.ci_low, True)} to {_fmt(c, ch.ci_high, True)}.")
    w = res.changes.get("wellbeing")
    if w and w.shown and w.n_worse is not None and w.n and w.n_worse / w.n >= WORSE_SHARE:
        out.append(_worry_warning(w.n_worse, w.n, res.min_cell))
    for g in res.groups:
        if g.n == res.n_matched:      # one group holding everyone: already said above
            continue
        for c, ch in g.changes.items():
            if ch.shown and ch.ci_high < 0:
                out.append(f"WARNING: in group '{g.name}', {SHORT[c].lower()} went down after the sessions "
                           f"(change {_fmt(c, ch.diff_mean, True)}, 95% CI {_fmt(c, ch.ci_low, True)} to {_fmt(c, ch.ci_high, True)}).")
    if out:
        out.append("Talk this through with your safeguarding lead; check how the sessions were run (fidelity "
                   "checklist) and whether anyone needs support.")
    return out


def _worry_warning(n_worse: int, n: int, min_cell: int) -> str:
    """The "more worry" warning; an exact count only when it and the rest are both ``min_cell`` or more."""
    how = f"reported more worry afterwards (wellbeing down by {WORSE_BY:g} point or more)"
    if n_worse >= min_cell and n - n_worse >= min_cell:
        return f"WARNING: {n_worse} of {n} participants ({100 * n_worse / n:.0f}%) {how}."
    if n_worse < min_cell:
        return (f"WARNING: fewer than {min_cell} of the {n} participants {how}; that is "
                f"{round(100 * WORSE_SHARE)}% or more of them (the exact number is not shown, to protect privacy).")
    return (f"WARNING: most of the {n} participants (all but fewer than {min_cell}) {how} "
            "(the exact number is not shown, to protect privacy).")


def _hidden_groups_text(res: Result) -> str:
    """One sentence for the groups not shown: how many, never which."""
    k = sum(1 for g in res.groups if not g.shown)
    if not k:
        return ""
    return (f"{k} group{'s are' if k != 1 else ' is'} not shown: groups with fewer than {res.min_cell} matched "
            "participants, and where needed the next smallest, so that no small group's results can be worked "
            "out from the total.")


# --------------------------------------------------------------------------- text output

def _fmt(c: str, x, signed: bool = False) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    if c == "knowledge":
        return f"{x:+.1f}" if signed else f"{x:.1f}"
    return f"{x:+.2f}" if signed else f"{x:.2f}"


def _dz(x: float) -> str:
    return "–" if math.isnan(x) else f"{x:.2f}"


SYNTHETIC_BANNER = "SYNTHETIC EXAMPLE DATA: made up by a program, not answers from real people."


def summary_text(res: Result) -> str:
    L = []
    if res.synthetic:
        L += [SYNTHETIC_BANNER, ""]
    L.append(f"Spot the Lure evaluation: {res.title} ({res.questionnaire_id})")
    for f in res.files:
        delim = {";": ", semicolons between values", "\t": ", tabs between values"}.get(f.delimiter, "")
        L.append(f"  {f.name} ({f.kind}{delim}): {f.rows} rows read, {f.used} used, {f.left_out} left out"
                 + (f", {f.blank} blank line{'s' if f.blank != 1 else ''} skipped" if f.blank else ""))
    if res.rows_left_out:
        L.append(f"  {res.rows_left_out} row{'s' if res.rows_left_out != 1 else ''} left out because of problems "
                 "(listed on standard error and in the report).")
    if res.use != "pre-post":
        return "\n".join(L + [""] + _items_text(res))
    L.append("")
    L.append(f"Participants: {res.n_pre} before, {res.n_post} after, {res.n_matched} matched by code.")
    if res.unmatched_pre or res.unmatched_post:
        L.append(f"  {res.unmatched_pre} 'before' code{'s' if res.unmatched_pre != 1 else ''} and {res.unmatched_post} "
                 f"'after' code{'s' if res.unmatched_post != 1 else ''} had no partner (codes are not shown).")
    L.append("")
    if not res.n_matched:
        L.append("No participant has both a 'before' and an 'after' row, so there is no change to show.")
    elif not res.overall_shown:
        L.append(f"Fewer than {res.min_cell} matched participants: results not shown, to protect privacy.")
    else:
        L.append("Change from before to after (matched participants; higher is better on every score)")
        L += _changes_text(res.changes, res.min_cell)
    if res.warnings:
        L.append("")
        L += res.warnings
    elif res.overall_shown:
        L.append("")
        L.append("No side-effect flagged (wellbeing did not clearly go down; see the methods in the report).")
    if res.groups and res.overall_shown:
        L.append("")
        L.append(f"By group (groups with fewer than {res.min_cell} matched participants are not shown)")
        for g in res.groups:
            if g.shown:
                L.append(f"  {g.name} ({g.n} matched)")
                L += ["  " + x for x in _changes_text(g.changes, res.min_cell, header=False)]
        if _hidden_groups_text(res):
            L.append(f"  {_hidden_groups_text(res)}")
    return "\n".join(L)


def _ci_text(c: str, ch: Change) -> str:
    """The 95% confidence interval of a change, as text ("–" when it cannot be computed)."""
    return f"{_fmt(c, ch.ci_low, True)} to {_fmt(c, ch.ci_high, True)}" if not math.isnan(ch.ci_low) else "–"


def _changes_text(changes: dict, min_cell: int, header: bool = True) -> list[str]:
    L = []
    if header:
        L.append(f"  {'score':<44} {'n':>6} {'before':>7} {'after':>7} {'change':>7}  {'95% CI':<18} {'d_z':>5}")
    for c, ch in _scored(changes):
        if not ch.shown:
            L.append(f"  {LABEL[c]:<44} {ch.reason or f'fewer than {min_cell}, not shown'}")
            continue
        ci = _ci_text(c, ch)
        L.append(f"  {LABEL[c]:<44} {ch.n:>6} {_fmt(c, ch.pre_mean):>7} {_fmt(c, ch.post_mean):>7} "
                 f"{_fmt(c, ch.diff_mean, True):>7}  {ci:<18} {_dz(ch.d_z):>5}")
    return L


def _items_text(res: Result) -> list[str]:
    L = [f"Question by question ({'all rows' if res.use != 'pre-post' else 'all rows of each phase'}; "
         f"fewer than {res.min_cell} answers not shown)"]
    for s in res.items:
        ph = "" if s.phase == "all" else f" [{s.phase}]"
        if not s.shown:
            L.append(f"  {s.item}{ph}: fewer than {res.min_cell} answers, not shown")
        elif math.isnan(s.value):
            L.append(f"  {s.item}{ph}: {s.n} answered")
        else:
            L.append(f"  {s.item}{ph}: {s.value:.1f} {s.what} (n={s.n})")
    return L


# --------------------------------------------------------------------------- charts

def _alt_before_after(res: Result, shown: list[str]) -> str:
    parts = []
    for c in shown:
        ch = res.changes[c]
        if c == "knowledge":
            parts.append(f"Knowledge: {_fmt(c, ch.pre_mean)}% of answers right before, {_fmt(c, ch.post_mean)}% after")
        else:
            parts.append(f"{SHORT[c]}: {_fmt(c, ch.pre_mean)} before, {_fmt(c, ch.post_mean)} after (1 to 5 scale)")
    return (f"Dot chart of average scores before and after, for {res.n_matched} matched participants"
            + (" (synthetic example data)" if res.synthetic else "") + ". " + "; ".join(parts) + ".")


def _alt_change(res: Result, shown: list[str]) -> str:
    parts = []
    for c in shown:
        ch = res.changes[c]
        unit = UNIT.get(c, "points")
        ci = (f", 95% confidence interval {_fmt(c, ch.ci_low, True)} to {_fmt(c, ch.ci_high, True)}"
              if not math.isnan(ch.ci_low) else "")
        parts.append(f"{SHORT[c]}: {_fmt(c, ch.diff_mean, True)} {unit}{ci} ({ch.direction})")
    return ("Chart of the average change from before to after with 95% confidence intervals; a line that does not "
            "cross zero is a clear change. " + "; ".join(parts) + ".")


def plots(res: Result) -> list:
    """Matplotlib figures of the results; each carries its alt text in ``figure.alt_text``.

    Nothing is drawn for scores not shown (small-cell suppression).
    """
    from matplotlib.figure import Figure
    shown = [c for c, ch in _scored(res.changes) if ch.shown]
    if not shown:
        return []
    figs = []
    panels = [p for p in (["knowledge"], [c for c in shown if c != "knowledge"]) if any(c in shown for c in p)]
    panels = [[c for c in p if c in shown] for p in panels]

    # 1. Before and after: a dot for each phase, joined by a line, labelled directly.
    fig = Figure(figsize=(7.5, 1.2 + 0.75 * len(shown)), layout="constrained")
    axes = fig.subplots(len(panels), 1, squeeze=False, height_ratios=[len(p) for p in panels])[:, 0]
    for ax, cs in zip(axes, panels):
        know = cs == ["knowledge"]
        for y, c in enumerate(reversed(cs)):
            ch = res.changes[c]
            a, b = ch.pre_mean, ch.post_mean
            ax.plot([a, b], [y, y], color="#999999", lw=2, zorder=1)
            ax.scatter([a], [y], marker="o", s=70, color=COLOURS["pre"], zorder=3, edgecolor="black", linewidth=0.5)
            ax.scatter([b], [y], marker="s", s=70, color=COLOURS["post"], zorder=3, edgecolor="black", linewidth=0.5)
            lo_left = a <= b
            for x, word, left in ((a, "before", lo_left), (b, "after", not lo_left)):
                txt = f"{word} {_fmt(c, x)}{'%' if know else ''}"
                ax.annotate(txt, (x, y), xytext=(-9 if left else 9, 0), textcoords="offset points",
                            ha="right" if left else "left", va="center", fontsize=9)
        ax.set_yticks(range(len(cs)), [SHORT[c] for c in reversed(cs)])
        ax.set_ylim(-0.6, len(cs) - 0.4)
        if know:
            ax.set_xlim(-30, 130)
            ax.set_xticks([0, 25, 50, 75, 100])
            ax.set_xlabel("% of knowledge answers right")
        else:
            ax.set_xlim(0, 6)
            ax.set_xticks([1, 2, 3, 4, 5])
            ax.set_xlabel("Average on the 1 to 5 scale (higher is better)")
        for s in ("top", "right"):
            ax.spines[s].set_visible(False)
        ax.grid(axis="x", color="#dddddd", lw=0.8)
        ax.set_axisbelow(True)
    fig.alt_text = _alt_before_after(res, shown)
    fig.caption = f"Average before and after ({res.n_matched} matched participants)."
    figs.append(fig)

    # 2. Change with its 95% confidence interval, labelled with the numbers and the direction.
    fig = Figure(figsize=(7.5, 1.2 + 0.75 * len(shown)), layout="constrained")
    axes = fig.subplots(len(panels), 1, squeeze=False, height_ratios=[len(p) for p in panels])[:, 0]
    for ax, cs in zip(axes, panels):
        know = cs == ["knowledge"]
        span = 0.0
        for y, c in enumerate(reversed(cs)):
            ch = res.changes[c]
            colour = COLOURS[ch.direction]
            lo = ch.diff_mean if math.isnan(ch.ci_low) else ch.ci_low
            hi = ch.diff_mean if math.isnan(ch.ci_high) else ch.ci_high
            span = max(span, abs(lo), abs(hi))
            ax.plot([lo, hi], [y, y], color=colour, lw=2.5, solid_capstyle="butt")
            ax.scatter([ch.diff_mean], [y], marker="D", s=60, color=colour, zorder=3, edgecolor="black", linewidth=0.5)
            word = {"better": "better", "worse": "worse", "unclear": "no clear change"}[ch.direction]
            ax.annotate(f"{_fmt(c, ch.diff_mean, True)} ({word})", (hi, y), xytext=(8, 0), textcoords="offset points",
                        ha="left", va="center", fontsize=9)
        span = max(span, 1.0 if know else 0.1) * 1.15
        ax.set_xlim(-span, span * 2.2)
        ax.axvline(0, color="black", lw=1)
        ax.set_yticks(range(len(cs)), [SHORT[c] for c in reversed(cs)])
        ax.set_ylim(-0.6, len(cs) - 0.4)
        ax.set_xlabel("Change in percentage points (95% CI)" if know else "Change in points on the 1 to 5 scale (95% CI)")
        for s in ("top", "right"):
            ax.spines[s].set_visible(False)
    fig.alt_text = _alt_change(res, shown)
    fig.caption = "Average change from before to after, with its 95% confidence interval."
    figs.append(fig)
    return figs


def figure_svg(fig, alt: str | None = None, prefix: str = "fig") -> str:
    """A figure as inline SVG with ``role="img"`` and its alt text (deterministic bytes)."""
    import matplotlib
    alt = alt if alt is not None else getattr(fig, "alt_text", "Chart")
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "spotthelure", "svg.fonttype": "none"}):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", svg)
    svg = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}-\1"', svg)
    a = html.escape(alt, quote=True)
    svg = re.sub(r"<svg\b", f'<svg role="img" aria-label="{a}" style="max-width:100%;height:auto"', svg, count=1)
    svg = re.sub(r"(<svg[^>]*>)", rf"\1<title>{a}</title>", svg, count=1)
    return svg.strip()


# --------------------------------------------------------------------------- HTML report

E = lambda s: html.escape(str(s), quote=True)  # noqa: E731

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;line-height:1.5;color:#1a1a1a;background:#fff;margin:0}
main{max-width:60rem;margin:0 auto;padding:1.5rem}
h1{font-size:1.7rem;margin-top:0}h2{font-size:1.3rem;margin-top:2rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:1rem 0;font-variant-numeric:tabular-nums}
th,td{border:1px solid #bbb;padding:.3rem .55rem;text-align:right;vertical-align:top}
th:first-child,td:first-child{text-align:left}thead th{background:#eef2f7}
.banner{border:3px solid #000;background:#fff3c4;padding:.8rem 1rem;font-weight:700;font-size:1.1rem}
.warn{border-left:6px solid #D55E00;background:#fdeee6;padding:.6rem 1rem}
.ok{border-left:6px solid #009E73;background:#e8f6f1;padding:.6rem 1rem}
figure{margin:1.5rem 0}figcaption{font-style:italic}
.muted{color:#444}code{background:#f3f3f3;padding:0 .2rem}
@media print{main{max-width:none;padding:0}h2{break-after:avoid}figure,table{break-inside:avoid}}
"""


def _changes_table_html(res: Result, changes: dict | None = None, caption: str | None = None) -> str:
    changes = res.changes if changes is None else changes
    rows = []
    for c, ch in _scored(changes):
        if not ch.shown:
            why = ch.reason or f"fewer than {res.min_cell}, not shown"
            rows.append(f'<tr><th scope="row">{E(LABEL[c])}</th><td colspan="6">{E(why)}</td></tr>')
            continue
        ci = _ci_text(c, ch)
        word = {"better": "better", "worse": "worse", "unclear": "no clear change"}[ch.direction]
        rows.append(f'<tr><th scope="row">{E(LABEL[c])}</th><td>{ch.n}</td><td>{_fmt(c, ch.pre_mean)}</td>'
                    f'<td>{_fmt(c, ch.post_mean)}</td><td>{_fmt(c, ch.diff_mean, True)} ({word})</td>'
                    f'<td>{ci}</td><td>{_dz(ch.d_z)}</td></tr>')
    cap = f"<caption>{E(caption)}</caption>" if caption else ""
    return ('<table>' + cap + '<thead><tr><th scope="col">Score (higher is better)</th><th scope="col">n</th>'
            '<th scope="col">Before</th><th scope="col">After</th><th scope="col">Change</th>'
            '<th scope="col">95% CI of the change</th><th scope="col">d<sub>z</sub></th></tr></thead><tbody>'
            + "".join(rows) + "</tbody></table>")


def _items_table_html(res: Result) -> str:
    by = {}
    for s in res.items:
        by.setdefault(s.item, {})[s.phase] = s
    phases = ["pre", "post"] if res.use == "pre-post" else ["all"]
    head = "".join(f'<th scope="col">{"Before" if p == "pre" else "After" if p == "post" else "All"}</th>' for p in phases)
    rows = []
    for item, per in by.items():
        first = next(iter(per.values()))
        cells = []
        for p in phases:
            s = per.get(p)
            if s is None or not s.shown:
                cells.append(f"<td>{E(s.reason) if s is not None and s.reason else f'fewer than {res.min_cell} answers'}</td>")
            elif math.isnan(s.value):
                cells.append(f"<td>{s.n} answered</td>")
            else:
                cells.append(f"<td>{s.value:.1f} (n={s.n})</td>")
        rows.append(f'<tr><th scope="row"><code>{E(item)}</code></th><td>{E(first.construct)}</td>'
                    f'<td>{E(first.what)}</td>{"".join(cells)}</tr>')
    return ('<table><thead><tr><th scope="col">Question</th><th scope="col">Measures</th><th scope="col">Figure</th>'
            + head + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


_METHODS = """
<h2 id="methods">Methods</h2>
<ul>
<li><strong>Matching.</strong> Each person's "before" and "after" rows are matched by their made-up code
(case and spaces ignored). Codes are never shown. People with only one of the two rows are counted but
not analysed. A code used twice in the same phase cannot be matched, so those rows are left out.</li>
<li><strong>Scores.</strong> Knowledge: the share of answered knowledge questions that were right (0 to
100%). Confidence, attitude and wellbeing: the mean of the answered 1 to 5 questions of that kind.
Questions marked <code>reverse</code> (where agreeing is the worse answer, such as blaming the victim or
feeling worried) are turned round (6 minus the answer), so that higher is better on every score:
more confident, less victim-blaming, less worried. Blank answers are left out of a person's mean; a
person counts for a score when they answered at least one of its questions both times.</li>
<li><strong>Change.</strong> For each matched person, after minus before. The table gives the mean change,
its 95% confidence interval from the t distribution (n−1 degrees of freedom), and the paired effect
size d<sub>z</sub> = mean change ÷ standard deviation of the changes. As a rough guide only, 0.2 is
small, 0.5 medium and 0.8 large.</li>
<li><strong>Side-effects.</strong> A warning is shown when a score went down with a confidence interval
entirely below zero, or when {share}% or more of participants reported more worry (wellbeing down by
{by} point or more).</li>
<li><strong>Privacy.</strong> No result is shown for fewer than {min_cell} people (overall, in a group,
for a score or for a question), and groups that are not shown are not named. When a figure is hidden,
enough other figures are hidden too that it cannot be worked out from those shown (the total minus the
groups shown): the next smallest group, or the same score of the next smallest group, until the people
behind the hidden figures number {min_cell} or more. A question that counts towards a score is
summarised over that score's people, and hidden when a few of them left it blank. The side-effect
warning gives no count of fewer than {min_cell} people. This protects one report read on its own: two
reports on overlapping answers can still be compared, so share one report per set of answers. Text
answers are counted, never shown.</li>
<li><strong>Data checks.</strong> Every row is checked; a row with a problem is left out and listed under
"Data checks" with its line number and what is wrong. What was typed in the cell is not repeated in this
report (the command shows it on screen, so that it can be fixed). The input files are never changed.</li>
</ul>
"""

_CAN_CANNOT = """
<h2 id="limits">What these results can and cannot say</h2>
<p><strong>They can say</strong> whether the people who filled in both forms answered differently
afterwards, on average, and how precise that average is (the confidence interval). A narrow interval
that does not cross zero is a clear change among these participants.</p>
<p><strong>They cannot say</strong>:</p>
<ul>
<li>that the sessions <em>caused</em> the change. Without a comparison group that did not take part,
the change may also come from time passing, other lessons, news, talking together, or getting used to
the questions;</li>
<li>whether young people are safer or act differently online: these are answers to a questionnaire,
not observed behaviour;</li>
<li>anything about one person. A worried answer is not a disclosure, and this is not a screening tool.
Anything a participant says or shows in a session is handled through your safeguarding procedure, not
through this report;</li>
<li>what happened for people who filled in only one form: they may differ from those who filled in both;</li>
<li>how long any change lasts: the "after" form is usually filled in straight after the last session.</li>
</ul>
<p>A few questions per score make the scores coarse, and small groups give wide intervals. Read the
numbers together with the fidelity checklist and the participants' feedback.</p>
"""


def report_html(res: Result, figures: list | None = None) -> str:
    """A self-contained HTML report: no scripts, no external files; charts as inline SVG."""
    figures = plots(res) if figures is None else figures
    H = ['<!DOCTYPE html>', '<html lang="en"><head><meta charset="utf-8">',
         '<meta name="viewport" content="width=device-width, initial-scale=1">',
         f'<title>Evaluation report: {E(res.title)} ({E(res.questionnaire_id)})</title>',
         f'<style>{_CSS}</style></head><body><main>',
         f'<h1>Evaluation report: {E(res.title)}</h1>']
    if res.synthetic:
        H.append(f'<p class="banner" role="note">{E(SYNTHETIC_BANNER)}</p>')
    H.append(f'<p class="muted">Questionnaire <code>{E(res.questionnaire_id)}</code>. Made with '
             '<code>spotthelure evaluate</code>. It contains no names, no codes and no text answers.</p>')
    H.append('<h2 id="summary">Summary</h2><ul>')
    H.append(f"<li>{res.rows_read} rows read, {res.rows_used} used, {res.rows_left_out} left out because of problems "
             '(see <a href="#checks">Data checks</a>).</li>')
    if res.use == "pre-post":
        H.append(f"<li>{res.n_pre} people answered before and {res.n_post} after; {res.n_matched} are matched by code.</li>")
        if res.unmatched_pre or res.unmatched_post:
            H.append(f"<li>{res.unmatched_pre} 'before' and {res.unmatched_post} 'after' codes had no partner.</li>")
    H.append("</ul>")
    if res.use == "pre-post":
        if res.warnings:
            H.append('<section class="warn" aria-labelledby="warn-h"><h2 id="warn-h">Check this first: possible side-effects</h2><ul>')
            H += [f"<li>{E(w)}</li>" for w in res.warnings]
            H.append("</ul></section>")
        elif res.overall_shown:
            H.append('<p class="ok">No side-effect was flagged: wellbeing did not clearly go down '
                     '(see <a href="#methods">Methods</a> for what is checked).</p>')
        H.append('<h2 id="change">Change from before to after</h2>')
        if not res.n_matched:
            H.append("<p>No participant has both a 'before' and an 'after' row, so there is no change to show.</p>")
        elif not res.overall_shown:
            H.append(f"<p>Fewer than {res.min_cell} matched participants: results not shown, to protect privacy.</p>")
        else:
            H.append(_changes_table_html(res, caption=f"Matched participants: {res.n_matched}"))
            for i, fig in enumerate(figures, 1):
                H.append(f'<figure>{figure_svg(fig, prefix=f"f{i}")}<figcaption>Figure {i}. {E(getattr(fig, "caption", ""))} '
                         "The numbers are in the table above.</figcaption></figure>")
        if res.groups and res.overall_shown:
            H.append(f'<h2 id="groups">By group</h2><p>Groups with fewer than {res.min_cell} matched participants are not shown.</p>')
            for g in res.groups:
                if g.shown:
                    H.append(_changes_table_html(res, g.changes, caption=f"{g.name}: {g.n} matched participants"))
            if _hidden_groups_text(res):
                H.append(f"<p>{E(_hidden_groups_text(res))}</p>")
    H.append('<h2 id="items">Question by question</h2>')
    if res.use == "pre-post":
        H.append("<p>A question that counts towards a score: the matched participants who have that score both times "
                 "(the people of the change table). Other questions: all usable rows of each phase, matched or not. "
                 f"Figures based on fewer than {res.min_cell} answers are not shown"
                 + (f", nor a question's figure when a few (1 to {res.min_cell - 1}) of its score's people left it "
                    "blank" if res.min_cell > 1 else "") + ".</p>")
    else:
        H.append(f"<p>All usable rows. Figures based on fewer than {res.min_cell} answers are not shown.</p>")
    H.append(_items_table_html(res))
    H.append('<h2 id="checks">Data checks</h2><table><thead><tr><th scope="col">File</th><th scope="col">Kind</th>'
             '<th scope="col">Rows read</th><th scope="col">Used</th><th scope="col">Left out</th>'
             '<th scope="col">Blank lines</th></tr></thead><tbody>')
    for f in res.files:
        H.append(f"<tr><td>{E(f.name)}</td><td>{E(f.kind)}</td><td>{f.rows}</td><td>{f.used}</td>"
                 f"<td>{f.left_out}</td><td>{f.blank}</td></tr>")
    H.append("</tbody></table>")
    if res.problems:
        H.append(f"<p>{len(res.problems)} problem{'s' if len(res.problems) != 1 else ''} found "
                 "(file:line: what is wrong; what was typed is not repeated here, the command shows it on screen). "
                 "Fix them in a copy of the file and run the analysis again.</p><ul>")
        H += [f"<li><code>{E(res.problem_text(p))}</code></li>" for p in res.problems[:500]]
        if len(res.problems) > 500:
            H.append(f"<li>... and {len(res.problems) - 500} more (all of them are printed by the command).</li>")
        H.append("</ul>")
    else:
        H.append("<p>No problems found.</p>")
    if res.use == "pre-post":
        H.append(_METHODS.format(share=round(100 * WORSE_SHARE), by=f"{WORSE_BY:g}", min_cell=res.min_cell))
        H.append(_CAN_CANNOT)
    H.append("</main></body></html>\n")
    return "\n".join(H)


# --------------------------------------------------------------------------- command line

def main(args) -> int:
    """``spotthelure evaluate``: see the module docstring for the files it reads."""
    from .cli import atomic_write
    if args.pdf and not args.report:
        raise ContentError([Problem(_CMDLINE, 1, "--pdf makes a PDF beside the HTML report: add --report FILE.html")])
    if args.min_cell < 1:
        raise ContentError([Problem(_CMDLINE, 1, "--min-cell must be 1 or more (the default, 5, protects privacy)")])
    specs = parse_response_args(args.responses)
    responses = read_responses(specs, args.questionnaire)
    res = analyse(responses, min_cell=args.min_cell)
    if res.problems:
        for p in res.problems:
            print(p, file=sys.stderr)
        n = len(res.problems)
        print(f"{n} problem{'s' if n != 1 else ''} found; {res.rows_left_out} row{'s' if res.rows_left_out != 1 else ''} "
              "left out of the analysis.", file=sys.stderr)
    print(summary_text(res))
    if args.report:
        out = Path(args.report)
        atomic_write(out, report_html(res), inputs=[s.path for s in specs] + [args.questionnaire] * bool(args.questionnaire))
        print(f"Wrote {out}")
        if args.pdf:
            from .pdf import html_to_pdf
            pdf = out.with_suffix(".pdf")
            html_to_pdf(out, pdf, args.chromium)
            print(f"Wrote {pdf}")
    return 0


# --------------------------------------------------------------------------- benchmark

def _bench_run(path: str, questionnaire: str) -> dict:
    """In a fresh process: time read + check + analyse, and report this process's peak memory."""
    import resource
    import time
    t0 = time.perf_counter()
    res = analyse(read_responses([path], questionnaire))
    seconds = time.perf_counter() - t0
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss     # kilobytes on Linux
    return {"rows": res.rows_read, "seconds": round(seconds, 3), "peak_mb": round(rss_kb / 1024, 1)}


def bench(n_rows: int = 100_000, questionnaire: str = "eval-pre-post-12-14", seed: int = 1) -> dict:
    """Time reading + checking + analysing ``n_rows`` synthetic rows from a temporary CSV file.

    The work runs in a fresh Python process, so ``peak_mb`` is that whole process's peak resident
    memory (interpreter and numpy included: an upper bound on what the analysis needs), and
    ``seconds`` its wall time for reading, checking and analysing (not for making the test file).
    """
    import json
    import subprocess
    import tempfile
    from .synthetic import write_synthetic_csv
    qn = load_questionnaire(questionnaire)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench-synthetic.csv"
        write_synthetic_csv(path, qn, n_people=max(1, n_rows // 2), seed=seed, dropout=0.0)
        code = ("import json, sys\nfrom spotthelure.evaluate import _bench_run\n"
                "print(json.dumps(_bench_run(sys.argv[1], sys.argv[2])))")
        r = subprocess.run([sys.executable, "-c", code, str(path), str(questionnaire)],
                           capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        raise RuntimeError(f"the benchmark process failed:\n{r.stderr[-2000:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])
