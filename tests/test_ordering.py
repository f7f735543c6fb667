"""Ordering items are scored by their rules: "tell a trusted adult" is right at any point, every order
that keeps the rules is right, and a broken rule is explained. The validator checks the rules; the bank
balance check warns about answer cues. Run in Python, as live widgets and in Chromium."""
from __future__ import annotations

import itertools
import textwrap

import pytest

from spotthelure import ordering
from spotthelure.checks import quiz_warnings
from spotthelure.project import load_activity_file
from spotthelure.quizbank import bank_warnings, upper, lower
from spotthelure.render_html import activity_html, standalone_page
from spotthelure.render_print import print_page
from conftest import ROOT, run_here

DATA = ROOT / "tests" / "data"
QUIZZES = sorted((ROOT / "activities" / "quizzes").glob("*.yml"))


def load(path, name=None):
    act, problems = load_activity_file(path, name or path.name)
    assert not problems, problems
    return act.data


def sample_order():
    return next(it for it in load(DATA / "quiz-sample.yml")["items"] if it["id"] == "order")


def places(item, order_ids):
    """places[i] for step i, from a list of step ids in the order given."""
    pos = {sid: k for k, sid in enumerate(order_ids, 1)}
    return [pos.get(s["id"]) for s in item["steps"]]


# ---- the rule engine ----------------------------------------------------------------------------

def test_tell_first_and_other_valid_orders_are_right():
    it = sample_order()
    assert ordering.is_right(it, places(it, ["stop", "save", "tell", "block"]))   # the written order
    assert ordering.is_right(it, places(it, ["tell", "stop", "save", "block"]))   # tell first
    assert ordering.is_right(it, places(it, ["save", "block", "stop", "tell"]))   # tell last
    assert ordering.is_right(it, places(it, ["save", "stop", "tell", "block"]))


def test_a_broken_rule_is_wrong_and_named():
    it = sample_order()
    p = places(it, ["tell", "block", "save", "stop"])
    assert not ordering.is_right(it, p)
    [r] = ordering.broken(it, p)
    assert ordering.rule_text(it, r) == ("“Save screenshots” should come before “Block the account”. "
                                         "Proof is saved before blocking, so it is not lost.")


def test_incomplete_or_duplicate_places_are_not_right():
    it = sample_order()
    assert not ordering.is_right(it, [1, 2, None, 4])
    assert not ordering.is_right(it, [1, 2, 2, 4])


def test_valid_orders_are_exactly_those_keeping_the_rules():
    it = sample_order()
    orders = ordering.valid_orders(it)
    assert len(orders) == 12            # 4! / 2: only save-before-block is fixed
    ids = [s["id"] for s in it["steps"]]
    for perm in itertools.permutations(range(4)):
        right = ordering.is_right(it, places(it, [ids[k] for k in perm]))
        assert right == (perm in orders)


@pytest.mark.parametrize("path", QUIZZES, ids=lambda p: p.stem)
def test_book_ordering_items_accept_help_seeking_first(path):
    for it in load(path)["items"]:
        if it["type"] != "ordering":
            continue
        ids = [s["id"] for s in it["steps"]]
        assert ordering.rules(it), f"{path.name} {it['id']}: no rule"
        assert ordering.is_right(it, places(it, ids)), f"{path.name} {it['id']}: the written order breaks a rule"
        for i in ordering.any_time(it):
            for k in range(len(ids)):   # the help-seeking step at every place, the rest as written
                rest = [x for x in ids if x != ids[i]]
                order = rest[:k] + [ids[i]] + rest[k:]
                assert ordering.is_right(it, places(it, order)), (path.name, it["id"], order)


def test_the_book_has_12_ordering_items_and_help_steps_are_any_time():
    n = 0
    for path in QUIZZES:
        q = load(path)
        for it in q["items"]:
            if it["type"] == "ordering":
                n += 1
                for s in it["steps"]:
                    if ordering.looks_like_help_seeking(s["text"], q["language"]):
                        assert s.get("any_time") is True, (path.name, it["id"], s["id"])
    assert n == 12


# ---- the validator ------------------------------------------------------------------------------

QUIZ_HEAD = """\
kind: quiz
id: q-probe
version: 1
language: en
age_band: "12-14"
title: Probe
items:
  - id: order
    type: ordering
    prompt: Put these in a good order.
    steps:
"""


def probe(tmp_path, steps: str):
    p = tmp_path / "q-probe.yml"
    p.write_text(QUIZ_HEAD + textwrap.indent(textwrap.dedent(steps), " " * 6), encoding="utf-8")
    act, problems = load_activity_file(p, "q-probe.yml")
    return act, [str(x) for x in problems]


GOOD = """\
- id: stop
  text: Stop replying.
  feedback: It gives you time.
- id: save
  text: Save screenshots.
  feedback: Proof helps.
  before: [block]
- id: tell
  text: Tell a trusted adult.
  feedback: An adult can help.
  any_time: true
- id: block
  text: Block the account.
  feedback: It stops messages.
"""


def test_a_good_item_passes(tmp_path):
    act, problems = probe(tmp_path, GOOD)
    assert problems == []
    assert quiz_warnings(act.data, "q-probe.yml") == []


@pytest.mark.parametrize("change, line, words", [
    (("before: [block]", "before: [blok]"), 18, "before 'blok' is not a step id of this item"),
    (("  feedback: It stops messages.", "  feedback: It stops messages.\n  before: [save]"), 18,
     "go round in a circle: save -> block -> save"),
    (("before: [block]", "before: [stop]"), 18, "must come before 'stop', but the steps are written with 'stop' first"),
    (("before: [block]", "before: [tell]"), 18, "step tell is 'any_time: true', so it cannot be in a 'before' rule"),
    (("  any_time: true\n", "  any_time: true\n  before: [block]\n"), 23,
     "step tell is 'any_time: true', so it cannot be in a 'before' rule"),
    (("  any_time: true\n", ""), 20, "looks like getting help ('tell'); add 'any_time: true'"),
    (("text: Stop replying.", "text: Call 112 if you are in danger."), 13, "looks like getting help ('112')"),
    (("- id: block", "- id: save"), 23, "step id 'save' is used twice"),
])
def test_broken_rules_are_refused_with_path_and_line(tmp_path, change, line, words):
    steps = GOOD.replace(*change)
    assert steps != GOOD
    _, problems = probe(tmp_path, steps)
    assert any(p.startswith(f"q-probe.yml:{line}: ") and words in p for p in problems), problems


def test_validate_command_exits_non_zero_without_traceback(tmp_path):
    probe(tmp_path, GOOD.replace("before: [block]", "before: [blok]"))
    r = run_here("validate", str(tmp_path / "q-probe.yml"))
    assert r.returncode == 1
    assert ":18: item order: step save: before 'blok' is not a step id" in r.stderr
    assert "Traceback" not in r.stderr


def test_warnings_no_rule_and_verdict_opening(tmp_path):
    steps = (GOOD.replace("  before: [block]\n", "")
             .replace("feedback: Proof helps.", "feedback: Yes. Proof helps."))
    act, problems = probe(tmp_path, steps)
    assert problems == []                     # warnings never stop a build
    w = [str(x) for x in quiz_warnings(act.data, "q-probe.yml")]
    assert any(x.startswith("q-probe.yml:8: ") and "no 'before' rule" in x for x in w), w
    assert any(x.startswith("q-probe.yml:17: ") and "starts with 'Yes'" in x for x in w), w
    assert len(w) == 2


def test_verdict_words_are_data_by_language():
    assert ordering.starts_with_verdict("Right. A good step.", "en") == "Right"
    assert ordering.starts_with_verdict("No. Not this.", "en") == "No"
    assert ordering.starts_with_verdict("Nobody has to keep this secret.", "en") is None
    assert ordering.starts_with_verdict("Yes. Ja.", "xx") is None      # no word list: no warning


# ---- bank balance ------------------------------------------------------------------------------

def _single(i, keyed_longest=True, pos=0):
    opts = [{"text": "short", "feedback": "f"}, {"text": "brief", "feedback": "f"}, {"text": "tiny", "feedback": "f"}]
    opts[pos] = {"text": "the much longer right answer" if keyed_longest else "ok", "correct": True, "feedback": "f"}
    return {"id": f"s{i}", "type": "single", "prompt": "p", "options": opts}


def _tf(i, answer):
    return {"id": f"t{i}", "type": "truefalse", "prompt": "p", "answer": answer, "feedback_true": "f",
            "feedback_false": "f"}


def _multiple(i):
    return {"id": f"m{i}", "type": "multiple", "prompt": "p", "options": [
        {"text": "a long and detailed right option", "correct": True, "feedback": "f"},
        {"text": "no", "feedback": "f"}, {"text": "a second long and detailed right option", "correct": True,
                                          "feedback": "f"}]}


def _bank(items):
    return [("activities/quizzes/q-bias.yml", {"kind": "quiz", "id": "q-bias", "version": 1, "language": "en",
                                               "title": "A biased bank", "age_band": "9-11", "items": items})]


def test_bank_balance_warns_on_a_biased_bank():
    items = ([_single(i, True, pos=1) for i in range(12)] + [_tf(i, False) for i in range(12)]
             + [_multiple(i) for i in range(8)])
    w = [str(x) for x in bank_warnings(_bank(items))]
    assert any("ages 9-11 bank" in x and "longest option in 12 of 12" in x for x in w), w
    assert any("ages 9-11 bank" in x and "option 2 in 12 of 12" in x for x in w), w
    assert any("ages 9-11 bank" in x and "0 of 12 true/false items are keyed 'true'" in x for x in w), w
    assert any("ages 9-11 bank" in x and "in 8 of 8 multiple-select items" in x for x in w), w
    assert all(x.startswith("activities/quizzes/q-bias.yml:") and ": warning: " in x for x in w)


def test_bank_balance_quiet_on_a_balanced_bank():
    items = ([_single(i, i % 3 == 0, pos=i % 3) for i in range(12)] + [_tf(i, i % 2 == 0) for i in range(12)])
    assert bank_warnings(_bank(items)) == []


def test_binomial_bounds():
    # 12 fair coins: P(X <= 9) = 0.981, P(X <= 8) = 0.927; lower 2.5% end: P(X <= 2) = 0.019
    assert upper([0.5] * 12) == 9
    assert lower([0.5] * 12) == 3
    assert upper([1 / 3] * 12) == 7


def test_validate_stats_prints_figures_per_bank():
    r = run_here("validate", "--stats")
    assert "Traceback" not in r.stderr
    for band in ("9-11", "12-14", "15-18"):
        assert f"ages {band} bank" in r.stdout
    assert "keyed option longest in" in r.stdout and "activities/quizzes/q911-1.yml" in r.stdout


# ---- renderers ----------------------------------------------------------------------------------

def test_html_carries_the_rules_not_a_fixed_place():
    q = load(DATA / "quiz-sample.yml")
    html = activity_html("quiz", q)
    assert "data-position" not in html
    assert 'data-first="save" data-then="block"' in html
    assert "“Tell a trusted adult” is right at any point, even first." in html


def test_answer_key_shows_one_good_order_and_the_rules():
    q = load(DATA / "quiz-sample.yml")
    key = print_page([("quiz", q)], answer_key=True)
    assert "One good order" in key
    assert "Any order is right as long as “Save screenshots” comes before “Block the account”." in key
    assert "“Tell a trusted adult” is right at any point, even first." in key
    sheet = print_page([("quiz", q)])
    assert "More than one order can be right." in sheet and "Any order is right" not in sheet


def test_widget_accepts_tell_first_and_explains_a_broken_rule():
    from spotthelure.render_widgets import QuizWidget
    w = QuizWidget(load(DATA / "quiz-sample.yml"))
    it = next(i for i in w.items if i.item.id == "order")
    by_id = {it.item.steps[j].id: dd for dd, j in zip(it.inputs, it.order)}

    def answer(order):
        for k, sid in enumerate(order, 1):
            by_id[sid].value = k
        it.check.click()
        return it.correct

    assert answer(["tell", "stop", "save", "block"]) is True
    assert "is right at any point" in it.feedback.value
    assert answer(["save", "block", "tell", "stop"]) is True
    assert answer(["stop", "block", "save", "tell"]) is False
    assert "“Save screenshots” should come before “Block the account”." in it.feedback.value
    assert "Check the order of this step" in it.feedback.value
    by_id["stop"].value = by_id["save"].value      # two steps in one place
    it.check.click()
    assert "its own place" in it.feedback.value


# ---- in the browser -----------------------------------------------------------------------------

@pytest.fixture()
def quiz_page(page, tmp_path):
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    out = tmp_path / "q.html"
    out.write_text(standalone_page("quiz", load(DATA / "quiz-sample.yml")), encoding="utf-8")
    page.goto(out.as_uri())
    yield page
    assert not errors, errors


def _answer(page, order):
    f = page.locator('form[data-item="order"]')
    for k, sid in enumerate(order, 1):
        f.locator(f'li[data-step="{sid}"] select').select_option(str(k))
    f.locator("button.stl-check").click()
    return f


def test_browser_tell_first_is_right(quiz_page):
    f = _answer(quiz_page, ["tell", "stop", "save", "block"])
    assert "Correct" in f.locator(".stl-result").inner_text()
    assert f.locator(".stl-anytime").inner_text() == "“Tell a trusted adult” is right at any point, even first."
    assert f.locator(".stl-rule:not([hidden])").count() == 0
    assert "this fits at any point" in f.locator('li[data-step="tell"] .stl-mark').inner_text()
    score = quiz_page.locator("[data-stl-score]").inner_text()
    assert score.startswith("You answered 1 of 5 questions. 1 right so far.") and "first time" not in score


def test_browser_other_valid_orders_are_right(quiz_page):
    for order in (["save", "block", "stop", "tell"], ["stop", "save", "tell", "block"]):
        f = _answer(quiz_page, order)
        assert "Correct" in f.locator(".stl-result").inner_text(), order


def test_browser_broken_rule_is_wrong_and_explained(quiz_page):
    f = _answer(quiz_page, ["block", "tell", "stop", "save"])
    assert "Not quite" in f.locator(".stl-result").inner_text()
    shown = f.locator(".stl-rule:not([hidden])")
    assert shown.count() == 1
    assert shown.inner_text() == ("“Save screenshots” should come before “Block the account”. "
                                  "Proof is saved before blocking, so it is not lost.")
    assert "Check the order" in f.locator('li[data-step="block"] .stl-mark').inner_text()
    assert f.locator('li[data-step="block"]').get_attribute("class").count("stl-is-wrong") == 1


def test_browser_duplicate_places_ask_for_distinct_ones(quiz_page):
    f = _answer(quiz_page, ["tell", "stop", "save", "block"])
    f.locator('li[data-step="block"] select').select_option("1")    # "block" and "tell" both in place 1
    f.locator("button.stl-check").click()
    assert f.locator(".stl-result").inner_text() == "Give each step its own place: 1, 2, 3 and so on."


def test_browser_missed_warning_sign_is_not_shown_as_right(quiz_page):
    f = quiz_page.locator('form[data-item="flags"]')
    f.locator("input").nth(0).check()          # a harmless line ticked, the warning sign missed
    f.locator("button.stl-check").click()
    missed = f.locator(".stl-is-missed")
    assert missed.count() >= 1
    assert missed.first.locator(".stl-mark").inner_text().startswith("Missed")
    assert f.locator(".stl-is-right").count() == 0
    mark = missed.first.locator(".stl-mark")
    fbtext = missed.first.locator(".stl-fb-text")
    assert mark.bounding_box()["y"] < fbtext.bounding_box()["y"]   # the label is on its own line


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_browser_feedback_shown_passes_axe(axe_page, tmp_path, axe_source, scheme):
    """With every kind of verdict on screen (right, not quite, missed, a broken rule, any time)."""
    from conftest import axe
    page = axe_page     # axe-core goes in as an inline script, which the file's policy refuses
    out = tmp_path / "q.html"
    out.write_text(standalone_page("quiz", load(DATA / "quiz-sample.yml")), encoding="utf-8")
    page.emulate_media(color_scheme=scheme)
    page.goto(out.as_uri())
    f = page.locator('form[data-item="flags"]')
    f.locator("input").nth(0).check()
    f.locator("button.stl-check").click()
    f = page.locator('form[data-item="many"]')
    f.locator("input").nth(0).check()
    f.locator("input").nth(1).check()
    f.locator("button.stl-check").click()
    _answer(page, ["block", "tell", "stop", "save"])
    assert page.locator(".stl-is-missed").count() and page.locator(".stl-rule:not([hidden])").count()
    problems = axe(page, axe_source)
    assert not problems, "\n".join(problems)
