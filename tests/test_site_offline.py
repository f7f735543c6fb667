"""Nothing in the built site points outside it, and the site works from file:// and from its root.

Each page's own load (no request outside the site, no failed request, no console error, and
Chromium's net log) is checked in the whole-site sweep, test_site_pages.py.
"""
from __future__ import annotations

import re

from conftest import all_pages

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
