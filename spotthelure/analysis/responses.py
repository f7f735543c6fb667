"""Reading and checking answers: every row of every file, each bad row reported as
``path:line: what is wrong`` and left out.

Rows are checked a chunk at a time, column by column: a row that passes every check is taken as
it is; any other row goes through :meth:`_RowChecker.row`, which finds and words each of its
problems (the same checks, one row at a time). So a clean file of a million rows costs a few
dictionary look-ups per cell, and every message is still the one for its line.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import compress
from pathlib import Path

import numpy as np

from ..i18n import _
from ..problems import ContentError, Problem
from . import questionnaire as qmod
from .columns import ABSENT as _ABSENT
from .columns import digit_table as _digit_table
from .columns import has_space as _has_space
from .columns import read_header
from .columns import single_chars as _single_chars
from .questionnaire import CMDLINE, FIXED, PHASES, Questionnaire, load_questionnaire
from .sources import (FileReport, ResponseFile, Source, chunks, open_source, parse_response_args,
                      records, rows_count_text, rows_to_text)

@dataclass
class Responses:
    """Checked answers: one row per person and phase, ready for :func:`~.statistics.analyse`."""
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


def _value_text(v: str) -> str:
    v = v.strip()
    return f"'{v}'" if len(v) <= 12 and v.isprintable() else _("this value")


def _span(start: int, end: int) -> str:
    return (" " + _("(this row runs on to line {end}: check for a missing closing quote)").format(end=end)
            if end > start else "")


class _RowChecker:
    """The checks of one file's rows, and the counts of its report."""

    def __init__(self, src: Source, qn: Questionnaire, fixed: dict, item_cols: list, P: list, public: dict,
                 known: frozenset):
        self.src, self.qn, self.P, self.public, self.known = src, qn, P, public, known
        self.rep, self.name = src.report, src.spec.name
        self.items = qn.items
        self.ncols = len(src.header)
        self.moodle = src.kind == "moodle"
        lookup = qmod.moodle_lookup if self.moodle else qmod.template_lookup
        self.lookups = [(j, lookup(qn.items[k]), k) for j, k in item_cols if qn.items[k].type != "text"]
        self.texts = [(j, k) for j, k in item_cols if qn.items[k].type == "text"]
        self.present = [k for _j, _l, k in self.lookups] + [k for _j, k in self.texts]
        self.qcol, self.ccol, self.pcol, self.gcol = (fixed.get(c) for c in FIXED)
        self.fixed_phase = src.spec.phase

    def bad(self, start, end, msg, quiet=None):
        pr = Problem(self.name, start, msg)
        self.P.append(pr)
        if quiet is not None and quiet != msg:
            self.public[pr] = quiet
        self.rep.left_out += 1

    def row(self, start, end, row, err):
        """One row, checked and worded: (answers, phase, code, group), or None when it is left out."""
        rep, items, moodle = self.rep, self.items, self.moodle
        if row is None:
            rep.rows += 1
            self.bad(start, end, _("cannot read this line as CSV ({why})").format(why=err))
            return None
        if not "".join(row).strip():
            rep.blank += 1
            return None
        rep.rows += 1
        if len(row) != self.ncols:
            self.bad(start, end, _("{n} values, but the first line names {m} columns").format(n=len(row), m=self.ncols)
                     + (_span(start, end) or " " + _("(a comma inside an answer needs quotes around the answer)")))
            return None
        bad_lines = self.src.bad_lines
        if bad_lines and any(n in bad_lines for n in range(start, end + 1)):
            self.bad(start, end, _("not UTF-8 text: save the file as 'CSV UTF-8 (comma delimited)'"))
            return None
        reasons, quiet = [], []      # quiet: the same reasons without any value from the file

        def say(msg, without_value=None):
            reasons.append(msg)
            quiet.append(msg if without_value is None else without_value)
        qid = self.qn.id
        if self.qcol is not None:
            qv = row[self.qcol].strip()
            if qv and qv != qid:
                if qv in self.known:
                    say(_("this row is for questionnaire '{other}', but this analysis is of '{q}' (analyse each "
                          "questionnaire on its own)").format(other=qv, q=qid))
                else:
                    shown = qv[:40] if qv.isprintable() else "?"
                    say(_("unknown questionnaire id '{id}'").format(id=shown), _("unknown questionnaire id"))
        ph = -1
        fixed_phase = self.fixed_phase
        pv = row[self.pcol].strip().lower() if self.pcol is not None else ""
        if pv in PHASES:
            ph = PHASES.index(pv)
            if fixed_phase and pv != fixed_phase:
                say(_("phase '{phase}', but the file was given as {fixed}=...").format(phase=pv, fixed=fixed_phase))
        elif pv:
            say(_("phase {value} is not pre or post").format(value=_value_text(pv)), _("phase is not pre or post"))
        elif fixed_phase:
            ph = PHASES.index(fixed_phase)
        elif self.qn.pre_post:
            say(_("no phase: write pre or post"))
        code = ""
        if self.ccol is not None:
            code = "".join(row[self.ccol].split()).casefold()
            if moodle and code == "-":
                code = ""
        if self.qn.pre_post and not code:
            say(_("no code (Response 1 is empty)") if moodle else _("no code: each person's made-up secret code"))
        vals = []
        for j, lk, k in self.lookups:
            cell = row[j]
            v = lk.get(qmod.norm(cell) if moodle else cell.strip())
            if v is None:
                it = items[k]
                if moodle:
                    say(_("Response {n} (question {id}): the answer matches no option of {id}").format(n=k + 2, id=it.id))
                else:
                    say(_("{id}: {value} is not an answer ({allowed}, or blank)")
                        .format(id=it.id, value=_value_text(cell), allowed=qmod.allowed(it)),
                        _("{id}: not an answer ({allowed}, or blank)").format(id=it.id, allowed=qmod.allowed(it)))
                v = 0
            vals.append(v)
        for j, _k in self.texts:
            t = row[j].strip()
            vals.append(1 if t and not (moodle and t == "-") else 0)
        if not reasons and not any(vals):
            say(_("no answers on this row"))
        if reasons:
            self.bad(start, end, "; ".join(reasons), "; ".join(quiet))
            return None
        group = " ".join(row[self.gcol].split()) if self.gcol is not None else ""
        return vals, ph, code, group

    # ----------------------------------------------------------------- a chunk at a time

    def _mapped(self, col, how, dtype=None):
        """``how`` applied to each distinct cell of a column once (columns repeat a few values): a
        list, or an array of ``dtype``."""
        m = {v: how(v) for v in set(col)}
        if dtype is None:
            return list(map(m.__getitem__, col))
        return np.fromiter(map(m.__getitem__, col), dtype, len(col))

    def _codes(self, col) -> tuple[list[str], bool]:
        """The codes of a column as matched (no spaces, case folded), and whether one is empty."""
        joined = "\x00".join(col)
        if joined.count("\x00") != len(col) - 1 or _has_space(joined) or self.moodle:
            codes = ["".join(c.split()).casefold() for c in col]
            if self.moodle:
                codes = ["" if c == "-" else c for c in codes]
            return codes, "" in codes
        empty = not joined or "\x00\x00" in joined or joined.startswith("\x00") or joined.endswith("\x00")
        return joined.casefold().split("\x00"), empty

    def _phases(self, ch, col, allowed: dict) -> np.ndarray:
        """The phase of each cell of the phase column (-9: not one of ``allowed``)."""
        by_length = {len(k.encode()): v for k, v in allowed.items()}
        if len(by_length) == len(allowed) and set(col) <= allowed.keys() and hasattr(ch, "lengths"):
            length = ch.lengths(self.pcol, self.ncols)
            if length is not None:                 # every cell is allowed, and its length says which
                lut = np.full(max(by_length) + 1, -9, dtype=np.int8)
                for k, v in by_length.items():
                    lut[k] = v
                return lut[length]
        return self._mapped(col, lambda v: allowed.get(v, -9), np.int8)

    def _answers(self, col, lk) -> np.ndarray:
        """The answer number of each cell of a column; ``_ABSENT`` where the cell needs a closer look."""
        if self.moodle:
            return self._mapped(col, lambda v: lk.get(qmod.norm(v), _ABSENT), np.int8)
        table = _digit_table(lk)
        if table is None:
            return self._mapped(col, lambda v: lk.get(v, _ABSENT), np.int8)
        return _single_chars(col, table)

    def _answer_block(self, ch) -> np.ndarray | None:
        """The answers of every scored column at once, from a plain chunk's bytes (or ``None``)."""
        if self.moodle or not self.lookups or not hasattr(ch, "single_chars"):
            return None
        tables = [_digit_table(lk) for _j, lk, _k in self.lookups]
        if any(t is None for t in tables):
            return None
        return ch.single_chars([j for j, _lk, _k in self.lookups], self.ncols, np.stack(tables))

    def chunk(self, ch, out):
        """Check a chunk of records (:class:`~.sources.Chunk`); append its good rows to ``out`` in
        file order."""
        n_all = len(ch)
        n_items = len(self.items)
        which, cols = ch.columns(self.ncols)
        where = np.arange(n_all) if which is None else np.asarray(which, dtype=np.int64)
        n = len(where)
        starts, ends = ch.starts, ch.ends
        ok = np.ones(n, dtype=bool)
        block = np.zeros((n, n_items), dtype=np.int8)
        phase = np.full(n, -1, dtype=np.int8)
        codes: list[str] = [""] * n
        groups: list[str] = [""] * n
        if n:
            bad_lines = self.src.bad_lines
            if bad_lines:
                ok &= np.fromiter((not any(x in bad_lines for x in range(starts[i], ends[i] + 1))
                                   for i in where.tolist()), bool, n)
            if self.qcol is not None:
                fine = {"", self.qn.id}
                if not set(cols[self.qcol]) <= fine:
                    ok &= np.fromiter(map(fine.__contains__, cols[self.qcol]), bool, n)
            if self.pcol is not None:
                fp = self.fixed_phase
                if fp:
                    allowed = {fp: PHASES.index(fp), "": PHASES.index(fp)}
                else:
                    allowed = {p: i for i, p in enumerate(PHASES)}
                    if not self.qn.pre_post:
                        allowed[""] = -1
                phase = self._phases(ch, cols[self.pcol], allowed)
                ok &= phase != -9
            elif self.fixed_phase:
                phase[:] = PHASES.index(self.fixed_phase)
            if self.ccol is not None:
                codes, empty = self._codes(cols[self.ccol])
                if self.qn.pre_post and empty:
                    ok &= np.fromiter(map(bool, codes), bool, n)
            elif self.qn.pre_post:
                ok[:] = False
            answers = self._answer_block(ch)
            if answers is not None:
                ok &= (answers != _ABSENT).all(axis=1)
                block[:, [k for _j, _lk, k in self.lookups]] = answers
            else:
                for j, lk, k in self.lookups:
                    v = self._answers(cols[j], lk)
                    ok &= v != _ABSENT
                    block[:, k] = v
            moodle = self.moodle
            for j, k in self.texts:
                block[:, k] = self._mapped(cols[j], lambda v: 1 if v.strip() and not (moodle and v.strip() == "-")
                                           else 0, np.int8)
            ok &= block.any(axis=1)
            if self.gcol is not None:
                groups = self._mapped(cols[self.gcol], lambda v: " ".join(v.split()))
        fast = int(ok.sum())
        self.rep.rows += fast
        if fast == n_all:                   # every record taken as it is
            self._append(out, block, phase, codes, groups, np.asarray(starts, dtype=np.int64))
            return
        # Every other record: worded one at a time, in file order.
        take = np.zeros(n_all, dtype=bool)
        take[where[ok]] = True
        full = np.zeros((n_all, n_items), dtype=np.int8)
        full[where] = block
        ph_all = np.full(n_all, -1, dtype=np.int8)
        ph_all[where] = phase
        code_all: list[str] = [""] * n_all
        group_all: list[str] = [""] * n_all
        for i, g, c in zip(where.tolist(), groups, codes):
            code_all[i], group_all[i] = c, g
        present = self.present
        for i in np.flatnonzero(~take).tolist():
            got = self.row(starts[i], ends[i], ch.row(i), ch.error(i))
            if got is None:
                continue
            vals, ph, code, group = got
            take[i] = True
            full[i] = 0
            full[i, present] = vals
            ph_all[i], code_all[i], group_all[i] = ph, code, group
        idx = np.flatnonzero(take)
        if idx.size:
            il = idx.tolist()
            self._append(out, full[idx], ph_all[idx], [code_all[i] for i in il], [group_all[i] for i in il],
                         np.asarray(starts, dtype=np.int64)[idx])

    @staticmethod
    def _append(out, values, phase, codes, groups, lines):
        if not len(codes):
            return
        out["values"].append(values)
        out["phase"].append(phase)
        out["codes"].extend(codes)
        out["groups"].extend(groups)
        out["lines"].append(lines)
        out["files"].append(np.full(len(codes), out["nfiles"], dtype=np.int32))


def check_source(src: Source, qn: Questionnaire, qn_given: bool, out: dict, problems: list[Problem],
                 known: frozenset = frozenset(), public: dict | None = None) -> None:
    """Check every row of one file and append the good ones to ``out``.

    ``known``: the ids of the book's questionnaires. ``public``: for each problem whose message
    repeats a value from the file, the same message without the value (for the shared report).
    """
    public = {} if public is None else public
    rep, name = src.report, src.spec.name
    fixed, item_cols, fatal = read_header(src, qn, qn_given, problems, public)
    if fatal:
        rep.rows = sum(1 for rec in records(src) if rec[2] is None or "".join(rec[2]).strip())
        rep.left_out = rep.rows
        problems.append(Problem(name, 1, _("no row of this file was used ({rows}): fix the first line and run the "
                                           "analysis again").format(rows=rows_count_text(rep.rows))))
        return
    checker = _RowChecker(src, qn, fixed, item_cols, problems, public, known)
    before = sum(len(v) for v in out["values"])
    for ch in chunks(src):
        checker.chunk(ch, out)
    if sum(len(v) for v in out["values"]) == before and rep.rows == 0:
        problems.append(Problem(name, 1, _("no answers below the first line")))


def _resolve_questionnaire(sources: list[Source], problems: list[Problem], known: frozenset) -> Questionnaire | None:
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
        for _a, _b, row, _e in records(src):
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
                    if not all(p.path == CMDLINE for p in e.problems):
                        problems.extend(e.problems)   # the questionnaire file itself is broken
                        return None
    return None


def read_responses(files, questionnaire=None, *, rows=None) -> Responses:
    """Read and check answer files (``FILE``, ``pre=FILE``, ``post=FILE`` or :class:`ResponseFile`),
    or in-memory ``rows`` (dicts keyed by the template's column names).

    Raises :class:`ContentError` with every problem when nothing usable remains; otherwise the
    problems found travel in ``Responses.problems`` and the bad rows are left out.
    """
    problems: list[Problem] = []
    qn = load_questionnaire(questionnaire) if questionnaire is not None else None
    sources: list[Source] = []
    if rows is not None:
        src, probs = open_source(ResponseFile(Path("(rows)"), None, "(rows)"), rows_to_text(rows))
        problems += probs
        if src:
            sources.append(src)
    specs = parse_response_args(files or [])
    for spec in specs:
        src, probs = open_source(spec)
        problems += probs
        if src:
            sources.append(src)
    known = qmod.known_ids() if sources else frozenset()
    if qn is None and sources:
        qn = _resolve_questionnaire(sources, problems, known)
        if qn is None and not problems:
            moodle = [s for s in sources if s.kind == "moodle"]
            first = (moodle or sources)[0].spec.name
            problems.append(Problem(first, 1, _("which questionnaire is this? Name it with --questionnaire ID "
                                                "(or fill in the 'questionnaire' column with a questionnaire id)")))
        elif qn is None:
            problems.append(Problem(sources[0].spec.name, 1,
                                    _("no row names a known questionnaire: name it with --questionnaire ID")))
    if qn is None:
        raise ContentError(problems or [Problem(CMDLINE, 1, _("name at least one response file"))])
    out = {"values": [], "phase": [], "codes": [], "groups": [], "lines": [], "files": [], "nfiles": 0}
    reports = []
    public: dict = {}
    for src in sources:
        check_source(src, qn, questionnaire is not None, out, problems, known, public)
        src.text = ""                      # read: let the memory go
        reports.append(src.report)
        out["nfiles"] += 1
    n_items = len(qn.items)
    values = np.concatenate(out["values"]) if out["values"] else np.zeros((0, n_items), dtype=np.int8)
    phase = np.concatenate(out["phase"]) if out["phase"] else np.zeros(0, dtype=np.int8)
    lines = np.concatenate(out["lines"]) if out["lines"] else np.zeros(0, dtype=np.int64)
    fileno = np.concatenate(out["files"]) if out["files"] else np.zeros(0, dtype=np.int32)
    codes, groups = out["codes"], out["groups"]
    if qn.pre_post:
        keep = _duplicates(codes, phase, fileno, lines, sources, problems)
        if keep is not None:
            idx = np.flatnonzero(keep)
            values, phase, lines, fileno = values[idx], phase[idx], lines[idx], fileno[idx]
            il = idx.tolist()
            codes = [codes[i] for i in il]
            groups = [groups[i] for i in il]
    used = np.bincount(fileno, minlength=len(reports)) if len(reports) else []
    for rep, u in zip(reports, used):
        rep.used = int(u)
    if not codes:
        problems.append(Problem((sources[0].spec.name if sources else CMDLINE), 1,
                                _("nothing usable remains: every row has a problem (listed here)")))
        raise ContentError(problems)
    return Responses(qn, values, phase, codes, groups, reports, sorted(problems),
                     blank_lines=sum(r.blank for r in reports), public=public)


def _duplicates(codes, phase, fileno, lines, sources, problems):
    """Rows sharing a code within a phase cannot be matched: report all of them; the rows to keep
    (``None`` when every row is kept)."""
    if all(len(set(c)) == len(c) for c in (list(compress(codes, (phase == p).tolist())) for p in (0, 1, -1))):
        return None
    ph = phase.tolist()
    keep = np.ones(len(codes), dtype=bool)
    first: dict[tuple[int, str], int] = {}
    dups: dict[tuple[int, str], list[int]] = {}
    for i, key in enumerate(zip(ph, codes)):
        j = first.setdefault(key, i)
        if j != i:
            dups.setdefault(key, [j]).append(i)
    for (p, _c), rows in dups.items():
        for i in rows:
            keep[i] = False
            others = []
            for j in rows:
                if j == i:
                    continue
                f, line = int(fileno[j]), int(lines[j])
                others.append(_("line {n}").format(n=line) if f == fileno[i]
                              else _("{file} line {n}").format(file=sources[f].spec.name, n=line))
            more = " " + _("and {n} more").format(n=len(others) - 3) if len(others) > 3 else ""
            src = sources[int(fileno[i])]
            problems.append(Problem(src.spec.name, int(lines[i]),
                                    _("the code on this row is used more than once in the '{phase}' phase (also on "
                                      "{others}{more}); rows that share a code cannot be matched, so all of them are "
                                      "left out").format(phase=PHASES[p], others=", ".join(others[:3]), more=more)))
            src.report.left_out += 1
    return keep


def check(files, questionnaire=None, *, rows=None) -> list[Problem]:
    """Every problem in the given files, without raising for bad input."""
    try:
        return read_responses(files, questionnaire, rows=rows).problems
    except ContentError as e:
        return e.problems
