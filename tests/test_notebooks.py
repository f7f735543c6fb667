"""Every notebook runs top to bottom in a fresh kernel, twice, and gives the same results each time.

Also: the notebooks are committed without outputs, each student module shows its band's quizzes,
at least two chat stories, a progress summary and a get-help box, and the live widgets are there.
"""
from __future__ import annotations

import copy
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
WIDGET = "application/vnd.jupyter.widget-view+json"


def _execute(path: Path) -> nbformat.NotebookNode:
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    return nb


def _results(nb) -> list:
    """What a reader sees: every output's text, HTML and images, with per-run widget ids removed."""
    out = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for o in cell.get("outputs", []):
            o = copy.deepcopy(o)
            o.pop("execution_count", None)
            data = o.get("data", {})
            if WIDGET in data:
                data[WIDGET] = "widget"          # the model id is new in every kernel
            out.append(o)
    return out


_cache: dict[Path, list] = {}


@pytest.fixture(scope="module")
def runs():
    return _cache


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, f"{path.name}: clear outputs before committing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_twice_with_the_same_results(path, runs):
    first = _execute(path)
    errors = [o for c in first.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors, f"{path.name}: {errors[0].get('ename')}: {errors[0].get('evalue')}"
    second = _execute(path)
    a, b = _results(first), _results(second)
    assert len(a) == len(b)
    for i, (x, y) in enumerate(zip(a, b)):
        assert x == y, f"{path.name}: output {i} differs between two runs"
    runs[path.name] = first


@pytest.mark.parametrize("band", ["9-11", "12-14", "15-18"])
def test_student_module_has_everything(band, runs):
    name = f"student-{band}.ipynb"
    nb = runs.get(name) or _execute(ROOT / "notebooks" / name)
    html = "\n".join(o["data"].get("text/html", "") for c in nb.cells if c.cell_type == "code"
                     for o in c.outputs if "data" in o)
    widgets = sum(1 for c in nb.cells if c.cell_type == "code" for o in c.outputs if WIDGET in o.get("data", {}))
    quizzes = set(re.findall(r'data-quiz="(q[\d-]+)"', html)) or set(re.findall(r'id="(q\d+-\d+)', html))
    band_key = band.replace("-", "")
    assert any(q.startswith(f"q{band_key}") for q in quizzes) or f"q{band_key}-1" in html, "the band's quizzes"
    for q in (ROOT / "activities" / "quizzes").glob(f"q{band_key}-*.yml"):
        assert q.stem in html, f"{name} should show {q.stem}"
    assert html.count("stl-scenario") >= 2 or len(set(re.findall(r"sc-" + band_key + r"-[a-z-]+", html))) >= 2
    assert "My progress" in html
    assert "Where to get help" in html or "Get help" in html
    assert widgets >= 3, "live widgets for Jupyter and Voilà"


def test_a_broken_activity_shows_its_problems_not_a_traceback(tmp_path, monkeypatch):
    from spotthelure import notebook
    from spotthelure.project import copy_tracked_files, load_project
    book = tmp_path / "book"
    copy_tracked_files(ROOT, book)
    quiz = book / "activities" / "quizzes" / "q911-1.yml"
    quiz.write_text(quiz.read_text(encoding="utf-8").replace("type: single", "type: singel", 1), encoding="utf-8")
    monkeypatch.setattr(notebook, "_PROJECT", load_project(book))
    shown = notebook.show("q911-1")
    bundle = shown._repr_mimebundle_()
    assert re.search(r"activities/quizzes/q911-1\.yml:\d+: .*'singel' is not allowed", bundle["text/plain"])
    assert "cannot be shown until its file is mended" in bundle["text/html"]
    assert "'singel'" not in bundle["text/html"] and "singel&#" in bundle["text/html"]   # escaped
    missing = notebook.show("no-such-quiz")._repr_mimebundle_()
    assert "no activity with id 'no-such-quiz'" in missing["text/plain"]
    assert WIDGET not in bundle and WIDGET not in missing
