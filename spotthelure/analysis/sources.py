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

import numpy as np

from ..i18n import N_, _, ngettext
from ..problems import ContentError, Problem
from .questionnaire import FIXED

MOODLE_RESPONSE = re.compile(r"^\s*response\s*(\d+)\s*$", re.I)
_SURROGATE = re.compile("[\udc80-\udcff]")
CHUNK = 1 << 15                      # records checked together
_HEAD = 1 << 16                      # characters in which the header is looked for first
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
        try:
            header, end = _first_record(text, delim)
        except csv.Error as e:
            return None, [Problem(name, 1, _("cannot read the first line as CSV: {why}").format(why=e))]
        if best is None or known(header) > known(best[1]):
            best = (delim, header, end)
    delim, header, end = best
    if known(header) == 0:
        return None, [Problem(name, 1, _("the first line should name the columns {hint}, as in the CSV template, or "
                                         "be a Moodle 'Responses' export; it names none of them")
                              .format(hint=_columns_hint()))]
    src.delimiter, src.header, src.header_end = delim, header, end
    src.kind = "moodle" if any(MOODLE_RESPONSE.match(c) for c in header) else "template"
    src.report = FileReport(name, N_("Moodle export") if src.kind == "moodle" else N_("CSV template"), delimiter=delim)
    return src, []


def _first_record(text: str, delim: str) -> tuple[list[str], int]:
    """The header's cells and the line it ends on. The reader copies what it reads, so it is
    given the start of the file first, and the whole file only when the header may run past it."""
    head = text[:_HEAD]
    if len(head) < len(text):
        r = _reader(head, delim)
        try:
            header = next(r)
            if r.line_num < head.count("\n"):
                return header, r.line_num
        except (csv.Error, StopIteration):
            pass
    r = _reader(text, delim)
    try:
        header = next(r)
    except StopIteration:
        header = []
    return header, r.line_num


def records(src: Source):
    """(first line, last line, cells or None, error) for each record after the header."""
    r = _reader(src.text, src.delimiter)
    try:
        next(r)
    except (StopIteration, csv.Error):
        return
    yield from _numbered(r)


def _numbered(r, offset: int = 0):
    """The records of CSV reader ``r`` with their first and last lines (the reader's line count
    plus ``offset``)."""
    prev = r.line_num + offset
    while True:
        try:
            row = next(r)
        except StopIteration:
            return
        except csv.Error as e:
            if r.line_num + offset <= prev:   # no progress: stop rather than loop
                yield prev + 1, prev + 1, None, str(e)
                return
            yield prev + 1, r.line_num + offset, None, str(e)
            prev = r.line_num + offset
            continue
        yield prev + 1, r.line_num + offset, row, None
        prev = r.line_num + offset


def _plain_text(src: Source) -> str | None:
    """The text when the file has one record per line, so that splitting each line at the
    delimiter gives exactly what the CSV reader would: no quote, no lone carriage return, no NUL,
    a one-line header (a chunk with a line longer than the reader allows a field is read by the
    reader). ``None`` otherwise (then the CSV reader reads it all). Line ends are "\\n"."""
    text = src.text
    if '"' in text or "\x00" in text or src.header_end != 1:
        return None
    if "\r" in text:
        if text.count("\r") != text.count("\r\n"):
            return None
        text = text.replace("\r\n", "\n")
    return text


class Chunk:
    """Records after the header, checked together. Record ``i`` runs from line ``starts[i]`` to
    line ``ends[i]``; :meth:`row` gives its cells, or ``None`` when it cannot be read as CSV
    (``errors[i]`` says why); :meth:`columns` gives the cells of all records with the right number
    of cells, column by column."""

    def __init__(self, starts, ends, errors=None, rows=None):
        self.starts, self.ends, self.errors = starts, ends, errors
        self._rows = rows

    def __len__(self) -> int:
        return len(self._rows)

    def error(self, i: int) -> str | None:
        return self.errors[i] if self.errors is not None else None

    def row(self, i: int) -> list[str] | None:
        return self._rows[i]

    def columns(self, ncols: int) -> tuple[list[int] | None, list[list[str]]]:
        """(which records have ``ncols`` cells, ``None`` for all of them; the columns of those records)."""
        rows = self._rows
        if self.errors is None and set(map(len, rows)) == {ncols}:
            return None, [list(c) for c in zip(*rows)] if rows else [[] for _ in range(ncols)]
        which = [i for i, r in enumerate(rows) if r is not None and len(r) == ncols]
        shaped = [rows[i] for i in which]
        return which, [list(c) for c in zip(*shaped)] if shaped else [[] for _ in range(ncols)]


class PlainChunk(Chunk):
    """Lines of a file with one record per line (see :func:`_plain_text`), from line ``first``:
    the delimiters of each line are counted in numpy, and the cells of all well-formed lines
    come from one split of the whole chunk."""

    def __init__(self, part: str, first: int, delimiter: str):
        self._part, self._d = part, delimiter
        b = np.frombuffer(part.encode("utf-8", "surrogatepass"), dtype=np.uint8)
        newlines = np.flatnonzero(b == 10)
        n = len(newlines) + 1
        delims = np.flatnonzero(b == ord(delimiter))
        self._counts = np.diff(np.searchsorted(delims, newlines), prepend=0, append=len(delims))
        self.too_long = bool(np.diff(newlines, prepend=-1, append=len(b)).max() > _FIELD_LIMIT)
        self._bytes = b
        self._cell_bytes = None
        self.starts = self.ends = range(first, first + n)
        self.errors = None
        self._lines = None

    def __len__(self) -> int:
        return len(self.starts)

    def row(self, i: int) -> list[str]:
        if self._lines is None:
            self._lines = self._part.split("\n")
        return self._lines[i].split(self._d)

    def columns(self, ncols: int):
        d = self._d
        good = self._counts == ncols - 1
        if good.all():
            return None, _Columns(self._part.replace("\n", d).split(d), ncols)
        if self._lines is None:
            self._lines = self._part.split("\n")
        which = np.flatnonzero(good).tolist()
        if not which:
            return which, [[] for _ in range(ncols)]
        return which, _Columns(d.join([self._lines[i] for i in which]).split(d), ncols)

    def _cells(self, ncols: int):
        """(length in bytes, first byte) of every cell, as (records x ``ncols``) arrays."""
        if self._cell_bytes is None:
            b = self._bytes
            seps = np.flatnonzero((b == 10) | (b == ord(self._d)))     # the end of every cell but the last
            starts = np.empty(len(seps) + 1, dtype=np.int64)
            starts[0] = 0
            starts[1:] = seps + 1
            length = np.diff(starts, append=len(b) + 1) - 1
            first = np.append(b, np.uint8(0))[starts]                    # a blank last cell starts at the end
            self._cell_bytes = (length.reshape(len(self), ncols), first.reshape(len(self), ncols))
        return self._cell_bytes

    def single_chars(self, js: list[int], ncols: int, tables: np.ndarray) -> np.ndarray | None:
        """For columns ``js``: ``tables[k]`` looked up for each cell of column ``js[k]`` that is one
        byte, 0 for a blank cell, -1 for any other, as a (records x columns) array; from the bytes,
        without a string per cell. ``None`` unless every line has ``ncols`` cells."""
        if not (self._counts == ncols - 1).all():
            return None
        length, first = self._cells(ncols)
        length, first = length[:, js], first[:, js]
        found = tables[np.arange(len(js)), first]
        return np.where(length == 1, found, np.where(length == 0, 0, -1)).astype(np.int8)

    def lengths(self, j: int, ncols: int) -> np.ndarray | None:
        """The length in bytes of each cell of column ``j`` (``None`` unless every line has ``ncols`` cells)."""
        if not (self._counts == ncols - 1).all():
            return None
        return self._cells(ncols)[0][:, j]


class _Columns:
    """Columns of a chunk's cells, sliced when first asked for."""

    def __init__(self, cells: list[str], ncols: int):
        self._cells, self._n, self._cols = cells, ncols, {}

    def __getitem__(self, j: int) -> list[str]:
        if j not in self._cols:
            self._cols[j] = self._cells[j::self._n]
        return self._cols[j]


def _csv_chunk(part: str, first: int, delimiter: str) -> Chunk:
    """A plain chunk read by the CSV reader (one record per line), for what only it reports."""
    buf = list(_numbered(_reader(part, delimiter), first - 1))
    last = buf[-1][1] if buf else first - 1
    for line in range(last + 1, first + part.count("\n") + 1):   # blank last lines the reader does not return
        buf.append((line, line, [], None))
    return _chunk(buf)


CHUNK_CHARS = 1 << 21                # about this many characters of a plain file are checked together


def chunks(src: Source):
    """The records after the header, a chunk at a time (:class:`Chunk`)."""
    text = _plain_text(src)
    if text is not None:
        stop = len(text) - 1 if text.endswith("\n") else len(text)   # the last line's end is no new line
        nl = text.find("\n")
        pos, line = (nl + 1 if nl >= 0 else stop + 1), 2
        while pos <= stop:
            end = text.find("\n", min(pos + CHUNK_CHARS, stop), stop)
            end = stop if end < 0 else end
            part = text[pos:end]
            ch = PlainChunk(part, line, src.delimiter)
            yield _csv_chunk(part, line, src.delimiter) if ch.too_long else ch
            line += len(ch)
            pos = end + 1
        return
    buf: list = []
    for rec in records(src):
        buf.append(rec)
        if len(buf) == CHUNK:
            yield _chunk(buf)
            buf = []
    if buf:
        yield _chunk(buf)


def _chunk(buf) -> Chunk:
    starts, ends, rows, errors = zip(*buf)
    return Chunk(starts, ends, errors if any(e is not None for e in errors) else None, list(rows))


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
