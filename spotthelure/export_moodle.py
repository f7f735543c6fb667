"""Moodle XML export of a quiz bank (Moodle's own question format, read by Question bank → Import).

One category per quiz (``$course$/top/spotthelure/<quiz id>``), then one question per item:

- single, multiple and red-flag items: ``multichoice``, with each answer's feedback, the feedback for a
  right, a partly right and a wrong answer, and weights by the one scoring rule (:mod:`.scoring`: right
  answers share 100%, each wrong answer chosen takes away its share, never below 0);
- true/false items: ``truefalse``, with the feedback for "true" and for "false" as the item has them;
- ordering items whose rules allow exactly one order: Moodle's native ``ordering`` question (core since
  Moodle 4.4), graded all-or-nothing, which is then exactly the book's rule;
- ordering items whose rules allow several orders: Moodle's ordering question would mark right orders
  wrong (it knows one order only; "tell a trusted adult" is right at any point), so the item becomes
  what the GIFT export writes: one "which comes first" question per rule and one true/false question
  per step that is right at any point, each with its feedback.

Where each feedback text goes:

- a choice's feedback: its ``<answer><feedback>``; a true/false item's: the "true" and "false" answers';
- "Correct. Well done." / "Not quite yet…" (the book's verdicts): ``correctfeedback`` and
  ``incorrectfeedback`` (and ``partiallycorrectfeedback`` for a partly right multiple answer);
- an ordering step's own feedback: the question's ``generalfeedback`` ("step: feedback", one a line).
  Moodle's ordering question type reads ``<answer><feedback>`` on import but stores an empty text
  (``question/type/ordering/questiontype.php``, ``save_question_options``), so it would be lost there;
- an ordering rule's text ("A should come before B. Why"): ``incorrectfeedback`` of the native question;
  in a rule question, the wrong answer's feedback; a help-seeking step's "right at any point": its
  true/false question's feedback;
- the Get help contacts: the ``generalfeedback`` of every question, shown after each answer.

Text is plain: markdown marks dropped, then HTML-escaped inside one ``<p>``, so Moodle shows it as it
was written and never as markup. Deterministic: the same quizzes give the same bytes.
"""
from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

from . import ordering, scoring
from .export_qti import refuse_unwritable
from .i18n import _
from .model import ChoiceItem, OrderingItem, Quiz, as_model
from .text import plain


def name(s) -> str:
    """A question or category name: only letters, digits, hyphens, slashes and dots survive."""
    return re.sub(r"[^A-Za-z0-9./-]+", "-", str(s)).strip("-") or "x"


def para(*texts) -> str:
    """Plain text as Moodle HTML: each text escaped in its own paragraph (empty ones left out)."""
    out = []
    for t in texts:
        t = " ".join(plain(str(t)).split()) if t is not None else ""
        if t:
            out.append(f"<p>{html.escape(t, quote=False)}</p>")
    return "".join(out)


def _text(parent, tag: str, content: str, fmt: str | None = "html") -> ET.Element:
    el = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    ET.SubElement(el, "text").text = content
    return el


def _val(parent, tag: str, value) -> ET.Element:
    el = ET.SubElement(parent, tag)
    el.text = str(value)
    return el


def _head(root, qtype: str, qname: str, prompt: str, general: str) -> ET.Element:
    q = ET.SubElement(root, "question", {"type": qtype})
    n = ET.SubElement(q, "name")
    ET.SubElement(n, "text").text = qname
    _text(q, "questiontext", para(prompt))
    _text(q, "generalfeedback", general)
    _val(q, "defaultgrade", "1")
    _val(q, "penalty", "0")          # trying again costs nothing, as in the book's own quiz
    _val(q, "hidden", "0")
    _val(q, "idnumber", qname[:100])
    return q


def _verdicts(q, right: str = "", wrong: str = "", partly: bool = True) -> None:
    _text(q, "correctfeedback", para(_("Correct. Well done."), right))
    if partly:
        _text(q, "partiallycorrectfeedback", para(_("Not quite yet. Read the feedback, then try again."), wrong))
    _text(q, "incorrectfeedback", para(_("Not quite yet. Read the feedback, then try again."), wrong))


def _answer(q, fraction: str, text: str, feedback: str) -> None:
    a = ET.SubElement(q, "answer", {"fraction": fraction, "format": "html"})
    ET.SubElement(a, "text").text = para(text)
    _text(a, "feedback", para(feedback))


def _choice(root, qid: str, it: ChoiceItem, help_html: str) -> None:
    qname = name(f"{qid}/{it.id}")
    if it.type == "truefalse":
        q = _head(root, "truefalse", qname, it.prompt, help_html)
        # Moodle: the answer "true" with fraction 100 makes TRUE right; its feedback is shown to whoever
        # answers true (format.php import_truefalse), as the item's feedback_true is.
        for value, fb in (("true", it.feedback_true), ("false", it.feedback_false)):
            a = ET.SubElement(q, "answer", {"fraction": "100" if (value == "true") == (it.answer is True) else "0",
                                            "format": "moodle_auto_format"})
            ET.SubElement(a, "text").text = value
            _text(a, "feedback", para(fb))
        return
    q = _head(root, "multichoice", qname, it.prompt, help_html)
    single = it.cardinality == "single"
    _val(q, "single", "true" if single else "false")
    _val(q, "shuffleanswers", "false")
    _val(q, "answernumbering", "abc")
    _val(q, "showstandardinstruction", "1")
    _verdicts(q)
    if not single:
        ET.SubElement(q, "shownumcorrect")
    w = scoring.weights(it)
    for c in it.choices():
        _answer(q, scoring.percent(w[c.key]), c.label, c.feedback)


def _step_feedback(it: OrderingItem) -> list[str]:
    return [f"{ordering.step_label(s.text).rstrip('.')}: {plain(s.feedback)}" for s in it.steps]


def _ordering(root, qid: str, it: OrderingItem, help_text: str | None) -> None:
    steps = it.steps
    summary = ordering.summary_text(it)
    general = para(summary, *_step_feedback(it), *(help_text or "").splitlines())
    if len(it.valid_orders(limit=2)) == 1:
        # One right order: Moodle's ordering question, all-or-nothing, is exactly the book's rule.
        q = _head(root, "ordering", name(f"{qid}/{it.id}"), it.prompt, general)
        _val(q, "layouttype", "VERTICAL")
        _val(q, "selecttype", "ALL")
        _val(q, "selectcount", len(steps))
        _val(q, "gradingtype", "ALL_OR_NOTHING")
        _val(q, "showgrading", "SHOW")
        _val(q, "numberingstyle", "none")
        rules = [ordering.rule_text(it, r) for r in it.rules()]
        _verdicts(q, right=summary, wrong=" ".join(rules))
        _val(q, "shownumcorrect", "1")
        order = it.valid_orders(limit=1)[0]
        for k, i in enumerate(order, 1):
            a = ET.SubElement(q, "answer", {"fraction": str(k), "format": "html"})
            ET.SubElement(a, "text").text = para(steps[i].text)
        return
    # Several right orders: the questions the GIFT export writes, one per rule and per any-time step.
    for k, r in enumerate(it.rules(), 1):
        a, b = steps[r.first], steps[r.then]
        q = _head(root, "multichoice", name(f"{qid}/{it.id}/rule-{k}"),
                  f"{plain(it.prompt)} {_('Which of these two steps should come first?')}", general)
        _val(q, "single", "true")
        _val(q, "shuffleanswers", "true")
        _val(q, "answernumbering", "abc")
        _val(q, "showstandardinstruction", "0")
        _verdicts(q)
        _answer(q, "100", a.text, r.reason or _("{step} comes first.").format(step=plain(a.text)))
        _answer(q, "0", b.text, ordering.rule_text(it, r))
    for i in it.any_time():
        s = steps[i]
        why = f"{ordering.any_time_text(it, i)} {plain(s.feedback)}"
        q = _head(root, "truefalse", name(f"{qid}/{it.id}/any-time-{s.id}"),
                  f"{plain(it.prompt)} {_('Can this step come at any point, even first?')} {plain(s.text)}", general)
        for value, fraction in (("true", "100"), ("false", "0")):
            ans = ET.SubElement(q, "answer", {"fraction": fraction, "format": "moodle_auto_format"})
            ET.SubElement(ans, "text").text = value
            _text(ans, "feedback", para(why))


def quizzes_to_moodle(quizzes: list[Quiz], names: list[str] | None = None,
                      help_texts: list[str | None] | None = None) -> str:
    """The quizzes (model objects, or the valid data of them; ``names``: their file paths, for
    messages) as one Moodle XML file. ``help_texts``: each quiz's help contacts
    (``helpbox.help_contacts_text``), shown in every question's general feedback."""
    refuse_unwritable(quizzes, names, help_texts or (), name, "XML")
    root = ET.Element("quiz")
    for k, q in enumerate(quizzes):
        q = as_model(q, "quiz")
        help_text = (help_texts or [None] * len(quizzes))[k]
        root.append(ET.Comment(" " + " ".join(_("{title} ({id}, version {version}, {language}, ages {band})").format(
            title=plain(q.title), id=q.id, version=q.version, language=q.language, band=q.age_band).split())
            .replace("-", "\u2011") + " "))   # a comment may not hold "--": non-breaking hyphens instead
        cat = ET.SubElement(root, "question", {"type": "category"})
        _text(cat, "category", f"$course$/top/spotthelure/{name(q.id)}", fmt=None)
        _text(cat, "info", para(q.title, _("Spot the Lure, CC BY-SA 4.0")))
        _val(cat, "idnumber", f"spotthelure/{name(q.id)}")
        for it in q.items:
            if it.is_choice:
                _choice(root, q.id, it, para(*(help_text or "").splitlines()))
            else:
                _ordering(root, q.id, it, help_text)
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
