"""What a learner clicks: quizzes right and wrong, progress kept across reloads, reset; a chat
story walked to an ending, back and restarted. Standalone offline files opened from file://."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from spotthelure.project import load_activity_file
from spotthelure.render_html import standalone_page
from conftest import ROOT

DATA = ROOT / "tests" / "data"


def _file(tmp_path, name):
    act, problems = load_activity_file(DATA / name, name)
    assert not problems, problems
    out = tmp_path / (act.id + ".html")
    out.write_text(standalone_page(act.kind, act.data), encoding="utf-8")
    return out


@pytest.fixture()
def quiz(page, tmp_path):
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(_file(tmp_path, "quiz-sample.yml").as_uri())
    yield page
    assert not errors, errors


def item(page, iid):
    return page.locator(f'form[data-item="{iid}"]')


def check(form):
    form.locator("button.stl-check").click()
    return form.locator(".stl-result").inner_text()


def test_single_choice_wrong_then_right(quiz):
    f = item(quiz, "one")
    f.locator("input").nth(0).check()
    assert "Not quite" in check(f)
    fb = f.locator(".stl-fb:not([hidden])")
    assert fb.count() == 1 and "ordinary message" in fb.inner_text()
    assert "Not quite" in fb.inner_text()  # the mark is words, not colour alone
    f.locator("button.stl-retry").click()
    assert f.locator(".stl-fb:not([hidden])").count() == 0
    f.locator("input").nth(1).check()
    assert "Correct" in check(f)
    assert "Right" in f.locator(".stl-fb:not([hidden]) .stl-mark").inner_text()


def test_multiple_shows_missed_answers(quiz):
    f = item(quiz, "many")
    f.locator("input").nth(0).check()
    assert "Not quite" in check(f)
    assert "this one fits too" in f.inner_text()
    f.locator("input").nth(2).check()
    assert "Correct" in check(f)


def test_truefalse_redflags_and_ordering(quiz):
    f = item(quiz, "tf")
    f.locator("input[value=false]").check()
    assert "Correct" in check(f)
    f = item(quiz, "flags")
    f.locator("input").nth(1).check()
    assert "Correct" in check(f)
    f = item(quiz, "order")
    # The written order is one good order: give each step its written place.
    for place, step in enumerate(["stop", "save", "tell", "block"], 1):
        f.locator(f'li[data-step="{step}"] select').select_option(str(place))
    assert "Correct" in check(f)


def test_unanswered_check_asks_for_an_answer(quiz):
    f = item(quiz, "one")
    assert "Choose an answer first" in check(f)


def test_progress_survives_reload_and_reset_clears_it(quiz):
    f = item(quiz, "one")
    f.locator("input").nth(1).check()
    check(f)
    score = quiz.locator("[data-stl-score]").inner_text()
    assert "You answered 1 of 5" in score and "1 right so far" in score
    quiz.reload()
    f = item(quiz, "one")
    # expect() waits for the page's script to restore the answer (a reload on a busy machine)
    expect(f.locator("input").nth(1)).to_be_checked()
    expect(f.locator(".stl-result")).to_contain_text("Correct")
    expect(quiz.locator("[data-stl-score]")).to_contain_text("You answered 1 of 5")
    quiz.locator("button.stl-reset").click()
    expect(quiz.locator("[data-stl-score]")).to_contain_text("You answered 0 of 5")
    quiz.reload()
    expect(quiz.locator("[data-stl-score]")).to_contain_text("You answered 0 of 5")
    expect(item(quiz, "one").locator("input").nth(1)).not_to_be_checked()


def test_nothing_but_progress_is_stored(quiz):
    f = item(quiz, "one")
    f.locator("input").nth(1).check()
    check(f)
    keys = quiz.evaluate("Object.keys(localStorage)")
    assert keys and all(k.startswith("spotthelure:quiz:q-sample:") for k in keys)
    assert quiz.evaluate("document.cookie") == ""


def test_scenario_to_an_ending_back_and_restart(page, tmp_path):
    page.goto(_file(tmp_path, "scenario-sample.yml").as_uri())
    sc = page.locator("section.stl-scenario")
    visible = sc.locator(".stl-node:visible")
    assert visible.get_attribute("data-node") == "n1"
    assert sc.locator("button.stl-back").is_disabled()
    visible.locator("a.stl-choice", has_text="Keep chatting").click()
    assert visible.get_attribute("data-node") == "n2"
    assert "You chose: Keep chatting" in visible.inner_text()
    visible.locator("a.stl-choice", has_text="Stop replying").click()
    assert visible.get_attribute("data-node") == "end-help"
    assert "Ending: getting help" in visible.inner_text()
    assert "you found 1 of 2 endings" in sc.locator("[data-stl-status]").inner_text()
    sc.locator("button.stl-back").click()
    assert visible.get_attribute("data-node") == "n2"
    page.reload()
    assert sc.locator(".stl-node:visible").get_attribute("data-node") == "n2"
    sc.locator("button.stl-restart").click()
    assert sc.locator(".stl-node:visible").get_attribute("data-node") == "n1"
    assert "you found 0 of 2 endings" in sc.locator("[data-stl-status]").inner_text()


def test_scenario_without_script_reads_as_linked_sections(browser, tmp_path):
    ctx = browser.new_context(java_script_enabled=False)
    pg = ctx.new_page()
    pg.goto(_file(tmp_path, "scenario-sample.yml").as_uri())
    nodes = pg.locator(".stl-node")
    assert nodes.count() == 4 and all(nodes.nth(i).is_visible() for i in range(4))
    href = pg.locator("a.stl-choice").first.get_attribute("href")
    assert href.startswith("#stl-sc-sample-")
    ctx.close()


def test_evil_content_stays_inert(page, tmp_path):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(_file(tmp_path, "quiz-evil.yml").as_uri())
    f = page.locator('form[data-item="x"]')
    f.locator("input").nth(0).check()
    f.locator("button.stl-check").click()
    f.locator("label").nth(1).hover()
    page.locator('form[data-item="y"] legend').hover()
    assert dialogs == []
    assert page.locator("a[href^='javascript']").count() == 0
    assert page.locator("img[src=x], iframe, svg[onload]").count() == 0
    assert "<script>alert('title')</script>" in page.locator("h1").inner_text()
