"""The curriculum as a teacher receives it: every built lesson page is complete and its timings add up."""
from __future__ import annotations

import re
from collections import Counter

import pytest

from conftest import ROOT, book_project

PR = book_project()
LESSONS = sorted(PR.lessons.values(), key=lambda p: p.rel)
SECTIONS = ["Objectives", "Key questions", "Vocabulary", "Materials", "Preparation", "Lesson steps",
            "Differentiation", "Assessment", "Key points", "Follow-up", "Home link", "Sources"]
STEP = re.compile(r"<h3[^>]*>\s*(Starter|Main activity|Plenary)[^<]*?\((\d+) min, (\d+)–(\d+)\)")


def _text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    return text.replace("“", '"').replace("”", '"').replace("’", "'").replace("&quot;", '"').replace("&#x27;", "'")


def test_at_least_four_lessons_per_band_of_45_to_60_minutes():
    bands = Counter(p.front["lesson"]["age_band"] for p in LESSONS)
    assert set(bands) == {"9-11", "12-14", "15-18"}
    assert all(n >= 4 for n in bands.values()) and sum(bands.values()) >= 12
    for p in LESSONS:
        assert 45 <= p.front["lesson"]["duration"] <= 60, p.rel


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.rel.rsplit("/", 1)[-1])
def test_built_lesson_page_is_complete(site, lesson):
    meta = lesson.front["lesson"]
    page = site / (lesson.rel[:-3] + ".html")
    html = page.read_text(encoding="utf-8")
    headings = [_text(h) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", html, re.S)]
    for s in SECTIONS:
        assert any(h.startswith(s) for h in headings), f"{page.name}: no '{s}' section"
    # Timed steps: a starter first, a plenary last, minutes that add up without gaps to the duration.
    steps = STEP.findall(html)
    assert steps and steps[0][0] == "Starter" and steps[-1][0] == "Plenary", steps
    assert sum(int(m) for _, m, _, _ in steps) == meta["duration"]
    t = 0
    for _, minutes, start, end in steps:
        assert int(start) == t and int(end) == t + int(minutes), f"{page.name}: steps do not follow on at {start}"
        t = int(end)
    # The lesson's quiz, with every objective assessed; the safeguarding notes; the Get help box.
    quiz = PR.activity(meta["assessment"]["quiz"], "quiz").data
    assert len(quiz["items"]) >= 8
    assert f'data-stl-kind="quiz" data-stl-id="{quiz["id"]}"' in html, f"{page.name}: its quiz is not on the page"
    # every item of the quiz, as a form of its own
    for it in quiz["items"]:
        assert f'<form class="stl-item" id="stl-{quiz["id"]}-{it["id"]}"' in html, f"{page.name}: item {it['id']} missing"
    assessed = {o for it in quiz["items"] for o in it.get("objectives", [])}
    assert {o["id"] for o in meta["objectives"]} <= assessed
    text = _text(html)
    assert "stl-get-help" in html and "not in trouble" in text
    assert "safeguarding lead" in text.lower()
    assert "exit ticket" in text.lower()


def test_every_band_has_a_chat_story_or_role_play_in_its_lessons(site):
    for band in ("9-11", "12-14", "15-18"):
        pages = [site / (p.rel[:-3] + ".html") for p in LESSONS if p.front["lesson"]["age_band"] == band]
        html = "".join(p.read_text(encoding="utf-8") for p in pages)
        assert "stl-scenario" in html and "stl-roleplay" in html, band


def test_curriculum_map_lists_every_lesson_and_objective(site):
    html = (site / "book" / "teachers" / "curriculum-map.html").read_text(encoding="utf-8")
    text = _text(html)
    for p in LESSONS:
        meta = p.front["lesson"]
        title = " ".join(meta["title"].split()).replace("“", '"').replace("”", '"').replace("’", "'")
        assert title[:25] in text, title
        assert f"{meta['duration']}" in text
    assert text.count("Learners can") >= sum(len(p.front["lesson"]["objectives"]) for p in LESSONS)
