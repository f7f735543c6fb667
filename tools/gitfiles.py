"""The book's files as git knows them, copied elsewhere (the benchmark and the tests build copies)."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


def copy_tracked_files(root: Path, dest: Path) -> None:
    """Copy the book's files that git knows (tracked and new, not ignored): no _build, no caches;
    node_modules is linked."""
    out = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=root,
                         capture_output=True, text=True, check=True).stdout
    for rel in filter(None, out.split("\0")):
        src = root / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    # The npm packages `make book` installed (the build copies reveal.js from them for the slides):
    # linked, not copied, as a checkout that ran `npm ci` would have them.
    if (root / "node_modules").is_dir() and not (dest / "node_modules").exists():
        (dest / "node_modules").symlink_to((root / "node_modules").resolve(), target_is_directory=True)
