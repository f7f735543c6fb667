"""Reading and checking answers: every row of every file, each bad row reported as
``path:line: what is wrong`` and left out.

Rows are checked a chunk at a time, column by column: a row that passes every check is taken as
it is; any other row goes through :meth:`_RowChecker.row`, which finds and words each of its
problems (the same checks, one row at a time). So a clean file of a million rows costs a few
dictionary look-ups per cell, and every message is still the one for its line.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path

import numpy as np

from ..i18n import _, ngettext
from ..problems import ContentError, Problem
from . import questionnaire as qmod
from .questionnaire import CMDLINE, FIXED, PHASES, Questionnaire, load_questionnaire
from .sources import (MOODLE_RESPONSE, FileReport, ResponseFile, Source, chunks, open_source, parse_response_args,
                      records, rows_count_text, rows_to_text)

_ABSENT = -1


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


def _header(src: Source, qn: Questionnaire, qn_given: bool, P: list, public: dict):
    """The columns of a file: (fixed column -> index, [(column, item index)], fatal)."""
    name, items = src.spec.name, qn.items
    fixed: dict[str, int] = {}
    item_cols: list[tuple[int, int]] = []
    fatal = False
    if src.kind == "template":
        ids = {it.id: i for i, it in enumerate(items)}
        seen: dict[str, int] = {}
        for j, raw in enumerate(src.header):
            h = raw.strip().lower()
            if h in seen:
                pr = Problem(name, 1, _("column '{name}' appears twice (columns {a} and {b}); keep one")
                             .format(name=raw.strip(), a=seen[h] + 1, b=j + 1))
                P.append(pr)
                public[pr] = _("columns {a} and {b} have the same name; keep one").format(a=seen[h] + 1, b=j + 1)
                fatal = True
                continue
            seen[h] = j
            if h in FIXED:
                fixed[h] = j
            elif h in ids:
                item_cols.append((j, ids[h]))
            elif not h:
                P.append(Problem(name, 1, _("column {n} has no name; its values are not read").format(n=j + 1)))
            else:
                shown = raw.strip() if raw.strip().isprintable() else "?"
                pr = Problem(name, 1, _("unknown column '{name}': not a question of {q}; its values are not read")
                             .format(name=shown[:40], q=qn.id))
                P.append(pr)
                public[pr] = _("unknown column {n}: not a question of {q}; its values are not read").format(n=j + 1, q=qn.id)
        have = {k for _j, k in item_cols}
        missing = [it.id for i, it in enumerate(items) if i not in have]
        if missing:
            P.append(Problem(name, 1, ngettext("no column for question {ids} of {q}: counted as not answered",
                                               "no column for questions {ids} of {q}: counted as not answered",
                                               len(missing)).format(ids=", ".join(missing), q=qn.id)))
        if qn.pre_post and "code" not in fixed:
            P.append(Problem(name, 1, _("no 'code' column: the secret code links each person's 'before' and 'after' answers")))
            fatal = True
        if qn.pre_post and "phase" not in fixed and src.spec.phase is None:
            P.append(Problem(name, 1, _("no 'phase' column: add one (pre or post on each row), or give the file as "
                                        "pre=FILE or post=FILE")))
            fatal = True
        if not qn_given and "questionnaire" not in fixed:
            P.append(Problem(name, 1, _("no 'questionnaire' column; add it, or name the questionnaire with "
                                        "--questionnaire {q}").format(q=qn.id)))
            fatal = True
    else:
        resp: dict[int, int] = {}
        for j, raw in enumerate(src.header):
            m = MOODLE_RESPONSE.match(raw)
            if m:
                k = int(m.group(1))
                if k in resp:
                    P.append(Problem(name, 1, _("'Response {k}' appears twice").format(k=k)))
                    fatal = True
                resp[k] = j
        want = len(items) + 1
        if sorted(resp) != list(range(1, len(resp) + 1)):
            gap = next(k for k in range(1, max(resp) + 1) if k not in resp)
            P.append(Problem(name, 1, _("'Response {k}' is missing: the responses must be numbered 1, 2, 3 ...").format(k=gap)))
            fatal = True
        elif len(resp) != want:
            P.append(Problem(name, 1, _("this Moodle export has {have} responses, but {q} needs {want}: Response 1 for "
                                        "the secret code, then one for each of its {n} questions, in order")
                             .format(have=len(resp), q=qn.id, want=want, n=len(items))))
            fatal = True
        if qn.pre_post and src.spec.phase is None:
            P.append(Problem(name, 1, _("a Moodle export has no phase: give the file as pre=FILE or post=FILE")))
            fatal = True
        if not fatal:
            fixed["code"] = resp[1]
            item_cols = [(resp[k + 2], k) for k in range(len(items))]
    return fixed, item_cols, fatal


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

    def _mapped(self, col, how) -> list:
        """``how`` applied to each distinct cell of a column once (columns repeat a few values)."""
        m = {v: how(v) for v in set(col)}
        return list(map(m.__getitem__, col))

    def _codes(self, col) -> list[str]:
        joined = "\x00".join(col)
        if joined.count("\x00") != len(col) - 1 or _has_space(joined):
            codes = ["".join(c.split()).casefold() for c in col]
        else:
            codes = joined.casefold().split("\x00")
        if self.moodle:
            codes = ["" if c == "-" else c for c in codes]
        return codes

    def chunk(self, rows, starts, ends, errors, out):
        """Check a chunk of records; append its good rows to ``out`` in file order."""
        n_all = len(rows)
        n_items = len(self.items)
        ncols = self.ncols
        if errors is None and set(map(len, rows)) == {ncols}:
            where = np.arange(n_all)
            good_rows = rows
        else:
            shaped = [i for i, r in enumerate(rows) if r is not None and len(r) == ncols]
            where = np.asarray(shaped, dtype=np.int64)
            good_rows = [rows[i] for i in shaped]
        n = len(good_rows)
        ok = np.ones(n, dtype=bool)
        block = np.zeros((n, n_items), dtype=np.int8)
        phase = np.full(n, -1, dtype=np.int8)
        codes: list[str] = [""] * n
        groups: list[str] = [""] * n
        if n:
            cols = list(zip(*good_rows))
            bad_lines = self.src.bad_lines
            if bad_lines:
                wl = where.tolist()
                ok &= np.fromiter((not any(x in bad_lines for x in range(starts[i], ends[i] + 1)) for i in wl), bool, n)
            if self.qcol is not None:
                fine = {"", self.qn.id}
                ok &= np.fromiter(map(fine.__contains__, cols[self.qcol]), bool, n)
            if self.pcol is not None:
                fp = self.fixed_phase
                if fp:
                    allowed = {fp: PHASES.index(fp), "": PHASES.index(fp)}
                else:
                    allowed = {p: i for i, p in enumerate(PHASES)}
                    if not self.qn.pre_post:
                        allowed[""] = -1
                phase = np.fromiter(map(allowed.get, cols[self.pcol], repeat(-9)), np.int8, n)
                ok &= phase != -9
            elif self.fixed_phase:
                phase[:] = PHASES.index(self.fixed_phase)
            if self.ccol is not None:
                codes = self._codes(cols[self.ccol])
                if self.qn.pre_post:
                    ok &= np.fromiter(map(bool, codes), bool, n)
            elif self.qn.pre_post:
                ok[:] = False
            moodle = self.moodle
            for j, lk, k in self.lookups:
                how = (lambda v, lk=lk: lk.get(qmod.norm(v), _ABSENT)) if moodle else \
                      (lambda v, lk=lk: lk.get(v, lk.get(v.strip(), _ABSENT)))
                v = np.fromiter(self._mapped(cols[j], how), np.int8, n)
                ok &= v != _ABSENT
                block[:, k] = v
            for j, k in self.texts:
                block[:, k] = np.fromiter(self._mapped(
                    cols[j], lambda v: 1 if v.strip() and not (moodle and v.strip() == "-") else 0), np.int8, n)
            ok &= block.any(axis=1)
            if self.gcol is not None:
                groups = self._mapped(cols[self.gcol], lambda v: " ".join(v.split()))
        # Every row not taken as it is: worded one at a time, in file order.
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
        fast = int(ok.sum())
        self.rep.rows += fast
        present = self.present
        for i in np.flatnonzero(~take).tolist():
            got = self.row(starts[i], ends[i], rows[i], errors[i] if errors is not None else None)
            if got is None:
                continue
            vals, ph, code, group = got
            take[i] = True
            full[i] = 0
            full[i, present] = vals
            ph_all[i], code_all[i], group_all[i] = ph, code, group
        idx = np.flatnonzero(take)
        if idx.size:
            out["values"].append(full[idx])
            out["phase"].append(ph_all[idx])
            il = idx.tolist()
            out["codes"].extend(code_all[i] for i in il)
            out["groups"].extend(group_all[i] for i in il)
            out["lines"].append(np.asarray(starts, dtype=np.int64)[idx])
            out["files"].append(np.full(idx.size, out["nfiles"], dtype=np.int32))


def _has_space(s: str) -> bool:
    """Whether ``s`` holds a character that ``str.split()`` splits at."""
    return any(c.isspace() for c in set(s))


def check_source(src: Source, qn: Questionnaire, qn_given: bool, out: dict, problems: list[Problem],
                 known: frozenset = frozenset(), public: dict | None = None) -> None:
    """Check every row of one file and append the good ones to ``out``.

    ``known``: the ids of the book's questionnaires. ``public``: for each problem whose message
    repeats a value from the file, the same message without the value (for the shared report).
    """
    public = {} if public is None else public
    rep, name = src.report, src.spec.name
    fixed, item_cols, fatal = _header(src, qn, qn_given, problems, public)
    if fatal:
        rep.rows = sum(1 for rec in records(src) if rec[2] is None or "".join(rec[2]).strip())
        rep.left_out = rep.rows
        problems.append(Problem(name, 1, _("no row of this file was used ({rows}): fix the first line and run the "
                                           "analysis again").format(rows=rows_count_text(rep.rows))))
        return
    checker = _RowChecker(src, qn, fixed, item_cols, problems, public, known)
    before = sum(len(v) for v in out["values"])
    for rows, starts, ends, errors in chunks(src):
        checker.chunk(rows, starts, ends, errors, out)
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
    ph = phase.tolist()
    if len(set(zip(ph, codes))) == len(codes):
        return None
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
