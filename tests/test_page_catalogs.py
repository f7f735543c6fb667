"""A translated page paragraph may change words, never a link target, a role, a placeholder or markup:
`validate` and the build refuse one that does, at its line in the page catalog."""
from __future__ import annotations

from conftest import copy_book, run_here

from spotthelure.catalog import page_catalog_problems

PO = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

#: ../../book/students/index.md:3
msgid "See [Get help](../get-help.md) any time."
msgstr "{translation}"

#: ../../book/students/index.md:5
msgid "It is **not your fault**."
msgstr "Det är inte ditt fel."
"""


def _book(tmp_path, first: str, lang: str = "sv"):
    po = tmp_path / "locales" / lang / "LC_MESSAGES" / "book" / "students" / "index.po"
    po.parent.mkdir(parents=True)
    po.write_text(PO.replace("{translation}", first), encoding="utf-8")
    return po


def test_a_changed_link_target_or_lost_emphasis_is_a_problem_at_its_line(tmp_path):
    _book(tmp_path, "Se [Få hjälp](https://example.org) när som helst.")
    got = [(p.path, p.line, p.message) for p in page_catalog_problems(tmp_path)]
    assert [(path, line) for path, line, _m in got] == [
        ("locales/sv/LC_MESSAGES/book/students/index.po", 6),          # the line of its msgid
        ("locales/sv/LC_MESSAGES/book/students/index.po", 10)], got
    assert "link targets" in got[0][2] and "../get-help.md" in got[0][2]
    assert "emphasis" in got[1][2]


def test_words_may_change_and_fuzzy_or_empty_entries_are_not_checked(tmp_path):
    po = _book(tmp_path, "Se [Få hjälp](../get-help.md) när som helst.")
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Det är inte ditt fel."',
                                                           'msgstr "Det är **inte ditt fel**."'), encoding="utf-8")
    assert page_catalog_problems(tmp_path) == []
    po.write_text(po.read_text(encoding="utf-8").replace("#: ../../book/students/index.md:3",
                                                           "#: ../../book/students/index.md:3\n#, fuzzy")
                  .replace("(../get-help.md) när", "(https://example.org) när"), encoding="utf-8")
    assert page_catalog_problems(tmp_path) == []          # a fuzzy entry is not used by Sphinx


def test_the_content_catalog_is_left_to_its_own_check(tmp_path):
    po = tmp_path / "locales" / "sv" / "LC_MESSAGES" / "activities.po"
    po.parent.mkdir(parents=True)
    po.write_text(PO.replace("{translation}", "Se [Få hjälp](https://example.org)."), encoding="utf-8")
    assert page_catalog_problems(tmp_path) == []


def test_validate_refuses_a_redirected_get_help_link_in_the_book(tmp_path):
    """`validate` runs the check (the tiny book with a Swedish page catalog; the real book's own
    catalogs pass in test_validate's whole-book run)."""
    book = copy_book("basic", tmp_path)
    po = _book(book, "Se [Få hjälp](../get-help.md) när som helst.")
    po.write_text(po.read_text(encoding="utf-8").replace('"Det är inte ditt fel."', '"Det är **inte ditt fel**."'),
                  encoding="utf-8")
    assert run_here("validate", cwd=book).returncode == 0
    po.write_text(po.read_text(encoding="utf-8").replace("(../get-help.md) när", "(https://example.org) när"),
                  encoding="utf-8")
    r = run_here("validate", cwd=book)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    assert any(s.startswith("locales/sv/LC_MESSAGES/book/students/index.po:6: ") and "link targets" in s
               for s in r.stdout.splitlines() + r.stderr.splitlines()), r.stdout + r.stderr
