"""A comic strip in a right-to-left language reads from the right: the first panel is on the right,
each bubble changes side, and the text runs right to left from the bubble's right edge."""
from __future__ import annotations

import re
from pathlib import Path

from spotthelure import comic, i18n
from spotthelure.project import load_activity_file

DATA = Path(__file__).resolve().parent / "data"


def _story():
    act, problems = load_activity_file(DATA / "scenario-sample.yml", "scenario-sample.yml")
    assert not problems
    return act.model


def _panels(svg: str) -> list[float]:
    return [float(x) for x in re.findall(r'class="stl-panel[^"]*" transform="translate\(([-\d.]+) ', svg)]


def _bubbles(svg: str) -> list[float]:
    return [float(x) for x in re.findall(r'<rect x="([-\d.]+)" y="[-\d.]+" width="[-\d.]+" height="[-\d.]+" rx="10"', svg)]


def test_the_strip_mirrors_in_arabic():
    story = _story()
    ltr = comic.comic_svg(story)
    with i18n.language("ar"):
        rtl = comic.comic_svg(story)
    assert 'direction="rtl"' in rtl and 'direction="rtl"' not in ltr
    assert 'lang="ar"' in rtl
    left, right = _panels(ltr), _panels(rtl)
    assert len(left) == len(right) >= 2
    assert left[0] == 0 and right[0] == comic.WIDTH - comic.PANEL_W       # the first panel on the right
    for a, b in zip(left, right):
        assert round(a + b, 1) == comic.WIDTH - comic.PANEL_W
    ps = comic.panels(story)
    widths = [b.w for p in ps for b in p.bubbles]
    for x_ltr, x_rtl, w in zip(_bubbles(ltr), _bubbles(rtl), widths):   # each bubble reflected in its panel
        assert abs((x_ltr + w) - (comic.PANEL_W - x_rtl)) < 0.2


def test_the_strip_does_not_mirror_in_swedish():
    story = _story()
    with i18n.language("sv"):
        svg = comic.comic_svg(story)
    assert 'direction="rtl"' not in svg and _panels(svg)[0] == 0
