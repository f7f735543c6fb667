"""Analyse before/after questionnaire answers (``spotthelure evaluate``).

Nothing here guesses silently. Every row of every file is checked; each bad row is reported as
``path:line: what is wrong`` and left out of the analysis (the report counts them). Input files
are only read, never changed. Participants' codes are never printed, and a Moodle export's
identifying columns are never kept.

Input files
===========

**The CSV template** (each questionnaire's "CSV template" download). The first line names the
columns: ``questionnaire,code,phase,group`` and then one column per question id, in any order
(case and spaces around a name do not matter). Then one row per person per phase:

- ``questionnaire``: the questionnaire id. It may be left blank when the questionnaire is known
  (from ``--questionnaire`` or another row); with ``--questionnaire`` the column may be left out.
- ``code``: the participant's made-up secret code, the only link between "before" and "after".
  Case and spaces are ignored when matching (``ab 12`` is ``AB12``). Codes are never printed.
- ``phase``: ``pre`` or ``post``. It may be blank or left out when the file is given as
  ``pre=FILE`` or ``post=FILE`` (see below).
- ``group``: optional; a class or workshop name, never a person.
- one column per question: *single* the option's number from 1; *likert* 1 to 5; *yesno* 1 yes,
  2 partly, 3 no; *text* free text (only counted: text answers are never shown or kept). A blank
  cell means "not answered".

Files saved by a spreadsheet with semicolons or tabs between values are read too. The file must
be UTF-8 ("CSV UTF-8" in spreadsheet programs); a byte-order mark is fine.

**A Moodle quiz "Responses" export** (Quiz > Results > Responses > Download, as CSV). It is
recognised by its ``Response 1``, ``Response 2``, ... columns. Only those columns are used: every
other column (Surname, First name, Email address, Institution, Department, State, times, grade,
``Question N``, ``Right answer N``) is skipped as each line is read, and is never kept, counted or
shown. Convention: the Moodle quiz asks first for the participant's secret code (a short-answer
question) and then the questionnaire's questions in the questionnaire's order, so ``Response 1``
is the code and ``Response N+1`` answers the questionnaire's N-th item. Answers may be the text
Moodle writes for the chosen option (matched to the questionnaire's option text, ignoring case,
spaces and punctuation) or the option's number; for scales the label ("Not at all" ...
"Completely") or 1 to 5; for yes/no "Yes", "Partly", "No" or 1 to 3; ``-`` or blank is "not
answered". A Moodle export names neither the questionnaire nor the phase: give the questionnaire
with ``--questionnaire ID`` and the phase by naming the file ``pre=FILE`` or ``post=FILE``.

**The phase on the command line.** Any response file may be written ``pre=FILE`` or
``post=FILE`` (``spotthelure evaluate pre=before.csv post=after.csv``). Every row of that file is
then in that phase; a ``phase`` cell, if there is one, must be blank or agree.

Questionnaires whose ``use`` is ``fidelity`` or ``feedback`` have no before and after: their rows
need no code or phase, and the analysis summarises each question.

**Privacy of the report.** No figure about fewer than ``--min-cell`` people (5) is shown, and
hidden figures cannot be worked out from the shown ones: secondary suppression hides the next
smallest group (for group sizes) or the same score of the next smallest group (for each score)
until the people behind the hidden figures of one kind number 0 or at least ``--min-cell``.
Questions that count towards a score are summarised over that score's people, and hidden when a
few of them left the question blank. Hidden groups are not named; the worry warning gives no count of fewer than ``--min-cell``
people. The report's "Data checks" say what is wrong on which line without the value typed
(standard error shows the value, so that it can be fixed). The same file, or two files with the
same bytes, given twice is refused: it would match everyone with themselves.

Exit status: 0 when the analysis ran (rows with problems are listed on standard error and left
out); 1 when nothing usable remains, or the command line or questionnaire is wrong.

Layout: :mod:`.questionnaire` (loading and the answer labels), :mod:`.sources` (files, decoding,
records), :mod:`.responses` (checking every row), :mod:`.statistics` (matching, scores, changes),
:mod:`.suppression` (what may be shown), :mod:`.results` (what an analysis gives), :mod:`.pipeline`
(:func:`analyse`), :mod:`.report` (text, and HTML from the template
``templates/evaluation-report.html``), :mod:`.plots` (charts), :mod:`.synthetic` (made-up example
answers). The command line is ``spotthelure.cli.cmd_evaluate``; nothing here prints.

For notebooks: :func:`load_questionnaire`, :func:`read_responses`, :func:`check`,
:func:`analyse`, :func:`plots`, :func:`figure_svg`, :func:`report_html`.
"""
from __future__ import annotations

from ..problems import ContentError, Problem
from .plots import COLOURS, figure_svg, plots
from .questionnaire import FIXED, PHASES, SCORED, Item, Questionnaire, answer_labels, load_questionnaire
from .report import changes_table_html, report_html, summary_text
from .responses import Responses, check, read_responses
from .sources import FileReport, ResponseFile, parse_response_args
from .pipeline import analyse
from .results import MIN_CELL, WORSE_BY, WORSE_SHARE, Change, GroupResult, ItemSummary, Result
from .words import LABEL, SHORT, SYNTHETIC_BANNER

__all__ = ["COLOURS", "FIXED", "LABEL", "MIN_CELL", "PHASES", "SCORED", "SHORT", "SYNTHETIC_BANNER", "WORSE_BY",
           "WORSE_SHARE", "Change", "ContentError", "FileReport", "GroupResult", "Item", "ItemSummary", "Problem",
           "Questionnaire", "ResponseFile", "Responses", "Result", "analyse", "answer_labels", "changes_table_html",
           "check", "figure_svg", "load_questionnaire", "parse_response_args", "plots", "read_responses",
           "report_html", "summary_text"]

