"""PO catalogs read once per content: the checks of a book (terminology, reading level, marks) read
the same catalogs, and a process that checks several copies of a book (the tests, a build of each
language) reads each distinct file once.

A catalog is kept under a hash of its bytes, not its path, so an edited file is read again and a
copy of an unchanged one is not. What is kept is a tuple of read-only entries, never Babel's
mutable catalog, so no caller can change what another one reads.
"""
from __future__ import annotations

import hashlib
import io
from collections import OrderedDict
from pathlib import Path
from typing import NamedTuple

KEEP = 256                      # catalogs kept (a book has about 60 per language)


class Entry(NamedTuple):
    id: object                  # str, or a tuple (singular, plural)
    string: object              # str, or a tuple of plural forms
    context: str | None
    lineno: int
    fuzzy: bool


_kept: OrderedDict[tuple[str, bool], tuple[Entry, ...]] = OrderedDict()


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
    cat = read_po(io.BytesIO(data), locale=None, abort_invalid=strict)
    got = tuple(Entry(_frozen(m.id), _frozen(m.string), m.context, m.lineno or 1, bool(m.fuzzy))
                for m in cat if m.id)
    _kept[key] = got
    while len(_kept) > KEEP:
        _kept.popitem(last=False)
    return got
