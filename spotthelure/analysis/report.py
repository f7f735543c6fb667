"""The reports of an analysis: plain text (printed by ``spotthelure evaluate``) and a
self-contained HTML page (the template ``templates/evaluation-report.html``: autoescaped, no
scripts, no external files, charts as inline SVG)."""
from __future__ import annotations

import functools
import math

from ..i18n import _, current_language, label, ngettext
from .results import WORSE_BY, WORSE_SHARE, Result, scored
from .words import SYNTHETIC_BANNER, ci_text, direction_word, dz, fewer_than, fmt, hidden_groups_text, score_label

PROBLEMS_SHOWN = 500


# --------------------------------------------------------------------------- text

def _rows_text(n: int) -> str:
    return ngettext("{n} row", "{n} rows", n).format(n=n)


def summary_text(res: Result) -> str:
    L = []
    if res.synthetic:
        L += [_(SYNTHETIC_BANNER), ""]
    L.append(_("Spot the Lure evaluation: {title} ({id})").format(title=res.title, id=res.questionnaire_id))
    for f in res.files:
        delim = {";": _(", semicolons between values"), "\t": _(", tabs between values")}.get(f.delimiter, "")
        line = _("{name} ({kind}{delim}): {rows} rows read, {used} used, {left} left out").format(
            name=f.name, kind=_(f.kind), delim=delim, rows=f.rows, used=f.used, left=f.left_out)
        if f.blank:
            line += ngettext(", {n} blank line skipped", ", {n} blank lines skipped", f.blank).format(n=f.blank)
        L.append("  " + line)
    if res.rows_left_out:
        L.append("  " + ngettext("{n} row left out because of problems (listed on standard error and in the report).",
                                 "{n} rows left out because of problems (listed on standard error and in the report).",
                                 res.rows_left_out).format(n=res.rows_left_out))
    if res.use != "pre-post":
        return "\n".join(L + [""] + items_text(res))
    L.append("")
    L.append(_("Participants: {pre} before, {post} after, {matched} matched by code.")
             .format(pre=res.n_pre, post=res.n_post, matched=res.n_matched))
    if res.unmatched_pre or res.unmatched_post:
        L.append("  " + _("{pre} and {post} had no partner (codes are not shown).").format(
            pre=ngettext("{n} 'before' code", "{n} 'before' codes", res.unmatched_pre).format(n=res.unmatched_pre),
            post=ngettext("{n} 'after' code", "{n} 'after' codes", res.unmatched_post).format(n=res.unmatched_post)))
    L.append("")
    if not res.n_matched:
        L.append(_("No participant has both a 'before' and an 'after' row, so there is no change to show."))
    elif not res.overall_shown:
        L.append(_("Fewer than {n} matched participants: results not shown, to protect privacy.").format(n=res.min_cell))
    else:
        L.append(_("Change from before to after (matched participants; higher is better on every score)"))
        L += changes_text(res.changes, res.min_cell)
    if res.warnings:
        L.append("")
        L += res.warnings
    elif res.overall_shown:
        L.append("")
        L.append(_("No side-effect flagged (wellbeing did not clearly go down; see the methods in the report)."))
    if res.groups and res.overall_shown:
        L.append("")
        L.append(_("By group (groups with fewer than {n} matched participants are not shown)").format(n=res.min_cell))
        for g in res.groups:
            if g.shown:
                L.append("  " + _("{group} ({n} matched)").format(group=g.name, n=g.n))
                L += ["  " + x for x in changes_text(g.changes, res.min_cell, header=False)]
        if hidden_groups_text(res):
            L.append(f"  {hidden_groups_text(res)}")
    return "\n".join(L)


def changes_text(changes: dict, min_cell: int, header: bool = True) -> list[str]:
    L = []
    if header:
        L.append(f"  {_('score'):<44} {'n':>6} {_('before'):>7} {_('after'):>7} {_('change'):>7}  "
                 f"{_('95% CI'):<18} {'d_z':>5}")
    for c, ch in scored(changes):
        if not ch.shown:
            L.append(f"  {score_label(c):<44} {ch.reason or fewer_than(min_cell)}")
            continue
        L.append(f"  {score_label(c):<44} {ch.n:>6} {fmt(c, ch.pre_mean):>7} {fmt(c, ch.post_mean):>7} "
                 f"{fmt(c, ch.diff_mean, True):>7}  {ci_text(c, ch):<18} {dz(ch.d_z):>5}")
    return L


def items_text(res: Result) -> list[str]:
    scope = _("all rows") if res.use != "pre-post" else _("all rows of each phase")
    L = [_("Question by question ({scope}; fewer than {n} answers not shown)").format(scope=scope, n=res.min_cell)]
    for s in res.items:
        ph = "" if s.phase == "all" else f" [{s.phase}]"
        if not s.shown:
            L.append("  " + _("{item}{phase}: fewer than {n} answers, not shown").format(item=s.item, phase=ph, n=res.min_cell))
        elif math.isnan(s.value):
            L.append("  " + _("{item}{phase}: {n} answered").format(item=s.item, phase=ph, n=s.n))
        else:
            L.append(f"  {s.item}{ph}: {s.value:.1f} {s.what} (n={s.n})")
    return L


# --------------------------------------------------------------------------- HTML

@functools.lru_cache(maxsize=1)
def _environment():
    """The package's one template environment (autoescape, StrictUndefined, the catalog's words)."""
    from ..templating import environment
    return environment()


def _changes_rows(res: Result, changes: dict) -> list[dict]:
    rows = []
    for c, ch in scored(changes):
        row = {"label": score_label(c), "shown": ch.shown}
        if ch.shown:
            row.update(n=ch.n, before=fmt(c, ch.pre_mean), after=fmt(c, ch.post_mean),
                       change=fmt(c, ch.diff_mean, True), word=direction_word(ch.direction),
                       ci=ci_text(c, ch), dz=dz(ch.d_z))
        else:
            row["why"] = ch.reason or fewer_than(res.min_cell)
        rows.append(row)
    return rows


def changes_table_html(res: Result, changes: dict | None = None, caption: str | None = None) -> str:
    """The table of changes (overall, or of one group) as HTML."""
    from markupsafe import Markup
    t = _environment().get_template("evaluation-report.html")
    mod = t.make_module({"res": res, "language": current_language()})
    return str(Markup(mod.changes_table(_changes_rows(res, res.changes if changes is None else changes), caption)))


def _items_rows(res: Result) -> tuple[list[str], list[dict]]:
    by: dict = {}
    for s in res.items:
        by.setdefault(s.item, {})[s.phase] = s
    phases = ["pre", "post"] if res.use == "pre-post" else ["all"]
    head = [{"pre": _("Before"), "post": _("After"), "all": _("All")}[p] for p in phases]
    rows = []
    for item, per in by.items():
        first = next(iter(per.values()))
        cells = []
        for p in phases:
            s = per.get(p)
            if s is None or not s.shown:
                cells.append(s.reason if s is not None and s.reason
                             else _("fewer than {n} answers").format(n=res.min_cell))
            elif math.isnan(s.value):
                cells.append(_("{n} answered").format(n=s.n))
            else:
                cells.append(f"{s.value:.1f} (n={s.n})")
        rows.append({"item": item, "construct": label("construct", first.construct), "what": first.what, "cells": cells})
    return head, rows


def report_html(res: Result, figures: list | None = None) -> str:
    """A self-contained HTML report: no scripts, no external files; charts as inline SVG."""
    from markupsafe import Markup

    from .plots import figure_svg, plots
    figures = plots(res) if figures is None else figures
    head, item_rows = _items_rows(res)
    problems = [res.problem_text(p) for p in res.problems[:PROBLEMS_SHOWN]]
    context = {
        "res": res,
        "language": current_language(),
        "css": Markup(_css()),
        "banner": _(SYNTHETIC_BANNER) if res.synthetic else "",
        "figures": [{"svg": Markup(figure_svg(fig, prefix=f"f{i}")), "caption": getattr(fig, "caption", "")}
                    for i, fig in enumerate(figures, 1)],
        "overall_rows": _changes_rows(res, res.changes),
        "groups": [{"name": g.name, "n": g.n, "rows": _changes_rows(res, g.changes)} for g in res.groups if g.shown],
        "hidden_groups": hidden_groups_text(res),
        "item_head": head,
        "item_rows": item_rows,
        "files": [{"name": f.name, "kind": _(f.kind), "rows": f.rows, "used": f.used, "left_out": f.left_out,
                   "blank": f.blank} for f in res.files],
        "problems": problems,
        "more_problems": max(0, len(res.problems) - PROBLEMS_SHOWN),
        "share": round(100 * WORSE_SHARE),
        "by": f"{WORSE_BY:g}",
    }
    return _environment().get_template("evaluation-report.html").render(context)


@functools.lru_cache(maxsize=1)
def _css() -> str:
    from importlib.resources import files
    return files("spotthelure").joinpath("templates", "evaluation-report.css").read_text(encoding="utf-8")
