"""Small, accessible charts for the book's facts-and-figures pages.

* A colour-blind-safe palette (Okabe-Ito), ordered so that neighbouring colours also differ in
  lightness; no chart carries meaning by colour alone.
* Horizontal bar charts with the value written on every bar (no legend to decode). A bar that is
  part of the bar above it ("of which ...") has its own label, a hatch pattern and a thinner bar.
* ``figure_html``: the chart as one self-contained ``<figure>`` (an SVG image inlined as a data
  URI, with ``alt`` text that states the numbers), a caption saying what the chart shows and what
  it does not show, and its sources taken from ``references.bib``. No external file, no network.
* Output is deterministic: the same input gives the same bytes (fixed SVG hash salt, no dates).

Data comes from the CSVs in ``data/`` through :func:`load_figures`, which reports every bad row as
``path:line`` and drops nothing silently.
"""
from __future__ import annotations

import base64
import csv
import functools
import html
import io
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import matplotlib
import matplotlib.transforms
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

from .problems import Problem
from .project import find_root, read_sourced_csv

# Okabe & Ito (2008), "Color Universal Design". The order keeps neighbours at least 15 apart in
# CIE L* lightness; the first colour (used for main bars) has more than 3:1 contrast on white.
PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#E69F00",  # orange
    "#000000",  # black
    "#009E73",  # bluish green
    "#F0E442",  # yellow
    "#CC79A7",  # reddish purple
)
TEXT = "#1a1a1a"
MUTED = "#4a4a4a"
BACKGROUND = "#ffffff"
SVG_SALT = "spot-the-lure"
_TEXT_PATH = TextToPath()

_RC = {
    "svg.hashsalt": SVG_SALT,
    "svg.fonttype": "none",          # text stays text: small, selectable, zooms cleanly
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica", "Liberation Sans"],
    "font.size": 11,
    "axes.titlesize": 11,
    "hatch.linewidth": 0.8,
    "path.simplify": True,
}


# ---------------------------------------------------------------------------------------------
# Colour
# ---------------------------------------------------------------------------------------------

def _rgb(hex_colour: str) -> tuple[float, float, float]:
    h = hex_colour.lstrip("#")
    if not re.fullmatch(r"[0-9a-fA-F]{6}", h):
        raise ValueError(f"'{hex_colour}' is not a #rrggbb colour")
    return tuple(int(h[i:i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance, 0 (black) to 1 (white)."""
    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (lin(c) for c in _rgb(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def lightness(hex_colour: str) -> float:
    """CIE L* (0 black to 100 white): how light a colour looks, whatever its hue."""
    y = relative_luminance(hex_colour)
    f = y ** (1 / 3) if y > 216 / 24389 else (24389 / 27 * y + 16) / 116
    return 116 * f - 16


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio between two colours (1 to 21)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


# ---------------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------------

def fmt_number(value: float | int) -> str:
    """15000 -> '15,000'; 55000000 -> '55 million'; 2.5 -> '2.5'."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and abs(value) >= 1_000_000 and value % 100_000 == 0:
        return f"{value / 1_000_000:g} million"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def qualified(value: float | int, qualifier: str = "") -> str:
    """A number with its qualifier kept visible: ('over', 15000) -> 'over 15,000'."""
    q = (qualifier or "").strip()
    n = fmt_number(value)
    if not q:
        return n
    if q == "estimate":
        return f"an estimated {n}"
    return f"{q} {n}"


# ---------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------

def _row_lines(text: str, ncols: int) -> list[int]:
    """Line numbers of the rows read_sourced_csv keeps, in order (same skipping rules)."""
    lines = []
    reader = csv.reader(text.splitlines())
    next(reader, None)
    for n, row in enumerate(reader, start=2):
        if not row or not any(c.strip() for c in row):
            continue
        if len(row) == ncols:
            lines.append(n)
    return lines


def _number(text: str) -> int | float:
    t = text.replace(",", "").replace("_", "").strip()
    if not re.fullmatch(r"-?\d+(\.\d+)?", t):
        raise ValueError
    return float(t) if "." in t else int(t)


def load_figures(path: Path, rel: str, bib_keys: set[str], numbers: Sequence[str] = ("value",),
                 optional_numbers: Sequence[str] = (), part_of: dict[str, str] | None = None,
                 ) -> tuple[list[dict], list[Problem]]:
    """Read a data CSV with :func:`read_sourced_csv`, then turn number columns into numbers.

    Every problem is reported as ``rel:line``; no row is dropped without a problem saying so.
    ``numbers`` must hold a number; ``optional_numbers`` may be empty (-> None); ``part_of`` maps
    a column to the column it is a part of (the part may not be larger than the whole).
    """
    rows, problems = read_sourced_csv(path, rel, bib_keys)
    text = path.read_text(encoding="utf-8-sig") if path.exists() else ""
    header = next(csv.reader(text.splitlines()), [])
    header = [h.strip() for h in header]
    lines = _row_lines(text, len(header))
    if len(lines) != len(rows):  # cannot happen unless read_sourced_csv changes its rules
        lines = [0] * len(rows)
    for col in (*numbers, *optional_numbers):
        if header and col not in header:
            problems.append(Problem(rel, 1, f"no '{col}' column"))
    for rec, line in zip(rows, lines):
        rec["_line"] = line
        for col in (*numbers, *optional_numbers):
            if col not in rec:
                continue
            raw = rec[col]
            if raw == "" and col in optional_numbers:
                rec[col] = None
                continue
            try:
                rec[col] = _number(raw)
            except ValueError:
                problems.append(Problem(rel, line, f"{col}: '{raw}' is not a number"))
        for part, whole in (part_of or {}).items():
            p, w = rec.get(part), rec.get(whole)
            if isinstance(p, (int, float)) and isinstance(w, (int, float)) and p > w:
                problems.append(Problem(rel, line, f"{part} ({p}) is larger than {whole} ({w})"))
    return rows, sorted(problems)


# ---------------------------------------------------------------------------------------------
# Sources (read from references.bib; no network)
# ---------------------------------------------------------------------------------------------

_LATEX = [
    (r'{\"o}', "ö"), (r'{\"a}', "ä"), (r'{\"u}', "ü"), (r'{\aa}', "å"), (r"{\o}", "ø"),
    (r"{\'e}", "é"), (r"\&", "&"), (r"\#", "#"), (r"\%", "%"), ("---", "—"), ("--", "–"),
    ("``", "“"), ("''", "”"),
]


def _detex(s: str) -> str:
    for a, b in _LATEX:
        s = s.replace(a, b)
    s = s.replace("{", "").replace("}", "")
    return re.sub(r"\s+", " ", s).strip()


def _braced(text: str, i: int) -> tuple[str, int]:
    """The text inside the braces opening at text[i], and the index after the closing brace."""
    depth, j = 0, i
    while j < len(text):
        if text[j] == "{":
            depth += 1
        elif text[j] == "}":
            depth -= 1
            if depth == 0:
                return text[i + 1:j], j + 1
        j += 1
    raise ValueError("unbalanced braces in references.bib")


def bib_entries(bib: Path | None = None) -> dict[str, dict[str, str]]:
    """Author, title and year of each entry in references.bib (LaTeX escapes undone)."""
    bib = Path(bib or find_root() / "references.bib")
    st = bib.stat()
    kept = _bib_entries(str(bib.resolve()), st.st_mtime_ns, st.st_size)
    return {key: dict(fields) for key, fields in kept.items()}       # the caller's own copy


@functools.lru_cache(maxsize=16)
def _bib_entries(path: str, mtime_ns: int, size: int) -> dict[str, dict[str, str]]:
    text = Path(path).read_text(encoding="utf-8")
    out: dict[str, dict[str, str]] = {}
    for m in re.finditer(r"^@(\w+)\s*\{\s*([^,\s]+)\s*,", text, re.M):
        body, _ = _braced(text, text.index("{", m.start()))
        fields: dict[str, str] = {}
        for f in re.finditer(r"(\w+)\s*=\s*", body):
            start = f.end()
            if start < len(body) and body[start] == "{":
                value, _ = _braced(body, start)
            else:
                value = re.match(r"[^,\n]*", body[start:]).group(0)
            fields.setdefault(f.group(1).lower(), _detex(value))
        out[m.group(2)] = fields
    return out


def short_source(key: str, bib: Path | None = None) -> str:
    """'Author (year)' for one key, e.g. for a table's Source column."""
    entries = bib_entries(bib)
    if key not in entries:
        raise KeyError(f"source '{key}' is not a key in references.bib")
    e = entries[key]
    return f"{e.get('author', '').replace(' and ', ', ')} ({e.get('year', 'n.d.')})"


def source_text(keys: Iterable[str], bib: Path | None = None) -> list[str]:
    """'Author (year). Title.' for each key; a key missing from references.bib is an error."""
    entries = bib_entries(bib)
    out = []
    for k in keys:
        if k not in entries:
            raise KeyError(f"source '{k}' is not a key in references.bib")
        e = entries[k]
        author = e.get("author", "").replace(" and ", ", ")
        out.append(f"{author} ({e.get('year', 'n.d.')}). {e.get('title', '')}.")
    return out


# ---------------------------------------------------------------------------------------------
# Charts
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Bar:
    """One bar: its label on the left, its value, and the text written at its end."""
    label: str
    value: float
    text: str = ""       # default: the value with thousands separators
    part: bool = False   # a part of the bar above ("of which ..."): hatched, thinner, indented

    @property
    def shown(self) -> str:
        return self.text or fmt_number(self.value)


def bar_chart(panels: Sequence[tuple[str, Sequence[Bar]]], *, share_scale: bool = True,
              width: float = 7.2, wrap: int = 36) -> Figure:
    """Horizontal bar chart, one panel per (heading, bars), the value written at each bar's end.

    Labels sit left-aligned in a column on the left; a part bar ("of which ...") is indented,
    italic, hatched and thinner, so it never depends on colour. All panels share one scale
    unless ``share_scale`` is False (then say so in the caption). The figure is not attached to
    pyplot, so a notebook never shows it by accident.
    """
    if not panels or any(not bars for _, bars in panels):
        raise ValueError("every panel needs at least one bar")
    for _, bars in panels:
        for b in bars:
            if not b.value >= 0:
                raise ValueError(f"{b.label}: a bar needs a value of 0 or more")
    line_h, pad, head_h, gap = 0.19, 0.16, 0.34, 0.22   # inches
    label_col = 0.42                                     # share of the width for labels
    with matplotlib.rc_context(_RC):
        wrapped = [[textwrap.wrap(b.label, wrap - (3 if b.part else 0)) or [""] for b in bars]
                   for _, bars in panels]
        rows_h = [[max(0.36, line_h * len(w) + pad) for w in ws] for ws in wrapped]
        panel_h = [sum(r) for r in rows_h]
        total = sum(panel_h) + (head_h + gap) * len(panels) - gap + 0.08
        fig = Figure(figsize=(width, total), facecolor=BACKGROUND)
        axes_w = (0.95 - label_col) * width * 72  # points
        props = {False: FontProperties(weight="bold"), True: FontProperties()}

        def room(bars):  # the x limit that leaves space for every value label (+15% for fonts)
            need = []
            for b in bars:
                w = _TEXT_PATH.get_text_width_height_descent(b.shown, props[b.part], ismath=False)[0]
                free = 1 - (w * 1.15 + 8) / axes_w
                need.append(b.value / max(free, 0.2))
            return max(need) or 1

        top_all = max(room(bars) for _, bars in panels)
        shown: list[str] = []
        y_top = total - 0.04  # inches from the bottom
        for (heading, bars), ws, rh, ph in zip(panels, wrapped, rows_h, panel_h):
            fig.text(0.015, (y_top - 0.04) / total, heading, ha="left", va="top",
                     fontweight="bold", color=TEXT)
            y_top -= head_h
            ax = fig.add_axes((label_col + 0.01, (y_top - ph) / total, 0.95 - label_col, ph / total))
            ax.set_facecolor(BACKGROUND)
            ax.set_ylim(ph, 0)  # inches from the panel's top, downwards
            ax.set_xlim(0, top_all if share_scale else room(bars))
            lab = matplotlib.transforms.blended_transform_factory(fig.transFigure, ax.transData)
            y = 0.0
            for b, w, h in zip(bars, ws, rh):
                mid = y + h / 2
                ax.barh(mid, b.value, height=0.2 if b.part else 0.28,
                        color=PALETTE[1] if b.part else PALETTE[0],
                        edgecolor=PALETTE[0], linewidth=1.0, hatch="///" if b.part else None)
                ax.annotate(b.shown, (b.value, mid), xytext=(5, 0), textcoords="offset points",
                            va="center", ha="left", color=TEXT,
                            fontweight="normal" if b.part else "bold")
                ax.text(0.045 if b.part else 0.015, mid, "\n".join(w), transform=lab,
                        ha="left", va="center", color=MUTED if b.part else TEXT,
                        fontstyle="italic" if b.part else "normal", linespacing=1.25)
                shown.append(b.shown)
                y += h
            ax.set_axis_off()
            ax.axvline(0, color=MUTED, linewidth=0.8)
            y_top -= ph + gap
        fig.stl_values = shown  # the texts written at the bars; figure_html checks the alt text
    return fig


def describe(intro: str, panels: Sequence[tuple[str, Sequence[Bar]]]) -> str:
    """Alt text stating every number on the chart, in reading order."""
    parts = [intro.rstrip(". ") + "."]
    for heading, bars in panels:
        items: list[str] = []
        for b in bars:
            if b.part and items:
                items[-1] += f", {b.label.strip()}: {b.shown}"
            else:
                items.append(f"{b.label.strip()}: {b.shown}")
        parts.append(f"{heading.rstrip(':.')}: " + "; ".join(items) + ".")
    return " ".join(parts)


# ---------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------

def svg_bytes(fig: Figure) -> bytes:
    """The figure as SVG; identical input gives identical bytes (fixed salt, no date)."""
    buf = io.BytesIO()
    with matplotlib.rc_context(_RC):
        fig.savefig(buf, format="svg", facecolor=BACKGROUND,
                    metadata={"Date": None, "Creator": None})
    svg = buf.getvalue().decode("utf-8")
    svg = re.sub(r"<!--.*?-->\s*", "", svg, flags=re.S)      # generator comments
    svg = re.sub(r">\s+<", "><", svg)                         # indentation between tags
    return svg.encode("utf-8")


def _values_in_alt(values: Iterable[str], alt: str) -> list[str]:
    norm = " ".join(alt.split())
    missing = []
    for v in values:
        pat = r"(?<![\d.,])" + re.escape(" ".join(v.split())) + r"(?![\d]|[.,]\d)"
        if not re.search(pat, norm):
            missing.append(v)
    return missing


_CELL = ' style="text-align:left;vertical-align:top"'


def table_html(header: Sequence[str], rows: Sequence[Sequence[str]], caption: str = "") -> str:
    """A plain, accessible HTML table (header cells scoped; every cell escaped)."""
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    head = "".join(f'<th scope="col"{_CELL}>{html.escape(str(h))}</th>' for h in header)
    body = "".join(
        "<tr>" + "".join((f'<th scope="row"{_CELL}>{html.escape(str(c))}</th>' if j == 0 else
                          f"<td{_CELL}>{html.escape(str(c))}</td>") for j, c in enumerate(r)) + "</tr>"
        for r in rows)
    return (f'<table class="stl-table docutils align-default">{cap}<thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>")


def figure_html(fig: Figure, alt: str, caption: str, source_keys: Sequence[str], *,
                not_shown: str, table: tuple[Sequence[str], Sequence[Sequence[str]]] | None = None,
                bib: Path | None = None) -> str:
    """One self-contained ``<figure>``: the chart as an SVG ``<img>`` with ``alt`` text, a caption
    saying what it shows (``caption``) and what it does not show (``not_shown``), and its sources.

    Raises ValueError if the alt text is empty or leaves out a number written on the chart, if
    the caption or ``not_shown`` is empty, or if there is no source; KeyError if a source key is
    not in references.bib. ``table`` (header, rows) adds the numbers as a table under a toggle.
    """
    alt = " ".join((alt or "").split())
    if not alt:
        raise ValueError("alt text is empty: say what the chart shows, with its numbers")
    missing = _values_in_alt(getattr(fig, "stl_values", []), alt)
    if missing:
        raise ValueError(f"the alt text does not state {', '.join(repr(m) for m in missing)}, "
                         "which the chart shows")
    if not (caption or "").strip():
        raise ValueError("the caption is empty: say what the chart shows")
    if not (not_shown or "").strip():
        raise ValueError("say what the chart does not show (not_shown)")
    keys = list(source_keys)
    if not keys:
        raise ValueError("name at least one source (a key in references.bib)")
    sources = source_text(keys, bib)

    svg = svg_bytes(fig)
    w_in, h_in = fig.get_size_inches()
    src = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
    label = "Source" if len(sources) == 1 else "Sources"
    details = ""
    if table is not None:
        details = ("<details><summary>The numbers as a table</summary>"
                   f"{table_html(*table)}</details>")
    return (
        '<figure class="stl-figure" style="margin:1.5rem 0">'
        f'<img src="{src}" alt="{html.escape(alt, quote=True)}" width="{round(w_in * 96)}" '
        f'height="{round(h_in * 96)}" style="max-width:100%;height:auto;background:{BACKGROUND}">'
        "<figcaption>"
        f"<p><strong>What it shows:</strong> {html.escape(caption.strip())}</p>"
        f"<p><strong>What it does not show:</strong> {html.escape(not_shown.strip())}</p>"
        f"<p><strong>{label}:</strong> {html.escape(' '.join(sources))} "
        "Full details are on the References page.</p>"
        "</figcaption>"
        f"{details}</figure>"
    )
