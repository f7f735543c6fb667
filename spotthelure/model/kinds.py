"""The registry of activity kinds: per kind its folder, label, model class, checker and outputs.

``KINDS[kind].outputs(aid)`` is the one table of the printables and downloads the book makes for an
activity: the writer (:func:`spotthelure.render_print.site_files`) writes exactly these paths and the
build (:func:`spotthelure.sphinx.nodes.downloads_html`) links exactly these. A lesson's downloads (its
student activities as one SCORM package) are the rows of ``LESSON_OUTPUT_PATTERNS``, linked from the lesson page.

Adding a kind of activity:

1. its JSON Schema in :mod:`spotthelure.schemas` (``ACTIVITY_SCHEMAS``) and its checker in
   :mod:`spotthelure.checks` (``CHECKERS``);
2. its model class in :mod:`.content` (``model_class("Name", schemas.NAME, (Mixin,))``), listed in
   ``ACTIVITY_CLASSES``;
3. an entry in ``KINDS`` below (folder, label key in ``data/labels.yml``, outputs) and a writer for
   any new output format (``FORMATS``);
4. ``tests/test_model.py`` then names whatever is missing: a schema property without a field, a
   kind without a folder, an output nobody writes or links.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, NamedTuple

from ..i18n import N_
from .base import Model
from .content import ACTIVITY_CLASSES


class Output(NamedTuple):
    """One printable or download of an activity."""
    path: str      # under the site root: print/<id>-worksheet.html, downloads/<id>.gift.txt, ...
    format: str    # what writes it (a key of FORMATS)
    label: str     # the link's text, marked for the catalog (translate with _() where shown)


# Every output format, and what it is (for the developer guide and the test that enumerates them).
FORMATS = {
    "worksheet": "a quiz worksheet to print",
    "answers": "a quiz answer key to print",
    "gift": "Moodle GIFT text",
    "moodle": "Moodle XML (its own question format, with native ordering questions)",
    "qti": "an IMS QTI 2.1 package",
    "h5p": "an H5P package (a quiz as a Question Set, a chat story as a Branching Scenario)",
    "offline": "a single offline HTML file",
    "scorm": "a SCORM 1.2 package (zip) for a school's LMS",
    "paper": "a chat story on paper",
    "comic": "a chat story as a comic strip to print",
    "cards": "role cards to print",
    "handout": "a handout to print",
    "form": "a questionnaire form to print",
    "csv": "the CSV template the evaluation analysis reads",
}


@dataclass(frozen=True)
class Kind:
    name: str                       # the ``kind:`` of the YAML file
    folder: str                     # under activities/
    label_key: str                  # i18n.label("kind", label_key)
    model: type[Model]
    # (path pattern with {id}, format, link text), in the order the page lists them
    output_patterns: tuple[tuple[str, str, str], ...] = ()

    def outputs(self, aid: str) -> list[Output]:
        return [Output(p.format(id=aid), f, label) for p, f, label in self.output_patterns]

    @property
    def checker(self) -> Callable:
        """The per-file checker of this kind (schema and meaning): ``checker(data, path) -> problems``."""
        from ..checks import CHECKERS
        return CHECKERS[self.name]

    @property
    def schema(self) -> dict:
        return self.model.SCHEMA


KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("quiz", "quizzes", "quiz", ACTIVITY_CLASSES["quiz"], (
        ("print/{id}-worksheet.html", "worksheet", N_("Worksheet to print")),
        ("print/{id}-answers.html", "answers", N_("Answer key")),
        ("downloads/{id}.gift.txt", "gift", N_("Moodle GIFT")),
        ("downloads/{id}.moodle.xml", "moodle", N_("Moodle XML")),
        ("downloads/{id}.qti.zip", "qti", N_("QTI 2.1 package")),
        ("downloads/{id}.h5p", "h5p", N_("H5P Question Set")),
        ("downloads/{id}.html", "offline", N_("Offline file")),
        ("downloads/{id}.scorm.zip", "scorm", N_("SCORM 1.2 package")))),
    Kind("scenario", "scenarios", "scenario", ACTIVITY_CLASSES["scenario"], (
        ("print/{id}.html", "paper", N_("Paper version")),
        ("print/{id}-comic.html", "comic", N_("Comic to print")),
        ("downloads/{id}.h5p", "h5p", N_("H5P Branching Scenario")),
        ("downloads/{id}.html", "offline", N_("Offline file")),
        ("downloads/{id}.scorm.zip", "scorm", N_("SCORM 1.2 package")))),
    Kind("roleplay", "roleplays", "roleplay", ACTIVITY_CLASSES["roleplay"], (
        ("print/{id}-cards.html", "cards", N_("Cards to print")),)),
    Kind("questionnaire", "evaluation", "questionnaire", ACTIVITY_CLASSES["questionnaire"], (
        ("print/{id}.html", "form", N_("Form to print")),
        ("downloads/{id}.csv", "csv", N_("CSV template")))),
    Kind("handout", "handouts", "handout", ACTIVITY_CLASSES["handout"], (
        ("print/{id}.html", "handout", N_("Handout to print")),)),
)}

# The downloads of a lesson (by its id), linked from the lesson page: the same (path, format, label) rows.
LESSON_OUTPUT_PATTERNS: tuple[tuple[str, str, str], ...] = (
    ("downloads/lessons/{id}.scorm.zip", "scorm", N_("SCORM 1.2 package of the student activities")),
)


def lesson_outputs(lid: str) -> list[Output]:
    return [Output(p.format(id=lid), f, label) for p, f, label in LESSON_OUTPUT_PATTERNS]


KIND_DIRS = {k.name: k.folder for k in KINDS.values()}
for _kind in KINDS.values():
    _kind.model.KIND_ENTRY = _kind
