"""The campaign planner's content: target groups x objectives -> the channels and tools that fit.

The planner is data (``data/campaign.yml``), checked here (:data:`SCHEMA` and the cross-checks of
:func:`campaign_problems`, reported as ``path:line: what is wrong``) and shown three ways: the
static page (:mod:`spotthelure.campaign_html`, through the ``{campaign-planner}`` directive), a
one-page printed plan (the same page, printed), and :func:`spotthelure.campaign_widget.planner_widget` in notebooks.

A tool fits a choice when it serves at least one of the chosen groups and at least one of the
chosen objectives; choosing nothing on one side means "any" on that side (:func:`fitting`).

Its words are translated in the book's content catalog (``locales/<code>/LC_MESSAGES/activities.po``)
like an activity's: each text field is a message with the context ``campaign:<field path>``
(``campaign:tools.role-plays.advice``). Ids, page links, tip numbers and citation keys are not
messages, so a translation changes the words alone (:func:`spotthelure.campaign_html.in_language`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import checks
from .i18n import SOURCE_LANGUAGE, _, ngettext
from .problems import ContentError, Problem
from .schemas import DATE, ID, LANGUAGES, TEXT, arr, obj
from .yamlload import LDict, load_yaml_file

FILE = "data/campaign.yml"
OWNER = "campaign"          # the first part of the context of the planner's messages in the content catalog
# A page of the book: a path from the book's root without its suffix, with an optional anchor.
PAGE = {"type": "string", "pattern": r"^(book|notebooks)/[a-z0-9_-]+(/[a-z0-9_-]+)*(#[a-z0-9-]+)?(?![\s\S])"}
LINK = obj({"page": PAGE, "text": TEXT})
NAMED = obj({"id": ID, "name": TEXT})
TOOL = obj({"id": ID, "name": TEXT, "channel": ID, "groups": arr(ID), "objectives": arr(ID),
            "advice": TEXT, "tips": arr({"type": "integer", "minimum": 1}), "links": arr(LINK)},
           {"book_note": TEXT})
RULE = obj({"id": ID, "text": TEXT, "sources": arr({"type": "string", "minLength": 1})}, {"link": LINK})
STEP = obj({"text": TEXT}, {"link": LINK})
SCHEMA = obj({"version": {"type": "integer", "minimum": 1}, "language": LANGUAGES, "title": TEXT,
              "source": {"type": "string", "minLength": 1}, "last_reviewed": DATE,
              "groups": arr(NAMED), "objectives": arr(NAMED), "channels": arr(NAMED),
              "tools": arr(TOOL), "safe_messaging": arr(RULE), "evaluation": arr(STEP)})


@dataclass
class Campaign:
    """The planner's data, well-typed (only what the schema accepted), in the language ``lang``:
    English (the file's), or a translation where each text left in English is an :class:`English`."""
    data: LDict
    groups: dict[str, str] = field(default_factory=dict)       # id -> name, in the file's order
    objectives: dict[str, str] = field(default_factory=dict)
    channels: dict[str, str] = field(default_factory=dict)
    lang: str = SOURCE_LANGUAGE

    @property
    def tools(self) -> list[dict]:
        return [t for t in self.data.get("tools") or [] if isinstance(t, dict)]


def _names(data, key) -> dict[str, str]:
    return {x["id"]: x["name"] for x in data.get(key) or [] if isinstance(x, dict) and "id" in x and "name" in x}


def campaign_of(data: LDict, lang: str = SOURCE_LANGUAGE) -> Campaign:
    """The planner of ``data`` (typed by :data:`SCHEMA`), whose words are in ``lang``."""
    return Campaign(data, _names(data, "groups"), _names(data, "objectives"), _names(data, "channels"), lang)


def load_campaign(root: Path, shown: str = FILE) -> tuple[Campaign | None, list[Problem]]:
    """The planner from ``root/data/campaign.yml`` and every problem in it (None when it cannot be read).
    A book without the file has no planner and no problem."""
    path = Path(root) / shown
    if not (path.exists() or path.is_symlink()):
        return None, []
    try:
        raw = load_yaml_file(path, shown)
    except ContentError as e:
        return None, e.problems
    if not isinstance(raw, dict):
        return None, [Problem(shown, 1, _("should be a set of fields (groups, objectives, tools, ...)"))]
    problems = checks.schema_problems(raw, SCHEMA, shown)
    data = checks.typed(raw, SCHEMA) or LDict()
    return campaign_of(data), problems


def _page_exists(root: Path, page: str) -> bool:
    stem = page.partition("#")[0]
    return any((root / (stem + sfx)).is_file() for sfx in (".md", ".ipynb"))


def campaign_problems(c: Campaign, root: Path, bib_keys: set[str], shown: str = FILE) -> list[Problem]:
    """Cross-checks the schema cannot make: ids unique and known, sources in references.bib, links to
    pages that exist, and every group and objective served by at least one tool."""
    d = c.data
    P: list[Problem] = []
    at = lambda *path: checks.locate(d, list(path))  # noqa: E731

    for key in ("groups", "objectives", "channels", "tools", "safe_messaging"):
        seen: set[str] = set()
        for i, x in enumerate(d.get(key) or []):
            xid = x.get("id") if isinstance(x, dict) else None
            if isinstance(xid, str) and xid in seen:
                P.append(Problem(shown, at(key, i, "id"), _("{key}: id '{id}' is used twice; give each its own id")
                                 .format(key=key, id=xid)))
            seen.add(xid)
    if isinstance(d.get("source"), str) and d["source"] not in bib_keys:
        P.append(Problem(shown, at("source"), _("source '{key}' is not a key in references.bib").format(key=d["source"])))

    def links(path, link, owner):
        if isinstance(link, dict) and isinstance(link.get("page"), str) and not _page_exists(root, link["page"]):
            P.append(Problem(shown, at(*path, "page"),
                             _("{owner}: page '{page}' does not exist (write a path from the book's root without "
                               ".md, such as book/get-help)").format(owner=owner, page=link["page"])))

    used = {"groups": set(), "objectives": set()}
    for i, t in enumerate(c.tools):
        if isinstance(t.get("channel"), str) and t["channel"] not in c.channels:
            P.append(Problem(shown, at("tools", i, "channel"), _("tool {tool}: channel '{value}' is not one of: {known}")
                             .format(tool=t.get("id"), value=t["channel"], known=", ".join(c.channels))))
        for key, known in (("groups", c.groups), ("objectives", c.objectives)):
            for j, ref in enumerate(t.get(key) or []):
                if ref not in known:
                    P.append(Problem(shown, at("tools", i, key, j), _("tool {tool}: {key} '{value}' is not one of: {known}")
                                     .format(tool=t.get("id"), key=key, value=ref, known=", ".join(known))))
                used[key].add(ref)
        for j, link in enumerate(t.get("links") or []):
            links(("tools", i, "links", j), link, _("tool {id}").format(id=t.get("id")))
    for i, r in enumerate(d.get("safe_messaging") or []):
        for j, key in enumerate(r.get("sources") or []):
            if key not in bib_keys:
                P.append(Problem(shown, at("safe_messaging", i, "sources", j),
                                 _("rule {rule}: source '{key}' is not a key in references.bib").format(rule=r.get("id"), key=key)))
        links(("safe_messaging", i, "link"), r.get("link"), _("rule {id}").format(id=r.get("id")))
    for i, s in enumerate(d.get("evaluation") or []):
        links(("evaluation", i, "link"), s.get("link"), _("evaluation step {n}").format(n=i + 1))
    for key, known in (("groups", c.groups), ("objectives", c.objectives)):
        items = d.get(key) or []
        for i, x in enumerate(items):
            if isinstance(x, dict) and x.get("id") in known and x["id"] not in used[key]:
                P.append(Problem(shown, at(key, i, "id"), _("{key}: no tool serves '{id}'; add it to a tool's {key}")
                                 .format(key=key, id=x["id"])))
    return P


def check_campaign(pr) -> list[Problem]:
    """Every problem of the book's campaign planner (the one call ``validate_project`` makes)."""
    c, problems = load_campaign(pr.root)
    if c is not None:
        problems = problems + campaign_problems(c, pr.root, pr.bib_keys)
    return problems


def fitting(c: Campaign, groups=(), objectives=()) -> list[dict]:
    """The tools that serve one of ``groups`` and one of ``objectives`` (empty = any), in file order."""
    g, o = set(groups), set(objectives)
    return [t for t in c.tools if (not g or g & set(t.get("groups") or []))
            and (not o or o & set(t.get("objectives") or []))]


def count_text(n: int) -> str:
    return ngettext("{n} tool fits your choice.", "{n} tools fit your choice.", n).format(n=n)


# ---- the planner in another language --------------------------------------------------------------

class English(str):
    """A text of a translated planner that its catalog does not translate: shown in English, and
    marked so (``lang="en"``) on the page."""
    __slots__ = ()


def is_english(c: Campaign, text) -> bool:
    """Whether ``text`` of the planner ``c`` is in English (all of an English planner is)."""
    return c.lang == SOURCE_LANGUAGE or isinstance(text, English)
