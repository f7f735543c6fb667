"""H5P export: quizzes as H5P.QuestionSet, chat stories as H5P.BranchingScenario (``.h5p``).

No package on the npm registry, PyPI or Debian ships the H5P content-type libraries (H5P.QuestionSet,
H5P.MultiChoice, ...) that an H5P player needs beside the content: ``h5p-standalone`` (npm) is the
player alone, ``@lumieducation/h5p-server`` downloads the libraries from the H5P hub at run time, and
``pyh5p``, ``rst2h5p``, ``mkdocs-h5p``, ``h5p-xblock`` (PyPI) ship none. So instead of playing the
files in Chromium, these tests hold every package to the libraries' own ``semantics.json``, the
schema an H5P site checks uploaded content against, with the rules of H5P's content validator
(``H5PContentValidator`` in h5p/h5p-php-library ``h5p.classes.php`` at b515e00d): a group of one field
is stored as that field, a library must be one of the field's options (name and major.minor), text
with ``tags`` may hold only those tags (and div, span, p, br), text without is plain (no markup, every
``&`` an entity), numbers within min/max, selects among their options, lists within min/max, and
``h5p.json`` matches ``H5PValidator``'s patterns. Stricter than the site: a key the semantics do not
name is an error (the site would silently drop it, and its text would be lost), and so is a missing
field that is not optional (the site's editor always writes those).

``SEMANTICS`` below is the structure (names, types, optional, tags, options, limits) of these
``semantics.json`` files, labels and defaults left out:

- H5P.QuestionSet 1.21.13, h5p/h5p-question-set at 48aa08f7
- H5P.MultiChoice 1.16.27, h5p/h5p-multi-choice at 5738a384
- H5P.TrueFalse 1.8.24, h5p/h5p-true-false at 7241d97c
- H5P.BranchingScenario 1.10.1, h5p/h5p-branching-scenario at 6860e97e
- H5P.BranchingQuestion 1.0.20, h5p/h5p-branching-question at 02dda5e3
- H5P.AdvancedText 1.1.21, h5p/h5p-advanced-text at 7cae91b6
"""
from __future__ import annotations

import html
import io
import json
import re
import subprocess
import sys
import zipfile
from html.parser import HTMLParser

import pytest

from spotthelure import ordering
from spotthelure.export_h5p import quiz_to_h5p, scenario_to_h5p, to_h5p
from spotthelure.model import KINDS
from spotthelure.project import load_activity_file
from spotthelure.text import plain
from conftest import ROOT


# The structure of each library's semantics.json (see the module docstring for versions and commits).
SEMANTICS = {
    'H5P.QuestionSet 1.21': [{'name': 'introPage',
      'type': 'group',
      'fields': [{'name': 'showIntroPage', 'type': 'boolean'},
                 {'name': 'title',
                  'type': 'text',
                  'optional': True,
                  'tags': ['sub', 'sup', 'strong', 'em', 'code']},
                 {'name': 'introduction',
                  'type': 'text',
                  'optional': True,
                  'tags': ['sub', 'sup', 'strong', 'em', 'p', 'code']},
                 {'name': 'startButtonText', 'type': 'text', 'optional': True},
                 {'name': 'backgroundImage', 'type': 'image', 'optional': True},
                 {'name': 'backgroundImageAltText', 'type': 'text', 'optional': True}]},
     {'name': 'progressType', 'type': 'select', 'options': ['textual', 'dots']},
     {'name': 'passPercentage', 'type': 'number', 'min': 0, 'max': 100},
     {'name': 'questions',
      'type': 'list',
      'min': 1,
      'field': {'name': 'question',
                'type': 'library',
                'options': ['H5P.MultiChoice 1.16', 'H5P.DragQuestion 1.15', 'H5P.Blanks 1.14',
                            'H5P.MarkTheWords 1.11', 'H5P.DragText 1.10', 'H5P.TrueFalse 1.8', 'H5P.Essay 1.5',
                            'H5P.MultiMediaChoice 0.3']}},
     {'name': 'texts',
      'type': 'group',
      'fields': [{'name': 'prevButton', 'type': 'text'}, {'name': 'previous', 'type': 'text'},
                 {'name': 'nextButton', 'type': 'text'}, {'name': 'next', 'type': 'text'},
                 {'name': 'finishButton', 'type': 'text'}, {'name': 'submitButton', 'type': 'text'},
                 {'name': 'textualProgress', 'type': 'text', 'tags': ['strong', 'em', 'code']},
                 {'name': 'jumpToQuestion', 'type': 'text'}, {'name': 'questionLabel', 'type': 'text'},
                 {'name': 'readSpeakerProgress', 'type': 'text'}, {'name': 'unansweredText', 'type': 'text'},
                 {'name': 'answeredText', 'type': 'text'}, {'name': 'currentQuestionText', 'type': 'text'},
                 {'name': 'navigationLabel', 'type': 'text'}, {'name': 'questionSetInstruction', 'type': 'text'}]},
     {'name': 'disableBackwardsNavigation', 'type': 'boolean', 'optional': True},
     {'name': 'randomQuestions', 'type': 'boolean'},
     {'name': 'poolSize', 'type': 'number', 'optional': True, 'min': 1},
     {'name': 'endGame',
      'type': 'group',
      'fields': [{'name': 'showResultPage', 'type': 'boolean'}, {'name': 'showSolutionButton', 'type': 'boolean'},
                 {'name': 'showRetryButton', 'type': 'boolean'},
                 {'name': 'noResultMessage', 'type': 'text', 'optional': True},
                 {'name': 'message', 'type': 'text', 'tags': ['strong', 'em', 'code']},
                 {'name': 'amountCorrect', 'type': 'text'}, {'name': 'scoreBarLabel', 'type': 'text'},
                 {'name': 'scoreHeader', 'type': 'text'},
                 {'name': 'overallFeedback',
                  'type': 'group',
                  'fields': [{'name': 'overallFeedback',
                              'type': 'list',
                              'optional': True,
                              'min': 1,
                              'field': {'name': 'overallFeedback',
                                        'type': 'group',
                                        'fields': [{'name': 'from', 'type': 'number', 'min': 0, 'max': 100},
                                                   {'name': 'to', 'type': 'number', 'min': 0, 'max': 100},
                                                   {'name': 'feedback', 'type': 'text', 'optional': True}]}}]},
                 {'name': 'oldFeedback',
                  'type': 'group',
                  'fields': [{'name': 'successGreeting',
                              'type': 'text',
                              'optional': True,
                              'tags': ['strong', 'em', 'code']},
                             {'name': 'successComment',
                              'type': 'text',
                              'optional': True,
                              'tags': ['sub', 'sup', 'strong', 'em', 'a', 'p', 'code']},
                             {'name': 'failGreeting',
                              'type': 'text',
                              'optional': True,
                              'tags': ['strong', 'em', 'code']},
                             {'name': 'failComment',
                              'type': 'text',
                              'optional': True,
                              'tags': ['sub', 'sup', 'strong', 'em', 'a', 'p', 'code']}]},
                 {'name': 'solutionButtonText', 'type': 'text'}, {'name': 'retryButtonText', 'type': 'text'},
                 {'name': 'finishButtonText', 'type': 'text'}, {'name': 'submitButtonText', 'type': 'text'},
                 {'name': 'showAnimations', 'type': 'boolean'}, {'name': 'skippable', 'type': 'boolean'},
                 {'name': 'skipButtonText', 'type': 'text'},
                 {'name': 'successVideo', 'type': 'video', 'optional': True},
                 {'name': 'failVideo', 'type': 'video', 'optional': True}]},
     {'name': 'override',
      'type': 'group',
      'optional': True,
      'fields': [{'name': 'checkButton', 'type': 'boolean', 'optional': True},
                 {'name': 'showSolutionButton', 'type': 'select', 'optional': True, 'options': ['on', 'off']},
                 {'name': 'retryButton', 'type': 'select', 'optional': True, 'options': ['on', 'off']},
                 {'name': 'backgroundImage', 'type': 'image', 'optional': True}]}],
    'H5P.MultiChoice 1.16': [{'name': 'media',
      'type': 'group',
      'fields': [{'name': 'type',
                  'type': 'library',
                  'optional': True,
                  'options': ['H5P.Image 1.1', 'H5P.Video 1.6', 'H5P.Audio 1.5']},
                 {'name': 'disableImageZooming', 'type': 'boolean', 'optional': True}]},
     {'name': 'question', 'type': 'text', 'tags': ['strong', 'em', 'sub', 'sup', 'h2', 'h3', 'pre', 'code', 'p']},
     {'name': 'answers',
      'type': 'list',
      'min': 1,
      'field': {'name': 'answer',
                'type': 'group',
                'fields': [{'name': 'text', 'type': 'text', 'tags': ['strong', 'em', 'sub', 'sup', 'code']},
                           {'name': 'correct', 'type': 'boolean'},
                           {'name': 'tipsAndFeedback',
                            'type': 'group',
                            'optional': True,
                            'fields': [{'name': 'tip',
                                        'type': 'text',
                                        'optional': True,
                                        'tags': ['p', 'br', 'strong', 'em', 'a', 'code']},
                                       {'name': 'chosenFeedback',
                                        'type': 'text',
                                        'optional': True,
                                        'tags': ['strong', 'em', 'sub', 'sup', 'a', 'code']},
                                       {'name': 'notChosenFeedback',
                                        'type': 'text',
                                        'optional': True,
                                        'tags': ['strong', 'em', 'sub', 'sup', 'a', 'code']}]}]}},
     {'name': 'overallFeedback',
      'type': 'group',
      'fields': [{'name': 'overallFeedback',
                  'type': 'list',
                  'optional': True,
                  'min': 1,
                  'field': {'name': 'overallFeedback',
                            'type': 'group',
                            'fields': [{'name': 'from', 'type': 'number', 'min': 0, 'max': 100},
                                       {'name': 'to', 'type': 'number', 'min': 0, 'max': 100},
                                       {'name': 'feedback', 'type': 'text', 'optional': True}]}}]},
     {'name': 'UI',
      'type': 'group',
      'fields': [{'name': 'checkAnswerButton', 'type': 'text'}, {'name': 'submitAnswerButton', 'type': 'text'},
                 {'name': 'showSolutionButton', 'type': 'text'},
                 {'name': 'tryAgainButton', 'type': 'text', 'optional': True},
                 {'name': 'tipsLabel', 'type': 'text', 'optional': True},
                 {'name': 'scoreBarLabel', 'type': 'text', 'optional': True},
                 {'name': 'tipAvailable', 'type': 'text', 'optional': True},
                 {'name': 'feedbackAvailable', 'type': 'text', 'optional': True},
                 {'name': 'readFeedback', 'type': 'text', 'optional': True},
                 {'name': 'wrongAnswer', 'type': 'text', 'optional': True},
                 {'name': 'correctAnswer', 'type': 'text', 'optional': True},
                 {'name': 'shouldCheck', 'type': 'text', 'optional': True},
                 {'name': 'shouldNotCheck', 'type': 'text', 'optional': True},
                 {'name': 'noInput', 'type': 'text', 'optional': True}, {'name': 'a11yCheck', 'type': 'text'},
                 {'name': 'a11yShowSolution', 'type': 'text'}, {'name': 'a11yRetry', 'type': 'text'}]},
     {'name': 'behaviour',
      'type': 'group',
      'optional': True,
      'fields': [{'name': 'enableRetry', 'type': 'boolean', 'optional': True},
                 {'name': 'enableSolutionsButton', 'type': 'boolean', 'optional': True},
                 {'name': 'enableCheckButton', 'type': 'boolean', 'optional': True, 'internal': True},
                 {'name': 'type', 'type': 'select', 'options': ['auto', 'multi', 'single']},
                 {'name': 'singlePoint', 'type': 'boolean'}, {'name': 'randomAnswers', 'type': 'boolean'},
                 {'name': 'showSolutionsRequiresInput', 'type': 'boolean', 'optional': True},
                 {'name': 'confirmCheckDialog', 'type': 'boolean'},
                 {'name': 'confirmRetryDialog', 'type': 'boolean'}, {'name': 'autoCheck', 'type': 'boolean'},
                 {'name': 'passPercentage', 'type': 'number', 'min': 0, 'max': 100},
                 {'name': 'showScorePoints', 'type': 'boolean'}]},
     {'name': 'confirmCheck',
      'type': 'group',
      'fields': [{'name': 'header', 'type': 'text'},
                 {'name': 'body', 'type': 'text', 'tags': ['strong', 'em', 'del', 'u', 'code', 'p']},
                 {'name': 'cancelLabel', 'type': 'text'}, {'name': 'confirmLabel', 'type': 'text'}]},
     {'name': 'confirmRetry',
      'type': 'group',
      'fields': [{'name': 'header', 'type': 'text'},
                 {'name': 'body', 'type': 'text', 'tags': ['strong', 'em', 'del', 'u', 'code', 'p']},
                 {'name': 'cancelLabel', 'type': 'text'}, {'name': 'confirmLabel', 'type': 'text'}]}],
    'H5P.TrueFalse 1.8': [{'name': 'media',
      'type': 'group',
      'fields': [{'name': 'type',
                  'type': 'library',
                  'optional': True,
                  'options': ['H5P.Image 1.1', 'H5P.Video 1.6', 'H5P.Audio 1.5']},
                 {'name': 'disableImageZooming', 'type': 'boolean', 'optional': True}]},
     {'name': 'question', 'type': 'text', 'tags': ['strong', 'em', 'sub', 'sup', 'h2', 'h3', 'pre', 'code', 'p']},
     {'name': 'correct', 'type': 'select', 'options': ['true', 'false']},
     {'name': 'l10n',
      'type': 'group',
      'fields': [{'name': 'trueText', 'type': 'text'}, {'name': 'falseText', 'type': 'text'},
                 {'name': 'score', 'type': 'text'}, {'name': 'checkAnswer', 'type': 'text'},
                 {'name': 'submitAnswer', 'type': 'text'}, {'name': 'showSolutionButton', 'type': 'text'},
                 {'name': 'tryAgain', 'type': 'text'}, {'name': 'wrongAnswerMessage', 'type': 'text'},
                 {'name': 'correctAnswerMessage', 'type': 'text'}, {'name': 'scoreBarLabel', 'type': 'text'},
                 {'name': 'a11yCheck', 'type': 'text'}, {'name': 'a11yShowSolution', 'type': 'text'},
                 {'name': 'a11yRetry', 'type': 'text'}]},
     {'name': 'behaviour',
      'type': 'group',
      'fields': [{'name': 'enableRetry', 'type': 'boolean'}, {'name': 'enableSolutionsButton', 'type': 'boolean'},
                 {'name': 'enableCheckButton', 'type': 'boolean', 'optional': True, 'internal': True},
                 {'name': 'confirmCheckDialog', 'type': 'boolean'},
                 {'name': 'confirmRetryDialog', 'type': 'boolean'}, {'name': 'autoCheck', 'type': 'boolean'},
                 {'name': 'feedbackOnCorrect', 'type': 'text', 'optional': True, 'maxLength': 2048},
                 {'name': 'feedbackOnWrong', 'type': 'text', 'optional': True, 'maxLength': 2048}]},
     {'name': 'confirmCheck',
      'type': 'group',
      'fields': [{'name': 'header', 'type': 'text'},
                 {'name': 'body', 'type': 'text', 'tags': ['strong', 'em', 'del', 'u', 'code', 'p']},
                 {'name': 'cancelLabel', 'type': 'text'}, {'name': 'confirmLabel', 'type': 'text'}]},
     {'name': 'confirmRetry',
      'type': 'group',
      'fields': [{'name': 'header', 'type': 'text'},
                 {'name': 'body', 'type': 'text', 'tags': ['strong', 'em', 'del', 'u', 'code', 'p']},
                 {'name': 'cancelLabel', 'type': 'text'}, {'name': 'confirmLabel', 'type': 'text'}]}],
    'H5P.BranchingScenario 1.10': [{'name': 'branchingScenario',
      'type': 'group',
      'fields': [{'name': 'title', 'type': 'text'},
                 {'name': 'startScreen',
                  'type': 'group',
                  'fields': [{'name': 'startScreenTitle',
                              'type': 'text',
                              'optional': True,
                              'tags': ['strong', 'em', 'del', 'code', 'a', 'p']},
                             {'name': 'startScreenSubtitle',
                              'type': 'text',
                              'optional': True,
                              'tags': ['strong', 'em', 'del', 'code', 'a', 'p']},
                             {'name': 'startScreenImage', 'type': 'image', 'optional': True},
                             {'name': 'startScreenAltText', 'type': 'text', 'optional': True}]},
                 {'name': 'endScreens',
                  'type': 'list',
                  'field': {'name': 'endScreen',
                            'type': 'group',
                            'fields': [{'name': 'endScreenTitle',
                                        'type': 'text',
                                        'optional': True,
                                        'tags': ['strong', 'em', 'del', 'code', 'a', 'p']},
                                       {'name': 'endScreenSubtitle',
                                        'type': 'text',
                                        'optional': True,
                                        'tags': ['strong', 'em', 'del', 'code', 'a', 'p']},
                                       {'name': 'endScreenImage', 'type': 'image', 'optional': True},
                                       {'name': 'endScreenScore', 'type': 'number', 'optional': True},
                                       {'name': 'contentId', 'type': 'number', 'internal': True, 'max': 0}]}},
                 {'name': 'content',
                  'type': 'list',
                  'min': 1,
                  'field': {'name': 'content',
                            'type': 'group',
                            'fields': [{'name': 'type',
                                        'type': 'library',
                                        'options': ['H5P.BranchingQuestion 1.0', 'H5P.CoursePresentation 1.27',
                                                    'H5P.AdvancedText 1.1', 'H5P.Image 1.1',
                                                    'H5P.ImageHotspots 1.10', 'H5P.InteractiveVideo 1.28',
                                                    'H5P.Video 1.6']},
                                       {'name': 'showContentTitle', 'type': 'boolean'},
                                       {'name': 'proceedButtonText', 'type': 'text', 'maxLength': 50},
                                       {'name': 'forceContentFinished',
                                        'type': 'select',
                                        'optional': True,
                                        'options': ['useBehavioural', 'enabled', 'disabled']},
                                       {'name': 'nextContentId', 'type': 'number', 'internal': True},
                                       {'name': 'feedback',
                                        'type': 'group',
                                        'fields': [{'name': 'title',
                                                    'type': 'text',
                                                    'optional': True,
                                                    'tags': ['strong', 'em', 'del', 'code', 'a', 'p']},
                                                   {'name': 'subtitle',
                                                    'type': 'text',
                                                    'optional': True,
                                                    'tags': ['strong', 'em', 'del', 'code', 'a', 'p']},
                                                   {'name': 'image', 'type': 'image', 'optional': True},
                                                   {'name': 'endScreenScore', 'type': 'number', 'optional': True}]},
                                       {'name': 'contentBehaviour',
                                        'type': 'select',
                                        'options': ['useBehavioural', 'enabled', 'disabled']}]}},
                 {'name': 'scoringOptionGroup',
                  'type': 'group',
                  'fields': [{'name': 'scoringOption',
                              'type': 'select',
                              'options': ['static-end-score', 'dynamic-score', 'no-score']},
                             {'name': 'includeInteractionsScores', 'type': 'boolean', 'optional': True}]},
                 {'name': 'behaviour',
                  'type': 'group',
                  'fields': [{'name': 'enableBackwardsNavigation', 'type': 'boolean', 'optional': True},
                             {'name': 'forceContentFinished', 'type': 'boolean', 'optional': True},
                             {'name': 'randomizeBranchingQuestions', 'type': 'boolean', 'optional': True}]},
                 {'name': 'l10n',
                  'type': 'group',
                  'fields': [{'name': 'startScreenButtonText', 'type': 'text'},
                             {'name': 'endScreenButtonText', 'type': 'text'},
                             {'name': 'backButtonText', 'type': 'text'},
                             {'name': 'disableProceedButtonText', 'type': 'text'},
                             {'name': 'replayButtonText', 'type': 'text'}, {'name': 'scoreText', 'type': 'text'},
                             {'name': 'fullscreenAria', 'type': 'text'}]}]}],
    'H5P.BranchingQuestion 1.0': [{'name': 'branchingQuestion',
      'type': 'group',
      'fields': [{'name': 'question',
                  'type': 'text',
                  'optional': True,
                  'tags': ['strong', 'em', 'sub', 'sup', 'h2', 'h3', 'pre', 'code', 'p']},
                 {'name': 'alternatives',
                  'type': 'list',
                  'min': 2,
                  'field': {'name': 'answer',
                            'type': 'group',
                            'fields': [{'name': 'text', 'type': 'text'},
                                       {'name': 'nextContentId', 'type': 'number'},
                                       {'name': 'feedback',
                                        'type': 'group',
                                        'fields': [{'name': 'title',
                                                    'type': 'text',
                                                    'optional': True,
                                                    'tags': ['strong', 'em', 'del', 'code', 'a', 'p']},
                                                   {'name': 'subtitle',
                                                    'type': 'text',
                                                    'optional': True,
                                                    'tags': ['strong', 'em', 'del', 'code', 'a', 'p']},
                                                   {'name': 'image', 'type': 'image', 'optional': True},
                                                   {'name': 'endScreenScore',
                                                    'type': 'number',
                                                    'optional': True}]}]}}]}],
    'H5P.AdvancedText 1.1': [{'name': 'text',
      'type': 'text',
      'tags': ['strong', 'em', 'del', 'a', 'ul', 'ol', 'h2', 'h3', 'hr', 'pre', 'code', 'p']}],
}


# ---------------------------------------------------------------------------------- the validator

DEFAULT_TAGS = {"div", "span", "p", "br"}
UUID = re.compile(r"^\{?[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}\}?$")
ENTITY = re.compile(r"&(#[0-9]+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
# H5PValidator: h5p.json, required and optional keys (the keys this export writes).
H5P_JSON = {"title": re.compile(r"^.{1,255}$"), "language": re.compile(r"^[-a-zA-Z]{1,10}$"),
            "mainLibrary": re.compile(r"^[$a-z_][0-9a-z_.$]{1,254}$", re.I),
            "license": re.compile(r"^(CC BY|CC BY-SA|CC BY-ND|CC BY-NC|CC BY-NC-SA|CC BY-NC-ND|CC0 1\.0|GNU GPL|PD|ODC PDDL|CC PDM|U|C)$"),
            "licenseVersion": re.compile(r"^(1\.0|2\.0|2\.5|3\.0|4\.0)$")}
MACHINE_NAME = re.compile(r"^[\w0-9\-.]{1,255}$", re.I)


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.tags, self.attrs = set(), []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attrs += attrs

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self.tags.add(tag)


def _entities_only(s: str) -> bool:
    """Every '&' opens an entity (text H5P's htmlspecialchars(..., double_encode=false) leaves alone)."""
    return all(ENTITY.match(s, m.start()) for m in re.finditer("&", s))


def check_text(value, f, where, errors):
    if not isinstance(value, str):
        errors.append(f"{where}: text expected, got {type(value).__name__}")
        return
    if "maxLength" in f and len(value) > f["maxLength"]:
        errors.append(f"{where}: longer than {f['maxLength']} characters")
    if not _entities_only(value):
        errors.append(f"{where}: an '&' that opens no entity")
    if "tags" in f:
        p = _Tags()
        p.feed(value)
        p.close()
        bad = p.tags - DEFAULT_TAGS - set(f["tags"])
        if bad:
            errors.append(f"{where}: tags {sorted(bad)} not allowed here (allowed: {sorted(DEFAULT_TAGS | set(f['tags']))})")
        if p.attrs:
            errors.append(f"{where}: attributes {p.attrs}")
    elif re.search("[<>\"']", value):
        errors.append(f"{where}: plain-text field holds markup characters: {value[:60]!r}")


def check_field(value, f, where, errors, used):
    t = f["type"]
    if t == "group":
        if len(f["fields"]) == 1:               # a group of one field is stored as that field
            check_field(value, f["fields"][0], where, errors, used)
        else:
            check_group(value, f["fields"], where, errors, used)
    elif t == "list":
        if not isinstance(value, list):
            errors.append(f"{where}: list expected")
            return
        if len(value) < f.get("min", 0):
            errors.append(f"{where}: {len(value)} entries, at least {f['min']} needed")
        if "max" in f and len(value) > f["max"]:
            errors.append(f"{where}: {len(value)} entries, at most {f['max']} allowed")
        for k, v in enumerate(value):
            check_field(v, f["field"], f"{where}[{k}]", errors, used)
    elif t == "text":
        check_text(value, f, where, errors)
    elif t == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            errors.append(f"{where}: number expected")
        elif value < f.get("min", value) or value > f.get("max", value):
            errors.append(f"{where}: {value} outside {f.get('min')}..{f.get('max')}")
    elif t == "boolean":
        if not isinstance(value, bool):
            errors.append(f"{where}: boolean expected")
    elif t == "select":
        if value not in f["options"]:
            errors.append(f"{where}: {value!r} is not one of {f['options']}")
    elif t == "library":
        check_library(value, f, where, errors, used)
    else:                                       # image, video, audio, file: this export writes none
        errors.append(f"{where}: unexpected {t} field")


def check_group(value, fields, where, errors, used):
    if not isinstance(value, dict):
        errors.append(f"{where}: object expected")
        return
    by_name = {f["name"]: f for f in fields}
    for key, v in value.items():
        if key not in by_name:
            errors.append(f"{where}.{key}: not in the semantics (an H5P site drops it)")
        else:
            check_field(v, by_name[key], f"{where}.{key}", errors, used)
    for f in fields:
        if f["name"] not in value and not f.get("optional") and not f.get("internal"):
            errors.append(f"{where}.{f['name']}: missing (not optional)")


def check_library(value, f, where, errors, used):
    if not isinstance(value, dict) or "library" not in value:
        errors.append(f"{where}: a sub-content needs 'library'")
        return
    extra = set(value) - {"library", "params", "subContentId", "metadata"}
    if extra:
        errors.append(f"{where}: keys {sorted(extra)} not allowed in a sub-content")
    if value["library"] not in f["options"]:
        errors.append(f"{where}: library {value['library']!r} is not one of {f['options']}")
        return
    if "subContentId" in value and not UUID.match(str(value["subContentId"])):
        errors.append(f"{where}.subContentId: not a UUID")
    for k, v in (value.get("metadata") or {}).items():
        if isinstance(v, str):
            check_text(v, {}, f"{where}.metadata.{k}", errors)
    used.add(value["library"])
    check_group(value.get("params"), SEMANTICS[value["library"]], f"{where}.params", errors, used)


def validate_package(data: bytes) -> tuple[list[str], dict, dict]:
    """Problems of an .h5p file against h5p.json's rules and the semantics; and its h5p.json and content."""
    errors: list[str] = []
    z = zipfile.ZipFile(io.BytesIO(data))
    names = z.namelist()
    if sorted(names) != ["content/content.json", "h5p.json"]:
        errors.append(f"zip: members {names}, expected h5p.json and content/content.json")
    meta = json.loads(z.read("h5p.json"))
    params = json.loads(z.read("content/content.json"))
    for key in ("title", "language", "mainLibrary", "preloadedDependencies", "embedTypes"):
        if key not in meta:
            errors.append(f"h5p.json: {key} missing")
    for key, rx in H5P_JSON.items():
        if key in meta and not rx.match(str(meta[key])):
            errors.append(f"h5p.json: {key} {meta[key]!r} does not match {rx.pattern}")
    if not set(meta.get("embedTypes", [])) <= {"iframe", "div"} or not meta.get("embedTypes"):
        errors.append("h5p.json: embedTypes must be iframe and/or div")
    deps = {}
    for d in meta.get("preloadedDependencies", []):
        if not MACHINE_NAME.match(d.get("machineName", "")) or not all(
                isinstance(d.get(k), int) and 0 <= d[k] <= 99999 for k in ("majorVersion", "minorVersion")):
            errors.append(f"h5p.json: bad dependency {d}")
        deps[d.get("machineName")] = f"{d.get('machineName')} {d.get('majorVersion')}.{d.get('minorVersion')}"
    main = deps.get(meta.get("mainLibrary"))
    if main not in SEMANTICS:
        errors.append(f"h5p.json: main library {meta.get('mainLibrary')} ({main}) is not a dependency of a known version")
        return errors, meta, params
    used: set[str] = set()
    check_group(params, SEMANTICS[main], "content", errors, used)
    missing = used - set(deps.values())
    if missing:
        errors.append(f"h5p.json: the content uses {sorted(missing)}, not among preloadedDependencies")
    return errors, meta, params


# ---------------------------------------------------------------------------------- the content

def _book(kind):
    out = []
    for p in sorted((ROOT / "activities" / KINDS[kind].folder).glob("*.yml")):
        act, problems = load_activity_file(p, str(p.relative_to(ROOT)))
        assert not problems, problems
        out.append(act)
    return out


QUIZZES = _book("quiz")
STORIES = _book("scenario")
HELP = "Get help\nSafeguarding lead: Ms A & Mr B: room 2\nChildline:\n- Childline: 0800 1111 (<free>)\nYou are not in trouble."


def _texts(obj):
    """Every string in a JSON value."""
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _texts(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _texts(v)


def _shown(s) -> str:
    """Author text as the export writes it."""
    return html.escape(" ".join(plain(str(s)).split()), quote=True)


@pytest.mark.parametrize("act", QUIZZES, ids=lambda a: a.id)
def test_every_quiz_is_a_valid_question_set_with_every_feedback(act):
    errors, meta, params = validate_package(quiz_to_h5p(act.model, help_text=HELP))
    assert errors == []
    assert meta["mainLibrary"] == "H5P.QuestionSet" and meta["license"] == "CC BY-SA"
    assert meta["language"] == act.model.language
    blob = "\n".join(_texts(params))
    wanted = []
    for it in act.model.items:
        wanted.append(it.prompt)
        if it.is_choice:
            wanted += [c.feedback for c in it.choices()] + [c.label for c in it.choices()]
        else:
            wanted += [s.feedback for s in it.steps] + [s.text for s in it.steps]
            wanted += [ordering.rule_text(it, r) for r in it.rules()]
    missing = [w for w in wanted if _shown(w) not in blob]
    assert missing == []
    # The Get help contacts are the end text at every score.
    end = params["endGame"]
    assert [(f["from"], f["to"]) for f in end["overallFeedback"]] == [(0, 100)]
    assert "0800 1111 (&lt;free&gt;)" in end["overallFeedback"][0]["feedback"]
    assert "Ms A &amp; Mr B" in end["oldFeedback"]["successComment"] == end["oldFeedback"]["failComment"]
    assert "<p><strong>Childline:</strong> Childline: 0800 1111 (&lt;free&gt;)</p>" in params["introPage"]["introduction"]


def _question_of(params, library):
    return [q for q in params["questions"] if q["library"] == library]


def test_item_kinds_map_to_native_question_types():
    by_type = {}
    for act in QUIZZES:
        params = json.loads(zipfile.ZipFile(io.BytesIO(quiz_to_h5p(act.model))).read("content/content.json"))
        qs = iter(params["questions"])
        for it in act.model.items:
            if not it.is_choice:
                n = len(it.rules()) + sum(1 for i, s in enumerate(it.steps)
                                          if s.any_time or i not in {j for r in it.rules() for j in (r.first, r.then)})
                got = [next(qs) for _ in range(n)]
                assert {q["library"] for q in got} <= {"H5P.MultiChoice 1.16", "H5P.TrueFalse 1.8"}
                continue
            q = next(qs)
            p = q["params"]
            by_type.setdefault(it.type, set()).add((q["library"], p.get("behaviour", {}).get("type")))
            if it.type == "truefalse":
                assert p["correct"] == ("true" if it.answer else "false")
                right = it.feedback_true if it.answer else it.feedback_false
                wrong = it.feedback_false if it.answer else it.feedback_true
                assert (p["behaviour"]["feedbackOnCorrect"], p["behaviour"]["feedbackOnWrong"]) == (_shown(right), _shown(wrong))
            else:
                assert [a["correct"] for a in p["answers"]] == [c.correct for c in it.choices()]
                assert [a["tipsAndFeedback"]["chosenFeedback"] for a in p["answers"]] == [
                    f"<div>{_shown(c.feedback)}</div>" for c in it.choices()]
                assert p["behaviour"]["singlePoint"] is True      # all-or-nothing, as the book's quizzes
        assert next(qs, None) is None
    assert by_type == {"single": {("H5P.MultiChoice 1.16", "single")},
                       "multiple": {("H5P.MultiChoice 1.16", "multi")},
                       "redflags": {("H5P.MultiChoice 1.16", "multi")},
                       "truefalse": {("H5P.TrueFalse 1.8", None)}}


def _h5p_score(params, picks) -> int:
    """H5P.MultiChoice 1.16's score of ``picks`` (answer indexes), as its calcScore in js/multichoice.js
    (h5p/h5p-multi-choice at 5738a384) computes it: single answer 1 or 0; otherwise +1 per right and
    -1 per wrong answer, at least 0, and with singlePoint 1 when that reaches passPercentage of the most."""
    answers, b = params["answers"], params["behaviour"]
    if b["type"] == "single":
        return int(len(picks) == 1 and answers[next(iter(picks))]["correct"])
    score = max(0, sum(1 if answers[k]["correct"] else -1 for k in picks))
    most = sum(1 for a in answers if a["correct"])
    if b["singlePoint"]:
        return int(100 * score / most >= b["passPercentage"])
    return score


def test_full_marks_exactly_where_the_one_scoring_rule_gives_them():
    """Every answer to every choice item: H5P gives its point exactly when spotthelure.scoring gives 1."""
    import itertools
    from spotthelure import scoring
    checked = 0
    for act in QUIZZES:
        params = json.loads(zipfile.ZipFile(io.BytesIO(quiz_to_h5p(act.model))).read("content/content.json"))
        qs = iter(params["questions"])
        for it in act.model.items:
            if not it.is_choice:
                n = len(it.rules()) + sum(1 for i, s in enumerate(it.steps)
                                          if s.any_time or i not in {j for r in it.rules() for j in (r.first, r.then)})
                for _ in range(n):
                    next(qs)
                continue
            q = next(qs)
            if it.type == "truefalse":
                continue
            ch = it.choices()
            sizes = [1] if it.cardinality == "single" else range(len(ch) + 1)
            for k in sizes:
                for picks in itertools.combinations(range(len(ch)), k):
                    full = scoring.score(it, {ch[j].key for j in picks}) == 1
                    assert _h5p_score(q["params"], set(picks)) == int(full), (act.id, it.id, picks)
                    checked += 1
    assert checked > 1000


def test_ordering_rules_become_questions_a_question_set_scores_rightly():
    """Each rule a two-answer question whose right answer is the step that must come first; each step
    no rule places a true/false question whose answer is true (it is right at any point)."""
    item = {"id": "steps", "type": "ordering", "prompt": "Put the steps in a good order.", "steps": [
        {"id": "stop", "text": "Stop replying.", "feedback": "Time to think."},
        {"id": "shot", "text": "Take a screenshot.", "feedback": "Proof is kept.", "before": ["block"],
         "reason": "Proof first."},
        {"id": "tell", "text": "Tell a trusted adult.", "feedback": "An adult can help.", "any_time": True},
        {"id": "block", "text": "Block and report.", "feedback": "No more messages."}]}
    q = {"kind": "quiz", "id": "probe", "version": 1, "language": "en", "age_band": "12-14", "title": "Probe",
         "items": [item]}
    errors, _meta, params = validate_package(quiz_to_h5p(q))
    assert errors == []
    rule, *tfs = params["questions"]
    assert rule["library"] == "H5P.MultiChoice 1.16"
    assert [(a["text"], a["correct"]) for a in rule["params"]["answers"]] == [
        ("<div>Take a screenshot.</div>", True), ("<div>Block and report.</div>", False)]
    assert "Proof first." in rule["params"]["answers"][0]["tipsAndFeedback"]["chosenFeedback"]
    assert "No more messages." in rule["params"]["answers"][1]["tipsAndFeedback"]["chosenFeedback"]
    assert [(t["library"], t["params"]["correct"]) for t in tfs] == [("H5P.TrueFalse 1.8", "true")] * 2
    assert ["Stop replying." in t["params"]["question"] for t in tfs] == [True, False]
    assert "An adult can help." in tfs[1]["params"]["behaviour"]["feedbackOnCorrect"]


def _walk(params):
    """Every content index and end reached from the start by the scenario's own links."""
    content = params["branchingScenario"]["content"]
    seen, ends, todo = set(), [], [0]
    while todo:
        i = todo.pop()
        if i in seen:
            continue
        seen.add(i)
        c = content[i]
        nexts = ([a["nextContentId"] for a in c["type"]["params"]["branchingQuestion"]["alternatives"]]
                 if c["type"]["library"].startswith("H5P.BranchingQuestion") else [c["nextContentId"]])
        for n in nexts:
            assert n == -1 or 0 <= n < len(content), (i, n)
            if n == -1:
                ends.append(i)
            else:
                todo.append(n)
    return seen, ends


@pytest.mark.parametrize("act", STORIES, ids=lambda a: a.id)
def test_every_story_is_a_valid_branching_scenario_whose_endings_are_end_screens(act):
    s = act.model
    errors, meta, params = validate_package(scenario_to_h5p(s, help_text=HELP))
    assert errors == []
    assert meta["mainLibrary"] == "H5P.BranchingScenario" and meta["license"] == "CC BY-SA"
    bs = params["branchingScenario"]
    content = bs["content"]
    seen, ends = _walk(params)
    assert seen == set(range(len(content)))                      # nothing unreachable
    # Each ending that closes the story is an end screen with its title, feedback and the help contacts.
    closing = [n for n in s.nodes if n.ending and not n.choices]
    assert len(ends) == len(set(ends)) == len(closing)
    for i in ends:
        fb = content[i]["feedback"]
        assert "0800 1111 (&lt;free&gt;)" in fb["subtitle"]
    end_titles = {content[i]["feedback"]["title"] for i in ends}
    assert end_titles == {f"<p>{_shown(n.title)}</p>" for n in closing}
    # Every message, prompt, choice, choice feedback, ending title and feedback is there.
    blob = "\n".join(_texts(params))
    names = s.names()
    wanted = [s.summary]
    for n in s.nodes:
        wanted += [f"<strong>{_shown(names[m.from_])}:</strong> {_shown(m.text)}" for m in n.messages or ()]
        wanted += [x for x in (n.get("prompt"), n.get("title"), n.get("feedback")) if x]
        wanted += [c.text for c in n.choices or ()] + [c.feedback for c in n.choices or ()]
    missing = [w for w in wanted if (w if w.startswith("<strong>") else _shown(w)) not in blob]
    assert missing == []


@pytest.mark.parametrize("act", STORIES, ids=lambda a: a.id)
def test_each_choice_leads_where_the_story_says(act):
    s = act.model
    params = json.loads(zipfile.ZipFile(io.BytesIO(scenario_to_h5p(s))).read("content/content.json"))
    content = params["branchingScenario"]["content"]
    # The content a node is entered at carries the node's id in its sub-content metadata order:
    # the start is content 0, and each choice's target is the content whose text holds that node.
    assert content[0]["type"]["subContentId"] == _sub_id(s.id, s.start)
    entry = {}
    for i, c in enumerate(content):
        for n in s.nodes:
            if c["type"]["subContentId"] == _sub_id(s.id, n.id):
                entry[n.id] = i
    assert set(entry) == {n.id for n in s.nodes}
    for n in s.nodes:
        choices = list(n.choices or ())
        c = content[entry[n.id]]
        if len(choices) >= 2:
            q = content[c["nextContentId"]]["type"]["params"]["branchingQuestion"]
            assert [a["nextContentId"] for a in q["alternatives"]] == [entry[ch.next] for ch in choices]
            assert [a["feedback"]["subtitle"] for a in q["alternatives"]] == [f"<p>{_shown(ch.feedback)}</p>" for ch in choices]
        elif choices:
            assert c["nextContentId"] == entry[choices[0].next]
            assert c["feedback"]["subtitle"] == f"<p>{_shown(choices[0].feedback)}</p>"
        else:
            assert c["nextContentId"] == -1


def _sub_id(*key):
    import uuid
    from spotthelure import export_h5p
    return str(uuid.uuid5(export_h5p._NS, "/".join(key)))


# ---------------------------------------------------------------------------------- untrusted text

def test_markup_in_author_text_reaches_no_field_as_html():
    act, problems = load_activity_file(ROOT / "tests" / "data" / "quiz-evil.yml", "tests/data/quiz-evil.yml")
    assert not problems
    data = quiz_to_h5p(act.model, help_text="Get help\n<script>alert(9)</script>")
    errors, meta, params = validate_package(data)
    assert errors == []                          # only the export's own tags, every '&' an entity
    raw = data.decode("latin-1") + "\n".join(_texts(params)) + json.dumps(meta)
    for bad in ("<script", "<img", "<svg", "<iframe", "<b ", "<a "):   # as text (&lt;img ...) they are inert
        assert bad not in raw
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" == meta["title"]
    # Already-escaped text stays as the author wrote it (an H5P site does not double-encode either).
    assert "&amp;lt;already&amp;gt; escaped" in json.dumps(params)


@pytest.mark.parametrize("title", ["Tell & ask " * 60, "x" * 300, "<" * 100])
def test_a_long_title_is_cut_between_words_and_stays_valid(title):
    q = {"kind": "quiz", "id": "probe", "version": 1, "language": "en", "age_band": "12-14", "title": title,
         "items": [{"id": "s", "type": "single", "prompt": "Pick one.", "options": [
             {"text": "A", "correct": True, "feedback": "Yes."}, {"text": "B", "feedback": "No."}]}]}
    errors, meta, _params = validate_package(quiz_to_h5p(q))
    assert errors == []
    assert 200 < len(meta["title"]) <= 255 and meta["title"].endswith("…")
    assert html.unescape(meta["title"][:-1]).rstrip() in " ".join(title.split())


def test_story_markup_is_escaped_too():
    s = {"kind": "scenario", "id": "sc-probe", "version": 1, "language": "en", "age_band": "12-14",
         "title": "A <b>story</b>", "summary": "<img src=x onerror=alert(1)>", "objectives": ["x"],
         "characters": [{"id": "a", "name": "<i>Ann</i>", "role": "learner"},
                        {"id": "b", "name": "Bo", "role": "contact"}],
         "start": "n1", "nodes": [
             {"id": "n1", "messages": [{"from": "b", "text": "hi <script>x()</script>"}], "prompt": "What <u>now</u>?",
              "choices": [{"text": "\"><svg onload=alert(2)>", "next": "e1", "feedback": "<iframe>"},
                          {"text": "Tell & ask", "next": "e1", "feedback": "ok"}]},
             {"id": "e1", "ending": "helped", "title": "<h1>Done</h1>", "feedback": "Well <em>done</em>"}]}
    errors, _meta, params = validate_package(scenario_to_h5p(s, help_text="Get help\n<b>x</b>"))
    assert errors == []
    raw = json.dumps(params)
    for bad in ("<script", "<img", "<svg", "<iframe", "<h1>", "<u>", "<i>", "<em>"):
        assert bad not in raw


# ---------------------------------------------------------------------------------- the validator can fail

def _package(meta, params) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("h5p.json", json.dumps(meta))
        z.writestr("content/content.json", json.dumps(params))
    return buf.getvalue()


def _good():
    z = zipfile.ZipFile(io.BytesIO(quiz_to_h5p(QUIZZES[0].model)))
    return json.loads(z.read("h5p.json")), json.loads(z.read("content/content.json"))


def _good_story():
    z = zipfile.ZipFile(io.BytesIO(scenario_to_h5p(STORIES[0].model)))
    return json.loads(z.read("h5p.json")), json.loads(z.read("content/content.json"))


def _break(what):
    meta, p = _good_story() if what.startswith("story") else _good()
    q0 = p["questions"][0] if "questions" in p else None
    if what == "unknown key":
        p["endGame"]["helpText"] = "x"
    elif what == "wrong library version":
        q0["library"] = "H5P.MultiChoice 1.15"
    elif what == "library not allowed":
        q0["library"] = "H5P.SortParagraphs 0.11"
    elif what == "tag not allowed":
        q0["params"]["question"] = "<p><script>x</script></p>"
    elif what == "markup in plain text":
        p["texts"]["nextButton"] = "<b>Next</b>"
    elif what == "bare ampersand":
        p["texts"]["nextButton"] = "Next & on"
    elif what == "missing field":
        del q0["params"]["question"]
    elif what == "group of one not flattened":
        p["endGame"]["overallFeedback"] = {"overallFeedback": p["endGame"]["overallFeedback"]}
    elif what == "select outside options":
        p["progressType"] = "bar"
    elif what == "number outside range":
        p["passPercentage"] = 120
    elif what == "empty list":
        p["questions"] = []
    elif what == "undeclared dependency":
        meta["preloadedDependencies"] = meta["preloadedDependencies"][:1]
    elif what == "bad licence":
        meta["license"] = "CC-BY-SA-4.0"
    elif what == "title with a line break":
        meta["title"] = "a\nb"
    elif what == "story alternative text with markup":
        bq = next(c for c in p["branchingScenario"]["content"] if "BranchingQuestion" in c["type"]["library"])
        bq["type"]["params"]["branchingQuestion"]["alternatives"][0]["text"] = "<em>x</em>"
    elif what == "story proceed text too long":
        p["branchingScenario"]["content"][0]["proceedButtonText"] = "x" * 51
    elif what == "story bad sub-content id":
        p["branchingScenario"]["content"][0]["type"]["subContentId"] = "n1"
    return _package(meta, p)


BREAKS = ["unknown key", "wrong library version", "library not allowed", "tag not allowed", "markup in plain text",
          "bare ampersand", "missing field", "group of one not flattened", "select outside options",
          "number outside range", "empty list", "undeclared dependency", "bad licence", "title with a line break",
          "story alternative text with markup", "story proceed text too long", "story bad sub-content id"]


def test_the_unbroken_packages_pass():
    assert validate_package(_package(*_good()))[0] == []
    assert validate_package(_package(*_good_story()))[0] == []


@pytest.mark.parametrize("what", BREAKS)
def test_the_validator_refuses_a_broken_package(what):
    assert validate_package(_break(what))[0] != []


# ---------------------------------------------------------------------------------- command and downloads

def test_every_quiz_and_story_downloads_an_h5p():
    assert ("downloads/{id}.h5p", "h5p") in {(p, f) for p, f, _label in KINDS["quiz"].output_patterns}
    assert ("downloads/{id}.h5p", "h5p") in {(p, f) for p, f, _label in KINDS["scenario"].output_patterns}


def test_export_is_deterministic():
    a = QUIZZES[0].model
    assert quiz_to_h5p(a, HELP) == quiz_to_h5p(a, HELP)
    assert to_h5p("scenario", STORIES[0].data) == scenario_to_h5p(STORIES[0].model)


def test_export_command_writes_the_package_and_refuses_other_kinds(tmp_path, monkeypatch, capsys):
    from spotthelure.cli import main
    monkeypatch.chdir(ROOT)
    out = tmp_path / "q.h5p"
    assert main(["export", "h5p", QUIZZES[0].rel, "-o", str(out)]) == 0
    assert str(out) in capsys.readouterr().out
    errors, meta, params = validate_package(out.read_bytes())
    assert errors == []
    assert "Get help" in params["endGame"]["overallFeedback"][0]["feedback"]     # the book's local contacts
    rp = "activities/roleplays/rp-helping-a-friend.yml"
    assert main(["export", "h5p", rp, "-o", str(tmp_path / "x.h5p")]) == 1
    err = capsys.readouterr().err
    assert re.match(rf"{re.escape(rp)}:1: this is a roleplay; h5p export takes a quiz or a chat story", err)
    assert not (tmp_path / "x.h5p").exists()
    assert main(["export", "h5p", QUIZZES[0].rel, STORIES[0].rel, "-o", str(tmp_path / "x.h5p")]) == 1
    assert f"{STORIES[0].rel}:1: h5p export takes one activity file" in capsys.readouterr().err


def test_the_process_exits_1_with_path_and_line_not_a_traceback(tmp_path):
    rp = "activities/roleplays/rp-helping-a-friend.yml"
    r = subprocess.run([sys.executable, "-m", "spotthelure", "export", "h5p", rp, "-o", str(tmp_path / "x.h5p")],
                       cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 1 and r.stderr.startswith(f"{rp}:1: ") and "Traceback" not in r.stderr


# ---------------------------------------------------------------------------------- every word from the catalog

def _shown_texts(value, fields, out):
    """The values of the semantics' text fields (what the player shows) in ``value``."""
    by_name = {f["name"]: f for f in fields}
    for key, v in (value or {}).items():
        f = by_name.get(key)
        if f is not None:
            _shown_field(v, f, out)


def _shown_field(v, f, out):
    t = f["type"]
    if t == "group":
        if len(f["fields"]) == 1:
            _shown_field(v, f["fields"][0], out)
        else:
            _shown_texts(v, f["fields"], out)
    elif t == "list":
        for x in v:
            _shown_field(x, f["field"], out)
    elif t == "text":
        out.append(v)
    elif t == "library":
        _shown_texts(v["params"], SEMANTICS[v["library"]], out)
        out.append(v["metadata"]["title"])


@pytest.mark.parametrize("name", ["quiz-sample.yml", "scenario-sample.yml"])
def test_every_word_a_learner_sees_is_content_or_from_the_catalog(pseudo_dir, name):
    """In the pseudo-locale every catalog message is ⟦…⟧ and every content text ‹…›: no other word."""
    from spotthelure import i18n
    from i18n_helpers import PSEUDO, mark_content, untranslated, visible_text
    act, problems = load_activity_file(ROOT / "tests" / "data" / name, name)
    assert not problems
    data = mark_content(act.data)
    with i18n.use_locales(pseudo_dir), i18n.language(PSEUDO):
        pkg = to_h5p(act.kind, data, help_text="‹Get help›\n‹Childline:›\n- ‹Childline: 0800 1111›")
    errors, meta, params = validate_package(pkg)
    assert errors == []
    shown: list[str] = [meta["title"]]
    _shown_texts(params, SEMANTICS["H5P.QuestionSet 1.21" if act.kind == "quiz" else "H5P.BranchingScenario 1.10"], shown)
    text = html.unescape(visible_text(" ".join(f"<p>{s}</p>" for s in shown)))
    assert len(shown) > 40
    assert untranslated(text) == []
