"""The one Jinja2 environment every renderer uses.

Templates live in ``spotthelure/templates/``. Autoescaping is on for ``.html`` and ``.xml``, so
every value a template prints is escaped unless it is :class:`markupsafe.Markup`, and the only
Markup that comes from content is the output of the markdown renderer (the ``md`` and
``md_block`` globals, :mod:`spotthelure.text`). Words go through the gettext callables of
:mod:`spotthelure.i18n` (``_``, ``ngettext``, ``pgettext``) and content labels through ``label``;
an undefined name is an error, not an empty string.
"""
from __future__ import annotations

import functools

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from . import i18n, text


@functools.lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("spotthelure", "templates"),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True, default=True),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,   # the templates are package files: no stat per render
    )
    # A translation is text, never markup: Jinja marks what gettext returns as safe, so it is
    # escaped here first (a translator's "<" or '"' shows as written and cannot open a tag or
    # leave an attribute). Values passed to the message are escaped by Jinja as usual.
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda m: escape(i18n._(m)),
        ngettext=lambda s, p, n: escape(i18n.ngettext(s, p, n)),
        pgettext=lambda c, m: escape(i18n.pgettext(c, m)),
        npgettext=lambda c, s, p, n: escape(i18n.npgettext(c, s, p, n)),
        newstyle=True)
    from .translate import direction
    env.globals.update(label=i18n.label, labels=i18n.labels, md=text.inline, md_block=text.block,
                       text_dir=direction)
    return env


def render(name: str, **context) -> str:
    """Render template ``name`` with ``context``; the result is a plain string of HTML."""
    return str(environment().get_template(name).render(**context))


def markup(rendered: str) -> Markup:
    """HTML this package built itself (a rendered template, the help box) to put inside another template."""
    return Markup(rendered)
