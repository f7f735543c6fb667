"""The whole book's content: discovery, loading and every cross-check between files."""
from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import checks, i18n, schemas
from .i18n import _
from .problems import ContentError, Problem
from .schemacheck import _describe
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


def _checks_state() -> tuple:
    """What an activity's checks read besides the file: the language of the messages (and its
    catalog) and the language rules (data/languages/*.yml, or SPOTTHELURE_LANGUAGES)."""
    lang = i18n.current_language()
    d = i18n.languages_dir()
    try:
        rules = tuple(sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in d.glob("*.yml")))
    except OSError:
        rules = ()
    return lang, i18n.translations(lang), str(d), rules


# (text's hash, shown path, _checks_state()) -> (kind or None, problems, the typed view (pickled: each
# caller gets a copy of its own, which it may change), the model (frozen, so shared)): a file checked
# once per process (the tests, `validate` after a build) is not parsed and checked again.
_checked: dict = {}


def _check_activity_text(text: str, shown: str) -> tuple:
    from .yamlload import parse_yaml
    try:
        data = parse_yaml(text, shown)
    except ContentError as e:
        return None, None, tuple(e.problems)
    if not isinstance(data, dict):
        return None, None, (Problem(shown, 1, _("should be a set of fields (kind, id, ...)")),)
    kind = data.get("kind")
    if not isinstance(kind, str) or kind not in checks.CHECKERS:
        shown_kind = f"'{kind}'" if isinstance(kind, str) else _describe(kind)
        return None, None, (Problem(shown, data.line_of("kind") if "kind" in data else 1,
                                    _("kind {kind} is not allowed; use one of: {allowed}").format(
                                        kind=shown_kind, allowed=", ".join(checks.CHECKERS))),)
    return kind, data, tuple(cap(checks.CHECKERS[kind](data, shown)))


def _cached(cache: dict, key: tuple, make):
    """``cache[key]``, made by ``make()`` the first time (at most 4,096 entries; then it starts again)."""
    got = cache.get(key)
    if got is None:
        got = make()
        if len(cache) >= 4096:
            cache.clear()
        cache[key] = got
    return got


def _text_key(text: str, shown: str, state: tuple | None) -> tuple:
    import hashlib
    return (hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=20).digest(), shown,
            _checks_state() if state is None else state)


def load_activity_file(path: Path, shown: str, state: tuple | None = None) -> tuple[Activity | None, list[Problem]]:
    """Load and check one activity file on its own (no cross-file checks).

    The activity holds the typed view of its data (checks.typed_activity): the whole file when it
    has no problems; without the wrong-typed values (which the schema reported) when it has. Each call
    gets a view of its own, so a caller may change it; the model is frozen (shared between calls).
    ``state``: _checks_state(), when the caller has it already (a book's every file).
    """
    try:
        text = read_text(path, shown)
    except ContentError as e:
        return None, e.problems
    import pickle

    def check():
        kind, data, problems = _check_activity_text(text, shown)
        view = model = None
        if kind is not None:
            view = checks.typed_activity(kind, data)
            model = None if problems else activity_from_data(kind, view, shown)
        return kind, problems, pickle.dumps(view, pickle.HIGHEST_PROTOCOL), model
    kind, problems, blob, model = _cached(_checked, _text_key(text, shown, state), check)
    if kind is None:
        return None, list(problems)
    view = pickle.loads(blob)
    aid = view.get("id")
    return Activity(kind, aid if isinstance(aid, str) else "", path, shown, view, model), list(problems)


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
    state = _checks_state()

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
            act, probs = load_activity_file(path, shown, state)
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
            page = _read_page(path, rel, state)
        except ContentError as e:
            P.extend(e.problems)
            continue
        front = page.front
        pr.pages[rel] = page
        # Lessons and workshops are kept under their id, or under their path while the id is wrong.
        if isinstance(front, dict) and "lesson" in front:
            lid = (page.typed.get("lesson") or {}).get("id")
            if lid and lid in pr.lessons:
                P.append(Problem(rel, front.line_of("lesson"), _("lesson id '{id}' is already used by {other}").format(
                    id=lid, other=pr.lessons[lid].rel)))
            pr.lessons[lid if isinstance(lid, str) and lid else rel] = page
        if isinstance(front, dict) and "workshop" in front:
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
        P.append(Problem("local.yml", 1, _("the local contacts file is missing")))
    return pr


# (text's hash, shown path, _checks_state()) -> the page read and checked: its front matter, body and
# typed front matter (pickled) and a lesson's or workshop's model (frozen, so shared). A page read again
# in the same process (the tests load the book many times) is not parsed and checked again, and each
# caller gets a page of its own, which it may change.
_pages_read: dict = {}


def _read_page(path: Path, rel: str, state: tuple) -> Page:
    """One page of the book: its front matter, body, and a lesson's or workshop's typed front matter and
    model (raises ContentError when the file cannot be read or its front matter is not closed)."""
    import pickle
    text = read_text(path, rel)

    def read():
        front, body, body_line = split_front_matter(text, rel)
        page = Page(rel, path, front, body, body_line)
        for name, cls in (("lesson", Lesson), ("workshop", Workshop)):
            if isinstance(front, dict) and name in front:
                page.typed = checks.typed(front, FRONT_SCHEMAS[name]) or LDict()
                page.model = _front_model(page, name, cls)
        return pickle.dumps((front, body, body_line, page.typed), pickle.HIGHEST_PROTOCOL), page.model
    blob, model = _cached(_pages_read, _text_key(text, rel, state), read)
    front, body, body_line, typed = pickle.loads(blob)
    return Page(rel, path, front, body, body_line, typed, model)


def _front_model(page: Page, key: str, cls):
    """The model of a lesson's or workshop's front matter, or None when it has any problem."""
    fm = page.front
    if not isinstance(fm, dict) or (key == "lesson" and set(fm) != {key}):   # a lesson page holds only 'lesson:'
        return None
    if checks.schema_problems(fm, FRONT_SCHEMAS[key], page.rel):
        return None
    return cls.from_data(page.typed[key], page.rel)


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
