"""The one markdown renderer for activity text: CommonMark (markdown-it-py) cut down to what authors use.

Only *emphasis* / _emphasis_, **strong**, [links](target), ``- `` and ``1.`` lists, paragraphs and
backslash escapes (``\\*`` is a literal star) are markup; raw HTML in content is shown as text
(``html=False``), and every other character is escaped. A link target is a book page
(``/get-help``) or an https/http/mailto address; anything else (``javascript:``, ``data:``) stays
visible text, never a link. The output is :class:`markupsafe.Markup`, the only Markup the templates
receive from content.
"""
from __future__ import annotations

import contextvars
import functools
import html
import re
from typing import Callable, Optional

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markupsafe import Markup

Resolver = Callable[[str], Optional[str]]

_SAFE_SCHEMES = ("https://", "http://", "mailto:")
_BOOK_PATH = re.compile(r"/[A-Za-z0-9_./#-]*")
# The resolver of the call under way: markdown-it asks validateLink about a target without context.
_resolver: contextvars.ContextVar[Resolver | None] = contextvars.ContextVar("stl_resolver", default=None)


def safe_href(target: str, resolve: Resolver | None) -> str | None:
    """The href for a link target, or None when the target is not allowed."""
    t = html.unescape(target).strip()
    if t.lower().startswith(_SAFE_SCHEMES):
        return t
    if t.startswith("/") and _BOOK_PATH.fullmatch(t) and ".." not in t:
        if resolve is None:
            return None
        return resolve(t)
    return None


_ANY_TARGET = object()  # plain(): every link gives its label, whatever its target


def _validate_link(url: str) -> bool:
    resolve = _resolver.get()
    return resolve is _ANY_TARGET or safe_href(url, resolve) is not None


def _link_open(self, tokens, idx, options, env):
    tok = tokens[idx]
    tok.attrSet("href", safe_href(tok.attrGet("href") or "", _resolver.get()) or "")
    return self.renderToken(tokens, idx, options, env)


@functools.lru_cache(maxsize=1)
def _md() -> MarkdownIt:
    md = MarkdownIt("zero", {"html": False, "typographer": False})
    md.enable(["emphasis", "link", "list", "escape"])
    md.validateLink = _validate_link
    md.add_render_rule("link_open", _link_open)
    return md


def _with(resolve: Resolver | None, fn, text: str) -> str:
    token = _resolver.set(resolve)
    try:
        return fn(str(text))
    finally:
        _resolver.reset(token)


# Most texts have no mark at all: for them the parser's answer is known (the text, escaped as the
# parser escapes it), and skipping it makes rendering a whole book several times faster.
# tests/test_templates.py checks the shortcut against the parser on every text of the book.
_MARKS = re.compile(r"[*_\[\]\\\r\0`]")
_BLOCK_START = re.compile(r"\s*(?:[-+*]|\d)")


def inline(text: str, resolve: Resolver | None = None) -> Markup:
    """One line of text: escaped, with emphasis, strong and safe links. Returns HTML."""
    text = str(text)
    if not _MARKS.search(text):
        return Markup(escapeHtml(text))
    return Markup(_with(resolve, _md().renderInline, text))


def block(text: str, resolve: Resolver | None = None) -> Markup:
    """Paragraphs (blank-line separated) and lists, their lines through the same rules as :func:`inline`."""
    text = str(text)
    if "\n" not in text and text.strip() and not _MARKS.search(text) and not _BLOCK_START.match(text):
        return Markup(f"<p>{escapeHtml(text.strip())}</p>\n")
    return Markup(_with(resolve, _md().render, text))


def plain(text: str) -> str:
    """The words of a text without markdown marks (for GIFT, QTI and reading-level checks): a link
    keeps its label, emphasis its words, an escaped star its star; lines and list dashes stay."""
    return _plain(str(text))


@functools.lru_cache(maxsize=65536)
def _plain(text: str) -> str:
    # The same text has the same words: kept, since every export and check asks for them again.
    tokens = _with(_ANY_TARGET, _md().parseInline, text)
    return "".join(child.content for tok in tokens for child in tok.children or [] if child.type == "text")
