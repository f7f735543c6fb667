"""A phone number keeps its digit groups in order in right-to-left text (spotthelure.bidi), and
English data on a translated fact sheet says it is English."""
from __future__ import annotations

import re

import pytest

from conftest import ROOT
from spotthelure import factsheet, helpbox, i18n
from spotthelure.bidi import LRI, PDI, isolate_numbers
from spotthelure.project import load_project
from spotthelure.translate import Catalog, translate


@pytest.mark.parametrize("text, isolated", [
    ("خط مساعدة: 116 111.", f"خط مساعدة: {LRI}116 111{PDI}."),
    ("+46 8 123 45 67", f"{LRI}+46 8 123 45 67{PDI}"),
    ("020-91 91 91", f"{LRI}020-91 91 91{PDI}"),
    ("0 800 500 225 أو 772", f"{LRI}0 800 500 225{PDI} أو 772"),      # each number alone
    ("12\u00a0000 طفل", f"{LRI}12\u00a0000{PDI} طفل"),                  # a no-break space between groups
])
def test_digit_groups_are_isolated_left_to_right(text, isolated):
    assert isolate_numbers(text) == isolated
    assert isolate_numbers(isolated) == isolated, "isolated twice"


@pytest.mark.parametrize("text", ["اتصل بـ 112.", "الأعمار 9–11", "2026-12-03", "1.5 2", "a116 111", "116 111b",
                                  "3,5 4", "no digits", ""])
def test_a_single_number_a_range_a_date_or_a_word_is_left_alone(text):
    assert isolate_numbers(text) == text


def test_a_marked_text_keeps_its_mark():
    from spotthelure.campaign import English
    out = isolate_numbers(English("call 116 111"))
    assert isinstance(out, English) and out == f"call {LRI}116 111{PDI}"


def test_translated_texts_are_isolated_in_a_right_to_left_language_only():
    data = {"id": "x", "title": "Call 116 111", "items": []}
    for lang, want in (("ar", f"Call {LRI}116 111{PDI}"), ("sv", "Call 116 111")):
        cat = Catalog(lang)
        assert translate("quiz", "x", data, cat)["title"] == want, lang
        assert translate("quiz", "x", data, cat)["id"] == "x"


@pytest.fixture(scope="module")
def projects():
    return {lang: load_project(ROOT, lang) for lang in ("en", "ar", "sv")}


def test_the_help_box_and_lifeline_keep_the_helpline_in_order_on_an_arabic_page(projects):
    with i18n.language("ar"):
        box = helpbox.help_box_html(projects["ar"], "9-11")
        line = helpbox.lifeline_text(projects["ar"], "9-11")
        plain = helpbox.help_contacts_text(projects["ar"], "9-11")
    for text in (box, line, plain):
        assert f"{LRI}116 111{PDI}" in text
        assert not re.search(r"(?<!\u2066)116 111", text), "a helpline number left out of its isolate"
    for lang in ("en", "sv"):
        with i18n.language(lang):
            assert LRI not in helpbox.help_box_html(projects[lang], "9-11") + helpbox.lifeline_text(projects[lang], "9-11")


def test_a_translated_fact_sheet_marks_the_country_files_english():
    with i18n.language("ar"):
        ar = factsheet.render(ROOT, "AL")
        empty = factsheet.render(ROOT, "", ctx=factsheet.template_context(ROOT))
    with i18n.language("sv"):
        sv = factsheet.render(ROOT, "AL")
    with i18n.language("en"):
        en = factsheet.render(ROOT, "AL")
    assert '<h1 id="fs-title">' in ar and re.search(r'<h1 id="fs-title">[^<]*<span lang="en" dir="ltr">Albania</span>', ar)
    assert re.search(r'<li><strong><span lang="en" dir="ltr">[^<]*ALO 116 111', ar), "a figure is not marked English"
    assert f'<span class="contact">{LRI}116 111{PDI}' in ar
    assert re.search(r'<h1 id="fs-title">[^<]*<span lang="en">Albania</span>', sv)
    assert 'lang="en" dir="ltr"' not in sv
    assert 'lang="en"' not in en.split("<body>", 1)[1] and LRI not in en
    assert re.search(r'<h1 id="fs-title">[^<]*</h1>', empty), "the empty sheet's name is a message, not English"
    # where in the source a figure is (the country file's words), and no empty mark for a source with no title
    assert '(<span lang="en" dir="ltr">web story of 20 December 2021 (no page numbers)' in ar
    assert '<span lang="en" dir="ltr"></span>' not in ar
    with i18n.language("ar"):
        sweden = factsheet.render(ROOT, "SE")
    assert '<span lang="en" dir="ltr"></span>' not in sweden and "(<span lang=\"en\" dir=\"ltr\">web page" in sweden


def test_the_country_files_words_stay_text_on_a_translated_sheet():
    """What ``en()`` wraps is escaped: a country file (edited by schools and NGOs) cannot open a tag."""
    payload = '"><img src=x onerror=alert(1)><script>alert(1)</script>'
    with i18n.language("ar"):
        ctx = factsheet.context(ROOT, "AL")
        ctx["name"] = payload
        ctx["figures"][0]["text"] = payload
        ctx["figures"][0]["page"] = payload          # where in its source the figure is
        ctx["kinds"][1]["rows"][0]["name"] = payload
        html = factsheet.render(ROOT, "AL", ctx=ctx)
    body = html.split("<body>", 1)[1]
    assert "<img" not in body and "<script>" not in body
    assert body.count('<span lang="en" dir="ltr">&#34;&gt;&lt;img src=x onerror=alert(1)&gt;') >= 4, body[:2000]


def test_a_source_title_stays_text_and_says_it_is_english_on_a_translated_page():
    """The planner's citation of a source (its title from references.bib, or the key it was given)
    is escaped; on a page in another language it says it is English."""
    from spotthelure.campaign_html import _plain_cite
    payload = '"><script>alert(1)</script>'
    got = {}
    for lang in ("en", "sv", "ar"):
        with i18n.language(lang):
            got[lang] = str(_plain_cite(None)(payload))
    assert got["en"] == "<cite>&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</cite>"
    assert got["sv"] == '<cite lang="en">&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</cite>'
    assert got["ar"] == '<cite lang="en" dir="ltr">&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</cite>'
