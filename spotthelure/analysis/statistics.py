"""Scores, matching before and after by code, and the paired change of a score with its 95%
confidence interval (Student's t) and effect size d_z."""
from __future__ import annotations

import math
from itertools import compress, repeat

import numpy as np

from .responses import Responses
from .results import WORSE_BY, Change
from .tdist import t_quantile


def scores(r: Responses) -> dict[str, np.ndarray]:
    """Each row's score per construct; NaN where none of its questions was answered."""
    qn, V = r.questionnaire, r.values
    out = {}
    k = qn.index("knowledge", ("single",))
    k = [i for i in k if qn.items[i].correct_number]
    if k:
        A = V[:, k]
        answered = (A > 0).sum(axis=1)
        right = (A == np.array([qn.items[i].correct_number for i in k], dtype=np.int8)).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            out["knowledge"] = np.where(answered > 0, 100.0 * right / np.maximum(answered, 1), np.nan)
    for c in ("confidence", "attitude", "wellbeing"):
        idx = qn.index(c)
        if not idx:
            continue
        X = V[:, idx].astype(np.int16)          # small whole numbers: sums are exact
        answered = X > 0
        rev = np.array([bool(qn.items[i].reverse) for i in idx])
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
