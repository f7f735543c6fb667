"""The pseudo-locale (tests/i18n_helpers.py) over what the first tests of the catalog did not reach:
the live widgets of Jupyter and Voilà, as a learner clicks through them, and the evaluation report.
Every word they show comes from the catalog (⟦…⟧) or from the content (‹…›)."""
from __future__ import annotations

import itertools
from pathlib import Path

import ipywidgets as W
import yaml

from i18n_helpers import mark_content, untranslated, visible_text, without_ids
from spotthelure import catalog
from spotthelure.project import load_activity_file

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
EVAL = DATA / "evaluate"


def _act(name):
    act, problems = load_activity_file(DATA / name, name)
    assert not problems
    return mark_content(act.data)


def _shown(widget) -> list[str]:
    """Every text a widget tree shows or says: HTML values, labels, button words, tooltips, options."""
    out = []
    if isinstance(widget, (W.HTML, W.HTMLMath)):
        out.append(visible_text(widget.value))
    for attr in ("description", "tooltip", "placeholder"):
        v = getattr(widget, attr, None)
        if isinstance(v, str) and v:
            out.append(v)
    for opt in getattr(widget, "options", ()) or ():
        out.append(str(opt[0] if isinstance(opt, tuple) else opt))
    for child in getattr(widget, "children", ()) or ():
        out += _shown(child)
    return out


def _words(widget) -> list[str]:
    return untranslated(without_ids(" ".join(_shown(widget))))


def test_quiz_widget_as_a_learner_uses_it(pseudo):
    from spotthelure.render_widgets import QuizWidget
    quiz = QuizWidget(_act("quiz-sample.yml"))
    assert _words(quiz.view) == []
    for item in quiz.items:
        item.grade()                                        # nothing chosen yet: a reminder
        assert _words(quiz.view) == [], item.item.id
        first = item.inputs[0]
        if isinstance(first, W.RadioButtons):
            for value in range(len(first.options)):         # every answer's feedback
                first.value = value
                item.grade()
                assert _words(quiz.view) == [], (item.item.id, value)
        elif isinstance(first, W.Checkbox):
            for box in item.inputs:
                box.value = True
                item.grade()
                assert _words(quiz.view) == [], item.item.id
        else:                                               # ordering: an order that breaks a rule, and another
            n = len(item.inputs)
            for order in itertools.islice(itertools.permutations(range(1, n + 1)), 3):
                for dd, place in zip(item.inputs, order):
                    dd.value = place
                item.grade()
                assert _words(quiz.view) == [], (item.item.id, order)
            item.inputs[0].value = item.inputs[1].value      # two steps in one place: a reminder
            item.grade()
            assert _words(quiz.view) == [], item.item.id
    assert quiz.answered > 0


def test_chat_story_widget_along_every_first_path(pseudo):
    from spotthelure.render_widgets import ScenarioWidget
    data = _act("scenario-sample.yml")
    story = ScenarioWidget(data)
    seen = 0
    for start_choice in range(len(story.current.choices or ())):
        story.start_again()
        story.choose(story.current.choices[start_choice])
        while not story.current.ending and story.current.choices:
            assert _words(story.view) == [], story.current.id
            story.choose(story.current.choices[-1])
            seen += 1
        assert _words(story.view) == [], story.current.id
        story.go_back()
        assert _words(story.view) == []
    assert seen and story.endings


def _marked_questionnaire(tmp_path: Path) -> Path:
    q = yaml.safe_load((EVAL / "eval-test.yml").read_text(encoding="utf-8"))
    marked = tmp_path / "eval-test.yml"
    marked.write_text(yaml.safe_dump(_plain(mark_content(q)), allow_unicode=True, sort_keys=False), encoding="utf-8")
    return marked


def _plain(data):
    if isinstance(data, dict):
        return {k: _plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_plain(v) for v in data]
    return data


def test_evaluation_report_and_summary(pseudo, tmp_path):
    from spotthelure.analysis import analyse, report_html, summary_text
    import re
    res = analyse([EVAL / "hand-example.csv"], str(_marked_questionnaire(tmp_path)))
    # Code (a command, a field name as the author types it) and the answer file's own name are not words.
    html = re.sub(r"(?s)<code>.*?</code>", " ", report_html(res)).replace(str(EVAL / "hand-example.csv"), " ")
    words = untranslated(without_ids(visible_text(html)))
    assert words == [], sorted(set(words))
    words = untranslated(without_ids(summary_text(res)))
    assert words == [], sorted(set(words))


def test_extraction_finds_messages_inside_f_strings(tmp_path):
    """Babel's tokenizer reads an f-string as one string; the package's extractor reads its calls too."""
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "m.py").write_text('from x import _, ngettext\nA = f"<h3>{_(\'Quiz:\')} {t}</h3>"\n'
                              'B = f"{ngettext(\'{n} step\', \'{n} steps\', n)}"\nC = _("Plain")\n', encoding="utf-8")
    ids = {m.id for m in catalog.extract(pkg) if m.id}
    assert {"Quiz:", ("{n} step", "{n} steps"), "Plain"} <= ids


def test_a_file_extracted_again_gives_its_messages_as_it_is_now(tmp_path):
    """One process extracts a file it read before from what it found then, and an edited file afresh:
    the messages, their lines and their translators' comments are what a first extraction gives."""
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    mod = pkg / "m.py"
    mod.write_text('from x import _\n# TRANSLATORS: a button\nA = _("Save")\nB = f"{_(\'Quiz:\')}"\n', encoding="utf-8")

    def found():
        return sorted((m.id, m.locations, m.auto_comments) for m in catalog.extract(pkg) if m.id)
    first = found()
    assert first == [("Quiz:", [("pkg/m.py", 4)], []), ("Save", [("pkg/m.py", 3)], ["a button"])]
    assert found() == first
    mod.write_text('from x import _\n\nA = _("Save now")\n', encoding="utf-8")
    assert found() == [("Save now", [("pkg/m.py", 3)], [])]
