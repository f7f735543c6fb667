"""Charts of an analysis (matplotlib), each with its alt text; :func:`figure_svg` inlines one as
accessible SVG. Nothing is drawn for a score that is not shown (small-cell suppression)."""
from __future__ import annotations

import html
import io
import math
import re

from ..i18n import _
from .results import Result, scored
from .words import direction_word, fmt, short_label, unit

# Okabe & Ito (2008): distinguishable with the common colour-vision deficiencies.
COLOURS = {"pre": "#E69F00", "post": "#0072B2", "better": "#009E73", "worse": "#D55E00", "unclear": "#555555"}


def _alt_before_after(res: Result, shown: list[str]) -> str:
    parts = []
    for c in shown:
        ch = res.changes[c]
        if c == "knowledge":
            parts.append(_("Knowledge: {before}% of answers right before, {after}% after")
                         .format(before=fmt(c, ch.pre_mean), after=fmt(c, ch.post_mean)))
        else:
            parts.append(_("{score}: {before} before, {after} after (1 to 5 scale)")
                         .format(score=short_label(c), before=fmt(c, ch.pre_mean), after=fmt(c, ch.post_mean)))
    what = (_("Dot chart of average scores before and after, for {n} matched participants (synthetic example data)")
            if res.synthetic else _("Dot chart of average scores before and after, for {n} matched participants"))
    return what.format(n=res.n_matched) + ". " + "; ".join(parts) + "."


def _alt_change(res: Result, shown: list[str]) -> str:
    parts = []
    for c in shown:
        ch = res.changes[c]
        ci = ("" if math.isnan(ch.ci_low) else ", " + _("95% confidence interval {low} to {high}")
              .format(low=fmt(c, ch.ci_low, True), high=fmt(c, ch.ci_high, True)))
        parts.append(f"{short_label(c)}: {fmt(c, ch.diff_mean, True)} {unit(c)}{ci} ({direction_word(ch.direction)})")
    return (_("Chart of the average change from before to after with 95% confidence intervals; a line that does not "
              "cross zero is a clear change.") + " " + "; ".join(parts) + ".")


def plots(res: Result) -> list:
    """Matplotlib figures of the results; each carries its alt text in ``figure.alt_text``.

    Nothing is drawn for scores not shown (small-cell suppression).
    """
    from matplotlib.figure import Figure
    shown = [c for c, ch in scored(res.changes) if ch.shown]
    if not shown:
        return []
    figs = []
    panels = [p for p in (["knowledge"], [c for c in shown if c != "knowledge"]) if any(c in shown for c in p)]
    panels = [[c for c in p if c in shown] for p in panels]

    # 1. Before and after: a dot for each phase, joined by a line, labelled directly.
    fig = Figure(figsize=(7.5, 1.2 + 0.75 * len(shown)), layout="constrained")
    axes = fig.subplots(len(panels), 1, squeeze=False, height_ratios=[len(p) for p in panels])[:, 0]
    for ax, cs in zip(axes, panels):
        know = cs == ["knowledge"]
        for y, c in enumerate(reversed(cs)):
            ch = res.changes[c]
            a, b = ch.pre_mean, ch.post_mean
            ax.plot([a, b], [y, y], color="#999999", lw=2, zorder=1)
            ax.scatter([a], [y], marker="o", s=70, color=COLOURS["pre"], zorder=3, edgecolor="black", linewidth=0.5)
            ax.scatter([b], [y], marker="s", s=70, color=COLOURS["post"], zorder=3, edgecolor="black", linewidth=0.5)
            lo_left = a <= b
            for x, word, left in ((a, _("before"), lo_left), (b, _("after"), not lo_left)):
                txt = f"{word} {fmt(c, x)}{'%' if know else ''}"
                ax.annotate(txt, (x, y), xytext=(-9 if left else 9, 0), textcoords="offset points",
                            ha="right" if left else "left", va="center", fontsize=9)
        ax.set_yticks(range(len(cs)), [short_label(c) for c in reversed(cs)])
        ax.set_ylim(-0.6, len(cs) - 0.4)
        if know:
            ax.set_xlim(-30, 130)
            ax.set_xticks([0, 25, 50, 75, 100])
            ax.set_xlabel(_("% of knowledge answers right"))
        else:
            ax.set_xlim(0, 6)
            ax.set_xticks([1, 2, 3, 4, 5])
            ax.set_xlabel(_("Average on the 1 to 5 scale (higher is better)"))
        for s in ("top", "right"):
            ax.spines[s].set_visible(False)
        ax.grid(axis="x", color="#dddddd", lw=0.8)
        ax.set_axisbelow(True)
    fig.alt_text = _alt_before_after(res, shown)
    fig.caption = _("Average before and after ({n} matched participants).").format(n=res.n_matched)
    figs.append(fig)

    # 2. Change with its 95% confidence interval, labelled with the numbers and the direction.
    fig = Figure(figsize=(7.5, 1.2 + 0.75 * len(shown)), layout="constrained")
    axes = fig.subplots(len(panels), 1, squeeze=False, height_ratios=[len(p) for p in panels])[:, 0]
    for ax, cs in zip(axes, panels):
        know = cs == ["knowledge"]
        span = 0.0
        for y, c in enumerate(reversed(cs)):
            ch = res.changes[c]
            colour = COLOURS[ch.direction]
            lo = ch.diff_mean if math.isnan(ch.ci_low) else ch.ci_low
            hi = ch.diff_mean if math.isnan(ch.ci_high) else ch.ci_high
            span = max(span, abs(lo), abs(hi))
            ax.plot([lo, hi], [y, y], color=colour, lw=2.5, solid_capstyle="butt")
            ax.scatter([ch.diff_mean], [y], marker="D", s=60, color=colour, zorder=3, edgecolor="black", linewidth=0.5)
            word = direction_word(ch.direction)
            ax.annotate(f"{fmt(c, ch.diff_mean, True)} ({word})", (hi, y), xytext=(8, 0), textcoords="offset points",
                        ha="left", va="center", fontsize=9)
        span = max(span, 1.0 if know else 0.1) * 1.15
        ax.set_xlim(-span, span * 2.2)
        ax.axvline(0, color="black", lw=1)
        ax.set_yticks(range(len(cs)), [short_label(c) for c in reversed(cs)])
        ax.set_ylim(-0.6, len(cs) - 0.4)
        ax.set_xlabel(_("Change in percentage points (95% CI)") if know else _("Change in points on the 1 to 5 scale (95% CI)"))
        for s in ("top", "right"):
            ax.spines[s].set_visible(False)
    fig.alt_text = _alt_change(res, shown)
    fig.caption = _("Average change from before to after, with its 95% confidence interval.")
    figs.append(fig)
    return figs


def figure_svg(fig, alt: str | None = None, prefix: str = "fig") -> str:
    """A figure as inline SVG with ``role="img"`` and its alt text (deterministic bytes)."""
    import matplotlib
    alt = alt if alt is not None else getattr(fig, "alt_text", None) or _("Chart")
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "spotthelure", "svg.fonttype": "none"}):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", svg)
    svg = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}-\1"', svg)
    a = html.escape(alt, quote=True)
    svg = re.sub(r"<svg\b", f'<svg role="img" aria-label="{a}" style="max-width:100%;height:auto"', svg, count=1)
    svg = re.sub(r"(<svg[^>]*>)", rf"\1<title>{a}</title>", svg, count=1)
    return svg.strip()
