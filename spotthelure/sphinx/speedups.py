"""Work the build's libraries repeat for nothing, done once.

Each of these was found by profiling a clean build of one language (55 pages, with its translations);
together they were about a fifth of its time. Each patch keeps the library's result exactly: it only
stops the same value being worked out again. A library whose code is not as expected is left alone.

- pybtex looks its plugins up among the installed packages' entry points at every citation
  (``pybtex.plugin.find_plugin``, about 13 ms a call, 250 citations a language). The installed
  packages do not change during a build, so each lookup is kept.
- MyST makes a whole new docutils document, with the default settings worked out afresh by an
  option parser, each time it renders a text, even when it is given the document to render into
  (``options.get("document", make_document())``: the default is made before ``get`` looks). A
  translated page renders each of its translated paragraphs this way. The default settings are
  now worked out once per parser and each document gets its own deep copy of them.
"""
from __future__ import annotations

import copy
import functools


def install() -> None:
    _pybtex_entry_points()
    _myst_make_document()


def _pybtex_entry_points() -> None:
    try:
        import pybtex.plugin as plugin
    except ImportError:
        return
    lookup = getattr(plugin, "entry_points", None)
    if lookup is None or getattr(lookup, "_spotthelure_kept", False):
        return

    @functools.lru_cache(maxsize=None)
    def entry_points(*, group: str, name: str | None = None) -> tuple:
        return tuple(lookup(group=group) if name is None else lookup(group=group, name=name))

    entry_points._spotthelure_kept = True      # type: ignore[attr-defined]
    plugin.entry_points = entry_points


def _myst_make_document() -> None:
    try:
        import docutils
        from docutils.frontend import get_default_settings
        from docutils.utils import new_document
        from myst_parser.mdit_to_docutils import base
    except ImportError:
        return
    make = getattr(base, "make_document", None)
    if make is None or getattr(make, "_spotthelure_kept", False) or docutils.__version_info__[:2] < (0, 19):
        return
    from docutils.parsers.rst import Parser as RSTParser

    @functools.lru_cache(maxsize=None)
    def defaults(parser_cls):
        return get_default_settings(parser_cls)

    def make_document(source_path="notset", parser_cls=RSTParser):
        return new_document(source_path, settings=copy.deepcopy(defaults(parser_cls)))

    make_document._spotthelure_kept = True      # type: ignore[attr-defined]
    base.make_document = make_document
