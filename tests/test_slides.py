"""Slides for every lesson (spotthelure/slides.py): drawn from the lesson's data, escaped, and working
from file:// in Chromium (keyboard, speaker view, print to PDF one slide a page, axe)."""
from __future__ import annotations

import html as html_mod
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, axe, book_project, copy_content, run_here
from spotthelure import slides, text
from spotthelure.problems import ContentError


def _plain(markup) -> str:
    return " ".join(text.plain(html_mod.unescape(re.sub(r"<[^>]+>", "", str(markup)))).split())


def _words(s) -> str:
    return " ".join(text.plain(" ".join(str(s).split())).split())


LESSONS = sorted(book_project().lessons)


# --------------------------------------------------------------------------- the deck from the data

@pytest.mark.parametrize("lid", LESSONS)
def test_each_lesson_deck_has_its_slides_from_the_data(lid):
    pr = book_project()
    page = pr.lessons[lid]
    L = page.model
    S = slides.deck(pr, page)
    kinds = [s.kind for s in S]
    # teaching order: title, goals, ground rules, questions, steps, props, key points, help
    order = ["title", "goals", "rules", "questions", "step", "prop", "points", "contacts", "help"]
    seen = [k for i, k in enumerate(kinds) if i == 0 or kinds[i - 1] != k]
    assert seen == [k for k in order if k in kinds], seen
    assert S[0].heading == L.title and str(int(L.duration)) in S[0].sub
    # every objective, in the learners' words ("Learners can" becomes "I can", from en.yml)
    goals = [_plain(i) for s in S if s.kind == "goals" for i in s.items]
    assert len(goals) == len(L.objectives)
    for g, o in zip(goals, L.objectives):
        assert g.startswith("I can ") and g[len("I can "):] == _words(o.text)[len("Learners can "):]
    # the book's ground rules, with the stepping-out signal and the lesson's opt-out as the note
    rules = next(s for s in S if s.kind == "rules")
    assert [_plain(i) for i in rules.items] == [_words(r) for r in slides.ground_rules(ROOT)]
    assert "step out" in rules.sub and _plain(rules.notes) == _words(L.safeguarding.opt_out)
    assert [_plain(i) for s in S if s.kind == "questions" for i in s.items] == [_words(q) for q in L.key_questions]
    # every step, in order, with its minutes and clock time, every instruction, and "say" as the note
    t = 0
    for step in L.steps:
        mine = [s for s in S if s.kind == "step" and s.heading.endswith(" ".join(str(step.title).split()))]
        assert mine, step.title
        assert all(f"{step.minutes} min" in s.sub and f"{t}–{t + step.minutes}" in s.sub for s in mine)
        assert [_plain(i) for s in mine for i in s.items] == [_words(d) for d in step.do]
        for s in mine:
            assert (_plain(s.notes) if s.notes else None) == (_words(step.say) if step.get("say") else None)
        t += step.minutes
    assert [_plain(i) for s in S if s.kind == "points" for i in s.items] == [_words(p) for p in L.key_points]
    assert kinds[-2:] == ["contacts", "help"]


def test_props_are_the_cards_and_messages_the_lesson_shows():
    pr = book_project()
    S = slides.deck(pr, pr.lessons["l911-1"])
    props = [s for s in S if s.kind == "prop"]
    cards = [(who, _plain(said)) for s in props if s.heading == "Friendly or tricky? Message cards" for who, said in s.items]
    handout = pr.activities["h911-1-message-cards"].model
    assert cards == [(c.get("from") or "", _words(c.text)) for c in handout.cards]
    assert all(len(s.items) <= slides.PROPS_PER_SLIDE for s in props)
    assert all(_plain(s.notes) == _words(handout.for_the_teacher) for s in props if s.heading == handout.title)
    # slips with lines to write on (exit tickets) are not props; a role-play's printed chat is
    headings = {s.heading for s in props}
    assert not any("exit ticket" in h.lower() for h in headings), headings
    S = slides.deck(pr, pr.lessons["l1214-5"])
    rp = pr.activities["rp-bystander-group-chat"].model
    shown = [(w, _plain(t)) for s in S if s.kind == "prop" and s.heading == rp.props[0].title for w, t in s.items]
    assert shown == [(ln.from_, _words(ln.text)) for ln in rp.props[0].lines]


def test_long_lists_are_split_so_that_nothing_overflows():
    assert slides.chunks(["a" * 10] * 5, 25) == [["a" * 10] * 2] * 2 + [["a" * 10]]
    assert slides.chunks(["a" * 50, "b"], 25) == [["a" * 50], ["b"]]          # a long item stands alone
    assert slides.chunks(list("abcdef"), 100, most=4) == [list("abcd"), list("ef")]
    pr = book_project()
    for lid in LESSONS:
        for s in slides.deck(pr, pr.lessons[lid]):
            if s.kind == "step":
                assert sum(len(_plain(i)) for i in s.items) <= slides.STEP_BUDGET or len(s.items) == 1, (lid, s.heading)


def test_the_learner_wording_is_a_rule_of_the_language(tmp_path, monkeypatch):
    assert slides.for_learners("Learners can name three tricks.", "en") == "I can name three tricks."
    assert slides.for_learners("Participants can  explain   why.", "en") == "I can explain why."
    assert slides.for_learners("Name three tricks.", "en") == "Name three tricks."      # no opening: as written
    # Another rules folder: the wording comes from there, not from the code.
    (tmp_path / "en.yml").write_text('objectives:\n  for_learners: {"Learners can": "We will learn to"}\n', encoding="utf-8")
    (tmp_path / "xx.yml").write_text("objectives:\n  openings: [Learners can]\n", encoding="utf-8")
    monkeypatch.setenv("SPOTTHELURE_LANGUAGES", str(tmp_path))
    assert slides.for_learners("Learners can name three tricks.", "en") == "We will learn to name three tricks."
    assert slides.for_learners("Learners can name three tricks.", "xx") == "Learners can name three tricks."
    assert slides.for_learners("Learners can name three tricks.", "zz") == "Learners can name three tricks."


# --------------------------------------------------------------------------- escaping and the page

def _book_with(tmp_path, edit) -> Path:
    book = copy_content(tmp_path / "book")
    edit(book)
    return book


HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'


def test_author_text_stays_text(tmp_path):
    def edit(book):
        p = book / "book/teachers/ages-9-11/1-friendly-or-tricky.md"
        s = p.read_text(encoding="utf-8")
        s = s.replace("  title: Friendly or tricky?\n", f"  title: 'Friendly {HOSTILE}'\n", 1)
        s = s.replace("Learners can name at least three", f"Learners can name {HOSTILE} at least three", 1)
        p.write_text(s, encoding="utf-8")
        h = book / "activities/handouts/h911-1-message-cards.yml"
        h.write_text(h.read_text(encoding="utf-8").replace('"Good game! Same time tomorrow?"',
                                                           "'Good game! " + HOSTILE + "'"), encoding="utf-8")
    from spotthelure.project import load_project
    book = _book_with(tmp_path, edit)
    pr = load_project(book)
    page = pr.lessons["l911-1"]
    assert page.model is not None and "<script>" in page.model.title
    out = slides.deck_html(pr, page, root=book)
    body = out[out.index("<body"):]
    assert "__pwned" in body                                  # the text is there...
    assert not re.search(r"<script>window|<img\b|onerror=\"", body), "author text became HTML"
    assert body.count("&lt;script&gt;window.__pwned=1&lt;/script&gt;") >= 3    # ...as text: title, goal, card
    scripts = re.findall(r"<script\b[^>]*>", out)
    assert scripts == ['<script src="reveal/reveal.js">', '<script src="reveal/notes.js">', '<script src="reveal/deck.js">']


def test_the_deck_page_is_private_and_accessible_by_construction():
    pr = book_project()
    out = slides.deck_html(pr, pr.lessons["l1518-2"])
    m = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', out)
    pol = dict((d.split()[0], d) for d in m.group(1).split("; "))
    assert pol["default-src"] == "default-src 'none'" and pol["connect-src"] == "connect-src 'none'"
    assert re.fullmatch(r"script-src 'self' 'sha256-[A-Za-z0-9+/=]+'", pol["script-src"]), pol["script-src"]
    assert pol["frame-src"] == "frame-src 'self'"               # the speaker view shows the deck in frames
    assert '<html lang="en" dir="ltr">' in out and "<h1 " in out
    sections = re.findall(r"<section\b[^>]*>", out)
    assert sections and all("aria-labelledby=" in s for s in sections)
    assert not re.search(r"(src|href)=\"(https?:)?//", out)
    assert "<img" not in out                                     # plain type, no pictures


class _Upper:
    """A catalog that puts every message in capitals: a word of the deck that is not, is not from it."""

    WORDS = re.compile(r"%\([^)]*\)s|\{[^}]*\}|<[^>]*>|&\w+;|([A-Za-z]+)")    # placeholders and tags stay

    def gettext(self, m):
        return self.WORDS.sub(lambda w: w.group(1).upper() if w.group(1) else w.group(0), m)

    def ngettext(self, s, p, n):
        return self.gettext(s if n == 1 else p)

    def pgettext(self, c, m):
        return self.gettext(m)

    def npgettext(self, c, s, p, n):
        return self.gettext(s if n == 1 else p)


def _strings(x):
    if isinstance(x, dict):
        for v in x.values():
            yield from _strings(v)
    elif isinstance(x, (list, tuple)):
        for v in x:
            yield from _strings(v)
    elif isinstance(x, str):
        yield x


def test_every_word_of_the_deck_comes_from_the_catalog_or_the_content(monkeypatch):
    from html.parser import HTMLParser

    from spotthelure import i18n
    pr = book_project()
    page = pr.lessons["l911-1"]
    english = slides.deck_html(pr, page)
    monkeypatch.setattr(i18n, "translations", lambda lang: _Upper())
    upper = slides.deck_html(pr, page)
    assert upper != english
    content = [*_strings(dict(page.front)), *slides.ground_rules(ROOT), *_strings(dict(pr.local or {}))]
    content += [x for h in pr.activities.values() if h.data.get("lesson") == "l911-1" for x in _strings(dict(h.data))]
    content = " ".join(content) + " local.yml"   # the file name in the box's fill-in notice

    class Words(HTMLParser):
        words: list = []

        def handle_data(self, d):
            self.words += re.findall(r"[A-Za-z]{3,}", d)
    p = Words()
    p.words = []
    p.feed(upper[upper.index("<body"):])
    left = sorted({w for w in p.words if not w.isupper() and w not in content})
    assert not left, f"words not from the catalog: {left[:10]}"


def test_the_speaker_view_script_is_allowed_by_its_own_hash():
    notes = (slides.reveal_dir(ROOT) / "dist/plugin/notes.js").read_text(encoding="utf-8")
    hashes = slides.speaker_view_hashes(notes)
    assert len(hashes) == 1
    assert slides.speaker_view_hashes(notes.replace("document.write(`", "document.write(`<script>x()</script>", 1)) \
        != hashes
    assert slides.speaker_view_hashes("no speaker view here") == []
    assert slides._template_text(r"a\/b\\c\x41\`") == "a/b\\cA`"


def test_ground_rules_come_from_the_teachers_page(tmp_path):
    rules = slides.ground_rules(ROOT)
    assert len(rules) == 5 and rules[-1].startswith("You can step out")
    book = copy_content(tmp_path / "book")
    page = book / slides.GROUND_RULES_PAGE
    page.write_text(page.read_text(encoding="utf-8").replace("(ground-rules)=\n", ""), encoding="utf-8")
    with pytest.raises(ContentError) as e:
        slides.ground_rules(book)
    assert str(e.value).startswith(slides.GROUND_RULES_PAGE + ":1: ") and "(ground-rules)=" in str(e.value)
    page.write_text("# Before you teach\n\n(ground-rules)=\n## No list\n", encoding="utf-8")
    with pytest.raises(ContentError) as e:
        slides.ground_rules(book)
    assert str(e.value).startswith(slides.GROUND_RULES_PAGE + ":3: ")


def test_a_translated_deck_shows_the_ground_rules_as_its_page_does(tmp_path):
    """The rules slide of a deck in another language shows the rules in that language, from the
    catalog of the "Before you teach" page (as the translated page shows them); a rule the catalog
    leaves out, marks fuzzy or changes the marks of stays as written."""
    english = slides.ground_rules(ROOT)
    arabic = slides.ground_rules_in(ROOT, "ar")
    assert len(arabic) == len(english) and all(re.search("[\u0600-\u06ff]", r) for r in arabic), arabic
    assert slides.ground_rules_in(ROOT, "en") == english
    book = tmp_path / "book"
    shutil.copytree(ROOT / "book" / "teachers", book / "book" / "teachers")
    po = book / "locales" / "sv" / "LC_MESSAGES" / Path(slides.GROUND_RULES_PAGE).with_suffix(".po")
    po.parent.mkdir(parents=True)
    po.write_text("\n".join([
        'msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"', "",
        f'msgid "{english[0]}"', 'msgstr "Första regeln."', "",
        "#, fuzzy", f'msgid "{english[1]}"', 'msgstr "Gissad regel."', "",
        f'msgid "{english[2]}"', 'msgstr "Tredje [regeln](https://example.org)."', ""]), encoding="utf-8")
    assert slides.ground_rules_in(book, "sv") == ["Första regeln.", *english[1:]]
    assert slides.ground_rules_in(book, "uk") == english          # no catalog for the page


# --------------------------------------------------------------------------- the command

def test_the_slides_command_writes_one_deck_and_its_assets(tmp_path):
    out = tmp_path / "deck" / "lesson.html"
    out.parent.mkdir()
    r = run_here("slides", "book/teachers/ages-12-14/3-easy-money.md", "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert str(out) in r.stdout
    assert "Easy money" in out.read_text(encoding="utf-8")
    assert sorted(p.name for p in (out.parent / "reveal").iterdir()) == sorted(
        list(slides.REVEAL_FILES.values()) + list(slides.STATIC_FILES))
    r = run_here("slides", "l1214-3", "-o", str(tmp_path / "by-id.html"))     # a lesson id works too
    assert r.returncode == 0 and (tmp_path / "by-id.html").is_file()


def test_the_slides_command_says_what_is_wrong_without_a_traceback(tmp_path, monkeypatch):
    r = run_here("slides", "book/teachers/before-you-teach.md", "-o", str(tmp_path / "x.html"))
    assert r.returncode == 1 and "not a lesson page" in r.stderr and "Traceback" not in r.stderr
    r = run_here("slides", "l911-1", "-o", "book/x.html")                   # never into the book's content
    assert r.returncode == 1 and "part of the book's content" in r.stderr
    monkeypatch.setattr(slides, "REVEAL_PACKAGE", Path("node_modules") / "no-such-reveal")
    r = run_here("slides", "l911-1", "-o", str(tmp_path / "y.html"))
    assert r.returncode == 1 and "make book" in r.stderr and "npm" in r.stderr, r.stderr
    assert not (tmp_path / "y.html").exists()


def test_every_description_in_reveals_list_of_keys_has_words_of_the_deck():
    """reveal.js lists its keys (?) with English descriptions written in its code; deck.js puts the
    deck's own words in their place, found by that English. A reveal.js that adds or rewords one
    fails here, instead of showing English on a translated deck."""
    from spotthelure import i18n
    dist = slides.reveal_dir(ROOT) / "dist"
    code = (dist / "reveal.js").read_text(encoding="utf-8")
    code += (dist / "plugin" / "notes.js").read_text(encoding="utf-8")
    described = set(re.findall(r"shortcuts\[`[^`]*`\]\s*=\s*`([^`]+)`", code))
    described |= set(re.findall(r"description:\s*`([^`]+)`", code))
    assert {"Next slide", "Pause", "Slide overview", "Speaker notes view"} <= described, described
    english = slides.deck_words()
    assert described <= set(english["actions"]), described - set(english["actions"])
    with i18n.language("ar"):
        arabic = slides.deck_words()
    assert set(arabic["actions"]) == set(english["actions"])
    for key in ("next", "previous", "up", "down", "resume", "jump", "help", "key", "action"):
        assert arabic[key] != english[key] and re.search("[\u0600-\u06ff]", arabic[key]), key
    assert all(re.search("[\u0600-\u06ff]", v) for v in arabic["actions"].values()), arabic["actions"]
    # the deck carries them for deck.js, as data (escaped JSON), in its language
    pr = book_project()
    page = pr.lessons["l1214-1"]
    m = re.search(r'<div class="reveal" data-stl-words="([^"]*)"', slides.deck_html(pr, page))
    import json
    assert json.loads(html_mod.unescape(m.group(1))) == english


def test_reveal_comes_from_the_npm_lock_file():
    import json
    pkg = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    assert re.match(r"^\^?[56]\.", pkg["dependencies"]["reveal.js"])
    assert re.match(r"^[56]\.", lock["packages"]["node_modules/reveal.js"]["version"])
    mk = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^book:.*\bsetup\b", mk, re.M), "make book sets up the tools first"
    assert "$(NODE_STAMP)" in re.search(r"^setup:.*\n\t(.*)$", mk, re.M).group(1), "setup runs npm ci"
    assert not list((ROOT / "spotthelure").rglob("reveal*.js")), "reveal.js is installed by npm, not copied in"


# --------------------------------------------------------------------------- the built book

def test_lesson_pages_link_their_slides(site):
    for lid, page in book_project().lessons.items():
        built = site / Path(page.rel).with_suffix(".html")
        links = re.findall(r'<a class="[^"]*stl-slides-link[^"]*" href="([^"]+)"', built.read_text(encoding="utf-8"))
        assert links == ["../../../" + slides.deck_path(lid)], (page.rel, links)
        assert (built.parent / links[0]).resolve().is_file()
    assert (site / "slides" / "reveal" / "reveal.js").is_file()


# --------------------------------------------------------------------------- in Chromium, from file://

@pytest.fixture(scope="module")
def decks(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    slides.write_decks(book_project(), out)
    return out / "slides"


def _wait(pg, expression: str, seconds: float = 20):
    for _ in range(int(seconds * 10)):
        if pg.evaluate(expression):
            return
        pg.wait_for_timeout(100)
    raise AssertionError(f"timed out waiting for {expression}")


@pytest.mark.slow
def test_a_deck_works_from_file_urls(browser, decks, axe_source, tmp_path):
    folder = decks.resolve().as_uri() + "/"
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    ctx.add_init_script(axe_source)        # the deck's policy refuses inline scripts: axe comes in this way
    pg = ctx.new_page()
    requests, errors = [], []
    pg.on("request", lambda r: requests.append(r.url))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("requestfailed", lambda r: errors.append(f"{r.url}: {r.failure}"))
    try:
        pg.goto(folder + "l1214-3.html")
        _wait(pg, "window.Reveal !== undefined && Reveal.isReady()")
        total = pg.evaluate("Reveal.getTotalSlides()")
        assert total == len(slides.deck(book_project(), book_project().lessons["l1214-3"]))
        # Every slide by keyboard: arrows and what a clicker sends (Page Down / Page Up); axe on the
        # first slide of each kind (title, goals, rules, questions, step, prop, points, help).
        problems, checked = [], set()
        for i in range(total):
            assert pg.evaluate("Reveal.getIndices().h") == i
            kind = pg.evaluate("Reveal.getCurrentSlide().dataset.stlKind")
            if kind not in checked:
                checked.add(kind)
                # without axe's stylesheet preload: from file:// it would fetch the deck's stylesheets,
                # which the deck's policy (connect-src 'none') rightly refuses
                problems += [f"slide {i + 1} ({kind}): {v}" for v in axe(pg, axe_source, preload=False)]
            pg.keyboard.press("PageDown" if i % 2 else "ArrowRight")
        assert checked == {"title", "goals", "rules", "questions", "step", "prop", "points", "contacts", "help"}
        assert pg.evaluate("Reveal.getIndices().h") == total - 1 and pg.evaluate("Reveal.isLastSlide()")
        pg.keyboard.press("PageUp")
        assert pg.evaluate("Reveal.getIndices().h") == total - 2
        pg.keyboard.press("Home")
        assert pg.evaluate("Reveal.getIndices().h") == 0
        assert not problems, "\n".join(problems[:10])
        # The speaker view (S) opens and shows the step's "say" text, from file:// too.
        pg.keyboard.press("End")
        pg.evaluate("Reveal.slide([...document.querySelectorAll('.reveal .slides > section')]"
                    ".findIndex(s => s.querySelector('aside.notes') && s.dataset.stlKind === 'step'))")
        note = pg.evaluate("Reveal.getCurrentSlide().querySelector('aside.notes').textContent.trim()")
        with ctx.expect_page() as popup:
            pg.keyboard.press("s")
        view = popup.value
        view.on("console", lambda m: errors.append("speaker view: " + m.text) if m.type == "error" else None)
        _wait(view, f"document.body && document.body.innerText.includes({note[:60]!r})")
        view.close()
        # No slide of any deck runs off the bottom (deck.js shrinks a long one, never below 60%).
        over = []
        for deck in sorted(decks.glob("*.html")):
            pg.goto(deck.resolve().as_uri())
            _wait(pg, "window.Reveal !== undefined && Reveal.isReady()")
            over += [f"{deck.name} slide {i + 1}" for i in pg.evaluate("""() => {
              const out = [];
              for (let i = 0; i < Reveal.getTotalSlides(); i++) {
                Reveal.slide(i);
                if (Reveal.getCurrentSlide().scrollHeight > Reveal.getConfig().height) out.push(i);
              }
              return out;
            }""")]
        assert len(list(decks.glob("*.html"))) == len(LESSONS) and not over, over
        # Printing (?print-pdf): one PDF page a slide.
        pg.goto(folder + "l1214-3.html?print-pdf")
        _wait(pg, "window.Reveal !== undefined && Reveal.isReady() && document.querySelectorAll('.pdf-page').length > 0")
        pg.wait_for_timeout(500)
        pdf = tmp_path / "deck.pdf"
        pg.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    finally:
        ctx.close()
    info = subprocess.run([shutil.which("pdfinfo") or "pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1)) == total
    assert not errors, "\n".join(errors[:10])
    outside = [u for u in requests if not u.startswith(folder)]
    assert not outside, outside
