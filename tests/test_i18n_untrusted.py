"""A translation is untrusted text: it may change the words of a message, never its markup or its
placeholders. A translator's catalog that tries is reported at its line and, at run time, not used."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import write_po

from spotthelure import catalog
from spotthelure import i18n, templating
from spotthelure.i18n import translation_problem

from i18n_helpers import PSEUDO, pseudo_catalog

EVIL_TAG = '<img src=x onerror="alert(1)">'
HELP_LINE = "<strong>Get help:</strong> tell an adult you trust."


@pytest.mark.parametrize("msgid, msgstr", [
    ("<strong>Get help.</strong> {contacts}", "<strong>Få hjälp.</strong> {contacts}"),
    ("Wrote {file}", "Skrev {file}"),
    ("a <script> tag: pages may not carry script", "en <script>-tagg: sidor får inte ha skript"),
])
def test_a_translation_may_change_the_words(msgid, msgstr):
    assert translation_problem(msgid, msgstr) is None


@pytest.mark.parametrize("msgid, msgstr, why", [
    ("<strong>Get help.</strong> {contacts}", "<strong onclick=x>Få hjälp.</strong> {contacts}", "markup"),
    ("<strong>Get help.</strong> {contacts}", "<b>Få hjälp.</b> {contacts}", "markup"),
    ("<strong>Get help.</strong> {contacts}", "Få hjälp. {contacts}" + EVIL_TAG, "markup"),
    ("Get help", "Få hjälp <img src=x onerror=alert(1)//", "stray"),
    ("Wrote {file}", "Skrev {fil}", "placeholders"),
    ("Wrote {file}", "Skrev", "placeholders"),
    ("Wrote {file}", "Skrev {file} {file.__class__}", "placeholders"),
])
def test_a_translation_may_not_change_markup_or_placeholders(msgid, msgstr, why):
    problem = translation_problem(msgid, msgstr)
    assert problem is not None and why in problem


def test_a_plural_form_may_leave_out_the_number_but_not_add_a_field():
    assert translation_problem("one message", "{n} messages", plural=None) is not None
    assert translation_problem("{n} message", "одне повідомлення", plural="{n} messages") is None
    assert translation_problem("{n} message", "{n} {file} повідомлень", plural="{n} messages") is not None


def _catalog(tmp: Path, entries: dict) -> tuple[Path, Path]:
    """A Swedish catalog of ``entries`` (msgid → msgstr) as .po and .mo under ``tmp``."""
    cat = Catalog(locale="sv", fuzzy=False)
    for msgid, msgstr in entries.items():
        cat.add(msgid, msgstr)
    d = tmp / "sv" / "LC_MESSAGES"
    d.mkdir(parents=True)
    po, mo = d / f"{i18n.DOMAIN}.po", d / f"{i18n.DOMAIN}.mo"
    with po.open("wb") as f:
        write_po(f, cat, width=100)
    with mo.open("wb") as f:
        write_mo(f, cat)
    return po, mo


def test_a_bad_translation_is_reported_at_its_line(tmp_path):
    po, _mo = _catalog(tmp_path, {"Get help": "Få hjälp", HELP_LINE: "Be om hjälp" + EVIL_TAG})
    problems = catalog.catalog_problems(tmp_path)
    assert len(problems) == 1, problems
    p = problems[0]
    lines = po.read_text(encoding="utf-8").splitlines()
    assert lines[p.line - 1].startswith("msgid") and "Get help:" in lines[p.line - 1]
    assert p.path.endswith("sv/LC_MESSAGES/spotthelure.po") and "markup" in p.message


def test_a_catalog_checked_again_is_reported_as_it_is_now_and_in_the_language_asked(tmp_path):
    """The problems of a catalog checked before come in the interface language of this check, at the
    path of this copy, and a corrected catalog has none."""
    po, _mo = _catalog(tmp_path / "a", {HELP_LINE: "Be om hjälp" + EVIL_TAG})
    shutil.copytree(tmp_path / "a", tmp_path / "b")
    first = catalog.catalog_problems(tmp_path / "a")
    again = catalog.catalog_problems(tmp_path / "b")
    assert [(p.line, p.message) for p in again] == [(p.line, p.message) for p in first] and len(first) == 1
    assert again[0].path.endswith("b/sv/LC_MESSAGES/spotthelure.po")
    pseudo_catalog(tmp_path / "pseudo")
    with i18n.use_locales(tmp_path / "pseudo"), i18n.language(PSEUDO):
        pseudo = catalog.catalog_problems(tmp_path / "a")
    assert [p.line for p in pseudo] == [first[0].line] and pseudo[0].message != first[0].message
    shutil.rmtree(tmp_path / "a")
    _catalog(tmp_path / "a", {HELP_LINE: "<strong>Få hjälp:</strong> berätta för en vuxen du litar på."})
    assert catalog.catalog_problems(tmp_path / "a") == []


def test_an_unreadable_catalog_is_a_problem_not_a_traceback(tmp_path):
    d = tmp_path / "sv" / "LC_MESSAGES"
    d.mkdir(parents=True)
    (d / f"{i18n.DOMAIN}.po").write_text('msgid "Get help"\nmsgstr "Få hjälp"\nFå hjälp nu\n', encoding="utf-8")
    problems = catalog.catalog_problems(tmp_path)
    assert [(p.line, "cannot be read" in p.message) for p in problems] == [(3, True)]


def test_a_bad_translation_is_not_used_and_a_good_one_is(tmp_path):
    _catalog(tmp_path, {"Get help": "Få hjälp", HELP_LINE: "Be om hjälp" + EVIL_TAG})
    with i18n.use_locales(tmp_path), i18n.language("sv"):
        assert i18n._("Get help") == "Få hjälp"
        assert i18n._(HELP_LINE) == HELP_LINE
        from spotthelure import helpbox
        from spotthelure.project import find_root, load_project
        html = helpbox.help_line_html(load_project(find_root()), "12-14")
    assert "onerror" not in html


def test_a_template_shows_a_translation_as_text(tmp_path):
    """Quotes and angle brackets a translator writes cannot leave an attribute or open a tag."""
    _catalog(tmp_path, {"Get help": 'Få hjälp" onmouseover="alert(1)'})
    page = templating.environment().from_string('<a title="{{ _("Get help") }}">{{ _("Get help") }}</a>')
    with i18n.use_locales(tmp_path), i18n.language("sv"):
        html = page.render()
    assert html == '<a title="Få hjälp&#34; onmouseover=&#34;alert(1)">Få hjälp&#34; onmouseover=&#34;alert(1)</a>'


def test_a_translation_of_reveals_words_reaches_the_deck_as_data(tmp_path):
    """The words deck.js gives reveal.js travel in the deck's attribute as JSON: a translator's quotes
    and angle brackets stay inside it, and deck.js reads back exactly the words written."""
    import html
    import json
    import re

    from spotthelure import slides
    from spotthelure.templating import markup, render
    written = 'Nästa "bild" & \'nästa\''        # (a translation with markup or a stray > is refused before this)
    _catalog(tmp_path, {"Next slide": written})
    with i18n.use_locales(tmp_path), i18n.language("sv"):
        words = slides.deck_words()
        deck = render("slides/deck.html", lang="sv", title="T", slides=[], help_box=markup(""), assets="", words=words)
    assert words["next"] == written
    assert written not in deck and '"bild"' not in deck
    m = re.search(r'<div class="reveal" data-stl-words="([^"]*)">', deck)
    assert m and json.loads(html.unescape(m.group(1)))["next"] == written
