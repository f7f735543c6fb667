"""Every word the tools put on a page, a printable, an export or a message comes from here.

Messages are marked in Python with ``_()`` / ``ngettext()`` / ``pgettext()`` and in the Jinja
templates with the same names; ``pybabel extract -F babel.cfg`` collects them into the catalog
template ``spotthelure/locales/spotthelure.pot``, and a language's translations live in
``spotthelure/locales/<lang>/LC_MESSAGES/spotthelure.po`` (compiled to ``.mo`` at build time).
English is the source language and needs no catalog.

Labels that are content (band, topic, kind, ending, role, kind of help) live in
``data/labels.yml``; :func:`label` looks them up and translates them with the group as context.

The current language is per thread and set with :func:`language` (a context manager) or
:func:`set_language`; every renderer reads it, so one build can render several languages.
"""
from __future__ import annotations

import contextlib
import functools
import gettext as _gettext
import threading
from pathlib import Path

import yaml

DOMAIN = "spotthelure"
LOCALES = Path(__file__).parent / "locales"
LABELS_FILE = Path(__file__).parent / "data" / "labels.yml"
SOURCE_LANGUAGE = "en"

_state = threading.local()


def current_language() -> str:
    return getattr(_state, "lang", SOURCE_LANGUAGE)


def set_language(lang: str | None) -> None:
    _state.lang = lang or SOURCE_LANGUAGE


@contextlib.contextmanager
def language(lang: str | None):
    """Render in ``lang`` inside the block, then go back to the language before it."""
    before = current_language()
    set_language(lang)
    try:
        yield
    finally:
        set_language(before)


@functools.lru_cache(maxsize=None)
def translations(lang: str) -> _gettext.NullTranslations:
    """The compiled catalog of ``lang`` (``sr-Latn`` is looked up as ``sr_Latn``), or the source
    text when there is none."""
    if lang == SOURCE_LANGUAGE:
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, LOCALES, [lang.replace("-", "_"), lang], fallback=True)


def _(message: str) -> str:
    return translations(current_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current_language()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return translations(current_language()).pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return translations(current_language()).npgettext(context, singular, plural, n)


def N_(message: str) -> str:
    """Mark a message for the catalog where it is defined; translate it with ``_()`` where it is used."""
    return message


@functools.lru_cache(maxsize=1)
def _labels() -> dict:
    return yaml.safe_load(LABELS_FILE.read_text(encoding="utf-8"))


def label(group: str, key: str) -> str:
    """The label of ``key`` in ``group`` (``label("band", "9-11")`` → "ages 9–11"), translated.
    An unknown key shows as itself rather than failing: the validator refuses unknown keys."""
    text = _labels().get(group, {}).get(key)
    return pgettext(group, text) if text is not None else str(key)


def labels(group: str) -> dict[str, str]:
    """Every label of ``group``, translated, in the file's order."""
    return {k: pgettext(group, v) for k, v in _labels().get(group, {}).items()}
