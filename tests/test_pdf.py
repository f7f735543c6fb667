"""Printouts and the whole book as PDF, made with Debian Chromium and read back with poppler."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, book_project, run


def _need(tool):
    path = shutil.which(tool)
    if not path:
        pytest.fail(f"{tool} not found: install Debian's poppler-utils (bash .ci/run does)")
    return path


def pdf_text(pdf: Path) -> str:
    return subprocess.run([_need("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run([_need("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))


def ink(pdf: Path, page: int, tmp: Path) -> float:
    """The share of non-white pixels on one page, rendered at 40 dpi."""
    from PIL import Image
    stem = tmp / f"p{page}"
    subprocess.run([_need("pdftoppm"), "-png", "-r", "40", "-f", str(page), "-l", str(page), "-singlefile",
                    str(pdf), str(stem)], check=True)
    img = Image.open(f"{stem}.png").convert("L")
    dark = sum(1 for v in img.tobytes() if v < 200)
    return dark / (img.width * img.height)


def test_worksheet_and_answer_key_print(tmp_path, chromium):
    quiz = ROOT / "activities" / "quizzes" / "q1214-2.yml"
    ws = tmp_path / "worksheet.html"
    key = tmp_path / "key.html"
    assert run("export", "print", str(quiz), "-o", str(ws), "--pdf", "--chromium", chromium).returncode == 0
    r = run("export", "print", str(quiz), "--answer-key", "-o", str(key), "--pdf", "--chromium", chromium)
    assert r.returncode == 0, r.stderr
    import yaml
    q = yaml.safe_load(quiz.read_text(encoding="utf-8"))
    ws_text, key_text = pdf_text(ws.with_suffix(".pdf")), pdf_text(key.with_suffix(".pdf"))
    squash = lambda s: " ".join(s.split())
    assert q["title"] in squash(ws_text)
    first_prompt = squash(q["items"][0]["prompt"])[:40]
    assert first_prompt in squash(ws_text) and first_prompt in squash(key_text)
    feedback = squash(next(o["feedback"] for o in q["items"][0].get("options", []) if o.get("correct")))[:30]
    assert feedback in squash(key_text), "the answer key carries the feedback"
    assert feedback not in squash(ws_text), "the learner's worksheet does not give the answers away"
    assert ink(ws.with_suffix(".pdf"), 1, tmp_path) > 0.01


def test_roleplay_prints_as_cards(tmp_path, chromium):
    rp = ROOT / "activities" / "roleplays" / "rp-helping-a-friend.yml"
    out = tmp_path / "cards.html"
    r = run("export", "print", str(rp), "-o", str(out), "--pdf", "--chromium", chromium)
    assert r.returncode == 0, r.stderr
    import yaml
    data = yaml.safe_load(rp.read_text(encoding="utf-8"))
    text = " ".join(pdf_text(out.with_suffix(".pdf")).split())
    for role in data["roles"]:
        assert role["name"] in text
    assert " ".join(data["safeguarding"].split())[:60] in text, "the role-play's safeguarding notes are printed"
    assert ink(out.with_suffix(".pdf"), 1, tmp_path) > 0.01


def outline(pdf: Path) -> list[tuple[int, int, str]]:
    """The PDF's bookmarks as (depth, page, title), in order (poppler's pdftohtml -xml). The outline
    is the whole document's whatever pages are asked for: the text of the first page alone is asked
    for (the whole book's text, as XML, takes seconds)."""
    import html
    import re
    xml = subprocess.run([_need("pdftohtml"), "-xml", "-i", "-stdout", "-f", "1", "-l", "1", str(pdf)],
                         capture_output=True, text=True, check=True).stdout
    xml = xml[xml.find("<outline"):] if "<outline" in xml else ""
    out, depth = [], 0
    for m in re.finditer(r'<outline>|</outline>|<item page="(\d+)">(.*?)</item>', xml, re.S):
        if m.group(0) == "<outline>":
            depth += 1
        elif m.group(0) == "</outline>":
            depth -= 1
        else:
            out.append((depth, int(m.group(1)), html.unescape(m.group(2))))
    return out


def _squash(s: str) -> str:
    """Text to compare: no spaces (the PDF's line breaks) and no quotes (the book prints curly ones)."""
    return "".join(s.split()).translate({ord(q): None for q in "\"'“”‘’"})


@pytest.fixture(scope="module")
def book_pdf(site, chromium, tmp_path_factory) -> Path:
    """`spotthelure pdf` on the session's built site (what `make pdf` prints after building it)."""
    pdf = tmp_path_factory.mktemp("bookpdf") / "book.pdf"
    r = subprocess.run([str(ROOT / ".venv" / "bin" / "spotthelure"), "pdf", "--site", str(site), "-o", str(pdf),
                        "--chromium", chromium], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    return pdf


def test_whole_book_pdf(book_pdf, site):
    """`make pdf`: A4, styled (not a bare page), every lesson inside, tagged, and no picture the book
    does not have (an effect Chromium cannot print as lines and text, a blurred shadow round a box,
    prints as a 300 dpi picture the size of the box: 224 of them, a third of the printing time)."""
    info = subprocess.run([_need("pdfinfo"), str(book_pdf)], capture_output=True, text=True, check=True).stdout
    listed = subprocess.run([_need("pdfimages"), "-list", str(book_pdf)], capture_output=True, text=True, check=True).stdout
    pictures = [p for p in site.rglob("*") if p.suffix.lower() in {".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif"}
                and "_static" not in p.parts]
    printed = listed.splitlines()[2:]
    assert len(printed) <= len(pictures), f"{len(printed)} pictures in the PDF, {len(pictures)} in the book:\n" + "\n".join(printed[:5])
    assert "(A4)" in info, info
    assert "Tagged:          yes" in info, info
    assert pdf_pages(book_pdf) > 100
    text = " ".join(pdf_text(book_pdf).split())
    assert "Project name not set" not in text
    for lesson in book_project().lessons.values():
        title = lesson.front["lesson"]["title"]
        assert " ".join(title.split())[:20] in text, f"{lesson.rel} is missing from the book PDF"
    # Styled: the theme's navigation and skip link are not printed on the pages.
    assert text.count("Skip to content") == 0


def _parts() -> list[str]:
    import yaml
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return [p["caption"] for p in toc["parts"]]


def test_book_pdf_bookmarks_parts_chapters_lessons(book_pdf):
    """Every part of the table of contents is a top-level bookmark; every lesson and every student
    module a bookmark under its chapter; and each chat story's comic strip has one."""
    marks = outline(book_pdf)
    assert marks, "the PDF has no bookmarks"
    top = [_squash(t) for d, _p, t in marks if d == 1]
    for part in _parts():
        assert _squash(part) in top, f"no top-level bookmark for the part {part!r}: {top}"
    third = {_squash(t): p for d, p, t in marks if d == 3}
    for lesson in book_project().lessons.values():
        title = _squash(lesson.front["lesson"]["title"])
        assert title in third, f"no bookmark for the lesson {lesson.rel}"
    for band in ("9–11", "12–14", "15–18"):
        assert any(t.startswith(_squash(f"Ages {band}:")) for t in third), f"no bookmark for the student module {band}"
    stories = [a for a in book_project().activities.values() if a.kind == "scenario"]
    comics = [t for d, _p, t in marks if d == 2 and "comic" in t]
    assert len(comics) == len(stories), comics


def test_book_pdf_cover_contents_and_page_numbers(book_pdf):
    """A cover, then contents whose page numbers are where the pages are; "N / M" at each page's foot."""
    total = pdf_pages(book_pdf)
    cover = " ".join(subprocess.run([_need("pdftotext"), "-f", "1", "-l", "1", str(book_pdf), "-"],
                                    capture_output=True, text=True, check=True).stdout.split())
    assert "Spot the Lure" in cover and "CC BY-SA 4.0" in cover and f"1 / {total}" in cover
    contents = subprocess.run([_need("pdftotext"), "-layout", "-f", "2", "-l", "4", str(book_pdf), "-"],
                              capture_output=True, text=True, check=True).stdout
    assert "Contents" in contents
    import re
    lesson = next(iter(book_project().lessons.values())).front["lesson"]["title"]
    line = next((ln for ln in contents.splitlines() if ln.strip().startswith(lesson[:25])), None)
    assert line and re.search(r"\d+\s*$", line), f"no page number for {lesson!r} in the contents"
    page = int(line.split()[-1])
    there = subprocess.run([_need("pdftotext"), "-f", str(page), "-l", str(page), str(book_pdf), "-"],
                           capture_output=True, text=True, check=True).stdout
    assert _squash(lesson)[:20] in _squash(there), f"the contents say page {page} for {lesson!r}"
    assert f"{page} / {total}" in there
    marks = {_squash(t): p for _d, p, t in outline(book_pdf)}
    assert marks[_squash(lesson)] == page, "the bookmark and the contents agree"


def test_book_pdf_student_modules_print_quizzes_and_stories(book_pdf):
    """A student module's pages carry its quiz questions and, for a chat story, every step with
    where each choice leads ("→ go to section N"); not empty headings."""
    import yaml
    marks = outline(book_pdf)
    i = next((i for i, (d, _p, t) in enumerate(marks) if d == 3 and _squash(t).startswith(_squash("Ages 9–11:"))), None)
    assert i is not None, "no bookmark for the student module 9–11"
    first = marks[i][1]
    last = next((p for d, p, _t in marks[i + 1:] if d <= 3), first + 1) - 1
    text = subprocess.run([_need("pdftotext"), "-f", str(first), "-l", str(last), str(book_pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    quiz = yaml.safe_load((ROOT / "activities" / "quizzes" / "q911-1.yml").read_text(encoding="utf-8"))
    assert _squash(quiz["items"][0]["prompt"])[:40] in _squash(text), "a quiz question of the module"
    assert "→ go to section" in text, "a story's choices say where they lead"
    assert "Section 2" in text


NAV = """<div class="sidebar-tree">
<p class="caption" role="heading" aria-level="2"><span class="caption-text">Part &amp; one</span></p>
<ul><li class="toctree-l1 has-children"><a class="reference internal" href="ch/index.html">Chapter</a><ul>
<li class="toctree-l2"><a class="reference internal" href="ch/lesson.html">A lesson</a></li></ul></li></ul>
</div>"""


def _page(title: str, body: str, nav: str = "") -> str:
    return (f'<!DOCTYPE html><html lang="en"><head><title>{title}</title></head><body>{nav}'
            f'<article role="main" id="furo-main-content"><section id="top"><h1>{title}<a class="headerlink" href="#top">#</a></h1>'
            f'{body}</section></article><script src="x.js"></script></body></html>')


def test_book_document_makes_one_document_of_the_pages(tmp_path):
    """The assembler, on a tiny built site: the order from the navigation, ids made unique with the
    page's prefix, links between pages kept inside the document, links to files that are not pages
    left as text, headings moved down to their depth, and no script."""
    from spotthelure.pdf import book_document
    site = tmp_path / "html"
    (site / "book" / "ch").mkdir(parents=True)
    (site / "book" / "index.html").write_text(_page("The book", "<p><strong>Its purpose.</strong></p>", NAV))
    (site / "book" / "ch" / "index.html").write_text(_page(
        "Chapter", '<p><a href="lesson.html#steps">to the steps</a> <a href="../../print/x.html">a print page</a> '
                   '<a href="https://example.org/">outside</a></p><details><summary>s</summary>folded</details>'))
    (site / "book" / "ch" / "lesson.html").write_text(_page(
        "A lesson", '<section id="steps"><h2>Steps</h2><label for="q">Q</label><input id="q">'
                    '<p class="admonition-title" role="heading" aria-level="2">Note</p><img src="../../_images/a.png" alt="a"></section>'))
    html, order = book_document(site, {"pg-book-ch-lesson": 7})
    assert [(e.kind, e.title, e.depth) for e in order] == [
        ("root", "The book", 1), ("part", "Part & one", 1), ("chapter", "Chapter", 2), ("section", "A lesson", 3)]
    assert "Its purpose." in html and "<script" not in html and 'class="headerlink"' not in html
    assert 'id="pg-book-ch-lesson--steps"' in html and 'href="#pg-book-ch-lesson--steps"' in html
    assert 'for="pg-book-ch-lesson--q"' in html and 'id="pg-book-ch-lesson--q"' in html
    assert ">a print page</a>" in html and "print/x.html" not in html, "a link to a file that is not a page is text"
    assert 'href="https://example.org/"' in html
    assert "<details open" in html
    assert '<h2 class="stl-pt">Chapter' in html and '<h3 class="stl-pt">A lesson' in html
    assert '<h4 class="stl-h2">Steps' in html and 'aria-level="4"' in html
    assert (site / "_images" / "a.png").resolve().as_uri() in html
    assert html.index("Chapter") < html.index("A lesson")
    assert ">7</span>" in html, "the contents carry the page numbers they are given"
