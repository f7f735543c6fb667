"""The message catalog of the package: ``spotthelure i18n extract`` collects every marked message
(Python, Jinja templates, the labels of ``data/labels.yml``) into the template
``spotthelure/locales/spotthelure.pot``; ``update`` brings each language's ``.po`` up to it;
``compile`` writes the ``.mo`` files the running package reads (:mod:`spotthelure.i18n`);
:func:`catalog_problems` reports a translation that changes a message's markup or placeholders."""
from __future__ import annotations

from pathlib import Path

import yaml

from .i18n import DOMAIN, LOCALES, _, current_language, mo_bytes, safe_load_yaml, translation_problem, translations

# ---- the catalog: extract, update, compile ------------------------------------------------------

PACKAGE = Path(__file__).parent
TEMPLATE = LOCALES / f"{DOMAIN}.pot"
# What marks a message in Python and in the templates (Babel's keyword specs: 1c = context).
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2),
            "npgettext": ((1, "c"), 2, 3), "N_": None, "N_plural": (1, 2)}
METHODS = [("**.py", "spotthelure.catalog:extract_python"),
           ("templates/**.html", "jinja2.ext:babel_extract"),
           ("templates/**.xml", "jinja2.ext:babel_extract")]
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.i18n"},
           "templates/**.xml": {"extensions": "jinja2.ext.i18n"}}


# What extract_python found in each text it read (by the text and the settings): one process that
# extracts the package again (a catalog updated, then checked) reads only the files that changed.
_extracted: dict = {}


def extract_python(fileobj, keywords, comment_tags, options):
    """Babel's Python extractor, and the messages it cannot see: a call such as ``_("Quiz:")``
    inside an f-string, which its tokenizer reads as one string. Those come from the syntax tree."""
    data = fileobj.read()
    key = (data, repr(keywords), repr(comment_tags), repr(sorted(options.items())))
    found = _extracted.get(key)
    if found is None:
        if len(_extracted) > 1000:
            _extracted.clear()
        found = _extracted[key] = tuple(_extract_python(data, keywords, comment_tags, options))
    for lineno, funcname, messages, comments in found:
        yield lineno, funcname, messages, list(comments)


def _extract_python(data: bytes, keywords, comment_tags, options):
    import ast
    import io

    from babel.messages.extract import extract_python as babel_python
    yield from babel_python(io.BytesIO(data), keywords, comment_tags, options)
    try:
        tree = ast.parse(data.decode(options.get("encoding", "utf-8")))
    except (SyntaxError, UnicodeDecodeError):
        return
    seen: set[int] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.JoinedStr):
            continue
        for sub in ast.walk(node):
            if (isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name) and sub.func.id in keywords
                    and id(sub) not in seen):
                seen.add(id(sub))
                args = tuple(a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None
                             for a in sub.args)
                if args and any(a is not None for a in args):
                    yield sub.lineno, sub.func.id, args if len(args) > 1 else args[0], []


def _yaml_lines(path: Path) -> dict[tuple[str, str], int]:
    """(group, key) → line of each label in a labels file."""
    root = yaml.compose(path.read_text(encoding="utf-8"))
    out = {}
    for gk, gv in getattr(root, "value", []) or []:
        for k, v in getattr(gv, "value", []) or []:
            if isinstance(k.value, str):
                out[(gk.value, k.value)] = k.start_mark.line + 1
    return out


def extract(package: Path = PACKAGE, output: Path | None = None) -> "object":
    """Collect every marked message of ``package`` (Python, Jinja templates) and every label of its
    ``data/labels.yml`` (with the group as context) into a catalog template; write it to ``output``
    when given. Returns the Babel catalog."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir
    from babel.messages.pofile import write_po
    package = Path(package)
    cat = Catalog(project="Spot the Lure", msgid_bugs_address="", copyright_holder="Spot the Lure",
                  charset="utf-8", fuzzy=False)
    base = package.parent
    for fname, lineno, message, comments, context in extract_from_dir(
            package, METHODS, OPTIONS, KEYWORDS, comment_tags=("TRANSLATORS:",), strip_comment_tags=True):
        rel = (package / fname).relative_to(base).as_posix()
        cat.add(message, None, [(rel, lineno)], auto_comments=comments, context=context)
    labels_file = package / "data" / "labels.yml"
    if labels_file.exists():
        lines = _yaml_lines(labels_file)
        data = safe_load_yaml(labels_file.read_text(encoding="utf-8")) or {}
        rel = labels_file.relative_to(base).as_posix()
        for group, items in data.items():
            for key, text in (items or {}).items():
                if isinstance(text, str):
                    cat.add(text, None, [(rel, lines.get((group, str(key)), 1))], context=group)
    if output is not None:
        import io
        import re
        output = Path(output)
        buf = io.BytesIO()
        write_po(buf, cat, width=100, sort_output=True, omit_header=False)
        dated = re.compile(rb'^"POT-Creation-Date: .*\n', re.M)
        old = output.read_bytes() if output.is_file() else b""
        if dated.sub(b"", old) != dated.sub(b"", buf.getvalue()):    # only a new date: leave the file be
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_bytes(buf.getvalue())
    return cat


def po_path(lang: str, locales: Path = LOCALES) -> Path:
    return Path(locales) / lang.replace("-", "_") / "LC_MESSAGES" / f"{DOMAIN}.po"


def update(langs: list[str], template: Path = TEMPLATE, locales: Path = LOCALES) -> list[Path]:
    """Bring each language's ``.po`` up to the template (a new language starts from it)."""
    from babel import Locale
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po
    with Path(template).open("rb") as f:
        tmpl = read_po(f)
    out = []
    for lang in langs:
        po = po_path(lang, locales)
        if po.exists():
            with po.open("rb") as f:
                cat = read_po(f, locale=lang.replace("-", "_"))
            # A message that comes back to the template (removed, then restored; or translated ahead
            # of its code) takes its kept translation back instead of a fuzzy guess.
            for key, old in list(cat.obsolete.items()):
                if tmpl.get(old.id, context=old.context) is not None and cat.get(old.id, context=old.context) is None:
                    cat.add(old.id, old.string, flags=old.flags, context=old.context)
                    del cat.obsolete[key]
            cat.update(tmpl)
        else:
            cat = Catalog(locale=Locale.parse(lang.replace("-", "_")), project="Spot the Lure", fuzzy=False)
            cat.update(tmpl)
        po.parent.mkdir(parents=True, exist_ok=True)
        with po.open("wb") as f:
            write_po(f, cat, width=100, sort_output=True, ignore_obsolete=False)
        out.append(po)
    return out


def compile_catalogs(locales: Path = LOCALES) -> list[Path]:
    """Compile every ``.po`` under ``locales`` to the ``.mo`` beside it (fuzzy entries left out)."""
    import os
    import tempfile
    out = []
    for po in sorted(Path(locales).glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            out.append(mo)
            continue
        data = mo_bytes(po)
        # Written beside and renamed into place: a build or a test reading the catalog at the same
        # moment sees the old file or the new one, never half of one.
        fd, tmp = tempfile.mkstemp(dir=mo.parent, prefix="." + mo.name, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, mo)
        out.append(mo)
    translations.cache_clear()
    return out


def catalog_problems(locales: Path = LOCALES) -> list:
    """Every translation in the ``.po`` files under ``locales`` that changes the original's markup or
    placeholders (:func:`translation_problem`), as ``path:line`` problems; and a ``.po`` that cannot
    be read at all."""
    from babel.messages.pofile import PoFileError

    from . import pofile
    from .problems import Problem
    out = []
    root = Path(locales).parent.parent if Path(locales) == LOCALES else Path.cwd()
    for po in sorted(Path(locales).glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        try:
            shown = po.relative_to(root).as_posix()
        except ValueError:
            shown = str(po)
        try:
            cat = pofile.entries(po, strict=True)
        except (PoFileError, ValueError, UnicodeDecodeError) as e:
            line = getattr(e, "lineno", None)      # Babel counts a file's lines from 0
            out.append(Problem(shown, line + 1 if isinstance(line, int) else 1, _("this catalog cannot be read: {error}").format(
                error=str(e).splitlines()[0] if str(e) else type(e).__name__)))
            continue
        found = pofile.derived(_markup_problems, cat, translations(current_language()))
        out += [Problem(shown, line, problem) for line, problem in found]
    return out


def _markup_problems(cat: tuple, _shown_in) -> list[tuple[int, str]]:
    """(line, problem) of each translation in ``cat`` that changes its message's markup or
    placeholders; the problems are written from the interface catalog ``_shown_in``."""
    found = []
    for m in cat:
        if m.fuzzy or not m.string:
            continue
        if isinstance(m.id, tuple):
            forms = [f for f in m.string if f]
            problem = next((p for p in (translation_problem(m.id[0], f, m.id[1]) for f in forms) if p), None)
        else:
            problem = translation_problem(m.id, m.string)
        if problem:
            found.append((m.lineno or 1, problem))
    return found


def page_catalog_problems(root: Path) -> list:
    """Every translated paragraph in the book's page catalogs (``locales/<lang>/LC_MESSAGES/**.po``,
    not the content catalog, which :func:`spotthelure.translate.check_catalog` checks) whose marks
    differ from its English: a link target, a role, a placeholder, HTML or emphasis that a
    translation changed, as ``path:line`` problems. Sphinx would build the translated page with
    them, so a translation could send "Get help" somewhere else; the build refuses instead."""
    from . import pofile
    from .problems import Problem
    from .translate import DOMAIN as CONTENT, locales_dir, markup_difference
    out = []
    base = locales_dir(root)
    for lc in sorted(base.glob("*/LC_MESSAGES")) if base.is_dir() else []:
        for po in sorted(lc.rglob("*.po")):
            if po.parent == lc and po.stem == CONTENT:
                continue
            shown = po.relative_to(root).as_posix()
            try:
                entries = pofile.entries(po)
            except Exception:   # noqa: BLE001 - Sphinx and `make translations` report a catalog they cannot read
                continue
            for m in entries:
                if m.fuzzy or not m.string or not isinstance(m.id, str) or not isinstance(m.string, str):
                    continue
                diff = markup_difference(m.id, m.string)
                if diff:
                    out.append(Problem(shown, m.lineno, _("this paragraph's translation: {diff}").format(diff=diff)))
    return out
