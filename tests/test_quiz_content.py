"""Quiz banks a teacher can trust: no answer cues per age band, feedback that teaches without a
verdict word, scoped research claims, and names that do not cast one group as the people who harm.

Run as a script to print the answer-cue figures of each band:
    .venv/bin/python tests/test_quiz_content.py
"""
from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from spotthelure import quizbank
from conftest import load_yaml

ROOT = Path(__file__).resolve().parent.parent
QUIZZES = ROOT / "activities" / "quizzes"

# The page shows "Correct"/"Not quite" as a label, so feedback starts with what to learn.
VERDICT = re.compile(r"^\s*(Yes|No|Right|Correct|Wrong|Not quite|Not true|Not so|Sadly not|True|False|"
                     r"Exactly|Well done|That's right|It is true)\b")


def load_quizzes(folder: Path = QUIZZES) -> list[dict]:
    return [load_yaml(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("q*.yml"))]


def poisson_binomial_upper(ps: list[float], alpha: float = 0.05) -> int:
    """Smallest c with P(X > c) <= alpha, X the number of successes of independent trials with chances ps
    (the bound `spotthelure validate` warns at)."""
    return quizbank.upper(ps, 1 - alpha)


def binomial_interval(n: int, alpha: float = 0.05) -> tuple[int, int]:
    """Central interval of the number of 'true' answers among n fair coin flips."""
    return quizbank.lower([0.5] * n, alpha / 2), quizbank.upper([0.5] * n, 1 - alpha / 2)


def band_figures(quizzes: list[dict]) -> dict[str, dict]:
    """Per age band: how often the keyed option is the longest, true/false balance, distractors."""
    bands: dict[str, dict] = defaultdict(lambda: {"single": 0, "longest": [], "chances": [], "tf": 0,
                                                  "tf_true": 0, "distractors": {}})
    for q in quizzes:
        b = bands[q["age_band"]]
        for it in q["items"]:
            if it["type"] == "single":
                opts = it["options"]
                lengths = [len(o["text"]) for o in opts]
                k = next(i for i, o in enumerate(opts) if o.get("correct") is True)
                b["single"] += 1
                b["chances"].append(1 / len(opts))
                if lengths[k] >= max(lengths):
                    b["longest"].append(f"{q['id']}:{it['id']}")
            elif it["type"] == "truefalse":
                b["tf"] += 1
                b["tf_true"] += it["answer"] is True
            elif it["type"] == "multiple":
                b["distractors"][f"{q['id']}:{it['id']}"] = sum(1 for o in it["options"] if o.get("correct") is not True)
    for b in bands.values():
        b["chance"] = sum(b["chances"])
        b["longest_limit"] = poisson_binomial_upper(b["chances"])
        b["tf_interval"] = binomial_interval(b["tf"])
    return dict(bands)


def report(quizzes: list[dict]) -> str:
    out = []
    for band, b in sorted(band_figures(quizzes).items()):
        d = sorted(b["distractors"].values())
        out.append(f"{band}: keyed option longest in {len(b['longest'])} of {b['single']} single-choice items "
                   f"(chance {b['chance']:.1f}, 95% upper bound {b['longest_limit']}); "
                   f"true/false keyed true in {b['tf_true']} of {b['tf']} (95% interval {b['tf_interval'][0]}-"
                   f"{b['tf_interval'][1]}); distractors per multiple-select item {d}")
    return "\n".join(out)


def _non_ordering(quizzes):
    for q in quizzes:
        for it in q["items"]:
            if it["type"] != "ordering":
                yield q, it


# --- the figures and the rules, checked on a broken bank first ----------------------------------

def _single(i, keyed_longest):
    short, long_ = "No.", "Say no, stop replying and tell a trusted adult today."
    return {"id": f"s{i}", "type": "single", "options": [
        {"text": long_ if keyed_longest else short, "correct": True, "feedback": "f"},
        {"text": "Wait.", "feedback": "f"}, {"text": "Reply.", "feedback": "f"}]}


def test_figures_flag_a_cued_bank():
    cued = [{"id": "qx", "age_band": "9-11", "items": [_single(i, True) for i in range(12)]
             + [{"id": f"t{i}", "type": "truefalse", "answer": False} for i in range(10)]}]
    b = band_figures(cued)["9-11"]
    assert len(b["longest"]) == 12 and b["longest_limit"] < 12
    assert not (b["tf_interval"][0] <= b["tf_true"] <= b["tf_interval"][1])
    fair = [{"id": "qy", "age_band": "9-11", "items": [_single(i, i % 3 == 0) for i in range(12)]
             + [{"id": f"t{i}", "type": "truefalse", "answer": i % 2 == 0} for i in range(10)]}]
    b = band_figures(fair)["9-11"]
    assert len(b["longest"]) <= b["longest_limit"]
    assert b["tf_interval"][0] <= b["tf_true"] <= b["tf_interval"][1]


def test_bounds():
    assert poisson_binomial_upper([1 / 3] * 13) == 7      # 13 three-option items: at most 7 by chance
    assert binomial_interval(11) == (2, 9)
    assert binomial_interval(14) == (3, 11)


def test_verdict_pattern():
    assert VERDICT.match("Yes. This is flattery.")
    assert VERDICT.match("Not quite. Someone you know can too.")
    assert not VERDICT.match("Nobody should swap gifts for photos.")
    assert not VERDICT.match("Now the gift comes with a catch.")


# --- the real banks --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def quizzes():
    return load_quizzes()


@pytest.fixture(scope="module")
def figures(quizzes):
    return band_figures(quizzes)


@pytest.mark.parametrize("band", ["9-11", "12-14", "15-18"])
def test_keyed_option_is_not_the_longest_by_habit(figures, band):
    b = figures[band]
    assert len(b["longest"]) <= b["longest_limit"], (
        f"{band}: keyed option is the longest in {len(b['longest'])} of {b['single']} items "
        f"(chance allows {b['longest_limit']}): {', '.join(b['longest'])}")


@pytest.mark.parametrize("band", ["9-11", "12-14", "15-18"])
def test_true_false_keys_are_balanced(figures, band):
    b = figures[band]
    lo, hi = b["tf_interval"]
    assert lo <= b["tf_true"] <= hi, f"{band}: {b['tf_true']} of {b['tf']} true/false items are true (want {lo}-{hi})"


@pytest.mark.parametrize("band", ["9-11", "12-14", "15-18"])
def test_multiple_select_items_have_three_distractors(figures, band):
    few = {k: n for k, n in figures[band]["distractors"].items() if n < 3}
    assert not few, f"{band}: multiple-select items with fewer than three distractors: {few}"


def test_feedback_teaches_without_a_verdict_word(quizzes):
    bad = []
    for q, it in _non_ordering(quizzes):
        if it["type"] == "truefalse":
            texts = [it.get("feedback_true"), it.get("feedback_false")]
        else:
            texts = [o.get("feedback") for o in it.get("options", []) + it.get("chat", [])]
        for t in texts:
            if not t or not t.strip():
                bad.append(f"{q['id']}:{it['id']}: an option without feedback")
            elif VERDICT.match(t):
                bad.append(f"{q['id']}:{it['id']}: {t[:40]}")
    assert not bad, "\n".join(bad)


def test_wolak_finding_never_stands_alone(quizzes):
    """The 2008 arrest-data finding is always paired with the sextortion source that shows peer-posing accounts."""
    for q, it in _non_ordering(quizzes):
        if "wolak2008" in (it.get("sources") or []):
            assert "ncmec-sextortion-data-2024" in it["sources"], f"{q['id']}:{it['id']} cites Wolak without NCMEC 2024"


def test_child_trafficking_needs_no_means(quizzes):
    q = next(q for q in quizzes if q["id"] == "q1214-4")
    it = next(it for it in q["items"] if it["id"] == "trafficking-child")
    key = next(o for o in it["options"] if o.get("correct"))
    assert "even if the child agreed" in key["text"]
    assert all("trick" not in o["text"].lower() for o in it["options"] if o.get("correct"))


def test_a_lone_gift_is_not_flagged(quizzes):
    """One gift with no secret, debt or favour attached is not a warning sign on its own (the lessons' rule)."""
    for q, it in _non_ordering(quizzes):
        for line in it.get("chat", []):
            t = line["text"].lower()
            lone_gift = re.search(r"\b(free|gift|here are)\b.*\b(gems|coins)\b|\b(gems|coins)\b.*\bgift\b", t) and not re.search(
                r"don't tell|secret|owe|pay me|back", t)
            if lone_gift:
                assert line["flag"] is False, f"{q['id']}:{it['id']}: a lone gift is flagged: {line['text']}"


# Names the content review found on people who groom, recruit or blame in one band and on ordinary
# young people in another, or pointing at one ethnic group.
RECAST = {"Kai", "Dev", "Kemal", "Kofi", "Rayan", "Rico"}


def test_people_who_harm_do_not_carry_recast_names(quizzes):
    for q, it in _non_ordering(quizzes):
        for line in it.get("chat", []):
            if line["flag"] is True:
                assert line["from"] not in RECAST, f"{q['id']}:{it['id']}: '{line['from']}' sends a harmful line"
        for o in it.get("options", []):
            assert not re.search(r"\b(Rico|Kemal)\b", o["text"]), f"{q['id']}:{it['id']}: {o['text']}"


def test_ids_are_unique_within_each_quiz(quizzes):
    for q in quizzes:
        ids = [it["id"] for it in q["items"]]
        assert len(ids) == len(set(ids)), q["id"]


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else QUIZZES
    print(report(load_quizzes(folder)))
