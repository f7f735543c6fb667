"""The Get help box, drawn from ``local.yml``: the same contacts on book pages, student modules,
offline files and printables.

Help is shown by kind (emergency, talk to someone, report it, get images removed). An entry may say
which ages it serves (``ages: {min, max}``); a box for a student age band shows only the entries its
youngest learners can use, so a 9-year-old never sees an adults-only service. Every text goes
through :func:`spotthelure.text.inline` (escaped, never MyST, never raw author HTML).
"""
from __future__ import annotations

import re

from .i18n import _
from .problems import Problem
from .schemas import HELP_KINDS
from .text import inline, plain

BAND_AGES = {"9-11": (9, 11), "12-14": (12, 14), "15-18": (15, 18)}
NOT_IN_TROUBLE = "A young person who was tricked, pressured or threatened is not in trouble for asking for help."
_URL = re.compile(r"^https://[^\s<>\"]+$")


def _sources(entry: dict) -> list:
    src = entry.get("source")
    return [src] if isinstance(src, str) else list(src or [])


def fits(entry: dict, band: str | None) -> bool:
    """Whether the youngest learners of ``band`` can use this service (any band: every entry)."""
    if band not in BAND_AGES:
        return True
    ages = entry.get("ages") or {}
    youngest = BAND_AGES[band][0]
    return ages.get("min", 0) <= youngest <= ages.get("max", 200)


def entries(pr, band: str | None) -> list[tuple[str, str, list[dict]]]:
    """(local.yml key, heading, entries that fit the band) for each kind of help that has any."""
    loc = getattr(pr, "local", None) or {}
    out = []
    for key, title in HELP_KINDS.items():
        rows = [s for s in loc.get(key) or [] if isinstance(s, dict) and fits(s, band)]
        if rows:
            out.append((key, title, rows))
    return out


def first_helpline(pr, band: str | None) -> dict | None:
    for key, _title, rows in entries(pr, band):
        if key == "helplines":
            return rows[0]
    return None


def emergency(pr, band: str | None) -> dict | None:
    for key, _title, rows in entries(pr, band):
        if key == "emergency":
            return rows[0]
    return None


def _lead(pr) -> tuple[str, str]:
    loc = getattr(pr, "local", None) or {}
    lead = loc.get("safeguarding_lead") or {}
    who = ", ".join(str(x) for x in (lead.get("name"), lead.get("role")) if x)
    return who, str(lead.get("how_to_reach") or "")


STEPS = {
    "9-11": "Stop replying. Save a screenshot of the chat. Never save or pass on a private picture: tell an adult "
            "you trust, and they will know what to do. Block and report the account.",
    None: "Stop replying. Save screenshots of the chat. Never forward or download a private picture of anyone, "
          "and don't delete your own: an adult or a helpline can help get it removed. Block and report the "
          "account, and tell an adult you trust.",
}


def help_box_html(pr, band: str | None, heading_level: int = 2) -> str:
    """The Get help box as escaped HTML, with only the entries that fit ``band``."""
    loc = getattr(pr, "local", None) or {}
    h, h2 = heading_level, min(heading_level + 1, 6)
    hid = "stl-help-title" + (f"-{band}" if band else "")
    out = [f'<section class="stl-activity stl-get-help" aria-labelledby="{hid}"'
           + (f' data-band="{band}"' if band in BAND_AGES else "") + ">",
           f'<h{h} class="stl-title" id="{hid}">Get help</h{h}>',
           f"<p>{STEPS.get(band, STEPS[None])}</p>"]
    if not loc.get("filled_in"):
        out.append('<p class="stl-meta"><strong>Fill in your local contacts.</strong> This box still shows the '
                   "book's defaults: European and international services only. A school or organisation adds its "
                   "own in local.yml.</p>")
    who, reach = _lead(pr)
    if (loc.get("safeguarding_lead") or {}).get("name") or reach:
        out.append(f"<p><strong>Safeguarding lead:</strong> {inline(who)}" + (f": {inline(reach)}" if reach else "") + "</p>")
    if loc.get("organisation"):
        out.append(f"<p><strong>Organisation:</strong> {inline(loc['organisation'])}</p>")
    for key, title, rows in entries(pr, band):
        out.append(f'<h{h2} class="stl-help-kind" data-kind="{key}">{title}</h{h2}><ul class="stl-help-list">')
        for s in rows:
            line = f'<strong>{inline(s["name"])}</strong>: <span class="stl-contact">{inline(s["contact"])}</span>'
            extra = " ".join(inline(s[k]) for k in ("for", "hours") if s.get(k))
            if extra:
                line += f". {extra}"
            if s.get("where"):
                line += f' <em class="stl-where">({inline(s["where"])})</em>'
            out.append(f"<li>{line}</li>")
        out.append("</ul>")
    out.append(f"<p><strong>{NOT_IN_TROUBLE}</strong></p></section>")
    return "\n".join(out)


def _one_line(text) -> str:
    return " ".join(plain(str(text)).split())


def help_contacts_text(pr, band: str | None) -> str:
    """The same contacts as plain text (GIFT, QTI, print): one entry a line, no line breaks from the data."""
    loc = getattr(pr, "local", None) or {}
    lines = ["Get help"]
    who, reach = _lead(pr)
    if (loc.get("safeguarding_lead") or {}).get("name") or reach:
        lines.append(f"Safeguarding lead: {_one_line(who)}" + (f": {_one_line(reach)}" if reach else ""))
    for _key, title, rows in entries(pr, band):
        lines.append(f"{title}:")
        for s in rows:
            line = f"- {_one_line(s['name'])}: {_one_line(s['contact'])}"
            if s.get("where"):
                line += f" ({_one_line(s['where'])})"
            lines.append(line)
    lines.append(NOT_IN_TROUBLE)
    return "\n".join(lines)


def help_line_html(pr, band: str | None) -> str:
    """The contacts in one small line, for handouts that must stay on one sheet of paper."""
    parts = []
    for _key, title, rows in entries(pr, band):
        parts.append(f"{title}: " + "; ".join(f"{inline(s['name'])} {inline(s['contact'])}"
                                              if str(s["contact"]) not in str(s["name"]) else inline(s["name"])
                                              for s in rows))
    return ('<p class="stl-get-help stl-help-line"><strong>Get help.</strong> ' + " · ".join(parts) + "</p>") if parts \
        else '<p class="stl-get-help stl-help-line"><strong>Get help:</strong> tell an adult you trust.</p>'


LIFELINE = {
    "9-11": "If you feel very scared or sad, or you think about hurting yourself, tell an adult you trust "
            "straight away{help}. Whatever happened, it can be sorted out.",
    "12-14": "If you feel trapped, or you think about hurting yourself, talk to someone now: an adult you "
             "trust{help}. Whatever happened, it can be sorted out.",
    "15-18": "If you feel trapped or think about hurting yourself, talk to someone now: an adult you trust"
             "{help}. You are not alone, and this can be sorted out.",
}


def lifeline_text(pr, band: str | None) -> str:
    """The safe-messaging line in the band's words, with the helpline and emergency number that fit it."""
    line = first_helpline(pr, band)
    em = emergency(pr, band)
    if line is None:
        help_ = ", or a helpline in the Get help box"
    elif str(line["contact"]) in str(line["name"]):
        help_ = f", or a helpline: {line['contact']}"
    else:
        help_ = f", or {line['name']}: {line['contact']}"
    text = LIFELINE.get(band, LIFELINE["15-18"]).format(help=help_)
    if em:
        text += f" If someone is in danger right now, call {em['contact']}."
    return text


def lifeline_html(pr, band: str | None, note: bool = True) -> str:
    role = ' role="note"' if note else ""
    return f'<p class="stl-lifeline"{role}><strong>{inline(lifeline_text(pr, band))}</strong></p>'


def content_note_html(note: str, pr, band: str | None) -> str:
    """What an activity is about, before it starts, and the lifeline."""
    return ('<div class="stl-content-note" role="note"><p><strong>Before you start:</strong> '
            f"{inline(note)}</p>{lifeline_html(pr, band, note=False)}</div>")


def local_problems(local: dict, bib_keys) -> list[Problem]:
    """Every entry names a source (a key in references.bib or an https address) and a sensible age range."""
    from .checks import locate
    out: list[Problem] = []
    if not isinstance(local, dict):
        return out
    for key in HELP_KINDS:
        rows = local.get(key)
        for i, s in enumerate(rows if isinstance(rows, list) else []):
            if not isinstance(s, dict):
                continue
            for j, src in enumerate(_sources(s)):
                if isinstance(src, str) and src not in bib_keys and not _URL.match(src):
                    path = [key, i, "source"] + ([j] if isinstance(s.get("source"), list) else [])
                    out.append(Problem("local.yml", locate(local, path),
                                       _("{key}[{n}] source '{src}' is not a key in references.bib or an https address").format(key=key, n=i + 1, src=src)))
            ages = s.get("ages")
            if isinstance(ages, dict) and isinstance(ages.get("min"), int) and isinstance(ages.get("max"), int) \
                    and ages["min"] > ages["max"]:
                out.append(Problem("local.yml", locate(local, [key, i, "ages"]),
                                   _("{key}[{n}] ages: min ({min}) is above max ({max})").format(key=key, n=i + 1, min=ages['min'], max=ages['max'])))
    return out
