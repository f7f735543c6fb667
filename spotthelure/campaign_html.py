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

import jinja2
from markupsafe import Markup, escape

from . import i18n
from .campaign import Campaign, count_text

TEMPLATES = Path(__file__).parent / "templates"


def _env() -> jinja2.Environment:
    # A missing value renders as nothing: the validator reports it, and the drawing never crashes on it.
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             trim_blocks=False, keep_trailing_newline=True)
    # Looked up at render time, so the current language (i18n.language) applies.
    env.globals.update(_=lambda m: i18n._(m), ngettext=lambda s, p, n: i18n.ngettext(s, p, n),
                       pgettext=lambda c, m: i18n.pgettext(c, m))
    return env


_ENV = _env()


def book_href(docname: str) -> Callable[[str], str]:
    """Links from the page ``docname`` (``book/facilitators/campaign-planner``) to book paths."""
    import posixpath
    here = posixpath.dirname(docname) or "."

    def href(page: str) -> str:
        path, _, anchor = page.partition("#")
        return posixpath.relpath(path + ".html", here) + ("#" + anchor if anchor else "")
    return href


def _plain_cite(root: Path | None) -> Callable[[str], Markup]:
    titles = bib_titles(root) if root else {}
    return lambda key: Markup("<cite>{}</cite>").format(titles.get(key, key))


def rows_html(c: Campaign, tools: list[dict], href: Callable[[str], str] | None = None,
              cite: Callable[[str], str] | None = None, resolve=None) -> str:
    """The planner's table of ``tools`` (the widget shows this part alone)."""
    href = href or resolve or (lambda page: page)
    cite = cite or _plain_cite(None)
    return _ENV.get_template("campaign-rows.html").render(
        tools=tools, groups=c.groups, objectives=c.objectives, channels=c.channels,
        source=c.data.get("source", ""), href=href, cite=cite)


def planner_html(c: Campaign, href: Callable[[str], str], cite: Callable[[str], str] | None = None,
                 level: int = 2) -> str:
    """The whole planner: choice form, table of every tool, safe-messaging rules, evaluation steps."""
    cite = cite or _plain_cite(None)
    tools = c.tools
    counts = [count_text(n) for n in range(len(tools) + 1)]
    return _ENV.get_template("campaign-planner.html").render(
        title=c.data.get("title", ""), level=max(1, min(level, 5)), groups=c.groups, objectives=c.objectives,
        counts=counts, rows=Markup(rows_html(c, tools, href, cite)), rules=c.data.get("safe_messaging") or [],
        steps=c.data.get("evaluation") or [], href=href, cite=cite)


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


__all__ = ["planner_html", "rows_html", "book_href", "bib_titles", "plain_cite", "escape"]
