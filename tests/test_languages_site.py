"""The book in several languages, as built: switcher links, <html lang> and dir, the notes on what is
not translated or not reviewed, the language chooser at the site's root, English UI words left on
translated pages, and axe with the offline checks on every template in every language built and on
every page of Arabic (right to left; its rules on colour on a page of each template)."""
from __future__ import annotations

import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import ROOT, SITES, TEST_LANGS, all_pages, is_redirect, serve

from spotthelure import catalog, slides
from spotthelure import translate

NAV = re.compile(r'<nav class="stl-languages"[^>]*>(.*?)</nav>', re.S)
HREF = re.compile(r'href="([^"]+)"')


def _built(sites) -> list[str]:
    return [x for x in TEST_LANGS if (SITES / x / "index.html").is_file()]


def _content_pages(lang: str) -> list[str]:
    """The pages of one language the switcher is on: every page Sphinx writes, not the redirect at
    its root and not the printables and offline files (pages of their own, without the book around)."""
    # printables, offline files, slides and fact sheets stand alone: no book navigation, no switcher
    return [p for p in all_pages(SITES / lang, redirects=False)
            if not p.startswith(("print/", "downloads/", "slides/", "factsheets/"))]


def test_the_session_built_every_test_language(sites):
    assert _built(sites) == list(TEST_LANGS)


def test_switcher_links_all_resolve(sites):
    langs = _built(sites)
    bad, checked = [], 0
    for lang in langs:
        for rel in _content_pages(lang):
            page = SITES / lang / rel
            m = NAV.search(page.read_text(encoding="utf-8"))
            if m is None:
                bad.append(f"{lang}/{rel}: no language switcher")
                continue
            hrefs = HREF.findall(m.group(1))
            if len(hrefs) != len(langs) - 1:
                bad.append(f"{lang}/{rel}: {len(hrefs)} links, {len(langs) - 1} other languages")
            for h in hrefs:
                checked += 1
                target = (page.parent / h).resolve()
                if not target.is_file():
                    bad.append(f"{lang}/{rel}: {h} does not exist")
                elif target.relative_to(SITES.resolve()).parts[1:] != Path(rel).parts:
                    bad.append(f"{lang}/{rel}: {h} is not the same page")
    assert checked > 100
    assert not bad, "\n".join(bad[:20])


def test_html_lang_and_dir_on_every_page(sites):
    bad = []
    for lang in _built(sites):
        want = f'lang="{lang}" dir="{translate.direction(lang)}"'
        for rel in all_pages(SITES / lang, redirects=False):
            head = (SITES / lang / rel).read_text(encoding="utf-8")[:400]
            tag = re.search(r"<html\b[^>]*>", head)
            if not tag or want not in tag.group(0):
                bad.append(f"{lang}/{rel}: {tag.group(0) if tag else 'no <html>'}")
    assert not bad, "\n".join(bad[:20])


def test_a_translated_page_keeps_no_document_but_its_own(sites):
    """Sphinx parses each translated paragraph as a small document of its own; the stored page
    (its doctree) keeps none of them, nor the build environment their settings held."""
    import pickle
    from docutils import nodes
    for lang in [x for x in _built(sites) if x != "en"]:
        path = ROOT / "_build" / f".doctrees-{lang}" / "book" / "get-help.doctree"
        doctree = pickle.loads(path.read_bytes())
        assert doctree.get("translated") or any(n.get("translated") for n in doctree.findall(nodes.Element)), \
            f"{lang}: the page was not translated"
        foreign = [n for n in doctree.findall(include_self=False)
                   if n.__dict__.get("_document") not in (None, doctree)]
        assert not foreign, f"{lang}: {len(foreign)} nodes of {path.name} keep a document of their own"


def test_notes_say_what_is_untranslated_and_what_is_a_draft(sites):
    sv = SITES / "sv"
    gethelp = (sv / "book" / "get-help.html").read_text(encoding="utf-8")
    assert "stl-draft" in gethelp and "stl-untranslated" not in gethelp
    assert "Få hjälp" in gethelp and "Det här kan du göra nu" in gethelp
    # a page not translated yet (Arabic has no facilitators' pages yet) says so and marks its English
    landing = (SITES / "ar" / "book" / "facilitators" / "train-the-trainer.html").read_text(encoding="utf-8")
    assert "stl-untranslated" in landing
    assert re.search(r'<div lang="en" dir="ltr">', landing), "the English content of an untranslated page is not marked"
    # the translated quiz and chat story keep their own language on a page still in English
    lesson = (sv / "book" / "teachers" / "ages-12-14" / "3-easy-money.html").read_text(encoding="utf-8")
    assert '<div lang="sv" dir="ltr">' in lesson
    assert "Vilket av de här är ett lockbete" in lesson and "Leo och erbjudandet om lätta pengar" in lesson
    # English pages carry no such notes
    en = (SITES / "en" / "book" / "get-help.html").read_text(encoding="utf-8")
    assert "stl-translation-note" not in en
    # the printables of a language are in it too
    sheet = (sv / "print" / "q1214-3-worksheet.html").read_text(encoding="utf-8")
    assert '<html lang="sv" dir="ltr">' in sheet and "Vilket av de här är ett lockbete" in sheet
    ar = (SITES / "ar" / "print" / "q1214-3-worksheet.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in ar


def _app(srcdir: Path, lang: str = "sv"):
    return SimpleNamespace(srcdir=str(srcdir), config=SimpleNamespace(language=translate.code(lang),
                                                                     spotthelure_languages=["en", lang]))


def test_the_draft_note_goes_when_the_status_records_a_review(tmp_path):
    """Arabic has the pages a class reads and not yet the facilitators' pages (an untranslated page)."""
    from spotthelure.sphinx import languages
    shutil.copytree(ROOT / "locales" / "ar", tmp_path / "locales" / "ar")
    app = _app(tmp_path, "ar")
    note, english = languages.notes_html(app, "book/get-help")
    assert "stl-draft" in note and not english
    note, english = languages.notes_html(app, "book/facilitators/train-the-trainer")
    assert "stl-untranslated" in note and english
    (tmp_path / "locales" / "ar" / "status.yml").write_text(
        "reviews:\n  - role: native-speaking teacher, a school in a refugee camp\n    date: '2026-12-01'\n"
        "    pages: [book/get-help]\n", encoding="utf-8")
    app = _app(tmp_path, "ar")                  # a new build reads the status again
    assert languages.notes_html(app, "book/get-help") == ("", False)
    # a review never hides a missing page
    assert "stl-untranslated" in languages.notes_html(app, "book/facilitators/train-the-trainer")[0]


def test_the_site_root_lists_every_language_and_forwards_with_a_tiny_script(sites):
    root = (SITES / "index.html").read_text(encoding="utf-8")
    for lang in _built(sites):
        assert f'href="{lang}/index.html" hreflang="{lang}"' in root
    assert "navigator.languages" in root and "localStorage" in root
    assert "Content-Security-Policy" in root and "connect-src 'none'" in root
    assert "fetch(" not in root and "XMLHttpRequest" not in root


# ---- English UI words left on translated pages ----------------------------------------------------

def _ui_messages(lang: str) -> set[str]:
    """The English UI messages a page in ``lang`` should not show: every message of the catalog
    template, except those the language's translator kept as they are (a name such as the book's)."""
    from babel.messages.pofile import read_po
    with catalog.TEMPLATE.open("rb") as f:
        cat = read_po(f)
    with catalog.po_path(lang).open("rb") as f:
        kept = {m.id if isinstance(m.id, str) else tuple(m.id) for m in read_po(f) if m.id and m.string == m.id}
    out = set()
    for m in cat:
        if (m.id if isinstance(m.id, str) else tuple(m.id or ())) in kept:
            continue
        for text in (m.id if isinstance(m.id, (list, tuple)) else [m.id]):
            if text and "{" not in text and "%(" not in text and len(re.findall(r"[A-Za-z]+", text)) >= 2:
                out.add(" ".join(text.split()))
    return out


_TAG = re.compile(r"<(/?)([a-zA-Z0-9]+)([^>]*)>")
_VOID = {"br", "img", "input", "meta", "link", "hr", "source", "wbr", "col", "area", "base", "embed", "track"}


def english_ui_left(html: str, messages: set[str]) -> list[str]:
    """The texts of ``html`` that are an English UI message, outside any element marked ``lang="en"``
    (content shown in English as a fallback is marked so, and not counted)."""
    body = html.split("<body", 1)[-1]
    body = re.sub(r"<(script|style|pre|code)\b.*?</\1>", "", body, flags=re.S | re.I)   # code is never UI
    stack: list[bool] = []
    english = 0
    found = []
    pos = 0
    for m in _TAG.finditer(body):
        text = " ".join(re.sub(r"&[a-z#0-9]+;", " ", body[pos:m.start()]).split())
        if text and not english and text in messages:
            found.append(text)
        pos = m.end()
        closing, name, attrs = m.group(1), m.group(2).lower(), m.group(3)
        if name in _VOID or attrs.rstrip().endswith("/"):
            continue
        if closing:
            if stack:
                english -= stack.pop()
        else:
            en = bool(re.search(r'\slang="en"', attrs))
            stack.append(en)
            english += en
    return found


def test_the_check_for_english_ui_words_finds_them():
    messages = {"Quick exit", "Choose an answer first."}
    page = ('<body><p>Snabb utgång</p><p>Quick exit</p><div lang="en"><p>Choose an answer first.</p></div>'
            '<p>Choose an answer first.</p></body>')
    assert english_ui_left(page, messages) == ["Quick exit", "Choose an answer first."]


@pytest.mark.parametrize("lang", [x for x in TEST_LANGS if x != "en"])
def test_no_english_ui_string_left_on_a_translated_page(sites, lang):
    if not catalog.po_path(lang).is_file():
        pytest.skip(f"no UI catalog for {lang} yet ({catalog.po_path(lang).relative_to(ROOT)}): "
                    "its UI words are English until it is translated")
    messages = _ui_messages(lang)
    left = {}
    for rel in all_pages(SITES / lang, redirects=False):
        found = english_ui_left((SITES / lang / rel).read_text(encoding="utf-8"), messages)
        if found:
            left[rel] = sorted(set(found))
    assert not left, "English UI words on translated pages:\n" + "\n".join(
        f"{rel}: {', '.join(words)}" for rel, words in sorted(left.items())[:30])


# ---- the theme's own words, in the page's language ------------------------------------------------

ARTICLE = re.compile(r"<article\b.*?</article>", re.S)
SCRIPT = re.compile(r"<script\b.*?</script>", re.S)


def test_the_theme_speaks_the_language_of_the_page(sites):
    """On every page of every translated language, the theme's words around the content (the link
    past the navigation, the names of its buttons and icons, "Next" and "Previous", the footer) are
    in the page's language, as the book's catalog gives them; on a Latin Serbian page, no word is
    in Cyrillic but the switcher's name of Ukrainian (Sphinx's Serbian, in Cyrillic, written in
    Latin letters: the admonitions' titles)."""
    from spotthelure import i18n
    from spotthelure.sphinx import theme_words
    english = ["Skip to content", "Back to top", "<span>Next</span>", "<span>Previous</span>", "On this page",
               "Made with ", "Copyright &#169;", "Toggle navigation of "]
    english += [f'aria-label="{w}"' for w in theme_words.WRITTEN] + [f"<title>{w}</title>" for w in theme_words.WRITTEN]
    problems, checked = [], 0
    for lang in [x for x in _built(sites) if x != "en"]:
        with i18n.language(lang):
            skip = i18n._("Skip to content")
        assert skip != "Skip to content", lang
        for rel in _content_pages(lang):
            page = (SITES / lang / rel).read_text(encoding="utf-8")
            around = SCRIPT.sub("", ARTICLE.sub("", page))
            checked += 1
            left = [w for w in english if w in around] + [w for w in ('title="Link to this ',) if w in page]
            if left:
                problems.append(f"{lang}/{rel}: {left}")
            if skip not in around:
                problems.append(f"{lang}/{rel}: no {skip!r}")
            if lang == "sr-Latn":
                cyrillic = set(re.findall(r"[\u0400-\u04FF]+", SCRIPT.sub("", page))) - {"Українська"}
                if cyrillic:
                    problems.append(f"{lang}/{rel}: Cyrillic {sorted(cyrillic)[:5]}")
    assert checked > 100
    assert not problems, "\n".join(problems[:30])
    # the sources, listed as published (in English), say so on a translated page
    ar = (SITES / "ar" / "book" / "references.html").read_text(encoding="utf-8")
    assert '<div role="list" class="citation-list" lang="en" dir="ltr">' in ar


SIDE_LINK = re.compile(r'<a class="reference internal" href="([^"#]+)">(.*?)</a>')


def test_titles_still_in_english_are_marked_in_the_navigation(sites):
    """On a translated page, the navigation names each page by its title; a title not translated
    yet is marked as English (read in an English voice; left to right inside an Arabic line), and
    a translated one is not."""
    import posixpath
    marked, plain = 0, 0
    problems = []
    for lang in [x for x in _built(sites) if x != "en"]:
        rel = "book/get-help.html"
        page = (SITES / lang / rel).read_text(encoding="utf-8")
        side = page[page.index('<div class="sidebar-tree">'):page.index("</aside>")]
        for href, text in SIDE_LINK.findall(side):
            target = (SITES / lang / posixpath.normpath(posixpath.join(posixpath.dirname(rel), href))).read_text(encoding="utf-8")
            english = re.search(r'<h1\b[^>]*\blang="en"', target) is not None
            want = '<span lang="en" dir="ltr">' if lang == "ar" else '<span lang="en">'
            if english != text.startswith(want):
                problems.append(f"{lang}: {href} {text!r} (its page's title is {'English' if english else 'translated'})")
            marked += english
            plain += not english
    assert not problems, "\n".join(problems[:20])
    assert plain > 20
    if not marked:
        pytest.skip("every page's title is translated in every language built")


def test_a_right_to_left_page_mirrors_the_theme(browser, sites_server, sites):
    """On an Arabic page the theme's parts that sit on one side go to the other: a box's coloured
    bar and its title's icon on the right (where a line starts), the navigation's expand buttons and
    the next page's link on the left; English kept left to right inside the page keeps them as in
    English, and so does the English page. A citation keeps its own direction inside an Arabic line."""
    if "ar" not in _built(sites):
        pytest.skip("Arabic is not built in this session")
    sides = """() => {
      const box = document.querySelector('article .admonition');
      const title = box.querySelector('.admonition-title');
      const icon = getComputedStyle(title, '::before');
      const label = document.querySelector('.sidebar-tree label').getBoundingClientRect();
      const item = document.querySelector('.sidebar-tree label').parentElement.getBoundingClientRect();
      const next = document.querySelector('.related-pages a.next-page');
      // English kept left to right inside the page: a box as the theme draws one, in a dir="ltr" part
      const part = document.createElement('div');
      part.dir = 'ltr';
      part.innerHTML = '<div class="admonition note"><p class="admonition-title">Note</p><p>Text</p></div>';
      document.querySelector('article').append(part);
      const kept = getComputedStyle(part.firstChild);
      const s = getComputedStyle(box);
      const citation = document.querySelector('article .bibtex-citation');
      return {bar: [s.borderLeftWidth, s.borderRightWidth], icon: [icon.left, icon.right],
              label: label.left - item.left < item.right - label.right ? 'left' : 'right',
              next: next ? getComputedStyle(next).float : null,
              ltr: [kept.borderLeftWidth, kept.borderRightWidth],
              citation: citation ? getComputedStyle(citation).unicodeBidi : null};
    }"""
    ctx = browser.new_context(viewport={"width": 1200, "height": 900})
    try:
        pg = ctx.new_page()
        pg.goto(f"{sites_server}/ar/book/get-help.html")
        ar = pg.evaluate(sides)
        pg.goto(f"{sites_server}/en/book/get-help.html")
        en = pg.evaluate(sides)
    finally:
        ctx.close()
    assert ar["bar"][0] == "0px" and ar["bar"][1] != "0px", ar
    assert ar["icon"][1] == "8px" and ar["icon"][0] != "8px", ar          # 0.5rem from the right
    assert ar["label"] == "left" and ar["next"] == "left", ar
    assert en["bar"][0] != "0px" and en["bar"][1] == "0px" and en["icon"][0] == "8px" and en["icon"][1] != "8px", en
    assert en["label"] == "right" and en["next"] == "right", en
    assert ar["ltr"][0] != "0px" and ar["ltr"][1] == "0px", ar
    assert ar["citation"] == "plaintext", ar          # "[Author, n.d.]." keeps its order in an Arabic line


def test_an_arabic_slide_deck_reads_from_the_right(browser, sites_server, sites):
    """A lesson's slides in Arabic start each line at the right, indent lists from the right and draw
    a card's bar on its right; in English, on the left. The Arabic deck moves from right to left (the
    left arrow goes on, Page Down too), and reveal.js's own words are Arabic: its buttons' names, the
    list of keys (?) with the keys read left to right, and the button that ends a pause."""
    if "ar" not in _built(sites):
        pytest.skip("Arabic is not built in this session")
    deck = sorted(p.name for p in (SITES / "ar" / "slides").glob("*.html"))[0]
    sides = """() => {
      const slide = document.querySelector('.reveal .slides section');
      const card = document.querySelector('.reveal .stl-card');
      const r = slide.getBoundingClientRect();
      const line = document.querySelector('.reveal .slides section h1, .reveal .slides section h2');
      const range = document.createRange(); range.selectNodeContents(line);
      const text = range.getBoundingClientRect();
      const c = card ? getComputedStyle(card) : null;
      return {nearer: (text.left - r.left) < (r.right - text.right) ? 'left' : 'right',
              bar: c ? (parseFloat(c.borderLeftWidth) > 0 ? 'left' : parseFloat(c.borderRightWidth) > 0 ? 'right' : '') : 'none'};
    }"""
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        pg = ctx.new_page()
        got = {}
        for lang in ("ar", "en"):
            pg.goto(f"{sites_server}/{lang}/slides/{deck}")
            for _ in range(100):         # polled from outside: the deck's policy refuses evaluated strings
                if pg.evaluate("() => document.querySelector('.reveal.ready') !== null"):
                    break
                pg.wait_for_timeout(100)
            got[lang] = pg.evaluate(sides)
            moves = []
            for key in ("ArrowLeft", "PageDown", "ArrowRight"):
                pg.keyboard.press(key)
                moves.append(pg.evaluate("() => Reveal.getIndices().h"))
            got[lang]["moves"] = moves
            got[lang]["buttons"] = pg.evaluate(
                "() => [...document.querySelectorAll('.reveal .controls button')].map(b => b.getAttribute('aria-label'))")
            pg.keyboard.press("Shift+Slash")           # ?: the list of keys
            pg.wait_for_selector(".r-overlay-help td", state="attached")
            got[lang]["help"] = pg.evaluate("""() => ({
              title: document.querySelector('.r-overlay-help .title').textContent,
              heads: [...document.querySelectorAll('.r-overlay-help th')].map(c => c.textContent),
              actions: [...document.querySelectorAll('.r-overlay-help tr')].filter(r => r.querySelector('td')).map(r => r.cells[1].textContent),
              keys: [...document.querySelectorAll('.r-overlay-help tr')].filter(r => r.querySelector('td')).map(
                r => r.cells[0].querySelector('bdi[dir=ltr]') ? 'ltr' : r.cells[0].textContent)})""")
            pg.keyboard.press("Escape")
            got[lang]["resume"] = pg.evaluate("() => document.querySelector('.reveal .resume-button').textContent")
    finally:
        ctx.close()
    assert got["ar"]["nearer"] == "right" and got["ar"]["bar"] in ("right", "none"), got
    assert got["en"]["nearer"] == "left" and got["en"]["bar"] in ("left", "none"), got
    assert got["ar"]["moves"] == [1, 2, 1] and got["en"]["moves"] == [0, 1, 2], got
    english = {"next slide", "previous slide", "above slide", "below slide", "Resume presentation",
               "Keyboard Shortcuts", "KEY", "ACTION", *slides.deck_words()["actions"]}
    shown = [*got["ar"]["buttons"], got["ar"]["resume"], got["ar"]["help"]["title"], *got["ar"]["help"]["heads"],
             *got["ar"]["help"]["actions"]]
    assert len(got["ar"]["help"]["actions"]) >= 13 and set(got["ar"]["help"]["keys"]) == {"ltr"}, got["ar"]["help"]
    assert all(w and re.search("[\u0600-\u06ff]", w) and w not in english for w in shown), shown
    assert got["en"]["buttons"][:2] == ["Previous slide", "Next slide"] and got["en"]["resume"] == "Show the slides again", got


def test_english_around_an_arabic_page_is_marked_english(sites):
    """On Arabic pages, what stays English says so (a screen reader's English voice; left to right as
    a unit, so a citation keeps its brackets): every citation in the text ([authors, year], from
    references.bib), an untranslated page's own entry in the navigation and its window title, and
    each entry of "On this page" whose heading is not translated yet."""
    if "ar" not in _built(sites):
        pytest.skip("Arabic is not built in this session")
    cites = 0
    for path in sorted((SITES / "ar" / "book").rglob("*.html")):
        page = path.read_text(encoding="utf-8")
        spans = re.findall(r'<span class="bibtex-citation"[^>]*>', page)
        cites += len(spans)
        assert all('lang="en" dir="ltr"' in sp for sp in spans), (path, spans[:3])
        m = re.search(r'<div class="toc-tree">(.*?)</div>', page, re.S)
        headings = dict(re.findall(r'<section id="([^"]+)">\s*(?:<span id="[^"]*"></span>\s*)*<h[1-6]\b([^>]*)>', page))
        for href, inner in re.findall(r'<a class="reference internal" href="#([^"]+)">(.*?)</a>', m.group(1) if m else ""):
            english = 'class="untranslated"' in headings.get(href, "")
            assert english == inner.startswith('<span lang="en" dir="ltr">'), (path.name, href, inner)
    assert cites > 20
    evidence = (SITES / "ar" / "book" / "facilitators" / "evidence.html").read_text(encoding="utf-8")
    assert '<a class="current reference internal" href="#"><span lang="en" dir="ltr">' in evidence
    assert re.search(r'<title lang="en" dir="ltr">What works and what harms - ', evidence)
    helping = (SITES / "ar" / "book" / "get-help.html").read_text(encoding="utf-8")
    assert re.search(r"<title>[\u0600-\u06ff]", helping), "a translated page's title is not English"
    workshop = (SITES / "ar" / "book" / "facilitators" / "parent-workshop.html").read_text(encoding="utf-8")
    assert 'href="#if-your-child-tells-you"><span lang="en" dir="ltr">' in workshop


# ---- numbers in right-to-left text ---------------------------------------------------------------------

class _RightToLeftText:
    """The visible text of a page that reads right to left: not scripts, styles or code (shown as
    written), and not what an element with ``dir="ltr"`` holds (English kept left to right)."""
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
    AS_WRITTEN = {"script", "style", "code", "pre", "textarea"}

    def __init__(self, text: str):
        from html.parser import HTMLParser
        self.parts: list[str] = []
        stack: list[bool] = [False]           # whether the element's text is left out
        outer = self

        class Parser(HTMLParser):
            def handle_starttag(self, tag, attrs):
                if tag in outer.VOID:
                    return
                a = dict(attrs)
                stack.append(stack[-1] or tag in outer.AS_WRITTEN or a.get("dir") == "ltr")

            def handle_endtag(self, tag):
                if tag not in outer.VOID and len(stack) > 1:
                    stack.pop()

            def handle_data(self, data):
                if not stack[-1]:
                    outer.parts.append(data)
        Parser(convert_charrefs=True).feed(text)


def test_phone_numbers_keep_their_groups_in_order_on_every_arabic_page_and_file(sites):
    """116 111 in a right-to-left line would show as "111 116": on every page, printable, offline
    file, slide deck and fact sheet in Arabic, each number written in groups is isolated left to right
    (spotthelure.bidi), and no English page or file holds an isolate."""
    from spotthelure.bidi import LRI, _ISOLATED, _RUN
    if "ar" not in _built(sites):
        pytest.skip("Arabic is not built in this session")
    left, isolated = [], 0
    for p in sorted((SITES / "ar").rglob("*")):
        if p.suffix not in (".html", ".svg"):
            continue
        text = "".join(_RightToLeftText(p.read_text(encoding="utf-8")).parts)
        isolated += len(_ISOLATED.findall(text))
        left += [f"{p.relative_to(SITES)}: {m.group()!r}" for m in _RUN.finditer(_ISOLATED.sub("", text))]
    assert not left, "\n".join(left[:20])
    assert isolated > 100, isolated             # the helpline in every Get help box and lifeline, at least
    english = [p.relative_to(SITES) for p in (SITES / "en").rglob("*")
               if p.suffix in (".html", ".svg", ".txt", ".xml") and LRI in p.read_text(encoding="utf-8", errors="replace")]
    assert not english, english[:5]


def test_a_helpline_reads_as_it_is_dialled_on_an_arabic_page(browser, sites_server, sites):
    """Measured in Chromium: in the Get help box, the lifeline and the text of the help page, the
    first group of 116 111 is drawn to the left of the second."""
    if "ar" not in _built(sites):
        pytest.skip("Arabic is not built in this session")
    groups = """() => {
      const out = [];
      const w = document.createTreeWalker(document.querySelector('article'), NodeFilter.SHOW_TEXT);
      let n;
      while ((n = w.nextNode())) {
        const i = n.data.indexOf('116 111');
        if (i < 0) continue;
        const box = (a, b) => { const r = document.createRange(); r.setStart(n, a); r.setEnd(n, b);
                                return r.getBoundingClientRect(); };
        const first = box(i, i + 3), second = box(i + 4, i + 7);
        out.push({where: n.parentElement.closest('p, li, h1, h2, h3') ? n.parentElement.closest('p, li, h1, h2, h3').className || n.parentElement.closest('p, li, h1, h2, h3').tagName : '',
                  left: first.left < second.left, sameLine: Math.abs(first.top - second.top) < 2});
      }
      return out;
    }"""
    ctx = browser.new_context(viewport={"width": 1200, "height": 900})
    try:
        pg = ctx.new_page()
        seen = []
        for path in ("ar/book/get-help.html", "ar/notebooks/student-9-11.html", "en/book/get-help.html"):
            pg.goto(f"{sites_server}/{path}")
            found = pg.evaluate(groups)
            assert found, f"{path}: no 116 111"
            seen += [(path, f["where"]) for f in found if f["sameLine"] and not f["left"]]
    finally:
        ctx.close()
    assert not seen, f"116 drawn to the right of 111: {seen}"


# ---- axe and the offline checks, per language --------------------------------------------------------

@pytest.fixture(scope="module")
def sites_server(sites):
    with serve(SITES) as base:
        yield base


def _pages_for(lang: str) -> list[tuple[str, bool]]:
    """The pages of ``lang`` the sweep opens, each with whether axe's rules on colour run on it.

    A page of each template (and the help page), in every language: every rule. In Arabic, right to
    left, every other page too: every rule but those on colour (COLOUR_RULES, about half of axe's
    time on a page). What a translation changes on a page is its words and, in Arabic, its
    direction; its colours come from the stylesheets, the same in every language, and no rule of
    theirs that depends on the direction or the language sets anything that colour contrast depends
    on (test_colours_do_not_depend_on_the_direction_or_the_language). So the contrast of each part of
    a page is checked on every page of English, and on a page of each template in each language with
    the direction's layout; the rules that the length of a word or the direction can change (the
    size of a target among them) run on every page."""
    from test_site_pages import CONTENT, ONE_OF_EACH, SAMPLE, template
    full = set(ONE_OF_EACH.values()) | {"book/get-help.html"}
    if lang == "ar":             # every page of the right-to-left language
        return [(p, p in full) for p in CONTENT + SAMPLE if template(p) != "site root"]
    return [(p, True) for p in sorted(full)]


# What axe's rules on colour read, besides the colours themselves: the size and weight of the text
# (large text needs less contrast), its decoration (a link told apart from the text around it), what
# is shown and what text a rule adds. A rule that depends on the direction or the language may set
# only these properties: where a box sits, its borders (not text) and the typeface.
_LAYOUT_ONLY = re.compile(r"(margin|padding|border)(-.*)?|float|clear|left|right|top|bottom|inset(-.*)?"
                          r"|text-align|transform|transition|align-items|justify-content|font-family|direction"
                          r"|--[\w-]*--hover")     # a colour for :hover, a state axe does not check
_BY_DIRECTION = re.compile(r":dir\(|\[dir\b|:lang\(|\[(xml:)?lang\b|\.rtl\b")


def _stylesheets() -> list[tuple[str, str]]:
    """Every stylesheet of the site and of its printables, slides and reports: the package's own
    (files and the <style> blocks of its templates) and the theme's (furo)."""
    import furo
    pkg = ROOT / "spotthelure"
    found = [(p.relative_to(ROOT).as_posix(), p.read_text(encoding="utf-8")) for p in sorted(pkg.rglob("*.css"))]
    for p in sorted((pkg / "templates").rglob("*.html")):
        for block in re.findall(r"<style[^>]*>(.*?)</style>", p.read_text(encoding="utf-8"), re.S):
            found.append((p.relative_to(ROOT).as_posix(), block))
    theme = Path(furo.__file__).parent / "theme" / "furo" / "static" / "styles"
    found += [(f"furo/{p.name}", p.read_text(encoding="utf-8")) for p in sorted(theme.glob("*.css"))]
    return found


def _direction_rules(css: str) -> list[tuple[int, str, list[str]]]:
    """The rules of ``css`` whose selector depends on the direction or the language: (line,
    selector, the properties they set), inside @media and @supports too."""
    import tinycss2
    out = []

    def walk(rules):
        for r in rules:
            if r.type == "qualified-rule":
                selector = tinycss2.serialize(r.prelude).strip()
                if _BY_DIRECTION.search(selector):
                    decls = tinycss2.parse_declaration_list(r.content, skip_whitespace=True, skip_comments=True)
                    out.append((r.source_line, selector, [d.lower_name for d in decls if d.type == "declaration"]))
            elif r.type == "at-rule" and r.content is not None:
                walk(tinycss2.parse_rule_list(r.content, skip_whitespace=True, skip_comments=True))
    walk(tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True))
    return out


def test_colours_do_not_depend_on_the_direction_or_the_language():
    """Why colour contrast is checked on a page of each template in Arabic, not on every page (see
    _pages_for): no stylesheet rule that depends on the direction or the language sets a colour, a
    background, the size or weight of text, what is shown, or anything else colour contrast reads."""
    sheets = _stylesheets()
    assert any(name.endswith("spotthelure.css") for name, _ in sheets) and any(name.startswith("furo/") for name, _ in sheets)
    seen, wrong = 0, []
    for name, css in sheets:
        for line, selector, props in _direction_rules(css):
            seen += 1
            wrong += [f"{name}:{line}: {selector} sets {p}" for p in props if not _LAYOUT_ONLY.fullmatch(p)]
    assert seen > 20, seen          # the right-to-left rules are found
    assert not wrong, "\n".join(wrong)


def test_a_rule_on_colour_by_direction_is_found():
    """The check above finds what it should, inside @media too, and lets layout through."""
    css = ("a { color: red }\n.x:dir(rtl) { padding-left: 0; float: left }\n"
           "@media (max-width: 10em) {\n  .y:dir(rtl) { color: #777; left: 0 }\n}\n"
           "html[lang=ar] p { font-size: 12px }\nbody:dir(rtl) { --color-x--hover: red; --color-y: blue }\n")
    rules = _direction_rules(css)
    assert [(line, props) for line, _, props in rules] == [
        (2, ["padding-left", "float"]), (4, ["color", "left"]), (6, ["font-size"]),
        (7, ["--color-x--hover", "--color-y"])]
    wrong = [p for _, _, props in rules for p in props if not _LAYOUT_ONLY.fullmatch(p)]
    assert wrong == ["color", "font-size", "--color-y"]


@pytest.fixture(scope="module")
def lang_sweep(playwright_instance, axe_source, tmp_path_factory):
    from test_site_pages import Sweep
    s = Sweep(playwright_instance, tmp_path_factory.mktemp("netlog-langs") / "netlog.json", axe_source)
    yield s
    s.close()


@pytest.mark.slow
@pytest.mark.parametrize("lang", [x for x in TEST_LANGS if x != "en"])
def test_axe_and_offline_checks_in_every_language(lang_sweep, sites_server, sites, lang):
    """axe (WCAG 2.2 A/AA), no request off the site, no failure, no script error, the
    Content-Security-Policy kept, before and after the activities are used (test_site_pages does
    every page of English). Which pages, and which of them have axe's rules on colour: _pages_for."""
    from test_site_pages import check_page
    problems = []
    before = len(lang_sweep.opened)
    for p, colours in _pages_for(lang):
        path = f"{lang}/{p}"
        if is_redirect(SITES / path):
            continue
        problems += [f"{path}: {x}" for x in check_page(lang_sweep, sites_server, path, colours=colours)]
    assert not problems, "\n".join(problems[:40])
    assert len(lang_sweep.opened) - before > (40 if lang == "ar" else 15)


def test_a_translated_page_has_its_words_for_the_navigation_and_the_page_controls(sites):
    """The part captions of the navigation and the words of the page-wide controls (Quick exit,
    Clear everything) are in the page's language, like the rest of the page."""
    import json
    page = (SITES / "sv" / "book" / "get-help.html").read_text(encoding="utf-8")
    captions = re.findall(r'<span class="caption-text">([^<]*)</span>', page)
    assert "Börja här" in captions and "Start here" not in captions, captions
    block = re.search(r'<script[^>]*id="stl-i18n"[^>]*>(.*?)</script>', page, re.S)
    assert block and json.loads(block.group(1))["lang"] == "sv"
    english = (SITES / "en" / "book" / "get-help.html").read_text(encoding="utf-8")
    assert "Start here" in re.findall(r'<span class="caption-text">([^<]*)</span>', english)


# ---- the search, in the page's language ------------------------------------------------------------

@pytest.mark.parametrize("lang,title,found", [("sv", "Sökresultat", "Hittade"), ("ar", "نتائج البحث", "وجدنا")])
def test_the_search_speaks_the_language_of_the_page(browser, sites_server, sites, lang, title, found):
    """The search's heading and count come from the book's catalog in the page's language (Sphinx's
    own translations.js cannot run under the pages' policy), with no script error."""
    from test_site_pages import _wait_for
    if lang not in _built(sites):
        pytest.skip(f"{lang} is not built in this session")
    ctx = browser.new_context()
    pg = ctx.new_page()
    errors = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    try:
        pg.goto(f"{sites_server}/{lang}/search.html?q=Moodle", wait_until="load")
        _wait_for(pg, "document.querySelectorAll('#search-results li').length > 0")
        _wait_for(pg, "document.querySelector('#search-results p.search-summary').textContent.length > 0")
        heading = pg.locator("#search-results h2").inner_text()
        summary = pg.locator("#search-results p.search-summary").inner_text()
        n = pg.evaluate("document.querySelectorAll('#search-results li').length")
    finally:
        ctx.close()
    assert heading.startswith(title) and "Search" not in heading, heading
    assert found in summary and "Search finished" not in summary, summary
    if n > 2:                   # Arabic's forms for one and two pages name no number
        assert str(n) in summary, summary
    assert not errors, errors
