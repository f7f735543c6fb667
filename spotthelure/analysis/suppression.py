"""What a report may show: no figure about fewer than ``min_cell`` people, and no hidden figure that
can be worked out from the shown ones (secondary suppression of groups, of each group's scores and
of question summaries); the side-effect warnings give no count of fewer than ``min_cell`` people.
"""
from __future__ import annotations

import math

import numpy as np

from ..i18n import _
from .questionnaire import Questionnaire
from .responses import Responses
from .results import WORSE_BY, WORSE_SHARE, Change, GroupResult, ItemSummary, Result
from .statistics import paired
from .words import NO_GROUP, fewer_than, fmt, short_label

def _not_worked_out() -> str:
    return _("not shown, so that a smaller figure cannot be worked out")


def protected_groups(r: Responses, pi, qi, scores, min_cell, overall: dict) -> list[GroupResult]:
    """Each group's results, with small groups (and where needed the next smallest) hidden."""
    # Each matched person's group: the 'before' row's, else the 'after' row's, else "(no group)".
    names = sorted(set(r.groups))
    index = {g: i for i, g in enumerate(names)}
    gid = np.fromiter(map(index.__getitem__, r.groups), np.int64, len(r.groups))
    none = index.get("", -1)
    ga, gb = gid[pi], gid[qi]
    g = np.where(ga != none, ga, gb)
    shown_name = [n or _(NO_GROUP) for n in names]
    final: dict[str, int] = {}
    remap = np.array([final.setdefault(n, len(final)) for n in shown_name], dtype=np.int64)
    who = remap[g] if len(g) else np.zeros(0, dtype=np.int64)
    counts = np.bincount(who, minlength=len(final))
    sizes = {n: int(counts[i]) for n, i in sorted(final.items()) if counts[i]}
    if list(sizes) == [_(NO_GROUP)]:
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
    masks = {g: who == final[g] for g in sizes}
    for g, n in sizes.items():
        if g in hidden:
            out.append(GroupResult(g, False, None, reason=fewer_than(min_cell)))
        elif g in extra:
            out.append(GroupResult(g, False, None, reason=_("not shown, so that a smaller group's results "
                                                            "cannot be worked out from the total")))
        else:
            m = masks[g]
            out.append(GroupResult(g, True, n, {c: paired(c, s[pi][m], s[qi][m], min_cell) for c, s in scores.items()}))
    protect_scores(out, masks, pi, qi, scores, min_cell, overall)
    return out


def protect_scores(groups: list[GroupResult], masks: dict, pi, qi, scores: dict, min_cell: int, overall: dict) -> None:
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
        for n, _name, i in candidates:
            if not (0 < hidden_n < min_cell):
                break
            groups[i].changes[c] = Change(c, False, reason=_not_worked_out())
            hidden_n += n
        if 0 < hidden_n < min_cell:     # cannot happen while the groups add up to the total; stay safe
            overall[c] = Change(c, False, reason=_not_worked_out())


def score_items(qn: Questionnaire) -> dict[int, str]:
    """Item index -> the score it counts towards (as in :func:`.statistics.scores`)."""
    out = {i: "knowledge" for i in qn.index("knowledge", ("single",)) if qn.items[i].correct_number}
    for c in ("confidence", "attitude", "wellbeing"):
        out.update({i: c for i in qn.index(c)})
    return out


def item_summaries(r: Responses, min_cell: int, pi=None, qi=None, scores: dict | None = None) -> list[ItemSummary]:
    """Question by question. In a before-and-after analysis, a question that counts towards a score
    is summarised over the people of that score (matched, with the score both times), so that it
    cannot be set against the score to give away the answers of a few people who filled in one
    form only; and its figure is hidden when between 1 and ``min_cell - 1`` of those people left
    the question blank (the score against the question would give those few people's answers)."""
    qn = r.questionnaire
    phases = [("pre", r.phase == 0), ("post", r.phase == 1)] if qn.pre_post else [("all", np.ones(r.n, dtype=bool))]
    scored = score_items(qn) if qn.pre_post and scores is not None else {}
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
                what, value = _("answered (text not shown)"), math.nan
            elif it.type == "single" and it.correct_number:
                what, value = _("% right"), 100.0 * float((ans == it.correct_number).mean()) if n else math.nan
            elif it.type == "likert":
                what = _("mean answer (1 to 5), lower is better") if it.reverse else _("mean answer (1 to 5)")
                value = float(ans.mean()) if n else math.nan
            elif it.type == "yesno":
                what, value = _("% yes"), 100.0 * float((ans == 1).mean()) if n else math.nan
            else:
                what, value = _("answered"), math.nan
            shown, reason = n >= min_cell, ""
            if shown and population is not None and 0 < population - n < min_cell:
                shown, reason = False, _not_worked_out()
            out.append(ItemSummary(it.id, it.construct, it.type, ph, shown, n if shown else None,
                                   value if shown else math.nan, what, reason))
    return out


def warnings(res: Result) -> list[str]:
    out = []
    for c, ch in res.changes.items():
        if ch.shown and ch.ci_high < 0:
            msg = (_("WARNING: {score} went down after the sessions (more worry): change {change}, 95% CI {low} to {high}.")
                   if c == "wellbeing" else
                   _("WARNING: {score} went down after the sessions (worse): change {change}, 95% CI {low} to {high}."))
            out.append(msg.format(score=short_label(c).lower(), change=fmt(c, ch.diff_mean, True),
                                  low=fmt(c, ch.ci_low, True), high=fmt(c, ch.ci_high, True)))
    w = res.changes.get("wellbeing")
    if w and w.shown and w.n_worse is not None and w.n and w.n_worse / w.n >= WORSE_SHARE:
        out.append(worry_warning(w.n_worse, w.n, res.min_cell))
    for g in res.groups:
        if g.n == res.n_matched:      # one group holding everyone: already said above
            continue
        for c, ch in g.changes.items():
            if ch.shown and ch.ci_high < 0:
                out.append(_("WARNING: in group '{group}', {score} went down after the sessions (change {change}, "
                             "95% CI {low} to {high}).")
                           .format(group=g.name, score=short_label(c).lower(), change=fmt(c, ch.diff_mean, True),
                                   low=fmt(c, ch.ci_low, True), high=fmt(c, ch.ci_high, True)))
    if out:
        out.append(_("Talk this through with your safeguarding lead; check how the sessions were run (fidelity "
                     "checklist) and whether anyone needs support."))
    return out


def worry_warning(n_worse: int, n: int, min_cell: int) -> str:
    """The "more worry" warning; an exact count only when it and the rest are both ``min_cell`` or more."""
    how = _("reported more worry afterwards (wellbeing down by {by} point or more)").format(by=f"{WORSE_BY:g}")
    if n_worse >= min_cell and n - n_worse >= min_cell:
        return _("WARNING: {k} of {n} participants ({share}%) {how}.").format(
            k=n_worse, n=n, share=f"{100 * n_worse / n:.0f}", how=how)
    if n_worse < min_cell:
        return _("WARNING: fewer than {m} of the {n} participants {how}; that is {share}% or more of them (the exact "
                 "number is not shown, to protect privacy).").format(m=min_cell, n=n, how=how,
                                                                      share=round(100 * WORSE_SHARE))
    return _("WARNING: most of the {n} participants (all but fewer than {m}) {how} (the exact number is not shown, "
             "to protect privacy).").format(n=n, m=min_cell, how=how)
