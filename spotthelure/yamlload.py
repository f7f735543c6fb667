"""YAML loading that remembers the line of every key and list entry.

Authors get ``path:line:`` in every message, so the loader keeps, for each mapping and list, the
line where each key or entry starts. Duplicate keys are errors (PyYAML silently keeps the last).
Dates stay strings, as typed.
"""
from __future__ import annotations

from pathlib import Path

import yaml

from .problems import ContentError, Problem


class LDict(dict):
    """A dict that knows the (1-based) line of itself and of each key."""

    line: int = 0

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.lines: dict = {}

    def line_of(self, key) -> int:
        return self.lines.get(key, self.line)


class LList(list):
    """A list that knows the (1-based) line of itself and of each entry."""

    line: int = 0

    def __init__(self, *a):
        super().__init__(*a)
        self.lines: list[int] = []

    def line_of(self, index: int) -> int:
        return self.lines[index] if 0 <= index < len(self.lines) else self.line


def _build(node, loader, path, problems, offset):
    line = node.start_mark.line + 1 + offset
    if isinstance(node, yaml.MappingNode):
        out = LDict()
        out.line = line
        for knode, vnode in node.value:
            key = _build(knode, loader, path, problems, offset)
            if isinstance(key, (LDict, LList)):
                problems.append(Problem(path, knode.start_mark.line + 1 + offset, "a key must be plain text"))
                continue
            if key in out:
                problems.append(Problem(path, knode.start_mark.line + 1 + offset,
                                        f"'{key}' appears twice; keep one"))
            out[key] = _build(vnode, loader, path, problems, offset)
            out.lines[key] = knode.start_mark.line + 1 + offset
        return out
    if isinstance(node, yaml.SequenceNode):
        out = LList()
        out.line = line
        for item in node.value:
            out.append(_build(item, loader, path, problems, offset))
            out.lines.append(item.start_mark.line + 1 + offset)
        return out
    if node.tag == "tag:yaml.org,2002:timestamp":
        return node.value
    return loader.construct_object(node, deep=True)


# libyaml's parser when PyYAML has it (the same nodes and line marks, several times faster).
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str, path: str, line_offset: int = 0):
    """Parse YAML text. Returns the data; raises ContentError with line numbers on any problem."""
    problems: list[Problem] = []
    loader = None
    try:
        loader = _Loader(text)
        node = loader.get_single_node()
        if node is None:
            raise ContentError([Problem(path, 1 + line_offset, "the file is empty")])
        data = _build(node, loader, path, problems, line_offset)
    except yaml.reader.ReaderError as exc:
        line = text[:exc.position].count("\n") + 1 + line_offset
        raise ContentError([Problem(path, line, f"YAML: character {exc.character!r} cannot appear in a YAML file")]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 if mark else 1) + line_offset
        what = exc.problem or "not valid YAML"
        hint = ""
        if "mapping values are not allowed" in what:
            hint = " (put text that contains ': ' in quotes)"
        elif "found character '\\t'" in what or "tab character" in what:
            hint = " (use spaces, not tabs, to indent)"
        raise ContentError([Problem(path, line, f"YAML: {what}{hint}")]) from None
    except yaml.YAMLError as exc:
        raise ContentError([Problem(path, 1 + line_offset, f"YAML: {exc}")]) from None
    finally:
        if loader is not None:
            loader.dispose()
    if problems:
        raise ContentError(problems)
    return data


def load_yaml_file(path: str | Path, shown: str | None = None):
    """Read and parse a YAML file; problems carry ``shown`` (default: the path) as their file."""
    shown = shown or str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError([Problem(shown, 1, f"not UTF-8 text ({exc.reason} at byte {exc.start})")]) from None
    except OSError as exc:
        raise ContentError([Problem(shown, 1, f"cannot read: {exc.strerror}")]) from None
    return parse_yaml(text, shown)


def split_front_matter(text: str, path: str):
    """Split a MyST page into (front matter data or None, body, line where the body starts)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None, text, 1
    for i in range(1, len(lines)):
        if lines[i].strip() == "---":
            fm = "\n".join(lines[1:i])
            data = parse_yaml(fm, path, line_offset=1) if fm.strip() else LDict()
            return data, "\n".join(lines[i + 1:]), i + 2
    raise ContentError([Problem(path, 1, "front matter starts with '---' but has no closing '---'")])
