"""The build's speed-ups (spotthelure/sphinx/speedups.py) give the libraries' own results.
(That a whole book builds to the same bytes with them is what every book test sees.)"""
from __future__ import annotations

import pybtex.plugin
import pytest
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser as RSTParser
from myst_parser.mdit_to_docutils import base

from spotthelure.sphinx import speedups


def test_plugins_are_looked_up_once_and_found_as_before():
    before = pybtex.plugin.find_plugin("pybtex.style.formatting", "plain")
    speedups.install()
    speedups.install()                      # twice is once
    assert getattr(pybtex.plugin.entry_points, "_spotthelure_kept", False)
    assert pybtex.plugin.find_plugin("pybtex.style.formatting", "plain") is before
    assert pybtex.plugin.find_plugin("pybtex.backends", "plaintext").__name__ == "Backend"
    assert "plaintext" in pybtex.plugin.enumerate_plugin_names("pybtex.backends")    # a lookup by group alone
    try:
        pybtex.plugin.find_plugin("pybtex.backends", "no-such-backend")
    except pybtex.plugin.PluginNotFound:
        pass
    else:
        raise AssertionError("an unknown plugin must still be refused")


def test_each_document_gets_its_own_copy_of_the_default_settings():
    speedups.install()
    assert getattr(base.make_document, "_spotthelure_kept", False)
    one, two = base.make_document("a.md"), base.make_document("b.md")
    assert one.settings is not two.settings
    fresh = base.new_document("c.md", get_default_settings(RSTParser)).settings
    differ = {k for k in vars(fresh) if vars(one.settings).get(k) != vars(fresh)[k]}
    assert differ == {"record_dependencies"}, differ        # a new, empty list of files for each document
    assert one.settings.record_dependencies is not two.settings.record_dependencies
    assert not one.settings.record_dependencies.list
    one.settings.report_level = 5           # a change to one document's settings stays there
    assert two.settings.report_level != 5 and base.make_document().settings.report_level != 5
    assert one["source"] == "a.md" and two["source"] == "b.md"


def test_a_renderer_has_the_rules_myst_finds_bound_to_itself():
    import inspect

    from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer
    speedups.install()
    assert getattr(base.DocutilsRenderer.__init__, "_spotthelure_kept", False)
    for cls in (base.DocutilsRenderer, SphinxRenderer, SphinxRenderer):     # the second finds the names kept
        r = cls(None)
        found = {k: v for k, v in inspect.getmembers(r, predicate=inspect.ismethod)
                 if k.startswith("render_") and k != "render_children"}
        assert r.rules.keys() == found.keys() and len(found) > 30
        assert all(r.rules[k].__self__ is r and r.rules[k].__func__ is found[k].__func__ for k in found)
        assert r.md is None and r._inventories is None


def test_the_search_index_keeps_each_stem_for_the_whole_build():
    from types import SimpleNamespace

    from sphinx.search import IndexBuilder
    speedups.install()
    env = SimpleNamespace(**{f"_search_index_{k}": {} for k in (
        "titles", "filenames", "mapping", "title_mapping", "all_titles", "index_entries", "objtypes", "objnames")})
    for lang, word, stem in (("en", "grooming", "groom"), ("sv", "hjälpen", "hjälp")):
        index = IndexBuilder(env, lang, {}, None)
        assert index.lang.stem(word) == stem == type(index.lang).stem(index.lang, word)
        index.lang.stem(word)
        assert index.lang.stem.cache_info().hits == 1


def _toc(doc: str, title: str, *sections, only: bool = False):
    from docutils import nodes
    from sphinx import addnodes

    def item(anchor, text, *sub):
        ref = nodes.reference("", "", nodes.Text(text), internal=True, refuri=doc, anchorname=anchor)
        li = nodes.list_item("", addnodes.compact_paragraph("", "", ref))
        if sub:
            li += nodes.bullet_list("", *sub)
        return li
    subs = [item(f"#{s}", s.title()) for s in sections]
    if only:
        o = addnodes.only(expr="html")
        o += item("#only", "Only in HTML")
        subs.append(o)
    return nodes.bullet_list("", item("", title, *subs))


def test_the_navigation_entries_are_worked_out_once_and_copied_for_each_page():
    from sphinx import addnodes
    from sphinx.environment.adapters import toctree
    from sphinx.util.tags import Tags
    speedups.install()
    cached = toctree._entries_from_toctree
    assert getattr(cached, "_spotthelure_kept", False)
    original = cached.__wrapped__               # Sphinx's own

    class Env:          # what the entries are read from
        pass
    env = Env()
    env.tocs = {"a": _toc("a", "A", "one", "two"), "b": _toc("b", "B", "three", only=True), "c": _toc("c", "C")}
    env.metadata = {d: {} for d in env.tocs}
    env.titles = {}
    node = addnodes.toctree(entries=[(None, "a"), (None, "b"), (None, "c")], parent="index", includefiles=["a", "b", "c"])
    tags = Tags(["html"])
    for ancestors in ({"a", "index"}, {"c", "index"}, {"b", "index"}, {"index"}, {"a", "index"}):
        args = (True, True, False, True, tags, ancestors, None, None, node, [])
        one, two = cached(env, *args), cached(env, *args)
        want = original(env, *args)
        assert [e.pformat() for e in one] == [e.pformat() for e in two] == [e.pformat() for e in want]
        assert one[0] is not two[0]                 # each page gets its own copy to mark as current
    # b's contents have an "only" node, which Sphinx keeps for a page under b: its entries are its own
    assert len({e.pformat() for e in (cached(env, True, False, False, True, tags, a, None, None, node, [])[0]
                                      for a in ({"a"}, {"b"}))}) == 2


def test_the_builtin_toc_collector_is_switched_off_through_the_builds_own_listeners(monkeypatch):
    """sphinx-external-toc switches Sphinx's own table-of-contents collector off for each build. The
    collector is found among the build's listeners, not by looking through every object of the
    process, and a collector left from an earlier build in the process does not switch off the new
    build's listeners that happen to have its numbers."""
    import gc

    from sphinx.environment.collectors.toctree import TocTreeCollector
    from sphinx.events import EventManager
    from sphinx_external_toc import collectors

    class App:                              # what a collector needs of Sphinx's application
        def __init__(self):
            self.events = EventManager(self)

        def connect(self, event, callback, priority=500):
            return self.events.connect(event, callback, priority)

        def disconnect(self, listener_id):
            self.events.disconnect(listener_id)

    speedups.install()
    assert getattr(collectors.disable_builtin_toctree_collector, "_spotthelure_kept", False)
    before = App()
    left = collectors.TocTreeCollectorWithStyles()
    left.enable(before)                     # an earlier build's collector, never switched off
    app = App()

    def mine(*args):
        pass

    app.connect("doctree-read", mine)       # listener number 0, as the left collector's first
    builtin = TocTreeCollector()
    builtin.enable(app)

    def everything():
        raise AssertionError("looked through every object of the process")

    monkeypatch.setattr(gc, "get_objects", everything)
    collectors.disable_builtin_toctree_collector(app)
    assert builtin.listener_ids is None
    assert [x.handler for x in app.events.listeners["doctree-read"]] == [mine]
    assert left.listener_ids is not None
    collectors.TocTreeCollectorWithStyles().enable(app)      # what sphinx-external-toc does next
    assert len(app.events.listeners["doctree-read"]) == 2


def test_a_parser_makes_its_link_finder_only_when_it_finds_links():
    import linkify_it
    from markdown_it import MarkdownIt
    speedups.install()
    made = []
    real = linkify_it.LinkifyIt.__init__

    def counting(self, *args, **kwargs):
        made.append(self)
        real(self, *args, **kwargs)

    linkify_it.LinkifyIt.__init__ = counting
    try:
        plain = MarkdownIt("commonmark")
        assert plain.linkify is not None and plain.render("See www.example.org.") == "<p>See www.example.org.</p>\n"
        assert made == [], "a parser that does not find links made a link finder"
        finder = MarkdownIt("commonmark", {"linkify": True}).enable("linkify")
        finder.linkify.set({"fuzzy_link": False})
        assert len(made) == 1
        assert finder.render("See https://example.org/a.") == \
            '<p>See <a href="https://example.org/a">https://example.org/a</a>.</p>\n'
        assert finder.render("See www.example.org.") == "<p>See www.example.org.</p>\n", "the option set reached it"
    finally:
        linkify_it.LinkifyIt.__init__ = real


def _page(env):
    """An empty document of a page whose build environment is ``env``."""
    from docutils.frontend import get_default_settings
    from docutils.utils import new_document
    from myst_parser.parsers.sphinx_ import MystParser
    settings = get_default_settings(MystParser)
    settings.env = env
    return new_document("page.md", settings)


def _myst_document(text: str, env):
    from myst_parser.parsers.sphinx_ import MystParser
    document = _page(env)
    MystParser().parse(text, document)
    return document.pformat()


def test_a_markdown_parser_is_made_once_per_configuration_and_lent_to_one_text_at_a_time(monkeypatch):
    """MyST's parser for each text (a page, a translated paragraph) is made once per configuration
    and used again; a text rendered while another still renders gets one of its own; the
    documents are those a new parser makes."""
    from types import SimpleNamespace

    import markdown_it
    from myst_parser.config.main import MdParserConfig
    from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer
    from myst_parser.parsers import mdit
    from myst_parser.parsers import sphinx_ as myst
    speedups.install()
    assert getattr(myst.MystParser.parse, "_spotthelure_kept", False)
    env = SimpleNamespace(myst_config=MdParserConfig(), docname="page", app=None, config=SimpleNamespace(),
                          metadata={})
    plain = 'Some *words*, "quoted" and `code`.'
    other = '---\nmyst:\n  enable_extensions: [smartquotes]\n---\nSome "quoted" words.'

    def fresh(text):                        # what MyST does without the patch: a new parser for the text
        document = _page(env)
        config = env.myst_config if text == plain else myst.merge_file_level(
            env.myst_config, myst.read_topmatter(text), lambda *a: None)
        parser = mdit.create_md_parser(config, SphinxRenderer)
        parser.options["document"] = document
        parser.render(text)
        return document.pformat()

    want = {t: fresh(t) for t in (plain, other)}
    assert want[plain] != want[other]
    made = []
    real = markdown_it.MarkdownIt.__init__
    monkeypatch.setattr(markdown_it.MarkdownIt, "__init__", lambda self, *a, **k: made.append(self) or real(self, *a, **k))
    got = [_myst_document(t, env) for t in (plain, other, plain, other, plain)]
    assert got == [want[plain], want[other]] * 2 + [want[plain]]
    assert len(made) <= 2, "a parser was made again for a configuration it was made for"
    # a text rendered while another renders (an included file) gets a parser of its own
    inner = []
    render = SphinxRenderer.render

    def render_with_an_included_text(self, tokens, options, env_):
        if not inner:
            inner.append(self.md)
            inner.append(_myst_document(plain, env))
            inner.append(self.md)
        return render(self, tokens, options, env_)

    monkeypatch.setattr(SphinxRenderer, "render", render_with_an_included_text)
    made.clear()
    assert _myst_document(plain, env) == want[plain]
    assert inner[1] == want[plain] and inner[0] is inner[2]
    assert len(made) == 1, "the text inside got the parser the text around it was using, or none"
    monkeypatch.setattr(SphinxRenderer, "render", render)
    made.clear()
    assert [_myst_document(plain, env) for _ in range(3)] == [want[plain]] * 3 and made == []


def test_live_starts_voila_without_the_iri_grammars():
    """`make live` starts Voilà from the package (spotthelure/live.py), so jsonschema's optional IRI
    grammars (about 2 s of every start) stay unloaded; the program is Voilà's own."""
    import subprocess
    import sys
    probe = ("import sys, spotthelure.live; from voila.app import main; "
             "print(sys.modules.get('rfc3987_syntax', 'absent'), spotthelure.live.main is main)")
    r = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stdout.split() == ["None", "True"], r.stdout + r.stderr
    from conftest import ROOT
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    live = make[make.index("\nlive:"):].split("\n\n", 1)[0]
    assert "-m spotthelure.live " in live and "/voila " not in live


TRANSLATED_PAGE = """# Help and safety

Talk to an adult you trust.

## Who can help

A *trusted adult* can help you: see [who can help](#who-can-help) and {term}`grooming`.

```{glossary}
grooming
  Building trust with a child in order to harm them.
```

- Stop replying.
- Save the chat.

| Step | Why |
| --- | --- |
| Stop replying | You decide. |
"""

TRANSLATIONS = {
    "Help and safety": "Hjälp och trygghet",
    "Talk to an adult you trust.": "Prata med en vuxen du litar på.",
    "Who can help": "Vem kan hjälpa",
    "A *trusted adult* can help you: see [who can help](#who-can-help) and {term}`grooming`.":
        "En *trygg vuxen* kan hjälpa dig: se [vem kan hjälpa](#who-can-help) och {term}`grooming`.",
    "grooming": "grooming",
    "Building trust with a child in order to harm them.": "Att bygga förtroende hos ett barn för att skada det.",
    "Stop replying.": "Sluta svara.",
    "Save the chat.": "Spara chatten.",
    "Step": "Steg",
    "Why": "Varför",
    "Stop replying": "Sluta svara",
    "You decide.": "Du bestämmer.",
}


@pytest.mark.book
def test_a_translated_message_is_parsed_once_and_the_page_is_the_same(tmp_path, monkeypatch):
    """Sphinx's two passes over a translated page's messages share each parse the first pass left as
    it was: the page (a title whose name changes, a link and a term, a glossary, a list, a table) is
    the same as with Sphinx's own passes, from fewer parses."""
    import inspect

    from sphinx.io import SphinxI18nReader
    from sphinx.transforms import i18n

    from i18n_helpers import translated_page

    parses = []
    read = SphinxI18nReader.read
    monkeypatch.setattr(SphinxI18nReader, "read", lambda self, *a, **k: parses.append(1) or read(self, *a, **k))
    speedups.install()
    assert getattr(i18n.publish_msgstr, "_spotthelure_kept", False)
    kept = translated_page(tmp_path, "kept", TRANSLATED_PAGE, TRANSLATIONS)
    kept_parses = len(parses)
    monkeypatch.setattr(i18n, "publish_msgstr", inspect.unwrap(i18n.publish_msgstr))   # Sphinx's own
    monkeypatch.setattr(i18n.Locale, "apply", i18n.Locale.apply.__wrapped__)
    own = translated_page(tmp_path, "own", TRANSLATED_PAGE, TRANSLATIONS)
    own_parses = len(parses) - kept_parses
    assert kept == own
    for text in ("Hjälp och trygghet", "Vem kan hjälpa", "trygg vuxen", "Att bygga förtroende", "Spara chatten", "Du bestämmer"):
        assert text in kept, text
    # each translated message parsed once (Sphinx's own passes parse all but the two titles twice:
    # a title whose name changes is taken by the first pass, and the second leaves it alone)
    translated = [m for m, t in TRANSLATIONS.items() if t != m]
    assert kept_parses == len(translated) == 11
    assert own_parses == 2 * len(translated) - 2
