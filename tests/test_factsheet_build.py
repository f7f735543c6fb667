"""Country fact sheets in the built site: one sheet a country file at ``factsheets/<CODE>.html`` and
the empty sheet, written with the other generated outputs and linked from the facilitators' pages."""
from __future__ import annotations

import posixpath
import re
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

COUNTRIES = sorted(p.stem for p in (ROOT / "data" / "countries").glob("*.yml") if not p.name.startswith("_"))
NO_FIGURE = "No sourced figure yet"


def _figures(code: str) -> list:
    return yaml.safe_load((ROOT / "data" / "countries" / f"{code}.yml").read_text(encoding="utf-8")).get("figures") or []


def test_there_are_countries_with_and_without_figures():
    assert len(COUNTRIES) >= 2
    assert any(_figures(c) for c in COUNTRIES) and any(not _figures(c) for c in COUNTRIES)


@pytest.mark.parametrize("code", COUNTRIES)
def test_every_country_has_its_sheet_in_the_site(site, code):
    sheet = site / "factsheets" / f"{code}.html"
    assert sheet.is_file(), f"{sheet} was not written with the site"
    html = sheet.read_text(encoding="utf-8")
    name = yaml.safe_load((ROOT / "data" / "countries" / f"{code}.yml").read_text(encoding="utf-8"))["name"]
    assert name in html
    assert (NO_FIGURE in html) == (not _figures(code)), "a sheet says 'no sourced figure yet' exactly when it has none"
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html), "a sheet loads nothing from outside"


def test_the_empty_sheet_invents_nothing(site):
    html = (site / "factsheets" / "template.html").read_text(encoding="utf-8")
    assert NO_FIGURE in html
    assert "No sourced national entry yet" in html
    assert '<ul class="figures">' not in html, "the empty sheet shows no figure"


@pytest.mark.parametrize("page", ["book/facilitators/campaign-planner.html", "book/adults/media.html"])
def test_facilitators_pages_link_every_sheet(site, page):
    html = (site / page).read_text(encoding="utf-8")
    hrefs = re.findall(r'href="([^"#]*factsheets/[^"#]+\.html)"', html)
    linked = {posixpath.basename(h)[:-5] for h in hrefs}
    assert linked == set(COUNTRIES) | {"template"}, sorted(linked)
    for h in hrefs:
        target = (site / posixpath.dirname(page) / h).resolve()
        assert target.is_file(), f"{page} links {h}, which does not resolve"
        assert target.is_relative_to(Path(site).resolve())


def test_a_country_with_problems_gets_no_sheet(tmp_path):
    """The writer leaves out a country whose file has problems (validate names them; the build stops)."""
    from conftest import copy_content
    from spotthelure.factsheet import site_sheets
    book = copy_content(tmp_path / "book")
    code = next(c for c in COUNTRIES if _figures(c))
    path = book / "data" / "countries" / f"{code}.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["figures"][0]["source"]          # a figure without its source is refused
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    sheets = site_sheets(book)
    assert f"factsheets/{code}.html" not in sheets
    assert "factsheets/template.html" in sheets
    assert len(sheets) == len(COUNTRIES)
