"""The Sphinx extension on tiny books (tests/books/): each directive, the generated lesson and workshop
pages, warnings at path:line, validate's checks in the build, incremental rebuilds, printables and
downloads, and notebooks re-run only when what they show changed.

Each test builds a copy of a tiny book in a temporary folder (a few seconds a build), never the book.
"""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.book   # every test here builds a tiny test book

from conftest import copy_book, jupyter_book_here, run_here  # the tiny books: tests/books/

LESSON = "book/teachers/ages-12-14/1-how-grooming-works"
WORKSHOP = "book/facilitators/parent-workshop"
PROMPT = "Someone who grooms often starts by being very nice. What usually comes first?"
NEW_PROMPT = "Someone who grooms often starts by being kind. What tends to come first?"


def sphinx_build(book: Path) -> subprocess.CompletedProcess:
    """The strict build itself (what `spotthelure build` runs after validating), so what the extension
    reports on its own is seen (in this process: see conftest.jupyter_book_here)."""
    return jupyter_book_here(book)


def built(book: Path) -> str:
    r = sphinx_build(book)
    out = r.stdout + r.stderr
    assert r.returncode == 0, out[-4000:]
    return out


def warnings(out: str) -> list[str]:
    return [re.sub(r"\x1b\[[0-9;]*m", "", w) for w in re.findall(r"^.*WARNING.*$", out, re.M) if "IPKernelApp" not in w]


def page(book: Path, doc: str) -> str:
    return (book / "_build" / "html" / f"{doc}.html").read_text(encoding="utf-8")


def article(html: str) -> str:
    return html[html.index("<article"):html.index("</article>")]


@pytest.fixture(scope="module")
def basic(tmp_path_factory) -> Path:
    """The tiny book, built once (tests that change it work on their own copy)."""
    book = copy_book("basic", tmp_path_factory.mktemp("basic"))
    built(book)
    return book


# ---- each directive and the generated pages -----------------------------------------------------

def test_lesson_page_is_drawn_from_its_front_matter(basic):
    html = article(page(basic, LESSON))
    assert re.search(r'<section id="how-grooming-works">\s*<h1>How grooming works', html)
    ids = re.findall(r'<section id="([^"]+)">\s*<h2>', html)
    assert ids[:12] == ["objectives", "key-questions", "vocabulary", "materials", "preparation", "lesson-steps",
                        "differentiation", "assessment", "key-points", "follow-up", "home-link", "sources"]
    assert ids[-1] == "a-45-minute-version", "the page's own text comes after the plan, inside its section"
    assert re.findall(r'<section id="(step-\d)">', html) == ["step-1", "step-2", "step-3", "step-4", "step-5"]
    assert "Starter: Ground rules and what makes a good friendship (6 min, 0–6)" in html
    assert '<table class="stl-glance docutils align-default">' in html and "60 minutes" in html
    # the activities, drawn by the renderer at write time, each with its downloads
    for kind, aid in (("handout", "h1214-1-exit-ticket"), ("handout", "h1214-1-staircase-cards"),
                      ("scenario", "sc-1214-new-follower"), ("roleplay", "rp-chat-warning-signs"), ("quiz", "q1214-1")):
        assert re.search(rf'<section (?=[^>]*class="stl-activity stl-{kind}")[^>]*data-stl-id="{aid}"', html), aid
    assert 'Use the quiz in <a class="reference internal" href="#assessment">Assessment</a> below.' in html
    # links resolved by the builder
    assert 'href="../before-you-teach.html#if-a-child-tells-you-something"' in html
    assert 'href="../../how-to-use.html#filling-in-your-local-contacts"' in html
    assert re.search(r'href="\.\./\.\./references\.html#id\d+">Wolak', html), "the Sources citation"
    assert "stl-get-help" in html and "Last reviewed: 2026-12-01." in html


def test_workshop_page_is_drawn_from_its_front_matter(basic):
    html = article(page(basic, WORKSHOP))
    assert "<h1>Talking with children about online grooming and recruitment" in html
    assert re.findall(r'<section id="([^"]+)">\s*<h2>', html)[:6] == [
        "objectives", "agenda", "materials", "preparation", "facilitator-manual", "sources"]
    agenda = html[html.index('id="agenda"'):html.index('id="materials"')]
    assert "<th" in agenda and "0:00–0:10" in agenda and "Times run from the start of the workshop (0:00)." in agenda
    assert "<strong>Activity: What do your children love online?</strong>" in html
    for aid in ("hws-parents-conversation-starters", "hws-parents-message-cards", "rp-parent-conversation",
                "eval-feedback"):
        assert f'id="stl-{aid}"' in html, aid


def test_block_directives(basic):
    cmap = article(page(basic, "book/teachers/curriculum-map"))
    assert '<section id="band-12-14">' in cmap and "1 lessons · 60 minutes" in cmap
    assert 'href="ages-12-14/1-how-grooming-works.html">How grooming works</a>' in cmap
    assert '<section id="topics-across-the-bands">' in cmap and '<p>12–14</p></th>' in cmap
    # the libraries' sections are siblings of the page's other sections (h2), one per audience
    roles = article(page(basic, "book/facilitators/roleplays"))
    assert re.findall(r'<section id="(for-[^"]+)">\s*<h2>', roles) == ["for-12-14", "for-parents"]
    assert 'data-stl-id="rp-chat-warning-signs"' in roles and 'data-stl-id="rp-parent-conversation"' in roles
    assert 'id="stl-eval-feedback"' in article(page(basic, "book/facilitators/evaluation"))
    lst = article(page(basic, "book/teachers/ages-12-14/index"))
    assert 'href="1-how-grooming-works.html">How grooming works</a>' in lst and "stl-lesson-list" in lst
    helpbox = article(page(basic, "book/get-help"))
    assert "stl-get-help" in helpbox and "116 111" in helpbox
    assert re.search(r'href="references\.html#id\d+"', helpbox), "the full box cites its sources"


def test_printables_and_downloads_are_linked_and_present(basic):
    site = basic / "_build" / "html"
    links = 0
    for html_file in site.rglob("*.html"):
        if "_static" in html_file.parts:
            continue
        for block in re.findall(r'<p class="stl-downloads">(.*?)</p>', html_file.read_text(encoding="utf-8")):
            for href in re.findall(r'href="([^"]+)"', block):
                target = (html_file.parent / href).resolve()
                assert target.is_file(), f"{html_file.relative_to(site)}: {href}"
                links += 1
    assert links >= 15   # 10 on the lesson page, 5 on the workshop page, 4 in the libraries
    for name in ("print/q1214-1-worksheet.html", "print/q1214-1-answers.html", "downloads/q1214-1.gift.txt",
                 "downloads/q1214-1.qti.zip", "print/rp-chat-warning-signs-cards.html", "print/h1214-1-exit-ticket.html",
                 "downloads/eval-feedback.csv", "favicon.ico"):
        assert (site / name).is_file(), name


# ---- problems: path:line, and the build fails on what validate refuses --------------------------

def test_an_unknown_activity_is_a_warning_at_its_line(tmp_path):
    book = copy_book("basic", tmp_path)
    (book / "book/get-help.md").write_text("# Get help\n\nText.\n\n```{quiz} q-nowhere\n```\n", encoding="utf-8")
    r = sphinx_build(book)
    assert r.returncode != 0
    found = [w for w in warnings(r.stdout + r.stderr) if "q-nowhere" in w]
    assert found and found[0].startswith(f"{book}/book/get-help.md:5: WARNING: quiz 'q-nowhere' not found"), found
    assert "Traceback" not in r.stdout + r.stderr


def test_validate_cross_file_problems_fail_the_build(tmp_path):
    book = copy_book("basic", tmp_path)
    lesson = book / f"{LESSON}.md"
    text = lesson.read_text(encoding="utf-8")
    lesson.write_text(text.replace("activity: sc-1214-new-follower", "activity: sc-nowhere"), encoding="utf-8")
    line = text[:text.index("activity: sc-1214-new-follower")].count("\n") + 1
    r = sphinx_build(book)
    assert r.returncode != 0
    expect = f"{book}/{LESSON}.md:{line}: WARNING: activity 'sc-nowhere' does not exist under activities/"
    assert expect in warnings(r.stdout + r.stderr), warnings(r.stdout + r.stderr)
    assert "Traceback" not in r.stdout + r.stderr


def test_a_lesson_with_broken_front_matter_is_not_drawn(tmp_path):
    book = copy_book("basic", tmp_path)
    lesson = book / f"{LESSON}.md"
    text = lesson.read_text(encoding="utf-8")
    lesson.write_text(text.replace("  duration: 60\n", "  duration: sixty\n"), encoding="utf-8")
    r = sphinx_build(book)
    assert r.returncode != 0 and "Traceback" not in r.stdout + r.stderr
    assert any(f"{LESSON}.md:" in w and "duration" in w for w in warnings(r.stdout + r.stderr))
    assert "This lesson cannot be shown" in page(book, LESSON)


# ---- what author text can and cannot do ---------------------------------------------------------

def test_front_matter_payloads_stay_text(tmp_path):
    book = copy_book("basic", tmp_path)
    lesson = book / f"{LESSON}.md"
    text = lesson.read_text(encoding="utf-8")
    text = text.replace("  title: How grooming works\n", "  title: \"Warm up <img src=x onerror=alert(1)> | a\"\n", 1)
    text = text.replace("  home_link: >-\n", "  home_link: >-\n    {download}`/../outside.txt` ```{raw} html\n", 1)
    lesson.write_text(text, encoding="utf-8")
    sphinx_build(book)      # validate may warn about the words; the page is drawn all the same
    html = page(book, LESSON)
    assert "<img src=x" not in html and "Warm up &lt;img src=x onerror=alert(1)&gt; | a" in html
    assert "{download}" in html and "```{raw} html" in html
    cmap = page(book, "book/teachers/curriculum-map")
    assert "Warm up &lt;img src=x onerror=alert(1)&gt; | a</a>" in cmap, "a | does not split the map's cell"


# ---- incremental rebuilds -----------------------------------------------------------------------

def test_an_edited_quiz_and_a_new_handout_reach_the_lesson_page(tmp_path):
    book = copy_book("basic", tmp_path)
    built(book)
    quiz = book / "activities/quizzes/q1214-1.yml"
    quiz.write_text(quiz.read_text(encoding="utf-8").replace(PROMPT, NEW_PROMPT), encoding="utf-8")
    out = built(book)
    assert re.search(r"reading sources\.\.\. .*1-how-grooming-works", out, re.S)
    for doc in (LESSON, "book/teachers/curriculum-map"):
        assert "very nice" not in page(book, doc), doc
    assert "being kind" in page(book, LESSON)
    site = book / "_build" / "html"
    for name in ("print/q1214-1-worksheet.html", "downloads/q1214-1.html", "downloads/q1214-1.gift.txt"):
        text = (site / name).read_text(encoding="utf-8").replace("\\", "")
        assert "being kind" in text and "very nice" not in text, name

    src = book / "activities/handouts/h1214-1-exit-ticket.yml"
    new = book / "activities/handouts/h1214-1-zz-new-cards.yml"
    new.write_text(src.read_text(encoding="utf-8").replace("id: h1214-1-exit-ticket", "id: h1214-1-zz-new-cards"),
                   encoding="utf-8")
    built(book)
    assert 'data-stl-id="h1214-1-zz-new-cards"' in page(book, LESSON), "the new handout is on its lesson page"
    assert (site / "print/h1214-1-zz-new-cards.html").is_file()

    src = book / "activities/roleplays/rp-parent-conversation.yml"
    new = book / "activities/roleplays/rp-zz-new.yml"
    new.write_text(src.read_text(encoding="utf-8").replace("id: rp-parent-conversation", "id: rp-zz-new"), encoding="utf-8")
    built(book)
    assert 'id="stl-rp-zz-new"' in page(book, "book/facilitators/roleplays"), "the new role-play is in the library"


def test_nothing_changed_nothing_read_or_rewritten(basic):
    built(basic)                                   # settle (an earlier test may have built it just now)
    site = basic / "_build" / "html"
    files = {p: p.stat().st_mtime_ns for d in ("print", "downloads") for p in (site / d).iterdir()}
    out = re.sub(r"\x1b\[[0-9;]*m", "", built(basic))
    assert "0 added, 0 changed, 0 removed" in out, out[-2000:]
    assert {p: p.stat().st_mtime_ns for p in files} == files, "printables or downloads were written again"


# ---- notebooks: re-run only when what they show changed -----------------------------------------

def test_notebook_reruns_only_when_an_activity_it_shows_changes(tmp_path):
    book = copy_book("notebook", tmp_path)
    first = built(book)
    assert "show-quiz.ipynb: Executing notebook" in first
    # the notebook shows q1214-1 only: a change to another activity keeps its cached outputs
    other = book / "activities/scenarios/sc-1214-new-follower.yml"
    other.write_text(other.read_text(encoding="utf-8").replace("Mateo", "Matteo"), encoding="utf-8")
    out = built(book)
    assert "Executing notebook" not in out
    assert "very nice" in page(book, "notebooks/show-quiz")
    # touching the shown quiz without changing it is no change (fingerprints are content hashes)
    quiz = book / "activities/quizzes/q1214-1.yml"
    quiz.write_text(quiz.read_text(encoding="utf-8"), encoding="utf-8")
    assert "Executing notebook" not in built(book)
    quiz.write_text(quiz.read_text(encoding="utf-8").replace(PROMPT, NEW_PROMPT), encoding="utf-8")
    out = built(book)
    assert "show-quiz.ipynb: Executing notebook" in out
    assert "being kind" in page(book, "notebooks/show-quiz")


def test_notebook_ids_are_read_from_show_and_summary_calls(tmp_path):
    import json
    from spotthelure.sphinx.build_state import notebook_ids, reads_data
    nb = tmp_path / "n.ipynb"

    def write(*cells):
        nb.write_text(json.dumps({"cells": [{"cell_type": "code", "source": c} for c in cells]}), encoding="utf-8")
    write('from spotthelure.notebook import show, summary\nshow("q1-a")', "summary(['q1-a', \"sc-b\"])",
          'print("not-an-id-call")')
    assert notebook_ids(nb) == ["q1-a", "sc-b"] and not reads_data(nb)
    write("%matplotlib inline\nshow('q1')")
    assert notebook_ids(nb) is None, "a cell that is not Python: every activity counts"
    write('rows = charts.load_figures(ROOT / "data/x.csv")')
    assert notebook_ids(nb) == [] and reads_data(nb)


def test_single_page_links_reach_printables_and_downloads(tmp_path):
    book = copy_book("basic", tmp_path)
    r = run_here("build", "--builder", "singlehtml", cwd=book)
    assert r.returncode == 0, (r.stdout + r.stderr)[-3000:]
    site = book / "_build" / "singlehtml"
    pages = [p for p in site.rglob("*.html") if "_static" not in p.parts and "print" not in p.parts
             and "downloads" not in p.parts]
    hrefs = [(p, h) for p in pages for block in re.findall(r'<p class="stl-downloads">(.*?)</p>', p.read_text("utf-8"))
             for h in re.findall(r'href="([^"]+)"', block)]
    assert len(hrefs) >= 15
    for p, href in hrefs:
        assert (p.parent / href).resolve().is_file(), f"{p.relative_to(site)}: {href}"
