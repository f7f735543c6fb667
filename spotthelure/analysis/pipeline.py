"""One analysis: read and check the answers, match before and after, compute the changes, hide
what could identify a few people, and word the warnings."""
from __future__ import annotations

from pathlib import Path

from ..i18n import _
from ..problems import ContentError, Problem
from .questionnaire import CMDLINE, Questionnaire
from .responses import Responses, read_responses
from .results import MIN_CELL, Change, Result
from .statistics import match, paired, scores
from .suppression import item_summaries, protected_groups, warnings


def analyse(data, questionnaire=None, min_cell: int = MIN_CELL) -> Result:
    """Match before and after by code and summarise the change in each score.

    ``data``: a :class:`Responses`, a list of files (``FILE``, ``pre=FILE``, ``post=FILE``), or a
    list of row dicts (as :func:`spotthelure.analysis.synthetic.synthetic_rows` gives).
    """
    if isinstance(data, Responses):
        r = data
    elif isinstance(data, (list, tuple)) and data and all(isinstance(x, dict) for x in data):
        r = read_responses([], questionnaire, rows=data)
    else:
        r = read_responses(list(data), questionnaire)
    if not isinstance(min_cell, int) or min_cell < 1:
        raise ContentError([Problem(CMDLINE, 1, _("--min-cell must be a whole number, 1 or more"))])
    qn: Questionnaire = r.questionnaire
    pre_rows, post_rows, pi, qi = match(r)
    n_matched = len(pi)
    sc = scores(r) if qn.pre_post else {}
    changes, pairs = {}, {}
    overall = n_matched >= min_cell
    for c, s in sc.items():
        pairs[c] = (s[pi], s[qi])
        changes[c] = paired(c, s[pi], s[qi], min_cell) if overall else Change(c, False)
    groups = protected_groups(r, pi, qi, sc, min_cell, changes) if qn.pre_post and n_matched else []
    items = item_summaries(r, min_cell, pi, qi, sc)
    files = [f.name for f in r.files]
    synthetic = (any("synthetic" in Path(f).name.lower() for f in files)
                 or any(g.lower().startswith("synthetic") for g in set(r.groups)))
    res = Result(qn.id, qn.title, qn.use, min_cell, r.files, r.problems,
                 rows_read=sum(f.rows for f in r.files), rows_used=r.n,
                 rows_left_out=sum(f.left_out for f in r.files), blank_lines=r.blank_lines,
                 n_pre=len(pre_rows), n_post=len(post_rows), n_matched=n_matched,
                 unmatched_pre=len(pre_rows) - n_matched, unmatched_post=len(post_rows) - n_matched,
                 changes=changes, groups=groups, items=items, warnings=[], synthetic=synthetic,
                 paired=pairs if overall else {}, public=r.public)
    res.warnings = warnings(res)
    return res
