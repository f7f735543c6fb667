"""The answers of scale and yes/no questions have one home, spotthelure/data/labels.yml: the
printed form shows them and a Moodle export's answers are matched against them."""
from __future__ import annotations

from pathlib import Path

import pytest

from spotthelure import i18n
from spotthelure.analysis import answer_labels, check, read_responses
from spotthelure.analysis.questionnaire import load_questionnaire, moodle_lookup
from spotthelure.render_html import questionnaire_html

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "evaluate"
Q = str(DATA / "eval-test.yml")


def test_the_printed_form_shows_the_labels_a_moodle_answer_is_matched_against():
    from spotthelure.yamlload import load_yaml_file
    form = questionnaire_html(load_yaml_file(Path(Q), "eval-test.yml"))
    likert, yesno = answer_labels("likert"), answer_labels("yesno")
    assert likert == ("Not at all", "A little", "Somewhat", "Mostly", "Completely")
    assert yesno == ("Yes", "Partly", "No")
    for k, lab in enumerate(likert, 1):
        assert f"<li>☐ {k} {lab}</li>" in form
    assert "".join(f"<li>☐ {lab}</li>" for lab in yesno) in form
    qn = load_questionnaire(Q)
    c1 = next(it for it in qn.items if it.type == "likert")
    assert all(moodle_lookup(c1)[x] == k for k, x in ((1, "notatall"), (5, "5completely"), (2, "2alittle")))


def test_one_change_to_the_labels_changes_the_form_and_the_matching(monkeypatch, tmp_path):
    """No second copy: with other words in labels.yml, the form shows them, a Moodle answer with
    the new words is read, and one with the old words no longer matches."""
    before = [(p.line, p.message) for p in check([f"pre={DATA / 'moodle-pre.csv'}"], Q)]   # one wrong k1 answer
    labels = dict(i18n._labels())
    labels["likert"] = {**labels["likert"], "2": "Slightly"}
    labels["yesno"] = {**labels["yesno"], "2": "Sometimes"}
    monkeypatch.setattr(i18n, "_labels", lambda: labels)
    from spotthelure.yamlload import load_yaml_file
    form = questionnaire_html(load_yaml_file(Path(Q), "eval-test.yml"))
    assert "<li>☐ 2 Slightly</li>" in form and "A little" not in form and "<li>☐ Sometimes</li>" in form
    old = (DATA / "moodle-pre.csv").read_text(encoding="utf-8-sig")
    assert "A little" in old
    spec = f"pre={DATA / 'moodle-pre.csv'}"
    assert len(check([spec], Q)) > len(before)
    new = tmp_path / "moodle-pre-slightly.csv"
    new.write_text(old.replace("A little", "Slightly").replace(",Partly,", ",Sometimes,"), encoding="utf-8")
    r = read_responses([f"pre={new}"], Q)
    assert [(p.line, p.message) for p in r.problems] == before


@pytest.mark.parametrize("kind", ["likert", "yesno"])
def test_labels_are_in_answer_order(kind):
    assert list(i18n.labels(kind)) == [str(k) for k in range(1, len(i18n.labels(kind)) + 1)]
