"""Static HTML of activities: one renderer for the book, notebooks and standalone files.

The HTML works without JavaScript (a quiz shows its questions, a scenario reads as linked
sections) and ``static/spotthelure.js`` makes it interactive. Each renderer is a template in
``templates/activity/`` plus the function here that hands it its data; the templates escape every
value, and content text reaches them only through the markdown renderer :mod:`spotthelure.text`, so
nothing in content can inject markup or script. Ids come from content ids, so the same input always
gives the same bytes.
"""
from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Mapping
from pathlib import Path

from . import i18n, ordering
from .i18n import label
from .model import Model, OrderingItem, as_model
from .templating import markup, render
from .text import Resolver, block, inline

STATIC = Path(__file__).parent / "static"
TEMPLATES = Path(__file__).parent / "templates"


class _BandLabels(Mapping):
    """The band labels of ``data/labels.yml`` in the current language (``BAND_LABEL["9-11"]``), kept for
    callers that index them like the dictionary this once was."""

    def __getitem__(self, key):
        if key not in i18n.labels("band"):
            raise KeyError(key)
        return label("band", key)

    def __iter__(self):
        return iter(i18n.labels("band"))

    def __len__(self):
        return len(i18n.labels("band"))


BAND_LABEL = _BandLabels()


def content_hash(obj) -> str:
    """A short fingerprint of an activity (its data or its model): saved progress is dropped when the
    content changes."""
    data = model_data(obj) if isinstance(obj, Model) else obj
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:12]


def model_data(m):
    """The data a model object was built from (schema keys, unset fields left out)."""
    if isinstance(m, Model):
        return {key: model_data(getattr(m, name)) for key, name in m.KEYS.items() if getattr(m, name) is not None}
    if isinstance(m, tuple):
        return [model_data(v) for v in m]
    return m


def display_order(quiz_id: str, item_id: str, n: int) -> list[int]:
    """A mixed-up but fixed order for ordering items (never the answer order)."""
    seed = hashlib.sha256(f"{quiz_id}/{item_id}".encode()).digest()
    order = sorted(range(n), key=lambda i: (seed[i % len(seed)] ^ (i * 37)) & 0xFF)
    if order == list(range(n)):
        order = order[1:] + order[:1]
    return order


def _js_strings() -> str:
    """The words of the browser script for this page's language (``data-stl-strings``), or "" while
    :func:`spotthelure.i18n.js_strings` is not there yet."""
    fn = getattr(i18n, "js_strings", None)
    return fn() if fn is not None else ""


def _ctx(resolve: Resolver | None, heading_level: int) -> dict:
    """What every activity template gets: markdown bound to the page's link resolver, the heading level
    and the browser script's words."""
    return {"md": functools.partial(inline, resolve=resolve), "md_block": functools.partial(block, resolve=resolve),
            "md_noresolve": inline, "heading_level": heading_level, "js_strings": _js_strings()}


def audience_text(bands) -> str:
    return ", ".join(label("band", a) for a in bands)


def _ordering_rules(it: OrderingItem) -> dict:
    """The rules of an ordering item (hidden notes the script shows when an answer breaks one) and the
    notes that help-seeking steps are right at any point."""
    return {"rules": [{"first": it.steps[r.first].id, "then": it.steps[r.then].id, "text": ordering.rule_text(it, r)}
                      for r in it.rules()],
            "any_time": [ordering.any_time_text(it, i) for i in it.any_time()]}


def quiz_html(q, resolve: Resolver | None = None, heading_level: int = 3) -> str:
    """A quiz (a model.Quiz, or the valid data of one)."""
    q = as_model(q, "quiz")
    orderings = [it for it in q.items if it.type == "ordering"]
    return render("activity/quiz.html", q=q, version=content_hash(q), **_ctx(resolve, heading_level),
                  orders={it.id: display_order(q.id, it.id, len(it.steps)) for it in orderings},
                  ordering_rules={it.id: _ordering_rules(it) for it in orderings})


def scenario_html(s, resolve: Resolver | None = None, heading_level: int = 3, pr=None) -> str:
    """A chat story. With a content note (sextortion, deepfakes) it starts with the note and the lifeline,
    and its "not over yet" endings end with the lifeline; ``pr`` gives the local helpline for it."""
    from .helpbox import content_note_html, lifeline_html
    s = as_model(s, "scenario")
    note = s.content_note
    nodes = sorted(s.nodes, key=lambda n: n.id != s.start)   # start first, then as written
    return render("activity/scenario.html", s=s, version=content_hash(s), **_ctx(resolve, heading_level),
                  characters={c.id: c for c in s.characters}, nodes=nodes,
                  num={n.id: i for i, n in enumerate(nodes, 1)},    # as on the story's paper version
                  content_note=markup(content_note_html(note, pr, s.age_band)) if note else "",
                  lifeline=markup(lifeline_html(pr, s.age_band)) if note else "")


def roleplay_html(r, resolve: Resolver | None = None, heading_level: int = 3, card_class: str = "stl-card") -> str:
    r = as_model(r, "roleplay")
    return render("activity/roleplay.html", r=r, audience=audience_text(r.audience), card_class=card_class,
                  **_ctx(resolve, heading_level))


def questionnaire_html(qn, resolve: Resolver | None = None, heading_level: int = 3) -> str:
    """A printable form (the book collects no answers: forms are filled on paper or in an LMS)."""
    qn = as_model(qn, "questionnaire")
    return render("activity/questionnaire.html", qn=qn, audience=audience_text(qn.audience),
                  **_ctx(resolve, heading_level))


def handout_parts(h, resolve: Resolver | None = None) -> str:
    """What a handout says, card by card or section by section (the page preview and the print share it)."""
    return render("activity/_handout_parts.html", h=as_model(h, "handout"), **_ctx(resolve, 3))


def handout_html(h, resolve: Resolver | None = None, heading_level: int = 3) -> str:
    """A handout on its lesson page: what it is for and how to use it, and what it says (folded)."""
    return render("activity/handout.html", h=as_model(h, "handout"), **_ctx(resolve, heading_level))


RENDERERS = {"quiz": quiz_html, "scenario": scenario_html, "roleplay": roleplay_html,
             "questionnaire": questionnaire_html, "handout": handout_html}


def activity_html(kind: str, data, resolve: Resolver | None = None, heading_level: int = 3, pr=None) -> str:
    """One activity (its model, or the valid data of one). A quiz with a content note is preceded by the
    note and the lifeline (a chat story carries them inside); ``pr`` supplies the local contacts for the
    lifeline."""
    m = as_model(data, kind)
    if kind == "scenario":
        return scenario_html(m, resolve, heading_level, pr=pr)
    body = RENDERERS[kind](m, resolve, heading_level)
    if m.get("content_note"):
        from .helpbox import content_note_html
        body = content_note_html(m.get("content_note"), pr, m.get("age_band")) + "\n" + body
    return body


def asset(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


def band_of(data) -> str | None:
    """The youngest student age band an activity (its data or its model) is for (None: adults only)."""
    bands = [data.get("age_band")] if data.get("age_band") else list(data.get("audience") or [])
    for b in ("9-11", "12-14", "15-18"):
        if b in bands:
            return b
    return None


def standalone_page(kind: str, data, pr=None) -> str:
    """One self-contained offline HTML file (CSS and script inline) that a teacher can share.

    It carries the Get help box (the contacts that fit the activity's age band) and, for learners, the
    quick-exit control, which in a single file leaves to a blank page (there is no site to go to)."""
    from .csp import add_meta
    from .helpbox import help_box_html
    from .i18n import current_language
    from .translate import direction
    band = band_of(data)
    lang = current_language() if current_language() != "en" else data.get("language", "en")
    page = render("standalone.html", data=data, student=bool(band), lang=lang, dir=direction(lang),
                  title=data.get("title", data.get("id")),
                  body=markup(activity_html(kind, data, None, heading_level=2, pr=pr)),
                  help_box=markup(help_box_html(pr, band, heading_level=2)),
                  css=markup(asset("spotthelure.css") + "\n" + (TEMPLATES / "standalone.css").read_text(encoding="utf-8")),
                  script=markup(asset("spotthelure.js")))
    return add_meta(page, standalone=True)
