"""The small, safe markdown subset used in activity text.

Everything is HTML-escaped first; then only *emphasis*, **strong**, [links](target) and ``- ``
lists are turned into markup. A link target is a book page (``/get-help``) or an https/http/
mailto address; anything else (``javascript:``, ``data:``) stays visible text, never a link.
"""
from __future__ import annotations

import html
import re
from typing import Callable, Optional

Resolver = Callable[[str], Optional[str]]

_LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\s]+)\)")
_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_EM = re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])")
_SAFE_SCHEMES = ("https://", "http://", "mailto:")


def safe_href(target: str, resolve: Resolver | None) -> str | None:
    """The href for a link target, or None when the target is not allowed."""
    t = html.unescape(target).strip()
    low = t.lower()
    if low.startswith(_SAFE_SCHEMES):
        return t
    if t.startswith("/") and re.fullmatch(r"/[A-Za-z0-9_./#-]*", t) and ".." not in t:
        if resolve is None:
            return None
        return resolve(t)
    return None


def inline(text: str, resolve: Resolver | None = None) -> str:
    """Escape ``text`` and apply emphasis, strong and safe links. Returns HTML."""
    out = html.escape(str(text), quote=True)

    def link(m: re.Match) -> str:
        label, target = m.group(1), m.group(2)
        href = safe_href(target, resolve)
        if href is None:
            return m.group(0)
        # label and target are already escaped text
        return f'<a href="{html.escape(html.unescape(href), quote=True)}">{label}</a>'

    out = _LINK.sub(link, out)
    out = _STRONG.sub(r"<strong>\1</strong>", out)
    out = _EM.sub(r"<em>\1</em>", out)
    return out


def block(text: str, resolve: Resolver | None = None) -> str:
    """Paragraphs (blank-line separated) and ``- `` lists, each line through :func:`inline`."""
    parts: list[str] = []
    para: list[str] = []
    items: list[str] = []

    def flush():
        if para:
            parts.append("<p>" + " ".join(inline(p, resolve) for p in para) + "</p>")
            para.clear()
        if items:
            parts.append("<ul>" + "".join(f"<li>{inline(i, resolve)}</li>" for i in items) + "</ul>")
            items.clear()

    for raw in str(text).splitlines():
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("- "):
            if para:
                flush()
            items.append(line[2:])
        else:
            if items:
                flush()
            para.append(line)
    flush()
    return "".join(parts)


def plain(text: str) -> str:
    """The words of a text without markdown marks (for GIFT, QTI and reading-level checks)."""
    t = _LINK.sub(lambda m: m.group(1), str(text))
    t = _STRONG.sub(r"\1", t)
    t = _EM.sub(r"\1", t)
    return t
