"""Students alone: a content note and a lifeline, a quick exit, honest privacy with one "clear
everything", stored progress that holds ids and numbers only, and a Get help box that fits the band.

Pages and expectations are computed at run time from the project (local.yml, the activities, the
built site), never written down here.
"""
from __future__ import annotations

import copy
import json
import re

import pytest

from conftest import ROOT, book_project, book_site_files
from spotthelure import checks, helpbox, schemas
from spotthelure.readability import LIMITS, grade, markdown_text
from spotthelure.yamlload import load_yaml_file

PR = book_project()
BANDS = ["9-11", "12-14", "15-18"]
MODULES = {b: f"notebooks/student-{b}.html" for b in BANDS}
NOTE_ACTIVITIES = sorted(a.id for a in PR.activities.values()
                         if set(a.data.get("topics") or []) & set(schemas.NOTE_TOPICS))


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _adults_only(band: str) -> list[str]:
    """Names of default entries the youngest learners of a band cannot use."""
    young = helpbox.BAND_AGES[band][0]
    return [s["name"] for k in schemas.HELP_KINDS for s in PR.local.get(k) or []
            if not (s.get("ages", {}).get("min", 0) <= young <= s.get("ages", {}).get("max", 200))]


# ---------- local.yml and the box ----------

def test_default_contacts_by_kind_with_primary_sources():
    loc = PR.local
    bib = (ROOT / "references.bib").read_text(encoding="utf-8")
    assert any(s["contact"] == "112" for s in loc["emergency"]), "the EU emergency number"
    assert any("inhope" in s["contact"].lower() for s in loc["reporting_routes"]), "an INHOPE hotline route"
    assert any("CyberTipline" in s["name"] for s in loc["reporting_routes"])
    assert not any("CyberTipline" in s["name"] for s in loc["helplines"]), "a report form is not someone to talk to"
    assert "childline-echo-2022" not in bib and "childline-echo-2022" not in (ROOT / "local.yml").read_text()
    for key in schemas.HELP_KINDS:
        for s in loc.get(key) or []:
            keys = [s["source"]] if isinstance(s["source"], str) else s["source"]
            for k in keys:
                m = re.search(r"@\w+\{" + re.escape(k) + r",(.*?)\n\}", bib, re.S)
                assert m, f"{s['name']}: {k} not in references.bib"
                assert "url " in m.group(1) and "urldate" in m.group(1), f"{k}: url and the date it was checked"


@pytest.mark.parametrize("band", BANDS)
def test_box_shows_only_what_fits_the_band(band):
    html = helpbox.help_box_html(PR, band)
    hidden = _adults_only(band)
    assert hidden, "the defaults include an adults-only service to leave out"
    for name in hidden:
        assert name not in html, f"{name} shown to ages {band}"
    text = helpbox.help_contacts_text(PR, band)
    assert "112" in text and "116 111" in text
    assert not any(name in text for name in hidden)
    everyone = helpbox.help_box_html(PR, None)
    assert all(name in everyone for name in hidden), "pages for adults list every service"
    kinds = re.findall(r'data-kind="(\w+)"', html)
    assert kinds == [k for k in schemas.HELP_KINDS if k in kinds] and "emergency" in kinds and "helplines" in kinds


def test_gift_and_qti_show_the_contacts_to_learners(tmp_path):
    """GIFT: the contacts are a description Moodle shows at the end of the quiz (comments would be hidden),
    and author text with a line break cannot add a question. QTI: the test's rubric carries them."""
    import io
    import zipfile
    from conftest import gift_parse
    from spotthelure.render_print import help_text_for
    from spotthelure.export_gift import quiz_to_gift

    class P:    # a line break in author text must not end the description and start a question
        local = {"filled_in": True, "helplines": [{"name": "A\n\n::Q:: injected {=yes ~no}", "contact": "1",
                                                    "for": "x", "where": "y", "source": "k"}]}

    def read(gift):     # (questions, descriptions) as gift-pegjs reads them
        q = [x for x in gift_parse(gift) if x["type"] != "Category"]
        return sum(x["type"] != "Description" for x in q), sum(x["type"] == "Description" for x in q)

    files = book_site_files()
    for aid in ("q1214-2", "q911-1"):
        d = PR.activities[aid].data
        questions, described = read(quiz_to_gift(d))
        for pr in (PR, P()):
            got_questions, got_described = read(quiz_to_gift(d, help_text=help_text_for(pr, d)))
            assert got_questions == questions, f"{aid}: the contacts added or lost a question"
            assert got_described == described + 1, f"{aid}: the contacts are not one description"
        shipped = files[f"downloads/{aid}.gift.txt"]
        assert "112" in shipped and "116 111" in shipped
        with zipfile.ZipFile(io.BytesIO(files[f"downloads/{aid}.qti.zip"])) as z:
            tests = [n for n in z.namelist() if n.endswith("-test.xml")]
            assert tests and all("rubricBlock" in z.read(n).decode() and "116 111" in z.read(n).decode() for n in tests)


def test_box_text_is_escaped():
    class P:
        local = {"filled_in": True, "organisation": "<b>Org</b>",
                 "safeguarding_lead": {"name": "<img src=x onerror=alert(1)>", "how_to_reach": "{raw}`html`"},
                 "helplines": [{"name": "<script>alert(1)</script>", "contact": "```{raw} html", "for": "x",
                                "where": "y", "source": "k"}]}
    html = helpbox.help_box_html(P(), "9-11")
    assert "<script>" not in html and "<img" not in html and "<b>Org" not in html
    assert "&lt;script&gt;" in html and "{raw}" in html   # shown as text, never parsed


def test_bad_local_yml_gives_path_line(tmp_path):
    p = tmp_path / "local.yml"
    p.write_text("filled_in: false\n"
                 "helplines:\n"
                 "  - name: A\n"
                 "    contact: '1'\n"
                 "    for: x\n"
                 "    where: y\n"
                 "    ages: {min: 14, max: 9}\n"
                 "    source: not-a-key\n"
                 "  - name: B\n"
                 "    contact: '2'\n"
                 "    for: x\n"
                 "    where: y\n"
                 "pigeon_post: []\n", encoding="utf-8")
    data = load_yaml_file(p, "local.yml")
    problems = checks.schema_problems(data, schemas.LOCAL, "local.yml") + helpbox.local_problems(data, PR.bib_keys)
    got = {(x.line, x.message.split(":")[0]) for x in problems}
    lines = sorted(x.line for x in problems)
    assert any(x.line == 7 and "min (14) is above max (9)" in x.message for x in problems), problems
    assert any(x.line == 8 and "not-a-key" in x.message for x in problems), problems
    assert any(x.line == 9 and "source" in x.message for x in problems), problems      # entry without a source
    assert any(x.line == 13 and "pigeon_post" in x.message for x in problems), problems  # unknown kind
    assert all(str(x).startswith("local.yml:") for x in problems) and lines and got


# ---------- content notes ----------

def test_note_topics_need_a_content_note():
    assert {"sc-1214-new-follower", "sc-1518-deepfake-threat", "q1214-2", "q1518-2"} <= set(NOTE_ACTIVITIES)
    for aid in NOTE_ACTIVITIES:
        a = PR.activities[aid]
        bare = copy.deepcopy(a.data)
        del bare["content_note"]
        check = checks.check_quiz if a.kind == "quiz" else checks.check_scenario
        assert not check(a.data, a.rel)
        assert any("content_note" in p.message for p in check(bare, a.rel)), aid


@pytest.mark.parametrize("aid", NOTE_ACTIVITIES)
def test_note_and_lifeline_in_every_rendering(site, aid):
    a = PR.activities[aid]
    band = a.data["age_band"]
    helpline = helpbox.first_helpline(PR, band)["contact"]
    pages = [site / "downloads" / f"{aid}.html"] + [site / p for p in MODULES.values()
                                                     if f'data-stl-id="{aid}"' in (site / p).read_text(encoding="utf-8")]
    for page in pages:
        html = page.read_text(encoding="utf-8")
        start = html.index(f'<section class="stl-activity stl-{a.kind}" id="stl-{aid}"')
        # a quiz: the note just before the quiz; a story: the note inside, before its first step
        before = html[max(0, html.rfind("</section>", 0, start)):start] if a.kind == "quiz" else \
            html[start:html.index('class="stl-node', start)]
        assert "stl-content-note" in before and _text(a.data["content_note"])[:40] in _text(before), page.name
        assert "hurting yourself" in before and helpline in _text(before), page.name
    if a.kind == "scenario":
        for n in a.data["nodes"]:
            if n.get("ending") == "stuck":
                html = (site / "downloads" / f"{aid}.html").read_text(encoding="utf-8")
                node = html[html.index(f'data-node="{n["id"]}"'):]
                node = node[:node.index("</div>\n<div class=\"stl-node") if "</div>\n<div class=\"stl-node" in node else None]
                assert "stl-lifeline" in node, f"{aid}: the stuck ending {n['id']} ends with the lifeline"


# ---------- take-away files ----------

def test_every_takeaway_file_carries_the_contacts(site):
    # every printable and offline file, slips and one-page sheets included (their contacts share one small line)
    files = sorted(p for d in ("print", "downloads") for p in (site / d).glob("*.html"))
    assert len(files) >= len(PR.activities)
    for f in files:
        html = f.read_text(encoding="utf-8")
        text = _text(html)
        assert "stl-get-help" in html, f"{f.name}: no Get help box"
        assert "112" in text and "116 111" in text, f"{f.name}: no contacts"
    gifts = sorted((site / "downloads").glob("*.gift.txt"))
    assert gifts
    for g in gifts:
        text = g.read_text(encoding="utf-8")
        desc = [q for q in text.split("\n\n") if "/get-help::" in q]
        assert len(desc) == 1, f"{g.name}: the contacts are not one GIFT description learners see"
        assert "112" in desc[0] and "116 111" in desc[0], g.name
    assert "use the services in the Get help box" in _text((site / "downloads" / "sc-1214-new-follower.html")
                                                            .read_text(encoding="utf-8"))


# ---------- modules ----------

def _markdown(band: str) -> str:
    nb = json.loads((ROOT / "notebooks" / f"student-{band}.ipynb").read_text(encoding="utf-8"))
    return "\n\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


@pytest.mark.parametrize("band", BANDS)
def test_modules_teach_at_the_band_reading_level(band):
    body = _markdown(band)
    assert len(re.findall(r"^## Learn:", body, re.M)) >= 4
    assert "## What I learned" in body
    for step in ("stop", "save", "block", "tell"):
        assert step in body.lower()
    assert "not your fault" in body.lower() or "never your fault" in body.lower()
    g = grade(markdown_text(body))
    print(f"ages {band}: grade {g} (limit {LIMITS[band]})")
    assert g <= LIMITS[band]
    if band == "9-11":
        assert "pay" not in body.lower().replace("play", ""), "the 9-11 unit never teaches \"don't pay\""
    else:
        assert "pretends to be someone your age" in body


@pytest.mark.parametrize("band", BANDS)
def test_module_page_has_one_progress_box_and_honest_privacy(site, band):
    html = (site / MODULES[band]).read_text(encoding="utf-8")
    assert len(re.findall(r"<h\d[^>]*>\s*My progress", html)) == 1
    assert "first time right" not in html and "no one can see your score" not in html.lower()
    assert "in this browser, on this device" in _text(html)
    assert "stl-privacy" in html and "stl-get-help" in html
    students = (site / "book" / "students" / "index.html").read_text(encoding="utf-8")
    assert "no one can see your score" not in students.lower() and "stl-privacy" in students


# ---------- in Chromium ----------

def _module(page, server, band="12-14", via_index=True):
    if via_index:
        page.goto(f"{server}/book/students/index.html")
    page.goto(f"{server}/{MODULES[band]}")
    page.wait_for_selector("section.stl-scenario.stl-js")


@pytest.mark.parametrize("how", ["click", "escape"])
def test_quick_exit_leaves_to_the_neutral_page(page, server, how):
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    _module(page, server)
    before = page.evaluate("history.length")
    if how == "click":
        page.click(".stl-quick-exit")
    else:
        page.locator("body").press("Escape")
        page.locator("body").press("Escape")
    page.wait_for_url("**/_static/neutral.html")
    assert page.title() == "Times tables"
    assert page.evaluate("history.length") == before, "replaced, not a new history entry"
    page.go_back()
    assert "student-12-14" not in page.url, "back does not return to the module"
    assert all(r.startswith(server) for r in requests), "nothing requested outside the site"


def test_quick_exit_is_first_in_tab_order_labelled_and_big_enough(page, server):
    _module(page, server, via_index=False)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "stl-quick-exit"
    box = page.locator(".stl-quick-exit").bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24
    assert page.locator(".stl-quick-exit").get_attribute("aria-describedby") == "stl-quick-exit-hint"
    # a single Esc (closing something) does not leave
    page.keyboard.press("Escape")
    page.wait_for_timeout(1700)
    page.keyboard.press("Escape")
    page.wait_for_timeout(300)
    assert "student-12-14" in page.url


def test_clear_everything_empties_storage(page, server):
    _module(page, server)
    page.evaluate("localStorage.setItem('sphinx_highlight_terms', 'nudes blackmail')")
    page.evaluate("localStorage.setItem('unrelated', 'kept')")
    sc = page.locator("section.stl-scenario").first
    sc.locator(".stl-node:visible a.stl-choice").first.click()
    quiz = page.locator("section.stl-quiz").first
    form = quiz.locator("form.stl-item").first
    form.locator("input, select").first.focus()
    if form.locator("input").count():
        form.locator("input").first.check()
    else:
        form.locator("select").first.select_option("1")
    form.locator("button.stl-check").click()
    keys = page.evaluate("Object.keys(localStorage)")
    assert any(k.startswith("spotthelure:") for k in keys)
    page.once("dialog", lambda d: d.dismiss())
    page.click(".stl-clear-all")
    assert any(k.startswith("spotthelure:") for k in page.evaluate("Object.keys(localStorage)")), "cancel keeps it"
    page.once("dialog", lambda d: d.accept())
    page.click(".stl-clear-all")
    left = page.evaluate("Object.keys(localStorage)")
    assert not [k for k in left if k.startswith("spotthelure:") or k == "sphinx_highlight_terms"], left
    assert "unrelated" in left
    assert "you found 0 of" in page.locator("[data-stl-summary-for]").first.inner_text() or \
        "you answered 0 of" in page.locator("[data-stl-summary-for]").first.inner_text()
    page.reload()
    assert "You chose" not in sc.inner_text()


def _story_key(page, sid):
    sec = page.locator(f'section[data-stl-id="{sid}"]')
    return "spotthelure:scenario:" + sid + ":" + sec.get_attribute("data-stl-version"), sec


@pytest.mark.parametrize("planted", ["old", "index"])
def test_planted_html_in_story_progress_is_never_rendered(page, server, planted):
    _module(page, server)
    sid = "sc-1214-new-follower"
    key, sec = _story_key(page, sid)
    start = sec.get_attribute("data-stl-start")
    nxt = sec.locator(f'.stl-node[data-node="{start}"] a.stl-choice').first.get_attribute("data-next")
    evil = "<img src=x onerror=\"window.__pwned=1\">"
    if planted == "old":     # the format that used to be saved: the feedback's HTML
        state = {"path": [start, nxt], "choices": [{"text": evil, "feedback": evil}], "endings": []}
    else:                    # a string where an index belongs
        state = {"path": [start, nxt], "choices": [evil], "endings": [evil]}
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [key, json.dumps(state)])
    page.reload()
    page.wait_for_timeout(300)
    assert page.evaluate("window.__pwned") is None
    assert sec.locator("img").count() == 0
    assert sec.locator(".stl-node:visible").get_attribute("data-node") == start, "bad progress starts the story again"
    saved = json.loads(page.evaluate("k => localStorage.getItem(k)", key))
    assert saved == {"path": [start], "choices": [], "endings": []}


def test_story_keeps_choice_apart_from_feedback_and_restart_forgets_endings(page, server):
    _module(page, server, via_index=False)
    key, sec = _story_key(page, "sc-1214-new-follower")
    for _ in range(12):
        node = sec.locator(".stl-node:visible")
        if node.get_attribute("data-ending"):
            break
        choice = node.locator("a.stl-choice").first
        text = choice.inner_text().strip()
        choice.click()
        made = sec.locator(".stl-node:visible .stl-choice-made")
        assert made.locator(".stl-you-chose").inner_text().strip() == f"You chose: {text}"
        assert made.locator(".stl-choice-fb").inner_text().strip()
        assert page.evaluate("document.activeElement.classList.contains('stl-node')")
        saved = json.loads(page.evaluate("k => localStorage.getItem(k)", key))
        assert all(isinstance(c, int) for c in saved["choices"]), "indexes only"
        assert "<" not in json.dumps(saved)
    assert json.loads(page.evaluate("k => localStorage.getItem(k)", key))["endings"]
    sec.locator("button.stl-restart").click()
    assert json.loads(page.evaluate("k => localStorage.getItem(k)", key))["endings"] == []
    assert "you found 0 of" in sec.locator("[data-stl-status]").inner_text()


@pytest.mark.parametrize("band", BANDS)
def test_box_on_the_module_fits_the_band(page, server, band):
    _module(page, server, band, via_index=False)
    box = page.locator("section.stl-get-help").inner_text()
    for name in _adults_only(band):
        assert name not in box
    assert "112" in box and "116 111" in box


def test_neutral_page_passes_axe_in_light_and_dark(browser, server, axe_source):
    """The page quick exit leaves to (the site's other pages are checked in test_site_pages.py)."""
    from test_site_pages import Sweep, check_page
    probe = Sweep(None, None, axe_source, browser=browser)
    try:
        problems = check_page(probe, server, "_static/neutral.html", dark=True)
    finally:
        probe.close()
    assert not problems, "\n".join(problems)


def test_mobile_width_keeps_quick_exit_visible(browser, server):
    ctx = browser.new_context(viewport={"width": 390, "height": 844})
    pg = ctx.new_page()
    pg.goto(f"{server}/{MODULES['9-11']}")
    b = pg.locator(".stl-quick-exit").bounding_box()
    assert b and b["x"] >= 0 and b["x"] + b["width"] <= 390 and b["y"] >= 0
    ctx.close()

