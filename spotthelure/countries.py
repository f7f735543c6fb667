"""Sourced help directories for countries, kept in ``data/countries/<CODE>.yml``.

Each file names one country by its ISO 3166-1 alpha-2 code (Kosovo: ``XK``) and lists, by kind of
help (the kinds of the Get help box: emergency, helplines, reporting_routes, takedown), the
services a child or an adult there can reach. Every entry names the page it was found on
(``source``, an address) and the day it was checked (``checked``); phone numbers are digits,
spaces and a leading ``+`` only. A file may also give key figures for the country's fact sheet,
each with its source, the page or place in the source and the year the figure is for.

``local.yml`` may say ``country: SE``: the Get help box then shows that country's entries as
well as the school's own. **The school's entries win**: a ``local.yml`` entry with the same ``id``
as a country entry, or (when it has no ``id``) the same name (case and spacing ignored), replaces
it in place. The country's entries come first, in the file's order, then the school's other
entries. A book that names no country shows only what ``local.yml`` lists.

:func:`attach` is the loader's one call: it checks every country file and merges the named one.
"""
from __future__ import annotations

import re
from pathlib import Path

from .i18n import _
from .problems import ContentError, Problem
from .yamlload import LDict, LList, load_yaml_file

KINDS = ("emergency", "helplines", "reporting_routes", "takedown")
FOLDER = Path("data") / "countries"
END = r"(?![\s\S])"
CODE = {"type": "string", "pattern": r"^[A-Z]{2}" + END}
ID = {"type": "string", "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*" + END}
TEXT = {"type": "string", "minLength": 1}
DATE = {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}" + END}
PHONE = {"type": "string", "pattern": r"^\+?[0-9]+( [0-9]+)*" + END}
URL = {"type": "string", "pattern": r"^https://[^\s<>\"]+" + END}
SOURCE = {"type": "string", "minLength": 1}     # an address, or a key in references.bib (figures)
AGES = {"type": "object", "additionalProperties": False, "properties": {
    "min": {"type": "integer", "minimum": 0, "maximum": 120},
    "max": {"type": "integer", "minimum": 0, "maximum": 120}}}


def _obj(required: dict, optional: dict | None = None) -> dict:
    props = {**required, **(optional or {})}
    return {"type": "object", "properties": props, "required": list(required), "additionalProperties": False}


def _arr(item: dict, min_items: int = 0) -> dict:
    return {"type": "array", "items": item, "minItems": min_items}


ENTRY = _obj({"id": ID, "name": TEXT, "for": TEXT, "source": URL, "checked": DATE},
             {"phone": _arr(PHONE, 1), "web": TEXT, "hours": TEXT, "ages": AGES, "note": TEXT})
FIGURE = _obj({"id": ID, "text": TEXT, "year": {"type": "integer", "minimum": 1990, "maximum": 2100},
               "source": SOURCE, "page": TEXT, "checked": DATE},
              {"about": TEXT})
COUNTRY = _obj({"country": CODE, "name": TEXT, "languages": _arr({"type": "string", "pattern": r"^[a-z]{2,3}(-[A-Z][a-z]{3})?" + END}, 1)},
               {**{k: _arr(ENTRY) for k in KINDS}, "figures": _arr(FIGURE), "gaps": _arr(TEXT)})


def folder(root: Path) -> Path:
    return Path(root) / FOLDER


def files(root: Path) -> list[Path]:
    """The country files (``_template.yml`` and other names starting with ``_`` are not countries)."""
    d = folder(root)
    return sorted(p for p in d.glob("*.yml") if not p.name.startswith("_")) if d.is_dir() else []


def _norm(name) -> str:
    return " ".join(str(name).split()).casefold()


def contact(entry: dict) -> str:
    """What the Get help box prints as the contact: the numbers, then the web address."""
    parts = [str(p) for p in entry.get("phone") or []]
    if entry.get("web"):
        parts.append(str(entry["web"]))
    return _(" or ").join(parts)


def problems_of(data, shown: str, code: str, bib_keys=None) -> list[Problem]:
    """Schema problems and the rules a schema cannot say, each at its line (a figure's source
    is checked against ``bib_keys`` when they are given)."""
    from .checks import locate, schema_problems
    out = schema_problems(data, COUNTRY, shown)
    if not isinstance(data, dict):
        return out
    if isinstance(data.get("country"), str) and data["country"] != code:
        out.append(Problem(shown, locate(data, ["country"]),
                           _("country '{given}' does not match the file name ({code}.yml)").format(given=data["country"], code=code)))
    seen: dict = {}
    for kind in KINDS:
        rows = data.get(kind)
        for i, e in enumerate(rows if isinstance(rows, list) else []):
            if not isinstance(e, dict):
                continue
            line = locate(data, [kind, i])
            if not e.get("phone") and not e.get("web"):
                out.append(Problem(shown, line, _("{kind}[{n}]: give a phone number or a web address").format(kind=kind, n=i + 1)))
            if isinstance(e.get("id"), str):
                if e["id"] in seen:
                    out.append(Problem(shown, locate(data, [kind, i, "id"]),
                                       _("{kind}[{n}]: id '{id}' is already used at line {line}").format(kind=kind, n=i + 1, id=e["id"], line=seen[e["id"]])))
                seen.setdefault(e["id"], locate(data, [kind, i, "id"]))
            ages = e.get("ages")
            if isinstance(ages, dict) and isinstance(ages.get("min"), int) and isinstance(ages.get("max"), int) \
                    and ages["min"] > ages["max"]:
                out.append(Problem(shown, locate(data, [kind, i, "ages"]),
                                   _("{kind}[{n}] ages: min ({min}) is above max ({max})").format(kind=kind, n=i + 1, min=ages["min"], max=ages["max"])))
    figs = data.get("figures")
    for i, f in enumerate(figs if isinstance(figs, list) else []):
        src = f.get("source") if isinstance(f, dict) else None
        if isinstance(src, str) and src and not re.match(r"^https?://\S+$", src) and bib_keys is not None \
                and src not in bib_keys:
            out.append(Problem(shown, locate(data, ["figures", i, "source"]),
                               _("figures[{n}] source '{src}' is not an address or a key in references.bib").format(n=i + 1, src=src)))
    return out


def load(root: Path, code: str, bib_keys=None) -> tuple[dict | None, list[Problem]]:
    """The country file of ``code`` (or None) and its problems, paths shown from the book's root."""
    path = folder(root) / f"{code}.yml"
    shown = str(FOLDER / f"{code}.yml")
    if not path.is_file():
        known = ", ".join(p.stem for p in files(root)) or _("none")
        return None, [Problem(shown, 1, _("country '{code}' has no file {file} (countries with a file: {known})").format(code=code, file=shown, known=known))]
    try:
        data = load_yaml_file(path, shown)
    except ContentError as e:
        return None, list(e.problems)
    P = problems_of(data, shown, code, bib_keys)
    return data if isinstance(data, dict) else None, P


def entries(data: dict, kind: str) -> list[dict]:
    """The well-formed entries of ``kind`` in the shape of a ``local.yml`` entry."""
    out = []
    where = str(data.get("name") or "")
    for e in data.get(kind) or []:
        if not isinstance(e, dict) or not all(isinstance(e.get(k), str) and e[k] for k in ("id", "name", "for", "source", "checked")):
            continue
        if not contact(e):
            continue
        row = LDict({"id": e["id"], "name": e["name"], "contact": contact(e), "for": e["for"], "where": where,
                     "source": e["source"], "checked": e["checked"], "country": data.get("country")})
        for k in ("hours", "ages"):
            if e.get(k):
                row[k] = e[k]
        row.line = getattr(e, "line", 0)
        out.append(row)
    return out


def merge(local: dict, data: dict) -> dict:
    """``local`` with the country's entries added by kind; an entry of the school's with the same
    id (or, without an id, the same name) replaces the country's in place."""
    merged = LDict(local)
    merged.lines = dict(getattr(local, "lines", {}))
    merged.line = getattr(local, "line", 0)
    for kind in KINDS:
        own = [e for e in local.get(kind) or [] if isinstance(e, dict)]
        by_id = {e["id"]: e for e in own if isinstance(e.get("id"), str)}
        by_name = {_norm(e.get("name")): e for e in own if not isinstance(e.get("id"), str) and e.get("name")}
        used, rows = set(), LList()
        for c in entries(data, kind):
            mine = by_id.get(c["id"]) or by_name.get(_norm(c["name"]))
            if mine is not None:
                used.add(id(mine))
                rows.append(mine)
            else:
                rows.append(c)
        rows.extend(e for e in own if id(e) not in used)
        rows.lines = [getattr(e, "line", 0) for e in rows]
        merged[kind] = rows
    return merged


def attach(pr, root: Path) -> list[Problem]:
    """The loader's call: check every country file; when ``local.yml`` names a country, give
    ``pr.local`` that country's entries (the school's own win, see the module's notes)."""
    P: list[Problem] = []
    bib = getattr(pr, "bib_keys", None)
    for path in files(root):
        if path.stem.upper() != path.stem or len(path.stem) != 2:
            P.append(Problem(str(FOLDER / path.name), 1, _("a country file is named by its two-letter code in capitals, for example SE.yml")))
            continue
        _, probs = load(root, path.stem, bib)
        P.extend(probs)
    loc = getattr(pr, "local", None)
    code = loc.get("country") if isinstance(loc, dict) else None
    if isinstance(code, str) and code:
        data, probs = load(root, code, bib)
        if not (folder(root) / f"{code}.yml").is_file():
            line = loc.line_of("country") if hasattr(loc, "line_of") else 1
            P.extend(Problem("local.yml", line, p.message) for p in probs)
        elif data is not None:
            pr.local = merge(loc, data)
            pr.country = data
    return P
