"""The typed content model: immutable objects built only from valid data.

Every renderer, export, notebook helper, the Sphinx extension and the analysis consume these
objects instead of raw YAML dicts. The classes are generated from the JSON Schemas in
:mod:`spotthelure.schemas` (the one source of truth; see :mod:`.base`), with behaviour added by
hand-written mixins (:mod:`.content`). :mod:`.kinds` holds the registry of activity kinds and their
outputs.

Build objects with :func:`activity_from_data` (or ``Class.from_data``) from data the validator has
accepted; :func:`spotthelure.project.load_project` does that for every valid activity (``act.model``).
"""
from __future__ import annotations

from .base import Loc, Model, model_fields
from .content import (ACTIVITY_CLASSES, ITEM_CLASSES, ChatLine, Choice, ChoiceItem, Graph, Handout, Lesson,
                      LessonStep, LocalContacts, Message, Node, Option, OrderingItem, Questionnaire,
                      QuestionnaireItem, Quiz, RolePlay, Route, Rule, Scenario, Service, Session, Step,
                      StoryChoice, Workshop, WorkshopActivity, item_from_data, story_graph)
from .kinds import FORMATS, KIND_DIRS, KINDS, Kind, Output

__all__ = ["ACTIVITY_CLASSES", "FORMATS", "ITEM_CLASSES", "KINDS", "KIND_DIRS", "ChatLine", "Choice", "ChoiceItem",
           "Graph", "Handout", "Kind", "Lesson", "LessonStep", "Loc", "LocalContacts", "Message", "Model", "Node",
           "Option", "OrderingItem", "Output", "Questionnaire", "QuestionnaireItem", "Quiz", "RolePlay", "Route",
           "Rule", "Scenario", "Service", "Session", "Step", "StoryChoice", "Workshop", "WorkshopActivity",
           "activity_from_data", "as_model", "item_from_data", "load", "model_fields", "story_graph"]


def activity_from_data(kind: str, data, path: str = ""):
    """The model object of an activity the validator has accepted (no problems in its file)."""
    return ACTIVITY_CLASSES[kind].from_data(data, path)


def as_model(obj, kind: str | None = None):
    """``obj`` if it is a model object already; otherwise the model of activity data ``obj`` (of
    ``kind``, or of its own ``kind:``) that its caller has had checked (``spotthelure validate``,
    the build and ``load`` refuse a file with problems before anything renders it). For callers that
    still hold a dict while the renderers move to the model; it runs no check itself, so the
    exports' own defences (identifiers, control characters) still meet hostile text in tests."""
    if isinstance(obj, Model):
        return obj
    return activity_from_data(kind or obj["kind"], obj, getattr(obj, "path", ""))


def load(path, shown: str | None = None, kind: str | None = None):
    """The model object of one activity file, checked on its own (no cross-file checks); raises
    ContentError with every problem, so a file with problems never becomes a model."""
    from ..problems import ContentError, Problem
    from ..project import load_activity_file
    shown = shown or str(path)
    act, problems = load_activity_file(path, shown)
    if problems:
        raise ContentError(problems)
    if kind is not None and act.kind != kind:
        from ..i18n import _
        raise ContentError([Problem(shown, act.data.line_of("kind"),
                                    _("this is a {found}; a {wanted} is needed here").format(found=act.kind, wanted=kind))])
    return act.model
