"""Lesson and workshop pages describe each role-play as it is written: who plays whom, the
empty chair for the young person who is targeted, the scene timings, the set-up, the debrief and
stepping out of role; and no page promises 'not in trouble' without saying for what."""
from __future__ import annotations

import re

import pytest

from conftest import ROOT, book_project, load_yaml

PR = book_project()
LESSONS = sorted(PR.lessons.values(), key=lambda p: p.rel)
LEARNER_BANDS = {"9-11", "12-14", "15-18"}
PAGES = sorted([*(ROOT / "book" / "teachers").glob("ages-*/[1-5]-*.md"),
                *(ROOT / "book" / "facilitators").glob("*.md")])

# The same rule as tests/test_stories.py uses for activities.
BLANKET = re.compile(r"(?:\bnot|n't|\bnever) (?:be |get you )?in trouble\b(?! for)(?!\?)", re.I)
TARGET = re.compile(r"(\w+)\s+is\s+(?:a\s+character\s+)?in\s+the\s+story,\s+(?:not\s+a\s+role|but\s+nobody\s+plays)")


def flat(text: str) -> str:
    return " ".join(text.split())


def roleplay(rp_id: str) -> dict:
    return load_yaml((ROOT / "activities" / "roleplays" / f"{rp_id}.yml").read_text(encoding="utf-8"))


def target(rp: dict) -> str | None:
    """The young person whom nobody plays (an empty chair stands for them), if the script has one."""
    m = TARGET.search(rp["setting"])
    return m.group(1) if m else None


def step_text(step: dict) -> str:
    parts = [step.get("title", "")]
    do = step.get("do") or []
    parts += do if isinstance(do, list) else [do]
    parts.append(step.get("say") or "")
    return flat(" ".join(str(p) for p in parts))


def step_problems(text: str, rp: dict) -> list[str]:
    """What a lesson step says about its role-play that the role-play does not say."""
    out = []
    low = text.lower()
    playable = [r for r in rp["roles"] if r["kind"] != "young-person"]
    for r in playable:
        name = re.sub(r"^the ", "", r["name"], flags=re.I)
        if name.lower() not in low:
            out.append(f"does not name the role {r['name']}")
    if not any(r["kind"] == "observer" for r in rp["roles"]) and "observer" in low:
        out.append("mentions an observer, but the role-play has none")
    who = target(rp)
    if who:
        if "empty chair" not in low:
            out.append(f"no empty chair for {who}")
        for bad in (rf"\bread (?:his|her|their) lines\b", rf"\bwants to (?:play|be) {who}\b",
                    rf"\bswap out of {who}'s role\b", rf"(?<!nobody )(?<!no learner )\bplays? {who}\b(?!'s)",
                    rf"\bgroups of (?:three or )?(?:four|three) - {who}\b(?!'s)", rf"- {who}, his\b|- {who}, her\b"):
            if re.search(bad, text, re.I):
                out.append(f"a learner plays {who}: {re.search(bad, text, re.I).group(0)!r}")
    scenes = [s["minutes"] for s in rp["scenes"]]
    for m in re.finditer(r"\((\d+) minutes in all\)|(\d+) in all\)", text):
        n = int(m.group(1) or m.group(2))
        if n != sum(scenes):
            out.append(f"scenes take {n} minutes in all, the role-play says {sum(scenes)}")
    for m in re.finditer(r"\((\d+), (\d+) and (\d+) minutes", text):
        if [int(g) for g in m.groups()] != scenes:
            out.append(f"scene minutes {m.group(0)[1:]} differ from the role-play's {scenes}")
    for m in re.finditer(r"\((\d+) minutes each", text):
        if any(s != int(m.group(1)) for s in scenes):
            out.append(f"scenes of {m.group(1)} minutes each, the role-play says {scenes}")
    for m in re.finditer(r"Set up \(about (\d+) minutes?\)", text):
        if int(m.group(1)) != 3:
            out.append(f"set-up of {m.group(1)} minutes, the role-play says 3")
    for m in re.finditer(r"last (\d+) minutes for the debrief", text):
        if int(m.group(1)) != 7:
            out.append(f"{m.group(1)} minutes for debrief and stepping out, the role-play says 5 + 2")
    note = " ".join(rp["facilitator_notes"])
    said = re.search(r"says their own name and ([^.]+)\.", note, re.I)
    if said and "their own name and" in low and said.group(1).lower() not in low:
        out.append(f"stepping out of role differs from the role-play ({said.group(1)!r})")
    return out


RP_STEPS = [(lesson, step) for lesson in LESSONS for step in lesson.front["lesson"]["steps"]
            if str(step.get("activity", "")).startswith("rp-")]


def test_every_learner_roleplay_is_used_by_a_lesson_step():
    used = {step["activity"] for _, step in RP_STEPS}
    learner = {p.stem for p in (ROOT / "activities" / "roleplays").glob("*.yml")
               if LEARNER_BANDS & set(roleplay(p.stem)["audience"])}
    assert learner <= used, sorted(learner - used)


@pytest.mark.parametrize("lesson,step", RP_STEPS, ids=lambda x: getattr(x, "rel", None) or x.get("activity"))
def test_lesson_roleplay_step_matches_its_roleplay(lesson, step):
    assert step_problems(step_text(step), roleplay(step["activity"])) == [], lesson.rel


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.rel.rsplit("/", 1)[-1])
def test_lesson_safeguarding_text_has_no_played_target(lesson):
    safeguarding = flat(" ".join(map(str, dict(lesson.front["lesson"].get("safeguarding") or {}).values())))
    support = flat(" ".join(map(str, lesson.front["lesson"].get("differentiation", {}).get("support", []))))
    for step in lesson.front["lesson"]["steps"]:
        if str(step.get("activity", "")).startswith("rp-"):
            rp = roleplay(step["activity"])
            who = target(rp)
            for text in (safeguarding, support):
                assert not re.search(r"\bread (?:his|her) lines\b", text), lesson.rel
                if who:
                    assert not re.search(rf"{who} is played\b|swap out of {who}'s role", text), lesson.rel
                if not any(r["kind"] == "observer" for r in rp["roles"]):
                    assert "observer" not in text.lower(), lesson.rel


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_no_page_promises_not_in_trouble_without_saying_for_what(page):
    text = flat(page.read_text(encoding="utf-8").replace("*", ""))  # emphasis is not a word
    hits = [m.group(0) for m in BLANKET.finditer(text)]
    assert hits == [], page.relative_to(ROOT)


def test_the_peer_session_runs_helping_a_friend_as_written():
    text = flat((ROOT / "book" / "facilitators" / "peer-education.md").read_text(encoding="utf-8"))
    part = text.split("Role-play: Helping a friend", 1)[1].split("### Part 5", 1)[0]
    rp = roleplay("rp-helping-a-friend")
    for r in rp["roles"]:
        assert r["name"] in part
    assert "empty chair" in part and "observer" not in part.lower()
    assert not re.search(r"(?<!Nobody )plays? Jo\b(?!'s)|Jo's lines", part)


# The checks must be able to fail: each broken case below is text the pages used to carry.
OLD_STEP = ("Role-play: helping Leo get help Set up (about 2 minutes): form the groups you planned, "
            "hand out the role cards, and remind everyone that they can swap to the observer role. "
            "In groups of three or four - Leo, his friend Nadia, his uncle Mr Osei and an observer. "
            "If nobody wants to play Leo, read his lines yourself. Run the three scenes with the "
            "timings on the role-play (18 minutes in all). Keep at least the last 5 minutes for the "
            "debrief and for stepping out of role. Each learner says their own name and one thing "
            "they are doing this weekend.")


def test_the_step_check_catches_an_out_of_date_step():
    problems = step_problems(OLD_STEP, roleplay("rp-sextortion-getting-help"))
    joined = " | ".join(problems)
    for expected in ("does not name the role Ezra", "does not name the role Narrator", "observer",
                     "no empty chair for Milan", "read his lines", "18 minutes in all",
                     "set-up of 2 minutes", "5 minutes for debrief", "stepping out of role differs"):
        assert expected in joined, (expected, problems)


def test_the_step_check_catches_a_learner_playing_the_target():
    rp = roleplay("rp-gang-job-offer")
    text = ("Set up (about 3 minutes), put an empty chair for Jamal. In groups of four - Jamal, his "
            "friends Ali and Sofia, Ms Costa and the Narrator. Learners play Jamal.")
    assert any("a learner plays Jamal" in p for p in step_problems(text, rp))
    ok = text.replace("In groups of four - Jamal, his friends", "Friends").replace("Learners play Jamal.", "Nobody plays Jamal.")
    assert step_problems(ok, rp) == []


def test_the_scene_timing_check_reads_each_form():
    rp = roleplay("rp-safe-unsafe-secrets")  # scenes 3, 5 and 4
    base = "Kofi Mia Mr Haddad Spotter empty chair "
    assert step_problems(base + "Run the three scenes (3, 5 and 4 minutes, 12 in all).", rp) == []
    assert step_problems(base + "Run the three scenes (4, 6 and 5 minutes) with all groups.", rp)
    assert step_problems(base + "Run the scenes (5 minutes each, 15 in all).", rp)


def test_the_blanket_rule_catches_an_unconditional_promise():
    assert BLANKET.search("they will not be in trouble, even if they already sent something")
    assert BLANKET.search("You won't be in trouble.")
    assert not BLANKET.search("they will not be in trouble for telling, even if they already sent something")
