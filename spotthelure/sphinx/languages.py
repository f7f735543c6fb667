"""One language of a multilingual build: its words, its direction, its switcher and its honesty.

``spotthelure build`` builds each language of the book into ``_build/html/<lang>/`` with Sphinx's
``language`` set (``sr_Latn`` for Serbian in Latin script: gettext's form, which the catalogs'
folders use) and ``spotthelure_languages`` naming every language built, so that each page links to
itself in the others.

On each page of a language other than English:

- ``<html lang>`` is the BCP 47 tag (``sr-Latn``) and ``dir="rtl"`` is set for a right-to-left
  language;
- a page with no translated text says "This page is not yet translated; you are reading the English
  text" (in the page's language) and its English content is marked ``lang="en"``; the paragraphs
  Sphinx could not translate on a translated page are marked ``lang="en"`` too (and ``dir="ltr"`` on
  a right-to-left page); what the book draws from its data and words (lesson and workshop plans,
  help boxes, listings, content roles) is in the page's language already, and Sphinx's translation
  passes it by (:func:`drawn`), so it is never marked English (on a page still in English, it says
  it is in the page's language and direction); a translation that begins like a numbered list item
  ("1. ...") stays a title;
- a translated page that no native-speaking educator has reviewed (``locales/<code>/status.yml``)
  says "Draft translation, not yet reviewed by a native-speaking educator".
"""
from __future__ import annotations

import functools
import html
import re
from pathlib import Path

from docutils import nodes
from sphinx.transforms import SphinxTransform

from .. import bidi, i18n, translate
from ..i18n import N_, _
from ..translation_status import Status, read_status
from . import theme_words

_HTML_TAG = re.compile(r"<html\b[^>]*>", re.I)
_LANG_ATTR = re.compile(r'\slang="[^"]*"')
_MAIN = re.compile(r'<article role="main"[^>]*>')


def page_lang(app) -> str:
    """The page language of this build as a BCP 47 tag (``en``, ``sv``, ``sr-Latn``)."""
    return translate.tag(app.config.language or i18n.SOURCE_LANGUAGE)


def on_config_inited(app, config):
    # every renderer of this build speaks the page language (the catalogs: _config.yml locale_dirs),
    # until the build ends (on_build_finished gives the process back the language it had)
    app.spotthelure_language_before = i18n.current_language()
    i18n.set_language(translate.tag(config.language or i18n.SOURCE_LANGUAGE))
    # Sphinx marks each text it found no translation for; MarkUntranslated gives those lang="en"
    config.translation_progress_classes = "untranslated"


def on_build_finished(app, exception):
    """The renderers speak again the language they spoke before this build: a process that goes on
    after it (a test run, a tool that builds and then exports) must not render in this book's page
    language (an English quiz's QTI verdicts in Arabic after an Arabic build)."""
    i18n.set_language(getattr(app, "spotthelure_language_before", None))
    theme_words.restore(app)


def drawn(directive):
    """``directive`` as one whose nodes are drawn from the book's data and words, which are in the
    page's language already (its catalogs give them): on a translated page, Sphinx's translation
    passes them by, so it neither looks them up in the page's catalog (by their translated text, which
    it would not find) nor marks them as English text left untranslated."""
    def run(self):
        out = directive.run(self)
        lang = page_lang(self.env.app)
        if lang != i18n.SOURCE_LANGUAGE:
            for node in out:
                if isinstance(node, nodes.Element):
                    _leave_to_the_book(node)
            if not page_translated(self.env.app, self.env.docname):
                out = _in_page_language(out, lang)
        return out
    return type(directive.__name__, (directive,), {"run": run, "__doc__": directive.__doc__})


def _in_page_language(out: list, lang: str) -> list:
    """Drawn nodes on a page still in English (which is marked English as a whole): each section, and
    each run of other nodes in a box of its own, says it is in the page's language (docutils writes a
    ``language-xx`` class as ``lang``; :func:`on_page_context` adds the direction)."""
    marked, loose = [], []

    def box():
        if loose:
            held = nodes.container(classes=[f"language-{lang}"])
            held += loose
            marked.append(held)
            loose.clear()
    for node in out:
        if isinstance(node, nodes.section):
            box()
            node["classes"].append(f"language-{lang}")
            marked.append(node)
        else:
            loose.append(node)
    box()
    return marked


def _leave_to_the_book(node: nodes.Element) -> None:
    # the texts Sphinx translates are blocks (paragraphs, titles, terms); an inline node it never
    # translates, and one marked at all it takes for a placeholder of its own and removes
    for el in node.findall(nodes.TextElement):
        if not isinstance(el, nodes.Inline):
            el["translatable"] = False


# A text that is only content roles ({stl}`page.lesson.title`): the value the role draws is the book's
_ONLY_ROLES = re.compile(r"(?:\s*\{stl(?:-plain)?\}`[^`]*`)+\s*")


class KeepDrawnText(SphinxTransform):
    """On a translated page, a title or paragraph made only of content roles is drawn in the page's
    language (like the nodes of :func:`drawn` directives): Sphinx's translation passes it by."""
    default_priority = 15      # before sphinx.transforms.i18n.Locale (20)

    def apply(self, **kwargs):
        if page_lang(self.app) == i18n.SOURCE_LANGUAGE:
            return
        english = not page_translated(self.app, self.env.docname)
        for node in self.document.findall(nodes.TextElement):
            if _ONLY_ROLES.fullmatch(node.rawsource or ""):
                _leave_to_the_book(node)
                if english:         # on a page still in English: this text is in the page's language
                    node["classes"].append(f"language-{page_lang(self.app)}")


# A translation that begins like a numbered list item ("1. Fill in your local contacts"): Sphinx
# parses each translation as a small document, where it would be a list, not the title or paragraph
# it translates, and the text would stay English. The number's mark is escaped ("1\. ...", read as
# "1. ..."); a translation of a list item has no number of its own (the list gives it).
_NUMBERED = re.compile(r"^(\s*\d{1,9})([.)])(?=[ \t\n]|$)")


def _numbered_translations_kept() -> None:
    from sphinx.transforms import i18n as sphinx_i18n
    publish = sphinx_i18n.publish_msgstr
    if getattr(publish, "_spotthelure_numbered", False):
        return

    @functools.wraps(publish)
    def publish_msgstr(app, source, *args, **kwargs):
        return publish(app, _NUMBERED.sub(r"\1\\\2", source, count=1), *args, **kwargs)

    publish_msgstr._spotthelure_numbered = True
    sphinx_i18n.publish_msgstr = publish_msgstr


class MarkUntranslated(SphinxTransform):
    """After Sphinx's translation (``translation_progress_classes``): what stayed English on a
    translated page is marked ``lang="en"`` (docutils writes a ``language-xx`` class as ``lang``)."""
    default_priority = 960     # after sphinx.transforms.i18n (20 and 25) and AddTranslationClasses (950)

    def apply(self, **kwargs):
        if page_lang(self.app) == i18n.SOURCE_LANGUAGE:
            return
        for node in self.document.findall(nodes.Element):
            if "untranslated" in node.get("classes", ()) and not any(
                    c.startswith("language-") for c in node["classes"]):
                node["classes"].append("language-en")
        # whether the page's title stayed English: the theme shows it around other pages
        # (theme_words.english_titles; doctree-read comes before this, at priority 880)
        title = next(self.document.findall(nodes.title), None)
        english = english_title_pages(self.env)
        if title is not None and "language-en" in title.get("classes", ()):
            english.add(self.env.docname)
        else:
            english.discard(self.env.docname)


class IsolateNumbers(SphinxTransform):
    """On a page in a language written right to left, a phone number written in groups (116 111)
    keeps its groups in order (:mod:`spotthelure.bidi`); code is left exactly as written, since a
    reader copies it."""
    default_priority = 970     # after the translation (sphinx.transforms.i18n) and MarkUntranslated

    def apply(self, **kwargs):
        if not translate.right_to_left(page_lang(self.app)):
            return
        for node in list(self.document.findall(nodes.Text)):
            new = bidi.isolate_numbers(str(node))
            if new != str(node) and not any(isinstance(a, _AS_WRITTEN) for a in _ancestors(node)):
                node.parent.replace(node, nodes.Text(new))


_AS_WRITTEN = (nodes.literal, nodes.math, nodes.FixedTextElement)     # code, maths, raw HTML, comments


def _ancestors(node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


@functools.lru_cache(maxsize=None)
def _page_translated(po: str, stamp) -> bool:
    return translate.counts(Path(po))[0] > 0


def page_translated(app, docname: str) -> bool:
    po = translate.catalog_path(Path(app.srcdir), page_lang(app), docname)
    try:
        st = po.stat()
    except OSError:
        return False
    return _page_translated(str(po), (st.st_mtime_ns, st.st_size))


def status(app) -> Status:
    st = getattr(app, "_spotthelure_status", None)
    if st is None:
        st = read_status(Path(app.srcdir), page_lang(app))
        app._spotthelure_status = st
    return st


def _root_uri(pagename: str) -> str:
    return "../" * pagename.count("/")


def switcher_html(app, pagename: str) -> str:
    """Links to this page in every other language of the build (each named in its own language)."""
    built = [translate.tag(x) for x in app.config.spotthelure_languages or []]
    me = page_lang(app)
    if len(built) < 2 or me not in built:
        return ""
    up = _root_uri(pagename) + "../"
    items = []
    for lang in built:
        name = html.escape(language_name(lang))
        if lang == me:
            items.append(f'<li><span aria-current="true" lang="{lang}">{name}</span></li>')
        else:
            href = html.escape(f"{up}{lang}/{pagename}.html")
            items.append(f'<li><a href="{href}" hreflang="{lang}" lang="{lang}" '
                         f'dir="{translate.direction(lang)}">{name}</a></li>')
    return (f'<nav class="stl-languages" aria-label="{html.escape(_("Languages"))}"><ul>'
            + "".join(items) + "</ul></nav>")


def language_name(lang: str) -> str:
    """A language's name in that language (Babel), capitalised: "Svenska", "Українська"."""
    from babel import Locale, UnknownLocaleError
    try:
        name = Locale.parse(translate.code(lang)).get_display_name(translate.code(lang)) or lang
    except (UnknownLocaleError, ValueError):
        return lang
    return name[:1].upper() + name[1:]


def _note(kind: str, message: str) -> str:
    """A translation note in the page's language, or marked English while its catalog lacks it."""
    text = _(message)
    lang = ' lang="en" dir="ltr"' if text == message and i18n.current_language() != i18n.SOURCE_LANGUAGE else ""
    return f'<p class="stl-translation-note {kind}" role="note"{lang}>{html.escape(text)}</p>'


def notes_html(app, pagename: str) -> tuple[str, bool]:
    """(the notes a page opens with, whether its content is English), in the page's language."""
    if page_lang(app) == i18n.SOURCE_LANGUAGE:
        return "", False
    if not page_translated(app, pagename):
        return _note("stl-untranslated", N_("This page is not yet translated; you are reading the English text.")), True
    if status(app).reviewed_page(pagename):
        return "", False
    return _note("stl-draft", N_("Draft translation, not yet reviewed by a native-speaking educator.")), False


def _directed(body: str, lang: str) -> str:
    """``body`` with each start tag that says ``lang="LANG"`` saying its direction too (``dir``,
    unless it has one): the language's direction where it differs from the text around it."""
    direction = translate.direction(lang)

    def with_dir(m) -> str:
        tag = m.group(0)
        if " dir=" in tag:
            return tag
        end = 2 if tag.endswith("/>") else 1
        return f'{tag[:-end]} dir="{direction}"{tag[-end:]}'
    return re.sub(rf'<[a-zA-Z][^<>]*\slang="{re.escape(lang)}"[^<>]*>', with_dir, body)


def on_page_context(app, pagename, templatename, context, doctree):
    if app.builder.format != "html":
        return
    scripts = context.get("script_files")
    if isinstance(scripts, list):
        # Sphinx's translations.js (a language other than English) makes its plural rule with
        # new Function(), which the pages' policy refuses (no 'unsafe-eval'): left out, so the few
        # words of Sphinx's own search script stay English.
        context["script_files"] = [js for js in scripts if str(getattr(js, "filename", js) or "").split("?")[0]
                                   .rsplit("/", 1)[-1] != "translations.js"]
    nav = context.get("furo_navigation_tree")
    if isinstance(nav, str) and page_lang(app) != i18n.SOURCE_LANGUAGE:
        context["furo_navigation_tree"] = translate_captions(app, nav)
    body = context.get("body")
    if not isinstance(body, str) or doctree is None:
        return
    note, english = notes_html(app, pagename)
    lang = page_lang(app)
    if english:
        # what the book drew in the page's language inside it (drawn) takes the page's direction too
        body = f'<div lang="en" dir="ltr">{_directed(body, lang)}</div>'
    elif translate.direction(lang) != "ltr":
        body = _directed(body, "en")        # English left in a right-to-left page reads left to right
    context["body"] = switcher_html(app, pagename) + note + body


_CAPTION = re.compile(r'(<span class="caption-text">)([^<]*)(</span>)')


def _caption_words(app) -> dict[str, str]:
    """The part captions of the table of contents in the page language: the root page's catalog
    (the captions are messages of the root page), read once a build."""
    words = getattr(app, "_spotthelure_captions", None)
    if words is None:
        from babel.messages.pofile import read_po
        words = {}
        po = translate.catalog_path(Path(app.srcdir), page_lang(app), app.config.root_doc)
        try:
            with open(po, "rb") as f:
                words = {m.id: m.string for m in read_po(f) if isinstance(m.id, str) and isinstance(m.string, str)
                         and m.string and not m.fuzzy}
        except (OSError, ValueError):
            pass
        app._spotthelure_captions = words
    return words


def translate_captions(app, nav: str) -> str:
    """The navigation with each part caption in the page language (as text: a translation is
    escaped like any other); a caption with no translation stays as it is."""
    words = _caption_words(app)

    def one(m):
        english = html.unescape(m.group(2)).strip()
        return m.group(1) + (html.escape(words[english]) if english in words else m.group(2)) + m.group(3)
    return _CAPTION.sub(one, nav)


def fix_html_tag(app, page: str) -> str:
    """``<html lang>`` as a BCP 47 tag and ``dir`` for the page language."""
    lang = page_lang(app)
    m = _HTML_TAG.search(page)
    if m is None:
        return page
    tag = _LANG_ATTR.sub("", m.group(0)[:-1].replace(' dir="rtl"', "").replace(' dir="ltr"', ""))
    new = f'{tag} lang="{lang}" dir="{translate.direction(lang)}">'
    return page[:m.start()] + new + page[m.end():]


def on_builder_inited(app):
    b = app.builder
    if b.format != "html" or not hasattr(b, "templates"):
        return
    lang = page_lang(app)
    theme_words.install(app, lang)
    written = theme_words.Written(lang)
    render = b.templates.render

    def render_page(template, context):
        page = written.in_page(fix_html_tag(app, render(template, context)))
        name = context.get("pagename") if isinstance(context, dict) else None
        if name and lang != i18n.SOURCE_LANGUAGE:
            rtl = translate.direction(lang) == "rtl"
            english = english_title_pages(app.env)
            page = theme_words.english_titles(page, name, english, rtl)
            page = theme_words.english_headings(page, rtl)
            marked = translate.english_attrs(lang)
            if name in english:         # the window's title: the page's English title and the book's name
                page = page.replace("<title>", f"<title{marked}>", 1)
            # the sources are listed as they are published, every one of them in English (references.bib),
            # and so are the citations in the text ([authors, year]: on a right-to-left page they keep
            # their brackets and order as a unit)
            page = page.replace('<div role="list" class="citation-list">', f'<div role="list" class="citation-list"{marked}>')
            page = page.replace('<span class="bibtex-citation" ', f'<span class="bibtex-citation"{marked} ')
        if name and 'class="stl-languages"' not in page:     # pages with no body: the index, search
            m = _MAIN.search(page)
            if m:
                page = page[:m.end()] + switcher_html(app, name) + page[m.end():]
        return page
    b.templates.render = render_page


def activity_wrapper(app, aid: str, html_text: str) -> str:
    """An activity drawn in a translated build: marked with the page language when every text of it
    is translated; otherwise it says that parts are still in English."""
    from .content import project
    pr = project(app)
    cat = getattr(pr, "catalog", None)
    if cat is None:
        return html_text
    if cat.untranslated(aid) == 0:       # its own language, also on a page still in English
        return f'<div lang="{pr.lang}" dir="{translate.direction(pr.lang)}">{html_text}</div>'
    if cat.untranslated(aid) == cat.total.get(aid, 0):
        return (_note("stl-untranslated", N_("This activity is not yet translated; you are reading the English text."))
                + f'<div lang="en" dir="ltr">{html_text}</div>')
    return _note("stl-partial", N_("Parts of this activity are not yet translated and are shown in English.")) + html_text


def on_doctree_read(app, doctree):
    """Every node of a page belongs to the page's own document. Sphinx translates a paragraph by
    parsing its translation as a small document of its own and moving the nodes over; the moved
    nodes kept that small document as theirs, and with it the build environment in its settings,
    so each translated page stored a copy of the whole environment for each translated paragraph
    (ten times the page, and as long to load again when the page is written)."""
    for node in doctree.findall(include_self=False):
        own = node.__dict__.get("_document")
        if own is not None and own is not doctree:
            node._document = doctree


def english_title_pages(env) -> set:
    """The pages of this build whose title is not translated yet (kept with the environment)."""
    if not hasattr(env, "spotthelure_english_titles"):
        env.spotthelure_english_titles = set()
    return env.spotthelure_english_titles


def on_env_purge_doc(app, env, docname):
    english_title_pages(env).discard(docname)


def on_env_merge_info(app, env, docnames, other):
    english_title_pages(env).update(english_title_pages(other) & set(docnames))


def setup(app):
    app.add_config_value("spotthelure_languages", [], "html", types=[list])
    app.add_config_value("spotthelure_checked", False, "", types=[bool])
    app.add_transform(MarkUntranslated)
    app.add_transform(IsolateNumbers)
    app.add_transform(KeepDrawnText)
    _numbered_translations_kept()
    app.connect("config-inited", on_config_inited, priority=400)
    app.connect("build-finished", on_build_finished, priority=1000)     # after every step that renders
    app.connect("builder-inited", on_builder_inited, priority=600)
    app.connect("html-page-context", on_page_context, priority=950)
    app.connect("doctree-read", on_doctree_read)
    app.connect("env-purge-doc", on_env_purge_doc)
    app.connect("env-merge-info", on_env_merge_info)


# ---- the site's root: pick a language ------------------------------------------------------------

_PICK = """(function () {
  var key = "spotthelure:language", links = document.querySelectorAll("a[hreflang]"), have = {};
  for (var i = 0; i < links.length; i++) {
    have[links[i].hreflang] = links[i].href;
    links[i].addEventListener("click", function (e) {
      try { localStorage.setItem(key, JSON.stringify(e.currentTarget.hreflang)); } catch (err) {}
    });
  }
  var saved = null;
  try { saved = JSON.parse(localStorage.getItem(key) || "null"); } catch (err) {}
  if (new URLSearchParams(location.search).has("choose")) return;
  var wants = (saved ? [saved] : []).concat(navigator.languages || [navigator.language || ""]);
  for (var j = 0; j < wants.length; j++) {
    var w = String(wants[j] || ""), tries = [w, w.split("-")[0]];
    if (/^sr\b/i.test(w) && !/cyrl/i.test(w)) tries.unshift("sr-Latn");
    for (var k = 0; k < tries.length; k++) {
      if (have[tries[k]]) { location.replace(have[tries[k]]); return; }
    }
  }
})();"""

INDEX_PAGE = """<!DOCTYPE html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" href="favicon.ico">
<style>body{{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;line-height:1.5}}
ul{{list-style:none;padding:0}}li{{margin:.5rem 0}}a{{font-size:1.25rem}}</style>
</head>
<body>
<main>
<h1>{title}</h1>
<p>{choose}</p>
<ul>
{links}
</ul>
</main>
<script>{script}</script>
</body>
</html>
"""


def write_language_index(outroot: Path, langs: list[str]) -> Path:
    """``outroot/index.html``: the book's languages as plain links (each in its own language, it works
    without script), and a small script that opens the reader's language (the browser's preferred
    languages, or the one chosen here before, kept in this browser's storage; nothing is sent).
    ``index.html?choose`` shows the list without forwarding."""
    from ..csp import add_meta
    built = [x for x in langs if (outroot / x / "index.html").is_file()]
    links = "\n".join(
        f'<li><a href="{html.escape(x)}/index.html" hreflang="{html.escape(x)}" lang="{html.escape(x)}" '
        f'dir="{translate.direction(x)}">{html.escape(language_name(x))}</a></li>' for x in built)
    with i18n.language("en"):
        page = INDEX_PAGE.format(title="Spot the Lure", choose=html.escape(_("Choose your language:")),
                                 links=links, script=_PICK)
    out = outroot / "index.html"
    out.write_text(add_meta(page), encoding="utf-8")
    import shutil
    from .page_head import STATIC
    shutil.copyfile(STATIC / "favicon.ico", outroot / "favicon.ico")
    return out
