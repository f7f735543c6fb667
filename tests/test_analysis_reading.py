"""Reading at scale gives what the CSV reader gives: a file with one record per line is read a
chunk at a time from its bytes (sources.PlainChunk); every result, problem and line number must
equal the result of reading the same file with the csv module record by record."""
from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from spotthelure.analysis import read_responses, sources
from spotthelure.analysis.synthetic import synthetic_csv

ROOT = Path(__file__).resolve().parent.parent
Q = str(ROOT / "tests" / "data" / "evaluate" / "eval-test.yml")
DAMAGE = ["7", " 2 ", "x", "", "PRE", " pre", "Post", "0", "-1", "eval-nope", "  ", "SYN-00001", "Synthetic  class A",
          " Synthetic class B", "1.0", "é", "eval-pre-post-9-11", "\t3", "abc def", "pre", "post", "\udcff"]


def damaged(seed: int, n_people: int = 40, rate: float = 0.15, crlf: bool = False) -> str:
    """Synthetic answers with wrong cells, short and long rows, blank and empty lines (no quotes:
    every line is one record)."""
    rng = random.Random(seed)
    head, *body = synthetic_csv(Q, n_people=n_people, seed=seed).rstrip("\n").split("\n")
    out = [head]
    for line in body:
        cells = line.split(",")
        r = rng.random()
        if r < rate:
            cells[rng.randrange(len(cells))] = rng.choice(DAMAGE)
        elif r < rate * 1.3:
            cells = cells[:-1] if rng.random() < 0.5 else cells + ["1"]
        elif r < rate * 1.4:
            out.append(rng.choice(["", "   ", ",,,"]))
        elif r < rate * 1.5:
            cells = [""] * len(cells)
        out.append(",".join(cells))
    text = "\n".join(out) + rng.choice(["", "\n", "\n\n"])
    return text.replace("\n", "\r\n") if crlf else text


def read(path, monkeypatch, *, plain: bool, chunk_chars: int = 1 << 21):
    with monkeypatch.context() as m:
        m.setattr(sources, "CHUNK_CHARS", chunk_chars)
        if not plain:
            m.setattr(sources, "_plain_text", lambda src: None)
        try:
            r = read_responses([path], Q)
        except sources.ContentError as e:
            return ("error", [str(p) for p in e.problems])
    return ([str(p) for p in r.problems], sorted(r.public.values()), r.values.tolist(), r.phase.tolist(), r.codes,
            r.groups, [(f.rows, f.used, f.left_out, f.blank) for f in r.files], r.blank_lines)


@pytest.mark.parametrize("seed", range(12))
def test_chunks_of_a_plain_file_read_as_the_csv_reader_reads(seed, tmp_path, monkeypatch):
    p = tmp_path / "answers.csv"
    data = damaged(seed, crlf=seed % 3 == 0)
    p.write_bytes(data.encode("utf-8", "surrogateescape"))
    want = read(p, monkeypatch, plain=False)
    assert want[0] != "error" and want[0], "the damaged file has problems to report"
    for chunk_chars in (1 << 21, 200, 37, 1):          # one chunk, a few, one line per chunk
        assert read(p, monkeypatch, plain=True, chunk_chars=chunk_chars) == want, chunk_chars


def test_a_problem_after_many_chunks_keeps_its_line(tmp_path, monkeypatch):
    head, *body = synthetic_csv(Q, n_people=300, seed=5).rstrip("\n").split("\n")
    body[456] = body[456].rsplit(",", 2)[0] + ",9,"      # line 458: y1 is 9
    p = tmp_path / "answers.csv"
    p.write_text("\n".join([head, *body]) + "\n", encoding="utf-8")
    with monkeypatch.context() as m:
        m.setattr(sources, "CHUNK_CHARS", 500)
        r = read_responses([p], Q)
    assert [str(x) for x in r.problems] == [f"{p}:458: y1: '9' is not an answer (1 (yes), 2 (partly) or 3 (no), or blank)"]
    assert r.n == len(body) - 1


def test_a_line_longer_than_the_csv_field_limit_is_refused_as_the_reader_refuses_it(tmp_path, monkeypatch):
    head, *body = synthetic_csv(Q, n_people=10, seed=2).rstrip("\n").split("\n")
    body[3] = body[3] + "x" * 140_000                      # the text answer runs past 131072 characters
    p = tmp_path / "answers.csv"
    p.write_text("\n".join([head, *body]) + "\n", encoding="utf-8")
    plain, csv_read = read(p, monkeypatch, plain=True), read(p, monkeypatch, plain=False)
    assert plain == csv_read
    assert any(":5: cannot read this line as CSV (field larger than field limit" in x for x in plain[0])


def test_single_chars_reads_answers_from_the_bytes():
    ch = sources.PlainChunk("a,1,,22\nb,5, 3,\n", 2, ",")      # three lines, the last one empty
    assert len(ch) == 3 and list(ch.starts) == [2, 3, 4]
    assert ch.single_chars([1, 2, 3], 4, np.zeros((3, 256), dtype=np.int8)) is None    # the empty line has 1 cell
    ch = sources.PlainChunk("a,1,,22\nb,5, 3,", 2, ",")
    table = np.full(256, -1, dtype=np.int8)
    table[ord("1")], table[ord("5")] = 1, 5
    got = ch.single_chars([1, 2, 3], 4, np.stack([table] * 3))
    assert got.tolist() == [[1, 0, -1], [5, -1, 0]]
    assert ch.lengths(2, 4).tolist() == [0, 2]
