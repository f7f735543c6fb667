"""Sphinx extension: activity directives, pages drawn from lesson and workshop front matter, the
local contacts box, and an offline, private page head (no CDN, no unused scripts).

Directives: ``{quiz}``, ``{scenario}``, ``{roleplay}``, ``{questionnaire}`` (one activity id each),
``{local-contacts}`` (the Get help box), ``{lesson-list} BAND``. Generated blocks (expanded when the
page is read): ``{curriculum-map}``, ``{roleplay-library}``, ``{evaluation-tools}``.

No author text is ever parsed as MyST: generated MyST holds fixed text, numbers, ids and keys, and
the ``{stl}``/``{stl-plain}`` roles and the directives look the data up and return it escaped by
:mod:`spotthelure.text` (see :mod:`spotthelure.pages`).
"""
from __future__ import annotations

import hashlib
import html
import json
import posixpath
import re
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.util import logging
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

from . import pages
from . import text as text_mod
from .problems import ContentError
from .project import Project, load_project
from .render_html import STATIC, activity_html
from .yamlload import split_front_matter

logger = logging.getLogger(__name__)
_MACRO = re.compile(r"^```\{(curriculum-map|roleplay-library|evaluation-tools)\}[ \t]*\n```[ \t]*$", re.M)
_PROJECT_KEY = "_spotthelure_project"


def project(app) -> Project:
    pr = getattr(app, _PROJECT_KEY, None)
    if pr is None:
        pr = load_project(Path(app.srcdir))
        setattr(app, _PROJECT_KEY, pr)
        for p in pr.problems:
            # A "path:line" string: a (docname, line) pair would be printed with a page suffix added.
            logger.warning(p.message, location=f"{Path(app.srcdir) / p.path}:{p.line}", type="spotthelure")
    return pr


def resolver(app, docname: str):
    srcdir = Path(app.srcdir)

    def resolve(target: str):
        path, _, anchor = target.lstrip("/").partition("#")
        for cand in ("book/" + path, path):
            cand = cand.rstrip("/") or "book/index"
            if (srcdir / (cand + ".md")).exists() or (srcdir / (cand + ".ipynb")).exists():
                href = posixpath.relpath(cand + ".html", posixpath.dirname(docname) or ".")
                return href + ("#" + anchor if anchor else "")
        logger.warning(f"link to '{target}': no such page in the book", location=docname, type="spotthelure")
        return None
    return resolve


def downloads(docname: str, kind: str, aid: str) -> str:
    from html import escape

    from .i18n import _
    from .model import KINDS
    rel = lambda p: posixpath.relpath(p, posixpath.dirname(docname) or ".")  # noqa: E731
    links = [(o.path, escape(_(o.label))) for o in KINDS[kind].outputs(aid)]   # the one table of outputs
    items = " · ".join(f'<a href="{rel(p)}">{t}</a>' for p, t in links)
    return f'<p class="stl-downloads">Downloads: {items}</p>'


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
            logger.warning(f"{self.kind} '{aid}' not found under activities/", location=(self.env.docname, self.lineno),
                           type="spotthelure")
            return []
        self.env.note_dependency(str(act.path))
        bad = [p for p in pr.problems if p.path == act.rel]
        if bad:
            # Problems were already reported once; do not render broken content.
            return []
        level = self.options.get("heading-level", 3)
        self.env.note_dependency(str(Path(app.srcdir) / "local.yml"))
        html = activity_html(act.kind, act.data, resolver(app, self.env.docname), level, pr=pr)
        html += downloads(self.env.docname, act.kind, act.id)
        return [nodes.raw("", html, format="html")]


def _directive(kind):
    return type(f"{kind.title()}Directive", (ActivityDirective,), {"kind": kind})


def on_source_read(app, docname, source):
    text = source[0]
    path = Path(app.env.doc2path(docname))
    if path.suffix != ".md":
        return
    has_front = text.startswith("---")
    if not has_front and "```{" not in text:
        return
    pr = project(app)
    if has_front:
        rel = pr.rel(path)
        try:
            front, body, _ = split_front_matter(text, rel)
        except ContentError:
            return  # reported when the project was loaded
        if isinstance(front, dict) and isinstance(front.get("lesson"), dict):
            if any(p.path == rel for p in pr.problems) or not _complete(front["lesson"], "lesson"):
                text = _broken_page(app, pr, rel, "lesson")
            else:
                text = pages.lesson_md(pr, docname, front["lesson"], body)
        elif isinstance(front, dict) and isinstance(front.get("workshop"), dict):
            if any(p.path == rel for p in pr.problems) or not _complete(front["workshop"], "workshop"):
                text = _broken_page(app, pr, rel, "workshop")
            else:
                text = pages.workshop_md(pr, docname, front["workshop"], body)

    def expand(m):
        name = m.group(1)
        for p in pr.lessons.values():
            app.env.note_dependency(str(p.path))
        if name == "curriculum-map":
            return "\n".join(pages.curriculum_map_md(pr, docname))
        for a in pr.activities.values():
            app.env.note_dependency(str(a.path))
        kind = "roleplay" if name == "roleplay-library" else "questionnaire"
        return "\n".join(pages.library_md(pr, docname, kind))
    source[0] = _MACRO.sub(expand, text)


def _broken_page(app, pr: Project, rel: str, kind: str) -> str:
    """A page whose front matter has problems: the problems as ``path:line`` warnings (the strict build
    fails on them), and a page without any of the broken data (MyST would otherwise choke on it)."""
    from .project import validate_project
    problems = getattr(app, "_spotthelure_validated", None)
    if problems is None:
        problems = validate_project(pr)
        app._spotthelure_validated = problems
    logged = {(p.path, p.line, p.message) for p in pr.problems}
    mine = [p for p in problems if p.path == rel]
    for p in mine:
        if (p.path, p.line, p.message) not in logged:
            logger.warning(p.message, location=f"{Path(app.srcdir) / p.path}:{p.line}", type="spotthelure")
    if not mine:
        logger.warning(f"this {kind}'s front matter does not match the schema; run `spotthelure validate`",
                       location=f"{Path(app.srcdir) / rel}:1", type="spotthelure")
    return f"# This {kind} cannot be shown\n\nIts front matter has problems: run `spotthelure validate`.\n"


def _page_value(env, key: str):
    """The content value a key names: ``page.`` is this page's front matter, ``local.`` is local.yml."""
    if not pages.KEY.fullmatch(key):
        raise KeyError(key)
    pr = project(env.app)
    src, _, rest = key.partition(".")
    if src == "page":
        page = pr.pages.get(pr.rel(Path(env.doc2path(env.docname))))
        data = page.front if page is not None else None
    else:
        env.note_dependency(str(Path(env.app.srcdir) / "local.yml"))
        data = pr.local
    return pages.lookup(data, rest)


def _content_role(plain: bool):
    """``{stl}`KEY``` and ``{stl-plain}`KEY```: a content value, escaped by the one renderer."""
    def role(name, rawtext, key, lineno, inliner, options=None, content=None):
        env = inliner.document.settings.env
        try:
            value = _page_value(env, key)
        except (KeyError, IndexError):
            msg = inliner.reporter.error(f"no content value '{key}'", line=lineno)
            return [inliner.problematic(rawtext, rawtext, msg)], [msg]
        value = " ".join(str(value).split())
        if plain:
            return [nodes.Text(text_mod.plain(value))], []
        return [nodes.raw("", text_mod.inline(pages.typo(value), resolver(env.app, env.docname)), format="html")], []
    return role


def _section_depth(node) -> int:
    depth = 0
    while node is not None:
        depth += isinstance(node, nodes.section)
        node = node.parent
    return depth


class HelpBoxDirective(SphinxDirective):
    """``{local-contacts}``: the Get help box from local.yml (``:compact:`` leaves out the citations)."""
    has_content = False
    option_spec = {"compact": directives.flag, "band": directives.unchanged}

    def run(self):
        app = self.env.app
        pr = project(app)
        app.env.note_dependency(str(Path(app.srcdir) / "local.yml"))
        cites: list[str] = []

        def cite(key):
            if not (isinstance(key, str) and pages.CITE_KEY.fullmatch(key) and key in pr.bib_keys):
                return ""
            cites.append(key)
            return f"<!--stl-cite:{len(cites) - 1}-->"
        renderer = getattr(self.state, "_renderer", None)   # MyST: the node the directive goes into
        level = _section_depth(getattr(renderer, "current_node", None)) + 1
        box = pages.help_box_html(pr, self.options.get("band"), level, resolve=resolver(app, self.env.docname),
                                  cite=None if "compact" in self.options else cite,
                                  fill_in_href=pages.html_href(self.env.docname, "book/how-to-use",
                                                               "filling-in-your-local-contacts"))
        out = []
        for i, part in enumerate(re.split(r"<!--stl-cite:(\d+)-->", box)):
            if i % 2 == 0:
                out.append(nodes.raw("", part, format="html"))
                continue
            # A citation: the bibliography's own role, on a key that is in references.bib.
            holder = nodes.paragraph()
            self.state.nested_parse(StringList(["{cite:p}`" + cites[int(part)] + "`"]), self.content_offset, holder)
            inline = nodes.inline()
            for para in holder.findall(nodes.paragraph, include_self=False):
                inline += [child.deepcopy() for child in para.children]
                break
            out.append(inline)
        return out


class LessonTableDirective(SphinxDirective):
    """``{lesson-table} BAND`` (``{lesson-list} BAND``): a band's lessons; ``:map:`` for the curriculum map."""
    required_arguments = 1
    has_content = False
    option_spec = {"map": directives.flag}

    def run(self):
        pr = project(self.env.app)
        band = self.arguments[0]
        if band not in ("9-11", "12-14", "15-18"):
            logger.warning(f"'{band}' is not an age band (9-11, 12-14 or 15-18)", location=(self.env.docname, self.lineno),
                           type="spotthelure")
            return []
        for p in pr.lessons.values():
            self.env.note_dependency(str(p.path))
        if "map" in self.options:
            for a in pr.activities.values():
                self.env.note_dependency(str(a.path))
            html = pages.curriculum_table_html(pr, self.env.docname, band)
        else:
            html = pages.lesson_list_html(pr, self.env.docname, band)
        return [nodes.raw("", html, format="html")]


def _complete(obj: dict, kind: str) -> bool:
    """Only draw pages whose data passed the schema (the validator reports the rest)."""
    import jsonschema
    from . import schemas
    return jsonschema.Draft202012Validator(schemas.LESSON if kind == "lesson" else schemas.WORKSHOP).is_valid(obj)


# Scripts and styles a page does not need: each would fetch from the internet or ship unused code.
_DROP = re.compile(r"thebe|mathjax|require\.js|jupyter-widgets|html-manager|copybutton|clipboard|sphinx-book-theme", re.I)


def on_page_context(app, pagename, templatename, context, doctree):
    for key in ("script_files", "css_files"):
        files = context.get(key)
        if files is None:
            continue
        kept = []
        for f in files:
            name = str(getattr(f, "filename", f) or "")
            body = str(getattr(f, "attributes", {}).get("body", "")) if hasattr(f, "attributes") else ""
            if name.startswith(("http://", "https://", "//")) or _DROP.search(name) or _DROP.search(body):
                continue
            kept.append(f)
        context[key] = kept


def on_page_context_late(app, pagename, templatename, context, doctree):
    """After the theme: sidebar captions are headings for screen readers, so they need a level."""
    nav = context.get("furo_navigation_tree")
    if isinstance(nav, str):
        context["furo_navigation_tree"] = nav.replace('role="heading"', 'role="heading" aria-level="2"')
    body = context.get("body")
    if isinstance(body, str) and "doc-biblioentry" in body:
        # docutils marks citations with a role ARIA has deprecated, inside role="list": say "listitem".
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')
    if isinstance(context.get("script_files"), list) and isinstance(body, str):
        context["script_files"] = _light_scripts(context["script_files"], body)
    if isinstance(context.get("css_files"), list):
        # Pages without a body (the index, search) show no code and no cells.
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
    """Every local script deferred (none blocks the first paint; order is kept), unused ones left out."""
    from sphinx.builders.html._assets import _JavaScript
    out = []
    for js in scripts:
        if not _used(js, body):
            continue
        name = str(getattr(js, "filename", js) or "")
        attrs = dict(getattr(js, "attributes", {}) or {})
        if isinstance(js, _JavaScript) and name.startswith("_static/") and not ({"defer", "async"} & set(attrs)) \
                and attrs.get("type", "text/javascript") in ("text/javascript", ""):
            attrs["defer"] = "defer"
            js = _JavaScript(js.filename, priority=js.priority, **attrs)
        out.append(js)
    return out


_LINK_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")


class SafeLinks(SphinxPostTransform):
    """A link on a page goes to the book, http(s) or mailto: never ``javascript:``, ``data:`` and
    the like, whatever wrote it (a bibliography entry's url, a page, an extension). Others become text."""
    default_priority = 900

    def run(self, **kwargs):
        for ref in list(self.document.findall(nodes.reference)):
            m = _LINK_SCHEME.match(ref.get("refuri", "") or "")
            if m and m.group(1).lower() not in ("http", "https", "mailto"):
                logger.warning(f"link to a '{m.group(1)}:' address left out: only http(s) and mailto links are kept",
                               location=ref, type="spotthelure")
                ref.replace_self(nodes.inline("", "", *ref.children))


def on_builder_inited(app):
    """Every page written gets its Content-Security-Policy; the search index gets plain-text titles
    (the search page shows them as text: see static/searchtools.js)."""
    b = app.builder
    if b.format != "html" or not hasattr(b, "templates"):
        return
    from sphinx.util.nodes import clean_astext
    from . import csp
    render = b.templates.render
    b.templates.render = lambda template, context: csp.add_meta(render(template, context))
    index_page = b.index_page

    def plain_index_page(pagename, doctree, title):
        node = app.env.titles.get(pagename)
        return index_page(pagename, doctree, clean_astext(node) if (title and node is not None) else title)
    b.index_page = plain_index_page


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _guard_notebook_parser() -> None:
    """A notebook cell that fails is reported as ``path: cell N: the cell's own error``, and the build
    goes on to report everything else and then fails (instead of ending in a Sphinx traceback)."""
    try:
        from myst_nb.core.execute.base import ExecutionError
        from myst_nb.sphinx_ import Parser
    except ImportError:
        return
    if getattr(Parser, "_spotthelure_guarded", False):
        return
    parse = Parser.parse

    def guarded(self, inputstring, document):
        try:
            return parse(self, inputstring, document)
        except ExecutionError as e:
            document.attributes.pop("nb_renderer", None)   # myst-nb's, removed after a parse that ends well
            env = document.settings.env
            logger.error(_cell_error(inputstring, e.__cause__), location=f"{env.doc2path(env.docname)}:1",
                         type="spotthelure")
            section = nodes.section(ids=["notebook-failed"])
            section += nodes.title("", "This notebook could not be run")
            document += section
    Parser.parse = guarded
    Parser._spotthelure_guarded = True


def _cell_error(source: str, err) -> str:
    """'cell N: ExceptionName: message', N counting every cell from 1, from nbclient's error."""
    ename, evalue = getattr(err, "ename", None), getattr(err, "evalue", None)
    what = f"{ename}: {evalue}" if ename else (str(err).strip().splitlines() or ["the notebook failed"])[-1]
    what = _ANSI.sub("", what)
    number = ""
    m = re.search(r"the following cell:\n-+\n(.*?)\n-+\n", str(err), re.S)
    if m:
        try:
            cells = json.loads(source).get("cells", [])
        except ValueError:
            cells = []
        for i, cell in enumerate(cells):
            src = cell.get("source", "")
            if ("".join(src) if isinstance(src, list) else src).strip() == m.group(1).strip():
                number = f"cell {i + 1}: "
                break
    return f"{number}{what} (the notebook stopped here; run it in Jupyter to see the whole error)"


def on_config_inited(app, config):
    config.html_static_path.append(str(STATIC))


def on_config_inited_late(app, config):
    """No figure numbers: the book cites no figure by number, and numbering makes Sphinx reload every
    page's doctree on each build. (Jupyter Book's LaTeX extension turns numbering on for all builders.)"""
    config["numfig"] = False


PACKAGE = Path(__file__).parent


def _inputs(app) -> str:
    """A fingerprint (path, time, size) of what the notebooks, printables and downloads are made from
    besides the pages: activities, data, local.yml, references and this package. Taken once a build."""
    fp = getattr(app, "_spotthelure_inputs", None)
    if fp is None:
        fp = _fingerprint(Path(app.srcdir))
        app._spotthelure_inputs = fp
    return fp


def _fingerprint(src: Path) -> str:
    files = []
    for p in (src / "activities", src / "data", src / "local.yml", src / "references.bib", PACKAGE):
        files += (q for q in p.rglob("*") if "__pycache__" not in q.parts) if p.is_dir() else [p]
    h = hashlib.sha256()
    for p in sorted(files):
        try:
            st = p.stat()
        except OSError:
            continue
        h.update(f"{p}\0{st.st_mtime_ns}\0{st.st_size}\n".encode())
    return h.hexdigest()


# Stamps in the doctree folder record the inputs a step last ran on; it is skipped while they match.
# A build with a warning or an error drops them all, so the next build checks (and reports) again.
def _stamp(app, name: str) -> Path:
    return Path(app.doctreedir) / f"spotthelure-{name}.json"


def _read_stamp(app, name: str) -> dict:
    try:
        data = json.loads(_stamp(app, name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and data.get("inputs") == _inputs(app) else {}


def _write_stamp(app, name: str, **data) -> None:
    _stamp(app, name).parent.mkdir(parents=True, exist_ok=True)
    _stamp(app, name).write_text(json.dumps({"inputs": _inputs(app), **data}), encoding="utf-8")


def on_env_get_outdated(app, env, added, changed, removed):
    """Run the notebooks again when what they read changed, not only their own cells.

    The execution cache knows a notebook by its code cells, so a new quiz in activities/ or a school's
    contacts in local.yml would otherwise keep the old outputs. (All builders share the cache.)
    """
    if _read_stamp(app, "notebook-inputs"):
        return []
    notebooks = sorted(d for d in env.found_docs if str(env.doc2path(d)).endswith(".ipynb"))
    cache_dir = Path(env.mystnb_config.execution_cache_path or Path(app.outdir).parent / ".jupyter_cache")
    if notebooks and cache_dir.exists():
        from jupyter_cache import get_cache
        cache = get_cache(str(cache_dir))
        for rec in cache.list_cache_records():
            cache.remove_cache(rec.pk)
    _write_stamp(app, "notebook-inputs")
    return notebooks


def on_build_finished(app, exc):
    """Write the printables and downloads; skipped when none of their inputs changed and all exist."""
    if exc is not None or app.builder.format != "html":
        return
    from .render_print import write_site_files
    name = f"site-files-{app.builder.name}"
    files = _read_stamp(app, name).get("files")
    if files and all((Path(app.outdir) / f).is_file() for f in files):
        return
    written = write_site_files(project(app), Path(app.outdir))
    _write_stamp(app, name, files=[p.relative_to(app.outdir).as_posix() for p in written])


def on_build_finished_stamps(app, exc):
    if exc is not None or getattr(app, "_warncount", 0):
        for stamp in Path(app.doctreedir).glob("spotthelure-*.json"):
            stamp.unlink(missing_ok=True)


ROOT_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Refresh" content="0; url={url}">
<title>{title}</title>
</head>
<body>
<main><p><a href="{url}">Open {title}</a></p></main>
</body>
</html>
"""


def favicon_ico() -> bytes:
    """A 16x16 icon (PNG inside ICO), for browsers that ask the site root for /favicon.ico."""
    import struct
    import zlib
    rows = []
    for y in range(16):
        row = b"\x00"
        for x in range(16):
            d2 = (x - 6.5) ** 2 + (y - 6.5) ** 2
            ring = 16 <= d2 <= 36 or (x >= 10 and y >= 10 and abs(x - y) <= 1)
            row += bytes((11, 92, 173, 255)) if ring else bytes((0, 0, 0, 0))
        rows.append(row)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 16, 16, 8, 6, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b""))
    return struct.pack("<HHH", 0, 1, 1) + struct.pack("<BBBBHHII", 16, 16, 0, 0, 1, 32, len(png), 22) + png


def on_build_finished_root(app, exc):
    """The site's root page: a small, valid, accessible page that forwards to the book's start.

    Runs before sphinx-external-toc, which only writes its bare redirect when no index.html exists.
    """
    if exc is not None or app.builder.name != "html":
        return
    (Path(app.outdir) / "favicon.ico").write_bytes(favicon_ico())
    index = Path(app.outdir) / "index.html"
    root = app.config.master_doc
    if root == "index" or (index.exists() and "http-equiv" not in index.read_text(encoding="utf-8")[:600]):
        return
    title = html.escape(app.config.html_title or app.config.project)
    from .csp import add_meta
    index.write_text(add_meta(ROOT_PAGE.format(url=html.escape(root + ".html"), title=title)), encoding="utf-8")


def setup(app):
    for kind in ("quiz", "scenario", "roleplay", "questionnaire", "handout"):
        app.add_directive(kind, _directive(kind))
    app.add_directive("local-contacts", HelpBoxDirective)
    app.add_directive("lesson-table", LessonTableDirective)
    app.add_directive("lesson-list", LessonTableDirective)
    app.add_role("stl", _content_role(plain=False))
    app.add_role("stl-plain", _content_role(plain=True))
    app.connect("config-inited", on_config_inited)
    app.connect("builder-inited", on_builder_inited)
    _guard_notebook_parser()
    app.add_post_transform(SafeLinks)
    app.connect("config-inited", on_config_inited_late, priority=900)
    app.connect("source-read", on_source_read)
    app.connect("html-page-context", on_page_context)
    app.connect("html-page-context", on_page_context_late, priority=900)
    app.connect("build-finished", on_build_finished)
    app.connect("env-get-outdated", on_env_get_outdated)
    app.connect("build-finished", on_build_finished_stamps, priority=800)   # after every step that stamps
    app.connect("build-finished", on_build_finished_root, priority=100)
    app.add_css_file("spotthelure.css")
    app.add_js_file("spotthelure.js", loading_method="defer")
    app.add_js_file(None, body=__import__("spotthelure.i18n").i18n.js_strings(), type="application/json", id="stl-i18n")
    # env_version: pages read by an older extension are read again (their doctrees hold its output).
    return {"version": "2", "env_version": 2, "parallel_read_safe": True, "parallel_write_safe": True}
