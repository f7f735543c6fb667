"""`make live`: the student notebooks in Voilà, on 127.0.0.1, with nothing loaded from outside.

Starts the Makefile's own target on a free port, opens a student module in Chromium, answers a quiz
item and takes a step in a chat story through the live widgets (a real kernel behind them).
"""
from __future__ import annotations

import os
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


def test_voila_page_has_no_outside_links(voila):
    html = urllib.request.urlopen(voila + "/voila/render/student-12-14.ipynb", timeout=180).read().decode()
    assert "<html" in html.lower() and "student" in html.lower()
    assert "cdn.jsdelivr.net" not in html and "fontawesome" not in html


@pytest.mark.parametrize("band", ["9-11", "15-18"])
def test_student_module_works_live(voila, browser, band):
    ctx = browser.new_context(viewport={"width": 1200, "height": 900})
    page = ctx.new_page()
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("websocket", lambda ws: requests.append(ws.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{voila}/voila/render/student-{band}.ipynb", timeout=180_000)
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
