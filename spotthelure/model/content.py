"""The content model: typed, immutable objects built only from valid data.

Every class is generated from its JSON Schema in :mod:`spotthelure.schemas` (see :mod:`.base`); the
mixins here add behaviour only: a quiz item's choices, an ordering item's rules, a chat story's graph.
"""
from __future__ import annotations

import itertools
from collections import deque
from typing import NamedTuple

from .. import schemas
from ..i18n import _
from .base import Model, model_class


# --------------------------------------------------------------------------- quiz items

class Choice(NamedTuple):
    """One answer of a choice item, whatever its type: the same shape for single, multiple,
    true/false and red-flag items."""
    key: str             # "o1", "o2", ... (true/false: "true", "false")
    text: str            # the answer's own text (a red-flag line: the message only)
    correct: bool
    feedback: str
    speaker: str | None = None   # a red-flag line: who sent it

    @property
    def label(self) -> str:
        """The text a learner picks: a red-flag line with its sender (``Sam: send me a photo``)."""
        return f"{self.speaker}: {self.text}" if self.speaker is not None else self.text


class _ItemMixin:
    """What every quiz item has."""

    def list_of(self, key: str) -> tuple:
        value = self.get(key)
        return value if isinstance(value, tuple) else ()


class _ChoiceItemMixin(_ItemMixin):
    """Single, multiple, true/false and red-flag items: one shape, a list of choices and a cardinality."""

    is_choice = True

    @property
    def cardinality(self) -> str:
        """``single`` (one answer: single, true/false) or ``multiple`` (any number: multiple, red flags)."""
        return "single" if self.type in ("single", "truefalse") else "multiple"

    def choices(self) -> tuple[Choice, ...]:
        """The item's answers as choices: options as they are, a red-flag chat's lines (correct = a
        warning sign), a true/false item's two answers."""
        if self.type in ("single", "multiple"):
            return tuple(Choice(f"o{j + 1}", o.text, o.correct is True, o.feedback) for j, o in enumerate(self.options))
        if self.type == "redflags":
            return tuple(Choice(f"o{j + 1}", c.text, c.flag is True, c.feedback, c.from_)
                         for j, c in enumerate(self.chat))
        return (Choice("true", _("True"), self.answer is True, self.feedback_true),
                Choice("false", _("False"), self.answer is False, self.feedback_false))

    def correct_keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.choices() if c.correct)


class Rule(NamedTuple):
    first: int      # index of the step that must come first
    then: int       # index of the step that must come after it
    reason: str     # why (the first step's ``reason``), may be empty


class _OrderingItemMixin(_ItemMixin):
    """An ordering item, scored by its ``before`` rules rather than by one fixed order."""

    is_choice = False
    cardinality = "ordered"

    def rules(self) -> list[Rule]:
        """The constraints, by step index, in the order they are written."""
        index = {s.id: i for i, s in enumerate(self.steps)}
        return [Rule(i, index[other], s.reason or "")
                for i, s in enumerate(self.steps) for other in (s.before or ()) if other in index]

    def any_time(self) -> list[int]:
        """Indexes of the steps that are right in any position (help-seeking steps)."""
        return [i for i, s in enumerate(self.steps) if s.any_time]

    def broken(self, places: list[int | None]) -> list[Rule]:
        """The rules an answer breaks; ``places[i]`` is the place (1, 2, ...) given to step ``i``."""
        return [r for r in self.rules()
                if places[r.first] is None or places[r.then] is None or places[r.first] >= places[r.then]]

    def valid_orders(self, limit: int = 5040) -> list[tuple[int, ...]]:
        """Every order of step indexes that keeps all the rules (at most ``limit`` of them)."""
        rs = self.rules()
        out = []
        for perm in itertools.permutations(range(len(self.steps))):
            pos = {s: k for k, s in enumerate(perm)}
            if all(pos[r.first] < pos[r.then] for r in rs):
                out.append(perm)
                if len(out) >= limit:
                    break
        return out


Option = model_class("Option", schemas.OPTION)
ChatLine = model_class("ChatLine", schemas.CHAT_LINE)
Step = model_class("Step", schemas.STEP)
_CHOICE_TYPES = ("single", "multiple", "truefalse", "redflags")
ChoiceItem = model_class("ChoiceItem", [schemas.ITEM_TYPES[t] for t in _CHOICE_TYPES], (_ChoiceItemMixin,),
                         doc="A single, multiple, true/false or red-flags quiz item: choices() and cardinality.")
OrderingItem = model_class("OrderingItem", schemas.ITEM_TYPES["ordering"], (_OrderingItemMixin,),
                           doc="An ordering quiz item: steps, rules() and any_time().")
ITEM_CLASSES = {**{t: ChoiceItem for t in _CHOICE_TYPES}, "ordering": OrderingItem}


def item_from_data(data, path: str = ""):
    return ITEM_CLASSES[data["type"]].from_data(data, path)


class _Items:
    """Builds a quiz's items by their ``type``: a ChoiceItem or an OrderingItem."""

    ANNOTATION = "ChoiceItem | OrderingItem"

    @classmethod
    def from_data(cls, data, path: str = ""):
        return item_from_data(data, path)


class _ActivityMixin:
    """What every activity has: a kind, an id, a title, a language, a band or an audience."""

    @property
    def bands(self) -> tuple[str, ...]:
        """The age bands or audiences it is for."""
        band = self.get("age_band")
        return (band,) if band else tuple(self.get("audience") or ())

    def outputs(self) -> list:
        """Its printables and downloads (:data:`spotthelure.model.kinds.KINDS`)."""
        from .kinds import KINDS
        return KINDS[self.kind].outputs(self.id)


class _QuizMixin(_ActivityMixin):
    pass


Message = model_class("Message", schemas.MESSAGE)
StoryChoice = model_class("StoryChoice", schemas.CHOICE)
Node = model_class("Node", schemas.NODE)
Quiz = model_class("Quiz", schemas.QUIZ, (_QuizMixin,), nested={"items": _Items},
                   doc="A quiz: items (ChoiceItem or OrderingItem) and its header.")


# --------------------------------------------------------------------------- chat stories

class Graph(NamedTuple):
    """A chat story as a graph: where each node's choices lead, what the start reaches, and which
    reachable nodes can still reach an ending."""
    start: str
    edges: dict[str, list[str]]          # node id → the node ids its choices lead to (known ids only)
    reachable: frozenset[str]
    endings: frozenset[str]
    can_end: frozenset[str]              # nodes from which some ending can be reached

    def unreachable(self, order: list[str]) -> list[str]:
        return [n for n in order if n not in self.reachable]

    def endless(self, order: list[str]) -> list[str]:
        """Reachable nodes with choices from which no path reaches an ending (an endless loop)."""
        return [n for n in order if n in self.reachable and n not in self.can_end and self.edges.get(n)]


def story_graph(start: str, nodes: list[tuple[str, list[str], bool]]) -> Graph:
    """The graph of a story from (node id, next ids of its choices, is an ending) for each node.
    Choices that lead to an unknown id are left out (the checker reports them)."""
    ids = {nid for nid, _, _ in nodes}
    edges = {nid: [n for n in nexts if n in ids] for nid, nexts, _ in nodes}
    endings = frozenset(nid for nid, _, end in nodes if end)
    seen = set()
    if start in ids:
        seen.add(start)
        todo = deque([start])
        while todo:
            for nxt in edges.get(todo.popleft(), []):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
    rev: dict[str, list[str]] = {}
    for a, bs in edges.items():
        for b in bs:
            rev.setdefault(b, []).append(a)
    can_end = set(endings)
    todo = deque(endings)
    while todo:
        for prev in rev.get(todo.popleft(), []):
            if prev not in can_end:
                can_end.add(prev)
                todo.append(prev)
    return Graph(start, edges, frozenset(seen), endings, frozenset(can_end))


class _ScenarioMixin(_ActivityMixin):
    def node(self, nid: str):
        return self.nodes_by_id()[nid]

    def nodes_by_id(self) -> dict:
        return {n.id: n for n in self.nodes}

    def names(self) -> dict[str, str]:
        """Character id → name."""
        return {c.id: c.name for c in self.characters}

    def graph(self) -> Graph:
        return story_graph(self.start, [(n.id, [c.next for c in n.choices or ()], bool(n.ending))
                                        for n in self.nodes])

    def endings(self) -> list:
        return [n for n in self.nodes if n.ending]


Scenario = model_class("Scenario", schemas.SCENARIO, (_ScenarioMixin,),
                       doc="A chat story: characters, nodes, and graph().")


# --------------------------------------------------------------------------- the other kinds

RolePlay = model_class("RolePlay", schemas.ROLEPLAY, (_ActivityMixin,), doc="A role-play with roles and scenes.")


class _QItemMixin:
    @property
    def scored(self) -> bool:
        """Counted in a score of the analysis (knowledge, confidence, attitude, wellbeing)."""
        return self.construct in SCORED_CONSTRUCTS

    @property
    def n_options(self) -> int:
        """The highest valid answer number (0 for free text)."""
        return {"single": len(self.options or ()), "likert": 5, "yesno": 3, "text": 0}[self.type]

    @property
    def correct_number(self) -> int | None:
        """A knowledge item's right option, numbered from 1 (as answers are); None otherwise."""
        return self.correct + 1 if isinstance(self.correct, int) and self.construct == "knowledge" else None


SCORED_CONSTRUCTS = ("knowledge", "confidence", "attitude", "wellbeing")
QuestionnaireItem = model_class("QuestionnaireItem", schemas.Q_ITEM, (_QItemMixin,))


class _QuestionnaireMixin(_ActivityMixin):
    @property
    def pre_post(self) -> bool:
        return self.use == "pre-post"

    def index(self, construct: str, types=("likert",)) -> list[int]:
        return [i for i, it in enumerate(self.items) if it.construct == construct and it.type in types]


Questionnaire = model_class("Questionnaire", schemas.QUESTIONNAIRE, (_QuestionnaireMixin,),
                            doc="A questionnaire of the evaluation: items with construct, type and options.")
Handout = model_class("Handout", schemas.HANDOUT, (_ActivityMixin,), doc="A handout printed for a lesson.")


# --------------------------------------------------------------------------- pages and local contacts

LessonStep = model_class("LessonStep", schemas.LESSON_STEP)


class _LessonMixin:
    def objective_ids(self) -> list[str]:
        return [o.id for o in self.objectives]


Lesson = model_class("Lesson", schemas.LESSON, (_LessonMixin,), doc="A lesson plan (a lesson page's front matter).")
WorkshopActivity = model_class("WorkshopActivity", schemas.WS_ACTIVITY)
Session = model_class("Session", schemas.WS_SESSION)
Workshop = model_class("Workshop", schemas.WORKSHOP, doc="A workshop plan (a workshop page's front matter).")


Ages = model_class("Ages", schemas.AGES)
Route = model_class("Route", schemas.ROUTE)
Service = model_class("Service", schemas.SERVICE)


class _LocalMixin:
    def routes(self, kind: str) -> tuple:
        """The entries of one kind of help (``emergency``, ``helplines``, ...)."""
        return self.get(kind) or ()


LocalContacts = model_class("LocalContacts", schemas.LOCAL, (_LocalMixin,), doc="The local contacts (local.yml).")

ACTIVITY_CLASSES: dict[str, type[Model]] = {"quiz": Quiz, "scenario": Scenario, "roleplay": RolePlay,
                                            "questionnaire": Questionnaire, "handout": Handout}
