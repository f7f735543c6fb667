"""The one scoring rule of a quiz item, which every export follows (GIFT, Moodle XML, QTI).

- A single-answer or true/false item scores 1 for the right answer and 0 otherwise.
- A multiple-answer or red-flag item: each right answer chosen earns an equal share of 1 (1/R for R
  right answers), each wrong answer chosen takes away an equal share of 1 (1/W for W wrong answers),
  and the score never goes below 0. So only exactly the right answers score 1: that is the one answer
  the book's own quiz calls "Correct", and the quiz counts items answered that way.
- An ordering item scores 1 when every one of its rules holds, and 0 otherwise (:mod:`.ordering`).

This is Moodle's own rule for multiple-answer questions (its core question types cannot give
all-or-nothing marks to several right answers), so the same item scores the same in Moodle and in a
QTI player. The weights are 1/n for n of 1 to 10, all in Moodle's list of grades.
"""
from __future__ import annotations

from fractions import Fraction


def weights(item) -> dict[str, Fraction]:
    """Each choice's weight (key → fraction of the item's mark): a multiple-answer or red-flag item's
    right answers 1/R, wrong answers -1/W; a single or true/false item's right answer 1, the others 0."""
    ch = item.choices()
    right = [c for c in ch if c.correct]
    wrong = [c for c in ch if not c.correct]
    if item.cardinality == "single":
        return {c.key: Fraction(1 if c.correct else 0) for c in ch}
    return {c.key: (Fraction(1, len(right)) if c.correct else -Fraction(1, len(wrong))) for c in ch}


def score(item, chosen) -> Fraction:
    """The score (0 to 1) of ``chosen`` (choice keys) for a choice item."""
    chosen = set(chosen)
    if chosen == set(item.correct_keys()):
        return Fraction(1)
    if item.cardinality == "single" and len(chosen) != 1:
        return Fraction(0)
    w = weights(item)
    return min(Fraction(1), max(Fraction(0), sum((w[k] for k in chosen), Fraction(0))))


def percent(f: Fraction) -> str:
    """A weight as Moodle writes it: a percentage with at most 5 decimals (``33.33333``, ``-50``, ``12.5``)."""
    text = f"{float(f) * 100:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def decimal(f: Fraction) -> str:
    """A weight as a decimal for QTI (``0.3333333``, ``-0.5``, ``1``)."""
    text = f"{float(f):.7f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
