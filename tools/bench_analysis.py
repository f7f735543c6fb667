"""The evaluation analysis at scale: read, check, analyse and report on N synthetic response rows.

Each run happens in a fresh Python process, so ``peak_mb`` is that whole process's peak resident
memory (interpreter, numpy and matplotlib included: an upper bound on what the analysis needs)
and ``seconds`` its wall time from the first import of the analysis to the finished text and
HTML reports (making the test file is not timed). On a shared machine the wall time grows with
the other work running; ``cpu_seconds`` (printed beside it) does not.

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
import json, os, resource, sys, time
t0, c0 = time.perf_counter(), time.process_time()
from spotthelure.analysis import analyse, read_responses, report_html, summary_text
res = analyse(read_responses([sys.argv[1]], sys.argv[2]))
text, page = summary_text(res), report_html(res)
seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
# VmHWM: this process's own peak (ru_maxrss would also count the memory of the process it was forked from)
hwm = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"rows": res.rows_read, "used": res.rows_used, "matched": res.n_matched, "problems": len(res.problems),
                  "seconds": round(seconds, 3), "cpu_seconds": round(cpu, 3), "peak_mb": round(hwm / 1024, 1),
                  "load_average": round(os.getloadavg()[0], 1), "report_kb": len(page) // 1024}))
"""

_MAKE = """
import sys
from spotthelure.analysis.synthetic import write_synthetic_csv
write_synthetic_csv(sys.argv[1], sys.argv[2], n_people=int(sys.argv[3]), seed=int(sys.argv[4]), dropout=0.0)
"""


def bench(n_rows: int = 100_000, questionnaire: str = QUESTIONNAIRE, seed: int = 1) -> dict:
    """Time the analysis of ``n_rows`` synthetic rows (half 'before', half 'after') from a CSV file.

    ``seconds`` is wall time; ``cpu_seconds`` the process's own processor time (what the machine's
    other work does not lengthen); ``load_average`` the machine's one-minute load when it ended;
    ``reference_loop`` the machine's speed just before (tools.time_tests.reference_loop: the
    seconds a fixed loop of Python takes, about 0.43 on this machine when it is quiet).
    The file is made in a process of its own, so that the measured one starts small."""
    from .time_tests import reference_loop
    with tempfile.TemporaryDirectory(prefix="stl-bench-") as tmp:
        path = Path(tmp) / "bench-synthetic.csv"
        subprocess.run([sys.executable, "-c", _MAKE, str(path), questionnaire, str(max(1, n_rows // 2)), str(seed)],
                       check=True, timeout=900)
        loop = reference_loop()
        r = subprocess.run([sys.executable, "-c", _RUN, str(path), questionnaire],
                           capture_output=True, text=True, timeout=900)
    if r.returncode != 0:
        raise RuntimeError(f"the benchmark process failed:\n{r.stderr[-2000:]}")
    return {**json.loads(r.stdout.strip().splitlines()[-1]), "reference_loop": loop}


def line(e: dict) -> str:
    return (f"evaluation analysis of {e['rows']:,} response rows: {e['seconds']:.2f} s "
            f"({e['cpu_seconds']:.2f} s of processor time, load average {e['load_average']}, "
            f"reference loop {e['reference_loop']} s), "
            f"peak memory {e['peak_mb']:.0f} MB")


def main(argv=None) -> int:
    sizes = [int(a.replace(",", "").replace("_", "")) for a in (argv if argv is not None else sys.argv[1:])]
    for n in sizes or [100_000, 1_000_000]:
        print(line(bench(n)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
