"""The Get help box, drawn from ``local.yml``: the same contacts on book pages, student modules,
offline files and printables.

Help is shown by kind (emergency, talk to someone, report it, get images removed). An entry may say
which ages it serves (``ages: {min, max}``); a box for a student age band shows only the entries its
youngest learners can use, so a 9-year-old never sees an adults-only service. Every text goes
through :func:`spotthelure.text.inline` (escaped, never MyST, never raw author HTML).
"""
from __future__ import annotations

import re

from html import escape as _attr


def _text(s: str) -> str:
    return _attr(s, quote=False)

from .i18n import N_, _, js_strings_attr, label
from .problems import Problem
from .schemas import HELP_KINDS
from .text import inline, plain

BAND_AGES = {"9-11": (9, 11), "12-14": (12, 14), "15-18": (15, 18)}
NOT_IN_TROUBLE = N_("A young person who was tricked, pressured or threatened is not in trouble for asking for help.")
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
    for key in HELP_KINDS:
        title = label("help_kind", key)
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
    "9-11": N_("Stop replying. Save a screenshot of the chat. Never save or pass on a private picture: tell an adult "
               "you trust, and they will know what to do. Block and report the account."),
    None: N_("Stop replying. Save screenshots of the chat. Never forward or download a private picture of anyone, "
             "and don't delete your own: an adult or a helpline can help get it removed. Block and report the "
             "account, and tell an adult you trust."),
}


def strings_attr() -> str:
    """The browser script's messages as a data-stl-strings attribute (quick exit, clearing)."""
    return js_strings_attr()


def help_box_html(pr, band: str | None, heading_level: int = 2) -> str:
    """The Get help box as escaped HTML, with only the entries that fit ``band``."""
    loc = getattr(pr, "local", None) or {}
    h, h2 = heading_level, min(heading_level + 1, 6)
    hid = "stl-help-title" + (f"-{band}" if band else "")
    out = [f'<section class="stl-activity stl-get-help" aria-labelledby="{hid}"'
           + (f' data-band="{band}"' if band in BAND_AGES else "") + strings_attr() + ">",
           f'<h{h} class="stl-title" id="{hid}">{_text(_("Get help"))}</h{h}>',
           f"<p>{_text(_(STEPS.get(band, STEPS[None])))}</p>"]
    if not loc.get("filled_in"):
        out.append('<p class="stl-meta">' + _("<strong>Fill in your local contacts.</strong> This box still shows the "
                                             "book's defaults: European and international services only. A school or "
                                             "organisation adds its own in local.yml.") + "</p>")
    who, reach = _lead(pr)
    if (loc.get("safeguarding_lead") or {}).get("name") or reach:
        out.append("<p>" + (_("<strong>Safeguarding lead:</strong> {who}: {reach}") if reach else
                            _("<strong>Safeguarding lead:</strong> {who}")).format(who=inline(who), reach=inline(reach))
                   + "</p>")
    if loc.get("organisation"):
        out.append("<p>" + _("<strong>Organisation:</strong> {name}").format(name=inline(loc["organisation"])) + "</p>")
    for key, title, rows in entries(pr, band):
        out.append(f'<h{h2} class="stl-help-kind" data-kind="{key}">{_text(title)}</h{h2}><ul class="stl-help-list">')
        for s in rows:
            line = f'<strong>{inline(s["name"])}</strong>: <span class="stl-contact">{inline(s["contact"])}</span>'
            extra = " ".join(inline(s[k]) for k in ("for", "hours") if s.get(k))
            if extra:
                line += f". {extra}"
            if s.get("where"):
                line += f' <em class="stl-where">({inline(s["where"])})</em>'
            out.append(f"<li>{line}</li>")
        out.append("</ul>")
    out.append(f"<p><strong>{_text(_(NOT_IN_TROUBLE))}</strong></p></section>")
    return "\n".join(out)


def _one_line(text) -> str:
    return " ".join(plain(str(text)).split())


def help_contacts_text(pr, band: str | None) -> str:
    """The same contacts as plain text (GIFT, QTI, print): one entry a line, no line breaks from the data."""
    loc = getattr(pr, "local", None) or {}
    lines = [_("Get help")]
    who, reach = _lead(pr)
    if (loc.get("safeguarding_lead") or {}).get("name") or reach:
        lines.append((_("Safeguarding lead: {who}: {reach}") if reach else _("Safeguarding lead: {who}")).format(
            who=_one_line(who), reach=_one_line(reach)))
    for _key, title, rows in entries(pr, band):
        lines.append(_("{heading}:").format(heading=title))
        for s in rows:
            line = f"- {_one_line(s['name'])}: {_one_line(s['contact'])}"
            if s.get("where"):
                line += f" ({_one_line(s['where'])})"
            lines.append(line)
    lines.append(_(NOT_IN_TROUBLE))
    return "\n".join(lines)


def help_line_html(pr, band: str | None) -> str:
    """The contacts in one small line, for handouts that must stay on one sheet of paper."""
    parts = []
    for _key, title, rows in entries(pr, band):
        parts.append(_("{heading}: {contacts}").format(
            heading=_text(title), contacts=_("; ").join(f"{inline(s['name'])} {inline(s['contact'])}"
                                                        if str(s["contact"]) not in str(s["name"]) else inline(s["name"])
                                                        for s in rows)))
    if parts:
        return ('<p class="stl-get-help stl-help-line">' + _("<strong>Get help.</strong> {contacts}").format(
            contacts=" · ".join(parts)) + "</p>")
    return '<p class="stl-get-help stl-help-line">' + _("<strong>Get help:</strong> tell an adult you trust.") + "</p>"


# The safe-messaging line, by band, in whole sentences: with no helpline in the box, with a helpline
# whose name is its number, and with a named helpline.
LIFELINE = {
    "9-11": (N_("If you feel very scared or sad, or you think about hurting yourself, tell an adult you trust "
                "straight away, or a helpline in the Get help box. Whatever happened, it can be sorted out."),
             N_("If you feel very scared or sad, or you think about hurting yourself, tell an adult you trust "
                "straight away, or a helpline: {contact}. Whatever happened, it can be sorted out."),
             N_("If you feel very scared or sad, or you think about hurting yourself, tell an adult you trust "
                "straight away, or {name}: {contact}. Whatever happened, it can be sorted out.")),
    "12-14": (N_("If you feel trapped, or you think about hurting yourself, talk to someone now: an adult you "
                 "trust, or a helpline in the Get help box. Whatever happened, it can be sorted out."),
              N_("If you feel trapped, or you think about hurting yourself, talk to someone now: an adult you "
                 "trust, or a helpline: {contact}. Whatever happened, it can be sorted out."),
              N_("If you feel trapped, or you think about hurting yourself, talk to someone now: an adult you "
                 "trust, or {name}: {contact}. Whatever happened, it can be sorted out.")),
    "15-18": (N_("If you feel trapped or think about hurting yourself, talk to someone now: an adult you trust, "
                 "or a helpline in the Get help box. You are not alone, and this can be sorted out."),
              N_("If you feel trapped or think about hurting yourself, talk to someone now: an adult you trust, "
                 "or a helpline: {contact}. You are not alone, and this can be sorted out."),
              N_("If you feel trapped or think about hurting yourself, talk to someone now: an adult you trust, "
                 "or {name}: {contact}. You are not alone, and this can be sorted out.")),
}


def lifeline_text(pr, band: str | None) -> str:
    """The safe-messaging line in the band's words, with the helpline and emergency number that fit it."""
    line = first_helpline(pr, band)
    em = emergency(pr, band)
    none, number, named = LIFELINE.get(band, LIFELINE["15-18"])
    if line is None:
        text = _(none)
    elif str(line["contact"]) in str(line["name"]):
        text = _(number).format(contact=line["contact"])
    else:
        text = _(named).format(name=line["name"], contact=line["contact"])
    if em:
        text += " " + _("If someone is in danger right now, call {contact}.").format(contact=em["contact"])
    return text


def lifeline_html(pr, band: str | None, note: bool = True) -> str:
    role = ' role="note"' if note else ""
    return f'<p class="stl-lifeline"{role}><strong>{inline(lifeline_text(pr, band))}</strong></p>'


def content_note_html(note: str, pr, band: str | None) -> str:
    """What an activity is about, before it starts, and the lifeline."""
    return (f'<div class="stl-content-note" role="note"{strings_attr()}><p>'
            + _("<strong>Before you start:</strong> {note}").format(note=inline(note))
            + f"</p>{lifeline_html(pr, band, note=False)}</div>")


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
                                       _("{key}[{n}] source '{src}' is not a key in references.bib or an https address").format(
                                           key=key, n=i + 1, src=src)))
            ages = s.get("ages")
            if isinstance(ages, dict) and isinstance(ages.get("min"), int) and isinstance(ages.get("max"), int) \
                    and ages["min"] > ages["max"]:
                out.append(Problem("local.yml", locate(local, [key, i, "ages"]),
                                   _("{key}[{n}] ages: min ({min}) is above max ({max})").format(
                                       key=key, n=i + 1, min=ages['min'], max=ages['max'])))
    return out
