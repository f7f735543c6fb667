"""Build state: what the notebooks, printables and downloads were last made from.

Fingerprints hash file *contents* (not times), so touching or checking out a file again rebuilds
nothing. Notebooks are invalidated one by one:

- a student notebook re-runs only when an activity it shows changed: the ids passed to ``show()``,
  ``summary()`` and the like in its code cells;
- a notebook that reads ``data/`` or ``references.bib`` (facts and figures) re-runs only when those change;
- any notebook re-runs when ``local.yml`` or the package itself changed (its output may use either).

Stamps in the doctree folder record the inputs a step last ran on; a build with a warning or an error
drops them all, so the next build checks (and reports) again.
"""
from __future__ import annotations

import ast
import hashlib
import json
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
# Calls whose string arguments (or list of strings) name the activities a notebook shows.
SHOWS = ("show", "summary", "summary_html", "load_questionnaire")
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_READS_DATA = re.compile(r"load_figures|data/|references\.bib")


def file_hash(path: Path) -> str:
    h = hashlib.sha256()
    try:
        h.update(path.read_bytes())
    except OSError:
        return "-"
    return h.hexdigest()


def tree_hash(paths) -> str:
    """One hash of the contents and relative names of every file under ``paths`` (files or folders)."""
    h = hashlib.sha256()
    for base in paths:
        base = Path(base)
        files = sorted(q for q in base.rglob("*") if q.is_file() and "__pycache__" not in q.parts) if base.is_dir() \
            else [base]
        for q in files:
            h.update(f"{q.relative_to(base.parent).as_posix()}\0{file_hash(q)}\n".encode())
    return h.hexdigest()


def notebook_ids(nb_path: Path) -> list[str] | None:
    """The activity ids a notebook's code cells pass to ``show()``, ``summary()`` and the like, or None
    when a cell cannot be read as Python (then every activity counts as shown)."""
    try:
        cells = json.loads(nb_path.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError):
        return None
    ids: set[str] = set()
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        src = cell.get("source", "")
        src = "".join(src) if isinstance(src, list) else str(src)
        try:
            tree = ast.parse(src)
        except SyntaxError:
            return None
        for call in ast.walk(tree):
            if not isinstance(call, ast.Call):
                continue
            name = getattr(call.func, "id", None) or getattr(call.func, "attr", None)
            if name not in SHOWS:
                continue
            for arg in call.args:
                for const in ast.walk(arg):
                    if isinstance(const, ast.Constant) and isinstance(const.value, str) and _ID.fullmatch(const.value):
                        ids.add(const.value)
    return sorted(ids)


def reads_data(nb_path: Path) -> bool:
    try:
        return bool(_READS_DATA.search(nb_path.read_text(encoding="utf-8")))
    except OSError:
        return False


class Inputs:
    """Content hashes of a book's inputs, taken once a build (lazily, part by part)."""

    def __init__(self, srcdir: Path):
        self.src = Path(srcdir)
        self._cache: dict[str, str] = {}

    def _get(self, key, make):
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def package(self) -> str:
        return self._get("package", lambda: tree_hash([PACKAGE]))

    def local(self) -> str:
        return self._get("local", lambda: file_hash(self.src / "local.yml"))

    def data(self) -> str:
        return self._get("data", lambda: tree_hash([self.src / "data", self.src / "references.bib"]))

    def activities(self) -> str:
        return self._get("activities", lambda: tree_hash([self.src / "activities"]))

    def activity(self, path: Path) -> str:
        return self._get("a:" + str(path), lambda: file_hash(path))

    def locales(self) -> str:
        """The translations (PO catalogs and review records; not the .mo files builds compile)."""
        def make():
            h = hashlib.sha256()
            for q in sorted((self.src / "locales").rglob("*")):
                if q.is_file() and q.suffix in (".po", ".yml"):
                    h.update(f"{q.relative_to(self.src).as_posix()}\0{file_hash(q)}\n".encode())
            return h.hexdigest()
        return self._get("locales", make)

    def lessons(self) -> str:
        """The lesson pages (a lesson's SCORM package takes its title and activities from its front matter)."""
        return self._get("lessons", lambda: tree_hash([self.src / "book" / "teachers"]))

    def everything(self) -> str:
        """What the printables and downloads are made from (their words: the catalogs too)."""
        h = hashlib.sha256("\0".join((self.package(), self.local(), self.data(), self.activities(),
                                      self.locales(), self.lessons())).encode())
        return h.hexdigest()

    def notebook(self, nb_path: Path, activity_paths: dict[str, Path]) -> str:
        """What one notebook's outputs depend on besides its own cells."""
        parts = [self.package(), self.local()]
        data = reads_data(nb_path)
        if data:
            parts.append(self.data())
        ids = notebook_ids(nb_path)
        if ids is None or (not ids and not data):
            parts.append(self.activities())   # shows no activity by id and reads no data: assume all
        for aid in ids or []:
            p = activity_paths.get(aid)
            parts.append(f"{aid}={self.activity(p) if p else '-'}")
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def inputs(app) -> Inputs:
    st = getattr(app, "_spotthelure_inputs", None)
    if st is None:
        st = Inputs(Path(app.srcdir))
        app._spotthelure_inputs = st
    return st


def _stamp(app, name: str) -> Path:
    return Path(app.doctreedir) / f"spotthelure-{name}.json"


def read_stamp(app, name: str) -> dict:
    try:
        data = json.loads(_stamp(app, name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_stamp(app, name: str, **data) -> None:
    _stamp(app, name).parent.mkdir(parents=True, exist_ok=True)
    _stamp(app, name).write_text(json.dumps(data), encoding="utf-8")


def outputs_current(app, name: str, key: str) -> bool:
    """Whether the files a step wrote (recorded by :func:`record_outputs` under ``name``) were made
    from inputs ``key`` and are all still in the output folder: then the step has nothing to do."""
    stamp = read_stamp(app, name)
    files = stamp.get("files") if stamp.get("inputs") == key else None
    return bool(files) and all((Path(app.outdir) / f).is_file() for f in files)


def record_outputs(app, name: str, key: str, written: list[Path]) -> None:
    write_stamp(app, name, inputs=key, files=[Path(p).relative_to(app.outdir).as_posix() for p in written])


def on_env_get_outdated(app, env, added, changed, removed):
    """Run a notebook again when what it reads changed, not only its own cells.

    The execution cache knows a notebook by its code cells, so a new quiz in activities/ or a school's
    contacts in local.yml would otherwise keep the old outputs. (All builders share the cache.)
    Only the notebooks whose inputs changed lose their cache record and are read again.
    """
    notebooks = sorted(d for d in env.found_docs if str(env.doc2path(d)).endswith(".ipynb"))
    if not notebooks:
        return []
    # An activity's id is its file's name (the validator sees to it): no need to load the content.
    paths = {p.stem: p for p in sorted(Path(app.srcdir, "activities").glob("*/*.y*ml"))}
    state = inputs(app)
    now = {d: state.notebook(Path(env.doc2path(d)), paths) for d in notebooks}
    cache_dir = Path(env.mystnb_config.execution_cache_path or Path(app.outdir).parent / ".jupyter_cache")
    # The execution cache is shared by every build of the book (each language, singlehtml): the
    # record of what its outputs were made from lives beside it, so a notebook runs once for all.
    shared = cache_dir.parent / "spotthelure-notebook-inputs.json"
    try:
        ran_on = json.loads(shared.read_text(encoding="utf-8")).get("notebooks", {})
    except (OSError, ValueError, AttributeError):
        ran_on = {}
    stale_cache = [d for d in notebooks if ran_on.get(d) != now[d]]
    if stale_cache and cache_dir.exists():
        from jupyter_cache import get_cache
        cache = get_cache(str(cache_dir))
        stale_paths = {str(Path(env.doc2path(d)).resolve()) for d in stale_cache}
        for rec in cache.list_cache_records():
            if str(Path(rec.uri).resolve()) in stale_paths:
                cache.remove_cache(rec.pk)
    if stale_cache:
        shared.parent.mkdir(parents=True, exist_ok=True)
        shared.write_text(json.dumps({"notebooks": {**ran_on, **now}}), encoding="utf-8")
    # This build's pages of the notebooks are read again when their inputs changed since it last
    # read them (from the cache when another build ran them already).
    old = read_stamp(app, "notebook-inputs").get("notebooks", {})
    stale = [d for d in notebooks if old.get(d) != now[d]]
    write_stamp(app, "notebook-inputs", notebooks=now)
    return [d for d in stale if d not in changed and d not in added]


def on_build_finished(app, exc):
    """Write the printables, downloads and country fact sheets; skipped when none of their inputs
    changed and all exist."""
    if exc is not None or app.builder.format != "html":
        return
    from ..render_print import write_site_files
    from .content import project
    name, key = f"site-files-{app.builder.name}", inputs(app).everything()
    if outputs_current(app, name, key):
        return
    from ..factsheet import write_site_sheets
    pr = project(app)
    written = write_site_files(pr, Path(app.outdir)) + write_site_sheets(Path(app.srcdir), Path(app.outdir), pr)
    record_outputs(app, name, key, written)


def on_build_finished_stamps(app, exc):
    if exc is not None or getattr(app, "_warncount", 0):
        for stamp in Path(app.doctreedir).glob("spotthelure-*.json"):
            stamp.unlink(missing_ok=True)
