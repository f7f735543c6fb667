"""Safe by construction: author text reaches the pages only through the one escaping renderer.

Front matter, local.yml and activity titles are untrusted: a value with carriage returns that open a
``{raw}`` or ``{eval-rst}`` block, a ``{download}`` of a file outside the book, a remote image or an
``<img onerror>`` must come out as the text it is, on every page, in the search results and in the
"My progress" box; the built site carries no script from data, no file from outside, and makes no
request to another host.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, all_pages, jupyter_book_here
from spotthelure import pages
from spotthelure.project import load_project

MARK = "window.__pwned=(window.__pwned||[]).concat"
CR_RAW = f"Hill School\r\r```{{raw}} html\r<script>{MARK}('raw')</script>\r```\r\r"
RAW_URL = "Prose\r\r```{raw} html\r:url: data:text/html,%3Cscript%3Ewindow.__pwned%3D1%3C%2Fscript%3E\r```\r\rend"
EVAL_RST = f"Opt out\r\r```{{eval-rst}}\r.. raw:: html\r\r   <script>{MARK}('rst')</script>\r```\r\r"
DOWNLOAD = "Leaflet {download}`/../STLCANARY-outside.txt`"
IMG = "Room 12 ![map](https://tracker.invalid/p.png)"
ONERR = "Warm up <img src=x onerror=window.__pwned=1>"
CANARY = "STLCANARY-7f3a9c secret text from outside the book"
LESSON = "book/teachers/ages-12-14/1-how-grooming-works.md"
WORKSHOP = "book/facilitators/parent-workshop.md"
PAYLOADS = (CR_RAW, RAW_URL, EVAL_RST, DOWNLOAD, IMG, ONERR)


def _front(path: Path):
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


def _write_front(path: Path, front, body):
    path.write_text("---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n" + body,
                    encoding="utf-8")


def _yaml_set(path: Path, **fields):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(fields)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


# ---- the generated MyST holds no author text at all ------------------------------------------

def test_generated_myst_holds_keys_not_author_text():
    """A lesson or workshop page's front matter becomes a fixed prelude: a title role on a key and a
    directive that draws the page as docutils nodes (tests/test_sphinx_ext.py builds it with payloads)."""
    from spotthelure.sphinx.generated import PRELUDE
    for kind, src in PRELUDE.items():
        assert re.sub(r"\{stl-plain\}`[^`]*`|```\{" + kind + r"-plan\}\n```|[#\s]", "", src) == "", src
        for key in re.findall(r"\{stl(?:-plain)?\}`([^`]*)`", src):
            assert pages.KEY.fullmatch(key), key


def test_help_box_html_escapes_every_value():
    pr = load_project(ROOT)         # its own copy: this test changes it
    pr.local = {"filled_in": True, "organisation": CR_RAW,
                "safeguarding_lead": {"name": ONERR, "role": "Lead", "how_to_reach": IMG},
                "helplines": [{"name": RAW_URL, "contact": "<b>116</b> `x`", "for": DOWNLOAD, "where": EVAL_RST,
                               "source": "chi-116111"}]}
    box = pages.help_box_html(pr, None, 2)
    assert "<script" not in box and "<img" not in box and "<b>" not in box
    assert not re.search(r"<[^>]*\ssrc=", box)
    assert "&lt;img src=x onerror=window.__pwned=1&gt;" in box and "&lt;b&gt;116&lt;/b&gt;" in box
    # A markdown image is not an image: at most a link, never a request.
    assert '<a href="https://tracker.invalid/p.png">map</a>' in box


def test_notebook_progress_box_escapes_titles(monkeypatch):
    from spotthelure import notebook
    pr = load_project(ROOT)         # its own copy: this test changes it
    pr.activities["q911-1"].data["title"] = ONERR
    monkeypatch.setattr(notebook, "_PROJECT", pr)
    box = notebook.summary_html(["q911-1"])
    assert "<img" not in box and "&lt;img src=x onerror=window.__pwned=1&gt;" in box


# ---- the whole book, built with the payloads in every place ----------------------------------

def _lf(value):
    """The carriage-return payloads with line feeds: a carriage return is refused when the files are
    loaded (test_robust), so to reach the renderer at all the payloads use the line break YAML allows."""
    return value.replace("\r", "\n")


@pytest.fixture(scope="module")
def poisoned(book_copy):
    book = book_copy
    CR_RAW, RAW_URL, EVAL_RST = _lf(globals()["CR_RAW"]), _lf(globals()["RAW_URL"]), _lf(globals()["EVAL_RST"])
    files = [book / f for f in ("local.yml", LESSON, WORKSHOP, "activities/quizzes/q1214-1.yml",
                                "activities/scenarios/sc-1214-new-follower.yml",
                                "activities/roleplays/rp-chat-warning-signs.yml", "references.bib")]
    saved = {f: f.read_text(encoding="utf-8") for f in files}
    canary = book.parent / "STLCANARY-outside.txt"
    canary.write_text(CANARY, encoding="utf-8")
    try:
        local = yaml.safe_load(saved[files[0]])
        local["organisation"] = CR_RAW
        local["safeguarding_lead"] = {"name": ONERR, "role": EVAL_RST, "how_to_reach": IMG}
        local["helplines"][0].update({"name": RAW_URL, "for": DOWNLOAD, "where": ONERR})
        files[0].write_text(yaml.safe_dump(local, allow_unicode=True, sort_keys=False), encoding="utf-8")
        front, body = _front(files[1])
        L = front["lesson"]
        L.update(summary=CR_RAW, home_link=DOWNLOAD)
        L["steps"][0]["title"] = ONERR
        L["vocabulary"][0]["meaning"] = IMG
        L["safeguarding"]["opt_out"] = EVAL_RST
        L["objectives"][0]["text"] = RAW_URL
        _write_front(files[1], front, body)
        front, body = _front(files[2])
        W = front["workshop"]
        W.update(summary=CR_RAW, safeguarding=IMG)
        W["sessions"][0]["title"] = ONERR
        W["objectives"][0] = DOWNLOAD
        _write_front(files[2], front, body)
        _yaml_set(files[3], title="How grooming works " + ONERR)
        _yaml_set(files[4], title="Yusuf " + CR_RAW + IMG)
        _yaml_set(files[5], title="Secrets " + EVAL_RST + DOWNLOAD)
        bib = saved[files[6]].replace("url          = {https://childhelplineinternational.org",
                                      "url          = {javascript:window.__pwned=1//childhelplineinternational.org", 1)
        bib = bib.replace("howpublished = {Shaping Europe's digital future, European Commission website}",
                          "howpublished = {\\url{javascript:window.__pwned=2}}", 1)
        assert bib.count("javascript:") == 2
        files[6].write_text(bib, encoding="utf-8")
        # The strict Sphinx build itself (not `spotthelure build`, whose validation comes first): what
        # is tested here is that the renderer keeps the payloads inert even if validation lets them by.
        r = jupyter_book_here(book)
        yield book, r
    finally:
        for f, text in saved.items():
            f.write_text(text, encoding="utf-8")
        canary.unlink(missing_ok=True)


REMOTE_ATTR = re.compile(r"""\b(?:src|srcset|poster|data|background)\s*=\s*["']?\s*(?:https?:)?//""", re.I)
HANDLER = re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", re.I)
SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script", re.I | re.S)


def _only_link_warnings(r, book):
    """The strict build warns about the bibliography's javascript: links, and reports what
    `spotthelure validate` reports (the build runs the same checks); nothing else."""
    from spotthelure.validation import validate_project
    validated = {f"{book}/{p.path}:{p.line}: WARNING: {p.message}" for p in validate_project(load_project(book))}
    warnings = [re.sub(r"\x1b\[[0-9;]*m", "", w) for w in re.findall(r"^.*WARNING.*$", r.stdout + r.stderr, re.M)
                if "IPKernelApp" not in w]
    others = [w for w in warnings if w not in validated]
    assert others and all("link to a 'javascript:' address left out" in w for w in others), \
        "\n".join(warnings[:20]) or (r.stdout[-3000:] + r.stderr[-3000:])


def test_payloads_are_inert_on_every_page(poisoned):
    book, r = poisoned
    _only_link_warnings(r, book)
    site = book / "_build" / "html"
    checked = 0
    for rel in all_pages(site):
        html = (site / rel).read_text(encoding="utf-8")
        for body in SCRIPT.findall(html):
            assert "__pwned" not in body, f"{rel}: script from data"
        assert not HANDLER.search(html), f"{rel}: event handler {HANDLER.search(html).group(0)[:80]}"
        assert not REMOTE_ATTR.search(html), f"{rel}: loads from another host"
        assert "data:text/html" not in html.replace("data:text/html,%3Cscript", ""), rel
        assert CANARY not in html, f"{rel}: a file from outside the book"
        checked += 1
    assert checked > 10
    refs = (site / "book" / "references.html").read_text(encoding="utf-8")
    assert "javascript:window.__pwned=1" in refs or "childhelplineinternational" in refs   # the entry is there
    assert not re.search(r"href\s*=\s*[\"']?\s*javascript:", refs, re.I), "a javascript: link on the references page"
    assert not list(site.rglob("STLCANARY*")), "a file from outside the book was published"
    # The values are there, as text.
    lesson = (site / LESSON.replace(".md", ".html")).read_text(encoding="utf-8")
    assert "Warm up &lt;img src=x onerror=window.__pwned=1&gt;" in lesson
    assert "{download}" in lesson and "```{raw} html" in lesson
    assert "Hill School" in (site / "book/get-help.html").read_text(encoding="utf-8")
    assert "How grooming works Warm up &lt;img" in (site / "notebooks/show-quiz.html").read_text(encoding="utf-8")
    assert "Yusuf Hill School" in (site / "book/teachers/curriculum-map.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_payloads_do_not_run_in_chromium(poisoned, browser):
    from tools.serve import serve
    book, r = poisoned
    _only_link_warnings(r, book)
    site = book / "_build" / "html"
    paths = ["book/get-help.html", LESSON.replace(".md", ".html"), WORKSHOP.replace(".md", ".html"),
             "book/teachers/curriculum-map.html", "book/teachers/ages-12-14/index.html",
             "book/facilitators/roleplays.html", "notebooks/show-quiz.html",
             "search.html?q=Warm+up", "search.html?q=Warm+up+<img+src%3Dx+onerror%3Dwindow.__pwned%3D1>"]
    with serve(site) as base:
        ctx = browser.new_context()
        pg = ctx.new_page()
        outside = []
        pg.on("request", lambda req: outside.append(req.url) if not req.url.startswith((base, "data:")) else None)
        for path in paths:
            pg.goto(f"{base}/{path}")
            pg.wait_for_load_state("load")
            if "?q=" in path:
                for _ in range(300):    # polled from outside: the page's policy refuses eval
                    if pg.evaluate("document.querySelector('#search-results .search-summary') !== null"):
                        break
                    pg.wait_for_timeout(100)
                pg.wait_for_timeout(300)
            assert pg.evaluate("window.__pwned === undefined"), f"script ran on {path}"
        results = pg.locator("#search-results li a").all_text_contents()
        assert any("<img src=x onerror" in t for t in results), results
        assert pg.evaluate("localStorage.getItem('sphinx_highlight_terms')") is None
        ctx.close()
    assert not outside, outside


@pytest.mark.slow
def test_search_words_not_kept_in_storage(browser, server):
    """After a search and a click on a result, this browser's storage holds no search word."""
    ctx = browser.new_context()
    pg = ctx.new_page()
    pg.goto(f"{server}/search.html?q=trusted+adult+screenshots")
    for _ in range(300):    # polled from outside: the page's policy refuses eval
        if pg.evaluate("document.querySelector('#search-results .search-summary') !== null"):
            break
        pg.wait_for_timeout(100)
    pg.wait_for_timeout(300)
    on_search_page = pg.evaluate("JSON.stringify({...localStorage}) + JSON.stringify({...sessionStorage})")
    pg.locator("#search-results li a").first.click()
    pg.wait_for_load_state("load")
    assert "/search.html" not in pg.url
    after_a_result = pg.evaluate("JSON.stringify({...localStorage}) + JSON.stringify({...sessionStorage})")
    for stored in (on_search_page, after_a_result):
        for word in ("trusted", "adult", "screenshots"):
            assert word not in stored.lower(), stored
    ctx.close()
