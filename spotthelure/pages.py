"""MyST text generated from content: lesson plans, workshop manuals, local contacts, the
curriculum map and the activity libraries. The Sphinx extension puts it into pages at read time,
so every page is drawn from the same data that the validator checks."""
from __future__ import annotations

import posixpath
from pathlib import Path

from .project import BAND_DIRS, Project
from .render_html import BAND_LABEL

PHASE = {"starter": "Starter", "main": "Main activity", "plenary": "Plenary"}
TOPIC = {"grooming": "How grooming works", "image-abuse": "Images, sextortion and deepfakes",
         "easy-money": '"Easy money" and criminal recruitment', "exploitation": "Fake offers, trafficking and exploitation",
         "getting-help": "Getting help", "upstander": "Being an upstander"}
KIND_LABEL = {"quiz": "Quiz", "scenario": "Chat story", "roleplay": "Role-play", "questionnaire": "Questionnaire"}


def md(s) -> str:
    """Content text for MyST: no raw HTML can pass."""
    return str(s).replace("<", "&lt;").replace("\n", " ").strip()


def bullets(items) -> list[str]:
    return [f"- {md(x)}" for x in items or []]


def cite(keys) -> str:
    keys = [k for k in keys or []]
    return "{cite:p}`" + ",".join(keys) + "`" if keys else ""


def doc_link(from_doc: str, to_doc: str) -> str:
    """A relative MyST link target from one document to another (with .md, so Sphinx checks it)."""
    return posixpath.relpath(to_doc + ".md", posixpath.dirname(from_doc) or ".")


def local_contacts_md(pr: Project, docname: str, compact: bool = False) -> list[str]:
    loc = pr.local or {}
    out = [":::{admonition} Get help", ":class: tip stl-get-help", ""]
    if not loc.get("filled_in"):
        out += ["**Fill in your local contacts.** This box still shows the book's defaults: international "
                "services only. Your school or organisation adds its safeguarding lead, local helplines and "
                f"reporting routes in `local.yml` and rebuilds the book ([how]({doc_link(docname, 'book/how-to-use')}#filling-in-your-local-contacts)).", ""]
    lead = loc.get("safeguarding_lead") or {}
    if lead.get("name") or lead.get("how_to_reach"):
        who = ", ".join(md(x) for x in (lead.get("name"), lead.get("role")) if x)
        out += [f"**Safeguarding lead:** {who}" + (f": {md(lead['how_to_reach'])}" if lead.get("how_to_reach") else ""), ""]
    else:
        out += ["**Safeguarding lead:** the designated safeguarding lead of your school or organisation.", ""]
    if loc.get("organisation"):
        out += [f"**Organisation:** {md(loc['organisation'])}", ""]
    from .helpbox import entries
    for key, title, rows in entries(pr, band_of_dir(docname)):
        if not rows:
            continue
        out.append(f"**{title}:**")
        out.append("")
        for s in rows:
            line = f"**{md(s['name'])}**: `{md(s['contact'])}`"
            extra = [md(s[k]) for k in ("for", "hours") if s.get(k)]
            if extra:
                line += " · " + " ".join(extra)
            if s.get("where"):
                line += f" · *{md(s['where'])}*"
            if s.get("source") and not compact:
                src = s["source"]
                line += " " + cite([k for k in ([src] if isinstance(src, str) else src) if not k.startswith("https://")])
            out.append(f"- {line}")
        out.append("")
    out += ["A young person who was tricked, pressured or threatened is **not in trouble** for asking for help.", ":::", ""]
    return out


def activity_block(kind: str, aid: str) -> list[str]:
    return [f"```{{{kind}}} {aid}", "```", ""]


def handouts_of(pr: Project, lesson_id: str) -> list:
    """The handouts a lesson uses, in file-name order (each names its lesson)."""
    return sorted((a for a in pr.activities.values() if a.kind == "handout" and a.data.get("lesson") == lesson_id),
                  key=lambda a: a.id)


def lesson_md(pr: Project, docname: str, lesson: dict, body: str) -> str:
    L = lesson
    band = L["age_band"]
    out = [f"# {md(L['title'])}", "", md(L["summary"]), ""]
    topics = ", ".join(TOPIC.get(t, t) for t in L.get("topics", []))
    out += ["```{list-table}", ":class: stl-glance", ":header-rows: 0", "",
            "* - Age band", f"  - {BAND_LABEL[band]}",
            "* - Time", f"  - {L['duration']} minutes",
            "* - Topics", f"  - {topics}",
            "* - Last reviewed", f"  - {L['last_reviewed']}", "```", ""]
    sg = L["safeguarding"]
    out += [":::{admonition} Safeguarding: read before you teach", ":class: important safeguarding", "",
            f"**Content note (give advance notice):** {md(sg['content_note'])}", "",
            f"**Brief your designated safeguarding lead:** {md(sg['dsl_briefed'])}", "",
            f"**Opting out:** {md(sg['opt_out'])}", "",
            f"**Distancing:** {md(sg['distancing'])}", "",
            f"If a learner tells you something worrying, follow the [disclosure steps]({doc_link(docname, 'book/teachers/before-you-teach')}#if-a-child-tells-you-something): "
            "listen, stay calm, don't investigate, never promise secrecy, write down their words, report the same day, never view or forward images.",
            ":::", ""]
    out += local_contacts_md(pr, docname, compact=True)
    out += ["## Objectives", ""] + [f"- **{o['id']}**: {md(o['text'])}" for o in L["objectives"]] + [""]
    out += ["## Key questions", ""] + bullets(L["key_questions"]) + [""]
    out += ["## Vocabulary", ""]
    for v in L["vocabulary"]:
        out += [md(v["term"]), f": {md(v['meaning'])}", ""]
    out += ["## Materials", ""] + bullets(L["materials"]) + [""]
    for h in handouts_of(pr, L["id"]):
        out += activity_block("handout", h.id)
    out += ["## Preparation", ""] + bullets(L["preparation"]) + [""]
    out += ["## Lesson steps", ""]
    t = 0
    for s in L["steps"]:
        out += [f"### {PHASE[s['phase']]}: {md(s['title'])} ({s['minutes']} min, {t}–{t + s['minutes']})", ""]
        t += s["minutes"]
        out += bullets(s["do"]) + [""]
        if s.get("say"):
            out += [f"> **You might say:** {md(s['say'])}", ""]
        if s.get("activity"):
            a = pr.activities.get(s["activity"])
            if a is not None and a.id == L["assessment"]["quiz"]:
                out += ["Use the quiz in [Assessment](#assessment) below.", ""]
            elif a is not None:
                out += activity_block(a.kind, a.id)
    d = L["differentiation"]
    out += ["## Differentiation", "", "**Support**", ""] + bullets(d["support"]) + ["", "**Stretch**", ""] + bullets(d["stretch"]) + [""]
    out += ["## Assessment", "", f"**Exit ticket:** {md(L['assessment']['exit_ticket'])}", ""]
    q = pr.activities.get(L["assessment"]["quiz"])
    if q is not None:
        out += activity_block("quiz", q.id)
    out += ["## Key points", ""] + bullets(L["key_points"]) + [""]
    out += ["## Follow-up", ""] + bullets(L["follow_up"]) + [""]
    out += ["## Home link", "", md(L["home_link"]), ""]
    if L.get("sources"):
        out += ["## Sources", "", "Facts in this lesson come from " + cite(L["sources"]) + ".", ""]
    out += [f"*Last reviewed: {L['last_reviewed']}.*", ""]
    if body.strip():
        out += [body]
    return "\n".join(out)


def workshop_md(pr: Project, docname: str, w: dict, body: str) -> str:
    aud = BAND_LABEL.get(w["audience"], w["audience"])
    out = [f"# {md(w['title'])}", "", md(w["summary"]), "",
           f"**For:** {aud} · **Time:** {w['duration']} minutes ({w['duration'] // 60} h {w['duration'] % 60:02d} min) · "
           f"*Last reviewed: {w['last_reviewed']}*", ""]
    out += [":::{admonition} Safeguarding", ":class: important safeguarding", "", md(w["safeguarding"]), ":::", ""]
    out += local_contacts_md(pr, docname, compact=True)
    out += ["## Objectives", ""] + bullets(w["objectives"]) + [""]
    out += ["## Agenda", "", "| Time | Session | Minutes |", "| --- | --- | --- |"]
    t = 0
    for s in w["sessions"]:
        label = md(s["title"]) + (" (break)" if s.get("kind") == "break" else "")
        out.append(f"| {t // 60}:{t % 60:02d}–{(t + s['minutes']) // 60}:{(t + s['minutes']) % 60:02d} | {label} | {s['minutes']} |")
        t += s["minutes"]
    out += ["", "Times run from the start of the workshop (0:00).", ""]
    out += ["## Materials", ""] + bullets(w["materials"]) + [""]
    for h in handouts_of(pr, w["id"]):
        out += activity_block("handout", h.id)
    out += ["## Preparation", ""] + bullets(w["preparation"]) + [""]
    out += ["## Facilitator manual", ""]
    for s in w["sessions"]:
        if s.get("kind") == "break":
            continue
        out += [f"### {md(s['title'])} ({s['minutes']} min)", ""]
        for key, title in (("objectives", "Objectives"), ("talking_points", "Talking points")):
            if s.get(key):
                out += [f"**{title}**", ""] + bullets(s[key]) + [""]
        for a in s.get("activities") or []:
            out += [f"**Activity: {md(a['title'])}** ({a['minutes']} min)", ""] + bullets(a["do"]) + [""]
            if a.get("activity") and a["activity"] in pr.activities:
                act = pr.activities[a["activity"]]
                out += activity_block(act.kind, act.id)
        if s.get("materials"):
            out += ["**Materials**", ""] + bullets(s["materials"]) + [""]
        if s.get("notes"):
            out += ["**Notes**", ""] + bullets(s["notes"]) + [""]
        if s.get("if_upset"):
            out += [":::{admonition} If someone is upset or discloses", ":class: warning", "", md(s["if_upset"]), ":::", ""]
    if w.get("sources"):
        out += ["## Sources", "", cite(w["sources"]), ""]
    if body.strip():
        out += [body]
    return "\n".join(out)


def curriculum_map_md(pr: Project, docname: str) -> list[str]:
    out = []
    for band in ("9-11", "12-14", "15-18"):
        pages = sorted((p for p in pr.lessons.values() if p.front["lesson"].get("age_band") == band),
                       key=lambda p: p.rel)
        if not pages:
            continue
        total = sum(p.front["lesson"]["duration"] for p in pages)
        n_obj = sum(len(p.front["lesson"]["objectives"]) for p in pages)
        out += [f"## {BAND_LABEL[band].capitalize()}", "",
                f"{len(pages)} lessons · {total} minutes · {n_obj} objectives", "",
                "| Lesson | Minutes | Topics | Objectives | Quiz items | Practice |", "| --- | --- | --- | --- | --- | --- |"]
        for p in pages:
            L = p.front["lesson"]
            docs = p.rel[:-3]
            objs = "<br>".join(f"{o['id']}: {md(o['text'])}" for o in L["objectives"])
            q = pr.activities.get(L["assessment"]["quiz"])
            nitems = len(q.data["items"]) if q else 0
            practice = [pr.activities[s["activity"]] for s in L["steps"] if s.get("activity") in pr.activities]
            prac = ", ".join(f"{KIND_LABEL[a.kind]}: {md(a.data['title'])}" for a in practice) or "–"
            topics = ", ".join(TOPIC.get(t, t) for t in L["topics"])
            out.append(f"| [{md(L['title'])}]({doc_link(docname, docs)}) | {L['duration']} | {topics} | {objs} | {nitems} | {prac} |")
        out.append("")
    topics_seen = {t: set() for t in TOPIC}
    for p in pr.lessons.values():
        for t in p.front["lesson"]["topics"]:
            topics_seen.setdefault(t, set()).add(p.front["lesson"]["age_band"])
    out += ["## Topics across the bands", "", "| Topic | 9–11 | 12–14 | 15–18 |", "| --- | --- | --- | --- |"]
    for t, label in TOPIC.items():
        cells = ["yes" if b in topics_seen.get(t, set()) else "–" for b in ("9-11", "12-14", "15-18")]
        out.append(f"| {label} | " + " | ".join(cells) + " |")
    out.append("")
    return out


def library_md(pr: Project, docname: str, kind: str) -> list[str]:
    acts = sorted((a for a in pr.activities.values() if a.kind == kind), key=lambda a: a.id)
    out = []
    groups: dict[str, list] = {}
    for a in acts:
        aud = a.data.get("audience") or [a.data.get("age_band")]
        groups.setdefault(", ".join(BAND_LABEL.get(x, x) for x in aud), []).append(a)
    order = [", ".join(BAND_LABEL.get(x, x) for x in k) for k in (["9-11"], ["12-14"], ["12-14", "15-18"], ["15-18"],
                                                               ["adults"], ["parents"], ["peer-educators"])]
    for g in sorted(groups, key=lambda g: (order.index(g) if g in order else 99, g)):
        out += [f"## For {g}", ""]
        for a in groups[g]:
            out += activity_block(kind, a.id)
    return out


def lesson_list_md(pr: Project, docname: str, band: str) -> list[str]:
    pages = sorted((p for p in pr.lessons.values() if p.front["lesson"].get("age_band") == band), key=lambda p: p.rel)
    out = ["| Lesson | Minutes | Summary |", "| --- | --- | --- |"]
    for p in pages:
        L = p.front["lesson"]
        out.append(f"| [{md(L['title'])}]({doc_link(docname, p.rel[:-3])}) | {L['duration']} | {md(L['summary'])} |")
    return out + [""]


def band_of_dir(docname: str) -> str | None:
    return BAND_DIRS.get(Path(docname).parent.name)
