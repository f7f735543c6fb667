"""Every chat story, driven in Chromium to every one of its endings (found from the story's own
graph), from the offline single file a teacher can put on a USB stick."""
from __future__ import annotations

from collections import deque

import pytest

from spotthelure.project import load_activity_file
from spotthelure.render_html import standalone_page
from conftest import ROOT
from test_stories import SAFE_MESSAGING, THREAT_STORIES

SCENARIOS = sorted((ROOT / "activities" / "scenarios").glob("*.yml"))
BADGE = {"helped": "Ending: getting help", "safer": "Ending: safer", "stuck": "Ending: not over yet"}


def routes_to_endings(s: dict) -> dict[str, list[int]]:
    """For each ending, the shortest list of choice positions that leads there from the start."""
    nodes = {n["id"]: n for n in s["nodes"]}
    route = {s["start"]: []}
    todo = deque([s["start"]])
    while todo:
        nid = todo.popleft()
        for i, c in enumerate(nodes[nid].get("choices", [])):
            if c["next"] not in route:
                route[c["next"]] = route[nid] + [i]
                todo.append(c["next"])
    return {nid: route[nid] for nid, n in nodes.items() if n.get("ending")}


def test_routes_are_computed_from_the_graph():
    act, _ = load_activity_file(ROOT / "tests" / "data" / "scenario-sample.yml", "s.yml")
    assert routes_to_endings(act.data) == {"end-help": [0], "end-stuck": [1, 1]}


@pytest.mark.slow
@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_ending_is_reached_in_the_browser(page, tmp_path, path):
    rel = path.relative_to(ROOT).as_posix()
    act, problems = load_activity_file(path, rel)
    assert not problems, problems
    s = act.data
    f = tmp_path / f"{act.id}.html"
    f.write_text(standalone_page(act.kind, s), encoding="utf-8")
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f.as_uri())
    sc = page.locator("section.stl-scenario")
    status = sc.locator("[data-stl-status]")
    nodes = {n["id"]: n for n in s["nodes"]}
    routes = routes_to_endings(s)
    assert routes and all(n.get("ending") for n in nodes.values() if n["id"] in routes)
    assert set(routes) == {n["id"] for n in s["nodes"] if n.get("ending")}, "an ending no route reaches"

    for end, route in sorted(routes.items()):
        sc.locator("button.stl-restart").click()
        current = sc.locator(".stl-node:visible")
        assert current.get_attribute("data-node") == s["start"]
        for i in route:
            before = current.get_attribute("data-node")
            choice = nodes[before]["choices"][i]
            current.locator("a.stl-choice").nth(i).click()
            current = sc.locator(".stl-node:visible")
            assert current.get_attribute("data-node") == choice["next"]
            assert "You chose:" in current.inner_text()
        ending = nodes[end]
        text = current.inner_text()
        assert current.get_attribute("data-node") == end
        assert ending["title"] in text and BADGE[ending["ending"]] in text
        assert "you reached an ending" in status.inner_text()
        # Start again forgets the endings found, so each walk finds one
        assert f"you found 1 of {len(routes)} endings" in status.inner_text()
        if ending["ending"] == "stuck":
            if s["id"] in THREAT_STORIES:
                for p in SAFE_MESSAGING:
                    assert p.search(text), f"{end}: no safe-messaging line ({p.pattern!r}) on the page"
            # The way back: a choice on the stuck ending returns to the choice that led there.
            back = current.locator("a.stl-choice")
            assert back.count() >= 1, f"{end}: a stuck ending needs a way back"
            back.first.click()
            again = sc.locator(".stl-node:visible").get_attribute("data-node")
            assert any(c["next"] == end for c in nodes[again].get("choices", [])), again
    assert not errors, errors
