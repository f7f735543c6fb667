"""An activity file is parsed and checked once per content (project.load_activity_file): what a
caller gets is its own, an edited file is checked again, and the messages follow the language."""
from __future__ import annotations

import shutil
from pathlib import Path

from spotthelure import i18n
from spotthelure.project import load_activity_file

DATA = Path(__file__).resolve().parent / "data"


def test_a_caller_may_change_what_it_got(tmp_path):
    f = tmp_path / "q.yml"
    shutil.copy(DATA / "quiz-sample.yml", f)
    a, problems = load_activity_file(f, "q.yml")
    assert problems == [] and a.model is not None
    title = a.data["title"]
    a.data["title"] = "<changed>"
    a.data["items"].clear()
    problems.append("not kept")
    b, again = load_activity_file(f, "q.yml")
    assert b.data["title"] == title and b.data["items"] and again == []
    assert b.data is not a.data and b.model is not a.model


def test_an_edited_file_is_checked_again(tmp_path):
    f = tmp_path / "q.yml"
    shutil.copy(DATA / "quiz-sample.yml", f)
    assert load_activity_file(f, "q.yml")[1] == []
    f.write_text(f.read_text(encoding="utf-8").replace("kind: quiz", "kind: quizz", 1), encoding="utf-8")
    a, problems = load_activity_file(f, "q.yml")
    assert a is None and problems and "quizz" in problems[0].message
    f.write_text(f.read_text(encoding="utf-8").replace("kind: quizz", "kind: quiz", 1), encoding="utf-8")
    assert load_activity_file(f, "q.yml")[1] == []


def test_messages_are_in_the_language_of_the_call(tmp_path):
    f = tmp_path / "q.yml"
    f.write_text("kind: quizz\n", encoding="utf-8")
    english = load_activity_file(f, "q.yml")[1][0].message
    with i18n.language("sv"):
        swedish = load_activity_file(f, "q.yml")[1][0].message
    assert english != swedish and "quizz" in swedish
    assert load_activity_file(f, "q.yml")[1][0].message == english


def test_the_shown_path_is_the_one_asked_for(tmp_path):
    f = tmp_path / "q.yml"
    f.write_text("kind: quizz\n", encoding="utf-8")
    assert load_activity_file(f, "a/q.yml")[1][0].path == "a/q.yml"
    assert load_activity_file(f, "b/q.yml")[1][0].path == "b/q.yml"
