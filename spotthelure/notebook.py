"""What the notebooks call: ``show(id)`` displays an activity live (a widget, in Jupyter and
Voilà) and, in the same output, as static HTML that the built book uses with no kernel."""
from __future__ import annotations

import contextlib
from pathlib import Path

from .i18n import _, label, pgettext
from .problems import Problem
from .project import find_root, load_project
from .render_html import _js_strings, activity_html
from .templating import render

_PROJECT = None
_SHOWN: list = []
_STATIC = False


@contextlib.contextmanager
def static_only():
    """Inside, the helpers draw the static HTML alone, with no live widget: what a build that draws
    the outputs again in another language uses (:mod:`spotthelure.sphinx.notebook_lang`); the HTML
    is the same as in a live output."""
    global _STATIC
    before, _STATIC = _STATIC, True
    try:
        yield
    finally:
        _STATIC = before


def project():
    global _PROJECT
    if _PROJECT is None:
        _PROJECT = load_project(find_root(Path.cwd()))
    return _PROJECT


def _resolve(target: str):
    path, _, anchor = target.lstrip("/").partition("#")
    return "../book/" + path + ".html" + ("#" + anchor if anchor else "")


class Shown:
    """A display object carrying both the live widget and the static HTML of one activity."""

    def __init__(self, kind: str, data: dict, widget):
        self.kind, self.data, self.widget = kind, data, widget
        self.html = activity_html(kind, data, _resolve, heading_level=3, pr=project())

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = {"text/html": self.html, "text/plain": pgettext("activity title", "%(kind)s: %(title)s")
                  % {"kind": label("kind", self.kind), "title": self.data["title"]}}
        if self.widget is not None:
            wb = self.widget.view._repr_mimebundle_()
            if isinstance(wb, tuple):
                wb = wb[0]
            if wb and "application/vnd.jupyter.widget-view+json" in wb:
                bundle["application/vnd.jupyter.widget-view+json"] = wb["application/vnd.jupyter.widget-view+json"]
        return bundle


class Unavailable:
    """Shown instead of an activity whose file has problems: the problems, as path:line, and no traceback.

    The notebook keeps running; the book's build reports the same problems and fails until they are mended.
    """

    def __init__(self, problems: list[Problem]):
        self.problems = problems

    def _repr_mimebundle_(self, include=None, exclude=None):
        text = _("This activity cannot be shown until its file is mended:") + "\n" + "\n".join(map(str, self.problems))
        return {"text/html": render("notebook/unavailable.html", problems=[str(p) for p in self.problems]),
                "text/plain": text}


def show(activity_id: str) -> Shown | Unavailable:
    from .render_widgets import QuizWidget, ScenarioWidget
    pr = project()
    act = pr.activities.get(activity_id)
    if act is None:
        return Unavailable([Problem("activities/", 1, _("no activity with id '%(id)s'") % {"id": activity_id})])
    bad = [p for p in pr.problems if p.path == act.rel]
    if bad:
        return Unavailable(bad)
    widget = None if _STATIC else {"quiz": QuizWidget, "scenario": ScenarioWidget}.get(act.kind)
    w = widget(act.data) if widget else None
    shown = Shown(act.kind, act.data, w)
    if not _STATIC:
        _SHOWN.append(shown)
    return shown


def summary_html(ids: list[str]) -> str:
    """A progress box that the page's script fills from this browser's saved answers."""
    pr = project()
    return render("notebook/summary.html", js_strings=_js_strings(),
                  rows=[(i, pr.activities[i].data["title"]) for i in ids if i in pr.activities])


class StaticSummary:
    """The score summary without a kernel (:func:`static_only`): the book's box alone."""

    def __init__(self, ids: list[str]):
        self.ids = ids

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": summary_html(self.ids), "text/plain": _("My progress")}


class Summary:
    """The score summary: live from the widgets in a kernel, from saved answers in the book."""

    def __init__(self, ids: list[str]):
        import ipywidgets as W
        self.ids = ids
        self.out = W.HTML()
        self.button = W.Button(description=_("Update my progress"))
        self.button.on_click(lambda _: self.refresh())
        self.view = W.VBox([W.HTML(render("notebook/progress_title.html")), self.out, self.button])
        self.refresh()

    def refresh(self):
        from .render_widgets import QuizWidget, ScenarioWidget
        rows = []
        for s in _SHOWN:
            if s.data["id"] not in self.ids or s.widget is None:
                continue
            w = s.widget
            if isinstance(w, QuizWidget):
                rows.append({"kind": "quiz", "title": s.data["title"], "answered": w.answered, "total": len(w.items),
                             "right": w.right})
            elif isinstance(w, ScenarioWidget):
                rows.append({"kind": "scenario", "title": s.data["title"], "found": len(w.endings),
                             "total": sum(1 for n in s.data["nodes"] if n.get("ending"))})
        self.out.value = render("notebook/progress.html", rows=rows)

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = {"text/html": summary_html(self.ids), "text/plain": _("My progress")}
        wb = self.view._repr_mimebundle_()
        if isinstance(wb, tuple):
            wb = wb[0]
        if wb and "application/vnd.jupyter.widget-view+json" in wb:
            bundle["application/vnd.jupyter.widget-view+json"] = wb["application/vnd.jupyter.widget-view+json"]
        return bundle


def summary(ids: list[str]) -> Summary | StaticSummary:
    return StaticSummary(ids) if _STATIC else Summary(ids)


def get_help(band: str | None = None):
    """The Get help box for ``band`` (from local.yml), what this page keeps on the device, and the
    control that clears it. The page's script adds the quick-exit control to pages that have these."""
    from IPython.display import HTML
    from .helpbox import help_box_html, lifeline_html
    privacy = render("notebook/privacy.html")
    return HTML(lifeline_html(project(), band) + "\n" + help_box_html(project(), band, heading_level=2) + "\n" + privacy)
