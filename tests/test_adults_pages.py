"""The pages for the adults around children (noticing the signs, for the media) and the campaign
planner's page: in the table of contents, reachable from the Facilitators door, every advice row
and rule cited, the help route on each, and the families' sheet printed with the contacts."""
from __future__ import annotations

import re

import pytest

from conftest import ROOT
from spotthelure.project import load_project, toc_files

PAGES = ["book/adults/index", "book/adults/spotting-signs", "book/adults/media", "book/facilitators/campaign-planner"]
CITE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]+)`")


def body(page: str) -> str:
    return (ROOT / (page + ".md")).read_text(encoding="utf-8")


def test_pages_are_in_the_toc():
    files, problems = toc_files(ROOT)
    assert problems == []
    for p in PAGES:
        assert p in files, p


def test_reachable_from_the_facilitators_door():
    door = body("book/facilitators/index")
    for target in ("campaign-planner.md", "../adults/spotting-signs.md", "../adults/media.md"):
        assert f"]({target})" in door, target
    assert "](media.md)" in body("book/adults/index") and "](spotting-signs.md)" in body("book/adults/index")
    assert "](../adults/media.md)" in body("book/facilitators/campaign-planner")
    # ... and from the teachers' and the parents' pages.
    assert "](../adults/spotting-signs.md)" in body("book/teachers/index")
    assert "](../adults/spotting-signs.md)" in body("book/facilitators/parent-workshop")


def test_every_sign_has_a_source():
    """Each row of the table of signs cites at least one source, and every key is in references.bib."""
    keys = load_project(ROOT).bib_keys
    text = body("book/adults/spotting-signs")
    table = [ln for ln in text.splitlines() if ln.startswith("| ") and not ln.startswith("| What") and "---" not in ln]
    assert len(table) >= 7
    for row in table:
        cites = CITE.findall(row)
        assert cites, f"a sign without a source: {row[:80]}"
        for group in cites:
            for key in group.split(","):
                assert key.strip() in keys, key
    # Non-alarmist: the page says these signs have many ordinary causes and are not a checklist.
    assert "many ordinary causes" in text and "not a checklist" in text


def test_every_media_rule_has_a_source():
    text = body("book/adults/media")
    sections = re.split(r"^## ", text, flags=re.M)[1:]
    for sec in sections:
        title = sec.splitlines()[0]
        if title in ("The short version", "For NGO communicators and campaign teams"):
            continue
        bullets = [b for b in re.split(r"\n(?=- )", sec) if b.startswith("- ")]
        for b in bullets:
            if b.startswith("- This book adds"):
                continue               # the book's own rule, said to be so
            assert CITE.search(b), f"{title}: a rule without a source: {b[:80]}"
    assert "checked on 1 December 2026" in text


@pytest.mark.parametrize("page", ["book/adults/spotting-signs", "book/adults/media"])
def test_pages_carry_the_help_route(page):
    text = body(page)
    assert "```{local-contacts}" in text
    assert "get-help.md" in text
    assert re.search(r"not (be )?in trouble", text)


def test_disclosure_steps_link_to_the_book_s_own():
    text = body("book/adults/spotting-signs")
    assert "../teachers/before-you-teach.md#if-a-child-tells-you-something" in text
    # an explicit target, the same in every language (a heading's own id follows its translation)
    assert "(#parents-if-your-child-tells-you)" in text
    assert "(parents-if-your-child-tells-you)=\n### If your child tells you" in (
        ROOT / "book" / "facilitators" / "parent-workshop.md").read_text(encoding="utf-8")


@pytest.mark.slow
def test_built_pages_show_sources_help_and_the_sheet(site):
    signs = (site / "book/adults/spotting-signs.html").read_text(encoding="utf-8")
    media = (site / "book/adults/media.html").read_text(encoding="utf-8")
    for html in (signs, media):
        assert "stl-helpbox" in html or "Get help" in html
        assert 'href="../get-help.html' in html
        assert "bibliography" in html or "references.html#" in html     # citations link to the references
    assert "hws-parents-noticing-changes" in signs                       # the families' sheet, with its print link
    sheet = (site / "print/hws-parents-noticing-changes.html").read_text(encoding="utf-8")
    assert "Noticing when something is wrong" in sheet
    planner = (site / "book/facilitators/campaign-planner.html").read_text(encoding="utf-8")
    assert 'data-stl-campaign' in planner and "references.html#" in planner
