"""The words and number formats shared by the text report, the HTML report, the charts and the
warnings: score names, units and how a figure is written."""
from __future__ import annotations

import math

from ..i18n import N_, _

# Marked for the catalog here, translated where they are shown (score_label, short_label).
LABEL = {
    "knowledge": N_("Knowledge (% of answers right)"),
    "confidence": N_("Confidence to act and to seek help (1 to 5)"),
    "attitude": N_("Not blaming the victim (1 to 5)"),
    "wellbeing": N_("Feeling calm, not worried (1 to 5)"),
}
SHORT = {"knowledge": N_("Knowledge"), "confidence": N_("Confidence"), "attitude": N_("Not blaming"),
         "wellbeing": N_("Wellbeing")}
SYNTHETIC_BANNER = N_("SYNTHETIC EXAMPLE DATA: made up by a program, not answers from real people.")
NO_GROUP = N_("(no group)")
DASH = "–"


def score_label(c: str) -> str:
    return _(LABEL[c])


def short_label(c: str) -> str:
    return _(SHORT[c])


def unit(c: str) -> str:
    return _("percentage points") if c == "knowledge" else _("points")


def direction_word(direction: str) -> str:
    return {"better": _("better"), "worse": _("worse"), "unclear": _("no clear change")}[direction]


def fmt(c: str, x, signed: bool = False) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return DASH
    if c == "knowledge":
        return f"{x:+.1f}" if signed else f"{x:.1f}"
    return f"{x:+.2f}" if signed else f"{x:.2f}"


def dz(x: float) -> str:
    return DASH if math.isnan(x) else f"{x:.2f}"


def ci_text(c: str, ch) -> str:
    """The 95% confidence interval of a change, as text ("–" when it cannot be computed)."""
    if math.isnan(ch.ci_low):
        return DASH
    return _("{low} to {high}").format(low=fmt(c, ch.ci_low, True), high=fmt(c, ch.ci_high, True))


def fewer_than(min_cell: int) -> str:
    return _("fewer than {n}, not shown").format(n=min_cell)


def hidden_groups_text(res) -> str:
    """One sentence for the groups not shown: how many, never which."""
    k = sum(1 for g in res.groups if not g.shown)
    if not k:
        return ""
    from ..i18n import ngettext
    return ngettext("{k} group is not shown: groups with fewer than {n} matched participants, and where needed the "
                    "next smallest, so that no small group's results can be worked out from the total.",
                    "{k} groups are not shown: groups with fewer than {n} matched participants, and where needed the "
                    "next smallest, so that no small group's results can be worked out from the total.",
                    k).format(k=k, n=res.min_cell)
