"""The test tiers: set from the fixtures a test uses, and no module looks at the built site when it
is collected (so a clean checkout collects the same cases as a built one)."""
from __future__ import annotations

import ast
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import tier

TESTS = Path(__file__).resolve().parent


def fake(fixtures=(), marks=()):
    def marker(m):
        name, _, reason = m.partition(":")
        return SimpleNamespace(name=name, kwargs={"reason": reason} if reason else {})
    return SimpleNamespace(fixturenames=list(fixtures), iter_markers=lambda: [marker(m) for m in marks])


@pytest.mark.parametrize("fixtures, marks, expected", [
    ((), (), "unit"),
    (("tmp_path", "capsys", "monkeypatch"), (), "unit"),
    (("site",), (), "book"),
    (("server", "site"), (), "book"),
    (("book_copy", "tmp_path"), (), "book"),
    ((), ("slow",), "book"),
    ((), ("book",), "book"),
    (("page", "server", "site"), (), "browser"),
    (("browser",), (), "browser"),
    (("axe_page",), (), "browser"),
    (("playwright_instance",), (), "browser"),
    (("chromium", "tmp_path"), (), "browser"),
    ((), ("browser",), "browser"),
    (("site",), ("browser",), "browser"),
    (("tmp_path",), ("skipif:needs Chromium and poppler",), "browser"),
    (("tmp_path",), ("skipif:needs pdftotext",), "unit"),
])
def test_tier_from_fixtures_and_marks(fixtures, marks, expected):
    assert tier(fake(fixtures, marks)) == expected


SITE_READS = {"exists", "is_file", "is_dir", "glob", "rglob", "iterdir", "read_text", "read_bytes", "stat"}


def _reads_the_site(node) -> bool:
    for n in ast.walk(node):
        if isinstance(n, ast.Call):
            f = n.func
            if isinstance(f, ast.Name) and f.id == "all_pages":
                return True
            if isinstance(f, ast.Attribute) and f.attr in SITE_READS and \
                    any(isinstance(x, ast.Name) and x.id == "SITE" for x in ast.walk(f.value)):
                return True
    return False


def module_level_site_reads(source: str) -> list[int]:
    """Lines of module-level code (run when pytest collects) that list or read the built site."""
    tree = ast.parse(source)
    return [stmt.lineno for stmt in tree.body
            if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom))
            and _reads_the_site(stmt)]


def test_the_lint_sees_a_site_read_at_import():
    assert module_level_site_reads("PAGES = all_pages(SITE) if SITE.exists() else []\n") == [1]
    assert module_level_site_reads("X = (SITE / 'a.html').read_text()\n") == [1]
    assert module_level_site_reads("def f(site):\n    return all_pages(site)\nP = SITE / 'x'\n") == []


def test_no_module_reads_the_built_site_when_collected():
    bad = [f"{p.name}:{line}" for p in sorted(TESTS.glob("*.py"))
           for line in module_level_site_reads(p.read_text(encoding="utf-8"))]
    assert not bad, "list or read the built site in a fixture or a test (it may not be built yet): " + ", ".join(bad)
