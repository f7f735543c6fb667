"""Charts and the facts-and-figures notebook: alt text that states the numbers, no network,
byte-identical output, a palette that does not rely on hue, data rows never dropped silently,
and a notebook committed without outputs whose every figure has alt text."""
from __future__ import annotations

import ast
import base64
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import matplotlib
import pytest

from conftest import book_project
from spotthelure import charts
from spotthelure.project import read_sourced_csv

ROOT = Path(__file__).resolve().parent.parent
BIB = ROOT / "references.bib"
NOTEBOOK = ROOT / "notebooks" / "facts-and-figures.ipynb"
URL = re.compile(r"https?://", re.I)


class _Imgs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.imgs: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.imgs.append(dict(attrs))



def png_bytes(fig, dpi: int = 100) -> bytes:
    """The figure as a PNG, with the book's chart settings and no metadata (to check it is deterministic)."""
    import io
    buf = io.BytesIO()
    with matplotlib.rc_context(charts._RC):
        fig.savefig(buf, format="png", dpi=dpi, facecolor=charts.BACKGROUND, metadata={"Software": None})
    return buf.getvalue()

def imgs(html: str) -> list[dict]:
    p = _Imgs()
    p.feed(html)
    return p.imgs


PANELS = [
    ("NCMEC", [charts.Bar("Children identified", 15000, "over 15,000")]),
    ("INTERPOL", [charts.Bar("Victims identified", 15500, "over 15,500"),
                  charts.Bar("Offenders arrested", 6200, "over 6,200")]),
]
ALT = ("Bar chart. NCMEC: children identified, over 15,000. INTERPOL: victims identified, "
       "over 15,500; offenders arrested, over 6,200.")


def make_html(alt: str = ALT, **kw) -> str:
    args = dict(caption="Totals reported in 2018.", not_shown="How common abuse is.",
                source_keys=["netclean-skillnad-2018"], bib=BIB)
    args.update(kw)
    return charts.figure_html(charts.bar_chart(PANELS), alt, **args)


# ---------------------------------------------------------------------------------------------
# figure_html
# ---------------------------------------------------------------------------------------------

def test_figure_html_has_alt_with_the_numbers_and_no_url():
    html = make_html()
    [img] = imgs(html)
    for number in ("over 15,000", "over 15,500", "over 6,200"):
        assert number in img["alt"]
    assert not URL.search(html), "the figure must not point to the network"
    assert img["src"].startswith("data:image/svg+xml;base64,")
    svg = base64.b64decode(img["src"].split(",", 1)[1]).decode("utf-8")
    # The only http strings allowed inside the SVG are XML namespace names, never fetched.
    assert not re.search(r"""(href|src)\s*=\s*["']https?:|url\(\s*["']?https?:""", svg)
    for label in ("over 15,000", "over 15,500", "over 6,200", "Offenders arrested"):
        assert label in svg, "values and labels stay text in the SVG (fonttype none)"
    assert "What it shows:" in html and "What it does not show:" in html
    assert "NetClean (2018)" in html
    assert len(svg) < 40_000, "a chart should stay small"


def test_figure_html_refuses_weak_alt_text_and_missing_parts():
    with pytest.raises(ValueError, match="alt"):
        make_html(alt="   ")
    with pytest.raises(ValueError, match="over 6,200"):
        make_html(alt=ALT.replace("over 6,200", "6,200"))  # "over" must stay in the alt text too
    with pytest.raises(ValueError, match="15,500"):
        make_html(alt=ALT.replace("15,500", "15,5000"))
    with pytest.raises(ValueError, match="does not show"):
        make_html(not_shown="")
    with pytest.raises(ValueError, match="source"):
        make_html(source_keys=[])
    with pytest.raises(KeyError, match="no-such-key"):
        make_html(source_keys=["no-such-key"])


def test_alt_text_from_describe_states_every_bar():
    alt = charts.describe("Bar chart", PANELS)
    assert "over 15,000" in alt and "over 6,200" in alt and "INTERPOL" in alt
    make_html(alt=alt)  # accepted: nothing on the chart is missing from it


def test_identical_input_gives_identical_bytes():
    old = matplotlib.rcParams["svg.hashsalt"]
    try:
        a = make_html()
        matplotlib.rcParams["svg.hashsalt"] = None  # a notebook may change global settings
        b = make_html()
    finally:
        matplotlib.rcParams["svg.hashsalt"] = old
    assert a == b
    fig1, fig2 = charts.bar_chart(PANELS), charts.bar_chart(PANELS)
    assert charts.svg_bytes(fig1) == charts.svg_bytes(fig2)
    assert png_bytes(fig1) == png_bytes(fig2)
    svg = charts.svg_bytes(fig1).decode("utf-8")
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg
    # ...and different input gives different bytes, so the comparison above means something.
    other = [("NCMEC", [charts.Bar("Children identified", 14000, "over 14,000")])]
    assert charts.svg_bytes(charts.bar_chart(other)) != charts.svg_bytes(fig1)


def test_bar_chart_rejects_empty_or_negative():
    with pytest.raises(ValueError):
        charts.bar_chart([])
    with pytest.raises(ValueError):
        charts.bar_chart([("A", [charts.Bar("x", -1)])])


# ---------------------------------------------------------------------------------------------
# Palette
# ---------------------------------------------------------------------------------------------

def test_lightness_scale_is_sane():
    assert charts.lightness("#000000") == pytest.approx(0, abs=0.01)
    assert charts.lightness("#ffffff") == pytest.approx(100, abs=0.01)
    assert charts.lightness("#777777") == pytest.approx(50, abs=1.5)


def test_palette_neighbours_differ_in_lightness():
    pal = charts.PALETTE
    assert len(pal) >= 6 and len(set(c.lower() for c in pal)) == len(pal)
    for a, b in zip(pal, pal[1:]):
        diff = abs(charts.lightness(a) - charts.lightness(b))
        assert diff >= 15, f"{a} and {b} differ by only {diff:.1f} in lightness (L*)"
    # Main bars are drawn in the first colour: it must stand out from the white background.
    assert charts.contrast_ratio(pal[0], charts.BACKGROUND) >= 3
    assert charts.contrast_ratio(charts.TEXT, charts.BACKGROUND) >= 4.5


# ---------------------------------------------------------------------------------------------
# Data loading
# ---------------------------------------------------------------------------------------------

def test_bad_rows_are_reported_by_line_and_none_dropped(tmp_path):
    keys = book_project().bib_keys
    csv_file = tmp_path / "figures.csv"
    csv_file.write_text(
        "measure,value,part,source,note\n"               # 1
        "Platforms checked,53,10,empact-hackathon-2022,ok\n"  # 2
        "Too few values,5,empact-hackathon-2022\n"         # 3: wrong number of columns
        "Unknown source,7,,made-up-2024,x\n"               # 4: source not in references.bib
        "Not a number,lots,,empact-hackathon-2022,x\n"     # 5: value is not a number
        "\n"                                               # 6: blank, skipped
        "Part too big,5,9,empact-hackathon-2022,x\n"       # 7: part larger than whole
        "Fine,\"1,250\",,empact-hackathon-2022,x\n",       # 8
        encoding="utf-8")
    rows, problems = charts.load_figures(csv_file, "data/figures.csv", keys,
                                         optional_numbers=("part",), part_of={"part": "value"})
    by_line = {p.line: p for p in problems}
    assert set(by_line) == {3, 4, 5, 7}, [str(p) for p in problems]
    assert all(p.path == "data/figures.csv" for p in problems)
    assert "made-up-2024" in by_line[4].message and "lots" in by_line[5].message
    # Nothing silently dropped: every non-blank data line is a row or has a problem.
    kept = {r["_line"] for r in rows}
    assert kept | set(by_line) == {2, 3, 4, 5, 7, 8}
    assert next(r for r in rows if r["_line"] == 8)["value"] == 1250
    assert next(r for r in rows if r["_line"] == 2)["part"] == 10
    # The shared reader underneath reports the same structural problems with the same lines.
    _, base = read_sourced_csv(csv_file, "data/figures.csv", keys)
    assert {p.line for p in base} == {3, 4}


def test_book_data_files_load_cleanly():
    keys = book_project().bib_keys
    for name, kw in [("empact_action_day_2022.csv", dict(optional_numbers=("of_which_ukraine",),
                                                          part_of={"of_which_ukraine": "value"})),
                     ("victim_identification.csv", {}), ("other_figures.csv", {})]:
        rows, problems = charts.load_figures(ROOT / "data" / name, f"data/{name}", keys, **kw)
        assert rows and not problems, [str(p) for p in problems]


# ---------------------------------------------------------------------------------------------
# The notebook
# ---------------------------------------------------------------------------------------------

def _nb() -> dict:
    return json.loads(NOTEBOOK.read_text(encoding="utf-8"))


def _src(cell) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def test_notebook_is_committed_without_outputs():
    code = [c for c in _nb()["cells"] if c["cell_type"] == "code"]
    assert code
    for i, c in enumerate(code):
        assert c.get("outputs") == [], f"code cell {i + 1} has saved outputs"
        assert c.get("execution_count") is None, f"code cell {i + 1} has an execution count"
        assert "remove-input" in c.get("metadata", {}).get("tags", []), f"code cell {i + 1} shows its code"


def test_notebook_every_figure_call_passes_alt_text():
    calls = 0
    for c in _nb()["cells"]:
        if c["cell_type"] != "code":
            continue
        for node in ast.walk(ast.parse(_src(c))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) == "figure_html"):
                continue
            calls += 1
            alt = next((k.value for k in node.keywords if k.arg == "alt"), node.args[1] if len(node.args) > 1 else None)
            assert alt is not None, f"figure_html call on line {node.lineno} has no alt text"
            if isinstance(alt, ast.Constant):
                assert isinstance(alt.value, str) and alt.value.strip(), "alt text is empty"
            not_shown = next((k.value for k in node.keywords if k.arg == "not_shown"), None)
            assert not_shown is not None, "every figure says what it does not show"
    assert calls >= 2, "the notebook shows at least two charts"


def test_notebook_headings_citations_and_review_date():
    cells = _nb()["cells"]
    md = [_src(c) for c in cells if c["cell_type"] == "markdown"]
    levels = [len(m.group(1)) for text in md for m in re.finditer(r"^(#{1,6})\s", text, re.M)]
    assert levels.count(1) == 1 and levels[0] == 1, "exactly one H1, first"
    for a, b in zip(levels, levels[1:]):
        assert b <= a + 1, f"heading level skips from {a} to {b}"
    assert md[0].startswith("# Facts and figures")
    keys = book_project().bib_keys
    cited = [k.strip() for text in md for m in re.finditer(r"\{cite:p\}`([^`]+)`", text) for k in m.group(1).split(",")]
    assert cited and set(cited) <= keys, set(cited) - keys
    assert re.search(r"^## What these numbers mean for teaching$", md[-1], re.M)
    assert md[-1].rstrip().endswith("Last reviewed: 2026-11-23")


def test_notebook_prose_invents_no_figures():
    """Figures come from data/*.csv through code; the prose holds only dates and list numbers."""
    for c in _nb()["cells"]:
        if c["cell_type"] != "markdown":
            continue
        text = re.sub(r"\{cite(:\w+)?\}`[^`]*`", "", _src(c))  # bibliography keys hold years
        text = re.sub(r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|"
                      r"October|November|December) \d{4}\b", "", text)
        text = re.sub(r"\b\d{4}-\d{2}-\d{2}\b|\b(19|20)\d{2}\b|^\d+\. |\b\d+ minutes\b", "", text, flags=re.M)
        assert not re.search(r"\d", text), f"a number in the prose: {text!r}"


def test_notebook_runs_and_every_figure_has_alt_text(monkeypatch):
    """Run the code cells in-process, as the book does (working directory notebooks/)."""
    import IPython.display

    shown: list[str] = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, *a, **k: shown.append(obj.data))
    monkeypatch.chdir(NOTEBOOK.parent)
    ns: dict = {}
    for c in _nb()["cells"]:
        if c["cell_type"] == "code":
            exec(compile(_src(c), str(NOTEBOOK), "exec"), ns)
    figures = [h for h in shown if "<img" in h]
    assert len(figures) >= 2
    for h in shown:
        assert not URL.search(h)
    for h in figures:
        for img in imgs(h):
            assert img.get("alt", "").strip() and re.search(r"\d", img["alt"]), "alt text states numbers"
    empact, victims = figures[0], figures[1]
    alt_e, alt_v = imgs(empact)[0]["alt"], imgs(victims)[0]["alt"]
    assert "114" in alt_e and "Ukraine-related: 30" in alt_e and "Possible victims discovered: 45" in alt_e
    assert "over 15,000" in alt_v and "over 15,500" in alt_v and "over 6,200" in alt_v
    [table] = [h for h in shown if "<table" in h and "<img" not in h]
    row = next(r for r in table.split("<tr>") if "trafficked worldwide" in r)
    assert "an estimated 55 million" in row and "IFIMES" in row, "the 55 million figure is an attributed estimate"
