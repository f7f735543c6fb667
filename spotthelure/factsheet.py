"""Country fact sheets: ``spotthelure factsheet COUNTRY -o FILE [--pdf]``.

A printable two-page sheet for a country: its key figures (each with source, place in the source
and year; "no sourced figure yet" when the country file has none), the help contacts of its
directory (``data/countries/<CODE>.yml``), what the book offers in the country's languages, and
how to use the sheet with the media and decision makers. Rendered through the Jinja2 template
``templates/factsheet.html`` with autoescaping on: every text from the country file is escaped,
never read as HTML or MyST. Every word of the sheet itself goes through :func:`spotthelure.i18n._`.
"""
from __future__ import annotations

import datetime as _dt
import os
import re
import tempfile
from pathlib import Path

import yaml

from . import countries
from .i18n import LOCALES, SOURCE_LANGUAGE, _, current_language, label, pgettext, safe_load_yaml
from .problems import ContentError, Problem

TEMPLATES = Path(__file__).parent / "templates"


def book_languages(root: Path | None = None) -> list[str]:
    """The languages the book is in: English and each language whose content the book has
    catalogs for (``<root>/locales/<lang>/LC_MESSAGES``). The package's interface catalogs
    (``spotthelure/locales``) alone do not make the book available in a language: its pages
    would still be English. Without ``root``, the languages of the interface catalogs."""
    langs = [SOURCE_LANGUAGE]
    d0 = Path(root) / "locales" if root is not None else LOCALES
    if d0.is_dir():
        for d in sorted(d0.iterdir()):
            if (d / "LC_MESSAGES").is_dir():
                langs.append(d.name.replace("_", "-"))
    return langs


def language_names(root: Path) -> dict[str, str]:
    path = countries.folder(root) / "_languages.yml"
    try:
        data = safe_load_yaml(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except (OSError, yaml.YAMLError):
        data = {}
    return {str(k): str(v) for k, v in (data or {}).items()} if isinstance(data, dict) else {}


def _source(src: str, bib: dict) -> dict:
    """How the sheet shows one source: a bib key as 'Author (year). Title.' with its address."""
    if re.match(r"^https?://", src):
        return {"text": "", "url": src}
    e = bib.get(src, {})
    author = e.get("author", "").replace(" and ", ", ")
    return {"text": f"{author} ({e.get('year', 'n.d.')}). {e.get('title', '')}.", "url": e.get("url", "")}


def context(root: Path, code: str, pr=None) -> dict:
    """Everything the template shows for ``code``; ContentError when the country file has problems
    (a figure without a source or year is refused here, as in ``validate``)."""
    from .charts import bib_entries
    from .project import load_project
    pr = pr if pr is not None else load_project(root)
    code = code.upper()
    data, problems = countries.load(root, code, pr.bib_keys)
    if data is None or problems:
        raise ContentError(problems or [Problem(str(countries.FOLDER / f"{code}.yml"), 1, "cannot be read")])
    bib_path = Path(root) / "references.bib"
    bib = bib_entries(bib_path) if bib_path.is_file() else {}
    names = language_names(root)
    have = book_languages(root)

    def lang_name(c):
        return pgettext("language", names[c]) if c in names else c

    def draft(c) -> bool:
        """True until a native-speaking educator's review of the language's content is recorded."""
        if c == SOURCE_LANGUAGE or c not in have:
            return False
        from .translation_status import read_status
        st = read_status(root, c)
        return not (st.reviewed_catalog("activities") and st.reviewed_catalog("pages"))

    offers = []
    for c in data.get("languages") or []:
        offers.append({"code": c, "name": lang_name(c), "available": c in have, "draft": draft(c)})
    kinds = []
    from .translate import contacts_isolated, right_to_left
    rtl = right_to_left(current_language())
    for kind in countries.KINDS:
        rows = countries.entries(data, kind)
        if rtl:        # a phone number keeps its groups in order in a right-to-left line
            rows = contacts_isolated(rows)
        kinds.append({"key": kind, "title": label("help_kind", kind), "rows": rows})
    figures = [{**f, "src": _source(f["source"], bib)} for f in data.get("figures") or [] if isinstance(f, dict)]
    marri = _source("marri-toolkit", bib) if "marri-toolkit" in bib else None
    return {"code": code, "name": data["name"], "figures": figures, "kinds": kinds, "offers": offers,
            "book_languages": [lang_name(c) for c in have], "gaps": list(data.get("gaps") or []),
            "marri": marri, "today": _dt.date.today().isoformat(), "lang": current_language()}


def _in_english(lang: str):
    """``en(text)``: a text of the country's file (written in English) on a sheet in ``lang``, in a
    ``span`` that says so (and, on a right-to-left sheet, that it reads left to right), so a screen
    reader reads it in an English voice. On an English sheet, the text alone (escaped)."""
    from markupsafe import Markup, escape
    from .translate import english_attrs

    attrs = Markup(english_attrs(lang))
    if not attrs:
        return escape
    return lambda text: Markup("<span{}>{}</span>").format(attrs, text) if text else Markup("")


def template_context(root: Path) -> dict:
    """The empty sheet, for a country the book has no file for yet: no figure, no contact, only
    "no sourced figure yet" and the international route of the book's Get help box."""
    names = language_names(root)
    have = [pgettext("language", names[c]) if c in names else c for c in book_languages()]
    return {"code": "", "name": _("your country"), "name_is_a_message": True, "figures": [], "gaps": [], "marri": None,
            "offers": [{"code": "", "name": n, "available": True, "draft": False} for n in have],
            "kinds": [{"key": k, "title": label("help_kind", k), "rows": []} for k in countries.KINDS],
            "book_languages": have, "today": _dt.date.today().isoformat(), "lang": current_language()}


def render(root: Path, code: str, pr=None, ctx: dict | None = None) -> str:
    from . import templating
    from .csp import add_meta
    css = (TEMPLATES / "factsheet.css").read_text(encoding="utf-8")
    from markupsafe import escape
    ctx = ctx if ctx is not None else context(root, code, pr)
    en = _in_english(ctx["lang"])
    # the country's name is the file's (English); the empty sheet's is a message in the sheet's language
    name_html = escape(ctx["name"]) if ctx.get("name_is_a_message") else en(ctx["name"])
    html = templating.environment().get_template("factsheet.html").render(css=css, en=en, name_html=name_html, **ctx)
    return add_meta(html, standalone=True)     # the sheet's one inline style, allowed by its hash


# The sheets the site ships (``_build/html/factsheets/``) and ``make print`` prints: one a country
# file, and the empty one.
SITE_FOLDER = "factsheets"
TEMPLATE_SHEET = f"{SITE_FOLDER}/template.html"


def site_sheets(root: Path, pr=None) -> dict[str, str]:
    """``factsheets/<CODE>.html`` for every country file without problems (``validate`` reports
    the others), and ``factsheets/template.html``, the empty sheet."""
    from .project import load_project
    pr = pr if pr is not None else load_project(root)
    out = {}
    for path in countries.files(root):
        try:
            out[f"{SITE_FOLDER}/{path.stem}.html"] = render(root, path.stem, pr)
        except ContentError:
            continue
    out[TEMPLATE_SHEET] = render(root, "", ctx=template_context(root))
    return out


def write_site_sheets(root: Path, outdir: Path, pr=None) -> list[Path]:
    """Write :func:`site_sheets` under ``outdir`` (a file is rewritten only when it changed)."""
    from ._fs import replace_file
    written = []
    for rel, html in site_sheets(root, pr).items():
        p = Path(outdir) / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if not p.exists() or p.read_text(encoding="utf-8") != html:
            replace_file(p, html)
        written.append(p)
    return written


def main(args) -> int:
    from ._fs import check_output
    from .project import find_root
    root = find_root()
    out = Path(args.output)
    check_output(out, inputs=countries.files(root))
    html = render(root, args.country)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix="." + out.name, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(html)
    os.replace(tmp, out)
    print(_("Wrote {path}").format(path=out))
    if args.pdf:
        from .pdf import html_to_pdf
        pdf = out.with_suffix(".pdf")
        html_to_pdf(out, pdf, args.chromium)
        print(_("Wrote {path}").format(path=pdf))
    return 0
