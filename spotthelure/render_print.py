"""Print versions: worksheets, answer keys, role-play cards, paper chat stories and forms.

Each is a standalone A4 HTML page (no script, no network), written into the site under ``print/``
and turned into PDF by Chromium (``make print``). Downloads (GIFT, QTI, offline HTML, CSV
templates) go under ``downloads/``.
"""
from __future__ import annotations

import csv
import html
import io
from pathlib import Path

from . import ordering
from ._fs import replace_file
from .render_html import BAND_LABEL, display_order, handout_parts, questionnaire_html, roleplay_html
from .text import block, inline

ESC = lambda s: html.escape(str(s), quote=True)  # noqa: E731
PRINT_CSS = (Path(__file__).parent / "templates" / "print.css")


ONE_SHEET = ("slips", "sheet")


def _page(title: str, body: str, lang: str = "en", pr=None, band: str | None = None, compact: bool = False,
          one_sheet: bool = False) -> str:
    """The printed page: the body, then the Get help box with the contacts that fit ``band`` (``compact``:
    the contacts in one small line, for a handout; ``one_sheet``: a handout cut to fit one A4 page, whose
    contacts and colophon share one small line at its foot)."""
    from .helpbox import help_box_html, help_line_html
    css = PRINT_CSS.read_text(encoding="utf-8") + (Path(__file__).parent / "static" / "spotthelure.css").read_text(encoding="utf-8")
    colophon = ('<p class="colophon">Spot the Lure · CC BY-SA 4.0 · A young person who was tricked, pressured or '
                "threatened is not in trouble for asking for help.</p>\n")
    if one_sheet:
        line = help_line_html(pr, band).replace('stl-help-line"', 'stl-help-line ho-foot"', 1)
        tail = line[:-len("</p>")] + " · You are not in trouble for asking for help. · Spot the Lure, CC BY-SA 4.0</p>\n"
    elif compact:   # a handout's colophon follows its cards directly (the print styles space them); contacts last
        tail = colophon + help_line_html(pr, band) + "\n"
    else:
        tail = f'<hr class="pagebreak-avoid">\n{help_box_html(pr, band, heading_level=2)}\n' + colophon
    from .csp import add_meta
    return add_meta("<!DOCTYPE html>\n"
            f'<html lang="{ESC(lang)}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{ESC(title)} · Spot the Lure</title>\n<style>\n{css}\n</style>\n</head>\n<body>\n<main>\n"
            f"{body}\n{tail}</main>\n</body>\n</html>\n", standalone=True)


def worksheet_body(q: dict, answer_key: bool) -> str:
    aud = BAND_LABEL.get(q["age_band"], q["age_band"])
    kind = "Answer key" if answer_key else "Worksheet"
    out = [f"<h1>{inline(q['title'])}: {kind.lower()}</h1>",
           f'<p class="meta">{aud} · {len(q["items"])} questions · quiz <code>{ESC(q["id"])}</code></p>']
    if not answer_key:
        out.append('<p class="meta">Name is not needed. Answer on this sheet.</p>')
    out.append('<ol class="questions">')
    for it in q["items"]:
        t = it["type"]
        out.append(f'<li class="q"><p class="prompt">{inline(it["prompt"])}</p>')
        if t in ("single", "multiple"):
            hint = "Tick one." if t == "single" else "Tick all that fit."
            out.append(f'<p class="hint">{hint}</p><ul class="boxes">')
            for o in it["options"]:
                mark = ("☑" if o.get("correct") else "☐") if answer_key else "☐"
                fb = f'<br><span class="fb">{"Right: " if o.get("correct") else "Not this: "}{inline(o["feedback"])}</span>' if answer_key else ""
                out.append(f"<li>{mark} {inline(o['text'])}{fb}</li>")
            out.append("</ul>")
        elif t == "truefalse":
            if answer_key:
                ans = "True" if it["answer"] else "False"
                why = it["feedback_true"] if it["answer"] else it["feedback_false"]
                out.append(f'<p><strong>Answer: {ans}.</strong> <span class="fb">{inline(why)}</span></p>')
            else:
                out.append('<ul class="boxes inline"><li>☐ True</li><li>☐ False</li></ul>')
        elif t == "redflags":
            out.append('<p class="hint">Tick every message that is a warning sign.</p><ul class="boxes chat">')
            for c in it["chat"]:
                mark = ("☑" if c["flag"] else "☐") if answer_key else "☐"
                fb = f'<br><span class="fb">{inline(c["feedback"])}</span>' if answer_key else ""
                out.append(f"<li>{mark} <strong>{inline(c['from'])}:</strong> {inline(c['text'])}{fb}</li>")
            out.append("</ul>")
        elif t == "ordering":
            steps = it["steps"]
            if answer_key:
                out.append('<p class="hint">One good order:</p>')
                out.append('<ol class="order">' + "".join(
                    f'<li>{inline(s["text"])}'
                    + (' <em>(right at any point)</em>' if s.get("any_time") else "")
                    + f'<br><span class="fb">{inline(s["feedback"])}</span></li>' for s in steps) + "</ol>")
                rs = ordering.rules(it)
                out.append(f'<p class="rules"><strong>The rules:</strong> {ESC(ordering.summary_text(it))}</p>')
                if rs and len(ordering.valid_orders(it, limit=2)) > 1:
                    out.append('<ul class="why">' + "".join(f"<li>{ESC(ordering.rule_text(it, r))}</li>" for r in rs) + "</ul>")
            else:
                out.append('<p class="hint">Write 1 by the first step, 2 by the next, and so on. '
                           'More than one order can be right.</p><ul class="boxes">')
                out += [f"<li>___ {inline(steps[j]['text'])}</li>" for j in display_order(q["id"], it["id"], len(steps))]
                out.append("</ul>")
        out.append("</li>")
    out.append("</ol>")
    return "\n".join(out)


def scenario_paper_body(s: dict) -> str:
    """A chat story on paper: numbered sections with 'go to' choices, start first."""
    chars = {c["id"]: c for c in s["characters"]}
    nodes = sorted(s["nodes"], key=lambda n: n["id"] != s["start"])
    num = {n["id"]: i for i, n in enumerate(nodes, 1)}
    aud = BAND_LABEL.get(s["age_band"], s["age_band"])
    out = [f"<h1>{inline(s['title'])}: a chat story on paper</h1>",
           f'<p class="meta">{aud} · start at section 1 and follow your choices.</p>', block(s["summary"])]
    for n in nodes:
        out.append(f'<section class="node"><h2>Section {num[n["id"]]}'
                   + (f": {inline(n['title'])}" if n.get("title") else "") + "</h2>")
        for m in n.get("messages", []):
            c = chars.get(m["from"], {"name": m["from"]})
            out.append(f'<p class="msg"><strong>{inline(c["name"])}:</strong> {inline(m["text"])}</p>')
        if n.get("feedback"):
            out.append(f'<div class="fb">{block(n["feedback"])}</div>')
        if n.get("choices"):
            out.append(f'<p><strong>{inline(n["prompt"])}</strong></p><ul>')
            out += [f"<li>{inline(c['text'])} → go to section {num[c['next']]}</li>" for c in n["choices"]]
            out.append("</ul>")
        else:
            out.append('<p class="end">The end of this path. Talk about it, or start again at section 1.</p>')
        out.append("</section>")
    return "\n".join(out)


def cards_body(r: dict) -> str:
    return roleplay_html(r, None, heading_level=1).replace('class="stl-card"', 'class="stl-card cut"')


def handout_body(h: dict) -> str:
    """A handout as learners get it: cards in a cutting grid, a sheet with space to write, or slips to cut apart.
    How to use it is said on the lesson page, not on the paper."""
    aud = ", ".join(BAND_LABEL.get(a, a) for a in h["audience"])
    parts = handout_parts(h)
    if h["layout"] == "slips":
        slip = (f'<div class="ho-slip"><p class="ho-slip-title"><strong>{inline(h["title"])}</strong></p>'
                + "".join(parts) + "</div>")
        return f'<div class="ho-slips">{slip * h.get("per_page", 1)}</div>'
    head = f"<h1>{inline(h['title'])}</h1>\n<p class=\"meta\">{aud}</p>"
    cls = "ho-cards" if h["layout"] == "cards" else "ho-sheet"
    return f'{head}\n<div class="{cls}">' + "\n".join(parts) + "</div>"


def questionnaire_csv(qn: dict) -> str:
    """The CSV template the evaluation analysis reads: one row per participant and phase."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    cols = ["questionnaire", "code", "phase", "group"] + [it["id"] for it in qn["items"]]
    w.writerow(cols)
    return buf.getvalue()


def print_page(acts: list[tuple[str, dict]], answer_key: bool = False, pr=None) -> str:
    parts = []
    for kind, data in acts:
        if kind == "quiz":
            parts.append(worksheet_body(data, answer_key))
        elif kind == "scenario":
            parts.append(scenario_paper_body(data))
        elif kind == "roleplay":
            parts.append(cards_body(data))
        elif kind == "handout":
            parts.append(handout_body(data))
        else:
            parts.append(questionnaire_html(data, None, heading_level=1))
    title = acts[0][1]["title"] if len(acts) == 1 else "Spot the Lure printables"
    from .render_html import band_of
    bands = [b for b in (band_of(d) for _, d in acts) if b]
    band = min(bands, key=["9-11", "12-14", "15-18"].index) if bands else None
    handouts = [d for kind, d in acts if kind == "handout"]
    one_sheet = len(acts) == 1 and any(d.get("layout") in ONE_SHEET for d in handouts)
    return _page(title, '\n<hr class="pagebreak">\n'.join(parts), acts[0][1].get("language", "en"), pr, band,
                 compact=bool(handouts), one_sheet=one_sheet)


def help_text_for(pr, data: dict) -> str | None:
    """The Get help contacts that fit the activity's band, as plain text for GIFT and QTI (shown to learners:
    a description at the end of the GIFT quiz, the QTI test's rubric), or None without local contacts."""
    from .helpbox import help_contacts_text
    from .render_html import band_of
    if pr is None or getattr(pr, "local", None) is None:
        return None
    return help_contacts_text(pr, band_of(data))


def site_files(pr) -> dict[str, str | bytes]:
    """Every printable and download of the book, by path under the site root."""
    from .export_gift import quiz_to_gift
    from .export_qti import quizzes_to_qti
    from .render_html import standalone_page
    writers = {   # one per output format of model.KINDS; the paths come from there
        "worksheet": lambda a, d: print_page([("quiz", d)], pr=pr),
        "answers": lambda a, d: print_page([("quiz", d)], answer_key=True, pr=pr),
        "gift": lambda a, d: quiz_to_gift(a.model, help_text=help_text_for(pr, d)),
        "qti": lambda a, d: quizzes_to_qti([a.model], names=[a.rel], help_text=help_text_for(pr, d)),
        "offline": lambda a, d: standalone_page(a.kind, d, pr),
        "paper": lambda a, d: print_page([("scenario", d)], pr=pr),
        "cards": lambda a, d: print_page([("roleplay", d)], pr=pr),
        "handout": lambda a, d: print_page([("handout", d)], pr=pr),
        "form": lambda a, d: print_page([("questionnaire", d)], pr=pr),
        "csv": lambda a, d: questionnaire_csv(d),
    }
    out: dict[str, str | bytes] = {}
    for a in sorted(pr.activities.values(), key=lambda a: a.id):
        if a.model is None:          # a file with problems has no model, and no printables
            continue
        for o in a.model.outputs():
            out[o.path] = writers[o.format](a, a.data)
    return out


def write_site_files(pr, outdir: Path) -> list[Path]:
    written = []
    for rel, data in site_files(pr).items():
        p = outdir / rel
        b = data.encode("utf-8") if isinstance(data, str) else data
        if not p.exists() or p.read_bytes() != b:
            replace_file(p, b)
        written.append(p)
    return written


def export_all_print(outdir: Path, pdf: bool, chromium: str) -> int:
    from .problems import ContentError
    from .project import load_project
    pr = load_project()
    if pr.problems:
        raise ContentError(pr.problems)
    files = [p for p in write_site_files(pr, outdir) if p.suffix == ".html" and p.parent.name == "print"]
    print(f"Wrote {len(files)} print pages to {outdir}/print")
    if pdf:
        from .pdf import html_to_pdf
        pdfdir = Path("_build/pdf/print")
        for f in files:
            html_to_pdf(f, pdfdir / (f.stem + ".pdf"), chromium)
        print(f"Wrote {len(files)} PDFs to {pdfdir}")
    return 0
