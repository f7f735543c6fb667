"""Timing checks for lesson plans: role-play slots that fit, and a 45-minute path.

A role-play needs time for setting up groups, the scenes, the debrief and stepping out of
role; when a lesson step is shorter than the role-play's ``duration``, teachers cut the debrief
and the de-roling first, which are the two safety steps. So a step whose ``activity`` is a
role-play must give it at least its ``duration``.

Many schools have 45-minute periods. A lesson may give every step a ``minutes_45`` (0 drops
the step): the short path must add up to 45, keep the safeguarding start (the first step) and
the help close (the last step), keep at least one rehearsal (a chat story or role-play) when
the lesson has one, and still give a kept role-play its full duration.
"""
from __future__ import annotations

from . import checks
from .i18n import _
from .problems import Problem

SHORT_PATH_MINUTES = 45
REHEARSAL_KINDS = ("scenario", "roleplay")


def check_timing(pr) -> list[Problem]:
    """Every timing problem in the project's lesson plans, each with ``path:line``."""
    P: list[Problem] = []
    for page in pr.lessons.values():
        lesson = page.front.get("lesson")
        if isinstance(lesson, dict):
            P += _lesson_timing(pr, page.rel, page.front, lesson)
    return P


def _lesson_timing(pr, rel: str, fm, lesson: dict) -> list[Problem]:
    P: list[Problem] = []
    steps = lesson.get("steps")
    if not isinstance(steps, list):
        return P

    def loc(*ks) -> int:
        return checks.locate(fm, ["lesson", "steps", *ks])

    def activity_of(step):
        aid = step.get("activity")
        return pr.activities.get(aid) if isinstance(aid, str) else None

    def roleplay_minutes(a) -> int | None:
        d = a.data.get("duration") if a is not None and a.kind == "roleplay" else None
        return d if isinstance(d, int) and not isinstance(d, bool) else None

    # 1. A role-play step is at least as long as the role-play.
    for i, s in enumerate(steps):
        if not isinstance(s, dict):
            continue
        a, m = activity_of(s), s.get("minutes")
        need = roleplay_minutes(a)
        if need is not None and _is_int(m) and m < need:
            P.append(Problem(rel, loc(i, "minutes"),
                             _("step {n} ('{title}') gives role-play '{id}' {m} minutes, but it lasts {need} ({rel}: "
                                "duration); give the step at least {need} minutes so that setting up, the debrief and "
                                "stepping out of role fit").format(
                                    n=i + 1, title=s.get('title'), id=a.id, m=m, need=need, rel=a.rel)))

    # 2. The 45-minute path, when the lesson gives one.
    dicts = [(i, s) for i, s in enumerate(steps) if isinstance(s, dict)]
    given = [(i, s) for i, s in dicts if "minutes_45" in s]
    if not given:
        return P
    missing = [(i, s) for i, s in dicts if "minutes_45" not in s]
    for i, s in missing:
        P.append(Problem(rel, loc(i), _("step {n} ('{title}') has no minutes_45; once one step has it, every step needs it (0 "
                                         "drops the step from the 45-minute path)").format(
                                             n=i + 1, title=s.get('title'))))
    short = {i: s["minutes_45"] for i, s in given if _is_int(s["minutes_45"])}
    for i, s in given:
        v, m = s["minutes_45"], s.get("minutes")
        if not _is_int(v) or v < 0:
            continue  # the schema reports it
        if _is_int(m) and v > m:
            P.append(Problem(rel, loc(i, "minutes_45"),
                             _("step {n}: minutes_45 is {v}, longer than the step's {m} minutes in the full lesson").format(
                                 n=i + 1, v=v, m=m)))
        need = roleplay_minutes(activity_of(s))
        if need is not None and 0 < v < need:
            P.append(Problem(rel, loc(i, "minutes_45"),
                             _("step {n}: the 45-minute path gives role-play '{activity}' {v} minutes, but it lasts "
                                "{need}; give it at least {need} or drop it (0) and keep another rehearsal").format(
                                    n=i + 1, activity=s.get('activity'), v=v, need=need)))
    if missing:
        return P
    total = sum(short.values())
    if len(short) == len(dicts) and total != SHORT_PATH_MINUTES:
        P.append(Problem(rel, loc(), _("the 45-minute path (minutes_45) adds up to {total} minutes, not {minutes}").format(
            total=total, minutes=SHORT_PATH_MINUTES)))
    first, last = dicts[0][0], dicts[-1][0]
    if short.get(first) == 0:
        P.append(Problem(rel, loc(first, "minutes_45"),
                         _("the 45-minute path drops the first step; keep the start (ground rules, opt-out, "
                            "safeguarding)")))
    if short.get(last) == 0:
        P.append(Problem(rel, loc(last, "minutes_45"),
                         _("the 45-minute path drops the last step; keep the close (where to get help, how to tell)")))
    rehearsals = [i for i, s in dicts if (a := activity_of(s)) is not None and a.kind in REHEARSAL_KINDS]
    if rehearsals and not any(short.get(i, 0) > 0 for i in rehearsals):
        P.append(Problem(rel, loc(rehearsals[0], "minutes_45"),
                         _("the 45-minute path drops every chat story and role-play; keep at least one rehearsal")))
    return P


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)
