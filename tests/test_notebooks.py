"""Every notebook runs top to bottom in a fresh kernel and gives the same results each time.

The build runs each notebook once (myst-nb keeps the executed copy in _build/jupyter_execute);
the tests read those outputs and run each notebook once more, in a kernel of their own, to compare.
Also: the notebooks are committed without outputs, each student module shows its band's quizzes,
at least two chat stories, a progress summary and a get-help box, and the live widgets are there;
the evaluation notebook shows only synthetic data, hides small groups and writes nothing.
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
    """What a reader sees: every output's text, HTML and images, with per-run widget ids removed.
    A cell's printed lines are one text however the kernel sent them: a kernel sends what a cell has
    printed so far every fraction of a second, so a busy machine splits the same lines into more
    outputs than a quiet one (the page shows them run together)."""
    out = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        mine = []
        for o in cell.get("outputs", []):
            o = copy.deepcopy(o)
            o.pop("execution_count", None)
            last = mine[-1] if mine else {}
            if o.get("output_type") == last.get("output_type") == "stream" and o.get("name") == last.get("name"):
                last["text"] += o["text"]
                continue
            data = o.get("data", {})
            if WIDGET in data:
                data[WIDGET] = "widget"          # the model id is new in every kernel
            mine.append(o)
        out += mine
    for o in out:
        if o.get("output_type") == "stream":    # the build's copy keeps one line break fewer at the end
            o["text"] = o["text"].rstrip("\n")
    return out


def test_printed_lines_a_busy_kernel_sent_in_parts_compare_as_one():
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    def notebook(*parts):
        cell = new_code_cell(outputs=[new_output("stream", name="stdout", text=t) for t in parts])
        return new_notebook(cells=[cell, new_code_cell(outputs=[new_output("stream", name="stdout", text="x\n")])])
    whole = _results(notebook("one\ntwo\n"))
    assert _results(notebook("one\n", "two\n")) == whole == _results(notebook("one\ntwo"))
    assert len(whole) == 2                  # lines of another cell stay apart
    assert _results(notebook("one\n", "three\n")) != whole


def _html(nb) -> str:
    return "\n".join(o["data"].get("text/html", "") for c in nb.cells if c.cell_type == "code"
                     for o in c.outputs if "data" in o)


@pytest.fixture(scope="module")
def built(site):
    """The notebooks as the build ran them, by file name: their outputs from the build's execution
    cache (myst-nb's copy in _build/jupyter_execute is written without outputs when a notebook is
    read again and its outputs come from the cache)."""
    from jupyter_cache import get_cache
    cache_dir = ROOT / "_build" / ".jupyter_cache"      # one cache for every language (spotthelure build)
    assert cache_dir.is_dir(), f"no notebook cache at {cache_dir}"
    cache = get_cache(str(cache_dir))
    found = {}
    for p in NOTEBOOKS:
        try:
            _pk, nb = cache.merge_match_into_notebook(nbformat.read(p, as_version=4))
        except KeyError:
            continue
        found[p.name] = nb
    assert set(found) == {p.name for p in NOTEBOOKS}, f"not run by the build: {sorted({p.name for p in NOTEBOOKS} - set(found))}"
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, f"{path.name}: clear outputs before committing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_again_with_the_same_results(path, built):
    first = built[path.name]
    assert sum(1 for c in first.cells if c.cell_type == "code" and c.outputs), f"{path.name}: the build shows no output"
    errors = [o for c in first.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors, f"{path.name}: {errors[0].get('ename')}: {errors[0].get('evalue')}"
    if path.name == "evaluation-analytics.ipynb":
        second = _run_evaluation_notebook_writing_nothing(path)
    else:
        second = _execute(path)
    a, b = _results(first), _results(second)
    assert len(a) == len(b), f"{path.name}: {len(a)} outputs in the build, {len(b)} now"
    for i, (x, y) in enumerate(zip(a, b)):
        assert x == y, f"{path.name}: output {i} differs between two runs"


def _run_evaluation_notebook_writing_nothing(path: Path):
    def snapshot():     # the notebook's folder and the project root: where a stray write would land
        files = [*path.parent.rglob("*"), *ROOT.glob("*")]
        return sorted((str(p), p.stat().st_mtime_ns) for p in files if p.is_file())
    before = snapshot()
    nb = _execute(path)
    assert snapshot() == before, "the evaluation notebook wrote a file"
    return nb


def test_evaluation_notebook_shows_synthetic_data_and_hides_small_groups(built):
    text = str([c.get("outputs") for c in built["evaluation-analytics.ipynb"].cells if c.cell_type == "code"])
    assert "SYNTHETIC" in text
    assert "groups are not shown" in text
    assert 'role="img"' in text


@pytest.mark.parametrize("band", ["9-11", "12-14", "15-18"])
def test_student_module_has_everything(band, built):
    name = f"student-{band}.ipynb"
    nb = built[name]
    html = _html(nb)
    widgets = sum(1 for c in nb.cells if c.cell_type == "code" for o in c.outputs if WIDGET in o.get("data", {}))
    band_key = band.replace("-", "")
    quizzes = set(re.findall(r'data-stl-kind="quiz" data-stl-id="(q[\d-]+)"', html))
    expected = {q.stem for q in (ROOT / "activities" / "quizzes").glob(f"q{band_key}-*.yml")}
    assert expected and quizzes == expected, f"{name} should show the band's quizzes {sorted(expected)}, shows {sorted(quizzes)}"
    stories = set(re.findall(r'data-stl-kind="scenario" data-stl-id="(sc-[\w-]+)"', html))
    assert len(stories) >= 2, f"{name}: at least two chat stories, shows {sorted(stories)}"
    assert "My progress" in html
    box = re.search(r'<section class="stl-activity stl-get-help"[^>]*data-band="' + band + r'"[^>]*>(.*?)</section>', html, re.S)
    assert box, f"{name}: no Get help box for its band"
    assert re.search(r"<h2[^>]*>Get help</h2>", box.group(1)) and "112" in box.group(1) and "116 111" in box.group(1), \
        f"{name}: the Get help box has no heading or no contacts"
    assert widgets >= 3, "live widgets for Jupyter and Voilà"


def test_a_broken_activity_shows_its_problems_not_a_traceback(tmp_path, monkeypatch):
    from spotthelure import notebook
    from spotthelure.project import load_project
    from tools.gitfiles import copy_tracked_files
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


def test_static_only_draws_the_same_html_without_a_widget(monkeypatch):
    """A translated build draws the helpers' outputs again for their HTML alone (notebook_lang): the
    same HTML as the live output, and no widget made for nothing."""
    from conftest import book_project

    from spotthelure import notebook
    from spotthelure.campaign_widget import planner
    monkeypatch.setattr(notebook, "_PROJECT", book_project())
    monkeypatch.setattr(notebook, "_SHOWN", [])
    live = {"quiz": notebook.show("q911-1"), "story": notebook.show("sc-911-game-friend"),
            "summary": notebook.summary(["q911-1", "sc-911-game-friend"]), "planner": planner(ROOT)}
    with notebook.static_only():
        static = {"quiz": notebook.show("q911-1"), "story": notebook.show("sc-911-game-friend"),
                  "summary": notebook.summary(["q911-1", "sc-911-game-friend"]), "planner": planner(ROOT)}
    assert not notebook._STATIC
    for what in live:
        a, b = live[what]._repr_mimebundle_(), static[what]._repr_mimebundle_()
        assert WIDGET in a, f"{what}: the live output has a widget"
        assert WIDGET not in b, f"{what}: a widget was made for the static output"
        assert a["text/html"] == b["text/html"] and a["text/plain"] == b["text/plain"], what
    assert len(notebook._SHOWN) == 2, "only the live activities are counted by the live summary"
