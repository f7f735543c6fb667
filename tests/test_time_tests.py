"""tools/time_tests.py: the figures `make bench` prints for the test targets say how the machine was."""
from __future__ import annotations

from tools import time_tests


def test_the_report_says_how_busy_the_machine_was():
    out = {"commit": "0123456789abcdef", "cpus": 2, "load_before": 0.1, "load_after": 1.9, "results": [
        {"target": "test", "seconds": 351.2, "ok": True, "log": "make-test.log",
         "tiers": {"unit": {"seconds": 101.5, "tests": 950}},
         "reference_loop": {"before": 0.52, "after": 0.71}, "processors": {"busy": 683.4, "idle": 19.6}},
        {"target": "test-fast", "seconds": 61.0, "ok": False, "log": "make-test-fast.log", "tiers": {}}]}
    lines = time_tests.report(out).splitlines()
    assert lines[1] == "make test        351.2 s   target 360 s   passed"
    assert lines[2] == "    machine  reference loop 0.52 s before, 0.71 s after; processors 683 s busy, 20 s idle"
    assert lines[3] == "    unit       101.5 s in 950 tests"
    assert lines[4] == "make test-fast    61.0 s   target 60 s   FAILED (log: make-test-fast.log)"
    assert len(lines) == 5, "a result measured without the machine's figures has no machine line"


def test_the_machine_figures_are_measured():
    assert 0 < time_tests.reference_loop(100_000) < time_tests.reference_loop(1_000_000) < 60
    first = time_tests._processor_ticks()
    if first is None:                       # not Linux: the report leaves the processor figures out
        return
    time_tests.reference_loop(1_000_000)
    second = time_tests._processor_ticks()
    assert second[0] > first[0], "the loop shows as busy processor time"
    assert second[1] >= first[1]


def test_a_target_is_timed_with_the_machine_figures(tmp_path, monkeypatch):
    monkeypatch.setattr(time_tests, "reference_loop", lambda: 0.5)
    (tmp_path / "Makefile").write_text("hello:\n\t@echo hello\nbroken:\n\t@exit 3\n", encoding="utf-8")
    done = time_tests._make("hello", tmp_path, tmp_path / "hello.log")
    assert done["ok"] and done["target"] == "hello" and done["seconds"] >= 0
    assert (tmp_path / "hello.log").read_text(encoding="utf-8") == "hello\n"
    assert done["reference_loop"] == {"before": 0.5, "after": 0.5}
    if time_tests._processor_ticks() is not None:
        assert set(done["processors"]) == {"busy", "idle"}
    assert not time_tests._make("broken", tmp_path, tmp_path / "broken.log")["ok"]
