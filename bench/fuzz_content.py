"""A longer fuzz run over the content loader than the suite's: prints inputs tried, crashes, hangs.

    PYTHONPATH=src python bench/fuzz_content.py [--seconds 60] [--atheris]

Each input rewrites one file of a fresh copy of the sample tree with the suite's strategies
(tests/support/content_fuzz.py) and loads it. A crash is any exception, or a problem without
a file in the tree and a line; a hang is an input that takes longer than 5 s (an alarm stops
it). The process is limited to 2 GB of memory, so running out of it is a crash, not a swap
storm. With ``--atheris`` (``pip install atheris``; optional) coverage-guided raw bytes are
written into one file instead. All three figures should be 0.
"""

from __future__ import annotations

import argparse
import contextlib
import resource
import signal
import sys
import time
import traceback
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hypothesis import HealthCheck, given, settings
from tests.support.content_fuzz import SECONDS_PER_INPUT, TARGETS, Mutation, check_one, mutations

MEMORY_LIMIT = 2 << 30
SHOWN_FAILURES = 5
BATCH = 100


class HangError(Exception):
    pass


class Tally:
    def __init__(self) -> None:
        self.tried = self.crashes = self.hangs = 0
        self.failures: list[str] = []

    def run(self, mutation: Mutation) -> None:
        self.tried += 1
        signal.setitimer(signal.ITIMER_REAL, SECONDS_PER_INPUT)
        try:
            check_one(mutation)
        except HangError:
            self.hangs += 1
            self._keep(mutation, "hang")
        except (Exception, MemoryError):
            self.crashes += 1
            self._keep(mutation, traceback.format_exc(limit=-4))
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)

    def _keep(self, mutation: Mutation, what: str) -> None:
        if len(self.failures) < SHOWN_FAILURES:
            self.failures.append(f"{mutation!r:.400}\n{what}")


def _alarm(_signum: int, _frame: Any) -> None:
    raise HangError


def run_hypothesis(tally: Tally, seconds: float) -> None:
    """Batches of fresh random inputs until the time is up (a failure is tallied, never raised)."""

    @settings(
        max_examples=BATCH,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(mutations)
    def fuzz(mutation: Mutation) -> None:
        tally.run(mutation)

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        fuzz()


def run_atheris(tally: Tally, seconds: float) -> None:
    try:
        import atheris
    except ImportError:
        print("atheris is not installed (pip install atheris); skipping the coverage-guided run.")
        return
    deadline = time.monotonic() + seconds

    def one_input(data: bytes) -> None:
        if time.monotonic() > deadline:
            raise SystemExit(0)
        provider = atheris.FuzzedDataProvider(data)
        target = TARGETS[provider.ConsumeIntInRange(0, len(TARGETS) - 1)]
        tally.run(Mutation(target, "bytes", provider.ConsumeBytes(4096)))

    with atheris.instrument_imports():
        import microlearn.content.loader  # noqa: F401
    atheris.Setup([sys.argv[0], "-max_len=4096"], one_input)
    with contextlib.suppress(SystemExit):
        atheris.Fuzz()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--atheris", action="store_true", help="coverage-guided bytes (optional)")
    args = parser.parse_args()
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    signal.signal(signal.SIGALRM, _alarm)
    tally = Tally()
    started = time.monotonic()
    (run_atheris if args.atheris else run_hypothesis)(tally, args.seconds)
    elapsed = time.monotonic() - started
    print(f"content loader fuzz ({'atheris' if args.atheris else 'hypothesis'}), {elapsed:.0f} s")
    print(f"inputs tried: {tally.tried}")
    print(f"crashes:      {tally.crashes}")
    print(f"hangs:        {tally.hangs}")
    for failure in tally.failures:
        print("\n" + failure)
    return 1 if tally.crashes or tally.hangs else 0


if __name__ == "__main__":
    raise SystemExit(main())
