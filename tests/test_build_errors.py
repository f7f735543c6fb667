"""A broken lesson or a failing notebook cell stops the build with ``path:line: what is wrong``,
never with a Sphinx traceback ("Exception occurred ... report this to the Sphinx developers")."""
from __future__ import annotations

import json

import pytest

from conftest import copy_book, jupyter_book_here, run

LESSON = "book/teachers/ages-12-14/1-how-grooming-works.md"
NOTEBOOK = "notebooks/show-quiz.ipynb"
PROBE = "probe: this notebook cell fails on purpose"
pytestmark = pytest.mark.book       # builds a broken copy of the tiny book (tests/books/notebook)


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    """The tiny book with its notebook: a lesson longer than a lesson may be, and a notebook cell
    that raises."""
    book = copy_book("notebook", tmp_path_factory.mktemp("broken"))
    page = book / LESSON
    assert "  duration: 60\n" in page.read_text(encoding="utf-8"), "the lesson's duration changed: update the probe"
    page.write_text(page.read_text(encoding="utf-8").replace("  duration: 60\n", "  duration: 70\n", 1), encoding="utf-8")
    nb = book / NOTEBOOK
    data = json.loads(nb.read_text(encoding="utf-8"))
    data["cells"].insert(2, {"cell_type": "code", "id": "probe", "execution_count": None, "metadata": {}, "outputs": [],
                             "source": [f"raise ValueError({PROBE!r})"]})
    nb.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return book


def _clean(out: str):
    assert "Traceback" not in out and "Exception occurred" not in out and "report this" not in out.lower(), out[-3000:]


def test_spotthelure_build_validates_first(broken):
    r = run("build", cwd=broken)
    assert r.returncode == 1
    _clean(r.stdout + r.stderr)
    assert f"{LESSON}:6: lesson.duration: is 70; it must be at most 60" in r.stderr, r.stderr
    assert not (broken / "_build" / "html").exists()


@pytest.mark.slow
def test_sphinx_build_reports_lesson_and_cell(broken):
    """The extension's own path (jupyter-book called directly): the same problems, no traceback."""
    r = jupyter_book_here(broken)
    out = r.stdout + r.stderr
    assert r.returncode != 0
    _clean(out)
    assert f"{LESSON}:6: WARNING: lesson.duration: is 70; it must be at most 60" in out, out[-3000:]
    assert f"{NOTEBOOK}:1: ERROR: cell 3: ValueError: {PROBE}" in out, out[-3000:]
