"""Every renderer from the same objects: golden files, escaping in every output, determinism,
GIFT checked by an independent parser (gift-pegjs), QTI checked as XML against its structure."""
from __future__ import annotations

import io
import os
import re
import xml.etree.ElementTree as ET
import zipfile
from html.parser import HTMLParser

import pytest

from spotthelure.export_gift import quiz_to_gift
from spotthelure.export_qti import quizzes_to_qti
from spotthelure.project import load_activity_file
from spotthelure.render_html import activity_html, display_order, standalone_page
from spotthelure.render_print import print_page
from conftest import ROOT, gift_parse

DATA = ROOT / "tests" / "data"
GOLDEN = DATA / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"  # regenerate with UPDATE_GOLDEN=1 pytest tests/test_renderers.py


def load(name):
    act, problems = load_activity_file(DATA / name, name)
    assert not problems, problems
    return act.data


def outputs(name):
    """Every output of a sample activity, whole (for the determinism and escaping tests)."""
    d = load(name)
    kind = d["kind"]
    out = {f"{d['id']}.html": activity_html(kind, d), f"{d['id']}.standalone.html": standalone_page(kind, d)
           if kind in ("quiz", "scenario") else None,
           f"{d['id']}.print.html": print_page([(kind, d)])}
    if kind == "quiz":
        out[f"{d['id']}.key.html"] = print_page([(kind, d)], answer_key=True)
        out[f"{d['id']}.gift.txt"] = quiz_to_gift(d)
    return {k: v for k, v in out.items() if v is not None}


_BLOCK = re.compile(r"\s*(<(?:/?(?:section|div|form|fieldset|ol|ul|main)|li|p|h[1-6]|legend|hr|details|summary)\b)")


def normalise(html: str) -> str:
    """Whitespace-insensitive form of an HTML fragment, one block element a line, for a readable golden."""
    return _BLOCK.sub(r"\n\1", " ".join(html.split())).strip() + "\n"


def component(html: str) -> str:
    """The activity's own subtree: from its ``<section class="stl-activity`` to the section's end."""
    start = html.index('<section class="stl-activity')
    return html[start:html.rindex("</section>") + len("</section>")]


def main_of(page: str) -> str:
    """The ``<main>`` of a print page (the page's CSS is the assets', checked on its own)."""
    return page[page.index("<main>"):page.index("</main>") + len("</main>")]


def golden_outputs(name):
    """The goldens of one sample: the component, the print page's main, GIFT and QTI item XML."""
    d = load(name)
    kind, i = d["kind"], d["id"]
    out = {f"{i}.section.html": normalise(component(activity_html(kind, d))),
           f"{i}.print.main.html": normalise(main_of(print_page([(kind, d)])))}
    if kind == "quiz":
        out[f"{i}.key.main.html"] = normalise(main_of(print_page([(kind, d)], answer_key=True)))
        out[f"{i}.gift.txt"] = quiz_to_gift(d)
        z = zipfile.ZipFile(io.BytesIO(quizzes_to_qti([d])))
        out[f"{i}.qti-items.xml"] = "".join(f"<!-- {n} -->\n" + z.read(n).decode("utf-8").strip() + "\n"
                                            for n in sorted(z.namelist()) if n.startswith("items/"))
    return out


@pytest.mark.parametrize("name", ["quiz-sample.yml", "scenario-sample.yml", "roleplay-sample.yml"])
def test_golden(name):
    for fname, text in golden_outputs(name).items():
        path = GOLDEN / fname
        if UPDATE:
            path.write_text(text, encoding="utf-8")
        assert path.exists(), f"missing golden file {path}; run with UPDATE_GOLDEN=1 once and review it"
        assert text == path.read_text(encoding="utf-8"), f"{fname} differs from its golden file"


@pytest.mark.parametrize("name", ["quiz-sample.yml", "scenario-sample.yml"])
def test_standalone_page_inlines_the_assets(name):
    """The offline file carries the component and, inline, the script and both style sheets as they are."""
    from spotthelure.render_html import STATIC, TEMPLATES
    d = load(name)
    page = standalone_page(d["kind"], d)
    assert component(activity_html(d["kind"], d, heading_level=2)) in page
    for asset in (STATIC / "spotthelure.css", STATIC / "spotthelure.js", TEMPLATES / "standalone.css"):
        assert asset.read_text(encoding="utf-8") in page, f"{asset.name} is not inlined whole"
    assert page.count("<script>") == 1 and '<script src' not in page


def test_print_page_inlines_the_print_styles():
    from spotthelure.render_html import STATIC, TEMPLATES
    d = load("quiz-sample.yml")
    page = print_page([("quiz", d)])
    assert (TEMPLATES / "print.css").read_text(encoding="utf-8") + (STATIC / "spotthelure.css").read_text(encoding="utf-8") in page
    assert "<script" not in page


@pytest.mark.parametrize("name", ["quiz-sample.yml", "scenario-sample.yml", "roleplay-sample.yml", "quiz-evil.yml"])
def test_identical_input_gives_identical_bytes(name):
    assert outputs(name) == outputs(name)
    d = load(name)
    if d["kind"] == "quiz":
        assert quizzes_to_qti([d]) == quizzes_to_qti([load(name)])


class _Tags(HTMLParser):
    """Collects the real elements and attributes of an HTML page (escaped text is not an element)."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _assert_inert(text: str, where: str, own_scripts: int = 0):
    p = _Tags()
    p.feed(text)
    scripts = [t for t, _ in p.tags if t == "script"]
    assert len(scripts) == own_scripts, f"{where}: {len(scripts)} script elements"
    for tag, attrs in p.tags:
        assert tag not in ("img", "iframe", "svg", "object", "embed", "b"), f"{where}: <{tag}> element"
        for k, v in attrs.items():
            assert not k.startswith("on"), f"{where}: event attribute {k} on <{tag}>"
            if k in ("href", "src", "action", "formaction"):
                assert not str(v).strip().lower().startswith(("javascript:", "data:", "vbscript:")), f"{where}: {k}={v}"


def test_escaping_html_outputs():
    d = load("quiz-evil.yml")
    _assert_inert(activity_html("quiz", d), "static HTML")
    _assert_inert(standalone_page("quiz", d), "standalone HTML", own_scripts=1)
    _assert_inert(print_page([("quiz", d)]), "worksheet")
    _assert_inert(print_page([("quiz", d)], answer_key=True), "answer key")
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in activity_html("quiz", d)
    assert '<a href="https://example.org">ok link</a>' in activity_html("quiz", d)


def test_escaping_gift_and_qti():
    d = load("quiz-evil.yml")
    gift = quiz_to_gift(d)
    # Every GIFT special character in content is escaped, so the structure cannot be broken.
    parsed = gift_parse(gift)
    assert [q["title"] for q in parsed if q["type"] != "Category"] == ["q-evil/x", "q-evil/y"]
    z = zipfile.ZipFile(io.BytesIO(quizzes_to_qti([d])))
    for name in z.namelist():
        root = ET.fromstring(z.read(name))  # well-formed XML: content cannot inject elements
        for el in root.iter():
            assert not el.tag.endswith(("script", "img", "iframe", "svg"))


def test_escaping_widgets():
    from spotthelure.render_widgets import QuizWidget
    w = QuizWidget(load("quiz-evil.yml"))
    it = w.items[0]
    it.inputs[0].value = 0
    it.check.click()
    html = it.feedback.value
    assert "<script" not in html.lower() and "&lt;/div&gt;&lt;script&gt;" in html


def test_gift_parsed_by_independent_parser():
    d = load("quiz-sample.yml")
    qs = [q for q in gift_parse(quiz_to_gift(d)) if q["type"] != "Category"]
    by = {q["title"].split("/", 1)[1]: q for q in qs}
    assert set(by) == {"one", "many", "tf", "flags", "order/rule-1", "order/any-time-tell"}
    one = by["one"]
    assert one["type"] == "MC"
    assert [c["isCorrect"] for c in one["choices"]] == [False, True, False]
    assert one["choices"][1]["feedback"]["text"].startswith("Asking for secrecy")
    many = by["many"]
    assert [c["weight"] for c in many["choices"]] == [50, -100, 50]
    assert by["tf"]["type"] == "TF" and by["tf"]["isTrue"] is False
    # An ordering item is one "which comes first" question per rule, never strict matching,
    # and a true/false question saying the help-seeking step is right at any point.
    rule = by["order/rule-1"]
    assert rule["type"] == "MC"
    assert [(c["text"]["text"], c["isCorrect"]) for c in rule["choices"]] == [
        ("Save screenshots.", True), ("Block the account.", False)]
    assert by["order/any-time-tell"]["type"] == "TF" and by["order/any-time-tell"]["isTrue"] is True


def test_all_book_quizzes_export_to_gift_that_parses():
    qs = sorted((ROOT / "activities" / "quizzes").glob("*.yml"))
    assert qs
    text = "\n".join(quiz_to_gift(load_activity_file(p, p.name)[0].data) for p in qs)
    parsed = [q for q in gift_parse(text) if q["type"] != "Category"]
    from spotthelure import ordering
    n_items = 0
    for p in qs:
        for it in load_activity_file(p, p.name)[0].data["items"]:
            # an ordering item is one question per rule and per help-seeking step
            n_items += len(ordering.rules(it)) + len(ordering.any_time(it)) if it["type"] == "ordering" else 1
    assert len(parsed) == n_items


def test_qti_package_structure():
    d = load("quiz-sample.yml")
    z = zipfile.ZipFile(io.BytesIO(quizzes_to_qti([d])))
    names = z.namelist()
    assert "imsmanifest.xml" in names and "q-sample-test.xml" in names
    ns = {"q": "http://www.imsglobal.org/xsd/imsqti_v2p1"}
    manifest = ET.fromstring(z.read("imsmanifest.xml"))
    hrefs = {f.get("href") for f in manifest.iter("{http://www.imsglobal.org/xsd/imscp_v1p1}file")}
    assert hrefs == set(names) - {"imsmanifest.xml"}
    one = ET.fromstring(z.read("items/q-sample-one.xml"))
    assert [v.text for v in one.findall(".//q:correctResponse/q:value", ns)] == ["o2"]
    assert one.find(".//q:choiceInteraction", ns).get("maxChoices") == "1"
    many = ET.fromstring(z.read("items/q-sample-many.xml"))
    assert [v.text for v in many.findall(".//q:correctResponse/q:value", ns)] == ["o1", "o3"]
    order = ET.fromstring(z.read("items/q-sample-order.xml"))
    assert order.find(".//q:responseDeclaration", ns).get("cardinality") == "ordered"
    assert [v.text for v in order.findall(".//q:correctResponse/q:value", ns)] == ["s1", "s2", "s3", "s4"]
    assert order.find(".//q:responseProcessing", ns).get("template") is None   # not match_correct


def test_ordering_is_shown_mixed_up_but_fixed():
    for n in range(2, 9):
        for iid in ("a", "b", "steps-1", "order"):
            o = display_order("q", iid, n)
            assert sorted(o) == list(range(n)) and o != list(range(n))
            assert o == display_order("q", iid, n)


def test_answer_positions_balanced_across_the_bank():
    """R/exams-style stress test: where do the right answers of single-choice items sit?"""
    counts = {}
    total = 0
    for p in sorted((ROOT / "activities" / "quizzes").glob("*.yml")):
        for it in load_activity_file(p, p.name)[0].data["items"]:
            if it["type"] == "single":
                pos = next(i for i, o in enumerate(it["options"]) if o.get("correct"))
                counts[pos] = counts.get(pos, 0) + 1
                total += 1
    assert total >= 20
    # With mostly 3-4 options, no position should hold more than 45% of right answers, and the
    # first three positions should all be used.
    assert max(counts.values()) / total <= 0.45, counts
    assert all(counts.get(i, 0) > 0 for i in range(3)), counts
