"""PDFs with Debian's Chromium: no TeX, no downloaded browser.

One page (a worksheet, a fact sheet, a report) is printed with headless ``--print-to-pdf``. The whole
book (:func:`build_book_pdf`) is put together from the built site, page by page in the order of the
book's navigation, behind a cover and a contents page, and printed through Playwright on A4 with
page numbers ("N / M") in the footer and a document outline (PDF bookmarks) drawn from the headings:
each part is a level-1 heading, each chapter level 2, each page in a chapter (a lesson, a student
module) level 3, and the headings inside a page follow below. The contents page gets its page
numbers from a first printing (the named destinations of its links, read with poppler's
``pdfinfo -dests``), in which nothing is painted and no footer drawn (a quarter of the time); the
second printing is the book.
"""
from __future__ import annotations

import datetime as _dt
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ._fs import check_output, temporary_beside
from .problems import ContentError, Problem

# How this project starts Debian's Chromium everywhere (PDFs, tests, benchmark): as root, with no
# background connections to the outside (this machine's network refuses them anyway).
BROWSER_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
FLAGS = ["--headless", *BROWSER_FLAGS, "--no-pdf-header-footer", "--virtual-time-budget=10000"]


def html_to_pdf(src: Path, dest: Path, chromium: str = "/usr/bin/chromium") -> Path:
    exe = shutil.which(chromium) or chromium
    if not Path(exe).exists():
        raise ContentError([Problem(str(chromium), 1, "Chromium not found: install Debian's 'chromium' package (apt-get install chromium)")])
    check_output(dest, inputs=[src])
    with temporary_beside(dest) as tmp, tempfile.TemporaryDirectory() as profile:
        r = subprocess.run([exe, *FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={tmp}", Path(src).resolve().as_uri()],
                           capture_output=True, text=True, timeout=180)
        if r.returncode != 0 or not tmp.exists() or tmp.stat().st_size == 0:
            raise ContentError([Problem(str(src), 1, f"Chromium could not print this page (exit {r.returncode})")])
    return dest



# --- the whole book ------------------------------------------------------------------------------

ROOT_PAGE = "book/index.html"
BOOK_CSS = Path(__file__).parent / "templates" / "print" / "book.css"
# Attributes that name other elements by id (a space-separated list), and those that hold a URL.
ID_LISTS = ("for", "aria-labelledby", "aria-describedby", "aria-controls", "aria-owns", "aria-details",
            "headers", "list")
URL_IN = re.compile(r"url\(\s*#([^)\s]+)\s*\)")
FOOTER = ('<div style="font-family: \'DejaVu Sans\', sans-serif; font-size: 9pt; color: #333; width: 100%; '
          'text-align: center;"><span class="pageNumber"></span> / <span class="totalPages"></span></div>')
# The second printing's contents: each entry's page, from the first printing's named destinations.
FILL_NUMBERS = """(pages) => {
  for (const a of document.querySelectorAll(".stl-toc a")) {
    const n = pages[a.getAttribute("href").slice(1)];
    if (n) a.querySelector(".stl-toc-page").textContent = String(n);
  }
}"""
MARGIN = {"top": "16mm", "bottom": "18mm", "left": "15mm", "right": "15mm"}


@dataclass
class Entry:
    """One page of the book, or a part: where it sits in the navigation and its place in the PDF."""
    kind: str            # "root", "part", "chapter" or "section"
    title: str
    rel: str = ""        # the page's path in the site ("" for a part)
    anchor: str = ""     # its id in the assembled document
    depth: int = 1       # the level of its title heading in the PDF (1 to 3)


def _key(rel: str) -> str:
    return "pg-" + re.sub(r"[^A-Za-z0-9_-]+", "-", rel.removesuffix(".html")).strip("-")


def _soup(path: Path, only: str = ""):
    """The page at ``path`` parsed; with ``only`` (a tag name), just its first such element (quicker)."""
    from bs4 import BeautifulSoup
    text = path.read_text(encoding="utf-8")
    if only:
        start, end = text.find("<" + only), text.rfind(f"</{only}>")
        if 0 <= start < end:
            text = text[start:end + len(only) + 3]
    return BeautifulSoup(text, "html.parser")


def book_order(site: Path) -> list[Entry]:
    """The book's pages in reading order, from the navigation of the root page: the root page, then
    each part (a caption of the table of contents) with its chapters and their sections."""
    root = site / ROOT_PAGE
    if not root.is_file():
        raise ContentError([Problem(str(root), 1, "no built book here: run 'make book' (or 'spotthelure build') first")])
    soup = _soup(root)
    h1 = soup.select_one("article h1")
    out = [Entry("root", " ".join(h1.get_text(" ", strip=True).rstrip("#").split()) if h1 else "", ROOT_PAGE,
                 _key(ROOT_PAGE), 1)]
    tree = soup.select_one(".sidebar-tree")
    if tree is None:
        raise ContentError([Problem(str(root), 1, "the page has no navigation to take the book's order from")])
    parts = 0
    for el in tree.find_all(["p", "li"]):
        if el.name == "p" and "caption" in (el.get("class") or []):
            parts += 1
            out.append(Entry("part", el.get_text(" ", strip=True), "", f"part-{parts}", 1))
        elif el.name == "li":
            level = next((int(c[len("toctree-l"):]) for c in el.get("class") or [] if c.startswith("toctree-l")), 1)
            a = el.find("a", recursive=False)
            if a is None or not a.get("href"):
                continue
            rel = posixpath.normpath(posixpath.join(posixpath.dirname(ROOT_PAGE), a["href"].split("#")[0]))
            if (site / rel).is_file() and all(e.rel != rel for e in out):
                out.append(Entry("chapter" if level == 1 else "section", a.get_text(" ", strip=True), rel, _key(rel),
                                 min(level + 1, 3) if parts else level))
    return out


class _Page:
    """One built page's article, made to live inside the one document of the book: its ids get the
    page's prefix, links between pages become links inside the document, links to files that are not
    pages become plain text, images point at the site, and its headings move down to its depth."""

    def __init__(self, site: Path, entry: Entry, anchors: dict[str, str]):
        self.site, self.entry, self.anchors = site, entry, anchors
        self.here = posixpath.dirname(entry.rel)

    def _target(self, href: str) -> str | None:
        """Where a link of this page goes in the document, or None when it leaves the book's pages."""
        if href.startswith("#"):
            return f"#{self.entry.anchor}--{href[1:]}" if len(href) > 1 else f"#{self.entry.anchor}"
        path, _sep, frag = href.partition("#")
        path = path.split("?")[0]
        rel = posixpath.normpath(posixpath.join(self.here, path)) if path else self.entry.rel
        key = self.anchors.get(rel)
        if key is None:
            return None
        return f"#{key}--{frag}" if frag else f"#{key}"

    def _url(self, src: str) -> str:
        if re.match(r"^[a-z][a-z0-9+.-]*:", src, re.I):
            return src
        path = posixpath.normpath(posixpath.join(self.here, src.split("#")[0].split("?")[0]))
        return (self.site / path).resolve().as_uri()

    def html(self) -> str:
        soup = _soup(self.site / self.entry.rel, "article")
        art = soup.select_one("article") or soup
        pre = self.entry.anchor + "--"
        for el in art.select("a.headerlink, script, noscript, template, .stl-quick-exit-bar"):
            el.decompose()
        for el in art.find_all(True):
            attrs = el.attrs
            if "id" in attrs:
                attrs["id"] = pre + attrs["id"]
            for name in ID_LISTS:
                if name in attrs:
                    value = attrs[name]
                    ids = value if isinstance(value, list) else str(value).split()
                    attrs[name] = " ".join(pre + i for i in ids)
            for name in ("href", "xlink:href"):
                if name not in attrs:
                    continue
                href = str(attrs[name])
                if el.name in ("use", "image", "feimage") and href.startswith("#"):
                    attrs[name] = "#" + pre + href[1:]
                elif re.match(r"^(https?|mailto|tel):", href, re.I):
                    continue
                elif el.name == "a":
                    target = self._target(href)
                    if target is None:
                        del attrs[name]
                    else:
                        attrs[name] = target
                elif el.name == "link":
                    del attrs[name]
            for name in ("src", "data", "poster"):
                if name in attrs and el.name in ("img", "source", "object", "video", "audio", "embed", "image"):
                    attrs[name] = self._url(str(attrs[name]))
            for name, value in list(attrs.items()):
                if isinstance(value, str) and "url(#" in value:
                    attrs[name] = URL_IN.sub(lambda m: f"url(#{pre}{m.group(1)})", value)
            if el.name == "details":
                attrs["open"] = ""
        first = True
        for h in art.find_all(re.compile(r"^h[1-6]$")):
            n = int(h.name[1])
            h["class"] = list(h.get("class") or []) + (["stl-pt"] if first and n == 1 else [f"stl-h{n}"])
            first = False
            h.name = f"h{min(6, n + self.entry.depth - 1)}"
        for h in art.find_all(attrs={"role": "heading", "aria-level": re.compile(r"^[1-6]$")}):
            h["aria-level"] = str(min(6, int(h["aria-level"]) + self.entry.depth - 1))
        return art.decode_contents()


def book_document(site: Path, numbers: dict[str, int] | None = None) -> tuple[str, list[Entry]]:
    """The whole book as one HTML document (cover, contents, pages, comics) and its entries."""
    from .templating import markup, render
    site = Path(site).resolve()
    order = book_order(site)
    anchors = {e.rel: e.anchor for e in order if e.rel}
    root = _soup(site / ROOT_PAGE)
    purpose = root.select_one("article p strong")
    sections = []
    for e in order:
        body = "" if e.kind == "part" else _Page(site, e, anchors).html()
        sections.append({"entry": e, "body": markup(body)})
    comics = _comics(site)
    styles: list[str] = []        # every page's style sheets, in the order the pages link them
    for e in order:
        if e.rel:
            for href in _stylesheets(site, e.rel):
                if href not in styles:
                    styles.append(href)
    html = render("print/book.html", title=order[0].title, purpose=purpose.get_text(" ", strip=True) if purpose else "",
                  entries=order, sections=sections, comics=comics,
                  numbers=numbers or {}, styles=styles, css=markup(BOOK_CSS.read_text(encoding="utf-8")), lang=root.html.get("lang", "en") if root.html else "en",
                  today=_dt.date.today().isoformat())
    return html, order


_STYLESHEET = re.compile(r'<link\b[^>]*\brel="stylesheet"[^>]*>', re.I)
_HREF = re.compile(r'\bhref="([^"]+)"')


def _stylesheets(site: Path, rel: str) -> list[str]:
    """The file addresses of the style sheets a built page links (in the site, without the version query)."""
    head = (site / rel).read_text(encoding="utf-8").split("<body", 1)[0]
    out = []
    for tag in _STYLESHEET.findall(head):
        m = _HREF.search(tag)
        if not m or re.match(r"^[a-z][a-z0-9+.-]*:|^//", m.group(1), re.I):
            continue
        path = site / posixpath.normpath(posixpath.join(posixpath.dirname(rel), m.group(1).split("?")[0]))
        if path.is_file():
            out.append(path.resolve().as_uri())
    return out


def _comics(site: Path) -> list[dict]:
    """Each chat story's comic strip (the built print page ``print/<id>-comic.html``), story by story."""
    from .model.kinds import KINDS
    from .templating import markup
    from .project import find_root, load_project
    try:
        pr = load_project(find_root(site))
    except Exception:  # noqa: BLE001 - a site without its sources still prints, without the comics
        return []
    out = []
    stories = sorted((a for a in pr.activities.values() if a.kind == "scenario" and a.model is not None),
                     key=lambda a: (("9-11", "12-14", "15-18").index(a.data.get("age_band"))
                                    if a.data.get("age_band") in ("9-11", "12-14", "15-18") else 9, a.id))
    for a in stories:
        for o in KINDS["scenario"].outputs(a.id):
            page = site / o.path
            if o.format != "comic" or not page.is_file():
                continue
            soup = _soup(page)
            main = soup.select_one("main") or soup.body
            h1 = main.find("h1")
            title = h1.get_text(" ", strip=True) if h1 else a.id
            # the strip and what it says about itself; the Get help box closes the book's pages already
            for el in main.find_all(recursive=False):
                if el.name != "figure" and not set(el.get("class") or []) & {"meta", "comic-note"}:
                    el.decompose()
            key = _key(o.path)
            for el in main.find_all(True):
                for name in ("id", *ID_LISTS):
                    if name in el.attrs:
                        v = el.attrs[name]
                        el.attrs[name] = " ".join(f"{key}--{i}" for i in (v if isinstance(v, list) else str(v).split()))
            out.append({"anchor": key, "title": title, "body": markup(main.decode_contents())})
    return out


def _dests(pdf: Path) -> dict[str, int]:
    """The page of each named destination of ``pdf`` (poppler's pdfinfo), or {} without poppler."""
    exe = shutil.which("pdfinfo")
    if not exe:
        return {}
    r = subprocess.run([exe, "-dests", str(pdf)], capture_output=True, text=True)
    out = {}
    for line in r.stdout.splitlines():
        m = re.match(r'\s*(\d+)\s+\[.*\]\s+"(.*)"\s*$', line)
        if m:
            out.setdefault(m.group(2), int(m.group(1)))
    return out


def build_book_pdf(output: Path, chromium: str, site: Path | None = None, lang: str = "en") -> int:
    """The whole book in ``lang`` as one A4 PDF: the built site (``spotthelure build --lang`` first,
    unless ``site`` is given) put together by :func:`book_document` and printed twice (see the
    module's docstring)."""
    output = Path(output)
    if site is None:
        from .translate import output_dir
        r = subprocess.run([sys.executable, "-m", "spotthelure", "build", "--lang", lang], cwd=Path.cwd())
        if r.returncode != 0:
            return r.returncode
        site = output_dir(Path.cwd(), "html", lang)
    exe = shutil.which(chromium) or chromium
    if not Path(exe).exists():
        raise ContentError([Problem(str(chromium), 1, "Chromium not found: install Debian's 'chromium' package (apt-get install chromium)")])
    check_output(output)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise ContentError([Problem("(command line)", 1, "the book PDF needs Playwright: run 'make book' to install the locked packages")])
    with tempfile.TemporaryDirectory() as work, temporary_beside(output) as tmp:
        src = Path(work) / "book.html"
        first = Path(work) / "first.pdf"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=exe, args=BROWSER_FLAGS)
            try:
                page = browser.new_page()
                html, _order = book_document(site)
                src.write_text(html, encoding="utf-8")
                page.goto(src.as_uri(), wait_until="load", timeout=300_000)
                options = dict(format="A4", print_background=True, margin=MARGIN, display_header_footer=True,
                               header_template="<span></span>", footer_template=FOOTER)
                page.evaluate("document.body.classList.add('stl-measuring')")     # laid out, not painted
                # without the footer: Chromium lays out its template once for every page (about half
                # of this printing's time), and the margins, given, keep every page break where it is
                page.pdf(path=str(first), **{**options, "display_header_footer": False})
                page.evaluate("document.body.classList.remove('stl-measuring')")
                # The contents' page numbers take space kept for them, so no page moves.
                page.evaluate(FILL_NUMBERS, _dests(first))
                page.pdf(path=str(tmp), outline=True, tagged=True, **options)
            finally:
                browser.close()
    print(f"Wrote {output}")
    return 0


# Paper sizes for Chromium's page.pdf (the print pages' CSS names the same size).
PAPER_FORMATS = {"a4": "A4", "letter": "Letter"}


def html_to_pdf_paged(jobs: list[tuple[Path, Path, str]], chromium: str = "/usr/bin/chromium",
                      paper: str = "a4") -> list[Path]:
    """Print each (source HTML, destination PDF, footer HTML) with Chromium's own footer on every page
    (CSS ``@page`` margin boxes are not printed by Chromium; its footer template is, with the page
    number and the page count). One browser for all the jobs."""
    exe = shutil.which(chromium) or chromium
    if not Path(exe).exists():
        raise ContentError([Problem(str(chromium), 1, "Chromium not found: install Debian's 'chromium' package (apt-get install chromium)")])
    for src, dest, _footer in jobs:
        check_output(dest, inputs=[src])
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise ContentError([Problem("(command line)", 1, "page numbers need Python's playwright package: "
                                    "pip install playwright (it drives Debian's Chromium; no browser download)")]) from None
    done = []
    with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        try:
            ctx = p.chromium.launch_persistent_context(profile, executable_path=exe, headless=True, args=BROWSER_FLAGS)
        except PlaywrightError as exc:
            raise ContentError([Problem(str(chromium), 1, f"Chromium could not start: {str(exc).splitlines()[0]}")]) from None
        try:
            page = ctx.new_page()
            for src, dest, footer in jobs:
                try:
                    page.goto(Path(src).resolve().as_uri(), wait_until="load")
                    # The margins are the page's own (print.css @page): the footer prints in the bottom one.
                    data = page.pdf(format=PAPER_FORMATS[paper], print_background=True, display_header_footer=True,
                                    header_template="<span></span>", footer_template=footer)
                except PlaywrightError:
                    raise ContentError([Problem(str(src), 1, "Chromium could not print this page")]) from None
                with temporary_beside(dest) as tmp:
                    tmp.write_bytes(data)
                done.append(dest)
        finally:
            ctx.close()
    return done
