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


def _forget():
    """What a new process starts with: nothing in memory (the disk is kept)."""
    pofile._kept.clear()
    pofile._derived.clear()
    pofile._digest_of.clear()


def test_a_derived_result_kept_on_disk_is_found_by_the_next_process(tmp_path):
    po = tmp_path / "x.po"
    po.write_text(PO, encoding="utf-8")
    pofile.keep_in(tmp_path / "cache")
    calls = []

    def check(cat, rule):
        calls.append(rule)
        return tuple((e.lineno, str(e.string), 0) for e in cat if not e.fuzzy and rule in str(e.id))

    first = pofile.derived(check, pofile.entries(po), "Hello", on_disk="rules-1")
    assert first == ((7, "Hej", 0),) and calls == ["Hello"]
    assert pofile.derived(check, pofile.entries(po), "Hello", on_disk="rules-1") == first and len(calls) == 1
    _forget()
    assert pofile.derived(check, pofile.entries(po), "Hello", on_disk="rules-1") == first and len(calls) == 1
    _forget()                               # other rules: worked out again, not read
    assert pofile.derived(check, pofile.entries(po), "Old", on_disk="rules-2") == () and calls[-1] == "Old"
    _forget()                               # an edited catalog: worked out again
    po.write_text(PO.replace('msgstr "Hej"', 'msgstr "Hallå"'), encoding="utf-8")
    assert pofile.derived(check, pofile.entries(po), "Hello", on_disk="rules-1") == ((7, "Hallå", 0),)
    assert len(calls) == 3


@pytest.mark.parametrize("damage", ["not json", '{"a": 1}', "[[1.5]]", "[[null, \"x\", 0]]", "[3]"])
def test_a_damaged_derived_result_is_worked_out_again(tmp_path, damage):
    po = tmp_path / "x.po"
    po.write_text(PO, encoding="utf-8")
    pofile.keep_in(tmp_path / "cache")
    check = lambda cat: ((1, "a", 0),)          # noqa: E731
    pofile.derived(check, pofile.entries(po), on_disk="r")
    (kept,) = (tmp_path / "cache").glob("r-*.json")
    kept.write_text(damage, encoding="utf-8")
    _forget()
    assert pofile.derived(check, pofile.entries(po), on_disk="r") == ((1, "a", 0),)


def test_the_disk_keeps_what_was_used_last(tmp_path, monkeypatch):
    """Over the limit, the files used longest ago go, not those written first and read since."""
    import os
    cache = tmp_path / "cache"
    pofile.keep_in(cache)
    monkeypatch.setattr(pofile, "KEEP_ON_DISK", 3)
    pos = []
    for age, word in enumerate(("A", "B", "C"), start=1):
        po = tmp_path / f"{word}.po"
        po.write_text(PO.replace('msgstr "Hej"', f'msgstr "{word}"'), encoding="utf-8")
        before = set(cache.glob("*.json"))
        pofile.entries(po)
        (new,) = set(cache.glob("*.json")) - before
        os.utime(new, ns=(10**9 * age, 10**9 * age))           # A, B and C written in that order, long ago
        pos.append(po)
    pofile._kept.clear()
    assert pofile.entries(pos[0])[0].string == "A"             # A read from disk: used now
    d = tmp_path / "D.po"
    d.write_text(PO.replace('msgstr "Hej"', 'msgstr "D"'), encoding="utf-8")
    pofile.entries(d)                                           # D written: one file has to go
    assert len(list(cache.glob("*.json"))) == 3
    pofile._kept.clear()
    monkeypatch.setattr(babel_pofile, "read_po", lambda *a, **k: pytest.fail("parsed again"))
    assert [pofile.entries(po)[0].string for po in (pos[0], pos[2], d)] == ["A", "C", "D"]
