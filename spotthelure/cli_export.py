"""``spotthelure export FORMAT``: one or more activities as GIFT, Moodle XML, QTI, H5P, SCORM,
offline HTML or print; every printable of the book (``--all``); a lesson's pack. Files are written
beside and moved into place, never half-written, and each command says every file it wrote."""
from __future__ import annotations

import sys
from pathlib import Path

from ._fs import atomic_write, check_output
from .i18n import _
from .problems import ContentError, Problem


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
    lang = (getattr(args, "lang", "") or "en").replace("_", "-")
    if lang == "en":
        return _export(args, lang)
    from . import i18n
    with i18n.language(lang):          # the words of the tools, and of the content (below), in ``lang``
        return _export(args, lang)


def _translated(acts: list, lang: str) -> list:
    """The activities with their words from ``lang``'s catalog in the book they belong to (English
    where a text is not translated); refused when the book has no catalogs for ``lang``."""
    from dataclasses import replace
    from . import translate
    from .model import activity_from_data
    from .project import find_root
    root = find_root()
    if lang not in translate.book_languages(root):
        raise ContentError([Problem("(command line)", 1, _("no translations of the book into '{lang}' (locales/{code}/)").format(
            lang=lang, code=translate.code(lang)))])
    cat = translate.read_catalog(root, lang)
    if cat.problems:
        raise ContentError(cat.problems)
    out = []
    for a in acts:
        data = translate.translate(a.kind, a.id, a.data, cat)
        out.append(replace(a, data=data, model=activity_from_data(a.kind, data, a.rel)))
    return out


def _export(args, lang: str) -> int:
    fmt = args.format
    if fmt == "print" and args.all:
        default = "_build/print" if lang == "en" else f"_build/print/{lang}"
        return _export_all_print(Path(args.output or default), args.pdf, args.chromium, args.paper, lang)
    if fmt == "pack":
        return _export_pack(args)
    if fmt == "scorm":
        return _export_scorm(args)
    if not args.files:
        raise ContentError([Problem("(command line)", 1, _("name at least one activity file"))])
    acts = [_load_one(f, "quiz" if fmt in ("gift", "qti", "moodle") else None) for f in args.files]
    if lang != "en":
        acts = _translated(acts, lang)
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
    elif fmt == "moodle":
        from .export_moodle import quizzes_to_moodle
        from .render_print import help_text_for
        pr = _contacts()
        out = quizzes_to_moodle([a.data for a in acts], names=[a.rel for a in acts],
                                help_texts=[help_text_for(pr, a.data) for a in acts])
    elif fmt == "h5p":
        from .export_h5p import to_h5p
        from .render_print import help_text_for
        if len(acts) != 1:
            raise ContentError([Problem(args.files[1], 1, _("h5p export takes one activity file"))])
        if acts[0].kind not in ("quiz", "scenario"):
            raise ContentError([Problem(acts[0].rel, acts[0].data.line_of("kind"), _(
                "this is a {kind}; h5p export takes a quiz or a chat story").format(kind=acts[0].kind))])
        out = to_h5p(acts[0].kind, acts[0].data, help_text=help_text_for(_contacts(), acts[0].data))
    elif fmt == "html":
        from .render_html import standalone_page
        if len(acts) != 1:
            raise ContentError([Problem(args.files[1], 1, _("html export takes one activity file"))])
        out = standalone_page(acts[0].kind, acts[0].data, _contacts())
    elif fmt == "print":
        from .render_print import print_page
        out = print_page([(a.kind, a.data) for a in acts], answer_key=args.answer_key, pr=_contacts(), paper=args.paper)
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
    elif isinstance(out, bytes):       # a package (qti, h5p) piped on
        sys.stdout.buffer.write(out)
    else:
        sys.stdout.write(out)
    return 0


def _export_all_print(outdir: Path, pdf: bool, chromium: str, paper: str = "a4", lang: str = "en") -> int:
    """Every printable of the book (in ``lang``) as ``outdir/<name>.html`` and every lesson's pack as
    ``outdir/lessons/<lesson-id>.html`` (with ``pdf``, a PDF beside each), each file named as written."""
    from ._fs import replace_file
    from .lesson_pack import footer_html, write_packs
    from .project import load_project
    from .render_print import site_files
    check_output(outdir, folder=True)
    pr = load_project(None, lang if lang != "en" else None)
    if pr.problems:
        raise ContentError(pr.problems)
    written = []
    for rel, data in site_files(pr, paper).items():
        if not rel.startswith("print/"):
            continue                      # downloads (GIFT, QTI, offline files) are in the built book
        dest = outdir / rel.removeprefix("print/")
        b = data.encode("utf-8") if isinstance(data, str) else data
        if not dest.exists() or dest.read_bytes() != b:
            replace_file(dest, b)
        written.append(dest)
        print(_("Wrote {file}").format(file=dest))
    from .factsheet import write_site_sheets
    for dest in write_site_sheets(pr.root, outdir, pr):   # the country fact sheets, in outdir/factsheets/
        written.append(dest)
        print(_("Wrote {file}").format(file=dest))
    packs = write_packs(pr, outdir, paper)
    for dest, _title in packs:
        print(_("Wrote {file}").format(file=dest))
    if pdf:
        from .pdf import html_to_pdf, html_to_pdf_paged
        for f in written:
            if f.suffix == ".html":
                html_to_pdf(f, f.with_suffix(".pdf"), chromium)
                print(_("Wrote {file}").format(file=f.with_suffix(".pdf")))
        for dest in html_to_pdf_paged([(f, f.with_suffix(".pdf"), footer_html(t)) for f, t in packs], chromium, paper):
            print(_("Wrote {file}").format(file=dest))
    return 0


def _export_scorm(args) -> int:
    """``spotthelure export scorm FILE... -o X.zip``: one lesson page, or one or more quiz and story files."""
    from ._fs import atomic_write
    from .export_scorm import STUDENT_KINDS, activities_package, check_mastery, lesson_from_path
    if not args.files:
        raise ContentError([Problem("(command line)", 1, _("name a quiz, a chat story or a lesson page"))])
    if not args.output:
        raise ContentError([Problem("(command line)", 1, _("a SCORM package is a zip file: name it with -o FILE.zip"))])
    mastery = check_mastery(args.mastery)
    lessons = [f for f in args.files if f.endswith(".md")]
    if lessons:
        if len(args.files) != 1:
            raise ContentError([Problem(args.files[1] if args.files[0] in lessons else lessons[0], 1, _(
                "name one lesson page on its own (its quizzes and chat stories are in its package)"))])
        out = lesson_from_path(args.files[0], mastery)
    else:
        acts = [_load_one(f) for f in args.files]
        for a in acts:
            if a.kind not in STUDENT_KINDS:
                raise ContentError([Problem(a.rel, a.data.line_of("kind") or 1, _(
                    "this is a {kind}; a SCORM package takes quizzes, chat stories and lesson pages").format(kind=a.kind))])
        out = activities_package([(a.kind, a.data) for a in acts], _contacts(), mastery, names=[a.rel for a in acts])
    check_output(Path(args.output), args.files)
    atomic_write(Path(args.output), out, inputs=args.files)
    print(_("Wrote {file}").format(file=args.output))
    return 0


def _export_pack(args) -> int:
    """``spotthelure export pack LESSON_PAGE``: the lesson's pack (HTML; with ``--pdf`` a PDF beside it)."""
    from .lesson_pack import find_lesson, footer_html, lesson_model, pack_page
    from .project import load_project
    if len(args.files) != 1:
        raise ContentError([Problem(args.files[1] if args.files else "(command line)", 1,
                                    _("pack takes one lesson page (book/teachers/ages-.../N-....md)"))])
    if args.pdf and not args.output:
        raise ContentError([Problem("(command line)", 1, _("--pdf makes a PDF beside the HTML: add -o FILE.html"))])
    pr = load_project()
    if pr.problems:
        raise ContentError(pr.problems)
    page = find_lesson(pr, args.files[0])
    out = pack_page(pr, page, args.paper)
    if not args.output:
        sys.stdout.write(out)
        return 0
    dest = Path(args.output)
    pdf = dest.with_suffix(".pdf") if args.pdf else None
    if pdf is not None:
        check_output(pdf, args.files)
    atomic_write(dest, out, inputs=args.files)
    print(_("Wrote {file}").format(file=dest))
    if pdf is not None:
        from .pdf import html_to_pdf_paged
        html_to_pdf_paged([(dest, pdf, footer_html(lesson_model(page).title))], args.chromium, args.paper)
        print(_("Wrote {file}").format(file=pdf))
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

