"""The Content-Security-Policy of every page the book writes, as a ``<meta http-equiv>`` tag (it
works from ``file://`` too, where no server sends headers).

Scripts run only from the site's own files and from the inline scripts the page was written with
(each allowed by its SHA-256 hash, computed from the page itself); nothing connects anywhere
(``connect-src 'none'``); images, fonts and styles come from the site only; no plugins, no frames,
no ``<base>``. Data the author wrote can add neither a script file nor an inline script: the hashes
are those of the scripts in the template, taken when the page is written, and the escaping
renderer never writes a ``<script>`` from data.
"""
from __future__ import annotations

import base64
import hashlib
import re

# An inline script (no src) of a type the browser runs. JSON and other data blocks are not run.
_INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)([^>]*)>(.*?)</script\s*>", re.I | re.S)
_INLINE_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.I | re.S)
_RUNNABLE = re.compile(r"""\btype\s*=\s*["']?(?!text/javascript|application/javascript|module)[^"'\s>]""", re.I)
_HEAD = re.compile(r"<head\b[^>]*>", re.I)
_CHARSET = re.compile(r"<meta\s+charset=[\"']?[\w-]+[\"']?\s*/?>", re.I)
_CSP_META = re.compile(r"<meta\s+http-equiv=\"Content-Security-Policy\"[^>]*>\n?", re.I)


def _sha256(body: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii") + "'"


def inline_script_hashes(html: str) -> list[str]:
    return sorted({_sha256(body) for attrs, body in _INLINE_SCRIPT.findall(html) if not _RUNNABLE.search(attrs)})


def policy(html: str, standalone: bool = False) -> str:
    """The policy for one page, from the inline scripts (and, standalone, styles) it carries."""
    scripts = " ".join(["'self'", *inline_script_hashes(html)])
    if standalone:
        # An offline file carries its style and script inline; each is allowed by its hash alone.
        styles = " ".join(["'self'", *sorted({_sha256(b) for b in _INLINE_STYLE.findall(html)})])
    else:
        # Style attributes and the <style> inside the charts' SVG: inline styles cannot run script,
        # and cannot fetch anything either (img-src and font-src below are the site only).
        styles = "'self' 'unsafe-inline'"
    # img-src data: the theme draws its icons (admonitions, navigation) as data: SVG in its CSS.
    # From file:// pages Chromium matches 'self' against file: URLs, so the offline site works too.
    return "; ".join([
        "default-src 'none'", f"script-src {scripts}", f"style-src {styles}", "img-src 'self' data:",
        "font-src 'self'", "connect-src 'none'", "media-src 'self'", "object-src 'none'", "frame-src 'none'",
        "worker-src 'none'", "manifest-src 'self'", "base-uri 'none'", "form-action 'self'"])


def add_meta(html: str, standalone: bool = False) -> str:
    """``html`` with its policy as the first tag after ``<meta charset>`` (or ``<head>``), before any script."""
    html = _CSP_META.sub("", html)
    tag = f'<meta http-equiv="Content-Security-Policy" content="{policy(html, standalone)}">'
    m = _CHARSET.search(html) or _HEAD.search(html)
    if m is None:
        return html
    return html[:m.end()] + "\n" + tag + html[m.end():]
