"""``spotthelure``: validate content, export activities, build PDFs, analyse evaluations.

Every problem reaches the author as ``path:line: what is wrong``; no traceback. Exports write to a
temporary file and move it into place only when everything succeeded, so nothing is half-written;
no command writes over one of its inputs or over the book's content, and each says what it wrote.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from ._fs import CONTENT_DIRS, CONTENT_FILES, atomic_write, check_output  # noqa: F401 (their old home)
from ._fs import book_root_of as _book_root_of
from .i18n import _, ngettext
from .problems import ContentError, Problem


def _print_problems(problems: list[Problem]) -> None:
    for p in problems:
        print(p, file=sys.stderr)
    n = len(problems)
    print(ngettext("{n} problem found.", "{n} problems found.", n).format(n=n), file=sys.stderr)


def _keep_catalogs(root: Path) -> None:
    """The next command in this book reads the parsed catalogs from ``_build/.cache/po``."""
    if _book_root_of(root):
        from . import pofile
        pofile.keep_in(root / "_build" / ".cache" / "po")


def _book_rel(root: Path, raw: str | Path) -> str | None:
    """The path named on the command line relative to the book's folder, or None when it is (or
    points to) something outside it."""
    try:
        return Path(raw).resolve().relative_to(root).as_posix()
    except (OSError, ValueError, RuntimeError):
        return None


def cmd_validate(args) -> int:
    from .project import Project, find_root, load_activity_file, load_project
    from .validation import validate_project
    root = find_root()
    _keep_catalogs(root)
    if args.paths and all(_book_rel(root, raw) is None for raw in args.paths):
        # Only files outside the book's folder, each checked on its own: nothing the book's checks
        # find would be shown, so the book is not loaded (most of the time such a check took).
        pr, problems = Project(root), []
    else:
        pr = load_project(root)
        problems = validate_project(pr)
    if not args.paths:                  # every language's content catalog and review record
        from . import translate
        for lang in translate.book_languages(root):
            problems += translate.check_catalog(pr, lang)
    outside: list[str] = []
    if args.paths:
        wanted = set()
        extra: list[Problem] = []
        for raw in args.paths:
            p = Path(raw)
            if not p.exists():
                extra.append(Problem(raw, 1, _("a link to a file that does not exist") if p.is_symlink() else _("no such file")))
                continue
            if not p.is_dir() and not p.is_file():
                extra.append(Problem(raw, 1, _("is not a regular file (a device, pipe or socket); name a file")))
                continue
            rel = _book_rel(pr.root, p)
            if rel is not None and (rel in pr.pages or rel.startswith(("activities/", "notebooks/", "data/"))
                                    or rel in ("local.yml", "references.bib", "_toc.yml")):
                wanted.add(rel) if p.is_file() else wanted.update(
                    x.rel for x in pr.activities.values() if x.rel.startswith(rel.rstrip("/") + "/"))
                if p.is_dir():
                    wanted.update(r for r in pr.pages if r.startswith(rel.rstrip("/") + "/"))
            elif p.is_dir():
                extra.append(Problem(raw, 1, _("this folder is outside the book ({root}); name activity files, or run the command "
                                                "inside the book").format(root=pr.root)))
            else:
                # A file outside this book: check it on its own (no cross-file checks).
                extra += load_activity_file(p, raw)[1]
                outside.append(raw)
        problems = [q for q in problems if q.path in wanted] + extra
    elif not _book_root_of(pr.root):
        problems = [Problem(str(pr.root), 1, _("no book here: run the command in the book's folder (the one with _config.yml and "
                                                "activities/), or name activity files"))]
    from .quizbank import bank_figures, project_quizzes, project_warnings
    wanted_quizzes = None if not args.paths else wanted
    if args.stats:
        for _rel, _line, f in bank_figures([x for x in project_quizzes(pr) if wanted_quizzes is None or x[0] in wanted_quizzes]):
            print(f.table())
    from .wording import language_notes
    for w in project_warnings(pr, wanted_quizzes) + [n for n in language_notes(pr)
                                                     if wanted_quizzes is None or n.path in wanted_quizzes]:
        print(w, file=sys.stderr)
    if problems:
        _print_problems(problems)
        return 1
    if outside:
        print(ngettext("OK: {files} checked on its own (outside the book, so without the checks across files).",
                       "OK: {files} checked on their own (outside the book, so without the checks across files).",
                       len(outside)).format(files=", ".join(outside)))
        if len(outside) == len(args.paths):
            return 0
    print(_("OK: {activities} activities, {lessons} lessons, {workshops} workshops, {pages} pages checked.").format(
        activities=len(pr.activities), lessons=len(pr.lessons), workshops=len(pr.workshops), pages=len(pr.pages)))
    return 0


def cmd_export(args) -> int:
    """``spotthelure export``: see :mod:`spotthelure.cli_export`."""
    from .cli_export import cmd_export as export
    return export(args)


def cmd_schema(args) -> int:
    from . import schemas
    print(json.dumps(schemas.ALL[args.kind], indent=2))
    return 0


def cmd_levels(args) -> int:
    from .project import load_project
    from .wording import _score, book_language, reading_levels
    from .readability import limits
    pr = load_project()
    lang = book_language(pr.root)
    lim = limits(lang)
    for band, rows in reading_levels(pr).items():
        if rows:
            worst = max(g for _rel, g in rows)
            print(ngettext("ages {band}: {n} file, highest {score} (limit {limit})",
                           "ages {band}: {n} files, highest {score} (limit {limit})", len(rows)).format(
                band=band, n=len(rows), score=_score(worst, lang), limit=lim[band]))
            for rel, g in sorted(rows):
                print(f"  {g:5.1f}  {rel}")
    return 0


def cmd_pdf(args) -> int:
    from .pdf import build_book_pdf
    out = args.output or ("_build/pdf/spot-the-lure.pdf" if args.lang == "en" else f"_build/pdf/spot-the-lure-{args.lang}.pdf")
    return build_book_pdf(Path(out), args.chromium, Path(args.site) if args.site else None, args.lang)


STRICT = ["-W", "-n", "--keep-going"]


def cmd_build(args) -> int:
    """``jupyter-book build`` of this book, strict (warnings are errors, all reported in one run).

    A book with translations (a ``locales/`` folder) is built once per language, into
    ``_build/<builder>/<lang>/`` (English too), and ``_build/<builder>/index.html`` lets the reader
    pick one; ``--lang`` (or ``LANGS``) limits the languages. A book without builds into
    ``_build/<builder>/`` as before.

    Faster to start than the ``jupyter-book`` command: importing this package first keeps jsonschema,
    which Jupyter Book uses to check ``_config.yml``, from compiling grammars the build never uses.
    """
    from . import translate
    from .project import find_root, load_project
    from .validation import validate_project
    root = find_root()
    _keep_catalogs(root)
    from .catalog import compile_catalogs
    compile_catalogs()                  # the translations the pages are built in (.mo are never committed)
    # The same checks as `validate` first: a broken page is reported as path:line, not as a crash.
    english = load_project(root)
    problems = validate_project(english)
    available = translate.book_languages(root)
    wanted = _wanted_languages(args.lang or os.environ.get("LANGS", ""), available)
    for lang in wanted:
        if lang != "en":    # the language's catalogs and review record (the content's checks ran above)
            problems += translate.check_catalog(english, lang, stamp_dir=root / "_build")
    if problems:
        _print_problems(sorted(set(problems)))
        print(_("The book was not built: mend the problems above (spotthelure validate lists them)."), file=sys.stderr)
        return 1
    if not available and wanted == ["en"]:
        return _jupyter_book(root, args.builder)
    outroot = root / "_build" / args.builder
    for lang in wanted:
        print(_("Building the book in {lang} into {dir}").format(lang=lang, dir=outroot / lang), flush=True)
        rc = _build_language(root, lang, wanted, args.builder)
        if rc:
            return rc
    if args.builder == "html":
        from .sphinx.languages import write_language_index
        write_language_index(outroot, ["en", *available])
    return 0


def _wanted_languages(spec: str, available: list[str]) -> list[str]:
    """The languages to build: those named (comma-separated BCP 47 tags), or English and every
    language with catalogs. A language the book has no catalogs for is refused."""
    if not spec.strip():
        return ["en", *available]
    out = []
    for raw in spec.replace(" ", ",").split(","):
        lang = raw.strip().replace("_", "-")
        if not lang:
            continue
        if lang != "en" and lang not in available:
            raise ContentError([Problem("(command line)", 1, _("no translations of the book into '{lang}' (locales/{code}/); "
                                                                "languages: {langs}").format(
                lang=lang, code=lang.replace("-", "_"), langs=", ".join(["en", *available])))])
        if lang not in out:
            out.append(lang)
    return out


def _speedups() -> None:
    """The build's speed-ups (spotthelure/sphinx/speedups.py) in place before the build starts: the
    book's extension installs them too, but after the extensions listed before it have set up."""
    from .sphinx import speedups
    speedups.install()


def _jupyter_book(root: Path, builder: str) -> int:
    from jupyter_book.cli.main import main as jupyter_book
    _speedups()
    jb_args = ["build", str(root), *STRICT, "--builder", builder]
    try:
        jupyter_book.main(args=jb_args, prog_name="jupyter-book")
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except RuntimeError as e:
        # Jupyter Book ends a failed build with an exception whose message says "look above":
        # the problems are already printed, so print the message without the traceback.
        print(e, file=sys.stderr)
        return 1
    return 0


def _build_language(root: Path, lang: str, langs: list[str], builder: str) -> int:
    """One language of the book into ``_build/<builder>/<lang>/``, strict, with its own doctrees and
    the notebooks' one execution cache (``_build/.jupyter_cache``: they run once for all languages)."""
    import sphinx.locale
    from jupyter_book.sphinx import build_sphinx
    from . import i18n, translate
    _speedups()
    sphinx.locale.translators.clear()     # Sphinx's own words: not the language built before this one
    overrides = {"language": translate.code(lang), "spotthelure_languages": list(langs), "spotthelure_checked": True,
                 "nb_execution_cache_path": str(root / "_build" / ".jupyter_cache"),
                 "external_toc_path": (root / "_toc.yml").as_posix(), "latex_individualpages": False}
    try:
        result = build_sphinx(root, root / "_build" / builder / lang, noconfig=True,
                              path_config=str(root / "_config.yml"), confoverrides={**overrides, "nitpicky": True},
                              doctreedir=root / "_build" / f".doctrees-{lang}", builder=builder,
                              warningiserror=True, keep_going=True)
    finally:
        i18n.set_language(None)
        sphinx.locale.translators.clear()
    if isinstance(result, Exception):
        print(result, file=sys.stderr)
        return 1
    return int(result or 0)


def cmd_i18n(args) -> int:
    """The message catalog: extract the template, bring languages up to it, compile them."""
    from . import catalog, i18n
    if args.action == "extract":
        out = Path(args.output) if args.output else catalog.TEMPLATE
        cat = catalog.extract(output=out)
        print(ngettext("Wrote {file} ({n} message)", "Wrote {file} ({n} messages)", len(cat)).format(file=out, n=len(cat)))
    elif args.action == "update":
        langs = args.languages or sorted(p.parent.parent.name for p in i18n.LOCALES.glob(f"*/LC_MESSAGES/{i18n.DOMAIN}.po"))
        if not catalog.TEMPLATE.is_file():
            raise ContentError([Problem(str(catalog.TEMPLATE), 1, _("no catalog template yet: run 'spotthelure i18n extract' first"))])
        for po in catalog.update(langs):
            print(_("Wrote {file}").format(file=po))
    elif args.action == "translations":
        return _translations(args.languages)
    else:
        for mo in catalog.compile_catalogs():
            print(_("Wrote {file}").format(file=mo))
    return 0


def _translations(languages: list[str]) -> int:
    """Extract every message (pages by Sphinx's gettext builder, the content's text fields, the UI),
    bring each language's catalogs up to them, and print the share translated and reviewed."""
    from . import translate
    from .project import find_root, load_project
    root = find_root()
    langs = [x.replace("_", "-") for x in languages] or list(translate.LANGUAGES)
    if "en" in langs:
        raise ContentError([Problem("(command line)", 1, _("English is the source language: it has no catalogs"))])
    pr = load_project(root)
    if pr.problems:
        raise ContentError(pr.problems)
    from . import translation_catalogs
    tmpl = translate.template(pr)
    pot = translate.locales_dir(root) / f"{translate.DOMAIN}.pot"
    if translate.write_po(pot, tmpl):
        print(_("Wrote {file}").format(file=pot.relative_to(root)))
    written = translate.update_catalogs(root, tmpl, langs)
    pot_dir = translation_catalogs.page_templates(root)
    written += translation_catalogs.update_pages(root, pot_dir, langs)
    from . import catalog
    catalog.extract(output=catalog.TEMPLATE)
    written += catalog.update(langs)
    for f in sorted(set(written)):
        print(_("Wrote {file}").format(file=f))
    print(translation_catalogs.coverage_table(root, langs))
    return 0


def cmd_factsheet(args) -> int:
    from .factsheet import main as factsheet_main
    return factsheet_main(args)


def cmd_evaluate(args) -> int:
    """``spotthelure evaluate``: the problems on standard error, the summary on standard output,
    the HTML report (and a PDF beside it) where asked (see :mod:`spotthelure.analysis`)."""
    from .analysis import analyse, parse_response_args, read_responses, report_html, summary_text
    from .i18n import _, ngettext
    if args.pdf and not args.report:
        raise ContentError([Problem("(command line)", 1, _("--pdf makes a PDF beside the HTML report: add --report FILE.html"))])
    if args.min_cell < 1:
        raise ContentError([Problem("(command line)", 1, _("--min-cell must be 1 or more (the default, 5, protects privacy)"))])
    specs = parse_response_args(args.responses)
    res = analyse(read_responses(specs, args.questionnaire), min_cell=args.min_cell)
    if res.problems:
        for p in res.problems:
            print(p, file=sys.stderr)
        n = len(res.problems)
        rows = ngettext("{n} row", "{n} rows", res.rows_left_out).format(n=res.rows_left_out)
        print(ngettext("{n} problem found; {rows} left out of the analysis.",
                       "{n} problems found; {rows} left out of the analysis.", n).format(n=n, rows=rows), file=sys.stderr)
    print(summary_text(res))
    if args.report:
        out = Path(args.report)
        atomic_write(out, report_html(res), inputs=[s.path for s in specs] + [args.questionnaire] * bool(args.questionnaire))
        print(_("Wrote {path}").format(path=out))
        if args.pdf:
            from .pdf import html_to_pdf
            pdf = out.with_suffix(".pdf")
            html_to_pdf(out, pdf, args.chromium)
            print(_("Wrote {path}").format(path=pdf))
    return 0


def cmd_slides(args) -> int:
    """One lesson's slides: the deck as ``-o FILE`` and reveal.js in ``reveal/`` beside it."""
    from . import slides
    from .project import find_root, load_project
    pr = load_project(find_root())
    page = slides.find_lesson_page(pr, args.lesson)
    out = Path(args.output)
    html = slides.deck_html(pr, page)
    check_output(out.parent / slides.ASSET_DIR, folder=True)
    atomic_write(out, html, inputs=[page.path])
    assets = slides.copy_reveal(pr.root, out.parent)
    print(_("Wrote {path}").format(path=out))
    print(_("Wrote {path}").format(path=assets[0].parent))
    return 0


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="spotthelure", description=_("validate content, export activities, build PDFs, analyse evaluations"))
    sub = ap.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate", help=_("check content; prints path:line: problem"))
    v.add_argument("paths", nargs="*", help=_("files or folders (default: the whole book)"))
    v.add_argument("--stats", action="store_true", help=_("print the answer-cue figures of each quiz bank and file"))
    v.set_defaults(func=cmd_validate)
    e = sub.add_parser("export", help=_("export activities to gift, moodle, qti, h5p, html, scorm or print, or a lesson's pack"))
    e.add_argument("format", choices=["gift", "moodle", "qti", "h5p", "html", "scorm", "print", "pack"])
    e.add_argument("files", nargs="*", help=_("activity files (pack: one lesson page)"))
    e.add_argument("-o", "--output", help=_("output file (default: standard output)"))
    e.add_argument("--answer-key", action="store_true", help=_("print: add the teacher's answer key"))
    e.add_argument("--all", action="store_true", help=_("print: every activity of the book"))
    e.add_argument("--pdf", action="store_true", help=_("print, pack: also make a PDF with Chromium"))
    e.add_argument("--paper", choices=["a4", "letter"], default="a4", help=_("print, pack: paper size (default a4)"))
    e.add_argument("--mastery", type=int, help=_("scorm: the score (0-100) a learner needs to pass; without it the "
                                                  "package reports 'completed' and the score"))
    e.add_argument("--chromium", default="/usr/bin/chromium")
    e.add_argument("--lang", default="en", help=_("the language of the export (the book's translations in locales/; "
                                                   "default: en)"))
    e.set_defaults(func=cmd_export)
    s = sub.add_parser("schema", help=_("print the JSON Schema of a kind of content"))
    from .schemas import ALL
    s.add_argument("kind", choices=sorted(ALL))
    s.set_defaults(func=cmd_schema)
    lv = sub.add_parser("levels", help=_("reading level of student-facing text, by band"))
    lv.set_defaults(func=cmd_levels)
    p = sub.add_parser("pdf", help=_("the whole book as one A4 PDF: cover, contents, bookmarks, page numbers"))
    p.add_argument("-o", "--output", help=_("default: _build/pdf/spot-the-lure.pdf (spot-the-lure-<lang>.pdf in another language)"))
    p.add_argument("--site", help=_("print this built site (default: build the book first)"))
    p.add_argument("--lang", default="en", help=_("the language of the book to print (default: en)"))
    p.add_argument("--chromium", default="/usr/bin/chromium")
    p.set_defaults(func=cmd_pdf)
    b = sub.add_parser("build", help=_("build the book into _build/ (jupyter-book build, strict)"))
    b.add_argument("--builder", default="html", choices=["html", "singlehtml", "dirhtml"])
    b.add_argument("--lang", default="", help=_("the languages to build, comma-separated (default: English and every "
                                                 "language in locales/; the LANGS variable does the same)"))
    b.set_defaults(func=cmd_build)
    sl = sub.add_parser("slides", help=_("one lesson's slides to project (reveal.js, works from file://)"))
    sl.add_argument("lesson", help=_("the lesson page (book/teachers/ages-*/N-*.md) or its lesson id"))
    sl.add_argument("-o", "--output", required=True, help=_("the HTML file to write (reveal.js goes beside it)"))
    sl.set_defaults(func=cmd_slides)
    tr = sub.add_parser("i18n", help=_("the message catalog: extract, update languages, compile"))
    tr.add_argument("action", choices=["extract", "update", "compile", "translations"])
    tr.add_argument("languages", nargs="*", help=_("update: the languages (default: those with a catalog); "
                                                   "translations: the languages (default: sv, uk, sr-Latn, ar)"))
    tr.add_argument("-o", "--output", help=_("extract: where to write the template (default: the package's .pot)"))
    tr.set_defaults(func=cmd_i18n)
    fs = sub.add_parser("factsheet", help=_("a country's two-page fact sheet (HTML; --pdf with Chromium)"))
    fs.add_argument("country", help=_("ISO 3166-1 alpha-2 code of a file in data/countries/ (Kosovo: XK)"))
    fs.add_argument("-o", "--output", required=True, help=_("the HTML file to write"))
    fs.add_argument("--pdf", action="store_true", help=_("also print it to a PDF beside the HTML"))
    fs.add_argument("--chromium", default="/usr/bin/chromium")
    fs.set_defaults(func=cmd_factsheet)
    ev = sub.add_parser("evaluate", help=_("analyse pre/post questionnaire responses (CSV)"))
    ev.add_argument("responses", nargs="+", help=_("CSV files of responses"))
    ev.add_argument("--questionnaire", help=_("questionnaire id or file (default: from the CSV's 'questionnaire' column)"))
    ev.add_argument("--report", help=_("write an HTML report here (and a PDF beside it with --pdf)"))
    ev.add_argument("--pdf", action="store_true")
    ev.add_argument("--chromium", default="/usr/bin/chromium")
    ev.add_argument("--min-cell", type=int, default=5, help=_("smallest group shown (default 5)"))
    ev.set_defaults(func=cmd_evaluate)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ContentError as e:
        _print_problems(e.problems)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:            # output piped into a command that stopped reading (head, less)
        sys.stdout = open(os.devnull, "w")
        return 0


if __name__ == "__main__":
    sys.exit(main())
