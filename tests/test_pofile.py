"""PO catalogs read once per content (spotthelure/pofile.py): the entries are Babel's, an edited file is
read again, a copy of an unchanged one is not, and what is kept on disk is JSON that a damaged or
planted file cannot turn into anything but a fresh parse."""
from __future__ import annotations

import pytest
from babel.messages import pofile as babel_pofile

from spotthelure import pofile

PO = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

#: a.md:1
msgctxt "q1:title"
msgid "Hello"
msgstr "Hej"

#, fuzzy
msgid "Old"
msgstr "Gammal"

msgid "one story"
msgid_plural "{n} stories"
msgstr[0] "en berättelse"
msgstr[1] "{n} berättelser"
"""


@pytest.fixture(autouse=True)
def fresh():
    """Each test starts with nothing kept, in memory or on disk; afterwards the session's folder
    (conftest) is kept in again."""
    before = list(pofile._disk)
    pofile._kept.clear()
    pofile.keep_in(None)
    yield
    pofile._kept.clear()
    pofile.keep_in(before[0] if before else None)


def test_entries_are_babels_messages_without_the_header(tmp_path):
    po = tmp_path / "x.po"
    po.write_text(PO, encoding="utf-8")
    got = pofile.entries(po)
    assert [(e.id, e.string, e.context, e.fuzzy) for e in got] == [
        ("Hello", "Hej", "q1:title", False), ("Old", "Gammal", None, True),
        (("one story", "{n} stories"), ("en berättelse", "{n} berättelser"), None, False)]
    assert [e.lineno for e in got] == [m.lineno for m in babel_pofile.read_po(po.open("rb")) if m.id]


def test_an_edited_file_is_read_again_and_a_copy_is_not(tmp_path, monkeypatch):
    po = tmp_path / "x.po"
    po.write_text(PO, encoding="utf-8")
    first = pofile.entries(po)
    copy = tmp_path / "copy.po"
    copy.write_bytes(po.read_bytes())
    monkeypatch.setattr(babel_pofile, "read_po", lambda *a, **k: pytest.fail("parsed again"))
    assert pofile.entries(copy) is first
    monkeypatch.undo()
    po.write_text(PO.replace('msgstr "Hej"', 'msgstr "Hallå"'), encoding="utf-8")
    assert pofile.entries(po)[0].string == "Hallå"


def test_the_next_process_reads_the_json_kept_on_disk(tmp_path, monkeypatch):
    po = tmp_path / "x.po"
    po.write_text(PO, encoding="utf-8")
    pofile.keep_in(tmp_path / "cache")
    first = pofile.entries(po)
    kept = list((tmp_path / "cache").glob("*.json"))
    assert len(kept) == 1
    pofile._kept.clear()                                    # as a new process starts
    monkeypatch.setattr(babel_pofile, "read_po", lambda *a, **k: pytest.fail("parsed again"))
    assert pofile.entries(po) == first


@pytest.mark.parametrize("damage", ["not json", "[[1, 2]]", '{"a": 1}', "[[\"Hello\", \"X\", null, \"x\", false]]"])
def test_a_damaged_cache_file_means_a_fresh_parse(tmp_path, damage):
    po = tmp_path / "x.po"
    po.write_text(PO, encoding="utf-8")
    pofile.keep_in(tmp_path / "cache")
    first = pofile.entries(po)
    (kept,) = (tmp_path / "cache").glob("*.json")
    kept.write_text(damage, encoding="utf-8")
    pofile._kept.clear()
    assert pofile.entries(po) == first


def test_a_read_only_cache_folder_is_no_error(tmp_path):
    po = tmp_path / "x.po"
    po.write_text(PO, encoding="utf-8")
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the folder would be", encoding="utf-8")
    pofile.keep_in(blocker)
    assert pofile.entries(po)[0].string == "Hej"


def test_a_malformed_catalog_raises_in_strict_mode_with_its_line(tmp_path):
    po = tmp_path / "x.po"
    po.write_text(PO + 'msgid "Dangling"\n', encoding="utf-8")
    with pytest.raises(babel_pofile.PoFileError):
        pofile.entries(po, strict=True)
