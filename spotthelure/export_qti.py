"""IMS QTI 2.1 export: a content package (zip) with one assessmentItem per quiz item and a test.

Deterministic: fixed file order and timestamps, so identical input gives identical bytes. Text that
XML 1.0 cannot hold (control characters, U+FFFE, U+FFFF) is refused with ``path:line``, identifiers are
valid NCNames and zip member names hold only safe characters, whatever the content says.

An ordering item is an ``orderInteraction`` whose response processing checks each ``before`` rule
(step A is at some place i and step B at a later place j), so every order that keeps the rules scores
1, help-seeking steps fit anywhere, and each broken rule shows its own modal feedback.
"""
from __future__ import annotations

import io
import re
import zipfile
from xml.sax.saxutils import escape, quoteattr

from . import ordering
from .model import ChoiceItem, Model, OrderingItem, Quiz, as_model
from .problems import ContentError, Problem
from .text import plain

NS = ('xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" '
      'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
      'xsi:schemaLocation="http://www.imsglobal.org/xsd/imsqti_v2p1 http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"')

# Characters XML 1.0 cannot carry (C0 controls other than tab and line breaks, lone surrogates, U+FFFE/F).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def t(s) -> str:
    return escape(plain(str(s)))


def ncname(s) -> str:
    """A valid NCName (and safe file name) from any text: letters, digits, hyphens; starts with a letter."""
    out = re.sub(r"[^A-Za-z0-9-]+", "-", str(s)).strip("-")
    return out if re.match(r"[A-Za-z]", out) else "i-" + out


def refuse_control_characters(q, where: str) -> None:
    """Raise ContentError (path:line) for any text XML cannot hold, anywhere in the quiz (a model
    object or its data)."""
    problems = []

    def walk(x, line):
        line = getattr(x, "line", line) or line
        if isinstance(x, Model):
            for key, fname in x.KEYS.items():
                ln = x.line_of(key)
                walk(key, ln)
                walk(getattr(x, fname), ln)
        elif isinstance(x, dict):
            for k, v in x.items():
                ln = x.line_of(k) if hasattr(x, "line_of") else line
                walk(k, ln)
                walk(v, ln)
        elif isinstance(x, (list, tuple)):
            for j, v in enumerate(x):
                walk(v, x.line_of(j) if hasattr(x, "line_of") else line)
        elif isinstance(x, str):
            m = _NOT_XML.search(x)
            if m:
                problems.append(Problem(where, line, f"the text holds the control character U+{ord(m.group()):04X}, "
                                                     "which QTI (XML) cannot carry; remove it"))
    walk(q, 1)
    if problems:
        raise ContentError(problems)


def _holds(a: str, b: str, n: int) -> str:
    """A QTI expression: choice ``a`` is at some place before choice ``b`` in RESPONSE."""
    def at(i, cid):
        return (f'<match><index n="{i}"><variable identifier="RESPONSE"/></index>'
                f'<baseValue baseType="identifier">{cid}</baseValue></match>')
    pairs = [f"<and>{at(i, a)}{at(j, b)}</and>" for i in range(1, n + 1) for j in range(i + 1, n + 1)]
    return "<or>" + "".join(pairs) + "</or>"


def _set(ident: str, base: str, value: str) -> str:
    return f'<setOutcomeValue identifier="{ident}"><baseValue baseType="{base}">{value}</baseValue></setOutcomeValue>'


def _add_feedback(fid: str) -> str:
    return ('<setOutcomeValue identifier="FEEDBACK"><multiple><variable identifier="FEEDBACK"/>'
            f'<baseValue baseType="identifier">{fid}</baseValue></multiple></setOutcomeValue>')


def _ordering_xml(head: str, it: OrderingItem) -> str:
    steps = it.steps
    n = len(steps)
    cid = [f"s{j + 1}" for j in range(n)]
    correct = "".join(f"<value>{c}</value>" for c in cid)  # one good order: the written one
    body = "".join(f'<simpleChoice identifier="{cid[j]}">{t(s.text)}'
                   f'<feedbackInline outcomeIdentifier="FEEDBACK" identifier="{cid[j]}" showHide="show">{t(s.feedback)}</feedbackInline>'
                   f"</simpleChoice>" for j, s in enumerate(steps))
    rules = it.rules()
    rp = [_set("SCORE", "float", "1"),
          '<responseCondition><responseIf><not><equal toleranceMode="exact"><containerSize>'
          '<variable identifier="RESPONSE"/></containerSize>'
          f'<baseValue baseType="integer">{n}</baseValue></equal></not>{_set("SCORE", "float", "0")}'
          "</responseIf></responseCondition>"]
    for k, r in enumerate(rules, 1):
        rp.append(f"<responseCondition><responseIf><not>{_holds(cid[r.first], cid[r.then], n)}</not>"
                  f'{_set("SCORE", "float", "0")}{_add_feedback(f"rule-{k}")}</responseIf></responseCondition>')
    for i in it.any_time():
        rp.append(_add_feedback(f"any-time-{cid[i]}"))
    rp += [_add_feedback(c) for c in cid]  # each step's own feedback
    modal = [f'<modalFeedback outcomeIdentifier="FEEDBACK" identifier="rule-{k}" showHide="show">'
             f"{escape(ordering.rule_text(it, r))}</modalFeedback>" for k, r in enumerate(rules, 1)]
    modal += [f'<modalFeedback outcomeIdentifier="FEEDBACK" identifier="any-time-{cid[i]}" showHide="show">'
              f"{escape(ordering.any_time_text(it, i))}</modalFeedback>" for i in it.any_time()]
    return (head + f'<responseDeclaration identifier="RESPONSE" cardinality="ordered" baseType="identifier">'
            f"<correctResponse>{correct}</correctResponse></responseDeclaration>\n"
            '<outcomeDeclaration identifier="SCORE" cardinality="single" baseType="float"/>\n'
            '<outcomeDeclaration identifier="FEEDBACK" cardinality="multiple" baseType="identifier"/>\n'
            f'<itemBody><orderInteraction responseIdentifier="RESPONSE" shuffle="true"><prompt>{t(it.prompt)}</prompt>'
            f"{body}</orderInteraction></itemBody>\n"
            f"<responseProcessing>{''.join(rp)}</responseProcessing>\n"
            + "".join(m + "\n" for m in modal)
            + "</assessmentItem>\n")


def item_xml(qid: str, it: ChoiceItem | OrderingItem) -> str:
    ident = ncname(f"{qid}-{it.id}")
    head = f'<?xml version="1.0" encoding="UTF-8"?>\n<assessmentItem {NS} identifier="{ident}" ' \
           f'title={quoteattr(" ".join(plain(it.prompt).split())[:80])} adaptive="false" timeDependent="false">\n'
    if not it.is_choice:
        return _ordering_xml(head, it)
    ch = it.choices()
    card = it.cardinality
    correct = "".join(f"<value>{c.key}</value>" for c in ch if c.correct)
    maxc = 1 if card == "single" else 0
    body = "".join(f'<simpleChoice identifier="{c.key}">{t(c.label)}'
                   f'<feedbackInline outcomeIdentifier="FEEDBACK" identifier="{c.key}" showHide="show">{t(c.feedback)}</feedbackInline>'
                   f"</simpleChoice>" for c in ch)
    return (head + f'<responseDeclaration identifier="RESPONSE" cardinality="{card}" baseType="identifier">'
            f"<correctResponse>{correct}</correctResponse></responseDeclaration>\n"
            '<outcomeDeclaration identifier="SCORE" cardinality="single" baseType="float"/>\n'
            '<outcomeDeclaration identifier="FEEDBACK" cardinality="multiple" baseType="identifier"/>\n'
            f'<itemBody><choiceInteraction responseIdentifier="RESPONSE" shuffle="false" maxChoices="{maxc}">'
            f'<prompt>{t(it.prompt)}</prompt>{body}</choiceInteraction></itemBody>\n'
            '<responseProcessing template="http://www.imsglobal.org/question/qti_v2p1/rptemplates/match_correct"/>\n'
            "</assessmentItem>\n")


def _item_file(q: Quiz, it) -> str:
    return f"items/{ncname(q.id + '-' + it.id)}.xml"


def test_xml(q: Quiz, help_text: str | None = None) -> str:
    """The test of one quiz. ``help_text``: the help contacts (``helpbox.help_contacts_text``), shown to
    the candidate as the section's rubric, the single place where they go."""
    q = as_model(q, "quiz")
    refs = "".join(f'<assessmentItemRef identifier="{ncname(q.id + "-" + it.id)}" href="{_item_file(q, it)}"/>'
                   for it in q.items)
    title = quoteattr(" ".join(plain(q.title).split()))
    rubric = f'<rubricBlock view="candidate"><p>{t(help_text)}</p></rubricBlock>' if help_text else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<assessmentTest {NS} identifier="{ncname(q.id)}" title={title}>'
            f'<testPart identifier="part1" navigationMode="nonlinear" submissionMode="individual">'
            f'<assessmentSection identifier="section1" title={title} visible="true">{rubric}{refs}'
            "</assessmentSection></testPart></assessmentTest>\n")


def manifest_xml(quizzes: list[Quiz]) -> str:
    quizzes = [as_model(q, "quiz") for q in quizzes]
    res = []
    for q in quizzes:
        qn = ncname(q.id)
        res.append(f'<resource identifier="test-{qn}" type="imsqti_test_xmlv2p1" href="{qn}-test.xml">'
                   f'<file href="{qn}-test.xml"/>'
                   + "".join(f'<dependency identifierref="item-{ncname(q.id + "-" + it.id)}"/>' for it in q.items)
                   + "</resource>")
        for it in q.items:
            h = _item_file(q, it)
            res.append(f'<resource identifier="item-{ncname(q.id + "-" + it.id)}" type="imsqti_item_xmlv2p1" '
                       f'href="{h}"><file href="{h}"/></resource>')
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" '
            f'identifier="spotthelure-{"-".join(ncname(q.id) for q in quizzes)}"><organizations/><resources>'
            + "".join(res) + "</resources></manifest>\n")


def quizzes_to_qti(quizzes: list[Quiz], names: list[str] | None = None, help_text: str | None = None) -> bytes:
    """The QTI package of ``quizzes`` (model objects, or the valid data of them; ``names``: their file
    paths, for messages)."""
    problems = []
    for k, q in enumerate(quizzes):
        try:
            refuse_control_characters(q, names[k] if names else f"quiz {ncname(q.get('id'))}")
        except ContentError as e:
            problems += e.problems
    if help_text and _NOT_XML.search(help_text):
        problems.append(Problem("local.yml", 1, "the help contacts hold a control character QTI cannot carry"))
    if problems:
        raise ContentError(problems)
    quizzes = [as_model(q, "quiz") for q in quizzes]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        def add(name, text):
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, text.encode("utf-8"))
        add("imsmanifest.xml", manifest_xml(quizzes))
        for q in quizzes:
            add(f"{ncname(q.id)}-test.xml", test_xml(q, help_text))
            for it in q.items:
                add(_item_file(q, it), item_xml(q.id, it))
    return buf.getvalue()
