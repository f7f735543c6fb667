"""Rebuilding after a change, as an author does: what changed is rebuilt, nothing else, nothing stale.

All tests work on one built copy of the tiny book with its notebook (the ``book_copy`` fixture,
tests/books/) and put back what they change: a lesson, its printables and downloads, and a notebook
that shows the lesson's quiz. (tests/test_sphinx_ext.py checks that a notebook runs again only when
an activity it shows changed.)
"""
from __future__ import annotations

import re

from conftest import build, run_here

PROMPT = "Someone who grooms often starts by being very nice. What usually comes first?"
NEW_PROMPT = "Someone who grooms often starts by being kind. What tends to come first?"


def _site_files(site):
    return {p: p.stat().st_mtime_ns for d in ("print", "downloads") for p in (site / d).iterdir()}


def test_nothing_changed_nothing_rewritten_no_notebook_run(book_copy):
    site = book_copy / "_build" / "html"
    build(book_copy)                       # settle whatever an earlier test changed
    before = _site_files(site)
    out = build(book_copy)
    assert "no targets are out of date" in out
    assert "Executing notebook" not in out
    assert _site_files(site) == before, "printables or downloads were written again"


def test_the_single_page_build_shares_the_notebook_outputs(book_copy):
    build(book_copy)
    out = run_here("build", "--builder", "singlehtml", "--lang", "en", cwd=book_copy)
    assert out.returncode == 0, (out.stdout + out.stderr)[-3000:]
    assert "Executing notebook" not in out.stdout + out.stderr
    assert "Executing notebook" not in build(book_copy)


def test_a_changed_quiz_reaches_its_lesson_printables_downloads_and_student_module(book_copy):
    quiz = book_copy / "activities" / "quizzes" / "q1214-1.yml"
    original = quiz.read_text(encoding="utf-8")
    assert PROMPT in original
    site = book_copy / "_build" / "html"
    pages = [site / "book/teachers/ages-12-14/1-how-grooming-works.html", site / "print/q1214-1-worksheet.html",
             site / "print/q1214-1-answers.html", site / "downloads/q1214-1.html",
             site / "downloads/q1214-1.gift.txt", site / "notebooks/show-quiz.html"]
    try:
        quiz.write_text(original.replace(PROMPT, NEW_PROMPT), encoding="utf-8")
        out = build(book_copy)
        assert "show-quiz.ipynb: Executing notebook" in out, "the student module kept its old outputs"
        for page in pages:
            text = page.read_text(encoding="utf-8")
            assert NEW_PROMPT.split(".")[0] in text.replace("\\", ""), page.name
            assert "very nice" not in text, page.name
    finally:
        quiz.write_text(original, encoding="utf-8")
    build(book_copy)
    assert PROMPT.split(".")[0] in pages[0].read_text(encoding="utf-8")


def test_a_missing_printable_is_written_again(book_copy):
    site = book_copy / "_build" / "html"
    build(book_copy)
    gone = sorted((site / "print").glob("*-cards.html"))[0]
    gone.unlink()
    build(book_copy)
    assert gone.is_file()


def test_a_warning_fails_the_build_with_the_place_and_fails_again_until_mended(book_copy):
    page = book_copy / "book" / "how-to-use.md"
    original = page.read_text(encoding="utf-8")
    try:
        page.write_text(original + "\nSee {cite:p}`no-such-key-2026`.\n", encoding="utf-8")
        line = len(page.read_text(encoding="utf-8").splitlines())
        r = run_here("build", cwd=book_copy)
        assert r.returncode != 0
        # `spotthelure build` validates first, so the place comes from the validator
        assert re.search(rf"how-to-use\.md:{line}: (WARNING: could not find bibtex key \"no-such-key-2026\"|"
                         rf"citation 'no-such-key-2026' is not a key in references\.bib)",
                         r.stdout + r.stderr), (r.stdout + r.stderr)[-3000:]
        assert "Traceback" not in r.stdout + r.stderr
        bad = book_copy / "activities" / "quizzes" / "q1214-1.yml"
        good = bad.read_text(encoding="utf-8")
        try:
            bad.write_text(good.replace("type: single", "type: singel", 1), encoding="utf-8")
            for _ in range(2):                  # the activity problem is reported on every build
                r = run_here("build", cwd=book_copy)
                out = r.stdout + r.stderr
                assert r.returncode != 0
                assert re.search(r"activities/quizzes/q1214-1\.yml:\d+: (WARNING: )?item \S+: type 'singel' is not allowed",
                                 out), out[-3000:]
                assert "Traceback" not in out and "Exception occurred" not in out, out[-3000:]
        finally:
            bad.write_text(good, encoding="utf-8")
    finally:
        page.write_text(original, encoding="utf-8")
    build(book_copy)


def test_the_slides_follow_their_lesson_and_are_left_alone_when_nothing_changed(book_copy):
    """A deck is written again when its lesson changes or it is missing, and not otherwise."""
    site = book_copy / "_build" / "html"
    lesson = book_copy / "book" / "teachers" / "ages-12-14" / "1-how-grooming-works.md"
    build(book_copy)
    decks = sorted((site / "slides").glob("*.html"))
    assert decks, "the tiny book's lesson has a deck"
    deck = decks[0]
    before = deck.stat().st_mtime_ns
    build(book_copy)
    assert deck.stat().st_mtime_ns == before, "a deck was written again with nothing changed"
    original = lesson.read_text(encoding="utf-8")
    assert "title: The trust staircase" in original
    try:
        lesson.write_text(original.replace("title: The trust staircase", "title: The trust ladder"), encoding="utf-8")
        build(book_copy)
        assert "The trust ladder" in deck.read_text(encoding="utf-8")
    finally:
        lesson.write_text(original, encoding="utf-8")
    build(book_copy)
    assert "The trust ladder" not in deck.read_text(encoding="utf-8")
    deck.unlink()
    build(book_copy)
    assert deck.is_file()
