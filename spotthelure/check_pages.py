"""Checks of what the book's pages may contain: nothing that runs script, reads files from outside
the book, or loads from another host.

Page bodies (``book/**/*.md``) and the notebooks' markdown cells are MyST written by people,
translators among them; the book itself needs none of these, so each is refused as
``path:line: what is wrong``: raw ``<script>``, ``on...=`` event handlers, ``javascript:``/``vbscript:``
/``data:`` link targets, ``{raw}`` and ``{eval-rst}``, ``{include}``/``{literalinclude}``/``{download}``
of a file outside the book, and images from another host. Text inside code (fenced blocks, ``code``
spans) is shown, not run, and is not checked.

``references.bib``: ``url``, ``doi`` and ``\\url{...}`` must be http(s) addresses (or a DOI).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from .i18n import _
from .problems import ContentError, Problem
from .yamlload import read_text

_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})[ \t]*(\{[^}]*\})?")
_CODE_SPAN = re.compile(r"(?<![`}])(`+)(?!`)(.+?)(?<!`)\1(?!`)")   # `code`, not the argument of a {role}`...`
_SCRIPT = re.compile(r"<\s*/?\s*script\b", re.I)
_HANDLER = re.compile(r"<[A-Za-z][^>]*?[\s/\"']on[a-z]+\s*=", re.I | re.S)
_BAD_SCHEME = re.compile(r"(?<![\w.+-])(javascript|vbscript|livescript|data)\s*:", re.I)
_LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]*)|\b(?:href|src|action|formaction|xlink:href|poster|srcset)\s*=\s*[\"']?\s*([^\"'\s>]*)", re.I)
_DANGEROUS = re.compile(r"\{(raw|eval-rst|eval_rst)\}", re.I)
_FILE_DIRECTIVE = re.compile(r"^[ \t]*(?:`{3,}|~{3,}|:{3,})[ \t]*\{(include|literalinclude|download|image|figure)\}[ \t]*(\S.*?)?[ \t]*$", re.I)
_FILE_ROLE = re.compile(r"\{(download)\}`([^`]*)`", re.I)
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)")
_HTML_IMG = re.compile(r"<\s*(?:img|image|source|video|audio|iframe|embed|object|link|input)\b[^>]*?\b(?:src|href|data|srcset|poster)\s*=\s*[\"']?\s*([^\"'\s>]+)", re.I | re.S)
_REMOTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:|//|\\\\)", re.I)


def _lines_outside_code(text: str):
    """(line number, line with code spans blanked) for each line outside fenced code blocks.

    A fence with a ``{directive}`` is not code: its lines are checked, and its closing fence ends it."""
    code = None
    directives: list[str] = []
    for n, line in enumerate(text.splitlines(), 1):
        m = _FENCE.match(line)
        if code is not None:
            if m and m.group(1)[0] == code[0] and len(m.group(1)) >= len(code) and not m.group(2) \
                    and not line[m.end():].strip():
                code = None
            continue
        if m and m.group(2):
            directives.append(m.group(1))
            yield n, line
            continue
        if m and directives and m.group(1)[0] == directives[-1][0] and len(m.group(1)) >= len(directives[-1]) \
                and not line[m.end():].strip():
            directives.pop()
            continue
        if m:
            code = m.group(1)   # a code block: shown, never run
            continue
        yield n, _CODE_SPAN.sub(lambda c: " " * len(c.group(0)), line)


def _outside(target: str, page: Path, root: Path) -> bool:
    """Whether a file a page names lies outside the book (or is not a plain relative path)."""
    t = target.strip()
    m = re.search(r"<([^<>]*)>\s*$", t)      # {download}`text <path>`
    t = m.group(1).strip() if m else t.strip("<>")
    if not t or _REMOTE.match(t) or t.startswith("~"):
        return True
    base = root if t.startswith("/") else page.parent
    try:
        (base / t.lstrip("/")).resolve().relative_to(root.resolve())
    except (ValueError, OSError, RuntimeError):
        return True
    return False


def check_text(text: str, rel: str, page: Path, root: Path, first_line: int = 1, where: str = "") -> list[Problem]:
    """The problems of one page body (or one notebook cell), numbered from ``first_line``."""
    P: list[Problem] = []
    lines = list(_lines_outside_code(text))
    joined = "\n".join(line for _, line in lines)

    def add(n, msg):
        P.append(Problem(rel, first_line + n - 1, where + msg))
    for n, line in lines:
        if _SCRIPT.search(line):
            add(n, _("a <script> tag: pages may not carry script (the book's widgets come from activities/)"))
        for m in _DANGEROUS.finditer(line):
            add(n, _("{{{group}}} is not allowed on pages: it passes markup through unchecked").format(
                group=m.group(1)))
        m = _FILE_DIRECTIVE.match(line)
        if m:
            kind, arg = m.group(1).lower(), (m.group(2) or "")
            if kind in ("image", "figure"):
                if _REMOTE.match(arg):
                    add(n, _("{{{kind}}} from another host: images must be files in the book (nothing loads from the "
                              "internet)").format(kind=kind))
            elif _outside(arg, page, root):
                add(n, _("{{{kind}}} of a file outside the book").format(kind=kind))
        for m in _FILE_ROLE.finditer(line):
            if _outside(m.group(2), page, root):
                add(n, _("{download} of a file outside the book"))
        for m in _MD_IMAGE.finditer(line):
            if _REMOTE.match(m.group(1)):
                add(n, _("an image from another host: images must be files in the book (nothing loads from the "
                          "internet)"))
        for m in _LINK_TARGET.finditer(line):
            target = (m.group(1) or m.group(2) or "").replace("&colon;", ":").replace("&#58;", ":")
            if _BAD_SCHEME.match(re.sub(r"[\s\x00-\x1f]", "", target)):
                add(n, _("a javascript:, vbscript: or data: link target is not allowed"))
    # Tags can span lines: look for handlers and remote images in the whole text, then find their line.
    for rx, msg in ((_HANDLER, _("an on...= event handler attribute: pages may not carry script")),
                    (_HTML_IMG, None)):
        for m in rx.finditer(joined):
            if msg is None:
                if not _REMOTE.match(m.group(1)):
                    continue
                if _BAD_SCHEME.match(m.group(1)):
                    text_msg = _("a javascript:, vbscript: or data: address in a tag is not allowed")
                else:
                    text_msg = _("an image or embed from another host: nothing on a page may load from the internet")
            else:
                text_msg = msg
            k = joined.count("\n", 0, m.start() + (m.group(0).find("on") if msg else 0))
            add(lines[k][0] if k < len(lines) else 1, text_msg)
    return sorted(set(P))


def check_pages(pr) -> list[Problem]:
    """Every page body of the book and every markdown cell of its notebooks."""
    P: list[Problem] = []
    root = pr.root
    for rel, page in sorted(pr.pages.items()):
        P += check_text(page.body, rel, page.path, root, page.body_line)
    for nb in sorted((root / "notebooks").glob("*.ipynb")):
        rel = pr.rel(nb)
        try:   # read_text refuses pipes, devices and folders unread (a FIFO must not hang validate)
            data = json.loads(read_text(nb, rel))
            cells = data.get("cells", []) if isinstance(data, dict) else []
        except (ContentError, ValueError):
            continue   # the notebook check reports unreadable notebooks
        for i, cell in enumerate(cells if isinstance(cells, list) else []):
            if not isinstance(cell, dict) or cell.get("cell_type") != "markdown":
                continue
            src = cell.get("source", "")
            src = "".join(src) if isinstance(src, list) else str(src)
            P += check_text(src, rel, nb, root, 1, where=_("cell {n}: ").format(n=i + 1))
    return P


_BIB_URL = re.compile(r"\b(url|doi)\s*=\s*[{\"]", re.I)
_BIB_WRAPPED_URL = re.compile(r"\\url\s*\{", re.I)
_DOI = re.compile(r"10\.\d{4,9}/\S+")


def _braced(text: str, start: int) -> str:
    """The text of a {...} or "..." value that opens just before ``start``."""
    close = "}" if text[start - 1] == "{" else '"'
    depth, i = 1, start
    while i < len(text):
        c = text[i]
        if close == "}" and c == "{":
            depth += 1
        elif c == close:
            depth -= 1
            if depth == 0:
                return text[start:i]
        i += 1
    return text[start:]


def _shown(value: str) -> str:
    v = re.sub(r"[\x00-\x1f\x7f-\x9f]", "?", value.strip())
    return v if len(v) <= 60 else v[:57] + "..."


def check_bib(root: Path) -> list[Problem]:
    """``references.bib``: link fields are http(s) addresses, DOIs are DOIs (never ``javascript:``)."""
    path = root / "references.bib"
    try:
        text = read_text(path, "references.bib")
    except ContentError:
        return []   # reported by the project loader
    P = []
    for m in _BIB_URL.finditer(text):
        field, value = m.group(1).lower(), _braced(text, m.end()).strip()
        line = text.count("\n", 0, m.start()) + 1
        if field == "url" and not re.match(r"https?://[^\s\"'<>`]+\Z", value, re.I):
            P.append(Problem("references.bib", line, _("url '{value}' is not an http:// or https:// address").format(
                value=_shown(value))))
        if field == "doi" and not (_DOI.fullmatch(value) or re.match(r"https://(dx\.)?doi\.org/10\.\S+\Z", value, re.I)):
            P.append(Problem("references.bib", line, _("doi '{value}' is not a DOI (10.xxxx/...)").format(
                value=_shown(value))))
    for m in _BIB_WRAPPED_URL.finditer(text):
        value = _braced(text, m.end()).strip()
        if not re.match(r"https?://[^\s\"'<>`]+\Z", value, re.I):
            P.append(Problem("references.bib", text.count("\n", 0, m.start()) + 1,
                             _("\\url{{{value}}} is not an http:// or https:// address").format(value=_shown(value))))
    return P
