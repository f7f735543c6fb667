"""The whole book's content: discovery, loading and every cross-check between files."""
from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import checks, readability, schemas, terminology
from .check_timing import check_timing
from .problems import ContentError, Problem
from .yamlload import MAX_BYTES, LDict, cap, load_yaml_file, read_text, split_front_matter

KIND_DIRS = {"quiz": "quizzes", "scenario": "scenarios", "roleplay": "roleplays", "questionnaire": "evaluation",
             "handout": "handouts"}
BAND_DIRS = {"ages-9-11": "9-11", "ages-12-14": "12-14", "ages-15-18": "15-18"}
MIN_LESSON_QUIZ_ITEMS = 8
_VAGUE = {"understand", "know", "appreciate", "learn", "be", "become", "feel", "realise", "realize"}
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
    data: LDict


@dataclass
class Page:
    rel: str
    path: Path
    front: LDict | None
    body: str
    body_line: int
    typed: LDict = field(default_factory=LDict)   # the front matter's well-typed part (checks.typed)


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

    def rel(self, p: Path) -> str:
        try:   # the link itself, not where it points (a link to /dev/zero is still named as the link)
            return (p.parent.resolve() / p.name).relative_to(self.root).as_posix()
        except ValueError:
            return str(p)

    def activity(self, aid: str, kind: str | None = None) -> Activity:
        a = self.activities.get(aid)
        if a is None or (kind and a.kind != kind):
            raise KeyError(f"no {kind or 'activity'} with id '{aid}' under activities/")
        return a


def copy_tracked_files(root: Path, dest: Path) -> None:
    """Copy the book's files that git knows (tracked and new, not ignored): no _build, no caches."""
    import shutil
    import subprocess
    out = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=root,
                         capture_output=True, text=True, check=True).stdout
    for rel in filter(None, out.split("\0")):
        src = root / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)


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
        return None, [Problem(shown, 1, "should be a set of fields (kind, id, ...)")]
    kind = data.get("kind")
    if not isinstance(kind, str) or kind not in checks.CHECKERS:
        shown_kind = f"'{kind}'" if isinstance(kind, str) else checks._describe(kind)
        return None, [Problem(shown, data.line_of("kind") if "kind" in data else 1,
                              f"kind {shown_kind} is not allowed; use one of: {', '.join(checks.CHECKERS)}")]
    problems = cap(checks.CHECKERS[kind](data, shown))
    view = checks.typed_activity(kind, data)
    aid = view.get("id")
    return Activity(kind, aid if isinstance(aid, str) else "", path, shown, view), problems


LEAVES_BOOK = ("a link to a file outside the book; the build would publish that file: copy what you need "
               "into the book instead")


def _leaves_book(path: Path, root: Path) -> bool:
    """A symbolic link (or a file under a linked folder) whose target is outside the book's folder."""
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return True
    return False


def load_project(root: Path | None = None) -> Project:
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
                P.append(Problem("references.bib", text[:m.start()].count("\n") + 1, f"key '{key}' appears twice"))
            pr.bib_keys.add(key)
    else:
        P.append(Problem("references.bib", 1, "the bibliography is missing"))

    for kind, d in KIND_DIRS.items():
        for path in sorted((root / "activities" / d).glob("*")):
            if path.suffix not in (".yml", ".yaml"):
                if path.is_file() and not path.name.startswith("."):
                    P.append(Problem(pr.rel(path), 1, "activities are YAML files ending in .yml"))
                continue
            shown = pr.rel(path)
            if _leaves_book(path, root):
                P.append(Problem(path.relative_to(root).as_posix(), 1, LEAVES_BOOK))
                continue
            act, probs = load_activity_file(path, shown)
            P.extend(probs)
            if act is None:
                continue
            if act.kind != kind:
                P.append(Problem(shown, act.data.line_of("kind"), f"a {act.kind} belongs in activities/{KIND_DIRS[act.kind]}/"))
            if not act.id:                  # the schema reported the id; keep the activity under its path
                pr.activities[shown] = act
                continue
            if act.id != path.stem:
                P.append(Problem(shown, act.data.line_of("id"), f"id '{act.id}' should match the file name '{path.stem}'"))
            if act.id in pr.activities:
                P.append(Problem(shown, act.data.line_of("id"), f"id '{act.id}' is already used by {pr.activities[act.id].rel}"))
            pr.activities[act.id] = act

    for path in sorted((root / "book").rglob("*.md")):
        rel = pr.rel(path)
        if _leaves_book(path, root):
            P.append(Problem(path.relative_to(root).as_posix(), 1, LEAVES_BOOK))
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
                P.append(Problem(rel, front.line_of("lesson"), f"lesson id '{lid}' is already used by {pr.lessons[lid].rel}"))
            pr.lessons[lid if isinstance(lid, str) and lid else rel] = page
        if isinstance(front, dict) and "workshop" in front:
            page.typed = checks.typed(front, FRONT_SCHEMAS["workshop"]) or LDict()
            wid = (page.typed.get("workshop") or {}).get("id")
            pr.workshops[wid if isinstance(wid, str) and wid and wid not in pr.workshops else rel] = page

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
        P.append(Problem("local.yml", 1, "the local contacts file is missing"))
    return pr


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
    from .check_pages import check_bib, check_pages
    P += check_pages(pr) + check_bib(pr.root)
    return cap(sorted(set(P)))


def _check_lessons(pr: Project) -> list[Problem]:
    P: list[Problem] = []
    bands_with_practice: dict[str, bool] = {}
    for lid, page in pr.lessons.items():
        rel, fm = page.rel, page.front
        if not isinstance(fm["lesson"], dict):
            P.append(Problem(rel, fm.line_of("lesson"), "lesson: should be a set of fields"))
            continue
        P += checks.schema_problems(fm, FRONT_SCHEMAS["lesson"], rel)
        extra = [k for k in fm if k not in ("lesson",)]
        for k in extra:
            P.append(Problem(rel, fm.line_of(k), f"{k}: unknown front-matter field; lesson pages hold everything under 'lesson:'"))
        # From here on only the well-typed part: the schema has reported the rest.
        tfm = page.typed
        lesson = tfm.get("lesson") or LDict()
        loc = lambda *ks: checks.locate(tfm, ["lesson", *ks])  # noqa: E731
        band_dir = Path(rel).parent.name
        if BAND_DIRS.get(band_dir) and lesson.get("age_band") != BAND_DIRS[band_dir]:
            P.append(Problem(rel, loc("age_band"), f"age_band '{lesson.get('age_band')}' does not match the folder {band_dir}"))
        steps = [s for s in lesson.get("steps") or [] if isinstance(s, dict)]
        total = sum(s.get("minutes", 0) for s in steps if isinstance(s.get("minutes"), int))
        if isinstance(lesson.get("duration"), int) and steps and total != lesson["duration"]:
            P.append(Problem(rel, loc("steps"), f"the steps add up to {total} minutes, but the duration is {lesson['duration']}"))
        order = {"starter": 0, "main": 1, "plenary": 2}
        phases = [order.get(s.get("phase"), -1) for s in steps]
        if steps and (phases != sorted(phases) or phases[0] != 0 or phases[-1] != 2 or 1 not in phases):
            P.append(Problem(rel, loc("steps"), "steps go starter, then main (one or more), then plenary"))
        oids = []
        for i, o in enumerate(lesson.get("objectives") or []):
            if not isinstance(o, dict):
                continue
            oids.append(o.get("id"))
            words = str(o.get("text", "")).split()
            if len(words) < 3 or words[:2] not in (["Learners", "can"], ["Participants", "can"]):
                P.append(Problem(rel, loc("objectives", i), f"objective {o.get('id')}: write it as 'Learners can <do something observable>'"))
            elif words[2].lower() in _VAGUE:
                P.append(Problem(rel, loc("objectives", i),
                                 f"objective {o.get('id')}: '{words[2]}' cannot be observed; use a verb such as name, explain, spot, choose, show, practise"))
        if len(oids) != len(set(oids)):
            P.append(Problem(rel, loc("objectives"), "objective ids must be different"))
        qid = (lesson.get("assessment") or {}).get("quiz") if isinstance(lesson.get("assessment"), dict) else None
        if qid:
            q = pr.activities.get(qid)
            if q is None or q.kind != "quiz":
                P.append(Problem(rel, loc("assessment", "quiz"), f"quiz '{qid}' does not exist under activities/quizzes/"))
            elif q.data.get("lesson") != lid:
                P.append(Problem(rel, loc("assessment", "quiz"), f"quiz '{qid}' says 'lesson: {q.data.get('lesson')}', not '{lid}'"))
        band = lesson.get("age_band")
        for i, s in enumerate(steps):
            aid = s.get("activity")
            if aid:
                a = pr.activities.get(aid)
                if a is None:
                    P.append(Problem(rel, loc("steps", i, "activity"), f"activity '{aid}' does not exist under activities/"))
                elif a.kind in ("scenario", "roleplay"):
                    bands_with_practice[band] = True
        bands_with_practice.setdefault(band, False)
        if page.body.strip():
            for n, line in enumerate(page.body.splitlines(), start=page.body_line):
                if re.match(r"#\s", line):
                    P.append(Problem(rel, n, "a lesson page gets its title from the front matter; remove this '# ' heading"))
    for band, ok in bands_with_practice.items():
        if not ok and band in schemas.BANDS:
            first = next(p for p in pr.lessons.values() if (p.typed.get("lesson") or {}).get("age_band") == band)
            P.append(Problem(first.rel, 1, f"no lesson for ages {band} uses a scenario or role-play in its steps"))
    # Quizzes tied to lessons.
    for a in pr.activities.values():
        if a.kind != "quiz" or not a.data.get("lesson"):
            continue
        lid = a.data["lesson"]
        page = pr.lessons.get(lid)
        if page is None:
            P.append(Problem(a.rel, a.data.line_of("lesson"), f"lesson '{lid}' does not exist"))
            continue
        lesson = page.typed.get("lesson")
        if not isinstance(lesson, dict):
            continue
        if lesson.get("age_band") != a.data.get("age_band"):
            P.append(Problem(a.rel, a.data.line_of("age_band"), f"age_band differs from lesson '{lid}' ({lesson.get('age_band')})"))
        objs = {o.get("id") for o in lesson.get("objectives") or [] if isinstance(o, dict)}
        covered = set()
        items = [it for it in a.data.get("items") or [] if isinstance(it, dict)]
        if len(items) < MIN_LESSON_QUIZ_ITEMS:
            P.append(Problem(a.rel, a.data.line_of("items"), f"a lesson quiz needs at least {MIN_LESSON_QUIZ_ITEMS} items (it has {len(items)})"))
        for i, it in enumerate(items):
            o = it.get("objectives")
            if not o:
                P.append(Problem(a.rel, checks.locate(a.data, ["items", i]), f"item {it.get('id')}: name the lesson objective(s) it assesses in 'objectives'"))
                continue
            for x in o:
                if x not in objs:
                    P.append(Problem(a.rel, checks.locate(a.data, ["items", i, "objectives"]),
                                     f"item {it.get('id')}: objective '{x}' is not in lesson {lid} ({', '.join(sorted(map(str, objs)))})"))
                covered.add(x)
        for o in sorted(objs - covered, key=str):
            P.append(Problem(a.rel, a.data.line_of("items"), f"objective '{o}' of lesson {lid} is not assessed by any item"))
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
                             f"the sessions add up to {total} minutes, but the duration is {w['duration']}"))
        for i, s in enumerate(sessions):
            acts = [a for a in s.get("activities") or [] if isinstance(a, dict)]
            am = sum(a.get("minutes", 0) for a in acts if isinstance(a.get("minutes"), int))
            if isinstance(s.get("minutes"), int) and am > s["minutes"]:
                P.append(Problem(rel, checks.locate(fm, ["workshop", "sessions", i]),
                                 f"session {s.get('id')}: its activities take {am} minutes, more than its {s['minutes']}"))
            for j, a in enumerate(acts):
                if a.get("activity") and a["activity"] not in pr.activities:
                    P.append(Problem(rel, checks.locate(fm, ["workshop", "sessions", i, "activities", j, "activity"]),
                                     f"activity '{a['activity']}' does not exist under activities/"))
    return P


def _check_activity_links(pr: Project) -> list[Problem]:
    P = []
    for a in pr.activities.values():
        if a.kind == "scenario" and a.data.get("lesson") and a.data["lesson"] not in pr.lessons:
            P.append(Problem(a.rel, a.data.line_of("lesson"), f"lesson '{a.data['lesson']}' does not exist"))
        if a.kind == "handout" and isinstance(a.data.get("lesson"), str):
            page = pr.lessons.get(a.data["lesson"])
            if page is None and a.data["lesson"] in pr.workshops:
                continue  # a workshop's handout (parents, peer educators, trainers): listed on the workshop page
            if page is None:
                P.append(Problem(a.rel, a.data.line_of("lesson"), f"lesson '{a.data['lesson']}' does not exist"))
                continue
            band = page.front["lesson"].get("age_band") if isinstance(page.front["lesson"], dict) else None
            aud = a.data.get("audience") if isinstance(a.data.get("audience"), list) else []
            if band and any(x in BAND_DIRS.values() for x in aud) and band not in aud:
                P.append(Problem(a.rel, a.data.line_of("audience"),
                                 f"lesson '{a.data['lesson']}' is for ages {band}; this handout's audience does not include it"))
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
                P.append(Problem(rel, checks.locate(data, path + [i]), f"source '{key}' is not a key in references.bib"))
    for rel, page in pr.pages.items():
        for n, line in enumerate(page.body.splitlines(), start=page.body_line):
            for m in _CITE.finditer(line):
                for key in m.group(1).split(","):
                    if key.strip() not in pr.bib_keys:
                        P.append(Problem(rel, n, f"citation '{key.strip()}' is not a key in references.bib"))
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
                                            f"glob '{node['glob']}' is not a pattern of files inside the book"))
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
            P.append(Problem("_toc.yml", 1, f"'{f}' is in the table of contents but no such page exists"))
    for base, pattern in (("book", "*.md"), ("notebooks", "*.ipynb")):
        for p in sorted((pr.root / base).rglob(pattern)):
            if ".ipynb_checkpoints" in p.parts:
                continue
            rel = pr.rel(p)
            if rel.rsplit(".", 1)[0] not in named:
                P.append(Problem(rel, 1, "this page is not in _toc.yml, so readers cannot reach it; add it there"))
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
            P.append(Problem(rel, 1, f"not a valid notebook: {msg}"))
            continue
        for i, cell in enumerate(nb.cells):
            if cell.get("cell_type") == "code" and (cell.get("outputs") or cell.get("execution_count")):
                P.append(Problem(rel, 1, f"cell {i + 1} has saved outputs; clear them before committing (the build runs the notebook)"))
            for n, line in enumerate(cell.get("source", "").splitlines(), 1):
                for m in _CITE.finditer(line):
                    for key in m.group(1).split(","):
                        if key.strip() not in pr.bib_keys:
                            P.append(Problem(rel, 1, f"cell {i + 1}: citation '{key.strip()}' is not a key in references.bib"))
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
        return [], [Problem(rel, first, f"not a readable CSV line ({exc})")]
    if not header:
        return [], [Problem(rel, first, "the file is empty; the first line names the columns")]
    header = [h.strip() for h in header]
    for need in ("source", "note"):
        if need not in header:
            P.append(Problem(rel, first, f"no '{need}' column: every figure names its source and a note"))
    numbered = enumerate(reader, start=first + 1)
    while True:
        try:
            n, row = next(numbered)
        except StopIteration:
            break
        except csv.Error as exc:
            P.append(Problem(rel, first + reader.line_num - 1, f"not a readable CSV line ({exc}); the rest of the file is not read"))
            break
        if not row or not any(c.strip() for c in row):
            continue
        if len(row) != len(header):
            P.append(Problem(rel, n, f"{len(row)} values, but the header names {len(header)} columns"))
            continue
        rec = dict(zip(header, (c.strip() for c in row)))
        if "source" in rec and rec["source"] not in bib_keys:
            P.append(Problem(rel, n, f"source '{rec['source']}' is not a key in references.bib"))
        rows.append(rec)
    return rows, P


def _check_data(pr: Project) -> list[Problem]:
    P = []
    for p in sorted((pr.root / "data").glob("*.csv")):
        P += read_sourced_csv(p, pr.rel(p), pr.bib_keys)[1]
    return P


def _check_words(pr: Project) -> list[Problem]:
    P: list[Problem] = []
    files = [p for p in pr.root.joinpath("book").rglob("*.md")]
    files += list(pr.root.joinpath("activities").rglob("*.yml")) + list(pr.root.joinpath("notebooks").glob("*.ipynb"))
    files += [pr.root / "local.yml"]
    for p in files:
        rel = pr.rel(p)
        if rel in terminology.DISCUSSES_TERMS or not p.exists():
            continue
        try:
            P += terminology.lint_text(read_text(p, rel), rel)
        except ContentError:
            pass                            # the loaders above report files that cannot be read
    # Reading level of student-facing text, by band.
    for a in pr.activities.values():
        bands = [a.data.get("age_band")] if a.data.get("age_band") else list(a.data.get("audience") or [])
        limits = [readability.LIMITS[b] for b in bands if b in readability.LIMITS]
        if not limits or a.kind == "questionnaire":
            continue
        g = readability.grade(readability.student_text(a.kind, a.data))
        if g > min(limits):
            P.append(Problem(a.rel, 1, f"reading level is grade {g}; for ages {'/'.join(b for b in bands if b in readability.LIMITS)} keep it at or below {min(limits)} (shorter sentences, simpler words)"))
    for rel, page in pr.pages.items():
        band = BAND_DIRS.get(Path(rel).parent.name)
        if band and Path(rel).name == "take-home.md":
            g = readability.grade(readability.markdown_text(page.body))
            if g > readability.LIMITS[band]:
                P.append(Problem(rel, page.body_line, f"reading level is grade {g}; a take-home sheet for ages {band} keeps it at or below {readability.LIMITS[band]}"))
    return P


def reading_levels(pr: Project) -> dict[str, list[tuple[str, float]]]:
    """Measured reading level of each student-facing file, by band (for reports and the closing note)."""
    out: dict[str, list[tuple[str, float]]] = {b: [] for b in readability.LIMITS}
    for a in pr.activities.values():
        bands = [a.data.get("age_band")] if a.data.get("age_band") else list(a.data.get("audience") or [])
        for b in bands:
            if b in out and a.kind != "questionnaire":
                out[b].append((a.rel, readability.grade(readability.student_text(a.kind, a.data))))
    for rel, page in pr.pages.items():
        band = BAND_DIRS.get(Path(rel).parent.name)
        if band and Path(rel).name == "take-home.md":
            out[band].append((rel, readability.grade(readability.markdown_text(page.body))))
    for band in out:   # the self-paced modules' own teaching text
        nb = pr.root / "notebooks" / f"student-{band}.ipynb"
        if nb.is_file():
            cells = json.loads(nb.read_text(encoding="utf-8")).get("cells", [])
            body = "\n\n".join("".join(c.get("source", [])) for c in cells if c.get("cell_type") == "markdown")
            out[band].append((f"notebooks/{nb.name}", readability.grade(readability.markdown_text(body))))
    return out
