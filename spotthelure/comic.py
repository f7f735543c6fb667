"""A chat story as a printable comic strip, drawn from the story's data (never redrawn by hand).

The strip follows the shortest path from the start to an ending where the young person gets help
(``ending: helped``): one panel per step with the chat as speech bubbles and, under it, the choice the
young person makes; the last choice before help is drawn as its own *turning point* panel (the
question, the choice, and why it helps); the last panel is the ending. Text stays text: every word is
an SVG ``<text>`` element (selectable, searchable, translatable), wrapped by measuring it in the print
font, and the whole strip has a title and a description that reads it out in order.

The SVG goes through the one escaping template renderer (Jinja2 with autoescape), so story text with
``<``, ``&`` or quotes shows as the text it is.
"""
from __future__ import annotations

import copy

import functools
from collections import deque
from dataclasses import dataclass, field

from .i18n import _
from .model import as_model
from .templating import render
from .text import plain

# Geometry, in SVG user units (CSS pixels: 96 per inch). An A4 page with 15 mm margins is 680 wide.
WIDTH = 680
GAP = 16
COLS = 2
PANEL_W = (WIDTH - GAP * (COLS - 1)) // COLS
PAD = 10
FONT = 14              # bubble text: 10.5 pt when the strip fills an A4 page between 15 mm margins
SMALL = 12             # names, panel numbers and captions: 9 pt
LINE = 1.3             # line height, in font sizes
AVATAR = 13            # radius of the initial's circle
PAGE_HEIGHT = 880      # of panels on one A4 page, under the page's heading, between 15 mm margins
BUBBLE_MAX = PANEL_W - 2 * PAD - 2 * AVATAR - 18

# Fill colours by character role: light, so black text keeps a contrast above 12:1 on each.
FILL = {"learner": "#dbeafe", "contact": "#eeeeee", "friend": "#fef3c7", "adult": "#dcfce7"}


@functools.lru_cache(maxsize=1)
def _font():
    """DejaVu Sans, the print font, from matplotlib's copy (locked); ``None`` if it cannot load."""
    try:
        from matplotlib import font_manager
        from matplotlib.ft2font import FT2Font
        return FT2Font(font_manager.findfont("DejaVu Sans", fallback_to_default=True))
    except Exception:   # a missing font only makes the wrap estimate rougher
        return None


@functools.lru_cache(maxsize=65536)
def text_width(s: str, size: float) -> float:
    """The width of ``s`` at ``size`` in DejaVu Sans, in the same units as ``size``."""
    font = _font()
    if font is None:
        return len(s) * size * 0.62
    font.set_size(size, 72)
    font.set_text(s, 0.0)
    return font.get_width_height()[0] / 64.0


# The most the width of two runs of words set with a space between them can differ from the sum of
# their widths and a space's, in font sizes (kerning at the space; none was seen in any language).
JOIN_SLACK = 0.25


def _fits(cur: str, cur_width: float, joins: int, word: str, size: float, width: float) -> tuple[bool, float, int]:
    """Whether ``cur`` and ``word`` fit on one line, and the width and the number of joins since
    the line was last measured: the sum of the widths decides unless it is within the joins' slack
    of ``width``, where the line is measured (the same answer as measuring it, most words unmeasured)."""
    guess = cur_width + text_width("x x", size) - 2 * text_width("x", size) + text_width(word, size)
    slack = (joins + 1) * JOIN_SLACK * size
    if guess + slack <= width:
        return True, guess, joins + 1
    if guess - slack > width:
        return False, guess, joins + 1
    measured = text_width(f"{cur} {word}", size)
    return measured <= width, measured, 0


def wrap(s: str, size: float, width: float) -> list[str]:
    """Break ``s`` into lines no wider than ``width``; a word longer than a line is cut."""
    lines: list[str] = []
    cur, cur_width, joins = "", 0.0, 0
    for word in s.split():
        if cur:
            fits, w, j = _fits(cur, cur_width, joins, word, size, width)
            if fits:
                cur, cur_width, joins = f"{cur} {word}", w, j
                continue
        elif text_width(word, size) <= width:
            cur, cur_width, joins = word, text_width(word, size), 0
            continue
        if cur:
            lines.append(cur)
        while text_width(word, size) > width:
            cut = len(word)
            while cut > 1 and text_width(word[:cut], size) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        cur, cur_width, joins = word, text_width(word, size), 0
    if cur:
        lines.append(cur)
    return lines or [""]


@dataclass
class Bubble:
    who: str
    initial: str
    role: str
    right: bool
    lines: list[str]
    x: float = 0
    y: float = 0
    w: float = 0
    h: float = 0


@dataclass
class Panel:
    number: int
    kind: str                      # "chat", "turning" or "ending"
    heading: str
    bubbles: list[Bubble] = field(default_factory=list)
    caption_lines: list[str] = field(default_factory=list)
    narration_lines: list[str] = field(default_factory=list)
    x: float = 0
    y: float = 0
    h: float = 0
    caption_y: float = 0
    narration_y: float = 0


def help_path(story) -> list | None:
    """The shortest walk from the start to a ``helped`` ending: (node, choice taken) pairs, the
    ending last with ``None``. ``None`` when no ending gets help (the validator refuses such a story)."""
    story = as_model(story, "scenario")
    nodes = story.nodes_by_id()
    start = story.start
    prev: dict[str, tuple[str, dict] | None] = {start: None}
    queue = deque([start])
    goal = None
    while queue:
        nid = queue.popleft()
        node = nodes.get(nid)
        if node is None:
            continue
        if node.ending == "helped":
            goal = nid
            break
        for c in node.choices or ():
            if c.next not in prev:
                prev[c.next] = (nid, c)
                queue.append(c.next)
    if goal is None:
        return None
    path: list[tuple[dict, dict | None]] = [(nodes[goal], None)]
    cur = goal
    while prev[cur] is not None:
        pid, choice = prev[cur]
        path.append((nodes[pid], choice))
        cur = pid
    return path[::-1]


def _bubbles(node, people: dict) -> list[Bubble]:
    out = []
    for m in node.messages or ():
        c = people.get(m.from_)
        name, role = (plain(c.name), c.role) if c is not None else (plain(m.from_), "contact")
        out.append(Bubble(who=name, initial=name[:1].upper(), role=role, right=role == "learner",
                          lines=wrap(plain(m.text), FONT, BUBBLE_MAX - 2 * PAD)))
    return out


def panels(story) -> list[Panel]:
    """The panels of the strip, laid out: positions and sizes filled in."""
    story = as_model(story, "scenario")
    path = help_path(story)
    if path is None:
        return []
    people = {c.id: c for c in story.characters}
    learner = next((plain(c.name) for c in story.characters if c.role == "learner"), "")
    inner = PANEL_W - 2 * PAD
    out: list[Panel] = []
    turning = max((i for i, (_n, c) in enumerate(path) if c is not None), default=None)
    for i, (node, choice) in enumerate(path):
        if choice is None:          # the ending
            p = Panel(len(out) + 1, "ending", plain(node.title or ""), _bubbles(node, people))
            p.caption_lines = wrap(plain(node.feedback or ""), SMALL, inner - 2 * PAD)
            out.append(p)
            continue
        bubbles = _bubbles(node, people)
        if i == turning:
            if bubbles:
                out.append(Panel(len(out) + 1, "chat", "", bubbles))
            p = Panel(len(out) + 1, "turning", _("Turning point"))
            p.narration_lines = wrap(plain(node.prompt or ""), FONT, inner - 2 * PAD)
            p.bubbles = [Bubble(who=learner, initial=learner[:1].upper(), role="learner", right=True,
                                lines=wrap(plain(choice.text), FONT, BUBBLE_MAX - 2 * PAD))]
            p.caption_lines = wrap(plain(choice.feedback or ""), SMALL, inner - 2 * PAD)
            out.append(p)
            continue
        p = Panel(len(out) + 1, "chat", "", bubbles)
        p.caption_lines = wrap(_("{name} chooses: {choice}").format(name=learner, choice=plain(choice.text)),
                               SMALL, inner - 2 * PAD)
        out.append(p)
    _layout(out)
    return out


def _layout(ps: list[Panel]) -> None:
    lh, slh = FONT * LINE, SMALL * LINE
    for p in ps:
        y = PAD + SMALL * 1.6           # below the panel number and heading
        if p.narration_lines:
            p.narration_y = y + FONT
            y += len(p.narration_lines) * lh + PAD
        for b in p.bubbles:
            b.w = max(text_width(line, FONT) for line in b.lines) + 2 * PAD
            b.w = max(b.w, text_width(b.who, SMALL) + 2 * PAD)
            b.h = len(b.lines) * lh + PAD + SMALL * 1.4
            b.y = y
            b.x = (PANEL_W - PAD - 2 * AVATAR - 8 - b.w) if b.right else (PAD + 2 * AVATAR + 8)
            y += b.h + 8
        if p.caption_lines:
            p.caption_y = y + 4
            y += len(p.caption_lines) * slh + 2 * PAD
        p.h = y + PAD
    top = 0.0
    for row in range(0, len(ps), COLS):
        cells = ps[row:row + COLS]
        height = max(p.h for p in cells)
        for col, p in enumerate(cells):
            p.x = col * (PANEL_W + GAP)
            p.y = top
            p.h = height
        top += height + GAP


def pages(ps: list[Panel], page_height: float = PAGE_HEIGHT) -> list[list[Panel]]:
    """The panels cut into printed pages, whole rows at a time, each page no taller than
    ``page_height`` unless one row alone is (then that row has its page); positions restart at the
    top of each page."""
    rows = [ps[i:i + COLS] for i in range(0, len(ps), COLS)]
    out: list[list[Panel]] = []
    used = 0.0
    for row in rows:
        h = row[0].h
        if out and used + h <= page_height:
            out[-1].extend(row)
        else:
            out.append(list(row))
            used = 0.0
        for p in row:
            p.y = used
        used += h + GAP
    return out


def description(ps: list[Panel]) -> str:
    """The strip read out in order: the alt text of the SVG."""
    parts = []
    for p in ps:
        bits = [_("Panel {number}.").format(number=p.number)]
        if p.heading:
            bits.append(p.heading + ".")
        bits += [" ".join(p.narration_lines)] if p.narration_lines else []
        bits += [f"{b.who}: {' '.join(b.lines)}" for b in p.bubbles]
        bits += [" ".join(p.caption_lines)] if p.caption_lines else []
        parts.append(" ".join(bits))
    return " ".join(parts)


def comic_svgs(story, page_height: float = PAGE_HEIGHT) -> list[str]:
    """The comic strip of a valid chat story (a model object, or its checked data): one SVG per
    printed page, each with its own title and read-out description."""
    story = as_model(story, "scenario")
    title = plain(story.title)
    groups = pages(panels(story), page_height)
    if not groups:
        return [_svg(story, _("Comic: {title}").format(title=title), [],
                     _("This story has no ending where the young person gets help."), "")]
    out = []
    for n, ps in enumerate(groups, 1):
        head = (_("Comic: {title}").format(title=title) if len(groups) == 1 else
                _("Comic: {title} (part {part} of {parts})").format(title=title, part=n, parts=len(groups)))
        out.append(_svg(story, head, ps, description(ps), f"-{n}" if len(groups) > 1 else ""))
    return out


def comic_svg(story) -> str:
    """The whole strip as one SVG (for the screen; print uses :func:`comic_svgs`)."""
    return comic_svgs(story, page_height=float("inf"))[0]


def mirror(ps: list[Panel]) -> None:
    """A right-to-left strip: the panels read from the right, and in each panel the young person's
    bubbles and the others' change sides (the positions of :func:`_layout`, reflected)."""
    for p in ps:
        p.x = WIDTH - p.x - PANEL_W
        for b in p.bubbles:
            b.right = not b.right
            b.x = PANEL_W - b.x - b.w


def _svg(story, title: str, ps: list[Panel], desc: str, suffix: str) -> str:
    from .i18n import current_language
    from .translate import direction
    height = (ps[-1].y + ps[-1].h) if ps else 40
    lang = current_language() if current_language() != "en" else (story.language or "en")
    rtl = direction(lang) == "rtl"
    if rtl:
        ps = copy.deepcopy(ps)
        mirror(ps)
    return render("print/comic.svg", story=story, suffix=suffix, title=title, panels=ps, desc=desc,
                  width=WIDTH, height=height, panel_w=PANEL_W, pad=PAD, font=FONT, small=SMALL, line=LINE,
                  avatar=AVATAR, fill=FILL, lang=lang, rtl=rtl)
