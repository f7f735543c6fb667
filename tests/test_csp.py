"""Every page the site holds carries a Content-Security-Policy, and nothing on any page breaks it.

The policy is a <meta> tag (it works from file:// as well as from a server): scripts only from the
site and the inline scripts the pages were written with (by hash), no connections, images, fonts
and styles from the site. Chromium loads every built page (the list is taken from the site at run
time) in the whole-site sweep (test_site_pages.py), which reports each violation it sees, both as a
``securitypolicyviolation`` event and as a console message, before and after the page's activities
are used. Here: the policy on every page, from file:// too, and that it refuses what it should.
"""
from __future__ import annotations

import re

import pytest

from conftest import all_pages

META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`));
"""


def _policy(site, path) -> dict[str, str]:
    html = (site / path).read_text(encoding="utf-8")
    m = META.search(html)
    assert m, f"{path}: no Content-Security-Policy"
    head_end = html.find("</head>")
    first_script = html.find("<script")
    assert m.start() < head_end and (first_script < 0 or m.start() < first_script), f"{path}: the policy comes too late"
    return {d.split()[0]: d for d in (x.strip() for x in m.group(1).split(";")) if d}


def test_every_page_has_a_strict_policy(site):
    pages = all_pages(site)
    assert len(pages) > 100     # book pages, notebooks, printables, offline files, the root page
    for path in pages:
        pol = _policy(site, path)
        assert pol["default-src"] == "default-src 'none'", path
        assert pol["connect-src"] == "connect-src 'none'", path
        script = pol["script-src"].split()[1:]
        assert script[0] == "'self'" and all(s.startswith("'sha256-") for s in script[1:]), f"{path}: {script}"
        assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script, path
        for d in ("img-src", "font-src", "style-src"):
            assert not re.search(r"https?:|\*", pol[d]), f"{path}: {pol[d]}"
        assert pol["object-src"] == "object-src 'none'" and pol["base-uri"] == "base-uri 'none'", path


def _exercise(pg):
    """Use the page's activities: choose an answer in each quiz and chat story, press the checks."""
    pg.evaluate("""() => {
      for (const f of document.querySelectorAll('.stl-activity fieldset, .stl-activity [role=radiogroup]')) {
        const r = f.querySelector('input'); if (r) r.click();
      }
      for (const b of document.querySelectorAll('.stl-activity button')) { try { b.click(); } catch (e) {} }
    }""")


def test_policy_holds_from_file_urls(browser, site):
    """Opened from disk, 'self' still lets the site's own scripts run (Chromium matches it to file:)."""
    ctx = browser.new_context()
    ctx.add_init_script(LISTEN)
    pg = ctx.new_page()
    for path in ("book/get-help.html", "notebooks/student-9-11.html", "downloads/q911-1.html",
                 "book/teachers/ages-9-11/1-friendly-or-tricky.html"):
        pg.goto((site / path).as_uri())
        pg.wait_for_load_state("load")
        _exercise(pg)
        pg.wait_for_timeout(50)
        assert pg.evaluate("window.__csp") == [], path
        # The site's scripts ran: the theme set its colour scheme, the activities are live.
        if not path.startswith("downloads/"):
            assert pg.evaluate("document.body.dataset.theme") in ("auto", "light", "dark"), path
    ctx.close()


def test_policy_blocks_script_from_data(tmp_path, browser):
    """The policy itself works: an inline script not in the page as written, and a remote image, are refused."""
    from spotthelure.csp import add_meta
    page = add_meta('<!DOCTYPE html><html><head><meta charset="utf-8"><title>t</title></head><body>'
                    '<script>window.ok = 1</script></body></html>')
    planted = page.replace("</body>", '<script>window.__pwned = 1</script><img src="https://tracker.invalid/p.png">'
                                      '<img src=x onerror="window.__pwned = 2"></body>')
    f = tmp_path / "p.html"
    f.write_text(planted, encoding="utf-8")
    ctx = browser.new_context()
    ctx.add_init_script(LISTEN)
    pg = ctx.new_page()
    requests = []
    pg.on("requestfinished", lambda r: requests.append(r.url))     # a refused request never finishes
    pg.goto(f.as_uri())
    pg.wait_for_timeout(200)
    assert pg.evaluate("window.ok") == 1
    assert pg.evaluate("window.__pwned") is None
    assert len(pg.evaluate("window.__csp")) >= 2
    assert not [u for u in requests if "tracker.invalid" in u]
    ctx.close()
