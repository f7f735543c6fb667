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


def build_book_pdf(output: Path, chromium: str, lang: str = "en") -> int:
    """The whole book in ``lang``: Jupyter Book's singlehtml builder, then Chromium prints it."""
    from .translate import output_dir
    root = Path.cwd()
    r = subprocess.run([sys.executable, "-m", "spotthelure", "build", "--builder", "singlehtml", "--lang", lang], cwd=root)
    if r.returncode != 0:
        return r.returncode
    out = output_dir(root, "singlehtml", lang)
    # Sphinx writes the single page at the root document's path (book/index.html) but links its
    # styles and images from the site root; next to them, the page finds everything.
    src = out / "spot-the-lure.html"
    src.write_text((out / "book" / "index.html").read_text(encoding="utf-8"), encoding="utf-8")
    html_to_pdf(src, Path(output), chromium)
    print(f"Wrote {output}")
    return 0
