"""The UI catalogs of the book's languages (sv, uk, sr-Latn, ar).

- every message of the catalog template is translated in every language, nothing fuzzy, every
  plural form filled (Ukrainian and Serbian three, Arabic six), placeholders kept;
- each catalog compiles, and the compiled catalog gives the language's words;
- switching ``i18n.language("uk")`` renders a quiz with Ukrainian UI words, and the browser
  script's strings in Ukrainian with the CLDR plural categories.
These are drafts until a native-speaking educator reviews them; the tests check completeness and
form, never the quality of a translation.
"""
from __future__ import annotations

import re
import shutil
import string
from pathlib import Path

import pytest

from spotthelure import i18n

from conftest import ROOT
from i18n_helpers import visible_text

LANGS = {"sv": 2, "uk": 3, "sr-Latn": 3, "ar": 6}       # language → plural forms
DATA = ROOT / "tests" / "data"


def _read(path: Path):
    from babel.messages.pofile import read_po
    with path.open("rb") as f:
        return read_po(f)


@pytest.fixture(scope="module")
def template():
    return _read(i18n.TEMPLATE)


def _brace(text: str) -> set[str]:
    try:
        return {f for _l, f, _s, _c in string.Formatter().parse(text) if f is not None}
    except ValueError:          # a literal brace that is no placeholder ("\\url{{{value}}}" parses)
        return set()


def _percent(text: str) -> set[str]:
    return set(re.findall(r"%\((\w+)\)[sd]", text))


def untranslated(template, cat) -> list[str]:
    """The messages of ``template`` that ``cat`` leaves untranslated, fuzzy, or with a plural
    form missing or empty."""
    out = []
    for m in template:
        if not m.id:
            continue
        t = cat.get(m.id, context=m.context)
        if t is None or t.fuzzy:
            out.append(f"{m.context or ''}|{m.id}: {'fuzzy' if t is not None else 'missing'}")
            continue
        forms = t.string if isinstance(t.string, (list, tuple)) else [t.string]
        if isinstance(m.id, (list, tuple)) and len(forms) != cat.num_plurals:
            out.append(f"{m.id[0]}: {len(forms)} plural forms, not {cat.num_plurals}")
        if not all(isinstance(f, str) and f.strip() for f in forms):
            out.append(f"{m.context or ''}|{m.id}: empty")
    return out


def placeholder_problems(template, cat) -> list[str]:
    """Translations that lose or invent a placeholder ({name} or %(name)s). A plural form may keep
    the placeholders of either English form."""
    out = []
    for m in template:
        if not m.id:
            continue
        t = cat.get(m.id, context=m.context)
        if t is None:
            continue
        ids = list(m.id) if isinstance(m.id, (list, tuple)) else [m.id]
        forms = t.string if isinstance(t.string, (list, tuple)) else [t.string]
        for f in forms:
            for kind in (_brace, _percent):
                if not any(kind(f) == kind(i) for i in ids):
                    out.append(f"{ids[0]!r} → {f!r}")
                    break
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_catalog_is_complete_with_every_plural_form(template, lang):
    po = i18n.po_path(lang)
    assert po.is_file(), f"no catalog for {lang}: spotthelure i18n update {lang}"
    cat = _read(po)
    assert cat.num_plurals == LANGS[lang]
    assert untranslated(template, cat) == []
    assert len([m for m in cat if m.id]) >= len([m for m in template if m.id])


@pytest.mark.parametrize("lang", LANGS)
def test_translations_keep_their_placeholders_and_spaces(template, lang):
    cat = _read(i18n.po_path(lang))
    assert placeholder_problems(template, cat) == []
    # A message that begins or ends with a space is joined to another: the translation keeps it.
    for m in template:
        if isinstance(m.id, str) and m.id and m.id != m.id.strip():
            s = cat.get(m.id, context=m.context).string
            assert (s[:1] == " ") == (m.id[:1] == " ") and (s[-1:] == " ") == (m.id[-1:] == " "), (m.id, s)


def test_the_completeness_check_sees_a_gap(template, tmp_path):
    """The check above fails on a catalog with one message emptied, one fuzzy, one plural form
    missing and one placeholder lost."""
    from babel.messages.pofile import write_po
    cat = _read(i18n.po_path("uk"))
    cat.get("Quick exit").string = ""
    cat.get("Try again").flags.add("fuzzy")
    plural = next(m for m in cat if isinstance(m.id, tuple))
    plural.string = plural.string[:2]
    cat.get("Wrote {file}").string = "Записано"
    p = tmp_path / "uk.po"
    with p.open("wb") as f:
        write_po(f, cat)
    broken = _read(p)
    gaps = untranslated(template, broken)
    assert any(g.startswith("|Quick exit") for g in gaps) and any("Try again: fuzzy" in g for g in gaps)
    # (a PO reader pads a missing plural form with an empty one)
    assert any(g.startswith(f"|{plural.id}") and g.endswith("empty") or "2 plural forms" in g for g in gaps), gaps
    assert any("'Wrote {file}'" in g for g in placeholder_problems(template, broken))


@pytest.fixture(scope="module")
def compiled(tmp_path_factory):
    """The four catalogs compiled into a folder of their own (the package's .mo are not touched)."""
    d = tmp_path_factory.mktemp("locales")
    for lang in LANGS:
        src = i18n.po_path(lang)
        dst = i18n.po_path(lang, d)
        dst.parent.mkdir(parents=True)
        shutil.copy(src, dst)
    mos = i18n.compile_catalogs(d)
    assert len(mos) == len(LANGS) and all(m.stat().st_size > 10_000 for m in mos)
    return d


WORDS = {   # a message, a label and a plural message in each language, as the catalog has them
    "sv": ("Snabb utgång", "9–11 år", "3 frågor"),
    "uk": ("Швидкий вихід", "9–11 років", "3 запитання"),
    "sr-Latn": ("Brzi izlaz", "uzrast 9–11", "3 pitanja"),
    "ar": ("خروج سريع", "الأعمار 9–11", "3 أسئلة"),
}


@pytest.mark.parametrize("lang", LANGS)
def test_compiled_catalog_gives_the_language(compiled, lang):
    with i18n.use_locales(compiled), i18n.language(lang):
        msg, lbl, plural = WORDS[lang]
        assert i18n._("Quick exit") == msg
        assert i18n.label("band", "9-11") == lbl
        assert i18n.ngettext("%(num)d question", "%(num)d questions", 3) % {"num": 3} == plural


def test_plural_forms_follow_each_language(compiled):
    with i18n.use_locales(compiled):
        with i18n.language("uk"):
            got = [i18n.ngettext("{n} problem found.", "{n} problems found.", n).format(n=n) for n in (1, 3, 5, 21)]
        assert got == ["Знайдено 1 проблему.", "Знайдено 3 проблеми.", "Знайдено 5 проблем.", "Знайдено 21 проблему."]
        with i18n.language("ar"):
            got = {n: i18n.ngettext("{n} problem found.", "{n} problems found.", n).format(n=n) for n in (0, 1, 2, 3, 11, 100)}
        assert got[2].endswith("مشكلتان.") and got[3].endswith("مشكلات.") and got[11].endswith("مشكلةً.")
        assert len(set(got.values())) == 6


def test_switching_to_ukrainian_renders_a_ukrainian_quiz(compiled):
    from spotthelure.project import load_activity_file
    from spotthelure.render_html import activity_html
    act, problems = load_activity_file(DATA / "quiz-sample.yml", "quiz-sample.yml")
    assert not problems
    english = visible_text(activity_html("quiz", act.data))
    with i18n.use_locales(compiled), i18n.language("uk"):
        html = activity_html("quiz", act.data)
        strings = i18n.js_strings_data()
    text = visible_text(html)
    assert "Check answer" in english and "Check answer" not in text
    assert "Перевірити відповідь" in text
    assert "Your answers stay on this device only" not in text and "Твої відповіді залишаються лише на цьому пристрої" in text
    # The browser script's words: Ukrainian, with the one/few/many categories of its plurals.
    assert strings["lang"] == "uk" and strings["messages"]["quickExit"] == "Швидкий вихід"
    assert set(strings["messages"]["status"]["forms"]) >= {"one", "few", "many", "other"}
    assert "Ukrainian" not in html and "data-stl-strings" in html
    assert "Швидкий вихід" in html       # the strings travel with the activity, in its language


def test_catalog_headers_say_draft_and_name_no_person():
    for lang in LANGS:
        head = i18n.po_path(lang).read_text(encoding="utf-8").split('msgid ""', 1)[0]
        assert "DRAFT: not yet reviewed" in head, lang
        assert "@" not in head and "FIRST AUTHOR" not in head, lang


class _Any(dict):
    def __missing__(self, key):
        return 1


@pytest.mark.parametrize("lang", LANGS)
def test_percent_and_brace_messages_still_format(template, lang):
    """A message formatted with % (it names %(x)s) formats in translation too: a stray % would
    raise; a {}-message formats with its names."""
    cat = _read(i18n.po_path(lang))
    bad = []
    for m in template:
        if not m.id:
            continue
        ids = list(m.id) if isinstance(m.id, (list, tuple)) else [m.id]
        t = cat.get(m.id, context=m.context)
        forms = t.string if isinstance(t.string, (list, tuple)) else [t.string]
        for f in forms:
            try:
                if any("%(" in i for i in ids):
                    f % _Any()
                if any(_brace(i) for i in ids):
                    f.format_map(_Any())
            except (ValueError, TypeError, KeyError, IndexError) as e:
                bad.append(f"{ids[0]!r}: {e}")
    assert bad == []


def test_a_message_back_in_the_template_takes_its_translation_back(tmp_path):
    """'spotthelure i18n update' keeps a message that left the template as obsolete; when it comes
    back (restored, or its code merged after it was translated ahead), its translation returns
    instead of a fuzzy guess from a similar message."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po
    def pot(path, ids):
        cat = Catalog(fuzzy=False)
        for i in ids:
            cat.add(i)
        with path.open("wb") as f:
            write_po(f, cat)
        return path
    full = pot(tmp_path / "full.pot", ["Choose one answer.", "Choose your language:"])
    less = pot(tmp_path / "less.pot", ["Choose one answer."])
    po = i18n.po_path("uk", tmp_path)
    i18n.update(["uk"], template=full, locales=tmp_path)
    cat = _read(po)
    cat.get("Choose one answer.").string = "Обери одну відповідь."
    cat.get("Choose your language:").string = "Обери мову:"
    from babel.messages.pofile import write_po as w
    with po.open("wb") as f:
        w(f, cat)
    i18n.update(["uk"], template=less, locales=tmp_path)
    assert _read(po).get("Choose your language:") is None           # obsolete now
    i18n.update(["uk"], template=full, locales=tmp_path)
    back = _read(po).get("Choose your language:")
    assert back.string == "Обери мову:" and not back.fuzzy


def test_the_script_writes_the_catalog_words_in_arabic_and_ukrainian(page, tmp_path, compiled):
    """A quiz in Arabic and a chat story in Ukrainian, in the browser, with the real catalogs: the
    words the script writes and the plural forms Intl.PluralRules picks come from the catalog
    (5 questions is Arabic 'few'; 2 endings is Ukrainian 'few')."""
    from spotthelure.project import load_activity_file
    from spotthelure.render_html import standalone_page
    from conftest import book_project
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    def open_(name, lang):
        act, problems = load_activity_file(DATA / name, name)
        assert not problems
        with i18n.use_locales(compiled), i18n.language(lang):
            html = standalone_page(act.kind, act.data, book_project())
        out = tmp_path / f"{act.id}-{lang}.html"
        out.write_text(html, encoding="utf-8")
        page.goto(out.as_uri())

    open_("quiz-sample.yml", "ar")
    assert page.locator("[data-stl-score]").text_content().startswith("أجبت عن 0 من أصل 5 أسئلة.")
    page.locator('form[data-item="one"] button.stl-check').click()
    assert page.locator('form[data-item="one"] .stl-result').text_content() == "اختر إجابة أولًا."
    assert page.locator(".stl-quick-exit").first.text_content() == "خروج سريع"
    open_("scenario-sample.yml", "uk")
    assert page.locator("[data-stl-status]").text_content() == "Крок 1 · ти знайшов(-ла) 0 з 2 кінцівок."
    assert not errors, errors
