"""Moodle GIFT export of a quiz bank.

Text is made safe for GIFT and for Moodle's display of it: markdown marks dropped, HTML escaped (Moodle
shows GIFT text as HTML), every GIFT special character (``~ = # { } :`` and ``\\``) escaped, line
breaks kept inside the item, and an answer whose text opens with ``%`` gets an explicit weight first,
so Moodle can never read the text as a weight (``~%0%%100% ...`` stays a wrong answer).

A multiple-answer or red-flag item carries the weights of the one scoring rule (:mod:`.scoring`): right
answers share 100%, each wrong answer takes away its share (1/n for n up to 10, all in Moodle's list).

GIFT has no ordering question with rules (its matching type would demand one fixed order, marking
"tell a trusted adult" wrong in any other place). So an ordering item becomes one "which comes first"
question per ``before`` rule, and one true/false question per help-seeking step that says it is right at
any point. Together they ask what the item asks, and nothing it does not.
"""
from __future__ import annotations

import html
import re

from . import ordering, scoring
from .i18n import _
from .model import ChoiceItem, OrderingItem, Quiz, as_model
from .text import plain

def esc(s) -> str:
    """Text safe inside a GIFT question: HTML escaped, GIFT's special characters escaped, one line."""
    s = html.escape(plain(str(s)), quote=False)
    s = s.replace("\\", "\\\\")
    for ch in "~=#{}:":
        s = s.replace(ch, "\\" + ch)
    return s.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def comment(s) -> str:
    """Text for a ``//`` comment line: all whitespace (line breaks too) collapsed to single spaces."""
    return " ".join(plain(str(s)).split())


def name(s) -> str:
    """A question or category name: only letters, digits, hyphens, slashes and dots survive."""
    return re.sub(r"[^A-Za-z0-9./-]+", "-", str(s)).strip("-") or "x"


def _answer(right: bool, text: str, feedback: str, weight: str | None = None) -> str:
    """One answer line; an explicit weight when the text would otherwise open with '%'."""
    body = esc(text)
    if weight is not None:
        return f"~%{weight}%{body}#{esc(feedback)}"
    if body.lstrip().startswith("%"):
        return f"~%{'100' if right else '0'}%{body}#{esc(feedback)}"
    return f"{'=' if right else '~'}{body}#{esc(feedback)}"


def _ordering(qid: str, it: OrderingItem) -> str:
    steps = it.steps
    out = ["// " + " ".join(_("Ordering item {id}: {rules}").format(
               id=name(it.id), rules=comment(ordering.summary_text(it))).split()),
           "// " + comment(_("GIFT has no ordering with rules, so each rule is a 'which comes first' question."))]
    for k, r in enumerate(it.rules(), 1):
        a, b = steps[r.first], steps[r.then]
        right_fb = r.reason or _("{step} comes first.").format(step=plain(a.text))
        wrong_fb = ordering.rule_text(it, r)
        qname = name(f"{qid}/{it.id}/rule-{k}")
        out += [f"::{esc(qname)}::{esc(it.prompt)} "
                + esc(_("Which of these two steps should come first?")) + " {",
                _answer(True, a.text, right_fb),
                _answer(False, b.text, wrong_fb),
                "}", ""]
    for i in it.any_time():
        s = steps[i]
        why = f"{ordering.any_time_text(it, i)} {plain(s.feedback)}"
        qname = name(f"{qid}/{it.id}/any-time-{s.id}")
        out += [f"::{esc(qname)}::{esc(it.prompt)} "
                + esc(_("Can this step come at any point, even first?")) + f" {esc(s.text)} "
                f"{{TRUE#{esc(why)}#{esc(why)}}}", ""]
    return "\n".join(out).rstrip("\n")


def _item(qid: str, it: ChoiceItem | OrderingItem) -> str:
    if not it.is_choice:
        return _ordering(qid, it)
    head = f"::{esc(name(qid + '/' + it.id))}::{esc(it.prompt)} "
    if it.type == "truefalse":
        # {T#shown when wrong#shown when right}
        ans = it.answer is True
        wrong_fb = it.feedback_false if ans else it.feedback_true
        right_fb = it.feedback_true if ans else it.feedback_false
        return head + "{" + ("TRUE" if ans else "FALSE") + f"#{esc(wrong_fb)}#{esc(right_fb)}" + "}"
    choices = it.choices()
    if it.cardinality == "single":
        body = "\n".join(_answer(c.correct, c.label, c.feedback) for c in choices)
        return head + "{\n" + body + "\n}"
    # The one scoring rule (spotthelure.scoring): right answers share 100%, each wrong one takes its share.
    w = scoring.weights(it)
    lines = [_answer(c.correct, c.label, c.feedback, weight=scoring.percent(w[c.key])) for c in choices]
    return head + "{\n" + "\n".join(lines) + "\n}"


def quiz_to_gift(q: Quiz, help_text: str | None = None) -> str:
    """The quiz (a model object, or the valid data of one) as GIFT. ``help_text``: the help contacts
    (``helpbox.help_contacts_text``), written as one description question at the end, the single
    place where they go."""
    q = as_model(q, "quiz")
    out = ["// " + " ".join(_("{title} ({id}, version {version}, {language}, ages {band})").format(
               title=comment(q.title), id=comment(q.id), version=comment(q.version), language=comment(q.language),
               band=comment(q.age_band)).split()),   # one comment line, whatever a translation holds
           "// " + comment(_("Spot the Lure, CC BY-SA 4.0")), f"$CATEGORY: spotthelure/{name(q.id)}", ""]
    for it in q.items:
        out += [_item(q.id, it), ""]
    if help_text:
        out += [f"::{esc(name(q.id + '/get-help'))}::{esc(help_text)}", ""]
    return "\n".join(out)
