"""Shared fixtures and the test tiers.

Tiers (markers set here from the fixtures a test uses, so a new test file needs nothing):
- ``browser``: drives Debian Chromium (the ``browser``, ``page``, ``pages_context``, ``axe_page``,
  ``playwright_instance`` or ``chromium`` fixture, a skip whose reason names Chromium, or marked by hand);
- ``book``: needs the built site or builds a book (the ``site``, ``server`` or ``book_copy`` fixture,
  or marked ``book`` or ``slow`` by hand);
- ``unit``: everything else: no book build, no browser. ``make test-fast`` runs this tier.

Browser tests never skip: a missing Chromium is a failure (CI installs it with .ci/run).
"""
from __future__ import annotations

import contextlib
import functools
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from spotthelure import pofile
from spotthelure.pdf import BROWSER_FLAGS

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))   # tools/ (development tools) beside the package
from tools.serve import serve  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SITES = ROOT / "_build" / "html"          # the site's root: the language chooser, one folder per language
SITE = SITES / "en"                        # the English book
# The languages the test session builds: every language of the book. The accessibility and offline
# checks open every template in each, and every page of Arabic (right to left).
TEST_LANGS = ("en", "sv", "uk", "sr-Latn", "ar")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# The browser the tests drive (Playwright): Chromium's headless shell (Debian's chromium-headless-shell,
# built from the same sources: the same Blink, V8 and Skia, without the windowed browser around them;
# Playwright's own choice for headless tests), which opens and checks a page for about a fifth less
# processor time. Debian's chromium where the shell is not installed. The book's commands (`make pdf`,
# `make print`) and the tests of them use chromium itself.
BROWSER = shutil.which("chromium-headless-shell") or CHROMIUM

# The tests read the book's catalogs as its commands do: parsed once, kept in _build/.cache/po
# (spotthelure.pofile; by the hash of their bytes, so an edited catalog is read again), where the
# site's build and the other test worker find them.
pofile.keep_in(ROOT / "_build" / ".cache" / "po")

# The tests' Chromium runs scripts with V8's interpreter and baseline compiler only (no optimising
# compiler): a page's scripts, and axe-core's run on it, are short, so compiling them again for speed
# costs more processor time than it saves (about 15% of a page check's). What scripts do is the same.
# Its compositor (software: there is no GPU) runs in the browser's process, not a process of its own
# that every frame is handed to.
CHROMIUM_ARGS = [*BROWSER_FLAGS, "--js-flags=--no-opt --no-maglev", "--in-process-gpu"]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

BROWSER_FIXTURES = {"playwright_instance", "browser", "page", "pages_context", "axe_page", "chromium"}
BOOK_FIXTURES = {"site", "sites", "server", "book_copy"}


@pytest.fixture(autouse=True)
def renderers_language_kept():
    """A test leaves the renderers' language (spotthelure.i18n) as it found it: the tests of a worker
    share one process, and a test that left it in Arabic (an in-process build that did not give it
    back) would have the next test's English output drawn in Arabic. The test that left it fails here,
    by name, and the language is set back."""
    from spotthelure import i18n
    before = i18n.current_language()
    yield
    after = i18n.current_language()
    if after != before:
        i18n.set_language(before)
        pytest.fail(f"the test left the renderers' language at {after!r} (it was {before!r})")


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
        item.user_properties.append(("stl_tier", t))     # reaches pytest-xdist's controller with the report
        item.add_marker(getattr(pytest.mark, t))
        if t == "browser" and set(item.fixturenames) & BOOK_FIXTURES:
            item.add_marker(pytest.mark.book)
    # Whole files in the order of what they wait for (pytest-xdist hands a worker a whole file; a file
    # with one test that needs the site would hold its worker until the site is built): files of the
    # unit tier first, then those that build their own tiny books, while the session's build runs
    # (English first, so the files that need it alone could start before the other languages are
    # built); then the files that need the site: the longest first, so that no long file is left to
    # run alone at the end (the file that opens pages in every language, then by the number of tests
    # that use the built site or Chromium: a file of notebook runs has none in Chromium, and was last).
    # A file stays whole and in its own order, so its module fixtures are set up once.
    # (pytest-xdist would sort files by their number of tests: the Makefile says --no-loadscope-reorder.)
    wait, heavy = {}, {}
    for item in items:
        key = item.nodeid.split("::", 1)[0]
        wait[key] = max(wait.get(key, 0), _waits_for(item))
        heavy[key] = heavy.get(key, 0) + (_tier_of[item.nodeid] != "unit")
    items.sort(key=lambda item: (min(wait[f := item.nodeid.split("::", 1)[0]], 2),
                                 -wait[f], -heavy[f] if wait[f] >= 2 else 0))


def _waits_for(item) -> int:
    """0: nothing (unit); 1: a book of its own or Chromium; 2: the English book; 3: every language."""
    names = set(getattr(item, "fixturenames", ()))
    if "sites" in names:
        return 3
    if names & {"site", "server"}:
        return 2
    return 0 if tier(item) == "unit" else 1


_build: dict = {}
_tier_seconds: dict = {}
_tier_of: dict = {}


def _report_tier(report) -> str:
    if report.nodeid in _tier_of:
        return _tier_of[report.nodeid]
    # Under pytest-xdist the reports reach the controller, which collected nothing: the worker put the
    # tier in the report's properties (its keywords would not do: they hold the folders' names too)
    return dict(getattr(report, "user_properties", ()) or ()).get("stl_tier", "unit")


def pytest_runtest_logreport(report):
    """Time spent per tier (setup, call and teardown; the site's build counts where a test waits for it).
    With several workers (pytest -n) the figures add up the workers' time."""
    t = _report_tier(report)
    seconds, count = _tier_seconds.get(t, (0.0, 0))
    _tier_seconds[t] = (seconds + report.duration, count + (report.when == "call"))


def pytest_terminal_summary(terminalreporter, config):
    """With STL_TIER_TIMES=FILE, the seconds per tier go to FILE as JSON (tools/time_tests.py reads it);
    with -v, they are printed too."""
    import json
    import os
    # under pytest-xdist each worker ends with a summary of its own tests: only the controller,
    # which receives every test's report, writes the file (a worker would write it while the others
    # still run, into the book a test may be watching)
    if os.environ.get("STL_TIER_TIMES") and _worker() is None:
        Path(os.environ["STL_TIER_TIMES"]).write_text(json.dumps(
            {t: {"seconds": round(s, 1), "tests": n} for t, (s, n) in _tier_seconds.items()}), encoding="utf-8")
    if config.option.verbose > 0 and _tier_seconds:
        terminalreporter.write_line("seconds per tier: " + ", ".join(
            f"{t} {s:.1f} s ({n} tests)" for t, (s, n) in sorted(_tier_seconds.items(), key=lambda x: TIERS.index(x[0]))))


# ---- the site's build: once per run, in the background --------------------------------------------
# With pytest-xdist (`make test` runs two workers) the first worker builds and writes what the build
# printed, and its exit code, to a file named for the run; every worker's `sites` waits for that file.
# English is built first: when the build moves on to the next language, a second file says English is
# done, and `site` (the English book, what most tests need) waits only for that one.

def _worker() -> str | None:
    import os
    return os.environ.get("PYTEST_XDIST_WORKER")


def _done_file(part: str = "") -> Path:
    """The file saying the whole build is done (or, with ``part="en"``, its English)."""
    import os
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID", "single")
    return ROOT / "_build" / f".test-build-{run}{'-' + part if part else ''}.json"


def _write_done(done: Path, rc: int, output: str) -> None:
    import json
    import os
    tmp = done.with_suffix(".tmp")
    tmp.write_text(json.dumps({"rc": rc, "output": output[-4000:]}), encoding="utf-8")
    os.replace(tmp, done)


def pytest_collection_finish(session):
    """Start building the site in the background if a selected test needs it; `site` waits for it."""
    config = session.config
    if config.option.collectonly or (config.getoption("--reuse-site") and (SITE / "index.html").exists()):
        return
    if _worker() not in (None, "gw0"):
        return                          # the first worker builds for every worker
    if any(set(getattr(item, "fixturenames", ())) & {"site", "sites", "server"} for item in session.items):
        _start_build()


def _start_build():
    if "proc" not in _build:
        import threading
        shutil.rmtree(SITES, ignore_errors=True)     # every page is written afresh: no stale page escapes
        (ROOT / "_build").mkdir(exist_ok=True)
        for old in (ROOT / "_build").glob(".test-build-*.json"):
            old.unlink(missing_ok=True)
        _build["log"] = open(ROOT / "_build" / "test-build.log", "w+", encoding="utf-8")
        _build["proc"] = subprocess.Popen([sys.executable, "-m", "spotthelure", "build", "--lang", ",".join(TEST_LANGS)],
                                          cwd=ROOT,
                                          stdout=_build["log"], stderr=subprocess.STDOUT, text=True)
        _build["english"] = threading.Event()
        _build["waiter"] = threading.Thread(target=_finish_build, daemon=True)
        _build["waiter"].start()
        threading.Thread(target=_watch_for_english, daemon=True).start()


def _english_done_in(output: str) -> bool:
    """The build prints "... into _build/html/LANG" as it starts each language, English first: once
    it names the second language, English is done."""
    import re
    return len(TEST_LANGS) > 1 and re.search(
        rf"_build[/\\]html[/\\]{re.escape(TEST_LANGS[1])}\s*$", output, re.M) is not None


def _watch_for_english():
    import time
    log = ROOT / "_build" / "test-build.log"
    while _build["proc"].poll() is None:
        text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
        if _english_done_in(text):
            _build["english_rc"] = 0
            _write_done(_done_file("en"), 0, text)
            _build["english"].set()
            return
        time.sleep(0.5)


def _finish_build():
    rc = _build["proc"].wait()
    _build["log"].seek(0)
    output = _build["log"].read()
    _build["log"].close()
    _build["rc"], _build["output"] = rc, output
    if not _build["english"].is_set():              # stopped before the second language (or only English)
        _build["english_rc"] = 0 if _english_done_in(output) else rc
        _write_done(_done_file("en"), _build["english_rc"], output)
        _build["english"].set()
    _write_done(_done_file(), rc, output)


def _wait_for_build(part: str = "") -> tuple[int, str]:
    """Wait for the session's build (``part="en"``: its English) and return its exit code and output."""
    import json
    import time
    if "waiter" in _build:
        if part:
            _build["english"].wait()
            return _build["english_rc"], _build.get("output") or (ROOT / "_build" / "test-build.log").read_text(
                encoding="utf-8", errors="replace")
        _build["waiter"].join()
        return _build["rc"], _build["output"]
    done = _done_file(part)
    deadline = time.monotonic() + 1800
    while not done.exists():
        if time.monotonic() > deadline:
            pytest.fail("the first test worker's build of the book did not finish within 30 minutes")
        time.sleep(0.5)
    data = json.loads(done.read_text(encoding="utf-8"))
    return data["rc"], data["output"]


def pytest_unconfigure(config):
    """A session stopped before any test needed the site does not leave its build running; under
    pytest-xdist the first worker lets the build finish, since another worker may still need it."""
    proc = _build.get("proc")
    if proc is not None and proc.poll() is None:
        if _worker() and not _build.get("interrupted"):
            _build["waiter"].join()
            return
        proc.terminate()
        proc.wait(timeout=30)


def pytest_keyboard_interrupt(excinfo):
    _build["interrupted"] = True


def _built_site(request, part: str) -> None:
    if request.config.getoption("--reuse-site") and (SITE / "index.html").exists():
        return
    if _worker() in (None, "gw0"):
        _start_build()
    rc, output = _wait_for_build(part)
    if rc != 0:
        pytest.fail("the book did not build (_build/test-build.log):\n" + output[-4000:])


@pytest.fixture(scope="session")
def site(request) -> Path:
    """The English book, built once per session from the current sources (started in the background
    when the tests are collected; notebook outputs come from the build's cache). Every page is
    written afresh, so no stale page escapes the tests; with ``--reuse-site`` the site already in
    _build/html is tested as it is. English is built first, and a test of it starts while the
    other languages are built."""
    _built_site(request, "en")
    return SITE


@pytest.fixture(scope="session")
def sites(request) -> Path:
    """The whole site, every language of TEST_LANGS (``SITES``), built once per session (see ``site``)."""
    _built_site(request, "")
    return SITES


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


@functools.lru_cache(maxsize=None)
def book_site_files():
    """``site_files(book_project())``: every printable and download of the book by its path under the
    site, rendered once for the session (read only, like the project)."""
    from types import MappingProxyType
    from spotthelure.render_print import site_files
    return MappingProxyType(site_files(book_project()))


# gift-pegjs (from the npm lock) reads GIFT as Moodle's own parser does, independently of the exporter:
# one node process per test worker, started when first needed, reads a JSON string a line and answers
# a line of JSON (what it parsed, or its error).
_GIFT_READER = (
    "const {parse}=require('gift-pegjs');"
    "require('readline').createInterface({input:process.stdin,terminal:false}).on('line',l=>{let o;"
    "try{o={ok:parse(JSON.parse(l))}}catch(e){o={error:String(e&&e.message||e)}}"
    "process.stdout.write(JSON.stringify(o)+'\\n')})")
_gift_reader: list = []


def gift_parse(text: str) -> list:
    """The questions gift-pegjs reads in the GIFT ``text``; fails the test if it cannot read it."""
    import json
    import tempfile
    if not _gift_reader or _gift_reader[0].poll() is not None:
        err = tempfile.TemporaryFile()
        _gift_reader[:] = [subprocess.Popen(["node", "-e", _GIFT_READER], cwd=ROOT, stdin=subprocess.PIPE,
                                            stdout=subprocess.PIPE, stderr=err, text=True, encoding="utf-8"), err]
    proc, err = _gift_reader
    proc.stdin.write(json.dumps(text) + "\n")
    proc.stdin.flush()
    line = proc.stdout.readline()
    if not line:
        proc.wait()
        err.seek(0)
        pytest.fail(f"gift-pegjs stopped (exit {proc.returncode}): {err.read().decode('utf-8', 'replace')[-2000:]}")
    got = json.loads(line)
    assert "error" not in got, f"gift-pegjs could not parse the export: {got['error']}"
    return got["ok"]


def build(book: Path, langs: str = "en") -> str:
    """`spotthelure build` (what `make book` runs) in another copy of the book, in ``langs`` (English
    alone unless asked: the copy's English is in ``_build/html/en``); it must succeed.
    Returns what it printed. It runs in the test's process (`run_here`: a new interpreter would
    import Sphinx and Jupyter Book again, most of a small book's build); a build meant to fail:
    ``run_here("build", cwd=book)``."""
    r = run_here("build", "--lang", langs, cwd=book)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    return r.stdout + r.stderr


def jupyter_book_here(book: Path) -> subprocess.CompletedProcess:
    """`jupyter-book build BOOK -W -n --keep-going` (the strict Sphinx build on its own, without the
    validation `spotthelure build` runs first) in the test's process, as `run_here` does: the call
    `spotthelure build` itself makes for a book in one language (``cli._jupyter_book``)."""
    from spotthelure.cli import STRICT, _jupyter_book
    with _in_process(book) as (out, err):
        rc = _jupyter_book(book, "html")
    return subprocess.CompletedProcess(["jupyter-book", "build", str(book), *STRICT], rc, out.getvalue(), err.getvalue())


BOOKS = Path(__file__).resolve().parent / "books"


def copy_book(name: str, dest: Path) -> Path:
    """A copy of the tiny book tests/books/basic (one page of each kind, one activity of each kind), with
    tests/books/NAME's files over it (``notebook``: one notebook that shows a quiz and the Get help box)."""
    book = dest / name
    ignore = shutil.ignore_patterns("_build", "__pycache__", ".ipynb_checkpoints", ".jupyter_cache")
    shutil.copytree(BOOKS / "basic", book, ignore=ignore)
    if name != "basic":
        shutil.copytree(BOOKS / name, book, ignore=ignore, dirs_exist_ok=True)
    return book


@pytest.fixture(scope="session")
def book_copy(tmp_path_factory) -> Path:
    """The tiny book with its notebook (tests/books/), built once with `spotthelure build`: a book to
    change and rebuild as an author or a school would. Tests put back what they changed."""
    book = copy_book("notebook", tmp_path_factory.mktemp("copy"))
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
    if not Path(BROWSER).exists():
        pytest.fail(f"Chromium not found at {BROWSER}: install Debian's chromium-headless-shell or chromium package (bash .ci/run installs both)")
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance):
    b = playwright_instance.chromium.launch(executable_path=BROWSER, args=CHROMIUM_ARGS)
    yield b
    b.close()


@pytest.fixture(scope="session")
def pages_context(browser):
    """The browser context of the ``page`` fixture's pages, one per worker: a new context costs
    Chromium about as much again as the page in it. A test that needs other context options
    (a viewport, scripts off, an init script) makes a context of its own."""
    ctx = browser.new_context(viewport={"width": 1200, "height": 900})
    ctx.stl_wiper = ctx.new_page()      # the tab wipe_storage works through, kept open (a tab starts a renderer)
    yield ctx
    ctx.close()


def _origin(url: str) -> str | None:
    from urllib.parse import urlsplit
    u = urlsplit(url)
    if u.scheme in ("http", "https"):
        return f"{u.scheme}://{u.netloc}"
    return "file://" if u.scheme == "file" else None


def wipe_storage(ctx, origins) -> None:
    """Clear what pages of ``ctx`` stored for ``origins`` (local and session storage, IndexedDB, cache
    storage, cookies): Chromium's own Storage.clearDataForOrigin, through a page of the context that
    stays open (``ctx.stl_wiper``, else one opened for it). Close the pages that stored first: a page
    still open may write what it keeps after the wipe."""
    tab = getattr(ctx, "stl_wiper", None)
    own = tab is None or tab.is_closed()
    tab = ctx.new_page() if own else tab
    try:
        cdp = ctx.new_cdp_session(tab)
        for origin in sorted(origins):
            cdp.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})
        cdp.detach()
    finally:
        if own:
            tab.close()
    ctx.clear_cookies()


@pytest.fixture()
def page(pages_context):
    """A new page (its own tab and renderer) in the worker's ``pages_context``; afterwards every page
    the test opened is closed and what they stored is wiped, so no test sees another's progress."""
    origins = set()

    def seen(request):
        if (o := _origin(request.url)) is not None:
            origins.add(o)

    pages_context.on("request", seen)
    pg = pages_context.new_page()
    try:
        yield pg
    finally:
        pages_context.remove_listener("request", seen)
        for p in list(pages_context.pages):
            if p is not pages_context.stl_wiper:
                p.close()
        wipe_storage(pages_context, origins)


@pytest.fixture()
def axe_page(browser):
    """A page that may take axe-core as an inline script: the pages' Content-Security-Policy refuses
    inline scripts it does not know, so this context sets it aside (test_csp checks the policy)."""
    ctx = browser.new_context(viewport={"width": 1200, "height": 900}, bypass_csp=True)
    yield ctx.new_page()
    ctx.close()


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# axe.run on the page, every font taken for a font of letters. axe-core leaves out of its colour
# contrast check a text it takes for an icon font's ligature: it draws the text's first letter alone
# and then the whole text, and calls the text an icon when the first letter looks different. Arabic
# letters join, so a word's first letter is drawn alone in another form than in the word: axe took
# many Arabic words for icons, left their contrast unchecked, and drew each on a canvas (most of its
# time on an Arabic page). The book has no icon ligature font (the sweep asks axe on a page of each
# template in English, where its test is sound), so each run starts with every font known as a font
# of letters: axe keeps what it learns of fonts in its cache (axe._cache) until the run ends.
AXE_RUN = """opts => {
  axe._cache.set("fonts", new Proxy({}, {
    get: (fonts, family) => fonts[family] ??= {occurrences: Infinity, numLigatures: 0}}));
  return axe.run(document, opts);
}"""


def axe(page, axe_source: str, only_rules=None, preload: bool = True, without=()) -> list[str]:
    """axe-core's WCAG 2.2 A/AA violations on the page as it is now (or only ``only_rules``; or all
    but the rules ``without``), a line each. axe goes in as an inline script unless the context
    loaded it already (an init script, which a page's Content-Security-Policy does not stop; an
    inline script needs ``bypass_csp``).
    ``preload=False``: axe does not fetch the page's stylesheets again (a page from file:// whose
    policy refuses such fetches)."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    run_only = {"type": "rule", "values": only_rules} if only_rules else {"type": "tag", "values": AXE_TAGS}
    options = {"runOnly": run_only, "resultTypes": ["violations"], "preload": preload}
    if without:
        options["rules"] = {r: {"enabled": False} for r in without}
    result = page.evaluate(AXE_RUN, options)
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


def dump_yaml(data, **kw) -> str:
    """``yaml.safe_dump`` (unicode kept, keys in their order) with libyaml's emitter where PyYAML has
    it: the tests that write many generated files spend most of their time writing YAML otherwise."""
    import yaml
    return yaml.dump(data, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper),
                     **{"allow_unicode": True, "sort_keys": False, **kw})


def load_yaml(text: str):
    """``yaml.safe_load`` with libyaml's parser where PyYAML has it (the tests read many YAML files):
    the package's reader of its own data files."""
    from spotthelure.i18n import safe_load_yaml
    return safe_load_yaml(text)


def run(*args, **kw):
    """`python -m spotthelure ARGS` as a program (for the "exit code and no traceback" contract)."""
    return subprocess.run([sys.executable, "-m", "spotthelure", *args], capture_output=True, text=True, cwd=kw.pop("cwd", ROOT), **kw)


def run_here(*args, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """`spotthelure ARGS` in this process (no interpreter to start): the same exit code and the same
    output as `run`; an exception fails the test with its traceback, as a traceback in the output would."""
    from spotthelure.cli import main
    with _in_process(cwd) as (out, err):
        rc = main(list(args))
    return subprocess.CompletedProcess(["spotthelure", *args], rc, out.getvalue(), err.getvalue())


@contextlib.contextmanager
def _in_process(cwd: Path):
    """A command run here as if in ``cwd``: yields the StringIOs that catch what it prints, and keeps
    Sphinx's defaults (``sphinx_defaults_kept``)."""
    import io
    import os
    out, err = io.StringIO(), io.StringIO()
    before = os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), sphinx_defaults_kept():
            yield out, err
    finally:
        os.chdir(before)


@contextlib.contextmanager
def sphinx_defaults_kept():
    """A build in this process leaves Sphinx's defaults as they were: Sphinx keeps the default of
    ``source_suffix`` (a dict) on its Config class, and an extension that adds a suffix to a book
    without its own setting changes that default for every later build in the process."""
    import copy

    from sphinx.config import Config
    kept = {name: copy.deepcopy(value) for name, value in Config.config_values.items()}
    try:
        yield
    finally:
        Config.config_values.clear()
        Config.config_values.update(kept)


# ---- the pseudo-locale (tests/i18n_helpers.py) ----------------------------------------------------

@pytest.fixture(scope="session")
def pseudo_dir(tmp_path_factory) -> Path:
    """The package's catalog compiled as the pseudo-locale, once a session."""
    from i18n_helpers import pseudo_catalog
    d = tmp_path_factory.mktemp("pseudo-locales")
    pseudo_catalog(d)
    return d


@pytest.fixture()
def pseudo(pseudo_dir):
    """Inside the test, every message in the pseudo-locale: each word from the catalog is ⟦…⟧."""
    from i18n_helpers import PSEUDO

    from spotthelure import i18n
    with i18n.use_locales(pseudo_dir), i18n.language(PSEUDO):
        yield pseudo_dir
