"""The campaign planner: its data is refused at the right line when broken, the matching rule, the
static HTML (escaped, CSP-safe), the notebook widget, and the page in Chromium (choose -> the
right rows, keyboard only, without JavaScript, axe, print emulation, Print my plan)."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, copy_content, dump_yaml, run, run_here, sphinx_defaults_kept
from spotthelure.campaign import FILE, campaign_problems, fitting, load_campaign
from spotthelure.campaign_widget import planner_widget
from spotthelure.campaign_html import book_href, plain_cite, planner_html
from spotthelure.project import load_project

PAGE = "book/facilitators/campaign-planner.html"
TEXT = (ROOT / FILE).read_text(encoding="utf-8")


def _bib_keys() -> set[str]:
    return load_project(ROOT).bib_keys


def problems_of(text: str, tmp_path: Path):
    """The problems of a planner file with ``text``, in a copy of the book's pages and bibliography."""
    root = tmp_path / "book"
    (root / "data").mkdir(parents=True)
    (root / FILE).write_text(text, encoding="utf-8")
    for d in ("book", "notebooks"):
        shutil.copytree(ROOT / d, root / d, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    c, problems = load_campaign(root)
    if c is not None:
        problems = problems + campaign_problems(c, root, _bib_keys())
    return problems


def line_of(text: str, needle: str) -> int:
    """The line (from 1) where ``needle`` first appears."""
    i = text.index(needle)
    return text.count("\n", 0, i) + 1


def test_the_shipped_planner_is_valid():
    c, problems = load_campaign(ROOT)
    assert c is not None and problems == []
    assert campaign_problems(c, ROOT, _bib_keys()) == []
    assert len(c.groups) == 7 and len(c.objectives) == 5
    assert set(c.groups) == {"children", "parents", "teachers", "ngos", "media", "decision-makers", "public"}
    assert set(c.objectives) == {"inform", "educate", "change-behaviour", "discussion", "policy"}
    # Every tool cites the toolkit's tips and links to the book.
    assert all(t["tips"] and t["links"] for t in c.tools)


# (what to break, the text to replace, its replacement, the text on the line the problem names, words expected)
BREAKS = [
    ("unknown field", "  - id: media\n    name: Media\n", "  - id: media\n    name: Media\n    colour: red\n",
     "    colour: red", "unknown field"),
    ("unknown channel", "    channel: outdoor\n", "    channel: billboards\n", "    channel: billboards", "billboards"),
    ("unknown group in a tool", "    groups: [ngos]\n", "    groups: [ngo]\n", "    groups: [ngo]", "'ngo'"),
    ("link to a missing page", "      - page: book/facilitators/train-the-trainer\n",
     "      - page: book/facilitators/no-such-page\n", "      - page: book/facilitators/no-such-page", "does not exist"),
    ("source not in the bibliography", "    sources: [chi-116111]\n", "    sources: [no-such-key]\n",
     "    sources: [no-such-key]", "no-such-key"),
    ("an id used twice", "  - id: posters\n", "  - id: press\n", None, "used twice"),
    ("a group no tool serves", "    name: General public\n", "    name: General public\n  - id: volunteers\n    name: Volunteers\n",
     "  - id: volunteers", "no tool serves 'volunteers'"),
    ("a tip that is not a number", "    tips: [59, 63]\n", "    tips: [fifty-nine]\n", "    tips: [fifty-nine]", "a whole number"),
    ("a page outside the book", "      - page: book/get-help\n        text: Get help\n\n  - id: positive-events",
     "      - page: ../../etc/passwd\n        text: Get help\n\n  - id: positive-events", "      - page: ../../etc/passwd",
     "page"),
]


@pytest.mark.parametrize("what,old,new,at,words", BREAKS, ids=[b[0] for b in BREAKS])
def test_broken_planner_is_refused_at_the_right_line(tmp_path, what, old, new, at, words):
    assert old in TEXT, f"the fixture text for '{what}' is no longer in {FILE}"
    broken = TEXT.replace(old, new, 1)
    problems = problems_of(broken, tmp_path)
    assert problems, what
    if at is None:   # the second of two equal ids: the line of the copy
        at_line = line_of(broken, new.rstrip("\n")) if broken.count(new) == 1 else \
            [i + 1 for i, ln in enumerate(broken.split("\n")) if ln == new.rstrip("\n")][-1]
    else:
        at_line = line_of(broken, at.rstrip("\n"))
    mine = [p for p in problems if p.line == at_line and words in p.message]
    assert mine, f"{what}: expected line {at_line} with '{words}', got " + "; ".join(map(str, problems))
    assert all(p.path == FILE for p in problems)


def test_a_yaml_error_is_a_line_not_a_traceback(tmp_path):
    broken = TEXT.replace("    channel: outdoor\n", "    channel: outdoor: and more\n", 1)
    problems = problems_of(broken, tmp_path)
    assert len(problems) == 1 and problems[0].line == line_of(broken, "channel: outdoor: and more")
    assert "YAML" in problems[0].message


def test_validate_refuses_a_broken_planner_with_path_line(tmp_path):
    """`spotthelure validate` runs the planner's checks (one call in validate_project)."""
    book = copy_content(tmp_path / "book")
    (book / FILE).write_text(TEXT.replace("    channel: outdoor\n", "    channel: billboards\n", 1), encoding="utf-8")
    r = run_here("validate", cwd=book)
    assert r.returncode != 0
    assert "Traceback" not in r.stderr
    n = line_of((book / FILE).read_text(encoding="utf-8"), "channel: billboards")
    assert f"{FILE}:{n}: tool posters: channel 'billboards'" in r.stderr


def test_fitting_matches_one_group_and_one_objective():
    c, _ = load_campaign(ROOT)
    ids = lambda tools: [t["id"] for t in tools]  # noqa: E731
    assert ids(fitting(c)) == ids(c.tools)                      # nothing chosen: every tool
    media_policy = ids(fitting(c, ["media"], ["policy"]))
    assert media_policy == [t["id"] for t in c.tools if "media" in t["groups"] and "policy" in t["objectives"]]
    assert "fact-sheets" in media_policy and "role-plays" not in media_policy
    # More choices never hide a tool that fitted fewer.
    assert set(media_policy) <= set(ids(fitting(c, ["media", "parents"], ["policy", "inform"])))
    assert ids(fitting(c, ["children"], [])) == [t["id"] for t in c.tools if "children" in t["groups"]]


def _html(c=None):
    c = c or load_campaign(ROOT)[0]
    return planner_html(c, book_href("book/facilitators/campaign-planner"), plain_cite(ROOT))


def test_static_html_escapes_author_text_and_carries_no_inline_script_or_style(tmp_path):
    hostile = TEXT.replace("    name: Posters and outdoor advertising\n",
                           "    name: \"<script>alert(1)</script><img src=x onerror=alert(2)>\"\n", 1)
    root = tmp_path / "b"
    (root / "data").mkdir(parents=True)
    (root / FILE).write_text(hostile, encoding="utf-8")
    c, problems = load_campaign(root)
    assert problems == []
    html = _html(c)
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert not re.search(r"<script\b|<style\b|<[^>]*\sstyle=|<[^>]*\son[a-z]+=", html)
    counts = json.loads(re.search(r'data-counts="([^"]*)"', html).group(1).replace("&#34;", '"'))
    assert counts[0] == "0 tools fit your choice." and counts[1] == "1 tool fits your choice."
    assert len(counts) == len(c.tools) + 1


def test_static_html_shows_every_tool_rules_evaluation_and_help_route():
    c, _ = load_campaign(ROOT)
    html = _html(c)
    assert re.findall(r'<tr id="stl-cp-([^"]+)"', html) == [t["id"] for t in c.tools]
    assert '<form class="stl-cp-form" hidden>' in html       # without script: the table alone
    for r in c.data["safe_messaging"]:
        assert r["text"].split(":")[0] in html.replace("&#34;", '"')
    assert html.count("<li>") >= len(c.data["evaluation"]) + len(c.data["safe_messaging"])
    assert 'href="../get-help.html"' in html and 'href="evaluation.html"' in html
    assert 'href="../adults/media.html"' in html


def test_widget_shows_the_fitting_tools():
    ui = planner_widget(ROOT)
    c, _ = load_campaign(ROOT)
    rows = lambda: re.findall(r'<tr id="stl-cp-([^"]+)"', ui.table.value)  # noqa: E731
    assert rows() == [t["id"] for t in c.tools]
    groups, objectives = list(c.groups), list(c.objectives)
    ui.group_boxes[groups.index("parents")].value = True
    ui.objective_boxes[objectives.index("inform")].value = True
    want = [t["id"] for t in fitting(c, ["parents"], ["inform"])]
    assert rows() == want and want
    assert f"{len(want)} tool" in ui.status.value
    ui.group_boxes[groups.index("decision-makers")].value = True
    assert rows() == [t["id"] for t in fitting(c, ["parents", "decision-makers"], ["inform"])]
    assert 'href="../book/adults/spotting-signs.html"' in ui.table.value       # links from notebooks/ to the book


# ----------------------------------------------------------------------------------- in Chromium

def _choose(page, groups, objectives):
    for g in groups:
        page.check(f'.stl-cp-form input[name=group][value="{g}"]')
    for o in objectives:
        page.check(f'.stl-cp-form input[name=objective][value="{o}"]')


def _visible_rows(page) -> list[str]:
    return page.eval_on_selector_all(
        ".stl-campaign tr[data-groups]",
        "rows => rows.filter(r => r.offsetParent !== null).map(r => r.id.replace('stl-cp-', ''))")


@pytest.mark.slow
def test_choose_shows_the_right_rows(page, server):
    c, _ = load_campaign(ROOT)
    page.goto(f"{server}/{PAGE}")
    assert page.is_visible(".stl-cp-form") and not page.is_visible(".stl-cp-nojs")
    assert _visible_rows(page) == [t["id"] for t in c.tools]
    _choose(page, ["media"], ["policy"])
    want = [t["id"] for t in fitting(c, ["media"], ["policy"])]
    assert _visible_rows(page) == want
    assert page.text_content(".stl-cp-status").strip() == f"{len(want)} tools fit your choice."
    _choose(page, ["decision-makers"], [])
    assert _visible_rows(page) == [t["id"] for t in fitting(c, ["media", "decision-makers"], ["policy"])]


@pytest.mark.slow
def test_without_javascript_the_whole_table_shows(browser, server):
    c, _ = load_campaign(ROOT)
    ctx = browser.new_context(java_script_enabled=False)
    page = ctx.new_page()
    page.goto(f"{server}/{PAGE}")
    assert not page.is_visible(".stl-cp-form")
    assert _visible_rows(page) == [t["id"] for t in c.tools]
    assert page.is_visible(".stl-cp-nojs")
    ctx.close()


@pytest.mark.slow
def test_keyboard_only(page, server):
    """Tab to the first group, Space ticks it; Tab on to the objectives; the print button is reachable."""
    c, _ = load_campaign(ROOT)
    page.goto(f"{server}/{PAGE}")
    page.focus(".stl-cp-form input[name=group]")      # the first control of the form
    page.keyboard.press("Space")                       # children
    groups = list(c.groups)
    for _ in range(len(groups)):                       # past the other groups to the first objective
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "objective"
    page.keyboard.press("Space")                       # inform
    want = [t["id"] for t in fitting(c, ["children"], ["inform"])]
    assert _visible_rows(page) == want
    for _ in range(len(c.objectives)):
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "stl-cp-print"
    # Focus is visible on the controls (an outline, not colour alone).
    page.keyboard.press("Shift+Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", ""), outline


@pytest.mark.slow
def test_axe_clean(axe_page, server, axe_source):
    from test_accessibility import axe
    axe_page.goto(f"{server}/{PAGE}")
    _choose(axe_page, ["parents"], ["educate"])
    assert axe(axe_page, axe_source) == []
    axe_page.emulate_media(color_scheme="dark")
    axe_page.reload()
    assert axe(axe_page, axe_source, only_rules=["color-contrast", "link-in-text-block"]) == []


@pytest.mark.slow
def test_print_shows_the_chosen_rows_only(page, server):
    c, _ = load_campaign(ROOT)
    page.goto(f"{server}/{PAGE}")
    _choose(page, ["children"], ["educate"])
    want = [t["id"] for t in fitting(c, ["children"], ["educate"])]
    assert len(want) == 5
    page.emulate_media(media="print")
    assert _visible_rows(page) == want
    assert not page.is_visible(".stl-cp-form")
    # "Print my plan": the plan alone (the page around it is not printed), with the chosen rows,
    # the summary of the choice, the rules and the help route.
    page.emulate_media(media="screen")
    page.evaluate("() => { window.print = () => { window.__printed = (window.__printed || 0) + 1; }; }")
    page.click(".stl-cp-print")
    assert page.evaluate("window.__printed") == 1
    page.emulate_media(media="print")
    sheet_rows = page.eval_on_selector_all(".stl-cp-sheet tr[data-groups]", "rs => rs.map(r => r.dataset.groups)")
    assert len(sheet_rows) == len(want)
    assert page.is_visible(".stl-cp-sheet")
    assert not page.is_visible(".stl-campaign:not(.stl-cp-sheet .stl-campaign) .stl-cp-title")
    summary = page.text_content(".stl-cp-sheet .stl-cp-summary")
    assert "Children and young people" in summary and "Educate on prevention" in summary
    assert page.text_content(".stl-cp-sheet .stl-cp-title") == "My campaign plan"
    assert page.is_visible(".stl-cp-sheet .stl-cp-help")
    assert page.eval_on_selector_all(".stl-cp-sheet [id]", "els => els.length") == 0   # no duplicate ids
    # One A4 page: a plan of five tools with their notes fits.
    pdf = page.pdf(format="A4", print_background=False)
    assert pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page>") + len(re.findall(rb"/Type\s*/Page[^s]", pdf)) >= 1
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages == 1, f"the plan printed on {pages} pages"


@pytest.mark.slow
def test_planner_script_only_on_its_page(site):
    assert "campaign-planner.js" in (site / PAGE).read_text(encoding="utf-8")
    assert "campaign-planner.js" not in (site / "book/get-help.html").read_text(encoding="utf-8")
    assert (site / "_static" / "campaign-planner.js").is_file()


@pytest.mark.slow
def test_no_policy_violation_while_planning(browser, server):
    """The page's Content-Security-Policy holds while the planner runs and builds the printed plan."""
    from test_csp import LISTEN
    ctx = browser.new_context()
    ctx.add_init_script(LISTEN)
    page = ctx.new_page()
    page.goto(f"{server}/{PAGE}")
    _choose(page, ["public"], ["inform"])
    page.evaluate("() => { window.print = () => {}; }")
    page.click(".stl-cp-print")
    page.wait_for_timeout(50)
    assert page.evaluate("window.__csp") == []
    assert page.evaluate("document.querySelectorAll('.stl-cp-sheet').length") == 1
    ctx.close()


def test_notebook_planner_carries_widget_and_static_html():
    view = __import__("spotthelure.campaign_widget", fromlist=["planner"]).planner(ROOT)
    bundle = view._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "data-stl-campaign" in bundle["text/html"]
    assert 'href="../book/get-help.html"' in bundle["text/html"]      # links from notebooks/ to the book


def test_notebook_planner_shows_problems_not_a_traceback(tmp_path):
    book = copy_content(tmp_path / "book")
    (book / FILE).write_text(TEXT.replace("    channel: outdoor\n", "    channel: billboards\n", 1), encoding="utf-8")
    from spotthelure.campaign_widget import planner
    shown = planner(book)
    text = shown._repr_mimebundle_()["text/plain"]
    assert f"{FILE}:{line_of((book / FILE).read_text(encoding='utf-8'), 'channel: billboards')}:" in text


@pytest.mark.slow
def test_notebook_page_planner_works_without_a_kernel(page, server):
    c, _ = load_campaign(ROOT)
    page.goto(f"{server}/notebooks/campaign-planner.html")
    _choose(page, ["ngos"], ["discussion"])
    assert _visible_rows(page) == [t["id"] for t in fitting(c, ["ngos"], ["discussion"])]


# ------------------------------------------------------------- the directive, in a tiny test book

TINY = ROOT / "tests" / "books" / "campaign"


def build_tiny(tmp_path: Path, edit=None) -> tuple[Path, str]:
    """Build a copy of the tiny book (``edit(book)`` first); returns the output folder and the warnings."""
    import io

    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace, patch_docutils
    book = tmp_path / "tiny"
    shutil.copytree(TINY, book)
    if edit:
        edit(book)
    warnings = io.StringIO()
    # as sphinx-build does: what the build registers with docutils goes when it ends (other builds
    # in this process would find its nodes registered already)
    with patch_docutils(str(book)), docutils_namespace(), sphinx_defaults_kept():
        app = Sphinx(str(book), str(book), str(book / "_build" / "html"), str(book / "_build" / "doctrees"), "html",
                     status=None, warning=warnings, freshenv=True)
        app.build()
    return book / "_build" / "html", warnings.getvalue()


def test_directive_draws_the_planner_with_citations_and_its_script_on_its_page_only(tmp_path):
    out, warnings = build_tiny(tmp_path)
    assert "campaign" not in warnings.lower(), warnings
    page = (out / "book" / "planner.html").read_text(encoding="utf-8")
    assert re.findall(r'<tr id="stl-cp-([^"]+)"', page) == ["comics", "briefs"]
    assert 'class="stl-campaign-wrap"' in page and 'href="get-help.html"' in page
    assert "campaign-planner.js" in page and "campaign-planner.css" in page
    # Citations are the bibliography's own, linked to its entries.
    assert len(re.findall(r'class="bibtex-citation"[^>]*>\[<a class="reference internal" href="#id\d+"', page)) == 3
    assert "A toolkit for campaigns" in page and "A guide to safe messages" in page      # the bibliography lists both
    other = (out / "book" / "other.html").read_text(encoding="utf-8")
    assert "campaign-planner.js" not in other and "campaign-planner.css" not in other
    assert (out / "_static" / "campaign-planner.js").is_file()


def test_directive_reports_a_broken_planner_as_path_line_and_draws_nothing(tmp_path):
    def break_it(book):
        p = book / FILE
        p.write_text(p.read_text(encoding="utf-8").replace("    groups: [media]\n", "    groups: [press]\n"), encoding="utf-8")
    out, warnings = build_tiny(tmp_path, break_it)
    n = line_of((TINY / FILE).read_text(encoding="utf-8"), "    groups: [media]")
    assert re.search(rf"data/campaign\.yml:{n}: .*tool briefs: groups 'press'", warnings), warnings
    assert "stl-cp-" not in (out / "book" / "planner.html").read_text(encoding="utf-8")


def test_directive_refuses_a_citation_key_that_is_not_in_the_bibliography(tmp_path):
    def break_it(book):
        p = book / FILE
        p.write_text(p.read_text(encoding="utf-8").replace("sources: [guide]", "sources: [\"guide`} {raw}\"]"),
                     encoding="utf-8")
    out, warnings = build_tiny(tmp_path, break_it)
    assert "is not a key in references.bib" in warnings
    assert "stl-cp-" not in (out / "book" / "planner.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_narrow_screen_reads_as_labelled_blocks_and_stays_accessible(browser, server, axe_source):
    from test_accessibility import axe
    ctx = browser.new_context(viewport={"width": 375, "height": 800}, bypass_csp=True)
    page = ctx.new_page()
    page.goto(f"{server}/{PAGE}")
    width = page.evaluate("document.querySelector('.stl-cp-table').scrollWidth")
    room = page.evaluate("document.querySelector('.stl-campaign').clientWidth")
    assert width <= room, f"the table is {width}px wide in {room}px"
    _choose(page, ["media"], [])
    assert axe(page, axe_source) == []
    ctx.close()


# ------------------------------------------------------------------ wrong types never crash

def _paths(value, schema, here=()):
    """Every field path of the planner file (with its schema), walked together with the real data."""
    yield here, schema
    if isinstance(value, dict) and schema.get("type") == "object":
        for k, v in value.items():
            if k in schema.get("properties", {}):
                yield from _paths(v, schema["properties"][k], here + (k,))
    elif isinstance(value, list) and schema.get("type") == "array":
        for i, v in enumerate(value[:2]):
            yield from _paths(v, schema["items"], here + (i,))


def _step(cur, k):
    """``cur[k]`` when it is there (an earlier change may have put a value of another type here), else None."""
    if isinstance(cur, dict) and k in cur:
        return cur[k]
    if isinstance(cur, list) and isinstance(k, int) and k < len(cur):
        return cur[k]
    return None


def test_wrong_types_in_any_field_are_problems_not_crashes(tmp_path):
    import jsonschema
    import yaml
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from spotthelure.campaign import SCHEMA
    data = json.loads(json.dumps(load_campaign(ROOT)[0].data))
    paths = [(p, s) for p, s in _paths(data, SCHEMA) if p]
    wrong = [7, 2.5, True, "x", "", ["x"], [], {"k": "v"}, {}, None, [{"k": 1}], [7], [None]]
    root = tmp_path / "b"
    (root / "data").mkdir(parents=True)
    shutil.copytree(ROOT / "book", root / "book")
    shutil.copytree(ROOT / "notebooks", root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    keys = _bib_keys()
    (root / FILE).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    c, problems = load_campaign(root)
    assert problems + campaign_problems(c, root, keys) == []        # unchanged, the copy is valid

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(st.tuples(st.sampled_from(paths), st.sampled_from(wrong)), min_size=1, max_size=3))
    def check(changes):
        d = json.loads(json.dumps(data))
        changed = False
        for (path, schema), value in changes:
            if jsonschema.Draft202012Validator(schema).is_valid(value):
                continue                                    # not a wrong value for this field
            cur = d
            for k in path[:-1]:
                cur = _step(cur, k)
            last = path[-1]
            if isinstance(cur, dict) or (isinstance(cur, list) and isinstance(last, int) and last < len(cur)):
                cur[last] = value
                changed = True
        (root / FILE).write_text(dump_yaml(d), encoding="utf-8")
        c, problems = load_campaign(root)
        if c is not None:
            problems = problems + campaign_problems(c, root, keys)
            planner_html(c, book_href("book/facilitators/campaign-planner"), plain_cite(ROOT))   # draws what is typed
        if changed:
            assert problems
        for p in problems:
            assert re.fullmatch(r"data/campaign\.yml:\d+: \S.*", str(p)), str(p)
            assert "LDict" not in p.message and "LList" not in p.message and "NoneType" not in p.message
    check()
