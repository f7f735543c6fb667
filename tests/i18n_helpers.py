"""A pseudo-locale for the catalog tests: every message of the package's catalog translated as
itself wrapped in ⟦…⟧, so a word outside the brackets is a word that did not come from the catalog.
Content (what authors write) is wrapped in ‹…› by :func:`mark_content`, so it can be told apart."""
from __future__ import annotations

import functools
import re
from pathlib import Path

from spotthelure import catalog
from spotthelure import i18n

PSEUDO = "en-XA"          # the conventional pseudo-locale code (English, pseudo-translated)
OPEN, CLOSE = "⟦", "⟧"
C_OPEN, C_CLOSE = "‹", "›"


@functools.lru_cache(maxsize=None)
def package_messages() -> tuple:
    """Every message ``catalog.extract()`` finds in the package, extracted once per test process
    (it reads every module and template; the tests only read what it found)."""
    return tuple(catalog.extract())


def write_catalog(dest: Path, lang: str, translate) -> Path:
    """Compile the package's catalog for ``lang`` into ``dest``, each msgstr ``translate(msgid,
    form)`` (form: None for a plain message, the plural index for a plural one)."""
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo
    tmpl = package_messages()
    try:
        from babel import Locale
        loc = Locale.parse(lang.replace("-", "_"))
    except Exception:   # the pseudo-locale is no real locale: English plural rules
        loc = None
    cat = Catalog(locale=loc, fuzzy=False)
    for m in tmpl:
        if not m.id:
            continue
        if isinstance(m.id, (list, tuple)):
            n = cat.num_plurals
            s = [translate(m.id[0] if i == 0 else m.id[1], i) for i in range(n)]
            cat.add(m.id, tuple(s), context=m.context)
        else:
            cat.add(m.id, translate(m.id, None), context=m.context)
    mo = Path(dest) / lang.replace("-", "_") / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo"
    mo.parent.mkdir(parents=True, exist_ok=True)
    with mo.open("wb") as f:
        write_mo(f, cat)
    return mo


def pseudo_catalog(dest: Path) -> Path:
    return write_catalog(dest, PSEUDO, lambda msgid, form: OPEN + msgid + CLOSE)


# Fields whose values are what authors write (shown to readers); the rest are ids, kinds and flags.
CONTENT_KEYS = {"title", "summary", "description", "content_note", "prompt", "text", "feedback", "feedback_true",
                "feedback_false", "reason", "setting", "card", "heading", "name", "contact", "for", "hours",
                "where", "how_to_reach", "role_name", "label", "debrief", "notes", "facilitator_notes",
                "instructions", "goal", "lines", "question", "options", "anchors", "body", "intro",
                "organisation", "warm_up", "closing", "tips", "props_note", "say", "script", "cue", "objectives",
                "freeze_frames", "safeguarding", "from"}


def mark_content(data, key=None, skip=None):
    """A copy of activity or local.yml data with every content text wrapped in ‹…›. A chat story's
    'from' names a character by id, so it is left as it is there."""
    from spotthelure.yamlload import LDict, LList
    if skip is None:
        skip = {"from"} if isinstance(data, dict) and data.get("kind") == "scenario" else set()
    if isinstance(data, dict):
        out = LDict()
        out.line = getattr(data, "line", 0)
        out.lines = dict(getattr(data, "lines", {}))
        for k, v in data.items():
            out[k] = v if k in skip else mark_content(v, k, skip)
        return out
    if isinstance(data, list):
        out = LList(mark_content(v, key, skip) for v in data)
        out.line = getattr(data, "line", 0)
        out.lines = list(getattr(data, "lines", []))
        return out
    if isinstance(data, str) and key in CONTENT_KEYS:
        return C_OPEN + data + C_CLOSE
    return data


def _strip(text: str, o: str, c: str) -> str:
    prev = None
    while prev != text:                      # innermost first: messages nest (a label inside a message)
        prev = text
        text = re.sub(re.escape(o) + "[^" + re.escape(o + c) + "]*" + re.escape(c), " ", text)
    return text


def untranslated(text: str) -> list[str]:
    """Words of ``text`` that are neither inside ⟦…⟧ (the catalog) nor inside ‹…› (content)."""
    text = _strip(_strip(text, OPEN, CLOSE), C_OPEN, C_CLOSE)
    text = _strip(text, OPEN, CLOSE)
    return re.findall(r"[A-Za-z]{2,}", text)


def visible_text(html: str) -> str:
    """The text a reader sees (and the alt/aria texts they hear) of an HTML page: no tags, no
    script, no style, no attribute values other than alt, title, aria-label and placeholder."""
    import html as _html
    html = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", html)
    said = re.findall(r'(?i)\s(?:alt|title|aria-label|placeholder)="([^"]*)"', html)
    text = re.sub(r"(?s)<[^>]*>", " ", html)
    return _html.unescape(text + " " + " ".join(said))


def gift_text(gift: str) -> str:
    """A GIFT file without its syntax: no $CATEGORY line, no ::question name:: (ids), no TRUE/FALSE keys."""
    gift = re.sub(r"(?m)^\$CATEGORY:.*$", " ", gift)
    gift = re.sub(r"::[^:]*::", " ", gift)
    return re.sub(r"\b(TRUE|FALSE|T|F)\b", " ", gift)


def qti_text(xml: str) -> str:
    """The text of a QTI file a learner may see: element text that is not an identifier or a value."""
    # the manifest's fixed vocabulary (package schema, LOM source and value), never shown or translated
    xml = re.sub(r"(?s)<(schema|imsmd:source|imsmd:value)>.*?</\1>", " ", xml)
    xml = re.sub(r">\s*[a-z0-9]+(?:[-_/.][a-z0-9]+)*\s*<", "><", xml)     # identifiers, true/false, scores
    return visible_text(xml)


def without_ids(text: str) -> str:
    """Text without activity ids (``q-sample``), which printables show as they are."""
    return re.sub(r"\b[a-z0-9]+(?:-[a-z0-9]+)+\b", " ", text)


def translated_page(tmp_path: Path, out: str, page: str, translations: dict, conf: str = "", lang: str = "sv") -> str:
    """A one-page MyST book (``page`` as its index.md; ``conf`` added to its conf.py) built by Sphinx
    in ``lang`` in this process, with ``translations`` (msgid to msgstr) as the page's catalog, into
    ``tmp_path/out``: its index.html. A warning of the build fails the test."""
    import io

    import sphinx.locale
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    from conftest import sphinx_defaults_kept
    src = tmp_path / "src"
    (src / "locales" / lang / "LC_MESSAGES").mkdir(parents=True, exist_ok=True)
    (src / "conf.py").write_text('extensions = ["myst_parser"]\nlocale_dirs = ["locales"]\nmyst_heading_anchors = 3\n'
                                 + conf, encoding="utf-8")
    (src / "index.md").write_text(page, encoding="utf-8")
    catalog = Catalog(locale=lang)
    for msgid, msgstr in translations.items():
        catalog.add(msgid, msgstr)
    with (src / "locales" / lang / "LC_MESSAGES" / "index.po").open("wb") as f:
        write_po(f, catalog)
    warnings = io.StringIO()
    # as sphinx-build does: the roles, directives and node classes the build registers with docutils
    # are taken back afterwards, so no later build in this process finds them
    with sphinx_defaults_kept(), patch_docutils(src), docutils_namespace():
        try:
            Sphinx(str(src), str(src), str(tmp_path / out), str(tmp_path / f"{out}-doctrees"), "html",
                   confoverrides={"language": lang}, status=None, warning=warnings, freshenv=True).build()
        finally:
            sphinx.locale.translators.clear()
    assert not warnings.getvalue().strip(), warnings.getvalue()
    return (tmp_path / out / "index.html").read_text(encoding="utf-8")
