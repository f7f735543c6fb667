"""The theme's own words on a translated page (spotthelure/sphinx/theme_words.py), without a build:
every word of the installed theme is either put into the page's language or never shown; what a
translator wrote is escaped wherever it goes; Sphinx's Serbian comes out in Latin letters on a Latin
Serbian page. tests/test_languages_site.py reads the built pages."""
from __future__ import annotations

import gettext
import re
from pathlib import Path

from spotthelure import i18n
from spotthelure.sphinx import theme_words

from i18n_helpers import write_catalog


def _theme() -> Path:
    import furo
    return Path(furo.__file__).parent / "theme" / "furo"


def test_every_word_the_theme_asks_for_is_translated_or_never_shown():
    from jinja2.ext import babel_extract
    asked = set()
    for f in sorted(_theme().rglob("*.html")):
        with f.open("rb") as fh:
            asked |= {msg for _line, _func, msg, _c in babel_extract(fh, ("_", "gettext"), [], {"trimmed": "false"})
                      if isinstance(msg, str)}
    assert asked, "no words found in the theme's templates"
    assert asked == set(theme_words.ASKED) | set(theme_words.NOT_SHOWN), (
        f"new in the theme: {sorted(asked - set(theme_words.ASKED) - set(theme_words.NOT_SHOWN))}; "
        f"no longer in it: {sorted((set(theme_words.ASKED) | set(theme_words.NOT_SHOWN)) - asked)}")
    assert not set(theme_words.ASKED) & set(theme_words.NOT_SHOWN)


def test_every_word_the_theme_writes_in_english_is_translated():
    written = set()
    for f in sorted(_theme().rglob("*.html")):
        text = f.read_text(encoding="utf-8")
        written |= set(re.findall(r'aria-label="([A-Z][^"{]*)"', text))
        written |= set(re.findall(r"<title>([^<{]+)</title>", text))
    # the Read the Docs and GitHub icons of the footer, which the book does not show
    written -= {"On Read the Docs", "On GitHub"}
    assert written == set(theme_words.WRITTEN), sorted(written ^ set(theme_words.WRITTEN))
    import furo.navigation
    source = Path(furo.navigation.__file__).read_text(encoding="utf-8")
    assert 'f"Toggle navigation of {' in source        # what _NAVIGATION finds in the page


def _catalog(tmp_path, words: dict):
    write_catalog(tmp_path, "sv", lambda msgid, form: words.get(msgid, msgid))
    return i18n.use_locales(tmp_path)


def test_a_translators_words_are_escaped_for_the_templates(tmp_path):
    quoted = 'Hoppa "dit" & sen'
    sphinx_words = gettext.NullTranslations()
    words = {"Skip to content": quoted, "Copyright &#169; %(copyright)s": "© %(copyright)s",
             "Back to top": '<img src=x onerror="alert(1)">'}
    with _catalog(tmp_path, words):
        for_templates = theme_words.BookWords("sv", sphinx_words, escape=True)
        plain = theme_words.BookWords("sv", sphinx_words, escape=False)
        assert for_templates.gettext("Skip to content") == "Hoppa &quot;dit&quot; &amp; sen"
        assert plain.gettext("Skip to content") == quoted       # docutils escapes a text node itself
        assert for_templates.gettext("Copyright &#169; %(copyright)s") % {"copyright": "2026"} == "© 2026"
        # a translation that brings markup is refused by the catalog (spotthelure.i18n): the theme's English
        assert for_templates.gettext("Back to top") == "Back to top"
        # a word the book does not translate is Sphinx's (here none: the English)
        assert for_templates.gettext("Warning") == "Warning"


def test_the_written_words_go_into_the_page_escaped(tmp_path):
    page = ('<input aria-label="Toggle site navigation sidebar"><svg><symbol><title>Menu</title></symbol></svg>'
            '<label aria-label="Toggle navigation of Ages 9&amp;11"></label><p>Menu</p>')
    words = {"Toggle site navigation sidebar": 'Visa "menyn"', "Menu": "Meny & mer",
             "Toggle navigation of %(title)s": "Visa eller dölj: %(title)s"}
    with _catalog(tmp_path, words):
        out = theme_words.written_words(page, "sv")
    assert '<input aria-label="Visa &quot;menyn&quot;">' in out
    assert "<title>Meny &amp; mer</title>" in out
    assert '<label aria-label="Visa eller dölj: Ages 9&amp;11">' in out      # the title, escaped once
    assert "<p>Menu</p>" in out                                             # the page's own text is left alone
    assert theme_words.written_words(page, "en") == page


def test_sphinx_serbian_comes_out_in_latin_letters_on_a_latin_serbian_page():
    assert theme_words.latin("Упозорење, Џеп, Љубав, Њива, ђак, ЋУП") == "Upozorenje, Džep, Ljubav, Njiva, đak, ĆUP"

    class Serbian(gettext.NullTranslations):
        def gettext(self, message):
            return {"Warning": "Упозорење", "Note": "Белешка"}.get(message, message)
    words = theme_words.BookWords("sr-Latn", Serbian(), escape=False)
    assert words.gettext("Warning") == "Upozorenje" and words.gettext("Note") == "Beleška"
    assert theme_words.BookWords("uk", Serbian(), escape=False).gettext("Warning") == "Упозорење"


def test_titles_not_translated_yet_are_marked_english_around_the_page():
    page = ('<div class="sidebar-tree"><ul><li><a class="reference internal" href="../get-help.html">احصل على المساعدة</a></li>'
            '<li><a class="reference internal" href="evidence.html">What works and what harms</a></li>'
            '<li><a class="reference internal" href="#agenda">Agenda</a></li></ul></div>'
            '<article><p><a class="reference internal" href="evidence.html">What works and what harms</a></p></article>'
            '<div class="related-pages"><a class="next-page" href="evidence.html"><div class="page-info">'
            '<div class="context"><span>التالي</span></div><div class="title">What works and what harms</div></div></a>'
            '<a class="prev-page" href="../get-help.html"><div class="page-info"><div class="title">احصل على المساعدة</div>'
            '</div></a></div>')
    english = {"book/facilitators/evidence", "book/facilitators/workshop"}
    out = theme_words.english_titles(page, "book/facilitators/workshop", english, rtl=True)
    marked = '<span lang="en" dir="ltr">What works and what harms</span>'
    assert out.count(marked) == 2                                  # the navigation and "Next"
    assert '<a class="reference internal" href="#agenda"><span lang="en" dir="ltr">Agenda</span></a>' in out  # this page
    assert "<article><p><a class=\"reference internal\" href=\"evidence.html\">What works and what harms</a>" in out
    assert "احصل على المساعدة</a>" in out and '<div class="title">احصل على المساعدة</div>' in out
    assert theme_words.english_titles(page, "book/facilitators/workshop", english, rtl=False).count(
        '<span lang="en">What works and what harms</span>') == 2
    assert theme_words.english_titles(page, "book/facilitators/workshop", set(), rtl=True) == page


def test_the_current_page_and_its_english_headings_are_marked_in_the_navigation_and_contents():
    """The page's own entry in the navigation (Furo writes it ``current``, to ``#``) is marked like the
    others; in "On this page", an entry is marked English when its heading is (MarkUntranslated),
    the top of the page (``#``) when the first heading is."""
    nav = ('<div class="sidebar-tree"><ul><li class="current-page"><a class="current reference internal" href="#">'
           'What works and what harms</a></li></ul></div>')
    out = theme_words.english_titles(nav, "book/facilitators/evidence", {"book/facilitators/evidence"}, rtl=True)
    assert 'href="#"><span lang="en" dir="ltr">What works and what harms</span></a>' in out
    page = ('<article><section id="top">\n<h1 class="untranslated" lang="en">Top</h1>'
            '<section id="done">\n<h2>مترجم</h2></section>'
            '<section id="left">\n<span id="label-left"></span><h3 class="untranslated" lang="en">Left as written</h3>'
            '</section></section></article>'
            '<div class="toc-tree"><ul><li><a class="reference internal" href="#">Top</a><ul>'
            '<li><a class="reference internal" href="#done">مترجم</a></li>'
            '<li><a class="reference internal" href="#left">Left as written</a></li></ul></li></ul></div>')
    out = theme_words.english_headings(page, rtl=False)
    assert '<a class="reference internal" href="#"><span lang="en">Top</span></a>' in out
    assert '<a class="reference internal" href="#left"><span lang="en">Left as written</span></a>' in out
    assert '<a class="reference internal" href="#done">مترجم</a>' in out
    assert out.count('<span lang="en">') == 2                     # the headings themselves are left as they are
    translated = page.replace(' class="untranslated" lang="en"', "")
    assert theme_words.english_headings(translated, rtl=True) == translated


def test_every_link_title_of_sphinx_is_translated_and_escaped(tmp_path):
    import sphinx
    found = set()
    for f in Path(sphinx.__file__).parent.rglob("*.py"):
        found |= set(re.findall(r"""_\(['"](Link to this [a-z]+)['"]\)""", f.read_text(encoding="utf-8")))
    assert found == set(theme_words.LINK_TITLES), sorted(found ^ set(theme_words.LINK_TITLES))
    with _catalog(tmp_path, {"Link to this heading": 'Länk hit "#"'}):
        plain = theme_words.BookWords("sv", gettext.NullTranslations(), escape=False)
        assert plain.gettext("Link to this heading") == "Länk hit &quot;#&quot;"     # the writer puts it in title="…"
