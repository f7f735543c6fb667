"""Help directories for countries (data/countries/<CODE>.yml) and local.yml's `country:`.

Every shipped entry names its source page and the day it was checked; the validator refuses an
entry without them at the entry's line, a file whose code is not its name, and a phone number
with letters. A school's local.yml that names a country inherits its entries, its own entries
win by id or by name, and the default book (no country) shows no national entry.
"""
from __future__ import annotations

import re

import pytest

import shutil

from conftest import ROOT, run_here
from spotthelure import countries
from spotthelure.helpbox import help_box_html
from spotthelure.project import load_project
from spotthelure.validation import validate_project
from spotthelure.yamlload import load_yaml_file

CODES = ["AL", "BA", "DK", "FI", "GB", "ME", "MK", "NO", "RS", "SE", "UA", "XK"]
ENTRY_RE = re.compile(r"^https://\S+$")


def copy_content(dest):
    """What the country checks read (config, references, local contacts, data/): a book to break on
    purpose, without the pages and activities the checks never look at."""
    dest.mkdir(parents=True)
    for name in ("_config.yml", "_toc.yml", "references.bib", "local.yml"):
        shutil.copy2(ROOT / name, dest / name)
    shutil.copytree(ROOT / "data", dest / "data")
    (dest / "activities").mkdir()
    return dest


def _country_problems(root):
    pr = load_project(root)
    return [p for p in validate_project(pr) if p.path.startswith("data/countries/") or p.path == "local.yml"]


def test_the_twelve_countries_are_shipped_and_valid():
    assert [p.stem for p in countries.files(ROOT)] == CODES
    for code in CODES:
        data, problems = countries.load(ROOT, code)
        assert problems == [], problems
        assert data["country"] == code


def test_every_shipped_entry_has_a_source_page_and_a_checked_date():
    n = 0
    for code in CODES:
        data = load_yaml_file(countries.folder(ROOT) / f"{code}.yml")
        for kind in countries.KINDS:
            for e in data.get(kind) or []:
                n += 1
                assert ENTRY_RE.match(e["source"]), (code, e["id"])
                assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", e["checked"]), (code, e["id"])
                for phone in e.get("phone") or []:
                    assert re.fullmatch(r"\+?\d+( \d+)*", phone), (code, phone)
        for f in data.get("figures") or []:
            assert f["source"] and f["year"] and f["page"], (code, f["id"])
    assert n >= 25


def test_every_country_has_a_helpline():
    for code in CODES:
        data = load_yaml_file(countries.folder(ROOT) / f"{code}.yml")
        assert data["helplines"], code


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(path, needle):
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return i
    raise AssertionError(needle)


def test_a_missing_source_is_refused_at_the_entry_line(tmp_path):
    book = copy_content(tmp_path / "book")
    se = book / "data" / "countries" / "SE.yml"
    line = _line_of(se, "- id: se-bris")
    _edit(se, "    source: https://bris.se/om-bris/vart-arbete/internationellt/\n", "")
    problems = _country_problems(book)
    assert [(p.path, p.line) for p in problems] == [("data/countries/SE.yml", line)], problems
    assert "missing field 'source'" in problems[0].message
    # The command line says the same as path:line and exits non-zero, with no traceback.
    r = run_here("validate", cwd=book)
    assert r.returncode != 0
    assert f"data/countries/SE.yml:{line}: " in r.stderr
    assert "Traceback" not in r.stderr


def test_a_missing_checked_date_is_refused(tmp_path):
    book = copy_content(tmp_path / "book")
    dk = book / "data" / "countries" / "DK.yml"
    line = _line_of(dk, "- id: dk-anmelddet")
    text = dk.read_text(encoding="utf-8")
    start = text.index("- id: dk-anmelddet")
    cut = text.index('    checked: "2026-12-01"\n', start)
    dk.write_text(text[:cut] + text[cut + len('    checked: "2026-12-01"\n'):], encoding="utf-8")
    problems = _country_problems(book)
    assert [(p.path, p.line) for p in problems] == [("data/countries/DK.yml", line)]
    assert "missing field 'checked'" in problems[0].message


def test_a_source_that_is_not_an_address_is_refused(tmp_path):
    book = copy_content(tmp_path / "book")
    fi = book / "data" / "countries" / "FI.yml"
    _edit(fi, "    source: https://lapsiasia.fi/where-to-find-help", "    source: the ombudsman's website")
    problems = _country_problems(book)
    assert [(p.path, p.line) for p in problems] == [("data/countries/FI.yml", _line_of(fi, "the ombudsman's website"))]


def test_the_code_must_match_the_file_name(tmp_path):
    book = copy_content(tmp_path / "book")
    rs = book / "data" / "countries" / "RS.yml"
    _edit(rs, "country: RS", "country: ME")
    problems = _country_problems(book)
    assert len(problems) == 1 and problems[0].path == "data/countries/RS.yml"
    assert problems[0].line == _line_of(rs, "country: ME")
    assert "does not match the file name" in problems[0].message


def test_a_phone_number_with_letters_is_refused(tmp_path):
    book = copy_content(tmp_path / "book")
    gb = book / "data" / "countries" / "GB.yml"
    _edit(gb, 'phone: ["0800 1111"]', 'phone: ["0800 CHILDLINE"]')
    problems = _country_problems(book)
    assert [(p.path, p.line) for p in problems] == [("data/countries/GB.yml", _line_of(gb, "0800 CHILDLINE"))]


def test_an_entry_without_a_phone_or_address_is_refused(tmp_path):
    book = copy_content(tmp_path / "book")
    se = book / "data" / "countries" / "SE.yml"
    _edit(se, '    web: "ecpat.se/hotline"\n', "")
    problems = _country_problems(book)
    assert [(p.path, p.line) for p in problems] == [("data/countries/SE.yml", _line_of(se, "- id: se-ecpat-hotline"))]
    assert "phone number or a web address" in problems[0].message


def test_default_book_shows_no_national_entry():
    pr = load_project(ROOT)
    assert "country" not in pr.local
    rows = [e for k in countries.KINDS for e in pr.local.get(k) or []]
    assert rows and not any(e.get("country") for e in rows)
    box = help_box_html(pr, None)
    national = {e["name"] for code in CODES for k in countries.KINDS
                for e in load_yaml_file(countries.folder(ROOT) / f"{code}.yml").get(k) or []}
    international = {e["name"] for e in rows}
    for name in national - international:
        assert name not in box, name
    assert "Bris" not in box and "Alarmtelefonen" not in box


def _with_country(tmp_path, extra: str):
    book = copy_content(tmp_path / "book")
    local = book / "local.yml"
    local.write_text(local.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return book


def test_a_school_inherits_its_country_and_its_own_entries_win(tmp_path):
    book = _with_country(tmp_path, "\ncountry: SE\n")
    local = book / "local.yml"
    # The school corrects Bris (same id) and keeps its own line for ECPAT (same name, no id).
    _edit(local, "helplines:\n", 'helplines:\n'
          '  - id: se-bris\n    name: "Bris"\n    contact: "116 111 (our school counsellor can help you call)"\n'
          '    for: "Any worry."\n    where: "Sweden"\n    source: https://bris.se/om-bris/vart-arbete/internationellt/\n')
    _edit(local, "reporting_routes:\n", 'reporting_routes:\n'
          '  - name: "ecpat  HOTLINE (ECPAT Sweden, INHOPE member)"\n    contact: "ecpat.se/hotline, or ask Ms Berg"\n'
          '    source: https://ecpat.se/hotline/hotline-eng/\n')
    pr = load_project(book)
    assert _country_problems(book) == []
    helplines = pr.local["helplines"]
    assert helplines[0]["contact"] == "116 111 (our school counsellor can help you call)"   # in the country's place
    assert sum(1 for e in helplines if e.get("id") == "se-bris") == 1
    routes = pr.local["reporting_routes"]
    assert routes[0]["contact"] == "ecpat.se/hotline, or ask Ms Berg"
    assert not any(e.get("country") == "SE" and e["id"] == "se-ecpat-hotline" for e in routes)
    # The emergency number the default file already lists (same name) is not shown twice.
    assert [e["name"] for e in pr.local["emergency"]].count("Emergency number 112") == 1
    # The international services the school keeps come after the country's entries.
    names = [e["name"] for e in helplines]
    assert names.index("Child helplines on 116 111") > 0
    box = help_box_html(pr, "12-14")
    assert "our school counsellor can help you call" in box
    assert "Ms Berg" in box


def test_inherited_entries_reach_the_help_box(tmp_path):
    book = _with_country(tmp_path, "\ncountry: RS\n")
    pr = load_project(book)
    box = help_box_html(pr, "9-11")
    assert "NADEL" in box and "116 111" in box and "netpatrola.rs" in box
    assert "Serbia" in box


def test_an_unknown_country_is_refused_at_its_line(tmp_path):
    book = _with_country(tmp_path, "\ncountry: ZZ\n")
    problems = _country_problems(book)
    lines = (book / "local.yml").read_text(encoding="utf-8").splitlines()
    assert [(p.path, p.line) for p in problems] == [("local.yml", lines.index("country: ZZ") + 1)]
    assert "has no file data/countries/ZZ.yml" in problems[0].message


def test_a_lower_case_country_code_is_refused(tmp_path):
    book = _with_country(tmp_path, "\ncountry: se\n")
    problems = _country_problems(book)
    assert len(problems) == 1 and problems[0].path == "local.yml"


@pytest.mark.parametrize("code", CODES)
def test_each_country_can_be_named(tmp_path, code):
    book = _with_country(tmp_path, f'\ncountry: "{code}"\n')
    pr = load_project(book)
    assert _country_problems(book) == []
    assert any(e.get("country") == code for k in countries.KINDS for e in pr.local.get(k) or [])
