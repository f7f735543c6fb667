"""Student modules in the page's language: which notebook cells are drawn again in a translated build
(the helpers' calls with literal arguments) and which keep their output."""
from __future__ import annotations

import pytest

from spotthelure.sphinx.notebook_lang import helper_call


@pytest.mark.parametrize("source, call", [
    ('show("q1214-1")', ("show", ["q1214-1"], {})),
    ('from spotthelure.notebook import show, summary, get_help\nget_help("12-14")', ("get_help", ["12-14"], {})),
    ("summary(['sc-1', 'q-2'])", ("summary", [["sc-1", "q-2"]], {})),
    ('get_help(band="9-11")', ("get_help", [], {"band": "9-11"})),
])
def test_helper_calls_are_drawn_again(source, call):
    assert helper_call(source) == call


@pytest.mark.parametrize("source", [
    'show(ids[0])',                      # not a literal: the cell's own output stays
    'x = show("q1")',                    # an assignment shows nothing
    'print("hi")',
    'show("q1")\nprint("after")',        # the last line is not a helper
    'import os\nos.system("show")',
    'show(**{"activity_id": "q1"})',
    'def f(:',                           # not Python
    '',
])
def test_other_cells_keep_their_output(source):
    assert helper_call(source) is None
