"""Every word the tools put on a page, a printable, an export or a message comes from here.

Messages are marked in Python with ``_()`` / ``ngettext()`` / ``pgettext()`` (``N_()`` and
``N_plural()`` where a message is defined apart from where it is shown) and in the Jinja templates
with the same names. ``spotthelure i18n extract`` (``make catalog``) collects them, and the labels
of ``data/labels.yml`` with their group as context, into the catalog template
``spotthelure/locales/spotthelure.pot``; ``spotthelure i18n update LANG`` brings a language's
``spotthelure/locales/<lang>/LC_MESSAGES/spotthelure.po`` up to it, and ``spotthelure i18n
compile`` (run by every build) writes the ``.mo`` beside it (never committed). English is the
source language and needs no catalog.

The browser script has no words of its own: :func:`js_strings` gives every message it shows, in
the current language, with plural messages as CLDR category → text; each activity carries them as
``data-stl-strings``.

Rules that depend on the language of a text (objective wording, option wording, help-seeking and
verdict words, terminology, the readability measure and its limits) are data in
``data/languages/<lang>.yml``, read with :func:`rules`; a language with no file has no rules.

Labels that are content (band, topic, kind, ending, role, kind of help) live in
``data/labels.yml``; :func:`label` looks them up and translates them with the group as context.

The current language is per thread and set with :func:`language` (a context manager) or
:func:`set_language`; every renderer reads it, so one build can render several languages.
"""
from __future__ import annotations

import contextlib
import functools
import gettext as _gettext
import re
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
    return _find_translations(lang)


def _(message: str) -> str:
    return translations(current_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current_language()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return translations(current_language()).pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return translations(current_language()).npgettext(context, singular, plural, n)


def N_plural(singular: str, plural: str) -> tuple[str, str]:
    """Mark a plural message for the catalog where it is defined (extracted as ngettext is)."""
    return singular, plural


def N_(message: str) -> str:
    """Mark a message for the catalog where it is defined; translate it with ``_()`` where it is used."""
    return message


@functools.lru_cache(maxsize=1)
def _labels() -> dict:
    return safe_load_yaml(LABELS_FILE.read_text(encoding="utf-8"))


def safe_load_yaml(text: str):
    """``yaml.safe_load`` with libyaml's parser where PyYAML has it: for the package's own data files
    (the book's content goes through yamlload.parse_yaml, which keeps lines and refuses what it must)."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def label(group: str, key: str) -> str:
    """The label of ``key`` in ``group`` (``label("band", "9-11")`` → "ages 9–11"), translated.
    An unknown key shows as itself rather than failing: the validator refuses unknown keys."""
    text = _labels().get(group, {}).get(key)
    return pgettext(group, text) if text is not None else str(key)


def labels(group: str) -> dict[str, str]:
    """Every label of ``group``, translated, in the file's order."""
    return {k: pgettext(group, v) for k, v in _labels().get(group, {}).items()}


# ---- where catalogs are found -----------------------------------------------------------------
# Extra catalog folders (a test's pseudo-locale, a deployment's own translations) are searched before
# the package's: ``SPOTTHELURE_LOCALES`` (folders joined with the path separator) or use_locales().

def locale_dirs() -> list[Path]:
    import os
    extra = [Path(p) for p in os.environ.get("SPOTTHELURE_LOCALES", "").split(os.pathsep) if p]
    return [*getattr(_state_dirs, "dirs", []), *extra, LOCALES]


class _Dirs:
    dirs: list[Path] = []


_state_dirs = _Dirs()


@contextlib.contextmanager
def use_locales(path: str | Path):
    """Look up catalogs in ``path`` first inside the block (a test's pseudo-locale)."""
    before = list(_state_dirs.dirs)
    _state_dirs.dirs = [Path(path), *before]
    translations.cache_clear()
    try:
        yield
    finally:
        _state_dirs.dirs = before
        translations.cache_clear()


def _catalog_names(lang: str) -> list[str]:
    return [lang.replace("-", "_"), lang]


def _find_translations(lang: str) -> _gettext.NullTranslations:
    for d in locale_dirs():
        po = _uncompiled_catalog(Path(d), lang)
        if po is not None:
            import io
            return _Checked(_gettext.GNUTranslations(io.BytesIO(mo_bytes(po))))
        t = _gettext.translation(DOMAIN, d, _catalog_names(lang), fallback=True)
        if type(t) is not _gettext.NullTranslations:
            return _Checked(t)
    return _gettext.NullTranslations()


def mo_bytes(po: Path) -> bytes:
    """The catalog ``po`` compiled (what its ``.mo`` holds): fuzzy entries left out."""
    import io

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    with po.open("rb") as f:
        cat = read_po(f, locale=po.parent.parent.name)
    buf = io.BytesIO()
    write_mo(buf, cat, use_fuzzy=False)
    return buf.getvalue()


def _uncompiled_catalog(d: Path, lang: str) -> Path | None:
    """The catalog (``.po``) of ``lang`` in ``d`` when its compiled form (``.mo``, which a build
    writes) is missing or older than it: a fresh checkout, or a translator's edit since the last
    build. Its messages are then compiled in memory, so a message is never shown in English, or in
    an older wording, for want of a build."""
    for name in _catalog_names(lang):
        po = d / name / "LC_MESSAGES" / f"{DOMAIN}.po"
        if po.is_file():
            mo = po.with_suffix(".mo")
            return po if not mo.is_file() or mo.stat().st_mtime < po.stat().st_mtime else None
    return None


# ---- a translation is untrusted text ------------------------------------------------------------
# Translators edit the catalogs, and some messages carry markup the code puts on a page
# ("<strong>Get help.</strong> {contacts}"). A translation may change the words, never the markup
# or the placeholders: the same tags, character for character, the same {fields}, and no other
# angle bracket. `spotthelure validate` reports a translation that breaks this at its line in the
# .po file; at run time such a translation is not used (the English message is shown instead).

_TAG = re.compile(r"<[^<>]*>")
_FIELD = re.compile(r"(?<!\{)\{([^{}]*)\}(?!\})")


def _tags(text: str) -> list[str]:
    return sorted(_TAG.findall(text))


def _fields(text: str) -> set[str]:
    return set(_FIELD.findall(text))


def translation_problem(msgid: str, msgstr: str, plural: str | None = None) -> str | None:
    """Why ``msgstr`` may not stand for ``msgid`` (a sentence), or None when it may. For a plural
    message (``plural`` given) a form may leave out a placeholder (a language's "one" form may say
    the number in words) but may not add one."""
    originals = [msgid] + ([plural] if plural is not None else [])
    if all(_tags(msgstr) != _tags(o) for o in originals):
        wanted = _tags(originals[-1])
        return _("the translation's markup {found} is not the original's {wanted}: keep the same tags, "
                 "unchanged, and add none").format(found=" ".join(_tags(msgstr)) or _("(none)"),
                                                   wanted=" ".join(wanted) or _("(none)"))
    rest, rest_id = _TAG.sub("", msgstr), max((_TAG.sub("", o) for o in originals), key=len)
    for ch in "<>":
        if rest.count(ch) > rest_id.count(ch):
            return _("the translation has a stray '{char}' the original does not have: write the words "
                     "without it").format(char=ch)
    allowed = set().union(*(_fields(o) for o in originals))
    found = _fields(msgstr)
    if (found != allowed) if plural is None else not found <= allowed:
        return _("the translation's placeholders {found} are not the original's {wanted}: keep each {{name}} "
                 "as it is").format(found=", ".join(sorted(found)) or _("(none)"),
                                    wanted=", ".join(sorted(allowed)) or _("(none)"))
    return None


class _Checked(_gettext.NullTranslations):
    """A catalog whose translations are used only when they keep the original's markup and
    placeholders (see :func:`translation_problem`)."""

    def __init__(self, inner: _gettext.NullTranslations):
        super().__init__()
        self._inner = inner
        self._ok: dict[tuple, bool] = {}

    def _use(self, msgstr: str, msgid: str, plural: str | None = None) -> bool:
        if msgstr == msgid or msgstr == plural:
            return True
        key = (msgid, plural, msgstr)
        ok = self._ok.get(key)
        if ok is None:
            with language(SOURCE_LANGUAGE):         # the check's own words are not looked up here
                ok = self._ok[key] = translation_problem(msgid, msgstr, plural) is None
        return ok

    def gettext(self, message):
        t = self._inner.gettext(message)
        return t if self._use(t, message) else message

    def ngettext(self, msgid1, msgid2, n):
        t = self._inner.ngettext(msgid1, msgid2, n)
        return t if self._use(t, msgid1, msgid2) else (msgid1 if n == 1 else msgid2)

    def pgettext(self, context, message):
        t = self._inner.pgettext(context, message)
        return t if self._use(t, message) else message

    def npgettext(self, context, msgid1, msgid2, n):
        t = self._inner.npgettext(context, msgid1, msgid2, n)
        return t if self._use(t, msgid1, msgid2) else (msgid1 if n == 1 else msgid2)

    def info(self):
        return self._inner.info()

    def charset(self):
        return self._inner.charset()


# ---- plural categories (CLDR) for the browser ----------------------------------------------------

@functools.lru_cache(maxsize=None)
def plural_samples(lang: str) -> dict[str, int]:
    """For each CLDR plural category of ``lang`` that whole numbers reach, the smallest such number
    (English: one → 1, other → 0; Ukrainian: one → 1, few → 2, many → 0). Babel's rules."""
    from babel import Locale, UnknownLocaleError
    try:
        rule = Locale.parse(lang.replace("-", "_")).plural_form
    except (UnknownLocaleError, ValueError):
        rule = Locale.parse(SOURCE_LANGUAGE).plural_form
    out: dict[str, int] = {}
    for n in range(0, 1000):
        out.setdefault(rule(n), n)
    return out


def plural_forms(singular: str, plural: str, lang: str | None = None) -> dict[str, str]:
    """A plural message as CLDR category → translated text, for ``Intl.PluralRules`` in the browser.
    "other" is always there: for a language whose whole numbers never reach "other" (Ukrainian), it
    is the text of the category most whole numbers take (Ukrainian: many). The browser counts whole
    things, so it is a fallback only."""
    lang = lang or current_language()
    with language(lang):
        forms = {cat: ngettext(singular, plural, n) for cat, n in plural_samples(lang).items()}
    if "other" not in forms:
        forms["other"] = forms[_most_common_category(lang)]
    return forms


@functools.lru_cache(maxsize=None)
def _most_common_category(lang: str) -> str:
    from collections import Counter
    from babel import Locale, UnknownLocaleError
    try:
        rule = Locale.parse(lang.replace("-", "_")).plural_form
    except (UnknownLocaleError, ValueError):
        rule = Locale.parse(SOURCE_LANGUAGE).plural_form
    return Counter(rule(n) for n in range(1000)).most_common(1)[0][0]


# ---- the strings the browser script shows ------------------------------------------------------
# static/spotthelure.js has no words of its own: it reads these from the data-stl-strings attribute
# of its section. Placeholders are named ({done}, {total}) and filled in by the script; a plural
# message is chosen with Intl.PluralRules on the number named in _JS_PLURAL_COUNT.

def _js_messages() -> dict[str, str]:
    return {
        "orderingEachPlace": _("Give each step its own place: 1, 2, 3 and so on."),
        "orderingNoPlaces": _("Give the steps their places first."),
        "markCheckOrder": _("Check the order of this step"),
        "markAnyTime": _("Right: this fits at any point"),
        "markFineHere": _("Fine here"),
        "markRedflagRight": _("Right: a warning sign"),
        "markRedflagMissed": _("Missed: this is a warning sign"),
        "markRedflagWrong": _("Not quite: not a warning sign"),
        "markMultipleRight": pgettext("quiz verdict", "Right"),
        "markMultipleMissed": _("Missed: this one fits too"),
        "markMultipleWrong": _("Not quite: not this one"),
        "markRight": pgettext("quiz verdict", "Right"),
        "markWrong": pgettext("quiz verdict", "Not quite"),
        "resultCorrect": _("Correct. Well done."),
        "resultWrong": _("Not quite yet. Read the feedback, then try again."),
        "chooseFirst": _("Choose an answer first."),
        "youChose": _("You chose:"),
        "quickExit": _("Quick exit"),
        "quickExitHint": _("Leaves this page at once. Or press Esc twice."),
        "clearAll": _("Clear everything on this device"),
        "clearConfirm": _("Clear all your quiz answers, story places, endings found and search words on "
                          "this device? This cannot be undone."),
        "clearDone": _("Done: nothing is kept on this device now."),
        "searchResults": _("Search results"),
        "searching": _("Searching"),
        "searchPreparing": _("Preparing the search…"),
        "searchNoMatch": _("No page matches your search. Check the spelling, or try other or fewer words."),
        "searchIn": _("{name}, in {title}"),
        "hideSearchMatches": _("Hide the search words"),
    }


def _js_plurals() -> dict[str, tuple[str, str]]:
    return {
        "score": N_plural("You answered {done} of {total} question. {right} right so far. "
                  "Your answers are kept in this browser, on this device.",
                  "You answered {done} of {total} questions. {right} right so far. "
                  "Your answers are kept in this browser, on this device."),
        "status": N_plural("Step {step} · you found {found} of {total} ending.",
                   "Step {step} · you found {found} of {total} endings."),
        "statusEnding": N_plural("Step {step} · you reached an ending · you found {found} of {total} ending.",
                         "Step {step} · you reached an ending · you found {found} of {total} endings."),
        "summaryQuiz": N_plural("{title}: you answered {done} of {total} question. {right} right so far.",
                        "{title}: you answered {done} of {total} questions. {right} right so far."),
        "summaryStory": N_plural("{title}: you found {found} of {total} ending.",
                         "{title}: you found {found} of {total} endings."),
        "searchFound": N_plural("Found {n} page that matches your search.", "Found {n} pages that match your search."),
    }


# The number each plural message is chosen by.
_JS_PLURAL_COUNT = {"score": "total", "status": "total", "statusEnding": "total",
                    "summaryQuiz": "total", "summaryStory": "total", "searchFound": "n"}


def js_strings_data(lang: str | None = None) -> dict:
    lang = lang or current_language()
    with language(lang):
        messages: dict = dict(_js_messages())
        for key, (one, other) in _js_plurals().items():
            messages[key] = {"count": _JS_PLURAL_COUNT[key], "forms": plural_forms(one, other, lang)}
    return {"lang": lang, "messages": messages}


def js_strings(lang: str | None = None) -> str:
    """Every message the browser script shows, in the current language, as JSON for a
    ``data-stl-strings`` attribute or a ``<script type="application/json">`` block: &, <, > and '
    are written as JSON escapes, so neither can end the attribute or the block."""
    import json
    text = json.dumps(js_strings_data(lang), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # Still JSON, and safe inside a <script type="application/json"> block or an attribute.
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e").replace("'", "\\u0027")


# ---- rules that depend on the language of a text -------------------------------------------------
# spotthelure/data/languages/<lang>.yml: objective wording, option wording, help-seeking and verdict
# words, terminology, the readability measure and its limits by band. A language with no file has
# no rules: its texts are not checked against another language's.

LANGUAGES = Path(__file__).parent / "data" / "languages"


def languages_dir() -> Path:
    import os
    return Path(os.environ.get("SPOTTHELURE_LANGUAGES") or LANGUAGES)


@functools.lru_cache(maxsize=None)
def _rules_file(path: str, stamp: tuple) -> dict:
    # A file that cannot be read counts as empty here; the validator reports it at its line
    # (language_rules.check_languages).
    try:
        data = safe_load_yaml(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def rules(lang: str | None) -> dict | None:
    """The rules of ``lang`` (``sr-Latn`` falls back to ``sr``), or None when it has no rules file.
    A changed file is read again."""
    lang = str(lang or SOURCE_LANGUAGE)
    d = languages_dir()
    for name in (lang, lang.split("-")[0]):
        p = d / f"{name}.yml"
        if p.is_file():
            st = p.stat()
            return _rules_file(str(p), (st.st_mtime_ns, st.st_size))
    return None


def rules_path(lang: str) -> str:
    return f"spotthelure/data/languages/{lang}.yml"


def js_strings_attr() -> str:
    """`` data-stl-strings='…'``: :func:`js_strings` as an attribute of an activity's section
    (single-quoted, so the JSON's double quotes stay as they are; &, ', < and > are escaped)."""
    return f" data-stl-strings='{js_strings()}'"     # js_strings() has no &, <, > or ' left to escape
