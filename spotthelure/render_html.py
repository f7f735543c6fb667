"""Static HTML of activities: one renderer for the book, notebooks and standalone files.

The HTML works without JavaScript (a quiz shows its questions, a scenario reads as linked
sections) and ``static/spotthelure.js`` makes it interactive. All text goes through
:mod:`spotthelure.text`, so nothing in content can inject markup or script. Ids come from content
ids, so the same input always gives the same bytes.
"""
from __future__ import annotations

import hashlib
import html
import json
from pathlib import Path

from . import ordering
from .i18n import js_strings_attr
from .text import Resolver, block, inline

STATIC = Path(__file__).parent / "static"
ESC = lambda s: html.escape(str(s), quote=True)  # noqa: E731
BAND_LABEL = {"9-11": "ages 9–11", "12-14": "ages 12–14", "15-18": "ages 15–18", "adults": "adults",
              "parents": "parents and carers", "peer-educators": "peer educators"}


def content_hash(obj) -> str:
    """A short fingerprint of an activity: saved progress is dropped when the content changes."""
    return hashlib.sha256(json.dumps(obj, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:12]


def display_order(quiz_id: str, item_id: str, n: int) -> list[int]:
    """A mixed-up but fixed order for ordering items (never the answer order)."""
    seed = hashlib.sha256(f"{quiz_id}/{item_id}".encode()).digest()
    order = sorted(range(n), key=lambda i: (seed[i % len(seed)] ^ (i * 37)) & 0xFF)
    if order == list(range(n)):
        order = order[1:] + order[:1]
    return order


def _fb(text: str, resolve, kind: str, hid: str) -> str:
    """Feedback of one option or step: the verdict label (filled in by the script) on its own line,
    then the text, so the two never run together."""
    return (f'<div class="stl-fb" id="{hid}" data-kind="{kind}" hidden><p class="stl-mark"></p>'
            f'<p class="stl-fb-text">{inline(text, resolve)}</p></div>')


def _ordering_rules(it: dict, iid: str) -> str:
    """The rules of an ordering item as hidden notes; the script shows those an answer breaks, and the
    note that help-seeking steps are right at any point."""
    steps = it["steps"]
    rows = [f'<li class="stl-rule" data-first="{ESC(steps[r.first]["id"])}" data-then="{ESC(steps[r.then]["id"])}" '
            f'hidden>{ESC(ordering.rule_text(it, r))}</li>' for r in ordering.rules(it)]
    rows += [f'<li class="stl-anytime" hidden>{ESC(ordering.any_time_text(it, i))}</li>' for i in ordering.any_time(it)]
    if not rows:
        return ""
    return f'<ul class="stl-rules" id="{iid}-rules" aria-live="polite">' + "".join(rows) + "</ul>"


def quiz_html(q: dict, resolve: Resolver | None = None, heading_level: int = 3) -> str:
    qid = q["id"]
    base = f"stl-{qid}"
    out = [f'<section class="stl-activity stl-quiz" id="{base}" data-stl-kind="quiz" data-stl-id="{ESC(qid)}" '
           f'data-stl-version="{content_hash(q)}" aria-labelledby="{base}-title"{js_strings_attr()}>',
           f'<h{heading_level} class="stl-title" id="{base}-title">Quiz: {inline(q["title"], resolve)}</h{heading_level}>']
    if q.get("description"):
        out.append(f'<div class="stl-desc">{block(q["description"], resolve)}</div>')
    n = len(q["items"])
    out.append(f'<p class="stl-score" data-stl-score aria-live="polite">{n} questions. '
               'Your answers stay on this device only.</p>')
    for num, it in enumerate(q["items"], 1):
        iid = f"{base}-{it['id']}"
        t = it["type"]
        out.append(f'<form class="stl-item" id="{iid}" data-item="{ESC(it["id"])}" data-type="{t}">')
        out.append('<fieldset>')
        hint = {"single": "Choose one answer.", "multiple": "Choose all the answers that fit.",
                "truefalse": "True or false?", "redflags": "Tick every message that is a warning sign.",
                "ordering": "Give each step its place: 1 comes first. More than one order can be right."}[t]
        out.append(f'<legend><span class="stl-num">{num}.</span> {inline(it["prompt"], resolve)} '
                   f'<span class="stl-hint">{hint}</span></legend>')
        if t in ("single", "multiple"):
            itype = "radio" if t == "single" else "checkbox"
            out.append('<div class="stl-options">')
            for j, o in enumerate(it["options"]):
                oid = f"{iid}-o{j + 1}"
                ok = "true" if o.get("correct") else "false"
                out.append(f'<div class="stl-option" data-correct="{ok}"><input type="{itype}" name="{iid}" id="{oid}" '
                           f'value="{j}"><label for="{oid}">{inline(o["text"], resolve)}</label>'
                           f'{_fb(o["feedback"], resolve, "option", oid + "-fb")}</div>')
            out.append('</div>')
        elif t == "truefalse":
            out.append('<div class="stl-options">')
            for val, lab in (("true", "True"), ("false", "False")):
                oid = f"{iid}-{val}"
                ok = "true" if str(it["answer"]).lower() == val else "false"
                out.append(f'<div class="stl-option" data-correct="{ok}"><input type="radio" name="{iid}" id="{oid}" '
                           f'value="{val}"><label for="{oid}">{lab}</label>'
                           f'{_fb(it["feedback_" + val], resolve, "option", oid + "-fb")}</div>')
            out.append('</div>')
        elif t == "redflags":
            out.append('<ol class="stl-options stl-chat">')
            for j, c in enumerate(it["chat"]):
                oid = f"{iid}-o{j + 1}"
                ok = "true" if c["flag"] else "false"
                out.append(f'<li class="stl-option stl-msg" data-correct="{ok}"><input type="checkbox" name="{iid}" id="{oid}" '
                           f'value="{j}"><label for="{oid}"><span class="stl-who">{inline(c["from"])}:</span> '
                           f'{inline(c["text"], resolve)}</label>{_fb(c["feedback"], resolve, "option", oid + "-fb")}</li>')
            out.append('</ol>')
        elif t == "ordering":
            steps = it["steps"]
            order = display_order(qid, it["id"], len(steps))
            out.append('<ol class="stl-options stl-order" role="list">')
            for j in order:
                oid = f"{iid}-s{j + 1}"
                opts = '<option value="">–</option>' + "".join(
                    f'<option value="{k}">{k}</option>' for k in range(1, len(steps) + 1))
                at = ' data-any-time="true"' if steps[j].get("any_time") else ""
                out.append(f'<li class="stl-option" data-step="{ESC(steps[j]["id"])}"{at}><select id="{oid}" name="{oid}">{opts}</select> '
                           f'<label for="{oid}">{inline(steps[j]["text"], resolve)}</label>'
                           f'{_fb(steps[j]["feedback"], resolve, "step", oid + "-fb")}</li>')
            out.append('</ol>')
            out.append(_ordering_rules(it, iid))
        out.append('</fieldset>')
        out.append('<div class="stl-actions"><button type="submit" class="stl-check">Check answer</button> '
                   '<button type="button" class="stl-retry" hidden>Try again</button></div>')
        out.append('<p class="stl-result" role="status" aria-live="polite"></p>')
        out.append('</form>')
    out.append('<div class="stl-footer"><button type="button" class="stl-reset">Clear my answers</button></div>')
    out.append('</section>')
    return "\n".join(out)


def scenario_html(s: dict, resolve: Resolver | None = None, heading_level: int = 3, pr=None) -> str:
    """A chat story. With a content note (sextortion, deepfakes) it starts with the note and the lifeline,
    and its "not over yet" endings end with the lifeline; ``pr`` gives the local helpline for it."""
    from .helpbox import content_note_html, lifeline_html
    sid = s["id"]
    base = f"stl-{sid}"
    chars = {c["id"]: c for c in s["characters"]}
    h2 = heading_level + 1
    out = [f'<section class="stl-activity stl-scenario" id="{base}" data-stl-kind="scenario" data-stl-id="{ESC(sid)}" '
           f'data-stl-version="{content_hash(s)}" data-stl-start="{ESC(s["start"])}" aria-labelledby="{base}-title"{js_strings_attr()}>',
           f'<h{heading_level} class="stl-title" id="{base}-title">Chat story: {inline(s["title"], resolve)}</h{heading_level}>',
           f'<div class="stl-desc">{block(s["summary"], resolve)}</div>',
           '<p class="stl-status" data-stl-status aria-live="polite"></p>']
    if s.get("content_note"):
        out.insert(2, content_note_html(s["content_note"], pr, s.get("age_band")))
    nodes = sorted(s["nodes"], key=lambda n: n["id"] != s["start"])  # start first, then as written
    for n in nodes:
        nid = f"{base}-{n['id']}"
        cls = "stl-node stl-ending" if n.get("ending") else "stl-node"
        ending = f' data-ending="{n["ending"]}"' if n.get("ending") else ""
        out.append(f'<div class="{cls}" id="{nid}" data-node="{ESC(n["id"])}"{ending} tabindex="-1">')
        if n.get("ending"):
            label = {"helped": "Ending: getting help", "safer": "Ending: safer", "stuck": "Ending: not over yet"}[n["ending"]]
            out.append(f'<h{h2} class="stl-ending-title"><span class="stl-badge">{label}</span> {inline(n["title"], resolve)}</h{h2}>')
        if n.get("messages"):
            out.append('<ol class="stl-chat">')
            for m in n["messages"]:
                c = chars.get(m["from"], {"name": m["from"], "role": "contact"})
                out.append(f'<li class="stl-msg stl-from-{c["role"]}"><span class="stl-who">{inline(c["name"])}:</span> '
                           f'{inline(m["text"], resolve)}</li>')
            out.append('</ol>')
        if n.get("feedback"):
            out.append(f'<div class="stl-node-fb">{block(n["feedback"], resolve)}</div>')
        if n.get("ending") == "stuck" and s.get("content_note"):
            out.append(lifeline_html(pr, s.get("age_band")))
        if n.get("choices"):
            out.append(f'<p class="stl-prompt">{inline(n["prompt"], resolve)}</p><ul class="stl-choices">')
            for j, c in enumerate(n["choices"]):
                out.append(f'<li><a class="stl-choice" href="#{base}-{c["next"]}" data-next="{ESC(c["next"])}">'
                           f'{inline(c["text"], resolve)}</a>'
                           f'<div class="stl-fb" hidden>{inline(c["feedback"], resolve)}</div></li>')
            out.append('</ul>')
        out.append('</div>')
    out.append('<div class="stl-footer"><button type="button" class="stl-back" disabled>Back</button> '
               '<button type="button" class="stl-restart">Start again</button></div>')
    out.append('</section>')
    return "\n".join(out)


def _list(items, resolve, cls=""):
    c = f' class="{cls}"' if cls else ""
    return f"<ul{c}>" + "".join(f"<li>{inline(x, resolve)}</li>" for x in items) + "</ul>"


def roleplay_html(r: dict, resolve: Resolver | None = None, heading_level: int = 3) -> str:
    rid = r["id"]
    base = f"stl-{rid}"
    h2 = heading_level + 1
    aud = ", ".join(BAND_LABEL.get(a, a) for a in r["audience"])
    g = r["group_size"]
    out = [f'<section class="stl-activity stl-roleplay" id="{base}" data-stl-kind="roleplay" data-stl-id="{ESC(rid)}" '
           f'aria-labelledby="{base}-title">',
           f'<h{heading_level} class="stl-title" id="{base}-title">Role-play: {inline(r["title"], resolve)}</h{heading_level}>',
           f'<p class="stl-meta">For {aud} · {r["duration"]} minutes · groups of {g["min"]}–{g["max"]}</p>',
           f'<div class="stl-desc">{block(r["summary"], resolve)}</div>',
           f'<div class="stl-safe"><p><strong>Safeguarding:</strong> {inline(r["safeguarding"], resolve)}</p></div>',
           f'<h{h2}>Learning objectives</h{h2}>', _list(r["objectives"], resolve),
           f'<h{h2}>Setting</h{h2}>', block(r["setting"], resolve),
           f'<h{h2}>Character cards</h{h2}>', '<div class="stl-cards">']
    kinds = {"trusted-adult": "trusted adult", "young-person": "young person", "peer-educator": "peer educator"}
    for role in r["roles"]:
        out.append(f'<div class="stl-card"><p class="stl-card-name"><strong>{inline(role["name"])}</strong> '
                   f'<span class="stl-card-kind">({kinds.get(role["kind"], role["kind"])})</span></p>'
                   f'{block(role["card"], resolve)}</div>')
    out.append('</div>')
    if r.get("props"):
        out.append(f'<h{h2}>Props (read aloud, never acted)</h{h2}>')
        for p in r["props"]:
            out.append(f'<div class="stl-card stl-prop"><p><strong>{inline(p["title"], resolve)}</strong></p><ol class="stl-chat">')
            out += [f'<li class="stl-msg"><span class="stl-who">{inline(x["from"])}:</span> {inline(x["text"], resolve)}</li>'
                    for x in p["lines"]]
            out.append('</ol></div>')
    out.append(f'<h{h2}>Scenes</h{h2}><ol class="stl-scenes">')
    out += [f'<li><strong>{inline(s["title"], resolve)}</strong> ({s["minutes"]} min): {inline(s["prompt"], resolve)}</li>'
            for s in r["scenes"]]
    out.append('</ol>')
    out += [f'<h{h2}>Freeze-frame questions</h{h2}>', _list(r["freeze_frames"], resolve),
            f'<h{h2}>Debrief</h{h2}>', _list(r["debrief"], resolve),
            f'<h{h2}>Facilitator notes</h{h2}>', _list(r["facilitator_notes"], resolve), '</section>']
    return "\n".join(out)


LIKERT = ["Not at all", "A little", "Somewhat", "Mostly", "Completely"]


def questionnaire_html(qn: dict, resolve: Resolver | None = None, heading_level: int = 3) -> str:
    """A printable form (the book collects no answers: forms are filled on paper or in an LMS)."""
    base = f"stl-{qn['id']}"
    aud = ", ".join(BAND_LABEL.get(a, a) for a in qn["audience"])
    out = [f'<section class="stl-activity stl-questionnaire" id="{base}" aria-labelledby="{base}-title">',
           f'<h{heading_level} class="stl-title" id="{base}-title">{inline(qn["title"], resolve)}</h{heading_level}>',
           f'<p class="stl-meta">For {aud} · id <code>{ESC(qn["id"])}</code> · {len(qn["items"])} questions</p>']
    if qn.get("description"):
        out.append(block(qn["description"], resolve))
    if qn["use"] == "pre-post":
        out.append('<p class="stl-code-box">My secret code (make one up and use the same one before and after; '
                   'never your name): <span class="stl-blank">____________</span></p>')
    out.append('<ol class="stl-form">')
    for it in qn["items"]:
        out.append(f'<li><p>{inline(it["prompt"], resolve)} <span class="stl-qid">[{ESC(it["id"])}]</span></p>')
        if it["type"] == "single":
            out.append('<ul class="stl-boxes">' + "".join(f"<li>☐ {inline(o, resolve)}</li>" for o in it["options"]) + "</ul>")
        elif it["type"] == "likert":
            out.append('<ul class="stl-boxes stl-likert">' + "".join(
                f"<li>☐ {k} {v}</li>" for k, v in enumerate(LIKERT, 1)) + "</ul>")
        elif it["type"] == "yesno":
            out.append('<ul class="stl-boxes stl-likert"><li>☐ Yes</li><li>☐ Partly</li><li>☐ No</li></ul>')
        else:
            out.append('<div class="stl-lines" aria-hidden="true"></div>')
        out.append("</li>")
    out.append("</ol></section>")
    return "\n".join(out)


def handout_parts(h: dict, resolve: Resolver | None = None) -> list[str]:
    """What a handout says, card by card or section by section (the page preview and the print share it)."""
    out = []
    for c in h.get("cards", []):
        head = "".join([f'<strong class="stl-ho-title">{inline(c["title"], resolve)}</strong> ' if c.get("title") else "",
                        f'<span class="stl-ho-from">{inline(c["from"], resolve)}:</span> ' if c.get("from") else ""])
        out.append(f'<div class="stl-ho-card"><p>{head}{inline(c["text"], resolve)}</p></div>')
    for sec in h.get("sections", []):
        head = f'<p class="stl-ho-heading"><strong>{inline(sec["heading"], resolve)}</strong></p>' if sec.get("heading") else ""
        lines = '<div class="stl-ho-lines">' + '<span class="stl-ho-line"></span>' * sec.get("lines", 0) + "</div>" if sec.get("lines") else ""
        out.append(f'<div class="stl-ho-section">{head}{block(sec["text"], resolve)}{lines}</div>')
    return out


def handout_html(h: dict, resolve: Resolver | None = None, heading_level: int = 3) -> str:
    """A handout on its lesson page: what it is for and how to use it, and what it says (folded)."""
    hid = h["id"]
    base = f"stl-{hid}"
    n = len(h.get("cards", [])) or len(h.get("sections", []))
    what = {"cards": f"{n} cards to cut out", "sheet": "a sheet", "slips": f"slips, {h.get('per_page', 1)} to a page"}[h["layout"]]
    return "\n".join([
        f'<section class="stl-activity stl-handout" id="{base}" data-stl-kind="handout" data-stl-id="{ESC(hid)}" aria-labelledby="{base}-title">',
        f'<h{heading_level} class="stl-title" id="{base}-title">Handout: {inline(h["title"], resolve)}</h{heading_level}>',
        f'<p class="stl-meta">{what}</p>',
        f'<p>{inline(h["for_the_teacher"], resolve)}</p>',
        '<details class="stl-ho-preview"><summary>What it says</summary>',
        *handout_parts(h, resolve), "</details>", "</section>"])


RENDERERS = {"quiz": quiz_html, "scenario": scenario_html, "roleplay": roleplay_html,
             "questionnaire": questionnaire_html, "handout": handout_html}


def activity_html(kind: str, data: dict, resolve: Resolver | None = None, heading_level: int = 3, pr=None) -> str:
    """One activity. A quiz with a content note is preceded by the note and the lifeline (a chat story
    carries them inside); ``pr`` supplies the local contacts for the lifeline."""
    if kind == "scenario":
        return scenario_html(data, resolve, heading_level, pr=pr)
    body = RENDERERS[kind](data, resolve, heading_level)
    if data.get("content_note"):
        from .helpbox import content_note_html
        body = content_note_html(data["content_note"], pr, data.get("age_band")) + "\n" + body
    return body


def asset(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


def band_of(data: dict) -> str | None:
    """The youngest student age band an activity is for (None: adults only)."""
    bands = [data["age_band"]] if data.get("age_band") else list(data.get("audience") or [])
    for b in ("9-11", "12-14", "15-18"):
        if b in bands:
            return b
    return None


def standalone_page(kind: str, data: dict, pr=None) -> str:
    """One self-contained offline HTML file (CSS and script inline) that a teacher can share.

    It carries the Get help box (the contacts that fit the activity's age band) and, for learners, the
    quick-exit control, which in a single file leaves to a blank page (there is no site to go to)."""
    from .csp import add_meta
    from .helpbox import help_box_html
    band = band_of(data)
    body = activity_html(kind, data, None, heading_level=2, pr=pr)
    student = ' data-stl-student' if band else ""
    title = ESC(data.get("title", data.get("id")))
    return add_meta(
        "<!DOCTYPE html>\n"
        f'<html lang="{ESC(data.get("language", "en"))}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title} · Spot the Lure</title>\n"
        "<meta name=\"referrer\" content=\"no-referrer\">\n"
        f"<style>\n{asset('spotthelure.css')}\n{(Path(__file__).parent / 'templates' / 'standalone.css').read_text(encoding='utf-8')}\n</style>\n</head>\n<body>\n"
        f'<main class="stl-standalone"{student}>\n<h1>{title}</h1>\n{body}\n'
        f'{help_box_html(pr, band, heading_level=2)}\n'
        '<p class="stl-colophon">Spot the Lure · content CC BY-SA 4.0 · works offline; answers stay on this device.</p>\n'
        f"</main>\n<script>\n{asset('spotthelure.js')}\n</script>\n</body>\n</html>\n",
        standalone=True)
