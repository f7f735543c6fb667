"""Checks that depend on the language of a text (rules in ``data/languages/<lang>.yml``): how a
lesson's objectives are worded, the terminology lint, and the reading level by age band."""
from __future__ import annotations

import functools
import json
from pathlib import Path

from . import checks, i18n, readability, terminology
from .i18n import _, safe_load_yaml
from .problems import ContentError, Problem
from .project import BAND_DIRS, Project
from .yamlload import read_text


def book_language(root: Path) -> str:
    """The language the book's pages are written in (_config.yml: sphinx.config.language)."""
    cfg = Path(root) / "_config.yml"
    try:
        st = cfg.stat()
    except OSError:
        return i18n.SOURCE_LANGUAGE
    return _config_language(str(cfg), (st.st_mtime_ns, st.st_size))


@functools.lru_cache(maxsize=16)
def _config_language(path: str, stamp: tuple) -> str:
    """Read once per version of the file (``stamp``): a check asks for every page."""
    import yaml
    try:
        cfg = safe_load_yaml(Path(path).read_text(encoding="utf-8")) or {}
        lang = ((cfg.get("sphinx") or {}).get("config") or {}).get("language")
    except (OSError, yaml.YAMLError, AttributeError):
        lang = None
    return lang if isinstance(lang, str) and lang else i18n.SOURCE_LANGUAGE


def page_language(pr: Project, data: dict | None = None) -> str:
    """The language of an activity or a lesson: the project's when it was loaded in a translation
    (``load_project(root, lang)``), else its own 'language:', else the book's."""
    if getattr(pr, "lang", "en") not in ("en", None):
        return pr.lang
    lang = data.get("language") if isinstance(data, dict) else None
    return lang if isinstance(lang, str) and lang else book_language(pr.root)


def objective_problems(o: dict, rel: str, line: int, lang: str) -> list[Problem]:
    """An objective opens with the language's wording ('Learners can') and an observable verb."""
    r = (i18n.rules(lang) or {}).get("objectives")
    if not isinstance(r, dict) or not r.get("openings"):
        return []
    text = " ".join(str(o.get("text", "")).split())
    opening = next((x for x in r["openings"] if text.startswith(str(x) + " ")), None)
    rest = text[len(opening):].split() if opening else []
    if not rest:
        return [Problem(rel, line, _("objective {id}: write it as '{opening} …' followed by something learners do that you can observe").format(
            id=o.get("id"), opening=r["openings"][0]))]
    if rest[0].lower() in {str(v).lower() for v in r.get("vague_verbs") or []}:
        return [Problem(rel, line, _("objective {id}: '{verb}' cannot be observed; use a verb such as {verbs}").format(
            id=o.get("id"), verb=rest[0], verbs=", ".join(map(str, r.get("observable_verbs") or []))))]
    return []


def _texts_and_languages(pr: Project):
    """(path, language, where the language is named) of every text the language rules look at."""
    book = book_language(pr.root)
    for a in pr.activities.values():
        lang = a.data.get("language")
        yield a.rel, (lang if isinstance(lang, str) and lang else book), (a.data.line_of("language") if lang else 1)
    for page in list(pr.lessons.values()):
        lesson = page.typed.get("lesson") or {}
        lang = lesson.get("language") if isinstance(lesson, dict) else None
        if isinstance(lang, str) and lang:
            yield page.rel, lang, checks.locate(page.typed, ["lesson", "language"])
    yield "_config.yml", book, 1


def language_notes(pr: Project) -> list[Problem]:
    """A note for each language the book's texts use that has no rules file: those texts are not
    checked for reading level, terminology or wording (never checked by another language's rules)."""
    out = []
    for rel, lang, line in _texts_and_languages(pr):
        if i18n.rules(lang) is None:
            out.append(Problem(rel, line, _("note: the language '{lang}' has no rules file ({file}), so the reading "
                                            "level, the terminology and the wording of this text were not "
                                            "checked").format(lang=lang, file=i18n.rules_path(lang))))
    out += readability.translation_notes(pr)        # translated activities, by their language's measure
    return out


def _check_words(pr: Project) -> list[Problem]:
    P: list[Problem] = []
    book = book_language(pr.root)
    langs = {a.rel: page_language(pr, a.data) for a in pr.activities.values()}
    from .language_rules import check_languages
    P += check_languages({book, *langs.values(), *(lang for _r, lang, _l in _texts_and_languages(pr))})
    P += terminology.lint_catalogs(pr.root)         # translations, by their own language's words
    files = [p for p in pr.root.joinpath("book").rglob("*.md")]
    files += list(pr.root.joinpath("activities").rglob("*.yml")) + list(pr.root.joinpath("notebooks").glob("*.ipynb"))
    files += [pr.root / "local.yml"]
    for p in files:
        rel = pr.rel(p)
        if rel in terminology.DISCUSSES_TERMS or not p.exists():
            continue
        try:
            P += terminology.lint_text(read_text(p, rel), rel, lang=langs.get(rel, book))
        except ContentError:
            pass                            # the loaders above report files that cannot be read
    # Reading level of student-facing text, by band, by the measure of its language.
    for a in pr.activities.values():
        limits = readability.limits(langs[a.rel])
        bands = [a.data.get("age_band")] if a.data.get("age_band") else list(a.data.get("audience") or [])
        bands = [b for b in bands if b in limits]
        if not bands or a.kind == "questionnaire":
            continue
        g = readability.grade(readability.student_text(a.kind, a.data), langs[a.rel])
        limit = min(limits[b] for b in bands)
        if g is not None and g > limit:
            P.append(Problem(a.rel, 1, _("reading level is {score}; for ages {bands} keep it at or below {limit} "
                                         "(shorter sentences, simpler words)").format(
                score=_score(g, langs[a.rel]), bands="/".join(bands), limit=limit)))
    limits = readability.limits(book)
    for rel, page in pr.pages.items():
        band = BAND_DIRS.get(Path(rel).parent.name)
        if band in limits and Path(rel).name == "take-home.md":
            g = readability.grade(readability.markdown_text(page.body), book)
            if g is not None and g > limits[band]:
                P.append(Problem(rel, page.body_line, _("reading level is {score}; a take-home sheet for ages {band} "
                                                        "keeps it at or below {limit}").format(
                    score=_score(g, book), band=band, limit=limits[band])))
    return P


def _score(g: float, lang: str) -> str:
    """A reading score named by its measure ("grade 6.2" for Flesch-Kincaid)."""
    measure = (readability.settings(lang) or {}).get("measure")
    if measure == "flesch-kincaid":
        return _("grade {score}").format(score=g)
    return _("{measure} {score}").format(measure=measure, score=g)


def reading_levels(pr: Project) -> dict[str, list[tuple[str, float]]]:
    """Measured reading level of each student-facing file, by band (for reports and the closing note),
    by the measure of the book's language (nothing for a language with no measure)."""
    book = book_language(pr.root)
    out: dict[str, list[tuple[str, float]]] = {b: [] for b in readability.limits(book)}
    for a in pr.activities.values():
        bands = [a.data.get("age_band")] if a.data.get("age_band") else list(a.data.get("audience") or [])
        lang = page_language(pr, a.data)
        for b in bands:
            g = readability.grade(readability.student_text(a.kind, a.data), lang) if a.kind != "questionnaire" else None
            if b in out and g is not None:
                out[b].append((a.rel, g))
    for rel, page in pr.pages.items():
        band = BAND_DIRS.get(Path(rel).parent.name)
        if band in out and Path(rel).name == "take-home.md":
            out[band].append((rel, readability.grade(readability.markdown_text(page.body), book)))
    for band in out:   # the self-paced modules' own teaching text
        nb = pr.root / "notebooks" / f"student-{band}.ipynb"
        if nb.is_file():
            cells = json.loads(nb.read_text(encoding="utf-8")).get("cells", [])
            body = "\n\n".join("".join(c.get("source", [])) for c in cells if c.get("cell_type") == "markdown")
            out[band].append((f"notebooks/{nb.name}", readability.grade(readability.markdown_text(body), book)))
    return out

