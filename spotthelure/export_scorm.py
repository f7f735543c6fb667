"""SCORM 1.2 packages: a quiz, a chat story, or a lesson's student activities, for a school's LMS.

A package is one zip with ``imsmanifest.xml`` (ADL SCORM 1.2, with an IMS LOM record) and one SCO,
``index.html``: the offline page of :func:`spotthelure.render_html.standalone_page` plus the SCORM API
adapter ``static/scorm-adapter.js``, which reports to the LMS whether the learner finished and, for
quizzes, their score. With no LMS around, the page works exactly as the offline file does.

Why one SCO per package, also for a lesson: a teacher adds one activity to a course and expects one
line in the gradebook. Every LMS that takes SCORM 1.2 launches a single-SCO package the same way,
while packages with several SCOs are shown, navigated and graded differently from one LMS to another
(some launch only the first). So a lesson's quizzes and chat stories are one page and one SCO: it is
finished when every quiz question is answered and every story has reached an ending, and its score is
that of all its quiz questions together.

Deterministic: the same input gives the same bytes (fixed member order and timestamps).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from ._fs import deterministic_zip
from .i18n import _
from .model import as_model
from .problems import ContentError, Problem
from .templating import render
from .text import plain

ADAPTER = Path(__file__).parent / "static" / "scorm-adapter.js"
STUDENT_KINDS = ("quiz", "scenario")
# What XML 1.0 cannot carry (the manifest holds the title).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# The activity script: the adapter goes right before it, so it is listening before any progress is shown.
_LAST_SCRIPT = "<script>\n"


def ident(s) -> str:
    """A valid XML ID (NCName) from any text: letters, digits and hyphens, starting with a letter."""
    out = re.sub(r"[^A-Za-z0-9-]+", "-", str(s)).strip("-")
    return "spotthelure-" + out if out else "spotthelure"


def check_mastery(mastery) -> int | None:
    """The mastery score (0 to 100), or None; a wrong one is refused."""
    if mastery is None:
        return None
    if isinstance(mastery, bool) or not isinstance(mastery, int) or not 0 <= mastery <= 100:
        raise ContentError([Problem("(command line)", 1, _("--mastery must be a whole number from 0 to 100 (the score "
                                                           "a learner needs to pass); leave it out to report 'completed'"))])
    return mastery


def adapter_html(mastery: int | None = None) -> str:
    """The adapter's words and settings (a JSON data block, which never runs) and the adapter itself."""
    config = {"mastery": mastery, "messages": {"connected": _(
        "This page is linked to your school's learning platform. It tells the platform when you finish and your "
        "quiz score. It keeps your answers there, so you can carry on later.")}}
    text = json.dumps(config, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return (f'<script type="application/json" id="stl-scorm">{text}</script>\n'
            f"<script>\n{ADAPTER.read_text(encoding='utf-8')}</script>\n")


def sco_page(page: str, mastery: int | None = None) -> str:
    """An offline page (``standalone_page``) as a SCO: the adapter before the activity script, and the
    page's Content-Security-Policy made again so that it allows the adapter (by its hash) and nothing else."""
    from .csp import add_meta
    at = page.rfind(_LAST_SCRIPT)
    if at < 0:
        raise AssertionError("the offline page has no activity script")
    return add_meta(page[:at] + adapter_html(mastery) + page[at:], standalone=True)


def manifest_xml(identifier: str, title: str, lang: str, description: str, mastery: int | None = None) -> str:
    return render("scorm/imsmanifest.xml", identifier=identifier, title=title, lang=lang, description=description,
                  rights=_("Spot the Lure. Content CC BY-SA 4.0, code MIT."), mastery=mastery)


def zip_package(index_html: str, manifest: str) -> bytes:
    return deterministic_zip((("imsmanifest.xml", manifest), ("index.html", index_html)))


def _title_ok(title: str, where: str, line: int) -> str:
    title = " ".join(plain(str(title)).split())
    m = _NOT_XML.search(title)
    if m:
        raise ContentError([Problem(where, line, _("the title holds the control character U+{code}, which a SCORM "
                                                   "manifest (XML) cannot carry; remove it").format(code=f"{ord(m.group()):04X}"))])
    return title


def activities_package(acts: list[tuple[str, object]], pr=None, mastery: int | None = None,
                       names: list[str] | None = None, title: str | None = None,
                       identifier: str | None = None) -> bytes:
    """One package of one or more quizzes and chat stories (each a kind and its model or valid data) as one
    SCO; ``names``: their file paths, for messages; ``pr``: the local contacts for the Get help box."""
    from .render_html import standalone_page
    mastery = check_mastery(mastery)
    for k, (kind, _data) in enumerate(acts):
        if kind not in STUDENT_KINDS:
            raise ContentError([Problem(names[k] if names else kind, 1, _(
                "this is a {kind}; a SCORM package takes quizzes and chat stories").format(kind=kind))])
    models = [as_model(d, kind) for kind, d in acts]
    titles = [_title_ok(m.title, names[k] if names else m.id, m.line_of("title") or 1) for k, m in enumerate(models)]
    if len(acts) == 1:
        page = standalone_page(acts[0][0], acts[0][1], pr)
    else:
        page = _combined_page(acts, title or " · ".join(titles), pr)
    lang = models[0].get("language") or "en"
    kinds = {kind for kind, _d in acts}
    description = (_("A self-check quiz from Spot the Lure. The LMS gets the score when every question is answered.")
                   if kinds == {"quiz"} else
                   _("A chat story from Spot the Lure. The LMS is told it is completed when the learner reaches an ending.")
                   if kinds == {"scenario"} else
                   _("Quizzes and chat stories from Spot the Lure, as one activity: completed when every question is "
                     "answered and every story has reached an ending; the score is that of all quiz questions."))
    manifest = manifest_xml(identifier or ident("-".join(m.id for m in models)), title or " · ".join(titles),
                            lang, description, mastery)
    return zip_package(sco_page(page, mastery), manifest)


def _combined_page(acts, title: str, pr, band: str | None = None, lang: str | None = None) -> str:
    """One offline page with several activities (what ``standalone_page`` is for one)."""
    from .csp import add_meta
    from .helpbox import help_box_html
    from .render_html import TEMPLATES, activity_html, asset, band_of
    from .templating import markup
    from .translate import direction
    if band is None:
        bands = [b for b in (band_of(as_model(d, k)) for k, d in acts) if b]
        band = min(bands, key=["9-11", "12-14", "15-18"].index) if bands else None
    lang = lang or as_model(acts[0][1], acts[0][0]).get("language") or "en"
    body = "\n".join(activity_html(kind, d, None, heading_level=2, pr=pr) for kind, d in acts)
    page = render("standalone.html", data={}, student=True, lang=lang, dir=direction(lang), title=title, body=markup(body),
                  help_box=markup(help_box_html(pr, band, heading_level=2)),
                  css=markup(asset("spotthelure.css") + "\n" + (TEMPLATES / "standalone.css").read_text(encoding="utf-8")),
                  script=markup(asset("spotthelure.js")))
    return add_meta(page, standalone=True)


# ---- lessons -----------------------------------------------------------------------------------

def lesson_activities(pr, lid: str) -> list:
    """A lesson's student activities (quizzes and chat stories), in the order the lesson uses them: its
    steps, its assessment quiz, then any other that names the lesson; each once."""
    page = pr.lessons.get(lid)
    L = page.front.get("lesson") if page is not None and isinstance(page.front, dict) else None
    if not isinstance(L, dict):
        return []
    ids = [s.get("activity") for s in L.get("steps") or [] if isinstance(s, dict)]
    ids.append((L.get("assessment") or {}).get("quiz") if isinstance(L.get("assessment"), dict) else None)
    ids += sorted(a.id for a in pr.activities.values() if a.data.get("lesson") == lid)
    out, seen = [], set()
    for aid in ids:
        a = pr.activities.get(aid) if isinstance(aid, str) else None
        if a is not None and a.kind in STUDENT_KINDS and a.model is not None and aid not in seen:
            seen.add(aid)
            out.append(a)
    return out


def lesson_package(pr, lid: str, mastery: int | None = None) -> bytes:
    """The SCORM package of one lesson's student activities (``pr``: the loaded project)."""
    from .wording import book_language
    page = pr.lessons.get(lid)
    acts = lesson_activities(pr, lid)
    if page is None or not acts:
        raise ContentError([Problem(page.rel if page is not None else lid, 1,
                                    _("this lesson has no quiz or chat story for learners to do, so no SCORM package"))])
    L = page.front["lesson"]
    title = _title_ok(L.get("title", lid), page.rel, 1)
    lang = book_language(pr.root)
    mastery = check_mastery(mastery)
    body = _combined_page([(a.kind, a.model) for a in acts], title, pr, band=L.get("age_band"), lang=lang)
    manifest = manifest_xml(ident(lid), title, lang, _(
        "The student activities of a Spot the Lure lesson as one activity: completed when every question is "
        "answered and every story has reached an ending; the score is that of all quiz questions."), mastery)
    return zip_package(sco_page(body, mastery), manifest)


def lesson_ids(pr) -> list[str]:
    """The lessons that get a package: those whose front matter is valid and that have student activities."""
    from .pages import drawable_lessons
    return [p.front["lesson"]["id"] for p in drawable_lessons(pr) if lesson_activities(pr, p.front["lesson"]["id"])]


# ---- a lesson page named on the command line (spotthelure export scorm) ---------------------------

def lesson_from_path(path: str, mastery: int | None) -> bytes:
    from .project import load_project
    p = Path(path)
    if not p.is_file():
        raise ContentError([Problem(path, 1, _("no such file"))])
    pr = load_project()
    rel = pr.rel(p)
    page = next((pg for pg in pr.lessons.values() if pg.rel == rel), None)
    if page is None:
        raise ContentError([Problem(path, 1, _("not a lesson page of this book (a page with 'lesson:' front matter)"))])
    problems = [q for q in pr.problems if q.path == rel]
    if problems:
        raise ContentError(problems)
    return lesson_package(pr, page.front["lesson"]["id"], mastery)
