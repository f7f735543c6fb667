"""IMS QTI 2.1 export: a content package (zip) with one assessmentItem per quiz item and a test.

Deterministic: fixed file order and timestamps, so identical input gives identical bytes.
"""
from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape, quoteattr

from .text import plain

NS = ('xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" '
      'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
      'xsi:schemaLocation="http://www.imsglobal.org/xsd/imsqti_v2p1 http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"')


def t(s) -> str:
    return escape(plain(str(s)))


def _choices(it):
    if it["type"] in ("single", "multiple"):
        return [(f"o{j + 1}", o["text"], bool(o.get("correct")), o["feedback"]) for j, o in enumerate(it["options"])]
    if it["type"] == "redflags":
        return [(f"o{j + 1}", f"{c['from']}: {c['text']}", bool(c["flag"]), c["feedback"]) for j, c in enumerate(it["chat"])]
    if it["type"] == "truefalse":
        return [("true", "True", it["answer"] is True, it["feedback_true"]),
                ("false", "False", it["answer"] is False, it["feedback_false"])]
    return []


def item_xml(qid: str, it: dict) -> str:
    ident = f"{qid}-{it['id']}"
    head = f'<?xml version="1.0" encoding="UTF-8"?>\n<assessmentItem {NS} identifier={quoteattr(ident)} ' \
           f'title={quoteattr(plain(it["prompt"])[:80])} adaptive="false" timeDependent="false">\n'
    if it["type"] == "ordering":
        steps = [(f"s{j + 1}", s) for j, s in enumerate(it["steps"])]
        correct = "".join(f"<value>{sid}</value>" for sid, _ in steps)
        body = "".join(f'<simpleChoice identifier="{sid}">{t(s["text"])}'
                       f'<feedbackInline outcomeIdentifier="FEEDBACK" identifier="{sid}" showHide="show">{t(s["feedback"])}</feedbackInline>'
                       f"</simpleChoice>" for sid, s in steps)
        return (head + f'<responseDeclaration identifier="RESPONSE" cardinality="ordered" baseType="identifier">'
                f"<correctResponse>{correct}</correctResponse></responseDeclaration>\n"
                '<outcomeDeclaration identifier="SCORE" cardinality="single" baseType="float"/>\n'
                '<outcomeDeclaration identifier="FEEDBACK" cardinality="multiple" baseType="identifier"/>\n'
                f'<itemBody><orderInteraction responseIdentifier="RESPONSE" shuffle="true"><prompt>{t(it["prompt"])}</prompt>'
                f"{body}</orderInteraction></itemBody>\n"
                '<responseProcessing template="http://www.imsglobal.org/question/qti_v2p1/rptemplates/match_correct"/>\n'
                "</assessmentItem>\n")
    ch = _choices(it)
    single = it["type"] in ("single", "truefalse")
    card = "single" if single else "multiple"
    correct = "".join(f"<value>{cid}</value>" for cid, _, ok, _ in ch if ok)
    maxc = 1 if single else 0
    body = "".join(f'<simpleChoice identifier="{cid}">{t(text)}'
                   f'<feedbackInline outcomeIdentifier="FEEDBACK" identifier="{cid}" showHide="show">{t(fb)}</feedbackInline>'
                   f"</simpleChoice>" for cid, text, _, fb in ch)
    return (head + f'<responseDeclaration identifier="RESPONSE" cardinality="{card}" baseType="identifier">'
            f"<correctResponse>{correct}</correctResponse></responseDeclaration>\n"
            '<outcomeDeclaration identifier="SCORE" cardinality="single" baseType="float"/>\n'
            '<outcomeDeclaration identifier="FEEDBACK" cardinality="multiple" baseType="identifier"/>\n'
            f'<itemBody><choiceInteraction responseIdentifier="RESPONSE" shuffle="false" maxChoices="{maxc}">'
            f'<prompt>{t(it["prompt"])}</prompt>{body}</choiceInteraction></itemBody>\n'
            '<responseProcessing template="http://www.imsglobal.org/question/qti_v2p1/rptemplates/match_correct"/>\n'
            "</assessmentItem>\n")


def test_xml(q: dict) -> str:
    refs = "".join(f'<assessmentItemRef identifier={quoteattr(q["id"] + "-" + it["id"])} href="items/{q["id"]}-{it["id"]}.xml"/>'
                   for it in q["items"])
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<assessmentTest {NS} identifier={quoteattr(q["id"])} title={quoteattr(plain(q["title"]))}>'
            f'<testPart identifier="part1" navigationMode="nonlinear" submissionMode="individual">'
            f'<assessmentSection identifier="section1" title={quoteattr(plain(q["title"]))} visible="true">{refs}'
            "</assessmentSection></testPart></assessmentTest>\n")


def manifest_xml(quizzes: list[dict]) -> str:
    res = []
    for q in quizzes:
        res.append(f'<resource identifier="test-{q["id"]}" type="imsqti_test_xmlv2p1" href="{q["id"]}-test.xml">'
                   f'<file href="{q["id"]}-test.xml"/>'
                   + "".join(f'<dependency identifierref="item-{q["id"]}-{it["id"]}"/>' for it in q["items"]) + "</resource>")
        for it in q["items"]:
            h = f"items/{q['id']}-{it['id']}.xml"
            res.append(f'<resource identifier="item-{q["id"]}-{it["id"]}" type="imsqti_item_xmlv2p1" href="{h}"><file href="{h}"/></resource>')
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" '
            f'identifier="spotthelure-{"-".join(q["id"] for q in quizzes)}"><organizations/><resources>'
            + "".join(res) + "</resources></manifest>\n")


def quizzes_to_qti(quizzes: list[dict]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        def add(name, text):
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, text.encode("utf-8"))
        add("imsmanifest.xml", manifest_xml(quizzes))
        for q in quizzes:
            add(f"{q['id']}-test.xml", test_xml(q))
            for it in q["items"]:
                add(f"items/{q['id']}-{it['id']}.xml", item_xml(q["id"], it))
    return buf.getvalue()
