"""`spotthelure validate` and the build's checks across files: lessons against their activities and
bands, workshops, links between activities, sources, the table of contents, notebooks, data files,
the wording of each language, the campaign planner, pages, references and the UI catalogs.

Loading and the checks of one file at a time are in :mod:`spotthelure.project` and
:mod:`spotthelure.checks`; the language-dependent checks in :mod:`spotthelure.wording`."""
from __future__ import annotations

import re
from pathlib import Path

from . import checks, schemas
from .check_timing import check_timing
from .i18n import _
from .problems import ContentError, Problem
from .project import (_CITE, BAND_DIRS, FRONT_SCHEMAS, MIN_LESSON_QUIZ_ITEMS, Project, read_sourced_csv,
                      toc_files)
from .wording import _check_words, objective_problems, page_language
from .yamlload import LDict, cap, read_text


def validate_project(pr: Project) -> list[Problem]:
    P = list(pr.problems)
    P += _check_lessons(pr)
    P += check_timing(pr)
    P += _check_workshops(pr)
    P += _check_activity_links(pr)
    P += _check_sources(pr)
    P += _check_toc(pr)
    P += _check_notebooks(pr)
    P += _check_data(pr)
    P += _check_words(pr)
    from .campaign import check_campaign
    P += check_campaign(pr)
    from .check_pages import check_bib, check_pages
    P += check_pages(pr) + check_bib(pr.root)
    from .catalog import catalog_problems, page_catalog_problems
    P += catalog_problems() + page_catalog_problems(pr.root)
    return cap(sorted(set(P)))


def _check_lessons(pr: Project) -> list[Problem]:
    P: list[Problem] = []
    bands_with_practice: dict[str, bool] = {}
    for lid, page in pr.lessons.items():
        rel, fm = page.rel, page.front
        if not isinstance(fm["lesson"], dict):
            P.append(Problem(rel, fm.line_of("lesson"), _("lesson: should be a set of fields")))
            continue
        P += checks.schema_problems(fm, FRONT_SCHEMAS["lesson"], rel)
        extra = [k for k in fm if k not in ("lesson",)]
        for k in extra:
            P.append(Problem(rel, fm.line_of(k), _("{field}: unknown front-matter field; lesson pages hold everything "
                                                   "under 'lesson:'").format(field=k)))
        # From here on only the well-typed part: the schema has reported the rest.
        tfm = page.typed
        lesson = tfm.get("lesson") or LDict()
        loc = lambda *ks: checks.locate(tfm, ["lesson", *ks])  # noqa: E731
        band_dir = Path(rel).parent.name
        if BAND_DIRS.get(band_dir) and lesson.get("age_band") != BAND_DIRS[band_dir]:
            P.append(Problem(rel, loc("age_band"), _("age_band '{band}' does not match the folder {folder}").format(
                band=lesson.get("age_band"), folder=band_dir)))
        steps = [s for s in lesson.get("steps") or [] if isinstance(s, dict)]
        total = sum(s.get("minutes", 0) for s in steps if isinstance(s.get("minutes"), int))
        if isinstance(lesson.get("duration"), int) and steps and total != lesson["duration"]:
            P.append(Problem(rel, loc("steps"), _("the steps add up to {total} minutes, but the duration is {duration}").format(
                
                total=total, duration=lesson["duration"])))
        order = {"starter": 0, "main": 1, "plenary": 2}
        phases = [order.get(s.get("phase"), -1) for s in steps]
        if steps and (phases != sorted(phases) or phases[0] != 0 or phases[-1] != 2 or 1 not in phases):
            P.append(Problem(rel, loc("steps"), _("steps go starter, then main (one or more), then plenary")))
        oids = []
        for i, o in enumerate(lesson.get("objectives") or []):
            if not isinstance(o, dict):
                continue
            oids.append(o.get("id"))
            P += objective_problems(o, rel, loc("objectives", i), page_language(pr, lesson))
        if len(oids) != len(set(oids)):
            P.append(Problem(rel, loc("objectives"), _("objective ids must be different")))
        qid = (lesson.get("assessment") or {}).get("quiz") if isinstance(lesson.get("assessment"), dict) else None
        if qid:
            q = pr.activities.get(qid)
            if q is None or q.kind != "quiz":
                P.append(Problem(rel, loc("assessment", "quiz"), _("quiz '{id}' does not exist under activities/quizzes/").format(
                    id=qid)))
            elif q.data.get("lesson") != lid:
                P.append(Problem(rel, loc("assessment", "quiz"), _("quiz '{id}' says 'lesson: {says}', not '{lesson}'").format(
                    
                    id=qid, says=q.data.get("lesson"), lesson=lid)))
        band = lesson.get("age_band")
        for i, s in enumerate(steps):
            aid = s.get("activity")
            if aid:
                a = pr.activities.get(aid)
                if a is None:
                    P.append(Problem(rel, loc("steps", i, "activity"), _("activity '{id}' does not exist under activities/").format(
                        id=aid)))
                elif a.kind in ("scenario", "roleplay"):
                    bands_with_practice[band] = True
        bands_with_practice.setdefault(band, False)
        if page.body.strip():
            for n, line in enumerate(page.body.splitlines(), start=page.body_line):
                if re.match(r"#\s", line):
                    P.append(Problem(rel, n, _("a lesson page gets its title from the front matter; remove this '# ' heading")))
    for band, ok in bands_with_practice.items():
        if not ok and band in schemas.BANDS:
            first = next(p for p in pr.lessons.values() if (p.typed.get("lesson") or {}).get("age_band") == band)
            P.append(Problem(first.rel, 1, _("no lesson for ages {band} uses a scenario or role-play in its steps").format(
                band=band)))
    # Quizzes tied to lessons.
    for a in pr.activities.values():
        if a.kind != "quiz" or not a.data.get("lesson"):
            continue
        lid = a.data["lesson"]
        page = pr.lessons.get(lid)
        if page is None:
            P.append(Problem(a.rel, a.data.line_of("lesson"), _("lesson '{id}' does not exist").format(id=lid)))
            continue
        lesson = page.typed.get("lesson")
        if not isinstance(lesson, dict):
            continue
        if lesson.get("age_band") != a.data.get("age_band"):
            P.append(Problem(a.rel, a.data.line_of("age_band"), _("age_band differs from lesson '{id}' ({band})").format(
                
                id=lid, band=lesson.get("age_band"))))
        objs = {o.get("id") for o in lesson.get("objectives") or [] if isinstance(o, dict)}
        covered = set()
        items = [it for it in a.data.get("items") or [] if isinstance(it, dict)]
        if len(items) < MIN_LESSON_QUIZ_ITEMS:
            P.append(Problem(a.rel, a.data.line_of("items"), _(
                "a lesson quiz needs at least {min} items (it has {n})").format(
                    min=MIN_LESSON_QUIZ_ITEMS, n=len(items))))
        for i, it in enumerate(items):
            o = it.get("objectives")
            if not o:
                P.append(Problem(a.rel, checks.locate(a.data, ["items", i]),
                                 _("item {id}: name the lesson objective(s) it assesses in 'objectives'").format(
                                     id=it.get("id"))))
                continue
            for x in o:
                if x not in objs:
                    P.append(Problem(a.rel, checks.locate(a.data, ["items", i, "objectives"]),
                                     _("item {id}: objective '{objective}' is not in lesson {lesson} ({objectives})").format(
                                         
                                         id=it.get("id"), objective=x, lesson=lid, objectives=", ".join(sorted(map(str, objs))))))
                covered.add(x)
        for o in sorted(objs - covered, key=str):
            P.append(Problem(a.rel, a.data.line_of("items"), _("objective '{objective}' of lesson {lesson} is not assessed by any item").format(
                
                objective=o, lesson=lid)))
    return P


def _check_workshops(pr: Project) -> list[Problem]:
    P: list[Problem] = []
    for wid, page in pr.workshops.items():
        rel, fm = page.rel, page.front
        P += checks.schema_problems(fm, FRONT_SCHEMAS["workshop"], rel)
        fm = page.typed                     # only the well-typed part from here on
        w = fm.get("workshop")
        if not isinstance(w, dict):
            continue
        sessions = [s for s in w.get("sessions") or [] if isinstance(s, dict)]
        total = sum(s.get("minutes", 0) for s in sessions if isinstance(s.get("minutes"), int))
        if isinstance(w.get("duration"), int) and sessions and total != w["duration"]:
            P.append(Problem(rel, checks.locate(fm, ["workshop", "sessions"]),
                             _("the sessions add up to {total} minutes, but the duration is {duration}").format(
                                 total=total, duration=w["duration"])))
        for i, s in enumerate(sessions):
            acts = [a for a in s.get("activities") or [] if isinstance(a, dict)]
            am = sum(a.get("minutes", 0) for a in acts if isinstance(a.get("minutes"), int))
            if isinstance(s.get("minutes"), int) and am > s["minutes"]:
                P.append(Problem(rel, checks.locate(fm, ["workshop", "sessions", i]),
                                 _("session {id}: its activities take {minutes} minutes, more than its {limit}").format(
                                     id=s.get("id"), minutes=am, limit=s["minutes"])))
            for j, a in enumerate(acts):
                if a.get("activity") and a["activity"] not in pr.activities:
                    P.append(Problem(rel, checks.locate(fm, ["workshop", "sessions", i, "activities", j, "activity"]),
                                     _("activity '{id}' does not exist under activities/").format(id=a["activity"])))
    return P


def _check_activity_links(pr: Project) -> list[Problem]:
    P = []
    for a in pr.activities.values():
        if a.kind == "scenario" and a.data.get("lesson") and a.data["lesson"] not in pr.lessons:
            P.append(Problem(a.rel, a.data.line_of("lesson"), _("lesson '{id}' does not exist").format(
                id=a.data["lesson"])))
        if a.kind == "handout" and isinstance(a.data.get("lesson"), str):
            page = pr.lessons.get(a.data["lesson"])
            if page is None and a.data["lesson"] in pr.workshops:
                continue  # a workshop's handout (parents, peer educators, trainers): listed on the workshop page
            if page is None:
                P.append(Problem(a.rel, a.data.line_of("lesson"), _("lesson '{id}' does not exist").format(
                    id=a.data["lesson"])))
                continue
            band = page.front["lesson"].get("age_band") if isinstance(page.front["lesson"], dict) else None
            aud = a.data.get("audience") if isinstance(a.data.get("audience"), list) else []
            if band and any(x in BAND_DIRS.values() for x in aud) and band not in aud:
                P.append(Problem(a.rel, a.data.line_of("audience"),
                                 _("lesson '{id}' is for ages {band}; this handout's audience does not include it").format(
                                     
                                     id=a.data["lesson"], band=band)))
    return P


def _source_lists(pr: Project):
    for a in pr.activities.values():
        yield a.rel, a.data, ["sources"]
        for i, it in enumerate(a.data.get("items") or []):
            if isinstance(it, dict):
                yield a.rel, a.data, ["items", i, "sources"]
    for page in list(pr.lessons.values()) + list(pr.workshops.values()):
        key = "lesson" if "lesson" in page.typed else "workshop"
        yield page.rel, page.typed, [key, "sources"]


def _check_sources(pr: Project) -> list[Problem]:
    P = []
    for rel, data, path in _source_lists(pr):
        cur = data
        for k in path:
            cur = cur.get(k) if isinstance(cur, dict) else None
        if not isinstance(cur, list):
            continue
        for i, key in enumerate(cur):
            if key not in pr.bib_keys:
                P.append(Problem(rel, checks.locate(data, path + [i]), _("source '{key}' is not a key in references.bib").format(
                    key=key)))
    for rel, page in pr.pages.items():
        for n, line in enumerate(page.body.splitlines(), start=page.body_line):
            for m in _CITE.finditer(line):
                for key in m.group(1).split(","):
                    if key.strip() not in pr.bib_keys:
                        P.append(Problem(rel, n, _("citation '{key}' is not a key in references.bib").format(
                            key=key.strip())))
    if pr.local is not None:
        from .helpbox import local_problems
        P.extend(local_problems(pr.local, pr.bib_keys))
    return P


def _check_toc(pr: Project) -> list[Problem]:
    files, P = toc_files(pr.root)
    named = set()
    for f in files:
        stem = f.rsplit(".", 1)[0] if f.endswith((".md", ".ipynb")) else f
        named.add(stem)
        if not any((pr.root / (stem + sfx)).exists() for sfx in (".md", ".ipynb")):
            P.append(Problem("_toc.yml", 1, _("'{file}' is in the table of contents but no such page exists").format(
                file=f)))
    for base, pattern in (("book", "*.md"), ("notebooks", "*.ipynb")):
        for p in sorted((pr.root / base).rglob(pattern)):
            if ".ipynb_checkpoints" in p.parts:
                continue
            rel = pr.rel(p)
            if rel.rsplit(".", 1)[0] not in named:
                P.append(Problem(rel, 1, _("this page is not in _toc.yml, so readers cannot reach it; add it there")))
    return P


def _check_notebooks(pr: Project) -> list[Problem]:
    import nbformat
    P = []
    for p in sorted((pr.root / "notebooks").glob("*.ipynb")):
        rel = pr.rel(p)
        try:
            text = read_text(p, rel)          # a folder, a pipe or a device is refused unread
        except ContentError as e:
            P.extend(e.problems)
            continue
        try:
            nb = nbformat.reads(text, as_version=4)
            nbformat.validate(nb)
        except Exception as exc:  # nbformat raises several kinds; all mean "not a valid notebook"
            msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            P.append(Problem(rel, 1, _("not a valid notebook: {error}").format(error=msg)))
            continue
        for i, cell in enumerate(nb.cells):
            if cell.get("cell_type") == "code" and (cell.get("outputs") or cell.get("execution_count")):
                P.append(Problem(rel, 1, _("cell {n} has saved outputs; clear them before committing (the build runs the notebook)").format(
                    n=i + 1)))
            for n, line in enumerate(cell.get("source", "").splitlines(), 1):
                for m in _CITE.finditer(line):
                    for key in m.group(1).split(","):
                        if key.strip() not in pr.bib_keys:
                            P.append(Problem(rel, 1, _("cell {n}: citation '{key}' is not a key in references.bib").format(
                                n=i + 1, key=key.strip())))
    return P


def _check_data(pr: Project) -> list[Problem]:
    P = []
    for p in sorted((pr.root / "data").glob("*.csv")):
        P += read_sourced_csv(p, pr.rel(p), pr.bib_keys)[1]
    return P


# ---- rules that depend on the language of a text (data/languages/<lang>.yml) ----------------------
