"""Comic strips drawn from chat stories: the path to help, a turning point, real text, alt text,
escaping, and nothing lost when lines wrap."""
from __future__ import annotations

import copy
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from spotthelure import comic
from spotthelure.text import plain
from conftest import book_site_files, load_yaml

ROOT = Path(__file__).resolve().parent.parent
STORIES = sorted((ROOT / "activities" / "scenarios").glob("*.yml"))
NS = {"svg": "http://www.w3.org/2000/svg"}


def load(path: Path) -> dict:
    return load_yaml(path.read_text(encoding="utf-8"))


def words(s: str) -> list[str]:
    return plain(s).split()


def svg_text(root: ET.Element) -> str:
    return " ".join(" ".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text"))


def test_every_story_has_comic_stories():
    assert len(STORIES) >= 8


@pytest.mark.parametrize("path", STORIES, ids=lambda p: p.stem)
def test_comic_follows_the_path_to_help_with_one_turning_point(path):
    story = load(path)
    route = comic.help_path(story)
    assert route is not None
    ending, last_choice = route[-1]
    assert ending.ending == "helped" and last_choice is None
    for (node, choice), (nxt, _c) in zip(route, route[1:]):
        assert choice in node.choices and choice.next == nxt.id
    ps = comic.panels(story)
    assert [p.kind for p in ps].count("turning") == 1
    assert ps[-1].kind == "ending"


@pytest.mark.parametrize("path", STORIES, ids=lambda p: p.stem)
def test_comic_is_real_text_with_title_and_description(path):
    story = load(path)
    root = ET.fromstring(comic.comic_svg(story))
    assert root.get("role") == "img" and root.get("lang") == story["language"]
    title = root.find("svg:title", NS).text
    desc = root.find("svg:desc", NS).text
    assert plain(story["title"]) in title
    shown = svg_text(root).split()
    # every word of every message on the path, and of the choice that leads to help, is drawn as text
    for node, choice in comic.help_path(story):
        for m in node.messages or ():
            for w in words(m.text):
                assert w in shown, (w, m.text)
            assert " ".join(words(m.text)) in " ".join(desc.split())
        if choice is not None:
            assert " ".join(words(choice.text)) in " ".join(" ".join(shown).split())


@pytest.mark.parametrize("path", STORIES, ids=lambda p: p.stem)
def test_lines_fit_their_boxes_and_text_is_readable_on_a4(path):
    for p in comic.panels(load(path)):
        assert p.y >= 0 and p.x + comic.PANEL_W <= comic.WIDTH
        for b in p.bubbles:
            assert b.x >= 0 and b.x + b.w <= comic.PANEL_W
            for line in b.lines:
                assert comic.text_width(line, comic.FONT) <= b.w - 2 * comic.PAD + 0.01
    # the strip is drawn 680 units wide to fill 180 mm: 1 unit = 0.75 pt, so 14 units is 10.5 pt
    assert comic.FONT * 0.75 >= 10 and comic.SMALL * 0.75 >= 9


def test_story_text_is_escaped_not_markup():
    story = load(ROOT / "activities/scenarios/sc-911-game-friend.yml")
    evil = copy.deepcopy(story)
    evil["nodes"][0]["messages"][0]["text"] = 'hi <script>alert(1)</script> & "quotes" <a href="x">'
    evil["title"] = "A <b>bold</b> title"
    svg = comic.comic_svg(evil)
    root = ET.fromstring(svg)   # still well-formed XML
    assert not list(root.iter("{http://www.w3.org/2000/svg}script"))
    assert not list(root.iter("{http://www.w3.org/2000/svg}a"))
    assert "<script>" in svg_text(root) and "&" in svg_text(root)
    assert "A <b>bold</b> title" in root.find("svg:title", NS).text


def test_a_long_word_is_cut_not_lost():
    lines = comic.wrap("x" * 200 + " end", comic.FONT, 120)
    assert "".join(lines).replace(" ", "") == "x" * 200 + "end"
    assert all(comic.text_width(line, comic.FONT) <= 120 for line in lines)


def _measured_wrap(s: str, size: float, width: float) -> list[str]:
    """Each line as long as it can be, every candidate line measured whole."""
    lines, cur = [], ""
    for word in s.split():
        trial = f"{cur} {word}" if cur else word
        if comic.text_width(trial, size) <= width:
            cur = trial
            continue
        if cur:
            lines.append(cur)
        while comic.text_width(word, size) > width:
            cut = len(word)
            while cut > 1 and comic.text_width(word[:cut], size) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        cur = word
    return lines + [cur] if cur else lines or [""]


@pytest.mark.parametrize("text", [
    "Hey! I saw your drawing in the game. It was really good, you should enter the contest, I can help you.",
    "Hej! Jag såg din teckning i spelet. Den var jättebra – vill du vara med i tävlingen? Jag kan hjälpa dig.",
    "Привіт! Я бачив твій малюнок у грі. Він дуже гарний, тобі варто взяти участь у конкурсі.",
    "مرحبا! رأيت رسمتك في اللعبة. كانت جميلة جدا، يجب أن تشارك في المسابقة، يمكنني مساعدتك.",
    "WWWWWWWWWWWWWWWWWWWWWWWWWWWWWW iiii WAVE AVAV To Ty, LT 'quoted' «guillemets» „quotes“ jjj",
])
def test_lines_break_where_measuring_every_line_would_break_them(text):
    """Most words are added to a line by their measured widths alone; the line is measured whole
    where that sum comes near the edge, so the lines are the same."""
    for size, width in ((14, 248), (12, 292), (14, 120), (12, 60), (14, 30)):
        assert comic.wrap(text, size, width) == _measured_wrap(text, size, width), (size, width)


def test_story_without_a_helping_ending_draws_no_panels():
    story = load(ROOT / "activities/scenarios/sc-911-game-friend.yml")
    for n in story["nodes"]:
        if n.get("ending") == "helped":
            n["ending"] = "safer"
    assert comic.help_path(story) is None
    root = ET.fromstring(comic.comic_svg(story))
    assert root.find("svg:g", NS) is None
    assert root.find("svg:desc", NS).text


@pytest.mark.parametrize("path", STORIES, ids=lambda p: p.stem)
def test_long_strips_are_cut_into_pages_of_whole_rows(path):
    ps = comic.panels(load(path))
    groups = comic.pages(ps)
    assert [p.number for g in groups for p in g] == [p.number for p in ps]   # nothing lost, in order
    for g in groups:
        rows = [g[i:i + comic.COLS] for i in range(0, len(g), comic.COLS)]
        assert len(rows) == 1 or rows[-1][0].y + rows[-1][0].h <= comic.PAGE_HEIGHT
    svgs = comic.comic_svgs(load(path))
    assert len(svgs) == len(groups)
    ids = [ET.fromstring(s).find("svg:title", NS).get("id") for s in svgs]
    assert len(set(ids)) == len(ids)                                          # unique ids on one page


def test_every_story_has_a_comic_printable_with_the_help_box():
    files = book_site_files()
    for path in STORIES:
        story = load(path)
        page = files[f"print/{story['id']}-comic.html"]
        assert page.count("<svg") == len(comic.comic_svgs(story))
        assert 'stl-get-help' in page and page.count('class="stl-help-kind"') >= 3
        if story.get("content_note"):
            assert plain(story["content_note"]).split()[0] in page


def test_comic_prints_as_pdf_with_selectable_text(tmp_path, chromium):
    import shutil
    import subprocess
    from spotthelure.pdf import html_to_pdf
    story = load(ROOT / "activities/scenarios/sc-1518-deepfake-threat.yml")
    html = tmp_path / "comic.html"
    html.write_text(book_site_files()[f"print/{story['id']}-comic.html"], encoding="utf-8")
    pdf = tmp_path / "comic.pdf"
    html_to_pdf(html, pdf, chromium)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "A4" in info or "595" in info
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split())
    for node, _choice in comic.help_path(story):
        for m in node.messages or ():
            first = " ".join(words(m.text)[:3])
            assert first in text, first          # the bubbles are text in the PDF, not pictures
    assert shutil.which("pdftoppm")
