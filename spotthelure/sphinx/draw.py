"""Small builders of docutils nodes that the generated pages share: paragraphs, sections and tables,
the page values of a lesson or workshop as escaped nodes (:class:`PageValues`), the Get help box as
nodes (its citations through the bibliography's own role), and the listings a page depends on."""
from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

from .. import pages
from .. import text as text_mod
from sphinx.util import logging

from ..i18n import _
from .directives import has_problems, inline_nodes, project
from .nodes import activity_node

logger = logging.getLogger(__name__)


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
