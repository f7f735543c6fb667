"""Numbers in right-to-left text.

A number is read from left to right in Arabic too, but a phone number written in groups (116 111,
0 800 500 225, +46 8 123 45 67) is not one number to the Unicode bidirectional algorithm: in a
right-to-left line, the space between two groups takes the line's direction, so the groups are laid
out from right to left and 116 111 shows as "111 116". A child who reads a helpline that way calls
the wrong number.

:func:`isolate_numbers` puts each such run of digit groups between U+2066 LEFT-TO-RIGHT ISOLATE and
U+2069 POP DIRECTIONAL ISOLATE (what ``<bdi dir="ltr">`` does in HTML, as characters), so the run
keeps its order wherever the text goes: a page, a printable, an offline file, an LMS package, a
plain-text export. Both are invisible format characters; a screen reader does not read them.

It is applied to the text of a right-to-left language where the text enters the output: the
content's translations and the local contacts (:func:`spotthelure.translate.apply`), the contacts
of the country fact sheets, and the text of the book's translated pages (the Sphinx extension).
A single number (112), a range (9–11), a date or a decimal is left as it is: the algorithm already
keeps each of them whole.
"""
from __future__ import annotations

import re

LRI, PDI = "\u2066", "\u2069"

_SEP = "[ \u00a0\u202f\u2009]"                 # a space, a no-break space, a narrow or thin space
_GROUP = r"\d+(?:[-\u2010\u2011]\d+)*"          # digits, maybe joined by hyphens (020-91)
# Two groups or more joined by single spaces (maybe after a plus: +46 8 123 45 67); not part of a
# longer word or number, and not already isolated.
_RUN = re.compile(rf"(?<![\w\u2066+\-\u2010\u2011.,])(\+?{_GROUP}(?:{_SEP}{_GROUP})+)(?![\w\u2069])")
_ISOLATED = re.compile(f"({LRI}[^{LRI}{PDI}]*{PDI})")


def isolate_numbers(text: str) -> str:
    """``text`` with each run of digit groups (a phone number) isolated left to right. Text that
    holds none is returned as it is; text already isolated is not isolated again."""
    if not isinstance(text, str) or not _RUN.search(text):
        return text
    # what is isolated already stays as it is (a text isolated twice is isolated once)
    out = "".join(part if part.startswith(LRI) else _RUN.sub(lambda m: LRI + m.group(1) + PDI, part)
                  for part in _ISOLATED.split(text))
    if out == text:
        return text
    return out if type(text) is str else type(text)(out)     # a marked text (English) keeps its mark

