"""Live ipywidgets views of quizzes and chat stories, for Jupyter and Voilà.

Callbacks write to widgets directly (``HTML.value``), which works in a browser, under Voilà and in
headless tests. Text is escaped through :mod:`spotthelure.text` exactly as in the static HTML.
"""
from __future__ import annotations

import ipywidgets as W

from html import escape

from . import ordering
from .render_html import display_order
from .text import inline

RIGHT, WRONG, MISSED = "✓ Right", "✗ Not quite", "! Missed"


def _fb(mark: str, text: str) -> str:
    """The verdict on a line of its own, then the feedback."""
    return f"<div class='stl-wfb'><p><strong>{escape(mark)}</strong></p><p>{inline(text)}</p></div>"


class ItemWidget:
    """One quiz item: the inputs, a Check and a Try-again button, and feedback."""

    def __init__(self, quiz_id: str, item: dict, number: int, on_change):
        self.item = item
        self.on_change = on_change
        self.correct: bool | None = None
        self.tries = 0
        t = item["type"]
        prompt = W.HTML(f"<strong>{number}. {inline(item['prompt'])}</strong>")
        if t in ("single", "truefalse"):
            labels = [o["text"] for o in item["options"]] if t == "single" else ["True", "False"]
            self.inputs = [W.RadioButtons(options=[(lab, i) for i, lab in enumerate(labels)], value=None,
                                          layout=W.Layout(width="auto"))]
        elif t in ("multiple", "redflags"):
            rows = item["options"] if t == "multiple" else [{"text": f"{c['from']}: {c['text']}"} for c in item["chat"]]
            self.inputs = [W.Checkbox(value=False, description=r["text"], indent=False, layout=W.Layout(width="auto"))
                           for r in rows]
        else:  # ordering
            self.order = display_order(quiz_id, item["id"], len(item["steps"]))
            opts = [("–", 0)] + [(str(k), k) for k in range(1, len(item["steps"]) + 1)]
            self.inputs = [W.Dropdown(options=opts, value=0, description=item["steps"][j]["text"],
                                      style={"description_width": "initial"}, layout=W.Layout(width="auto"))
                           for j in self.order]
        self.check = W.Button(description="Check answer", button_style="primary")
        self.retry = W.Button(description="Try again", layout=W.Layout(display="none"))
        self.feedback = W.HTML("")
        self.check.on_click(lambda _: self.grade())
        self.retry.on_click(lambda _: self.reset())
        self.box = W.VBox([prompt, *self.inputs, W.HBox([self.check, self.retry]), self.feedback])

    def grade(self) -> bool | None:
        it, t = self.item, self.item["type"]
        parts: list[str] = []
        if t == "single":
            v = self.inputs[0].value
            if v is None:
                self.feedback.value = "Choose an answer first."
                return None
            o = it["options"][v]
            ok = bool(o.get("correct"))
            parts.append(_fb(RIGHT if ok else WRONG, o["feedback"]))
        elif t == "truefalse":
            v = self.inputs[0].value
            if v is None:
                self.feedback.value = "Choose an answer first."
                return None
            said = v == 0
            ok = said == bool(it["answer"])
            parts.append(_fb(RIGHT if ok else WRONG, it["feedback_true" if said else "feedback_false"]))
        elif t in ("multiple", "redflags"):
            rows = it["options"] if t == "multiple" else [
                {"text": c["text"], "correct": c["flag"], "feedback": c["feedback"]} for c in it["chat"]]
            ticked = [cb.value for cb in self.inputs]
            if not any(ticked):
                self.feedback.value = "Tick at least one first."
                return None
            ok = all(bool(r.get("correct")) == tk for r, tk in zip(rows, ticked))
            for r, tk in zip(rows, ticked):
                if tk or r.get("correct"):
                    if r.get("correct") and tk:
                        verdict = RIGHT + (": a warning sign" if t == "redflags" else "")
                    elif r.get("correct"):
                        verdict = MISSED + (": this is a warning sign" if t == "redflags" else ": this one fits too")
                    else:
                        verdict = WRONG + (": not a warning sign" if t == "redflags" else ": not this one")
                    parts.append(_fb(verdict, f"{r['text']}: {r['feedback']}"))
        else:
            chosen = [dd.value for dd in self.inputs]
            if not any(chosen):
                self.feedback.value = "Give the steps their places first."
                return None
            places: list[int | None] = [None] * len(it["steps"])
            for dd, j in zip(self.inputs, self.order):
                places[j] = dd.value or None
            if not ordering.complete(places):
                self.feedback.value = "Give each step its own place: 1, 2, 3 and so on."
                return None
            broken = ordering.broken(it, places)
            ok = not broken
            bad = {r.first for r in broken} | {r.then for r in broken}
            for r in broken:
                parts.append(f"<p class='stl-rule'>{escape(ordering.rule_text(it, r))}</p>")
            parts += [f"<p class='stl-anytime'>{escape(ordering.any_time_text(it, i))}</p>" for i in ordering.any_time(it)]
            for j in sorted(range(len(places)), key=lambda j: places[j]):
                s = it["steps"][j]
                verdict = ("✗ Check the order of this step" if j in bad
                           else "✓ Right: this fits at any point" if s.get("any_time") else "✓ Fine here")
                parts.append(_fb(verdict, f"{places[j]}. {s['text']}: {s['feedback']}"))
        self.tries += 1
        self.correct = ok
        head = "<p><strong>Correct. Well done.</strong></p>" if ok else "<p><strong>Not quite yet. Read the feedback, then try again.</strong></p>"
        self.feedback.value = head + "".join(parts)
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
    def __init__(self, quiz: dict):
        self.quiz = quiz
        self.score = W.HTML()
        self.items = [ItemWidget(quiz["id"], it, n, self.update) for n, it in enumerate(quiz["items"], 1)]
        title = W.HTML(f"<h3>Quiz: {inline(quiz['title'])}</h3>")
        self.view = W.VBox([title, self.score, *[i.box for i in self.items]])
        self.update()

    def update(self):
        done = sum(1 for i in self.items if i.correct is not None)
        right = sum(1 for i in self.items if i.correct)
        self.score.value = f"Answered {done} of {len(self.items)} · correct {right}"

    @property
    def answered(self) -> int:
        return sum(1 for i in self.items if i.correct is not None)

    @property
    def right(self) -> int:
        return sum(1 for i in self.items if i.correct)


class ScenarioWidget:
    ENDING = {"helped": "Ending: getting help", "safer": "Ending: safer", "stuck": "Ending: not over yet"}

    def __init__(self, scenario: dict):
        self.s = scenario
        self.nodes = {n["id"]: n for n in scenario["nodes"]}
        self.names = {c["id"]: c["name"] for c in scenario["characters"]}
        self.path = [scenario["start"]]
        self.last_feedback: str | None = None
        self.endings: set[str] = set()
        self.chat = W.HTML()
        self.choices = W.VBox()
        self.status = W.HTML()
        self.back = W.Button(description="Back")
        self.restart = W.Button(description="Start again")
        self.back.on_click(lambda _: self.go_back())
        self.restart.on_click(lambda _: self.start_again())
        title = W.HTML(f"<h3>Chat story: {inline(scenario['title'])}</h3><p>{inline(scenario['summary'])}</p>")
        self.view = W.VBox([title, self.chat, self.choices, W.HBox([self.back, self.restart]), self.status])
        self.render()

    @property
    def current(self) -> dict:
        return self.nodes[self.path[-1]]

    def render(self):
        n = self.current
        html = []
        if self.last_feedback:
            html.append(f"<p><em>{self.last_feedback}</em></p>")
        if n.get("ending"):
            self.endings.add(n["id"])
            html.append(f"<p><strong>{self.ENDING[n['ending']]}: {inline(n['title'])}</strong></p>")
        for m in n.get("messages", []):
            html.append(f"<p><strong>{inline(self.names.get(m['from'], m['from']))}:</strong> {inline(m['text'])}</p>")
        if n.get("feedback"):
            html.append(f"<p>{inline(n['feedback'])}</p>")
        if n.get("prompt"):
            html.append(f"<p><strong>{inline(n['prompt'])}</strong></p>")
        self.chat.value = "".join(html)
        buttons = []
        for c in n.get("choices", []):
            b = W.Button(description=c["text"], layout=W.Layout(width="auto", height="auto"), tooltip=c["text"])
            b.on_click(lambda _, c=c: self.choose(c))
            buttons.append(b)
        self.choices.children = buttons
        self.back.disabled = len(self.path) < 2
        n_end = sum(1 for x in self.nodes.values() if x.get("ending"))
        self.status.value = f"Step {len(self.path)} · endings found: {len(self.endings)} of {n_end}"

    def choose(self, choice: dict):
        self.path.append(choice["next"])
        self.last_feedback = f"You chose: {inline(choice['text'])}. {inline(choice['feedback'])}"
        self.render()

    def go_back(self):
        if len(self.path) > 1:
            self.path.pop()
            self.last_feedback = None
            self.render()

    def start_again(self):
        self.path = [self.s["start"]]
        self.last_feedback = None
        self.render()
