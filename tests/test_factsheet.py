"""Country fact sheets: `spotthelure factsheet CODE -o FILE [--pdf]`.

The sheet shows each figure with its source, page and year, the country's help contacts, what the
book offers in the country's languages and advice for media and decision makers; a country with
no figure gets "no sourced figure yet"; a figure without a year or source is refused as
path:line. Author text is escaped. The PDF is printed by Chromium on two A4 pages, looked at as PNG.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, copy_content, run_here
from spotthelure.factsheet import render

CHROMIUM = Path("/usr/bin/chromium")


def run(book: Path, *args):
    return run_here("factsheet", *args, cwd=book)


def test_sheet_shows_figures_with_source_year_and_the_help_contacts():
    html = render(ROOT, "SE")
    assert "1,462 tips" in html and "Year: 2021" in html
    assert "https://drottningsilviasstiftelse.se/projekt/ecpat/?lang=en" in html.replace("&amp;", "&")
    assert "Bris (Children&#39;s Rights in Society)" in html and "116 111 or bris.se" in html
    assert "ecpat.se/hotline" in html and "checked 2026-12-01" in html
    # Swedish content exists as a draft: the sheet says so, and says it is not yet reviewed
    assert "Swedish: the book is available in this language as a draft translation, not yet reviewed" in html
    assert "media and decision makers" in html
    assert "No sourced figure yet" not in html
    assert '<html lang="en" dir="ltr">' in html


def test_a_bib_key_source_is_shown_with_its_title_and_address():
    html = render(ROOT, "UA")
    assert "Experts join forces during hackathon against human trafficking" in html
    assert "renate-europe.net" in html


def test_a_country_without_figures_says_so_rather_than_invent():
    html = render(ROOT, "GB")
    assert "No sourced figure yet" in html
    assert "Childline (NSPCC)" in html and "0800 1111" in html
    # Kinds without a sourced national entry say so too.
    html = render(ROOT, "XK")
    assert html.count("No sourced national entry yet") == 3


@pytest.mark.parametrize("field", ["year", "source", "page"])
def test_a_figure_without_year_source_or_page_is_refused(tmp_path, field):
    book = copy_content(tmp_path / "book")
    me = book / "data" / "countries" / "ME.yml"
    lines = me.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, l in enumerate(lines) if "- id: me-sos-calls-2019" in l)
    cut = next(i for i in range(start, len(lines)) if lines[i].strip().startswith(field + ":"))
    del lines[cut]
    me.write_text("".join(lines), encoding="utf-8")
    r = run(book, "ME", "-o", str(tmp_path / "me.html"))
    assert r.returncode == 1
    assert f"data/countries/ME.yml:{start + 1}: figures[1]: missing field '{field}'" in r.stderr
    assert "Traceback" not in r.stderr
    assert not (tmp_path / "me.html").exists()


def test_author_text_is_escaped(tmp_path):
    book = copy_content(tmp_path / "book")
    rs = book / "data" / "countries" / "RS.yml"
    text = rs.read_text(encoding="utf-8").replace("held 3,625 chat sessions", "held <script>alert(1)</script> sessions")
    rs.write_text(text, encoding="utf-8")
    html = render(book, "RS")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_an_unknown_country_is_a_problem_not_a_traceback(tmp_path):
    r = run(ROOT, "ZZ", "-o", str(tmp_path / "zz.html"))
    assert r.returncode == 1
    assert "data/countries/ZZ.yml:1: country 'ZZ' has no file" in r.stderr
    assert "Traceback" not in r.stderr


def test_the_sheet_cannot_overwrite_a_country_file(tmp_path):
    book = copy_content(tmp_path / "book")
    target = book / "data" / "countries" / "SE.yml"
    before = target.read_bytes()
    r = run(book, "SE", "-o", str(target))
    assert r.returncode == 1 and target.read_bytes() == before


@pytest.mark.skipif(not CHROMIUM.exists() or not shutil.which("pdftoppm"), reason="needs Chromium and poppler")
@pytest.mark.parametrize("code", ["SE", "GB"])
def test_pdf_is_two_a4_pages(tmp_path, code):
    out = tmp_path / f"{code}.html"
    r = run(ROOT, code, "-o", str(out), "--pdf")
    assert r.returncode == 0, r.stderr
    pdf = out.with_suffix(".pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "Pages:          2" in info or "Pages:           2" in info, info
    assert "595.2" in info and "841.9" in info or "A4" in info, info          # A4 in points
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pngs = sorted(tmp_path.glob("page-*.png"))
    assert len(pngs) == 2
    from PIL import Image
    for png in pngs:                                    # each page has ink on it, not a blank sheet
        with Image.open(png) as im:
            lo, _ = im.convert("L").getextrema()
            assert lo < 100, png
    page1 = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True).stdout
    page2 = subprocess.run(["pdftotext", "-f", "2", "-l", "2", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Key figures" in page1 and "What the book offers" in page1
    assert "Where to get help" in page2 and "media and decision makers" in page2
