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
import tempfile
from pathlib import Path

from .problems import ContentError, Problem


def _print_problems(problems: list[Problem]) -> None:
    for p in problems:
        print(p, file=sys.stderr)
    n = len(problems)
    print(f"{n} problem{'s' if n != 1 else ''} found.", file=sys.stderr)


# The book's content: no command writes into these (folders) or over these (files).
CONTENT_DIRS = ("activities", "book", "data", "notebooks")
CONTENT_FILES = ("local.yml", "references.bib", "_toc.yml", "_config.yml")


def _book_root_of(p: Path) -> Path | None:
    for d in [p, *p.parents]:
        if (d / "_config.yml").is_file() and (d / "activities").is_dir():
            return d
    return None


def check_output(path: str | Path, inputs=(), folder: bool = False) -> None:
    """Raise ContentError when writing ``path`` (a file, or a folder with ``folder``) could lose
    something: it is one of ``inputs`` (the files the command reads), part of the book's content,
    a folder (or, with ``folder``, a file), a device or pipe, or its parent is a file."""
    shown = str(path)
    p = Path(path)
    where = p.parent.resolve() / p.name           # a link named as the output is replaced, not followed

    def no(msg):
        raise ContentError([Problem(shown, 1, msg)])

    for parent in where.parents:
        if parent.exists() and not parent.is_dir():
            no(f"cannot write here: {parent} is a file, not a folder")
    if p.exists() or p.is_symlink():
        if folder:
            if not p.is_dir():
                no("is a file; name a folder for the output")
        elif p.is_dir():
            no("is a folder; name the file to write (for example report.html)")
        elif p.exists() and not p.is_file():
            no("is not a regular file (a device, pipe or socket); name a file")
        for i in inputs:
            try:
                same = p.exists() and Path(i).exists() and os.path.samefile(p, i)
            except OSError:
                same = False
            if same:
                no(f"is an input of this command ({i}); writing there would destroy it: name another file")
    root = _book_root_of(where.parent if not folder else where)
    if root is not None:
        rel = where.relative_to(root).parts if where.is_relative_to(root) else ()
        # Synthetic example answers under data/ are generated (synthetic.write_synthetic_pair): they may be made again.
        generated = rel[:1] == ("data",) and "synthetic" in rel[-1].lower() and not folder
        if rel and not generated and (rel[0] in CONTENT_DIRS or (len(rel) == 1 and rel[0] in CONTENT_FILES)):
            no(f"is part of the book's content ({'/'.join(rel[:1])}); write outputs elsewhere, for example under _build/")


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write(path: Path, data: str | bytes, inputs=()) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder.

    Refuses (ContentError, ``path:1: why``) what :func:`check_output` refuses. The file gets the
    permissions of a newly made file (0666 less the umask), not the temporary file's 0600.
    """
    path = Path(path)
    check_output(path, inputs)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise ContentError([Problem(str(path), 1, f"cannot write: {exc.strerror}")]) from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ContentError([Problem(str(path), 1, f"cannot write: {exc.strerror}")]) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
                extra.append(Problem(raw, 1, "a link to a file that does not exist" if p.is_symlink() else "no such file"))
                continue
            if not p.is_dir() and not p.is_file():
                extra.append(Problem(raw, 1, "is not a regular file (a device, pipe or socket); name a file"))
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
                extra.append(Problem(raw, 1, f"this folder is outside the book ({pr.root}); name activity files, "
                                             "or run the command inside the book"))
            else:
                # A file outside this book: check it on its own (no cross-file checks).
                extra += load_activity_file(p, raw)[1]
                outside.append(raw)
        problems = [q for q in problems if q.path in wanted] + extra
    elif not _book_root_of(pr.root):
        problems = [Problem(str(pr.root), 1, "no book here: run the command in the book's folder "
                                             "(the one with _config.yml and activities/), or name activity files")]
    from .quizbank import bank_figures, project_quizzes, project_warnings
    wanted_quizzes = None if not args.paths else wanted
    if args.stats:
        for _, _, f in bank_figures([x for x in project_quizzes(pr) if wanted_quizzes is None or x[0] in wanted_quizzes]):
            print(f.table())
    for w in project_warnings(pr, wanted_quizzes):
        print(w, file=sys.stderr)
    if problems:
        _print_problems(problems)
        return 1
    if outside:
        print(f"OK: {', '.join(outside)} checked on {'its' if len(outside) == 1 else 'their'} own "
              f"(outside the book, so without the checks across files).")
        if len(outside) == len(args.paths):
            return 0
    print(f"OK: {len(pr.activities)} activities, {len(pr.lessons)} lessons, {len(pr.workshops)} workshops, "
          f"{len(pr.pages)} pages checked.")
    return 0


def _load_one(path: str, kind: str | None = None):
    from .project import load_activity_file
    p = Path(path)
    act, problems = load_activity_file(p, path)
    if problems:
        raise ContentError(problems)
    if kind and act.kind != kind:
        raise ContentError([Problem(path, act.data.line_of("kind"), f"this is a {act.kind}; this export takes a {kind}")])
    return act


def cmd_export(args) -> int:
    fmt = args.format
    if fmt == "print" and args.all:
        return _export_all_print(Path(args.output or "_build/print"), args.pdf, args.chromium)
    if not args.files:
        raise ContentError([Problem("(command line)", 1, "name at least one activity file")])
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
            raise ContentError([Problem(args.files[1], 1, "html export takes one activity file")])
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
        print(f"Wrote {args.output}")
        if pdf is not None:
            from .pdf import html_to_pdf
            html_to_pdf(Path(args.output), pdf, args.chromium)
            print(f"Wrote {pdf}")
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
    written = write_site_files(pr, outdir)
    for f in written:
        print(f"Wrote {f}")
    if pdf:
        from .pdf import html_to_pdf
        for f in written:
            if f.suffix == ".html" and f.parent.name == "print":
                html_to_pdf(f, f.with_suffix(".pdf"), chromium)
                print(f"Wrote {f.with_suffix('.pdf')}")
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
    from .project import load_project, reading_levels
    from .readability import LIMITS
    for band, rows in reading_levels(load_project()).items():
        if rows:
            worst = max(g for _, g in rows)
            print(f"ages {band}: {len(rows)} files, highest grade {worst} (limit {LIMITS[band]})")
            for rel, g in sorted(rows):
                print(f"  {g:5.1f}  {rel}")
    return 0


def cmd_pdf(args) -> int:
    from .pdf import build_book_pdf
    return build_book_pdf(Path(args.output), args.chromium)


STRICT = ["-W", "-n", "--keep-going"]


def cmd_build(args) -> int:
    """``jupyter-book build`` of this book, strict (warnings are errors, all reported in one run).

    Faster to start than the ``jupyter-book`` command: importing this package first keeps jsonschema,
    which Jupyter Book uses to check ``_config.yml``, from compiling grammars the build never uses.
    """
    from .project import find_root, load_project, validate_project
    root = find_root()
    # The same checks as `validate` first: a broken page is reported as path:line, not as a crash.
    problems = validate_project(load_project(root))
    if problems:
        _print_problems(problems)
        print("The book was not built: mend the problems above (spotthelure validate lists them).", file=sys.stderr)
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


def cmd_factsheet(args) -> int:
    from .factsheet import main as factsheet_main
    return factsheet_main(args)


def cmd_evaluate(args) -> int:
    from .evaluate import main as evaluate_main
    return evaluate_main(args)


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="spotthelure", description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate", help="check content; prints path:line: problem")
    v.add_argument("paths", nargs="*", help="files or folders (default: the whole book)")
    v.add_argument("--stats", action="store_true", help="print the answer-cue figures of each quiz bank and file")
    v.set_defaults(func=cmd_validate)
    e = sub.add_parser("export", help="export activities to gift, qti, html or print")
    e.add_argument("format", choices=["gift", "qti", "html", "print"])
    e.add_argument("files", nargs="*")
    e.add_argument("-o", "--output", help="output file (default: standard output)")
    e.add_argument("--answer-key", action="store_true", help="print: add the teacher's answer key")
    e.add_argument("--all", action="store_true", help="print: every activity of the book")
    e.add_argument("--pdf", action="store_true", help="print: also make a PDF with Chromium")
    e.add_argument("--chromium", default="/usr/bin/chromium")
    e.set_defaults(func=cmd_export)
    s = sub.add_parser("schema", help="print the JSON Schema of a kind of content")
    from .schemas import ALL
    s.add_argument("kind", choices=sorted(ALL))
    s.set_defaults(func=cmd_schema)
    lv = sub.add_parser("levels", help="reading level of student-facing text, by band")
    lv.set_defaults(func=cmd_levels)
    p = sub.add_parser("pdf", help="the whole book as one PDF (singlehtml + Chromium)")
    p.add_argument("-o", "--output", default="_build/pdf/spot-the-lure.pdf")
    p.add_argument("--chromium", default="/usr/bin/chromium")
    p.set_defaults(func=cmd_pdf)
    b = sub.add_parser("build", help="build the book into _build/ (jupyter-book build, strict)")
    b.add_argument("--builder", default="html", choices=["html", "singlehtml", "dirhtml"])
    b.set_defaults(func=cmd_build)
    fs = sub.add_parser("factsheet", help="a country's two-page fact sheet (HTML; --pdf with Chromium)")
    fs.add_argument("country", help="ISO 3166-1 alpha-2 code of a file in data/countries/ (Kosovo: XK)")
    fs.add_argument("-o", "--output", required=True, help="the HTML file to write")
    fs.add_argument("--pdf", action="store_true", help="also print it to a PDF beside the HTML")
    fs.add_argument("--chromium", default="/usr/bin/chromium")
    fs.set_defaults(func=cmd_factsheet)
    ev = sub.add_parser("evaluate", help="analyse pre/post questionnaire responses (CSV)")
    ev.add_argument("responses", nargs="+", help="CSV files of responses")
    ev.add_argument("--questionnaire", help="questionnaire id or file (default: from the CSV's 'questionnaire' column)")
    ev.add_argument("--report", help="write an HTML report here (and a PDF beside it with --pdf)")
    ev.add_argument("--pdf", action="store_true")
    ev.add_argument("--chromium", default="/usr/bin/chromium")
    ev.add_argument("--min-cell", type=int, default=5, help="smallest group shown (default 5)")
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
