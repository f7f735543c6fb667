"""An activity file, and a page of the book, is parsed and checked once per content
(project.load_activity_file, project._read_page): what a caller gets is its own (the model, frozen,
is shared), an edited file is checked again, and the messages follow the language."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

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
    assert b.data is not a.data and b.data["items"] is not a.data["items"]
    # the model is frozen all the way down (objects and tuples), so the calls may share it
    import dataclasses
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.model.title = "<changed>"
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.model.items[0].id = "<changed>"
    assert isinstance(a.model.items, tuple) and b.model.title == title


def test_a_page_read_again_is_a_page_of_its_own(tmp_path):
    """The pages of the book are read and checked once per content too (project._read_page)."""
    from conftest import copy_book
    from spotthelure.project import load_project
    book = copy_book("basic", tmp_path)
    a = load_project(book)
    lesson = next(iter(a.lessons.values()))
    lesson.front["lesson"]["title"] = "<changed>"
    lesson.typed["lesson"]["title"] = "<changed>"
    b = load_project(book)
    again = b.pages[lesson.rel]
    assert again.front["lesson"]["title"] != "<changed>" and again.typed["lesson"]["title"] != "<changed>"
    assert again.front.line_of("lesson") == lesson.front.line_of("lesson") and again.model == lesson.model
    assert b.problems == a.problems
    page = book / lesson.rel
    page.write_text(page.read_text(encoding="utf-8").replace("lesson:", "lesson:\n  colour: red", 1), encoding="utf-8")
    edited = load_project(book)            # checked again: the unknown field keeps the model away
    assert lesson.model is not None and edited.pages[lesson.rel].model is None


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
