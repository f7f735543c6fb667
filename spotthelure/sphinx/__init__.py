"""The Spot the Lure Sphinx extension, in parts (as sphinx-exercise is split):

- :mod:`.directives`: the activity directives, content roles, safe links, the project a build reads
  and its checks (the same as ``spotthelure validate``, once at ``builder-inited``);
- :mod:`.nodes`: the activity node and its HTML visitor, links resolved by the builder;
- :mod:`.generated`: lesson and workshop pages and the block directives;
- :mod:`.page_head`: an offline, private, light page head;
- :mod:`.build_state`: content fingerprints, scoped notebook invalidation, printables and downloads;
- :mod:`.languages`: one language of a multilingual build (switcher, notes, ``lang`` and ``dir``);
- :mod:`.notebook_errors`: a failing notebook cell reported as ``path: cell N: error``;
- :mod:`.speedups`: work the build's libraries repeat for nothing, done once.
"""
from __future__ import annotations

from ..render_html import STATIC
from . import build_state, directives, generated, languages, nodes, notebook_errors, notebook_lang, page_head, plans, speedups


def on_config_inited(app, config):
    config.html_static_path.append(str(STATIC))
    if not config.html_favicon:
        config.html_favicon = str(STATIC / "favicon.svg")   # the book's own icon, shipped as a file


def setup(app):
    app.add_node(nodes.activity_node,
                 html=(nodes.visit_activity_html, nodes.depart_noop),
                 latex=(nodes.skip, None), text=(nodes.skip, None), man=(nodes.skip, None),
                 texinfo=(nodes.skip, None))
    app.add_node(nodes.lesson_downloads_node,
                 html=(nodes.visit_lesson_downloads_html, nodes.depart_noop),
                 latex=(nodes.skip, None), text=(nodes.skip, None), man=(nodes.skip, None),
                 texinfo=(nodes.skip, None))
    app.add_node(generated.page_ref)
    app.add_node(generated.slides_link)
    for kind in directives.KINDS:
        app.add_directive(kind, directives.activity_directive(kind))
    app.add_directive("local-contacts", languages.drawn(generated.HelpBoxDirective))
    app.add_directive("lesson-table", languages.drawn(generated.LessonTableDirective))
    app.add_directive("lesson-list", languages.drawn(generated.LessonTableDirective))
    app.add_directive("lesson-plan", languages.drawn(plans.LessonPlanDirective))
    app.add_directive("workshop-plan", languages.drawn(plans.WorkshopPlanDirective))
    app.add_directive("curriculum-map", languages.drawn(generated.CurriculumMapDirective))
    app.add_directive("factsheet-list", languages.drawn(generated.FactsheetListDirective))
    app.add_directive("roleplay-library", languages.drawn(generated.library_directive("roleplay")))
    app.add_directive("evaluation-tools", languages.drawn(generated.library_directive("questionnaire")))
    app.add_role("stl", directives.content_role(plain=False))
    app.add_role("stl-plain", directives.content_role(plain=True))
    app.add_post_transform(directives.SafeLinks)
    app.add_post_transform(generated.PageRefs)
    app.add_post_transform(generated.SlidesLinks)
    app.add_post_transform(notebook_lang.TranslateNotebookOutputs)
    notebook_errors.guard_notebook_parser()
    speedups.install()
    languages.setup(app)

    app.connect("config-inited", on_config_inited)
    app.connect("config-inited", page_head.on_config_inited_late, priority=900)
    app.connect("builder-inited", directives.on_builder_inited_validate)
    app.connect("builder-inited", page_head.on_builder_inited)
    app.connect("source-read", generated.on_source_read)
    app.connect("env-get-outdated", build_state.on_env_get_outdated)
    app.connect("env-get-outdated", generated.on_env_get_outdated)
    app.connect("env-purge-doc", generated.on_env_purge_doc)
    app.connect("env-merge-info", generated.on_env_merge_info)
    app.connect("html-page-context", page_head.on_page_context)
    app.connect("html-page-context", page_head.on_page_context_late, priority=900)
    app.connect("build-finished", build_state.on_build_finished)
    app.connect("build-finished", generated.on_build_finished_slides)
    app.connect("build-finished", build_state.on_build_finished_stamps, priority=800)   # after every step that stamps
    app.connect("build-finished", page_head.on_build_finished_root, priority=100)
    app.add_css_file("spotthelure.css")
    app.add_js_file("spotthelure.js", loading_method="defer")
    # The script's words for page-wide controls (Quick exit, Clear everything) on pages with no
    # activity to carry them; a data block, never run. Written once the build's language is set
    # (languages.on_config_inited, priority 400), so a translated page carries its own words.
    app.connect("config-inited", _add_page_strings, priority=600)
    # env_version: pages read by an older extension are read again (their doctrees hold its output;
    # 7: a translated page's nodes belong to the page's own document, languages.on_doctree_read;
    # 8: Sphinx's translation passes by what the book draws in the page's language, languages.drawn;
    # 9: on a page still in English, what the book draws says it is in the page's language;
    # 10: English left on a right-to-left page says it reads left to right: every page written again;
    # 11, 12: which pages' titles stay English, languages.english_titles;
    # 13: phone numbers keep their groups in order on a right-to-left page, languages.IsolateNumbers;
    # 14, 15: English around a translated page is marked: citations, headings in "On this page", the
    # page's own entry in the navigation, the window title of a page still in English).
    return {"version": "4", "env_version": 15, "parallel_read_safe": True, "parallel_write_safe": True}


def _add_page_strings(app, config):
    from .. import i18n
    app.add_js_file(None, body=i18n.js_strings(), type="application/json", id="stl-i18n")
