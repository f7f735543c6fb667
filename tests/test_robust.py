"""Nothing crashes, nothing hangs, nothing is lost.

Payloads per class: YAML resource attacks, control characters, ids, odd files, outputs written over
inputs. Anything that could hang or exhaust memory runs in a subprocess with a timeout.
"""
from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import copy_book, copy_content
from spotthelure.cli import main
from spotthelure.problems import ContentError
from spotthelure.yamlload import parse_yaml

ROOT = Path(__file__).resolve().parent.parent
LINE = re.compile(r"^[^\s:][^:]*:\d+: \S.*$")
QUIZ = (ROOT / "activities/quizzes/q911-1.yml").read_text(encoding="utf-8")


def cli(*argv, cwd=None, timeout=60):
    """The command in its own process (a hang or a crash cannot take the tests with it)."""
    t = time.monotonic()
    r = subprocess.run([sys.executable, "-m", "spotthelure", *argv], cwd=cwd or ROOT,
                       capture_output=True, text=True, timeout=timeout)
    r.seconds = time.monotonic() - t
    return r


def inproc(*argv, cwd=None):
    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    os.chdir(cwd or ROOT)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            rc = main(list(argv))
    finally:
        os.chdir(old)
    return rc, out.getvalue(), err.getvalue()


def assert_clean_failure(rc, out, err):
    assert rc != 0, out + err
    assert "Traceback" not in out + err, err[-2000:]
    lines = err.strip().splitlines()
    for line in lines[:-1]:
        assert LINE.match(line), line
    assert re.match(r"^\d+ problems? found", lines[-1]), lines[-1]


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    return copy_content(tmp_path_factory.mktemp("robust") / "book")


# --------------------------------------------------------------------------- YAML resource attacks

LAUGHS = "\n".join(["kind: quiz", "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
                   + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]) + "\n"
BOMBS = {
    "billion-laughs": (LAUGHS, "an anchor (&a)"),
    "alias-only": ("kind: quiz\ntitle: *t\n", "an alias (*t)"),
    "anchor-only": ("kind: quiz\ntitle: &t Hello\n", "anchor"),
    "self-alias": ("kind: quiz\na: &a [*a]\n", "an anchor (&a)"),
    "flow-5000": ("kind: quiz\nx: " + "[" * 5000 + "]" * 5000 + "\n", "nested more than"),
    "flow-100000": ("kind: quiz\nx: " + "[" * 100_000 + "]" * 100_000 + "\n", "nested more than"),
    "block-1200": ("kind: quiz\nx:\n" + "".join("  " * i + "-\n" for i in range(1, 1200)), "nested more than"),
    "line-2mb": ("kind: quiz\nitems: [" + ", ".join(["a"] * 690_000) + "]\n", "values in one file"),
    "big-file": ("kind: quiz\ntitle: " + "a" * (2 * 1024 * 1024 + 10) + "\n", "larger than"),
}


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_yaml_resource_attacks_answer_fast(tmp_path, name):
    text, expect = BOMBS[name]
    f = tmp_path / f"{name}.yml"
    f.write_text(text, encoding="utf-8")
    r = cli("export", "html", str(f), timeout=30)
    assert_clean_failure(r.returncode, r.stdout, r.stderr)
    assert expect in r.stderr, r.stderr[-500:]
    assert r.seconds < 15, f"{name}: {r.seconds:.1f} s"


def test_problems_are_capped_per_file(tmp_path):
    items = "".join(f"  - {i}\n" for i in range(3000))
    f = tmp_path / "many.yml"
    f.write_text(QUIZ.split("items:")[0] + "items:\n" + items, encoding="utf-8")
    r = cli("export", "html", str(f), timeout=60)
    assert_clean_failure(r.returncode, r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) <= 103, len(lines)
    assert "more problems in this file" in r.stderr


# --------------------------------------------------------------------------- control characters, ids

@pytest.mark.parametrize("value, shown", [
    ('"\\e[2J\\e]0;PWNED\\a"', r"\x1b"),
    ('"Hill School\\r\\r```{raw} html"', r"\r"),
    ('"nul \\0 here"', r"\x00"),
    ('"odd \\uFFFE"', r"\ufffe"),
    ('"c1 \\x9b31m"', r"\x9b"),
])
def test_control_characters_are_refused_and_shown_escaped(tmp_path, value, shown):
    f = tmp_path / "ctl.yml"
    f.write_text(QUIZ.replace("title: ", f"title: {value}\nx_old_title: ", 1), encoding="utf-8")
    rc, out, err = inproc("validate", str(f))
    assert_clean_failure(rc, out, err)
    assert "is not allowed in text" in err and shown in err, err
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", out + err), repr(err)


def test_a_tab_and_a_line_break_stay_allowed():
    data = parse_yaml('a: "one\\ttwo\\nthree"\n', "t.yml")
    assert data["a"] == "one\ttwo\nthree"


def test_kind_with_escape_sequences_is_echoed_escaped(tmp_path):
    f = tmp_path / "k.yml"
    f.write_text(QUIZ.replace("kind: quiz", 'kind: "\\e[2J\\e]0;PWNED\\a"'), encoding="utf-8")
    rc, out, err = inproc("validate", str(f))
    assert_clean_failure(rc, out, err)
    assert "\x1b" not in err and "\x07" not in err and r"\x1b" in err


def test_control_characters_in_local_yml_and_front_matter(book):
    local, lesson = book / "local.yml", book / "book/teachers/ages-15-18/1-control-disguised-as-care.md"
    saved = local.read_bytes(), lesson.read_bytes()
    try:
        local.write_text(re.sub(r"^organisation:", 'organisation: "Hill School\\\\r\\\\r```{raw} html"\\nx_organisation:',
                                local.read_text(encoding="utf-8"), count=1, flags=re.M), encoding="utf-8")
        lesson.write_text(lesson.read_text(encoding="utf-8").replace(
            "  title: ", '  title: "Warm up \\e]0;x\\a"\n  x_title: ', 1), encoding="utf-8")
        rc, out, err = inproc("validate", cwd=book)
        assert_clean_failure(rc, out, err)
        assert re.search(r"^local\.yml:\d+: a carriage return \(\\r\) is not allowed", err, re.M), err
        assert re.search(r"^book/teachers/ages-15-18/1-control-disguised-as-care\.md:\d+: a control character \(\\x1b\)",
                         err, re.M), err
    finally:
        local.write_bytes(saved[0])
        lesson.write_bytes(saved[1])


def test_an_id_with_a_final_newline_is_refused(tmp_path):
    f = tmp_path / "id.yml"
    f.write_text(QUIZ.replace("id: q911-1", 'id: "q911-1\\n"', 1), encoding="utf-8")
    rc, out, err = inproc("validate", str(f))
    assert_clean_failure(rc, out, err)
    assert r"'q911-1\n' is not a valid id" in err, err


def test_wrong_types_are_named_in_plain_words(tmp_path):
    f = tmp_path / "t.yml"
    f.write_text(QUIZ.replace("title: ", "title: [a, b]\nx_title: ", 1), encoding="utf-8")
    rc, out, err = inproc("validate", str(f))
    assert_clean_failure(rc, out, err)
    assert "title: should be text, not a list" in err and "LList" not in err


def test_one_and_true_are_two_keys_and_tabs_get_the_hint():
    data = parse_yaml("1: a\ntrue: b\n", "k.yml")
    assert set(data) == {"1", "true"}
    with pytest.raises(ContentError) as e:
        parse_yaml("a:\n\tb: 1\n", "tab.yml")
    assert "use spaces, not tabs" in str(e.value)


# --------------------------------------------------------------------------- odd files

def test_odd_files_get_messages_not_tracebacks(tmp_path):
    # The tiny book (tests/books/basic), the test's own, with a data and a notebooks folder: what
    # validate reads in every book, in a book that validates in a second instead of several.
    book = copy_book("basic", tmp_path)
    (book / "data").mkdir()
    (book / "notebooks").mkdir()
    bib, local = book / "references.bib", book / "local.yml"
    bib.write_bytes(bib.read_bytes() + b"\n% caf\xe9\n")
    (book / "activities/quizzes/folder.yml").mkdir()
    (book / "book/folder.md").mkdir()
    (book / "book/dangling.md").symlink_to(book / "nowhere.md")
    (book / "activities/quizzes/zero.yml").symlink_to("/dev/zero")
    os.mkfifo(book / "activities/quizzes/fifo.yml")
    os.mkfifo(book / "notebooks/fifo.ipynb")
    (book / "data" / "zz-long.csv").write_text("value,source,note\n" + "x" * 140_000 + ",unicef,n\n", encoding="utf-8")
    r = cli("validate", cwd=book, timeout=120)
    assert_clean_failure(r.returncode, r.stdout, r.stderr)
    err = r.stderr
    assert re.search(r"^references\.bib:\d+: not UTF-8 text", err, re.M), err[-3000:]
    for expect in (
                   "activities/quizzes/folder.yml:1: is a folder, not a file",
                   "book/folder.md:1: is a folder, not a file",
                   "book/dangling.md:1: a link to a file that does not exist",
                   "activities/quizzes/zero.yml:1: a link to a file outside the book",
                   "activities/quizzes/fifo.yml:1: is not a regular file",
                   "notebooks/fifo.ipynb:1: is not a regular file",
                   "data/zz-long.csv:2: not a readable CSV line"):
        assert expect in err, (expect, err[-3000:])
    # The folders themselves as references.bib and local.yml.
    bib.unlink(); bib.mkdir()
    local.unlink(); local.mkdir()
    r = cli("validate", cwd=book, timeout=120)
    assert_clean_failure(r.returncode, r.stdout, r.stderr)
    assert "references.bib:1: is a folder, not a file" in r.stderr
    assert "local.yml:1: is a folder, not a file" in r.stderr


def test_excel_sep_line_is_understood(book):
    from spotthelure.project import read_sourced_csv
    f = book / "data" / "excel.csv"
    f.write_text("sep=;\nvalue;source;note\n5;unicef;a note\n", encoding="utf-8")
    try:
        rows, problems = read_sourced_csv(f, "data/excel.csv", {"unicef"})
        assert problems == [] and rows == [{"value": "5", "source": "unicef", "note": "a note"}]
    finally:
        f.unlink()


def test_validate_a_file_outside_the_book_says_so(tmp_path):
    f = tmp_path / "outside.yml"
    f.write_text(QUIZ, encoding="utf-8")
    rc, out, err = inproc("validate", str(f))
    assert rc == 0, err
    assert "outside the book" in out and "OK: 0 activities" not in out


def test_validate_where_there_is_no_book(tmp_path):
    rc, out, err = inproc("validate", cwd=tmp_path)
    assert_clean_failure(rc, out, err)
    assert "no book here" in err


# --------------------------------------------------------------------------- nothing is lost

def test_export_onto_its_source_is_refused(tmp_path):
    f = tmp_path / "q.yml"
    f.write_text(QUIZ, encoding="utf-8")
    rc, out, err = inproc("export", "gift", str(f), "-o", str(f))
    assert_clean_failure(rc, out, err)
    assert "is an input of this command" in err
    assert f.read_text(encoding="utf-8") == QUIZ


def test_export_into_the_books_content_is_refused(book, tmp_path):
    target = book / "activities/quizzes/q911-2.yml"
    before = target.read_bytes()
    for dest in (target, book / "book/new.txt", book / "local.yml", book / "data/x.csv"):
        rc, out, err = inproc("export", "gift", "activities/quizzes/q911-1.yml", "-o", str(dest), cwd=book)
        assert_clean_failure(rc, out, err)
        assert "part of the book's content" in err or "is an input" in err, err
    assert target.read_bytes() == before and not (book / "book/new.txt").exists()
    rc, out, err = inproc("export", "print", "--all", "-o", str(book / "book/prints"), cwd=book)
    assert_clean_failure(rc, out, err)
    assert not (book / "book/prints").exists()


def test_evaluate_report_onto_its_csv_is_refused(tmp_path):
    pre = tmp_path / "pre.csv"
    shutil.copy(ROOT / "tests/data/evaluate/hand-example.csv", pre)
    before = pre.read_bytes()
    rc, out, err = inproc("evaluate", str(pre), "--questionnaire", str(ROOT / "tests/data/evaluate/eval-test.yml"), "--report", str(pre))
    assert rc != 0 and "is an input of this command" in err, out + err
    assert pre.read_bytes() == before


def test_output_onto_a_folder_or_under_a_file(tmp_path):
    f = tmp_path / "q.yml"
    f.write_text(QUIZ, encoding="utf-8")
    (tmp_path / "adir").mkdir()
    for dest, expect in ((tmp_path / "adir", "is a folder"), (f / "x.txt", "is a file, not a folder")):
        rc, out, err = inproc("export", "gift", str(f), "-o", str(dest))
        assert_clean_failure(rc, out, err)
        assert expect in err


def test_outputs_get_the_umask_permissions(tmp_path):
    f = tmp_path / "q.yml"
    f.write_text(QUIZ, encoding="utf-8")
    old = os.umask(0o022)
    try:
        rc, out, err = inproc("export", "gift", str(f), "-o", str(tmp_path / "q.gift.txt"))
    finally:
        os.umask(old)
    assert rc == 0, err
    assert stat.S_IMODE((tmp_path / "q.gift.txt").stat().st_mode) == 0o644
    assert f"Wrote {tmp_path / 'q.gift.txt'}" in out


def test_problem_text_is_escaped_for_every_reader():
    """The build logs ``p.message`` itself (not ``str(p)``): the escaping lives in the Problem."""
    from spotthelure.problems import Problem
    p = Problem("a\x1b.yml", 3, "kind '\x1b[2J\x1b]0;PWNED\x07' is not allowed")
    assert p.message == r"kind '\x1b[2J\x1b]0;PWNED\x07' is not allowed"
    assert str(p) == r"a\x1b.yml:3: kind '\x1b[2J\x1b]0;PWNED\x07' is not allowed"


def test_evaluate_names_a_pipe_as_not_a_regular_file(tmp_path):
    """A FIFO given to evaluate is said to be a pipe, not "no such file", and nothing waits on it."""
    import os
    fifo = tmp_path / "answers.csv"
    os.mkfifo(fifo)
    r = cli("evaluate", f"pre={fifo}", f"post={fifo}")
    assert r.returncode != 0
    assert "not a regular file" in r.stdout + r.stderr, r.stdout + r.stderr
    assert "Traceback" not in r.stdout + r.stderr


def test_evaluate_questionnaire_ids_end_at_the_true_end():
    from spotthelure.analysis import questionnaire
    assert questionnaire.ID.match("eval-pre-post-9-11")
    assert not questionnaire.ID.match("eval-pre-post-9-11\n")


def test_a_page_or_activity_linked_from_outside_the_book_is_refused(book, tmp_path):
    """A page or activity that is a link to a file outside the book would publish that file (F2)."""
    outside = tmp_path / "secret.md"
    outside.write_text("# Secret\n\nSTLCANARY text from outside the book\n", encoding="utf-8")
    made = [book / "book" / "linked.md", book / "activities" / "quizzes" / "q-linked.yml"]
    made[0].symlink_to(outside)
    made[1].symlink_to(outside)
    try:
        rc, out, err = inproc("validate", cwd=book)         # a link to a regular file: nothing can hang
        assert rc != 0
        for m in made:
            rel = m.relative_to(book).as_posix()
            assert f"{rel}:1: a link to a file outside the book" in err, err[-2000:]
        assert "Traceback" not in out + err
    finally:
        for m in made:
            m.unlink()
