"""Translations of the content through PO catalogs: what a translation may change (words) and may not
(ids, answers, story links), marks that must match, the review record, the coverage table."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT, book_project, copy_book, run_here as run

from spotthelure import translate, translation_status
from spotthelure.project import load_project

QUIZ = "q1214-3"                 # the book's: its Swedish translation is shipped
STORY = "sc-1214-easy-money"
TINY_QUIZ = "q1214-1"            # the tiny book's (tests/books/basic): catalogs written by the tests
TINY_STORY = "sc-1214-new-follower"


def _book(tmp_path: Path) -> Path:
    """The tiny book, with no translation until a test writes one."""
    return copy_book("basic", tmp_path)


def _po(entries: list[tuple[str, str, str]], fuzzy: set[str] = frozenset()) -> str:
    """A PO catalog of (msgctxt, msgid, msgstr) entries."""
    def q(s):
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
    out = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"', ""]
    for ctx, mid, mstr in entries:
        if ctx in fuzzy:
            out.append("#, fuzzy")
        out += [f"msgctxt {q(ctx)}", f"msgid {q(mid)}", f"msgstr {q(mstr)}", ""]
    return "\n".join(out)


def _write(book: Path, lang: str, text: str) -> Path:
    po = translate.catalog_path(book, lang)
    po.parent.mkdir(parents=True, exist_ok=True)
    po.write_text(text, encoding="utf-8")
    return po


def test_text_fields_are_named_by_id_and_path_and_structure_has_no_message():
    pr = book_project()
    act = pr.activities[STORY]
    names = {p for p, _t, _l in translate.texts(act.kind, act.data)}
    assert "nodes.n1.choices.a.feedback" in names and "characters.maja.name" in names
    # ids, next targets, endings, roles, the start node, kind and language are not words
    for p in names:
        assert not p.endswith((".next", ".id", ".ending", ".role")) and p not in ("start", "kind", "language", "id")
    quiz = pr.activities[QUIZ]
    qnames = {p for p, _t, _l in translate.texts(quiz.kind, quiz.data)}
    assert "items.which-lure.options.a.feedback" in qnames
    assert not any(p.endswith((".correct", ".answer", ".flag", ".before", ".type")) for p in qnames)


def test_a_translation_changes_words_never_ids_answers_or_links(tmp_path):
    book = _book(tmp_path)
    en = load_project(book)
    story, quiz = en.activities[TINY_STORY], en.activities[TINY_QUIZ]
    n1 = story.data["nodes"][0]
    entries = [
        (f"{TINY_STORY}:nodes.n1.prompt", n1["prompt"], "Vad ska Mateo göra nu?"),
        # no message has these contexts: an id, a story link, a correct answer, a true/false answer
        (f"{TINY_STORY}:nodes.n1.choices.a.next", n1["choices"][0]["next"], "end-stuck"),
        (f"{TINY_STORY}:start", story.data["start"], "end-stuck"),
        (f"{TINY_QUIZ}:items.first-step.options.b.correct", "true", "false"),
        (f"{TINY_QUIZ}:items.age-lies.answer", "true", "false"),
        (f"{TINY_QUIZ}:id", TINY_QUIZ, "q-hacked"),
    ]
    po = _write(book, "sv", _po(entries))
    sv = load_project(book, "sv")
    s = sv.activities[TINY_STORY]
    assert s.data["nodes"][0]["prompt"] == "Vad ska Mateo göra nu?"
    assert s.model is not None and s.model.nodes[0].prompt == "Vad ska Mateo göra nu?"
    assert s.data["nodes"][0]["choices"][0]["next"] == n1["choices"][0]["next"]
    assert s.data["start"] == story.data["start"] and s.id == TINY_STORY
    q = sv.activities[TINY_QUIZ]
    assert q.data == quiz.data, "a catalog with no words for the quiz changed it"
    # the entries that tried are named at their lines (their msgid's): they change nothing
    lines = {p.line for p in sv.problems if p.path == po.relative_to(book).as_posix()}
    text = po.read_text(encoding="utf-8").splitlines()
    for ctx in (e[0] for e in entries[1:]):
        line = next(i for i, x in enumerate(text, 1) if x == f'msgctxt "{ctx}"') + 1
        assert line in lines, ctx
    assert len(lines) == len(entries) - 1


def test_untranslated_fuzzy_and_stale_texts_fall_back_to_english(tmp_path):
    book = _book(tmp_path)
    en = load_project(book)
    n1 = en.activities[TINY_STORY].data["nodes"][0]
    _write(book, "sv", _po([
        (f"{TINY_STORY}:nodes.n1.prompt", n1["prompt"], "Vad ska Mateo göra?"),
        (f"{TINY_STORY}:nodes.n1.choices.a.text", n1["choices"][0]["text"], "Säg tack i kommentarerna."),
        (f"{TINY_STORY}:nodes.n1.choices.b.text", "An older English text", "En gammal text."),
    ], fuzzy={f"{TINY_STORY}:nodes.n1.choices.a.text"}))
    sv = load_project(book, "sv")
    node = sv.activities[TINY_STORY].data["nodes"][0]
    assert node["prompt"] == "Vad ska Mateo göra?"
    assert node["choices"][0]["text"] == n1["choices"][0]["text"]          # fuzzy: English
    assert node["choices"][1]["text"] == n1["choices"][1]["text"]          # English changed since: English
    total = len(translate.texts("scenario", en.activities[TINY_STORY].data))
    assert sv.catalog.untranslated(TINY_STORY) == total - 1


@pytest.mark.parametrize("english,translated,what", [
    ("You answered {done} of {total}.", "Du svarade på {klar} av {total}.", "placeholders"),
    ("See [Get help](../get-help.md).", "Se [Få hjälp](https://example.org).", "link targets"),
    ("It is **not your fault**.", "Det är inte ditt fel.", "emphasis marks"),
    ("Type `stop`.", "Skriv stopp.", "code marks"),
    ("Hi <b>there</b>", "Hej <script>x</script>", "HTML tags"),
])
def test_a_translation_whose_marks_differ_is_refused_at_its_line(tmp_path, english, translated, what):
    assert translate.markup_difference(english, translated)
    assert what in translate.markup_difference(english, translated)
    book = _book(tmp_path)
    en = load_project(book)
    prompt = en.activities[TINY_STORY].data["nodes"][0]["prompt"]
    po = _write(book, "sv", _po([(f"{TINY_STORY}:nodes.n1.prompt", english, translated)]))
    cat = translate.read_catalog(book, "sv")
    assert [p.line for p in cat.problems] == [6], cat.problems        # the line of its msgid
    assert str(cat.problems[0]).startswith(f"{po.relative_to(book).as_posix()}:6: ")
    assert not cat.messages
    assert load_project(book, "sv").activities[TINY_STORY].data["nodes"][0]["prompt"] == prompt


def test_matching_marks_are_accepted():
    assert translate.markup_difference("You answered {done} of {total}.", "{total}: du svarade på {done}.") is None
    assert translate.markup_difference("It is **not your fault**.", "Det är **inte ditt fel**.") is None


def test_the_build_refuses_a_broken_catalog_with_path_and_line(tmp_path):
    book = _book(tmp_path)
    en = load_project(book)
    prompt = en.activities[TINY_STORY].data["nodes"][0]["prompt"]
    _write(book, "sv", _po([(f"{TINY_STORY}:nodes.n1.prompt", prompt, "Vad {x} ska Mateo göra?")]))
    r = run("build", "--lang", "en,sv", cwd=book)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    assert "locales/sv/LC_MESSAGES/activities.po:6: " in r.stderr
    assert not (book / "_build" / "html").exists()


# ---- the review record -------------------------------------------------------------------------

def test_status_refuses_a_name_and_needs_role_and_date(tmp_path):
    p = tmp_path / "status.yml"
    p.write_text("reviews:\n  - role: native-speaking teacher, Sweden\n    name: A Person\n    date: '2026-12-01'\n"
                 "    catalogs: [activities]\n  - catalogs: [ui]\n", encoding="utf-8")
    st = translation_status.read_status(tmp_path, "sv", p)
    msgs = [str(x) for x in st.problems]
    assert any(":3: 'name'" in m and "never by name" in m for m in msgs), msgs
    assert any(":6: " in m and "role" in m for m in msgs), msgs
    assert not st.reviews


def test_status_records_a_review_by_role():
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "status.yml"
        p.write_text("reviews:\n  - role: native-speaking teacher, Sweden\n    date: '2026-12-01'\n"
                     "    pages: [book/get-help]\n", encoding="utf-8")
        st = translation_status.read_status(Path(d), "sv", p)
    assert not st.problems
    assert st.reviewed_page("book/get-help") and not st.reviewed_page("book/index")
    assert not st.reviewed_catalog("activities")


def test_every_language_status_in_the_book_is_valid_and_names_no_invented_reviewer():
    for lang in translate.book_languages(ROOT):
        st = translation_status.read_status(ROOT, lang)
        assert not st.problems, st.problems
        # No review is recorded today: a reviewer is added only when a real review happened.
        assert st.reviews == [], f"{lang}: a review is recorded in {st.path}; check that it really happened"


# ---- codes ---------------------------------------------------------------------------------------

def test_language_codes():
    assert translate.code("sr-Latn") == "sr_Latn" and translate.tag("sr_Latn") == "sr-Latn"
    assert translate.direction("ar") == "rtl" and translate.direction("sr-Latn") == "ltr"
    from babel import Locale
    assert Locale.parse("sr_Latn").script == "Latn"


# ---- exports per language -----------------------------------------------------------------------

def test_exports_take_a_language():
    gift = run("export", "gift", f"activities/quizzes/{QUIZ}.yml", "--lang", "sv")
    assert gift.returncode == 0, gift.stderr
    assert "Vilket av de här är ett lockbete" in gift.stdout
    en = run("export", "gift", f"activities/quizzes/{QUIZ}.yml")
    assert "Which of these is a lure" in en.stdout and "Vilket" not in en.stdout
    # the same answers in both: a translation carries words only
    assert gift.stdout.count("\n=") == en.stdout.count("\n=") and gift.stdout.count("~") == en.stdout.count("~")
    page = run("export", "html", f"activities/scenarios/{STORY}.yml", "--lang", "sv")
    assert page.returncode == 0, page.stderr
    assert '<html lang="sv" dir="ltr">' in page.stdout and "Leo och erbjudandet om lätta pengar" in page.stdout
    ar = run("export", "print", f"activities/quizzes/{QUIZ}.yml", "--lang", "ar")
    assert ar.returncode == 0 and '<html lang="ar" dir="rtl">' in ar.stdout


def test_an_export_in_a_language_the_book_lacks_is_refused():
    r = run("export", "gift", f"activities/quizzes/{QUIZ}.yml", "--lang", "xx")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert r.stderr.startswith("(command line):1: no translations of the book into 'xx'")


def test_the_languages_a_build_makes():
    from spotthelure.cli import _wanted_languages
    from spotthelure.problems import ContentError
    have = translate.book_languages(ROOT)
    assert have == ["sv", "uk", "sr-Latn", "ar"]
    assert _wanted_languages("", have) == ["en", *have]
    assert _wanted_languages("en,sv", have) == ["en", "sv"]
    assert _wanted_languages("sr_Latn, ar", have) == ["sr-Latn", "ar"]
    with pytest.raises(ContentError) as e:
        _wanted_languages("en,xx", have)
    assert "no translations of the book into 'xx'" in str(e.value.problems[0])


def test_the_site_root_lists_the_languages_built(tmp_path):
    from spotthelure.sphinx.languages import write_language_index
    for lang in ("en", "ar"):
        (tmp_path / lang).mkdir()
        (tmp_path / lang / "index.html").write_text("<html></html>", encoding="utf-8")
    page = write_language_index(tmp_path, ["en", "sv", "ar"]).read_text(encoding="utf-8")
    assert 'href="en/index.html" hreflang="en"' in page and 'href="ar/index.html" hreflang="ar" lang="ar" dir="rtl"' in page
    assert "sv/index.html" not in page           # not built: not listed
    from spotthelure.csp import inline_script_hashes
    assert inline_script_hashes(page) and inline_script_hashes(page)[0] in page   # the script is allowed by its hash


def test_a_catalog_check_is_kept_until_what_it_read_changes(tmp_path):
    book = _book(tmp_path)
    en = load_project(book)
    prompt = en.activities[TINY_STORY].data["nodes"][0]["prompt"]
    po = _write(book, "sv", _po([(f"{TINY_STORY}:nodes.n1.prompt", prompt, "Vad {x} ska Mateo göra?")]))
    stamps = tmp_path / "stamps"
    first = translate.check_catalog(en, "sv", stamp_dir=stamps)
    assert [p.line for p in first] == [6]
    assert translate.check_catalog(en, "sv", stamp_dir=stamps) == first          # kept
    po.write_text(po.read_text(encoding="utf-8").replace("Vad {x} ska", "Vad ska"), encoding="utf-8")
    assert translate.check_catalog(en, "sv", stamp_dir=stamps) == []             # the catalog changed: read again
