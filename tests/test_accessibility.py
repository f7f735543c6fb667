"""Keyboard use of the activities, and alt text on every image of the site.

axe-core on every page (light mode) and on a page of each template (dark mode) runs in the
whole-site sweep, test_site_pages.py.
"""
from __future__ import annotations

from conftest import all_pages, axe  # noqa: F401  (axe: for the tests that import it from here)


def test_quiz_with_keyboard_only(page, server, site):
    lesson = next(p for p in all_pages(site) if "/ages-12-14/1-" in p)
    page.goto(f"{server}/{lesson}")
    first_input = page.locator("section.stl-quiz form.stl-item input").first
    first_input.focus()
    page.keyboard.press("Space")  # select the focused option
    assert first_input.is_checked()
    # Tab to the form's Check button and press Enter.
    form = page.locator("section.stl-quiz form.stl-item").first
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('stl-check')"):
            break
    assert page.evaluate("document.activeElement.classList.contains('stl-check')"), "Check button not reachable by Tab"
    page.keyboard.press("Enter")
    assert form.locator(".stl-result").inner_text().strip()
    assert form.locator(".stl-fb:not([hidden])").count() >= 1


def test_scenario_with_keyboard_only(page, server, site):
    lesson = next(p for p in all_pages(site) if p.startswith("downloads/sc-"))
    page.goto(f"{server}/{lesson}")
    sc = page.locator("section.stl-scenario")
    visible = sc.locator(".stl-node:visible")
    assert visible.count() == 1
    first_node = visible.get_attribute("data-node")
    target = visible.locator("a.stl-choice").first.get_attribute("data-next")
    visible.locator("a.stl-choice").first.focus()
    page.keyboard.press("Enter")
    assert visible.count() == 1
    assert visible.get_attribute("data-node") == target != first_node
    # Focus moves to the new part of the story, so a screen reader reads it next.
    assert page.evaluate("document.activeElement.classList.contains('stl-node')")


def test_every_image_has_alt_text(site):
    import re
    missing = []
    for p in site.rglob("*.html"):
        for m in re.finditer(r"<img\b[^>]*>", p.read_text(encoding="utf-8", errors="replace")):
            if not re.search(r'\balt="[^"]+"', m.group(0)):
                missing.append(f"{p.relative_to(site)}: {m.group(0)[:100]}")
    assert not missing, "\n".join(missing[:10])
