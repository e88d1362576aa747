"""Start a program, read the moment it reports, and its peak memory: shared by the benches.

How to use: imported by bench/startup.py, bench/scale.py and bench/bundle.py (not run itself).
Memory comes from /proc, so the memory figures need Linux.
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# ``python bench/NAME.py`` puts only bench/ on the path; the shared locations live in tests/support.
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))
from tests.support.locations import REPO


@dataclass(frozen=True)
class Run:
    seconds: float  # from just before spawning to the moment the program printed
    peak_rss_mb: float


def timed_run(args: list[str], env: dict[str, str], marker: str) -> Run:
    start = time.time()
    process = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert process.stdout is not None
    reported = None
    for line in process.stdout:
        if line.startswith(marker):
            reported = float(line.split()[1])
    _pid, status, usage = os.wait4(process.pid, 0)
    if reported is None or status != 0:
        raise RuntimeError(f"{args} did not report {marker!r} (status {status})")
    return Run(seconds=reported - start, peak_rss_mb=usage.ru_maxrss / 1024)


@dataclass(frozen=True)
class Memory:
    peak_mb: float  # VmHWM: the most the process has held so far
    rss_mb: float  # VmRSS: what it holds right now


def memory_of(pid: int) -> Memory:
    """The process's resident memory from /proc (Linux), read while it runs."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            fields[key] = int(value.split()[0]) / 1024  # kB → MB
    return Memory(peak_mb=fields["VmHWM"], rss_mb=fields["VmRSS"])


@dataclass(frozen=True)
class MarkedRun:
    seconds: float  # from just before spawning to the moment the program printed
    at_marker: Memory  # sampled the moment the marker line arrived, the process stopped meanwhile
    sample_lag_s: float  # from the program's timestamp to our sample: how stale "at" is
    peak_at_exit_mb: float


def marked_run(args: list[str], env: dict[str, str], marker: str) -> MarkedRun:
    """Like ``timed_run``, and samples memory at the marker: the process is stopped (SIGSTOP)
    as soon as its line is read, so what it does next (quitting, warming up) is not counted."""
    start = time.time()
    process = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert process.stdout is not None
    reported = None
    at_marker = None
    lag = 0.0
    for line in process.stdout:
        if line.startswith(marker) and reported is None:
            os.kill(process.pid, signal.SIGSTOP)
            try:
                reported = float(line.split()[1])
                at_marker = memory_of(process.pid)
                lag = time.time() - reported
            finally:
                os.kill(process.pid, signal.SIGCONT)
    _pid, status, usage = os.wait4(process.pid, 0)
    if reported is None or at_marker is None or status != 0:
        raise RuntimeError(f"{args} did not report {marker!r} (status {status})")
    return MarkedRun(
        seconds=reported - start,
        at_marker=at_marker,
        sample_lag_s=lag,
        peak_at_exit_mb=usage.ru_maxrss / 1024,
    )


def window_peaks(
    commands: Sequence[tuple[list[str], dict[str, str]]], window_s: float, stagger_s: float
) -> list[float]:
    """Peak RSS (MB) of each command over its first ``window_s`` seconds, then it is killed.

    The commands run side by side, started ``stagger_s`` apart, each sampled ``window_s`` after its
    own spawn: a peak is what one process allocated, which its neighbours do not change, and so
    ten one-minute windows take about a minute. Each command must still be running at the end.
    """
    processes: list[tuple[subprocess.Popen[bytes], float]] = []
    try:
        for args, env in commands:
            process = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            processes.append((process, time.monotonic()))
            time.sleep(stagger_s)
        peaks = []
        for process, spawned in processes:
            time.sleep(max(0.0, spawned + window_s - time.monotonic()))
            if process.poll() is not None:
                raise RuntimeError(
                    f"{process.args!r} exited (status {process.returncode}) within {window_s} s"
                )
            peaks.append(memory_of(process.pid).peak_mb)
            process.kill()
            process.wait()
        return peaks
    finally:
        for process, _spawned in processes:
            if process.poll() is None:
                process.kill()
                process.wait()


def base_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["PYTHONPATH"] = str(REPO / "src") + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra)
    return env


def median(values: list[float]) -> float:
    return statistics.median(values)


PYTHON = sys.executable


@dataclass(frozen=True)
class Spread:
    """Repeated measurements of one figure: printed as min / median / max."""

    values: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    def text(self, unit: str) -> str:
        digits = 3 if unit == "s" else 1
        return (
            f"{min(self.values):.{digits}f} / {self.median:.{digits}f} / {max(self.values):.{digits}f} {unit}"
        )


@dataclass(frozen=True)
class Budget:
    name: str
    ours: Spread
    baseline: Spread | None  # None: ``limit`` is an absolute figure in ``unit``, not a ratio
    unit: str
    limit: float
    baseline_name: str = "bare"


def report_budgets(budgets: list[Budget]) -> bool:
    """Print each figure (min / median / max), its ratio of medians and budget; True if any is over."""
    width = max(len(b.name) for b in budgets)
    failed = False
    for b in budgets:
        if b.baseline is None:
            ok = b.ours.median <= b.limit
            line = f"  {b.name:{width}s} ours {b.ours.text(b.unit)}  median vs budget <= {b.limit} {b.unit}"
        else:
            ratio = b.ours.median / b.baseline.median
            ok = ratio <= b.limit
            line = (
                f"  {b.name:{width}s} ours {b.ours.text(b.unit)}  {b.baseline_name} {b.baseline.text(b.unit)}"
                f"  ratio {ratio:4.2f}x  budget <= {b.limit}x"
            )
        failed |= not ok
        print(f"{line}  {'PASS' if ok else 'FAIL'}")
    return failed


def report_ratios(rows: list[tuple[str, float, float, str]], budgets: dict[str, float]) -> bool:
    """Print each measurement against its baseline and budget; True if any is over budget."""
    width = max(len(name) for name, *_ in rows)
    failed = False
    for name, ours, baseline, unit in rows:
        ratio = ours / baseline
        ok = ratio <= budgets[name]
        failed |= not ok
        print(
            f"  {name:{width}s} app {ours:8.3f} {unit:2s}  bare {baseline:8.3f} {unit:2s}  ratio {ratio:4.2f}x  "
            f"budget <= {budgets[name]}x  {'PASS' if ok else 'FAIL'}"
        )
    return failed
