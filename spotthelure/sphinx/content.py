"""The book's content as one build sees it: loaded once, shared by directives, nodes and build state."""
from __future__ import annotations

from pathlib import Path

from ..project import Project, load_project

_PROJECT_KEY = "_spotthelure_project"


def project(app) -> Project:
    """The book's content, loaded once a build (at ``builder-inited``; here if a step needs it sooner)."""
    pr = getattr(app, _PROJECT_KEY, None)
    if pr is None:
        from .. import i18n, translate
        lang = translate.tag(app.config.language or "en")
        # `spotthelure build` reported the content's problems before the build: their wording here
        # is never shown, so every language's build loads the files as the first one did (each file
        # is then parsed and checked once for all the languages).
        words = None if getattr(app.config, "spotthelure_checked", False) else i18n.current_language()
        with i18n.language(words):
            pr = load_project(Path(app.srcdir), lang if lang != "en" else None)
        setattr(app, _PROJECT_KEY, pr)
    return pr
