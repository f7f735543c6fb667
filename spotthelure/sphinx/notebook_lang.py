"""Student modules in the page's language.

A notebook runs once, in English, for every language (one shared execution cache). In a translated
build, each code cell whose last line is a call of the notebook helpers (``show("q1214-1")``,
``get_help("12-14")``, ``summary([...])``, the campaign planner's ``planner()``, with literal arguments
only) has its output drawn again
here, by the same helper, in the build's language and from the translated content: the same
structure, ids and answers, the words of the language's catalogs. Any other cell keeps the output
its run gave, marked as English.
"""
from __future__ import annotations

import ast
import json
from pathlib import Path

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from .content import project

CALLS = ("show", "get_help", "summary", "planner")


def helper_call(source: str) -> tuple[str, list, dict] | None:
    """The helper the cell's last statement calls, with its literal arguments, or None."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    last = tree.body[-1] if tree.body else None
    if not (isinstance(last, ast.Expr) and isinstance(last.value, ast.Call)
            and isinstance(last.value.func, ast.Name) and last.value.func.id in CALLS):
        return None
    call = last.value
    try:
        args = [ast.literal_eval(a) for a in call.args]
        kwargs = {k.arg: ast.literal_eval(k.value) for k in call.keywords if k.arg}
    except ValueError:
        return None
    if len(kwargs) != len(call.keywords):
        return None
    return call.func.id, args, kwargs


def draw_again(name: str, args: list, kwargs: dict, root: Path, docname: str):
    """What the helper ``name`` shows, drawn again in the current language (:func:`helper_call`'s
    call): the campaign planner from :mod:`spotthelure.campaign_widget` (the book at ``root``, its
    links from ``docname`` unless the call names them), the others from :mod:`spotthelure.notebook`."""
    if name == "planner":
        from ..campaign_widget import planner
        if not args:
            kwargs = {"root": root, "page": docname, **kwargs}
        return planner(*args, **kwargs)
    from .. import notebook
    return getattr(notebook, name)(*args, **kwargs)


class TranslateNotebookOutputs(SphinxPostTransform):
    """In a translated build, the notebook helpers' outputs drawn again in the page's language."""
    default_priority = 5        # after myst-nb picks the output's mime type (priority 4)
    formats = ("html",)

    def run(self, **kwargs) -> None:
        from .. import i18n, notebook, translate
        lang = translate.tag(self.app.config.language or "en")
        path = Path(self.env.doc2path(self.env.docname))
        if lang == i18n.SOURCE_LANGUAGE or path.suffix != ".ipynb":
            return
        try:
            cells = json.loads(path.read_text(encoding="utf-8")).get("cells") or []
        except (OSError, ValueError):
            return
        pr = project(self.app)
        for cell in self.document.findall(nodes.container):
            i = cell.get("cell_index")
            if cell.get("nb_element") != "cell_code" or not isinstance(i, int) or not 0 <= i < len(cells):
                continue
            src = cells[i].get("source")
            call = helper_call("".join(src) if isinstance(src, list) else str(src or ""))
            raws = [r for out in cell.findall(nodes.container) if "cell_output" in out.get("classes", [])
                    for r in out.findall(nodes.raw) if r.get("format") == "html"]
            if not raws:
                continue
            if call is None:
                # a cell whose output cannot be drawn again (a chart, the evaluation's tables) stays
                # English: marked so, for screen readers and for the reader
                for r in raws:
                    r.replace_self(nodes.raw("", f'<div lang="en" dir="ltr">{r.astext()}</div>', format="html"))
                continue
            name, args, kw = call
            before = notebook._PROJECT
            notebook._PROJECT = pr
            try:
                with i18n.language(lang), notebook.static_only():     # the HTML alone: no widget to make
                    shown = draw_again(name, args, kw, Path(self.app.srcdir), self.env.docname)
                    bundle = (shown._repr_mimebundle_() if hasattr(shown, "_repr_mimebundle_")
                              else {"text/html": shown._repr_html_()})
            except Exception:   # noqa: BLE001 - the English output stays; validate reports bad content
                continue
            finally:
                notebook._PROJECT = before
            data = bundle[0] if isinstance(bundle, tuple) else bundle
            html = data.get("text/html") if isinstance(data, dict) else None
            if not html:
                continue
            raws[0].replace_self(nodes.raw("", html, format="html"))
            for extra in raws[1:]:
                extra.parent.remove(extra)
