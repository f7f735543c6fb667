"""A notebook cell that fails is reported as ``path: cell N: the cell's own error``, and the build goes
on to report everything else and then fails (instead of ending in a Sphinx traceback)."""
from __future__ import annotations

import json
import re

from docutils import nodes
from sphinx.util import logging

from ..i18n import _

logger = logging.getLogger(__name__)

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def guard_notebook_parser() -> None:
    """A notebook cell that fails is reported as ``path: cell N: the cell's own error``, and the build
    goes on to report everything else and then fails (instead of ending in a Sphinx traceback)."""
    try:
        from myst_nb.core.execute.base import ExecutionError
        from myst_nb.sphinx_ import Parser
    except ImportError:
        return
    if getattr(Parser, "_spotthelure_guarded", False):
        return
    parse = Parser.parse

    def guarded(self, inputstring, document):
        try:
            return parse(self, inputstring, document)
        except ExecutionError as e:
            document.attributes.pop("nb_renderer", None)   # myst-nb's, removed after a parse that ends well
            env = document.settings.env
            logger.error(_cell_error(inputstring, e.__cause__), location=f"{env.doc2path(env.docname)}:1",
                         type="spotthelure")
            section = nodes.section(ids=["notebook-failed"])
            section += nodes.title("", _("This notebook could not be run"))
            document += section
    Parser.parse = guarded
    Parser._spotthelure_guarded = True


def _cell_error(source: str, err) -> str:
    """'cell N: ExceptionName: message', N counting every cell from 1, from nbclient's error."""
    ename, evalue = getattr(err, "ename", None), getattr(err, "evalue", None)
    what = f"{ename}: {evalue}" if ename else (str(err).strip().splitlines() or [_("the notebook failed")])[-1]
    what = _ANSI.sub("", what)
    number = ""
    m = re.search(r"the following cell:\n-+\n(.*?)\n-+\n", str(err), re.S)
    if m:
        try:
            cells = json.loads(source).get("cells", [])
        except ValueError:
            cells = []
        for i, cell in enumerate(cells):
            src = cell.get("source", "")
            if ("".join(src) if isinstance(src, list) else src).strip() == m.group(1).strip():
                number = _("cell {n}: ").format(n=i + 1)
                break
    return number + _("{what} (the notebook stopped here; run it in Jupyter to see the whole error)").format(what=what)
