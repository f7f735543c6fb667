"""PO catalogs read once per content: the checks of a book (terminology, reading level, marks) read
the same catalogs, and a process that checks several copies of a book (the tests, a build of each
language) reads each distinct file once.

A catalog is kept under a hash of its bytes, not its path, so an edited file is read again and a
copy of an unchanged one is not. What is kept is a tuple of read-only entries, never Babel's
mutable catalog, so no caller can change what another one reads. With :func:`keep_in` (the
commands name the book's ``_build/.cache/po``), the entries are also written there as JSON (never
pickle: a folder handed on with the book must not run code), so the next command reads them
instead of parsing the catalog again. What a check works out from a catalog can be kept there
too (:func:`derived`: the terminology lint's hits), under the catalog's hash and the check's rules.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
from collections import OrderedDict
from pathlib import Path
from typing import NamedTuple

# Catalogs kept in memory. A book has about 60 per language, and its checks read each twice (strictly,
# for the build's translations, and not, for the terminology and reading level): four languages are
# about 450 readings, and a smaller store would drop each before its next reading.
KEEP = 1024
KEEP_ON_DISK = 1000             # and on disk (those used longest ago go first)


class Entry(NamedTuple):
    id: object                  # str, or a tuple (singular, plural)
    string: object              # str, or a tuple of plural forms
    context: str | None
    lineno: int
    fuzzy: bool


_kept: OrderedDict[tuple[str, bool], tuple[Entry, ...]] = OrderedDict()
_digest_of: dict[int, tuple[tuple[Entry, ...], str]] = {}    # id of what entries() kept -> (it, hash of its file)
_disk: list[Path] = []


def keep_in(folder: Path | None) -> None:
    """Keep parsed catalogs in ``folder`` too (None: in memory only)."""
    _disk[:] = [Path(folder)] if folder is not None else []


def _from_disk(name: str) -> tuple[Entry, ...] | None:
    if not _disk:
        return None
    try:
        rows = json.loads(_read_disk(name))
        return tuple(Entry(_frozen(i), _frozen(s), c if isinstance(c, str) else None, int(n), bool(f))
                     for i, s, c, n, f in rows)
    except (OSError, ValueError, TypeError):
        return None


def _read_disk(name: str) -> str:
    """The file ``name`` kept on disk, marked as used now (those used longest ago go first)."""
    path = _disk[0] / name
    text = path.read_text(encoding="utf-8")
    try:
        os.utime(path)
    except OSError:
        pass                    # a read-only book: it is read all the same
    return text


def _write_disk(name: str, rows: list) -> None:
    if not _disk:
        return
    try:
        _disk[0].mkdir(parents=True, exist_ok=True)
        tmp = _disk[0] / f".{name}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, _disk[0] / name)
        kept = list(_disk[0].glob("*.json"))
        if len(kept) > KEEP_ON_DISK:
            for old in sorted(kept, key=lambda p: p.stat().st_mtime_ns)[:len(kept) - KEEP_ON_DISK]:
                old.unlink(missing_ok=True)
    except OSError:
        pass                    # a read-only book: parse again next time


# What checks worked out from a parsed catalog: (check, catalog's id, the check's other inputs) ->
# (catalog, result). The catalog is kept with its result, so its id is not another's meanwhile.
_derived: dict = {}


def derived(check, cat: tuple, *inputs, on_disk: str | None = None):
    """``check(cat, *inputs)``, worked out once per parsed catalog ``cat`` (what :func:`entries`
    returns: one object for each content) and ``inputs`` (the rules, the interface catalog the
    problems are written from: compared as dict keys are). A process that checks the same catalog
    again, in another copy of a book or another validation, gets what the first check found.

    With ``on_disk`` (the check's name and a digest of everything in ``inputs`` that the result
    depends on), the result is also kept in the folder of :func:`keep_in`, as JSON under that and the
    catalog's hash, so the next command finds it: ``check`` must then return a tuple of tuples of str
    and int."""
    key = (check, id(cat), inputs)
    kept = _derived.get(key)
    if kept is None or kept[0] is not cat:
        if len(_derived) > KEEP:
            _derived.clear()
        made = None
        name = None
        if on_disk is not None and (of := _digest_of.get(id(cat))) is not None and of[0] is cat:
            name = f"{on_disk}-{of[1]}.json"
            made = _result_from_disk(name)
        if made is None:
            made = check(cat, *inputs)
            if name is not None:
                _write_disk(name, [list(r) for r in made])
        kept = _derived[key] = (cat, made)
    return kept[1]


def _result_from_disk(name: str) -> tuple | None:
    if not _disk:
        return None
    try:
        rows = json.loads(_read_disk(name))
        if isinstance(rows, list) and all(isinstance(r, list) and all(isinstance(v, (str, int)) for v in r)
                                          for r in rows):
            return tuple(tuple(r) for r in rows)
    except (OSError, ValueError):
        pass
    return None


def _frozen(v):
    return tuple(v) if isinstance(v, (list, tuple)) else v


def entries(path: Path | str, strict: bool = False) -> tuple[Entry, ...]:
    """Every message of the PO file ``path`` except the header. ``strict`` raises Babel's
    PoFileError on a malformed file (it has a ``lineno``); otherwise Babel skips what it cannot
    read. Raises OSError when the file cannot be read."""
    from babel.messages.pofile import read_po
    data = Path(path).read_bytes()
    key = (hashlib.blake2b(data, digest_size=20).hexdigest(), strict)
    got = _kept.get(key)
    if got is not None:
        _kept.move_to_end(key)
        return got
    name = f"{key[0]}-{int(strict)}.json"
    got = _from_disk(name)
    if got is None:
        cat = read_po(io.BytesIO(data), locale=None, abort_invalid=strict)
        got = tuple(Entry(_frozen(m.id), _frozen(m.string), m.context, m.lineno or 1, bool(m.fuzzy))
                    for m in cat if m.id)
        _write_disk(name, [list(e) for e in got])
    _kept[key] = got
    _digest_of[id(got)] = (got, f"{key[0]}-{int(strict)}")
    while len(_kept) > KEEP:
        _digest_of.pop(id(_kept.popitem(last=False)[1]), None)
    return got
