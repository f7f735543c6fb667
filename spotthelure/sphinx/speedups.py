"""Work the build's libraries repeat for nothing, done once.

Each of these was found by profiling a clean build (one language of 55 pages, then all five).
Each patch keeps the library's result exactly: it only stops the same value being worked out again.
A library whose code is not as expected is left alone.

- pybtex looks its plugins up among the installed packages' entry points at every citation
  (``pybtex.plugin.find_plugin``, about 13 ms a call, 250 citations a language). The installed
  packages do not change during a build, so each lookup is kept.
- MyST makes a whole new docutils document, with the default settings worked out afresh by an
  option parser, each time it renders a text, even when it is given the document to render into
  (``options.get("document", make_document())``: the default is made before ``get`` looks). A
  translated page renders each of its translated paragraphs this way. The default settings are
  now worked out once per parser and each document gets its own deep copy of them.
- MyST's renderer finds its ``render_*`` methods by inspecting every attribute of itself each time
  one is made (``inspect.getmembers``), and a translated page makes one for each paragraph. The
  names are found once per renderer class and each renderer binds its own methods to them.
- Sphinx's search index stems each word of a page (the Porter or Snowball stemmer, in pure Python),
  keeping the stems for one page only: the same words are stemmed again on every page. A stemmer
  is a function of the word alone, so the stems are kept for the whole build.
- Furo draws the whole navigation on every page, and Sphinx works out its entries for each page
  afresh: it copies the table of contents of every page of the book and prunes the copies (about a
  seventh of a build). Uncollapsed, the entries are the same on every page: the page and the pages
  above it are copied whole rather than pruned, which differs only for a table of contents with an
  ``only`` node (or a node Sphinx does not expect) in it. So they are worked out once per build for
  each set of such pages above a page (none, in this book), and each page gets its own deep copy. A
  collapsed navigation, which depends on the page itself, is worked out as before.
- markdown-it makes a link finder (linkify-it, whose set-up builds its large patterns afresh) for
  every parser it makes, whether or not the parser finds links, and MyST makes a parser for each
  text it renders: each translated paragraph. This book does not turn link finding on. A parser's
  link finder is now made the first time the parser uses it.
- MyST makes a new markdown-it parser, with every plugin set up afresh, for each text it renders:
  each page, and each translated paragraph of a translated page (almost 3,000 parsers for the pages
  of one translated language, about a twenty-fifth of a build's time). A parser holds nothing of
  the text it rendered that the next render does not set again, so a parser made for one
  configuration is used again for the next text with the same configuration. A parser is lent to
  one text at a time: a text rendered while another is still rendering (an included file) gets a
  parser of its own.
- sphinx-external-toc turns Sphinx's own table-of-contents collector off by looking through every
  object of the process for it (``gc.get_objects``), once for each build: in a process that holds a
  loaded book or has built before (each language after the first, a test's build), that is millions
  of objects. The collectors switched on for the build are found among the build's own event
  listeners instead. A collector left over from an earlier build of the same process is no longer
  switched off through the new build, where its listener numbers could name other listeners.
- Sphinx translates a page in two passes over its messages, and each pass parses every translated
  message afresh (a new reader, parser and document for each: about a seventh of the build of a
  translated language). The first pass only reads its parse, unless it takes it into the page (a
  section title whose name changes, which the second pass then leaves alone). So a parse the first
  pass left as it was is handed to the second pass for the same text at the same place, instead of
  parsing it again. A parse whose nodes went into the page is never handed on.
"""
from __future__ import annotations

import copy
import functools


def install() -> None:
    _pybtex_entry_points()
    _myst_make_document()
    _myst_render_rules()
    _markdown_link_finder()
    _myst_parsers()
    _search_stems()
    _toctree_entries()
    _external_toc_collector()
    _i18n_messages_parsed_once()


def _kept(f) -> bool:
    """Whether ``f`` is one of these patches (installing twice is installing once)."""
    return getattr(f, "_spotthelure_kept", False)


def _put(owner, name: str, patch) -> None:
    """``owner.name = patch``, marked as one of these patches."""
    patch._spotthelure_kept = True
    setattr(owner, name, patch)


def _pybtex_entry_points() -> None:
    try:
        import pybtex.plugin as plugin
    except ImportError:
        return
    lookup = getattr(plugin, "entry_points", None)
    if lookup is None or _kept(lookup):
        return

    @functools.lru_cache(maxsize=None)
    def entry_points(*, group: str, name: str | None = None) -> tuple:
        return tuple(lookup(group=group) if name is None else lookup(group=group, name=name))

    _put(plugin, "entry_points", entry_points)


def _myst_make_document() -> None:
    try:
        import docutils
        from docutils.frontend import get_default_settings
        from docutils.utils import new_document
        from myst_parser.mdit_to_docutils import base
    except ImportError:
        return
    make = getattr(base, "make_document", None)
    if make is None or _kept(make) or docutils.__version_info__[:2] < (0, 19):
        return
    from docutils.parsers.rst import Parser as RSTParser

    @functools.lru_cache(maxsize=None)
    def defaults(parser_cls):
        return get_default_settings(parser_cls)

    def make_document(source_path="notset", parser_cls=RSTParser):
        return new_document(source_path, settings=copy.deepcopy(defaults(parser_cls)))

    _put(base, "make_document", make_document)


def _myst_render_rules() -> None:
    try:
        from myst_parser.mdit_to_docutils.base import DocutilsRenderer
    except ImportError:
        return
    init = DocutilsRenderer.__init__
    if _kept(init):
        return

    names: dict = {}        # renderer class -> the names of its rules, found on its first renderer

    @functools.wraps(init)
    def __init__(self, parser) -> None:
        cls = type(self)
        if cls not in names:
            init(self, parser)
            names[cls] = tuple(self.rules)
            return
        self.md = parser
        self.rules = {k: getattr(self, k) for k in names[cls]}
        self._inventories = None

    # Only what MyST's own __init__ sets is set here; a MyST that sets more keeps its own.
    probe = DocutilsRenderer.__new__(DocutilsRenderer)
    init(probe, None)
    if set(vars(probe)) != {"md", "rules", "_inventories"}:
        return
    _put(DocutilsRenderer, "__init__", __init__)


def _markdown_link_finder() -> None:
    try:
        import linkify_it
        from markdown_it import main
    except ImportError:
        return
    made = getattr(main, "linkify_it", None)
    if made is not linkify_it or not isinstance(getattr(made, "LinkifyIt", None), type):
        return                  # a markdown-it that makes its link finder some other way is left alone
    real = made.LinkifyIt

    class LinkifyIt:
        """markdown-it's link finder, made on first use (``pretest``, ``match``, ``set``...)."""
        __slots__ = ("_made",)

        def __init__(self) -> None:
            self._made = None

        def __getattr__(self, name):
            if self._made is None:
                self._made = real()
            return getattr(self._made, name)

    import types
    _put(main, "linkify_it", types.SimpleNamespace(LinkifyIt=LinkifyIt))


def _myst_parsers() -> None:
    try:
        import inspect

        from myst_parser.parsers import sphinx_ as myst
    except ImportError:
        return
    make, parse = getattr(myst, "create_md_parser", None), getattr(myst.MystParser, "parse", None)
    if make is None or parse is None or _kept(parse):
        return
    try:
        source = inspect.getsource(parse)
    except (OSError, TypeError):
        return
    # the parse this patch knows: one parser made for the text, given the document, used once
    if source.count("create_md_parser(") != 1 or 'parser.options["document"] = document' not in source:
        return
    free: dict = {}         # (renderer class, configuration) -> parsers no text is using
    lent: list = []         # the parsers texts are using now, the latest last

    def create_md_parser(config, renderer):
        key = (renderer, repr(config))
        parser = free[key].pop() if free.get(key) else make(config, renderer)
        lent.append((key, parser))
        return parser

    @functools.wraps(parse)
    def parse_once(self, inputstring, document) -> None:
        mine = len(lent)
        try:
            parse(self, inputstring, document)
        except BaseException:
            del lent[mine:]                 # a parser stopped halfway is not used again
            raise
        while len(lent) > mine:             # the parser of this text, back to the free ones
            key, parser = lent.pop()
            parser.options.pop("document", None)
            free.setdefault(key, []).append(parser)

    _put(myst, "create_md_parser", create_md_parser)
    _put(myst.MystParser, "parse", parse_once)


def _search_stems() -> None:
    try:
        from sphinx.search import IndexBuilder
    except ImportError:
        return
    init = IndexBuilder.__init__
    if _kept(init):
        return

    @functools.wraps(init)
    def __init__(self, *args, **kwargs) -> None:
        init(self, *args, **kwargs)
        lang = getattr(self, "lang", None)
        if lang is not None and callable(getattr(lang, "stem", None)):
            lang.stem = functools.lru_cache(maxsize=1 << 16)(lang.stem)

    _put(IndexBuilder, "__init__", __init__)


_TOCTREE_PARAMETERS = ["env", "prune", "titles_only", "collapse", "includehidden", "tags", "toctree_ancestors",
                       "included", "excluded", "toctreenode", "parents", "subtree"]


def _toctree_entries() -> None:
    try:
        import inspect
        import weakref

        from sphinx.environment.adapters import toctree
    except ImportError:
        return
    entries = getattr(toctree, "_entries_from_toctree", None)
    if entries is None or _kept(entries):
        return
    if list(inspect.signature(entries).parameters) != _TOCTREE_PARAMETERS:
        return
    from docutils import nodes
    from sphinx import addnodes
    # What Sphinx copies the same way whether it prunes a table of contents or copies it whole.
    plain = (nodes.bullet_list, nodes.list_item, addnodes.compact_paragraph, addnodes.toctree, nodes.reference,
              nodes.title, nodes.Text)
    kept: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()     # one build's environment -> its entries

    @functools.wraps(entries)
    def _entries_from_toctree(env, prune, titles_only, collapse, includehidden, tags, toctree_ancestors,
                              included, excluded, toctreenode, parents, subtree=False):
        args = (env, prune, titles_only, collapse, includehidden, tags, toctree_ancestors, included, excluded,
                toctreenode, parents, subtree)
        if collapse:
            return entries(*args)
        try:
            mine = kept.setdefault(env, {})
        except TypeError:                   # an environment that cannot be a weak key
            return entries(*args)
        if "special" not in mine:
            mine["special"] = {doc for doc, toc in env.tocs.items()
                               if any(not isinstance(n, plain) for n in toc.findall(include_self=False))}
        key = (prune, titles_only, includehidden, subtree, tuple(parents),
               frozenset(a for a in toctree_ancestors if a in mine["special"]),
               toctreenode.get("parent"), toctreenode.get("hidden", False),
               tuple(tuple(e) for e in toctreenode["entries"]))
        if key not in mine:
            mine[key] = entries(*args)
        return [e.deepcopy() for e in mine[key]]

    _put(toctree, "_entries_from_toctree", _entries_from_toctree)


def _external_toc_collector() -> None:
    try:
        from sphinx.environment.collectors.toctree import TocTreeCollector
        from sphinx_external_toc import collectors
    except ImportError:
        return
    scan = getattr(collectors, "disable_builtin_toctree_collector", None)
    if scan is None or _kept(scan):
        return

    def disable_builtin_toctree_collector(app) -> None:
        on = {}
        for listeners in app.events.listeners.values():
            for listener in listeners:
                owner = getattr(listener.handler, "__self__", None)
                if isinstance(owner, TocTreeCollector) and owner.listener_ids is not None:
                    on[id(owner)] = owner
        for collector in on.values():
            collector.disable(app)

    _put(collectors, "disable_builtin_toctree_collector", disable_builtin_toctree_collector)


def _i18n_messages_parsed_once() -> None:
    try:
        import inspect

        from docutils import nodes
        from sphinx.transforms import i18n
    except ImportError:
        return
    publish, apply = getattr(i18n, "publish_msgstr", None), getattr(getattr(i18n, "Locale", None), "apply", None)
    if publish is None or apply is None or _kept(publish):
        return
    try:
        source = inspect.getsource(apply)
    except (OSError, TypeError):
        return
    # the translation this patch knows: two passes, each parsing the page's translated messages with
    # publish_msgstr (and a glossary term's term once more)
    if source.count("publish_msgstr(") != 3 or "phase2" not in source:
        return
    pages: list[dict] = []      # for each page being translated (the innermost last): its parses not yet used

    @functools.wraps(publish)
    def publish_msgstr(app, source, source_path, source_line, config, settings):
        if not pages:
            return publish(app, source, source_path, source_line, config, settings)
        kept = pages[-1]
        key = (source, source_path, source_line, id(settings))
        patch = kept.pop(key, None)
        # a paragraph whose children are still its own: no pass has taken them into the page
        if patch is not None and all(child.parent is patch for child in patch.children):
            return patch
        patch = publish(app, source, source_path, source_line, config, settings)
        if isinstance(patch, nodes.paragraph):
            kept[key] = patch
        return patch

    @functools.wraps(apply)
    def apply_parsing_once(self, **kwargs):
        pages.append({})
        try:
            return apply(self, **kwargs)
        finally:
            pages.pop()

    _put(i18n, "publish_msgstr", publish_msgstr)
    _put(i18n.Locale, "apply", apply_parsing_once)
