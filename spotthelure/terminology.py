"""Words the book does not use (Luxembourg Terminology Guidelines, 2016), with what to say instead."""
from __future__ import annotations

import re

from .problems import Problem

RULES = [
    (r"child(ren)?[- ]porn(ography)?|kiddie[- ]porn", "say 'child sexual abuse material' (CSAM): it is a record of abuse, not pornography"),
    (r"child(ren)?[- ]prostitut\w*|teen(age)?[- ]prostitut\w*|underage (sex worker|prostitut\w*)",
     "say 'a child who is sexually exploited' / 'sexual exploitation of children': a child cannot consent"),
    (r"stranger[- ]danger", "describe behaviours (secrecy, gifts, pressure) by anyone, known or unknown: most harm comes from people a child knows"),
    (r"\bpredators?\b", "describe the behaviour: 'a person who grooms', 'someone who exploits'"),
    (r"\brevenge porn\w*", "say 'image-based abuse' or 'sharing intimate images without consent'"),
    (r"\bjail[- ]?bait\b", "never use this word; it blames the child"),
    (r"\bjoined (a|the) gang\b", "say 'was recruited into crime' (or 'exploited by a criminal group')"),
    (r"\bchild (sex )?tourism\b", "say 'sexual exploitation of children in travel and tourism'"),
]
_COMPILED = [(re.compile(p, re.I), why) for p, why in RULES]

# The one page that names these words to explain why the book does not use them.
DISCUSSES_TERMS = {"book/words-we-use.md"}


def lint_text(text: str, path: str, first_line: int = 1) -> list[Problem]:
    out = []
    for n, line in enumerate(text.splitlines(), start=first_line):
        for rx, why in _COMPILED:
            m = rx.search(line)
            if m:
                out.append(Problem(path, n, f"'{m.group(0)}': {why}"))
    return out
