"""Live ipywidgets views of quizzes and chat stories, for Jupyter and Voilà.

Callbacks write to widgets directly (``HTML.value``), which works in a browser, under Voilà and in
headless tests. Text is escaped through :mod:`spotthelure.text` exactly as in the static HTML.
"""
from __future__ import annotations

import ipywidgets as W

from html import escape

from . import ordering
from .i18n import _, label
from .model import ChoiceItem, OrderingItem, Quiz, Scenario, as_model
from .render_html import display_order
from .text import inline


def _fb(mark: str, text: str) -> str:
    """The verdict on a line of its own, then the feedback."""
    return f"<div class='stl-wfb'><p><strong>{escape(mark)}</strong></p><p>{inline(text)}</p></div>"


def _verdict(item: ChoiceItem, correct: bool, ticked: bool) -> str:
    """The verdict on one ticked or missed answer of a multiple-select or red-flags item."""
    flags = item.type == "redflags"
    if correct and ticked:
        return _("✓ Right: a warning sign") if flags else _("✓ Right")
    if correct:
        return _("! Missed: this is a warning sign") if flags else _("! Missed: this one fits too")
    return _("✗ Not quite: not a warning sign") if flags else _("✗ Not quite: not this one")


class ItemWidget:
    """One quiz item: the inputs, a Check and a Try-again button, and feedback."""

    def __init__(self, quiz_id: str, item: ChoiceItem | OrderingItem, number: int, on_change):
        self.item = item
        self.on_change = on_change
        self.correct: bool | None = None
        self.tries = 0
        prompt = W.HTML(f"<strong>{number}. {inline(item.prompt)}</strong>")
        if item.is_choice and item.cardinality == "single":
            labels = [c.label for c in item.choices()]
            self.inputs = [W.RadioButtons(options=[(lab, i) for i, lab in enumerate(labels)], value=None,
                                          layout=W.Layout(width="auto"))]
        elif item.is_choice:
            self.inputs = [W.Checkbox(value=False, description=c.label, indent=False, layout=W.Layout(width="auto"))
                           for c in item.choices()]
        else:  # ordering
            self.order = display_order(quiz_id, item.id, len(item.steps))
            opts = [("–", 0)] + [(str(k), k) for k in range(1, len(item.steps) + 1)]
            self.inputs = [W.Dropdown(options=opts, value=0, description=item.steps[j].text,
                                      style={"description_width": "initial"}, layout=W.Layout(width="auto"))
                           for j in self.order]
        self.check = W.Button(description=_("Check answer"), button_style="primary")
        self.retry = W.Button(description=_("Try again"), layout=W.Layout(display="none"))
        self.feedback = W.HTML("")
        self.check.on_click(lambda _b: self.grade())
        self.retry.on_click(lambda _b: self.reset())
        self.box = W.VBox([prompt, *self.inputs, W.HBox([self.check, self.retry]), self.feedback])

    def grade(self) -> bool | None:
        it = self.item
        parts: list[str] = []
        if it.is_choice and it.cardinality == "single":
            v = self.inputs[0].value
            if v is None:
                self.feedback.value = escape(_("Choose an answer first."))
                return None
            c = it.choices()[v]
            ok = c.correct
            parts.append(_fb(_("✓ Right") if ok else _("✗ Not quite"), c.feedback))
        elif it.is_choice:
            choices = it.choices()
            ticked = [cb.value for cb in self.inputs]
            if not any(ticked):
                self.feedback.value = escape(_("Tick at least one first."))
                return None
            ok = all(c.correct == tk for c, tk in zip(choices, ticked))
            for c, tk in zip(choices, ticked):
                if tk or c.correct:
                    parts.append(_fb(_verdict(it, c.correct, tk), f"{c.text}: {c.feedback}"))
        else:
            chosen = [dd.value for dd in self.inputs]
            if not any(chosen):
                self.feedback.value = escape(_("Give the steps their places first."))
                return None
            places: list[int | None] = [None] * len(it.steps)
            for dd, j in zip(self.inputs, self.order):
                places[j] = dd.value or None
            if not ordering.complete(places):
                self.feedback.value = escape(_("Give each step its own place: 1, 2, 3 and so on."))
                return None
            broken = it.broken(places)
            ok = not broken
            bad = {r.first for r in broken} | {r.then for r in broken}
            for r in broken:
                parts.append(f"<p class='stl-rule'>{escape(ordering.rule_text(it, r))}</p>")
            parts += [f"<p class='stl-anytime'>{escape(ordering.any_time_text(it, i))}</p>" for i in it.any_time()]
            for j in sorted(range(len(places)), key=lambda j: places[j]):
                s = it.steps[j]
                verdict = (_("✗ Check the order of this step") if j in bad
                           else _("✓ Right: this fits at any point") if s.any_time else _("✓ Fine here"))
                parts.append(_fb(verdict, f"{places[j]}. {s.text}: {s.feedback}"))
        self.tries += 1
        self.correct = ok
        head = (_("Correct. Well done.") if ok else _("Not quite yet. Read the feedback, then try again."))
        self.feedback.value = f"<p><strong>{escape(head)}</strong></p>" + "".join(parts)
        self.retry.layout.display = "none" if ok else ""
        self.on_change()
        return ok

    def reset(self):
        for w in self.inputs:
            if isinstance(w, W.RadioButtons):
                w.value = None
            elif isinstance(w, W.Checkbox):
                w.value = False
            else:
                w.value = 0
        self.feedback.value = ""
        self.retry.layout.display = "none"


class QuizWidget:
    def __init__(self, quiz: Quiz):
        self.quiz = quiz = as_model(quiz, "quiz")
        self.score = W.HTML()
        self.items = [ItemWidget(quiz.id, it, n, self.update) for n, it in enumerate(quiz.items, 1)]
        title = W.HTML(f"<h3>{escape(_('Quiz:'))} {inline(quiz.title)}</h3>")
        self.view = W.VBox([title, self.score, *[i.box for i in self.items]])
        self.update()

    def update(self):
        done = sum(1 for i in self.items if i.correct is not None)
        right = sum(1 for i in self.items if i.correct)
        self.score.value = escape(_("Answered {done} of {total} · correct {right}").format(
            done=done, total=len(self.items), right=right))

    @property
    def answered(self) -> int:
        return sum(1 for i in self.items if i.correct is not None)

    @property
    def right(self) -> int:
        return sum(1 for i in self.items if i.correct)


class ScenarioWidget:
    def __init__(self, scenario: Scenario):
        self.s = scenario = as_model(scenario, "scenario")
        self.nodes = scenario.nodes_by_id()
        self.names = scenario.names()
        self.path = [scenario.start]
        self.last_feedback: str | None = None
        self.endings: set[str] = set()
        self.chat = W.HTML()
        self.choices = W.VBox()
        self.status = W.HTML()
        self.back = W.Button(description=_("Back"))
        self.restart = W.Button(description=_("Start again"))
        self.back.on_click(lambda _b: self.go_back())
        self.restart.on_click(lambda _b: self.start_again())
        title = W.HTML(f"<h3>{escape(_('Chat story:'))} {inline(scenario.title)}</h3><p>{inline(scenario.summary)}</p>")
        self.view = W.VBox([title, self.chat, self.choices, W.HBox([self.back, self.restart]), self.status])
        self.render()

    @property
    def current(self):
        return self.nodes[self.path[-1]]

    def render(self):
        n = self.current
        html = []
        if self.last_feedback:
            html.append(f"<p><em>{self.last_feedback}</em></p>")
        if n.ending:
            self.endings.add(n.id)
            html.append(f"<p><strong>{escape(label('ending', n.ending))}: {inline(n.title)}</strong></p>")
        for m in n.messages or ():
            html.append(f"<p><strong>{inline(self.names.get(m.from_, m.from_))}:</strong> {inline(m.text)}</p>")
        if n.feedback:
            html.append(f"<p>{inline(n.feedback)}</p>")
        if n.prompt:
            html.append(f"<p><strong>{inline(n.prompt)}</strong></p>")
        self.chat.value = "".join(html)
        buttons = []
        for c in n.choices or ():
            b = W.Button(description=c.text, layout=W.Layout(width="auto", height="auto"), tooltip=c.text)
            b.on_click(lambda _b, c=c: self.choose(c))
            buttons.append(b)
        self.choices.children = buttons
        self.back.disabled = len(self.path) < 2
        n_end = len(self.s.endings())
        self.status.value = escape(_("Step {step} · endings found: {found} of {total}").format(
            step=len(self.path), found=len(self.endings), total=n_end))

    def choose(self, choice):
        self.path.append(choice.next)
        self.last_feedback = escape(_("You chose:")) + f" {inline(choice.text)}. {inline(choice.feedback)}"
        self.render()

    def go_back(self):
        if len(self.path) > 1:
            self.path.pop()
            self.last_feedback = None
            self.render()

    def start_again(self):
        self.path = [self.s.start]
        self.last_feedback = None
        self.render()
