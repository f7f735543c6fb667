"""How long the tests take on a fresh clone: ``make test`` (from nothing: .venv and node_modules from
the locks, the book build, every tier) and then ``make test-fast`` (the unit tier).

The repository's committed HEAD is cloned into a temporary folder (the working tree is not
touched and nothing uncommitted is measured); both targets run there with their output kept in a
log, and the wall-clock seconds are printed, with the seconds each tier took inside pytest.
``measure()`` returns the same figures for ``tools/bench.py``.

The targets are for this machine when it is quiet, so each target's line says how the machine was:
the seconds one core took for a fixed loop of Python just before and just after (the same loop takes
longer when other work shares the hardware, whether or not this machine shows it), and the processor
time the whole machine spent busy and idle while the target ran (from /proc/stat, on Linux).

    python -m tools.time_tests [--fast-only] [--keep] [--json FILE]      (from the book's folder)
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"test": 6 * 60, "test-fast": 60}        # seconds: the targets of issue 12


def _clone(dest: Path) -> str:
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()
    subprocess.run(["git", "clone", "--quiet", "--no-checkout", str(ROOT), str(dest)], check=True)
    subprocess.run(["git", "-C", str(dest), "checkout", "--quiet", head], check=True)
    return head


def reference_loop(iterations: int = 6_000_000) -> float:
    """Seconds one core takes for a fixed loop of Python now: the machine's speed at this moment."""
    t0 = time.perf_counter()
    total = 0
    for i in range(iterations):
        total += i * i % 7
    return round(time.perf_counter() - t0, 3)


def _processor_ticks() -> tuple[int, int] | None:
    """(busy, idle) clock ticks of all the machine's processors so far, or None without /proc/stat."""
    try:
        with open("/proc/stat", encoding="ascii") as f:
            fields = [int(x) for x in f.readline().split()[1:8]]
    except (OSError, ValueError):
        return None
    user, nice, system, idle, iowait, irq, softirq = fields
    return user + nice + system + irq + softirq, idle + iowait


def _make(target: str, clone: Path, log: Path) -> dict:
    tiers = log.with_name(f"tier-times-{target}.json")      # beside the log, outside the book under test
    env = dict(os.environ, STL_TIER_TIMES=str(tiers))
    env.pop("VIRTUAL_ENV", None)
    loop_before = reference_loop()
    ticks_before = _processor_ticks()
    t0 = time.perf_counter()
    with log.open("w", encoding="utf-8") as out:
        r = subprocess.run(["make", "-s", target], cwd=clone, stdout=out, stderr=subprocess.STDOUT, env=env)
    seconds = time.perf_counter() - t0
    ticks_after = _processor_ticks()
    result = {"target": target, "seconds": round(seconds, 1), "ok": r.returncode == 0, "log": str(log),
              "tiers": json.loads(tiers.read_text(encoding="utf-8")) if tiers.exists() else {},
              "reference_loop": {"before": loop_before, "after": reference_loop()}}
    if ticks_before and ticks_after:
        tick = os.sysconf("SC_CLK_TCK")
        result["processors"] = {"busy": round((ticks_after[0] - ticks_before[0]) / tick, 1),
                                "idle": round((ticks_after[1] - ticks_before[1]) / tick, 1)}
    return result


def measure(fast_only: bool = False, keep: bool = False) -> dict:
    """Clone HEAD into a temporary folder and time ``make test`` there (a fresh clone), then
    ``make test-fast``. Returns {"commit", "folder", "results": [{"target", "seconds", "ok", "log",
    "tiers"}], "cpus", "load_before"}."""
    tmp = Path(tempfile.mkdtemp(prefix="stl-time-tests-"))
    clone = tmp / "book"
    logs = Path(tempfile.mkdtemp(prefix="stl-time-tests-logs-"))
    out = {"commit": _clone(clone), "folder": str(clone), "cpus": os.cpu_count(),
           "load_before": round(os.getloadavg()[0], 2), "results": []}
    try:
        if not fast_only:
            out["results"].append(_make("test", clone, logs / "make-test.log"))
        out["results"].append(_make("test-fast", clone, logs / "make-test-fast.log"))
    finally:
        out["load_after"] = round(os.getloadavg()[0], 2)
        if not keep:
            shutil.rmtree(tmp, ignore_errors=True)
            if all(r["ok"] for r in out["results"]):
                shutil.rmtree(logs, ignore_errors=True)
    return out


def report(out: dict) -> str:
    lines = [f"commit {out['commit'][:10]}, {out['cpus']} CPUs, load average {out['load_before']} before, "
             f"{out['load_after']} after"]
    for r in out["results"]:
        target = TARGETS[r["target"]]
        verdict = "passed" if r["ok"] else f"FAILED (log: {r['log']})"
        lines.append(f"make {r['target']:<9} {r['seconds']:7.1f} s   target {target} s   {verdict}")
        loop = r.get("reference_loop")
        if loop:
            used = r.get("processors")
            lines.append(f"    machine  reference loop {loop['before']:.2f} s before, {loop['after']:.2f} s after"
                         + (f"; processors {used['busy']:.0f} s busy, {used['idle']:.0f} s idle" if used else ""))
        for tier in ("unit", "book", "browser"):
            if tier in r["tiers"]:
                t = r["tiers"][tier]
                lines.append(f"    {tier:<8} {t['seconds']:7.1f} s in {t['tests']} tests")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tools.time_tests", description=__doc__.split("\n\n")[0])
    ap.add_argument("--fast-only", action="store_true", help="time make test-fast only (it still sets up the clone)")
    ap.add_argument("--keep", action="store_true", help="keep the clone (its path is printed)")
    ap.add_argument("--json", type=Path, help="also write the figures to this file as JSON")
    args = ap.parse_args(argv)
    out = measure(fast_only=args.fast_only, keep=args.keep)
    print(report(out))
    if args.keep:
        print(f"clone kept in {out['folder']}")
    if args.json:
        args.json.write_text(json.dumps(out, indent=2), encoding="utf-8")
    return 0 if all(r["ok"] for r in out["results"]) else 1


if __name__ == "__main__":
    sys.exit(main())
