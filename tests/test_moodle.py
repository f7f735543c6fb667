"""Moodle XML: the export read as Moodle's importer reads it, with the import and save-time checks
Moodle applies (ported below, each citing its file in moodle/moodle), every feedback text carried,
and the one scoring rule the same in the book's quiz (HTML), GIFT, QTI and Moodle XML.

Ported checks (moodle/moodle):
- ``question/format/xml/format.php``: the file is ``<quiz>`` of ``<question type=...>``; a category
  names its path in ``<category><text>``; a question's name, text and general feedback
  (``import_headers``); a multichoice answer's ``fraction`` is a percentage (``import_answer``); a
  true/false question has the answers ``true`` and ``false``, the right one with fraction 100
  (``import_truefalse``).
- ``question/format.php`` (``importprocess``) with ``lib/questionlib.php`` ``match_grade_options``:
  every fraction is one of ``question_bank::fraction_options_full()`` (``question/engine/bank.php``),
  to within 0.00001, else the import stops with "invalid grade".
- ``question/type/multichoice/questiontype.php`` ``save_question_options``: at least two answers; a
  single-answer question has one answer worth 100% ("fractionsnomax"); the positive fractions of a
  multiple-answer question add up to 100% when rounded to 2 places ("fractionsaddwrong").
- ``question/type/ordering/questiontype.php``: at least two answers ("notenoughanswers"); the grading,
  select and layout types it knows (``set_options_for_import``).
"""
from __future__ import annotations

import html
import itertools
import re
import xml.etree.ElementTree as ET
from fractions import Fraction
from html.parser import HTMLParser

import pytest

from spotthelure import ordering, scoring
from spotthelure.export_gift import quiz_to_gift
from spotthelure.export_moodle import quizzes_to_moodle
from spotthelure.export_qti import quizzes_to_qti
from spotthelure.model import as_model
from spotthelure.project import load_activity_file
from spotthelure.render_html import activity_html
from spotthelure.text import plain as plain_text
from conftest import ROOT, run_here
from conftest import gift_parse

QUIZZES = sorted((ROOT / "activities" / "quizzes").glob("*.yml"))

# question/engine/bank.php ensure_fraction_options_initialised(): 1, these, 0, and their negatives.
_RAW = [0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333, 0.3, 0.25, 0.2,
        0.1666667, 0.1428571, 0.125, 0.1111111, 0.1, 0.05]
FRACTION_OPTIONS = [1.0, 0.0, -1.0] + _RAW + [-f for f in _RAW]
ORDERING_GRADING = {"ALL_OR_NOTHING", "ABS", "ABSOLUTE", "ABSOLUTE_POSITION", "REL", "RELATIVE",
                    "RELATIVE_NEXT_EXCLUDE_LAST", "RELATIVE_NEXT_INCLUDE_LAST", "RELATIVE_ONE_PREVIOUS_AND_NEXT",
                    "RELATIVE_ALL_PREVIOUS_AND_NEXT", "LONGEST_ORDERED_SUBSET", "LONGEST_CONTIGUOUS_SUBSET",
                    "RELATIVE_TO_CORRECT"}


def load(path):
    return load_activity_file(path, path.name)[0].data


def text_of(el, path: str) -> str | None:
    node = el.find(path)
    return None if node is None else (node.findtext("text") if node.find("text") is not None else node.text)


def plain(moodle_html: str | None) -> str:
    """What Moodle shows of an exported text: its HTML read as HTML (only <p> allowed), as text."""
    if moodle_html is None:
        return ""
    tags = set(re.findall(r"</?([a-zA-Z][a-zA-Z0-9]*)", moodle_html))
    assert tags <= {"p"}, f"markup other than <p> in {moodle_html!r}"
    return html.unescape(re.sub(r"</?p>", " ", moodle_html)).strip()


def moodle_problems(xml: str) -> list[str]:
    """The problems Moodle's XML import (and the question types' save) would report, as
    ``question name: problem`` (see the module docstring for the source of each check)."""
    out = []
    root = ET.fromstring(xml)
    if root.tag != "quiz":
        return ["the root element is not <quiz>"]
    category, ids = None, {}
    for q in root.iter("question"):
        qtype = q.get("type")
        if qtype == "category":
            category = text_of(q, "category")
            if not category:
                out.append("a category without a path")
            continue
        name = text_of(q, "name") or ""
        where = name or "(no name)"
        if not name.strip() or len(name) > 255:
            out.append(f"{where}: a name of 1 to 255 characters is needed")
        if not plain(text_of(q, "questiontext")):
            out.append(f"{where}: no question text")
        if q.find("generalfeedback") is None:
            out.append(f"{where}: no general feedback")
        penalty = float(q.findtext("penalty", "0.3333333"))
        if not 0 <= penalty <= 1 or float(q.findtext("defaultgrade", "1")) < 0:
            out.append(f"{where}: penalty or default grade out of range")
        idnumber = q.findtext("idnumber")
        if idnumber is not None:
            if len(idnumber) > 100 or (category, idnumber) in ids:
                out.append(f"{where}: idnumber too long or used twice in its category")
            ids[(category, idnumber)] = name
        answers = q.findall("answer")
        if qtype == "multichoice":
            fractions = [float(a.get("fraction", "0")) / 100 for a in answers]
            for f in fractions:
                if not any(abs(f - o) < 0.00001 for o in FRACTION_OPTIONS):
                    out.append(f"{where}: invalid grade {f * 100}")
            if len(answers) < 2:
                out.append(f"{where}: notenoughanswers")
            single = q.findtext("single", "true").strip().lower() in ("true", "1")
            if single and (not fractions or max(fractions) != 1):
                out.append(f"{where}: fractionsnomax")
            if not single and round(sum(f for f in fractions if f > 0), 2) != 1:
                out.append(f"{where}: fractionsaddwrong ({sum(f for f in fractions if f > 0) * 100})")
            for field in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
                if not plain(text_of(q, field)):
                    out.append(f"{where}: no {field}")
            for a in answers:
                if not plain(a.findtext("text")) or not plain(text_of(a, "feedback")):
                    out.append(f"{where}: an answer without text or feedback")
        elif qtype == "truefalse":
            texts = sorted(a.findtext("text") for a in answers)
            if texts != ["false", "true"]:
                out.append(f"{where}: true/false answers must be 'true' and 'false', not {texts}")
            if sorted(a.get("fraction") for a in answers) != ["0", "100"]:
                out.append(f"{where}: exactly one true/false answer is worth 100")
            if not all(plain(text_of(a, "feedback")) for a in answers):
                out.append(f"{where}: a true/false answer without feedback")
        elif qtype == "ordering":
            if len(answers) < 2:
                out.append(f"{where}: notenoughanswers")
            if q.findtext("gradingtype") not in ORDERING_GRADING:
                out.append(f"{where}: unknown grading type {q.findtext('gradingtype')}")
            if q.findtext("selecttype") not in ("ALL", "EXACT", "RANDOM", "REL", "CONTIGUOUS", "CONTIG"):
                out.append(f"{where}: unknown select type")
            if not all(plain(a.findtext("text")) for a in answers):
                out.append(f"{where}: an empty item")
            for field in ("correctfeedback", "incorrectfeedback"):
                if not plain(text_of(q, field)):
                    out.append(f"{where}: no {field}")
        else:
            out.append(f"{where}: a question type this export never writes: {qtype}")
    return out


def questions(xml: str) -> dict[str, ET.Element]:
    return {text_of(q, "name"): q for q in ET.fromstring(xml).iter("question") if q.get("type") != "category"}


# ---- the book's quizzes pass Moodle's import checks and carry every feedback text ---------------

def test_every_book_quiz_passes_moodles_import_checks_and_carries_every_feedback():
    quizzes = [load(p) for p in QUIZZES]
    help_text = "Get help: talk to a trusted adult <today>\nChildline: 0800 1111"
    xml = quizzes_to_moodle(quizzes, names=[p.name for p in QUIZZES], help_texts=[help_text] * len(quizzes))
    assert moodle_problems(xml) == []
    qs = questions(xml)
    shown = {name: " ".join(plain(x.findtext("text")) for x in q.iter() if x.find("text") is not None)
             for name, q in qs.items()}
    native = rules = 0
    for data in quizzes:
        quiz = as_model(data, "quiz")
        for it in quiz.items:
            mine = {n: s for n, s in shown.items() if n == f"{quiz.id}/{it.id}" or n.startswith(f"{quiz.id}/{it.id}/")}
            assert mine, it.id
            everything = " ".join(mine.values())
            texts = [f for f in ([c.feedback for c in it.choices()] if it.is_choice else
                                 [s.feedback for s in it.steps] + [ordering.summary_text(it)]) if f]
            if not it.is_choice:
                texts += [ordering.rule_text(it, r) for r in it.rules()]
                texts += [ordering.any_time_text(it, i) for i in it.any_time()]
                if len(it.valid_orders(limit=2)) == 1:
                    native += 1
                    assert qs[f"{quiz.id}/{it.id}"].get("type") == "ordering"
                else:
                    rules += 1
                    assert all(qs[n].get("type") != "ordering" for n in mine)
            for f in texts:
                assert " ".join(f.split()) in everything, (it.id, f)
            for n in mine:   # the Get help contacts follow every answer
                assert "talk to a trusted adult <today>" in plain(text_of(qs[n], "generalfeedback"))
    assert native >= 1 and rules >= 1


def test_a_native_ordering_question_lists_the_one_right_order():
    item = {"id": "o", "type": "ordering", "prompt": "Put them in order.", "steps": [
        {"id": "a", "text": "First step.", "feedback": "A first.", "before": ["b"], "reason": "A opens."},
        {"id": "b", "text": "Second step.", "feedback": "B second.", "before": ["c"]},
        {"id": "c", "text": "Third step.", "feedback": "C last."}]}
    q = {"kind": "quiz", "id": "probe", "version": 1, "language": "en", "age_band": "15-18", "title": "Probe",
         "items": [item]}
    xml = quizzes_to_moodle([q])
    assert moodle_problems(xml) == []
    el = questions(xml)["probe/o"]
    assert el.get("type") == "ordering" and el.findtext("gradingtype") == "ALL_OR_NOTHING"
    assert [plain(a.findtext("text")) for a in el.findall("answer")] == ["First step.", "Second step.", "Third step."]
    general = plain(text_of(el, "generalfeedback"))
    assert all(f in general for f in ("A first.", "B second.", "C last."))   # step feedback: general feedback
    assert "A opens." in plain(text_of(el, "incorrectfeedback"))


def test_content_is_text_in_moodle_never_markup():
    q = {"kind": "quiz", "id": "probe", "version": 1, "language": "en", "age_band": "15-18", "title": "Probe",
         "items": [{"id": "s", "type": "single", "prompt": "Is <b>this</b> & that </text></question> bold?",
                    "options": [{"text": "<script>alert(1)</script>", "correct": True, "feedback": "a < b"},
                                {"text": "No", "feedback": "]]> <!-- x"}]}]}
    xml = quizzes_to_moodle([q])
    assert moodle_problems(xml) == []
    el = questions(xml)["probe/s"]
    assert plain(text_of(el, "questiontext")) == "Is <b>this</b> & that </text></question> bold?"
    assert [plain(a.findtext("text")) for a in el.findall("answer")][0] == "<script>alert(1)</script>"


# ---- the checks can fail: what Moodle would refuse, they refuse ---------------------------------

BROKEN = {
    "single without 100": ('<question type="multichoice"><single>true</single>'
                           '<answer fraction="50"><text>a</text></answer><answer fraction="0"><text>b</text></answer>',
                           "fractionsnomax"),
    "multiple adding to 99": ('<question type="multichoice"><single>false</single>'
                              '<answer fraction="33"><text>a</text></answer><answer fraction="33"><text>b</text></answer>'
                              '<answer fraction="33"><text>c</text></answer>', "invalid grade"),
    "multiple adding to 50": ('<question type="multichoice"><single>false</single>'
                              '<answer fraction="25"><text>a</text></answer><answer fraction="25"><text>b</text></answer>',
                              "fractionsaddwrong"),
    "one ordering item": ('<question type="ordering"><gradingtype>ALL_OR_NOTHING</gradingtype><selecttype>ALL</selecttype>'
                          '<answer fraction="1"><text>only</text></answer>', "notenoughanswers"),
    "true/false in words": ('<question type="truefalse"><answer fraction="100"><text>yes</text></answer>'
                            '<answer fraction="0"><text>no</text></answer>', "true/false answers"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_the_import_checks_refuse_what_moodle_refuses(case):
    body, wanted = BROKEN[case]
    xml = (f'<quiz>{body}<name><text>probe</text></name><questiontext><text>Q?</text></questiontext>'
           "<generalfeedback><text></text></generalfeedback></question></quiz>")
    assert any(wanted in p for p in moodle_problems(xml)), moodle_problems(xml)


# ---- one scoring rule: the book's quiz, GIFT, QTI and Moodle XML agree --------------------------

class _Options(HTMLParser):
    """The book's quiz page: per item (form data-item) its options' data-correct and text."""

    def __init__(self):
        super().__init__()
        self.items, self.item, self.opt = {}, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and "data-item" in a:
            self.item = a["data-item"]
            self.items[self.item] = []
        elif "stl-option" in (a.get("class") or "").split() and "data-correct" in a and self.item:
            self.opt = [a["data-correct"] == "true", ""]
            self.items[self.item].append(self.opt)
        elif "stl-fb" in (a.get("class") or "").split():
            self.opt = None

    def handle_data(self, data):
        if self.opt is not None:
            self.opt[1] += data


def _qti_score(item_xml: bytes, chosen: set[str]) -> float:
    """SCORE after the item's own response processing (the expressions a choice item uses)."""
    Q = "{http://www.imsglobal.org/xsd/imsqti_v2p1}"
    root = ET.fromstring(item_xml)
    decl = root.find(f"{Q}responseDeclaration")
    correct = {v.text for v in decl.iter(f"{Q}value")}
    mapping = decl.find(f"{Q}mapping")
    v = {"RESPONSE": chosen or None}

    def expr(el):
        tag = el.tag[len(Q):]
        if tag == "isNull":
            return v.get(el[0].get("identifier")) is None
        if tag == "match":
            return v["RESPONSE"] is not None and set(v["RESPONSE"]) == correct
        if tag == "mapResponse":
            total = sum(float(e.get("mappedValue")) for e in mapping if e.get("mapKey") in v["RESPONSE"])
            return min(float(mapping.get("upperBound")), max(float(mapping.get("lowerBound")), total))
        if tag == "baseValue":
            return float(el.text) if el.get("baseType") == "float" else el.text
        if tag == "variable":
            return v.get(el.get("identifier"))
        if tag == "equal":
            return expr(el[0]) == expr(el[1])
        raise AssertionError(tag)

    def rules(els):
        for el in els:
            tag = el.tag[len(Q):]
            if tag == "setOutcomeValue":
                v[el.get("identifier")] = expr(el[0])
            elif tag == "responseCondition":
                for br in el:
                    if br.tag.endswith("responseElse"):
                        rules(list(br))
                        break
                    if expr(br[0]):
                        rules(list(br)[1:])
                        break
    rules(list(root.find(f"{Q}responseProcessing")))
    return v["SCORE"]


def test_one_scoring_rule_in_the_book_gift_qti_and_moodle():
    data = load(ROOT / "activities" / "quizzes" / "q911-1.yml")
    quiz = as_model(data, "quiz")
    page = _Options()
    page.feed(activity_html("quiz", data))
    gift = {q["title"].split("/", 1)[1]: q for q in gift_parse(quiz_to_gift(data)) if q["type"] == "MC"}
    moodle = questions(quizzes_to_moodle([data]))
    import io
    import zipfile
    z = zipfile.ZipFile(io.BytesIO(quizzes_to_qti([data])))
    checked = 0
    for it in quiz.items:
        if not it.is_choice or it.type == "truefalse":
            continue
        ch = it.choices()
        # the book's quiz: right only when every option's checked state is its data-correct
        html_correct = {k for k, (c, _) in enumerate(page.items[it.id]) if c}
        assert len(page.items[it.id]) == len(ch)
        # ... and the options it marks right are the item's right answers
        right_texts = [" ".join(t.split()) for c, t in page.items[it.id] if c]
        assert len(right_texts) == len(it.correct_keys())
        assert all(any(" ".join(plain_text(c.text).split()) in t for t in right_texts) for c in ch if c.correct)
        g = [c["weight"] if c.get("weight") is not None else (100 if c["isCorrect"] else 0) for c in gift[it.id]["choices"]]
        m = [float(a.get("fraction")) for a in moodle[f"{quiz.id}/{it.id}"].findall("answer")]
        item_xml = z.read(f"items/{quiz.id}-{it.id}.xml")
        for n in range(len(ch) + 1):
            for picks in itertools.combinations(range(len(ch)), n):
                if it.cardinality == "single" and n != 1:
                    continue
                rule = scoring.score(it, {ch[k].key for k in picks})
                gift_score = min(1.0, max(0.0, sum(g[k] for k in picks) / 100))       # Moodle's grading
                moodle_score = min(1.0, max(0.0, sum(m[k] for k in picks) / 100))
                qti_score = _qti_score(item_xml, {ch[k].key for k in picks})
                book_right = len(html_correct) == len(picks) and html_correct == {
                    k for k in picks if page.items[it.id][k][0]}
                for got in (gift_score, moodle_score, qti_score):
                    assert abs(got - float(rule)) < 0.0001, (it.id, picks, got, rule)
                assert book_right == (rule == 1) == (qti_score == 1.0), (it.id, picks)
                checked += 1
    assert checked > 100


def test_more_than_six_right_answers_still_have_moodle_weights():
    chat = [{"from": "Sam", "text": f"line {k}", "flag": k < 7, "feedback": f"why {k}"} for k in range(9)]
    q = {"kind": "quiz", "id": "probe", "version": 1, "language": "en", "age_band": "15-18", "title": "Probe",
         "items": [{"id": "f", "type": "redflags", "prompt": "Which lines are warning signs?", "chat": chat}]}
    assert moodle_problems(quizzes_to_moodle([q])) == []
    weights = [c["weight"] for c in gift_parse(quiz_to_gift(q))[1]["choices"]]
    assert weights[:7] == [14.28571] * 7 and weights[7:] == [-50, -50]
    assert scoring.score(as_model(q, "quiz").items[0], {f"o{k + 1}" for k in range(7)}) == Fraction(1)


# ---- the command ----------------------------------------------------------------------------------

def test_export_moodle_command(tmp_path):
    out = tmp_path / "q.moodle.xml"
    r = run_here("export", "moodle", str(QUIZZES[0]), str(QUIZZES[1]), "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert moodle_problems(out.read_text(encoding="utf-8")) == []
    assert len([q for q in ET.fromstring(out.read_text(encoding="utf-8")).iter("question")
                if q.get("type") == "category"]) == 2


def test_export_moodle_of_a_broken_file_names_its_line(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("kind: quiz\nid: bad\nversion: 1\nlanguage: en\nage_band: '9-11'\ntitle: Bad\nitems:\n"
                   "  - id: x\n    type: single\n    prompt: 'Pick \x07 one'\n    options:\n"
                   "      - {text: a, correct: true, feedback: f}\n      - {text: b, feedback: g}\n", encoding="utf-8")
    r = run_here("export", "moodle", str(bad))
    assert r.returncode != 0 and "Traceback" not in r.stderr
    assert re.search(r"bad\.yml:\d+: ", r.stderr), r.stderr


# ---- every word a learner sees comes from the catalog or the content ------------------------------

from test_i18n import _act, project_marked  # noqa: E402,F401  (the pseudo-locale fixtures are in conftest.py)
from i18n_helpers import untranslated  # noqa: E402


def test_pseudo_locale_moodle(pseudo, project_marked):
    from spotthelure.render_print import help_text_for
    _, data = _act("quiz-sample.yml")
    xml = quizzes_to_moodle([data], help_texts=[help_text_for(project_marked, data)])
    root = ET.fromstring(xml)
    seen = []
    for q in root.iter("question"):
        for el in q.iter():
            if el.tag in ("name", "category", "idnumber") or el.find("text") is None:
                continue
            if q.get("type") == "truefalse" and el.tag == "answer":
                seen.append(text_of(el, "feedback"))       # the answer itself is Moodle's "true" / "false"
                continue
            seen.append(el.findtext("text"))
    words = " ".join(html.unescape(re.sub(r"<[^>]*>", " ", s or "")) for s in seen)
    assert words.strip() and untranslated(words) == []


def test_every_moodle_download_of_the_book_carries_the_contacts_after_each_answer(site):
    files = sorted((site / "downloads").glob("*.moodle.xml"))
    assert len(files) == len(QUIZZES)
    for f in files:
        xml = f.read_text(encoding="utf-8")
        assert moodle_problems(xml) == [], f.name
        for name, q in questions(xml).items():
            general = plain(text_of(q, "generalfeedback"))
            assert "112" in general and "116 111" in general, f"{f.name}: {name} has no Get help contacts"
