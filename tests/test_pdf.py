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


def test_print_all_makes_every_printable(tmp_path):
    out = tmp_path / "print"
    r = run("export", "print", "--all", "-o", str(out))
    assert r.returncode == 0, r.stderr
    pages = sorted(p.name for p in out.glob("*.html"))
    kinds = {"worksheet": 0, "answers": 0, "cards": 0, "sc-": 0, "eval-": 0}
    for name in pages:
        for k in kinds:
            if k in name:
                kinds[k] += 1
    assert kinds["worksheet"] == kinds["answers"] >= 12
    assert kinds["cards"] >= 12 and kinds["sc-"] >= 6 and kinds["eval-"] >= 6


def test_whole_book_pdf(tmp_path, chromium):
    """`make pdf`: singlehtml, then Chromium. Styled (not a bare page), every lesson inside."""
    pdf = tmp_path / "book.pdf"
    r = subprocess.run([str(ROOT / ".venv" / "bin" / "spotthelure"), "pdf", "-o", str(pdf), "--chromium", chromium],
                       cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    assert pdf_pages(pdf) > 100
    text = " ".join(pdf_text(pdf).split())
    assert "Project name not set" not in text
    for lesson in book_project().lessons.values():
        title = lesson.front["lesson"]["title"]
        assert " ".join(title.split())[:20] in text, f"{lesson.rel} is missing from the book PDF"
    # Styled: the theme's navigation and skip link are not printed on the pages.
    assert text.count("Skip to content") == 0
