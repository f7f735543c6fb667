"""The activity directives (``{quiz}``, ``{scenario}``, ``{roleplay}``, ``{questionnaire}``,
``{handout}``), the ``{stl}``/``{stl-plain}`` content roles, the links post-transform, and the one
project a build reads (loaded and checked once, at ``builder-inited``)."""
from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .. import pages, translate
from .. import text as text_mod
from ..i18n import _
from .content import project  # noqa: F401 (generated.py and build_state import it from here too)
from .nodes import activity_node, page_resolver

logger = logging.getLogger(__name__)
KINDS = ("quiz", "scenario", "roleplay", "questionnaire", "handout")


def report(app, problems) -> None:
    """Problems as ``path:line: message`` warnings (a strict build fails on them)."""
    for p in problems:
        # A "path:line" string: a (docname, line) pair would be printed with a page suffix added.
        logger.warning(p.message, location=f"{Path(app.srcdir) / p.path}:{p.line}", type="spotthelure")


def on_builder_inited_validate(app):
    """The same checks as ``spotthelure validate``, once a build: a build fails on what validate refuses."""
    from ..project import load_project
    from ..validation import validate_project
    if app.config.spotthelure_checked:
        # `spotthelure build` checked the content and every language's catalogs before the build
        app._spotthelure_validated = []
        return
    lang = translate.tag(app.config.language or "en")
    english = project(app) if lang == "en" else load_project(Path(app.srcdir))
    problems = validate_project(english)
    if lang != "en":    # a translated build: the checks run on the English; here the catalog
        problems += translate.check_catalog(english, lang)
    app._spotthelure_validated = problems
    report(app, problems)


def has_problems(app, rel: str, kind: str | None = None, data=None) -> bool:
    """Whether a page cannot be drawn: its file did not load, or its ``kind`` front matter does not
    match the schema (both reported at builder-inited). Other problems are reported, and the page is
    still drawn from data the schema accepts."""
    if any(p.path == rel for p in project(app).problems):
        return True
    return kind is not None and not pages.front_schema(kind).is_valid(data)


def resolver(app, docname: str):
    """A link resolver for text drawn at read time (roles): checked against the pages Sphinx found."""
    return page_resolver(app.builder, docname)


class ActivityDirective(SphinxDirective):
    required_arguments = 1
    optional_arguments = 0
    has_content = False
    option_spec = {"heading-level": int}
    kind = ""

    def run(self):
        app = self.env.app
        pr = project(app)
        aid = self.arguments[0]
        act = pr.activities.get(aid)
        if act is None or act.kind != self.kind:
            logger.warning(_("{kind} '{id}' not found under activities/").format(kind=self.kind, id=aid),
                           location=(self.env.docname, self.lineno), type="spotthelure")
            return []
        self.env.note_dependency(str(act.path))
        self.env.note_dependency(str(Path(app.srcdir) / "local.yml"))
        if getattr(pr, "catalog", None) is not None:     # a translated build: the words come from here
            from .. import translate
            self.env.note_dependency(str(translate.catalog_path(Path(app.srcdir), pr.lang)))
        if any(p.path == act.rel for p in pr.problems):
            # Problems were already reported once; do not render broken content.
            return []
        node = activity_node(kind=act.kind, activity_id=act.id, heading_level=self.options.get("heading-level", 3))
        self.set_source_info(node)
        return [node]


def activity_directive(kind):
    return type(f"{kind.title()}Directive", (ActivityDirective,), {"kind": kind})


def _page_value(env, key: str):
    """The content value a key names: ``page.`` is this page's front matter, ``local.`` is local.yml."""
    if not pages.KEY.fullmatch(key):
        raise KeyError(key)
    pr = project(env.app)
    src, _sep, rest = key.partition(".")
    if src == "page":
        page = pr.pages.get(pr.rel(Path(env.doc2path(env.docname))))
        data = page.front if page is not None else None
    else:
        env.note_dependency(str(Path(env.app.srcdir) / "local.yml"))
        data = pr.local
    return pages.lookup(data, rest)


def inline_nodes(env, value, plain: bool = False) -> list:
    """Author text as nodes, escaped by the one renderer: plain text, or the inline markup subset."""
    value = " ".join(str(value).split())
    if plain:
        return [nodes.Text(text_mod.plain(value))]
    return [nodes.raw("", text_mod.inline(pages.typo(value), resolver(env.app, env.docname)), format="html")]


def content_role(plain: bool):
    """``{stl}`KEY``` and ``{stl-plain}`KEY```: a content value, escaped by the one renderer."""
    def role(name, rawtext, key, lineno, inliner, options=None, content=None):
        env = inliner.document.settings.env
        try:
            value = _page_value(env, key)
        except (KeyError, IndexError):
            msg = inliner.reporter.error(_("no content value '{key}'").format(key=key), line=lineno)
            return [inliner.problematic(rawtext, rawtext, msg)], [msg]
        return inline_nodes(env, value, plain), []
    return role


_LINK_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")


class SafeLinks(SphinxPostTransform):
    """A link on a page goes to the book, http(s) or mailto: never ``javascript:``, ``data:`` and
    the like, whatever wrote it (a bibliography entry's url, a page, an extension). Others become text."""
    default_priority = 900

    def run(self, **kwargs):
        for ref in list(self.document.findall(nodes.reference)):
            m = _LINK_SCHEME.match(ref.get("refuri", "") or "")
            if m and m.group(1).lower() not in ("http", "https", "mailto"):
                logger.warning(_("link to a '{scheme}:' address left out: only http(s) and mailto links are kept")
                               .format(scheme=m.group(1)), location=ref, type="spotthelure")
                ref.replace_self(nodes.inline("", "", *ref.children))
