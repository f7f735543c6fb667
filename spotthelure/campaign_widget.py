"""The campaign planner in notebooks and ``make live``: a live ipywidgets planner and, in the same
output, the static planner the built book shows without a kernel. The data and its checks are in
:mod:`spotthelure.campaign`; the HTML in :mod:`spotthelure.campaign_html`."""
from __future__ import annotations

from html import escape
from pathlib import Path

from . import notebook
from .campaign import FILE, campaign_problems, count_text, fitting, load_campaign
from .campaign_html import book_href, in_language, plain_cite, planner_html, rows_html
from .i18n import _, current_language
from .notebook import Unavailable
from .problems import ContentError, Problem
from .project import find_root, load_project


def planner_widget(root: Path | None = None, lang: str | None = None):
    """The planner as ipywidgets: tick groups and objectives, and the fitting tools appear below
    (the same rows, words and links as the book's page). Returns the widget; its ``.group_boxes``,
    ``.objective_boxes`` and ``.table`` are there for tests and for notebooks that lay it out.

    In ``lang``, or else in the notebook's language (the one its words are drawn in:
    :func:`spotthelure.i18n.current_language`): the words from the book's content catalog, English
    where it has none."""
    import ipywidgets as w

    root = find_root(root)
    c, problems = load_campaign(root)
    if c is None or problems:
        first = problems[0] if problems else Problem(FILE, 1, _("the campaign planner has no data"))
        raise ContentError(problems or [first])
    c = in_language(c, root, lang or current_language())
    boxes = lambda names: [w.Checkbox(value=False, description=name, indent=False,  # noqa: E731
                                      layout=w.Layout(width="auto")) for name in names.values()]
    gboxes, oboxes = boxes(c.groups), boxes(c.objectives)
    status = w.HTML()
    table = w.HTML()

    def update(_change=None):
        gs = [gid for gid, b in zip(c.groups, gboxes) if b.value]
        os_ = [oid for oid, b in zip(c.objectives, oboxes) if b.value]
        tools = fitting(c, gs, os_)
        status.value = f'<p role="status">{escape(count_text(len(tools)))}</p>'
        table.value = rows_html(c, tools, href=book_href("notebooks/campaign"), cite=plain_cite(root))
    for b in gboxes + oboxes:
        b.observe(update, names="value")
    update()
    ui = w.VBox([w.HTML(f"<h3>{escape(_('Who do you want to reach?'))}</h3>"), w.VBox(gboxes),
                 w.HTML(f"<h3>{escape(_('What do you want to achieve?'))}</h3>"), w.VBox(oboxes), status, table])
    ui.group_boxes, ui.objective_boxes, ui.table, ui.status = gboxes, oboxes, table, status
    return ui


class PlannerView:
    """The planner in a notebook: the live widget (Jupyter, Voilà) and, in the same output, the static
    planner that the built book shows without a kernel (its page loads the planner's script)."""

    def __init__(self, widget, html: str):
        self.widget, self.html = widget, html

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = {"text/html": self.html, "text/plain": _("The campaign planner")}
        if self.widget is None:             # drawn without a kernel (notebook.static_only)
            return bundle
        wb = self.widget._repr_mimebundle_()
        if isinstance(wb, tuple):
            wb = wb[0]
        if wb and "application/vnd.jupyter.widget-view+json" in wb:
            bundle["application/vnd.jupyter.widget-view+json"] = wb["application/vnd.jupyter.widget-view+json"]
        return bundle


def planner(root: Path | None = None, page: str = "notebooks/campaign-planner", lang: str | None = None):
    """What a notebook calls: ``planner()`` shows the planner live and as static HTML, in ``lang`` or
    the notebook's language (as :func:`planner_widget`); a planner file with problems shows them as
    ``path:line`` instead (no traceback)."""
    root = find_root(root)
    c, problems = load_campaign(root)
    if c is not None and not problems:
        # the book a translated build has loaded already (notebook_lang hands it over), else the book
        pr = notebook._PROJECT if notebook._PROJECT is not None and notebook._PROJECT.root == root else None
        problems = campaign_problems(c, root, (pr or load_project(root)).bib_keys)
    if c is None or problems:
        return Unavailable(problems or [Problem(FILE, 1, _("the campaign planner has no data"))])
    lang = lang or current_language()
    return PlannerView(None if notebook._STATIC else planner_widget(root, lang),
                       planner_html(in_language(c, root, lang), book_href(page), plain_cite(root), level=2))
