"""The review record of a language: what a native-speaking educator has reviewed.

``locales/<code>/status.yml``. A review is recorded by the reviewer's role and place, never by name::

  reviews:
    - role: native-speaking teacher, Sweden
      date: 2026-12-01
      catalogs: [activities, ui]        # whole catalogs reviewed (activities, ui, pages)
      pages: [book/get-help]            # or single pages (Sphinx document names)
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .i18n import _
from .problems import Problem

REVIEW_CATALOGS = ("activities", "ui", "pages")
_REVIEW_KEYS = {"role", "date", "catalogs", "pages", "notes"}
_PERSONAL = {"name", "reviewer", "by", "person", "email", "author", "translator"}


@dataclass
class Status:
    lang: str
    path: str
    reviews: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    def reviewed_catalog(self, name: str) -> bool:
        return any(name in r.get("catalogs", ()) for r in self.reviews)

    def reviewed_page(self, docname: str) -> bool:
        return self.reviewed_catalog("pages") or any(docname in r.get("pages", ()) for r in self.reviews)


def status_path(root: Path, lang: str) -> Path:
    """``locales/<code>/status.yml``, beside the language's catalogs (the code in gettext's form, as
    :func:`spotthelure.translate.code` writes it: ``sr_Latn``)."""
    return Path(root) / "locales" / lang.replace("-", "_") / "status.yml"


def read_status(root: Path, lang: str, path: Path | None = None) -> Status:
    """The review record of ``lang`` (empty when there is none), checked: each review has a role
    and a date, names catalogs and pages that exist, and no person."""
    from .problems import ContentError
    from .schemas import DATE
    from .yamlload import load_yaml_file
    p = Path(path) if path else status_path(root, lang)
    try:
        rel = p.resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        rel = str(p)
    st = Status(lang, rel)
    if not p.is_file():
        return st
    try:
        data = load_yaml_file(p, rel)
    except ContentError as e:
        st.problems.extend(e.problems)
        return st
    if data is None:
        return st
    if not isinstance(data, dict) or set(data) - {"reviews"}:
        st.problems.append(Problem(rel, 1, _("a status file holds one field, 'reviews:', a list of reviews")))
        return st
    reviews = data.get("reviews") or []
    if not isinstance(reviews, list):
        st.problems.append(Problem(rel, data.line_of("reviews"), _("'reviews:' should be a list")))
        return st
    for i, r in enumerate(reviews):
        line = reviews.line_of(i) if hasattr(reviews, "line_of") else 1
        if not isinstance(r, dict):
            st.problems.append(Problem(rel, line, _("a review is a set of fields: role, date, catalogs or pages")))
            continue
        bad = False
        for k in r:
            kl = r.line_of(k) if hasattr(r, "line_of") else line
            if str(k).lower() in _PERSONAL:
                st.problems.append(Problem(rel, kl, _("'{key}': a review is recorded by the reviewer's role and place "
                                                      "(for example 'native-speaking teacher, Sweden'), never by name").format(key=k)))
                bad = True
            elif k not in _REVIEW_KEYS:
                st.problems.append(Problem(rel, kl, _("'{key}' is not a field of a review; use: {keys}").format(
                    key=k, keys=", ".join(sorted(_REVIEW_KEYS)))))
                bad = True
        if not isinstance(r.get("role"), str) or not r.get("role", "").strip():
            st.problems.append(Problem(rel, line, _("a review needs 'role:', who reviewed by role and place")))
            bad = True
        if not isinstance(r.get("date"), str) or not re.fullmatch(DATE["pattern"].lstrip("^"), str(r.get("date"))):
            st.problems.append(Problem(rel, r.line_of("date") if "date" in r else line,
                                       _("a review needs 'date:' as YYYY-MM-DD (in quotes)")))
            bad = True
        cats = r.get("catalogs") or []
        pages = r.get("pages") or []
        if not isinstance(cats, list) or any(c not in REVIEW_CATALOGS for c in cats):
            st.problems.append(Problem(rel, r.line_of("catalogs"), _("'catalogs:' lists some of: {names}").format(
                names=", ".join(REVIEW_CATALOGS))))
            bad = True
        if not isinstance(pages, list) or not all(isinstance(x, str) and x for x in pages):
            st.problems.append(Problem(rel, r.line_of("pages"), _("'pages:' lists pages by their name, for example book/get-help")))
            bad = True
        elif not cats and not pages:
            st.problems.append(Problem(rel, line, _("a review names what was reviewed: 'catalogs:' or 'pages:'")))
            bad = True
        if not bad:
            st.reviews.append({"role": r["role"], "date": r["date"], "catalogs": tuple(cats), "pages": tuple(pages)})
    return st
