"""Activity nodes: a doctree holds only the kind, the id and the heading level of an activity; the HTML
visitor draws it with the renderer when the page is written, with links resolved by the builder."""
from __future__ import annotations

from docutils import nodes
from sphinx.util import logging

from ..i18n import _

logger = logging.getLogger(__name__)


class activity_node(nodes.General, nodes.Element):
    """An activity (``kind``, ``activity_id``, ``heading_level``) drawn at write time."""


def page_resolver(builder, docname: str, location=None):
    """A resolver for ``/page#anchor`` links in content: the page must be one Sphinx found (as
    ``book/page`` or ``page``); the builder makes the relative address."""
    env = builder.env

    def resolve(target: str):
        path, _sep, anchor = target.lstrip("/").partition("#")
        path = path.rstrip("/")
        for cand in (("book/" + path) if path else "book/index", path or "index"):
            for name in (cand, cand + "/index"):
                if name in env.found_docs:
                    href = builder.get_relative_uri(docname, name)
                    return href + ("#" + anchor if anchor else "")
        logger.warning(_("link to '{target}': no such page in the book").format(target=target),
                       location=location or docname, type="spotthelure")
        return None
    return resolve


class lesson_downloads_node(nodes.General, nodes.Element):
    """The downloads of a lesson (``lesson_id``), linked at write time like an activity's."""


def downloads_html(root_uri: str, kind: str, aid: str) -> str:
    """The line of printables and downloads under an activity, or a lesson's with ``kind`` "lesson"
    (``root_uri``: the site root, relative), from the one table of outputs (:data:`spotthelure.model.KINDS`)."""
    import html
    from ..model import KINDS
    from ..model.kinds import lesson_outputs
    outs = lesson_outputs(aid) if kind == "lesson" else KINDS[kind].outputs(aid) if kind in KINDS else []
    items = " · ".join(f'<a href="{html.escape(root_uri + o.path)}">{html.escape(_(o.label))}</a>' for o in outs)
    return f'<p class="stl-downloads">{html.escape(_("Downloads:"))} {items}</p>'


def _root_uri(builder, docname: str) -> str:
    """The relative address of the site root from the page being written (``../../`` and the like):
    the page's own output file tells how deep it is, for html, dirhtml and singlehtml alike."""
    from pathlib import Path
    try:
        out = Path(builder.get_outfilename(docname)).resolve().relative_to(Path(builder.outdir).resolve())
    except (AttributeError, ValueError):
        return ""
    return "../" * (len(out.parts) - 1)


def visit_activity_html(self, node: activity_node):
    from ..render_html import activity_html
    from .content import project
    app = self.builder.app
    pr = project(app)
    act = pr.activities.get(node["activity_id"])
    if act is None:
        raise nodes.SkipNode
    docname = self.builder.current_docname
    resolve = page_resolver(self.builder, docname, location=node)
    html = activity_html(act.kind, act.data, resolve, node.get("heading_level", 3), pr=pr)
    from .languages import activity_wrapper
    html = activity_wrapper(app, act.id, html)
    html += downloads_html(_root_uri(self.builder, docname), act.kind, act.id)
    self.body.append(html)
    raise nodes.SkipNode


def visit_lesson_downloads_html(self, node: lesson_downloads_node):
    self.body.append(downloads_html(_root_uri(self.builder, self.builder.current_docname), "lesson", node["lesson_id"]))
    raise nodes.SkipNode


def skip(self, node):
    """Builders other than HTML (text, LaTeX, gettext) leave the activity out: it is interactive."""
    raise nodes.SkipNode


def depart_noop(self, node):
    pass
