"""The theme's own words on a translated page, in the page's language.

Furo asks Sphinx's translator for some words of its page ("Skip to content", "Back to top", "Next",
"On this page") and writes others as they are, in English: the names of its buttons for a screen
reader ("Toggle site navigation sidebar"), the titles of its icons, "Toggle navigation of" a part
of the navigation. Sphinx's own catalogs have few of these words, and none in Latin Serbian: gettext
takes Sphinx's Serbian, which is written in Cyrillic, for ``sr_Latn``. So, on a translated page:

- the words the theme asks for (``ASKED``), and the titles Sphinx's HTML writer gives the "#" links
  beside headings (``LINK_TITLES``), come from the book's catalog (spotthelure.pot), escaped (both
  put them into the HTML as they come), before Sphinx's own;
- the words the theme writes as they are (``WRITTEN``, ``NAVIGATION``) are put into the page's
  language once the page is drawn, as escaped text, in the attributes and icon titles they fill;
- on a Latin Serbian page, what Sphinx's Serbian catalog gives (an admonition's "Warning") is
  written in Latin letters: Serbian's two alphabets map letter for letter.

A theme's word the book never shows is in ``NOT_SHOWN`` with the reason; tests/test_theme_words.py
checks that every word of the installed theme's templates (and every link title of Sphinx's) is in
one of the lists, so a new release with a new word fails there rather than leaving it in English.
"""
from __future__ import annotations

import gettext
import html
import re

from .. import i18n
from ..i18n import N_

# What the theme's templates ask Sphinx's translator for, and the book shows.
ASKED = (
    # TRANSLATORS: a link for keyboard and screen reader users at the very top of every page
    N_("Skip to content"),
    # TRANSLATORS: a button that appears when a reader scrolls down a long page
    N_("Back to top"),
    # TRANSLATORS: at the foot of a page, the link to the next page
    N_("Next"),
    # TRANSLATORS: at the foot of a page, the link to the page before
    N_("Previous"),
    # TRANSLATORS: the link to the book's first page, where a page has no page before it
    N_("Home"),
    # TRANSLATORS: the heading of a page's own table of contents
    N_("On this page"),
    # TRANSLATORS: the search field and the search page
    N_("Search"),
    # TRANSLATORS: the book's index of terms
    N_("Index"),
    # TRANSLATORS: the title of the link to a copyright page
    N_("Copyright"),
    # TRANSLATORS: at the foot of every page; write the copyright sign as it is (©)
    N_("Copyright &#169; %(copyright)s"),
    # TRANSLATORS: at the foot of every page, followed by the name of the page design, "Furo" (keep the space at the end)
    N_("Made with "),
    # TRANSLATORS: at the foot of a page, the date it last changed
    N_("Last updated on %(last_updated)s"),
    # TRANSLATORS: the heading of a box on the search page when the browser runs no scripts
    N_("Error"),
    # TRANSLATORS: on the search page when the browser runs no scripts
    N_("Please activate JavaScript to enable the search functionality."),
)

# What Sphinx's HTML writer asks for and puts into a link's title as it comes (no escaping): the
# titles of the "#" links beside headings, terms, tables, code, images and equations. Sphinx's
# catalogs have none of them.
LINK_TITLES = (
    # TRANSLATORS: the title of the "#" link beside a heading, which links to that part of the page
    N_("Link to this heading"),
    # TRANSLATORS: the title of the "#" link beside a term of the glossary
    N_("Link to this term"),
    # TRANSLATORS: the title of the "#" link beside a table's caption
    N_("Link to this table"),
    # TRANSLATORS: the title of the "#" link beside a block of code
    N_("Link to this code"),
    # TRANSLATORS: the title of the "#" link beside a picture's caption
    N_("Link to this image"),
    # TRANSLATORS: the title of the "#" link beside a definition
    N_("Link to this definition"),
    # TRANSLATORS: the title of the "#" link beside an equation
    N_("Link to this equation"),
    # TRANSLATORS: the title of the "#" link beside the caption of a list of pages
    N_("Link to this toctree"),
)

# What the theme's templates could ask for and the book never shows, with the reason.
NOT_SHOWN = {
    "About these documents": "the book has no 'about' page for the theme to link",
    "Edit this page": "the book turns the page buttons off (top_of_page_buttons: [])",
    "View this page": "the book turns the page buttons off (top_of_page_buttons: [])",
    '<a href="%(path)s">Copyright</a> &#169; %(copyright)s': "the book has no copyright page",
    '<a href="https://www.sphinx-doc.org/">Sphinx</a> and ': "html_show_sphinx is off",
    '\n            <a href="https://github.com/pradyunsg/furo">Furo</a>\n            ': "the theme's name, a link",
    "Versions": "the Read the Docs sidebar, not used",
    "Downloads": "the Read the Docs sidebar, not used",
    "On Read the Docs": "the Read the Docs sidebar, not used",
    "Project Home": "the Read the Docs sidebar, not used",
    "Builds": "the Read the Docs sidebar, not used",
}

# What the theme writes in English as it is: the names of its controls (aria-label) and the titles
# of its icons (<title>), each put into the page's language where it stands.
WRITTEN = (
    # TRANSLATORS: the name of the menu button, read out by a screen reader
    N_("Toggle site navigation sidebar"),
    # TRANSLATORS: the name of the button that shows the page's own table of contents, read out by a screen reader
    N_("Toggle table of contents sidebar"),
    # TRANSLATORS: the name of the button that switches between light, dark and automatic colours
    N_("Toggle Light / Dark / Auto color theme"),
    # TRANSLATORS: the title of an icon: the page's table of contents
    N_("Contents"),
    # TRANSLATORS: the title of an icon: the menu
    N_("Menu"),
    # TRANSLATORS: the title of an icon: open a part of the navigation
    N_("Expand"),
    # TRANSLATORS: the title of an icon: the page's colours are light
    N_("Light mode"),
    # TRANSLATORS: the title of an icon: the page's colours are dark
    N_("Dark mode"),
    # TRANSLATORS: the title of an icon: colours follow the device's setting, which is light now
    N_("Auto light/dark, in light mode"),
    # TRANSLATORS: the title of an icon: colours follow the device's setting, which is dark now
    N_("Auto light/dark, in dark mode"),
)
# TRANSLATORS: the name of the button that opens or closes one part of the navigation (the part's title)
NAVIGATION = N_("Toggle navigation of %(title)s")
_NAVIGATION = re.compile(r'aria-label="Toggle navigation of ([^"]*)"')

# Serbian Cyrillic to Latin (Gaj's alphabet), letter for letter.
_CYRILLIC = dict(zip(
    "абвгдђежзијклљмнњопрстћуфхцчџшАБВГДЂЕЖЗИЈКЛЉМНЊОПРСТЋУФХЦЧЏШ",
    ["a", "b", "v", "g", "d", "đ", "e", "ž", "z", "i", "j", "k", "l", "lj", "m", "n", "nj", "o", "p", "r",
     "s", "t", "ć", "u", "f", "h", "c", "č", "dž", "š",
     "A", "B", "V", "G", "D", "Đ", "E", "Ž", "Z", "I", "J", "K", "L", "Lj", "M", "N", "Nj", "O", "P", "R",
     "S", "T", "Ć", "U", "F", "H", "C", "Č", "Dž", "Š"]))
_TO_LATIN = str.maketrans(_CYRILLIC)


def latin(text: str) -> str:
    """Serbian written in Cyrillic, in Latin letters."""
    return text.translate(_TO_LATIN)


class BookWords(gettext.NullTranslations):
    """Sphinx's translator for a translated build: the theme's words (``ASKED``) from the book's
    catalog in ``lang``, escaped when ``escape`` (for the templates, which insert what they get as
    HTML); every other word from Sphinx's ``sphinx_words``, in Latin letters on a Latin Serbian page."""

    def __init__(self, lang: str, sphinx_words: gettext.NullTranslations, escape: bool):
        super().__init__()
        self.lang, self.sphinx_words, self.escape = lang, sphinx_words, escape
        self.latin = lang == "sr-Latn"

    def _theirs(self, text: str) -> str:
        return latin(text) if self.latin else text

    def gettext(self, message):
        if message in _ASKED:
            with i18n.language(self.lang):
                text = i18n._(message)
            if text == message:               # not translated: the theme's own English, as it wrote it
                return self._theirs(self.sphinx_words.gettext(message))
            return html.escape(text, quote=True) if self.escape or message in _LINK_TITLES else text
        return self._theirs(self.sphinx_words.gettext(message))

    def ngettext(self, singular, plural, n):
        return self._theirs(self.sphinx_words.ngettext(singular, plural, n))

    def pgettext(self, context, message):
        return self._theirs(self.sphinx_words.pgettext(context, message))

    def npgettext(self, context, singular, plural, n):
        return self._theirs(self.sphinx_words.npgettext(context, singular, plural, n))


_LINK_TITLES = frozenset(LINK_TITLES)
_ASKED = frozenset(ASKED) | _LINK_TITLES


def install(app, lang: str) -> None:
    """On a translated build, Sphinx's translator (its own words: admonition titles) and the
    templates' translator (the theme's words) become the book's, for this build; ``restore`` gives
    Sphinx its own back when the build ends."""
    import sphinx.locale
    b = app.builder
    if lang == i18n.SOURCE_LANGUAGE or app.translator is None or not hasattr(b, "templates"):
        return
    theirs = app.translator
    app.spotthelure_sphinx_words = theirs
    plain = BookWords(lang, theirs, escape=False)
    app.translator = sphinx.locale.translators["general", "sphinx"] = plain
    b.templates.environment.install_gettext_translations(BookWords(lang, theirs, escape=True))


def restore(app) -> None:
    import sphinx.locale
    theirs = getattr(app, "spotthelure_sphinx_words", None)
    if theirs is not None:
        app.translator = sphinx.locale.translators["general", "sphinx"] = theirs


class Written:
    """The words the theme writes in English, each with its translation in ``lang`` (escaped text),
    looked up once for a build; ``in_page`` puts them into a page where they stand: a control's name,
    an icon's title, the name of each part of the navigation."""

    def __init__(self, lang: str):
        self.pairs: list[tuple[str, str]] = []
        self.navigation = None
        if lang == i18n.SOURCE_LANGUAGE:
            return
        with i18n.language(lang):
            for english in WRITTEN:
                ours = html.escape(i18n._(english), quote=True)
                self.pairs += [(f'aria-label="{english}"', f'aria-label="{ours}"'),
                               (f"<title>{english}</title>", f"<title>{ours}</title>")]
            self.navigation = html.escape(i18n._(NAVIGATION), quote=True)

    def in_page(self, page: str) -> str:
        if self.navigation is None:
            return page
        for english, ours in self.pairs:
            page = page.replace(english, ours)
        # the part's title is already escaped text in the attribute
        return _NAVIGATION.sub(lambda m: f'aria-label="{self.navigation.replace("%(title)s", m.group(1))}"', page)


def written_words(page: str, lang: str) -> str:
    """``page`` with the words the theme wrote in English in ``lang`` (a build keeps one ``Written``)."""
    return Written(lang).in_page(page)


# ---- titles of pages not translated yet, in the navigation around a translated page ---------------

_SIDEBAR = re.compile(r'<div class="sidebar-tree">.*?</div>', re.S)
_NAV_LINK = re.compile(r'(<a class="(?:current )?reference internal" href=")([^"#]*)((?:#[^"]*)?">)([^<]+)(</a>)')
_RELATED = re.compile(r'(<a class="(?:next|prev)-page" href=")([^"#]*)("[^>]*>.*?<div class="title">)([^<]+)(</div>)', re.S)


def _docname(pagename: str, href: str) -> str:
    import posixpath
    target = posixpath.normpath(posixpath.join(posixpath.dirname(pagename), href)) if href else pagename
    return target[:-5] if target.endswith(".html") else target


def english_titles(page: str, pagename: str, english: set, rtl: bool) -> str:
    """``page`` with the title of each page in ``english`` (whose title is not translated yet) marked
    as English where the theme shows it around the content: the navigation, and the next and previous
    pages at the foot. A screen reader then reads it in an English voice; on a right-to-left page it
    runs left to right inside the line, which keeps its place."""
    if not english:
        return page
    link = _marking(lambda href: _docname(pagename, href) in english, rtl)
    page = _SIDEBAR.sub(lambda m: _NAV_LINK.sub(link, m.group(0)), page, count=1)
    return _RELATED.sub(link, page)


def _marking(is_english, rtl: bool):
    """A replacement for the link patterns above (groups: start, target, the rest of the tag, title,
    end) that wraps the title in an English mark when ``is_english(target)``."""
    mark = '<span lang="en" dir="ltr">' if rtl else '<span lang="en">'

    def link(m):
        if not is_english(m.group(2)):
            return m.group(0)
        return f"{m.group(1)}{m.group(2)}{m.group(3)}{mark}{m.group(4)}</span>{m.group(5)}"
    return link


# The page's own contents ("On this page"): a heading not translated yet is marked English in the page
# (languages.MarkUntranslated); its entry in the contents is marked the same way.
_TOC = re.compile(r'<div class="toc-tree">.*?</div>', re.S)
_TOC_LINK = re.compile(r'(<a class="reference internal" href=")(#[^"]*)(">)([^<]+)(</a>)')
_SECTION_HEADING = re.compile(r'<section id="([^"]+)">\s*(?:<span id="[^"]*"></span>\s*)*<h[1-6]\b([^>]*)>')
_ENGLISH_HEADING = re.compile(r'\bclass="[^"]*\buntranslated\b[^"]*"[^>]*\blang="en"')


def english_headings(page: str, rtl: bool) -> str:
    """``page`` with each entry of its contents whose heading is not translated yet marked as English
    (``#``, the top of the page, stands for its first heading)."""
    sections = [(sid, bool(_ENGLISH_HEADING.search(attrs))) for sid, attrs in _SECTION_HEADING.findall(page)]
    english = {f"#{sid}" for sid, marked in sections if marked}
    if sections and sections[0][1]:
        english.add("#")
    if not english:
        return page
    link = _marking(english.__contains__, rtl)
    return _TOC.sub(lambda m: _TOC_LINK.sub(link, m.group(0)), page, count=1)
