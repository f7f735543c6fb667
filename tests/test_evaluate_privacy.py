"""Evaluation reports identify no child: differencing, echoed cells, one file as both phases, many ids.

The differencing checker reads only what a report shows (its text summary and its HTML, together)
and tries to work out every hidden figure from the figures shown: the overall score times its n,
minus each shown group's score times its n, and the same for group sizes; and it looks for counts
of fewer than five people in the side-effect warnings.
"""
from __future__ import annotations

import html as htmllib
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import spotthelure.analysis.questionnaire as evq
from spotthelure import cli
from spotthelure.analysis import LABEL, ContentError, analyse, read_responses, report_html, summary_text
from spotthelure.analysis.sources import rows_to_text
from spotthelure.analysis.synthetic import synthetic_rows

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "evaluate"
Q = str(DATA / "eval-test.yml")
Q1214 = "eval-pre-post-12-14"
HEADER = "questionnaire,code,phase,group,k1,k2,c1,a1,a2,w1,w2,y1,t1"
EXAMPLES = ROOT / "data" / "examples"
LABELS = {v: k for k, v in LABEL.items()}
NUM = r"([+-]?\d+(?:\.\d+)?|–)"


# --------------------------------------------------------------------------- the checker

def _num(s):
    return None if s == "–" else float(s)


def figures_from_text(text: str) -> dict:
    """Figures a text summary shows: {"matched", "overall": {score: (n, pre, post, change)},
    "groups": {name: {"n": size, "scores": {...}}}, "counts": [(count, of)]}."""
    out = {"matched": None, "overall": {}, "groups": {}, "counts": []}
    m = re.search(r"(\d+) matched by code", text)
    if m:
        out["matched"] = int(m.group(1))
    scope = out["overall"]
    for line in text.splitlines():
        g = re.match(r"^  (\S.*) \((\d+) matched\)$", line)
        if g:
            out["groups"][g.group(1)] = {"n": int(g.group(2)), "scores": {}}
            scope = out["groups"][g.group(1)]["scores"]
            continue
        for label, c in LABELS.items():
            r = re.match(rf"^\s+{re.escape(label)}\s+(\d+)\s+{NUM}\s+{NUM}\s+{NUM}\b", line)
            if r:
                scope[c] = (int(r.group(1)), _num(r.group(2)), _num(r.group(3)), _num(r.group(4)))
    out["counts"] = _counts(text)
    return out


def figures_from_html(page: str) -> dict:
    out = {"matched": None, "overall": {}, "groups": {}, "counts": [], "items": []}
    m = re.search(r"(\d+) are matched by code", page)
    if m:
        out["matched"] = int(m.group(1))
    for table in re.findall(r"<table>.*?</table>", page, flags=re.S):
        cap = re.search(r"<caption>(.*?)</caption>", table, flags=re.S)
        if not cap:
            continue
        caption = htmllib.unescape(cap.group(1))
        if caption.startswith("Matched participants:"):
            scope = out["overall"]
        else:
            g = re.match(r"^(.*): (\d+) matched participants$", caption, flags=re.S)
            if not g:
                continue
            out["groups"][g.group(1)] = {"n": int(g.group(2)), "scores": {}}
            scope = out["groups"][g.group(1)]["scores"]
        for label, n, pre, post, change in re.findall(
                rf'<tr><th scope="row">([^<]+)</th><td>(\d+)</td><td>{NUM}</td><td>{NUM}</td><td>{NUM}', table):
            scope[LABELS[htmllib.unescape(label)]] = (int(n), _num(pre), _num(post), _num(change))
    out["counts"] = _counts(re.sub(r"<[^>]+>", " ", page))
    # Question by question: (item, construct, phase, n) for each figure shown.
    m = re.search(r'<h2 id="items">.*?(<table>.*?</table>)', page, flags=re.S)
    if m:
        heads = re.findall(r'<th scope="col">([^<]*)</th>', m.group(1))[3:]
        for item, construct, cells in re.findall(
                r'<tr><th scope="row"><code>([^<]+)</code></th><td>([^<]*)</td><td>[^<]*</td>((?:<td>[^<]*</td>)+)</tr>',
                m.group(1)):
            for phase, cell in zip(heads, re.findall(r"<td>([^<]*)</td>", cells)):
                n = re.search(r"\(n=(\d+)\)", cell)
                if n:
                    out["items"].append((item, construct, phase, int(n.group(1))))
    return out


def _counts(text: str) -> list:
    """(count, out of) for every "N of M participants" and every "P%" next to "of M participants"."""
    found = [(int(a), int(b)) for a, b in re.findall(r"(?<!fewer than )\b(\d+) of (?:the )?(\d+) participants", text)]
    for total, pct in re.findall(r"\b(\d+) participants \((\d+)%\)", text):
        found.append((round(int(pct) * int(total) / 100), int(total)))
    return found


def merge(*figs: dict) -> dict:
    """What a reader has who holds every output of one analysis."""
    out = {"matched": None, "overall": {}, "groups": {}, "counts": []}
    for f in figs:
        out["matched"] = out["matched"] if f["matched"] is None else f["matched"]
        out["overall"].update(f["overall"])
        for g, v in f["groups"].items():
            out["groups"].setdefault(g, {"n": v["n"], "scores": {}})["scores"].update(v["scores"])
        out["counts"] += f["counts"]
        out.setdefault("items", []).extend(f.get("items", []))
    return out


def differencing_attack(fig: dict, min_cell: int = 5) -> list[dict]:
    """Every figure about fewer than ``min_cell`` people that the shown figures give away."""
    found = []
    groups = fig["groups"].values()
    if fig["matched"] is not None and fig["groups"]:
        rest = fig["matched"] - sum(g["n"] for g in groups)
        if 0 < rest < min_cell:
            found.append({"what": "size of the hidden groups", "n": rest})
    for c, (n, *means) in fig["overall"].items():
        shown = [g["scores"][c] for g in groups if c in g["scores"]]
        if not fig["groups"]:
            continue
        rest = n - sum(s[0] for s in shown)
        if 0 < rest < min_cell:
            got = {"what": c, "n": rest}
            for k, key in enumerate(("pre", "post", "change")):
                if means[k] is not None and all(s[k + 1] is not None for s in shown):
                    got[key] = (n * means[k] - sum(s[0] * s[k + 1] for s in shown)) / rest
            found.append(got)
    # A question's figure over people who differ from its score's people by a few: the score's
    # mean times n against the questions' means gives those few people's answers away.
    for item, construct, phase, n in fig.get("items", []):
        score = fig["overall"].get(construct)
        if score is not None and 0 < abs(score[0] - n) < min_cell:
            found.append({"what": f"question {item} [{phase}] against the {construct} score", "n": abs(score[0] - n)})
    for count, total in fig["counts"]:
        if count < min_cell or total - count < min_cell:
            found.append({"what": "count in a warning", "n": count, "of": total})
    return found


def outputs(res, figures=None):
    return summary_text(res), report_html(res, figures=[] if figures is None else figures)


def attack(res):
    text, page = outputs(res)
    return differencing_attack(merge(figures_from_text(text), figures_from_html(page)), res.min_cell)


# --------------------------------------------------------------------------- inputs

def review_rows(answering: int = 4):
    """The review's case: classes A and B of 6 matched children each; in B only ``answering``
    answered the two wellbeing questions both times."""
    rows = synthetic_rows(Q1214, n_people=12, seed=7, groups=("Synthetic class A", "Synthetic class B"),
                          dropout=0.0, missing=0.0)
    b = sorted({r["code"] for r in rows if r["group"] == "Synthetic class B"})
    for r in rows:
        if r["code"] in b[answering:] and r["phase"] == "post":
            r["w1"] = r["w2"] = ""
    return rows


def true_mean(rows, group, construct="wellbeing"):
    """The hidden figure, computed from the raw rows: the group's mean wellbeing before and after."""
    res = analyse([r for r in rows if r["group"] == group], Q1214, min_cell=1)
    ch = res.changes[construct]
    return ch.n, ch.pre_mean, ch.post_mean


# --------------------------------------------------------------------------- the checker can fail

def test_checker_finds_the_reviews_recovery_on_an_unprotected_report():
    """Fed a report that hides only the small score (as the code before secondary suppression did),
    the checker works out the hidden group's exact figure."""
    text = "\n".join([
        "Participants: 12 before, 12 after, 12 matched by code.",
        f"  {LABEL['wellbeing']:<44} {10:>6} {'3.30':>7} {'2.55':>7} {'-0.75':>7}  -1.69 to +0.19     -0.57",
        "By group (groups with fewer than 5 matched participants are not shown)",
        "  Class A (6 matched)",
        f"    {LABEL['wellbeing']:<44} {6:>6} {'3.00':>7} {'2.58':>7} {'-0.42':>7}  -1.80 to +0.97     -0.32",
        "  Class B (6 matched)",
        f"    {LABEL['wellbeing']:<44} fewer than 5, not shown",
        "WARNING: 1 of 5 participants (20%) reported more worry afterwards.",
    ])
    found = differencing_attack(figures_from_text(text))
    well = [f for f in found if f["what"] == "wellbeing"]
    assert well and well[0]["n"] == 4
    assert well[0]["pre"] == pytest.approx(3.75) and well[0]["post"] == pytest.approx(2.50, abs=0.02)
    assert {"what": "count in a warning", "n": 1, "of": 5} in found


# --------------------------------------------------------------------------- F4: differencing

@pytest.mark.parametrize("answering", [4, 1])
def test_reviews_input_gives_nothing_away(answering):
    rows = review_rows(answering)
    res = analyse(rows, Q1214)
    n, pre, post = true_mean(rows, "Synthetic class B")
    assert n == answering
    found = attack(res)
    assert found == [], f"hidden figure recovered: {found} (true: n={n}, before {pre:.2f}, after {post:.2f})"
    # The overall wellbeing is still shown; class A's wellbeing is hidden with class B's.
    assert res.changes["wellbeing"].shown
    by = {g.name: g for g in res.groups}
    assert not by["Synthetic class B"].changes["wellbeing"].shown
    assert not by["Synthetic class A"].changes["wellbeing"].shown
    assert by["Synthetic class A"].changes["knowledge"].shown     # only the score at risk is hidden


def test_reviews_input_through_the_command_line(tmp_path, capsys):
    rows = review_rows(1)
    p = tmp_path / "diff-synthetic.csv"
    p.write_text(rows_to_text(rows), encoding="utf-8")
    report = tmp_path / "diff.html"
    rc = cli.main(["evaluate", str(p), "--report", str(report)])
    out, err = capsys.readouterr()
    assert rc == 0, err
    text_fig, html_fig = figures_from_text(out), figures_from_html(report.read_text(encoding="utf-8"))
    assert text_fig["overall"] and html_fig["groups"]            # the parsers read the figures that are shown
    assert (text_fig["overall"], text_fig["groups"]) == (html_fig["overall"], html_fig["groups"])
    fig = merge(text_fig, html_fig)
    assert differencing_attack(fig) == []


def test_three_groups_one_small_score_hides_the_next_smallest():
    rows = (people(6, "A") + people(7, "B") + people(9, "C"))
    for r in rows:                                   # only 3 of group A answered wellbeing after
        if r["group"] == "A" and r["phase"] == "post" and r["code"] in ("A-0", "A-1", "A-2"):
            r["w1"] = r["w2"] = ""
    res = analyse(rows, Q)
    by = {g.name: g for g in res.groups}
    hidden = sorted(name for name, g in by.items() if not g.changes["wellbeing"].shown)
    assert hidden == ["A", "B"]                      # A for its 3, B (the next smallest) to protect it
    assert by["C"].changes["wellbeing"].shown and res.changes["wellbeing"].shown
    assert attack(res) == []


def people(n, group, start=0, pre="2,1,3,3,3,3,3,1,", post="2,1,4,3,3,2,4,1,"):
    out = []
    for i in range(start, start + n):
        for ph, vals in (("pre", pre), ("post", post)):
            out.append(dict(zip(HEADER.split(","), ["eval-test", f"{group}-{i}", ph, group, *vals.split(",")])))
    return out


ANSWER = st.sampled_from(["", "1", "2", "3", "4", "5"])
# One form of the property test below, drawn whole: the answer to the knowledge question and the
# five scale answers. A child fills in both forms, or only the first or only the second.
FORM = st.tuples(st.sampled_from(["", "1", "2"]), st.lists(ANSWER, min_size=5, max_size=5))
CHILD = st.tuples(st.sampled_from([("pre", "post")] * 4 + [("pre",), ("post",)]), FORM, FORM)


def test_a_child_with_one_form_only_is_not_given_away_by_the_questions():
    """Ten matched children and one who filled in only the "before" form: the question-by-question
    table must not let the score be set against it to give that child's answers."""
    rows = people(10, "A") + [r for r in people(1, "A", start=10, pre="1,2,5,1,5,5,1,1,") if r["phase"] == "pre"]
    res = analyse(rows, Q)
    assert (res.n_matched, res.unmatched_pre) == (10, 1)
    assert attack(res) == []
    w1 = next(s for s in res.items if s.item == "w1" and s.phase == "pre")
    assert w1.shown and w1.n == 10 and w1.value == pytest.approx(3.0)       # the ten, not the eleven


def test_a_few_blanks_hide_the_question_not_the_score():
    rows = people(10, "A")
    for r in rows:                         # two of the ten skipped w1 before (but answered w2)
        if r["code"] in ("A-0", "A-1") and r["phase"] == "pre":
            r["w1"] = ""
    res = analyse(rows, Q)
    w1 = {s.phase: s for s in res.items if s.item == "w1"}
    assert not w1["pre"].shown and "cannot be worked out" in w1["pre"].reason
    assert w1["post"].shown and res.changes["wellbeing"].shown
    assert attack(res) == []


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(groups=st.lists(st.lists(CHILD, max_size=9), min_size=1, max_size=4), min_cell=st.sampled_from([3, 5]))
def test_no_hidden_figure_can_be_worked_out(groups, min_cell):
    """Up to four groups of up to nine children, each with one or both forms and any answers: no
    figure the report hides can be worked out from those it shows, at either smallest cell size."""
    rows = []
    for g, children in enumerate(groups):
        for i, (phases, *forms) in enumerate(children):
            for ph, (k, likert) in zip(phases, forms):
                answers = likert if any(likert) or k else ["3", *likert[1:]]      # no empty form
                rows.append(dict(zip(HEADER.split(","), ["eval-test", f"g{g}-{i}", ph, f"Group {g}", k, "",
                                                         *answers, "", ""])))
    if not rows:
        return
    res = analyse(rows, Q, min_cell=min_cell)
    assert attack(res) == []


# --------------------------------------------------------------------------- F20: names and counts

def test_hidden_groups_are_not_named(tmp_path):
    rows = people(6, "Class A") + people(2, "Tom B (1:1 support)") + people(7, "Class C")
    res = analyse(rows, Q)
    text, page = outputs(res)
    for out in (text, page):
        assert "Tom B" not in out
        assert "Class A" not in out          # hidden too, so that Tom's results cannot be worked out
        assert "Class C" in out
    assert "2 groups are not shown" in text and "2 groups are not shown" in page


def test_side_effect_warning_shows_no_count_under_five():
    # 10 people: 2 report more worry (fewer than 5), 8 do not.
    rows = people(2, "A", pre="2,1,3,3,3,3,3,1,", post="2,1,3,3,3,4,2,1,") + \
        people(8, "A", start=2, pre="2,1,3,3,3,3,3,1,", post="2,1,3,3,3,2,4,1,")
    res = analyse(rows, Q)
    assert res.changes["wellbeing"].n_worse == 2
    warning = next(w for w in res.warnings if "more worry" in w)
    assert "2 of" not in warning and "(20%)" not in warning
    assert "fewer than 5 of the 10 participants" in warning
    assert attack(res) == []


def test_side_effect_warning_count_shown_from_five():
    rows = people(5, "A", pre="2,1,3,3,3,3,3,1,", post="2,1,3,3,3,4,2,1,") + \
        people(15, "A", start=5, pre="2,1,3,3,3,3,3,1,", post="2,1,3,3,3,2,4,1,")
    res = analyse(rows, Q)
    assert any("5 of 20 participants (25%) reported more worry" in w for w in res.warnings)


# --------------------------------------------------------------------------- F9: no cell value in the report

def test_values_typed_in_the_wrong_cell_never_reach_the_report(tmp_path, capsys):
    good = [",".join(["eval-test", f"p{i}", ph, "Class 7B", "2,1,3,3,3,3,3,1,"]) for i in range(6) for ph in ("pre", "post")]
    bad = ["eval-test,q1,maya-k0,Class 7B,2,1,3,3,3,3,3,1,",
           "eval-test,q2,pre,Class 7B,2,1,Maya Smith,3,3,3,3,1,",
           "Maya Smith 7B,q3,pre,Class 7B,2,1,3,3,3,3,3,1,",
           "eval-test,q4,pre,Class 7B,2,1,3,3,3,3,3,Zoe Quinn,"]
    p = tmp_path / "echo.csv"
    p.write_text(HEADER + ",Jo Bloggs notes\n" + "\n".join(x + "," for x in good + bad) + "\n", encoding="utf-8")
    report = tmp_path / "echo.html"
    rc = cli.main(["evaluate", str(p), "--questionnaire", Q, "--report", str(report)])
    out, err = capsys.readouterr()
    assert rc == 0, err
    page = report.read_text(encoding="utf-8")
    for secret in ("maya", "smith", "zoe", "quinn", "jo bloggs"):
        assert secret not in page.lower(), secret
        assert secret not in out.lower(), secret
    # The report still says what is wrong, with the line.
    assert f"{p}:14: phase is not pre or post" in page
    assert f"{p}:15: c1: not an answer (1 to 5, or blank)" in page
    assert f"{p}:16: unknown questionnaire id" in page
    assert f"{p}:17: y1: not an answer" in page
    assert "unknown column 14" in page
    # Standard error, on the facilitator's screen, still names the value to fix.
    assert f"{p}:14: phase 'maya-k0' is not pre or post" in err
    assert "'Maya Smith' is not an answer" in err


@pytest.mark.browser     # Chromium prints the PDF
@pytest.mark.skipif(not shutil.which("pdftotext") or not Path("/usr/bin/chromium").exists(),
                    reason="needs pdftotext and Chromium")
def test_values_never_reach_the_pdf(tmp_path, capsys):
    rows = [",".join(["eval-test", f"p{i}", ph, "G", "2,1,3,3,3,3,3,1,"]) for i in range(6) for ph in ("pre", "post")]
    p = tmp_path / "echo.csv"
    p.write_text(HEADER + "\n" + "\n".join(rows + ["eval-test,q2,pre,G,2,1,Maya Smith,3,3,3,3,1,"]) + "\n",
                 encoding="utf-8")
    report = tmp_path / "echo.html"
    rc = cli.main(["evaluate", str(p), "--questionnaire", Q, "--report", str(report), "--pdf"])
    capsys.readouterr()
    assert rc == 0
    text = subprocess.run(["pdftotext", str(report.with_suffix(".pdf")), "-"], capture_output=True, text=True).stdout
    text = " ".join(text.split())            # lines wrap anywhere in a PDF
    assert "not an answer" in text and "Maya" not in text and "Smith" not in text


# --------------------------------------------------------------------------- F14: one file as both phases

def test_same_file_as_both_phases_is_refused(tmp_path, capsys):
    src = DATA / "hand-example.csv"
    text = src.read_text(encoding="utf-8").replace(",phase", ",phase_x", 1)
    both = tmp_path / "both.csv"
    both.write_text(text, encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(both)
    copy = tmp_path / "copy.csv"
    copy.write_bytes(both.read_bytes())
    for a, b, why in ((both, both, "the same file"), (both, link, "the same file"), (both, copy, "the same answers")):
        rc = cli.main(["evaluate", f"pre={a}", f"post={b}", "--questionnaire", Q])
        out, err = capsys.readouterr()
        assert rc == 1 and out == "" and "Traceback" not in err
        assert f"{b}:1: " in err and why in err, err
    with pytest.raises(ContentError):
        read_responses([f"pre={both}", f"post={both}"], Q)


# --------------------------------------------------------------------------- F19: many questionnaire ids

@pytest.mark.parametrize("given_q", [True, False])
def test_many_distinct_questionnaire_ids_cost_one_lookup(tmp_path, monkeypatch, given_q):
    lines = [f"eval-nope-{i},c{i},pre,G,2,1,3,3,3,3,3,1," for i in range(30_000)]
    lines += [row for i in range(6) for row in (f"eval-test,k{i},pre,G,2,1,3,3,3,3,3,1,",
                                                f"eval-test,k{i},post,G,2,1,4,3,3,3,3,1,")]
    p = tmp_path / "ids.csv"
    p.write_text(HEADER + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    calls = {"n": 0}
    real = evq.find_root

    def counting(start):
        calls["n"] += 1
        return real(start)
    monkeypatch.setattr(evq, "find_root", counting)
    if given_q:
        r = read_responses([p], Q)
        assert r.n == 12 and sum("unknown questionnaire id" in x.message for x in r.problems) == 30_000
    else:
        # No row names a questionnaire of the book (eval-test lives in the tests' folder).
        with pytest.raises(ContentError) as e:
            read_responses([p])
        assert "which questionnaire is this?" in str(e.value)
    assert calls["n"] <= 4, calls


# --------------------------------------------------------------------------- the example files

def test_example_files_are_the_generators_output():
    from spotthelure.analysis.synthetic import synthetic_pair_csv
    pre, post = synthetic_pair_csv(Q1214, n_people=60, seed=2026)
    assert (EXAMPLES / "synthetic-pre-eval-pre-post-12-14.csv").read_text(encoding="utf-8") == pre
    assert (EXAMPLES / "synthetic-post-eval-pre-post-12-14.csv").read_text(encoding="utf-8") == post


def test_example_runs_end_to_end(tmp_path, capsys):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(r"spotthelure evaluate (pre=data/examples/\S+ post=data/examples/\S+)", readme)
    assert m, "README shows the command for the example files"
    pre, post = (ROOT / a.split("=", 1)[1] for a in m.group(1).split())
    report = tmp_path / "example.html"
    rc = cli.main(["evaluate", f"pre={pre}", f"post={post}", "--report", str(report)])
    out, err = capsys.readouterr()
    assert rc == 0 and err == "", err
    assert out.startswith("SYNTHETIC EXAMPLE DATA") and "Change from before to after" in out
    page = report.read_text(encoding="utf-8")
    assert "SYNTHETIC EXAMPLE DATA" in page and "SYN-" not in page and "SYN-" not in out
    assert differencing_attack(merge(figures_from_text(out), figures_from_html(page))) == []
