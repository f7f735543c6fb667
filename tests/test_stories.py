"""Chat stories and role-plays keep their safety rules: a stuck ending leads back to practice,
threat stories carry the safe-messaging line, and nobody plays the targeted young person."""
from __future__ import annotations

import re

import pytest
import yaml

from spotthelure import checks
from spotthelure.yamlload import parse_yaml
from conftest import ROOT, load_yaml

SCENARIOS = sorted((ROOT / "activities" / "scenarios").glob("*.yml"))
ROLEPLAYS = sorted((ROOT / "activities" / "roleplays").glob("*.yml"))
SAMPLE = (ROOT / "tests" / "data" / "scenario-sample.yml").read_text(encoding="utf-8")

# Stories about a threat to share a picture: their stuck endings speak to a reader who may be
# living it (safe-messaging norms, RESEARCH.md rule 10).
THREAT_STORIES = {"sc-1214-fake-peer", "sc-1518-fake-peer", "sc-1518-deepfake-threat", "sc-1214-new-follower"}
SAFE_MESSAGING = [re.compile(r"hurting yourself"), re.compile(r"talk to someone now"),
                  re.compile(r"can be sorted out")]
LEARNER_BANDS = {"9-11", "12-14", "15-18"}


def load(path):
    return load_yaml(path.read_text(encoding="utf-8"))


def stuck_endings_without_a_way_back(s: dict) -> list[str]:
    """Stuck endings that do not lead back to a choice that led there."""
    into: dict[str, set[str]] = {}
    for n in s["nodes"]:
        for c in n.get("choices", []):
            into.setdefault(c["next"], set()).add(n["id"])
    bad = []
    for n in s["nodes"]:
        if n.get("ending") != "stuck":
            continue
        back = {c["next"] for c in n.get("choices", [])}
        if not back or not back <= into.get(n["id"], set()):
            bad.append(n["id"])
    return bad


def safe_messaging_missing(s: dict) -> list[str]:
    return [n["id"] for n in s["nodes"] if n.get("ending") == "stuck"
            and not all(p.search(n.get("feedback", "")) for p in SAFE_MESSAGING)]


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_stuck_ending_leads_back_to_the_last_choice(path):
    s = load(path)
    assert [n for n in s["nodes"] if n.get("ending") == "stuck"], f"{path.name}: no stuck ending"
    assert stuck_endings_without_a_way_back(s) == []


def test_the_way_back_rule_catches_a_terminal_stuck_ending():
    s = load_yaml(SAMPLE)
    assert stuck_endings_without_a_way_back(s) == ["end-stuck"]
    # A way back to a node that never led there is not "the last choice" either.
    stuck = next(n for n in s["nodes"] if n["id"] == "end-stuck")
    stuck.update(prompt="Try again?", choices=[{"text": "Back", "next": "n1", "feedback": "Again."}])
    assert stuck_endings_without_a_way_back(s) == ["end-stuck"]
    stuck["choices"][0]["next"] = "n2"
    assert stuck_endings_without_a_way_back(s) == []


def test_threat_stories_exist_and_carry_the_safe_messaging_line():
    ids = {load(p)["id"] for p in SCENARIOS}
    assert THREAT_STORIES <= ids
    for p in SCENARIOS:
        s = load(p)
        if s["id"] in THREAT_STORIES:
            assert safe_messaging_missing(s) == [], p.name
    sample = load_yaml(SAMPLE)
    assert safe_messaging_missing(sample) == ["end-stuck"]


@pytest.mark.parametrize("sid,lesson,band", [("sc-1214-fake-peer", "l1214-2", "12-14"),
                                              ("sc-1518-fake-peer", "l1518-2", "15-18")])
def test_fake_peer_stories(sid, lesson, band):
    s = load(ROOT / "activities" / "scenarios" / f"{sid}.yml")
    assert (s["lesson"], s["age_band"]) == (lesson, band)
    kinds = {n.get("ending") for n in s["nodes"]}
    assert {"helped", "safer", "stuck"} <= kinds
    text = yaml.safe_dump(s).lower()
    for must in ("don't pay", "take it down", "report remove", "screenshot", "not in trouble for"):
        assert must in text, must
    choices = [c for n in s["nodes"] for c in n.get("choices", [])]
    pay = [c for c in choices if c["text"].lower().startswith("pay")]
    assert any("rarely" in c["feedback"] and "more" in c["feedback"] for c in pay), \
        "a pay choice whose feedback explains that paying rarely ends it (they come back for more)"


def test_only_a_stuck_ending_may_offer_choices():
    ok = SAMPLE.replace("    feedback: Ana can still stop and tell someone at any time.\n",
                        "    feedback: Ana can still stop and tell someone at any time.\n"
                        "    prompt: Go back?\n    choices:\n      - text: Back\n        next: n2\n"
                        "        feedback: Try again.\n")
    assert ok != SAMPLE
    assert checks.check_scenario(parse_yaml(ok, "s.yml"), "s.yml") == []
    no_prompt = ok.replace("    prompt: Go back?\n", "")
    msgs = [p.message for p in checks.check_scenario(parse_yaml(no_prompt, "s.yml"), "s.yml")]
    assert any("needs a 'prompt'" in m for m in msgs), msgs
    helped = ok.replace("ending: stuck", "ending: safer")
    msgs = [p.message for p in checks.check_scenario(parse_yaml(helped, "s.yml"), "s.yml")]
    assert any("only a 'stuck' ending can have choices" in m for m in msgs), msgs


def learner_roleplays():
    return [(p, load(p)) for p in ROLEPLAYS if LEARNER_BANDS & set(load(p)["audience"])]


def texts(node):
    """Every string in a loaded YAML document, whitespace collapsed."""
    if isinstance(node, str):
        yield " ".join(node.split())
    elif isinstance(node, dict):
        for v in node.values():
            yield from texts(v)
    elif isinstance(node, list):
        for v in node:
            yield from texts(v)


def played_targets(r: dict) -> list[str]:
    return [role["id"] for role in r["roles"] if role["kind"] == "young-person"]


def timing_problems(r: dict) -> list[str]:
    """Set-up 3 + scenes + debrief 5 + stepping out of role 2 must fit in the duration, and the
    facilitator notes must say so in the same numbers."""
    scenes = sum(s["minutes"] for s in r["scenes"])
    out = []
    if r["duration"] < scenes + 10:
        out.append(f"duration {r['duration']} < scenes {scenes} + set-up 3 + debrief 5 + de-role 2")
    note = f"Timing, {r['duration']} minutes: set-up 3"
    if not any(note in t and f"debrief 5, stepping out of role 2" in t for t in r["facilitator_notes"]):
        out.append(f"no facilitator note starting {note!r}")
    return out


def test_nobody_plays_the_targeted_young_person():
    rps = learner_roleplays()
    assert len(rps) >= 10
    for p, r in rps:
        assert played_targets(r) == [], f"{p.name}: a learner plays the targeted young person"
        cards = " ".join(role["card"] for role in r["roles"])
        for first_person_distress in ("You feel sick", "You feel trapped", "You feel ashamed",
                                      "You feel embarrassed", "feel funny inside", "You think you might be in trouble"):
            assert first_person_distress not in cards, (p.name, first_person_distress)


def test_the_rule_catches_a_played_target():
    r = load(ROOT / "tests" / "data" / "roleplay-sample.yml")
    r["roles"].append({"id": "x", "name": "X", "kind": "young-person", "card": "You are X."})
    assert played_targets(r) == ["x"]


def test_roleplays_fit_their_time():
    for p, r in learner_roleplays():
        assert timing_problems(r) == [], p.name
    r = load(ROOT / "activities" / "roleplays" / "rp-helping-a-friend.yml")
    r["scenes"][0]["minutes"] += 1
    assert timing_problems(r) and "scenes 15" in timing_problems(r)[0]


def test_not_in_trouble_is_said_precisely():
    """'Not in trouble' always says for what (telling, asking for help): never a blanket promise."""
    blanket = re.compile(r"(?:\bnot|n't|\bnever) (?:be |get you )?in trouble\b(?! for)(?!\?)", re.I)
    loose = []
    for p in SCENARIOS + ROLEPLAYS:
        for t in texts(load(p)):
            loose += [f"{p.name}: {m.group(0)}" for m in blanket.finditer(t)]
    assert loose == []
    assert blanket.search("You won't be in trouble.") and not blanket.search("You're not in trouble for telling me.")


def test_helping_a_friend_practises_the_threat_objective():
    r = load(ROOT / "activities" / "roleplays" / "rp-helping-a-friend.yml")
    everything = " ".join(texts(r)).lower()
    for must in ("threat", "don't pay", "screenshot", "take it down", "trusted adult"):
        assert must in everything, must
