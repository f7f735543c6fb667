"""Response files: naming them (``FILE``, ``pre=FILE``, ``post=FILE``), decoding them, finding the
header and its delimiter, and reading their records in chunks with each record's line numbers.

Nothing here judges an answer: :mod:`.responses` checks each row.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import N_, _, ngettext
from ..problems import ContentError, Problem
from .questionnaire import FIXED

MOODLE_RESPONSE = re.compile(r"^\s*response\s*(\d+)\s*$", re.I)
_SURROGATE = re.compile("[\udc80-\udcff]")
CHUNK = 1 << 15                      # records checked together
_FIELD_LIMIT = csv.field_size_limit()


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
            problems.append(Problem(spec.name, 1, _("this is a folder; name the CSV files")))
        elif not spec.path.is_file():
            problems.append(Problem(spec.name, 1, _("is not a regular file (a device, pipe or socket); name a CSV file")
                                    if spec.path.exists() else _("no such file")))
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
    if len(specs) < 2:
        return []
    problems = []
    digests: dict[tuple[int, str], ResponseFile] = {}

    def same(x: Path, y: Path) -> bool:
        try:
            return os.path.samefile(x, y)
        except OSError:
            return False
    sizes = {}
    for s in specs:
        try:
            sizes[s] = s.path.stat().st_size
        except OSError:
            sizes[s] = None
    for i, b in enumerate(specs):
        a = next((a for a in specs[:i] if same(a.path, b.path)), None)
        if a is not None:
            problems.append(Problem(b.name, 1, _("this is the same file as {other}: give the 'before' and the "
                                                 "'after' answers in two different files").format(other=a.name)))
            continue
        size = sizes[b]
        if size is None or not size or list(sizes.values()).count(size) < 2:
            continue                    # unreadable (reported when read), empty, or no other file this size
        try:
            h = hashlib.sha256()
            with open(b.path, "rb") as f:
                for block in iter(lambda: f.read(1 << 20), b""):
                    h.update(block)
        except OSError:
            continue
        a = digests.setdefault((size, h.hexdigest()), b)
        if a is not b:
            problems.append(Problem(b.name, 1, _("this file holds exactly the same answers as {other}: give the "
                                                 "'before' and the 'after' answers in two different files")
                                    .format(other=a.name)))
    return problems


@dataclass
class FileReport:
    name: str
    kind: str = N_("CSV template")    # or N_("Moodle export"); translated where shown
    rows: int = 0                 # data rows read (blank lines not counted)
    used: int = 0
    left_out: int = 0
    blank: int = 0
    delimiter: str = ","


@dataclass
class Source:
    spec: ResponseFile
    text: str = ""
    bad_lines: set = field(default_factory=set)
    delimiter: str = ","
    header: list = field(default_factory=list)
    header_end: int = 1
    kind: str = "template"
    report: FileReport | None = None


def _reader(text: str, delimiter: str):
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _columns_hint() -> str:
    return _("(questionnaire, code, phase, group, then the question ids)")


def open_source(spec: ResponseFile, text: str | None = None) -> tuple[Source | None, list[Problem]]:
    """Decode a file and read its first line; problems here mean the file cannot be used at all."""
    name = spec.name
    src = Source(spec)
    if text is None:
        try:
            data = spec.path.read_bytes()
        except OSError as e:
            return None, [Problem(name, 1, _("cannot read this file: {why}").format(why=e.strerror or e))]
        if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
            return None, [Problem(name, 1, _("this is a spreadsheet file, not CSV: save it as 'CSV UTF-8 (comma delimited)'"))]
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return None, [Problem(name, 1, _("this file is UTF-16 text: save it as 'CSV UTF-8 (comma delimited)'"))]
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("utf-8", "surrogateescape")
            for n, line in enumerate(io.StringIO(text, newline=""), 1):
                if _SURROGATE.search(line):
                    src.bad_lines.add(n)
        del data
    elif text.startswith("\ufeff"):
        text = text[1:]
    if not text or text.isspace():
        return None, [Problem(name, 1, _("the file is empty; the first line should name the columns {hint}")
                              .format(hint=_columns_hint()))]
    src.text = text
    first = re.match(r"[^\r\n]*", text).group(0)
    if not first.strip():
        return None, [Problem(name, 1, _("the first line is empty; it should name the columns {hint}")
                              .format(hint=_columns_hint()))]
    if 1 in src.bad_lines:
        return None, [Problem(name, 1, _("the first line is not UTF-8 text: save the file as 'CSV UTF-8 (comma delimited)'"))]

    def known(cells):
        names = [c.strip().lower() for c in cells]
        return sum(n in FIXED for n in names) + sum(bool(MOODLE_RESPONSE.match(c)) for c in cells)

    best = None
    for delim in (",", ";", "\t"):
        if delim != "," and delim not in first:
            continue
        # The header is read from its own lines only: the reader stops at the end of its record.
        r = _reader(text, delim)
        try:
            header = next(r)
        except csv.Error as e:
            return None, [Problem(name, 1, _("cannot read the first line as CSV: {why}").format(why=e))]
        except StopIteration:
            header = []
        if best is None or known(header) > known(best[1]):
            best = (delim, header, r.line_num)
    delim, header, end = best
    if known(header) == 0:
        return None, [Problem(name, 1, _("the first line should name the columns {hint}, as in the CSV template, or "
                                         "be a Moodle 'Responses' export; it names none of them")
                              .format(hint=_columns_hint()))]
    src.delimiter, src.header, src.header_end = delim, header, end
    src.kind = "moodle" if any(MOODLE_RESPONSE.match(c) for c in header) else "template"
    src.report = FileReport(name, N_("Moodle export") if src.kind == "moodle" else N_("CSV template"), delimiter=delim)
    return src, []


def records(src: Source):
    """(first line, last line, cells or None, error) for each record after the header."""
    r = _reader(src.text, src.delimiter)
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


def _plain_lines(src: Source) -> list[str] | None:
    """The data lines when the file has one record per line, so that splitting each line at the
    delimiter gives exactly what the CSV reader would: no quote, no lone carriage return, no NUL,
    no field longer than the reader allows. ``None`` otherwise (then the CSV reader reads it)."""
    text = src.text
    if '"' in text or "\x00" in text:
        return None
    if "\r" in text:
        if text.count("\r") != text.count("\r\n"):
            return None
        text = text.replace("\r\n", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if lines and max(map(len, lines)) >= _FIELD_LIMIT:
        return None
    return lines[src.header_end:]


def chunks(src: Source):
    """The records after the header in chunks: (rows, starts, ends, errors). ``rows[i]`` is a list
    of cells, or ``None`` when the record cannot be read as CSV (``errors[i]`` says why); it runs
    from line ``starts[i]`` to line ``ends[i]``. For a file with one record per line, ``ends`` is
    ``starts`` and ``errors`` is ``None``."""
    lines = _plain_lines(src)
    if lines is not None:
        d = src.delimiter
        first = src.header_end + 1
        for a in range(0, len(lines), CHUNK):
            part = lines[a:a + CHUNK]
            starts = range(first + a, first + a + len(part))
            yield [line.split(d) for line in part], starts, starts, None
        return
    buf: list = []
    for rec in records(src):
        buf.append(rec)
        if len(buf) == CHUNK:
            yield _unzip(buf)
            buf = []
    if buf:
        yield _unzip(buf)


def _unzip(buf):
    starts, ends, rows, errors = zip(*buf)
    return list(rows), starts, ends, errors


def rows_to_text(rows) -> str:
    """In-memory rows (dicts keyed by column name) as CSV text."""
    cols: list[str] = []
    for r in rows:
        if not isinstance(r, dict):
            raise ContentError([Problem("(rows)", 1, _("each row should be a dict of column name -> value"))])
        for k in r:
            if k not in cols:
                cols.append(k)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)
    for r in rows:
        w.writerow(["" if r.get(c) is None else str(r.get(c)) for c in cols])
    return buf.getvalue()


def rows_count_text(n: int) -> str:
    return ngettext("{n} row", "{n} rows", n).format(n=n)
