"""Bad input gets a clear `path:line: what is wrong`, never a traceback, and nothing is lost."""
from __future__ import annotations

import copy
import json
import re
import textwrap
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spotthelure import checks
from spotthelure.cli import main
from spotthelure.problems import ContentError
from spotthelure.project import load_activity_file
from spotthelure.yamlload import parse_yaml
from conftest import ROOT, copy_book, dump_yaml, run_here

DATA = ROOT / "tests" / "data"
LINE = re.compile(r"^(?P<path>[^:\n]+):(?P<line>\d+): (?P<msg>.+)$")


def problems_of(text: str, name="q.yml"):
    try:
        data = parse_yaml(text, name)
    except ContentError as e:
        return e.problems
    return checks.CHECKERS[data["kind"]](data, name)


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """The line number of the nth line of ``text`` containing ``needle``."""
    hits = [i for i, line in enumerate(text.splitlines(), 1) if needle in line]
    assert len(hits) >= nth, f"{needle!r} not in text"
    return hits[nth - 1]


def one(text, expect_line, expect_words, name="q.yml"):
    """Exactly where the author should look: ``expect_line`` is a number or a needle on that line."""
    text = textwrap.dedent(text)
    if isinstance(expect_line, str):
        expect_line = line_of(text, expect_line)
    probs = problems_of(text, name)
    hits = [p for p in probs if all(w in p.message for w in expect_words)]
    assert hits, f"expected {expect_words} in {[str(p) for p in probs]}"
    assert hits[0].line == expect_line, f"line {hits[0].line} != {expect_line}: {hits[0]}"


SAMPLE = (DATA / "quiz-sample.yml").read_text(encoding="utf-8")
SCENARIO = (DATA / "scenario-sample.yml").read_text(encoding="utf-8")


def test_samples_are_valid():
    assert problems_of(SAMPLE) == []
    assert problems_of(SCENARIO, "s.yml") == []
    assert problems_of((DATA / "roleplay-sample.yml").read_text(), "r.yml") == []


def test_yaml_syntax_error_has_line_and_hint():
    bad = SAMPLE.replace("prompt: Which message is a warning sign?", "prompt: Pick: this one")
    probs = problems_of(bad)
    assert len(probs) == 1 and probs[0].line == 11 and "quotes" in probs[0].message


def test_tab_indentation():
    probs = problems_of(SAMPLE.replace("  - id: many", "\t- id: many"))
    assert probs and "tabs" in probs[0].message


def test_duplicate_key():
    one(SAMPLE.replace("title: Sample quiz", "title: Sample quiz\ntitle: Again"), 7, ["'title' appears twice"])


def test_unknown_field_names_allowed_ones():
    one(SAMPLE.replace("title: Sample quiz", "title: Sample quiz\ncolour: red"), 7, ["unknown field", "allowed here"])


def test_missing_feedback_names_the_item():
    one(SAMPLE.replace("        feedback: An ordinary message between players.\n", ""), 13,
        ["item one: options[1]", "missing field 'feedback'"])


def test_two_correct_in_single_choice():
    bad = SAMPLE.replace('      - text: "Nice drawing!"', '      - text: "Nice drawing!"\n        correct: true')
    one(bad, "options:", ["exactly one option", "(it has 2)"])


def test_unknown_item_type():
    one(SAMPLE.replace("type: ordering", "type: essay"), "type: essay", ["type 'essay' is not allowed"])


def test_bad_id_and_bad_band():
    one(SAMPLE.replace("id: q-sample", "id: Q Sample"), 2, ["not a valid id"])
    one(SAMPLE.replace('age_band: "12-14"', 'age_band: "13-15"'), 5, ["'13-15' is not allowed", "9-11"])


def test_wrong_type_of_value():
    one(SAMPLE.replace("version: 1", "version: one"), 3, ["should be a whole number"])


def test_all_of_the_above():
    one(SAMPLE.replace('"Nice drawing!"', '"All of the above"'), 18, ["all/none of the above"])


def test_redflags_needs_both_kinds():
    one(SAMPLE.replace("flag: false", "flag: true"), "chat:", ["at least one line with 'flag: true' and one with 'flag: false'"])


def test_answer_position_bias_is_caught():
    items = yaml.safe_load(SAMPLE)
    q = copy.deepcopy(items)
    single = q["items"][0]
    q["items"] = []
    for i in range(8):
        it = copy.deepcopy(single)
        it["id"] = f"s{i}"
        it["options"][1]["correct"] = False
        it["options"][0]["correct"] = True
        q["items"].append(it)
    probs = problems_of(yaml.safe_dump(q, sort_keys=False))
    assert any("the right answer is option 1 in 8 of 8" in p.message for p in probs)


def test_scenario_graph_problems():
    one(SCENARIO.replace("next: end-stuck", "next: nowhere"), "next: nowhere", ["next 'nowhere' is not a node id"], "s.yml")
    dead = SCENARIO.replace("  - id: end-stuck\n    ending: stuck\n", "  - id: end-stuck\n")
    one(dead, "- id: end-stuck", ["dead end"], "s.yml")
    unreachable = SCENARIO.replace("        next: n2\n", "        next: end-help\n")
    one(unreachable, "- id: n2", ["node n2: cannot be reached"], "s.yml")
    # Both choices of n2 lead back to n2: no ending can be reached from there.
    loop = SCENARIO.replace("        next: end-help\n        feedback: That secret", "        next: n2\n        feedback: That secret") \
        .replace("        next: end-stuck", "        next: n2")
    probs = problems_of(loop, "s.yml")
    assert any("endless loop" in p.message for p in probs), probs
    nohelp = SCENARIO.replace("ending: helped", "ending: safer")
    one(nohelp, "nodes:", ["no reachable ending shows getting help"], "s.yml")
    one(SCENARIO.replace("      - from: ana", "      - from: ben"), "from: ben", ["'ben' is not a character id"], "s.yml")


def test_roleplay_never_casts_a_person_who_harms():
    rp = (DATA / "roleplay-sample.yml").read_text()
    one(rp.replace("kind: friend", "kind: groomer"), 15, ["'groomer' is not allowed", "trusted-adult"], "r.yml")
    one(rp.replace("duration: 15", "duration: 4"), 8, ["at least 5"], "r.yml")
    one(rp.replace("    minutes: 5\n", "    minutes: 50\n"), "scenes:", ["the scenes take 50 minutes, more than the duration of 15"], "r.yml")


def test_empty_and_non_utf8_and_not_a_mapping(tmp_path):
    (tmp_path / "empty.yml").write_text("")
    (tmp_path / "latin1.yml").write_bytes("title: caf\xe9\n".encode("latin-1"))
    (tmp_path / "list.yml").write_text("- a\n- b\n")
    for name, words in (("empty.yml", "empty"), ("latin1.yml", "not UTF-8"), ("list.yml", "set of fields")):
        act, probs = load_activity_file(tmp_path / name, name)
        assert act is None and probs and words in probs[0].message, (name, probs)


# ---- the whole book: a small copy of a valid project, broken one way at a time ----

@pytest.fixture()
def minibook(tmp_path):
    """The tiny book with its notebook (tests/books/), valid as it is: a project to break. The checks
    are the ones the real book gets (test_real_book_is_valid validates that), on a tenth of the files."""
    return copy_book("notebook", tmp_path)


def validate_in(folder: Path, *paths):
    r = run_here("validate", *paths, cwd=folder)
    assert "Traceback" not in r.stderr + r.stdout, r.stderr
    return r


def lines(r):
    out = [LINE.match(x) for x in r.stderr.splitlines() if LINE.match(x)]
    return [(m["path"], int(m["line"]), m["msg"]) for m in out]


def test_real_book_is_valid():
    r = validate_in(ROOT)
    assert r.returncode == 0, r.stderr


def test_lesson_front_matter_problems(minibook):
    lesson = minibook / "book/teachers/ages-12-14/1-how-grooming-works.md"
    text = lesson.read_text()
    lesson.write_text(text.replace("duration: 60", "duration: 65", 1))
    r = validate_in(minibook)
    assert r.returncode == 1
    rel = lesson.relative_to(minibook).as_posix()
    assert any(p == rel and "the steps add up to 60 minutes, but the duration is 65" in m for p, _, m in lines(r)), r.stderr
    lesson.write_text(re.sub(r"last_reviewed: \d{4}-\d{2}-\d{2}", "last_reviewed: 23/11/2026", text, count=1))
    r = validate_in(minibook)
    hit = [x for x in lines(r) if "not a date" in x[2]]
    assert hit and hit[0][0] == rel and text.splitlines()[hit[0][1] - 1].strip().startswith("last_reviewed")
    lesson.write_text("---\nlesson:\n  id: x\n")
    r = validate_in(minibook)
    assert any(p == rel and l == 1 and "no closing '---'" in m for p, l, m in lines(r)), r.stderr


def test_objectives_and_quiz_links(minibook):
    lesson = sorted((minibook / "book/teachers/ages-12-14").glob("1-*.md"))[0]
    text = lesson.read_text()
    m = re.search(r"(Learners can \w+)", text)
    lesson.write_text(text.replace(m.group(1), "Learners can understand", 1))
    r = validate_in(minibook)
    assert any("'understand' cannot be observed" in x[2] for x in lines(r)), r.stderr
    lesson.write_text(re.sub(r"quiz: q1214-1", "quiz: q1214-99", text))
    r = validate_in(minibook)
    assert any("quiz 'q1214-99' does not exist" in x[2] for x in lines(r)), r.stderr


def test_page_missing_from_toc_and_unknown_citation(minibook):
    (minibook / "book/orphan.md").write_text("# Orphan\n\nSee {cite}`nobody2099`.\n")
    r = validate_in(minibook)
    got = lines(r)
    assert ("book/orphan.md", 1, "this page is not in _toc.yml, so readers cannot reach it; add it there") in got
    assert ("book/orphan.md", 3, "citation 'nobody2099' is not a key in references.bib") in got


def test_terminology_lint_names_the_preferred_term(minibook):
    p = minibook / "book/get-help.md"
    p.write_text(p.read_text() + "\nWe warn about stranger danger and child porn.\n")
    r = validate_in(minibook)
    msgs = [x for x in lines(r) if x[0] == "book/get-help.md"]
    assert any("'stranger danger'" in m and "known or unknown" in m for _, _, m in msgs)
    assert any("'child porn'" in m and "child sexual abuse material" in m for _, _, m in msgs)


def test_notebook_with_outputs_or_broken_json(minibook):
    nb = minibook / "notebooks/show-quiz.ipynb"
    data = json.loads(nb.read_text())
    cell = next(c for c in data["cells"] if c["cell_type"] == "code")
    cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "hi"}]
    cell["execution_count"] = 1
    nb.write_text(json.dumps(data))
    r = validate_in(minibook)
    assert any(x[0] == "notebooks/show-quiz.ipynb" and "saved outputs" in x[2] for x in lines(r)), r.stderr
    nb.write_text("{not json")
    r = validate_in(minibook)
    assert any(x[0] == "notebooks/show-quiz.ipynb" and "not a valid notebook" in x[2] for x in lines(r)), r.stderr


def test_data_csv_rows_reported_by_line(minibook):
    p = minibook / "data/broken.csv"
    p.parent.mkdir(exist_ok=True)
    p.write_text("measure,value,source,note\nok,1,wolak2008,fine\nbad,2,made-up-source,x\nshort,3\n")
    before = p.read_bytes()
    r = validate_in(minibook)
    got = [x for x in lines(r) if x[0] == "data/broken.csv"]
    assert (("data/broken.csv", 3, "source 'made-up-source' is not a key in references.bib") in got)
    assert any(l == 4 and "2 values, but the header names 4 columns" in m for _, l, m in got)
    assert p.read_bytes() == before


def test_local_contacts_file(minibook):
    p = minibook / "local.yml"
    p.write_text(p.read_text() + "\nfax: 123\n")
    r = validate_in(minibook)
    assert any(x[0] == "local.yml" and "fax: unknown field" in x[2] for x in lines(r)), r.stderr


def test_validate_named_file_outside_the_book(tmp_path):
    bad = tmp_path / "mine.yml"
    bad.write_text(SAMPLE.replace("correct: true\n        feedback: Asking", "feedback: Asking", 1))
    r = run_here("validate", str(bad))
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert f"{bad}:{line_of(SAMPLE, 'options:')}: item one: a single-choice item needs exactly one option" in r.stderr


def test_files_outside_the_book_alone_are_checked_without_loading_the_book(tmp_path, monkeypatch):
    """Naming only files outside the book checks each on its own; the book is loaded only when a
    named file is in it (its checks across files need the whole book)."""
    import spotthelure.project as project
    mine = tmp_path / "mine.yml"
    mine.write_text(SAMPLE)
    real, loads = project.load_project, []

    def counted(*args, **kwargs):
        loads.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(project, "load_project", counted)
    r = run_here("validate", str(mine), str(tmp_path / "missing.yml"))
    assert r.returncode == 1 and f"{tmp_path / 'missing.yml'}:1: no such file" in r.stderr, r.stderr
    r = run_here("validate", str(mine))
    assert r.returncode == 0 and "checked on its own" in r.stdout, r.stdout + r.stderr
    assert loads == []
    quiz = next(p for p in sorted((ROOT / "activities").rglob("*.yml")) if "quiz" in p.read_text(encoding="utf-8")[:200])
    r = run_here("validate", str(mine), str(quiz))
    assert r.returncode == 0, r.stdout + r.stderr
    assert len(loads) == 1


def test_cli_export_leaves_nothing_half_written(tmp_path, capsys):
    bad = tmp_path / "bad.yml"
    bad.write_text(SAMPLE.replace("kind: quiz", "kind: quiz\nbogus: 1"))
    out = tmp_path / "out.gift.txt"
    assert main(["export", "gift", str(bad), "-o", str(out)]) == 1
    assert not out.exists() and not list(tmp_path.glob(".out*"))
    err = capsys.readouterr().err
    assert f"{bad}:2: bogus: unknown field" in err


# ---- properties: whatever an author types, the validator answers with problems, never a crash ----

# Any character but a lone surrogate (what UTF-8 can hold): st.text's default alphabet, named here by
# category, since that default first works out its set by encoding every code point (seconds).
ANY_CHAR = st.characters(exclude_categories=["Cs"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(ANY_CHAR, max_size=400))
def test_any_text_gives_problems_not_exceptions(text):
    try:
        data = parse_yaml(text, "x.yml")
    except ContentError as e:
        assert all(p.line >= 1 for p in e.problems)
        return
    if isinstance(data, dict) and data.get("kind") in checks.CHECKERS:
        for p in checks.CHECKERS[data["kind"]](data, "x.yml"):
            assert p.line >= 1


def _paths(obj, prefix=()):
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield prefix + (k,)
            yield from _paths(v, prefix + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield prefix + (i,)
            yield from _paths(v, prefix + (i,))


SAMPLES = {name: yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
           for name in ("quiz-sample.yml", "scenario-sample.yml", "roleplay-sample.yml")}
ALL_PATHS = [(name, p) for name, d in SAMPLES.items() for p in _paths(d)]
JUNK = st.one_of(st.none(), st.booleans(), st.integers(-5, 99), st.text(ANY_CHAR, max_size=20),
                 st.lists(st.integers(), max_size=3), st.dictionaries(st.text(ANY_CHAR, max_size=5), st.integers(), max_size=2))


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(ALL_PATHS), JUNK, st.booleans())
def test_mutated_activity_is_reported_at_a_line(where, junk, delete):
    name, path = where
    q = copy.deepcopy(SAMPLES[name])
    kind = q["kind"]
    cur = q
    for k in path[:-1]:
        cur = cur[k]
    if delete:
        if isinstance(cur, dict):
            del cur[path[-1]]
        else:
            cur.pop(path[-1])
    else:
        cur[path[-1]] = junk
    text = dump_yaml(q)
    try:
        data = parse_yaml(text, "m.yml")
    except ContentError:
        return
    n_lines = text.count("\n") + 1
    for p in checks.CHECKERS[kind](data, "m.yml") if isinstance(data, dict) else []:
        assert 1 <= p.line <= n_lines and p.message


def test_reading_level_measures_and_limits():
    from spotthelure.readability import flesch_kincaid, markdown_text, syllables
    simple = "Stop replying. Save what they sent. Tell an adult you trust. You are not in trouble."
    dense = ("Sophisticated exploitation methodologies systematically incorporate psychological manipulation, "
             "deliberately cultivating emotional dependency and unquestioning compliance among vulnerable adolescents.")
    assert flesch_kincaid(simple) < 3 < 12 < flesch_kincaid(dense)
    assert [syllables(w) for w in ("idea", "video", "eleven", "message", "the")] == [2, 2, 3, 2, 1]
    # A line break inside a paragraph is not a sentence end.
    assert markdown_text("One long sentence that\nwraps over\nthree lines.\n\n- A list entry\n  that wraps.") == \
        ["One long sentence that wraps over three lines.", "A list entry that wraps."]


def test_too_hard_text_for_the_band_is_reported(minibook):
    quiz = minibook / "activities/quizzes/q1214-1.yml"
    text = quiz.read_text()
    hard = ("Sophisticated exploitation methodologies systematically incorporate psychological manipulation, "
            "deliberately cultivating emotional dependency and unquestioning compliance among vulnerable adolescents")

    def harden(node):          # every feedback of the quiz becomes the dense sentence above
        if isinstance(node, dict):
            return {k: f"{hard}." if k.startswith("feedback") else harden(v) for k, v in node.items()}
        return [harden(v) for v in node] if isinstance(node, list) else node
    quiz.write_text(yaml.safe_dump(harden(yaml.safe_load(text)), sort_keys=False, allow_unicode=True))
    r = validate_in(minibook)
    assert r.returncode == 1
    msgs = [(p, m) for p, _, m in lines(r)]
    assert any(p == "activities/quizzes/q1214-1.yml" and "reading level is grade" in m and "7.0" in m for p, m in msgs), r.stderr
