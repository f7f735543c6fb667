"""The ``page`` fixture's pages share one browser context per worker (tests/conftest.py): what one
test's pages store is wiped before the next test, on the site and on file:// pages alike."""
from __future__ import annotations

from conftest import _origin, wipe_storage

PROBE = "stl-isolation-probe"


def _stored(pg) -> list:
    return pg.evaluate(f"[localStorage.getItem({PROBE!r}), document.cookie.includes({PROBE!r})]")


def test_what_a_test_stored_is_wiped_before_the_next(pages_context, server, site, tmp_path):
    local = tmp_path / "p.html"
    local.write_text("<!DOCTYPE html><html lang=\"en\"><title>t</title><p>x</p></html>", encoding="utf-8")
    page_url = f"{server}/book/get-help.html"
    pg = pages_context.new_page()
    try:
        pg.goto(page_url)
        pg.evaluate(f"localStorage.setItem({PROBE!r}, '1'); document.cookie = {PROBE + '=1; path=/'!r}")
        pg.goto(local.as_uri())
        pg.evaluate(f"localStorage.setItem({PROBE!r}, '1')")
    finally:
        pg.close()
    # without the wipe, the next page of the context would see it
    pg = pages_context.new_page()
    try:
        pg.goto(page_url)
        assert _stored(pg) == ["1", True]
        pg.goto(local.as_uri())
        assert pg.evaluate(f"localStorage.getItem({PROBE!r})") == "1"
    finally:
        pg.close()
    wipe_storage(pages_context, {_origin(page_url), _origin(local.as_uri())})
    pg = pages_context.new_page()
    try:
        pg.goto(page_url)
        assert _stored(pg) == [None, False]
        pg.goto(local.as_uri())
        assert pg.evaluate(f"localStorage.getItem({PROBE!r})") is None
    finally:
        pg.close()
