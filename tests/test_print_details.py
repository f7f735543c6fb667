"""Print details (issue 14, point 4): role-play cards, group sizes, answer keys, evaluation forms,
where `make print` writes and what `export ... --pdf` says it wrote. Unit tier: no build, no browser."""
from __future__ import annotations

import re
from collections import Counter
from html import unescape as html_unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import ROOT, book_project, copy_book, run_here
from spotthelure.project import load_project
from spotthelure.text import inline


def _act(aid):
    return book_project().activities[aid]


class _Sections(HTMLParser):
    """The text inside each element with a given class (nested elements included)."""

    def __init__(self, cls: str):
        super().__init__()
        self.cls, self.depth, self.stack, self.found = cls, 0, [], []

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if self.depth:
            self.depth += 1
        elif self.cls in classes:
            self.depth = 1
            self.found.append("")

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.found[-1] += data


def texts_in(html: str, cls: str) -> list[str]:
    p = _Sections(cls)
    p.feed(html)
    return [" ".join(t.split()) for t in p.found]


def words(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# --------------------------------------------------------------------------- group sizes

def test_equal_group_size_prints_as_one_number():
    from spotthelure.render_html import roleplay_html
    from spotthelure.render_print import group_size_text, print_page
    rp = _act("rp-gang-job-offer")
    assert rp.model.group_size.min == rp.model.group_size.max == 4
    assert group_size_text(rp.model.group_size) == "groups of 4"
    for html in (roleplay_html(rp.model), print_page([("roleplay", rp.model)])):
        assert "groups of 4" in words(html)
        assert "4–4" not in html and "4-4" not in words(html)


def test_a_range_of_group_sizes_keeps_both_ends():
    from types import SimpleNamespace

    from spotthelure.render_print import group_size_text
    assert group_size_text(SimpleNamespace(min=3, max=5)) == "groups of 3–5"


# --------------------------------------------------------------------------- role-play cards

def test_roleplay_cards_keep_facilitator_text_off_the_cut_out_sheets():
    from spotthelure.render_print import print_page
    rp = _act("rp-gang-job-offer").model
    html = print_page([("roleplay", rp)])
    cut = texts_in(html, "rp-cut")
    assert len(cut) == 1, "one block of cut-out sheets"
    cards = texts_in(html, "cut-card")
    assert len(cards) == len(rp.roles) + len(rp.props or ())
    for role in rp.roles:
        assert any(" ".join(role.name.split()) in c for c in cards)
    sheet = texts_in(html, "rp-facilitator")
    assert len(sheet) == 1
    facilitator_only = [rp.safeguarding, *rp.objectives, *rp.debrief, *rp.facilitator_notes, *rp.freeze_frames]
    for t in facilitator_only:
        snippet = words(html_unescape(inline(t)))[:40]
        assert snippet not in cut[0], f"facilitator-only text on the cut-out sheets: {snippet!r}"
        assert snippet in sheet[0], f"the facilitator's sheet lacks {snippet!r}"
    # No bordered activity box runs across the page breaks; the cut-out sheets start a page.
    assert "stl-roleplay" not in html.split("<body>")[1]
    css = (ROOT / "spotthelure/templates/print.css").read_text(encoding="utf-8")
    assert re.search(r"\.rp-cut\s*\{[^}]*break-before:\s*page", css)
    assert re.search(r"\.cut-card\s*\{[^}]*break-inside:\s*avoid", css)
    assert re.search(r"\.cut-head\s*\{[^}]*break-after:\s*avoid", css), "the heading stays with the cards"


# --------------------------------------------------------------------------- answer keys

def test_answer_key_puts_the_right_answers_in_bold():
    from spotthelure.render_print import print_page
    q = _act("q911-1").model
    key = print_page([("quiz", q)], answer_key=True)
    sheet = print_page([("quiz", q)])
    right = [o for it in q.items if it.type in ("single", "multiple") for o in it.options if o.correct]
    wrong = [o for it in q.items if it.type in ("single", "multiple") for o in it.options if not o.correct]
    assert right and wrong
    bold = [" ".join(words(b).split()) for b in re.findall(r"<strong>(.*?)</strong>", key, re.S)]
    for o in right:
        assert words(str(inline(o.text))) in bold, o.text
    for o in wrong:
        assert words(str(inline(o.text))) not in bold, o.text
    assert "(right answer)" in key and "(right answer)" not in sheet
    assert "Right: " not in words(key.split("<main>")[1]), "the old italic prefix is gone"
    # The worksheet gives nothing away: no right answer in bold there.
    assert "key-right" not in sheet.split("<main>")[1] and "<strong>" not in sheet.split("<main>")[1].split("stl-get-help")[0].split("<ol class=\"questions\">")[1]


# --------------------------------------------------------------------------- evaluation forms

@pytest.mark.parametrize("qid", ["eval-pre-post-9-11", "eval-feedback"])
def test_evaluation_form_has_the_csv_fields_and_no_internal_ids(qid):
    from spotthelure.render_print import print_page, questionnaire_csv
    qn = _act(qid).model
    html = print_page([("questionnaire", qn)])
    text = words(html)
    for it in qn.items:
        assert f"[{it.id}]" not in text, f"internal id [{it.id}] on the form"
    assert qn.id not in text, "the questionnaire's id on the form"
    header = questionnaire_csv(qn).splitlines()[0].split(",")
    assert "group" in header
    assert "Class or group (not your name):" in text
    if qn.pre_post:
        assert "phase" in header
        assert "Before the lessons" in text and "After the lessons" in text
        assert "My secret code" in text
    # Questions are numbered in the CSV's column order (an ordered list, one item each).
    assert html.count('<ol class="form-items">') == 1
    assert len(re.findall(r"<li><p class=\"prompt\">", html)) == len(qn.items)
    assert 'class="stl-activity stl-get-help"' in html, "the form that mentions help carries the Get help box"


# --------------------------------------------------------------------------- make print

def test_make_print_help_says_where_it_writes():
    mk = (ROOT / "Makefile").read_text(encoding="utf-8")
    target = re.search(r"^print:.*\n\t(.*)$", mk, re.M).group(1)
    out = re.search(r"-o (\S+)", target).group(1)
    helpline = next(line for line in mk.splitlines() if line.lstrip().startswith('@echo "make print'))
    assert f" {out} " in helpline or helpline.rstrip('"').endswith(out)
    assert f"{out}/lessons" in helpline
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| `make print`"))
    assert f"`{out}/`" in row and "_build/pdf/print" not in row


# `export print --all` writes what the build's site_files writes (test_model checks its output for the
# whole book, test_site_pages the built site's printables); these run it on the tiny book, which has
# an activity of every kind and a lesson.

def test_print_all_writes_flat_into_o_and_a_pack_per_lesson(tmp_path):
    book = copy_book("basic", tmp_path)
    out_dir = tmp_path / "prints"
    r = run_here("export", "print", "--all", "-o", str(out_dir), cwd=book)
    assert r.returncode == 0, r.stderr
    assert not (out_dir / "print").exists() and not (out_dir / "downloads").exists()
    assert (out_dir / "q1214-1-worksheet.html").is_file()
    pr = load_project(book)
    packs = sorted(p.stem for p in (out_dir / "lessons").glob("*.html"))
    assert packs == sorted(p.model.id for p in pr.lessons.values() if p.model is not None) == ["l1214-1"]
    written = {Path(line.removeprefix("Wrote ")) for line in r.stdout.splitlines() if line.startswith("Wrote ")}
    assert written == {p for p in out_dir.rglob("*") if p.is_file()}
    # every printable: a worksheet and an answer key per quiz, role-play cards, chat stories (with their
    # comic strips), questionnaires, handouts
    pages = sorted(p.name for p in out_dir.glob("*.html"))
    count = Counter(a.kind for a in pr.activities.values())
    assert sum(name.endswith("-worksheet.html") for name in pages) == count["quiz"] > 0
    assert sum(name.endswith("-answers.html") for name in pages) == count["quiz"]
    assert sum(name.startswith("rp-") and name.endswith("-cards.html") for name in pages) == count["roleplay"] > 0
    assert sum(name.startswith("eval-") for name in pages) == count["questionnaire"] > 0
    assert sum(name.startswith("h") for name in pages) == count["handout"] > 0
    assert sum(name.startswith("sc-") and not name.endswith("-comic.html") for name in pages) == count["scenario"] > 0


# --------------------------------------------------------------------------- --pdf says every file

def _fake_pdf(monkeypatch):
    """Chromium stand-ins that write a small file where the PDF goes."""
    from spotthelure import pdf

    def one(src, dest, chromium="x"):
        Path(dest).write_bytes(b"%PDF-1.4 stand-in")
        return dest

    def paged(jobs, chromium="x", paper="a4"):
        for _src, dest, _footer in jobs:
            Path(dest).write_bytes(b"%PDF-1.4 stand-in")
        return [dest for _s, dest, _f in jobs]
    monkeypatch.setattr(pdf, "html_to_pdf", one)
    monkeypatch.setattr(pdf, "html_to_pdf_paged", paged, raising=False)


def test_export_print_pdf_names_the_html_and_the_pdf(tmp_path, monkeypatch):
    _fake_pdf(monkeypatch)
    monkeypatch.chdir(ROOT)
    out = tmp_path / "key.html"
    r = run_here("export", "print", "activities/quizzes/q911-1.yml", "--answer-key", "-o", str(out), "--pdf")
    assert r.returncode == 0, r.stderr
    assert f"Wrote {out}" in r.stdout and f"Wrote {out.with_suffix('.pdf')}" in r.stdout
    assert out.with_suffix(".pdf").is_file()


def test_export_pack_pdf_names_the_html_and_the_pdf(tmp_path, monkeypatch):
    _fake_pdf(monkeypatch)
    monkeypatch.chdir(ROOT)
    out = tmp_path / "pack.html"
    r = run_here("export", "pack", "book/teachers/ages-9-11/1-friendly-or-tricky.md", "-o", str(out), "--pdf")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [f"Wrote {out}", f"Wrote {out.with_suffix('.pdf')}"]


def test_print_all_pdf_names_every_pdf(tmp_path, monkeypatch):
    _fake_pdf(monkeypatch)
    book = copy_book("basic", tmp_path)
    out_dir = tmp_path / "p"
    r = run_here("export", "print", "--all", "-o", str(out_dir), "--pdf", cwd=book)
    assert r.returncode == 0, r.stderr
    written = {Path(line.removeprefix("Wrote ")) for line in r.stdout.splitlines() if line.startswith("Wrote ")}
    pdfs = {p for p in out_dir.rglob("*.pdf")}
    assert pdfs and pdfs <= written
    assert {p.with_suffix(".pdf") for p in out_dir.rglob("*.html")} == pdfs
