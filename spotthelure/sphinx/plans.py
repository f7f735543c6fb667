"""``{lesson-plan}`` and ``{workshop-plan}``: a lesson or workshop page drawn from its front matter
(the prelude that replaces the front matter at ``source-read`` is in :mod:`.generated`)."""
from __future__ import annotations

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from .. import pages
from ..i18n import _, label
from .draw import _Builder, _front, _table, para, section, strong
from .generated import page_ref, slides_link
from .nodes import lesson_downloads_node


class LessonPlanDirective(SphinxDirective):
    """``{lesson-plan}``: the lesson page drawn from the page's ``lesson:`` front matter."""
    has_content = False

    def run(self):
        L = _front(self, "lesson")
        if L is None:
            return []
        b = _Builder(self)
        pr = b.pr
        band = L["age_band"]
        out: list = [para(*b.text(L["summary"]))]
        topics = []
        for i, t in enumerate(L.get("topics", [])):
            topics += ([nodes.Text(", ")] if i else []) + [nodes.Text(label("topic", t))]
        out.append(_table(["stl-glance"], None, [
            [[nodes.Text(_("Age band"))], [nodes.Text(label("band", band))]],
            [[nodes.Text(_("Time"))], [nodes.Text(_("{n} minutes").format(n=int(L["duration"])))]],
            [[nodes.Text(_("Topics"))], topics],
            [[nodes.Text(_("Last reviewed"))], b.text(L["last_reviewed"])]], [50, 50]))
        if pages.safe_id(L["id"]):
            out.append(para(slides_link("", _("Slides to project"), lesson_id=L["id"]),
                            nodes.Text(" " + _("(one deck from this plan: press S for the speaker notes)")),
                            classes=["stl-slides"]))
        S = L["safeguarding"]
        link = page_ref("", _("disclosure steps"), target="book/teachers/before-you-teach",
                        anchor="if-a-child-tells-you-something")
        out.append(b.safeguarding(
            _("Safeguarding: read before you teach"),
            b.labelled(_("Content note (give advance notice):"), S["content_note"]),
            b.labelled(_("Brief your designated safeguarding lead:"), S["dsl_briefed"]),
            b.labelled(_("Opting out:"), S["opt_out"]),
            b.labelled(_("Distancing:"), S["distancing"]),
            para(nodes.Text(_("If a learner tells you something worrying, follow the ")), link, nodes.Text(
                _(": listen, stay calm, don’t investigate, never promise secrecy, write down their words, "
                  "report the same day, never view or forward images.")))))
        out += b.help_box(band, level=2)

        sec = section("objectives", nodes.Text(_("Objectives")))
        lst = nodes.bullet_list(bullet="-")
        for o in L["objectives"]:
            oid = pages.safe_id(o.get("id"))
            head = [strong(oid)] if oid else b.text(o.get("id"))
            lst += nodes.list_item("", para(*head, nodes.Text(": "), *b.text(o["text"])))
        sec += lst
        out.append(sec)
        out.append(self._list("key-questions", _("Key questions"), b, L["key_questions"]))
        sec = section("vocabulary", nodes.Text(_("Vocabulary")))
        dl = nodes.definition_list(classes=["myst"])
        for v in L["vocabulary"]:
            dl += nodes.definition_list_item("", nodes.term("", "", *b.text(v["term"])),
                                             nodes.definition("", para(*b.text(v["meaning"]))))
        sec += dl
        out.append(sec)
        sec = self._list("materials", _("Materials"), b, L["materials"])
        sec += b.handouts(L["id"])
        # The book ships no PDFs (Chromium makes them): say how to make this lesson's pack.
        sec += para(strong(_("Lesson pack:")), nodes.Text(" " + _(
            "the run sheet, every handout, worksheet, answer key, role-play card set and the letter home in one file "
            "to print, with page numbers. Make it with ")), nodes.literal("make print", "make print"), nodes.Text(
            _(" (A4; PAPER=letter for US Letter): it is written to ")),
            nodes.literal("", f"_build/print/lessons/{L['id']}.pdf" if pages.safe_id(L["id"]) else "_build/print/lessons/"),
            nodes.Text("."))
        out.append(sec)
        out.append(self._list("preparation", _("Preparation"), b, L["preparation"]))

        steps = section("lesson-steps", nodes.Text(_("Lesson steps")))
        t = 0
        for i, s in enumerate(L["steps"]):
            m = int(s["minutes"])
            step = section(f"step-{i + 1}", nodes.Text(label("phase", s["phase"]) + ": "), b.plain(s["title"]),
                           nodes.Text(" " + _("({m} min, {start}–{end})").format(m=m, start=t, end=t + m)))
            t += m
            step += b.bullets(s["do"])
            if s.get("say"):
                step += nodes.block_quote("", b.labelled(_("You might say:"), s["say"]))
            if s.get("activity"):
                a = pr.activities.get(s["activity"])
                if a is not None and a.id == L["assessment"]["quiz"]:
                    ref = nodes.reference("", _("Assessment"), refid="assessment", internal=True)
                    step += para(nodes.Text(_("Use the quiz in ")), ref, nodes.Text(_(" below.")))
                elif a is not None:
                    step += b.activity(a.kind, a.id)
            steps += step
        out.append(steps)

        d = L["differentiation"]
        sec = section("differentiation", nodes.Text(_("Differentiation")))
        sec += [para(strong(_("Support"))), b.bullets(d["support"]), para(strong(_("Stretch"))), b.bullets(d["stretch"])]
        out.append(sec)
        sec = section("assessment", nodes.Text(_("Assessment")))
        sec += b.labelled(_("Exit ticket:"), L["assessment"]["exit_ticket"])
        sec += b.activity("quiz", L["assessment"]["quiz"])
        sec += lesson_downloads_node(lesson_id=L["id"])    # the lesson's student activities for an LMS
        out.append(sec)
        out.append(self._list("key-points", _("Key points"), b, L["key_points"]))
        out.append(self._list("follow-up", _("Follow-up"), b, L["follow_up"]))
        sec = section("home-link", nodes.Text(_("Home link")))
        sec += para(*b.text(L["home_link"]))
        out.append(sec)
        cites = b.cite(L.get("sources"), before=_("Facts in this lesson come from "), after=".")
        if cites:
            sec = section("sources", nodes.Text(_("Sources")))
            sec += cites
            out.append(sec)
        out[-1] += para(nodes.emphasis("", _("Last reviewed: "), *b.text(L["last_reviewed"]), nodes.Text(".")))
        return out

    @staticmethod
    def _list(ids, title, b, items) -> nodes.section:
        sec = section(ids, nodes.Text(title))
        sec += b.bullets(items)
        return sec


def _clock(t: int) -> str:
    return f"{t // 60}:{t % 60:02d}"


class WorkshopPlanDirective(SphinxDirective):
    """``{workshop-plan}``: the workshop page drawn from the page's ``workshop:`` front matter."""
    has_content = False

    def run(self):
        W = _front(self, "workshop")
        if W is None:
            return []
        b = _Builder(self)
        pr = b.pr
        aud = [nodes.Text(label("band", W["audience"]))]
        dur = int(W["duration"])
        out: list = [para(*b.text(W["summary"]))]
        out.append(para(strong(_("For:")), nodes.Text(" "), *aud, nodes.Text(" · "), strong(_("Time:")),
                        nodes.Text(" " + _("{n} minutes ({h} h {m:02d} min)").format(n=dur, h=dur // 60, m=dur % 60)
                                   + " · "),
                        nodes.emphasis("", _("Last reviewed: "), *b.text(W["last_reviewed"]))))
        out.append(b.safeguarding(_("Safeguarding"), para(*b.text(W["safeguarding"]))))
        out += b.help_box(W["audience"], level=2)
        sec = section("objectives", nodes.Text(_("Objectives")))
        sec += b.bullets(W["objectives"])
        out.append(sec)

        sec = section("agenda", nodes.Text(_("Agenda")))
        rows, t = [], 0
        for s in W["sessions"]:
            m = int(s["minutes"])
            title = b.text(s["title"]) + ([nodes.Text(" " + _("(break)"))] if s.get("kind") == "break" else [])
            rows.append([[nodes.Text(f"{_clock(t)}–{_clock(t + m)}")], title, [nodes.Text(str(m))]])
            t += m
        sec += _table(["colwidths-auto"], [_("Time"), _("Session"), _("Minutes")], rows, [20, 60, 20])
        sec += para(nodes.Text(_("Times run from the start of the workshop (0:00).")))
        out.append(sec)
        sec = LessonPlanDirective._list("materials", _("Materials"), b, W["materials"])
        sec += b.handouts(W["id"])
        out.append(sec)
        out.append(LessonPlanDirective._list("preparation", _("Preparation"), b, W["preparation"]))

        manual = section("facilitator-manual", nodes.Text(_("Facilitator manual")))
        for i, s in enumerate(W["sessions"]):
            if s.get("kind") == "break":
                continue
            ses = section(f"session-{i + 1}", b.plain(s["title"]),
                          nodes.Text(" " + _("({m} min)").format(m=int(s["minutes"]))))
            for key, title in (("objectives", _("Objectives")), ("talking_points", _("Talking points"))):
                if s.get(key):
                    ses += [para(strong(title)), b.bullets(s[key])]
            for a in s.get("activities") or []:
                ses += para(nodes.strong("", _("Activity:") + " ", *b.text(a["title"])),
                            nodes.Text(" " + _("({m} min)").format(m=int(a["minutes"]))))
                ses += b.bullets(a["do"])
                if a.get("activity") and a["activity"] in pr.activities:
                    act = pr.activities[a["activity"]]
                    ses += b.activity(act.kind, act.id)
            if s.get("materials"):
                ses += [para(strong(_("Materials"))), b.bullets(s["materials"])]
            if s.get("notes"):
                ses += [para(strong(_("Notes"))), b.bullets(s["notes"])]
            if s.get("if_upset"):
                box = nodes.admonition(classes=["warning"])
                box += nodes.title("", _("If someone is upset or discloses"))
                box += para(*b.text(s["if_upset"]))
                ses += box
            manual += ses
        out.append(manual)
        cites = b.cite(W.get("sources"))
        if cites:
            sec = section("sources", nodes.Text(_("Sources")))
            sec += cites
            out.append(sec)
        return out


# --- the Get help box ----------------------------------------------------------------------------
