"""Writing files safely: a leaf module (it imports nothing else of the package but ``problems``
and ``i18n``), used by the command line, the PDF maker, the printables and the analysis.

Every file is written through a temporary file in the same folder and moved into place only when
it is complete, so nothing is half-written; no command writes over one of its inputs or over the
book's content (:func:`check_output`).
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from .i18n import _
from .problems import ContentError, Problem

# The book's content: no command writes into these (folders) or over these (files).
CONTENT_DIRS = ("activities", "book", "data", "notebooks")
CONTENT_FILES = ("local.yml", "references.bib", "_toc.yml", "_config.yml")


def book_root_of(p: Path) -> Path | None:
    for d in [p, *p.parents]:
        if (d / "_config.yml").is_file() and (d / "activities").is_dir():
            return d
    return None


def check_output(path: str | Path, inputs=(), folder: bool = False) -> None:
    """Raise ContentError when writing ``path`` (a file, or a folder with ``folder``) could lose
    something: it is one of ``inputs`` (the files the command reads), part of the book's content,
    a folder (or, with ``folder``, a file), a device or pipe, or its parent is a file."""
    shown = str(path)
    p = Path(path)
    where = p.parent.resolve() / p.name           # a link named as the output is replaced, not followed

    def no(msg):
        raise ContentError([Problem(shown, 1, msg)])

    for parent in where.parents:
        if parent.exists() and not parent.is_dir():
            no(_("cannot write here: {parent} is a file, not a folder").format(parent=parent))
    if p.exists() or p.is_symlink():
        if folder:
            if not p.is_dir():
                no(_("is a file; name a folder for the output"))
        elif p.is_dir():
            no(_("is a folder; name the file to write (for example report.html)"))
        elif p.exists() and not p.is_file():
            no(_("is not a regular file (a device, pipe or socket); name a file"))
        for i in inputs:
            try:
                same = p.exists() and Path(i).exists() and os.path.samefile(p, i)
            except OSError:
                same = False
            if same:
                no(_("is an input of this command ({input}); writing there would destroy it: name another file")
                   .format(input=i))
    root = book_root_of(where.parent if not folder else where)
    if root is not None:
        rel = where.relative_to(root).parts if where.is_relative_to(root) else ()
        # Synthetic example answers under data/ are generated (analysis.synthetic.write_synthetic_pair):
        # they may be made again.
        generated = rel[:1] == ("data",) and "synthetic" in rel[-1].lower() and not folder
        if rel and not generated and (rel[0] in CONTENT_DIRS or (len(rel) == 1 and rel[0] in CONTENT_FILES)):
            no(_("is part of the book's content ({part}); write outputs elsewhere, for example under _build/")
               .format(part="/".join(rel[:1])))


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _cannot_write(path: Path, exc: OSError) -> ContentError:
    return ContentError([Problem(str(path), 1, _("cannot write: {why}").format(why=exc.strerror or exc))])


@contextlib.contextmanager
def temporary_beside(path: Path):
    """Yield a temporary path in ``path``'s folder; when the block ends without an error, the file
    written there gets the permissions of a newly made file (0666 less the umask) and replaces
    ``path``; otherwise it is removed. OS errors become ``path:1: cannot write: why``."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        os.close(fd)
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise _cannot_write(path, exc) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def replace_file(path: Path, data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` through a temporary file; no policy checks."""
    with temporary_beside(path) as tmp:
        tmp.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def atomic_write(path: Path, data: str | bytes, inputs=()) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder.

    Refuses (ContentError, ``path:1: why``) what :func:`check_output` refuses. The file gets the
    permissions of a newly made file (0666 less the umask), not the temporary file's 0600.
    """
    path = Path(path)
    check_output(path, inputs)
    replace_file(path, data)


def deterministic_zip(files) -> bytes:
    """A zip of ``files`` ((name, text or bytes) pairs, in that order) whose bytes depend on the
    files alone: a fixed date and mode on every entry, so the same content gives the same package
    (QTI, SCORM and H5P exports)."""
    import io
    import zipfile
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data.encode("utf-8") if isinstance(data, str) else data)
    return buf.getvalue()
