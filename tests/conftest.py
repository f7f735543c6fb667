"""Shared fixtures and the test tiers.

Tiers (markers set here from the fixtures a test uses, so a new test file needs nothing):
- ``browser``: drives Debian Chromium (the ``browser``, ``page``, ``axe_page``, ``playwright_instance``
  or ``chromium`` fixture, a skip whose reason names Chromium, or marked by hand);
- ``book``: needs the built site or builds a book (the ``site``, ``server`` or ``book_copy`` fixture,
  or marked ``book`` or ``slow`` by hand);
- ``unit``: everything else: no book build, no browser. ``make test-fast`` runs this tier.

Browser tests never skip: a missing Chromium is a failure (CI installs it with .ci/run).
"""
from __future__ import annotations

import functools
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from spotthelure.pdf import BROWSER_FLAGS

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))   # tools/ (development tools) beside the package
from tools.serve import serve  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SITES = ROOT / "_build" / "html"          # the site's root: the language chooser, one folder per language
SITE = SITES / "en"                        # the English book
# The languages the test session builds: English, the Swedish sample and Arabic (right to left), every
# page of which the accessibility checks open. (make book builds every language in locales/.)
TEST_LANGS = ("en", "sv", "ar")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = BROWSER_FLAGS
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

BROWSER_FIXTURES = {"playwright_instance", "browser", "page", "axe_page", "chromium"}
BOOK_FIXTURES = {"site", "server", "book_copy"}


def pytest_addoption(parser):
    parser.addoption("--reuse-site", action="store_true",
                     help="test the site already in _build/html instead of building it first "
                          "(quicker while editing tests; the site may be out of date)")


def tier(item) -> str:
    """The tier of a collected test: "browser", "book" or "unit" (see the module docstring)."""
    names = set(getattr(item, "fixturenames", ()))
    markers = list(item.iter_markers())
    marks = {m.name for m in markers}
    # a test that skips without Chromium says it drives Chromium (the PDF commands do)
    needs_chromium = any(m.name in ("skipif", "skip") and "chromium" in str(m.kwargs.get("reason", "")).lower()
                         for m in markers)
    if names & BROWSER_FIXTURES or "browser" in marks or needs_chromium:
        return "browser"
    if names & BOOK_FIXTURES or marks & {"book", "slow"}:
        return "book"
    return "unit"


TIERS = ("unit", "book", "browser")


def pytest_collection_modifyitems(config, items):
    for item in items:
        t = tier(item)
        _tier_of[item.nodeid] = t
        item.add_marker(getattr(pytest.mark, t))
        if t == "browser" and set(item.fixturenames) & BOOK_FIXTURES:
            item.add_marker(pytest.mark.book)
    # The unit tier first (in file order within each tier): it runs while the book builds.
    items.sort(key=lambda item: TIERS.index(tier(item)))


_build: dict = {}
_tier_seconds: dict = {}
_tier_of: dict = {}


def pytest_runtest_logreport(report):
    """Time spent per tier (setup, call and teardown; the site's build counts where a test waits for it)."""
    t = _tier_of.get(report.nodeid, "unit")
    seconds, count = _tier_seconds.get(t, (0.0, 0))
    _tier_seconds[t] = (seconds + report.duration, count + (report.when == "call"))


def pytest_terminal_summary(terminalreporter, config):
    """With STL_TIER_TIMES=FILE, the seconds per tier go to FILE as JSON (tools/time_tests.py reads it);
    with -v, they are printed too."""
    import json
    import os
    if os.environ.get("STL_TIER_TIMES"):
        Path(os.environ["STL_TIER_TIMES"]).write_text(json.dumps(
            {t: {"seconds": round(s, 1), "tests": n} for t, (s, n) in _tier_seconds.items()}), encoding="utf-8")
    if config.option.verbose > 0 and _tier_seconds:
        terminalreporter.write_line("seconds per tier: " + ", ".join(
            f"{t} {s:.1f} s ({n} tests)" for t, (s, n) in sorted(_tier_seconds.items(), key=lambda x: TIERS.index(x[0]))))


def pytest_collection_finish(session):
    """Start building the site in the background if a selected test needs it; `site` waits for it."""
    config = session.config
    if config.option.collectonly or (config.getoption("--reuse-site") and (SITE / "index.html").exists()):
        return
    if any(set(getattr(item, "fixturenames", ())) & {"site", "server"} for item in session.items):
        _start_build()


def _start_build():
    if "proc" not in _build:
        shutil.rmtree(SITES, ignore_errors=True)    # every page is written afresh: no stale page escapes
        (ROOT / "_build").mkdir(exist_ok=True)
        _build["log"] = open(ROOT / "_build" / "test-build.log", "w+", encoding="utf-8")
        _build["proc"] = subprocess.Popen([sys.executable, "-m", "spotthelure", "build", "--lang", ",".join(TEST_LANGS)],
                                          cwd=ROOT,
                                          stdout=_build["log"], stderr=subprocess.STDOUT, text=True)


def pytest_unconfigure(config):
    """A session stopped before any test needed the site does not leave its build running."""
    proc = _build.get("proc")
    if proc is not None and proc.poll() is None:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture(scope="session")
def site(request) -> Path:
    """The built book, built once per session from the current sources (started in the background
    when the tests are collected; notebook outputs come from the build's cache). Every page is
    written afresh, so no stale page escapes the tests; with ``--reuse-site`` the site already in
    _build/html is tested as it is."""
    if request.config.getoption("--reuse-site") and (SITE / "index.html").exists():
        return SITE
    _start_build()
    if "rc" not in _build:
        _build["rc"] = _build["proc"].wait()
        _build["log"].seek(0)
        _build["output"] = _build["log"].read()
        _build["log"].close()
    if _build["rc"] != 0:
        pytest.fail("the book did not build (_build/test-build.log):\n" + _build["output"][-4000:])
    return SITE


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian Chromium's path, for tests that drive it through the command line (PDFs)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package (bash .ci/run does)")
    return CHROMIUM


@functools.lru_cache(maxsize=None)
def book_project():
    """The book's own project (`load_project(ROOT)`), loaded once for the whole session: read it,
    never change it (a test that must, uses monkeypatch, which puts it back)."""
    from spotthelure.project import load_project
    return load_project(ROOT)


def build(book: Path, langs: str = "en") -> str:
    """`spotthelure build` (what `make book` runs) in another copy of the book, in ``langs`` (English
    alone unless asked: the copy's English is in ``_build/html/en``); it must succeed.
    Returns what it printed. (A build meant to fail: ``run("build", cwd=book)``.)"""
    r = run("build", "--lang", langs, cwd=book)
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


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe(page, axe_source: str, only_rules=None) -> list[str]:
    """axe-core's WCAG 2.2 A/AA violations on the page as it is now (or only ``only_rules``), a line
    each. axe goes in as an inline script unless the context loaded it already (an init script, which
    a page's Content-Security-Policy does not stop; an inline script needs ``bypass_csp``)."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    run_only = {"type": "rule", "values": only_rules} if only_rules else {"type": "tag", "values": AXE_TAGS}
    result = page.evaluate("opts => axe.run(document, opts)", {"runOnly": run_only, "resultTypes": ["violations"]})
    out = []
    for v in result["violations"]:
        for n in v["nodes"][:3]:
            out.append(f"{v['id']} ({v['impact']}): {n['target']} {n.get('failureSummary', '')[:160]}")
    return out


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci` (make test does)")
    return AXE.read_text(encoding="utf-8")


def run(*args, **kw):
    """`python -m spotthelure ARGS` as a program (for the "exit code and no traceback" contract)."""
    return subprocess.run([sys.executable, "-m", "spotthelure", *args], capture_output=True, text=True, cwd=kw.pop("cwd", ROOT), **kw)


def run_here(*args, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """`spotthelure ARGS` in this process (no interpreter to start): the same exit code and the same
    output as `run`; an exception fails the test with its traceback, as a traceback in the output would."""
    import contextlib
    import io
    import os

    from spotthelure.cli import main
    out, err = io.StringIO(), io.StringIO()
    before = os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            rc = main(list(args))
    finally:
        os.chdir(before)
    return subprocess.CompletedProcess(["spotthelure", *args], rc, out.getvalue(), err.getvalue())
