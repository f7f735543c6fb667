"""What each page makes the browser wait for before the first paint: as little as the page needs.

No script blocks rendering; a stylesheet for code, for notebook cells, for tabs or toggles is linked
only on pages that use it, and every page that uses one links it.
"""
from __future__ import annotations

import re

import pytest

from conftest import all_pages, is_redirect

LINK = re.compile(r'<link rel="stylesheet"[^>]*href="([^"]+)"')
SCRIPT = re.compile(r"<script\b([^>]*)>")


@pytest.fixture(scope="module")
def pages(site) -> list[str]:
    """The book's pages, listed from the built site (printables, offline files, slides and fact sheets
    carry their styles inline, with no head to wait for)."""
    found = [p for p in all_pages(site, redirects=False)
             if not p.startswith(("print/", "downloads/", "slides/", "factsheets/"))]
    assert len(found) > 40, "the book's pages"
    return found


def _head_and_body(site, path):
    text = (site / path).read_text(encoding="utf-8")
    i = text.find("<body")
    return text[:i], text[i:]


def _styles(head):
    return {re.sub(r"\?.*$", "", h).rsplit("/", 1)[-1] for h in LINK.findall(head)}


def test_no_script_blocks_the_first_paint(site, pages):
    bad = []
    for path in pages:
        head, _ = _head_and_body(site, path)
        for attrs in SCRIPT.findall(head):
            if "src=" in attrs and not re.search(r"\b(defer|async)\b", attrs) and 'type="module"' not in attrs:
                bad.append(f"{path}: <script{attrs}>")
    assert not bad, "\n".join(bad[:10])


def test_stylesheets_only_where_used(site, pages):
    seen = {"pygments": 0, "mystnb": 0}
    for path in pages:
        head, body = _head_and_body(site, path)
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
    assert "cell_input" not in (site / "notebooks/student-12-14.html").read_text(encoding="utf-8")


def test_no_leftover_assets_of_unused_extensions(site):
    static = {p.name for p in (site / "_static").iterdir()}
    assert not {n for n in static if n.startswith(("sphinx-design", "design-tabs", "togglebutton"))}, static
    assert not is_redirect(site / "book" / "index.html")
