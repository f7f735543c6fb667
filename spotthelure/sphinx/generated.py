"""Pages and blocks drawn from content: ``{local-contacts}`` (the Get help box),
``{lesson-list}``/``{lesson-table}``, ``{curriculum-map}``, ``{roleplay-library}`` and
``{evaluation-tools}``; the prelude that makes a lesson or workshop page of its front matter (the
``{lesson-plan}`` and ``{workshop-plan}`` that draw them are in :mod:`.plans`, the node builders
they share in :mod:`.draw`).

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

from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .. import pages
from ..i18n import _, label
from ..problems import ContentError
from ..yamlload import split_front_matter
from .directives import has_problems, project
from .draw import _Builder, _section_depth, _table, help_box_nodes, listing, note_listing, para, section  # noqa: F401

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
    from .build_state import inputs, outputs_current, record_outputs
    name = f"slides-{app.builder.name}"          # skipped when no input changed and every deck is there
    lock = Path(app.srcdir) / "package-lock.json"  # the reveal.js copied beside the decks
    key = inputs(app).everything() + (str(lock.stat().st_mtime_ns) if lock.is_file() else "-")
    if outputs_current(app, name, key):
        return
    try:
        written = slides.write_decks(project(app), Path(app.outdir))
    except ContentError as e:
        for p in e.problems:
            logger.warning(str(p), type="spotthelure")
        return
    record_outputs(app, name, key, written)


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
