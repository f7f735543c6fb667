"""JSON Schemas for every kind of content: closed vocabularies and no unknown fields.

They are written here as Python data (one place for the validator, the renderers and
``spotthelure schema KIND``, which prints them for editors).
"""
from __future__ import annotations

# Patterns end with END, not `$`: `$` also matches before a final newline ("t1\n" would pass).
# `(?![\s\S])` means the same in Python and in the JSON Schema (ECMA) regular expressions editors use.
END = r"(?![\s\S])"
ID = {"type": "string", "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*" + END}
TEXT = {"type": "string", "minLength": 1}
TEXTS = {"type": "array", "items": TEXT, "minItems": 1}
BANDS = ["9-11", "12-14", "15-18"]
AUDIENCES = BANDS + ["adults", "parents", "peer-educators"]
# BCP 47 tags as the book uses them: language, optional script, optional region (en, sv, sr-Latn, pt-BR).
LANGUAGES = {"type": "string", "pattern": r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-[A-Z]{2})?" + END}
SOURCES = {"type": "array", "items": {"type": "string", "minLength": 1}}
DATE = {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}" + END}
TOPICS = ["grooming", "image-abuse", "easy-money", "exploitation", "getting-help", "upstander"]
# Activity topics that need a content note before a learner starts (validated in checks).
ACTIVITY_TOPICS = TOPICS + ["sextortion", "deepfakes"]
NOTE_TOPICS = ("sextortion", "deepfakes")
ROLE_KINDS = ["friend", "helper", "bystander", "trusted-adult", "parent", "teacher",
              "young-person", "peer-educator", "observer", "narrator"]


def obj(required: dict, optional: dict | None = None) -> dict:
    props = dict(required)
    props.update(optional or {})
    return {"type": "object", "properties": props, "required": list(required),
            "additionalProperties": False}


def arr(item: dict, min_items: int = 1, max_items: int | None = None) -> dict:
    a = {"type": "array", "items": item, "minItems": min_items}
    if max_items:
        a["maxItems"] = max_items
    return a


HEADER = {"kind": None, "id": ID, "version": {"type": "integer", "minimum": 1},
          "language": LANGUAGES, "title": TEXT}

OPTION = obj({"text": TEXT, "feedback": TEXT}, {"correct": {"type": "boolean"}})
CHAT_LINE = obj({"from": TEXT, "text": TEXT, "flag": {"type": "boolean"}, "feedback": TEXT})
# An ordering step: ``before`` lists the ids of steps it must come before (``reason`` says why, shown
# when that is broken); ``any_time: true`` marks a help-seeking step that is right in any position.
STEP = obj({"id": ID, "text": TEXT, "feedback": TEXT},
           {"before": arr(ID), "reason": TEXT, "any_time": {"type": "boolean"}})
ITEM_COMMON = {"id": ID, "prompt": TEXT}
ITEM_OPTIONAL = {"objectives": arr(ID), "sources": SOURCES}

ITEM_TYPES = {
    "single": obj({**ITEM_COMMON, "type": {"const": "single"}, "options": arr(OPTION, 2, 6)}, ITEM_OPTIONAL),
    "multiple": obj({**ITEM_COMMON, "type": {"const": "multiple"}, "options": arr(OPTION, 2, 6)}, ITEM_OPTIONAL),
    "truefalse": obj({**ITEM_COMMON, "type": {"const": "truefalse"}, "answer": {"type": "boolean"},
                      "feedback_true": TEXT, "feedback_false": TEXT}, ITEM_OPTIONAL),
    "redflags": obj({**ITEM_COMMON, "type": {"const": "redflags"}, "chat": arr(CHAT_LINE, 2, 10)}, ITEM_OPTIONAL),
    "ordering": obj({**ITEM_COMMON, "type": {"const": "ordering"}, "steps": arr(STEP, 2, 8)}, ITEM_OPTIONAL),
}

QUIZ = obj({**HEADER, "kind": {"const": "quiz"}, "age_band": {"enum": BANDS},
            "items": arr({"type": "object"})},
           {"lesson": ID, "description": TEXT, "sources": SOURCES,
            "topics": arr({"enum": ACTIVITY_TOPICS}), "content_note": TEXT})

MESSAGE = obj({"from": ID, "text": TEXT})
CHOICE = obj({"text": TEXT, "next": ID, "feedback": TEXT})
NODE = obj({"id": ID},
           {"messages": arr(MESSAGE, 0), "prompt": TEXT, "choices": arr(CHOICE, 1, 4),
            "ending": {"enum": ["helped", "safer", "stuck"]}, "title": TEXT, "feedback": TEXT})
SCENARIO = obj({**HEADER, "kind": {"const": "scenario"}, "age_band": {"enum": BANDS},
                "summary": TEXT, "objectives": TEXTS,
                "characters": arr(obj({"id": ID, "name": TEXT,
                                       "role": {"enum": ["learner", "contact", "friend", "adult"]}}), 2),
                "start": ID, "nodes": arr(NODE, 2)},
               {"lesson": ID, "sources": SOURCES, "topics": arr({"enum": ACTIVITY_TOPICS}), "content_note": TEXT})

ROLEPLAY = obj({**HEADER, "kind": {"const": "roleplay"}, "audience": arr({"enum": AUDIENCES}),
                "summary": TEXT, "duration": {"type": "integer", "minimum": 5, "maximum": 120},
                "group_size": obj({"min": {"type": "integer", "minimum": 1},
                                   "max": {"type": "integer", "minimum": 1}}),
                "objectives": TEXTS, "setting": TEXT,
                "roles": arr(obj({"id": ID, "name": TEXT, "kind": {"enum": ROLE_KINDS}, "card": TEXT}), 1),
                "scenes": arr(obj({"title": TEXT, "minutes": {"type": "integer", "minimum": 1},
                                   "prompt": TEXT})),
                "freeze_frames": TEXTS, "debrief": TEXTS, "facilitator_notes": TEXTS,
                "safeguarding": TEXT},
               {"props": arr(obj({"title": TEXT, "lines": arr(obj({"from": TEXT, "text": TEXT}))}), 0),
                "sources": SOURCES})

Q_ITEM = obj({"id": ID, "construct": {"enum": ["knowledge", "confidence", "attitude", "wellbeing",
                                                 "fidelity", "feedback"]},
              "type": {"enum": ["single", "likert", "yesno", "text"]}, "prompt": TEXT},
             {"options": arr(TEXT, 2, 6), "correct": {"type": "integer", "minimum": 0},
              "reverse": {"type": "boolean"}})
QUESTIONNAIRE = obj({**HEADER, "kind": {"const": "questionnaire"}, "audience": arr({"enum": AUDIENCES}),
                     "use": {"enum": ["pre-post", "fidelity", "feedback"]}, "items": arr(Q_ITEM)},
                    {"description": TEXT, "sources": SOURCES})

LESSON_STEP = obj({"phase": {"enum": ["starter", "main", "plenary"]}, "title": TEXT,
                   "minutes": {"type": "integer", "minimum": 1}, "do": TEXTS},
                  {"say": TEXT, "activity": ID, "minutes_45": {"type": "integer", "minimum": 0}})
LESSON = obj({
    "id": ID, "title": TEXT, "age_band": {"enum": BANDS},
    "duration": {"type": "integer", "minimum": 45, "maximum": 60},
    "topics": arr({"enum": TOPICS}), "summary": TEXT,
    "objectives": arr(obj({"id": ID, "text": TEXT})),
    "key_questions": TEXTS, "key_points": TEXTS,
    "vocabulary": arr(obj({"term": TEXT, "meaning": TEXT})),
    "materials": TEXTS, "preparation": TEXTS,
    "safeguarding": obj({"content_note": TEXT, "dsl_briefed": TEXT, "opt_out": TEXT, "distancing": TEXT}),
    "steps": arr(LESSON_STEP, 3),
    "differentiation": obj({"support": TEXTS, "stretch": TEXTS}),
    "assessment": obj({"quiz": ID, "exit_ticket": TEXT}),
    "follow_up": TEXTS, "home_link": TEXT, "sources": arr({"type": "string", "minLength": 1}),
    "last_reviewed": DATE,
})

WS_ACTIVITY = obj({"title": TEXT, "minutes": {"type": "integer", "minimum": 1}, "do": TEXTS},
                  {"activity": ID})
WS_SESSION = obj({"id": ID, "title": TEXT, "minutes": {"type": "integer", "minimum": 1}},
                 {"kind": {"enum": ["session", "break"]}, "objectives": TEXTS, "talking_points": TEXTS,
                  "activities": arr(WS_ACTIVITY, 0), "materials": TEXTS, "notes": TEXTS, "if_upset": TEXT})
WORKSHOP = obj({
    "id": ID, "title": TEXT, "audience": {"enum": ["adults", "parents", "peer-educators"]},
    "duration": {"type": "integer", "minimum": 30, "maximum": 480}, "summary": TEXT,
    "objectives": TEXTS, "materials": TEXTS, "preparation": TEXTS, "safeguarding": TEXT,
    "sessions": arr(WS_SESSION), "sources": SOURCES, "last_reviewed": DATE})

AGES = obj({"min": {"type": "integer", "minimum": 0, "maximum": 120},
            "max": {"type": "integer", "minimum": 0, "maximum": 120}})
SOURCE_KEYS = {"anyOf": [TEXT, arr(TEXT)]}   # a key in references.bib or an https address; or a list of them
SERVICE = obj({"name": TEXT, "contact": TEXT, "for": TEXT, "where": TEXT, "source": SOURCE_KEYS},
              {"hours": TEXT, "ages": AGES, "id": ID})   # id: replaces the country entry with this id
ROUTE = obj({"name": TEXT, "contact": TEXT, "source": SOURCE_KEYS},
            {"for": TEXT, "where": TEXT, "hours": TEXT, "ages": AGES, "id": ID})
# The kinds of help, in the order a Get help box shows them (local.yml key: heading).
HELP_KINDS = {"emergency": "Emergency", "helplines": "Talk to someone", "reporting_routes": "Report it",
              "takedown": "Get images removed"}
LOCAL = obj({"filled_in": {"type": "boolean"}},
            {"organisation": {"type": "string"},
             "country": {"type": "string", "pattern": r"^[A-Z]{2}" + END},   # data/countries/<CODE>.yml
             "safeguarding_lead": obj({}, {"name": {"type": "string"}, "role": {"type": "string"},
                                           "how_to_reach": {"type": "string"}}),
             "emergency": arr(ROUTE, 0), "reporting_routes": arr(ROUTE, 0),
             "helplines": arr(SERVICE, 0), "takedown": arr(SERVICE, 0)})

# A handout a lesson uses in class (message cards, card sorts, scenario cards, exit-ticket slips, sheets):
# printed on its own page with the other printables and listed under its lesson's materials.
HANDOUT_CARD = obj({"text": TEXT}, {"title": TEXT, "from": TEXT})
HANDOUT_SECTION = obj({"text": TEXT}, {"heading": TEXT, "lines": {"type": "integer", "minimum": 0, "maximum": 20}})
HANDOUT = obj({**HEADER, "kind": {"const": "handout"}, "lesson": ID, "audience": arr({"enum": AUDIENCES}),
               "layout": {"enum": ["cards", "sheet", "slips"]}, "for_the_teacher": TEXT},
              {"cards": arr(HANDOUT_CARD, 2, 40), "sections": arr(HANDOUT_SECTION, 1, 20),
               "per_page": {"type": "integer", "minimum": 1, "maximum": 8}, "sources": SOURCES})

ACTIVITY_SCHEMAS = {"quiz": QUIZ, "scenario": SCENARIO, "roleplay": ROLEPLAY, "questionnaire": QUESTIONNAIRE,
                    "handout": HANDOUT}
ALL = {**ACTIVITY_SCHEMAS, "quiz-item": {"oneOf": list(ITEM_TYPES.values())}, "lesson": LESSON,
       "workshop": WORKSHOP, "local": LOCAL}
