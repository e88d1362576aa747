"""Crash-safety soak: the kill-and-check loop of tests/integration/test_crash_safety.py, with more trials.

    PYTHONPATH=src python bench/crash.py [--trials 300] [--per-series 15] [--workers 2] [--base-seed 1000]

Trials are grouped in series; each series shares one data directory (state builds up)
and ends with a clean restart that must converge. Series ``i`` uses the seed
``base-seed + i``; a failure prints its series seed, and
``--base-seed S --trials N --per-series N`` re-runs that series alone (the kill timing is
random, so this reproduces the conditions, not the exact instant).
Exits 1 if any series failed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "src"), str(REPO)]
os.environ.setdefault("MICROLEARN_POLICY", "")  # no site policy on the machine running this

from tests.integration.test_crash_safety import SeriesResult, run_series  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--trials", type=int, default=300, help="kill trials in total (default 300)")
    parser.add_argument("--per-series", type=int, default=15, help="kill trials per data directory")
    parser.add_argument("--workers", type=int, default=2, help="series run side by side")
    parser.add_argument("--base-seed", type=int, default=1000)
    parser.add_argument("--keep", action="store_true", help="keep the data directories")
    args = parser.parse_args()

    sizes = [args.per_series] * (args.trials // args.per_series)
    if args.trials % args.per_series:
        sizes.append(args.trials % args.per_series)
    root = Path(tempfile.mkdtemp(prefix="microlearn-crash-"))
    started = time.perf_counter()

    def one(index: int) -> SeriesResult:
        seed = args.base_seed + index
        result = run_series(root / f"series-{seed}", seed, sizes[index])
        status = "ok" if result.failure is None else "FAILED"
        print(f"series {seed}: {result.trials} trials, {status}", flush=True)
        return result

    try:
        with ThreadPoolExecutor(max_workers=args.workers) as pool:
            results = list(pool.map(one, range(len(sizes))))
    finally:
        if args.keep:
            print(f"data directories kept in {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    seconds = time.perf_counter() - started
    failures = [r for r in results if r.failure is not None]
    trials = sum(r.trials for r in results)
    print()
    for result in failures:
        print(result.failure)
    print(f"trials run:          {trials} in {len(results)} series")
    print(f"kills after READY:   {sum(r.kills_mid_run for r in results)}")
    print(f"kills inside a call: {sum(r.kills_in_flight for r in results)} (between DO and ACK)")
    print(f"failures:            {len(failures)} series")
    print(f"seconds:             {seconds:.1f}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
