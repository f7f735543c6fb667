"""An offline, private, light page head: no CDN, no unused scripts or styles, every script deferred,
a Content-Security-Policy on every page, and a root page that forwards to the book's start.

Each rule undoes one behaviour of Jupyter Book 1 (or of its theme and extensions) that the book does
not want; the comment on each says which.
"""
from __future__ import annotations

import html
import posixpath
import re
import shutil
from pathlib import Path

from ..i18n import _

STATIC = Path(__file__).resolve().parent.parent / "static"

# Jupyter Book adds Thebe, MathJax, require.js, the Jupyter widgets manager, copybutton and the book
# theme's scripts to every page; each would fetch from the internet or ship code the book never uses.
_DROP = re.compile(r"thebe|mathjax|require\.js|jupyter-widgets|html-manager|copybutton|clipboard|sphinx-book-theme", re.I)


def on_page_context(app, pagename, templatename, context, doctree):
    for key in ("script_files", "css_files"):
        files = context.get(key)
        if files is None:
            continue
        kept = []
        for f in files:
            name = str(getattr(f, "filename", f) or "")
            attrs = getattr(f, "attributes", None)
            body = str(attrs.get("body", "")) if isinstance(attrs, dict) else ""
            if name.startswith(("http://", "https://", "//")) or _DROP.search(name) or _DROP.search(body):
                continue
            kept.append(f)
        context[key] = kept


def on_page_context_late(app, pagename, templatename, context, doctree):
    """After the theme (furo) has filled the context."""
    nav = context.get("furo_navigation_tree")
    if isinstance(nav, str):
        # furo marks sidebar captions role="heading" without a level: screen readers need one.
        context["furo_navigation_tree"] = nav.replace('role="heading"', 'role="heading" aria-level="2"')
    body = context.get("body")
    if isinstance(body, str) and "doc-biblioentry" in body:
        # docutils marks citations with a role ARIA has deprecated, inside role="list": say "listitem".
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')
    if isinstance(context.get("script_files"), list) and isinstance(body, str):
        context["script_files"] = _light_scripts(context["script_files"], body)
    if isinstance(context.get("css_files"), list):
        # myst-nb and Pygments link their styles on every page; pages without code or cells skip them.
        context["css_files"] = [c for c in context["css_files"] if _used(c, body if isinstance(body, str) else "")]


# Assets a page links only when its body uses them: each stylesheet blocks the first paint.
# myst-nb's styles are for code cells and text outputs; a notebook page that shows only HTML outputs
# (the student modules, the charts) looks the same without them.
_ONLY_WHEN = {"pygments.css": ('class="highlight',),
              "mystnb.": ("cell_input", "text_plain", "output stream", "ansi-", "jp-", "details class=\"hide")}


def _used(asset, body: str) -> bool:
    base = posixpath.basename(str(getattr(asset, "filename", asset) or "").split("?")[0])
    need = next((v for k, v in _ONLY_WHEN.items() if base.startswith(k)), None)
    return need is None or any(k in body for k in need)


def _light_scripts(scripts: list, body: str) -> list:
    """Every local script deferred (none blocks the first paint; order is kept), unused ones left out.

    Sphinx and Jupyter Book add their scripts without ``defer``. A deferred copy is made with the
    asset's own class (``type(js)``), so no private Sphinx name is imported.
    """
    out = []
    for js in scripts:
        if not _used(js, body):
            continue
        name = str(getattr(js, "filename", js) or "")
        attrs = dict(getattr(js, "attributes", {}) or {})
        if hasattr(js, "priority") and name.startswith("_static/") and not ({"defer", "async"} & set(attrs)) \
                and attrs.get("type", "text/javascript") in ("text/javascript", ""):
            attrs["defer"] = "defer"
            js = type(js)(js.filename, priority=js.priority, **attrs)
        out.append(js)
    return out


def on_builder_inited(app):
    """Every page written gets its Content-Security-Policy; the search index gets plain-text titles
    (Sphinx indexes titles as HTML and the search page shows them as text: see static/searchtools.js)."""
    b = app.builder
    if b.format != "html" or not hasattr(b, "templates"):
        return
    from sphinx.util.nodes import clean_astext
    from .. import csp
    render = b.templates.render
    b.templates.render = lambda template, context: csp.add_meta(render(template, context))
    index_page = b.index_page

    def plain_index_page(pagename, doctree, title):
        node = app.env.titles.get(pagename)
        return index_page(pagename, doctree, clean_astext(node) if (title and node is not None) else title)
    b.index_page = plain_index_page


def on_config_inited_late(app, config):
    """No figure numbers: the book cites no figure by number, and numbering makes Sphinx reload every
    page's doctree on each build. (Jupyter Book's LaTeX extension turns numbering on for all builders.)"""
    config["numfig"] = False


ROOT_PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Refresh" content="0; url={url}">
<title>{title}</title>
</head>
<body>
<main><p><a href="{url}">{open}</a></p></main>
</body>
</html>
"""


def on_build_finished_root(app, exc):
    """The site's root page: a small, valid, accessible page that forwards to the book's start, and
    the icon browsers ask the site root for.

    Runs before sphinx-external-toc, which only writes its bare redirect when no index.html exists.
    """
    if exc is not None or app.builder.name != "html":
        return
    shutil.copyfile(STATIC / "favicon.ico", Path(app.outdir) / "favicon.ico")
    index = Path(app.outdir) / "index.html"
    root = app.config.master_doc
    if root == "index" or (index.exists() and "http-equiv" not in index.read_text(encoding="utf-8")[:600]):
        return
    title = html.escape(app.config.html_title or app.config.project)
    from ..csp import add_meta
    index.write_text(add_meta(ROOT_PAGE.format(
        lang=html.escape(app.config.language or "en"), url=html.escape(root + ".html"), title=title,
        open=_("Open {title}").format(title=title))), encoding="utf-8")
