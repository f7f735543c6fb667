"""A questionnaire reaches the analysis through the book's loader and checks: the same file gives
the same messages to `spotthelure validate` and to `spotthelure evaluate`."""
from __future__ import annotations

from pathlib import Path

import pytest

from spotthelure import cli
from spotthelure.analysis import ContentError, load_questionnaire
from spotthelure.project import load_activity_file

ROOT = Path(__file__).resolve().parent.parent
GOOD = (ROOT / "tests" / "data" / "evaluate" / "eval-test.yml").read_text(encoding="utf-8")

BROKEN = {
    "bad id": ("id: eval-test\n", "id: Eval_Test\n"),
    "no title": ("title: Test questionnaire\n", ""),
    "bad use": ("use: pre-post\n", "use: sometimes\n"),
    "knowledge without correct": ("    correct: 1\n", ""),
    "options on a likert item": ("    type: likert\n", "    type: likert\n    options: [a, b]\n"),
    "unknown construct": ("    construct: confidence\n", "    construct: courage\n"),
    "duplicate item id": ("  - id: k2\n", "  - id: k1\n"),
}


def problems_of(text: str, tmp_path: Path) -> tuple[list[str], list[str]]:
    p = tmp_path / "q.yml"
    p.write_text(text, encoding="utf-8")
    _act, validate = load_activity_file(p, str(p))
    with pytest.raises(ContentError) as e:
        load_questionnaire(str(p))
    return [str(x) for x in validate], [str(x) for x in e.value.problems]


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_the_analysis_reports_what_validate_reports(case, tmp_path):
    old, new = BROKEN[case]
    assert old in GOOD
    validate, analysis = problems_of(GOOD.replace(old, new, 1), tmp_path)
    assert validate and analysis == validate


def test_an_item_id_that_names_a_fixed_column_is_refused_with_its_line(tmp_path):
    p = tmp_path / "q.yml"
    p.write_text(GOOD.replace("  - id: t1\n", "  - id: code\n"), encoding="utf-8")
    with pytest.raises(ContentError) as e:
        load_questionnaire(str(p))
    line = next(i for i, t in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if t == "  - id: code")
    assert [str(x) for x in e.value.problems] == [
        f"{p}:{line}: item code: this id names a fixed column of the CSV template (questionnaire, code, phase, "
        "group); choose another"]


def test_a_quiz_is_not_a_questionnaire(tmp_path, capsys):
    quiz = next((ROOT / "activities" / "quizzes").rglob("*.yml"))
    rc = cli.main(["evaluate", str(ROOT / "tests" / "data" / "evaluate" / "hand-example.csv"), "--questionnaire", str(quiz)])
    err = capsys.readouterr().err
    assert rc == 1 and "kind 'quiz': this is not a questionnaire" in err and "Traceback" not in err


def test_a_good_questionnaire_loads():
    qn = load_questionnaire(str(ROOT / "tests" / "data" / "evaluate" / "eval-test.yml"))
    assert qn.id == "eval-test" and qn.pre_post and [it.id for it in qn.items][:2] == ["k1", "k2"]
    assert qn.items[0].correct_number == 2 and qn.items[0].n_options == 3
