"""local.yml, filled in once: after a rebuild its contacts are in every lesson and on the Get help page.

The default file names only international services, each with a source, and the book shows a
visible "fill in your local contacts" notice. A school's own file replaces the notice with its
safeguarding lead and routes. The last test writes such a file into a built copy of the tiny test
book (tests/books/) and rebuilds it, as a school would: the lesson, the Get help page and the student
module (whose notebook runs again, since what it reads changed) show the school's contacts.
"""
from __future__ import annotations

import re

import yaml

from conftest import ROOT, SITE, book_project, build
from spotthelure.project import load_project

LESSONS = sorted(SITE / (page.rel[:-3] + ".html") for page in book_project().lessons.values())


def test_default_file_names_sourced_international_services_only():
    pr = book_project()
    assert pr.local["filled_in"] is False
    bib = (ROOT / "references.bib").read_text(encoding="utf-8")
    services = [s for k in ("emergency", "reporting_routes", "helplines", "takedown") for s in pr.local.get(k) or []]
    assert len(services) >= 4
    for s in services:
        assert s.get("source"), f"{s['name']} has no source"
        for key in [s["source"]] if isinstance(s["source"], str) else s["source"]:
            assert re.search(r"@\w+\{" + re.escape(key) + ",", bib), f"{key} not in references.bib"


def test_every_lesson_shows_the_box_and_the_notice(site):
    assert len(LESSONS) >= 12
    for page in LESSONS + [site / "book" / "get-help.html"]:
        text = page.read_text(encoding="utf-8")
        assert "stl-get-help" in text, f"{page.name}: no Get help box"
        assert "Fill in your local contacts" in text, f"{page.name}: no notice"
        assert "116 111" in text


def test_filled_in_contacts_reach_every_lesson_after_a_rebuild(book_copy):
    book = book_copy
    original = (book / "local.yml").read_text(encoding="utf-8")
    local = yaml.safe_load((book / "local.yml").read_text(encoding="utf-8"))
    local.update({
        "filled_in": True,
        "organisation": "Riverside School",
        "safeguarding_lead": {"name": "Ms Alvarez", "role": "Designated safeguarding lead",
                              "how_to_reach": "Room 12, or ask any teacher to fetch her"},
        "reporting_routes": [{"name": "Riverside child protection team", "contact": "extension 2040",
                              "for": "Staff reporting a worry the same day",
                              "source": "https://riverside.example/safeguarding-policy"}],
    })
    (book / "local.yml").write_text(yaml.safe_dump(local, allow_unicode=True, sort_keys=False), encoding="utf-8")
    try:
        build(book)
        check_school_contacts(book)
    finally:
        (book / "local.yml").write_text(original, encoding="utf-8")
    build(book)
    assert "Ms Alvarez" not in (book / "_build" / "html" / "book" / "get-help.html").read_text(encoding="utf-8")


def check_school_contacts(book):
    site = book / "_build" / "html"
    lessons = [site / (page.rel[:-3] + ".html") for page in load_project(book).lessons.values()]
    assert lessons
    for page in lessons + [site / "book" / "get-help.html"]:
        text = " ".join(re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8")).split())
        assert "Ms Alvarez" in text and "Room 12, or ask any teacher to fetch her" in text, page.name
        assert "Riverside child protection team" in text and "extension 2040" in text, page.name
        assert "Fill in your local contacts" not in text, page.name
    # The student module's help box reads the same file.
    html = (site / "notebooks" / "show-quiz.html").read_text(encoding="utf-8")
    assert "Ms Alvarez" in html and "Fill in your local contacts" not in html
