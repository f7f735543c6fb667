"""The campaign planner as static HTML: a Jinja2 template with autoescape, every word through
:mod:`spotthelure.i18n`. Works without JavaScript (the whole table shows); the script
``static/campaign-planner.js`` adds the choice form and the printed plan, reading its words from
the page's ``data-`` attributes.

``href(page)`` turns a book path (``book/get-help``) into a link from the page being written;
``cite(key)`` returns the HTML of a citation (the Sphinx directive puts the bibliography's own
citation there; elsewhere the entry's title).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

from markupsafe import Markup, escape

from . import i18n, templating
from .campaign import OWNER, Campaign, English, campaign_of, count_text, is_english

TEMPLATES = Path(__file__).parent / "templates"




class _Marking:
    """A content catalog's lookup that gives each text it does not translate as :class:`English`."""

    def __init__(self, cat):
        self.cat = cat
        self.lang = cat.lang

    def lookup(self, owner: str, path: str, text: str) -> str:
        got = self.cat.lookup(owner, path, text)
        return got if (f"{owner}:{path}", text) in self.cat.messages else English(text)


def translated(c: Campaign, cat) -> Campaign:
    """``c`` with its words from ``cat`` (a :class:`spotthelure.translate.Catalog`): the same ids,
    links, tips and sources; each text the catalog lacks (or refuses) stays English."""
    from .translate import translate
    data = translate(OWNER, OWNER, c.data, _Marking(cat))
    return campaign_of(data, cat.lang)


def in_language(c: Campaign, root: Path, lang: str | None) -> Campaign:
    """The planner ``c`` in ``lang`` (a BCP 47 tag), its words from the book's content catalog of that
    language (``locales/<code>/LC_MESSAGES/activities.po``); ``c`` itself for English."""
    from .translate import read_catalog, tag
    if not lang or tag(lang) == i18n.SOURCE_LANGUAGE or c.lang != i18n.SOURCE_LANGUAGE:
        return c
    return translated(c, read_catalog(root, tag(lang)))


def book_href(docname: str) -> Callable[[str], str]:
    """Links from the page ``docname`` (``book/facilitators/campaign-planner``) to book paths."""
    import posixpath
    here = posixpath.dirname(docname) or "."

    def href(page: str) -> str:
        path, _, anchor = page.partition("#")
        return posixpath.relpath(path + ".html", here) + ("#" + anchor if anchor else "")
    return href


def _plain_cite(root: Path | None) -> Callable[[str], Markup]:
    """``cite(key)``: the title of a source of the bibliography (every one is in English), marked as
    English on a page in another language (and as left to right on a right-to-left page)."""
    from .translate import english_attrs
    titles = bib_titles(root) if root else {}

    def cite(key) -> Markup:
        attrs = Markup(english_attrs(i18n.current_language()))
        return Markup("<cite{}>{}</cite>").format(attrs, titles.get(key, key))
    return cite


def _words(v) -> str:
    return v if isinstance(v, str) else ""


def _ids(v) -> list[str]:
    return [x for x in v if isinstance(x, str)] if isinstance(v, list) else []


def _tool_view(t) -> dict:
    """A tool as the template reads it, whatever was typed: the drawing never fails on a value
    of the wrong type (the validator reports it at its line)."""
    t = t if isinstance(t, dict) else {}
    links = t.get("links") if isinstance(t.get("links"), list) else []
    return {"id": _words(t.get("id")), "name": _words(t.get("name")), "channel": _words(t.get("channel")),
            "groups": _ids(t.get("groups")), "objectives": _ids(t.get("objectives")),
            "advice": _words(t.get("advice")), "book_note": _words(t.get("book_note")),
            "tips": [x for x in t.get("tips") if isinstance(x, (str, int)) and not isinstance(x, bool)]
            if isinstance(t.get("tips"), list) else [],
            "links": [{"page": l.get("page"), "text": _words(l.get("text"))} for l in links if isinstance(l, dict)]}


def _point_view(r) -> dict:
    """A safe-messaging rule or an evaluation step as the template reads it (see _tool_view)."""
    r = r if isinstance(r, dict) else {}
    link = r.get("link") if isinstance(r.get("link"), dict) else None
    return {"text": _words(r.get("text")), "sources": _ids(r.get("sources")),
            "link": {"page": link.get("page"), "text": _words(link.get("text"))} if link else None}


def _items(v) -> list:
    return [_point_view(r) for r in v] if isinstance(v, list) else []


def _content_lang(c: Campaign) -> Callable[[str], Markup]:
    """``cl(text)``: the ``lang`` and ``dir`` attributes of a text of the planner whose language is
    not the page's (an English text on a translated page, where the catalog does not translate it;
    for screen readers and readers), nothing for a text in the page's language."""
    from .translate import direction, tag

    def cl(text) -> Markup:
        lang = i18n.SOURCE_LANGUAGE if is_english(c, text) else tag(c.lang)
        if lang == tag(i18n.current_language()):
            return Markup("")
        return Markup(' lang="{}" dir="{}"').format(lang, direction(lang))
    return cl


def _named(cl: Callable[[str], Markup]) -> Callable[[str], Markup]:
    """``named(text)``: a group's, objective's or channel's name, in a ``span`` that says its language
    where it is not the page's."""
    def named(text) -> Markup:
        attrs = cl(text)
        return Markup("<span{}>{}</span>").format(attrs, text) if attrs else escape(text)
    return named


def rows_html(c: Campaign, tools: list[dict], href: Callable[[str], str] | None = None,
              cite: Callable[[str], str] | None = None, resolve=None) -> str:
    """The planner's table of ``tools`` (the widget shows this part alone), in the language of ``c``
    (:func:`in_language`)."""
    href = href or resolve or (lambda page: page)
    cite = cite or _plain_cite(None)
    cl = _content_lang(c)
    return templating.environment().get_template("campaign-rows.html").render(
        tools=[_tool_view(t) for t in tools], groups=c.groups, objectives=c.objectives, channels=c.channels,
        source=_words(c.data.get("source")), href=href, cite=cite, cl=cl, named=_named(cl))


def planner_html(c: Campaign, href: Callable[[str], str], cite: Callable[[str], str] | None = None,
                 level: int = 2) -> str:
    """The whole planner: choice form, table of every tool, safe-messaging rules, evaluation steps, in
    the language of ``c`` (:func:`in_language`)."""
    cite = cite or _plain_cite(None)
    tools = c.tools
    counts = [count_text(n) for n in range(len(tools) + 1)]
    return templating.environment().get_template("campaign-planner.html").render(
        title=_words(c.data.get("title")), level=max(1, min(level, 5)), groups=c.groups, objectives=c.objectives,
        counts=counts, rows=Markup(rows_html(c, tools, href, cite)), rules=_items(c.data.get("safe_messaging")),
        steps=_items(c.data.get("evaluation")), href=href, cite=cite, cl=_content_lang(c))


_ENTRY = re.compile(r"^@\w+\s*\{\s*([^,\s]+)\s*,", re.M)
_TITLE = re.compile(r"^\s*title\s*=\s*\{", re.M)


def bib_titles(root: Path) -> dict[str, str]:
    """Each references.bib key's title (for citations outside the Sphinx build)."""
    try:
        text = (Path(root) / "references.bib").read_text(encoding="utf-8")
    except OSError:
        return {}
    out = {}
    starts = list(_ENTRY.finditer(text))
    for i, m in enumerate(starts):
        body = text[m.end(): starts[i + 1].start() if i + 1 < len(starts) else len(text)]
        t = _TITLE.search(body)
        if t:
            depth, i = 1, t.end()
            while i < len(body) and depth:
                depth += {"{": 1, "}": -1}.get(body[i], 0)
                i += 1
            out[m.group(1)] = " ".join(re.sub(r"[{}\\]", "", body[t.end():i - 1]).split())
    return out


def plain_cite(root: Path) -> Callable[[str], Markup]:
    return _plain_cite(root)


__all__ = ["planner_html", "rows_html", "in_language", "translated", "book_href", "bib_titles", "plain_cite", "escape"]
