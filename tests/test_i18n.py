"""The string catalog and the language rules.

- extraction collects the Python messages, the Jinja template messages and the content labels
  (with their group as context) into the catalog template;
- a pseudo-locale (every msgstr wrapped in ⟦…⟧) run over every renderer and export (section,
  standalone page, printables with and without the key, GIFT, QTI), the help box, the browser
  strings and the validators' messages: a word outside the brackets that is not content (marked
  ‹…›) did not come from the catalog;
- plural messages for the browser carry Ukrainian's one/few/many forms;
- the rules that depend on a language come from data/languages/<lang>.yml (a changed copy changes
  what the validators say), and a language with no rules file gets a note, not English rules.
"""
from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import pytest
import yaml

from spotthelure import catalog
from spotthelure import checks, i18n, readability, terminology
from spotthelure.project import load_activity_file, load_project
from spotthelure.wording import language_notes, objective_problems
from spotthelure.yamlload import parse_yaml

from conftest import ROOT
from i18n_helpers import (PSEUDO, gift_text, mark_content, package_messages, qti_text, untranslated,
                          visible_text, without_ids, write_catalog)

DATA = ROOT / "tests" / "data"


# ---------------------------------------------------------------- extraction

def _messages(cat) -> dict:
    return {(m.context, m.id if isinstance(m.id, str) else tuple(m.id)): m for m in cat if m.id}


def test_extraction_finds_labels_with_their_group_as_context():
    msgs = _messages(package_messages())
    labels = yaml.safe_load((ROOT / "spotthelure" / "data" / "labels.yml").read_text(encoding="utf-8"))
    for group, items in labels.items():
        for text in items.values():
            assert (group, text) in msgs, (group, text)
    m = msgs[("band", "ages 9–11")]
    assert m.locations[0][0] == "spotthelure/data/labels.yml" and m.locations[0][1] > 1


def test_extraction_finds_python_plural_and_context_messages():
    msgs = _messages(package_messages())
    assert (None, "Quick exit") in msgs                                  # the browser's strings
    assert (None, ("Step {step} · you found {found} of {total} ending.",
                   "Step {step} · you found {found} of {total} endings.")) in msgs   # N_plural → a plural message
    assert ("quiz verdict", "Not quite") in msgs                         # pgettext
    assert (None, "the bibliography is missing") in msgs                 # a validator message
    assert (None, "objective {id}: write it as '{opening} …' followed by something learners do that you can observe") in msgs


def test_extraction_finds_template_messages(tmp_path):
    """A package with Jinja templates (the new renderers' home): {{ _() }}, {% trans %} and
    ngettext in a template all reach the catalog, beside the package's labels."""
    pkg = tmp_path / "pkg"
    (pkg / "templates").mkdir(parents=True)
    (pkg / "data").mkdir()
    (pkg / "mod.py").write_text('from spotthelure.i18n import _\nX = _("From Python")\n', encoding="utf-8")
    (pkg / "templates" / "quiz.html").write_text(textwrap.dedent("""\
        <button>{{ _("Check answer") }}</button>
        <p>{% trans %}Try again{% endtrans %}</p>
        <p>{{ ngettext("%(num)d question", "%(num)d questions", n) }}</p>
        """), encoding="utf-8")
    (pkg / "templates" / "manifest.xml").write_text('<title>{{ _("Quiz export") }}</title>\n', encoding="utf-8")
    (pkg / "data" / "labels.yml").write_text('kind:\n  quiz: "Quiz"\n', encoding="utf-8")
    out = tmp_path / "out.pot"
    msgs = _messages(catalog.extract(pkg, out))
    assert (None, "Check answer") in msgs and (None, "Try again") in msgs and (None, "Quiz export") in msgs
    assert (None, ("%(num)d question", "%(num)d questions")) in msgs
    assert (None, "From Python") in msgs and ("kind", "Quiz") in msgs
    assert msgs[(None, "Check answer")].locations == [("pkg/templates/quiz.html", 1)]
    pot = out.read_text(encoding="utf-8")
    assert 'msgctxt "kind"' in pot and 'msgid "Check answer"' in pot


def test_update_and_compile_make_a_language_that_translates(tmp_path):
    pot = tmp_path / "spotthelure.pot"
    catalog.extract(output=pot)
    [po] = catalog.update(["uk"], template=pot, locales=tmp_path)
    text = po.read_text(encoding="utf-8")
    assert "nplurals=3" in text and 'msgid "Quick exit"' in text
    po.write_text(text.replace('msgid "Quick exit"\nmsgstr ""', 'msgid "Quick exit"\nmsgstr "Швидкий вихід"'),
                  encoding="utf-8")
    [mo] = catalog.compile_catalogs(tmp_path)
    assert mo.suffix == ".mo"
    with i18n.use_locales(tmp_path), i18n.language("uk"):
        assert i18n._("Quick exit") == "Швидкий вихід"
        assert i18n._("Choose an answer first.") == "Choose an answer first."   # untranslated: the source
    assert i18n._("Quick exit") == "Quick exit"


def test_cli_extract_writes_the_template(tmp_path):
    from spotthelure.cli import main
    assert main(["i18n", "extract", "-o", str(tmp_path / "x.pot")]) == 0
    assert 'msgid "Quick exit"' in (tmp_path / "x.pot").read_text(encoding="utf-8")


# ---------------------------------------------------------------- plurals for the browser

def test_english_plurals_are_one_and_other():
    forms = i18n.js_strings_data("en")["messages"]["status"]["forms"]
    assert forms == {"one": "Step {step} · you found {found} of {total} ending.",
                     "other": "Step {step} · you found {found} of {total} endings."}


def test_ukrainian_plurals_are_one_few_many(tmp_path):
    """Babel's CLDR rules give Ukrainian one (1, 21), few (2-4, 22) and many (0, 5-20); each
    category carries the catalog's form for a number in it."""
    write_catalog(tmp_path, "uk", lambda msgid, form: f"[{form}] {msgid}" if form is not None else msgid)
    assert i18n.plural_samples("uk") == {"one": 1, "few": 2, "many": 0}
    with i18n.use_locales(tmp_path):
        data = i18n.js_strings_data("uk")
    assert data["lang"] == "uk"
    status = data["messages"]["status"]
    assert status["count"] == "total"
    forms = status["forms"]
    assert set(forms) == {"one", "few", "many", "other"}
    assert forms["one"].startswith("[0] ") and forms["few"].startswith("[1] ") and forms["many"].startswith("[2] ")
    assert forms["other"] == forms["many"]       # whole numbers never reach "other" in Ukrainian


def test_js_strings_are_safe_in_an_attribute_and_a_script_block(tmp_path):
    """A translation holding quotes and & neither ends the attribute nor the JSON block, and the
    script reads the translation back unchanged; one that adds markup (</script>) is not used."""
    nasty = "'x' \"Q\" & A's"
    write_catalog(tmp_path, "uk", lambda msgid, form: nasty if msgid == "Quick exit" else
                  "</script><b onclick='x'>" + msgid if msgid == "Leaves this page at once. Or press Esc twice." else msgid)
    with i18n.use_locales(tmp_path), i18n.language("uk"):
        attr, block = i18n.js_strings_attr(), i18n.js_strings()
    assert attr.startswith(" data-stl-strings='") and attr.endswith("'")
    inner = attr[len(" data-stl-strings='"):-1]
    assert not set("'<>&") & set(inner) and not set("'<>&") & set(block)
    import html
    assert json.loads(html.unescape(inner))["messages"]["quickExit"] == nasty
    assert json.loads(block)["messages"]["quickExit"] == nasty
    assert "onclick" not in html.unescape(inner) and "onclick" not in block


def test_the_script_has_no_words_of_its_own():
    """No string literal of spotthelure.js is words (two words or more); every message key the
    script asks for is one js_strings() gives, and every message given is used."""
    import re
    js = (ROOT / "spotthelure" / "static" / "spotthelure.js").read_text(encoding="utf-8")
    code = re.sub(r"/\*.*?\*/", "", js, flags=re.S)
    literals = re.findall(r'"((?:[^"\\]|\\.)*)"', code)
    assert [s for s in literals if re.search(r"[A-Za-z]{2,} [A-Za-z]{2,}", s) and s != "use strict"] == []
    keys = set()
    for line in code.splitlines():
        if re.search(r"\bt\((?:\w+|null), ", line):
            keys |= set(re.findall(r'"([a-z]+[A-Z]\w*|score|status)"', line))
    # The search (Sphinx's scripts, with Sphinx's English as their fallback) asks through stlWord.
    for name in ("searchtools.js", "sphinx_highlight.js"):
        other = (ROOT / "spotthelure" / "static" / name).read_text(encoding="utf-8")
        keys |= set(re.findall(r'(?:_word|stlWord)\("(\w+)"', other))
    assert keys == set(i18n.js_strings_data("en")["messages"])


# ---------------------------------------------------------------- the pseudo-locale

@pytest.fixture(scope="module")
def project_marked():
    pr = load_project(ROOT)
    pr.local = mark_content(pr.local)
    return pr


def _act(name):
    act, problems = load_activity_file(DATA / name, name)
    assert not problems
    return act.kind, mark_content(act.data)


SAMPLES = ["quiz-sample.yml", "scenario-sample.yml", "roleplay-sample.yml"]


def test_pseudo_locale_translates_messages_and_labels(pseudo):
    assert i18n._("Quick exit") == "⟦Quick exit⟧"
    assert i18n.label("band", "9-11") == "⟦ages 9–11⟧"
    assert i18n.ngettext("{n} problem found.", "{n} problems found.", 3) == "⟦{n} problems found.⟧"


def test_pseudo_locale_browser_strings(pseudo):
    data = i18n.js_strings_data()
    assert data["lang"] == PSEUDO
    for key, msg in data["messages"].items():
        texts = list(msg["forms"].values()) if isinstance(msg, dict) else [msg]
        for t in texts:
            assert t.startswith("⟦") and t.endswith("⟧"), (key, t)


def test_pseudo_locale_help_box_lifeline_and_content_note(pseudo, project_marked):
    from spotthelure import helpbox
    for band in ("9-11", "12-14", "15-18", None):
        html = helpbox.help_box_html(project_marked, band)
        assert untranslated(visible_text(html)) == [], band
        assert untranslated(helpbox.lifeline_text(project_marked, band)) == [], band
        assert untranslated(helpbox.help_contacts_text(project_marked, band)) == [], band
        assert untranslated(visible_text(helpbox.help_line_html(project_marked, band))) == [], band
    note = helpbox.content_note_html("‹a note›", project_marked, "12-14")
    assert untranslated(visible_text(note)) == []


def test_pseudo_locale_validator_messages(pseudo, tmp_path):
    """Problems of a broken quiz, scenario and lesson in the pseudo-locale: every word from the catalog."""
    bad_quiz = textwrap.dedent("""\
        kind: quiz
        id: q-bad
        version: 1
        language: en
        age_band: "9-11"
        title: A quiz
        topics: [sextortion]
        colour: red
        items:
          - id: a
            type: single
            prompt: Which?
            options:
              - {text: All of the above, feedback: Right. Because, correct: true}
              - {text: Two, feedback: Because, correct: true}
          - id: b
            type: ordering
            prompt: Order
            steps:
              - {id: s1, text: Tell a trusted adult, feedback: Yes, before: [s9]}
              - {id: s2, text: Block, feedback: Because}
          - id: a
            type: nosuch
        """)
    p = tmp_path / "q-bad.yml"
    p.write_text(bad_quiz, encoding="utf-8")
    act, problems = load_activity_file(p, "q-bad.yml")
    problems += checks.quiz_warnings(parse_yaml(bad_quiz, "q-bad.yml"), "q-bad.yml")
    assert len(problems) >= 6
    for prob in problems:
        assert untranslated(prob.message) == [], str(prob)
    for yml in ("kind: quiz\nid: 3\n", "- 1\n", "kind: nosuch\n", ""):
        p.write_text(yml, encoding="utf-8")
        _, problems = load_activity_file(p, "x.yml")
        assert problems
        for prob in problems:
            assert untranslated(prob.message) == [], str(prob)
    assert untranslated(objective_problems({"id": "o1", "text": "Pupils will"}, "x.md", 1, "en")[0].message) == []


# Every renderer and export, with content marked: no word outside the catalog and the content.

@pytest.mark.parametrize("name", SAMPLES)
def test_pseudo_locale_activity_html(pseudo, project_marked, name):
    from spotthelure.render_html import activity_html
    kind, data = _act(name)
    assert untranslated(visible_text(activity_html(kind, data, None, pr=project_marked))) == []


def test_pseudo_locale_standalone_page(pseudo, project_marked):
    from spotthelure.render_html import standalone_page
    kind, data = _act("quiz-sample.yml")
    assert untranslated(visible_text(standalone_page(kind, data, project_marked))) == []


@pytest.mark.parametrize("answer_key", [False, True])
def test_pseudo_locale_print(pseudo, project_marked, answer_key):
    from spotthelure.render_print import print_page
    acts = [_act(n) for n in SAMPLES]
    assert untranslated(without_ids(visible_text(print_page(acts, answer_key=answer_key, pr=project_marked)))) == []


def test_pseudo_locale_gift(pseudo, project_marked):
    from spotthelure.export_gift import quiz_to_gift
    from spotthelure.render_print import help_text_for
    _, data = _act("quiz-sample.yml")
    assert untranslated(gift_text(quiz_to_gift(data, help_text=help_text_for(project_marked, data)))) == []


def test_pseudo_locale_qti(pseudo, project_marked):
    import io
    import zipfile
    from spotthelure.export_qti import quizzes_to_qti
    _, data = _act("quiz-sample.yml")
    z = zipfile.ZipFile(io.BytesIO(quizzes_to_qti([data])))
    text = " ".join(qti_text(z.read(n).decode("utf-8")) for n in z.namelist() if n.endswith(".xml"))
    assert untranslated(text) == []


# ---------------------------------------------------------------- language rules are data

@pytest.fixture()
def rules_copy(tmp_path, monkeypatch):
    """A copy of data/languages to change; the validators read it instead of the package's."""
    d = tmp_path / "languages"
    shutil.copytree(ROOT / "spotthelure" / "data" / "languages", d)
    monkeypatch.setenv("SPOTTHELURE_LANGUAGES", str(d))
    yield d
    monkeypatch.delenv("SPOTTHELURE_LANGUAGES")


def _edit(path: Path, fn):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    fn(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_objective_wording_comes_from_the_data(rules_copy):
    good = {"id": "o1", "text": "Learners can name three warning signs"}
    pupils = {"id": "o2", "text": "Pupils can name three warning signs"}
    assert objective_problems(good, "x.md", 1, "en") == []
    assert "Learners can" in objective_problems(pupils, "x.md", 1, "en")[0].message
    assert "cannot be observed" in objective_problems({"id": "o3", "text": "Learners can understand it"}, "x.md", 1, "en")[0].message

    def change(d):
        d["objectives"]["openings"] = ["Pupils can"]
        d["objectives"]["vague_verbs"] = ["name"]
    _edit(rules_copy / "en.yml", change)
    assert objective_problems(pupils, "x.md", 1, "en")[0].message.startswith("objective o2: 'name' cannot be observed")
    assert "'Pupils can …' followed by" in objective_problems(good, "x.md", 1, "en")[0].message


def test_terminology_comes_from_the_data(rules_copy):
    assert terminology.lint_text("a predator online", "x.md") != []
    assert terminology.lint_text("a banana online", "x.md") == []

    def change(d):
        d["terminology"] = [{"pattern": r"\bbanana\b", "say": "say 'fruit'"}]
    _edit(rules_copy / "en.yml", change)
    assert terminology.lint_text("a predator online", "x.md") == []
    [p] = terminology.lint_text("a banana online", "x.md", first_line=4)
    assert (p.line, p.message) == (4, "'banana': say 'fruit'")


def test_option_wording_help_seeking_and_verdict_words_come_from_the_data(rules_copy):
    quiz = textwrap.dedent("""\
        kind: quiz
        id: q-x
        version: 1
        language: en
        age_band: "12-14"
        title: A quiz
        items:
          - id: a
            type: single
            prompt: Which?
            options:
              - {text: None of these, feedback: It leans on the others., correct: true}
              - {text: Banana split, feedback: Correct, it is not., correct: false}
          - id: b
            type: ordering
            prompt: Order
            steps:
              - {id: s1, text: Phone a friend, feedback: It helps., before: [s2]}
              - {id: s2, text: Block the account, feedback: It stops it.}
        """)
    q = parse_yaml(quiz, "q.yml")
    said = lambda: " | ".join(p.message for p in checks.check_quiz(q, "q.yml") + checks.quiz_warnings(q, "q.yml"))  # noqa: E731
    before = said()
    assert "all/none of the above" in before and "starts with 'Correct'" in before and "getting help" not in before

    def change(d):
        d["option_leans_on_others"] = r"\bbanana\b"
        d["help_seeking"] = ["phone a friend"]
        d["verdict_words"] = ["It"]
    _edit(rules_copy / "en.yml", change)
    after = said()
    assert "options[2]: avoid" in after and "options[1]: avoid" not in after
    assert "looks like getting help ('phone a friend')" in after
    assert "starts with 'It'" in after and "starts with 'Correct'" not in after


def test_readability_measure_and_limits_come_from_the_data(rules_copy):
    text = ["The quick brown fox jumps over the lazy dog near the riverbank."]
    assert readability.limits("en") == {"9-11": 5.0, "12-14": 7.0, "15-18": 9.0}
    g = readability.grade(text, "en")
    assert g == round(readability.flesch_kincaid(text[0]), 1)

    def change(d):
        d["readability"]["limits"]["9-11"] = 2.5
    _edit(rules_copy / "en.yml", change)
    assert readability.limits("en")["9-11"] == 2.5

    def unknown(d):
        d["readability"]["measure"] = "smog"      # not in readability.MEASURES: not measured
    _edit(rules_copy / "en.yml", unknown)
    assert readability.grade(text, "en") is None and readability.limits("en") == {}


def test_a_language_without_rules_gets_a_note_not_english_rules(tmp_path):
    quiz = textwrap.dedent("""\
        kind: quiz
        id: q-fi
        version: 1
        language: fi
        age_band: "9-11"
        title: Tietovisa
        items:
          - id: a
            type: single
            prompt: Kumpi?
            options:
              - {text: All of the above, feedback: Correct, it leans., correct: true}
              - {text: Kaksi, feedback: Siksi., correct: false}
        """)
    q = parse_yaml(quiz, "q.yml")
    msgs = [p.message for p in checks.check_quiz(q, "q.yml") + checks.quiz_warnings(q, "q.yml")]
    assert not any("above" in m or "starts with" in m for m in msgs), msgs
    assert i18n.rules("fi") is None and readability.grade(["Yksi kaksi kolme."], "fi") is None
    assert objective_problems({"id": "o1", "text": "Oppilaat voivat ymmärtää"}, "x.md", 1, "fi") == []
    assert terminology.lint_text("predator", "x.md", lang="fi") == []
    # The whole book with one Finnish activity: a note names it and the missing rules file.
    book = tmp_path / "book"
    from conftest import copy_content
    copy_content(book)
    (book / "activities" / "quizzes" / "q-fi.yml").write_text(quiz.replace("age_band: \"9-11\"\n", "age_band: \"9-11\"\n"), encoding="utf-8")
    pr = load_project(book)
    notes = [n for n in language_notes(pr) if n.path == "activities/quizzes/q-fi.yml"]
    assert len(notes) == 1 and notes[0].line == 4
    assert "spotthelure/data/languages/fi.yml" in notes[0].message and notes[0].message.startswith("note: ")
    assert [n for n in language_notes(pr) if n.path != "activities/quizzes/q-fi.yml"] == []


def test_every_message_gets_the_placeholders_it_names():
    """_("… {name} …").format(...) in the package: the names in the message and the names given
    are the same (a translation may reorder them, never lose one)."""
    import ast
    import string
    bad = []
    for path in sorted((ROOT / "spotthelure").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format"):
                continue
            inner = node.func.value
            if not (isinstance(inner, ast.Call) and getattr(inner.func, "id", None) in ("_", "ngettext", "pgettext")):
                continue
            texts = [a.value for a in inner.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if getattr(inner.func, "id", None) == "pgettext":
                texts = texts[1:]
            if not texts:           # a message defined elsewhere (N_): its own test is where it is shown
                continue
            named = {f for t in texts for _l, f, _s, _c in string.Formatter().parse(t) if f is not None}
            given = {k.arg for k in node.keywords}
            if named != given or any(f == "" or f.isdigit() for f in named):
                bad.append(f"{path.name}:{node.lineno}: {sorted(named)} vs {sorted(given)}")
    assert bad == []


def test_the_committed_catalog_template_holds_every_message(tmp_path):
    """Translators start from spotthelure/locales/spotthelure.pot: a message added in code or a
    template without `make catalog` would reach no translator."""
    from babel.messages.pofile import read_po
    fresh = package_messages()
    with catalog.TEMPLATE.open("rb") as f:
        committed = read_po(f)
    have = {(str(m.id), m.context) for m in committed}
    missing = sorted(str(m.id) for m in fresh if m.id and (str(m.id), m.context) not in have)
    assert not missing, f"{len(missing)} messages are missing from the catalog template (run make catalog): {missing[:5]}"


def test_a_terminology_problem_found_before_speaks_the_language_it_is_shown_in(pseudo_dir):
    """The lint keeps what it found in a text; its message is in the interface language of each call."""
    from i18n_helpers import PSEUDO

    from spotthelure import terminology
    text = "We warn the class about stranger danger."
    english = terminology.lint_text(text, "x.md")
    with i18n.use_locales(pseudo_dir), i18n.language(PSEUDO):
        shown = terminology.lint_text(text, "x.md")
    assert len(english) == len(shown) == 1 and "⟦" in shown[0].message and "⟦" not in english[0].message
    assert terminology.lint_text(text, "x.md") == english


def test_a_catalog_not_yet_compiled_or_edited_since_is_used_as_it_is(tmp_path):
    """A fresh checkout has no .mo (a build writes them): messages are still in the language, and a
    translator's edit since the last build shows without one."""
    import os
    pot = tmp_path / "spotthelure.pot"
    catalog.extract(output=pot)
    [po] = catalog.update(["uk"], template=pot, locales=tmp_path)
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace('msgid "Quick exit"\nmsgstr ""', 'msgid "Quick exit"\nmsgstr "Вихід зараз"'),
                  encoding="utf-8")
    assert not po.with_suffix(".mo").exists()
    with i18n.use_locales(tmp_path), i18n.language("uk"):
        assert i18n._("Quick exit") == "Вихід зараз"       # not the book's own Ukrainian wording
    [mo] = catalog.compile_catalogs(tmp_path)
    po.write_text(po.read_text(encoding="utf-8").replace("Вихід зараз", "Швидко вийти"), encoding="utf-8")
    os.utime(po, (mo.stat().st_mtime + 5, mo.stat().st_mtime + 5))      # edited after the build compiled it
    with i18n.use_locales(tmp_path), i18n.language("uk"):
        assert i18n._("Quick exit") == "Швидко вийти"
    catalog.compile_catalogs(tmp_path)
    with i18n.use_locales(tmp_path), i18n.language("uk"):
        assert i18n._("Quick exit") == "Швидко вийти"
