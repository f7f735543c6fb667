"""Sphinx extension: the ``{campaign-planner}`` directive (listed in ``_config.yml`` on its own).

The directive draws the planner from ``data/campaign.yml`` (see :mod:`spotthelure.campaign`), in the
build's language (its words from the content catalog ``locales/<code>/LC_MESSAGES/activities.po``); a
planner with problems is not drawn, and each problem is a ``path:line`` warning (the strict build
fails on it). Citations are the bibliography's own (``{cite:p}``), so every source appears in the
book's references. The planner's script and styles are added to the pages that show it only.
"""
from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .campaign import FILE, campaign_problems, load_campaign
from .campaign_html import book_href, in_language, planner_html
from .i18n import _, current_language, language
from .problems import ContentError
from .translate import catalog_path, tag

logger = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
_CITE_KEY = re.compile(r"[A-Za-z0-9_.:-]+")


def bib_keys(root: Path) -> set[str]:
    """The keys of ``references.bib`` (the book's validator reports what is wrong in the file itself)."""
    from .project import _BIBKEY
    from .yamlload import read_text
    try:
        return {m.group(2) for m in _BIBKEY.finditer(read_text(root / "references.bib", "references.bib", limit=8 << 20))}
    except ContentError:
        return set()


class campaign_planner(nodes.General, nodes.Element):
    """The planner on a page: its children are the HTML parts and the citations between them."""


def _visit_html(self, node):
    self.body.append('<div class="stl-campaign-wrap">')


def _depart_html(self, node):
    self.body.append("</div>")


def _visit_other(self, node):
    raise nodes.SkipNode


class CampaignPlannerDirective(SphinxDirective):
    """``{campaign-planner}``: the planner (``:heading-level:`` of its title, 2 by default)."""
    has_content = False
    option_spec = {"heading-level": directives.positive_int}

    def run(self):
        root = Path(self.env.app.srcdir)
        self.env.note_dependency(str(root / FILE))
        self.env.note_dependency(str(root / "references.bib"))
        c, problems = load_campaign(root)
        if c is not None and not problems:
            problems = campaign_problems(c, root, bib_keys(root))
        if c is None or problems:
            for p in problems or []:
                logger.warning(p.message, location=f"{root / p.path}:{p.line}", type="spotthelure")
            if c is None and not problems:
                logger.warning(_("{file} is missing: the campaign planner has no data").format(file=FILE), location=(self.env.docname, self.lineno),
                               type="spotthelure")
            return []
        cites: list[str] = []

        def cite(key):
            if not (isinstance(key, str) and _CITE_KEY.fullmatch(key)):
                return ""
            cites.append(key)
            from markupsafe import Markup
            return Markup(f"<!--stl-cite:{len(cites) - 1}-->")
        # In the build's language: the words from the content catalog, the ids, links, tips and
        # citations from data/campaign.yml (the catalog is checked with the book's other content).
        lang = tag(self.env.config.language or current_language())
        if catalog_path(root, lang).is_file():     # (a missing dependency would rebuild the page every time)
            self.env.note_dependency(str(catalog_path(root, lang)))
        with language(lang):
            html = planner_html(in_language(c, root, lang), book_href(self.env.docname), cite,
                                level=self.options.get("heading-level", 2))
        node = campaign_planner()
        for i, part in enumerate(re.split(r"<!--stl-cite:(\d+)-->", html)):
            if i % 2 == 0:
                node += nodes.raw("", part, format="html")
                continue
            holder = nodes.paragraph()
            self.state.nested_parse(StringList(["{cite:p}`" + cites[int(part)] + "`"]), self.content_offset, holder)
            inline = nodes.inline()
            for para in holder.findall(nodes.paragraph, include_self=False):
                inline += [child.deepcopy() for child in para.children]
                break
            node += inline
        return [node]


def on_page_context(app, pagename, templatename, context, doctree):
    """The planner's script and styles, on the pages that show it (not on every page)."""
    uses = doctree is not None and next(iter(doctree.findall(campaign_planner)), None) is not None
    # A notebook's planner() output: the static planner in the page's HTML.
    if uses or "data-stl-campaign" in str(context.get("body") or ""):
        app.add_css_file("campaign-planner.css")
        app.add_js_file("campaign-planner.js", loading_method="defer")


def on_config_inited(app, config):
    if str(STATIC) not in map(str, config.html_static_path):
        config.html_static_path.append(str(STATIC))


def setup(app):
    app.add_node(campaign_planner, html=(_visit_html, _depart_html), latex=(_visit_other, None),
                 text=(_visit_other, None), man=(_visit_other, None), texinfo=(_visit_other, None))
    app.add_directive("campaign-planner", CampaignPlannerDirective)
    app.connect("config-inited", on_config_inited)
    # Before spotthelure.sphinxext's page-head trimming, which copies the page's script list.
    app.connect("html-page-context", on_page_context, priority=400)
    return {"version": "1", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
