"""Pages generated from content: lesson plans, workshop manuals, the Get help box, the curriculum
map, lesson lists and the activity libraries. The Sphinx extension puts them into pages at read time,
so every page is drawn from the same data that the validator checks.

Safe by construction: author text (front matter, ``local.yml``, activity titles) never becomes MyST
source or raw HTML of its own. The MyST written here holds only fixed text, numbers and *keys*
(``page.lesson.steps.2.title``); the ``{stl}`` and ``{stl-plain}`` roles of the Sphinx extension look
each key up and return the value through the one escaping renderer (:mod:`spotthelure.text`), and
the tables and the Get help box are HTML built by that renderer. A value with carriage returns,
backticks, ``{raw}``, ``{download}``, an image or a tag therefore shows as the text it is.
"""
from __future__ import annotations

import html
import posixpath
import re
from pathlib import Path

from docutils.utils import smartquotes

from . import text
from .project import BAND_DIRS, Project
from .render_html import BAND_LABEL

PHASE = {"starter": "Starter", "main": "Main activity", "plenary": "Plenary"}
TOPIC = {"grooming": "How grooming works", "image-abuse": "Images, sextortion and deepfakes",
         "easy-money": '"Easy money" and criminal recruitment', "exploitation": "Fake offers, trafficking and exploitation",
         "getting-help": "Getting help", "upstander": "Being an upstander"}
KIND_LABEL = {"quiz": "Quiz", "scenario": "Chat story", "roleplay": "Role-play", "questionnaire": "Questionnaire"}

# What may stand in generated MyST besides fixed text: keys, ids, citation keys, numbers.
KEY = re.compile(r"(page|local)(\.(?:[a-z_]+|\d+))+")
ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
CITE_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:+-]*")


def typo(s) -> str:
    """Curly quotes, dashes and ellipses, as Sphinx gives the rest of the page (before escaping)."""
    return smartquotes.smartyPants(str(s), "qDe", "en")


def ref(key: str, plain: bool = False) -> str:
    """A role that shows the value at ``key`` (escaped inline markup; ``plain``: text only, for headings)."""
    if not KEY.fullmatch(key):
        raise ValueError(f"not a content key: {key!r}")
    return ("{stl-plain}`" if plain else "{stl}`") + key + "`"


def lookup(data, key: str):
    """The value at a dotted key below ``data`` (``lesson.steps.2.title``); KeyError when absent."""
    for part in key.split("."):
        if part.isdigit() and isinstance(data, list):
            data = data[int(part)]
        elif isinstance(data, dict) and part in data:
            data = data[part]
        else:
            raise KeyError(key)
    return data


def safe_id(aid) -> str | None:
    return aid if isinstance(aid, str) and ID.fullmatch(aid) else None


def bullets(items, key: str) -> list[str]:
    return [f"- {ref(f'{key}.{i}')}" for i in range(len(items or []))]


def cite(pr: Project, keys) -> str:
    """A citation role for known bibliography keys only (a key is never free text in the source)."""
    keys = [k for k in keys or [] if isinstance(k, str) and CITE_KEY.fullmatch(k) and k in pr.bib_keys]
    return "{cite:p}`" + ",".join(keys) + "`" if keys else ""


def doc_link(from_doc: str, to_doc: str) -> str:
    """A relative MyST link target from one document to another (with .md, so Sphinx checks it)."""
    return posixpath.relpath(to_doc + ".md", posixpath.dirname(from_doc) or ".")


def html_href(from_doc: str, to_doc: str, anchor: str = "") -> str:
    """A relative link from one built page to another."""
    return posixpath.relpath(to_doc + ".html", posixpath.dirname(from_doc) or ".") + (f"#{anchor}" if anchor else "")


def activity_block(kind: str, aid) -> list[str]:
    """An activity directive: the kind is the code's own name for it, the id must look like an id."""
    aid = safe_id(aid)
    return [f"```{{{kind}}} {aid}", "```", ""] if aid and re.fullmatch(r"[a-z]+", kind) else []


def help_box_html(pr: Project, band: str | None = None, heading_level: int = 2, *, resolve=None, cite=None,
                  fill_in_href: str | None = None) -> str:
    """The Get help box as escaped HTML, from ``local.yml``: every value goes through :func:`text.inline`.

    ``band`` (an age band or None) is accepted for the band-aware box; this box shows every entry.
    ``heading_level`` is the level of the box's title for assistive technology. ``cite(key)`` returns
    the HTML that stands for a citation (none: no citations); ``fill_in_href`` links the notice that the
    box still shows the book's defaults to the page that explains how to fill it in.
    """
    loc = pr.local if isinstance(pr.local, dict) else {}
    t = lambda v: text.inline(typo(" ".join(str(v).split())), resolve)  # noqa: E731
    level = min(max(int(heading_level), 1), 6)
    out = ['<div class="admonition tip stl-get-help">',
           f'<p class="admonition-title" role="heading" aria-level="{level}">Get help</p>']
    if not loc.get("filled_in"):
        how = f' (<a class="reference internal" href="{html.escape(fill_in_href)}">how</a>)' if fill_in_href else ""
        out.append("<p><strong>Fill in your local contacts.</strong> This box still shows the book’s defaults: international "
                   "services only. Your school or organisation adds its safeguarding lead, local helplines and "
                   f"reporting routes in <code class=\"docutils literal notranslate\">local.yml</code> and rebuilds the book{how}.</p>")
    lead = loc.get("safeguarding_lead") if isinstance(loc.get("safeguarding_lead"), dict) else {}
    if lead.get("name") or lead.get("how_to_reach"):
        who = ", ".join(t(x) for x in (lead.get("name"), lead.get("role")) if x)
        reach = f": {t(lead['how_to_reach'])}" if lead.get("how_to_reach") else ""
        out.append(f"<p><strong>Safeguarding lead:</strong> {who}{reach}</p>")
    else:
        out.append("<p><strong>Safeguarding lead:</strong> the designated safeguarding lead of your school or organisation.</p>")
    if loc.get("organisation"):
        out.append(f"<p><strong>Organisation:</strong> {t(loc['organisation'])}</p>")
    from .helpbox import entries
    for key, title, rows in entries(pr, band):
        if not rows:
            continue
        out.append(f"<p><strong>{title}:</strong></p>")
        out.append('<ul class="simple">')
        for s in rows:
            line = (f"<strong>{t(s.get('name', ''))}</strong>: "
                    f'<code class="docutils literal notranslate">{html.escape(str(s.get("contact", "")).strip())}</code>')
            extra = [t(s[k]) for k in ("for", "hours") if s.get(k)]
            if extra:
                line += " · " + " ".join(extra)
            if s.get("where"):
                line += f" · <em>{t(s['where'])}</em>"
            if s.get("source") and cite is not None:
                src = s["source"]
                keys = [k for k in ([src] if isinstance(src, str) else src or []) if isinstance(k, str)]
                line += "".join(" " + cite(k) for k in keys if not k.startswith(("https://", "http://")))
            out.append(f"<li><p>{line}</p></li>")
        out.append("</ul>")
    out += ["<p>A young person who was tricked, pressured or threatened is <strong>not in trouble</strong> for asking for help.</p>",
            "</div>"]
    return "\n".join(out)


def handouts_of(pr: Project, lesson_id: str) -> list:
    """The handouts a lesson uses, in file-name order (each names its lesson)."""
    return sorted((a for a in pr.activities.values() if a.kind == "handout" and a.data.get("lesson") == lesson_id),
                  key=lambda a: a.id)


def lesson_md(pr: Project, docname: str, lesson: dict, body: str) -> str:
    L, P = lesson, "page.lesson"
    band = L["age_band"]
    out = [f"# {ref(P + '.title', plain=True)}", "", ref(P + ".summary"), ""]
    topics = ", ".join(TOPIC[t] if t in TOPIC else ref(f"{P}.topics.{i}") for i, t in enumerate(L.get("topics", [])))
    out += ["```{list-table}", ":class: stl-glance", ":header-rows: 0", "",
            "* - Age band", f"  - {BAND_LABEL[band]}",
            "* - Time", f"  - {int(L['duration'])} minutes",
            "* - Topics", f"  - {topics}",
            "* - Last reviewed", f"  - {ref(P + '.last_reviewed')}", "```", ""]
    S = P + ".safeguarding"
    out += [":::{admonition} Safeguarding: read before you teach", ":class: important safeguarding", "",
            f"**Content note (give advance notice):** {ref(S + '.content_note')}", "",
            f"**Brief your designated safeguarding lead:** {ref(S + '.dsl_briefed')}", "",
            f"**Opting out:** {ref(S + '.opt_out')}", "",
            f"**Distancing:** {ref(S + '.distancing')}", "",
            f"If a learner tells you something worrying, follow the [disclosure steps]({doc_link(docname, 'book/teachers/before-you-teach')}#if-a-child-tells-you-something): "
            "listen, stay calm, don't investigate, never promise secrecy, write down their words, report the same day, never view or forward images.",
            ":::", ""]
    out += help_box_md(band, compact=True)
    out += ["## Objectives", ""]
    out += [f"- **{oid}**: {ref(f'{P}.objectives.{i}.text')}" if (oid := safe_id(o.get("id"))) else
            f"- {ref(f'{P}.objectives.{i}.id')}: {ref(f'{P}.objectives.{i}.text')}" for i, o in enumerate(L["objectives"])]
    out += ["", "## Key questions", ""] + bullets(L["key_questions"], P + ".key_questions") + [""]
    out += ["## Vocabulary", ""]
    for i, _ in enumerate(L["vocabulary"]):
        out += [ref(f"{P}.vocabulary.{i}.term"), f": {ref(f'{P}.vocabulary.{i}.meaning')}", ""]
    out += ["## Materials", ""] + bullets(L["materials"], P + ".materials") + [""]
    for h in handouts_of(pr, L["id"]):
        out += activity_block("handout", h.id)
    out += ["## Preparation", ""] + bullets(L["preparation"], P + ".preparation") + [""]
    out += ["## Lesson steps", ""]
    t = 0
    for i, s in enumerate(L["steps"]):
        m = int(s["minutes"])
        out += [f"### {PHASE[s['phase']]}: {ref(f'{P}.steps.{i}.title', plain=True)} ({m} min, {t}–{t + m})", ""]
        t += m
        out += bullets(s["do"], f"{P}.steps.{i}.do") + [""]
        if s.get("say"):
            out += [f"> **You might say:** {ref(f'{P}.steps.{i}.say')}", ""]
        if s.get("activity"):
            a = pr.activities.get(s["activity"])
            if a is not None and a.id == L["assessment"]["quiz"]:
                out += ["Use the quiz in [Assessment](#assessment) below.", ""]
            elif a is not None:
                out += activity_block(a.kind, a.id)
    D = P + ".differentiation"
    d = L["differentiation"]
    out += ["## Differentiation", "", "**Support**", ""] + bullets(d["support"], D + ".support") + \
           ["", "**Stretch**", ""] + bullets(d["stretch"], D + ".stretch") + [""]
    out += ["## Assessment", "", f"**Exit ticket:** {ref(P + '.assessment.exit_ticket')}", ""]
    q = pr.activities.get(L["assessment"]["quiz"])
    if q is not None:
        out += activity_block("quiz", q.id)
    out += ["## Key points", ""] + bullets(L["key_points"], P + ".key_points") + [""]
    out += ["## Follow-up", ""] + bullets(L["follow_up"], P + ".follow_up") + [""]
    out += ["## Home link", "", ref(P + ".home_link"), ""]
    if cite(pr, L.get("sources")):
        out += ["## Sources", "", "Facts in this lesson come from " + cite(pr, L["sources"]) + ".", ""]
    out += [f"*Last reviewed: {ref(P + '.last_reviewed')}.*", ""]
    if body.strip():
        out += [body]
    return "\n".join(out)


def help_box_md(band: str | None = None, compact: bool = False) -> list[str]:
    """The Get help box's place in generated MyST: a directive that takes no author text."""
    opts = ([f":band: {band}"] if band in BAND_LABEL else []) + ([":compact:"] if compact else [])
    return ["```{local-contacts}", *opts, "```", ""]


def _clock(t: int) -> str:
    return f"{t // 60}:{t % 60:02d}"


def workshop_md(pr: Project, docname: str, w: dict, body: str) -> str:
    P = "page.workshop"
    aud = BAND_LABEL[w["audience"]] if w["audience"] in BAND_LABEL else ref(P + ".audience")
    dur = int(w["duration"])
    out = [f"# {ref(P + '.title', plain=True)}", "", ref(P + ".summary"), "",
           f"**For:** {aud} · **Time:** {dur} minutes ({dur // 60} h {dur % 60:02d} min) · "
           f"*Last reviewed: {ref(P + '.last_reviewed')}*", ""]
    out += [":::{admonition} Safeguarding", ":class: important safeguarding", "", ref(P + ".safeguarding"), ":::", ""]
    out += help_box_md(w["audience"], compact=True)
    out += ["## Objectives", ""] + bullets(w["objectives"], P + ".objectives") + [""]
    out += ["## Agenda", "", "| Time | Session | Minutes |", "| --- | --- | --- |"]
    t = 0
    for i, s in enumerate(w["sessions"]):
        m = int(s["minutes"])
        label = ref(f"{P}.sessions.{i}.title") + (" (break)" if s.get("kind") == "break" else "")
        out.append(f"| {_clock(t)}–{_clock(t + m)} | {label} | {m} |")
        t += m
    out += ["", "Times run from the start of the workshop (0:00).", ""]
    out += ["## Materials", ""] + bullets(w["materials"], P + ".materials") + [""]
    for h in handouts_of(pr, w["id"]):
        out += activity_block("handout", h.id)
    out += ["## Preparation", ""] + bullets(w["preparation"], P + ".preparation") + [""]
    out += ["## Facilitator manual", ""]
    for i, s in enumerate(w["sessions"]):
        if s.get("kind") == "break":
            continue
        S = f"{P}.sessions.{i}"
        out += [f"### {ref(S + '.title', plain=True)} ({int(s['minutes'])} min)", ""]
        for key, title in (("objectives", "Objectives"), ("talking_points", "Talking points")):
            if s.get(key):
                out += [f"**{title}**", ""] + bullets(s[key], f"{S}.{key}") + [""]
        for j, a in enumerate(s.get("activities") or []):
            out += [f"**Activity: {ref(f'{S}.activities.{j}.title')}** ({int(a['minutes'])} min)", ""] + \
                   bullets(a["do"], f"{S}.activities.{j}.do") + [""]
            if a.get("activity") and a["activity"] in pr.activities:
                act = pr.activities[a["activity"]]
                out += activity_block(act.kind, act.id)
        if s.get("materials"):
            out += ["**Materials**", ""] + bullets(s["materials"], S + ".materials") + [""]
        if s.get("notes"):
            out += ["**Notes**", ""] + bullets(s["notes"], S + ".notes") + [""]
        if s.get("if_upset"):
            out += [":::{admonition} If someone is upset or discloses", ":class: warning", "", ref(S + ".if_upset"), ":::", ""]
    if cite(pr, w.get("sources")):
        out += ["## Sources", "", cite(pr, w["sources"]), ""]
    if body.strip():
        out += [body]
    return "\n".join(out)


def _band_lessons(pr: Project, band: str) -> list:
    return sorted((p for p in pr.lessons.values() if isinstance(p.front, dict) and isinstance(p.front.get("lesson"), dict)
                   and p.front["lesson"].get("age_band") == band), key=lambda p: p.rel)


def curriculum_map_md(pr: Project, docname: str) -> list[str]:
    """Fixed headings and one ``{lesson-table}`` directive a band: the tables are drawn from the data."""
    out = []
    for band in ("9-11", "12-14", "15-18"):
        pages = _band_lessons(pr, band)
        if not pages:
            continue
        total = sum(int(p.front["lesson"]["duration"]) for p in pages)
        n_obj = sum(len(p.front["lesson"]["objectives"]) for p in pages)
        out += [f"## {BAND_LABEL[band].capitalize()}", "",
                f"{len(pages)} lessons · {total} minutes · {n_obj} objectives", "",
                "```{lesson-table} " + band, ":map:", "```", ""]
    topics_seen = {t: set() for t in TOPIC}
    for p in pr.lessons.values():
        for t in p.front["lesson"]["topics"]:
            topics_seen.setdefault(t, set()).add(p.front["lesson"]["age_band"])
    out += ["## Topics across the bands", "", "| Topic | 9–11 | 12–14 | 15–18 |", "| --- | --- | --- | --- |"]
    for t, label in TOPIC.items():
        cells = ["yes" if b in topics_seen.get(t, set()) else "–" for b in ("9-11", "12-14", "15-18")]
        out.append(f"| {label} | " + " | ".join(cells) + " |")
    out.append("")
    return out


def _table(head: list[str], rows: list[list[str]], cls: str) -> str:
    """An HTML table shaped like the ones MyST writes (cells are HTML already escaped by the caller)."""
    th = "".join(f'<th class="head"><p>{h}</p></th>' for h in head)
    body = "".join('<tr class="row-{}">'.format("odd" if n % 2 == 0 else "even") +
                   "".join(f"<td><p>{c}</p></td>" for c in r) + "</tr>" for n, r in enumerate(rows))
    return (f'<table class="docutils align-default {cls}">\n<thead>\n<tr class="row-odd">{th}</tr>\n</thead>\n'
            f"<tbody>\n{body}\n</tbody>\n</table>")


def curriculum_table_html(pr: Project, docname: str, band: str) -> str:
    """One band's lessons: title (a link), minutes, topics, objectives, quiz items and practice."""
    rows = []
    for p in _band_lessons(pr, band):
        L = p.front["lesson"]
        link = f'<a class="reference internal" href="{html.escape(html_href(docname, p.rel[:-3]))}">{text.inline(typo(L["title"]))}</a>'
        objs = "<br>".join(f"{text.inline(o['id'])}: {text.inline(typo(o['text']))}" for o in L["objectives"])
        q = pr.activities.get(L["assessment"]["quiz"])
        nitems = len(q.data["items"]) if q and isinstance(q.data.get("items"), list) else 0
        practice = [pr.activities[s["activity"]] for s in L["steps"] if s.get("activity") in pr.activities]
        prac = ", ".join(f"{KIND_LABEL[a.kind]}: {text.inline(typo(a.data.get('title', '')))}" for a in practice) or "–"
        topics = ", ".join(typo(TOPIC[t]) if t in TOPIC else text.inline(typo(t)) for t in L["topics"])
        rows.append([link, str(int(L["duration"])), topics, objs, str(nitems), prac])
    return _table(["Lesson", "Minutes", "Topics", "Objectives", "Quiz items", "Practice"], rows, "stl-curriculum-map")


def lesson_list_html(pr: Project, docname: str, band: str) -> str:
    rows = []
    for p in _band_lessons(pr, band):
        L = p.front["lesson"]
        link = f'<a class="reference internal" href="{html.escape(html_href(docname, p.rel[:-3]))}">{text.inline(typo(L["title"]))}</a>'
        rows.append([link, str(int(L["duration"])), text.inline(typo(L["summary"]))])
    return _table(["Lesson", "Minutes", "Summary"], rows, "stl-lesson-list")


AUDIENCE_ORDER = (["9-11"], ["12-14"], ["12-14", "15-18"], ["15-18"], ["adults"], ["parents"], ["peer-educators"])


def library_md(pr: Project, docname: str, kind: str) -> list[str]:
    acts = sorted((a for a in pr.activities.values() if a.kind == kind), key=lambda a: a.id)
    out = []
    groups: dict[tuple, list] = {}
    for a in acts:
        aud = a.data.get("audience") or [a.data.get("age_band")]
        groups.setdefault(tuple(x for x in aud if x in BAND_LABEL), []).append(a)
    order = [tuple(k) for k in AUDIENCE_ORDER]
    for g in sorted(groups, key=lambda g: (order.index(g) if g in order else 99, g)):
        label = ", ".join(BAND_LABEL[x] for x in g) or "other groups"
        out += [f"## For {label}", ""]
        for a in groups[g]:
            out += activity_block(kind, a.id)
    return out


def lesson_list_md(pr: Project, docname: str, band: str) -> list[str]:
    return ["```{lesson-table} " + band, "```", ""] if band in BAND_LABEL else []


def band_of_dir(docname: str) -> str | None:
    return BAND_DIRS.get(Path(docname).parent.name)
