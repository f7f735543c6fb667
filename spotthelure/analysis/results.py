"""What an analysis gives: the change of each score, each group's results, each question's
summary, and the counts of the files read. :func:`spotthelure.analysis.analyse` makes a
:class:`Result`; the reports and charts read it."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..problems import Problem
from .questionnaire import SCORED
from .words import score_label

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
        out = []
        for c, ch in scored(self.changes):
            row = {"score": score_label(c), "shown": ch.shown}
            if ch.shown:
                row.update(n=ch.n, before=ch.pre_mean, after=ch.post_mean, change=ch.diff_mean,
                           ci_low=ch.ci_low, ci_high=ch.ci_high, d_z=ch.d_z)
            out.append(row)
        return out
