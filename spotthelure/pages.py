"""HTML blocks drawn from content for the pages of the book: the Get help box, the curriculum map's
tables and the lesson lists, with the helpers the Sphinx extension's generated pages share
(:mod:`spotthelure.sphinx.generated`).

Safe by construction: author text (front matter, ``local.yml``, activity titles) never becomes MyST
source or raw HTML of its own. Every value goes through the one escaping renderer
(:mod:`spotthelure.text`); the ``{stl}`` and ``{stl-plain}`` roles take only *keys*
(``page.lesson.steps.2.title``) and look the value up. A value with carriage returns, backticks,
``{raw}``, ``{download}``, an image or a tag therefore shows as the text it is.
"""
from __future__ import annotations

import functools
import html
import posixpath
import re

from docutils.utils import smartquotes

from . import text
from .i18n import _, label
from .project import Project
from .render_html import BAND_LABEL


# What a content role, an activity directive or a citation may name: keys, ids, citation keys.
KEY = re.compile(r"(page|local)(\.(?:[a-z_]+|\d+))+")
ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
CITE_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:+-]*")


def e(s: str) -> str:
    """A translated message as HTML text."""
    return html.escape(s, quote=False)


def typo(s) -> str:
    """Curly quotes, dashes and ellipses, as Sphinx gives the rest of the page (before escaping)."""
    return _typo(str(s))


@functools.lru_cache(maxsize=16384)
def _typo(s: str) -> str:
    return smartquotes.smartyPants(s, "qDe", "en")


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





def html_href(from_doc: str, to_doc: str, anchor: str = "") -> str:
    """A relative link from one built page to another."""
    return posixpath.relpath(to_doc + ".html", posixpath.dirname(from_doc) or ".") + (f"#{anchor}" if anchor else "")



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
           f'<p class="admonition-title" role="heading" aria-level="{level}">{e(_("Get help"))}</p>']
    if not loc.get("filled_in"):
        how = f' (<a class="reference internal" href="{html.escape(fill_in_href)}">{e(_("how"))}</a>)' if fill_in_href else ""
        out.append(f"<p><strong>{e(_('Fill in your local contacts.'))}</strong> " + e(_(
            "This box still shows the book’s defaults: international services only. Your school or organisation adds "
            "its safeguarding lead, local helplines and reporting routes in {file} and rebuilds the book")).format(
            file='<code class="docutils literal notranslate">local.yml</code>') + f"{how}.</p>")
    lead = loc.get("safeguarding_lead") if isinstance(loc.get("safeguarding_lead"), dict) else {}
    if lead.get("name") or lead.get("how_to_reach"):
        who = ", ".join(t(x) for x in (lead.get("name"), lead.get("role")) if x)
        reach = f": {t(lead['how_to_reach'])}" if lead.get("how_to_reach") else ""
        out.append(f"<p><strong>{e(_('Safeguarding lead:'))}</strong> {who}{reach}</p>")
    else:
        out.append(f"<p><strong>{e(_('Safeguarding lead:'))}</strong> "
                   f"{e(_('the designated safeguarding lead of your school or organisation.'))}</p>")
    if loc.get("organisation"):
        out.append(f"<p><strong>{e(_('Organisation:'))}</strong> {t(loc['organisation'])}</p>")
    from .helpbox import entries
    for key, title, rows in entries(pr, band):
        if not rows:
            continue
        out.append(f"<p><strong>{e(label('help_kind', key))}:</strong></p>")
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
    out += ["<p>" + e(_("A young person who was tricked, pressured or threatened is {not_in_trouble} for asking for help."))
            .format(not_in_trouble="<strong>" + e(_("not in trouble")) + "</strong>") + "</p>", "</div>"]
    return "\n".join(out)


def handouts_of(pr: Project, lesson_id: str) -> list:
    """The handouts a lesson uses, in file-name order (each names its lesson)."""
    return sorted((a for a in pr.activities.values() if a.kind == "handout" and a.data.get("lesson") == lesson_id),
                  key=lambda a: a.id)


@functools.lru_cache(maxsize=None)
def front_schema(kind: str):
    """The checker of a lesson's or workshop's front matter (built once)."""
    import jsonschema
    from . import schemas
    return jsonschema.Draft202012Validator(schemas.LESSON if kind == "lesson" else schemas.WORKSHOP)


def drawable_lessons(pr: Project) -> list:
    """The lesson pages whose front matter the schema accepts (validate reports the others), by path."""
    return sorted((p for p in pr.lessons.values() if isinstance(p.front, dict) and isinstance(p.front.get("lesson"), dict)
                   and front_schema("lesson").is_valid(p.front["lesson"])), key=lambda p: p.rel)


def band_lessons(pr: Project, band: str) -> list:
    return [p for p in drawable_lessons(pr) if p.front["lesson"].get("age_band") == band]


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
    for p in band_lessons(pr, band):
        L = p.front["lesson"]
        link = f'<a class="reference internal" href="{html.escape(html_href(docname, p.rel[:-3]))}">{text.inline(typo(L["title"]))}</a>'
        objs = "<br>".join(f"{text.inline(o['id'])}: {text.inline(typo(o['text']))}" for o in L["objectives"])
        q = pr.activities.get(L["assessment"]["quiz"])
        nitems = len(q.data["items"]) if q and isinstance(q.data.get("items"), list) else 0
        practice = [pr.activities[s["activity"]] for s in L["steps"] if s.get("activity") in pr.activities]
        prac = ", ".join(f"{label('kind', a.kind)}: {text.inline(typo(a.data.get('title', '')))}" for a in practice) or "–"
        topics = ", ".join(text.inline(typo(label("topic", t))) for t in L["topics"])
        rows.append([link, str(int(L["duration"])), topics, objs, str(nitems), prac])
    return _table([e(_("Lesson")), e(_("Minutes")), e(_("Topics")), e(_("Objectives")), e(_("Quiz items")), e(_("Practice"))],
                  rows, "stl-curriculum-map")


def lesson_list_html(pr: Project, docname: str, band: str) -> str:
    rows = []
    for p in band_lessons(pr, band):
        L = p.front["lesson"]
        link = f'<a class="reference internal" href="{html.escape(html_href(docname, p.rel[:-3]))}">{text.inline(typo(L["title"]))}</a>'
        rows.append([link, str(int(L["duration"])), text.inline(typo(L["summary"]))])
    return _table([e(_("Lesson")), e(_("Minutes")), e(_("Summary"))], rows, "stl-lesson-list")



