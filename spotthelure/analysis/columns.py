"""The columns of a response file: which column holds what (the header), and the quick reading
of a column's cells that the row checks use."""
from __future__ import annotations

import re

import numpy as np

from ..i18n import _, ngettext
from ..problems import Problem
from .questionnaire import FIXED, Questionnaire
from .sources import MOODLE_RESPONSE, Source

ABSENT = -1          # a cell that is not a known answer (the row is looked at on its own)
_SPACE = re.compile(r"\s")


def read_header(src: Source, qn: Questionnaire, qn_given: bool, P: list, public: dict):
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


def digit_table(lk: dict) -> np.ndarray | None:
    """A byte -> answer table when every answer of ``lk`` but the blank is one ASCII character."""
    table = np.full(256, ABSENT, dtype=np.int8)
    for key, v in lk.items():
        if key == "":
            continue
        if len(key) != 1 or not key.isascii():
            return None
        table[ord(key)] = v
    return table


def single_chars(col: list[str], table: np.ndarray) -> np.ndarray:
    """``table`` looked up for each cell that is one ASCII character; 0 for a blank cell;
    ``ABSENT`` for any other cell. All in numpy: the cells are joined with NUL, which no cell
    holds when there are as many NULs as gaps (otherwise each cell is looked up on its own)."""
    n = len(col)
    if not n:
        return np.zeros(0, dtype=np.int8)
    joined = "\x00".join(col)
    if joined.count("\x00") != n - 1:
        lk = {chr(b): int(v) for b, v in enumerate(table.tolist()) if v != ABSENT}
        lk[""] = 0
        return np.fromiter((lk.get(v, ABSENT) for v in col), np.int8, n)
    b = np.frombuffer((joined + "\x00").encode("utf-8", "surrogatepass"), dtype=np.uint8)
    ends = np.flatnonzero(b == 0)
    starts = np.empty(n, dtype=np.int64)
    starts[0] = 0
    starts[1:] = ends[:-1] + 1
    length = ends - starts
    out = np.full(n, ABSENT, dtype=np.int8)
    out[length == 0] = 0
    one = length == 1
    out[one] = table[b[starts[one]]]
    return out


def has_space(s: str) -> bool:
    """Whether ``s`` holds a character that ``str.split()`` splits at (``\\s`` is ``str.isspace``)."""
    return _SPACE.search(s) is not None
