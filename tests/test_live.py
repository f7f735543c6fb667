"""`make live`: the notebooks in Voilà, on 127.0.0.1, with nothing loaded from outside (the start
page and the student modules: as served, and as Chromium loads them).

Starts the Makefile's own target on a free port (once for the file), opens two student modules in
Chromium, answers a quiz item and takes a step in a chat story through the live widgets (a real
kernel behind them), and uses the campaign planner's widget.
"""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
import urllib.request

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow       # Voilà starts a kernel for each page


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def voila():
    port = _free_port()
    proc = subprocess.Popen(["make", "-s", "live", f"LIVE_PORT={port}"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while True:
        try:
            urllib.request.urlopen(base + "/", timeout=2)
            break
        except OSError:
            if proc.poll() is not None or time.time() > deadline:
                os.killpg(proc.pid, signal.SIGTERM)
                pytest.fail("make live did not start:\n" + (proc.stdout.read() if proc.stdout else ""))
            time.sleep(0.5)
    yield base
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=30)


# A link or import that would make the browser fetch from another host (or a host-relative "//" URL).
OUTSIDE = re.compile(r"""(?:\b(?:src|href|action|poster|data)\s*=\s*["']?\s*|url\(\s*["']?|@import\s+["'])(?:https?:)?//""",
                     re.I)


def _links_nothing_outside(html: str, path: str, expect: str) -> None:
    assert "<html" in html.lower() and expect in html.lower()
    found = [html[max(0, m.start() - 60):m.end() + 60] for m in OUTSIDE.finditer(html)]
    assert not found, f"{path} links outside this machine: {found}"
    assert "cdn.jsdelivr.net" not in html and "fontawesome" not in html and "font-awesome" not in html


def test_start_page_links_nothing_outside(voila):
    """The start page (the file list `make live` opens on), as served (each student module, as served,
    is checked where Chromium opens it: Voilà runs the whole notebook for each page it serves)."""
    _links_nothing_outside(urllib.request.urlopen(voila + "/", timeout=180).read().decode(), "/", "voila-tree-main")


def test_start_page_requests_nothing_outside(voila, browser):
    """The start page in Chromium: it lists the student modules and loads nothing from another host."""
    ctx = browser.new_context(viewport={"width": 1200, "height": 900})
    page = ctx.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("websocket", lambda ws: requests.append(ws.url))
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: errors.append(f"{r.url}: {r.failure}"))
    page.on("response", lambda r: errors.append(f"{r.url}: HTTP {r.status}") if r.status >= 400 else None)
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    listed = page.get_by_text("student-9-11.ipynb")       # the file list, drawn by the page's script
    for attempt in (1, 2):
        # Voilà's file list now and then stays empty on a loaded machine (the cause is not known; it
        # shows in about a second otherwise, under load too): the page is opened once more, as a reader
        # would, after 10 s, and the errors it saw are kept for the message.
        page.goto(voila + "/", wait_until="load", timeout=60_000)
        try:
            listed.wait_for(timeout=10_000 if attempt == 1 else 30_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise AssertionError("the start page shows no file list after two loads:\n"
                                     + page.inner_text("body")[:500] + "\n" + "\n".join(errors[:20])) from None
    page.wait_for_load_state("networkidle", timeout=30_000)
    assert requests, "the page was not loaded"
    outside = [u for u in requests if not u.startswith((voila, voila.replace("http", "ws"), "data:", "blob:"))]
    assert not outside, f"requests outside this machine: {outside}"
    ctx.close()


@pytest.mark.parametrize("band", ["9-11", "15-18"])
def test_student_module_works_live(voila, browser, band):
    ctx = browser.new_context(viewport={"width": 1200, "height": 900})
    page = ctx.new_page()
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("websocket", lambda ws: requests.append(ws.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    path = f"/voila/render/student-{band}.ipynb"
    served = page.goto(voila + path, timeout=180_000)
    _links_nothing_outside(served.text(), path, "student")          # the page as served
    page.wait_for_selector("button:has-text('Check answer')", timeout=180_000)

    # A quiz item: choose the first option, check, and the kernel writes feedback back.
    radio = page.locator(".widget-radio-box input").first
    radio.check()
    page.locator("button:has-text('Check answer')").first.click()
    page.wait_for_function("document.body.innerText.includes('Correct. Well done.') || "
                           "document.body.innerText.includes('Not quite yet.')", timeout=30_000)
    page.wait_for_function("document.body.innerText.includes('Answered 1 of')", timeout=30_000)

    # A chat story: "Start again" is there, and a choice moves the story on to "Step 2".
    assert page.locator("button:has-text('Start again')").count() >= 2, "at least two chat stories"
    story = page.locator(".widget-vbox:has(> .widget-hbox > button:has-text('Start again'))").first
    story.locator("> .widget-vbox button").first.click()
    page.wait_for_function("document.body.innerText.includes('Step 2 ·')", timeout=30_000)

    outside = [u for u in requests if not u.startswith((voila, voila.replace("http", "ws"), "data:", "blob:"))]
    assert not outside, f"requests outside this machine: {outside}"
    assert not errors, errors
    ctx.close()


def test_campaign_planner_works_live(voila, page):
    """The campaign planner's notebook in Voilà, a real kernel behind the widget: ticking two boxes
    lists the activities that fit them."""
    from spotthelure.campaign import fitting, load_campaign
    c, _ = load_campaign(ROOT)
    page.goto(f"{voila}/voila/render/campaign-planner.ipynb", timeout=180_000)
    page.wait_for_selector(".widget-checkbox input", timeout=180_000)
    assert page.locator(".widget-checkbox input").count() == len(c.groups) + len(c.objectives)
    page.locator(".widget-checkbox", has_text="Media").locator("input").check()
    page.locator(".widget-checkbox", has_text="Influence policy").locator("input").check()
    want = ["stl-cp-" + t["id"] for t in fitting(c, ["media"], ["policy"])]
    page.wait_for_function("n => document.querySelectorAll('.widget-html tr[id^=stl-cp-]').length === n", arg=len(want))
    assert page.eval_on_selector_all(".widget-html tr[id^=stl-cp-]", "rs => rs.map(r => r.id)") == want
