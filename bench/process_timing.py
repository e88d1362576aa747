"""Start a program, read the moment it reports, and its peak memory: shared by the benches."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass

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


def base_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["PYTHONPATH"] = str(REPO / "src") + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra)
    return env


def median(values: list[float]) -> float:
    return statistics.median(values)


PYTHON = sys.executable


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
