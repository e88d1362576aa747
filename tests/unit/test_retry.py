"""The one retry policy, on a fake clock: jitter is real, Retry-After is honoured, the run has a deadline."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microlearn.records.retry import GiveUp, Retry, RetryGaveUpError, RetryPolicy, RetryRun


class FakeClock:
    """Monotonic seconds that move only when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.now += seconds


class FlakyError(Exception):
    def __init__(self, retry_after_s: float | None = None) -> None:
        super().__init__("flaky")
        self.retry_after_s = retry_after_s


def retry_flaky(exc: Exception) -> Retry | None:
    return Retry(exc.retry_after_s) if isinstance(exc, FlakyError) else None


def make_run(clock: FakeClock, policy: RetryPolicy | None = None, seed: int = 1) -> RetryRun:
    return RetryRun(policy, clock=clock, sleep=clock.sleep, rng=random.Random(seed))


def failing(times: int, error: Exception, then: str = "ok") -> tuple[list[int], Callable[[], str]]:
    calls: list[int] = []

    def attempt() -> str:
        calls.append(1)
        if len(calls) <= times:
            raise error
        return then

    return calls, attempt


def test_back_off_is_jittered_across_laptops() -> None:
    # A thousand laptops failing at once: their third waits must not line up.
    waits = []
    for seed in range(200):
        run = make_run(FakeClock(), seed=seed)
        wait = run.delay(3)
        assert isinstance(wait, float)
        waits.append(wait)

    assert len({round(w, 6) for w in waits}) > 180
    assert max(waits) - min(waits) > 0.5 * max(waits)


def test_a_shared_retry_after_is_honoured_and_still_spread() -> None:
    waits = []
    for seed in range(100):
        wait = make_run(FakeClock(), seed=seed).delay(1, retry_after_s=7)
        assert isinstance(wait, float)
        waits.append(wait)

    assert min(waits) >= 7  # never earlier than the server asked
    assert len({round(w, 6) for w in waits}) > 90  # and not all in the same instant
    assert max(waits) < 7 + 5  # nor much later


def test_retry_after_is_waited_for_before_the_next_try() -> None:
    clock = FakeClock()
    calls, attempt = failing(2, FlakyError(retry_after_s=4))

    assert make_run(clock).call(attempt, retry_flaky) == "ok"

    assert len(calls) == 3
    assert len(clock.sleeps) == 2 and all(s >= 4 for s in clock.sleeps)


def test_a_retry_after_beyond_the_cap_ends_the_run_without_waiting() -> None:
    clock = FakeClock()
    calls, attempt = failing(5, FlakyError(retry_after_s=3600))

    with pytest.raises(RetryGaveUpError) as info:
        make_run(clock, RetryPolicy(max_retry_after_s=60)).call(attempt, retry_flaky)

    assert info.value.reason is GiveUp.WAIT_TOO_LONG
    assert clock.sleeps == [] and len(calls) == 1


def test_back_off_grows_but_stays_capped() -> None:
    policy = RetryPolicy(base_s=1.0, cap_s=8.0, max_retries=50, run_deadline_s=1e9)
    largest_by_failure = []
    for failures in (1, 2, 3, 4, 10, 40):
        draws = []
        for seed in range(100):
            wait = make_run(FakeClock(), policy, seed=seed).delay(failures)
            assert isinstance(wait, float)
            draws.append(wait)
        largest_by_failure.append(max(draws))
    assert all(0 <= w <= 8.0 for w in largest_by_failure)
    assert largest_by_failure[0] < largest_by_failure[3]  # it grows
    assert largest_by_failure[-1] > 4.0  # up to the cap, not stuck at the base


def test_errors_that_are_not_transient_are_not_retried() -> None:
    clock = FakeClock()
    calls, attempt = failing(1, ValueError("broken"))

    with pytest.raises(ValueError):
        make_run(clock).call(attempt, retry_flaky)

    assert len(calls) == 1 and clock.sleeps == []


def test_too_many_failures_give_up_with_the_last_error() -> None:
    clock = FakeClock()
    error = FlakyError()
    calls, attempt = failing(1_000, error)
    seen: list[int] = []

    with pytest.raises(RetryGaveUpError) as info:
        make_run(clock, RetryPolicy(max_retries=3)).call(
            attempt,
            retry_flaky,
            on_failure=lambda exc, n: seen.append(n),
        )

    assert info.value.reason is GiveUp.TOO_MANY_FAILURES and info.value.last is error
    assert len(calls) == 4 and seen == [1, 2, 3, 4]


@settings(max_examples=60, deadline=None)
@given(
    deadline_s=st.floats(min_value=0.1, max_value=600),
    retry_after=st.one_of(st.none(), st.floats(min_value=0, max_value=120)),
    seed=st.integers(0, 2**32),
)
def test_a_run_never_outlives_its_deadline(deadline_s: float, retry_after: float | None, seed: int) -> None:
    clock = FakeClock()
    started = clock.now
    policy = RetryPolicy(max_retries=10_000, run_deadline_s=deadline_s, max_retry_after_s=120)
    _calls, attempt = failing(10**9, FlakyError(retry_after_s=retry_after))

    with pytest.raises(RetryGaveUpError) as info:
        make_run(clock, policy, seed=seed).call(attempt, retry_flaky)

    assert info.value.reason is GiveUp.RUN_DEADLINE
    assert clock.now - started < deadline_s


def test_remaining_time_counts_down_on_the_clock() -> None:
    clock = FakeClock()
    run = make_run(clock, RetryPolicy(run_deadline_s=30))
    clock.now += 12

    assert run.remaining_s() == pytest.approx(18)
    clock.now += 100
    assert run.remaining_s() == 0


def test_a_policy_that_cannot_work_is_refused() -> None:
    with pytest.raises(ValueError):
        RetryPolicy(base_s=10, cap_s=1)
