"""Reading level of student-facing text, by age band (Flesch-Kincaid grade)."""
from __future__ import annotations

import re

from functools import lru_cache

import pyphen

from .text import plain

_DIC = pyphen.Pyphen(lang="en_US")
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")

LIMITS = {"9-11": 5.0, "12-14": 7.0, "15-18": 9.0}


def _sentences(s: str) -> str:
    s = plain(str(s)).strip()
    s = re.sub(r"[_#>`]", " ", s)
    if s and s[-1] not in ".!?":
        s += "."
    return s


def student_text(kind: str, obj: dict) -> list[str]:
    """The texts a learner reads in an activity, as sentences."""
    out: list[str] = []
    add = lambda *xs: out.extend(_sentences(x) for x in xs if isinstance(x, str))  # noqa: E731
    if kind == "quiz":
        for it in obj.get("items", []):
            add(it.get("prompt"), it.get("feedback_true"), it.get("feedback_false"))
            for o in it.get("options", []) + it.get("chat", []) + it.get("steps", []):
                add(o.get("text"), o.get("feedback"))
    elif kind == "scenario":
        add(obj.get("title"), obj.get("summary"))
        for n in obj.get("nodes", []):
            add(n.get("title"), n.get("prompt"), n.get("feedback"))
            for m in n.get("messages", []):
                add(m.get("text"))
            for c in n.get("choices", []):
                add(c.get("text"), c.get("feedback"))
    elif kind == "roleplay":
        add(obj.get("setting"))
        for r in obj.get("roles", []):
            add(r.get("card"))
        for p in obj.get("props", []):
            for line in p.get("lines", []):
                add(line.get("text"))
    return out


def markdown_text(body: str) -> list[str]:
    """Sentences of a MyST page, without directives, tables, front matter and link targets."""
    out = []
    fence = False
    for line in body.splitlines():
        s = line.strip()
        if s.startswith(("```", ":::")):
            fence = not fence if s in ("```", ":::") or not fence else fence
            continue
        if fence or not s or s.startswith(("|", "<", "{", "%")):
            continue
        s = re.sub(r"\{[a-z]+\}`[^`]*`", "", s)
        s = re.sub(r"^[-*+] |^\d+\. |^#+ ", "", s)
        out.append(_sentences(s))
    return out


@lru_cache(maxsize=None)
def syllables(word: str) -> int:
    """Syllables of a word from the en_US hyphenation dictionary (at least one)."""
    w = word.lower().replace("’", "'")
    if w.isdigit():
        return max(1, len(w))
    return max(1, len(_DIC.positions(w)) + 1)


def flesch_kincaid(text: str) -> float:
    """Flesch-Kincaid grade: 0.39 (words/sentences) + 11.8 (syllables/words) - 15.59."""
    words = _WORD.findall(text)
    if not words:
        return 0.0
    n_sent = max(1, len(_SENTENCE_END.findall(text)))
    n_syl = sum(syllables(w) for w in words)
    return 0.39 * len(words) / n_sent + 11.8 * n_syl / len(words) - 15.59


def grade(sentences: list[str]) -> float:
    text = " ".join(x for x in sentences if x)
    return round(flesch_kincaid(text), 1) if text.strip() else 0.0
