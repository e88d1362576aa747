"""The one retry policy for every call to the central record (sync, restore, doctor).

DESIGN.md, "Sync engine": network errors and 5xx get exponential back-off with jitter,
capped; 429/503 wait as long as ``Retry-After`` says, up to a cap (a longer wait ends the
run, the rest is left for the next one); every run has a total deadline. Thousands of
laptops share one LRS, so every wait is jittered: after an outage they must not come back
in step, not even when the server names the same ``Retry-After`` to all of them.

Time is a parameter: a :class:`RetryRun` takes its clock, its sleep and its random source,
so tests run it on a fake clock. ``sleep`` may be a cancel event's ``wait``: closing the
app then ends a back-off at once.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

T = TypeVar("T")

BACKOFF_BASE_S, BACKOFF_CAP_S = 0.5, 30.0


class GiveUp(StrEnum):
    """Why a run stopped retrying."""

    TOO_MANY_FAILURES = "too_many_failures"
    WAIT_TOO_LONG = "wait_too_long"  # the server asked for a wait beyond ``max_retry_after_s``
    RUN_DEADLINE = "run_deadline"  # the next try would start after the run's deadline


@dataclass(frozen=True)
class RetryPolicy:
    base_s: float = BACKOFF_BASE_S  # the first back-off window
    cap_s: float = BACKOFF_CAP_S  # no back-off window is longer
    max_retries: int = 5  # consecutive failures of one request before giving up
    max_retry_after_s: float = 60.0  # the longest Retry-After we wait for
    run_deadline_s: float = 180.0  # the whole run, retries and waits included

    def __post_init__(self) -> None:
        if self.base_s <= 0 or self.cap_s < self.base_s or self.max_retries < 0 or self.run_deadline_s <= 0:
            raise ValueError(f"not a usable retry policy: {self}")


def backoff_delay(
    rng: random.Random, failures: int, base_s: float = BACKOFF_BASE_S, cap_s: float = BACKOFF_CAP_S
) -> float:
    """How long to wait after the ``failures``-th failure in a row: full jitter under
    ``base_s`` × 2^(failures-1), capped, so a thousand laptops do not retry in step."""
    return rng.uniform(0.0, min(cap_s, base_s * 2 ** max(0, failures - 1)))


@dataclass(frozen=True)
class Retry:
    """A failure worth another try; ``retry_after_s`` when the server said how long to wait."""

    retry_after_s: float | None = None


class RetryGaveUpError(Exception):
    """The run stopped retrying; ``last`` is the failure that ended it."""

    def __init__(self, reason: GiveUp, last: Exception) -> None:
        super().__init__(f"gave up ({reason.value}) after: {last}")
        self.reason = reason
        self.last = last


class RetryRun:
    """One run's retry budget: back-off per request, one deadline for the whole run."""

    def __init__(
        self,
        policy: RetryPolicy | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], object] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.policy = policy or RetryPolicy()
        self._clock = clock
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._deadline = clock() + self.policy.run_deadline_s

    def remaining_s(self) -> float:
        """Time left before the run's deadline (never negative): the most a request may take."""
        return max(0.0, self._deadline - self._clock())

    def delay(self, failures: int, retry_after_s: float | None = None) -> float | GiveUp:
        """How long to wait before the next try after ``failures`` failures in a row, or why not to."""
        policy = self.policy
        if failures > policy.max_retries:
            return GiveUp.TOO_MANY_FAILURES
        if retry_after_s is not None:
            if retry_after_s > policy.max_retry_after_s:
                return GiveUp.WAIT_TOO_LONG
            # At least what the server asked, and a little more drawn at random: a herd told
            # the same Retry-After must not return in the same second.
            wait = max(0.0, retry_after_s) + self._rng.uniform(0.0, policy.base_s)
        else:
            wait = backoff_delay(self._rng, failures, policy.base_s, policy.cap_s)
        if wait >= self.remaining_s():
            return GiveUp.RUN_DEADLINE
        return wait

    def pause(self, failures: int, retry_after_s: float | None = None) -> GiveUp | None:
        """Sleep before the next try; ``None`` when it may go ahead, else why the run gives up."""
        wait = self.delay(failures, retry_after_s)
        if isinstance(wait, GiveUp):
            return wait
        self._sleep(wait)
        return None

    def call(
        self,
        attempt: Callable[[], T],
        classify: Callable[[Exception], Retry | None],
        *,
        on_failure: Callable[[Exception, int], object] | None = None,
    ) -> T:
        """``attempt()`` until it succeeds. An exception ``classify`` calls a :class:`Retry` is
        retried after a pause (``on_failure(exc, failures)`` first); any other propagates.
        Raises :class:`RetryGaveUpError` when the policy or the deadline says stop."""
        failures = 0
        while True:
            try:
                return attempt()
            except Exception as exc:
                retry = classify(exc)
                if retry is None:
                    raise
                failures += 1
                if on_failure is not None:
                    on_failure(exc, failures)
                reason = self.pause(failures, retry.retry_after_s)
                if reason is not None:
                    raise RetryGaveUpError(reason, exc) from exc
