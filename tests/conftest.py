"""Shared fixtures: the built site, a local web server, and Debian Chromium through Playwright.

Browser tests never skip: a missing Chromium is a failure (CI installs it with .ci/run).
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from spotthelure.pdf import BROWSER_FLAGS

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))   # tools/ (development tools) beside the package
from tools.serve import serve  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "_build" / "html"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = BROWSER_FLAGS
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: takes more than a few seconds")


@pytest.fixture(scope="session")
def site() -> Path:
    """The built book. `make test` builds it first; a bare `pytest` builds it if missing."""
    if not (SITE / "index.html").exists():
        r = subprocess.run([str(ROOT / ".venv/bin/spotthelure"), "build"], cwd=ROOT)
        assert r.returncode == 0, "the book did not build"
    return SITE


def build(book: Path) -> str:
    """`spotthelure build` (what `make book` runs) in another copy of the book; it must succeed.
    Returns what it printed. (A build meant to fail: ``run("build", cwd=book)``.)"""
    r = run("build", cwd=book)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    return r.stdout + r.stderr


@pytest.fixture(scope="session")
def book_copy(tmp_path_factory) -> Path:
    """A copy of the book's files, built once. Tests change it, rebuild and put back what they changed."""
    from tools.gitfiles import copy_tracked_files
    book = tmp_path_factory.mktemp("copy") / "book"
    copy_tracked_files(ROOT, book)
    build(book)
    return book


def copy_content(dest: Path) -> Path:
    """The files `spotthelure validate` reads (config, references, local contacts, activities, pages,
    notebooks, data) copied to ``dest``: a book to break on purpose without building it."""
    dest.mkdir(parents=True)
    for name in ("_config.yml", "_toc.yml", "references.bib", "local.yml"):
        shutil.copy2(ROOT / name, dest / name)
    for d in ("activities", "book", "notebooks", "data"):
        shutil.copytree(ROOT / d, dest / d, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    return dest


def is_redirect(path: Path) -> bool:
    return 'http-equiv="Refresh"' in path.read_text(encoding="utf-8", errors="replace")[:1000]


def all_pages(site: Path, redirects: bool = True) -> list[str]:
    """Every HTML page of the site, as paths relative to the site root.

    ``redirects=False`` leaves out pages that only forward the reader elsewhere (the site root),
    which a test cannot inspect before the browser has moved on; test_site_offline checks them.
    """
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                  if "_static" not in p.parts and "_sources" not in p.parts
                  and (redirects or not is_redirect(p)))


@pytest.fixture(scope="session")
def server(site):
    with serve(site) as base:
        yield base


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package (bash .ci/run does)")
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance):
    b = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield b
    b.close()


@pytest.fixture()
def page(browser):
    ctx = browser.new_context(viewport={"width": 1200, "height": 900})
    pg = ctx.new_page()
    yield pg
    ctx.close()


@pytest.fixture()
def axe_page(browser):
    """A page that may take axe-core as an inline script: the pages' Content-Security-Policy refuses
    inline scripts it does not know, so this context sets it aside (test_csp checks the policy)."""
    ctx = browser.new_context(viewport={"width": 1200, "height": 900}, bypass_csp=True)
    yield ctx.new_page()
    ctx.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci` (make test does)")
    return AXE.read_text(encoding="utf-8")


def run(*args, **kw):
    return subprocess.run([sys.executable, "-m", "spotthelure", *args], capture_output=True, text=True, cwd=kw.pop("cwd", ROOT), **kw)
