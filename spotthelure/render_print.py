"""Print versions: worksheets, answer keys, role-play cards, paper chat stories and forms.

Each is a standalone A4 HTML page (no script, no network), a template in ``templates/print/``, written into the site under ``print/``
and turned into PDF by Chromium (``make print``). Downloads (GIFT, QTI, offline HTML, CSV
templates) go under ``downloads/``.
"""
from __future__ import annotations

import csv
import functools
import io
from pathlib import Path

from . import ordering
from ._fs import replace_file
from .i18n import _, ngettext
from .model import as_model
from .render_html import audience_text, display_order, handout_parts
from .templating import markup, render
from .text import block, inline

PRINT_CSS = (Path(__file__).parent / "templates" / "print.css")


ONE_SHEET = ("slips", "sheet")

# Paper sizes a print page is laid out for (``--paper`` / ``PAPER=``): the CSS name of each.
PAPERS = {"a4": "A4", "letter": "letter"}


def print_css(paper: str = "a4") -> str:
    """The print styles (A4 in ``print.css``; another paper size overrides its ``@page`` size)."""
    css = PRINT_CSS.read_text(encoding="utf-8") + (Path(__file__).parent / "static" / "spotthelure.css").read_text(encoding="utf-8")
    if paper != "a4":
        css += "\n@page { size: %s; }\n" % PAPERS[paper]
    return css


def group_size_text(size) -> str:
    """"groups of 4" (equal ends print as one number) or "groups of 3–5"."""
    lo, hi = int(size.min), int(size.max)
    if lo == hi:
        return ngettext("groups of %(num)d", "groups of %(num)d", lo) % {"num": lo}
    return _("groups of %(min)d–%(max)d") % {"min": lo, "max": hi}


def _md(resolve=None) -> dict:
    return {"md": functools.partial(inline, resolve=resolve), "md_block": functools.partial(block, resolve=resolve)}


def _page(title: str, parts: list[str], lang: str = "en", pr=None, band: str | None = None, compact: bool = False,
          one_sheet: bool = False, paper: str = "a4") -> str:
    """The printed page: the parts (a page break between two), then the Get help box with the contacts that
    fit ``band`` (``compact``: the contacts in one small line, for a handout; ``one_sheet``: a handout cut
    to fit one A4 page, whose contacts and colophon share one small line at its foot)."""
    from .csp import add_meta
    from .helpbox import help_box_html, help_line_html
    css = print_css(paper)
    line = help_line_html(pr, band)
    foot = line.replace('stl-help-line"', 'stl-help-line ho-foot"', 1)
    from .i18n import current_language
    from .translate import direction
    lang = current_language() if current_language() != "en" else lang    # a translated build's printables
    page = render("print/page.html", title=title, lang=lang, dir=direction(lang), css=markup(css), parts=[markup(p) for p in parts],
                  one_sheet=one_sheet, compact=compact, help_line=markup(line),
                  help_line_open=markup(foot[:-len("</p>")]) if foot.endswith("</p>") else markup(foot),
                  help_box=markup(help_box_html(pr, band, heading_level=2)) if not (one_sheet or compact) else "")
    return add_meta(page, standalone=True)


def worksheet_body(q, answer_key: bool) -> str:
    """A quiz (its model or valid data) on paper: the worksheet, or the answer key."""
    q = as_model(q, "quiz")
    order = {}
    for it in q.items:
        if it.type == "ordering":
            rs = it.rules()
            order[it.id] = {
                "order": display_order(q.id, it.id, len(it.steps)),
                "summary": ordering.summary_text(it),
                "why": [ordering.rule_text(it, r) for r in rs]
                if answer_key and rs and len(it.valid_orders(limit=2)) > 1 else []}
    return render("print/worksheet.html", q=q, answer_key=answer_key, ordering=order, **_md())


def scenario_paper_body(s) -> str:
    """A chat story on paper: numbered sections with 'go to' choices, start first."""
    s = as_model(s, "scenario")
    nodes = sorted(s.nodes, key=lambda n: n.id != s.start)
    return render("print/scenario.html", s=s, nodes=nodes, num={n.id: i for i, n in enumerate(nodes, 1)},
                  characters={c.id: c for c in s.characters}, **_md())


def comic_body(s) -> str:
    """A chat story as a comic strip to print: the path to help, one SVG a page (:mod:`spotthelure.comic`)."""
    from .comic import comic_svgs
    s = as_model(s, "scenario")
    return render("print/comic.html", s=s, svgs=[markup(svg) for svg in comic_svgs(s)], **_md())


def cards_body(r) -> str:
    """A role-play on paper: the facilitator's sheet, then the character cards and props to cut apart
    on pages of their own (the facilitator-only text stays off the cut-out sheets)."""
    r = as_model(r, "roleplay")
    return render("print/cards.html", r=r, audience=audience_text(r.audience), groups=group_size_text(r.group_size),
                  **_md())


def form_body(qn) -> str:
    """A questionnaire on paper: before or after, group and code fields for the CSV, no internal ids."""
    qn = as_model(qn, "questionnaire")
    return render("print/form.html", qn=qn, audience=audience_text(qn.audience), **_md())


def handout_body(h) -> str:
    """A handout as learners get it: cards in a cutting grid, a sheet with space to write, or slips to cut apart.
    How to use it is said on the lesson page, not on the paper."""
    h = as_model(h, "handout")
    return render("print/handout.html", h=h, audience=audience_text(h.audience), parts=markup(handout_parts(h)),
                  **_md())


def questionnaire_csv(qn) -> str:
    """The CSV template the evaluation analysis reads: one row per participant and phase."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    cols = ["questionnaire", "code", "phase", "group"] + [it.id for it in as_model(qn, "questionnaire").items]
    w.writerow(cols)
    return buf.getvalue()


def print_page(acts: list[tuple[str, object]], answer_key: bool = False, pr=None, paper: str = "a4") -> str:
    """One A4 page of one or more activities (each a kind and its model or valid data)."""
    acts = [(kind, as_model(data, "scenario" if kind == "comic" else kind)) for kind, data in acts]
    parts = []
    for kind, data in acts:
        if kind == "quiz":
            parts.append(worksheet_body(data, answer_key))
        elif kind == "scenario":
            parts.append(scenario_paper_body(data))
        elif kind == "comic":
            parts.append(comic_body(data))
        elif kind == "roleplay":
            parts.append(cards_body(data))
        elif kind == "handout":
            parts.append(handout_body(data))
        else:
            parts.append(form_body(data))
    title = acts[0][1].title if len(acts) == 1 else _("Spot the Lure printables")
    from .render_html import band_of
    bands = [b for b in (band_of(d) for _kind, d in acts) if b]
    band = min(bands, key=["9-11", "12-14", "15-18"].index) if bands else None
    handouts = [d for kind, d in acts if kind == "handout"]
    one_sheet = len(acts) == 1 and any(d.layout in ONE_SHEET for d in handouts)
    return _page(title, parts, acts[0][1].get("language", "en"), pr, band,
                 compact=bool(handouts), one_sheet=one_sheet, paper=paper)


def help_text_for(pr, data) -> str | None:
    """The Get help contacts that fit the activity's band, as plain text for GIFT and QTI (shown to learners:
    a description at the end of the GIFT quiz, the QTI test's rubric), or None without local contacts."""
    from .helpbox import help_contacts_text
    from .render_html import band_of
    if pr is None or getattr(pr, "local", None) is None:
        return None
    return help_contacts_text(pr, band_of(data))


def site_files(pr, paper: str = "a4") -> dict[str, str | bytes]:
    """Every printable and download of the book, by path under the site root (the printables laid out
    for ``paper``)."""
    from .export_gift import quiz_to_gift
    from .export_h5p import to_h5p
    from .export_moodle import quizzes_to_moodle
    from .export_qti import quizzes_to_qti
    from .export_scorm import activities_package, lesson_ids, lesson_package
    from .model.kinds import lesson_outputs
    from .render_html import standalone_page
    writers = {   # one per output format of model.KINDS; the paths come from there
        "worksheet": lambda a, d: print_page([("quiz", d)], pr=pr, paper=paper),
        "answers": lambda a, d: print_page([("quiz", d)], answer_key=True, pr=pr, paper=paper),
        "gift": lambda a, d: quiz_to_gift(a.model, help_text=help_text_for(pr, d)),
        "qti": lambda a, d: quizzes_to_qti([a.model], names=[a.rel], help_text=help_text_for(pr, d)),
        "h5p": lambda a, d: to_h5p(a.kind, a.model, help_text=help_text_for(pr, d)),
        "moodle": lambda a, d: quizzes_to_moodle([a.model], names=[a.rel], help_texts=[help_text_for(pr, d)]),
        "offline": lambda a, d: standalone_page(a.kind, d, pr),
        "scorm": lambda a, d: activities_package([(a.kind, a.model)], pr, names=[a.rel]),
        "paper": lambda a, d: print_page([("scenario", d)], pr=pr, paper=paper),
        "comic": lambda a, d: print_page([("comic", d)], pr=pr, paper=paper),
        "cards": lambda a, d: print_page([("roleplay", d)], pr=pr, paper=paper),
        "handout": lambda a, d: print_page([("handout", d)], pr=pr, paper=paper),
        "form": lambda a, d: print_page([("questionnaire", d)], pr=pr, paper=paper),
        "csv": lambda a, d: questionnaire_csv(d),
    }
    out: dict[str, str | bytes] = {}
    for a in sorted(pr.activities.values(), key=lambda a: a.id):
        if a.model is None:          # a file with problems has no model, and no printables
            continue
        for o in a.model.outputs():
            out[o.path] = writers[o.format](a, a.data)
    lesson_writers = {"scorm": lambda lid: lesson_package(pr, lid)}
    for lid in lesson_ids(pr):
        for o in lesson_outputs(lid):
            out[o.path] = lesson_writers[o.format](lid)
    return out


def write_site_files(pr, outdir: Path) -> list[Path]:
    written = []
    for rel, data in site_files(pr).items():
        p = outdir / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        b = data.encode("utf-8") if isinstance(data, str) else data
        if not p.exists() or p.read_bytes() != b:
            replace_file(p, b)
        written.append(p)
    return written
