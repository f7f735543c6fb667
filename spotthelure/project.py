"""The whole book's content: discovery, loading and every cross-check between files."""
from __future__ import annotations

import csv
import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import checks, i18n, readability, schemas, terminology
from .check_timing import check_timing
from .i18n import _
from .problems import ContentError, Problem
from .yamlload import MAX_BYTES, LDict, cap, load_yaml_file, read_text, split_front_matter
from .model import KIND_DIRS, Lesson, LocalContacts, Model, Workshop, activity_from_data

BAND_DIRS = {"ages-9-11": "9-11", "ages-12-14": "12-14", "ages-15-18": "15-18"}
MIN_LESSON_QUIZ_ITEMS = 8
_CITE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]+)`")
_BIBKEY = re.compile(r"^@(\w+)\s*\{\s*([^,\s]+)\s*,", re.M)
# What cross-file checks see of a page's front matter: the typed view (see checks.typed).
FRONT_SCHEMAS = {"lesson": {"type": "object", "properties": {"lesson": schemas.LESSON}},
                 "workshop": {"type": "object", "properties": {"workshop": schemas.WORKSHOP}}}


def find_root(start: Path | None = None) -> Path:
    p = (start or Path.cwd()).resolve()
    for d in [p, *p.parents]:
        if (d / "_config.yml").exists() and (d / "activities").is_dir():
            return d
    return p


@dataclass
class Activity:
    kind: str
    id: str
    path: Path
    rel: str
    data: LDict                     # the typed view (checks.typed_activity), with lines
    model: Model | None = None      # the model object; None whenever the file has a problem


@dataclass
class Page:
    rel: str
    path: Path
    front: LDict | None
    body: str
    body_line: int
    typed: LDict = field(default_factory=LDict)   # the front matter's well-typed part (checks.typed)
    model: Model | None = None      # a lesson's or workshop's model; None unless its front matter is valid


@dataclass
class Project:
    root: Path
    activities: dict[str, Activity] = field(default_factory=dict)
    pages: dict[str, Page] = field(default_factory=dict)
    lessons: dict[str, Page] = field(default_factory=dict)
    workshops: dict[str, Page] = field(default_factory=dict)
    bib_keys: set[str] = field(default_factory=set)
    local: LDict | None = None
    problems: list[Problem] = field(default_factory=list)
    lang: str = "en"                # the language of the content's words (see spotthelure.translate)
    catalog: object = None          # that language's translate.Catalog (None in English)

    def rel(self, p: Path) -> str:
        try:   # the link itself, not where it points (a link to /dev/zero is still named as the link)
            return (p.parent.resolve() / p.name).relative_to(self.root).as_posix()
        except ValueError:
            return str(p)

    @functools.cached_property
    def local_model(self) -> LocalContacts | None:
        """The model of the contacts as pages show them (with whatever the loader merged into them);
        None when local.yml is missing or has any problem."""
        if self.local is None or any(p.path == "local.yml" for p in self.problems):
            return None
        if checks.schema_problems(self.local, schemas.LOCAL, "local.yml"):
            return None
        return LocalContacts.from_data(self.local, "local.yml")

    def activity(self, aid: str, kind: str | None = None) -> Activity:
        a = self.activities.get(aid)
        if a is None or (kind and a.kind != kind):
            raise KeyError(_("no {kind} with id '{id}' under activities/").format(kind=kind or "activity", id=aid))
        return a


def load_activity_file(path: Path, shown: str) -> tuple[Activity | None, list[Problem]]:
    """Load and check one activity file on its own (no cross-file checks).

    The activity holds the typed view of its data (checks.typed_activity): the whole file when it
    has no problems; without the wrong-typed values (which the schema reported) when it has.
    """
    try:
        data = load_yaml_file(path, shown)
    except ContentError as e:
        return None, e.problems
    if not isinstance(data, dict):
        return None, [Problem(shown, 1, _("should be a set of fields (kind, id, ...)"))]
    kind = data.get("kind")
    if not isinstance(kind, str) or kind not in checks.CHECKERS:
        shown_kind = f"'{kind}'" if isinstance(kind, str) else checks._describe(kind)
        return None, [Problem(shown, data.line_of("kind") if "kind" in data else 1,
                              _("kind {kind} is not allowed; use one of: {allowed}").format(
                                  kind=shown_kind, allowed=", ".join(checks.CHECKERS)))]
    problems = cap(checks.CHECKERS[kind](data, shown))
    view = checks.typed_activity(kind, data)
    aid = view.get("id")
    model = None if problems else activity_from_data(kind, view, shown)
    return Activity(kind, aid if isinstance(aid, str) else "", path, shown, view, model), problems


LEAVES_BOOK = i18n.N_("a link to a file outside the book; the build would publish that file: copy what you need "
                      "into the book instead")


def _leaves_book(path: Path, root: Path) -> bool:
    """A symbolic link (or a file under a linked folder) whose target is outside the book's folder."""
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return True
    return False


def load_project(root: Path | None = None, lang: str | None = None) -> Project:
    """The book's content, checked. With ``lang`` (not English), the words of activities, lessons,
    workshops and local contacts come from that language's catalog (English where it has none):
    the checks run on the English content, the structure is the English file's."""
    pr = _load_project(root)
    if lang and lang != i18n.SOURCE_LANGUAGE:
        from .translate import apply
        apply(pr, lang)
    return pr


def _load_project(root: Path | None = None) -> Project:
    root = find_root(root)
    pr = Project(root)
    P = pr.problems

    bib = root / "references.bib"
    if bib.exists() or bib.is_symlink():
        try:
            text = read_text(bib, "references.bib", limit=4 * MAX_BYTES)
        except ContentError as e:
            P.extend(e.problems)
            text = ""
        for m in _BIBKEY.finditer(text):
            key = m.group(2)
            if key in pr.bib_keys:
                P.append(Problem("references.bib", text[:m.start()].count("\n") + 1,
                                 _("key '{key}' appears twice").format(key=key)))
            pr.bib_keys.add(key)
    else:
        P.append(Problem("references.bib", 1, _("the bibliography is missing")))

    for kind, d in KIND_DIRS.items():
        for path in sorted((root / "activities" / d).glob("*")):
            if path.suffix not in (".yml", ".yaml"):
                if path.is_file() and not path.name.startswith("."):
                    P.append(Problem(pr.rel(path), 1, _("activities are YAML files ending in .yml")))
                continue
            shown = pr.rel(path)
            if _leaves_book(path, root):
                P.append(Problem(path.relative_to(root).as_posix(), 1, _(LEAVES_BOOK)))
                continue
            act, probs = load_activity_file(path, shown)
            P.extend(probs)
            if act is None:
                continue
            if act.kind != kind:
                P.append(Problem(shown, act.data.line_of("kind"), _("a {kind} belongs in activities/{folder}/").format(
                    kind=act.kind, folder=KIND_DIRS[act.kind])))
            if not act.id:                  # the schema reported the id; keep the activity under its path
                pr.activities[shown] = act
                continue
            if act.id != path.stem:
                P.append(Problem(shown, act.data.line_of("id"), _("id '{id}' should match the file name '{stem}'").format(
                    
                    id=act.id, stem=path.stem)))
            if act.id in pr.activities:
                P.append(Problem(shown, act.data.line_of("id"), _("id '{id}' is already used by {other}").format(
                    id=act.id, other=pr.activities[act.id].rel)))
            pr.activities[act.id] = act
    bad = {p.path for p in P}
    for act in pr.activities.values():       # a problem found across files also keeps the model away
        if act.rel in bad:
            act.model = None

    for path in sorted((root / "book").rglob("*.md")):
        rel = pr.rel(path)
        if _leaves_book(path, root):
            P.append(Problem(path.relative_to(root).as_posix(), 1, _(LEAVES_BOOK)))
            continue
        try:
            text = read_text(path, rel)
            front, body, body_line = split_front_matter(text, rel)
        except ContentError as e:
            P.extend(e.problems)
            continue
        page = Page(rel, path, front, body, body_line)
        pr.pages[rel] = page
        # Lessons and workshops are kept under their id, or under their path while the id is wrong.
        if isinstance(front, dict) and "lesson" in front:
            page.typed = checks.typed(front, FRONT_SCHEMAS["lesson"]) or LDict()
            lid = (page.typed.get("lesson") or {}).get("id")
            if lid and lid in pr.lessons:
                P.append(Problem(rel, front.line_of("lesson"), _("lesson id '{id}' is already used by {other}").format(
                    id=lid, other=pr.lessons[lid].rel)))
            pr.lessons[lid if isinstance(lid, str) and lid else rel] = page
            page.model = _front_model(page, "lesson", Lesson)
        if isinstance(front, dict) and "workshop" in front:
            page.typed = checks.typed(front, FRONT_SCHEMAS["workshop"]) or LDict()
            wid = (page.typed.get("workshop") or {}).get("id")
            pr.workshops[wid if isinstance(wid, str) and wid and wid not in pr.workshops else rel] = page
            page.model = _front_model(page, "workshop", Workshop)

    local = root / "local.yml"
    if local.exists() or local.is_symlink():
        try:
            raw = load_yaml_file(local, "local.yml")
            P.extend(checks.schema_problems(raw, schemas.LOCAL, "local.yml"))
            pr.local = checks.typed(raw, schemas.LOCAL) or LDict()   # pages see only well-typed fields
        except ContentError as e:
            P.extend(e.problems)
        from .countries import attach       # local.yml's `country:` inherits data/countries/<CODE>.yml
        P.extend(attach(pr, root))
    else:
        P.append(Problem("local.yml", 1, _("the local contacts file is missing")))
    return pr


def _front_model(page: Page, key: str, cls):
    """The model of a lesson's or workshop's front matter, or None when it has any problem."""
    fm = page.front
    if not isinstance(fm, dict) or (key == "lesson" and set(fm) != {key}):   # a lesson page holds only 'lesson:'
        return None
    if checks.schema_problems(fm, FRONT_SCHEMAS[key], page.rel):
        return None
    return cls.from_data(page.typed[key], page.rel)


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


def toc_files(root: Path) -> tuple[list[str], list[Problem]]:
    """Files named in _toc.yml, as paths relative to the root without suffix."""
    try:
        toc = load_yaml_file(root / "_toc.yml", "_toc.yml")
    except ContentError as e:
        return [], e.problems
    out: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            for k in ("root", "file"):
                if isinstance(node.get(k), str):
                    out.append(node[k])
            if isinstance(node.get("glob"), str):
                try:
                    found = [p for p in root.glob(node["glob"]) if p.suffix in (".md", ".ipynb")]
                except (ValueError, NotImplementedError):   # an empty or absolute pattern
                    problems.append(Problem("_toc.yml", node.line_of("glob"),
                                            _("glob '{glob}' is not a pattern of files inside the book").format(
                                                glob=node["glob"])))
                    found = []
                out.extend(sorted(p.relative_to(root).with_suffix("").as_posix() for p in found))
            for k in ("parts", "chapters", "sections"):
                for child in checks._list(node.get(k)):
                    walk(child)
    problems: list[Problem] = []
    walk(toc)
    return out, problems


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


def read_sourced_csv(path: Path, rel: str, bib_keys: set[str]) -> tuple[list[dict], list[Problem]]:
    """Read a data CSV whose every row names its source; report bad rows by line, drop none silently."""
    P: list[Problem] = []
    rows: list[dict] = []
    try:
        text = read_text(path, rel, limit=4 * MAX_BYTES).removeprefix("\ufeff")
    except ContentError as e:
        return [], e.problems
    lines = text.splitlines()
    first = 1
    delimiter = ","
    if lines and re.fullmatch(r"sep=(.)", lines[0].strip()):   # Excel's "sep=;" line names the separator
        delimiter = lines[0].strip()[4]
        lines, first = lines[1:], 2
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        return [], [Problem(rel, first, _("not a readable CSV line ({error})").format(error=exc))]
    if not header:
        return [], [Problem(rel, first, _("the file is empty; the first line names the columns"))]
    header = [h.strip() for h in header]
    for need in ("source", "note"):
        if need not in header:
            P.append(Problem(rel, first, _("no '{column}' column: every figure names its source and a note").format(
                column=need)))
    numbered = enumerate(reader, start=first + 1)
    while True:
        try:
            n, row = next(numbered)
        except StopIteration:
            break
        except csv.Error as exc:
            P.append(Problem(rel, first + reader.line_num - 1,
                             _("not a readable CSV line ({error}); the rest of the file is not read").format(
                                 error=exc)))
            break
        if not row or not any(c.strip() for c in row):
            continue
        if len(row) != len(header):
            P.append(Problem(rel, n, _("{n} values, but the header names {columns} columns").format(
                n=len(row), columns=len(header))))
            continue
        rec = dict(zip(header, (c.strip() for c in row)))
        if "source" in rec and rec["source"] not in bib_keys:
            P.append(Problem(rel, n, _("source '{key}' is not a key in references.bib").format(key=rec["source"])))
        rows.append(rec)
    return rows, P


def _check_data(pr: Project) -> list[Problem]:
    P = []
    for p in sorted((pr.root / "data").glob("*.csv")):
        P += read_sourced_csv(p, pr.rel(p), pr.bib_keys)[1]
    return P


# ---- rules that depend on the language of a text (data/languages/<lang>.yml) ----------------------

def book_language(root: Path) -> str:
    """The language the book's pages are written in (_config.yml: sphinx.config.language)."""
    import yaml
    try:
        cfg = yaml.safe_load((Path(root) / "_config.yml").read_text(encoding="utf-8")) or {}
        lang = ((cfg.get("sphinx") or {}).get("config") or {}).get("language")
    except (OSError, yaml.YAMLError, AttributeError):
        lang = None
    return lang if isinstance(lang, str) and lang else i18n.SOURCE_LANGUAGE


def page_language(pr: Project, data: dict | None = None) -> str:
    """The language of an activity or a lesson (its own 'language:'), else the book's."""
    lang = data.get("language") if isinstance(data, dict) else None
    return lang if isinstance(lang, str) and lang else book_language(pr.root)


def objective_problems(o: dict, rel: str, line: int, lang: str) -> list[Problem]:
    """An objective opens with the language's wording ('Learners can') and an observable verb."""
    r = (i18n.rules(lang) or {}).get("objectives")
    if not isinstance(r, dict) or not r.get("openings"):
        return []
    text = " ".join(str(o.get("text", "")).split())
    opening = next((x for x in r["openings"] if text.startswith(str(x) + " ")), None)
    rest = text[len(opening):].split() if opening else []
    if not rest:
        return [Problem(rel, line, _("objective {id}: write it as '{opening} <do something observable>'").format(
            id=o.get("id"), opening=r["openings"][0]))]
    if rest[0].lower() in {str(v).lower() for v in r.get("vague_verbs") or []}:
        return [Problem(rel, line, _("objective {id}: '{verb}' cannot be observed; use a verb such as {verbs}").format(
            id=o.get("id"), verb=rest[0], verbs=", ".join(map(str, r.get("observable_verbs") or []))))]
    return []


def _texts_and_languages(pr: Project):
    """(path, language, where the language is named) of every text the language rules look at."""
    book = book_language(pr.root)
    for a in pr.activities.values():
        lang = a.data.get("language")
        yield a.rel, (lang if isinstance(lang, str) and lang else book), (a.data.line_of("language") if lang else 1)
    for page in list(pr.lessons.values()):
        lesson = page.typed.get("lesson") or {}
        lang = lesson.get("language") if isinstance(lesson, dict) else None
        if isinstance(lang, str) and lang:
            yield page.rel, lang, checks.locate(page.typed, ["lesson", "language"])
    yield "_config.yml", book, 1


def language_notes(pr: Project) -> list[Problem]:
    """A note for each language the book's texts use that has no rules file: those texts are not
    checked for reading level, terminology or wording (never checked by another language's rules)."""
    out = []
    for rel, lang, line in _texts_and_languages(pr):
        if i18n.rules(lang) is None:
            out.append(Problem(rel, line, _("note: the language '{lang}' has no rules file ({file}), so the reading "
                                            "level, the terminology and the wording of this text were not "
                                            "checked").format(lang=lang, file=i18n.rules_path(lang))))
    return out


def _check_words(pr: Project) -> list[Problem]:
    P: list[Problem] = []
    book = book_language(pr.root)
    langs = {a.rel: page_language(pr, a.data) for a in pr.activities.values()}
    files = [p for p in pr.root.joinpath("book").rglob("*.md")]
    files += list(pr.root.joinpath("activities").rglob("*.yml")) + list(pr.root.joinpath("notebooks").glob("*.ipynb"))
    files += [pr.root / "local.yml"]
    for p in files:
        rel = pr.rel(p)
        if rel in terminology.DISCUSSES_TERMS or not p.exists():
            continue
        try:
            P += terminology.lint_text(read_text(p, rel), rel, lang=langs.get(rel, book))
        except ContentError:
            pass                            # the loaders above report files that cannot be read
    # Reading level of student-facing text, by band, by the measure of its language.
    for a in pr.activities.values():
        limits = readability.limits(langs[a.rel])
        bands = [a.data.get("age_band")] if a.data.get("age_band") else list(a.data.get("audience") or [])
        bands = [b for b in bands if b in limits]
        if not bands or a.kind == "questionnaire":
            continue
        g = readability.grade(readability.student_text(a.kind, a.data), langs[a.rel])
        limit = min(limits[b] for b in bands)
        if g is not None and g > limit:
            P.append(Problem(a.rel, 1, _("reading level is {score}; for ages {bands} keep it at or below {limit} "
                                         "(shorter sentences, simpler words)").format(
                score=_score(g, langs[a.rel]), bands="/".join(bands), limit=limit)))
    limits = readability.limits(book)
    for rel, page in pr.pages.items():
        band = BAND_DIRS.get(Path(rel).parent.name)
        if band in limits and Path(rel).name == "take-home.md":
            g = readability.grade(readability.markdown_text(page.body), book)
            if g is not None and g > limits[band]:
                P.append(Problem(rel, page.body_line, _("reading level is {score}; a take-home sheet for ages {band} "
                                                        "keeps it at or below {limit}").format(
                    score=_score(g, book), band=band, limit=limits[band])))
    return P


def _score(g: float, lang: str) -> str:
    """A reading score named by its measure ("grade 6.2" for Flesch-Kincaid)."""
    measure = (readability.settings(lang) or {}).get("measure")
    if measure == "flesch-kincaid":
        return _("grade {score}").format(score=g)
    return _("{measure} {score}").format(measure=measure, score=g)


def reading_levels(pr: Project) -> dict[str, list[tuple[str, float]]]:
    """Measured reading level of each student-facing file, by band (for reports and the closing note),
    by the measure of the book's language (nothing for a language with no measure)."""
    book = book_language(pr.root)
    out: dict[str, list[tuple[str, float]]] = {b: [] for b in readability.limits(book)}
    for a in pr.activities.values():
        bands = [a.data.get("age_band")] if a.data.get("age_band") else list(a.data.get("audience") or [])
        lang = page_language(pr, a.data)
        for b in bands:
            g = readability.grade(readability.student_text(a.kind, a.data), lang) if a.kind != "questionnaire" else None
            if b in out and g is not None:
                out[b].append((a.rel, g))
    for rel, page in pr.pages.items():
        band = BAND_DIRS.get(Path(rel).parent.name)
        if band in out and Path(rel).name == "take-home.md":
            out[band].append((rel, readability.grade(readability.markdown_text(page.body), book)))
    for band in out:   # the self-paced modules' own teaching text
        nb = pr.root / "notebooks" / f"student-{band}.ipynb"
        if nb.is_file():
            cells = json.loads(nb.read_text(encoding="utf-8")).get("cells", [])
            body = "\n\n".join("".join(c.get("source", [])) for c in cells if c.get("cell_type") == "markdown")
            out[band].append((f"notebooks/{nb.name}", readability.grade(readability.markdown_text(body), book)))
    return out


def load_model(path, shown: str | None = None, kind: str | None = None):
    """The model object of one activity file, checked on its own (no cross-file checks); raises
    ContentError with every problem, so a file with problems never becomes a model."""
    shown = shown or str(path)
    act, problems = load_activity_file(path, shown)
    if problems:
        raise ContentError(problems)
    if kind is not None and act.kind != kind:
        raise ContentError([Problem(shown, act.data.line_of("kind"),
                                    _("this is a {found}; a {wanted} is needed here").format(found=act.kind, wanted=kind))])
    return act.model
