"""The campaign planner in every language: its words are messages of the content catalog
(``campaign:<field path>``), drawn in the page's language with the same ids, links, tip numbers and
citations as the English; a text left untranslated stays English and is marked so; a translation
that tries to change a link or a citation is refused at its PO line."""
from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import ROOT
from spotthelure import i18n, translate
from spotthelure.campaign import FILE, load_campaign
from spotthelure.campaign_html import book_href, in_language, planner_html
from spotthelure.translate import campaign_texts
from spotthelure.project import load_project

TINY = ROOT / "tests" / "books" / "campaign"
PAGE = "book/facilitators/campaign-planner"
# The tiny book's words in Swedish.
SV = {"Choose": "Välj", "Children": "Barn", "Media": "Medier", "Inform": "Informera",
      "Influence policy": "Påverka politiken", "Printed materials": "Tryckt material", "Comics": "Serier",
      "Hand out printed comics.": "Dela ut tryckta serier.", "Get help": "Få hjälp",
      "Policy briefs": "Policyunderlag", "Write a short brief.": "Skriv ett kort underlag.",
      "No fear.": "Ingen rädsla.", "Measure before and after.": "Mät före och efter."}


def tiny_book(tmp_path: Path) -> Path:
    book = tmp_path / "tiny"
    shutil.copytree(TINY, book)
    return book


def write_po(book: Path, lang: str, entries: list[tuple[str, str, str]], fuzzy: set[str] = frozenset()) -> Path:
    """A content catalog of ``lang`` with ``entries`` (context, English, translation), in that order."""
    from babel.messages.catalog import Catalog

    cat = Catalog(locale=translate.code(lang), project="Spot the Lure", fuzzy=False)
    for ctx, english, translated in entries:
        cat.add(english, translated, context=ctx, flags=("fuzzy",) if ctx in fuzzy else ())
    po = translate.catalog_path(book, lang)
    translate.write_po(po, cat)
    return po


def sv_entries(book: Path, leave_out: set[str] = frozenset()) -> list[tuple[str, str, str]]:
    return [(f"campaign:{path}", text, SV[text]) for path, text, _line in campaign_texts(book)
            if f"campaign:{path}" not in leave_out]


def po_line(po: Path, ctx: str) -> int:
    """The line of the entry of ``ctx``: its msgid line (the one after msgctxt), where Babel places it."""
    lines = po.read_text(encoding="utf-8").splitlines()
    return next(i for i, x in enumerate(lines, 1) if x == f'msgctxt "{ctx}"') + 1


def draw(book: Path, lang: str, campaign_lang: str | None = None) -> tuple[str, list[str]]:
    """The planner drawn on a page in ``lang`` from the planner in ``campaign_lang`` (the page's
    language by default), with the citation keys it asked for."""
    c, problems = load_campaign(book)
    assert c is not None and problems == []
    keys: list[str] = []

    def cite(key):
        keys.append(key)
        return f"[{key}]"
    with i18n.language(lang):
        html = planner_html(in_language(c, book, campaign_lang or lang), book_href(PAGE), cite)
    return html, keys


class _Shape(HTMLParser):
    """Every tag with its attributes, words left out: what a translation may not change. The ``lang``
    and ``dir`` that say a text's language are left out, and so is a ``span`` that says nothing else."""

    def __init__(self):
        super().__init__()
        self.tags: list = []
        self.spans: list[bool] = []

    def handle_starttag(self, tag, attrs):
        kept = tuple(sorted((k, v) for k, v in attrs if k not in ("lang", "dir")))
        if tag == "span":
            self.spans.append(bool(kept))
            if not kept:
                return
        self.tags.append((tag, kept))

    def handle_endtag(self, tag):
        if tag == "span" and not self.spans.pop():
            return
        self.tags.append(("/" + tag,))


def shape(html: str) -> list:
    p = _Shape()
    p.feed(html)
    return p.tags


def tips(html: str) -> list[list[str]]:
    """The tip numbers of each tool, as the page shows them."""
    return [re.findall(r"\b\d+\b", re.sub(r"<[^>]+>|\[[^\]]*\]", "", p))
            for p in re.findall(r'<p class="stl-cp-source">(.*?)</p>', html, re.S)]


# ---------------------------------------------------------------------------------- the template

def test_the_template_holds_every_text_of_the_planner_under_campaign_contexts():
    pr = load_project(ROOT)
    tmpl = translate.template(pr)
    got = {m.context: (m.id, m.locations) for m in tmpl if m.context and m.context.startswith("campaign:")}
    c, _problems = load_campaign(ROOT)
    lines = (ROOT / FILE).read_text(encoding="utf-8").splitlines()
    assert got["campaign:title"] == (c.data["title"], [(FILE, next(i for i, x in enumerate(lines, 1)
                                                                    if x.startswith("title:")))])
    assert got["campaign:groups.children.name"][0] == c.groups["children"]
    assert got["campaign:channels.papers.name"][0] == c.channels["papers"]
    tool = c.tools[0]
    assert got[f"campaign:tools.{tool['id']}.advice"][0] == tool["advice"]
    assert got[f"campaign:tools.{tool['id']}.links.1.text"][0] == tool["links"][0]["text"]
    assert "campaign:evaluation.1.text" in got and "campaign:safe_messaging.no-fear.text" in got
    # Every text field is there, and nothing that is not words: ids, pages, tips, sources, channels.
    assert len(got) == len(campaign_texts(ROOT)) > 100
    assert not [ctx for ctx in got if re.search(r"\.(id|page|channel|groups|objectives|tips|sources)(\.|$)|:source$", ctx)]
    # The catalogs the book ships hold them (as `spotthelure i18n translations` writes them).
    for lang in translate.LANGUAGES:
        po = translate.catalog_path(ROOT, lang).read_text(encoding="utf-8")
        assert all(f'msgctxt "{ctx}"' in po for ctx in got), lang


# ------------------------------------------------------------------------------------- drawing

def test_a_translated_planner_draws_its_words_with_the_english_ids_links_tips_and_citations(tmp_path):
    book = tiny_book(tmp_path)
    write_po(book, "sv", sv_entries(book))
    sv, sv_keys = draw(book, "sv")
    en, en_keys = draw(book, "sv", campaign_lang="en")     # the English planner on the same page
    assert shape(sv) == shape(en)
    assert sv_keys == en_keys == ["toolkit", "toolkit", "guide"]
    assert tips(sv) == tips(en) == [["4"], ["20", "33"]]
    for name in ("Barn", "Medier", "Informera", "Påverka politiken"):        # the filters' names
        assert re.search(rf'<input type="checkbox" name="\w+" value="[\w-]+"> <span>{name}</span>', sv), name
    assert '<span class="stl-cp-channel">Tryckt material</span>' in sv
    assert re.search(r'<td data-label="[^"]*">Barn</td>', sv)
    assert "<p>Dela ut tryckta serier.</p>" in sv and '<a href="../get-help.html">Få hjälp</a>' in sv
    assert '<h2 class="stl-cp-title" id="stl-campaign-title">Välj</h2>' in sv
    # Nothing of the planner's content is English, so nothing is marked so.
    assert 'lang="en"' not in sv
    content = sv.split('<p class="stl-cp-help">')[0]          # (the help route after it is the interface's)
    assert not [w for w in SV if re.search(rf">{re.escape(w)}<", content)]


@pytest.mark.parametrize("lang", ["sv", "uk"])
def test_the_shipped_planner_is_translated_in_swedish_and_ukrainian(lang):
    cat = translate.read_catalog(ROOT, lang)
    missing = [path for path, text, _line in campaign_texts(ROOT) if (f"campaign:{path}", text) not in cat.messages]
    assert missing == []
    html, _keys = draw(ROOT, lang)
    assert 'lang="en"' not in html


@pytest.mark.parametrize("lang", translate.LANGUAGES)
def test_the_shipped_translations_keep_the_planners_ids_links_tips_and_citations(lang):
    cat = translate.read_catalog(ROOT, lang)
    assert [p for p in cat.problems if "campaign:" in p.message] == []
    html, keys = draw(ROOT, lang)
    en, en_keys = draw(ROOT, lang, campaign_lang="en")
    assert shape(html) == shape(en) and keys == en_keys and tips(html) == tips(en)
    assert len(keys) > 20 and 'href="../get-help.html"' in html


def test_an_untranslated_text_stays_english_and_is_marked_so(tmp_path):
    book = tiny_book(tmp_path)
    left = {"campaign:tools.briefs.advice", "campaign:groups.media.name"}
    write_po(book, "sv", sv_entries(book, leave_out=left))
    html, _keys = draw(book, "sv")
    assert '<p lang="en" dir="ltr">Write a short brief.</p>' in html
    assert '<p>Dela ut tryckta serier.</p>' in html                              # its neighbour is translated
    assert '<span lang="en" dir="ltr">Media</span>' in html                      # in the table and the filters
    assert '<span lang="en" dir="ltr">Media</span></label>' in html
    assert "<span>Barn</span></label>" in html
    assert html.count('lang="en"') == 3
    # The English page marks nothing.
    en, _keys = draw(book, "en")
    assert 'lang="en"' not in en and "Write a short brief." in en


def test_a_fuzzy_translation_falls_back_to_english(tmp_path):
    book = tiny_book(tmp_path)
    write_po(book, "sv", sv_entries(book), fuzzy={"campaign:safe_messaging.no-fear.text"})
    html, _keys = draw(book, "sv")
    assert '<span lang="en" dir="ltr">No fear.</span>' in html and "Ingen rädsla." not in html


def test_the_widget_speaks_the_notebook_language(tmp_path):
    from spotthelure.campaign_widget import planner_widget
    book = tiny_book(tmp_path)
    write_po(book, "sv", sv_entries(book))
    ui = planner_widget(book, "sv")
    assert [b.description for b in ui.group_boxes] == ["Barn", "Medier"]
    assert "Dela ut tryckta serier." in ui.table.value and 'lang="en"' not in ui.table.value
    with i18n.language("sv"):                      # no language given: the one the notebook speaks
        ui = planner_widget(book)
    assert [b.description for b in ui.objective_boxes] == ["Informera", "Påverka politiken"]
    assert [b.description for b in planner_widget(book, "en").group_boxes] == ["Children", "Media"]


# ------------------------------------------------------------------------------ refused entries

@pytest.mark.parametrize("ctx,english,translated,words", [
    ("campaign:tools.comics.links.1.page", "book/get-help", "book/other", "names no text of the book"),
    ("campaign:source", "toolkit", "guide", "names no text of the book"),
    ("campaign:safe_messaging.no-fear.sources.1", "guide", "toolkit", "names no text of the book"),
    ("campaign:tools.comics.tips.1", "4", "5", "names no text of the book"),
    ("campaign:tools.comics.advice", "Hand out printed comics.",
     "Dela ut [tryckta serier](https://example.org/).", "link targets"),
], ids=["link target", "the planner's source", "a rule's citation", "a tip number", "a link in the words"])
def test_a_translation_of_a_link_or_a_citation_is_refused_at_its_po_line(tmp_path, ctx, english, translated, words):
    book = tiny_book(tmp_path)
    entries = [e for e in sv_entries(book) if e[0] != ctx]
    po = write_po(book, "sv", entries[:3] + [(ctx, english, translated)] + entries[3:])
    problems = translate.check_catalog(load_project(book), "sv")
    rel = po.relative_to(book).as_posix()
    assert [(p.path, p.line) for p in problems if words in p.message] == [(rel, po_line(po, ctx))], problems
    assert len(problems) == 1
    # The page keeps the file's links and citations.
    html, keys = draw(book, "sv")
    assert keys == ["toolkit", "toolkit", "guide"] and "example.org" not in html
    assert html.count('href="../get-help.html"') == 3 and tips(html) == [["4"], ["20", "33"]]


def test_translated_entries_are_used_and_a_changed_english_text_checks_again(tmp_path):
    book = tiny_book(tmp_path)
    write_po(book, "sv", sv_entries(book))
    stamps = tmp_path / "stamps"
    assert translate.check_catalog(load_project(book), "sv") == []
    assert translate.check_catalog(load_project(book), "sv", stamp_dir=stamps) == []
    # The tool's id changes: its translated texts now name nothing, and the kept result is not reused.
    p = book / FILE
    p.write_text(p.read_text(encoding="utf-8").replace("id: comics", "id: comic-strips"), encoding="utf-8")
    problems = translate.check_catalog(load_project(book), "sv", stamp_dir=stamps)
    assert sorted(p.message.split(" ")[0] for p in problems) == [
        "campaign:tools.comics.advice", "campaign:tools.comics.links.1.text", "campaign:tools.comics.name"]


# ------------------------------------------------------------------------ the page, in a build

def test_the_directive_draws_the_planner_in_the_build_language(tmp_path):
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    from conftest import _in_process
    book = tiny_book(tmp_path)
    write_po(book, "sv", sv_entries(book, leave_out={"campaign:tools.briefs.advice"}))
    # In a namespace of its own, as sphinx-build makes one: the nodes this application registers are
    # taken away afterwards, so the next application in the process registers them afresh, without
    # the warning that every node is registered again.
    with _in_process(book) as (_out, err), patch_docutils(book), docutils_namespace():
        app = Sphinx(str(book), str(book), str(book / "_build" / "html"), str(book / "_build" / "doctrees"), "html",
                     status=None, warning=err, freshenv=True, confoverrides={"language": "sv"})
        app.build()
    assert app.statuscode == 0, err.getvalue()
    assert "campaign" not in err.getvalue().lower(), err.getvalue()
    page = (book / "_build" / "html" / "book" / "planner.html").read_text(encoding="utf-8")
    assert "<span>Barn</span></label>" in page and "<p>Dela ut tryckta serier.</p>" in page
    assert '<p lang="en" dir="ltr">Write a short brief.</p>' in page
    assert re.findall(r'<tr id="stl-cp-([^"]+)"', page) == ["comics", "briefs"]
    assert 'href="get-help.html"' in page
    assert len(re.findall(r'class="bibtex-citation"[^>]*>\[<a class="reference internal" href="#id\d+"', page)) == 3


def test_the_notebook_planner_is_drawn_again_in_a_translated_build():
    """The campaign notebook's ``planner()`` cell is one the translated build draws again (in the
    page's language, from the book's catalog); its links stay those of the notebook's page."""
    import json

    from spotthelure.sphinx.notebook_lang import draw_again, helper_call
    cells = json.loads((ROOT / "notebooks" / "campaign-planner.ipynb").read_text(encoding="utf-8"))["cells"]
    calls = [helper_call("".join(c["source"])) for c in cells if c["cell_type"] == "code"]
    assert ("planner", [], {}) in calls
    with i18n.language("sv"):
        html = draw_again("planner", [], {}, ROOT, "notebooks/campaign-planner")._repr_mimebundle_()["text/html"]
    c, _problems = load_campaign(ROOT)
    sv = in_language(c, ROOT, "sv")
    assert f"<span>{sv.groups['children']}</span></label>" in html and sv.groups["children"] != c.groups["children"]
    # every word of the planner in Swedish; only the titles of its sources (the bibliography's, all
    # in English) say they are English
    assert 'href="../book/get-help.html"' in html and 'lang="en"' not in html.replace('<cite lang="en">', "<cite>")
    assert '<cite lang="en">' in html
