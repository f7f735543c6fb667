"""The browser script in another language: every word it writes comes from the page's
data-stl-strings. With a pseudo-locale (each message wrapped in ⟦…⟧, content wrapped in ‹…›), a
quiz answered every way and a chat story walked to an ending leave no English word that the script
wrote; with a Ukrainian catalog the counts take Ukrainian plural forms through Intl.PluralRules."""
from __future__ import annotations

import pytest

from spotthelure import i18n
from spotthelure.project import load_activity_file, load_project
from spotthelure.render_html import standalone_page

from conftest import ROOT
from i18n_helpers import PSEUDO, mark_content, pseudo_catalog, untranslated, write_catalog

DATA = ROOT / "tests" / "data"
# What the script writes (the page's own words come from the renderers, tested in test_i18n).
WRITTEN = [".stl-mark", ".stl-result", "[data-stl-score]", "[data-stl-status]", ".stl-you-chose strong",
           ".stl-quick-exit", ".stl-quick-exit-hint"]


@pytest.fixture(scope="module")
def contacts():
    pr = load_project(ROOT)
    pr.local = mark_content(pr.local)
    return pr


def _page(tmp_path, name, lang, locales, pr):
    act, problems = load_activity_file(DATA / name, name)
    assert not problems
    with i18n.use_locales(locales), i18n.language(lang):
        html = standalone_page(act.kind, mark_content(act.data), pr)
    out = tmp_path / f"{act.id}-{lang}.html"
    out.write_text(html, encoding="utf-8")
    return out


def _written(page) -> list[str]:
    texts = []
    for sel in WRITTEN:
        loc = page.locator(sel)
        texts += [loc.nth(i).text_content() for i in range(loc.count())]
    return [t for t in texts if t and t.strip()]


@pytest.fixture()
def pseudo_pages(tmp_path, contacts):
    d = tmp_path / "locales"
    pseudo_catalog(d)
    return {n: _page(tmp_path, n, PSEUDO, d, contacts) for n in ("quiz-sample.yml", "scenario-sample.yml")}


def test_quiz_in_the_pseudo_locale_writes_no_english(page, pseudo_pages):
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(pseudo_pages["quiz-sample.yml"].as_uri())
    seen = set()

    def check(iid):
        f = page.locator(f'form[data-item="{iid}"]')
        f.locator("button.stl-check").click()
        seen.update(_written(page))
        return f

    check("one")                                            # no answer: choose one first
    f = page.locator('form[data-item="one"]')
    f.locator("input").nth(0).check()
    check("one")                                            # wrong
    f.locator("button.stl-retry").click()
    f.locator("input").nth(1).check()
    check("one")                                            # right
    f = page.locator('form[data-item="many"]')
    f.locator("input").nth(0).check()
    check("many")                                           # missed and wrong marks
    f = page.locator('form[data-item="flags"]')
    f.locator("input").nth(0).check()
    check("flags")
    f = page.locator('form[data-item="order"]')
    f.locator('li[data-step="stop"] select').select_option("1")
    check("order")                                          # places missing
    for place, step in enumerate(["block", "tell", "save", "stop"], 1):
        f.locator(f'li[data-step="{step}"] select').select_option(str(place))
    check("order")                                          # wrong order: check the order of this step
    for place, step in enumerate(["stop", "save", "tell", "block"], 1):
        f.locator(f'li[data-step="{step}"] select').select_option(str(place))
    check("order")                                          # right: fine here, right at any point
    seen.update(_written(page))
    assert not errors, errors
    assert len(seen) >= 12, seen
    for text in seen:
        assert untranslated(text) == [], text
    assert any("⟦Quick exit⟧" in t for t in seen) and any("⟦You answered" in t for t in seen)


def test_story_in_the_pseudo_locale_writes_no_english(page, pseudo_pages):
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(pseudo_pages["scenario-sample.yml"].as_uri())
    sc = page.locator("section.stl-scenario")
    seen = set(_written(page))
    sc.locator(".stl-node:visible a.stl-choice").nth(1).click()      # keep chatting
    seen.update(_written(page))
    sc.locator(".stl-node:visible a.stl-choice").nth(0).click()      # stop replying: an ending
    seen.update(_written(page))
    assert sc.locator(".stl-node:visible").get_attribute("data-node") == "end-help"
    assert not errors, errors
    assert any("⟦You chose:⟧" in t for t in seen) and any("reached an ending" in t for t in seen)
    for text in seen:
        assert untranslated(text) == [], text


def test_ukrainian_counts_take_ukrainian_plural_forms(page, tmp_path, contacts):
    """Two endings is 'few', five questions is 'many': the form the catalog gives for each."""
    d = tmp_path / "locales"
    write_catalog(d, "uk", lambda msgid, form: f"[{form}] {msgid}" if form is not None else msgid)
    page.goto(_page(tmp_path, "scenario-sample.yml", "uk", d, contacts).as_uri())
    assert page.locator("[data-stl-status]").text_content().startswith("[1] Step 1")          # 2 endings: few
    page.goto(_page(tmp_path, "quiz-sample.yml", "uk", d, contacts).as_uri())
    assert page.locator("[data-stl-score]").text_content().startswith("[2] You answered 0 of 5")  # 5: many
    assert page.evaluate("new Intl.PluralRules('uk').select(21)") == "one"


def test_a_page_with_no_activity_labels_its_controls_from_the_page_block(page, tmp_path):
    """A book page with a privacy box and no activity (For students): the quick exit and the
    clear button take their words from the page's <script type="application/json" id="stl-i18n">."""
    d = tmp_path / "locales"
    pseudo_catalog(d)
    with i18n.use_locales(d), i18n.language(PSEUDO):
        block = i18n.js_strings()
    script = (ROOT / "spotthelure" / "static" / "spotthelure.js").read_text(encoding="utf-8")
    html = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f'<script type="application/json" id="stl-i18n">{block}</script></head><body>'
            f'<div class="stl-privacy"><p>‹What this book keeps›</p></div><script>{script}</script></body></html>')
    f = tmp_path / "students.html"
    f.write_text(html, encoding="utf-8")
    page.goto(f.as_uri())
    assert page.locator("#stl-quick-exit").text_content() == "⟦Quick exit⟧"
    assert page.locator(".stl-clear-all").text_content() == "⟦Clear everything on this device⟧"
    assert untranslated(page.locator("body").inner_text()) == []
