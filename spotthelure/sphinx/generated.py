"""Pages and blocks drawn from content: ``{lesson-plan}`` and ``{workshop-plan}`` (a lesson or workshop
page from its front matter), ``{local-contacts}`` (the Get help box), ``{lesson-list}``/``{lesson-table}``,
``{curriculum-map}``, ``{roleplay-library}`` and ``{evaluation-tools}``.

Every directive emits docutils nodes. Author text (front matter, ``local.yml``, activity titles) never
becomes MyST source: it goes through the one escaping renderer (:mod:`spotthelure.text`) into ``raw``
inline HTML or, in headings, plain text. Activities are :class:`~.nodes.activity_node` placeholders
drawn when the page is written. Sections carry explicit, language-independent ids (``assessment``,
``objectives``), so links to them do not depend on the English heading.

A lesson or workshop page needs no directive of its own: at ``source-read`` its front matter is
replaced by a fixed, two-directive prelude (:data:`PRELUDE`), padded with blank lines so the body keeps
its line numbers.
"""
from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .. import pages
from .. import text as text_mod
from ..i18n import _, label
from ..problems import ContentError
from ..yamlload import split_front_matter
from .directives import has_problems, inline_nodes, project, report
from .nodes import activity_node

logger = logging.getLogger(__name__)
BANDS = ("9-11", "12-14", "15-18")

# What a lesson or workshop page's front matter becomes at source-read: fixed text, no author data.
PRELUDE = {
    "lesson": "# {stl-plain}`page.lesson.title`\n\n```{lesson-plan}\n```\n",
    "workshop": "# {stl-plain}`page.workshop.title`\n\n```{workshop-plan}\n```\n",
}
BROKEN_PAGE = {
    "lesson": lambda: _("# This lesson cannot be shown\n\nIts front matter has problems: run `spotthelure validate`.\n"),
    "workshop": lambda: _("# This workshop cannot be shown\n\nIts front matter has problems: run `spotthelure validate`.\n"),
}


# --- small node builders -------------------------------------------------------------------------

class page_ref(nodes.Inline, nodes.TextElement):
    """A link to another page of the book (``target``: a docname, ``anchor``: an id there), made
    relative by the builder when the page is written."""


class PageRefs(SphinxPostTransform):
    default_priority = 5

    def run(self, **kwargs):
        for node in list(self.document.findall(page_ref)):
            target, anchor = node["target"], node.get("anchor", "")
            if target not in self.env.found_docs:
                logger.warning(_("link to '{target}': no such page in the book").format(target=target),
                               location=node, type="spotthelure")
                node.replace_self(nodes.inline("", "", *node.children))
                continue
            uri = self.app.builder.get_relative_uri(self.env.docname, target) + (f"#{anchor}" if anchor else "")
            inner = nodes.inline("", "", *node.children, classes=["std", "std-ref"])   # as a MyST link has
            ref = nodes.reference("", "", inner, refuri=uri, internal=True)
            node.replace_self(ref)


class slides_link(nodes.Inline, nodes.TextElement):
    """The link from a lesson page to its slides (``lesson_id``), made relative to the site root when
    the page is written (:class:`SlidesLinks`); left out of the one-page (PDF) build."""


class SlidesLinks(SphinxPostTransform):
    default_priority = 5

    def run(self, **kwargs):
        from .. import slides
        from .nodes import _root_uri
        for node in list(self.document.findall(slides_link)):
            if self.app.builder.name not in ("html", "dirhtml"):
                holder = node.parent
                if isinstance(holder, nodes.paragraph) and "stl-slides" in holder["classes"]:
                    holder.parent.remove(holder)
                else:
                    holder.remove(node)
                continue
            uri = _root_uri(self.app.builder, self.env.docname) + slides.deck_path(node["lesson_id"])
            node.replace_self(nodes.reference("", "", *node.children, refuri=uri, internal=False,
                                              classes=["stl-slides-link"]))


def on_build_finished_slides(app, exc):
    """Write every lesson's slides into ``<site>/slides/`` (see :mod:`spotthelure.slides`)."""
    if exc is not None or app.builder.format != "html" or app.builder.name not in ("html", "dirhtml"):
        return
    from .. import slides
    try:
        slides.write_decks(project(app), Path(app.outdir))
    except ContentError as e:
        for p in e.problems:
            logger.warning(str(p), type="spotthelure")


def para(*children, **attrs) -> nodes.paragraph:
    return nodes.paragraph("", "", *children, **attrs)


def strong(s: str) -> nodes.strong:
    return nodes.strong(s, s)


def section(ids: str, *title) -> nodes.section:
    sec = nodes.section(ids=[ids])
    sec += nodes.title("", "", *title)
    return sec


class _Builder:
    """What the lesson and workshop directives share: the page's values as escaped nodes."""

    def __init__(self, directive: SphinxDirective):
        self.d = directive
        self.env = directive.env
        self.pr = project(self.env.app)

    def text(self, value) -> list:
        return inline_nodes(self.env, value)

    def plain(self, value) -> nodes.Text:
        return nodes.Text(text_mod.plain(" ".join(str(value).split())))

    def bullets(self, items) -> nodes.bullet_list:
        lst = nodes.bullet_list(bullet="-")
        for item in items or []:
            lst += nodes.list_item("", para(*self.text(item)))
        return lst

    def labelled(self, name: str, value) -> nodes.paragraph:
        return para(strong(name), nodes.Text(" "), *self.text(value))

    def activity(self, kind: str, aid) -> list:
        act = self.pr.activities.get(aid) if pages.safe_id(aid) else None
        if act is None or act.kind != kind:
            return []
        self.env.note_dependency(str(act.path))
        if any(p.path == act.rel for p in self.pr.problems):
            return []
        node = activity_node(kind=act.kind, activity_id=act.id, heading_level=3)
        self.d.set_source_info(node)
        return [node]

    def handouts(self, owner_id: str) -> list:
        found = pages.handouts_of(self.pr, owner_id)
        note_listing(self.env, "handouts:" + owner_id)
        return [n for h in found for n in self.activity("handout", h.id)]

    def cite(self, keys, before: str = "", after: str = "") -> list:
        """A paragraph with the bibliography's own citation role on keys that are in references.bib."""
        keys = [k for k in keys or [] if isinstance(k, str) and pages.CITE_KEY.fullmatch(k) and k in self.pr.bib_keys]
        if not keys:
            return []
        holder = nodes.paragraph()
        self.d.state.nested_parse(StringList(["{cite:p}`" + ",".join(keys) + "`"]), self.d.content_offset, holder)
        out = para(nodes.Text(before)) if before else para()
        for p in holder.findall(nodes.paragraph, include_self=False):
            out += [child.deepcopy() for child in p.children]
            break
        if after:
            out += nodes.Text(after)
        return [out]

    def help_box(self, band, level: int) -> list:
        return help_box_nodes(self.d, band, compact=True, level=level)

    def safeguarding(self, title: str, *body) -> nodes.admonition:
        box = nodes.admonition(classes=["important", "safeguarding"])
        box += nodes.title(title, title)
        for b in body:
            box += b
        return box


def _front(directive: SphinxDirective, kind: str):
    """This page's ``lesson``/``workshop`` front matter, or None (with a warning) when the page has none."""
    pr = project(directive.env.app)
    rel = pr.rel(Path(directive.env.doc2path(directive.env.docname)))
    page = pr.pages.get(rel)
    front = page.front if page is not None else None
    data = front.get(kind) if isinstance(front, dict) else None
    if not isinstance(data, dict):
        logger.warning(_("{{{kind}-plan}} needs a page whose front matter has '{kind}:'").format(kind=kind),
                       location=(directive.env.docname, directive.lineno), type="spotthelure")
        return None
    if has_problems(directive.env.app, rel, kind, data):
        return None
    return data


def _table(classes: list[str], head: list[str] | None, rows: list[list[list]], widths: list[int]) -> nodes.table:
    """A docutils table: ``rows`` of cells, each a list of inline nodes."""
    table = nodes.table(classes=classes)
    group = nodes.tgroup(cols=len(widths))
    table += group
    for w in widths:
        group += nodes.colspec(colwidth=w)
    if head:
        thead = nodes.thead()
        row = nodes.row()
        for h in head:
            row += nodes.entry("", para(nodes.Text(h)))
        thead += row
        group += thead
    tbody = nodes.tbody()
    for r in rows:
        row = nodes.row()
        for cell in r:
            row += nodes.entry("", para(*cell))
        tbody += row
    group += tbody
    return table


class LessonPlanDirective(SphinxDirective):
    """``{lesson-plan}``: the lesson page drawn from the page's ``lesson:`` front matter."""
    has_content = False

    def run(self):
        L = _front(self, "lesson")
        if L is None:
            return []
        b = _Builder(self)
        pr = b.pr
        band = L["age_band"]
        out: list = [para(*b.text(L["summary"]))]
        topics = []
        for i, t in enumerate(L.get("topics", [])):
            topics += ([nodes.Text(", ")] if i else []) + [nodes.Text(label("topic", t))]
        out.append(_table(["stl-glance"], None, [
            [[nodes.Text(_("Age band"))], [nodes.Text(label("band", band))]],
            [[nodes.Text(_("Time"))], [nodes.Text(_("{n} minutes").format(n=int(L["duration"])))]],
            [[nodes.Text(_("Topics"))], topics],
            [[nodes.Text(_("Last reviewed"))], b.text(L["last_reviewed"])]], [50, 50]))
        if pages.safe_id(L["id"]):
            out.append(para(slides_link("", _("Slides to project"), lesson_id=L["id"]),
                            nodes.Text(" " + _("(one deck from this plan: press S for the speaker notes)")),
                            classes=["stl-slides"]))
        S = L["safeguarding"]
        link = page_ref("", _("disclosure steps"), target="book/teachers/before-you-teach",
                        anchor="if-a-child-tells-you-something")
        out.append(b.safeguarding(
            _("Safeguarding: read before you teach"),
            b.labelled(_("Content note (give advance notice):"), S["content_note"]),
            b.labelled(_("Brief your designated safeguarding lead:"), S["dsl_briefed"]),
            b.labelled(_("Opting out:"), S["opt_out"]),
            b.labelled(_("Distancing:"), S["distancing"]),
            para(nodes.Text(_("If a learner tells you something worrying, follow the ")), link, nodes.Text(
                _(": listen, stay calm, don’t investigate, never promise secrecy, write down their words, "
                  "report the same day, never view or forward images.")))))
        out += b.help_box(band, level=2)

        sec = section("objectives", nodes.Text(_("Objectives")))
        lst = nodes.bullet_list(bullet="-")
        for o in L["objectives"]:
            oid = pages.safe_id(o.get("id"))
            head = [strong(oid)] if oid else b.text(o.get("id"))
            lst += nodes.list_item("", para(*head, nodes.Text(": "), *b.text(o["text"])))
        sec += lst
        out.append(sec)
        out.append(self._list("key-questions", _("Key questions"), b, L["key_questions"]))
        sec = section("vocabulary", nodes.Text(_("Vocabulary")))
        dl = nodes.definition_list(classes=["myst"])
        for v in L["vocabulary"]:
            dl += nodes.definition_list_item("", nodes.term("", "", *b.text(v["term"])),
                                             nodes.definition("", para(*b.text(v["meaning"]))))
        sec += dl
        out.append(sec)
        sec = self._list("materials", _("Materials"), b, L["materials"])
        sec += b.handouts(L["id"])
        # The book ships no PDFs (Chromium makes them): say how to make this lesson's pack.
        sec += para(strong(_("Lesson pack:")), nodes.Text(" " + _(
            "the run sheet, every handout, worksheet, answer key, role-play card set and the letter home in one file "
            "to print, with page numbers. Make it with ")), nodes.literal("make print", "make print"), nodes.Text(
            _(" (A4; PAPER=letter for US Letter): it is written to ")),
            nodes.literal("", f"_build/print/lessons/{L['id']}.pdf" if pages.safe_id(L["id"]) else "_build/print/lessons/"),
            nodes.Text("."))
        out.append(sec)
        out.append(self._list("preparation", _("Preparation"), b, L["preparation"]))

        steps = section("lesson-steps", nodes.Text(_("Lesson steps")))
        t = 0
        for i, s in enumerate(L["steps"]):
            m = int(s["minutes"])
            step = section(f"step-{i + 1}", nodes.Text(label("phase", s["phase"]) + ": "), b.plain(s["title"]),
                           nodes.Text(" " + _("({m} min, {start}–{end})").format(m=m, start=t, end=t + m)))
            t += m
            step += b.bullets(s["do"])
            if s.get("say"):
                step += nodes.block_quote("", b.labelled(_("You might say:"), s["say"]))
            if s.get("activity"):
                a = pr.activities.get(s["activity"])
                if a is not None and a.id == L["assessment"]["quiz"]:
                    ref = nodes.reference("", _("Assessment"), refid="assessment", internal=True)
                    step += para(nodes.Text(_("Use the quiz in ")), ref, nodes.Text(_(" below.")))
                elif a is not None:
                    step += b.activity(a.kind, a.id)
            steps += step
        out.append(steps)

        d = L["differentiation"]
        sec = section("differentiation", nodes.Text(_("Differentiation")))
        sec += [para(strong(_("Support"))), b.bullets(d["support"]), para(strong(_("Stretch"))), b.bullets(d["stretch"])]
        out.append(sec)
        sec = section("assessment", nodes.Text(_("Assessment")))
        sec += b.labelled(_("Exit ticket:"), L["assessment"]["exit_ticket"])
        sec += b.activity("quiz", L["assessment"]["quiz"])
        out.append(sec)
        out.append(self._list("key-points", _("Key points"), b, L["key_points"]))
        out.append(self._list("follow-up", _("Follow-up"), b, L["follow_up"]))
        sec = section("home-link", nodes.Text(_("Home link")))
        sec += para(*b.text(L["home_link"]))
        out.append(sec)
        cites = b.cite(L.get("sources"), before=_("Facts in this lesson come from "), after=".")
        if cites:
            sec = section("sources", nodes.Text(_("Sources")))
            sec += cites
            out.append(sec)
        out[-1] += para(nodes.emphasis("", _("Last reviewed: "), *b.text(L["last_reviewed"]), nodes.Text(".")))
        return out

    @staticmethod
    def _list(ids, title, b, items) -> nodes.section:
        sec = section(ids, nodes.Text(title))
        sec += b.bullets(items)
        return sec


def _clock(t: int) -> str:
    return f"{t // 60}:{t % 60:02d}"


class WorkshopPlanDirective(SphinxDirective):
    """``{workshop-plan}``: the workshop page drawn from the page's ``workshop:`` front matter."""
    has_content = False

    def run(self):
        W = _front(self, "workshop")
        if W is None:
            return []
        b = _Builder(self)
        pr = b.pr
        aud = [nodes.Text(label("band", W["audience"]))]
        dur = int(W["duration"])
        out: list = [para(*b.text(W["summary"]))]
        out.append(para(strong(_("For:")), nodes.Text(" "), *aud, nodes.Text(" · "), strong(_("Time:")),
                        nodes.Text(" " + _("{n} minutes ({h} h {m:02d} min)").format(n=dur, h=dur // 60, m=dur % 60)
                                   + " · "),
                        nodes.emphasis("", _("Last reviewed: "), *b.text(W["last_reviewed"]))))
        out.append(b.safeguarding(_("Safeguarding"), para(*b.text(W["safeguarding"]))))
        out += b.help_box(W["audience"], level=2)
        sec = section("objectives", nodes.Text(_("Objectives")))
        sec += b.bullets(W["objectives"])
        out.append(sec)

        sec = section("agenda", nodes.Text(_("Agenda")))
        rows, t = [], 0
        for s in W["sessions"]:
            m = int(s["minutes"])
            title = b.text(s["title"]) + ([nodes.Text(" " + _("(break)"))] if s.get("kind") == "break" else [])
            rows.append([[nodes.Text(f"{_clock(t)}–{_clock(t + m)}")], title, [nodes.Text(str(m))]])
            t += m
        sec += _table(["colwidths-auto"], [_("Time"), _("Session"), _("Minutes")], rows, [20, 60, 20])
        sec += para(nodes.Text(_("Times run from the start of the workshop (0:00).")))
        out.append(sec)
        sec = LessonPlanDirective._list("materials", _("Materials"), b, W["materials"])
        sec += b.handouts(W["id"])
        out.append(sec)
        out.append(LessonPlanDirective._list("preparation", _("Preparation"), b, W["preparation"]))

        manual = section("facilitator-manual", nodes.Text(_("Facilitator manual")))
        for i, s in enumerate(W["sessions"]):
            if s.get("kind") == "break":
                continue
            ses = section(f"session-{i + 1}", b.plain(s["title"]),
                          nodes.Text(" " + _("({m} min)").format(m=int(s["minutes"]))))
            for key, title in (("objectives", _("Objectives")), ("talking_points", _("Talking points"))):
                if s.get(key):
                    ses += [para(strong(title)), b.bullets(s[key])]
            for a in s.get("activities") or []:
                ses += para(nodes.strong("", _("Activity:") + " ", *b.text(a["title"])),
                            nodes.Text(" " + _("({m} min)").format(m=int(a["minutes"]))))
                ses += b.bullets(a["do"])
                if a.get("activity") and a["activity"] in pr.activities:
                    act = pr.activities[a["activity"]]
                    ses += b.activity(act.kind, act.id)
            if s.get("materials"):
                ses += [para(strong(_("Materials"))), b.bullets(s["materials"])]
            if s.get("notes"):
                ses += [para(strong(_("Notes"))), b.bullets(s["notes"])]
            if s.get("if_upset"):
                box = nodes.admonition(classes=["warning"])
                box += nodes.title("", _("If someone is upset or discloses"))
                box += para(*b.text(s["if_upset"]))
                ses += box
            manual += ses
        out.append(manual)
        cites = b.cite(W.get("sources"))
        if cites:
            sec = section("sources", nodes.Text(_("Sources")))
            sec += cites
            out.append(sec)
        return out


# --- the Get help box ----------------------------------------------------------------------------

def _section_depth(node) -> int:
    depth = 0
    while node is not None:
        depth += isinstance(node, nodes.section)
        node = node.parent
    return depth


def help_box_nodes(directive: SphinxDirective, band, compact: bool, level: int) -> list:
    env = directive.env
    app = env.app
    pr = project(app)
    env.note_dependency(str(Path(app.srcdir) / "local.yml"))
    cites: list[str] = []

    def cite(key):
        if not (isinstance(key, str) and pages.CITE_KEY.fullmatch(key) and key in pr.bib_keys):
            return ""
        cites.append(key)
        return f"<!--stl-cite:{len(cites) - 1}-->"
    from .directives import resolver
    fill_in = app.builder.get_relative_uri(env.docname, "book/how-to-use") if "book/how-to-use" in env.found_docs else None
    box = pages.help_box_html(pr, band, level, resolve=resolver(app, env.docname), cite=None if compact else cite,
                              fill_in_href=fill_in + "#filling-in-your-local-contacts" if fill_in else None)
    out = []
    for i, part in enumerate(re.split(r"<!--stl-cite:(\d+)-->", box)):
        if i % 2 == 0:
            out.append(nodes.raw("", part, format="html"))
            continue
        # A citation: the bibliography's own role, on a key that is in references.bib.
        holder = nodes.paragraph()
        directive.state.nested_parse(StringList(["{cite:p}`" + cites[int(part)] + "`"]), directive.content_offset, holder)
        inline = nodes.inline()
        for p in holder.findall(nodes.paragraph, include_self=False):
            inline += [child.deepcopy() for child in p.children]
            break
        out.append(inline)
    return out


class HelpBoxDirective(SphinxDirective):
    """``{local-contacts}``: the Get help box from local.yml (``:compact:`` leaves out the citations)."""
    has_content = False
    option_spec = {"compact": directives.flag, "band": directives.unchanged}

    def run(self):
        renderer = getattr(self.state, "_renderer", None)   # MyST: the node the directive goes into
        level = _section_depth(getattr(renderer, "current_node", None)) + 1
        return help_box_nodes(self, self.options.get("band"), "compact" in self.options, level)


# --- lesson lists, the curriculum map and the libraries ------------------------------------------

def _note_lessons(env, pr, activities: bool = False) -> None:
    for p in pr.lessons.values():
        env.note_dependency(str(p.path))
    note_listing(env, "lessons")
    if activities:
        for a in pr.activities.values():
            env.note_dependency(str(a.path))
        note_listing(env, "activities")


class LessonTableDirective(SphinxDirective):
    """``{lesson-table} BAND`` (``{lesson-list} BAND``): a band's lessons; ``:map:`` for the curriculum map."""
    required_arguments = 1
    has_content = False
    option_spec = {"map": directives.flag}

    def run(self):
        pr = project(self.env.app)
        band = self.arguments[0]
        if band not in BANDS:
            logger.warning(_("'{band}' is not an age band (9-11, 12-14 or 15-18)").format(band=band),
                           location=(self.env.docname, self.lineno), type="spotthelure")
            return []
        _note_lessons(self.env, pr, activities="map" in self.options)
        if "map" in self.options:
            html = pages.curriculum_table_html(pr, self.env.docname, band)
        else:
            html = pages.lesson_list_html(pr, self.env.docname, band)
        return [nodes.raw("", html, format="html")]


def place_sections(directive: SphinxDirective, sections: list, level: int = 2) -> list:
    """Sections a block directive makes, placed as headings of ``level`` would be (siblings of the
    page's other level-2 sections, not children of the section the directive stands in). Under MyST
    the parser's own section state places them, and what follows the directive goes into the last
    one, as it would after a heading; elsewhere they are returned as they are."""
    renderer = getattr(directive.state, "_renderer", None)
    place = getattr(renderer, "update_section_level_state", None)
    if not sections or place is None or getattr(renderer, "_level_to_section", None) is None \
            or not any(k < level for k in renderer._level_to_section):
        return sections
    for sec in sections:
        place(sec, level)
    renderer.current_node = sections[-1]
    return []


class CurriculumMapDirective(SphinxDirective):
    """``{curriculum-map}``: each band's lessons (a section a band) and the topics across the bands."""
    has_content = False

    def run(self):
        pr = project(self.env.app)
        _note_lessons(self.env, pr, activities=True)
        out = []
        for band in BANDS:
            lessons = pages.band_lessons(pr, band)
            if not lessons:
                continue
            total = sum(int(p.front["lesson"]["duration"]) for p in lessons)
            n_obj = sum(len(p.front["lesson"]["objectives"]) for p in lessons)
            sec = section(f"band-{band}", nodes.Text(label("band", band).capitalize()))
            sec += para(nodes.Text(_("{n} lessons · {m} minutes · {o} objectives").format(n=len(lessons), m=total, o=n_obj)))
            sec += nodes.raw("", pages.curriculum_table_html(pr, self.env.docname, band), format="html")
            out.append(sec)
        seen: dict[str, set] = {}
        for p in pages.drawable_lessons(pr):
            for t in p.front["lesson"]["topics"]:
                seen.setdefault(t, set()).add(p.front["lesson"]["age_band"])
        sec = section("topics-across-the-bands", nodes.Text(_("Topics across the bands")))
        rows = [[[nodes.Text(name)]] + [[nodes.Text(_("yes") if b in seen.get(t, set()) else "–")] for b in BANDS]
                for t, name in _topic_labels().items()]
        sec += _table(["colwidths-auto"], [_("Topic")] + [b.replace("-", "–") for b in BANDS], rows,
                      [40, 20, 20, 20])
        out.append(sec)
        return place_sections(self, out)


def _topic_labels() -> dict[str, str]:
    from ..i18n import labels
    return labels("topic")


AUDIENCE_ORDER = (("9-11",), ("12-14",), ("12-14", "15-18"), ("15-18",), ("adults",), ("parents",), ("peer-educators",))


class LibraryDirective(SphinxDirective):
    """``{roleplay-library}``/``{evaluation-tools}``: every role-play or questionnaire, a section a group."""
    has_content = False
    kind = ""

    def run(self):
        pr = project(self.env.app)
        _note_lessons(self.env, pr, activities=True)
        b = _Builder(self)
        groups: dict[tuple, list] = {}
        for a in sorted((a for a in pr.activities.values() if a.kind == self.kind), key=lambda a: a.id):
            aud = a.data.get("audience") or [a.data.get("age_band")]
            groups.setdefault(tuple(x for x in aud if x in pages.BAND_LABEL), []).append(a)
        out = []
        for g in sorted(groups, key=lambda g: (AUDIENCE_ORDER.index(g) if g in AUDIENCE_ORDER else 99, g)):
            names = ", ".join(label("band", x) for x in g) or _("other groups")
            sec = section("for-" + ("-".join(g) or "others"), nodes.Text(_("For {who}").format(who=names)))
            for a in groups[g]:
                sec += b.activity(self.kind, a.id)
            out.append(sec)
        return place_sections(self, out)


def library_directive(kind: str):
    return type(f"{kind.title()}LibraryDirective", (LibraryDirective,), {"kind": kind})


# --- the country fact sheets ---------------------------------------------------------------------

class FactsheetListDirective(SphinxDirective):
    """``{factsheet-list}``: a link to each country's fact sheet (``factsheets/<CODE>.html``, written
    with the site) and to the empty sheet; a country with no sourced figure says so."""
    has_content = False

    def run(self):
        from .. import countries
        from ..factsheet import SITE_FOLDER, TEMPLATE_SHEET
        from ..yamlload import load_yaml_file
        from .nodes import _root_uri
        root = Path(self.env.app.srcdir)
        for path in countries.files(root):
            self.env.note_dependency(str(path))
        note_listing(self.env, "countries")
        up = _root_uri(self.env.app.builder, self.env.docname)
        lst = nodes.bullet_list(bullet="-", classes=["stl-factsheets"])
        for path in countries.files(root):
            try:
                data = load_yaml_file(path, str(countries.FOLDER / path.name))
            except ContentError:
                continue          # reported by validate, which stops the build
            if not isinstance(data, dict):
                continue
            name = " ".join(str(data.get("name") or path.stem).split())
            ref = nodes.reference("", "", nodes.Text(_("{country} ({code})").format(country=name, code=path.stem)),
                                  refuri=f"{up}{SITE_FOLDER}/{path.stem}.html")
            item = para(ref)
            if not data.get("figures"):
                item += nodes.Text(" · " + _("no sourced figure yet"))
            lst += nodes.list_item("", item)
        lst += nodes.list_item("", para(nodes.reference(
            "", "", nodes.Text(_("The empty sheet, for a country not listed yet")), refuri=up + TEMPLATE_SHEET)))
        return [lst]


# --- lesson and workshop pages at source-read ----------------------------------------------------

def on_source_read(app, docname, source):
    """A lesson or workshop page: its front matter becomes the fixed prelude (see :data:`PRELUDE`)."""
    text = source[0]
    path = Path(app.env.doc2path(docname))
    if path.suffix != ".md" or not text.startswith("---"):
        return
    pr = project(app)
    rel = pr.rel(path)
    try:
        front, body, _line = split_front_matter(text, rel)
    except ContentError:
        return  # reported when the project was checked
    kind = next((k for k in ("lesson", "workshop") if isinstance(front, dict) and isinstance(front.get(k), dict)), None)
    if kind is None:
        return
    if has_problems(app, rel, kind, front[kind]):
        # Its problems were reported at builder-inited (path:line); a page without the broken data.
        source[0] = BROKEN_PAGE[kind]()
        return
    prelude = PRELUDE[kind]
    pad = max(text.count("\n", 0, len(text) - len(body)) - prelude.count("\n"), 1)
    source[0] = prelude + "\n" * pad + body


# --- a new file reaches the pages that list it ---------------------------------------------------
# Sphinx re-reads a page when a file it depends on changes, not when a file is added. A page that lists
# activities or lessons records what it listed; a page whose list is different now is read again.

def listing(pr, what: str) -> list[str]:
    if what == "lessons":
        return sorted(pr.lessons)
    if what == "activities":
        return sorted(pr.activities)
    if what == "countries":
        from .. import countries
        return [p.name for p in countries.files(pr.root)]
    if what.startswith("handouts:"):
        return [h.id for h in pages.handouts_of(pr, what.partition(":")[2])]
    return []


def note_listing(env, what: str) -> None:
    env.spotthelure_listed = getattr(env, "spotthelure_listed", {})
    env.spotthelure_listed.setdefault(env.docname, {})[what] = listing(project(env.app), what)


def on_env_get_outdated(app, env, added, changed, removed):
    seen = getattr(env, "spotthelure_listed", {})
    if not seen:
        return []
    pr = project(app)
    return [doc for doc, lists in seen.items() if doc in env.found_docs and doc not in changed
            and any(listing(pr, what) != ids for what, ids in lists.items())]


def on_env_purge_doc(app, env, docname):
    getattr(env, "spotthelure_listed", {}).pop(docname, None)


def on_env_merge_info(app, env, docnames, other):
    env.spotthelure_listed = getattr(env, "spotthelure_listed", {})
    env.spotthelure_listed.update({d: v for d, v in getattr(other, "spotthelure_listed", {}).items() if d in docnames})
