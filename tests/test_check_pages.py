"""`spotthelure validate` refuses what could run script, read files from outside the book or load
from another host in the pages' own MyST and in the notebooks' markdown cells, and bibliography
addresses that are not http(s); each as ``path:line: what is wrong``. The book passes as it is."""
from __future__ import annotations

import json

import pytest

from conftest import ROOT, book_project, copy_book, run
from spotthelure.check_pages import check_bib, check_text

BAD = {
    "<script>alert(1)</script>": "<script>",
    "<SCRIPT src=x.js></SCRIPT>": "<script>",
    '<img src=x onerror="alert(1)">': "event handler",
    "<div\n  onmouseover=alert(1)>hi</div>": "event handler",
    "[click](javascript:alert(1))": "javascript:",
    '<a href="JaVaScRiPt:alert(1)">x</a>': "javascript:",
    "```{raw} html\n<b>x</b>\n```": "{raw}",
    ":::{eval-rst}\n.. raw:: html\n:::": "{eval-rst}",
    "```{include} ../../../etc/passwd\n```": "{include} of a file outside the book",
    "```{literalinclude} /../secret.txt\n```": "{literalinclude} of a file outside the book",
    "Leaflet {download}`/../../../../etc/hostname`": "{download} of a file outside the book",
    "Leaflet {download}`the leaflet </../../etc/hostname>`": "{download} of a file outside the book",
    "![map](https://tracker.invalid/p.png)": "image from another host",
    '<img src="//tracker.invalid/p.png" alt="">': "from another host",
    "```{image} https://tracker.invalid/p.png\n```": "{image} from another host",
}
GOOD = [
    "Plain text with **bold**, a [link](https://example.org) and a [page](get-help.md).",
    "```python\n<script>shown as code</script>\n```",
    "Use `<script>` in a code span, or `{download}` as words.",
    "```{download} ../activities/quizzes/q911-1.yml\n```",
    "An image from the book: ![x](../spotthelure/static/favicon.svg)",
    "Someone online said: 'do the javascript course' (not a link).",
]


@pytest.mark.parametrize("text,expect", BAD.items(), ids=list(BAD))
def test_refused_with_path_and_line(text, expect):
    page = ROOT / "book" / "glossary.md"
    problems = check_text("Intro line\n\n" + text + "\n", "book/glossary.md", page, ROOT, first_line=5)
    assert problems, text
    assert any(expect in p.message for p in problems), [str(p) for p in problems]
    assert all(p.path == "book/glossary.md" and p.line >= 7 for p in problems), [str(p) for p in problems]


@pytest.mark.parametrize("text", GOOD)
def test_allowed(text):
    assert check_text(text, "book/glossary.md", ROOT / "book" / "glossary.md", ROOT) == []


def test_bibliography_urls(tmp_path):
    (tmp_path / "references.bib").write_text(
        "@misc{a,\n  title = {A},\n  url = {https://example.org/a},\n  doi = {10.1177/1524838020916257}\n}\n"
        "@misc{b,\n  title = {B},\n  url = {javascript:alert(1)}\n}\n"
        "@misc{c,\n  howpublished = {\\url{javascript:alert(document.domain)}},\n  note = {x}\n}\n"
        "@misc{d,\n  doi = {javascript:alert(1)}\n}\n", encoding="utf-8")
    problems = [str(p) for p in check_bib(tmp_path)]
    assert problems == ["references.bib:8: url 'javascript:alert(1)' is not an http:// or https:// address",
                        "references.bib:15: doi 'javascript:alert(1)' is not a DOI (10.xxxx/...)",
                        "references.bib:11: \\url{javascript:alert(document.domain)} is not an http:// or https:// address"]


def test_the_book_passes():
    from spotthelure.check_pages import check_pages
    pr = book_project()
    assert check_pages(pr) == [] and check_bib(ROOT) == []


@pytest.mark.slow
def test_validate_and_build_refuse_them(tmp_path):
    """In a book (the tiny one, with its notebook): a page, a notebook cell and references.bib."""
    book = copy_book("notebook", tmp_path)
    page = book / "book" / "how-to-use.md"
    with open(page, "a", encoding="utf-8") as f:
        f.write("\n<img src=x onerror=alert(1)>\n\nLeaflet {download}`/../../../../etc/hostname`\n")
    nb = book / "notebooks" / "show-quiz.ipynb"
    data = json.loads(nb.read_text(encoding="utf-8"))
    data["cells"].insert(0, {"cell_type": "markdown", "id": "probe", "metadata": {},
                             "source": ["# Hi\n", "<script>alert(1)</script>\n"]})
    nb.write_text(json.dumps(data), encoding="utf-8")
    bib = (book / "references.bib").read_text(encoding="utf-8")
    url = "url          = {https://childhelplineinternational.org"
    assert url in bib, "the tiny book's references changed: update the probe"
    n_url = bib[:bib.index(url)].count("\n") + 1
    (book / "references.bib").write_text(bib.replace(url, "url          = {javascript:alert(1)//childhelplineinternational.org", 1),
                                         encoding="utf-8")
    lines = page.read_text(encoding="utf-8").splitlines()
    n_img = lines.index("<img src=x onerror=alert(1)>") + 1
    for cmd in ("validate", "build"):
        r = run(cmd, cwd=book)
        assert r.returncode == 1, cmd
        assert "Traceback" not in r.stderr + r.stdout
        assert f"book/how-to-use.md:{n_img}: an on...= event handler" in r.stderr, r.stderr
        assert f"book/how-to-use.md:{n_img + 2}: {{download}} of a file outside the book" in r.stderr, r.stderr
        assert "notebooks/show-quiz.ipynb:2: cell 1: a <script> tag" in r.stderr, r.stderr
        assert f"references.bib:{n_url}: url 'javascript:alert(1)//childhelplineinternational.org" in r.stderr, r.stderr
    assert not (book / "_build" / "html").exists()
