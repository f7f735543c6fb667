"""Ordering items scored by constraints, not by one fixed order.

Each step has an ``id``; a step may list ``before: [ids]`` (it must come before those steps) and a
``reason`` shown when one of its constraints is broken. Help-seeking steps carry ``any_time: true``
and are right in any position. The steps are written in one good order (the one an answer key
shows). An answer is right when every constraint holds. Every renderer and export uses these
functions, so they all judge an answer the same way.
"""
from __future__ import annotations

import re

from .i18n import _, ngettext
from .model import OrderingItem, Rule


def item_model(item) -> OrderingItem:
    """The OrderingItem of ``item`` (a model object already, or the valid data of one)."""
    return item if isinstance(item, OrderingItem) else OrderingItem.from_data(item, getattr(item, "path", ""))


def rules(item) -> list[Rule]:
    """The constraints of an ordering item, by step index, in the order they are written."""
    return item_model(item).rules()


def any_time(item) -> list[int]:
    """Indexes of the steps that are right in any position."""
    return item_model(item).any_time()


def broken(item, places: list[int | None]) -> list[Rule]:
    """The rules an answer breaks; ``places[i]`` is the place (1, 2, ...) given to step ``i``."""
    return item_model(item).broken(places)


def complete(places: list[int | None]) -> bool:
    """Every step has a place and no two steps share one."""
    given = [p for p in places if p is not None]
    return len(given) == len(places) and len(set(given)) == len(places)


def is_right(item, places: list[int | None]) -> bool:
    return complete(places) and not broken(item, places)


def valid_orders(item, limit: int = 5040) -> list[tuple[int, ...]]:
    """Every order of step indexes that keeps all the rules (at most ``limit`` of them)."""
    return item_model(item).valid_orders(limit)


def step_label(text: str, words: int = 12) -> str:
    """A short name of a step for feedback: its first sentence (at most ``words`` words)."""
    first = re.split(r"(?<=[.!?])\s+", str(text).strip(), maxsplit=1)[0]
    w = first.split()
    return " ".join(w[:words]) + ("…" if len(w) > words else "")


def _name(item: OrderingItem, i: int) -> str:
    return step_label(item.steps[i].text).rstrip(".")


def rule_text(item, r: Rule) -> str:
    """'“Take screenshots” should come before “Block and report”: proof is kept.' (plain text)."""
    it = item_model(item)
    a, b = _name(it, r.first), _name(it, r.then)
    if r.reason:
        return _("“{first}” should come before “{then}”. {reason}").format(first=a, then=b, reason=r.reason)
    return _("“{first}” should come before “{then}”.").format(first=a, then=b)


def any_time_text(item, i: int) -> str:
    return _("“{step}” is right at any point, even first.").format(step=_name(item_model(item), i))


def summary_text(item) -> str:
    """The rule of the whole item in one sentence, for answer keys and exports."""
    it = item_model(item)
    rs, at = it.rules(), it.any_time()
    n = len(it.steps)
    if rs and len(it.valid_orders(limit=2)) == 1:
        head = _("Only this order is right.")
    elif rs:
        parts = [_("“{first}” comes before “{then}”").format(first=_name(it, r.first), then=_name(it, r.then))
                 for r in rs]
        head = _("Any order is right as long as {conditions}.").format(conditions=_("; ").join(parts))
    else:
        head = ngettext("Any order of the {n} step is right.", "Any order of the {n} steps is right.", n).format(n=n)
    # Whole sentences, each translated on its own, follow one another.
    return " ".join([head, *(any_time_text(it, i) for i in at)])


# ---- data keyed by language: help-seeking words and verdict words -------------------------------

def help_words(language: str) -> list[str]:
    """The help-seeking words of ``language`` (data/languages/<lang>.yml; none without a rules file)."""
    from . import i18n
    return [str(w) for w in (i18n.rules(language) or {}).get("help_seeking") or []]


def verdict_words(language: str) -> list[str]:
    """The verdict words of ``language`` (data/languages/<lang>.yml; none without a rules file)."""
    from . import i18n
    return [str(w) for w in (i18n.rules(language) or {}).get("verdict_words") or []]


def looks_like_help_seeking(text: str, language: str) -> str | None:
    """The first help-seeking word or phrase in ``text``, or None."""
    low = str(text).lower()
    for w in help_words(language):
        if re.search(r"(?<![\w])" + re.escape(w.lower()) + r"(?![\w])", low):
            return w
    return None


def starts_with_verdict(text: str, language: str) -> str | None:
    """The verdict word a feedback text opens with ("Yes.", "Right."), or None."""
    s = str(text).lstrip()
    for w in verdict_words(language):
        if re.match(re.escape(w) + r"(?=[\s.,!:;،؛؟]|$)", s, re.I):   # Arabic comma, semicolon, question mark too
            return w
    return None
