"""Handouts as data: validated, printed on their own page, listed with a link under their lesson's materials."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from spotthelure import checks
from spotthelure.project import load_project
from spotthelure.validation import validate_project
from spotthelure.render_print import handout_body, print_page
from spotthelure.yamlload import parse_yaml
from conftest import book_project, copy_book

GOOD = textwrap.dedent("""\
    kind: handout
    id: h-sample
    version: 1
    language: en
    title: Sample cards
    lesson: l911-1
    audience: ["9-11"]
    layout: cards
    for_the_teacher: One set per group.
    cards:
      - from: A classmate
        text: "Good game! <script>x</script>"
      - text: Second card
    """)


def problems(text: str):
    data = parse_yaml(text, "h.yml")
    return [str(p) for p in checks.CHECKERS["handout"](data, "h.yml")]


def test_sample_is_valid():
    assert problems(GOOD) == []


@pytest.mark.parametrize("change, words, line", [
    (("layout: cards", "layout: sheet"), "needs 'sections'", 8),
    (("layout: cards", "layout: poster"), "layout", 8),
    (("for_the_teacher: One set per group.\n", ""), "for_the_teacher", 1),
    (("layout: cards", "layout: cards\nper_page: 4"), "only for layout 'slips'", 9),
    (("  - text: Second card\n", ""), "cards", 10),
])
def test_broken_handouts_are_refused_with_their_line(change, words, line):
    probs = problems(GOOD.replace(*change))
    hits = [p for p in probs if words in p]
    assert hits, probs
    assert hits[0].startswith(f"h.yml:{line}:"), hits


def test_print_has_every_card_escaped_and_no_teacher_note():
    data = parse_yaml(GOOD, "h.yml")
    body = handout_body(data)
    assert body.count('class="stl-ho-card"') == 2
    assert "&lt;script&gt;" in body and "<script>" not in body
    assert "One set per group." not in body     # how to use it is said on the lesson page, not on the paper
    page = print_page([("handout", data)])
    assert page.startswith("<!DOCTYPE html>") and "Sample cards" in page


def test_slips_repeat_per_page():
    text = GOOD.replace("layout: cards", "layout: slips\nper_page: 3").replace(
        'cards:\n  - from: A classmate\n    text: "Good game! <script>x</script>"\n  - text: Second card\n',
        "sections:\n  - heading: Exit ticket\n    text: One thing I can do.\n    lines: 2\n")
    assert problems(text) == []
    assert handout_body(parse_yaml(text, "h.yml")).count('class="ho-slip"') == 3


def test_handout_lesson_must_exist_and_match_band(tmp_path):
    """In the tiny book (its one lesson is l1214-1, for ages 12-14)."""
    book = copy_book("basic", tmp_path)
    d = book / "activities" / "handouts"
    good = GOOD.replace("l911-1", "l1214-1").replace('["9-11"]', '["12-14"]')
    (d / "h-sample.yml").write_text(good, encoding="utf-8")
    assert [str(p) for p in validate_project(load_project(book)) if "h-sample" in str(p)] == []
    (d / "h-sample.yml").write_text(good.replace("l1214-1", "l-none"), encoding="utf-8")
    (d / "h-band.yml").write_text(good.replace("h-sample", "h-band").replace('["12-14"]', '["15-18"]'), encoding="utf-8")
    msgs = [str(p) for p in validate_project(load_project(book))]
    assert any(m.startswith("activities/handouts/h-sample.yml:6:") and "lesson 'l-none' does not exist" in m for m in msgs), msgs
    assert any(m.startswith("activities/handouts/h-band.yml:7:") and "ages 12-14" in m for m in msgs), msgs


def test_every_handout_is_printed_and_listed_on_its_lesson(site):
    pr = book_project()
    handouts = [a for a in pr.activities.values() if a.kind == "handout"]
    assert handouts, "no handouts under activities/handouts"
    for h in handouts:
        printed = site / "print" / f"{h.id}.html"
        assert printed.exists(), printed
        lesson = pr.lessons.get(h.data["lesson"]) or pr.workshops[h.data["lesson"]]   # a lesson's or a workshop's
        page = site / Path(lesson.rel).with_suffix(".html")
        html = page.read_text(encoding="utf-8")
        materials = html[html.index('id="materials"'):html.index('id="preparation"')]
        assert f'id="stl-{h.id}"' in materials, f"{h.id} is not under Materials on {page}"
        assert f'print/{h.id}.html"' in materials
