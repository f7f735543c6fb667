"""The evaluation analysis: statistics checked by hand, every kind of broken file, privacy, CLI."""
from __future__ import annotations

import math
import re
import statistics
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spotthelure import cli
from spotthelure.analysis import (ContentError, ResponseFile, analyse, check, figure_svg, load_questionnaire,
                                  plots, read_responses, report_html, summary_text)
from spotthelure.analysis.synthetic import synthetic_rows, write_synthetic_csv

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "evaluate"
Q = str(DATA / "eval-test.yml")
HEADER = "questionnaire,code,phase,group,k1,k2,c1,a1,a2,w1,w2,y1,t1"
T975_DF4 = 2.776445105   # t quantile, 0.975, 4 degrees of freedom (from a printed t table)
IDENTIFYING = ["zzyzx", "qwertina", "example.invalid", "sunnyvale", "year 8", "10:01", "8 mins"]
CODES = ["fox-11", "owl22", "owl 22", "bee-33", "cat-44", "elk-55", "yak-66", "gnu-77", "hen-88"]


def row(code="a1", phase="pre", vals="2,1,3,3,3,3,3,1,", q="eval-test", group="G"):
    return f"{q},{code},{phase},{group},{vals}"


def write(tmp_path: Path, text, name="answers.csv") -> Path:
    p = tmp_path / name
    p.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return p


def run_cli(capsys, *argv):
    rc = cli.main(["evaluate", *map(str, argv)])
    out, err = capsys.readouterr()
    return rc, out, err


def accounted(res, problems):
    """Every data row is either used or reported (never dropped silently)."""
    assert res.rows_read == res.rows_used + res.rows_left_out
    for f in res.files:
        assert f.rows == f.used + f.left_out
        if any(p.path == f.name and p.line == 1 and "no row of this file was used" in p.message for p in problems):
            assert f.used == 0     # the whole file is reported on line 1
        else:
            assert len({p.line for p in problems if p.path == f.name and p.line > 1}) == f.left_out


# --------------------------------------------------------------------------- statistics by hand

def test_hand_computed_example():
    res = analyse([DATA / "hand-example.csv"], Q)
    assert (res.n_pre, res.n_post, res.n_matched) == (6, 6, 5)
    assert (res.unmatched_pre, res.unmatched_post) == (1, 1)      # yak-66 only before, gnu-77 only after
    assert res.problems == []

    # Knowledge, % right of the answered knowledge questions (k1 right = 2, k2 right = 1):
    #   before: 50, 50, 0, 100, 0   after: 100, 100, 50, 100, 100 (elk-55 answered only k2)
    k = res.changes["knowledge"]
    diffs = [50, 50, 50, 0, 100]
    sd = math.sqrt(((50 - 50) ** 2 * 3 + (0 - 50) ** 2 + (100 - 50) ** 2) / 4)          # sqrt(1250)
    assert k.n == 5
    assert k.pre_mean == pytest.approx(40.0) and k.post_mean == pytest.approx(90.0)
    assert k.diff_mean == pytest.approx(50.0)
    assert k.diff_sd == pytest.approx(35.35533906)
    assert sd == pytest.approx(35.35533906)
    half = T975_DF4 * 35.35533906 / math.sqrt(5)                                          # 43.8995
    assert k.ci_low == pytest.approx(50 - half, abs=1e-6) and k.ci_high == pytest.approx(50 + half, abs=1e-6)
    assert k.ci_low == pytest.approx(6.1005, abs=1e-4)
    assert k.d_z == pytest.approx(50 / 35.35533906)                                        # sqrt(2)
    assert statistics.mean(diffs) == 50

    # Confidence (c1): before 2,3,3,4,1; after 3,4,3,5,3 -> changes 1,1,0,1,2: mean 1, sd sqrt(0.5).
    c = res.changes["confidence"]
    assert (c.pre_mean, c.post_mean, c.diff_mean) == pytest.approx((2.6, 3.6, 1.0))
    assert c.diff_sd == pytest.approx(math.sqrt(0.5))
    assert c.ci_high == pytest.approx(1 + T975_DF4 * math.sqrt(0.5) / math.sqrt(5), abs=1e-6)   # 1.8780

    # Attitude: mean of (6 - a1) and a2 (a1 is reverse-scored; bee-33's a2 is blank after).
    #   before: (2+2)/2=2, (3+3)/2=3, (1+1)/2=1, (4+4)/2=4, (3+2)/2=2.5 -> 2.5
    #   after:  (4+4)/2=4, 3, (2)/1=2, (5+5)/2=5, (3+3)/2=3           -> 3.4
    a = res.changes["attitude"]
    assert (a.pre_mean, a.post_mean, a.diff_mean) == pytest.approx((2.5, 3.4, 0.9))

    # Wellbeing: mean of (6 - w1) and w2 -> before 4, 5, 3, 4, 5; after 2, 4, 3, 3, 3.5
    #   changes -2, -1, 0, -1, -1.5: mean -1.1, sd sqrt(2.2/4).
    w = res.changes["wellbeing"]
    assert (w.pre_mean, w.post_mean, w.diff_mean) == pytest.approx((4.2, 3.1, -1.1))
    assert w.diff_sd == pytest.approx(math.sqrt(0.55))
    assert w.ci_high == pytest.approx(-1.1 + T975_DF4 * math.sqrt(0.55) / math.sqrt(5), abs=1e-6)   # -0.1792 < 0
    assert w.n_worse == 4                                           # down by 1 point or more: all but bee-33
    assert w.d_z == pytest.approx(-1.1 / math.sqrt(0.55))


def test_codes_match_ignoring_case_and_spaces():
    res = analyse([DATA / "hand-example.csv"], Q)
    assert res.n_matched == 5    # "OWL 22" before matches "owl22" after, "fox-11" matches "FOX-11"


def test_pre_and_post_files_with_phase_prefix(tmp_path):
    pre = write(tmp_path, "\n".join([HEADER.replace("phase,", ""), *(
        f"eval-test,p{i},G,2,1,3,3,3,3,3,1," for i in range(6))]) + "\n", "before.csv")
    post = write(tmp_path, "\n".join([HEADER, *(row(f"P{i}", "", "2,1,4,3,3,3,3,1,") for i in range(6))]) + "\n", "after.csv")
    res = analyse([f"pre={pre}", f"post={post}"], Q)
    assert res.n_matched == 6
    assert res.changes["confidence"].diff_mean == pytest.approx(1.0)
    assert res.changes["confidence"].diff_sd == 0 and math.isnan(res.changes["confidence"].d_z)


# --------------------------------------------------------------------------- broken files

GOOD = [row("a1"), row("a2"), row("a1", "post"), row("a2", "post")]

ROW_CASES = {
    # name: (data lines after the header, {line: expected text}, prefix)
    "unknown phase": ([*GOOD, row("a3", "during")], {6: "phase 'during' is not pre or post"}, None),
    "missing phase": ([*GOOD, row("a3", "")], {6: "no phase"}, None),
    "missing code": ([*GOOD, row("")], {6: "no code"}, None),
    "likert out of range": ([*GOOD, row("a3", vals="2,1,6,3,3,3,3,1,")], {6: "c1: '6' is not an answer (1 to 5"}, None),
    "option out of range": ([*GOOD, row("a3", vals="4,1,3,3,3,3,3,1,")], {6: "k1: '4' is not an answer"}, None),
    "yesno out of range": ([*GOOD, row("a3", vals="2,1,3,3,3,3,3,0,")], {6: "y1: '0' is not an answer"}, None),
    "not a number": ([*GOOD, row("a3", vals="2,1,abc,3,3,3,3,1,")], {6: "c1: 'abc' is not an answer"}, None),
    "decimal": ([*GOOD, row("a3", vals="2,1,3.5,3,3,3,3,1,")], {6: "c1: '3.5'"}, None),
    "two bad values": ([*GOOD, row("a3", vals="9,1,3,3,3,3,7,1,")], {6: "w2: '7'"}, None),
    "too few values": ([*GOOD, "eval-test,a3,pre,G,2,1"], {6: "6 values, but the first line names 13 columns"}, None),
    "too many values": ([*GOOD, row("a3") + ",extra"], {6: "14 values, but the first line names 13 columns"}, None),
    "duplicate code": ([row("dup 1"), *GOOD, row("DUP1")], {2: "used more than once in the 'pre' phase (also on line 7)",
                                                           7: "used more than once in the 'pre' phase (also on line 2)"}, None),
    "unknown questionnaire": ([*GOOD, row("a3", q="eval-nope")], {6: "unknown questionnaire id 'eval-nope'"}, None),
    "another questionnaire": ([*GOOD, row("a3", q="eval-pre-post-12-14")],
                              {6: "this row is for questionnaire 'eval-pre-post-12-14'"}, None),
    "no answers": ([*GOOD, row("a3", vals=",,,,,,,,")], {6: "no answers on this row"}, None),
    "unclosed quote": ([*GOOD, 'eval-test,a3,pre,"G,2,1,3,3,3,3,3,1,', row("a4"), row("a5")],
                       {6: "runs on to line 8"}, None),
    "phase disagrees with pre=": ([*GOOD[:2], row("a3", "post")], {4: "phase 'post', but the file was given as pre"}, "pre"),
    "after a blank line and a multi-line answer": (
        [row("a1", vals='2,1,3,3,3,3,3,1,"two\nlines"'), "", ",,,,,,,,,,,,", *GOOD[1:], row("a3", "later")],
        {9: "phase 'later'"}, None),
}


@pytest.mark.parametrize("name", ROW_CASES)
def test_bad_rows_reported_with_line_and_left_out(tmp_path, name):
    lines, expect, prefix = ROW_CASES[name]
    p = write(tmp_path, HEADER + "\n" + "\n".join(lines) + "\n")
    before, mtime = p.read_bytes(), p.stat().st_mtime_ns
    spec = f"{prefix}={p}" if prefix else str(p)
    r = read_responses([spec], Q)
    res = analyse(r)
    for line, text in expect.items():
        hits = [x for x in r.problems if x.line == line and text in x.message]
        assert hits, f"expected line {line}: {text!r}; got {[str(x) for x in r.problems]}"
        assert str(hits[0]).startswith(f"{p}:{line}: ")
    accounted(res, r.problems)
    assert res.rows_left_out == len({ln for ln in expect})
    assert p.read_bytes() == before and p.stat().st_mtime_ns == mtime


def test_crlf_line_endings_and_bom(tmp_path):
    text = "\ufeff" + "\r\n".join([HEADER, *GOOD, row("a3", "soon")]) + "\r\n"
    p = write(tmp_path, text)
    r = read_responses([p], Q)
    assert [str(x) for x in r.problems] == [f"{p}:6: phase 'soon' is not pre or post"]
    assert r.n == 4


def test_not_utf8_line(tmp_path):
    data = (HEADER + "\n" + "\n".join(GOOD) + "\n").encode() + row("Jos\xe9").encode("latin-1") + b"\n"
    p = write(tmp_path, data)
    r = read_responses([p], Q)
    assert [(x.line, "not UTF-8" in x.message) for x in r.problems] == [(6, True)]
    assert p.read_bytes() == data


def test_semicolons_and_unknown_column(tmp_path):
    text = (HEADER + ",notes").replace(",", ";") + "\n" + "\n".join(x.replace(",", ";") + ";hello" for x in GOOD) + "\n"
    p = write(tmp_path, text)
    r = read_responses([p], Q)
    assert r.n == 4 and r.files[0].delimiter == ";"
    assert [str(x) for x in r.problems] == [f"{p}:1: unknown column 'notes': not a question of eval-test; its values are not read"]


def test_missing_item_column_is_reported(tmp_path):
    p = write(tmp_path, HEADER.replace(",t1", "") + "\n" + "\n".join(x[:-1] for x in GOOD) + "\n")
    r = read_responses([p], Q)
    assert r.n == 4
    assert any(x.line == 1 and "no column for question t1" in x.message for x in r.problems)


FILE_CASES = {
    "empty": (b"", "the file is empty"),
    "only spaces": (b"  \n\n \n", "the file is empty"),
    "first line empty": (("\n" + HEADER + "\n" + GOOD[0]).encode(), "the first line is empty"),
    "header missing": (("\n".join(GOOD) + "\n").encode(), "the first line should name the columns"),
    "header only": ((HEADER + "\n").encode(), "no answers below the first line"),
    "no code column": ((HEADER.replace("code,", "") + "\neval-test,pre,G,2,1,3,3,3,3,3,1,\n").encode(), "no 'code' column"),
    "no phase column": ((HEADER.replace("phase,", "") + "\neval-test,a1,G,2,1,3,3,3,3,3,1,\n").encode(), "no 'phase' column"),
    "duplicate column": ((HEADER + ",c1\n" + GOOD[0] + ",3\n").encode(), "column 'c1' appears twice"),
    "spreadsheet": (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 40, "this is a spreadsheet file"),
    "utf-16": (("\ufeff" + HEADER + "\n" + GOOD[0]).encode("utf-16-le"), "UTF-16"),
    "header not utf-8": (b"questionnaire,c\xf3de,phase\n1,2,3\n", "the first line is not UTF-8"),
    "every row bad": ((HEADER + "\n" + row("", "x") + "\n" + row("b", "y") + "\n").encode(), "nothing usable remains"),
}


@pytest.mark.parametrize("name", FILE_CASES)
def test_unusable_files(tmp_path, name, capsys):
    data, text = FILE_CASES[name]
    p = write(tmp_path, data)
    with pytest.raises(ContentError) as e:
        read_responses([p], Q)
    msgs = [str(x) for x in e.value.problems]
    assert any(m.startswith(f"{p}:") and text in m for m in msgs), msgs
    assert check([p], Q) == e.value.problems
    rc, out, err = run_cli(capsys, p, "--questionnaire", Q)
    assert rc == 1 and out == ""
    assert "Traceback" not in err
    assert all(re.match(r"^\S.*:\d+: ", ln) for ln in err.splitlines()[:-1]), err
    assert p.read_bytes() == data


def test_every_row_bad_lists_each_row(tmp_path):
    p = write(tmp_path, HEADER + "\n" + row("", "x") + "\n" + row("b", "y") + "\n")
    lines = sorted(x.line for x in check([p], Q))
    assert lines == [1, 2, 3]    # both rows, and the closing "nothing usable remains"


# --------------------------------------------------------------------------- Moodle exports

def test_moodle_export_gives_the_same_results_as_the_template():
    m = analyse(["pre=" + str(DATA / "moodle-pre.csv"), "post=" + str(DATA / "moodle-post.csv")], Q)
    t = analyse([DATA / "hand-example.csv"], Q)
    assert m.n_matched == t.n_matched == 5
    for c in t.changes:
        a, b = m.changes[c], t.changes[c]
        assert (a.n, a.pre_mean, a.post_mean, a.diff_mean, a.ci_low, a.ci_high) == \
            pytest.approx((b.n, b.pre_mean, b.post_mean, b.diff_mean, b.ci_low, b.ci_high))
    assert [f.kind for f in m.files] == ["Moodle export", "Moodle export"]
    assert [(p.line, p.message) for p in m.problems] == [(8, "Response 2 (question k1): the answer matches no option of k1")]


def test_moodle_identifying_columns_never_appear_anywhere(tmp_path, capsys):
    report = tmp_path / "report.html"
    rc, out, err = run_cli(capsys, "pre=" + str(DATA / "moodle-pre.csv"), "post=" + str(DATA / "moodle-post.csv"),
                           "--questionnaire", Q, "--report", report)
    assert rc == 0
    assert ":8: Response 2 (question k1)" in err
    everything = (out + err + report.read_text(encoding="utf-8")).lower()
    for secret in IDENTIFYING + CODES + ["my name is"]:
        assert secret not in everything, secret
    res = analyse(["pre=" + str(DATA / "moodle-pre.csv"), "post=" + str(DATA / "moodle-post.csv")], Q)
    assert secret_free(res)


def secret_free(res) -> bool:
    text = (repr(res) + summary_text(res)).lower()
    return not any(s in text for s in IDENTIFYING)


def test_moodle_needs_phase_and_questionnaire(tmp_path):
    f = str(DATA / "moodle-pre.csv")
    assert any("a Moodle export has no phase: give the file as pre=FILE or post=FILE" in str(p) for p in check([f], Q))
    assert any("which questionnaire is this?" in str(p) for p in check(["pre=" + f]))


def test_moodle_wrong_number_of_responses(tmp_path):
    text = (DATA / "moodle-pre.csv").read_text(encoding="utf-8-sig").replace(",Response 10", ",Response 10,Response 11", 1)
    p = write(tmp_path, text)
    probs = [str(x) for x in check(["pre=" + str(p)], Q)]
    assert any(f"{p}:1: this Moodle export has 11 responses, but eval-test needs 10" in m for m in probs), probs
    assert not any(s in " ".join(probs).lower() for s in IDENTIFYING)


def test_template_report_shows_no_codes_or_text_answers(tmp_path):
    res = analyse([DATA / "hand-example.csv"], Q)
    html = report_html(res) + summary_text(res)
    for secret in CODES + ["secret-text-marker", "I liked it"]:
        assert secret.lower() not in html.lower()


# --------------------------------------------------------------------------- small cells and side-effects

def people(n, group, start=0, pre="2,1,3,3,3,3,3,1,", post="2,1,4,3,3,3,3,1,"):
    out = []
    for i in range(start, start + n):
        for ph, vals in (("pre", pre), ("post", post)):
            q, code, phase, grp, *v = f"eval-test,{group}-{i},{ph},{group},{vals}".split(",")
            out.append(dict(zip(HEADER.split(","), [q, code, phase, grp, *v])))
    return out


def test_small_groups_not_shown_and_not_recoverable_from_the_total():
    res = analyse(people(6, "A") + people(3, "B") + people(7, "C"), Q)
    by = {g.name: g for g in res.groups}
    assert not by["B"].shown and by["B"].reason == "fewer than 5, not shown" and by["B"].changes == {}
    assert not by["A"].shown and "worked out from the total" in by["A"].reason     # B alone could be deduced
    assert by["C"].shown and by["C"].n == 7
    text = summary_text(res)
    assert "2 groups are not shown" in text and "  B" not in text and "  A" not in text   # hidden groups unnamed
    # Two small groups that together reach five need no extra hiding.
    res = analyse(people(6, "A") + people(3, "B") + people(7, "C") + people(2, "D"), Q)
    assert [g.name for g in res.groups if g.shown] == ["A", "C"]
    assert analyse(people(6, "A") + people(3, "B"), Q, min_cell=3).groups[1].shown


def test_overall_result_hidden_below_min_cell():
    res = analyse(people(4, "A"), Q)
    assert res.n_matched == 4 and not res.overall_shown
    assert all(not ch.shown for ch in res.changes.values())
    text = summary_text(res)
    assert "Fewer than 5 matched participants: results not shown" in text
    assert "+1.00" not in text
    assert plots(res) == [] and res.paired == {}
    assert "results not shown" in report_html(res)
    assert all(not s.shown for s in res.items)        # 4 answers per question: too few


def test_side_effect_share_of_more_worry():
    # 10 people: wellbeing 3 before; after, 2 people at 2 (down 1 point), 8 at 4 (up 1):
    # mean change +0.6, CI includes 0, but 2 of 10 (20%) report more worry.
    rows = people(2, "A", pre="2,1,3,3,3,3,3,1,", post="2,1,3,3,3,4,2,1,") + \
        people(8, "A", start=2, pre="2,1,3,3,3,3,3,1,", post="2,1,3,3,3,2,4,1,")
    res = analyse(rows, Q)
    w = res.changes["wellbeing"]
    assert w.diff_mean == pytest.approx(0.6) and w.ci_low < 0 < w.ci_high and w.n_worse == 2
    assert res.warnings[0] == ("WARNING: fewer than 5 of the 10 participants reported more worry afterwards "
                               "(wellbeing down by 1 point or more); that is 20% or more of them (the exact number "
                               "is not shown, to protect privacy).")     # no count of fewer than five people
    assert not any("went down" in x for x in res.warnings)


def test_side_effect_flag_when_wellbeing_clearly_worse(capsys):
    rc, out, err = run_cli(capsys, DATA / "hand-example.csv", "--questionnaire", Q)
    assert rc == 0
    assert "WARNING: wellbeing went down after the sessions (more worry): change -1.10, 95% CI -2.02 to -0.18." in out
    assert "WARNING: fewer than 5 of the 5 participants reported more worry" in out and "4 of 5" not in out


def test_no_side_effect_flag_on_synthetic_data():
    res = analyse(synthetic_rows(Q, n_people=80, seed=3), Q)
    assert res.warnings == []
    assert res.changes["knowledge"].diff_mean > 0


# --------------------------------------------------------------------------- determinism, synthetic data

def test_synthetic_is_deterministic_and_labelled(tmp_path):
    a, b = synthetic_rows(Q, 30, seed=5), synthetic_rows(Q, 30, seed=5)
    assert a == b and a != synthetic_rows(Q, 30, seed=6)
    assert all(r["group"].startswith("Synthetic") and r["code"].startswith("SYN-") for r in a)
    p1 = write_synthetic_csv(tmp_path / "one-synthetic.csv", Q, 30, seed=5)
    p2 = write_synthetic_csv(tmp_path / "two-synthetic.csv", Q, 30, seed=5)
    assert p1.read_bytes() == p2.read_bytes()
    with pytest.raises(ValueError):
        write_synthetic_csv(tmp_path / "answers.csv", Q, 30)
    with pytest.raises(ValueError):
        synthetic_rows(Q, 30, groups=["Class A"])
    res = analyse([p1], Q)
    assert res.synthetic and "SYNTHETIC EXAMPLE DATA" in summary_text(res) and "SYNTHETIC EXAMPLE DATA" in report_html(res)


def test_outputs_are_deterministic():
    def once():
        res = analyse([DATA / "hand-example.csv"], Q)
        return summary_text(res), report_html(res), [figure_svg(f) for f in plots(res)]
    assert once() == once()


def test_report_is_self_contained_and_accessible():
    res = analyse(synthetic_rows(Q, n_people=60, seed=1), Q)
    html = report_html(res)
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en" dir="ltr">' in html
    assert "<script" not in html.lower()
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "<link" not in html and "@import" not in html
    svgs = re.findall(r"<svg\b[^>]*>", html)
    assert len(svgs) == 2
    assert all('role="img"' in s and re.search(r'aria-label="[^"]{40,}"', s) for s in svgs)
    assert len(html.split("<h1")) == 2
    for heading in ("Methods", "What these results can and cannot say", "Data checks"):
        assert heading in html
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))


def test_plots_have_alt_text():
    res = analyse([DATA / "hand-example.csv"], Q)
    figs = plots(res)
    assert len(figs) == 2
    assert "Knowledge: 40.0% of answers right before, 90.0% after" in figs[0].alt_text
    assert "Wellbeing: 4.20 before, 3.10 after (1 to 5 scale)" in figs[0].alt_text
    assert "Wellbeing: -1.10 points, 95% confidence interval -2.02 to -0.18 (worse)" in figs[1].alt_text


@pytest.mark.parametrize("path", sorted((ROOT / "activities" / "evaluation").glob("*.yml")), ids=lambda p: p.stem)
def test_every_real_questionnaire(path, tmp_path, capsys):
    qn = load_questionnaire(path.stem)
    csv_path = write_synthetic_csv(tmp_path / f"{path.stem}-synthetic.csv", qn, n_people=40, seed=2)
    rc, out, err = run_cli(capsys, csv_path)        # the questionnaire comes from the CSV's column
    assert rc == 0, err
    assert err == ""
    assert f"({qn.id})" in out
    if qn.pre_post:
        assert "Change from before to after" in out
    else:
        assert "Question by question" in out


# --------------------------------------------------------------------------- command line

def test_cli_partly_bad_file(tmp_path, capsys):
    p = write(tmp_path, HEADER + "\n" + "\n".join([*people_lines(6), row("zz", "maybe")]) + "\n")
    report = tmp_path / "out" / "report.html"
    rc, out, err = run_cli(capsys, p, "--questionnaire", Q, "--report", report)
    assert rc == 0
    assert f"{p}:14: phase 'maybe' is not pre or post" in err
    assert "1 problem found; 1 row left out of the analysis." in err
    assert "1 row left out because of problems" in out
    assert report.is_file() and not list(report.parent.glob(".*tmp"))


def people_lines(n):
    return [row(f"c{i}", ph) for i in range(n) for ph in ("pre", "post")]


@pytest.mark.parametrize("argv,expected", [
    (["--pdf"], "(command line):1: --pdf makes a PDF beside the HTML report"),
    (["--questionnaire", "eval-nope"], "(command line):1: no questionnaire 'eval-nope'"),
    (["--min-cell", "0"], "(command line):1: --min-cell must be 1 or more"),
])
def test_cli_command_line_problems(capsys, argv, expected):
    rc, out, err = run_cli(capsys, DATA / "hand-example.csv", *argv)
    assert rc == 1 and expected in err and "Traceback" not in err


def test_cli_missing_file(capsys, tmp_path):
    rc, out, err = run_cli(capsys, f"post={tmp_path / 'nope.csv'}", "--questionnaire", Q)
    assert rc == 1 and f"{tmp_path / 'nope.csv'}:1: no such file" in err


@pytest.mark.browser     # Chromium prints the PDF
def test_cli_pdf(tmp_path, capsys):
    report = tmp_path / "report.html"
    rc, out, err = run_cli(capsys, DATA / "hand-example.csv", "--questionnaire", Q, "--report", report, "--pdf")
    assert rc == 0, err
    assert report.with_suffix(".pdf").read_bytes().startswith(b"%PDF")


def test_cli_as_a_program_has_no_traceback(tmp_path):
    p = write(tmp_path, b"\x00\x01garbage\xff\n")
    r = subprocess.run([sys.executable, "-m", "spotthelure", "evaluate", str(p)], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 1 and "Traceback" not in r.stderr and f"{p}:1:" in r.stderr


# --------------------------------------------------------------------------- garbage never crashes

@pytest.fixture(scope="module")
def garbage_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("garbage")


def _survives(path: Path, questionnaire=Q, spec=None):
    try:
        r = read_responses([spec or str(path)], questionnaire)
    except ContentError as e:
        assert e.problems and all(isinstance(p.line, int) and p.line >= 1 for p in e.problems)
        return
    res = analyse(r)
    accounted(res, r.problems)
    summary_text(res)
    report_html(res, figures=[])


CSVISH = st.text(alphabet=st.sampled_from(list(',;"\n\r\t -0123456789prepostabcéx\x00')), max_size=300)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400))
def test_random_bytes_never_raise(garbage_dir, data):
    p = garbage_dir / "bytes.csv"
    p.write_bytes(data)
    _survives(p)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=CSVISH, header=st.sampled_from([HEADER, HEADER.replace("phase,", ""), "Surname,Response 1,Response 2",
                                            "Email address," + ",".join(f"Response {i}" for i in range(1, 11)), ""]),
       phase=st.sampled_from([None, "pre", "post"]))
def test_random_csv_never_raises(garbage_dir, body, header, phase):
    p = garbage_dir / "text.csv"
    p.write_text(header + "\n" + body, encoding="utf-8")
    _survives(p, spec=f"{phase}={p}" if phase else None)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=st.lists(st.lists(st.sampled_from(["", "1", "2", "3", "5", "9", "x", " 2 ", "-"]), min_size=9, max_size=9),
                      max_size=30),
       codes=st.lists(st.sampled_from(["a", "b", "c", "A ", ""]), min_size=30, max_size=30),
       phases=st.lists(st.sampled_from(["pre", "post", "PRE", "", "x"]), min_size=30, max_size=30))
def test_random_valid_looking_rows_never_raise(garbage_dir, cells, codes, phases):
    lines = [f"eval-test,{codes[i]},{phases[i]},G,{','.join(c)}" for i, c in enumerate(cells)]
    p = garbage_dir / "rows.csv"
    p.write_text(HEADER + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    _survives(p)


# --------------------------------------------------------------------------- notebook (its run: test_notebooks.py)

NOTEBOOK = ROOT / "notebooks" / "evaluation-analytics.ipynb"


def test_notebook_structure():
    import nbformat
    nb = nbformat.read(NOTEBOOK, as_version=4)
    levels = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
        else:
            levels += [len(m.group(1)) for m in re.finditer(r"^(#{1,6})\s", cell.source, re.M)]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), levels
