"""Lesson packs: everything a teacher prints for one lesson, in one file.

A pack starts with a condensed run sheet (the lesson's steps as a timeline with what to do and what
to say, the safeguarding box and the Get help box), then every printable the lesson uses, each on a
page of its own: its handouts, the paper version of its chat stories, its role-play cards, its quiz
worksheet and answer key, and the letter home (the band's letter to parents and carers, with what
this lesson asks of families; the band's last lesson adds the take-home sheet).

The lesson is data (``lesson:`` front matter, :class:`spotthelure.model.content.Lesson`); what it
uses is found from that data, never from its prose: the handouts that name the lesson, the
``activity`` of each step, and the assessment quiz. The printables are the ones ``make print``
writes on their own (:mod:`spotthelure.render_print`), so a pack never words anything twice.

Letters are MyST pages. Only what they use is read: headings, paragraphs and lists (through the one
escaping renderer, :mod:`spotthelure.text`), ``{cite}`` (numbered, with the sources listed below
the letter) and ``{local-contacts}`` (the Get help box). Any other role shows as its text; any other
directive's content as paragraphs. Nothing of a page becomes raw HTML.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .i18n import _, current_language, label
from .problems import ContentError, Problem
from .templating import markup, render
from .text import block, inline

PACK_DIR = "lessons"          # under the print folder: lessons/<lesson-id>.pdf


@dataclass(frozen=True)
class Part:
    """One printable of a pack: what it is (for the contents list) and its HTML."""
    kind: str       # handout, paper, cards, worksheet, answers, letter, take-home
    title: str      # plain text
    html: str
    learners: bool  # handed to learners or families: carries the Get help line


# --------------------------------------------------------------------------- what a lesson uses

def lesson_model(page):
    """The lesson model of a lesson page (its front matter is valid), or None."""
    m = getattr(page, "model", None)
    return m if m is not None and m.get("id") else None


def lesson_activities(pr, lesson) -> list[tuple[str, object]]:
    """(output, activity) for every printable the lesson uses, in the order the pack prints them:
    handouts, then the step activities in lesson order, then the quiz worksheet and answer key."""
    from .pages import handouts_of
    out: list[tuple[str, object]] = []
    seen: set[tuple[str, str]] = set()

    def add(fmt, a):
        if a is not None and a.model is not None and (fmt, a.id) not in seen:
            seen.add((fmt, a.id))
            out.append((fmt, a))

    for h in handouts_of(pr, lesson.id):
        add("handout", h)
    quiz_id = lesson.assessment.quiz
    for step in lesson.steps:
        a = pr.activities.get(step.activity) if step.activity else None
        if a is None or a.id == quiz_id:
            continue
        add({"scenario": "paper", "roleplay": "cards", "handout": "handout", "quiz": "worksheet"}.get(a.kind), a)
        if a.kind == "quiz":
            add("answers", a)
    q = pr.activities.get(quiz_id)
    add("worksheet", q)
    add("answers", q)
    return [(fmt, a) for fmt, a in out if fmt is not None]


def home_pages(pr, page) -> list:
    """The pages sent home with this lesson: the band's letter to parents and carers, and for the last
    lesson of the band the take-home sheet (both beside the lesson page)."""
    folder = PurePosixPath(page.rel).parent
    out = []
    letter = pr.pages.get(str(folder / "letter-to-parents.md"))
    if letter is not None:
        out.append(("letter", letter))
    band = [p.rel for p in pr.lessons.values() if PurePosixPath(p.rel).parent == folder]
    take = pr.pages.get(str(folder / "take-home.md"))
    if take is not None and band and page.rel == max(band, key=_lesson_order):
        out.append(("take-home", take))
    return out


def _lesson_order(rel: str):
    m = re.match(r"(\d+)-", PurePosixPath(rel).name)
    return (int(m.group(1)) if m else 0, rel)


# --------------------------------------------------------------------------- letters (MyST pages)

_HEADING = re.compile(r"(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"(`{3,}|:{3,})\s*\{([a-z][\w-]*)\}(.*)$")
_ROLE = re.compile(r"\{([a-z][\w:-]*)\}`([^`]*)`")


def _typo(s: str) -> str:
    from .pages import typo
    return typo(s)


def _md_typo(s):
    """A lesson's text as the lesson page shows it: curly quotes and dashes, then the escaping renderer."""
    return inline(_typo(s))


def _block_typo(s):
    return block(_typo(s))


def letter_html(pr, page, band: str | None, heading_offset: int = 0, after: str = "") -> tuple[str, str]:
    """A letter (a MyST page) as print HTML, and its title as plain text; ``after`` (HTML) follows the
    letter's text, before its sources and the Get help box the letter does not place itself."""
    from .charts import source_text
    from .helpbox import help_box_html
    cites: list[str] = []

    def roles(text: str) -> str:
        def one(m):
            if m.group(1) in ("cite", "cite:p", "cite:t"):
                nums = []
                for key in (k.strip() for k in m.group(2).split(",")):
                    if key in pr.bib_keys:
                        if key not in cites:
                            cites.append(key)
                        nums.append(str(cites.index(key) + 1))
                return "[" + ", ".join(nums) + "]" if nums else ""
            return m.group(2)
        return _ROLE.sub(one, text)

    parts: list[str] = []
    title = ""
    para: list[str] = []
    helped = False

    def flush():
        if para:
            txt = "\n".join(para).strip()
            if txt:
                parts.append(str(block(_typo(roles(txt)))))
            para.clear()

    lines = page.body.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        fence = _FENCE.match(line.strip())
        if fence:
            flush()
            mark, name = fence.group(1), fence.group(2)
            body = []
            i += 1
            while i < len(lines) and not lines[i].strip().startswith(mark):
                body.append(lines[i])
                i += 1
            if name == "local-contacts":
                parts.append(help_box_html(pr, band, heading_level=2))
                helped = True
            else:
                inner = "\n".join(x for x in body if not x.lstrip().startswith(":"))
                if inner.strip():
                    parts.append(str(block(_typo(roles(inner)))))
            i += 1
            continue
        h = _HEADING.match(line)
        if h:
            flush()
            level = min(len(h.group(1)) + heading_offset, 6)
            words = inline(_typo(roles(h.group(2))))
            if not title:
                title = " ".join(h.group(2).split())
            parts.append(f"<h{level}>{words}</h{level}>")
        elif line.strip().startswith("%") or re.fullmatch(r"\s*\([\w-]+\)=\s*", line):
            pass                                     # a MyST comment or a target label
        elif not line.strip():
            flush()
        else:
            para.append(line)
        i += 1
    flush()
    if after:
        parts.append(after)
    if cites:
        items = "".join(f"<li>{inline(t)}</li>" for t in source_text(cites, pr.root / "references.bib"))
        parts.append(f'<div class="letter-sources"><p><strong>{inline(_("Sources"))}</strong></p><ol>{items}</ol></div>')
    if not helped:
        parts.append(help_box_html(pr, band, heading_level=2))
    return "\n".join(parts), _typo(_ROLE.sub(lambda m: m.group(2), title))


# --------------------------------------------------------------------------- the run sheet

def run_sheet_html(pr, lesson, parts: list[Part]) -> str:
    """The condensed run sheet: a timeline of the steps (what to do, what to say), the safeguarding
    box, what to prepare, the pack's contents and the Get help box."""
    from .helpbox import help_box_html
    rows, t = [], 0
    for s in lesson.steps:
        m = int(s.minutes)
        act = pr.activities.get(s.activity) if s.activity else None
        rows.append({"start": t, "end": t + m, "minutes": m, "minutes_45": s.minutes_45, "step": s,
                     "phase": label("phase", s.phase),
                     "activity": act.model if act is not None and act.model is not None else None})
        t += m
    short = any(s.minutes_45 is not None for s in lesson.steps)
    return render("print/run-sheet.html", L=lesson, rows=rows, short=short, band=label("band", lesson.age_band),
                  contents=parts, help_box=markup(help_box_html(pr, lesson.age_band, heading_level=2)),
                  md=_md_typo, md_block=_block_typo)


# --------------------------------------------------------------------------- the pack

def pack_parts(pr, page) -> list[Part]:
    """Every printable of the lesson's pack after the run sheet, each as print HTML."""
    from .render_print import cards_body, handout_body, scenario_paper_body, worksheet_body
    lesson = lesson_model(page)
    out: list[Part] = []
    for fmt, a in lesson_activities(pr, lesson):
        m = a.model
        if fmt == "handout":
            out.append(Part(fmt, m.title, handout_body(m), True))
        elif fmt == "paper":
            out.append(Part(fmt, _("%(title)s: a chat story on paper") % {"title": m.title}, scenario_paper_body(m), True))
        elif fmt == "cards":
            out.append(Part(fmt, _("%(title)s: role-play cards") % {"title": m.title}, cards_body(m), False))
        elif fmt == "worksheet":
            out.append(Part(fmt, _("%(title)s: worksheet") % {"title": m.title}, worksheet_body(m, False), True))
        elif fmt == "answers":
            out.append(Part(fmt, _("%(title)s: answer key") % {"title": m.title}, worksheet_body(m, True), False))
    for kind, home in home_pages(pr, page):
        note = (render("print/home-note.html", L=lesson, md=_md_typo, md_block=_block_typo)
                if kind == "letter" and lesson.home_link else "")
        body, title = letter_html(pr, home, lesson.age_band, after=note)
        out.append(Part(kind, title, body, False))
    return out


def pack_page(pr, page, paper: str = "a4") -> str:
    """The lesson pack as one standalone print page (no script, no network)."""
    from .csp import add_meta
    from .helpbox import help_line_html
    from .render_print import print_css
    lesson = lesson_model(page)
    if lesson is None:
        raise ContentError([Problem(page.rel, 1, _("this lesson's front matter has problems: run 'spotthelure validate'"))])
    parts = pack_parts(pr, page)
    line = help_line_html(pr, lesson.age_band)
    html = render("print/pack.html", title=lesson.title, lang=current_language(), css=markup(print_css(paper)),
                  run_sheet=markup(run_sheet_html(pr, lesson, parts)),
                  parts=[{"html": markup(p.html), "kind": p.kind, "help_line": markup(line) if p.learners else ""}
                         for p in parts])
    return add_meta(html, standalone=True)


def footer_html(lesson_title: str) -> str:
    """The footer Chromium prints on every page of a pack: the lesson and "page N of M"."""
    import html as _html
    from .text import plain
    words = _("%(title)s · page %(page)s of %(pages)s") % {
        "title": _html.escape(_typo(plain(lesson_title))), "page": '<span class="pageNumber"></span>',
        "pages": '<span class="totalPages"></span>'}
    return ('<div style="font-family: \'DejaVu Sans\', sans-serif; font-size: 8pt; color: #333; width: 100%; '
            f'text-align: center; margin: 0 15mm;">{words}</div>')


def find_lesson(pr, path: str):
    """The lesson page at ``path`` (a file of the book), or a problem naming it."""
    p = Path(path)
    if not p.is_file():
        raise ContentError([Problem(path, 1, _("no such file"))])
    rel = pr.rel(p)
    for page in pr.lessons.values():
        if page.rel == rel:
            if lesson_model(page) is None:
                raise ContentError([Problem(path, 1, _("this lesson's front matter has problems: run 'spotthelure validate'"))])
            return page
    raise ContentError([Problem(path, 1, _("not a lesson page of this book (a page under book/teachers/ with 'lesson:' "
                                           "front matter)"))])


def lesson_pages(pr) -> list:
    """Every lesson page whose front matter is valid, by path."""
    return sorted((p for p in pr.lessons.values() if lesson_model(p) is not None), key=lambda p: p.rel)


def write_packs(pr, outdir: Path, paper: str = "a4") -> list[tuple[Path, str]]:
    """Every lesson's pack as ``outdir/lessons/<lesson-id>.html``; (path, lesson title) of each."""
    from ._fs import replace_file
    out = []
    for page in lesson_pages(pr):
        lesson = lesson_model(page)
        dest = outdir / PACK_DIR / f"{lesson.id}.html"
        replace_file(dest, pack_page(pr, page, paper))
        out.append((dest, lesson.title))
    return out
