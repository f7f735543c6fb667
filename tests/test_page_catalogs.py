"""A translated page paragraph may change words, never a link target, a role, a placeholder or markup:
`validate` and the build refuse one that does, at its line in the page catalog."""
from __future__ import annotations

import shutil

from conftest import ROOT, copy_content, run_here

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
    book = copy_content(tmp_path / "b")
    shutil.copytree(ROOT / "locales" / "sv", book / "locales" / "sv")
    po = book / "locales" / "sv" / "LC_MESSAGES" / "book" / "students" / "index.po"
    text = po.read_text(encoding="utf-8")
    assert "[Få hjälp](../get-help.md)" in text
    line = next(n for n, s in enumerate(text.split("\n"), start=1)
                if s.startswith("msgstr") and "[Få hjälp](../get-help.md)" in s)
    entry = max(n for n, s in enumerate(text.split("\n")[:line], start=1) if s.startswith("msgid "))
    assert run_here("validate", cwd=book).returncode == 0
    po.write_text(text.replace("[Få hjälp](../get-help.md)", "[Få hjälp](https://example.org)"), encoding="utf-8")
    r = run_here("validate", cwd=book)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    assert any(s.startswith(f"locales/sv/LC_MESSAGES/book/students/index.po:{entry}: ") and "link targets" in s
               for s in r.stdout.splitlines() + r.stderr.splitlines()), r.stdout + r.stderr
