"""The package's import graph, read from the source with ast: no cycles (function-local imports
count too), the analysis imports no command line, and the development tools stay out of the
installed package."""
from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "spotthelure"


def module_name(path: Path, top: Path = PACKAGE) -> str:
    rel = path.relative_to(top.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, modules: set[str], top: Path = PACKAGE) -> set[str]:
    """The package's modules that ``path`` imports, anywhere in the file (also inside functions)."""
    me = module_name(path, top)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            # ``from X import y``: the module X.y when there is one, else X (y is a name in X)
            names = [f"{stem}.{a.name}" if f"{stem}.{a.name}" in modules else stem for a in node.names]
        else:
            continue
        for name in names:
            # the longest module of the package that the name is or lies in
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name and name != me:
                out.add(name)
    return out


def graph(top: Path = PACKAGE) -> dict[str, set[str]]:
    files = sorted(top.rglob("*.py"))
    modules = {module_name(f, top) for f in files}
    return {module_name(f, top): imports_of(f, modules, top) for f in files}


@functools.lru_cache(maxsize=None)
def package_graph() -> dict[str, set[str]]:
    """``graph()`` of the package, read once for the tests that only read it."""
    return graph()


def cycles(g: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected set of more than one module (Tarjan), and self-loops."""
    index, low, on, stack, out = {}, {}, set(), [], []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(g.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1 or v in g.get(v, ()):
                out.append(sorted(comp))

    for v in sorted(g):
        if v not in index:
            visit(v)
    return out


def _package_edges_only(g: dict[str, set[str]]) -> dict[str, set[str]]:
    """A package's __init__ importing its own submodules is how a package is put together, not a
    cycle a reader has to untangle: leave those edges out (their submodules never import the
    package's __init__ back, which the graph would show)."""
    return {m: {d for d in deps if not d.startswith(m + ".")} for m, deps in g.items()}


# No cycle is allowed; a list kept for the record of cycles being untangled (empty: none left).
KNOWN_CYCLES: list[list[str]] = []


def test_the_package_has_no_import_cycle():
    found = cycles(_package_edges_only(package_graph()))
    new = [c for c in found if c not in KNOWN_CYCLES]
    assert new == [], f"import cycles: {new}"


def test_the_analysis_and_the_command_line_are_in_no_cycle():
    found = [m for c in cycles(_package_edges_only(package_graph())) for m in c]
    assert [m for m in found if m.startswith(("spotthelure.analysis", "spotthelure._fs", "spotthelure.cli"))] == []


def test_the_cycle_finder_finds_a_planted_cycle(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("def f():\n    from . import b\n")          # a function-local import
    (pkg / "b.py").write_text("from .sub import c\n")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "c.py").write_text("from ..a import f\n")
    (pkg / "d.py").write_text("import pkg.a\n")
    g = graph(pkg)
    assert g["pkg.a"] == {"pkg.b"} and g["pkg.sub.c"] == {"pkg.a"} and g["pkg.d"] == {"pkg.a"}
    assert cycles(_package_edges_only(g)) == [["pkg.a", "pkg.b", "pkg.sub.c"]]
    (pkg / "b.py").write_text("")
    assert cycles(_package_edges_only(graph(pkg))) == []


@pytest.mark.parametrize("module", ["spotthelure.analysis", "spotthelure._fs"])
def test_the_analysis_and_the_file_writer_import_no_command_line(module):
    g = package_graph()
    seen, todo = set(), [m for m in g if m == module or m.startswith(module + ".")]
    while todo:
        m = todo.pop()
        if m not in seen:
            seen.add(m)
            todo += g.get(m, ())
    assert "spotthelure.cli" not in seen
    if module == "spotthelure._fs":       # a leaf: nothing of the package but problems and i18n
        assert seen <= {"spotthelure._fs", "spotthelure.problems", "spotthelure.i18n", "spotthelure"}, seen


def test_no_module_of_the_analysis_is_over_about_500_lines():
    long = {p.name: n for p in (PACKAGE / "analysis").glob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 550}
    assert long == {}


def test_development_tools_are_not_in_the_installed_package():
    for name in ("bench.py", "serve.py", "evaluate.py", "synthetic.py"):
        assert not (PACKAGE / name).exists(), name
    assert (ROOT / "tools" / "bench.py").is_file() and (ROOT / "tools" / "serve.py").is_file()
    assert "python -m tools.bench" in (ROOT / "Makefile").read_text(encoding="utf-8")
    # helpers only the tests and the benchmark use live beside them
    assert "def copy_tracked_files" not in (PACKAGE / "project.py").read_text(encoding="utf-8")
    assert "def png_bytes" not in (PACKAGE / "charts.py").read_text(encoding="utf-8")
    assert "def copy_tracked_files" in (ROOT / "tools" / "gitfiles.py").read_text(encoding="utf-8")


def test_no_module_of_the_package_is_over_about_500_lines():
    """Small modules, each with one job (the analysis, the extension, the command line alike)."""
    long = {p.relative_to(PACKAGE).as_posix(): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 520}
    assert long == {}
