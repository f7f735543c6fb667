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


def cmd_validate(args) -> int:
    from .project import find_root, load_activity_file, load_project, validate_project
    root = find_root()
    pr = load_project(root)
    problems = validate_project(pr)
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
            try:
                rel = p.resolve().relative_to(pr.root).as_posix()
            except ValueError:
                rel = None
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
    from .project import language_notes
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


def _load_one(path: str, kind: str | None = None):
    from .project import load_activity_file
    p = Path(path)
    act, problems = load_activity_file(p, path)
    if problems:
        raise ContentError(problems)
    if kind and act.kind != kind:
        raise ContentError([Problem(path, act.data.line_of("kind"), _("this is a {kind}; this export takes a {wanted}").format(
            kind=act.kind, wanted=kind))])
    return act


def cmd_export(args) -> int:
    fmt = args.format
    if fmt == "print" and args.all:
        return _export_all_print(Path(args.output or "_build/print"), args.pdf, args.chromium)
    if not args.files:
        raise ContentError([Problem("(command line)", 1, _("name at least one activity file"))])
    acts = [_load_one(f, "quiz" if fmt in ("gift", "qti") else None) for f in args.files]
    if fmt == "gift":
        from .export_gift import quiz_to_gift
        from .render_print import help_text_for
        pr = _contacts()
        out = "\n".join(quiz_to_gift(a.data, help_text=help_text_for(pr, a.data)) for a in acts)
    elif fmt == "qti":
        from .export_qti import quizzes_to_qti
        from .render_print import help_text_for
        pr = _contacts()
        out = quizzes_to_qti([a.data for a in acts], names=[a.rel for a in acts],
                             help_text=help_text_for(pr, acts[0].data) if acts else None)
    elif fmt == "html":
        from .render_html import standalone_page
        if len(acts) != 1:
            raise ContentError([Problem(args.files[1], 1, _("html export takes one activity file"))])
        out = standalone_page(acts[0].kind, acts[0].data, _contacts())
    elif fmt == "print":
        from .render_print import print_page
        out = print_page([(a.kind, a.data) for a in acts], answer_key=args.answer_key, pr=_contacts())
    else:  # argparse restricts the choices
        raise AssertionError(fmt)
    if args.output:
        pdf = Path(args.output).with_suffix(".pdf") if fmt == "print" and args.pdf else None
        if pdf is not None:
            check_output(pdf, args.files)
        atomic_write(Path(args.output), out, inputs=args.files)
        print(_("Wrote {file}").format(file=args.output))
        if pdf is not None:
            from .pdf import html_to_pdf
            html_to_pdf(Path(args.output), pdf, args.chromium)
            print(_("Wrote {file}").format(file=pdf))
    else:
        sys.stdout.write(out)
    return 0


def _export_all_print(outdir: Path, pdf: bool, chromium: str) -> int:
    """Every printable of the book into ``outdir`` (and with ``pdf`` a PDF beside each print page)."""
    from .project import load_project
    from .render_print import write_site_files
    check_output(outdir, folder=True)
    pr = load_project()
    if pr.problems:
        raise ContentError(pr.problems)
    from .factsheet import SITE_FOLDER, write_site_sheets
    written = write_site_files(pr, outdir) + write_site_sheets(pr.root, outdir, pr)
    for f in written:
        print(_("Wrote {file}").format(file=f))
    if pdf:
        from .pdf import html_to_pdf
        for f in written:
            if f.suffix == ".html" and f.parent.name in ("print", SITE_FOLDER):
                html_to_pdf(f, f.with_suffix(".pdf"), chromium)
                print(_("Wrote {file}").format(file=f.with_suffix(".pdf")))
    return 0


def cmd_schema(args) -> int:
    from . import schemas
    print(json.dumps(schemas.ALL[args.kind], indent=2))
    return 0


def _contacts():
    """The local contacts of the book this command runs in, for the Get help box of an exported file."""
    from types import SimpleNamespace
    from .project import find_root
    from .yamlload import load_yaml_file
    local = find_root() / "local.yml"
    if not local.is_file():
        return None
    return SimpleNamespace(local=load_yaml_file(local, "local.yml"))


def cmd_levels(args) -> int:
    from .project import _score, book_language, load_project, reading_levels
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
    return build_book_pdf(Path(args.output), args.chromium, Path(args.site) if args.site else None)


STRICT = ["-W", "-n", "--keep-going"]


def cmd_build(args) -> int:
    """``jupyter-book build`` of this book, strict (warnings are errors, all reported in one run).

    Faster to start than the ``jupyter-book`` command: importing this package first keeps jsonschema,
    which Jupyter Book uses to check ``_config.yml``, from compiling grammars the build never uses.
    """
    from .project import find_root, load_project, validate_project
    root = find_root()
    from .i18n import compile_catalogs
    compile_catalogs()                  # the translations the pages are built in (.mo are never committed)
    # The same checks as `validate` first: a broken page is reported as path:line, not as a crash.
    problems = validate_project(load_project(root))
    if problems:
        _print_problems(problems)
        print(_("The book was not built: mend the problems above (spotthelure validate lists them)."), file=sys.stderr)
        return 1
    from jupyter_book.cli.main import main as jupyter_book
    jb_args = ["build", str(root), *STRICT, "--builder", args.builder]
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


def cmd_i18n(args) -> int:
    """The message catalog: extract the template, bring languages up to it, compile them."""
    from . import i18n
    if args.action == "extract":
        out = Path(args.output) if args.output else i18n.TEMPLATE
        cat = i18n.extract(output=out)
        print(ngettext("Wrote {file} ({n} message)", "Wrote {file} ({n} messages)", len(cat)).format(file=out, n=len(cat)))
    elif args.action == "update":
        langs = args.languages or sorted(p.parent.parent.name for p in i18n.LOCALES.glob(f"*/LC_MESSAGES/{i18n.DOMAIN}.po"))
        if not i18n.TEMPLATE.is_file():
            raise ContentError([Problem(str(i18n.TEMPLATE), 1, _("no catalog template yet: run 'spotthelure i18n extract' first"))])
        for po in i18n.update(langs):
            print(_("Wrote {file}").format(file=po))
    else:
        for mo in i18n.compile_catalogs():
            print(_("Wrote {file}").format(file=mo))
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


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="spotthelure", description=_("validate content, export activities, build PDFs, analyse evaluations"))
    sub = ap.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate", help=_("check content; prints path:line: problem"))
    v.add_argument("paths", nargs="*", help=_("files or folders (default: the whole book)"))
    v.add_argument("--stats", action="store_true", help=_("print the answer-cue figures of each quiz bank and file"))
    v.set_defaults(func=cmd_validate)
    e = sub.add_parser("export", help=_("export activities to gift, qti, html or print"))
    e.add_argument("format", choices=["gift", "qti", "html", "print"])
    e.add_argument("files", nargs="*")
    e.add_argument("-o", "--output", help=_("output file (default: standard output)"))
    e.add_argument("--answer-key", action="store_true", help=_("print: add the teacher's answer key"))
    e.add_argument("--all", action="store_true", help=_("print: every activity of the book"))
    e.add_argument("--pdf", action="store_true", help=_("print: also make a PDF with Chromium"))
    e.add_argument("--chromium", default="/usr/bin/chromium")
    e.set_defaults(func=cmd_export)
    s = sub.add_parser("schema", help=_("print the JSON Schema of a kind of content"))
    from .schemas import ALL
    s.add_argument("kind", choices=sorted(ALL))
    s.set_defaults(func=cmd_schema)
    lv = sub.add_parser("levels", help=_("reading level of student-facing text, by band"))
    lv.set_defaults(func=cmd_levels)
    p = sub.add_parser("pdf", help=_("the whole book as one A4 PDF: cover, contents, bookmarks, page numbers"))
    p.add_argument("-o", "--output", default="_build/pdf/spot-the-lure.pdf")
    p.add_argument("--site", help=_("print this built site (default: build the book into _build/html first)"))
    p.add_argument("--chromium", default="/usr/bin/chromium")
    p.set_defaults(func=cmd_pdf)
    b = sub.add_parser("build", help=_("build the book into _build/ (jupyter-book build, strict)"))
    b.add_argument("--builder", default="html", choices=["html", "singlehtml", "dirhtml"])
    b.set_defaults(func=cmd_build)
    tr = sub.add_parser("i18n", help=_("the message catalog: extract, update languages, compile"))
    tr.add_argument("action", choices=["extract", "update", "compile"])
    tr.add_argument("languages", nargs="*", help=_("update: the languages (default: those with a catalog)"))
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
