"""H5P export: a quiz as an H5P Question Set, a chat story as an H5P Branching Scenario (``.h5p``).

A ``.h5p`` file is a zip with ``h5p.json`` (title, language, main library, the libraries it needs with
their versions, licence) and ``content/content.json`` (the parameters, shaped by each library's
``semantics.json``). It holds no library code: an H5P site (Moodle, WordPress, Drupal, Lumi) has the
content types, or fetches them from the H5P hub, when the file is uploaded.

The shapes follow the ``semantics.json`` of these library versions (the versions ``h5p.json`` names):

- H5P.QuestionSet 1.21: ``introPage``, ``questions`` (a list of sub-contents), ``texts``, ``endGame``;
- H5P.MultiChoice 1.16: ``question``, ``answers`` (``text``, ``correct``, ``tipsAndFeedback``), ``behaviour``;
- H5P.TrueFalse 1.8: ``question``, ``correct`` ("true"/"false"), ``behaviour.feedbackOnCorrect/OnWrong``;
- H5P.BranchingScenario 1.10: ``branchingScenario`` with ``startScreen``, ``endScreens``, ``content``
  (each with ``type``, ``nextContentId``, ``feedback``), ``scoringOptionGroup``, ``behaviour``, ``l10n``;
- H5P.BranchingQuestion 1.0: ``branchingQuestion`` with ``question`` and ``alternatives``
  (``text``, ``nextContentId``, ``feedback``);
- H5P.AdvancedText 1.1: ``text``.

A group of one field is stored as that field alone (``overallFeedback`` is a list, not a group), as
H5P's own content validator reads it.

How the content maps:

- single and true/false items: one answer; multiple and red-flag items: any number of answers.
  H5P.MultiChoice's semantics give answers no weights, so the shares of :mod:`spotthelure.scoring`
  cannot be written; ``singlePoint`` makes such an item score 1 for exactly the right answers (the
  rule's full mark, when the book's quiz says "Correct") and 0 otherwise, one point an item. Each answer's feedback
  is its ``chosenFeedback``; a true/false item's two feedbacks are ``feedbackOnCorrect``/``OnWrong``;
  the Get help contacts are the end text (the overall feedback at every score) and, since Question
  Set 1.21's result screen shows no end text, on the quiz's first page too.
- Ordering items: H5P's Question Set offers no ordering type that scores by rules (Sort Paragraphs
  is not among its question types, and Drag Text would demand one fixed order, marking "tell a
  trusted adult" wrong in any other place). So, as in the GIFT export, each ``before`` rule becomes a
  "which comes first" question, and each step that no rule places (help-seeking steps among them) a
  true/false "can this step come at any point" question. Every step's own feedback goes with it.
- A chat story: each node is an Advanced Text (its messages) followed by a Branching Question (its
  prompt and choices; a choice's feedback is shown when it is picked). A node with one choice is the
  text alone, its button the choice. An ending's title and feedback, with the Get help contacts, are
  its end screen.

Author text is untrusted and H5P puts most fields into the page as HTML: every text is reduced to
plain words (:func:`spotthelure.text.plain`) and HTML-escaped here, so no author markup reaches the
player; what H5P's own validator does on upload (``htmlspecialchars`` without double encoding)
leaves these texts as they are. Deterministic: fixed sub-content ids (UUID 5 of the activity and item
ids), fixed zip order and times.
"""
from __future__ import annotations

import html
import json
import uuid

from . import ordering
from ._fs import deterministic_zip
from .i18n import _
from .model import ChoiceItem, OrderingItem, Quiz, Scenario, as_model
from .text import plain

# The library versions whose semantics.json the content follows (machine name: major, minor).
QUESTION_SET = ("H5P.QuestionSet", 1, 21)
MULTI_CHOICE = ("H5P.MultiChoice", 1, 16)
TRUE_FALSE = ("H5P.TrueFalse", 1, 8)
BRANCHING_SCENARIO = ("H5P.BranchingScenario", 1, 10)
BRANCHING_QUESTION = ("H5P.BranchingQuestion", 1, 0)
ADVANCED_TEXT = ("H5P.AdvancedText", 1, 1)

_NS = uuid.UUID("6f1c3c52-0d7e-5b7a-9a55-53706f744c75")   # this project's namespace for sub-content ids
_PROCEED_MAX = 50   # BranchingScenario: proceedButtonText maxLength


def lib(spec) -> str:
    """``"H5P.MultiChoice 1.16"``: how content names a library."""
    return f"{spec[0]} {spec[1]}.{spec[2]}"


def esc(s) -> str:
    """Author text for any H5P field: plain words on one line, HTML-escaped (quotes too)."""
    return html.escape(" ".join(plain(str(s or "")).split()), quote=True)


def para(*texts) -> str:
    """Paragraphs for an HTML field (one ``<p>`` per non-empty text)."""
    return "".join(f"<p>{esc(t)}</p>" for t in texts if t and str(t).strip())


def _help_groups(help_text: str | None) -> list[tuple[str, list[str]]]:
    """The Get help contacts (:func:`spotthelure.helpbox.help_contacts_text`: a heading line, then lines
    ending in ':' each followed by its '- ' entries) as (heading, entries) groups, the first the title."""
    groups: list[tuple[str, list[str]]] = []
    for line in str(help_text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("- ") and groups:
            groups[-1][1].append(line[2:])
        else:
            groups.append((line, []))
    return groups


def _help_html(help_text: str | None) -> str:
    """The Get help contacts for an HTML field: the title in bold, then one paragraph a group."""
    groups = _help_groups(help_text)
    if not groups:
        return ""
    out = [f"<p><strong>{esc(groups[0][0])}</strong></p>"]
    for head, rows in groups[1:]:
        out.append(f"<p><strong>{esc(head)}</strong> " + esc(_("; ").join(rows)) + "</p>" if rows else f"<p>{esc(head)}</p>")
    return "".join(out)


def _help_plain(help_text: str | None) -> str:
    """The Get help contacts for a plain-text field (no tags there): the groups on one line."""
    return esc(" · ".join(" ".join([head, _("; ").join(rows)]).strip() for head, rows in _help_groups(help_text)))


def _title(s, limit: int = 255) -> str:
    """A title (escaped, one line, at most ``limit`` characters, cut between words)."""
    text = " ".join(plain(str(s or "")).split())
    if len(esc(text)) <= limit:
        return esc(text)
    out = ""
    for w in text.split(" "):
        if len(esc(f"{out} {w}".strip() + "…")) > limit:
            break
        out = f"{out} {w}".strip()
    if not out:                                 # one word longer than the limit
        out = text
        while out and len(esc(out + "…")) > limit:
            out = out[:-1]
    return esc(out + "…")


def _sub(spec, params: dict, title: str, content_type: str, *key) -> dict:
    """A sub-content (a library inside a library): its library, parameters, fixed id and metadata."""
    return {"library": lib(spec), "params": params,
            "subContentId": str(uuid.uuid5(_NS, "/".join(str(k) for k in key))),
            "metadata": {"contentType": content_type, "license": "U", "title": _title(title)}}


# ---------------------------------------------------------------------------------- shared UI texts

def _confirm(header: str, body: str, confirm: str) -> dict:
    return {"header": esc(header), "body": esc(body), "cancelLabel": esc(_("Cancel")), "confirmLabel": esc(confirm)}


def _mc_ui() -> dict:
    return {"checkAnswerButton": esc(_("Check")), "submitAnswerButton": esc(_("Submit")),
            "showSolutionButton": esc(_("Show solution")), "tryAgainButton": esc(_("Try again")),
            "tipsLabel": esc(_("Show tip")), "scoreBarLabel": esc(_("You got :num out of :total points")),
            "tipAvailable": esc(_("Tip available")), "feedbackAvailable": esc(_("Feedback available")),
            "correctAnswer": esc(_("Correct answer")), "shouldCheck": esc(_("Should have been checked")),
            "shouldNotCheck": esc(_("Should not have been checked")),
            "noInput": esc(_("Please answer before viewing the solution")),
            "a11yCheck": esc(_("Check the answers. The responses will be marked as correct, incorrect, or unanswered.")),
            "a11yShowSolution": esc(_("Show the solution. The task will be marked with its correct solution.")),
            "a11yRetry": esc(_("Retry the task. Reset all responses and start the task over again."))}


def _mc_behaviour(kind: str) -> dict:
    return {"enableRetry": True, "enableSolutionsButton": True, "enableCheckButton": True, "type": kind,
            "singlePoint": True, "randomAnswers": False, "showSolutionsRequiresInput": True,
            "confirmCheckDialog": False, "confirmRetryDialog": False, "autoCheck": False,
            "passPercentage": 100, "showScorePoints": True}


def _multi_choice(question_html: str, answers: list[tuple[str, bool, str]], kind: str) -> dict:
    """H5P.MultiChoice parameters; ``answers``: (text, correct, feedback shown when it is chosen)."""
    return {"media": {"disableImageZooming": False},
            "question": question_html,
            "answers": [{"text": f"<div>{esc(t)}</div>", "correct": bool(ok),
                         "tipsAndFeedback": {"tip": "", "chosenFeedback": f"<div>{esc(fb)}</div>" if fb else "",
                                             "notChosenFeedback": ""}}
                        for t, ok, fb in answers],
            "overallFeedback": [{"from": 0, "to": 100}],
            "behaviour": _mc_behaviour(kind),
            "UI": _mc_ui(),
            "confirmCheck": _confirm(_("Finish?"), _("Are you sure you want to finish?"), _("Finish")),
            "confirmRetry": _confirm(_("Try again?"), _("Are you sure you want to try again?"), _("Confirm"))}


def _true_false(question_html: str, answer: bool, on_correct: str, on_wrong: str) -> dict:
    """H5P.TrueFalse parameters (the two feedbacks are plain-text fields of at most 2048 characters)."""
    return {"media": {"disableImageZooming": False},
            "question": question_html,
            "correct": "true" if answer else "false",
            "l10n": {"trueText": esc(_("True")), "falseText": esc(_("False")),
                     "score": esc(_("You got @score of @total points")), "checkAnswer": esc(_("Check")),
                     "submitAnswer": esc(_("Submit")), "showSolutionButton": esc(_("Show solution")),
                     "tryAgain": esc(_("Try again")), "wrongAnswerMessage": esc(_("Wrong answer")),
                     "correctAnswerMessage": esc(_("Correct answer")),
                     "scoreBarLabel": esc(_("You got :num out of :total points")),
                     "a11yCheck": esc(_("Check the answers. The responses will be marked as correct, incorrect, or unanswered.")),
                     "a11yShowSolution": esc(_("Show the solution. The task will be marked with its correct solution.")),
                     "a11yRetry": esc(_("Retry the task. Reset all responses and start the task over again."))},
            "behaviour": {"enableRetry": True, "enableSolutionsButton": True, "enableCheckButton": True,
                          "confirmCheckDialog": False, "confirmRetryDialog": False, "autoCheck": False,
                          "feedbackOnCorrect": esc(on_correct)[:2048], "feedbackOnWrong": esc(on_wrong)[:2048]},
            "confirmCheck": _confirm(_("Finish?"), _("Are you sure you want to finish?"), _("Finish")),
            "confirmRetry": _confirm(_("Try again?"), _("Are you sure you want to try again?"), _("Confirm"))}


# ---------------------------------------------------------------------------------- quiz

def _ordering_questions(qid: str, it: OrderingItem) -> list[dict]:
    """An ordering item as questions H5P's Question Set can score: one "which comes first" question
    per rule, one true/false question per step that no rule places."""
    steps = it.steps
    out = []
    for k, r in enumerate(it.rules(), 1):
        a, b = steps[r.first], steps[r.then]
        right_fb = " ".join(x for x in (r.reason or _("{step} comes first.").format(step=plain(a.text)),
                                        plain(a.feedback)) if x)
        wrong_fb = " ".join(x for x in (ordering.rule_text(it, r), plain(b.feedback)) if x)
        q = para(it.prompt, _("Which of these two steps should come first?"))
        out.append(_sub(MULTI_CHOICE, _multi_choice(q, [(a.text, True, right_fb), (b.text, False, wrong_fb)], "single"),
                        f"{plain(it.prompt)} ({k})", "Multiple Choice", qid, it.id, "rule", k))
    placed = {i for r in it.rules() for i in (r.first, r.then)}
    for i, s in enumerate(steps):
        if i in placed and not s.any_time:
            continue
        why = f"{ordering.any_time_text(it, i)} {plain(s.feedback)}"
        q = para(it.prompt, _("Can this step come at any point, even first?"), s.text)
        out.append(_sub(TRUE_FALSE, _true_false(q, True, why, why), f"{plain(it.prompt)} ({plain(s.text)})",
                        "True/False Question", qid, it.id, "any-time", s.id))
    return out


def _questions(qid: str, it: ChoiceItem | OrderingItem) -> list[dict]:
    if not it.is_choice:
        return _ordering_questions(qid, it)
    if it.type == "truefalse":
        right = it.feedback_true if it.answer is True else it.feedback_false
        wrong = it.feedback_false if it.answer is True else it.feedback_true
        return [_sub(TRUE_FALSE, _true_false(para(it.prompt), it.answer is True, right, wrong), plain(it.prompt),
                     "True/False Question", qid, it.id)]
    kind = "single" if it.cardinality == "single" else "multi"
    answers = [(c.label, c.correct, c.feedback) for c in it.choices()]
    return [_sub(MULTI_CHOICE, _multi_choice(para(it.prompt), answers, kind), plain(it.prompt),
                 "Multiple Choice", qid, it.id)]


def quiz_params(q: Quiz, help_text: str | None = None) -> dict:
    """The content.json of a quiz as an H5P.QuestionSet."""
    q = as_model(q, "quiz")
    questions = [sub for it in q.items for sub in _questions(q.id, it)]
    help_html = _help_html(help_text)
    return {
        # The Get help contacts open the quiz too: Question Set 1.21's result screen shows no end text.
        "introPage": {"showIntroPage": True, "title": _title(q.title),
                      "introduction": para(q.get("description"), q.get("content_note")) + help_html,
                      "startButtonText": esc(_("Start the quiz"))},
        "progressType": "dots",
        "passPercentage": 50,
        "questions": questions,
        "texts": {"prevButton": esc(_("Previous question")), "previous": esc(_("Previous")),
                  "nextButton": esc(_("Next question")), "next": esc(_("Next")),
                  "finishButton": esc(_("Finish")), "submitButton": esc(_("Submit")),
                  "textualProgress": esc(_("Question: @current of @total questions")),
                  "jumpToQuestion": esc(_("Question %d of %total")), "questionLabel": esc(_("Question")),
                  "readSpeakerProgress": esc(_("Question @current of @total")),
                  "unansweredText": esc(_("Unanswered")), "answeredText": esc(_("Answered")),
                  "currentQuestionText": esc(_("Current question")), "navigationLabel": esc(_("Questions")),
                  "questionSetInstruction": esc(_("Choose question to display"))},
        "disableBackwardsNavigation": False,
        "randomQuestions": False,
        "endGame": {"showResultPage": True, "showSolutionButton": True, "showRetryButton": True,
                    "noResultMessage": esc(_("Finished")), "message": esc(_("Your result")),
                    "amountCorrect": esc(_("@finals of @totals correct")),
                    "scoreBarLabel": esc(_("You got @finals out of @totals points")),
                    "scoreHeader": esc(_("Score")),
                    # The Get help contacts at every score: the end text of the quiz.
                    "overallFeedback": [{"from": 0, "to": 100, "feedback": _help_plain(help_text)}],
                    "oldFeedback": {"successComment": help_html, "failComment": help_html},
                    "solutionButtonText": esc(_("Show solution")), "retryButtonText": esc(_("Try again")),
                    "finishButtonText": esc(_("Finish")), "submitButtonText": esc(_("Submit")),
                    "showAnimations": False, "skippable": False, "skipButtonText": esc(_("Skip video"))},
        "override": {"checkButton": True},
    }


# ---------------------------------------------------------------------------------- chat story

def _messages_html(s: Scenario, node) -> str:
    names = s.names()
    return "".join(f"<p><strong>{esc(names.get(m.from_, m.from_))}:</strong> {esc(m.text)}</p>"
                   for m in node.messages or ())


def _content(item: dict, next_id: int | None, feedback: dict | None = None, proceed: str | None = None) -> dict:
    c = {"type": item, "showContentTitle": False, "proceedButtonText": proceed or esc(_("Go on")),
         "forceContentFinished": "useBehavioural", "contentBehaviour": "useBehavioural",
         "feedback": feedback or {}}
    if next_id is not None:
        c["nextContentId"] = next_id
    return c


def scenario_params(s: Scenario, help_text: str | None = None) -> dict:
    """The content.json of a chat story as an H5P.BranchingScenario."""
    s = as_model(s, "scenario")
    nodes = s.nodes_by_id()
    order = [s.start] + [n.id for n in s.nodes if n.id != s.start]
    help_html = _help_html(help_text)
    # First pass: the content indexes of each node (its text, then its question when it has two or
    # more choices); a node is entered at its first content.
    entry: dict[str, int] = {}
    n_contents = 0
    for nid in order:
        entry[nid] = n_contents
        n_contents += 2 if len(nodes[nid].choices or ()) >= 2 else 1
    content = []
    for nid in order:
        n = nodes[nid]
        choices = list(n.choices or ())
        text = _messages_html(s, n)
        if n.ending:
            ending = para(n.get("title")) if choices or not text else ""
            text += ending
        title = plain(n.get("title") or n.get("prompt") or s.title)
        key = (s.id, n.id)
        if not choices:                     # an ending: its text, then its end screen
            end = {"title": f"<p>{esc(n.get('title') or s.title)}</p>",
                   "subtitle": para(n.get("feedback")) + help_html}
            content.append(_content(_sub(ADVANCED_TEXT, {"text": text}, title, "Text", *key), -1, end))
        elif len(choices) == 1:             # one way on: the text, its button the choice
            c = choices[0]
            if n.ending:
                text += para(n.get("feedback"))
            label = esc(c.text)
            fits = len(label) <= _PROCEED_MAX
            text += para(n.get("prompt")) + ("" if fits else para(c.text))
            fb = {"title": f"<p>{label}</p>", "subtitle": para(c.feedback)}
            content.append(_content(_sub(ADVANCED_TEXT, {"text": text}, title, "Text", *key), entry[c.next], fb,
                                    proceed=label if fits else None))
        else:                               # the messages, then the question
            content.append(_content(_sub(ADVANCED_TEXT, {"text": text or para(n.get("prompt"))}, title, "Text", *key),
                                    entry[nid] + 1))
            alts = [{"text": esc(c.text), "nextContentId": entry[c.next],
                     "feedback": {"title": f"<p>{esc(c.text)}</p>", "subtitle": para(c.feedback)}}
                    for c in choices]
            bq = {"branchingQuestion": {"question": para(n.get("prompt")), "alternatives": alts}}
            content.append(_content(_sub(BRANCHING_QUESTION, bq, plain(n.get("prompt") or title), "Branching Question",
                                         *key, "question"), None))
    return {"branchingScenario": {
        "title": _title(s.title),
        "startScreen": {"startScreenTitle": f"<p>{_title(s.title)}</p>",
                        "startScreenSubtitle": para(s.summary, s.get("content_note"))},
        "endScreens": [{"endScreenTitle": f"<p>{_title(s.title)}</p>", "endScreenSubtitle": help_html, "contentId": -1}],
        "content": content,
        "scoringOptionGroup": {"scoringOption": "no-score", "includeInteractionsScores": False},
        "behaviour": {"enableBackwardsNavigation": True, "forceContentFinished": False,
                      "randomizeBranchingQuestions": False},
        "l10n": {"startScreenButtonText": esc(_("Start the story")), "endScreenButtonText": esc(_("Start again")),
                 "backButtonText": esc(_("Back")), "disableProceedButtonText": esc(_("Finish this part first")),
                 "replayButtonText": esc(_("Replay the video")), "scoreText": esc(_("Your score:")),
                 "fullscreenAria": esc(_("Full screen"))},
    }}


# ---------------------------------------------------------------------------------- the package

def _dep(spec) -> dict:
    return {"machineName": spec[0], "majorVersion": spec[1], "minorVersion": spec[2]}


def h5p_json(title: str, language: str, main, used) -> dict:
    """The package's h5p.json: the main library first, then every library the content names."""
    return {"title": _title(title), "language": str(language), "mainLibrary": main[0],
            "embedTypes": ["iframe"], "license": "CC BY-SA", "licenseVersion": "4.0",
            "preloadedDependencies": [_dep(x) for x in (main, *used)]}


def _zip(meta: dict, params: dict) -> bytes:
    return deterministic_zip((name, json.dumps(obj, ensure_ascii=False, indent=1))
                             for name, obj in (("h5p.json", meta), ("content/content.json", params)))


def quiz_to_h5p(q: Quiz, help_text: str | None = None) -> bytes:
    """A quiz (a model object, or the valid data of one) as an ``.h5p`` Question Set."""
    q = as_model(q, "quiz")
    params = quiz_params(q, help_text)
    names = {x["library"] for x in params["questions"]}
    libs = [spec for spec in (MULTI_CHOICE, TRUE_FALSE) if lib(spec) in names]
    return _zip(h5p_json(q.title, q.language, QUESTION_SET, libs), params)


def scenario_to_h5p(s: Scenario, help_text: str | None = None) -> bytes:
    """A chat story (a model object, or the valid data of one) as an ``.h5p`` Branching Scenario."""
    s = as_model(s, "scenario")
    params = scenario_params(s, help_text)
    names = {c["type"]["library"] for c in params["branchingScenario"]["content"]}
    libs = [spec for spec in (BRANCHING_QUESTION, ADVANCED_TEXT) if lib(spec) in names]
    return _zip(h5p_json(s.title, s.language, BRANCHING_SCENARIO, libs), params)


def to_h5p(kind: str, data, help_text: str | None = None) -> bytes:
    """The ``.h5p`` of a quiz or a chat story."""
    return quiz_to_h5p(data, help_text) if kind == "quiz" else scenario_to_h5p(data, help_text)
