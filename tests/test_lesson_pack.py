"""Lesson packs (issue 14, point 1): one file a teacher prints for a lesson.

Unit tier: what a pack holds, in what order, escaped; the command's messages. Browser tier (one test):
a real PDF from Chromium, read back with poppler: page N of M on every page, each printable starting a
page, A4 by default and Letter when asked, the Get help box."""
from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import ROOT, book_project, run, run_here

LESSON = "book/teachers/ages-12-14/3-easy-money.md"


def _page(rel=LESSON):
    return book_project().pages[rel]


def _sections(html: str) -> list[str]:
    """The pack's parts, in order: the HTML of each <section class="pack-part ...">."""
    body = html.split("<main", 1)[1]
    return re.split(r'<section class="pack-part ', body)[1:]


def test_a_pack_holds_what_the_lesson_uses_from_its_data():
    from spotthelure.lesson_pack import lesson_activities, lesson_model
    pr = book_project()
    L = lesson_model(_page())
    got = [(fmt, a.id) for fmt, a in lesson_activities(pr, L)]
    handouts = sorted(a.id for a in pr.activities.values() if a.kind == "handout" and a.data.get("lesson") == L.id)
    assert handouts and [aid for fmt, aid in got if fmt == "handout"] == handouts
    step_acts = [s.activity for s in L.steps if s.activity and s.activity != L.assessment.quiz]
    assert ("paper", "sc-1214-easy-money") in got and ("cards", "rp-gang-job-offer") in got
    assert {aid for fmt, aid in got if fmt in ("paper", "cards")} == set(step_acts)
    assert got[-2:] == [("worksheet", L.assessment.quiz), ("answers", L.assessment.quiz)]


def test_pack_page_run_sheet_then_each_printable_in_its_own_part():
    from spotthelure.lesson_pack import lesson_model, pack_page, pack_parts
    pr = book_project()
    page = _page()
    L = lesson_model(page)
    html = pack_page(pr, page)
    parts = pack_parts(pr, page)
    sections = _sections(html)
    assert len(sections) == 1 + len(parts)
    run = sections[0]
    assert run.startswith("pack-run-sheet")
    # The timeline: one row a step, with its clock time, what to do and what to say.
    t = 0
    for s in L.steps:
        assert f"{t}–{t + s.minutes} min" in run
        t += s.minutes
    assert run.count("<tr>") == len(L.steps) + 1
    assert "Safeguarding: read before you teach" in run and "Get help" in run
    assert "Brief your designated safeguarding lead:" in run
    kinds = [re.match(r"pack-part pack-([\w-]+)|pack-([\w-]+)", s).group(2) for s in sections[1:]]
    assert kinds == [p.kind for p in parts]
    assert kinds[-1] == "letter"
    assert "Letter to parents and carers" in sections[-1] and "After this lesson:" in sections[-1]
    # Learners' sheets carry the help line; the teacher's answer key does not need it.
    for s, p in zip(sections[1:], parts):
        assert ("stl-help-line" in s) == p.learners
    css = (ROOT / "spotthelure/templates/print.css").read_text(encoding="utf-8")
    assert re.search(r"\.pack-part \+ \.pack-part\s*\{[^}]*break-before:\s*page", css)
    assert "<script" not in html


def test_only_the_last_lesson_of_a_band_adds_the_take_home_sheet():
    from spotthelure.lesson_pack import home_pages
    pr = book_project()
    kinds = {p.rel: [k for k, _ in home_pages(pr, p)] for p in pr.lessons.values() if "ages-9-11" in p.rel}
    assert kinds["book/teachers/ages-9-11/4-getting-help-and-helping-a-friend.md"] == ["letter", "take-home"]
    assert kinds["book/teachers/ages-9-11/1-friendly-or-tricky.md"] == ["letter"]


def test_paper_size_a4_by_default_letter_when_asked():
    from spotthelure.lesson_pack import pack_page
    a4 = pack_page(book_project(), _page())
    letter = pack_page(book_project(), _page(), paper="letter")
    assert "@page { size: letter; }" in letter and "@page { size: letter; }" not in a4
    assert "size: A4" in a4


def test_letter_text_is_escaped_and_only_known_myst_is_read():
    from spotthelure.lesson_pack import letter_html
    pr = book_project()
    key = sorted(pr.bib_keys)[0]
    body = ("# Dear <b>families</b>\n\nA <script>alert(1)</script> line, a {raw}`<i>x</i>` role and a fact "
            f"{{cite}}`{key}`.\n\n```{{raw}} html\n<img src=x onerror=alert(1)>\n```\n\n"
            "```{local-contacts}\n```\n\n- a [link](javascript:alert(1))\n")
    page = replace(_page("book/teachers/ages-12-14/letter-to-parents.md"), body=body)
    html, title = letter_html(pr, page, "12-14")
    assert "<script" not in html and "<img" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x" in html
    assert 'href="javascript' not in html
    assert "[1]" in html and "Sources" in html, "the citation is numbered and its source listed"
    assert html.count("stl-get-help") == 1, "the Get help box where {local-contacts} stands, once"
    assert title == "Dear <b>families</b>"       # plain text: the template escapes it


def test_footer_escapes_the_title_and_counts_pages():
    from spotthelure.lesson_pack import footer_html
    f = footer_html("A <b>bold</b> & title")
    assert "<b>" not in f and "&lt;b&gt;" in f and "&amp;" in f
    assert '<span class="pageNumber"></span>' in f and '<span class="totalPages"></span>' in f


def test_export_pack_refuses_a_page_that_is_not_a_lesson(tmp_path):
    for bad, expect in (("book/teachers/ages-12-14/letter-to-parents.md", "not a lesson page"),
                        ("book/teachers/nope.md", "no such file")):
        r = run_here("export", "pack", bad, "-o", str(tmp_path / "x.html"))
        assert r.returncode == 1 and "Traceback" not in r.stderr
        assert f"{bad}:1: " in r.stderr and expect in r.stderr, r.stderr
    r = run_here("export", "pack", LESSON, "--pdf")
    assert r.returncode == 1 and "add -o FILE.html" in r.stderr
    assert not (tmp_path / "x.html").exists()


def test_lesson_page_says_how_to_make_its_pack(site):
    """The book ships no PDFs, so a lesson page links no pack; it says how to make one, and where it goes."""
    page = (site / "book/teachers/ages-12-14/3-easy-money.html").read_text(encoding="utf-8")
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "Lesson pack:" in text and "make print" in text and "_build/print/lessons/l1214-3.pdf" in text
    assert "lessons/l1214-3.pdf\"" not in page, "no link to a file the book does not ship"


# --------------------------------------------------------------------------- browser tier

def _tool(name):
    path = shutil.which(name)
    if not path:
        pytest.fail(f"{name} not found: install Debian's poppler-utils")
    return path


def _page_texts(pdf: Path) -> list[str]:
    out = subprocess.run([_tool("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return out.split("\f")[:-1] if out.endswith("\f") else out.split("\f")


def _size(pdf: Path) -> tuple[float, float]:
    info = subprocess.run([_tool("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    m = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    return float(m.group(1)), float(m.group(2))


@pytest.mark.slow
def test_lesson_pack_pdf_pages(tmp_path, chromium):
    from spotthelure.lesson_pack import lesson_model, pack_parts
    lesson = "book/teachers/ages-9-11/2-safe-and-unsafe-secrets.md"
    out = tmp_path / "pack.html"
    # as a program: Playwright's synchronous API cannot start inside a test process whose browser runs already
    r = run("export", "pack", lesson, "-o", str(out), "--pdf", "--chromium", chromium)
    assert r.returncode == 0, r.stderr
    pdf = out.with_suffix(".pdf")
    w, h = _size(pdf)
    assert abs(w - 595) < 2 and abs(h - 842) < 2, (w, h)           # A4
    pages = _page_texts(pdf)
    n = len(pages)
    assert n > 5
    for i, text in enumerate(pages, 1):
        assert f"page {i} of {n}" in " ".join(text.split()), f"page {i} has no 'page {i} of {n}'"
    # Each printable starts a page: its heading is at the top of some page (after the learners' help line).
    from spotthelure.helpbox import help_line_html
    from spotthelure.text import plain
    line = " ".join(re.sub(r"<[^>]+>", " ", help_line_html(book_project(), "9-11")).split())
    line = line.replace("&amp;", "&")
    tops = []
    for t in pages:
        t = " ".join(t.split())
        if t.startswith("Get help."):
            assert t.startswith(line), "the help line opens the sheet whole"
            t = t[len(line):].strip()
        tops.append(" ".join(t.split()[:40]))
    parts = pack_parts(book_project(), book_project().pages[lesson])
    for p in parts:
        first = re.sub(r"<[^>]+>", " ", re.search(r"<h1[^>]*>(.*?)</h1>|<strong>(.*?)</strong>", p.html, re.S).group(0))
        head = " ".join(plain(first).split())[:25]
        assert any(t.startswith(head) or t.startswith("LESSON PACK") and head in t for t in tops), \
            f"{p.kind} '{head}' does not start a page"
    whole = " ".join(" ".join(pages).split())
    assert "Get help" in whole and "116 111" in whole
    assert lesson_model(book_project().pages[lesson]).title.split()[0] in pages[0]
    # Letter when asked.
    out2 = tmp_path / "pack-letter.html"
    r = run("export", "pack", lesson, "-o", str(out2), "--pdf", "--paper", "letter", "--chromium", chromium)
    assert r.returncode == 0, r.stderr
    w, h = _size(out2.with_suffix(".pdf"))
    assert abs(w - 612) < 2 and abs(h - 792) < 2, (w, h)
