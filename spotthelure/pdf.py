"""PDFs with Debian's Chromium (headless ``--print-to-pdf``): no TeX, no downloaded browser."""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
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


def build_book_pdf(output: Path, chromium: str) -> int:
    """The whole book: Jupyter Book's singlehtml builder, then Chromium prints it."""
    root = Path.cwd()
    r = subprocess.run([sys.executable, "-m", "spotthelure", "build", "--builder", "singlehtml"], cwd=root)
    if r.returncode != 0:
        return r.returncode
    out = root / "_build" / "singlehtml"
    # Sphinx writes the single page at the root document's path (book/index.html) but links its
    # styles and images from the site root; next to them, the page finds everything.
    src = out / "spot-the-lure.html"
    src.write_text((out / "book" / "index.html").read_text(encoding="utf-8"), encoding="utf-8")
    html_to_pdf(src, Path(output), chromium)
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
