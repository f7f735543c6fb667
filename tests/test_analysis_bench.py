"""Smoke test of the analysis benchmark (tools/bench_analysis.py): not a unit test, it starts a
process and writes a file, so it runs with the slow tier."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def test_bench_small():
    from tools.bench_analysis import bench, line
    out = bench(n_rows=2000)
    assert out["rows"] == 2000 and out["used"] == 2000 and out["matched"] == 1000 and out["problems"] == 0
    assert out["seconds"] > 0 and out["cpu_seconds"] > 0 and out["peak_mb"] > 0 and out["report_kb"] > 0
    assert 0 < out["reference_loop"] < 60 and "reference loop" in line(out)
