"""The live (ipywidgets) quiz and chat story, driven as Jupyter and Voilà drive them: set .value, .click()."""
from __future__ import annotations

from pathlib import Path

import ipywidgets as W
import pytest

from spotthelure.project import load_activity_file
from spotthelure.render_widgets import QuizWidget, ScenarioWidget

DATA = Path(__file__).parent / "data"


def _load(name):
    act, problems = load_activity_file(DATA / name, name)
    assert not problems, problems
    return act.data


@pytest.fixture()
def quiz():
    return QuizWidget(_load("quiz-sample.yml"))


@pytest.fixture()
def story():
    return ScenarioWidget(_load("scenario-sample.yml"))


def _item(quiz, item_id):
    return next(i for i in quiz.items if i.item.id == item_id)


def test_quiz_starts_unanswered(quiz):
    assert quiz.answered == 0 and quiz.right == 0
    assert quiz.score.value == "Answered 0 of 5 · correct 0"


def test_check_without_an_answer_asks_for_one(quiz):
    it = _item(quiz, "one")
    it.check.click()
    assert it.feedback.value == "Choose an answer first."
    assert quiz.answered == 0


def test_single_choice_wrong_then_right(quiz):
    it = _item(quiz, "one")
    it.inputs[0].value = 0                    # an ordinary message: not the warning sign
    it.check.click()
    assert it.correct is False
    assert "Not quite yet" in it.feedback.value and "An ordinary message" in it.feedback.value
    assert it.retry.layout.display == ""      # "Try again" appears
    it.retry.click()
    assert it.inputs[0].value is None and it.feedback.value == ""
    it.inputs[0].value = 1
    it.check.click()
    assert it.correct is True and "Correct" in it.feedback.value
    assert "Asking for secrecy" in it.feedback.value
    assert it.retry.layout.display == "none"
    assert quiz.score.value == "Answered 1 of 5 · correct 1"


def test_multiple_select_needs_exactly_the_right_boxes(quiz):
    it = _item(quiz, "many")
    it.inputs[0].value = True
    it.check.click()
    assert it.correct is False                # one right box is missing
    assert "An adult can help you act" in it.feedback.value   # feedback on the box that should be ticked
    it.inputs[2].value = True
    it.check.click()
    assert it.correct is True
    assert "Paying rarely" not in it.feedback.value            # an unticked wrong option says nothing


def test_true_false_feedback_follows_the_answer(quiz):
    it = _item(quiz, "tf")
    it.inputs[0].value = 0                    # "True"
    it.check.click()
    assert it.correct is False and "the person who tricked you did wrong" in it.feedback.value
    it.inputs[0].value = 1
    it.check.click()
    assert it.correct is True and "you are not in trouble" in it.feedback.value


def test_red_flags(quiz):
    it = _item(quiz, "flags")
    assert [cb.description for cb in it.inputs][1].endswith("let's move to a private app")
    it.inputs[1].value = True
    it.check.click()
    assert it.correct is True and "Moving to a private app" in it.feedback.value


def test_ordering(quiz):
    it = _item(quiz, "order")
    # The dropdowns are shown shuffled; give each step its written place (one good order).
    for dd, j in zip(it.inputs, it.order):
        dd.value = j + 1
    it.check.click()
    assert it.correct is True
    # Swap "save" (must come before "block") with "block": that rule is broken.
    save, block = (next(dd for dd, j in zip(it.inputs, it.order) if it.item.steps[j].id == s)
                   for s in ("save", "block"))
    save.value, block.value = block.value, save.value
    it.check.click()
    assert it.correct is False
    assert "should come before" in it.feedback.value


def test_quiz_score_counts_every_item(quiz):
    answers = {"one": [1], "tf": [1]}
    for item_id, values in answers.items():
        it = _item(quiz, item_id)
        it.inputs[0].value = values[0]
        it.check.click()
    _item(quiz, "many").inputs[1].value = True
    _item(quiz, "many").check.click()
    assert quiz.answered == 3 and quiz.right == 2
    assert quiz.score.value == "Answered 3 of 5 · correct 2"


def test_story_choices_back_and_restart(story):
    assert story.current.id == "n1"
    assert "so mature for your age" in story.chat.value
    assert story.back.disabled
    buttons = story.choices.children
    assert [b.description for b in buttons] == ["Tell her sister.", "Keep chatting."]
    buttons[1].click()
    assert story.current.id == "n2"
    assert "She can still stop at any time." in story.chat.value     # feedback on the choice
    assert not story.back.disabled
    story.back.click()
    assert story.current.id == "n1"
    story.choices.children[1].click()
    story.choices.children[1].click()     # keep it secret
    assert story.current.id == "end-stuck"
    assert "Ending: not over yet" in story.chat.value
    assert story.choices.children == ()
    story.restart.click()
    assert story.current.id == "n1" and story.back.disabled
    story.choices.children[0].click()
    assert "Ending: getting help" in story.chat.value and "not in trouble" in story.chat.value
    assert story.status.value == "Step 2 · endings found: 2 of 2"


def test_story_text_is_escaped():
    data = _load("scenario-sample.yml")
    data["nodes"][0]["messages"][0]["text"] = "<script>alert(1)</script> hi"
    w = ScenarioWidget(data)
    assert "<script>" not in w.chat.value and "&lt;script&gt;" in w.chat.value


def test_views_are_real_widgets(quiz, story):
    assert isinstance(quiz.view, W.VBox) and isinstance(story.view, W.VBox)
