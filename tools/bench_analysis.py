"""The evaluation analysis at scale: read, check, analyse and report on N synthetic response rows.

Each run happens in a fresh Python process, so ``peak_mb`` is that whole process's peak resident
memory (interpreter, numpy and matplotlib included: an upper bound on what the analysis needs)
and ``seconds`` its wall time from the first import of the analysis to the finished text and
HTML reports (making the test file is not timed).

    python -m tools.bench_analysis [ROWS ...]      (default: 100000 1000000)
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

QUESTIONNAIRE = "eval-pre-post-12-14"

# The timed part, in its own process: everything `spotthelure evaluate FILE --report` does but
# print and write.
_RUN = """
import json, resource, sys, time
t0 = time.perf_counter()
from spotthelure.analysis import analyse, read_responses, report_html, summary_text
res = analyse(read_responses([sys.argv[1]], sys.argv[2]))
text, page = summary_text(res), report_html(res)
seconds = time.perf_counter() - t0
rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss     # kilobytes on Linux
print(json.dumps({"rows": res.rows_read, "used": res.rows_used, "matched": res.n_matched, "problems": len(res.problems),
                  "seconds": round(seconds, 3), "peak_mb": round(rss_kb / 1024, 1), "report_kb": len(page) // 1024}))
"""


def bench(n_rows: int = 100_000, questionnaire: str = QUESTIONNAIRE, seed: int = 1) -> dict:
    """Time the analysis of ``n_rows`` synthetic rows (half 'before', half 'after') from a CSV file."""
    from spotthelure.analysis.synthetic import write_synthetic_csv
    with tempfile.TemporaryDirectory(prefix="stl-bench-") as tmp:
        path = Path(tmp) / "bench-synthetic.csv"
        write_synthetic_csv(path, questionnaire, n_people=max(1, n_rows // 2), seed=seed, dropout=0.0)
        r = subprocess.run([sys.executable, "-c", _RUN, str(path), questionnaire],
                           capture_output=True, text=True, timeout=900)
    if r.returncode != 0:
        raise RuntimeError(f"the benchmark process failed:\n{r.stderr[-2000:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    sizes = [int(a.replace(",", "").replace("_", "")) for a in (argv if argv is not None else sys.argv[1:])]
    for n in sizes or [100_000, 1_000_000]:
        e = bench(n)
        print(f"evaluation analysis of {e['rows']:,} response rows: {e['seconds']:.2f} s, "
              f"peak memory {e['peak_mb']:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
