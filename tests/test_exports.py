"""GIFT and QTI stay well-formed whatever the content says (the payloads of security finding F13), and
the QTI response processing of an ordering item accepts exactly the orders that keep its rules
(checked by running it: a small interpreter of the QTI expressions the export writes)."""
from __future__ import annotations

import io
import itertools
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile

import pytest

from spotthelure import ordering
from spotthelure.export_gift import quiz_to_gift
from spotthelure.export_qti import quizzes_to_qti
from spotthelure.problems import ContentError
from spotthelure.project import load_activity_file
from conftest import ROOT
from conftest import gift_parse

Q = "{http://www.imsglobal.org/xsd/imsqti_v2p1}"
NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")


def quiz(items, **head):
    q = {"kind": "quiz", "id": "probe-quiz", "version": 1, "language": "en", "age_band": "15-18",
         "title": "Probe quiz", "items": items}
    q.update(head)
    return q


def single(iid="s1", prompt="Pick one.", options=None):
    return {"id": iid, "type": "single", "prompt": prompt, "options": options or [
        {"text": "Tell a trusted adult.", "correct": True, "feedback": "An adult can help."},
        {"text": "Keep it secret.", "feedback": "Secrets help the other person."}]}


def questions(gift: str):
    return [q for q in gift_parse(gift) if q["type"] != "Category"]


# ---- GIFT ---------------------------------------------------------------------------------------

def test_gift_title_with_a_line_break_cannot_add_a_question():
    q = quiz([single()], title="Probe quiz\n::INJECTED-QUESTION:: Is this injected? {=yes ~no}")
    gift = quiz_to_gift(q)
    assert [x["title"] for x in questions(gift)] == ["probe-quiz/s1"]
    first = gift.splitlines()[0]
    assert first.startswith("// Probe quiz ::INJECTED-QUESTION::") and "(probe-quiz, version 1" in first


def test_gift_percent_prefix_never_makes_a_wrong_answer_right():
    q = quiz([single(options=[
        {"text": "%100% Send the picture, it is fine", "feedback": "Not this one."},
        {"text": "%0% Tell a trusted adult", "correct": True, "feedback": "An adult can help."}]),
        {"id": "m1", "type": "multiple", "prompt": "Pick all.", "options": [
            {"text": "%100% Pay them", "feedback": "Paying rarely stops it."},
            {"text": "Stop replying", "correct": True, "feedback": "You owe no reply."}]}])
    gift = quiz_to_gift(q)
    one, many = questions(gift)
    wrong, right = one["choices"]
    assert wrong["text"]["text"] == "%100% Send the picture, it is fine"
    assert wrong["isCorrect"] is False and wrong["weight"] in (None, 0)
    assert right["text"]["text"] == "%0% Tell a trusted adult" and right["weight"] in (None, 100)
    assert [(c["text"]["text"], c["weight"]) for c in many["choices"]] == [("%100% Pay them", -100),
                                                                          ("Stop replying", 100)]


def test_gift_html_is_escaped_so_moodle_shows_it_as_text():
    q = quiz([single(prompt="Which is <b>bold</b> and <img src=x onerror=alert(1)>?")])
    gift = quiz_to_gift(q)
    assert "<" not in gift and ">" not in gift.replace("->", "")
    [one] = questions(gift)
    assert one["stem"]["text"] == "Which is &lt;b&gt;bold&lt;/b&gt; and &lt;img src=x onerror=alert(1)&gt;?"


@pytest.mark.parametrize("text", ["a ~ b = c # d { e } f : g \\ h", "\\", "ends with \\", "::x::", "{=yes ~no}",
                                  "line one\nline two", "100%", "\\n is not a line break"])
def test_gift_special_characters_round_trip(text):
    q = quiz([single(prompt=text, options=[{"text": text, "correct": True, "feedback": text},
                                           {"text": "other", "feedback": "f"}])])
    [one] = questions(quiz_to_gift(q))
    assert one["stem"]["text"] == text
    assert one["choices"][0]["text"]["text"] == text and one["choices"][0]["feedback"]["text"] == text
    assert one["choices"][0]["isCorrect"] is True


def test_gift_ordering_is_never_strict_matching():
    act, _ = load_activity_file(ROOT / "activities" / "quizzes" / "q1214-2.yml", "q1214-2.yml")
    item = next(it for it in act.data["items"] if it["id"] == "steps-order")
    qs = [x for x in questions(quiz_to_gift(quiz([item]))) if x["title"].startswith("probe-quiz/steps-order/")]
    assert {x["type"] for x in qs} == {"MC", "TF"} and "Matching" not in {x["type"] for x in qs}
    rules = [x for x in qs if x["type"] == "MC"]
    assert len(rules) == len(ordering.rules(item)) == 1
    assert [c["text"]["text"] for c in rules[0]["choices"] if c["isCorrect"]] == [
        "Take screenshots of the chat and the user name. Never save the picture."]
    anytime = {x["title"].rsplit("/", 1)[1] for x in qs if x["type"] == "TF"}
    assert anytime == {"any-time-tell", "any-time-takedown"}
    assert all(x["isTrue"] is True for x in qs if x["type"] == "TF")


# ---- QTI ----------------------------------------------------------------------------------------

def test_qti_refuses_control_characters():
    q = quiz([single(prompt="Bell \x07 ... esc \x1b ... nul \x00")])
    with pytest.raises(ContentError) as e:
        quizzes_to_qti([q], names=["activities/quizzes/probe-quiz.yml"])
    assert "U+0007" in str(e.value) and str(e.value).startswith("activities/quizzes/probe-quiz.yml:")


def test_qti_export_command_gives_path_and_line_not_a_traceback(tmp_path):
    p = tmp_path / "probe-quiz.yml"
    p.write_text('kind: quiz\nid: probe-quiz\nversion: 1\nlanguage: en\nage_band: "15-18"\ntitle: Probe\n'
                 'items:\n  - id: s1\n    type: single\n    prompt: "Bell \\a here"\n    options:\n'
                 '      - text: A\n        correct: true\n        feedback: f\n      - text: B\n        feedback: f\n',
                 encoding="utf-8")
    out = tmp_path / "out.zip"
    r = subprocess.run([sys.executable, "-m", "spotthelure", "export", "qti", str(p), "-o", str(out)],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode != 0 and "Traceback" not in r.stderr
    assert re.search(re.escape(str(p)) + r":\d+: ", r.stderr), r.stderr
    assert not out.exists()


def test_qti_identifiers_are_ncnames_and_zip_names_are_safe():
    q = quiz([single(iid="t1\n"), single(iid="9lives"), single(iid="../../evil name")], id="t1\n")
    z = zipfile.ZipFile(io.BytesIO(quizzes_to_qti([q])))
    names = z.namelist()
    assert all(re.fullmatch(r"[A-Za-z0-9-]+(/[A-Za-z0-9-]+)*\.xml", n) for n in names), names
    assert not any(".." in n for n in names)
    for n in names:
        root = ET.fromstring(z.read(n))
        for el in root.iter():
            for attr in ("identifier", "identifierref"):
                if el.get(attr) is not None:
                    assert NCNAME.match(el.get(attr)), (n, el.tag, el.get(attr))
    manifest = ET.fromstring(z.read("imsmanifest.xml"))
    hrefs = {f.get("href") for f in manifest.iter("{http://www.imsglobal.org/xsd/imscp_v1p1}file")}
    assert hrefs == set(names) - {"imsmanifest.xml"}


class _QTI:
    """Just enough of QTI 2.1 response processing to run what the export writes for ordering items."""

    def __init__(self, root):
        self.rp = root.find(f"{Q}responseProcessing")

    def run(self, response: list[str]) -> dict:
        self.vars = {"RESPONSE": response}
        self.rules(list(self.rp))
        return self.vars

    def rules(self, els):
        for el in els:
            tag = el.tag[len(Q):]
            if tag == "setOutcomeValue":
                self.vars[el.get("identifier")] = self.expr(el[0])
            elif tag == "responseCondition":
                for branch in el:
                    b = branch.tag[len(Q):]
                    if b == "responseElse" or self.expr(branch[0]) is True:
                        self.rules(list(branch) if b == "responseElse" else list(branch)[1:])
                        break
            else:
                raise AssertionError(f"unexpected rule {tag}")

    def expr(self, el):
        tag = el.tag[len(Q):]
        sub = [self.expr(c) for c in el]
        if tag == "baseValue":
            return {"float": float, "integer": int}.get(el.get("baseType"), str)(el.text)
        if tag == "variable":
            return self.vars.get(el.get("identifier"))
        if tag == "index":
            n = int(el.get("n"))
            return sub[0][n - 1] if sub[0] and n <= len(sub[0]) else None
        if tag == "match":
            return None if None in sub else sub[0] == sub[1]
        if tag == "and":
            return False if False in sub else (None if None in sub else True)
        if tag == "or":
            return True if True in sub else (None if None in sub else False)
        if tag == "not":
            return None if sub[0] is None else not sub[0]
        if tag == "containerSize":
            return len(sub[0] or [])
        if tag == "equal":
            return None if None in sub else sub[0] == sub[1]
        if tag == "multiple":
            return [x for s in sub if s is not None for x in (s if isinstance(s, list) else [s])]
        raise AssertionError(f"unexpected expression {tag}")


def _ordering_items():
    out = [("quiz-sample", it) for it in load_activity_file(ROOT / "tests" / "data" / "quiz-sample.yml",
                                                            "quiz-sample.yml")[0].data["items"]
           if it["type"] == "ordering"]
    for p in sorted((ROOT / "activities" / "quizzes").glob("*.yml")):
        out += [(p.stem, it) for it in load_activity_file(p, p.name)[0].data["items"] if it["type"] == "ordering"]
    return out


@pytest.mark.parametrize("qid, item", _ordering_items(), ids=lambda x: x if isinstance(x, str) else x["id"])
def test_qti_ordering_scores_exactly_the_orders_that_keep_the_rules(qid, item):
    z = zipfile.ZipFile(io.BytesIO(quizzes_to_qti([quiz([item], id=qid)])))
    root = ET.fromstring(z.read(f"items/{qid}-{item['id']}.xml"))
    assert root.find(f".//{Q}orderInteraction") is not None
    modal = [(m.get("outcomeIdentifier"), m.get("identifier")) for m in root.iter(f"{Q}modalFeedback")]
    qti = _QTI(root)

    def shown(v):   # the modal feedback a player shows: its outcome holds its identifier
        return {i for o, i in modal if v.get(o) == i or (isinstance(v.get(o), list) and i in v[o])}
    n = len(item["steps"])
    cid = [f"s{j + 1}" for j in range(n)]
    for perm in itertools.permutations(range(n)):
        v = qti.run([cid[j] for j in perm])
        pos = {j: k + 1 for k, j in enumerate(perm)}
        want = ordering.is_right(item, [pos[j] for j in range(n)])
        assert v["SCORE"] == (1.0 if want else 0.0), (perm, v)
        broken = {f"rule-{k}" for k, r in enumerate(ordering.rules(item), 1) if pos[r.first] > pos[r.then]}
        fb = shown(v)
        assert {f for f in fb if f.startswith("rule-")} == broken
        assert all(f"any-time-{cid[i]}" in fb for i in ordering.any_time(item))
        assert ("correct" in fb, "incorrect" in fb) == (want, not want)
        assert v["FEEDBACK"] == [cid[j] for j in perm]        # every placed step shows its own feedback
    assert qti.run(cid[:-1])["SCORE"] == 0.0          # a part answer is never right


def test_every_book_quiz_exports_well_formed_qti():
    qs = [load_activity_file(p, p.name)[0].data for p in sorted((ROOT / "activities" / "quizzes").glob("*.yml"))]
    z = zipfile.ZipFile(io.BytesIO(quizzes_to_qti(qs)))
    for n in z.namelist():
        ET.fromstring(z.read(n))


def test_help_contacts_have_one_place_in_each_export():
    text = "Get help: talk to a trusted adult <today> {any time}"
    q = quiz([single()])
    gift = quiz_to_gift(q, help_text=text)
    last = questions(gift)[-1]
    assert last["type"] == "Description" and last["title"] == "probe-quiz/get-help"
    assert last["stem"]["text"] == "Get help: talk to a trusted adult &lt;today&gt; {any time}"
    assert "get-help" not in quiz_to_gift(q)
    z = zipfile.ZipFile(io.BytesIO(quizzes_to_qti([q], help_text=text)))
    rubric = ET.fromstring(z.read("probe-quiz-test.xml")).find(f".//{Q}rubricBlock")
    assert rubric.get("view") == "candidate" and "".join(rubric.itertext()) == text
