"""Every built page requests nothing outside the site, loads without failed requests or console
errors, and works from file:// (Chromium through Playwright, and Chromium's own net log)."""
from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import CHROMIUM, CHROMIUM_ARGS, SITE, all_pages

PAGES = all_pages(SITE) if SITE.exists() else []
# Attributes that make a browser fetch something (anchors to other sites are navigation, not requests).
FETCHING = re.compile(r"""<(?:script|img|iframe|source|video|audio|embed|input)\b[^>]*\bsrc\s*=\s*["']?(https?:)?//"""
                      r"""|<link\b[^>]*\bhref\s*=\s*["']?(https?:)?//|@import\s+(url\()?["']?(https?:)?//|url\(\s*["']?(https?:)?//""", re.I)


def test_site_has_pages(site):
    assert len(all_pages(site)) > 40, "the site should have every lesson, workshop and activity page"


def test_no_page_or_stylesheet_points_outside(site):
    bad = []
    for p in list(site.rglob("*.html")) + list(site.rglob("*.css")) + list(site.rglob("*.js")):
        if "_sources" in p.parts:
            continue
        text = p.read_text(encoding="utf-8", errors="replace")
        for m in FETCHING.finditer(text):
            bad.append(f"{p.relative_to(site)}: {text[m.start():m.start() + 120]!r}")
    assert not bad, "\n".join(bad[:20])


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_everything_locally(page, server, path):
    requests, failures, errors = [], [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("requestfailed", lambda r: failures.append(f"{r.url}: {r.failure}"))
    page.on("response", lambda r: failures.append(f"{r.url}: HTTP {r.status}") if r.status >= 400 else None)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("websocket", lambda ws: failures.append(f"websocket {ws.url}"))
    page.goto(f"{server}/{path}", wait_until="load")
    page.wait_for_timeout(100)
    outside = [u for u in requests if not (u.startswith(server + "/") or u.startswith(("data:", "blob:", "about:")))]
    assert not outside, f"{path} requested: {outside}"
    assert not failures, f"{path}: {failures}"
    assert not errors, f"{path} console errors: {errors}"


def _read_net_log(text: str) -> dict:
    """Chromium writes the net log as it goes and closes the JSON at exit; a log cut short (the
    browser stopped before it finished writing) loses only its last events, so close it here."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        body = text.rstrip().rstrip(",")
        body = body[:body.rfind("}") + 1] if not body.endswith("}") else body
        return json.loads(body + "]}")


def test_chromium_net_log_shows_only_local_requests(playwright_instance, server, site):
    """Playwright's events miss browser-level fetches (favicons, preconnects); Chromium's net log does not."""
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "netlog.json"
        b = playwright_instance.chromium.launch(executable_path=CHROMIUM,
                                                args=CHROMIUM_ARGS + [f"--log-net-log={log}", "--net-log-capture-mode=Default"])
        pg = b.new_page()
        sample = [p for p in all_pages(site) if not p.startswith(("print/", "downloads/"))]
        for path in sample:
            pg.goto(f"{server}/{path}", wait_until="load")
        b.close()
        data = _read_net_log(log.read_text(encoding="utf-8"))
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
    assert seen > len(sample), "the net log should record the site's own requests"
    assert not outside, f"requests outside the site: {sorted(set(outside))}"


def test_pages_work_from_file_urls(page, site):
    """Opened from a USB stick: the page, its styles and a quiz all work with file:// URLs."""
    lesson = next(p for p in all_pages(site) if "/ages-9-11/1-" in p)
    errors, failures = [], []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: failures.append(r.url))
    page.goto((site / lesson).as_uri())
    assert page.evaluate("getComputedStyle(document.body).fontFamily") != ""
    form = page.locator("section.stl-quiz form.stl-item").first
    form.locator("input").first.check()
    form.locator("button.stl-check").click()
    assert form.locator(".stl-result").inner_text().strip() != ""
    page.reload()
    assert page.locator("section.stl-quiz form.stl-item").first.locator("input").first.is_checked()
    assert not errors and not failures, (errors, failures)


def test_site_root_forwards_to_the_book(page, server, site):
    """The root page is a complete page (language, title, a link for readers without refresh)."""
    root = (site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in root and "<title>" in root and 'href="book/index.html"' in root
    page.goto(f"{server}/")
    page.wait_for_url("**/book/index.html")
    assert page.locator("h1").first.inner_text().strip()
