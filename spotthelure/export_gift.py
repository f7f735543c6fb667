"""Moodle GIFT export of a quiz bank. Ordering items become matching questions (step -> place)."""
from __future__ import annotations

from .text import plain

# Moodle accepts only these partial-credit percentages.
_WEIGHTS = {1: "100", 2: "50", 3: "33.33333", 4: "25", 5: "20", 6: "16.66667"}


def esc(s) -> str:
    """Escape GIFT's special characters and keep every item on its lines."""
    s = plain(str(s))
    for ch in "\\~=#{}:":
        s = s.replace(ch, "\\" + ch)
    return s.replace("\r", " ").replace("\n", "\\n")


def _item(qid: str, it: dict) -> str:
    head = f"::{esc(qid + '/' + it['id'])}::{esc(it['prompt'])} "
    t = it["type"]
    if t == "single":
        body = "\n".join(f"{'=' if o.get('correct') else '~'}{esc(o['text'])}#{esc(o['feedback'])}" for o in it["options"])
        return head + "{\n" + body + "\n}"
    if t in ("multiple", "redflags"):
        opts = it["options"] if t == "multiple" else [
            {"text": f"{c['from']}: {c['text']}", "correct": c["flag"], "feedback": c["feedback"]} for c in it["chat"]]
        right = sum(1 for o in opts if o.get("correct"))
        wrong = len(opts) - right
        lines = []
        for o in opts:
            w = _WEIGHTS[right] if o.get("correct") else "-" + _WEIGHTS[max(wrong, 1)]
            lines.append(f"~%{w}%{esc(o['text'])}#{esc(o['feedback'])}")
        return head + "{\n" + "\n".join(lines) + "\n}"
    if t == "truefalse":
        # {T#shown when wrong#shown when right}
        ans = bool(it["answer"])
        wrong_fb = it["feedback_false"] if ans else it["feedback_true"]
        right_fb = it["feedback_true"] if ans else it["feedback_false"]
        return head + "{" + ("TRUE" if ans else "FALSE") + f"#{esc(wrong_fb)}#{esc(right_fb)}" + "}"
    if t == "ordering":
        pairs = "\n".join(f"={esc(s['text'])} -> {n}" for n, s in enumerate(it["steps"], 1))
        return head + "{\n" + pairs + "\n}"
    raise ValueError(t)


def quiz_to_gift(q: dict) -> str:
    out = [f"// {plain(q['title'])} ({q['id']}, version {q['version']}, {q['language']}, ages {q['age_band']})",
           "// Spot the Lure, CC BY-SA 4.0", f"$CATEGORY: spotthelure/{q['id']}", ""]
    for it in q["items"]:
        out += [_item(q["id"], it), ""]
    return "\n".join(out)
