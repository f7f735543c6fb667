"""Every lesson runnable from paper: its handouts exist as data, are named for their lesson, carry the
lesson's exit ticket, and print on the paper they are meant for (slips and sheets on one A4 page)."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from spotthelure.render_print import print_page
from spotthelure.yamlload import parse_yaml
from conftest import ROOT, book_project

BAND_CODE = {"9-11": "911", "12-14": "1214", "15-18": "1518"}


@pytest.fixture(scope="module")
def project():
    return book_project()


def handouts(pr):
    return sorted((a for a in pr.activities.values() if a.kind == "handout"), key=lambda a: a.id)


def lesson_number(page) -> str:
    """The lesson's number in its unit, from its file name (``3-easy-money.md`` is lesson 3)."""
    return Path(page.rel).name.split("-", 1)[0]


def id_problems(pr) -> list[str]:
    out = []
    for h in handouts(pr):
        page = pr.lessons.get(h.data["lesson"])
        if page is None and h.data["lesson"] in pr.workshops:   # a workshop's handout: h<workshop id>-<what>
            band, want = pr.workshops[h.data["lesson"]].front["workshop"]["audience"], f"h{h.data['lesson']}-"
        elif page is None:
            out.append(f"{h.id}: lesson {h.data['lesson']} does not exist")
            continue
        else:
            band = page.front["lesson"]["age_band"]
            want = f"h{BAND_CODE[band]}-{lesson_number(page)}-"
        if not re.fullmatch(re.escape(want) + r"[a-z0-9]+(-[a-z0-9]+)*", h.id):
            out.append(f"{h.id}: a handout of lesson {h.data['lesson']} is named {want}<what>")
        if h.data["audience"] != [band]:
            out.append(f"{h.id}: audience {h.data['audience']}, but its lesson is for {band}")
        if Path(h.rel).stem != h.id:
            out.append(f"{h.rel}: the file is named after its id, {h.id}.yml")
    return out


def test_handout_ids_name_their_band_and_lesson(project):
    assert id_problems(project) == []


def test_a_misnamed_handout_is_reported(project, monkeypatch):
    h = next(a for a in handouts(project) if a.id == "h911-1-message-cards")
    monkeypatch.setitem(h.data, "lesson", "l1214-1")
    w = next(a for a in handouts(project) if a.id == "hws-parents-message-cards")
    monkeypatch.setitem(w.data, "lesson", "ws-peer-education")
    probs = id_problems(project)
    assert any(p.startswith("hws-parents-message-cards: a handout of lesson ws-peer-education is named hws-peer-education-") for p in probs), probs
    assert any(p.startswith("h911-1-message-cards: a handout of lesson l1214-1 is named h1214-1-") for p in probs), probs
    assert any("audience ['9-11'], but its lesson is for 12-14" in p for p in probs), probs


def words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", text.lower()) if len(w) >= 4}


def exit_ticket_problems(pr) -> list[str]:
    out = []
    by_id = {h.id: h for h in handouts(pr)}
    for lid, page in sorted(pr.lessons.items()):
        L = page.front["lesson"]
        hid = f"h{BAND_CODE[L['age_band']]}-{lesson_number(page)}-exit-ticket"
        h = by_id.get(hid)
        if h is None:
            out.append(f"{lid}: no exit-ticket handout {hid}")
            continue
        d = h.data
        if d["layout"] != "slips" or d.get("per_page") not in (4, 6):
            out.append(f"{hid}: exit tickets are slips, 4 or 6 to a page")
        if not all(s.get("lines", 0) >= 1 for s in d["sections"]):
            out.append(f"{hid}: every prompt has at least one line to write on")
        missing = words(L["assessment"]["exit_ticket"]) - words(" ".join(s["text"] for s in d["sections"]))
        if missing:
            out.append(f"{hid}: the lesson's exit ticket asks about {sorted(missing)}, the slip does not")
    return out


def test_every_lesson_has_its_exit_ticket_as_slips(project):
    assert exit_ticket_problems(project) == []


def test_an_exit_ticket_out_of_step_with_its_lesson_is_reported(project, monkeypatch):
    page = project.lessons["l1214-3"]
    monkeypatch.setitem(page.front["lesson"]["assessment"], "exit_ticket", "Write one lure, and one helpline.")
    probs = exit_ticket_problems(project)
    assert probs == ["h1214-3-exit-ticket: the lesson's exit ticket asks about ['helpline'], the slip does not"], probs


# --- Paper: slips and sheets print on one A4 page, colophon included --------------------------------

def pdf_pages(pg, data: dict, tmp: Path, pr=None) -> int:
    """Pages the handout's print page (as the site serves it, with the book's contacts) takes in
    Chromium's A4 print, printed in the tab ``pg`` (one tab prints every handout: a tab each would
    start a renderer each)."""
    pg.set_content(print_page([("handout", data)], pr=pr), wait_until="load")
    pdf = tmp / f"{data['id']}.pdf"
    pdf.write_bytes(pg.pdf(prefer_css_page_size=True, print_background=True))
    info = subprocess.run([shutil.which("pdfinfo") or "pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))


@pytest.mark.browser
@pytest.mark.slow
def test_slips_and_sheets_fit_one_page(project, page, tmp_path):
    counts = {h.id: (h.data["layout"], pdf_pages(page, h.data, tmp_path, project))
              for h in handouts(project) if h.data["layout"] in ("slips", "sheet")}
    assert len(counts) > 10
    assert [f"{i} ({layout}): {n} pages" for i, (layout, n) in counts.items() if n != 1] == []


@pytest.mark.browser
def test_page_count_sees_a_slip_too_tall_for_four(page, tmp_path):
    text = """\
        kind: handout
        id: h-tall
        version: 1
        language: en
        title: Too tall
        lesson: l911-1
        audience: ["9-11"]
        layout: slips
        per_page: 4
        for_the_teacher: x
        sections:
          - text: One.
            lines: 6
          - text: Two.
            lines: 6
        """
    assert pdf_pages(page, parse_yaml(re.sub(r"(?m)^        ", "", text), "h.yml"), tmp_path) > 1


# --- Text written once: a handout's words are on the handout, not again in its lesson's materials or preparation

def norm(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return " ".join(re.sub(r"[^a-z0-9' ]+", " ", text.lower()).split())


def repeated_text(pr) -> list[str]:
    out = []
    for h in handouts(pr):
        page = pr.lessons.get(h.data["lesson"]) or pr.workshops[h.data["lesson"]]
        front = page.front.get("lesson") or page.front["workshop"]
        prose = norm(" ".join(front.get("materials", []) + front.get("preparation", [])))
        for part in h.data.get("cards", []) + h.data.get("sections", []):
            said = norm(part["text"])
            if len(said.split()) >= 6 and said in prose:
                out.append(f"{h.id}: '{part['text'][:50]}' is also written in {page.rel}'s materials or preparation")
    return out


def test_handout_text_is_not_written_again_in_its_lesson(project):
    assert repeated_text(project) == []


def test_text_written_twice_is_reported(project, monkeypatch):
    page = project.lessons["l911-2"]
    letter = next(a for a in handouts(project) if a.id == "h911-2-letter-from-mei").data["sections"][0]["text"]
    prep = list(page.front["lesson"]["preparation"]) + [f"Copy the letter from Mei: \u201c{letter}\u201d"]
    monkeypatch.setitem(page.front["lesson"], "preparation", prep)
    assert any(p.startswith("h911-2-letter-from-mei: 'Weeks ago") for p in repeated_text(project))
