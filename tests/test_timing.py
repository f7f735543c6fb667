"""Lesson timing: role-play slots that fit their role-play, and a 45-minute path for every lesson."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import book_project, copy_book, run_here
from spotthelure.check_timing import SHORT_PATH_MINUTES, check_timing

PR = book_project()
LESSONS = sorted(PR.lessons.values(), key=lambda p: p.rel)


def test_book_lessons_have_no_timing_problems():
    assert [str(p) for p in check_timing(PR)] == []


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.rel.rsplit("/", 1)[-1])
def test_every_lesson_has_a_45_minute_path_that_keeps_start_rehearsal_and_close(lesson):
    steps = lesson.front["lesson"]["steps"]
    short = [s.get("minutes_45") for s in steps]
    assert None not in short, f"{lesson.rel}: every step needs minutes_45"
    assert sum(short) == SHORT_PATH_MINUTES
    assert short[0] > 0 and short[-1] > 0
    kinds = {s["activity"]: PR.activities[s["activity"]].kind for s in steps
             if s.get("activity") in PR.activities}
    rehearsals = [s for s in steps if kinds.get(s.get("activity")) in ("scenario", "roleplay")]
    if rehearsals:
        assert any(s["minutes_45"] > 0 for s in rehearsals)
    # The page tells the teacher how to run it.
    assert "45-minute" in lesson.body, f"{lesson.rel}: describe the 45-minute path in the page body"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.rel.rsplit("/", 1)[-1])
def test_role_play_steps_are_at_least_the_role_play_and_say_how_to_close_it(lesson):
    for s in lesson.front["lesson"]["steps"]:
        a = PR.activities.get(s.get("activity", ""))
        if a is not None and a.kind == "roleplay":
            assert s["minutes"] >= a.data["duration"], (lesson.rel, s["title"])
            text = " ".join(s["do"]).lower()
            assert "debrief" in text and "out of role" in text, (lesson.rel, s["title"])


def _copy(tmp_path: Path) -> Path:
    """The tiny book (its 12-14 lesson 1 is the book's, with its role-play): a book to break."""
    return copy_book("basic", tmp_path)


def _edit(path: Path, old: str, new: str) -> int:
    """Replace the first ``old`` and return the 1-based line where it was."""
    text = path.read_text(encoding="utf-8")
    at = text.index(old)
    path.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")
    return text[:at].count("\n") + 1


LESSON_RP = "book/teachers/ages-12-14/1-how-grooming-works.md"


def _roleplay_minutes_line(text: str) -> str:
    m = re.search(r"^      minutes: (\d+)\n      minutes_45: \d+\n      activity: rp-", text, re.M)
    assert m, "the 12-14 lesson 1 runs a role-play"
    return m.group(0).split("\n")[0]


def test_validate_reports_a_role_play_step_shorter_than_the_role_play(tmp_path):
    book = _copy(tmp_path)
    page = book / LESSON_RP
    text = page.read_text(encoding="utf-8")
    old = _roleplay_minutes_line(text)
    line = _edit(page, old, "      minutes: 10")
    # Keep the full lesson adding up, so that the only problem is the short slot.
    r = run_here("validate", cwd=book)
    assert r.returncode != 0
    out = r.stdout + r.stderr
    assert "Traceback" not in out
    assert re.search(rf"{re.escape(LESSON_RP)}:{line}: step \d \('[^']+'\) gives role-play 'rp-chat-warning-signs' "
                     r"10 minutes, but it lasts \d+", out), out


def test_validate_reports_a_45_minute_path_that_drops_the_close_and_does_not_add_up(tmp_path):
    book = _copy(tmp_path)
    page = book / LESSON_RP
    text = page.read_text(encoding="utf-8")
    # The plenary is the last step; its minutes_45 is the last one in the file.
    last = list(re.finditer(r"^      minutes_45: (\d+)$", text, re.M))[-1]
    page.write_text(text[:last.start()] + "      minutes_45: 0" + text[last.end():], encoding="utf-8")
    line = text[:last.start()].count("\n") + 1
    r = run_here("validate", cwd=book)
    out = r.stdout + r.stderr
    assert r.returncode != 0 and "Traceback" not in out
    assert f"{LESSON_RP}:{line}: the 45-minute path drops the last step" in out, out
    assert re.search(rf"{re.escape(LESSON_RP)}:\d+: the 45-minute path \(minutes_45\) adds up to \d+ minutes, not 45", out), out


def test_validate_reports_a_partial_45_minute_path(tmp_path):
    book = _copy(tmp_path)
    page = book / LESSON_RP
    text = page.read_text(encoding="utf-8")
    first = re.search(r"^      minutes_45: \d+\n", text, re.M)
    page.write_text(text[:first.start()] + text[first.end():], encoding="utf-8")
    r = run_here("validate", cwd=book)
    out = r.stdout + r.stderr
    assert r.returncode != 0 and "Traceback" not in out
    assert re.search(rf"{re.escape(LESSON_RP)}:\d+: step 1 \('[^']+'\) has no minutes_45", out), out


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.rel.rsplit("/", 1)[-1])
def test_the_45_minute_timings_in_the_page_body_match_the_front_matter(lesson):
    section = lesson.body.split("## A 45-minute version", 1)[1].split("\n## ", 1)[0]
    listed = re.findall(r"^- (.+?): (\d+) min(?: \(full lesson: \d+ min\))?$", section, re.M)
    kept = [(s["title"], s["minutes_45"]) for s in lesson.front["lesson"]["steps"] if s["minutes_45"] > 0]
    assert [(t, int(m)) for t, m in listed] == kept
