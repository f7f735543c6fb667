"""YAML loading that remembers the line of every key and list entry.

Authors get ``path:line:`` in every message, so the loader keeps, for each mapping and list, the
line where each key or entry starts. Duplicate keys are errors (PyYAML silently keeps the last).
Dates stay strings, as typed.

Content is untrusted, so the loader has limits, each reported as ``path:line``: no anchors or
aliases (an alias bomb grows without end), nesting at most ``MAX_DEPTH`` deep (checked on the
parser's events, before libyaml's recursive composer sees it), at most ``MAX_BYTES`` of text and
``MAX_NODES`` values, and no control characters in text (``BAD_CHARS``).
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from .i18n import _
from .problems import ContentError, Problem, escape

MAX_BYTES = 2 * 1024 * 1024   # the largest content file is ~40 kB
MAX_DEPTH = 60                # content nests about 6 deep
MAX_NODES = 100_000           # values (scalars, lists, mappings) in one file
MAX_PROBLEMS = 100            # problems reported per file; the rest are counted
# C0 controls but tab and newline, DEL, C1 controls, and the non-characters U+FFFE/U+FFFF.
BAD_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")


def text_problem(value: str) -> str | None:
    """What is wrong with a text value that holds a control character, or None."""
    m = BAD_CHARS.search(value)
    if m is None:
        return None
    if m.group() == "\r":
        return _("a carriage return ({character}) is not allowed in text; remove it").format(
            character=escape(m.group()))
    return _("a control character ({character}) is not allowed in text; remove it").format(character=escape(m.group()))


def cap(problems: list[Problem], limit: int = MAX_PROBLEMS) -> list[Problem]:
    """At most ``limit`` problems per file, and one line saying how many more there are."""
    out: list[Problem] = []
    by_file: dict[str, int] = {}
    for p in sorted(problems):
        n = by_file[p.path] = by_file.get(p.path, 0) + 1
        if n <= limit:
            out.append(p)
    for path, n in by_file.items():
        if n > limit:
            out.append(Problem(path, max(q.line for q in problems if q.path == path),
                               _("... and {n} more problems in this file (mend these first)").format(n=n - limit)))
    return out


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
            if not isinstance(knode, yaml.ScalarNode):
                problems.append(Problem(path, knode.start_mark.line + 1 + offset, _("a key must be plain text")))
                continue
            # A key is the text as typed: `1:` and `true:` are two keys, not 1 == True.
            key = knode.value
            bad = text_problem(key)
            if bad:
                problems.append(Problem(path, knode.start_mark.line + 1 + offset, _("key: {bad}").format(bad=bad)))
                continue
            if key in out:
                problems.append(Problem(path, knode.start_mark.line + 1 + offset,
                                        _("'{key}' appears twice; keep one").format(key=key)))
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
    value = loader.construct_object(node, deep=True)
    if isinstance(value, str):
        bad = text_problem(value)
        if bad:
            problems.append(Problem(path, line, bad))
    return value


def _limits(text: str, path: str, offset: int) -> None:
    """Refuse anchors, aliases, deep nesting and too many values, from the parser's events.

    libyaml's parser keeps its own stack (no recursion), so this pass is safe on any input; the
    composer that runs after it recurses once per level, and PyYAML expands aliases without end.
    """
    def stop(event, msg):
        raise ContentError([Problem(path, event.start_mark.line + 1 + offset, msg)])
    depth = nodes = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            stop(event, _("YAML: an alias (*{anchor}) repeats other text; write the text out in full (anchors and "
                           "aliases are not used in this book)").format(anchor=escape(str(event.anchor))))
        if isinstance(event, yaml.NodeEvent):
            nodes += 1
            if event.anchor is not None:
                stop(event, _("YAML: an anchor (&{anchor}) is not used in this book; write the text out in full").format(
                    anchor=escape(str(event.anchor))))
            if nodes > MAX_NODES:
                stop(event, _("YAML: more than {n} values in one file; split it up").format(n=f"{MAX_NODES:,}"))
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                stop(event, _("YAML: nested more than {n} levels deep").format(n=MAX_DEPTH))
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


# libyaml's parser when PyYAML has it (the same nodes and line marks, several times faster).
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str, path: str, line_offset: int = 0):
    """Parse YAML text. Returns the data; raises ContentError with line numbers on any problem."""
    problems: list[Problem] = []
    loader = None
    if len(text) > MAX_BYTES:
        raise ContentError([Problem(path, 1 + line_offset, _("the file is larger than {n} MB; content files are a few kilobytes").format(
            n=MAX_BYTES // 1024 // 1024))])
    try:
        _limits(text, path, line_offset)
        loader = _Loader(text)
        node = loader.get_single_node()
        if node is None:
            raise ContentError([Problem(path, 1 + line_offset, _("the file is empty"))])
        data = _build(node, loader, path, problems, line_offset)
    except yaml.reader.ReaderError as exc:
        line = text[:exc.position].count("\n") + 1 + line_offset
        raise ContentError([Problem(path, line, _("YAML: character {character} cannot appear in a YAML file").format(
            character=repr(exc.character)))]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 if mark else 1) + line_offset
        what = exc.problem or _("not valid YAML")
        hint = ""
        lines = text.split("\n")
        at = lines[mark.line][mark.column:mark.column + 1] if mark and mark.line < len(lines) else ""
        if "mapping values are not allowed" in what:
            hint = _(" (put text that contains ': ' in quotes)")
        elif at == "\t" or "found character '\\t'" in what or "tab character" in what:
            hint = _(" (use spaces, not tabs, to indent)")
        raise ContentError([Problem(path, line, _("YAML: {error}{hint}").format(
            error=escape(what), hint=hint))]) from None
    except RecursionError:
        raise ContentError([Problem(path, 1 + line_offset, _("YAML: nested too deep (more than {n} levels)").format(
            n=MAX_DEPTH))]) from None
    except yaml.YAMLError as exc:
        raise ContentError([Problem(path, 1 + line_offset, _("YAML: {error}").format(
            error=escape(str(exc))))]) from None
    finally:
        if loader is not None:
            loader.dispose()
    if problems:
        raise ContentError(cap(problems))
    return data


def load_yaml_file(path: str | Path, shown: str | None = None):
    """Read and parse a YAML file; problems carry ``shown`` (default: the path) as their file."""
    shown = shown or str(path)
    return parse_yaml(read_text(path, shown), shown)


def read_text(path: str | Path, shown: str | None = None, limit: int = MAX_BYTES) -> str:
    """The UTF-8 text of a regular file of at most ``limit`` bytes, or ContentError saying why not.

    Folders, dangling links, devices and pipes are refused before anything is read, so no read
    can block or run without end (a link to /dev/zero, a FIFO).
    """
    p = Path(path)
    shown = shown or str(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        msg = _("a link to a file that does not exist") if p.is_symlink() else _("no such file")
        raise ContentError([Problem(shown, 1, msg)]) from None
    except OSError as exc:
        raise ContentError([Problem(shown, 1, _("cannot read: {strerror}").format(strerror=exc.strerror))]) from None
    import stat as _stat
    if _stat.S_ISDIR(st.st_mode):
        raise ContentError([Problem(shown, 1, _("is a folder, not a file"))])
    if not _stat.S_ISREG(st.st_mode):
        raise ContentError([Problem(shown, 1, _("is not a regular file (a device, pipe or socket); name a file"))])
    if st.st_size > limit:
        raise ContentError([Problem(shown, 1, _("the file is larger than {n} MB; content files are a few kilobytes").format(
            n=limit // 1024 // 1024))])
    try:
        with open(p, "rb") as f:
            raw = f.read(limit + 1)
    except OSError as exc:
        raise ContentError([Problem(shown, 1, _("cannot read: {strerror}").format(strerror=exc.strerror))]) from None
    if len(raw) > limit:
        raise ContentError([Problem(shown, 1, _("the file is larger than {n} MB").format(n=limit // 1024 // 1024))])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise ContentError([Problem(shown, line, _("not UTF-8 text ({reason} at byte {start})").format(
            reason=exc.reason, start=exc.start))]) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")   # as Path.read_text: any line end is a line end


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
    raise ContentError([Problem(path, 1, _("front matter starts with '---' but has no closing '---'"))])
