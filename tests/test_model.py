"""The typed content model: schema and model agree, every real file loads into it, its behaviour
(choices, graphs, ordering rules, outputs) holds, and invalid data never becomes a model.

No book build: these tests read the content files and run in seconds.
"""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from conftest import book_site_files, run_here

from spotthelure.project import load_model
from spotthelure import model, schemas
from spotthelure.model import KINDS, base
from spotthelure.project import load_activity_file, load_project

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def pr():
    return load_project(ROOT)


# ---------------------------------------------------------------- one source of truth

def _object_schemas(schema, where="", seen=None):
    """Every object schema with properties inside ``schema``, with where it sits."""
    seen = set() if seen is None else seen
    if not isinstance(schema, dict) or id(schema) in seen:
        return
    seen.add(id(schema))
    if schema.get("type") == "object" and "properties" in schema:
        yield where, schema
        for k, sub in schema["properties"].items():
            yield from _object_schemas(sub, f"{where}.{k}", seen)
    for key in ("items",):
        if isinstance(schema.get(key), dict):
            yield from _object_schemas(schema[key], where + "[]", seen)
    for sub in schema.get("anyOf", []) + schema.get("oneOf", []):
        yield from _object_schemas(sub, where, seen)


# The classes that stand for several schemas at once (their fields are the union).
UNIONS = {model.ChoiceItem: [schemas.ITEM_TYPES[t] for t in ("single", "multiple", "truefalse", "redflags")]}


def _field_problems(cls, schema_list) -> list[str]:
    props, required = base.schema_fields(schema_list)
    fields = {f.metadata["key"]: f for f in dataclasses.fields(cls) if f.metadata.get("key")}
    out = [f"{cls.__name__}: schema property '{k}' has no model field" for k in props if k not in fields]
    out += [f"{cls.__name__}: model field '{k}' is not a schema property" for k in fields if k not in props]
    for k, f in fields.items():
        has_default = f.default is not dataclasses.MISSING
        if k in required and has_default:
            out.append(f"{cls.__name__}: '{k}' is required in the schema but optional in the model")
        if k in props and k not in required and not has_default:
            out.append(f"{cls.__name__}: '{k}' is optional in the schema but required in the model")
    return out


def _classes():
    """Every model class reachable from the activity, page and local classes."""
    todo = list(model.ACTIVITY_CLASSES.values()) + [model.Lesson, model.Workshop, model.LocalContacts,
                                                     model.ChoiceItem, model.OrderingItem]
    seen = []
    while todo:
        c = todo.pop()
        if c in seen or not isinstance(c, type) or not issubclass(c, model.Model):
            continue
        seen.append(c)
        todo += list(c.NESTED.values())
    return seen


def test_every_schema_property_has_a_model_field_and_the_reverse():
    problems = []
    for cls in _classes():
        problems += _field_problems(cls, UNIONS.get(cls, [cls.SCHEMA] if isinstance(cls.SCHEMA, dict) else cls.SCHEMA))
    assert problems == []


def test_every_object_schema_has_its_model_class():
    """Each object schema of every kind (nested too) is the schema of some model class."""
    classes = _classes()
    covered = {id(s) for c in classes for s in (c.SCHEMA if isinstance(c.SCHEMA, list) else [c.SCHEMA])}
    missing = []
    roots = {**schemas.ACTIVITY_SCHEMAS, **{f"item-{t}": s for t, s in schemas.ITEM_TYPES.items()},
             "lesson": schemas.LESSON, "workshop": schemas.WORKSHOP, "local": schemas.LOCAL}
    for name, root in roots.items():
        for where, s in _object_schemas(root, name):
            if id(s) not in covered:
                missing.append(where)
    assert missing == []


def test_the_agreement_check_fails_on_a_drifted_schema():
    """The check above can fail: a property added to the schema (or a field to the model) is named."""
    drifted = dict(schemas.OPTION, properties={**schemas.OPTION["properties"], "hint": schemas.TEXT})
    assert _field_problems(model.Option, [drifted]) == ["Option: schema property 'hint' has no model field"]
    fewer = dict(schemas.OPTION, properties={k: v for k, v in schemas.OPTION["properties"].items() if k != "correct"})
    assert _field_problems(model.Option, [fewer]) == ["Option: model field 'correct' is not a schema property"]
    stricter = dict(schemas.OPTION, required=["text", "feedback", "correct"])
    assert _field_problems(model.Option, [stricter]) == [
        "Option: 'correct' is required in the schema but optional in the model"]


def test_model_objects_are_immutable(pr):
    q = pr.activities["q911-trust"].model if "q911-trust" in pr.activities else next(
        a.model for a in pr.activities.values() if a.kind == "quiz")
    with pytest.raises(dataclasses.FrozenInstanceError):
        q.title = "changed"
    assert isinstance(q.items, tuple)


@pytest.mark.parametrize("kind", sorted(schemas.ALL))
def test_spotthelure_schema_prints_the_same_json_schema(kind):
    out = run_here("schema", kind)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == json.loads(json.dumps(schemas.ALL[kind]))


# ---------------------------------------------------------------- the real content

def test_every_real_activity_loads_into_a_model(pr):
    assert pr.problems == [], pr.problems[:5]
    assert len(pr.activities) > 50
    for a in pr.activities.values():
        assert isinstance(a.model, KINDS[a.kind].model), a.rel
        assert a.model.id == a.id and a.model.path == a.rel and a.model.line == 1


def test_lessons_workshops_and_local_contacts_load(pr):
    assert pr.lessons and pr.workshops
    for page in pr.lessons.values():
        assert isinstance(page.model, model.Lesson), page.rel
        assert page.model.steps[0].phase == "starter" and page.model.path == page.rel
    for page in pr.workshops.values():
        assert isinstance(page.model, model.Workshop), page.rel
    assert isinstance(pr.local_model, model.LocalContacts)
    assert pr.local_model.routes("helplines")


def test_source_lines_are_kept(pr):
    a = next(a for a in pr.activities.values() if a.kind == "quiz")
    lines = (ROOT / a.rel).read_text(encoding="utf-8").split("\n")
    item = a.model.items[1]
    assert f"id: {item.id}" in lines[item.line_of("id") - 1]
    assert "prompt:" in lines[item.line_of("prompt") - 1]
    assert item.path == a.rel


def _items(pr, t):
    return [it for a in pr.activities.values() if a.kind == "quiz" for it in a.model.items if it.type == t]


@pytest.mark.parametrize("t", ["single", "multiple", "truefalse", "redflags"])
def test_choices_for_every_choice_type(pr, t):
    items = _items(pr, t)
    assert items, t
    for it in items:
        assert isinstance(it, model.ChoiceItem)
        ch = it.choices()
        assert it.cardinality == ("single" if t in ("single", "truefalse") else "multiple")
        if t in ("single", "multiple"):
            assert [c.text for c in ch] == [o.text for o in it.options]
            assert [c.correct for c in ch] == [o.correct is True for o in it.options]
            assert [c.key for c in ch] == [f"o{j + 1}" for j in range(len(ch))]
            assert sum(c.correct for c in ch) == 1 if t == "single" else sum(c.correct for c in ch) >= 1
        elif t == "redflags":
            assert [c.label for c in ch] == [f"{c.from_}: {c.text}" for c in it.chat]
            assert [c.correct for c in ch] == [c.flag for c in it.chat]
            assert [c.feedback for c in ch] == [c.feedback for c in it.chat]
        else:
            assert [(c.key, c.label) for c in ch] == [("true", "True"), ("false", "False")]
            assert [c.correct for c in ch] == [it.answer, not it.answer]
            assert [c.feedback for c in ch] == [it.feedback_true, it.feedback_false]


def test_ordering_items_have_steps_and_rules(pr):
    items = _items(pr, "ordering")
    assert items
    for it in items:
        assert isinstance(it, model.OrderingItem) and it.cardinality == "ordered"
        written = tuple(range(len(it.steps)))
        assert written in it.valid_orders()          # the written order keeps every rule
        for r in it.rules():
            assert it.steps[r.first].id in [s.id for s in it.steps]
            assert it.steps[r.then].id in (it.steps[r.first].before or ())
        assert all(it.steps[i].any_time for i in it.any_time())


def test_graph_of_every_story(pr):
    stories = [a.model for a in pr.activities.values() if a.kind == "scenario"]
    assert stories
    for s in stories:
        g = s.graph()
        ids = [n.id for n in s.nodes]
        assert g.start == s.start and g.reachable == frozenset(ids), s.id   # valid stories: all reachable
        assert g.endings == frozenset(n.id for n in s.nodes if n.ending)
        assert g.endless(ids) == [] and g.unreachable(ids) == []
        for n in s.nodes:
            assert g.edges[n.id] == [c.next for c in n.choices or ()]


def test_graph_finds_unreachable_nodes_and_endless_loops():
    g = model.story_graph("a", [("a", ["b"], False), ("b", ["a"], False), ("c", ["a", "x"], False), ("d", [], True)])
    assert g.unreachable(["a", "b", "c", "d"]) == ["c", "d"]
    assert g.endless(["a", "b", "c", "d"]) == ["a", "b"]
    assert g.edges["c"] == ["a"]                 # an unknown next id is no edge


# ---------------------------------------------------------------- outputs

def test_every_activity_folder_is_a_kind():
    assert set(KINDS) == set(schemas.ACTIVITY_SCHEMAS)
    for k in KINDS.values():
        assert (ROOT / "activities" / k.folder).is_dir(), k.name
        assert k.checker.__name__ == f"check_{k.name}"
        assert k.model.SCHEMA is schemas.ACTIVITY_SCHEMAS[k.name]
        assert k.outputs("x"), k.name


def _linked(kind: str, aid: str) -> set[str]:
    """The paths (from the site root) of the download links the build puts under an activity."""
    import re
    try:        # the extension in parts
        from spotthelure.sphinx.nodes import downloads_html
        html = downloads_html("", kind, aid)
    except ImportError:
        from spotthelure.sphinxext import downloads
        html = downloads(f"book/x/{aid}", kind, aid)
    return {re.sub(r"^(\.\./)+", "", h) for h in re.findall(r'href="([^"]+)"', html)}


def test_outputs_are_what_the_writer_writes_and_the_build_links(pr):
    """KINDS × formats: every output of every valid activity is written by site_files and linked by
    the build's download links, and nothing else is; anything missing is named."""
    written = set(book_site_files())
    expected, linked = set(), set()
    for a in pr.activities.values():
        outs = a.model.outputs()
        assert outs == KINDS[a.kind].outputs(a.id)
        expected |= {o.path for o in outs}
        linked |= _linked(a.kind, a.id)
    from spotthelure.export_scorm import lesson_ids
    from spotthelure.model.kinds import lesson_outputs
    for lid in lesson_ids(pr):                     # a lesson's downloads (its student activities as one package)
        expected |= {o.path for o in lesson_outputs(lid)}
        linked |= _linked("lesson", lid)
    assert (sorted(expected - written), sorted(written - expected)) == ([], []), "written"
    assert (sorted(expected - linked), sorted(linked - expected)) == ([], []), "linked"
    formats = {(k.name, f) for k in KINDS.values() for _, f, _ in k.output_patterns}
    assert {f for _, f in formats} == set(model.FORMATS)


# ---------------------------------------------------------------- invalid data

BROKEN_QUIZ = """kind: quiz
id: broken
version: 1
language: en
title: A broken quiz
age_band: 9-11
items:
  - id: a
    type: single
    prompt: Which one?
    options:
      - {text: One, feedback: Right one., correct: true}
      - {text: Two}
"""


def test_invalid_data_gives_problems_and_no_model(tmp_path):
    p = tmp_path / "broken.yml"
    p.write_text(BROKEN_QUIZ, encoding="utf-8")
    act, problems = load_activity_file(p, "activities/quizzes/broken.yml")
    assert problems and any(pr.line == 13 for pr in problems)
    assert act is not None and act.model is None
    p.write_text(BROKEN_QUIZ.replace("{text: Two}", "{text: Two, feedback: Not this one.}"), encoding="utf-8")
    act, problems = load_activity_file(p, "activities/quizzes/broken.yml")
    assert problems == [] and isinstance(act.model, model.Quiz)
    assert act.model.items[0].choices()[1].feedback == "Not this one."


def test_a_cross_file_problem_also_keeps_the_model_away(tmp_path):
    """A valid file whose id does not match its file name is a problem of the book: no model."""
    import shutil
    book = tmp_path / "book"
    (book / "activities" / "quizzes").mkdir(parents=True)
    for rel in ("_config.yml", "references.bib", "local.yml"):
        shutil.copy(ROOT / rel, book / rel)
    first, second = sorted((ROOT / "activities" / "quizzes").glob("*.yml"))[:2]
    shutil.copy(first, book / "activities" / "quizzes" / first.name)
    shutil.copy(second, book / "activities" / "quizzes" / "renamed.yml")
    pr = load_project(book)
    assert isinstance(pr.activities[first.stem].model, model.Quiz)
    assert [p for p in pr.problems if p.path == "activities/quizzes/renamed.yml"]
    assert pr.activities[second.stem].rel == "activities/quizzes/renamed.yml"
    assert pr.activities[second.stem].model is None


# ---------------------------------------------------------------- consumers of the model

def test_exports_take_the_model_and_give_what_the_data_gave(pr):
    from spotthelure.export_gift import quiz_to_gift
    from spotthelure.export_qti import quizzes_to_qti
    quizzes = [a for a in pr.activities.values() if a.kind == "quiz"]
    for a in quizzes:
        assert quiz_to_gift(a.model) == quiz_to_gift(a.data), a.rel
    assert quizzes_to_qti([a.model for a in quizzes]) == quizzes_to_qti([a.data for a in quizzes])


def test_load_refuses_a_file_with_problems_and_names_the_line(tmp_path):
    from spotthelure.problems import ContentError
    p = tmp_path / "broken.yml"
    p.write_text(BROKEN_QUIZ, encoding="utf-8")
    with pytest.raises(ContentError) as e:
        load_model(p, "broken.yml")
    assert any(str(x).startswith("broken.yml:13: ") for x in e.value.problems)
    with pytest.raises(ContentError) as e:
        load_model(ROOT / "activities" / "evaluation" / "eval-feedback.yml", "eval-feedback.yml", kind="quiz")
    assert str(e.value.problems[0]).startswith("eval-feedback.yml:1: this is a questionnaire")


def test_questionnaire_model_gives_what_the_analysis_reads(pr):
    """The analysis loads questionnaires as the one model, with everything it reads."""
    from spotthelure.analysis import load_questionnaire
    qns = [a for a in pr.activities.values() if a.kind == "questionnaire"]
    assert qns
    for a in qns:
        m, old = load_model(a.path, a.rel, kind="questionnaire"), load_questionnaire(str(a.path))
        assert isinstance(m, model.Questionnaire) and isinstance(old, model.Questionnaire)
        assert (m.id, m.title, m.use, m.pre_post) == (old.id, old.title, old.use, old.pre_post)
        assert len(m.items) == len(old.items)
        for it, o in zip(m.items, old.items):
            assert (it.id, it.construct, it.type, it.n_options, it.correct_number, bool(it.reverse),
                    tuple(it.options or ())) == (o.id, o.construct, o.type, o.n_options, o.correct_number,
                                                 bool(o.reverse), tuple(o.options or ()))
            assert it.scored == (o.construct in ("knowledge", "confidence", "attitude", "wellbeing"))
        for c in ("knowledge", "wellbeing", "attitude"):
            assert m.index(c) == old.index(c) and m.index(c, ("single",)) == old.index(c, ("single",))


def test_a_schema_property_cannot_hide_model_behaviour():
    clash = schemas.obj({"id": schemas.ID, "line_of": schemas.TEXT})
    with pytest.raises(TypeError, match="line_of"):
        base.model_class("Clash", clash)
    with pytest.raises(TypeError, match="choices"):
        base.model_class("Clash2", schemas.obj({"choices": schemas.TEXT}), (model.content._ChoiceItemMixin,))


def test_reading_text_and_bank_figures_read_the_model(pr):
    from spotthelure import quizbank, readability
    for a in pr.activities.values():
        assert readability.student_text(a.kind, a.model) == readability.student_text(a.kind, a.data), a.rel
    figs = quizbank.bank_figures(quizbank.project_quizzes(pr))
    assert figs and all(isinstance(q, model.Quiz) for _rel, q in quizbank.project_quizzes(pr))
    assert sum(f.single + f.tf + f.multiple for _p, _l, f in figs if f.label) == sum(
        1 for a in pr.activities.values() if a.kind == "quiz" for it in a.model.items
        if it.type in ("single", "truefalse", "multiple"))


@pytest.mark.parametrize("tag,ok", [("en", True), ("sv", True), ("uk", True), ("ar", True), ("sr-Latn", True),
                                    ("pt-BR", True), ("sr-latn", False), ("SR", False), ("en_GB", False)])
def test_language_tags_with_a_script_are_accepted(tmp_path, tag, ok):
    src = (ROOT / "activities" / "quizzes" / "q911-1.yml").read_text(encoding="utf-8")
    p = tmp_path / "q911-1.yml"
    p.write_text(src.replace("language: en", f"language: {tag}", 1), encoding="utf-8")
    act, problems = load_activity_file(p, "q911-1.yml")
    lines = [pr.line for pr in problems]
    if ok:
        assert problems == [] and act.model.language == tag
    else:
        assert lines == [4], problems          # refused at the language line
