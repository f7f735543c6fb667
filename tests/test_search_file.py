"""Search from a USB stick: the built site opened from file://, with no web server, finds pages and
logs no error (Sphinx's search would fetch each page for a snippet, which file:// forbids)."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("query", ["sextortion", "trusted adult"])
def test_search_from_file_url_finds_pages_without_console_errors(site, browser, query):
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((site / "search.html").as_uri() + "?q=" + query.replace(" ", "+"))
    page.wait_for_selector("#search-results li", timeout=15000)
    page.wait_for_timeout(1500)   # any snippet fetch would have failed by now
    titles = page.locator("#search-results li a").all_inner_texts()
    summary = page.locator("#search-results p.search-summary").inner_text()
    page.close()
    assert len(titles) >= 3, (titles, summary)
    assert errors == [], errors
