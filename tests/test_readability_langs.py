"""Checks that understand each language: reading-level measures, the rules files and their
schema, and the victim-centred terminology lint in sv, uk, sr-Latn and ar."""
from __future__ import annotations

import re
import shutil

import pytest
import yaml

from spotthelure import catalog
from spotthelure import i18n, language_rules, readability, terminology

from conftest import ROOT

LANGS = ["en", "sv", "uk", "sr-Latn", "ar"]
RULES = ROOT / "spotthelure" / "data" / "languages"


# ---------------------------------------------------------------- LIX and sentence length

def test_lix_worked_example():
    """Sprogvaskeriet's worked example (https://sprogvaskeriet.dk/tjek-din-lix/): sentences of 20
    words on average with 20 per cent long words give LIX 40. Here: two sentences of 20 words,
    8 of the 40 words longer than six letters."""
    long_ = ["skolgården", "kompisarna", "telefonen", "meddelande"]
    short = "jag och du vi ser en bok i dag som är bra för mig nu här".split()
    sentence = " ".join(long_ + short[:16]) + "."
    text = sentence + " " + sentence.capitalize()
    assert readability.counts(text) == (40, 2, 8)
    assert readability.lix(text) == pytest.approx(40.0)


def test_lix_counts_a_long_word_as_more_than_six_letters():
    """lix.se: long words are words of more than six letters. "skolan" (6) is not long, "skolans"
    (7) is; a hyphen is not a letter."""
    assert readability.counts("skolan.") == (1, 1, 0)
    assert readability.counts("skolans.") == (1, 1, 1)
    assert readability.counts("e-post.") == (1, 1, 0)
    assert readability.lix("Jag ser skolans gård. Den är stor.") == pytest.approx(7 / 2 + 100 * 1 / 7)


def test_words_and_sentences_in_every_script():
    assert readability.counts("Ти не сам. Це можна вирішити!") == (6, 2, 1)
    assert readability.counts("Nisi sam. Ovo se može riješiti!") == (6, 2, 1)
    # Arabic ends a question with ؟
    assert readability.counts("هل أنت بخير؟ تحدث إلى شخص بالغ تثق به.")[:2] == (9, 2)
    assert readability.words_per_sentence("هل أنت بخير؟ تحدث إلى شخص بالغ تثق به.") == pytest.approx(4.5)
    assert readability.lix("") == 0.0 and readability.words_per_sentence("") == 0.0


@pytest.mark.parametrize("lang,measure", [("en", "flesch-kincaid"), ("sv", "lix"), ("uk", "lix"),
                                          ("sr-Latn", "lix"), ("ar", "words-per-sentence")])
def test_each_language_is_measured_by_its_own_measure(lang, measure):
    assert readability.settings(lang)["measure"] == measure
    assert set(readability.limits(lang)) == {"9-11", "12-14", "15-18"}
    lim = readability.limits(lang)
    assert lim["9-11"] < lim["12-14"] < lim["15-18"]


def test_grade_uses_the_language_measure():
    sv = ["Jag ser skolans gård.", "Den är stor."]
    assert readability.grade(sv, "sv") == round(readability.lix(" ".join(sv)), 1)
    ar = ["هل أنت بخير؟", "تحدث إلى شخص بالغ تثق به."]
    assert readability.grade(ar, "ar") == 4.5
    # A long Swedish sentence full of long words is over the limit for ages 9-11.
    hard = ["Myndigheternas kommunikationsstrategier förutsätter omfattande förkunskaper hos "
            "mottagarna beträffande grundläggande förvaltningsrättsliga principer och begrepp."]
    assert readability.grade(hard, "sv") > readability.limits("sv")["9-11"]


# ---------------------------------------------------------------- the rules files and their schema

def test_every_rules_file_is_sound():
    assert sorted(p.stem for p in RULES.glob("*.yml")) == sorted(LANGS)
    assert language_rules.check_all() == []


@pytest.fixture()
def rules_copy(tmp_path, monkeypatch):
    d = tmp_path / "languages"
    shutil.copytree(RULES, d)
    monkeypatch.setenv("SPOTTHELURE_LANGUAGES", str(d))
    yield d


def _line_of(path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_a_bad_rules_file_gets_path_and_line(rules_copy):
    p = rules_copy / "sv.yml"
    text = p.read_text(encoding="utf-8")
    text = text.replace("    source: \"http://luxembourgguidelines.org/\"\n    wording: \"https://www.ecpat.se",
                        "    wording: \"https://www.ecpat.se", 1)            # first rule: no source
    text = text.replace("'hämndporr\\w*'", "'hämndporr(\\w*'")                # a pattern that does not compile
    text = text.replace("measure: lix", "measure: smog")                      # a measure the package lacks
    text = text.replace("    \"9-11\": 25", "    \"9-11\": \"low\"")          # a limit that is not a number
    text = text.replace("\nlanguage: sv\n", "\nlanguage: se\n")
    p.write_text(text, encoding="utf-8")
    probs = language_rules.check_file(p)
    shown = "spotthelure/data/languages/sv.yml"
    assert all(q.path == shown for q in probs)
    by_line = {q.line: q.message for q in probs}
    assert "source" in by_line[_line_of(p, "pattern: 'barn-?porr")]                      # the rule with no source
    assert "not a regular expression" in by_line[_line_of(p, "hämndporr")]
    assert "'smog' is not allowed" in by_line[_line_of(p, "measure: smog")]
    assert _line_of(p, '"9-11": "low"') in by_line
    assert "should be 'sv', not 'se'" in by_line[_line_of(p, "language: se")]
    # The validator's readers do not fail on it: the bad pattern and the bad limit are left out.
    assert terminology.lint_text("barnporr", "x.md", lang="sv") != []        # the other rules still apply
    assert readability.settings("sv") is None                                  # smog: not measured
    assert all(str(q).startswith(f"{shown}:") for q in probs)


def test_an_unsourced_rule_needs_a_note_and_limits_need_a_reason(rules_copy):
    p = rules_copy / "uk.yml"
    data = yaml.safe_load(p.read_text(encoding="utf-8"))
    del data["terminology"][0]["note"]
    del data["readability"]["provisional"]
    p.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    msgs = [q.message for q in language_rules.check_file(p)]
    assert any("unsourced rule needs a 'note'" in m for m in msgs)
    assert any("'limits_source', or 'provisional:'" in m for m in msgs)


def test_a_rules_file_that_is_not_yaml_is_a_problem_not_a_traceback(rules_copy):
    p = rules_copy / "ar.yml"
    p.write_text("language: ar\nterminology: [\n  - pattern: 'x'\n", encoding="utf-8")
    probs = language_rules.check_languages({"ar"})
    assert probs and probs[0].path == "spotthelure/data/languages/ar.yml" and probs[0].line >= 2
    assert i18n.rules("ar") == {}                  # the readers see no rules rather than failing
    assert terminology.lint_text("خطر الغرباء", "x.md", lang="ar") == []


def test_sr_latn_reads_its_own_file(rules_copy):
    assert language_rules.rules_file("sr-Latn").name == "sr-Latn.yml"
    assert i18n.rules("sr-Latn")["language"] == "sr-Latn"


# ---------------------------------------------------------------- victim-centred terms in each language

HARMFUL = {     # a harmful term and the preferred wording, as a teacher might write them
    "en": ("They found child pornography on his phone.", "They found child sexual abuse material on his phone."),
    "sv": ("Polisen hittade barnpornografi i datorn.", "Polisen hittade dokumenterade sexuella övergrepp på barn i datorn."),
    "uk": ("Поліція знайшла дитячу порнографію.", "Поліція знайшла матеріали сексуального насильства над дітьми."),
    "sr-Latn": ("Policija je pronašla dječju pornografiju.", "Policija je pronašla materijal o seksualnom zlostavljanju djece."),
    "ar": ("عثرت الشرطة على إباحية الأطفال.", "عثرت الشرطة على مواد الاعتداء الجنسي على الأطفال."),
}
PROSTITUTION = {
    "sv": "Hon kallades barnprostituerad.", "uk": "Її називали дитячою проституткою.",
    "sr-Latn": "To je dečja prostitucija.", "ar": "هذا بغاء الأطفال.",
}


@pytest.mark.parametrize("lang", LANGS)
def test_terminology_flags_the_harmful_term_and_passes_the_preferred(lang):
    bad, good = HARMFUL[lang]
    found = terminology.lint_text(bad, "x.md", lang=lang)
    assert len(found) == 1 and found[0].line == 1
    assert terminology.lint_text(good, "x.md", lang=lang) == []


@pytest.mark.parametrize("lang", sorted(PROSTITUTION))
def test_terminology_flags_words_that_put_the_act_on_the_child(lang):
    assert terminology.lint_text(PROSTITUTION[lang], "x.md", lang=lang)


def _quoted(say: str) -> list[str]:
    return [a or b or c or d for a, b, c, d in re.findall(r"'([^']+)'|«([^»]+)»|„([^”]+)”|“([^”]+)”", say)]


@pytest.mark.parametrize("lang", LANGS)
def test_what_a_rule_says_to_use_is_not_itself_flagged(lang):
    """Every wording a rule recommends ('say …', «…», „…”) passes the language's own lint."""
    rules = yaml.safe_load((RULES / f"{lang}.yml").read_text(encoding="utf-8"))["terminology"]
    for r in rules:
        for phrase in _quoted(r["say"]):
            assert terminology.lint_text(phrase, "x.md", lang=lang) == [], (lang, phrase)


def test_a_text_is_linted_by_its_own_language_only():
    assert terminology.lint_text("barnpornografi", "x.md", lang="en") == []
    assert terminology.lint_text("child pornography", "x.md", lang="sv") == []


# ---------------------------------------------------------------- the glossary's vocabulary per language

def test_glossary_terms_cover_the_glossary_in_every_language():
    assert language_rules.glossary_problems(ROOT) == []
    data = yaml.safe_load(language_rules.GLOSSARY_TERMS.read_text(encoding="utf-8"))
    heads = language_rules.glossary_headings((ROOT / "book" / "glossary.md").read_text(encoding="utf-8"))
    assert [t["en"] for t in data["terms"]] == heads and len(heads) > 30
    words_page = (ROOT / "book" / "words-we-use.md").read_text(encoding="utf-8")
    for row in data["avoid"]:
        assert row["en"]["say"] in words_page, row["en"]      # each row is a row of "Say this, not this"
    assert sum(row["lint"] for row in data["avoid"]) >= 5


def test_glossary_terms_problems_are_found_at_their_line(tmp_path):
    text = language_rules.GLOSSARY_TERMS.read_text(encoding="utf-8")
    text = text.replace("  - en: Hash\n", "  - en: Hashes\n", 1)                    # not a glossary term
    text = text.replace('      not: "barnpornografi"', '      not: "barnporno"', 1)   # another form: still caught
    text = text.replace('      not: "дитяча порнографія"', '      not: "дитяча казка"', 1)  # not a harmful word
    bad = tmp_path / "glossary-terms.yml"
    bad.write_text(text, encoding="utf-8")
    probs = language_rules.glossary_problems(ROOT, bad)
    lines = text.splitlines()
    msgs = {(lines[p.line - 1].strip(), p.message) for p in probs}
    assert any(m.startswith("the glossary's term 'Hash' has no entry") for _l, m in msgs)
    assert ("- en: Hashes", "'Hashes' is not a term of book/glossary.md") in msgs
    assert ('not: "дитяча казка"', "'дитяча казка' is not caught by the terminology rules of uk") in msgs
    assert not any("barnporno" in m for _l, m in msgs)
    assert all(p.path == "spotthelure/data/glossary-terms.yml" for p in probs)


def test_the_validator_reports_a_broken_rules_file_of_the_book_language(rules_copy):
    """The book's word checks (part of validate) name a broken rules file of a language the book
    uses (English here, in the tiny book) at its line, and carry on."""
    from conftest import copy_book
    from spotthelure.project import load_project
    from spotthelure.wording import _check_words
    project = load_project(copy_book("basic", rules_copy.parent))
    p = rules_copy / "en.yml"
    p.write_text(p.read_text(encoding="utf-8").replace("measure: flesch-kincaid", "measure: fog"), encoding="utf-8")
    probs = [q for q in _check_words(project) if q.path == "spotthelure/data/languages/en.yml"]
    assert [q.line for q in probs] == [_line_of(p, "measure: fog")] and "'fog' is not allowed" in probs[0].message


# ---------------------------------------------------------------- wording rules in each language

WORDING = {  # lang: (observable objective, vague objective, help-seeking step, other step,
             #        feedback opening with a verdict, an option that leans on the others)
    "sv": ("Eleverna kan nämna tre varningstecken", "Eleverna kan förstå grooming",
           "Berätta för en vuxen du litar på.", "Sluta svara.", "Rätt, det är ett varningstecken.",
           "Alla av ovanstående"),
    "uk": ("Учні можуть назвати три тривожні знаки", "Учні можуть розуміти грумінг",
           "Розкажи дорослому, якому довіряєш.", "Припини відповідати.", "Правильно, це тривожний знак.",
           "Усе з наведеного"),
    "sr-Latn": ("Učenici mogu navesti tri znaka upozorenja", "Učenici mogu razumjeti grooming",
                "Reci odrasloj osobi kojoj vjeruješ.", "Prestani odgovarati.", "Tačno, to je znak upozorenja.",
                "Sve od navedenog"),
    "ar": ("يستطيع المتعلمون أن يسمّوا ثلاث علامات تحذير", "يستطيع المتعلمون أن يفهموا الاستدراج",
           "أخبر شخصًا بالغًا تثق به.", "توقّف عن الرد.", "صحيح، هذه علامة تحذير.", "كل ما سبق"),
}


@pytest.mark.parametrize("lang", sorted(WORDING))
def test_wording_rules_of_each_language(lang):
    from spotthelure import checks, ordering
    from spotthelure.wording import objective_problems
    good, vague, helps, other, verdict, leans = WORDING[lang]
    assert objective_problems({"id": "o1", "text": good}, "x.md", 1, lang) == []
    assert "cannot be observed" in objective_problems({"id": "o1", "text": vague}, "x.md", 1, lang)[0].message
    # English wording is not accepted for another language's objective
    assert objective_problems({"id": "o1", "text": "Learners can name three signs"}, "x.md", 1, lang)
    assert ordering.looks_like_help_seeking(helps, lang) and not ordering.looks_like_help_seeking(other, lang)
    assert ordering.starts_with_verdict(verdict, lang) and not ordering.starts_with_verdict(other, lang)
    rx = checks._leans_on_others(lang)
    assert rx.search(leans) and not rx.search(other)


# ---------------------------------------------------------------- translations are held to their own language's words

def _po(path, entries):
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po
    cat = Catalog(locale="uk")
    for ctx, en, tr in entries:
        cat.add(en, tr, context=ctx)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        write_po(f, cat)


def test_translations_in_the_book_catalogs_are_linted_by_their_language(tmp_path):
    msgs = tmp_path / "locales" / "uk" / "LC_MESSAGES"
    _po(msgs / "activities.po", [("q1:items/0/prompt", "They found child sexual abuse material.", "Знайшли дитячу порнографію."),
                                 ("q1:items/1/prompt", "Tell a trusted adult.", "Розкажи дорослому, якому довіряєш.")])
    # the translated words-we-use page names the avoided words on purpose
    _po(msgs / "book" / "words-we-use.po", [(None, "child pornography", "дитяча порнографія")])
    probs = terminology.lint_catalogs(tmp_path)
    assert [(p.path, p.message.split(":")[0]) for p in probs] == [("locales/uk/LC_MESSAGES/activities.po", "'дитячу порнографію'")]
    line = probs[0].line
    assert 'msgid "They found child sexual abuse material."' in (msgs / "activities.po").read_text(encoding="utf-8").splitlines()[line - 1]


def test_catalog_hits_kept_on_disk_give_the_same_problems_and_a_malformed_file_is_worked_out_again(tmp_path, monkeypatch):
    from spotthelure import pofile
    before = list(pofile._disk)
    pofile.keep_in(tmp_path / "cache")
    try:
        msgs = tmp_path / "book" / "locales" / "uk" / "LC_MESSAGES"
        _po(msgs / "activities.po", [("q1:items/0/prompt", "They found child sexual abuse material.", "Знайшли дитячу порнографію.")])
        first = terminology.lint_catalogs(tmp_path / "book")
        assert len(first) == 1

        def forget():       # as the next process starts
            pofile._kept.clear(), pofile._derived.clear(), pofile._digest_of.clear()
        forget()
        with monkeypatch.context() as m:
            m.setattr(terminology, "_catalog_hits", lambda *a: pytest.fail("worked out again"))
            assert terminology.lint_catalogs(tmp_path / "book") == first
        (kept,) = (tmp_path / "cache").glob("terminology-*.json")
        for malformed in ('[[1, "x", 99]]', '[[1, "x"]]', '[[1, "x", -1]]', '[["1", "x", 0]]'):
            kept.write_text(malformed, encoding="utf-8")
            forget()
            assert terminology.lint_catalogs(tmp_path / "book") == first
    finally:
        pofile.keep_in(before[0] if before else None)


@pytest.mark.parametrize("lang", ["sv", "uk", "sr-Latn", "ar"])
def test_the_interface_catalogs_use_the_victim_centred_words(lang):
    assert terminology.lint_po(catalog.po_path(lang), catalog.po_path(lang).name, lang) == []


def test_a_translated_activity_is_measured_by_its_language(tmp_path):
    from types import SimpleNamespace
    acts = {"a": SimpleNamespace(id="q1", kind="quiz", data={"age_band": "9-11"}),
            "b": SimpleNamespace(id="q2", kind="quiz", data={"age_band": "9-11"}),
            "c": SimpleNamespace(id="q3", kind="quiz", data={"age_band": "9-11"})}
    pr = SimpleNamespace(root=tmp_path, activities=acts)
    hard = ("Myndigheternas kommunikationsstrategier förutsätter omfattande förkunskaper hos mottagarna "
            "beträffande grundläggande förvaltningsrättsliga principer.")
    easy = "Sluta svara. Berätta för en vuxen. Du är inte ensam."
    msgs = tmp_path / "locales" / "sv" / "LC_MESSAGES"
    _po(msgs / "activities.po", [
        ("q1:title", "Title", "Ett quiz"), ("q1:items.a.prompt", "Hard", hard),      # hard, all translated
        ("q2:title", "Title", "Ett quiz"), ("q2:items.a.prompt", "Hard", ""),        # not all translated yet
        ("q3:title", "Title", "Ett quiz"), ("q3:items.a.prompt", "Easy", easy),      # easy
        ("q1:objectives.1", "Not read by learners", hard)])
    levels = readability.translation_levels(pr)
    assert [(rel, lang, aid) for rel, _l, lang, aid, *_ in levels] == [("locales/sv/LC_MESSAGES/activities.po", "sv", "q1")]
    score = levels[0][5]
    assert score == readability.grade(["Ett quiz.", hard], "sv") and score > readability.limits("sv")["9-11"]
    note = readability.translation_notes(pr)[0]
    assert note.message.startswith("note: the sv translation of q1 reads at lix ") and "ages 9-11" in note.message
