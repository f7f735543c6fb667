"""The whole-site browser tier: one Chromium load per page, doing everything that page needs.

Each page is opened once, with its Content-Security-Policy in force and Chromium's net log on, and:
- it requests nothing outside the site, and nothing fails (no failed request, no HTTP error, no
  console error, no script error, no WebSocket);
- axe-core finds no WCAG 2.2 A/AA violation (light mode);
- nothing on it breaks its policy, before and after its activities are used (an answer chosen,
  every button pressed), since a widget that worked only without the policy would fail here;
- once per page template (and on the pages a learner looking for help opens), axe's colour rules
  run again in dark mode (all its rules on the help page: see COLOUR_RULES), on the page as its
  activities left it (answers chosen, feedback shown), and axe is asked which texts it would take
  for an icon font's ligatures (none: see conftest.AXE_RUN).

Every page of the book and every notebook is opened; printables (print/) and offline files
(downloads/) are five templates rendered 222 times, so one page per template and kind is opened.
The list is computed from the sources when the tests are collected (the same on a clean checkout
as after a build), and ``test_every_built_page_is_swept`` checks it against the built site: a new
page, or a printable of a new template, that the sweep would miss fails there. The last test reads
the net log of the whole sweep (Playwright's events miss browser-level fetches such as favicons and
preconnects; the net log does not).
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import BROWSER, CHROMIUM_ARGS, ROOT, all_pages, axe, is_redirect, serve

SEARCH = "search.html?q=trusted+adult"
# Set before any page script runs: the page's policy violations, as the page itself sees them.
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`));
"""
# The texts axe-core would take for an icon font's ligatures (and leave out of its contrast check):
# none on a page of the book (conftest.AXE_RUN tells axe so, for the languages where its test misfires).
ICON_LIGATURES = """() => {
  const found = [];
  const walk = (v) => { for (const c of v.children || []) {
    if (c.props.nodeType !== 3) walk(c);
    else if (c.props.nodeValue.trim() && axe.commons.text.isIconLigature(c)) found.push(c.props.nodeValue.trim().slice(0, 40));
  } };
  walk(axe.setup(document));
  axe.teardown();
  return found;
}"""
# What dark mode changes on a page: colours (the book's styles and the printables' set colours only),
# so axe's rules on colour run again in dark mode: contrast, and links told apart from the text around
# them. The theme also swaps its colour-scheme button's icon (and would show `only-dark` images, which
# no page has): every rule runs again in dark mode on one page of the theme (DARK_ALL_RULES).
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
DARK_ALL_RULES = "book/get-help.html"
# Pages Sphinx writes that have no source file of their own.
SPHINX_PAGES = ["genindex.html", "search.html"]


# --------------------------------------------------------------------------- which pages, which template

def _handout_layout(stem: str) -> str:
    text = (ROOT / "activities" / "handouts" / f"{stem}.yml").read_text(encoding="utf-8")
    m = re.search(r"^layout:\s*(\w+)", text, re.M)
    return m.group(1) if m else "sheet"


def template(path: str) -> str:
    """The template (and kind) a built page is made from; a page of each is checked in dark mode."""
    name = path.rsplit("/", 1)[-1]
    if path.startswith("print/"):
        if name.endswith("-worksheet.html"):
            return "print: quiz worksheet"
        if name.endswith("-answers.html"):
            return "print: quiz answer key"
        if name.endswith("-cards.html"):
            return "print: role-play cards"
        if name.startswith("sc-"):
            return "print: chat story"
        if name.startswith("eval-"):
            return "print: questionnaire"
        if name.startswith("h"):
            return f"print: handout ({_handout_layout(name[:-5])})"
        return f"print: unknown ({name})"
    if path.startswith("downloads/"):
        if name.startswith("q"):
            return "download: quiz"
        if name.startswith("sc-"):
            return "download: chat story"
        return f"download: unknown ({name})"
    if path.startswith("slides/"):
        return "slides"
    if path.startswith("factsheets/"):
        return "factsheet"
    if path.startswith("notebooks/student-"):
        return "student module"
    if path.startswith("notebooks/"):
        return "notebook"
    if path in ("index.html",):
        return "site root"
    if path == "book/index.html":
        return "landing"
    if re.match(r"book/teachers/ages-[\d-]+/\d+-", path):
        return "lesson"
    if path.startswith("book/facilitators/"):
        return "workshop"
    if path in SPHINX_PAGES:
        return path[:-5]
    return "page"


def content_pages(root: Path = ROOT) -> list[str]:
    """Every page the book's sources make: its MyST pages, its notebooks, the site root and Sphinx's own."""
    pages = ["index.html", *SPHINX_PAGES]
    for p in (root / "book").rglob("*.md"):
        rel = p.relative_to(root)
        if p.name != "README.md" and not any(part.startswith(".") for part in rel.parts):
            pages.append(rel.with_suffix(".html").as_posix())
    for p in (root / "notebooks").glob("*.ipynb"):
        pages.append(f"notebooks/{p.stem}.html")
    return sorted(pages)


def generated_sample(root: Path = ROOT) -> list[str]:
    """One printable and one offline file per template and kind (the first, by name), from the activities."""
    candidates = []
    for f in sorted((root / "activities").glob("*/*.yml")):
        folder, stem = f.parent.name, f.stem
        if folder == "quizzes":
            candidates += [f"print/{stem}-worksheet.html", f"print/{stem}-answers.html", f"downloads/{stem}.html"]
        elif folder == "scenarios":
            candidates += [f"print/{stem}.html", f"downloads/{stem}.html"]
        elif folder == "roleplays":
            candidates.append(f"print/{stem}-cards.html")
        elif folder in ("handouts", "evaluation"):
            candidates.append(f"print/{stem}.html")
    for f in sorted((root / "book" / "teachers").glob("ages-*/[0-9]*-*.md")):      # each lesson's slides
        m = re.search(r"^lesson:\n(?:[ \t].*\n)*?[ \t]+id:[ \t]*([a-z0-9-]+)", f.read_text(encoding="utf-8"), re.M)
        if m:
            candidates.append(f"slides/{m.group(1)}.html")
    candidates += [f"factsheets/{f.stem}.html" for f in sorted((root / "data" / "countries").glob("*.yml"))
                   if not f.name.startswith("_")] + ["factsheets/template.html"]
    seen, sample = set(), []
    for path in sorted(candidates):
        if template(path) not in seen:
            seen.add(template(path))
            sample.append(path)
    return sample


CONTENT = content_pages()
SAMPLE = generated_sample()
SWEEP = CONTENT + SAMPLE + [SEARCH]
# The first page of each template (the site root's redirect aside): the pages checked in dark mode,
# and in every language (test_languages_site).
ONE_OF_EACH: dict[str, str] = {}
for _p in CONTENT + SAMPLE:
    if template(_p) != "site root":
        ONE_OF_EACH.setdefault(template(_p), _p)
# and the pages a learner in trouble goes to
DARK = set(ONE_OF_EACH.values()) | {"book/get-help.html", "book/students/index.html"}


# --------------------------------------------------------------------------- the browser

class Sweep:
    """One Chromium for the whole module, its net log written to a file, and the pages it opened.
    The pages open one after another in one tab of one context (axe and the policy listener go in
    once; a new tab for each page would start a new renderer and cost Chromium three times the
    work); after each page its stored progress is wiped and light mode is set again, so no page
    changes the next."""

    def __init__(self, playwright, log: Path | None, axe_source: str, browser=None):
        """A Chromium of its own with its net log in ``log``, or pages in ``browser`` (a probe)."""
        self.log = log
        self.axe_source = axe_source
        self.own = browser is None
        self.browser = browser or playwright.chromium.launch(
            executable_path=BROWSER, args=CHROMIUM_ARGS + [f"--log-net-log={log}", "--net-log-capture-mode=Default"])
        self.opened: list[str] = []
        self.closed = False
        self._context = None
        self._tab = None

    def context(self):
        if self._context is None:
            self._context = self.browser.new_context(viewport={"width": 1200, "height": 900})
            self._context.add_init_script(LISTEN)
            # axe-core comes in as an init script: the page's policy refuses inline scripts it does not know.
            self._context.add_init_script(self.axe_source)
        return self._context

    def tab(self):
        """The sweep's one tab (a new one if the last was closed or crashed)."""
        if self._tab is None or self._tab.is_closed():
            self._tab = self.context().new_page()
        return self._tab

    def close(self):
        if not self.closed:
            if self._context is not None:
                self._context.close()
            if self.own:
                self.browser.close()
            self.closed = True


@pytest.fixture(scope="module")
def sweep(playwright_instance, axe_source, tmp_path_factory):
    s = Sweep(playwright_instance, tmp_path_factory.mktemp("netlog") / "netlog.json", axe_source)
    yield s
    s.close()


def _wait_for(pg, expression: str, seconds: float = 30):
    """Poll from outside the page (Playwright's own waiting evaluates strings, which the policy refuses)."""
    for _ in range(int(seconds * 10)):
        if pg.evaluate(expression):
            return
        pg.wait_for_timeout(100)
    raise AssertionError(f"timed out waiting for {expression} on {pg.url}")


# Settled: the page's fonts are loaded and two frames drawn (what it does on loading is laid out and
# painted), then the tasks already queued have run (the policy's violation events among them). At
# most half a second: a page the browser does not draw (a tab in the background) is not waited for.
SETTLE = """() => Promise.race([
  new Promise(done => setTimeout(done, 500)),
  document.fonts.ready.then(() => new Promise(done =>
    requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 0))))),
])"""


def _favicon(url: str) -> bool:
    return urlparse(url).path.rsplit("/", 1)[-1].startswith("favicon.")


def _settle(pg) -> None:
    pg.evaluate(SETTLE)


def _exercise(pg):
    """Use the page's activities: choose an answer in each quiz and chat story, press the buttons."""
    pg.evaluate("""() => {
      for (const f of document.querySelectorAll('.stl-activity fieldset, .stl-activity [role=radiogroup]')) {
        const r = f.querySelector('input'); if (r) r.click();
      }
      for (const b of document.querySelectorAll('.stl-activity button')) { try { b.click(); } catch (e) {} }
    }""")


def check_page(sweep: Sweep, base: str, path: str, redirect: bool = False, dark: bool = False,
               colours: bool = True) -> list[str]:
    """Open one page in the sweep's tab (its stored progress wiped and light mode set again
    afterwards: one page must not change the next) and return every problem found on it.
    ``colours=False``: axe's rules on colour (COLOUR_RULES) are left out (test_languages_site: a
    page whose colours another page of its language and template already had checked)."""
    pg = sweep.tab()
    requests, failures, errors = [], [], []
    acting = []                   # set once the check acts on the page (presses its buttons)
    listeners = {
        "request": lambda r: requests.append(r),
        # Not this page's failures, when the browser cancelled them: a request of the page before,
        # cancelled when this one opens in the tab; the favicon, which the browser asks for itself once
        # a page has loaded, so that the request of the page before may start even after this check
        # has begun to listen (a missing favicon is still an HTTP error); and a request this check's own
        # actions cut short (pressing every button, the campaign planner's Print among them)
        "requestfailed": lambda r: None if r.failure == "net::ERR_ABORTED" and (
            acting or r not in requests or _favicon(r.url))
        else failures.append(f"{r.url}: {r.failure}"),
        "response": lambda r: failures.append(f"{r.url}: HTTP {r.status}") if r.status >= 400 else None,
        "console": lambda m: errors.append(m.text) if m.type == "error" else None,
        "pageerror": lambda e: errors.append(str(e)),
        "websocket": lambda ws: failures.append(f"websocket {ws.url}"),
    }
    for event, listener in listeners.items():
        pg.on(event, listener)
    problems = []
    try:
        pg.goto(f"{base}/{path}", wait_until="load")
        sweep.opened.append(path)
        if redirect:                      # the site root forwards at once: wait until the book's page has loaded
            from playwright.sync_api import TimeoutError as PlaywrightTimeout
            try:
                pg.wait_for_url(re.compile(r".*/book/index\.html$"), timeout=60_000)
                pg.wait_for_load_state("load")
            except PlaywrightTimeout:
                problems.append("the page did not forward to book/index.html")
        else:
            if "?q=" in path:
                _wait_for(pg, "document.querySelectorAll('#search-results li').length > 0")
            _settle(pg)
            problems += [f"axe: {v}" for v in axe(pg, sweep.axe_source, without=() if colours else COLOUR_RULES)]
            problems += [f"policy (as loaded): {v}" for v in pg.evaluate("window.__csp")]
            acting.append(True)
            _exercise(pg)
            _settle(pg)
            problems += [f"policy (activities used): {v}" for v in pg.evaluate("window.__csp")]
            if dark:             # the colour scheme is CSS's alone (no script reads it on loading)
                if pg.url != f"{base}/{path}":         # a button went to another page: back to this one
                    pg.goto(f"{base}/{path}", wait_until="load")
                problems += [f"axe takes this text for an icon font's ligature: {t!r}" for t in pg.evaluate(ICON_LIGATURES)]
                pg.emulate_media(color_scheme="dark")
                _settle(pg)
                rules = None if path.endswith(DARK_ALL_RULES) else COLOUR_RULES
                problems += [f"axe (dark): {v}" for v in axe(pg, sweep.axe_source, only_rules=rules)]
    finally:
        try:
            pg.evaluate("() => { try { localStorage.clear(); sessionStorage.clear(); } catch (e) {} }")
        except Exception:       # noqa: BLE001 - a page that failed to load has nothing stored
            pass
        if dark and not pg.is_closed():
            pg.emulate_media(color_scheme="light")
        for event, listener in listeners.items():     # nothing after this reaches this page's problems
            pg.remove_listener(event, listener)
    outside = [r.url for r in requests
               if not (r.url.startswith(base + "/") or r.url.startswith(("data:", "blob:", "about:")))]
    problems += [f"requested outside the site: {u}" for u in outside]
    problems += [f"failed: {f}" for f in failures]
    problems += [f"console error: {e}" for e in errors]
    return problems


# --------------------------------------------------------------------------- the tests

def test_the_sweep_covers_each_template():
    """Computed from the sources, so a clean checkout collects the same cases as a built one."""
    assert len(CONTENT) > 40
    assert DARK_ALL_RULES in CONTENT and DARK_ALL_RULES in DARK
    kinds = {template(p) for p in SAMPLE}
    assert {"print: quiz worksheet", "print: quiz answer key", "print: role-play cards", "print: chat story",
            "print: questionnaire", "download: quiz", "download: chat story", "slides"} <= kinds, kinds
    assert len([k for k in kinds if k.startswith("print: handout")]) >= 3, kinds
    assert not [k for k in kinds if "unknown" in k], kinds
    assert {"landing", "lesson", "workshop", "notebook", "student module", "page", "search"} \
        <= {template(p) for p in DARK}


def test_every_built_page_is_swept(site):
    """Every page of the book is opened by the sweep, and every printable and offline file is of a
    template the sweep opens one of."""
    built = set(all_pages(site))
    assert set(CONTENT) <= built, f"not built: {sorted(set(CONTENT) - built)}"
    assert set(SAMPLE) <= built, f"not built: {sorted(set(SAMPLE) - built)}"
    rest = built - set(CONTENT)
    stray = sorted(p for p in rest if not p.startswith(("print/", "downloads/", "slides/", "factsheets/")))
    assert not stray, f"pages the sweep does not know: {stray}"
    swept = {template(p) for p in SAMPLE}
    unswept = sorted(f"{p} ({template(p)})" for p in rest if template(p) not in swept)
    assert not unswept, f"printables or offline files of a template the sweep never opens: {unswept}"
    assert len(rest) > 100, "the printables and offline files of every activity"


def test_every_printable_and_offline_file_is_well_formed(site):
    """What axe would find on the printables and offline files the sweep does not open, where it
    depends on their content rather than their template: the page's language and title, unique
    ids (item and story node ids come from the activities), headings that skip no level."""
    from collections import Counter
    files = sorted(p for d in ("print", "downloads", "factsheets") for p in (site / d).glob("*.html"))
    assert len(files) > 100
    bad = []
    for f in files:
        html = f.read_text(encoding="utf-8")
        rel = f.relative_to(site).as_posix()
        if not re.search(r'<html lang="[a-z]{2}[^"]*"', html):
            bad.append(f"{rel}: no language on <html>")
        title = re.search(r"<title>([^<]*)</title>", html)
        if not title or not title.group(1).strip():
            bad.append(f"{rel}: no title")
        twice = [i for i, n in Counter(re.findall(r'\sid="([^"]+)"', html)).items() if n > 1]
        if twice:
            bad.append(f"{rel}: ids used twice: {twice[:5]}")
        levels = [int(x) for x in re.findall(r"<h([1-6])\b", html)]
        if levels and levels[0] != 1 or any(b > a + 1 for a, b in zip(levels, levels[1:])):
            bad.append(f"{rel}: headings skip a level: {levels[:12]}")
    assert not bad, "\n".join(bad[:20])


@pytest.mark.parametrize("path", SWEEP)
def test_page_in_chromium(sweep, server, site, path):
    redirect = "?" not in path and is_redirect(site / path)
    problems = check_page(sweep, server, path, redirect=redirect, dark=path in DARK)
    assert not problems, f"{path}:\n" + "\n".join(problems[:30])


def test_the_sweep_finds_what_it_should(browser, axe_source, tmp_path):
    """The checks can fail: pages with a low-contrast line (in Arabic too, which axe alone would take
    for an icon font's ligature and leave unchecked), an inline script the policy refuses, an image
    from another site and a script error give each problem (another browser, so that the sweep's net
    log holds the site alone)."""
    from spotthelure.csp import add_meta
    body = ('<main><p id="faint-arabic" lang="ar" dir="rtl" style="color:#bbb;background:#fff">كيف يحدث الاستدراج</p>'
            '<h1>Probe</h1><p style="color:#bbb;background:#fff">faint text</p>'
            '<p id="faint-in-the-dark">faint in dark mode only</p></main>')
    page = ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title><style>'
            '#faint-in-the-dark {{ color: #000; background: #fff }}'
            '@media (prefers-color-scheme: dark) {{ #faint-in-the-dark {{ color: #444; background: #333 }} }}'
            '</style></head><body>{}</body></html>')
    (tmp_path / "policy.html").write_text(add_meta(page.format(body)).replace(
        "</main>", "</main><script>window.__x = 1</script>"), encoding="utf-8")
    (tmp_path / "outside.html").write_text(page.format(
        '<main><h1>Probe</h1><img src="https://tracker.invalid/p.png" alt="x"></main>'
        '<script>no_such_function()</script>'), encoding="utf-8")
    probe = Sweep(None, None, axe_source, browser=browser)
    try:
        with serve(tmp_path) as base:
            policy = "\n".join(check_page(probe, base, "policy.html", dark=True))
            outside = "\n".join(check_page(probe, base, "outside.html"))
    finally:
        probe.close()
    assert "axe: color-contrast" in policy, policy
    assert any(line.startswith("axe: color-contrast") and "#faint-arabic" in line for line in policy.splitlines()), policy
    assert "axe takes this text for an icon font's ligature: 'كيف يحدث الاستدراج'" in policy, policy
    assert "axe (dark): color-contrast" in policy, policy
    dark_only = [line for line in policy.splitlines() if "#faint-in-the-dark" in line]
    assert dark_only and all(line.startswith("axe (dark): ") for line in dark_only), policy
    assert "policy (as loaded): script-src" in policy, policy
    assert "requested outside the site: https://tracker.invalid/p.png" in outside, outside
    assert "console error: " in outside and "no_such_function" in outside, outside


def test_a_request_the_page_before_left_unfinished_is_not_the_next_pages_failure(browser, axe_source, tmp_path):
    """The sweep opens its pages one after another in one tab: a request the page before had not
    finished (a favicon, a late fetch) is cancelled when the next page opens, and is not the next
    page's failure; the next page's own missing file still is."""
    import functools
    import threading
    import time
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Handler(SimpleHTTPRequestHandler):
        def do_GET(self):
            if self.path.startswith("/slow"):
                time.sleep(5)            # still on its way when the next page opens
            try:
                return super().do_GET()
            except (BrokenPipeError, ConnectionResetError):     # the browser had cancelled it
                return None

        def log_message(self, *args):
            pass

    page = '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title></head><body><main><h1>Probe</h1>{}</main></body></html>'
    (tmp_path / "late.html").write_text(page.format(
        '<script>addEventListener("load", () => fetch("slow.txt").catch(() => {}))</script>'), encoding="utf-8")
    (tmp_path / "next.html").write_text(page.format("<p>Next</p>"), encoding="utf-8")
    (tmp_path / "missing.html").write_text(page.format('<img src="no-such.png" alt="x">'), encoding="utf-8")
    (tmp_path / "slow.txt").write_text("late", encoding="utf-8")
    (tmp_path / "favicon.ico").write_bytes(b"")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(tmp_path)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    probe = Sweep(None, None, axe_source, browser=browser)
    try:
        late = check_page(probe, base, "late.html")
        cancelled = []
        probe.tab().on("requestfailed", lambda r: cancelled.append(r.url))
        after = check_page(probe, base, "next.html")
        missing = check_page(probe, base, "missing.html")
    finally:
        probe.close()
        server.shutdown()
        server.server_close()
    assert late == [], late
    assert any(u.endswith("/slow.txt") for u in cancelled), "the late request was cancelled by the next page"
    assert after == [], after
    assert any("no-such.png: HTTP 404" in x for x in missing), missing


def _read_net_log(text: str) -> dict:
    """Chromium writes the net log as it goes and closes the JSON at exit; a log cut short (the
    browser stopped before it finished writing) loses only its last events, so close it here."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        body = text.rstrip().rstrip(",")
        body = body[:body.rfind("}") + 1] if not body.endswith("}") else body
        return json.loads(body + "]}")


def test_net_log_of_the_sweep_shows_only_local_requests(sweep, server, site):
    """Last in this module: reads the net log of every page the sweep opened (run alone, it opens
    the book's pages itself)."""
    if not sweep.opened:
        for path in CONTENT:
            check_page(sweep, server, path)
    opened = len(sweep.opened)
    sweep.close()
    data = _read_net_log(sweep.log.read_text(encoding="utf-8"))
    types = data["constants"]["logEventTypes"]
    start = types["URL_REQUEST_START_JOB"]
    host = urlparse(server).netloc
    seen, outside = 0, []
    for ev in data.get("events", []):
        if ev.get("type") != start:
            continue
        params = ev.get("params", {})
        url = params.get("url", "")
        context = " ".join(str(params.get(k, "")) for k in ("initiator", "network_isolation_key", "site_for_cookies"))
        if host in url or host in context:
            seen += 1
            if urlparse(url).scheme in ("http", "https", "ws", "wss") and urlparse(url).netloc != host:
                outside.append(url)
    assert seen > opened, "the net log should record the site's own requests"
    assert not outside, f"requests outside the site: {sorted(set(outside))}"
