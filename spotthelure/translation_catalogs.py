"""``make translations`` (``spotthelure i18n translations``): the pages' message templates from
Sphinx's gettext builder, each language's page catalogs brought up to them with sphinx-intl, and
the share of messages translated and reviewed per language and catalog."""
from __future__ import annotations

from pathlib import Path

from .i18n import _
from .problems import Problem
from .translate import DOMAIN, catalog_path, code, counts, locales_dir
from .translation_status import read_status


def page_templates(root: Path) -> Path:
    """Every page's messages as Sphinx's gettext builder extracts them, one ``.pot`` per page, in
    ``_build/gettext`` (``gettext_compact = False``: one catalog per page)."""
    from jupyter_book.sphinx import build_sphinx
    out = Path(root) / "_build" / "gettext"
    result = build_sphinx(Path(root), out, noconfig=True, path_config=str(Path(root) / "_config.yml"),
                          confoverrides={"external_toc_path": (Path(root) / "_toc.yml").as_posix(),
                                         "latex_individualpages": False,
                                         "nb_execution_cache_path": str(Path(root) / "_build" / ".jupyter_cache")},
                          doctreedir=Path(root) / "_build" / ".doctrees-gettext", builder="gettext", quiet=True)
    if result:
        from .problems import ContentError
        raise ContentError([Problem("_config.yml", 1, _("the pages' messages could not be extracted (sphinx gettext): "
                                                        "run 'spotthelure build' to see why"))])
    return out


def update_pages(root: Path, pot_dir: Path, langs: list[str]) -> list[Path]:
    """Each language's page catalogs ``locales/<code>/LC_MESSAGES/<page>.po`` brought up to the
    page templates, with sphinx-intl (a new page starts from its template)."""
    from sphinx_intl import basic
    before = {p: p.read_bytes() for p in locales_dir(root).rglob("*.po")}
    basic.update(str(locales_dir(root)), str(pot_dir), tuple(code(x) for x in langs))
    return sorted(p for p in locales_dir(root).rglob("*.po") if before.get(p) != p.read_bytes())


def coverage(root: Path, lang: str) -> dict[str, tuple[int, int, int]]:
    """Per catalog (pages, activities, UI): (messages translated, messages reviewed, messages)."""
    st = read_status(root, lang)
    lc = locales_dir(root) / code(lang) / "LC_MESSAGES"
    out = {}
    done = rev = total = 0
    for po in sorted(lc.rglob("*.po")) if lc.is_dir() else []:
        if po.name == f"{DOMAIN}.po" and po.parent == lc:
            continue
        d, t = counts(po)
        doc = po.relative_to(lc).with_suffix("").as_posix()
        done, total = done + d, total + t
        rev += d if st.reviewed_page(doc) else 0
    out["pages"] = (done, rev, total)
    d, t = counts(catalog_path(root, lang))
    out["activities"] = (d, d if st.reviewed_catalog("activities") else 0, t)
    from .catalog import po_path
    d, t = counts(po_path(lang))
    out["ui"] = (d, d if st.reviewed_catalog("ui") else 0, t)
    return out


def coverage_table(root: Path, langs: list[str]) -> str:
    """The share of messages translated and reviewed, per language and catalog, as a text table."""
    def pct(n, t):
        return f"{100 * n / t:5.1f}%" if t else "    -"
    head = f"{_('language'):<9} " + " ".join(f"{name:>23}" for name in (_("pages"), _("activities"), _("UI")))
    sub = f"{'':<9} " + " ".join(f"{_('translated'):>11} {_('reviewed'):>11}" for _x in range(3))
    rows = [head, sub]
    for lang in langs:
        cov = coverage(root, lang)
        rows.append(f"{lang:<9} " + " ".join(f"{pct(d, t):>11} {pct(r, t):>11}" for d, r, t in
                                             (cov["pages"], cov["activities"], cov["ui"])))
    return "\n".join(rows)
