"""IMS QTI 2.1 export: a content package (zip) with one assessmentItem per quiz item and a test.

Deterministic: fixed file order and timestamps, so identical input gives identical bytes. Text that
XML 1.0 cannot hold (control characters, U+FFFE, U+FFFF) is refused with ``path:line``, identifiers are
valid NCNames and zip member names hold only safe characters, whatever the content says.

An ordering item is an ``orderInteraction`` whose response processing checks each ``before`` rule
(step A is at some place i and step B at a later place j), so every order that keeps the rules scores
1, help-seeking steps fit anywhere, and each broken rule shows its own modal feedback.

Feedback a player shows: every ``feedbackInline`` and ``modalFeedback`` is bound to an outcome that
the item's own response processing sets: ``FEEDBACK`` (the chosen answers or placed steps, each showing
its own feedback), ``VERDICT`` (``correct`` or ``incorrect``, for the answer as a whole) and, in an
ordering item, ``RULE-k`` (rule k broken) and ``ANYTIME`` (the steps that are right at any point). The test lets a candidate see that feedback and try
again (``itemSessionControl``: ``showFeedback``, ``maxAttempts="0"``) and sums the items' ``SCORE``.

Scoring (the one rule of :mod:`spotthelure.scoring`, the same in GIFT and Moodle XML): a single or
true/false item scores 1 or 0; a multiple-answer or red-flag item gives each right answer chosen an equal
share of 1 and takes an equal share of 1 for each wrong answer chosen, never below 0; only exactly the
right answers score 1. An ordering item scores 1 when every rule holds.
"""
from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

from . import ordering, scoring
from ._fs import deterministic_zip
from .i18n import _
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


def _set_id(ident: str, value: str) -> str:
    return _set(ident, "identifier", value)


# Every feedback's outcome is set once, never from itself: FEEDBACK = RESPONSE (the chosen answers or
# the placed steps, each with its feedbackInline), VERDICT = correct | incorrect (a modalFeedback each),
# and for an ordering item RULE-k = rule-k when rule k is broken and ANYTIME = the help-seeking steps.
# (A player that reads <multiple> with a container inside as one value, as @citolab/qti-components
# does, still shows every text.)
_VERDICT = ('<responseCondition><responseIf><equal toleranceMode="exact"><variable identifier="SCORE"/>'
            '<baseValue baseType="float">1</baseValue></equal>' + _set("VERDICT", "identifier", "correct")
            + "</responseIf><responseElse>" + _set("VERDICT", "identifier", "incorrect")
            + "</responseElse></responseCondition>")
_FEEDBACK = '<setOutcomeValue identifier="FEEDBACK"><variable identifier="RESPONSE"/></setOutcomeValue>'


def _outcomes(feedback_cardinality: str, extra: str = "") -> str:
    return ('<outcomeDeclaration identifier="SCORE" cardinality="single" baseType="float">'
            "<defaultValue><value>0</value></defaultValue></outcomeDeclaration>\n"
            '<outcomeDeclaration identifier="MAXSCORE" cardinality="single" baseType="float">'
            "<defaultValue><value>1</value></defaultValue></outcomeDeclaration>\n"
            f'<outcomeDeclaration identifier="FEEDBACK" cardinality="{feedback_cardinality}" baseType="identifier"/>\n'
            '<outcomeDeclaration identifier="VERDICT" cardinality="single" baseType="identifier"/>\n' + extra)


def _ordering_xml(head: str, it: OrderingItem) -> str:
    steps = it.steps
    n = len(steps)
    cid = [f"s{j + 1}" for j in range(n)]
    correct = "".join(f"<value>{c}</value>" for c in cid)  # one good order: the written one
    body = "".join(f'<simpleChoice identifier="{cid[j]}">{t(s.text)}'
                   f'<feedbackInline outcomeIdentifier="FEEDBACK" identifier="{cid[j]}" showHide="show">{t(s.feedback)}</feedbackInline>'
                   f"</simpleChoice>" for j, s in enumerate(steps))
    rules = it.rules()
    anytime = it.any_time()
    rp = [_FEEDBACK, _set("SCORE", "float", "1"),
          '<responseCondition><responseIf><not><equal toleranceMode="exact"><containerSize>'
          '<variable identifier="RESPONSE"/></containerSize>'
          f'<baseValue baseType="integer">{n}</baseValue></equal></not>{_set("SCORE", "float", "0")}'
          "</responseIf></responseCondition>"]
    for k, r in enumerate(rules, 1):
        rp.append(f"<responseCondition><responseIf><not>{_holds(cid[r.first], cid[r.then], n)}</not>"
                  f'{_set("SCORE", "float", "0")}{_set_id(f"RULE-{k}", f"rule-{k}")}</responseIf></responseCondition>')
    if anytime:
        rp.append('<setOutcomeValue identifier="ANYTIME"><multiple>'
                  + "".join(f'<baseValue baseType="identifier">any-time-{cid[i]}</baseValue>' for i in anytime)
                  + "</multiple></setOutcomeValue>")
    rp.append(_VERDICT)
    extra = "".join(f'<outcomeDeclaration identifier="RULE-{k}" cardinality="single" baseType="identifier"/>\n'
                    for k in range(1, len(rules) + 1))
    if anytime:
        extra += '<outcomeDeclaration identifier="ANYTIME" cardinality="multiple" baseType="identifier"/>\n'
    modal = [f'<modalFeedback outcomeIdentifier="RULE-{k}" identifier="rule-{k}" showHide="show">'
             f"{escape(ordering.rule_text(it, r))}</modalFeedback>" for k, r in enumerate(rules, 1)]
    modal += [f'<modalFeedback outcomeIdentifier="ANYTIME" identifier="any-time-{cid[i]}" showHide="show">'
              f"{escape(ordering.any_time_text(it, i))}</modalFeedback>" for i in anytime]
    return (head + f'<responseDeclaration identifier="RESPONSE" cardinality="ordered" baseType="identifier">'
            f"<correctResponse>{correct}</correctResponse></responseDeclaration>\n"
            + _outcomes("ordered", extra)
            + f'<itemBody><orderInteraction responseIdentifier="RESPONSE" shuffle="true"><prompt>{t(it.prompt)}</prompt>'
            f"{body}</orderInteraction></itemBody>\n"
            f"<responseProcessing>{''.join(rp)}</responseProcessing>\n"
            + "".join(m + "\n" for m in modal) + _verdicts()
            + "</assessmentItem>\n")


def title_of(text, limit: int = 80) -> str:
    """A title of at most ``limit`` characters, cut between words (with "…"), never inside one."""
    words = " ".join(plain(str(text)).split())
    if len(words) <= limit:
        return words
    cut = words[:limit - 1]
    if " " in cut and words[limit - 1] != " ":
        cut = cut[:cut.rindex(" ")]
    return cut.rstrip(" ,;:") + "…"


def _verdicts() -> str:
    """The item's modal feedback for the answer as a whole (the same words the book's quiz shows)."""
    return ('<modalFeedback outcomeIdentifier="VERDICT" identifier="correct" showHide="show">'
            f'{escape(_("Correct. Well done."))}</modalFeedback>\n'
            '<modalFeedback outcomeIdentifier="VERDICT" identifier="incorrect" showHide="show">'
            f'{escape(_("Not quite yet. Read the feedback, then try again."))}</modalFeedback>\n')


def item_xml(qid: str, it: ChoiceItem | OrderingItem) -> str:
    ident = ncname(f"{qid}-{it.id}")
    head = f'<?xml version="1.0" encoding="UTF-8"?>\n<assessmentItem {NS} identifier="{ident}" ' \
           f'title={quoteattr(title_of(it.prompt))} adaptive="false" timeDependent="false">\n'
    if not it.is_choice:
        return _ordering_xml(head, it)
    ch = it.choices()
    card = it.cardinality
    correct = "".join(f"<value>{c.key}</value>" for c in ch if c.correct)
    maxc = 1 if card == "single" else 0
    body = "".join(f'<simpleChoice identifier="{c.key}">{t(c.label)}'
                   f'<feedbackInline outcomeIdentifier="FEEDBACK" identifier="{c.key}" showHide="show">{t(c.feedback)}</feedbackInline>'
                   f"</simpleChoice>" for c in ch)
    mapping = ""
    if card == "multiple":
        # The one scoring rule (spotthelure.scoring): right answers share 1, wrong ones take a share away.
        w = scoring.weights(it)
        mapping = ('<mapping lowerBound="0" upperBound="1" defaultValue="0">'
                   + "".join(f'<mapEntry mapKey="{c.key}" mappedValue="{scoring.decimal(w[c.key])}" caseSensitive="true"/>'
                           for c in ch)
                   + "</mapping>")
        partial = '<setOutcomeValue identifier="SCORE"><mapResponse identifier="RESPONSE"/></setOutcomeValue>'
    else:
        partial = _set("SCORE", "float", "0")
    rp = ("<responseProcessing>"
          '<responseCondition><responseIf><isNull><variable identifier="RESPONSE"/></isNull>'
          f'{_set("SCORE", "float", "0")}</responseIf>'
          f"<responseElse>{_FEEDBACK}"
          '<responseCondition><responseIf><match><variable identifier="RESPONSE"/>'
          '<correct identifier="RESPONSE"/></match>'
          f'{_set("SCORE", "float", "1")}</responseIf>'
          f"<responseElse>{partial}</responseElse></responseCondition>{_VERDICT}"
          "</responseElse></responseCondition></responseProcessing>\n")
    return (head + f'<responseDeclaration identifier="RESPONSE" cardinality="{card}" baseType="identifier">'
            f"<correctResponse>{correct}</correctResponse>{mapping}</responseDeclaration>\n"
            + _outcomes(card)
            + f'<itemBody><choiceInteraction responseIdentifier="RESPONSE" shuffle="false" maxChoices="{maxc}">'
            f'<prompt>{t(it.prompt)}</prompt>{body}</choiceInteraction></itemBody>\n'
            + rp + _verdicts()
            + "</assessmentItem>\n")


def _item_file(q: Quiz, it) -> str:
    return f"items/{ncname(q.id + '-' + it.id)}.xml"


def test_xml(q: Quiz, help_text: str | None = None) -> str:
    """The test of one quiz. ``help_text``: the help contacts (``helpbox.help_contacts_text``), shown to
    the candidate as the section's rubric, the single place where they go.

    Its ``itemSessionControl`` lets a player show each item's feedback and allows any number of tries
    (QTI's defaults are one try and no feedback); its outcome ``SCORE`` is the sum of the items' scores."""
    q = as_model(q, "quiz")
    refs = "".join(f'<assessmentItemRef identifier="{ncname(q.id + "-" + it.id)}" href="{_item_file(q, it)}"/>'
                   for it in q.items)
    title = quoteattr(title_of(q.title, 200))
    rubric = f'<rubricBlock view="candidate"><p>{t(help_text)}</p></rubricBlock>' if help_text else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<assessmentTest {NS} identifier="{ncname(q.id)}" title={title}>'
            '<outcomeDeclaration identifier="SCORE" cardinality="single" baseType="float">'
            "<defaultValue><value>0</value></defaultValue></outcomeDeclaration>"
            '<outcomeDeclaration identifier="MAXSCORE" cardinality="single" baseType="float">'
            f"<defaultValue><value>{len(q.items)}</value></defaultValue></outcomeDeclaration>"
            f'<testPart identifier="part1" navigationMode="nonlinear" submissionMode="individual">'
            '<itemSessionControl maxAttempts="0" showFeedback="true" allowReview="true" showSolution="false" '
            'allowComment="false" allowSkipping="true" validateResponses="false"/>'
            f'<assessmentSection identifier="section1" title={title} visible="true">{rubric}{refs}'
            "</assessmentSection></testPart>"
            '<outcomeProcessing><setOutcomeValue identifier="SCORE"><sum>'
            '<testVariables variableIdentifier="SCORE"/></sum></setOutcomeValue></outcomeProcessing>'
            "</assessmentTest>\n")


MD = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"   # IMS Meta-data 1.2.1 (the LOM binding of SCORM 1.2)


def _langstring(text: str, lang: str) -> str:
    return f"<imsmd:langstring xml:lang={quoteattr(lang)}>{escape(text)}</imsmd:langstring>"


def metadata_xml(quizzes: list[Quiz]) -> str:
    """The package's metadata: that it is a QTI 2.1 package, and its LOM record (title, languages,
    description, rights: CC BY-SA)."""
    langs = list(dict.fromkeys(str(q.language) for q in quizzes))
    title = "; ".join(title_of(q.title, 200) for q in quizzes)
    desc = " ".join(" ".join(plain(str(q.get("description") or "")).split()) for q in quizzes).strip()
    rights = " ".join(_("Spot the Lure, CC BY-SA 4.0").split())
    return ("<metadata><schema>QTIv2.1 Package</schema><schemaversion>1.0.0</schemaversion>"
            "<imsmd:lom><imsmd:general>"
            f"<imsmd:title>{_langstring(title, langs[0])}</imsmd:title>"
            + "".join(f"<imsmd:language>{escape(lang)}</imsmd:language>" for lang in langs)
            + (f"<imsmd:description>{_langstring(desc, langs[0])}</imsmd:description>" if desc else "")
            + "</imsmd:general><imsmd:rights>"
            "<imsmd:copyrightandotherrestrictions>"
            f"<imsmd:source>{_langstring('LOMv1.0', 'x-none')}</imsmd:source>"
            f"<imsmd:value>{_langstring('yes', 'x-none')}</imsmd:value>"
            "</imsmd:copyrightandotherrestrictions>"
            f"<imsmd:description>{_langstring(rights, langs[0])}</imsmd:description>"
            "</imsmd:rights></imsmd:lom></metadata>")


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
            f'xmlns:imsmd="{MD}" '
            f'identifier="spotthelure-{"-".join(ncname(q.id) for q in quizzes)}">'
            + metadata_xml(quizzes) + "<organizations/><resources>"
            + "".join(res) + "</resources></manifest>\n")


def refuse_unwritable(quizzes, names, help_texts, label, carrier: str) -> None:
    """Raise ContentError with every text of ``quizzes`` (named by ``names``, else ``label(id)``)
    and of ``help_texts`` that an XML export (``carrier``: "QTI", "XML") cannot hold."""
    problems = []
    for k, q in enumerate(quizzes):
        try:
            refuse_control_characters(q, names[k] if names else f"quiz {label(q.get('id'))}")
        except ContentError as e:
            problems += e.problems
    for h in help_texts:
        if h and _NOT_XML.search(h):
            problems.append(Problem("local.yml", 1, f"the help contacts hold a control character {carrier} cannot carry"))
    if problems:
        raise ContentError(problems)


def quizzes_to_qti(quizzes: list[Quiz], names: list[str] | None = None, help_text: str | None = None) -> bytes:
    """The QTI package of ``quizzes`` (model objects, or the valid data of them; ``names``: their file
    paths, for messages)."""
    refuse_unwritable(quizzes, names, [help_text], ncname, "QTI")
    quizzes = [as_model(q, "quiz") for q in quizzes]
    files = [("imsmanifest.xml", manifest_xml(quizzes))]
    for q in quizzes:
        files.append((f"{ncname(q.id)}-test.xml", test_xml(q, help_text)))
        files += [(_item_file(q, it), item_xml(q.id, it)) for it in q.items]
    return deterministic_zip(files)
