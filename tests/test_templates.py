"""The one markdown renderer and the one template environment: CommonMark where the hand-written subset
was wrong, escaping by construction, words from the catalog, and no unescaped title in the notebook HTML."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import pytest

from spotthelure import i18n, notebook, text
from spotthelure.project import load_activity_file
from spotthelure.render_html import activity_html
from spotthelure.templating import environment, render
from conftest import ROOT

DATA = ROOT / "tests" / "data"
PACKAGE = ROOT / "spotthelure"
EVIL = '<img src=x onerror="window.__pwned=1"> & <script>alert(1)</script>'


def load(name):
    """A sample of tests/data, or a file of the book's own activities (``activities/...``)."""
    path = ROOT / name if name.startswith("activities/") else DATA / name
    act, problems = load_activity_file(path, name)
    assert not problems, problems
    return act.data


# ---- the markdown renderer -------------------------------------------------------------------

def test_a_backslash_escaped_star_is_a_star():
    assert text.inline(r"a \*literal\* star") == "a *literal* star"
    assert text.plain(r"a \*literal\* star") == "a *literal* star"


def test_underscore_emphasis_and_strong():
    assert text.inline("an _em_ and a __strong__ and **this**") == \
        "an <em>em</em> and a <strong>strong</strong> and <strong>this</strong>"
    assert text.inline("snake_case_word stays") == "snake_case_word stays"


def test_numbered_and_dash_lists():
    assert text.block("Steps:\n\n1. Stop replying.\n2. Tell someone.") == \
        "<p>Steps:</p>\n<ol>\n<li>Stop replying.</li>\n<li>Tell someone.</li>\n</ol>\n"
    assert text.block("- one\n- two") == "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n"
    assert "<ol" not in text.inline("1. not a list on one line")


def test_raw_html_is_text():
    out = text.block(EVIL)
    assert "<img" not in out and "<script" not in out
    assert "&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt; &amp; &lt;script&gt;" in out


@pytest.mark.parametrize("target", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x",
                                    "vbscript:x", "/../etc/passwd", "/a b"])
def test_unsafe_link_targets_stay_text(target):
    out = text.inline(f"[click]({target})", lambda t: "page.html")
    assert "<a " not in out and "click" in out


def test_safe_links_and_the_page_resolver():
    assert text.inline("[a](https://example.org/x?y=1&z=2)") == '<a href="https://example.org/x?y=1&amp;z=2">a</a>'
    assert text.inline("[mail](mailto:help@example.org)") == '<a href="mailto:help@example.org">mail</a>'
    assert text.inline("[help](/get-help#now)", lambda t: "../get-help.html#now") == \
        '<a href="../get-help.html#now">help</a>'
    assert "<a " not in text.inline("[help](/get-help)")            # no resolver: no book links
    assert "<a " not in text.inline("[help](/get-help)", lambda t: None)   # a page the resolver refuses
    assert text.plain("[help](/get-help) and [x](javascript:y)") == "help and x"


def test_the_renderer_gives_markup_and_the_templates_keep_it():
    out = text.inline("**a**")
    assert isinstance(out, jinja2.utils.markupsafe.Markup)
    assert environment().from_string("{{ md(x) }}|{{ x }}").render(x="**<b>**") == \
        "<strong>&lt;b&gt;</strong>|**&lt;b&gt;**"


def test_the_no_mark_shortcut_gives_what_the_parser_gives():
    """inline() and block() skip the parser for a text with no mark; on every text of the book, and on
    texts made to sit at the shortcut's edges, the result is the parser's own."""
    from spotthelure.project import load_project
    pr = load_project(ROOT)
    texts = {t for a in pr.activities.values() for t in _strings(a.data)}
    texts |= {"", " ", "  lead and trail  ", "- a", "+ a", "1. a", "1) a", "2024 was a year", "a\nb", "a\r\nb",
              "   code-like", "x\u00a0", "\u00a0lead", "# not a heading", "> not a quote", "a & b < c > d \" e ' f",
              "&amp; &#65;", "tab\tinside", "***", "___", "a_b_c", "`code`", "<b>x</b>", "http://x.example"}
    md = text._md()
    assert len(texts) > 1000
    for t in texts:
        assert text.inline(t) == md.renderInline(t), repr(t)
        assert text.block(t) == md.render(t), repr(t)


# ---- the environment -------------------------------------------------------------------------

def test_environment_escapes_and_is_strict():
    env = environment()
    assert env.autoescape("quiz.html") and env.autoescape("items.xml")
    assert env.from_string("{{ v }}").render(v="<b>") == "&lt;b&gt;"
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ missing }}").render()


def _up(message: str) -> str:
    """A message in capitals, its %(name)s and {name} placeholders kept."""
    return "".join(part if part.startswith(("%(", "{")) else part.upper()
                   for part in re.split(r"(%\(\w+\)[sd]|\{\w*\})", message))


class _Upper:
    """A stand-in catalog: every message in capitals, so words that bypass the catalog stay lower case."""

    def gettext(self, m):
        return _up(m)

    def ngettext(self, s, p, n):
        return _up(s if n == 1 else p)

    def pgettext(self, c, m):
        return _up(m)

    def npgettext(self, c, s, p, n):
        return _up(s if n == 1 else p)


def _visible_words(html: str) -> list[str]:
    class P(HTMLParser):
        words: list[str] = []

        def handle_data(self, d):
            self.words += re.findall(r"[A-Za-z]{3,}", d)
    p = P()
    p.words = []
    p.feed(html)
    return p.words


@pytest.mark.parametrize("name", ["quiz-sample.yml", "scenario-sample.yml", "roleplay-sample.yml"])
def test_every_word_of_the_templates_comes_from_the_catalog(name, monkeypatch):
    """With a catalog that capitalises, every word on the page that is not content is in capitals."""
    d = load(name)
    english = activity_html(d["kind"], d)
    monkeypatch.setattr(i18n, "translations", lambda lang: _Upper())
    translated = activity_html(d["kind"], d)
    content = " ".join(str(v) for v in _strings(d))
    left = [w for w in _visible_words(translated) if not w.isupper() and w not in content]
    assert not left, f"words not from the catalog: {sorted(set(left))[:10]}"
    assert translated != english


@pytest.mark.parametrize("name", ["quiz-sample.yml", "scenario-sample.yml", "roleplay-sample.yml",
                                  "activities/handouts/h1214-1-staircase-cards.yml",
                                  "activities/handouts/h1214-2-amir-story.yml"])
@pytest.mark.parametrize("answer_key", [False, True])
def test_every_word_of_the_print_templates_comes_from_the_catalog(name, answer_key, monkeypatch):
    """The printed body of each kind (the Get help box and colophon around it are the help box's)."""
    from spotthelure import render_print as rp
    d = load(name)
    body = {"quiz": lambda: rp.worksheet_body(d, answer_key), "scenario": lambda: rp.scenario_paper_body(d),
            "roleplay": lambda: rp.cards_body(d), "handout": lambda: rp.handout_body(d)}[d["kind"]]
    english = body()
    monkeypatch.setattr(i18n, "translations", lambda lang: _Upper())
    translated = body()
    content = " ".join(str(v) for v in _strings(d))
    left = [w for w in _visible_words(translated) if not w.isupper() and w not in content]
    assert not left, f"words not from the catalog: {sorted(set(left))[:10]}"
    assert translated != english


def test_every_word_of_the_notebook_templates_comes_from_the_catalog(monkeypatch):
    monkeypatch.setattr(notebook, "_PROJECT", _Project())
    monkeypatch.setattr(i18n, "translations", lambda lang: _Upper())
    html = (notebook.summary_html(["q-evil"]) + render("notebook/privacy.html") + render("notebook/unavailable.html", problems=["x"])
            + render("notebook/progress.html", rows=[{"kind": "quiz", "title": "t", "answered": 1, "total": 2, "right": 1},
                                                     {"kind": "scenario", "title": "t", "found": 1, "total": 2}]))
    left = [w for w in _visible_words(html) if not w.isupper() and w not in EVIL]
    assert not left, f"words not from the catalog: {sorted(set(left))[:10]}"


def _strings(x):
    if isinstance(x, dict):
        for v in x.values():
            yield from _strings(v)
    elif isinstance(x, list):
        for v in x:
            yield from _strings(v)
    elif isinstance(x, str):
        yield x


def test_no_hand_escaping_left_in_the_renderers():
    for name in ("render_html.py", "render_print.py", "notebook.py"):
        src = (PACKAGE / name).read_text(encoding="utf-8")
        assert "html.escape" not in src and "ESC" not in src, name
        assert "Markup(" not in src, f"{name}: Markup only from the markdown renderer (templating.markup)"


def test_activity_sections_carry_the_script_words(monkeypatch):
    monkeypatch.setattr(i18n, "js_strings", lambda lang=None: json.dumps({"check": "Check \"it\" <now>'"}),
                        raising=False)
    for name in ("quiz-sample.yml", "scenario-sample.yml", "roleplay-sample.yml"):
        d = load(name)
        html = activity_html(d["kind"], d)

        class P(HTMLParser):
            found: list = []

            def handle_starttag(self, tag, attrs):
                a = dict(attrs)
                if tag == "section" and "stl-activity" in a.get("class", ""):
                    self.found.append(a.get("data-stl-strings"))
        p = P()
        p.found = []
        p.feed(html)
        assert p.found and all(json.loads(f) == {"check": "Check \"it\" <now>'"} for f in p.found), name


# ---- the notebook HTML -----------------------------------------------------------------------

class _Act:
    def __init__(self, title):
        self.data = {"title": title}


class _Project:
    activities = {"q-evil": _Act(EVIL)}
    problems: list = []


def test_notebook_summary_escapes_titles(monkeypatch):
    monkeypatch.setattr(notebook, "_PROJECT", _Project())
    html = notebook.summary_html(["q-evil", "not-there"])
    assert "<img" not in html and "<script" not in html
    assert 'data-stl-summary-for="q-evil"' in html and "not-there" not in html
    assert "&lt;img src=x" in html


def test_notebook_live_progress_escapes_titles():
    html = render("notebook/progress.html", rows=[
        {"kind": "quiz", "title": EVIL, "answered": 2, "total": 5, "right": 1},
        {"kind": "scenario", "title": EVIL, "found": 1, "total": 1}])
    assert "<img" not in html and "<script" not in html
    assert "you answered 2 of 5 questions. 1 right so far." in html
    assert "you found 1 of 1 ending." in html
