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
from markupsafe import Markup

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
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=i18n._, ngettext=i18n.ngettext, pgettext=i18n.pgettext, npgettext=i18n.npgettext,
        newstyle=True)
    env.globals.update(label=i18n.label, md=text.inline, md_block=text.block)
    return env


def render(name: str, **context) -> str:
    """Render template ``name`` with ``context``; the result is a plain string of HTML."""
    return str(environment().get_template(name).render(**context))


def markup(rendered: str) -> Markup:
    """HTML this package built itself (a rendered template, the help box) to put inside another template."""
    return Markup(rendered)
