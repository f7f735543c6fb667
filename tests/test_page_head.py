"""What each page makes the browser wait for before the first paint: as little as the page needs.

No script blocks rendering; a stylesheet for code, for notebook cells, for tabs or toggles is linked
only on pages that use it, and every page that uses one links it.
"""
from __future__ import annotations

import re

from conftest import SITE, all_pages, is_redirect

# The book's pages (printables and offline files carry their styles inline, with no head to wait for).
PAGES = [p for p in all_pages(SITE, redirects=False) if not p.startswith(("print/", "downloads/"))] \
    if SITE.exists() else []
LINK = re.compile(r'<link rel="stylesheet"[^>]*href="([^"]+)"')
SCRIPT = re.compile(r"<script\b([^>]*)>")


def _head_and_body(path):
    text = (SITE / path).read_text(encoding="utf-8")
    i = text.find("<body")
    return text[:i], text[i:]


def _styles(head):
    return {re.sub(r"\?.*$", "", h).rsplit("/", 1)[-1] for h in LINK.findall(head)}


def test_no_script_blocks_the_first_paint(site):
    bad = []
    for path in PAGES:
        head, _ = _head_and_body(path)
        for attrs in SCRIPT.findall(head):
            if "src=" in attrs and not re.search(r"\b(defer|async)\b", attrs) and 'type="module"' not in attrs:
                bad.append(f"{path}: <script{attrs}>")
    assert not bad, "\n".join(bad[:10])


def test_stylesheets_only_where_used(site):
    assert len(PAGES) > 40
    seen = {"pygments": 0, "mystnb": 0}
    for path in PAGES:
        head, body = _head_and_body(path)
        styles = _styles(head)
        assert {"furo.css", "furo-extensions.css", "spotthelure.css"} <= styles, path
        assert not any(s.startswith(("sphinx-design", "togglebutton")) for s in styles), path
        code = 'class="highlight' in body
        assert ("pygments.css" in styles) == code, f"{path}: code blocks {code}, pygments.css {not code}"
        cells = "cell_input" in body or "output stream" in body or "text_plain" in body
        assert any(s.startswith("mystnb.") for s in styles) == cells, f"{path}: code cells {cells}"
        seen["pygments"] += code
        seen["mystnb"] += cells
    # Both cases occur in the book, so both directions of each check ran.
    assert seen["pygments"] >= 2 and seen["mystnb"] >= 1, seen
    assert "cell_input" not in (SITE / "notebooks/student-12-14.html").read_text(encoding="utf-8")


def test_no_leftover_assets_of_unused_extensions(site):
    static = {p.name for p in (site / "_static").iterdir()}
    assert not {n for n in static if n.startswith(("sphinx-design", "design-tabs", "togglebutton"))}, static
    assert not is_redirect(SITE / "book" / "index.html")
