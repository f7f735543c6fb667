"""The build's speed-ups (spotthelure/sphinx/speedups.py) give the libraries' own results.
(That a whole book builds to the same bytes with them is what every book test sees.)"""
from __future__ import annotations

import pybtex.plugin
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser as RSTParser
from myst_parser.mdit_to_docutils import base

from spotthelure.sphinx import speedups


def test_plugins_are_looked_up_once_and_found_as_before():
    before = pybtex.plugin.find_plugin("pybtex.style.formatting", "plain")
    speedups.install()
    speedups.install()                      # twice is once
    assert getattr(pybtex.plugin.entry_points, "_spotthelure_kept", False)
    assert pybtex.plugin.find_plugin("pybtex.style.formatting", "plain") is before
    assert pybtex.plugin.find_plugin("pybtex.backends", "plaintext").__name__ == "Backend"
    assert "plaintext" in pybtex.plugin.enumerate_plugin_names("pybtex.backends")    # a lookup by group alone
    try:
        pybtex.plugin.find_plugin("pybtex.backends", "no-such-backend")
    except pybtex.plugin.PluginNotFound:
        pass
    else:
        raise AssertionError("an unknown plugin must still be refused")


def test_each_document_gets_its_own_copy_of_the_default_settings():
    speedups.install()
    assert getattr(base.make_document, "_spotthelure_kept", False)
    one, two = base.make_document("a.md"), base.make_document("b.md")
    assert one.settings is not two.settings
    fresh = base.new_document("c.md", get_default_settings(RSTParser)).settings
    differ = {k for k in vars(fresh) if vars(one.settings).get(k) != vars(fresh)[k]}
    assert differ == {"record_dependencies"}, differ        # a new, empty list of files for each document
    assert one.settings.record_dependencies is not two.settings.record_dependencies
    assert not one.settings.record_dependencies.list
    one.settings.report_level = 5           # a change to one document's settings stays there
    assert two.settings.report_level != 5 and base.make_document().settings.report_level != 5
    assert one["source"] == "a.md" and two["source"] == "b.md"
