"""Matching before and after, scores, paired changes with their confidence intervals, question
summaries and the side-effect warnings. What may be shown is decided in :mod:`.suppression`."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import compress, repeat
from pathlib import Path

import numpy as np

from ..i18n import _
from ..problems import ContentError, Problem
from .questionnaire import CMDLINE, SCORED, Questionnaire
from .responses import Responses, read_responses
from .tdist import t_quantile

MIN_CELL = 5
WORSE_BY = 1.0        # a participant "reports more worry" when wellbeing falls by this much or more
WORSE_SHARE = 0.20    # ... and a warning is shown when this share of participants or more do


def scored(changes: dict) -> list:
    """(score, change) for each score that has a change, in SCORED order."""
    return [(c, changes[c]) for c in SCORED if changes.get(c) is not None]


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
        from .report import score_label
        out = []
        for c, ch in scored(self.changes):
            row = {"score": score_label(c), "shown": ch.shown}
            if ch.shown:
                row.update(n=ch.n, before=ch.pre_mean, after=ch.post_mean, change=ch.diff_mean,
                           ci_low=ch.ci_low, ci_high=ch.ci_high, d_z=ch.d_z)
            out.append(row)
        return out

    def summary_text(self) -> str:
        from .report import summary_text
        return summary_text(self)

    def table_html(self) -> str:
        from .report import changes_table_html
        return changes_table_html(self)


def scores(r: Responses) -> dict[str, np.ndarray]:
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
        X = V[:, idx].astype(np.int16)          # small whole numbers: sums are exact
        answered = X > 0
        rev = np.array([qn.items[i].reverse for i in idx])
        if rev.any():
            X = np.where(rev & answered, 6 - X, X)
        cnt = answered.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[c] = np.where(cnt > 0, X.sum(axis=1) / np.maximum(cnt, 1), np.nan)
    return out


def paired(c: str, pre: np.ndarray, post: np.ndarray, min_cell: int) -> Change:
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
        half = t_quantile(0.975, n - 1) * sd / math.sqrt(n)
        ch.ci_low, ch.ci_high = mean - half, mean + half
        ch.d_z = mean / sd if sd > 0 else math.nan
    if c != "knowledge":
        ch.n_worse = int((d <= -WORSE_BY).sum())
    return ch


def match(r: Responses) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(rows before, rows after, matched 'before' rows, their 'after' rows), matched by code."""
    pre_rows = np.flatnonzero(r.phase == 0)
    post_rows = np.flatnonzero(r.phase == 1)
    codes = r.codes
    post_by_code = dict(zip(compress(codes, (r.phase == 1).tolist()), post_rows.tolist()))
    partner = np.fromiter(map(post_by_code.get, compress(codes, (r.phase == 0).tolist()), repeat(-1)),
                          np.int64, len(pre_rows))
    found = partner >= 0
    return pre_rows, post_rows, pre_rows[found], partner[found]


def analyse(data, questionnaire=None, min_cell: int = MIN_CELL) -> Result:
    """Match before and after by code and summarise the change in each score.

    ``data``: a :class:`Responses`, a list of files (``FILE``, ``pre=FILE``, ``post=FILE``), or a
    list of row dicts (as :func:`spotthelure.analysis.synthetic.synthetic_rows` gives).
    """
    from .suppression import item_summaries, protected_groups, warnings
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
