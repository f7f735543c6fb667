"""Slides to project for every lesson, drawn from the lesson's front matter (never written twice).

A deck (:func:`deck`) is a list of slides made from the lesson's data, in teaching order:

- the title, and the objectives in the learners' own words: each objective's opening ("Learners
  can") is replaced by the wording its language gives for slides ("I can"), a rule kept as data in
  ``data/languages/<lang>.yml`` (``objectives.for_learners``), never an English literal here;
- the ground rules, as the book keeps them on the teachers' "Before you teach" page (the numbered
  list after its ``(ground-rules)=`` target), with the stepping-out signal; the lesson's opt-out
  note is the speaker note;
- the key questions;
- one slide for each step (split where its instructions are long), with its minutes and clock time,
  and the step's "say" text as the speaker note;
- the props the lesson shows (cards of its handouts, slips with nothing to write on, the printed
  props of its role-plays), a few to a slide in large type, with the handout's teacher note as the
  speaker note;
- the key points, and the Get help box (the lesson page's own box, from ``local.yml``).

:func:`deck_html` renders the deck through ``templates/slides/deck.html`` (reveal.js markup; every
author text is escaped by the one markdown renderer) and adds the page's Content-Security-Policy.
reveal.js comes from the npm registry (``package.json``; ``npm ci`` puts it in ``node_modules``):
:func:`copy_reveal` copies the files a deck needs beside it, so a deck works from ``file://`` and
from the site alike. :func:`write_decks` writes every lesson's deck into ``<site>/slides/``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from . import csp, i18n, pages, text
from .i18n import _, label, pgettext
from .problems import ContentError, Problem

# The files of reveal.js a deck uses, from node_modules/reveal.js/, and where they go beside the deck.
REVEAL_PACKAGE = Path("node_modules") / "reveal.js"
REVEAL_FILES = {"dist/reveal.js": "reveal.js", "dist/reveal.css": "reveal.css",
                "dist/plugin/notes.js": "notes.js", "LICENSE": "LICENSE"}
ASSET_DIR = "reveal"                    # beside the deck: slides/reveal/
# The deck's own style and script, copied beside it with reveal.js (not the book's _static/: no book
# page uses them).
STATIC = Path(__file__).parent / "templates" / "slides"
STATIC_FILES = ("slides.css", "deck.js")

# The teachers' page that holds the book's ground rules, and the target before their list.
GROUND_RULES_PAGE = "book/teachers/before-you-teach.md"
GROUND_RULES_TARGET = "(ground-rules)="

# How much text a slide holds before it is split (characters of plain text), so that nothing
# overflows a projected slide at the deck's type size.
STEP_BUDGET = 580
LIST_BUDGET = 650
PROP_BUDGET = 190
PROPS_PER_SLIDE = 3


@dataclass
class Slide:
    """One slide: its kind (the template's block), heading, and escaped content."""
    kind: str
    heading: str
    items: list = field(default_factory=list)     # Markup list items, or (label, Markup) props
    sub: str = ""                                   # a line under the heading (timing, band)
    notes: Markup | None = None                     # speaker notes (reveal's <aside class="notes">)
    continued: bool = False


def _plain_len(s) -> int:
    return len(text.plain(" ".join(str(s).split())))


def chunks(items: list, budget: int, most: int | None = None, size=_plain_len) -> list[list]:
    """``items`` in runs that each fit ``budget`` characters (and at most ``most`` items); an item longer
    than the budget gets a run of its own."""
    out: list[list] = []
    run: list = []
    used = 0
    for it in items:
        n = size(it)
        if run and (used + n > budget or (most is not None and len(run) >= most)):
            out.append(run)
            run, used = [], 0
        run.append(it)
        used += n
    if run:
        out.append(run)
    return out


# ---- wording for learners ------------------------------------------------------------------------

def for_learners(objective: str, lang: str) -> str:
    """An objective in the learners' words: its opening ("Learners can") replaced by the one its
    language's rules give for slides (``objectives.for_learners`` in ``data/languages/<lang>.yml``,
    e.g. "I can"). Without a rule, or with an opening the rule does not name, the text as written."""
    words = " ".join(str(objective).split())
    rule = ((i18n.rules(lang) or {}).get("objectives") or {}).get("for_learners")
    if not isinstance(rule, dict):
        return words
    for opening, replacement in sorted(rule.items(), key=lambda kv: -len(str(kv[0]))):
        opening = str(opening)
        if words.startswith(opening + " "):
            return f"{replacement}{words[len(opening):]}"
    return words


# ---- the book's ground rules ---------------------------------------------------------------------

def ground_rules(root: Path) -> list[str]:
    """The ground rules the book gives teachers: the numbered list after ``(ground-rules)=`` on the
    "Before you teach" page. ContentError (``path:line: what is wrong``) when the page, the target or
    the list is missing."""
    rel = GROUND_RULES_PAGE
    path = Path(root) / rel
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        raise ContentError([Problem(rel, 1, _("the slides show the book's ground rules from this page, "
                                              "but it cannot be read"))]) from None
    start = next((i for i, ln in enumerate(lines) if ln.strip() == GROUND_RULES_TARGET), None)
    if start is None:
        raise ContentError([Problem(rel, 1, _("the slides show the ground rules listed after a line "
                                              "'{target}' on this page; there is no such line").format(
            target=GROUND_RULES_TARGET))])
    from markdown_it import MarkdownIt
    tokens = MarkdownIt("commonmark").parse("\n".join(lines[start + 1:]))
    rules: list[str] = []
    depth = 0
    for tok in tokens:
        if tok.type == "ordered_list_open":
            depth += 1
        elif tok.type == "ordered_list_close":
            depth -= 1
            if depth == 0:
                break
        elif tok.type == "inline" and depth == 1 and tok.level == 3:
            rules.append(" ".join(tok.content.split()))
        elif depth == 0 and tok.type not in ("paragraph_open", "paragraph_close", "inline"):
            break                       # a heading or other block before any list: no rules here
    if not rules:
        raise ContentError([Problem(rel, start + 1, _("'{target}' must be followed by the numbered list of "
                                                      "ground rules (1. ..., 2. ...)").format(target=GROUND_RULES_TARGET))])
    return rules


def ground_rules_in(root: Path, lang: str) -> list[str]:
    """The ground rules as the "Before you teach" page shows them in ``lang``: each rule from that
    page's catalog (``locales/<lang>/LC_MESSAGES/book/teachers/before-you-teach.po``), as Sphinx
    translates the page; a rule with no translation (or one whose marks differ, which the page would
    not use either) stays in English."""
    from . import pofile, translate
    rules = ground_rules(root)
    if translate.tag(lang) == i18n.SOURCE_LANGUAGE:
        return rules
    po = translate.catalog_path(root, lang, Path(GROUND_RULES_PAGE).with_suffix("").as_posix())
    try:
        found = pofile.entries(po)
    except (OSError, ValueError):
        return rules              # no catalog for the page (its check reports a broken one at its line)
    own = {" ".join(str(m.id).split()): str(m.string) for m in found
           if isinstance(m.id, str) and isinstance(m.string, str) and m.string and not m.fuzzy
           and not translate.markup_difference(m.id, m.string)}
    return [" ".join(own[r].split()) if r in own else r for r in rules]


# ---- the props a lesson shows --------------------------------------------------------------------

def _props(pr, lesson) -> list[tuple[str, list[tuple[str, str]], str]]:
    """(title, [(who or label, text)], note for the teacher) of each prop the lesson shows: the cards of
    its handouts, its slips that have nothing to write on, and the printed props of its role-plays."""
    out = []
    for h in pages.handouts_of(pr, lesson.id):
        m = h.model
        if m is None:
            continue
        if m.layout == "cards":
            cards = [(c.get("from") or c.get("title") or "", c.text) for c in m.cards or ()]
        elif m.layout == "slips" and not any(s.get("lines") for s in m.sections or ()):
            cards = [(s.get("heading") or "", s.text) for s in m.sections or ()]
        else:
            continue
        if cards:
            out.append((m.title, cards, m.for_the_teacher))
    shown = set()
    for s in lesson.steps:
        a = pr.activities.get(s.activity) if s.get("activity") else None
        if a is None or a.kind != "roleplay" or a.model is None or a.id in shown:
            continue
        shown.add(a.id)
        for p in a.model.get("props") or ():
            out.append((p.title, [(ln.from_, ln.text) for ln in p.lines], a.model.safeguarding))
    return out


# ---- the deck ------------------------------------------------------------------------------------

def _md(s) -> Markup:
    return text.inline(" ".join(str(s).split()))


def _notes(s) -> Markup | None:
    return text.block(str(s)) if s else None


def deck(pr, page, root: Path | None = None) -> list[Slide]:
    """The slides of one lesson page (its model must be valid: ``spotthelure validate`` says why not)."""
    L = page.model
    lang = lesson_language(pr, page)
    band = L.age_band
    S: list[Slide] = []
    S.append(Slide("title", L.title, sub=_("{band} · {n} minutes").format(band=label("band", band),
                                                                               n=int(L.duration)),
                   notes=_notes(L.safeguarding.content_note)))
    goals = [_md(for_learners(o.text, lang)) for o in L.objectives]
    S += _split("goals", _("What we are learning today"), goals, LIST_BUDGET)
    rules = [text.inline(r) for r in ground_rules_in(root or pr.root, lang)]
    S.append(Slide("rules", _("Our ground rules"), rules,
                   sub=_("You can step out at any time, without giving a reason: use our signal."),
                   notes=_notes(L.safeguarding.opt_out)))
    S += _split("questions", _("Questions to think about"), [_md(q) for q in L.key_questions], LIST_BUDGET)
    t = 0
    for s in L.steps:
        m = int(s.minutes)
        sub = _("{m} min · minutes {start}–{end}").format(m=m, start=t, end=t + m)
        t += m
        heading = f"{label('phase', s.phase)}: {' '.join(str(s.title).split())}"
        for i, run in enumerate(chunks([_md(d) for d in s.do], STEP_BUDGET)):
            S.append(Slide("step", heading, run, sub=sub, notes=_notes(s.get("say")), continued=i > 0))
    for title, cards, note in _props(pr, L):
        runs = chunks(cards, PROP_BUDGET, PROPS_PER_SLIDE, size=lambda c: _plain_len(c[0]) + _plain_len(c[1]))
        for i, run in enumerate(runs):
            S.append(Slide("prop", " ".join(str(title).split()),
                           [(" ".join(str(who).split()), _md(body)) for who, body in run],
                           notes=_notes(note), continued=i > 0))
    S += _split("points", _("Key points"), [_md(p) for p in L.key_points], LIST_BUDGET)
    # Get help: the contacts large (name and how to reach them, by kind of help), then the lesson page's
    # own box with every detail. Both come from local.yml, with the entries that fit the band.
    from .helpbox import NOT_IN_TROUBLE, entries
    contacts = [(title, [(" ".join(str(r["name"]).split()), " ".join(str(r["contact"]).split())) for r in rows])
                for _key, title, rows in entries(pr, band)]
    S.append(Slide("contacts", _("Get help"), contacts, sub=_(NOT_IN_TROUBLE)))
    S.append(Slide("help", _("Get help: the details")))
    return S


def _split(kind: str, heading: str, items: list, budget: int) -> list[Slide]:
    return [Slide(kind, heading, run, continued=i > 0) for i, run in enumerate(chunks(items, budget))]


# reveal.js writes a few words of its own into a deck: the names of its arrow buttons, the button that
# ends a pause, the box for a slide's number (G) and the list of keys (?). deck.js puts these words, in
# the deck's language, in their place; reveal.js's help lists its keys with English descriptions,
# which deck.js looks up in ``actions`` (tests/test_slides.py checks that every description reveal.js
# has is there).

def deck_words() -> dict:
    """The words reveal.js shows in a deck, in the current language, for deck.js (the deck's
    ``data-stl-words``)."""
    return {
        "next": _("Next slide"),
        "previous": _("Previous slide"),
        "up": _("Slide above"),
        "down": _("Slide below"),
        "resume": _("Show the slides again"),
        "jump": _("Go to slide number"),
        "help": _("Keyboard shortcuts"),
        "key": pgettext("keyboard shortcuts", "Key"),
        "action": pgettext("keyboard shortcuts", "What it does"),
        "actions": {
            "Next slide": _("Next slide"),
            "Previous slide": _("Previous slide"),
            "Navigate left": _("The slide to the left"),
            "Navigate right": _("The slide to the right"),
            "Navigate up": _("Slide above"),
            "Navigate down": _("Slide below"),
            "Navigate without fragments": _("Move on without showing a slide's parts one by one"),
            "Jump to first/last slide": _("First or last slide"),
            "Pause": _("Pause: a blank screen"),
            "Fullscreen": _("Full screen"),
            "Jump to slide": _("Go to slide number"),
            "Slide overview": _("All the slides at a glance"),
            "Speaker notes view": _("Speaker notes"),
        },
    }


def lesson_language(pr, page) -> str:
    from .wording import page_language
    return page_language(pr, dict(page.typed.get("lesson") or {}))


def deck_html(pr, page, asset_prefix: str = ASSET_DIR + "/", fill_in_href: str | None = None,
              root: Path | None = None) -> str:
    """The deck of one lesson page as a complete HTML page with its Content-Security-Policy."""
    from .templating import markup, render
    lang = lesson_language(pr, page)
    with i18n.language(lang):
        slides = deck(pr, page, root)
        box = pages.help_box_html(pr, page.model.age_band, 2, fill_in_href=fill_in_href)
        html = render("slides/deck.html", lang=lang, title=" ".join(str(page.model.title).split()),
                      slides=slides, help_box=markup(box), assets=asset_prefix, words=deck_words())
    return with_speaker_view(csp.add_meta(html), reveal_dir(root or pr.root))


# ---- the speaker view --------------------------------------------------------------------------
# reveal.js's notes plugin (S) opens a window and writes the speaker view into it: a page with one
# inline script, showing the deck itself in two frames. That window inherits the deck's policy, so the
# policy allows exactly that script (by its hash, taken from the installed plugin) and frames from the
# deck's own folder; nothing else is loosened.

_TEMPLATE_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|.)", re.S)


def _template_text(src: str) -> str:
    """The string a JavaScript template literal (without ``${}``) stands for."""
    simple = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}

    def unescape(m):
        e = m.group(1)
        if e[0] in "xu" and len(e) > 1:
            return chr(int(e[1:], 16))
        if e == "\n":            # a line continuation
            return ""
        return simple.get(e, e)
    return _TEMPLATE_ESCAPE.sub(unescape, src)


def speaker_view_hashes(notes_js: str) -> list[str]:
    """The CSP hashes of the inline scripts of the speaker view the notes plugin writes (none found:
    an empty list, and the speaker view shows its page without running)."""
    start = notes_js.find("document.write(`")
    if start < 0:
        return []
    end = notes_js.find("`", start + len("document.write(`"))
    body = notes_js[start + len("document.write(`"):end]
    if "${" in body:
        return []
    return csp.inline_script_hashes(_template_text(body))


def with_speaker_view(html: str, reveal: Path) -> str:
    hashes = speaker_view_hashes((reveal / "dist/plugin/notes.js").read_text(encoding="utf-8"))
    if not hashes:
        return html
    return (html.replace("script-src 'self'", "script-src 'self' " + " ".join(hashes), 1)
            .replace("frame-src 'none'", "frame-src 'self'", 1))


# ---- reveal.js and the files beside a deck -------------------------------------------------------

def reveal_dir(root: Path) -> Path:
    """``node_modules/reveal.js`` of the book (else of the checkout this package runs from, where
    ``make book`` ran ``npm ci``), or ContentError telling how to install it."""
    places = [Path(root) / REVEAL_PACKAGE, Path(__file__).resolve().parent.parent / REVEAL_PACKAGE]
    for d in places:
        if all((d / src).is_file() for src in REVEAL_FILES):
            return d
    d = places[0]
    missing = next(src for src in REVEAL_FILES if not (d / src).is_file())
    raise ContentError([Problem("package.json", 1, _(
        "the slides need reveal.js from npm, and {path} is missing: run 'make book', which installs the "
        "npm packages of package-lock.json ('npm ci'), then build again").format(path=(d / missing).as_posix()))])


def asset_files(root: Path) -> dict[str, bytes]:
    """The files a deck loads, by name in its asset folder: reveal.js's own and the deck's style and script."""
    d = reveal_dir(root)
    out = {name: (d / src).read_bytes() for src, name in REVEAL_FILES.items()}
    for name in STATIC_FILES:
        out[name] = (STATIC / name).read_bytes()
    return out


def _write(path: Path, data: bytes) -> bool:
    from ._fs import replace_file
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.read_bytes() == data:
        return False
    replace_file(path, data)
    return True


def copy_reveal(root: Path, folder: Path) -> list[Path]:
    """Put the deck's assets into ``folder/reveal/``; the paths it holds."""
    out = []
    for name, data in asset_files(root).items():
        p = Path(folder) / ASSET_DIR / name
        _write(p, data)
        out.append(p)
    return out


def deck_path(lesson_id: str) -> str:
    """Where a lesson's deck is in the site."""
    return f"slides/{lesson_id}.html"


_SAFE_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def write_decks(pr, outdir: Path) -> list[Path]:
    """Every valid lesson's deck under ``outdir/slides/``, with reveal.js beside them; the paths written."""
    written = copy_reveal(pr.root, Path(outdir) / "slides")
    how_to = "../book/how-to-use.html#filling-in-your-local-contacts" if (Path(outdir) / "book" / "how-to-use.html").exists() else None
    for page in pages.drawable_lessons(pr):
        if page.model is None or not _SAFE_ID.match(str(page.model.id)):
            continue
        p = Path(outdir) / deck_path(page.model.id)
        _write(p, deck_html(pr, page, fill_in_href=how_to).encode("utf-8"))
        written.append(p)
    return written


def find_lesson_page(pr, given: str):
    """The lesson page a command names (a path to its .md file, or its lesson id)."""
    p = Path(given)
    rel = pr.rel(p.resolve()) if p.exists() else None
    page = pr.pages.get(rel) if rel else pr.lessons.get(given)
    if page is None or not isinstance(page.front, dict) or "lesson" not in page.front:
        raise ContentError([Problem(given, 1, _("not a lesson page of this book: name a book/teachers/ages-*/N-*.md "
                                                "file or a lesson id"))])
    if page.model is None:
        raise ContentError([p for p in pr.problems if p.path == page.rel]
                           or [Problem(page.rel, 1, _("this lesson's front matter has problems: run spotthelure validate"))])
    return page
