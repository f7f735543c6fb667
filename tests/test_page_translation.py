"""How a translated page takes its translations (spotthelure/sphinx/languages.py): a title numbered
like a list item is translated, and what the book draws in the page's language (from its catalogs)
is not marked as English text left untranslated."""
from __future__ import annotations

import re

import pytest

from i18n_helpers import translated_page

NUMBERED = """# How to adapt

## 1. Fill in your local contacts

Ask your safeguarding lead.

## 2) Change examples and names

Keep the rules.
"""
NUMBERED_SV = {
    "How to adapt": "Så anpassar du",
    "1. Fill in your local contacts": "1. Fyll i era lokala kontakter",
    "Ask your safeguarding lead.": "Fråga den som ansvarar för barnskyddet.",
    "2) Change examples and names": "2) Ändra exempel och namn",
    "Keep the rules.": "Behåll reglerna.",
}


def _headings(html: str) -> list[str]:
    """The page's own headings (not the theme's), without their link marks."""
    body = re.sub(r'<a class="headerlink"[^>]*>.*?</a>', "", html.split('role="main"', 1)[1].split('class="sphinxsidebar"', 1)[0],
                  flags=re.S)
    return [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<h[12][^>]*>(.*?)</h[12]>", body, re.S)]


@pytest.mark.book
def test_a_title_numbered_like_a_list_item_is_translated(tmp_path, monkeypatch):
    """Sphinx parses each translation alone, where "1. Fyll i ..." would be a list and the title
    would stay English; the number's mark is read as text."""
    import inspect

    from sphinx.transforms import i18n

    from spotthelure.sphinx import languages
    monkeypatch.setattr(i18n, "publish_msgstr", inspect.unwrap(i18n.publish_msgstr))     # Sphinx's own
    own = translated_page(tmp_path, "own", NUMBERED, NUMBERED_SV)
    assert "1. Fill in your local contacts" in _headings(own)       # what Sphinx alone does
    languages._numbered_translations_kept()
    html = translated_page(tmp_path, "kept", NUMBERED, NUMBERED_SV)
    assert _headings(html) == ["Så anpassar du", "1. Fyll i era lokala kontakter", "2) Ändra exempel och namn"]
    assert "untranslated" not in html
    assert "Fråga den som ansvarar för barnskyddet." in html


# A book's extension in small: a directive and a content role that draw Swedish text, as the book's
# own draw it from its catalogs, and the transforms of spotthelure.sphinx.languages.
DRAWING = '''
from docutils import nodes
from sphinx.util.docutils import SphinxDirective
from spotthelure.sphinx import languages

class Plan(SphinxDirective):
    def run(self):
        sec = nodes.section(ids=["objectives"])
        sec += nodes.title("", "Mål")
        sec += nodes.paragraph("", "Deltagarna kan beskriva varningstecken.")
        return [nodes.paragraph("", "En avslappnad workshop."), sec]

def plain(name, rawtext, text, lineno, inliner, options=None, content=None):
    return [nodes.Text("Prata med barn om grooming")], []

def on_config_inited(app, config):
    config.translation_progress_classes = "untranslated"

def setup(app):
    app.add_directive("plan", languages.drawn(Plan) if DRAWN else Plan)
    app.add_role("stl-plain", plain)
    if DRAWN:
        languages.setup(app)
    else:
        app.add_transform(languages.MarkUntranslated)
        app.connect("config-inited", on_config_inited)
'''
DRAWN_PAGE = """# {stl-plain}`page.workshop.title`

```{plan}
```

A paragraph with its translation.

A paragraph still in English.
"""


def _lang_of(html: str, text: str) -> str | None:
    """The lang attribute of the element whose text starts with ``text``, or None."""
    m = re.search(r"<(?:p|h[1-6])\b([^>]*)>" + re.escape(text), html)
    assert m, text
    found = re.search(r'\blang="([^"]+)"', m.group(1))
    return found.group(1) if found else None


@pytest.mark.book
def test_what_the_book_draws_in_the_page_language_is_not_marked_english(tmp_path):
    """Without the book's marking, Sphinx looks each drawn text up in the page's catalog by its
    Swedish words, finds nothing, and the page says they are English (lang="en"). With it, only the
    paragraph that really is English says so."""
    translations = {"A paragraph with its translation.": "Ett stycke med sin översättning."}
    drawn = {}
    for flag in (False, True):
        html = translated_page(tmp_path, f"drawn-{flag}", DRAWN_PAGE, translations,
                               conf=f"DRAWN = {flag}\n" + DRAWING)
        drawn[flag] = {t: _lang_of(html, t) for t in (
            "Prata med barn om grooming", "En avslappnad workshop.", "Mål", "Deltagarna kan beskriva",
            "Ett stycke med sin översättning.", "A paragraph still in English.")}
    assert drawn[False]["En avslappnad workshop."] == drawn[False]["Mål"] == "en"     # what Sphinx alone says
    assert drawn[True] == {"Prata med barn om grooming": None, "En avslappnad workshop.": None, "Mål": None,
                           "Deltagarna kan beskriva": None, "Ett stycke med sin översättning.": None,
                           "A paragraph still in English.": "en"}


@pytest.mark.book
def test_on_a_page_still_in_english_what_the_book_draws_keeps_the_page_language_and_direction(tmp_path):
    """An Arabic page whose own text is not translated yet is marked English, left to right, as a
    whole; the title, plan and boxes the book draws on it are Arabic (from its catalogs): they say
    so, right to left."""
    html = translated_page(tmp_path, "ar", DRAWN_PAGE, {}, lang="ar", conf="DRAWN = True\n" + DRAWING)
    body = html.split('<div lang="en" dir="ltr">', 1)
    assert len(body) == 2, "the page's own English is not marked"
    assert re.search(r'<h1 [^>]*lang="ar" dir="rtl"', body[1]) or re.search(r'<h1 [^>]*dir="rtl" lang="ar"', body[1])
    assert re.search(r'<div class="docutils container" (?:dir="rtl" lang="ar"|lang="ar" dir="rtl")>\s*<p>En avslappnad', body[1])
    assert re.search(r'<section id="objectives" (?:dir="rtl" lang="ar"|lang="ar" dir="rtl")>', body[1])
    assert re.search(r'<p[^>]*>A paragraph still in English.</p>', body[1])       # inside the English part


@pytest.mark.book
def test_english_left_on_a_right_to_left_page_reads_left_to_right(tmp_path):
    """A paragraph of a translated Arabic page with no translation yet says it is English, and
    left to right, so its full stop stays at its end; the translated text around it is the page's."""
    translations = {"A paragraph with its translation.": "فقرة مع ترجمتها."}
    html = translated_page(tmp_path, "ar-mixed", DRAWN_PAGE, translations, lang="ar", conf="DRAWN = True\n" + DRAWING)
    assert '<div lang="en" dir="ltr">' not in html            # a translated page: not English as a whole
    assert re.search(r'<p class="untranslated" (?:dir="ltr" lang="en"|lang="en" dir="ltr")>A paragraph still in English.</p>', html)
    assert re.search(r"<p>فقرة مع ترجمتها.</p>", html)
