"""Translations of the book's content: activities, lesson and workshop front matter, local contacts
and the campaign planner (``data/campaign.yml``, messages ``campaign:<field path>``).

The words of the content are translated in PO catalogs that any standard tool opens (Poedit,
Weblate): ``locales/<code>/LC_MESSAGES/activities.po`` at the book's root, from the template
``locales/activities.pot`` (``spotthelure i18n translations`` writes both). Each message is one text
field: its ``msgctxt`` is ``<id>:<field path>`` (``q1214-1:items.q3.options.b.feedback``) and its
``msgid`` the English text.

Only text fields have messages. Ids, correct answers, ``next`` targets, kinds, numbers and the
structure of a story come from the YAML file alone, so a translation changes words and never how an
activity works (one structure, translated strings). A translation whose placeholders, links or
markup differ from the English is refused at its PO line; a message not translated (or fuzzy, or
whose English has changed since) falls back to the English text, and the page says so.

Language codes: BCP 47 in pages (``sr-Latn``), gettext's form in file names (``sr_Latn``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from . import i18n, schemas
from .bidi import isolate_numbers
from .i18n import N_, _
from .problems import Problem
from .yamlload import LDict, LList

# The languages the book is translated into, besides English (its source).
LANGUAGES = ("sv", "uk", "sr-Latn", "ar")
RTL = frozenset({"ar", "fa", "he", "ur"})
DOMAIN = "activities"
LOCALES = "locales"
# Text fields whose value is not words to translate: a phone number or address stays as written.
NOT_WORDS = frozenset({"contact"})
# List entries without an id are named by letter where the book letters them (answer options).
LETTERED = frozenset({"options", "choices"})


def code(lang: str) -> str:
    """A language's catalog folder name: ``sr-Latn`` → ``sr_Latn``."""
    return lang.replace("-", "_")


def tag(lang_or_code: str) -> str:
    """A language's BCP 47 tag, as ``<html lang>`` takes it: ``sr_Latn`` → ``sr-Latn``."""
    return lang_or_code.replace("_", "-")


def direction(lang: str) -> str:
    return "rtl" if tag(lang).split("-")[0] in RTL else "ltr"


def right_to_left(lang: str | None) -> bool:
    """Whether ``lang`` is written right to left (a phone number in its text needs
    :func:`spotthelure.bidi.isolate_numbers`)."""
    return bool(lang) and direction(lang) == "rtl"


def english_attrs(lang: str | None) -> str:
    """The attributes of an English text on a page in ``lang``: `` lang="en"``, and `` dir="ltr"`` on
    a right-to-left page; nothing on an English page. (Constant markup: nothing of the text.)"""
    if tag(lang or i18n.SOURCE_LANGUAGE) == i18n.SOURCE_LANGUAGE:
        return ""
    return ' lang="en" dir="ltr"' if right_to_left(lang) else ' lang="en"'


def locales_dir(root: Path) -> Path:
    return Path(root) / LOCALES


def catalog_path(root: Path, lang: str, domain: str = DOMAIN) -> Path:
    return locales_dir(root) / code(lang) / "LC_MESSAGES" / f"{domain}.po"


def book_languages(root: Path) -> list[str]:
    """The languages this book has catalogs for (a folder under ``locales/``), as BCP 47 tags, in the
    order of :data:`LANGUAGES` and then by name."""
    d = locales_dir(root)
    found = {tag(p.name) for p in d.iterdir() if p.is_dir() and (p / "LC_MESSAGES").is_dir()} if d.is_dir() else set()
    return [x for x in LANGUAGES if x in found] + sorted(found - set(LANGUAGES))


# ---- the text fields of a piece of content ----------------------------------------------------------

def _schema_of(kind: str) -> dict:
    if kind == "lesson":
        return schemas.LESSON
    if kind == "workshop":
        return schemas.WORKSHOP
    if kind == "local":
        return schemas.LOCAL
    if kind == "campaign":
        from .campaign import SCHEMA
        return SCHEMA
    return schemas.ACTIVITY_SCHEMAS[kind]


def _entry_name(key: str, i: int, entry) -> str:
    if isinstance(entry, dict) and isinstance(entry.get("id"), str) and entry["id"]:
        return entry["id"]
    if key in LETTERED and i < 26:
        return "abcdefghijklmnopqrstuvwxyz"[i]
    return str(i + 1)


def _item_schema(schema: dict, value, key: str) -> dict | None:
    """The schema of a list entry (a quiz item's schema is chosen by its ``type``)."""
    items = schema.get("items")
    if key == "items" and items == {"type": "object"} and isinstance(value, dict):
        return schemas.ITEM_TYPES.get(value.get("type"))
    return items if isinstance(items, dict) else None


def _walk(value, schema, path: tuple, key: str, out: list, line: int):
    if schema is None:
        return
    if schema is schemas.TEXT:
        if isinstance(value, str) and key not in NOT_WORDS:
            out.append((path, value, line))
        return
    if isinstance(value, dict) and isinstance(schema.get("properties"), dict):
        for k, sub in schema["properties"].items():
            if k in value:
                ln = value.line_of(k) if hasattr(value, "line_of") else line
                _walk(value[k], sub, path + (k,), k, out, ln)
    elif isinstance(value, list) and schema.get("type") == "array":
        for i, entry in enumerate(value):
            ln = value.line_of(i) if hasattr(value, "line_of") else line
            _walk(entry, _item_schema(schema, entry, key), path + (_entry_name(key, i, entry),), key, out, ln)


def texts(kind: str, data) -> list[tuple[str, str, int]]:
    """(field path, English text, line) of every text field of ``data`` (an activity of ``kind``, or
    ``lesson``/``workshop`` front matter, or ``local`` contacts, or the ``campaign`` planner), in file order."""
    out: list = []
    _walk(data, _schema_of(kind), (), "", out, getattr(data, "line", 1) or 1)
    return [(".".join(p), text, line) for p, text, line in out]


def _rebuild(value, schema, path: tuple, key: str, lookup):
    """A copy of ``value`` with each text field replaced by ``lookup(path, text)`` (lines kept)."""
    if schema is None:
        return value
    if schema is schemas.TEXT:
        return lookup(".".join(path), value) if isinstance(value, str) and key not in NOT_WORDS else value
    if isinstance(value, dict) and isinstance(schema.get("properties"), dict):
        new = LDict()
        new.line = getattr(value, "line", 0)
        new.lines = dict(getattr(value, "lines", {}))
        props = schema["properties"]
        for k, v in value.items():
            new[k] = _rebuild(v, props.get(k), path + (k,), k, lookup) if k in props else v
        return new
    if isinstance(value, list) and schema.get("type") == "array":
        new = LList(_rebuild(e, _item_schema(schema, e, key), path + (_entry_name(key, i, e),), key, lookup)
                    for i, e in enumerate(value))
        new.line = getattr(value, "line", 0)
        new.lines = list(getattr(value, "lines", []))
        return new
    return value


# ---- catalogs ------------------------------------------------------------------------------------

# What must be the same in a text and its translation: placeholders, link targets, roles, tags,
# emphasis and code marks. (Words around them are the translator's.)
_MARKS = ((N_("placeholders"), re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")),
          (N_("link targets"), re.compile(r"\]\(([^)\s]*)\)")),
          (N_("roles"), re.compile(r"\{[a-z-]+\}`[^`]*`")),
          (N_("HTML tags"), re.compile(r"</?[A-Za-z][^>]*>")),
          (N_("emphasis marks"), re.compile(r"\*\*|__")),
          (N_("code marks"), re.compile(r"`")))


@lru_cache(maxsize=65536)
def _marks_differ(source: str, translation: str) -> tuple[str, tuple, tuple] | None:
    for name, rx in _MARKS:
        a, b = sorted(rx.findall(source)), sorted(rx.findall(translation))
        if rx.pattern.startswith(r"\{[a-z-]"):   # a role's words may be translated; its name and target may not
            a, b = sorted(re.sub(r"`.*`", "", x) for x in a), sorted(re.sub(r"`.*`", "", x) for x in b)
        if a != b:
            return name, tuple(a), tuple(b)
    return None


def markup_difference(source: str, translation: str) -> str | None:
    """What differs between the marks of ``source`` and ``translation`` (None when nothing does)."""
    diff = _marks_differ(source, translation)
    if diff is None:
        return None
    name, a, b = diff
    return _("its {what} differ from the English text ({english} in English, {translated} here)").format(
        what=_(name), english=", ".join(a) or _("none"), translated=", ".join(b) or _("none"))


@dataclass
class Catalog:
    """One language's translations of the content: (context, English) → translated text."""
    lang: str
    path: str = ""
    messages: dict = field(default_factory=dict)        # (msgctxt, msgid) → msgstr
    lines: dict = field(default_factory=dict)           # msgctxt → PO line
    problems: list = field(default_factory=list)
    used: set = field(default_factory=set)               # msgctxt looked up
    fallbacks: dict = field(default_factory=dict)        # content id → number of texts left in English
    total: dict = field(default_factory=dict)            # content id → number of texts

    def lookup(self, owner: str, path: str, text: str) -> str:
        ctx = f"{owner}:{path}"
        self.used.add(ctx)
        self.total[owner] = self.total.get(owner, 0) + 1
        got = self.messages.get((ctx, text))
        if got is None:
            self.fallbacks[owner] = self.fallbacks.get(owner, 0) + 1
            return text
        return got

    def untranslated(self, owner: str) -> int:
        return self.fallbacks.get(owner, 0)


def read_catalog(root: Path, lang: str) -> Catalog:
    """The content catalog of ``lang`` in the book at ``root`` (empty when there is none). Fuzzy
    and empty entries are left out; an entry whose marks differ from its English is refused (a
    problem at its line) and left out."""
    from . import pofile
    po = catalog_path(root, lang)
    rel = po.relative_to(root).as_posix() if po.is_absolute() else str(po)
    cat = Catalog(lang, rel)
    if not po.is_file():
        return cat
    try:
        parsed = pofile.entries(po, strict=True)
    except Exception as e:     # noqa: BLE001 (Babel raises its own and ValueError; say where)
        cat.problems.append(Problem(rel, getattr(e, "lineno", 1) or 1,
                                    _("cannot be read as a PO catalog: {error}").format(error=str(e).split("\n")[0])))
        return cat
    for m in parsed:
        if not m.id or not m.context or isinstance(m.id, (list, tuple)):
            continue
        line = (m.lineno or 1)
        cat.lines[m.context] = line
        if m.fuzzy or not m.string or isinstance(m.string, (list, tuple)):
            continue
        diff = markup_difference(m.id, m.string)
        if diff:
            cat.problems.append(Problem(rel, line, _("the translation of {ctx}: {diff}").format(ctx=m.context, diff=diff)))
            continue
        cat.messages[(m.context, m.id)] = m.string
    return cat


def unknown_entries(cat: Catalog) -> list[Problem]:
    """Translated entries whose context names no text of the book (an id, a correct answer, a
    ``next`` target or a removed text): they change nothing; each is named at its line."""
    out = []
    for (ctx, _msgid) in cat.messages:
        if ctx not in cat.used:
            out.append(Problem(cat.path, cat.lines.get(ctx, 1), _(
                "{ctx} names no text of the book (ids, answers and story links cannot be translated; a removed "
                "text is dropped by 'spotthelure i18n translations'): this translation is not used").format(ctx=ctx)))
    return out


def _look_up(kind: str, owner: str, data, cat: Catalog) -> None:
    """Each text of ``data`` looked up in ``cat``, as :func:`translate` looks them up (its entries
    count as used), without making the translated copy."""
    for path, text, _line in texts(kind, data):
        cat.lookup(owner, path, text)


def translate(kind: str, owner: str, data, cat: Catalog):
    """``data`` with its text fields in the catalog's language (English where not translated). In a
    language written right to left, a phone number in a text keeps its groups in order
    (:func:`spotthelure.bidi.isolate_numbers`)."""
    if right_to_left(cat.lang):
        return _rebuild(data, _schema_of(kind), (), "",
                        lambda path, text: isolate_numbers(cat.lookup(owner, path, text)))
    return _rebuild(data, _schema_of(kind), (), "", lambda path, text: cat.lookup(owner, path, text))


def contacts_isolated(value):
    """A copy of contacts (``local.yml``'s, a country file's entries) with each ``contact`` (a number,
    never translated) isolated as
    :func:`spotthelure.bidi.isolate_numbers` does (lines kept)."""
    if isinstance(value, dict):
        new = LDict((k, isolate_numbers(v) if k in NOT_WORDS else contacts_isolated(v)) for k, v in value.items())
        new.line, new.lines = getattr(value, "line", 0), dict(getattr(value, "lines", {}))
        return new
    if isinstance(value, list):
        new = LList(contacts_isolated(v) for v in value)
        new.line, new.lines = getattr(value, "line", 0), list(getattr(value, "lines", []))
        return new
    return value


# ---- the template and each language's catalog ---------------------------------------------------

def template(pr) -> "object":
    """The Babel catalog of every text field of the book's content (``pr``: a loaded project)."""
    from babel.messages.catalog import Catalog as BabelCatalog
    cat = BabelCatalog(project="Spot the Lure", copyright_holder="Spot the Lure", charset="utf-8", fuzzy=False)
    for aid, act in sorted(pr.activities.items()):
        if act.model is None:
            continue
        for path, text, line in texts(act.kind, act.data):
            cat.add(text, None, [(act.rel, line)], context=f"{aid}:{path}")
    for key, kind, group in (("lesson", "lesson", pr.lessons), ("workshop", "workshop", pr.workshops)):
        for oid, page in sorted(group.items()):
            if page.model is None:
                continue
            front = page.typed.get(key)
            for path, text, line in texts(kind, front):
                cat.add(text, None, [(page.rel, line)], context=f"{oid}:{path}")
    if pr.local is not None:
        for path, text, line in texts("local", pr.local):
            cat.add(text, None, [("local.yml", line)], context=f"local:{path}")
    from .campaign import FILE, OWNER
    for path, text, line in campaign_texts(pr.root):
        cat.add(text, None, [(FILE, line)], context=f"{OWNER}:{path}")
    return cat


# (the planner file, a hash of its bytes) -> the planner read from them, for reading only
_campaigns: dict = {}


def _campaign(root: Path):
    """The book's campaign planner (:mod:`spotthelure.campaign`), or None when it has none or it
    cannot be read (``spotthelure validate`` reports why). Read here only, so a planner read before
    from the same bytes is not read again (each language's catalog looks up its texts)."""
    import hashlib

    from .campaign import FILE, load_campaign
    from .problems import ContentError
    from .yamlload import read_text
    path = Path(root) / FILE
    try:
        text = read_text(path, FILE)        # what load_campaign reads, refusing what it refuses
    except ContentError:
        return load_campaign(root)[0]
    key = (str(path.resolve()), hashlib.blake2b(text.encode("utf-8"), digest_size=20).hexdigest())
    if key not in _campaigns:
        if len(_campaigns) > 64:
            _campaigns.clear()
        _campaigns[key] = load_campaign(root)[0]
    return _campaigns[key]


def campaign_texts(root: Path) -> list[tuple[str, str, int]]:
    """(field path, English text, line) of every text field of the book's campaign planner, in file
    order: its messages are ``campaign:<field path>``."""
    c = _campaign(root)
    return texts("campaign", c.data) if c is not None else []


def write_po(path: Path, cat) -> bool:
    """Write ``cat`` to ``path`` unless only its dates would change; True when written."""
    import io
    from babel.messages.pofile import write_po as babel_write_po
    buf = io.BytesIO()
    babel_write_po(buf, cat, width=100, sort_output=False, ignore_obsolete=False, include_previous=True)
    dated = re.compile(rb'^"(POT-Creation-Date|PO-Revision-Date): .*\n', re.M)
    old = path.read_bytes() if path.is_file() else b""
    if dated.sub(b"", old) == dated.sub(b"", buf.getvalue()):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue())
    return True


def update_catalogs(root: Path, tmpl, langs: list[str], domain: str = DOMAIN) -> list[Path]:
    """Bring each language's catalog of ``domain`` up to ``tmpl`` (a new language starts from it);
    returns the files written."""
    from babel import Locale
    from babel.messages.catalog import Catalog as BabelCatalog
    from babel.messages.pofile import read_po
    out = []
    for lang in langs:
        po = catalog_path(root, lang, domain)
        if po.is_file():
            with po.open("rb") as f:
                cat = read_po(f, locale=code(lang))
        else:
            cat = BabelCatalog(locale=Locale.parse(code(lang)), project="Spot the Lure", fuzzy=False)
        cat.update(tmpl, no_fuzzy_matching=False)
        if write_po(po, cat):
            out.append(po)
    return out


def counts(po: Path) -> tuple[int, int]:
    """(translated, total) messages of a PO file (fuzzy ones are not translated)."""
    from babel.messages.pofile import read_po
    if not po.is_file():
        return 0, 0
    with po.open("rb") as f:
        cat = read_po(f)
    msgs = [m for m in cat if m.id]
    done = [m for m in msgs if m.string and not m.fuzzy and (all(m.string) if isinstance(m.string, (list, tuple)) else True)]
    return len(done), len(msgs)


def apply(pr, lang: str) -> None:
    """Put the loaded project ``pr`` into ``lang``: every text field of its activities, lessons,
    workshops and local contacts from the catalog (English where not translated). Models are made
    again from the translated data; content with a problem keeps no model, as before. The
    catalog's problems join the project's."""
    from .model import Lesson, Workshop, activity_from_data
    cat = read_catalog(pr.root, lang)
    for aid, act in pr.activities.items():
        if act.model is None:
            continue
        act.data = translate(act.kind, aid, act.data, cat)
        act.model = activity_from_data(act.kind, act.data, act.rel)
    for key, cls, group in (("lesson", Lesson, pr.lessons), ("workshop", Workshop, pr.workshops)):
        for oid, page in group.items():
            if page.model is None:
                continue
            typed = LDict(page.typed)
            typed.line, typed.lines = page.typed.line, dict(page.typed.lines)
            typed[key] = translate(key, oid, page.typed[key], cat)
            page.typed = typed
            page.model = cls.from_data(typed[key], page.rel)
            # The page's front matter too: the lesson plan, its title, the slides, the lesson pack and
            # the SCORM package all read their words from it (checked in English before this).
            if isinstance(page.front, dict) and isinstance(page.front.get(key), dict):
                front = LDict(page.front)
                front.line, front.lines = getattr(page.front, "line", 0), dict(getattr(page.front, "lines", {}))
                front[key] = translate(key, oid, page.front[key], cat)
                page.front = front
    if pr.local is not None:
        pr.local = translate("local", "local", pr.local, cat)
        if right_to_left(lang):
            pr.local = contacts_isolated(pr.local)
    pr.lang = lang
    pr.catalog = cat
    pr.problems.extend(cat.problems + unknown_entries(cat))


def check_catalog(pr, lang: str, stamp_dir: Path | None = None) -> list[Problem]:
    """The problems of ``lang``'s catalog and review record against the English project ``pr``
    (which is left as it is): marks that differ, entries that name no text, a status naming a person.

    With ``stamp_dir``, the result is kept there under a hash of everything it depends on (the
    catalog, the review record, and the context and English of every text of the content), so a
    build with nothing changed does not read the catalog again."""
    if stamp_dir is not None:
        import hashlib
        import json
        h = hashlib.sha256()
        from .translation_status import status_path
        for f in (catalog_path(pr.root, lang), status_path(pr.root, lang)):
            h.update(f.read_bytes() if f.is_file() else b"-")
        for aid, act in sorted(pr.activities.items()):
            if act.model is not None:
                h.update(json.dumps([aid, texts(act.kind, act.data)], ensure_ascii=False).encode())
        for key, group in (("lesson", pr.lessons), ("workshop", pr.workshops)):
            for oid, page in sorted(group.items()):
                if page.model is not None:
                    h.update(json.dumps([oid, texts(key, page.typed[key])], ensure_ascii=False).encode())
        if pr.local is not None:
            h.update(json.dumps(texts("local", pr.local), ensure_ascii=False).encode())
        h.update(json.dumps(["campaign", campaign_texts(pr.root)], ensure_ascii=False).encode())
        stamp = Path(stamp_dir) / f"spotthelure-catalog-{code(lang)}.json"
        try:
            kept = json.loads(stamp.read_text(encoding="utf-8"))
            if kept.get("key") == h.hexdigest():
                return [Problem(*p) for p in kept["problems"]]
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            pass
        problems = check_catalog(pr, lang)
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(json.dumps({"key": h.hexdigest(), "problems": [[p.path, p.line, p.message] for p in problems]}),
                         encoding="utf-8")
        return problems
    cat = read_catalog(pr.root, lang)
    for aid, act in pr.activities.items():
        if act.model is not None:
            _look_up(act.kind, aid, act.data, cat)
    for key, group in (("lesson", pr.lessons), ("workshop", pr.workshops)):
        for oid, page in group.items():
            if page.model is not None:
                _look_up(key, oid, page.typed[key], cat)
    if pr.local is not None:
        _look_up("local", "local", pr.local, cat)
    campaign = _campaign(pr.root)
    if campaign is not None:      # the planner's texts, looked up so that their entries count as used
        from .campaign import OWNER
        _look_up(OWNER, OWNER, campaign.data, cat)
    from .translation_status import read_status
    return cat.problems + unknown_entries(cat) + read_status(pr.root, lang).problems


def output_dir(root: Path, builder: str, lang: str = "en") -> Path:
    """Where ``spotthelure build`` writes a language: ``_build/<builder>/<lang>`` in a book with
    translations, ``_build/<builder>`` in a book without."""
    base = Path(root) / "_build" / builder
    return base / lang if book_languages(root) else base
