"""A broken lesson or a failing notebook cell stops the build with ``path:line: what is wrong``,
never with a Sphinx traceback ("Exception occurred ... report this to the Sphinx developers")."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT, run
from tools.gitfiles import copy_tracked_files

LESSON = "book/teachers/ages-9-11/2-safe-and-unsafe-secrets.md"
PROBE = "probe: this notebook cell fails on purpose"
pytestmark = pytest.mark.book       # builds a broken copy of the book


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    book = tmp_path_factory.mktemp("broken") / "book"
    copy_tracked_files(ROOT, book)
    page = book / LESSON
    assert "  duration: 55\n" in page.read_text(encoding="utf-8"), "the lesson's duration changed: update the probe"
    page.write_text(page.read_text(encoding="utf-8").replace("  duration: 55\n", "  duration: 70\n", 1), encoding="utf-8")
    nb = book / "notebooks" / "facts-and-figures.ipynb"
    data = json.loads(nb.read_text(encoding="utf-8"))
    data["cells"].insert(2, {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                             "source": [f"raise ValueError({PROBE!r})"]})
    nb.write_text(json.dumps(data, indent=1), encoding="utf-8")
    # Only the broken notebook runs: the others would take most of the build and test nothing here.
    config = book / "_config.yml"
    others = sorted(f"notebooks/{p.name}" for p in (book / "notebooks").glob("*.ipynb") if p.name != nb.name)
    assert "\n  exclude_patterns: []\n" in config.read_text(encoding="utf-8"), "execute: exclude_patterns moved"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "\n  exclude_patterns: []\n", f"\n  exclude_patterns: {json.dumps(others)}\n", 1), encoding="utf-8")
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
    r = subprocess.run([sys.executable, "-c", "import sys; from jupyter_book.cli.main import main; "
                        "main.main(args=sys.argv[1:], prog_name='jupyter-book')",
                        "build", str(broken), "-W", "-n", "--keep-going"], capture_output=True, text=True, cwd=broken)
    out = r.stdout + r.stderr
    assert r.returncode != 0
    _clean(out)
    assert f"{LESSON}:6: WARNING: lesson.duration: is 70; it must be at most 60" in out, out[-3000:]
    assert f"facts-and-figures.ipynb:1: ERROR: cell 3: ValueError: {PROBE}" in out, out[-3000:]
