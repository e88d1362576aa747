"""Sync under a hostile network, with real processes: nothing lost, nothing doubled.

A fault-injecting proxy (tests/lrs/fault_proxy.py) sits between the client and a real Ralph
and, at random (seeded), delays, resets before the request reaches Ralph, resets AFTER Ralph
stored the batch (the answer is lost), or answers 500, 503 or 429 by itself. After many such
rounds and one clean round the LRS must hold exactly one statement per outbox row with the
same content. The same holds when ``microlearn sync`` is SIGKILLed mid-batch, and against a
stricter LRS that answers 409 to a batch holding any already-stored id.
"""

from __future__ import annotations

import random
import signal
import subprocess
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from microlearn.records.sync_lock import SyncLock
from microlearn.records.sync_outcome import Outcome
from microlearn.store.outbox import OutboxStatus
from microlearn.ui.status_text import sync_summary
from tests.support.learners import (  # noqa: F401 (lrs_front: a fixture)
    MODULES,
    FakeClock,
    Learner,
    LearnerFactory,
    assert_ralph_holds_exactly,
    assert_sync_invariant,
    cli_command,
    cli_env,
    downgrade_store,
    lrs_front,
    posted_ids,
    ralph_client,
    status_words,
    stored_statements,
)
from tests.support.lrs import fault_proxy as faults
from tests.support.lrs.fault_proxy import FaultProxy
from tests.support.lrs.ralph_server import RalphServer

pytestmark = pytest.mark.lrs


@pytest.fixture
def fault_proxy(lrs_front: FaultProxy) -> FaultProxy:  # noqa: F811
    """Every test here runs straight to Ralph (through a passthrough proxy) and through the
    strict-LRS emulation."""
    return lrs_front


SEED = 20261122
ROUNDS = 40
BATCH = 3
TRANSIENT = {
    Outcome.ALL_SENT,
    Outcome.OFFLINE,
    Outcome.SERVER_DOWN,
    Outcome.SERVER_BUSY,
    Outcome.SERVER_ERROR,
    Outcome.UNCONFIRMED,
}


def random_faults() -> list[tuple[faults.Fault, float]]:
    return [
        (faults.delay(0.05), 0.08),
        (faults.reset_before(), 0.12),
        (faults.reset_after(), 0.15),
        (faults.status(500), 0.06),
        (faults.status(503, retry_after=1), 0.06),
        (faults.status(429, retry_after=0), 0.05),
    ]


def sync_rounds(learner: Learner, rounds: int, seed: int) -> Counter[Outcome]:
    """Sync again and again while the learner keeps working; back-off waits are skipped."""
    rng = random.Random(seed)
    outcomes: Counter[Outcome] = Counter()
    for round_number in range(rounds):
        if round_number % 3 == 1:
            learner.play(rng.choice(MODULES), passing=rng.random() < 0.5)
        report = learner.sync_service(batch_size=BATCH, seed=seed + round_number).sync_now()
        assert report.outcome in TRANSIENT, (round_number, report)
        assert report.conflicts == 0 and report.rejected == 0, (round_number, report)
        outcomes[report.outcome] += 1
    return outcomes


def later() -> FakeClock:
    """A clock past every back-off: statements parked as unconfirmed are due again."""
    return FakeClock(datetime.now(UTC) + timedelta(hours=7))


def assert_all_sent(learner: Learner) -> None:
    statuses = Counter(r.status for r in learner.outbox())
    assert statuses == {"sent": len(learner.outbox())}, statuses


def test_random_faults_then_a_clean_round_lose_and_double_nothing(
    make_learner: LearnerFactory,
    ralph: RalphServer,
    fault_proxy: FaultProxy,
) -> None:
    learner = make_learner(fault_proxy.url, ralph)
    for module in MODULES * 2:
        learner.play(module, passing=module == MODULES[0])
    fault_proxy.set_random(seed=SEED, weights=random_faults())  # every method, GETs too

    outcomes = sync_rounds(learner, ROUNDS, SEED)

    injected = dict(fault_proxy.injected)
    assert set(injected) == {"delay", "reset_before", "reset_after", "status"}, injected
    lost_answers = [e for e in fault_proxy.exchanges if e.fault.kind == "reset_after" and e.upstream_status]
    assert lost_answers, "no batch was stored by Ralph with its answer lost"
    assert sum(outcomes.values()) == ROUNDS
    assert fault_proxy.requests > 100

    fault_proxy.clear()
    final = learner.sync_service(batch_size=BATCH, clock=later()).sync_now()

    assert final.outcome is Outcome.ALL_SENT and final.remaining == 0, final
    assert_all_sent(learner)
    assert_sync_invariant(ralph, learner, fault_proxy)
    assert fault_proxy.errors == []


def test_strict_409_after_a_lost_answer_resolves_every_statement_as_sent(
    make_learner: LearnerFactory,
    ralph: RalphServer,
    fault_proxy: FaultProxy,
) -> None:
    learner = make_learner(fault_proxy.url, ralph)
    learner.play()
    rows = learner.outbox()
    assert len(rows) == 11
    # rows[5] reached the LRS in an earlier run whose answer was lost.
    with ralph_client(ralph) as client:
        assert client.post_statements([rows[5].json]).status == 200
    fault_proxy.set_default(faults.strict_409())
    fault_proxy.queue(faults.reset_after())  # the first batch is stored, its answer lost

    report = learner.sync_service(batch_size=5).sync_now()

    assert report.outcome is Outcome.ALL_SENT and report.conflicts == 0, report
    assert_all_sent(learner)
    assert_sync_invariant(ralph, learner, fault_proxy)
    # The lost answer was not followed by a blind re-send of the same batch: read back first.
    batches = posted_ids(fault_proxy)
    assert batches[0] == [r.statement_id for r in rows[:5]]
    assert all(set(ids).isdisjoint(batches[0]) for ids in batches[1:])
    # The 409 was settled with a read-back per registration, not one GET per statement.
    gets = [e for e in fault_proxy.exchanges if e.method == "GET"]
    assert len(gets) < len(rows) // 2, [e.target for e in gets]
    assert fault_proxy.errors == []


def test_strict_409_with_random_lost_answers_converges_without_conflicts(
    make_learner: LearnerFactory,
    ralph: RalphServer,
    fault_proxy: FaultProxy,
) -> None:
    learner = make_learner(fault_proxy.url, ralph)
    learner.play(MODULES[0])
    learner.play(MODULES[1], passing=False)
    fault_proxy.set_default(faults.strict_409())
    fault_proxy.set_random(
        seed=SEED + 1,
        weights=[(faults.reset_after(), 0.3), (faults.reset_before(), 0.1)],
        methods=["POST", "PUT"],
    )

    sync_rounds(learner, 12, SEED + 1)
    fault_proxy.clear()
    fault_proxy.set_default(faults.strict_409())  # still the strict LRS, but a quiet network
    final = learner.sync_service(batch_size=BATCH, clock=later()).sync_now()

    assert final.outcome is Outcome.ALL_SENT, final
    assert_all_sent(learner)
    assert_sync_invariant(ralph, learner, fault_proxy)
    assert fault_proxy.errors == []


# -- SIGKILL mid-batch ---------------------------------------------------------------------------------


def sync_process(learner: Learner) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        cli_command(learner.data_dir, "sync"),
        env=cli_env(
            endpoint=learner.endpoint,
            username=learner.ralph.username,
            password=learner.password,
            learner=learner.name,
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def kill_during_post(learner: Learner, proxy: FaultProxy, nth_post: int, rng: random.Random) -> None:
    """Start ``microlearn sync`` and SIGKILL it while its ``nth_post`` POST is held by the proxy."""
    before = sum(1 for e in proxy.exchanges if e.method == "POST")
    process = sync_process(learner)
    try:
        deadline = time.monotonic() + 60
        while sum(1 for e in proxy.exchanges if e.method == "POST") < before + nth_post:
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the sync never posted"
            time.sleep(0.01)
        time.sleep(rng.uniform(0.0, 0.3))  # well inside the proxy's 0.6 s delay: mid-batch
        assert process.poll() is None, "the sync ended before the kill"
        process.send_signal(signal.SIGKILL)
    finally:
        process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL
    # The proxy still delivers the held batch to Ralph; wait for that before going on.
    held = [e for e in proxy.exchanges if e.method == "POST"][-1]
    deadline = time.monotonic() + 30
    while held.upstream_status is None:
        assert time.monotonic() < deadline, "the proxy never forwarded the killed batch"
        time.sleep(0.01)


def test_sigkill_mid_batch_then_restart_converges_and_the_lock_is_free(
    make_learner: LearnerFactory,
    ralph: RalphServer,
    fault_proxy: FaultProxy,
) -> None:
    learner = make_learner(fault_proxy.url, ralph)
    rng = random.Random(SEED)
    while len(learner.outbox()) < 230:  # three batches of 100
        learner.play(MODULES[len(learner.outbox()) % 2], passing=rng.random() < 0.5)
    fault_proxy.set_default(faults.delay(0.6))
    lock_file: Path = learner.services.paths.sync_lock

    kill_during_post(learner, fault_proxy, 1, rng)  # during the first batch
    assert [r.status for r in learner.outbox()] == ["pending"] * len(learner.outbox())
    with SyncLock(lock_file) as lock:
        assert lock.acquire(), "a killed sync left the lock held"
    kill_during_post(
        learner, fault_proxy, 2, rng
    )  # the first batch again (its answer was lost), then the second
    with SyncLock(lock_file) as lock:
        assert lock.acquire(), "a killed sync left the lock held"
    statuses = Counter(r.status for r in learner.outbox())
    assert statuses["sent"] == 100 and statuses["pending"] == len(learner.outbox()) - 100, statuses

    fault_proxy.clear()
    process = sync_process(learner)
    out, err = process.communicate(timeout=120)

    assert process.returncode == 0, err.decode()
    assert out.decode() == f"Synced {len(learner.outbox()) - 100} results\n"
    assert_all_sent(learner)
    assert_sync_invariant(ralph, learner, fault_proxy)
    # Both killed batches did reach Ralph after the kill (their answers went to dead clients),
    # and were read back rather than doubled: the LRS holds each statement once (above).


# -- hostile answers: only the spec's answer means "sent" ------------------------------------------

PORTAL = "<!DOCTYPE html><html><head><title>Guest Wi-Fi</title></head><body>Please sign in</body></html>"


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (PORTAL, "text/html"),
        ('{"ok": true}', "application/json"),
        ('["00000000-0000-4000-8000-000000000000"]', "application/json"),
    ],
    ids=["a web page", "ok-true", "a list without our ids"],
)
@pytest.mark.parametrize("stored", [True, False], ids=["stored", "not stored"])
def test_a_200_that_is_not_the_spec_answer_is_read_back_and_nothing_is_lost_or_doubled(
    make_learner: LearnerFactory,
    ralph: RalphServer,
    fault_proxy: FaultProxy,
    body: str,
    content_type: str,
    stored: bool,
) -> None:
    learner = make_learner(fault_proxy.url, ralph)
    learner.play()
    rows = learner.outbox()
    fault_proxy.queue(faults.answer(200, body, content_type, forward=stored), methods=["POST"])

    report = learner.sync_service(clock=FakeClock()).sync_now()

    assert report.outcome is Outcome.ALL_SENT, report
    assert_sync_invariant(ralph, learner, fault_proxy)
    # A batch the LRS did store is not sent again: it was read back.
    times_posted = Counter(i for ids in posted_ids(fault_proxy) for i in ids)
    assert all(times_posted[r.statement_id] == (1 if stored else 2) for r in rows), times_posted


def test_a_captive_portal_is_named_as_such_and_keeps_every_result(
    make_learner: LearnerFactory,
    ralph: RalphServer,
    fault_proxy: FaultProxy,
) -> None:
    learner = make_learner(fault_proxy.url, ralph)
    learner.play()
    count = len(learner.outbox())
    fault_proxy.set_default(faults.answer(200, PORTAL, "text/html"))  # every request, GETs too
    clock = FakeClock()
    service = learner.sync_service(clock=clock)

    report = service.sync_now()

    assert report.outcome is Outcome.SIGN_IN_PAGE, report
    words = sync_summary(report)
    assert "sign-in page" in words and words.endswith(f"{count} results waiting"), words
    assert status_words(service) == words
    assert report.sent == 0 and report.remaining == count
    assert stored_statements(ralph, learner.name) == []
    run = learner.cli("sync")
    assert run.returncode == 3, run.stderr

    fault_proxy.clear()  # signed in: the network lets the central record through
    clock.advance(7 * 3600)  # past any back-off of the statements being checked
    again = service.sync_now()

    assert again.outcome is Outcome.ALL_SENT, again
    assert_sync_invariant(ralph, learner, fault_proxy)


def test_a_request_slower_than_our_deadline_is_not_sent_again_while_it_may_be_in_flight(
    make_learner: LearnerFactory,
    ralph: RalphServer,
    fault_proxy: FaultProxy,
) -> None:
    # The LRS takes 1.5 s to store the first batch; our client gives up after 0.5 s. A re-send
    # during that time is what a strict LRS stores twice. Real time here: the proxy works in it.
    learner = make_learner(fault_proxy.url, ralph)
    learner.play()
    fault_proxy.queue(faults.delay(1.5), methods=["POST"])

    report = learner.sync_service(client_timeout_s=0.5, in_flight_s=2.0, real_sleep=True).sync_now()

    assert report.outcome is Outcome.ALL_SENT, report
    assert_sync_invariant(ralph, learner, fault_proxy)
    times_posted = Counter(i for ids in posted_ids(fault_proxy) for i in ids)
    assert set(times_posted.values()) == {1}, times_posted  # read back and found: never re-sent


# -- no statement blocks the queue -------------------------------------------------------------------


def test_a_batch_whose_read_back_fails_is_parked_and_the_rest_carries_on(
    make_learner: LearnerFactory,
    ralph: RalphServer,
    fault_proxy: FaultProxy,
) -> None:
    learner = make_learner(fault_proxy.url, ralph)
    learner.play(MODULES[0])
    learner.play(MODULES[1])
    rows = learner.outbox()
    # One statement of the first batch is already stored (a lost answer long ago), so a
    # strict LRS refuses the batch with 409; every read-back then fails with 500.
    with ralph_client(ralph) as client:
        assert client.post_statements([rows[0].json]).status == 200
    fault_proxy.set_default(faults.strict_409())
    fault_proxy.set_random(seed=SEED, weights=[(faults.status(500), 1.0)], methods=["GET"])
    clock = FakeClock()
    service = learner.sync_service(batch_size=5, clock=clock)

    report = service.sync_now()

    first = {r.statement_id for r in rows[:5]}
    after = {r.statement_id: r for r in learner.outbox()}
    assert report.outcome is Outcome.UNCONFIRMED, report
    assert {sid for sid, r in after.items() if r.status == "unconfirmed"} == first
    assert all(r.status == "sent" for sid, r in after.items() if sid not in first)
    assert report.remaining == 5 and report.sent == len(rows) - 5
    assert sync_summary(report) == "Checking with the central record — 5 results waiting"
    assert status_words(service) == sync_summary(report)
    parked = service.outbox_details(statuses=[OutboxStatus.UNCONFIRMED])
    assert {d.statement_id for d in parked} == first and all(d.last_error for d in parked)

    # Later, with the LRS reading again, they are settled without being sent twice.
    fault_proxy.clear()
    clock.advance(7 * 3600)
    again = service.sync_now()

    assert again.outcome is Outcome.ALL_SENT, again
    assert_sync_invariant(ralph, learner, fault_proxy)
    assert Counter(i for ids in posted_ids(fault_proxy) for i in ids)[rows[0].statement_id] == 1


# -- conflicts an older version marked for differences that are none -----------------------------------


def test_old_false_conflicts_are_checked_again_once_and_become_sent(
    make_learner: LearnerFactory,
    ralph: RalphServer,
    fault_proxy: FaultProxy,
) -> None:
    learner = make_learner(fault_proxy.url, ralph)
    learner.play()
    assert learner.sync_service().sync_now().outcome is Outcome.ALL_SENT
    # The store as the old code left it: schema 0001, some identical statements marked
    # `conflict` because the LRS wrote a duration back as PT5.5S.
    victims = [r.statement_id for r in learner.outbox()[:4]]
    for statement_id in victims:
        learner.execute(
            "UPDATE outbox SET status = 'conflict', last_error = 'it differs in: result' WHERE statement_id = ?",
            statement_id,
        )
    downgrade_store(learner, "0001")
    learner.services.close()
    reopened = make_learner(fault_proxy.url, ralph, name=learner.name, data_dir=learner.data_dir)
    fault_proxy.reset_counters()

    report = reopened.sync_service().sync_now()

    assert report.outcome is Outcome.ALL_SENT and report.conflicts == 0, report
    assert_sync_invariant(ralph, reopened, fault_proxy)
    assert posted_ids(fault_proxy) == []  # read back, not sent again
