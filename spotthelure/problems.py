"""Problems found in content, reported to authors as ``path:line: what is wrong``."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# Characters a terminal may act on (C0 and C1 controls, DEL) and the non-characters U+FFFE/U+FFFF.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")


def escape(text: str) -> str:
    """Text with every control character written out (``\\x1b``), so a message never drives the
    terminal (clears the screen, retitles the window) or breaks a ``path:line:`` line in two."""
    def one(m):
        c = m.group()
        return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(c) or (
            f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")
    return _UNPRINTABLE.sub(one, text)


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str

    def __post_init__(self):
        # Escaped once, here, so every reader (the command line, the build's log, the evaluation
        # report) gets the same safe text.
        object.__setattr__(self, "path", escape(str(self.path)))
        object.__setattr__(self, "message", escape(str(self.message)))

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class ContentError(Exception):
    """Raised when content cannot be used; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def display_path(path: str | Path, root: Path | None = None) -> str:
    """A path as an author would type it: relative to the project root where possible."""
    p = Path(path)
    for base in (root, Path.cwd()):
        if base is None:
            continue
        try:
            return str(p.resolve().relative_to(Path(base).resolve()))
        except ValueError:
            pass
    return str(p)
