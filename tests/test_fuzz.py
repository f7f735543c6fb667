"""Wrong types never crash: property-based tests over every field of every schema.

For each kind of content (quiz and each item type, scenario, role-play, questionnaire, lesson and
workshop front matter, local.yml) the fields are drawn from the schemas themselves, walked together
with a real file of the book; Hypothesis puts a value of a wrong type (one the field's schema
refuses) into one to three of them. ``validate``, ``levels`` and ``export`` must answer with
``path:line: what is wrong`` lines and a non-zero exit: no traceback, no internal type names.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import BOOKS, copy_book, dump_yaml
from spotthelure import schemas
from spotthelure.cli import main
from spotthelure.yamlload import load_yaml_file, split_front_matter

ROOT = Path(__file__).resolve().parent.parent
LINE = re.compile(r"^[^\s:][^:]*:\d+: \S.*$")
TOTAL = re.compile(r"^\d+ problems? found\.$")

# The files whose every field is mutated (together they hold every item type and every optional
# part: a quiz with all five item types, a role-play with props, a knowledge questionnaire, a
# handout of cards and one of sections, local contacts filled in), in the tiny book
# (tests/books/basic) with some of the book's own files added: validating the whole of it runs
# every cross-file check, in a fraction of the real book's time.
TARGETS = {
    "activities/quizzes/q1214-1.yml": "quiz",
    "activities/scenarios/sc-1214-new-follower.yml": "scenario",
    "activities/roleplays/rp-chat-warning-signs.yml": "roleplay",
    "activities/evaluation/eval-pre-post-12-14.yml": "questionnaire",
    "activities/handouts/h1214-1-staircase-cards.yml": "handout",
    "activities/handouts/h1214-5-help-circle.yml": "handout",
    "book/teachers/ages-12-14/1-how-grooming-works.md": "lesson",
    "book/facilitators/parent-workshop.md": "workshop",
    "local.yml": "local",
}
# The book's files added to the tiny book, each with what changes so that it belongs there.
ADDED = {
    "references.bib": (),               # the sources local.yml names
    "local.yml": (),
    "activities/evaluation/eval-pre-post-12-14.yml": (),
    "activities/handouts/h1214-5-help-circle.yml": (("lesson: l1214-5\n", "lesson: l1214-1\n"),),
}
WRONG = [7, 2.5, True, "x", "", ["x"], [], {"k": "v"}, {}, None, [{"k": 1}], [7], [None]]


def plain(x):
    """LDict/LList to plain dicts and lists (YAML can write those)."""
    return json.loads(json.dumps(x))


def fuzz_book(dest: Path) -> Path:
    """The tiny book with the files of ADDED, valid as it is."""
    book = copy_book("basic", dest)
    for rel, changes in ADDED.items():
        text = (ROOT / rel).read_text(encoding="utf-8")
        for old, new in changes:
            assert old in text, f"{rel} changed: update ADDED"
            text = text.replace(old, new)
        (book / rel).write_text(text, encoding="utf-8")
    return book


def load(rel: str, book: Path | None = None):
    """The front matter (and body) of a page, or the data of an activity, in ``book`` (by default
    where fuzz_book takes it from)."""
    path = (book or (ROOT if rel in ADDED else BOOKS / "basic")) / rel
    if rel.endswith(".md"):
        front, body, _ = split_front_matter(path.read_text(encoding="utf-8"), rel)
        return plain(front), body
    return plain(load_yaml_file(path)), None


def field_paths(data, schema, path=()):
    """(path, schema) of every field the schema knows, present in ``data`` or optional and absent."""
    out = []
    if not isinstance(schema, dict):
        return out
    if isinstance(data, dict) and "properties" in schema:
        for k, sub in schema["properties"].items():
            out.append((path + (k,), sub))
            if k in data:
                if path == () and k == "items" and schema is schemas.QUIZ:
                    for i, it in enumerate(data["items"]):
                        out.append((("items", i), {"type": "object"}))
                        out += field_paths(it, schemas.ITEM_TYPES[it["type"]], ("items", i))
                else:
                    out += field_paths(data[k], sub, path + (k,))
    elif isinstance(data, list) and "items" in schema:
        for i, v in enumerate(data[:3]):           # the first entries stand for the rest
            out.append((path + (i,), schema["items"]))
            out += field_paths(v, schema["items"], path + (i,))
    return out


def schema_of(kind):
    if kind in ("lesson", "workshop"):
        return {"type": "object", "properties": {kind: schemas.ALL[kind]}}
    return schemas.ALL[kind]


CASES = []      # (rel, field path, wrong values for it)
for _rel, _kind in TARGETS.items():
    _data, _ = load(_rel)
    for _path, _sub in field_paths(_data, schema_of(_kind)):
        _v = jsonschema.Draft202012Validator(_sub)
        _bad = [w for w in WRONG if not _v.is_valid(w)]
        if _bad:
            CASES.append((_rel, _path, _bad))


def test_every_schema_and_field_is_covered():
    """The field list comes from the schemas: every kind and every item type is in it."""
    kinds = {TARGETS[rel] for rel, _, _ in CASES}
    assert kinds == set(TARGETS.values())
    assert set(schemas.ACTIVITY_SCHEMAS) <= kinds, "a kind of activity has no file to mutate: add one to TARGETS"
    quiz_types = {load("activities/quizzes/q1214-1.yml")[0]["items"][p[1]]["type"]
                  for rel, p, _ in CASES if rel.endswith("q1214-1.yml") and len(p) > 2 and p[0] == "items"}
    assert quiz_types == set(schemas.ITEM_TYPES)
    assert len(CASES) > 300


def put(data, path, value):
    cur = data
    for k in path[:-1]:
        cur = cur[k]
    cur[path[-1]] = value


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    """The book the fuzzer breaks (see TARGETS), valid before any mutation."""
    return fuzz_book(tmp_path_factory.mktemp("fuzz"))


def run(book: Path, *argv) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    os.chdir(book)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            rc = main(list(argv))
    finally:
        os.chdir(cwd)
    return rc, out.getvalue(), err.getvalue()


def check_answer(rc, out, err, what):
    assert rc != 0, f"{what}: accepted\n{out}{err}"
    lines = err.strip().splitlines()
    assert lines, what
    for line in lines[:-1]:
        assert LINE.match(line), f"{what}: not 'path:line: message': {line!r}"
    assert TOTAL.match(lines[-1]), lines[-1]
    for word in ("Traceback", "LList", "LDict", "NoneType"):
        assert word not in out + err, f"{what}: {word}"


def test_the_copy_is_valid(book):
    assert run(book, "validate")[0] == 0


def mutate(book: Path, data) -> tuple[str, str, bytes]:
    """Put wrong-typed values into one to three fields of one file of ``book``.
    Returns the file, a description of the change and the file's original bytes."""
    rel = data.draw(st.sampled_from(sorted(TARGETS)), label="file")
    cases = [(p, bad) for r, p, bad in CASES if r == rel]
    picks = data.draw(st.lists(st.sampled_from(cases), min_size=1, max_size=3,
                               unique_by=lambda c: c[0]), label="fields")
    doc, body = load(rel, book)
    for path, bad in sorted(picks, key=lambda c: -len(c[0])):     # deepest first: paths stay valid
        value = data.draw(st.sampled_from(bad), label=".".join(map(str, path)))
        try:
            put(doc, path, value)
        except (TypeError, KeyError, IndexError):    # a shallower pick replaced its parent already
            continue
    text = dump_yaml(doc)
    target = book / rel
    original = target.read_bytes()
    target.write_text(f"---\n{text}---\n{body}" if body is not None else text, encoding="utf-8")
    return rel, f"{rel}: {[p for p, _ in picks]}", original


SETTINGS = dict(deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.mark.slow       # 30 whole-book validations of the tiny book: the book tier
@settings(max_examples=30, **SETTINGS)
@given(st.data())
def test_wrong_types_give_path_line_and_exit_1(book, data):
    """validate (the whole book: every cross-file check) and export of the changed file."""
    rel, what, original = mutate(book, data)
    try:
        check_answer(*run(book, "validate"), what)
        if rel.startswith("activities/"):
            check_answer(*run(book, "export", "html", rel), what + " (export html)")
            if "quizzes" in rel:
                check_answer(*run(book, "export", "gift", rel), what + " (export gift)")
    finally:
        (book / rel).write_bytes(original)


@pytest.mark.slow
@settings(max_examples=8, **SETTINGS)
@given(st.data())
def test_wrong_types_in_validate_file_and_levels(book, data):
    """``validate FILE``, ``levels`` (which reads every student text) and the build's loading."""
    rel, what, original = mutate(book, data)
    try:
        check_answer(*run(book, "validate", rel), what + " (validate FILE)")
        rc, out, err = run(book, "levels")
        assert "Traceback" not in out + err
        # The build's loading, and the printables and downloads it writes from the loaded book.
        from spotthelure.project import load_project
        from spotthelure.render_print import site_files
        site_files(load_project(book))
    finally:
        (book / rel).write_bytes(original)
