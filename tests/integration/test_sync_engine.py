"""The sync engine against a real Ralph LRS: the happy path, and each rule of DESIGN.md's
"Sync engine" on its own (credentials, rejection, conflict, Retry-After, back-off, the lock).

Learning events are recorded through the real services (``LearningService`` on a real store
with the bundled content); ``microlearn sync`` runs as a real subprocess where its exit code
and its one line matter. The helpers here are shared with ``test_sync_faults.py`` and
``test_restore.py``.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microlearn.records.statement_comparison import same_statement, statement_differences
from microlearn.records.statements import format_duration
from microlearn.records.sync_lock import SyncLock
from microlearn.records.sync_outcome import Outcome
from microlearn.store.outbox import OutboxStatus
from microlearn.ui.status_text import CREDENTIALS_TEXT, sync_summary
from tests.support.learners import (
    BASE,
    MODULES,
    FakeClock,
    LearnerFactory,
    assert_ralph_holds_exactly,
    cli_env,
    closed_port,
    posted_ids,
    ralph_client,
    status_words,
    stored_statements,
    without_lrs_fields,
)
from tests.support.lrs import fault_proxy as faults
from tests.support.lrs.fault_proxy import FaultProxy
from tests.support.lrs.ralph_server import RalphServer
from tests.support.lrs.strict_rules import float_duration
from tests.support.xapi_rules import assert_valid_statement, statement_problems

pytestmark = pytest.mark.lrs


def test_comparison_ignores_lrs_fields_and_compares_timestamps_as_instants() -> None:
    sent = {"id": "x", "timestamp": "2026-11-22T10:00:00.120Z", "result": {"success": True}}
    stored = {
        **sent,
        "timestamp": "2026-11-22T11:00:00.12+01:00",
        "stored": "2026-11-22T10:00:01.000Z",
        "authority": {"mbox": "mailto:lrs@example.org"},
        "version": "1.0.3",
    }
    assert same_statement(stored, sent)
    assert statement_differences({**stored, "timestamp": "2026-11-22T10:00:00.121Z"}, sent) == ["timestamp"]
    assert statement_differences({**stored, "result": {"success": False}}, sent) == ["result"]
    assert statement_differences({k: v for k, v in stored.items() if k != "result"}, sent) == ["result"]


def _ours() -> dict[str, object]:
    return {
        "id": "5f1c2b1e-0a6b-4c59-9a53-1d2f8e3b7c10",
        "actor": {"objectType": "Agent", "account": {"homePage": "https://learn.example.org", "name": "ana"}},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/passed", "display": {"en-US": "passed"}},
        "object": {
            "objectType": "Activity",
            "id": f"{BASE}/modules/m1",
            "definition": {"name": {"en-US": "Module one"}},
        },
        "result": {"score": {"scaled": 0.8, "raw": 8, "min": 0, "max": 10}, "duration": "PT1M16.58S"},
        "context": {
            "registration": "9a1d7c4e-3b2f-4e8a-b1c6-0d5e7f9a2b34",
            "contextActivities": {"parent": [{"id": f"{BASE}/modules/m1"}]},
        },
        "timestamp": "2026-11-22T10:00:00.120Z",
    }


@pytest.mark.parametrize(
    ("name", "theirs"),
    [
        ("a duration rounded down through a float", {"result": {"duration": "PT1M16.57S"}}),
        ("a duration in seconds only", {"result": {"duration": "PT76.58S"}}),
        ("a trailing zero dropped", {"result": {"duration": "PT1M16.580S"}}),
        ("a timestamp with +00:00 and microseconds", {"timestamp": "2026-11-22T10:00:00.120000+00:00"}),
        ("the verb's display", {"verb": {"id": "http://adlnet.gov/expapi/verbs/passed"}}),
        ("the activity's definition", {"object": {"objectType": "Activity", "id": f"{BASE}/modules/m1"}}),
        ("the id in capitals", {"id": "5F1C2B1E-0A6B-4C59-9A53-1D2F8E3B7C10"}),
        (
            "one context activity, not a list",
            {
                "context": {
                    "registration": "9a1d7c4e-3b2f-4e8a-b1c6-0d5e7f9a2b34",
                    "contextActivities": {"parent": {"id": f"{BASE}/modules/m1"}},
                }
            },
        ),
        (
            "the registration in capitals",
            {
                "context": {
                    "registration": "9A1D7C4E-3B2F-4E8A-B1C6-0D5E7F9A2B34",
                    "contextActivities": {"parent": [{"id": f"{BASE}/modules/m1"}]},
                }
            },
        ),
    ],
)
def test_comparison_ignores_what_statement_immutability_allows(name: str, theirs: dict[str, object]) -> None:
    # xAPI 1.0.3 Data 2.3.1: what a strict LRS may change when it writes a statement back.
    ours = _ours()
    stored: dict[str, object] = {**ours, "version": "1.0.3", "stored": "2026-11-22T10:00:01Z"}
    for key, value in theirs.items():
        if key == "result":
            stored["result"] = {**ours["result"], **value}  # type: ignore[dict-item]
        else:
            stored[key] = value
    assert same_statement(stored, ours), name


def test_comparison_still_sees_real_differences() -> None:
    ours = _ours()
    assert statement_differences({**ours, "result": {**ours["result"], "duration": "PT1M16.50S"}}, ours) == [  # type: ignore[dict-item]
        "result"
    ]
    assert statement_differences({**ours, "result": {**ours["result"], "score": {"scaled": 0.7}}}, ours) == [  # type: ignore[dict-item]
        "result"
    ]
    other_actor = {"objectType": "Agent", "account": {"homePage": "https://learn.example.org", "name": "bob"}}
    assert statement_differences({**ours, "actor": other_actor}, ours) == ["actor"]
    assert statement_differences({**ours, "verb": {"id": "http://adlnet.gov/expapi/verbs/failed"}}, ours) == [
        "verb"
    ]


@settings(max_examples=300, deadline=None)
@given(centiseconds=st.integers(min_value=0, max_value=10 * 3600 * 100))
def test_every_duration_we_emit_survives_a_strict_lrs_writing_it_back(centiseconds: int) -> None:
    # What we write (format_duration) and what a float-keeping LRS returns must compare equal,
    # and two durations a whole 0.02 s apart must not.
    ours = {**_ours(), "result": {"duration": format_duration(centiseconds / 100)}}
    theirs = {**ours, "result": {"duration": float_duration(ours["result"]["duration"])}}
    assert same_statement(theirs, ours)
    further = {**ours, "result": {"duration": format_duration((centiseconds + 2) / 100)}}
    assert not same_statement(further, ours)


def test_group_members_compare_as_a_set() -> None:
    member = [{"mbox": "mailto:a@example.org"}, {"mbox": "mailto:b@example.org"}]
    ours = {**_ours(), "actor": {"objectType": "Group", "member": member}}
    theirs = {
        **ours,
        "actor": {"objectType": "Group", "member": [member[1], {"mbox": "MAILTO:a@example.org"}]},
    }
    assert same_statement(theirs, ours)
    fewer = {**ours, "actor": {"objectType": "Group", "member": member[:1]}}
    assert statement_differences(fewer, ours) == ["actor"]


# -- happy path ------------------------------------------------------------------------------------


def test_happy_path_sync_then_get_every_statement_back(
    make_learner: LearnerFactory,
    ralph: RalphServer,
    fault_proxy: FaultProxy,
) -> None:
    # A passthrough proxy in front of Ralph records exactly what went over the wire.
    learner = make_learner(fault_proxy.url, ralph)
    learner.play(MODULES[0], passing=True)
    learner.play(MODULES[1], passing=False)
    rows = learner.outbox()
    assert {r.verb for r in rows} == {
        "initialized",
        "completed",
        "answered",
        "passed",
        "failed",
        "terminated",
    }
    service = learner.sync_service(batch_size=10)

    report = service.sync_now()

    assert report.outcome is Outcome.ALL_SENT
    assert (report.sent, report.remaining, report.conflicts, report.rejected) == (len(rows), 0, 0, 0)
    assert sync_summary(report) == f"Synced {len(rows)} results"
    after = learner.outbox()
    assert all(r.status == "sent" and r.sent_at and r.tries == 1 and r.last_error is None for r in after)
    # Oldest first, in batches of 10, each body the frozen JSON strings byte for byte.
    bodies = [e.body for e in fault_proxy.exchanges if e.method == "POST"]
    expected = [rows[i : i + 10] for i in range(0, len(rows), 10)]
    assert bodies == [("[" + ",".join(r.json for r in batch) + "]").encode() for batch in expected]
    # GET each back by id: same id, same JSON once what the LRS adds is removed. Ralph does
    # NOT return it byte-identical: it re-serialises (its own key order, `stored` and
    # `authority` appended) and wraps it in {"statements": [...]}; byte identity is what we
    # send (asserted above on the wire), JSON equality is what we can read back.
    with ralph_client(ralph) as client:
        for row in rows:
            stored = client.get_statement(row.statement_id)
            assert stored is not None and stored["id"] == row.statement_id
            assert {"stored", "authority"} <= set(stored)
            assert without_lrs_fields(stored) == json.loads(row.json)
    assert_ralph_holds_exactly(ralph, learner)
    # Every statement kind the app emits follows the xAPI rules, not merely Ralph's leniency.
    for row in rows:
        assert_valid_statement(json.loads(row.json), activity_base=BASE)
    # Where things stand, in plain words, and in the meta table.
    assert status_words(service) == "Synced just now"
    later = datetime.now(UTC) + timedelta(minutes=2, seconds=5)
    assert status_words(service, later) == "Synced 2 minutes ago"
    last = service.last_sync()
    assert last.outcome is Outcome.ALL_SENT and last.report == report and last.ok_at is not None

    fault_proxy.reset_counters()
    again = service.sync_now()

    assert again.outcome is Outcome.ALL_SENT and again.sent == 0
    assert sync_summary(again) == "All results are synced"
    assert fault_proxy.requests == 0  # nothing pending: nothing sent again


def test_cli_sync_one_line_and_json(
    make_learner: LearnerFactory,
    ralph: RalphServer,
) -> None:
    learner = make_learner(ralph.endpoint, ralph)
    learner.play()
    count = len(learner.outbox())

    first = learner.cli("sync")
    second = learner.cli("sync", "--json")

    assert (first.returncode, first.stdout) == (0, f"Synced {count} results\n"), first.stderr
    assert second.returncode == 0, second.stderr
    data = json.loads(second.stdout)
    assert data["outcome"] == "all_sent" and data["sent"] == 0 and data["remaining"] == 0
    assert data["summary"] == "All results are synced"
    assert_ralph_holds_exactly(ralph, learner)


def test_not_configured_keeps_results_on_this_computer(
    make_learner: LearnerFactory,
    ralph: RalphServer,
) -> None:
    learner = make_learner("", ralph)
    learner.play()
    count = len(learner.outbox())
    service = learner.sync_service()

    report = service.sync_now()
    run = learner.cli("sync")

    text = f"Not connected to a central record — {count} results kept on this computer"
    assert report.outcome is Outcome.NOT_CONFIGURED and sync_summary(report) == text
    assert status_words(service) == text
    assert (run.returncode, run.stdout) == (7, text + "\n")
    assert all(r.status == "pending" and r.tries == 0 for r in learner.outbox())


# -- 401/403 ----------------------------------------------------------------------------------------


def test_wrong_credentials_stop_with_the_plain_message_and_exit_4(
    make_learner: LearnerFactory,
    ralph: RalphServer,
) -> None:
    learner = make_learner(ralph.endpoint, ralph, password="not-the-password")
    learner.play()

    run = learner.cli("sync")
    as_json = learner.cli("sync", "--json")
    report = learner.sync_service().sync_now()

    assert run.returncode == 4, run.stderr
    assert run.stdout == CREDENTIALS_TEXT + "\n"
    assert CREDENTIALS_TEXT == "The central record refused the credentials — contact IT"
    assert as_json.returncode == 4 and json.loads(as_json.stdout)["outcome"] == "credentials_refused"
    assert "not-the-password" not in run.stdout + run.stderr + as_json.stdout + as_json.stderr
    assert report.outcome is Outcome.CREDENTIALS_REFUSED and sync_summary(report) == CREDENTIALS_TEXT
    # Nothing marked: not sent, not even counted as a try.
    assert all(r.status == "pending" and r.tries == 0 and r.sent_at is None for r in learner.outbox())
    assert status_words(learner.sync_service()) == CREDENTIALS_TEXT
    assert stored_statements(ralph, learner.name) == []


# -- 400/422: isolate the bad statement --------------------------------------------------------------


def test_a_corrupted_statement_is_rejected_alone_and_the_others_arrive(
    make_learner: LearnerFactory,
    ralph: RalphServer,
    fault_proxy: FaultProxy,
) -> None:
    learner = make_learner(fault_proxy.url, ralph)
    learner.play(MODULES[0])
    learner.play(MODULES[1])
    rows = learner.outbox()
    bad = rows[13]
    # The brief's corruption, a verb id that is not an IRI, is valid JSON and breaks the xAPI
    # rules - but Ralph 5.1.0 ACCEPTS it (it does not check IRIs), so it cannot show rejection.
    not_an_iri = {**json.loads(bad.json), "verb": {"id": "not an iri"}}
    assert any("verb.id" in p for p in statement_problems(not_an_iri, activity_base=BASE))
    # A verb without its id is refused by Ralph (422, pydantic "Field required").
    corrupted = {**json.loads(bad.json), "verb": {"display": {"en-US": "answered"}}}
    learner.execute(
        "UPDATE outbox SET statement_json = ? WHERE id = ?",
        json.dumps(corrupted, separators=(",", ":")),
        bad.id,
    )
    service = learner.sync_service(batch_size=8)

    report = service.sync_now()

    assert report.outcome is Outcome.SOME_REFUSED
    assert (report.sent, report.rejected, report.remaining) == (len(rows) - 1, 1, 0)
    assert sync_summary(report) == (
        f"Synced {len(rows) - 1} results. 1 result was refused by the central record — see details"
    )
    after = {r.statement_id: r for r in learner.outbox()}
    rejected = after[bad.statement_id]
    assert rejected.status == "rejected"
    assert rejected.last_error is not None and rejected.last_error.startswith("HTTP 422")
    assert "verb.id: Field required" in rejected.last_error
    assert all(r.status == "sent" for sid, r in after.items() if sid != bad.statement_id)
    held = {s["id"] for s in stored_statements(ralph, learner.name)}
    assert held == set(after) - {bad.statement_id}
    # Only the batch holding it was sent again in parts: the others went out once.
    times_posted = Counter(i for ids in posted_ids(fault_proxy) for i in ids)
    its_batch = {r.statement_id for r in rows[8:16]}
    assert all(times_posted[r.statement_id] == 1 for r in rows if r.statement_id not in its_batch)
    # Shown in plain words, with the reason in the details view.
    text = "1 result was refused by the central record — see details"
    assert status_words(service) == text
    (detail,) = service.outbox_details(statuses=[OutboxStatus.REJECTED])
    assert detail.statement_id == bad.statement_id and detail.status is OutboxStatus.REJECTED
    assert detail.last_error == rejected.last_error and detail.verb == bad.verb and detail.title

    # Never retried; `microlearn sync` says so with exit code 5.
    fault_proxy.reset_counters()
    run = learner.cli("sync")
    assert (run.returncode, run.stdout) == (5, text + "\n"), run.stderr
    assert fault_proxy.requests == 0
    # Exit 5 says "see the log": the log names each refused statement and why.
    log = (learner.services.paths.log_dir / "microlearn.log").read_text(encoding="utf-8")
    (line,) = [line for line in log.splitlines() if bad.statement_id in line]
    assert "rejected" in line and "verb.id: Field required" in line
    assert learner.password not in log


# -- 409: conflict ---------------------------------------------------------------------------------


def test_a_conflict_is_kept_shown_and_does_not_block_the_queue(
    make_learner: LearnerFactory,
    ralph: RalphServer,
    fault_proxy: FaultProxy,
) -> None:
    learner = make_learner(fault_proxy.url, ralph)
    learner.play(MODULES[0])
    rows = learner.outbox()
    victim = rows[2]
    # Someone else's statement already sits in the LRS under one of our ids.
    impostor = {**json.loads(victim.json), "result": {"success": False, "response": "nothing"}}
    with ralph_client(ralph) as client:
        assert client.put_statement(victim.statement_id, json.dumps(impostor)).status == 204
    service = learner.sync_service(batch_size=5)

    report = service.sync_now()

    assert report.outcome is Outcome.SOME_REFUSED
    assert (report.sent, report.conflicts, report.remaining) == (len(rows) - 1, 1, 0)
    after = {r.statement_id: r for r in learner.outbox()}
    conflict = after[victim.statement_id]
    assert conflict.status == "conflict"
    assert conflict.last_error is not None and "differs in: result" in conflict.last_error
    assert all(r.status == "sent" for sid, r in after.items() if sid != victim.statement_id)
    # Ralph refused the whole batch (409); each statement was then resolved on its own.
    assert next(e.client_status for e in fault_proxy.exchanges if e.method == "POST") == 409
    (detail,) = service.outbox_details(statuses=[OutboxStatus.CONFLICT])
    assert detail.statement_id == victim.statement_id and detail.last_error == conflict.last_error
    assert status_words(service) == "1 result was refused by the central record — see details"
    with ralph_client(ralph) as client:
        kept = client.get_statement(victim.statement_id)
    assert kept is not None and without_lrs_fields(kept) == impostor  # ours never overwrote it

    # Later results still go out; the conflict is never sent again.
    learner.play(MODULES[1])
    fault_proxy.reset_counters()
    later = service.sync_now()

    assert later.outcome is Outcome.SOME_REFUSED and later.sent == len(learner.outbox()) - len(rows)
    assert not any(victim.statement_id in ids for ids in posted_ids(fault_proxy))
    assert learner.outbox()[2].status == "conflict" and learner.outbox()[2].tries == conflict.tries


# -- 429/503 Retry-After, other failures back off ---------------------------------------------------------


def test_retry_after_is_honoured(
    make_learner: LearnerFactory,
    ralph: RalphServer,
    fault_proxy: FaultProxy,
) -> None:
    learner = make_learner(fault_proxy.url, ralph)
    learner.play()
    fault_proxy.queue(
        faults.status(503, retry_after=2), faults.status(429, retry_after=1), faults.status(500)
    )
    clock = FakeClock()

    report = learner.sync_service(clock=clock).sync_now()

    assert report.outcome is Outcome.ALL_SENT
    # As long as the server asked, and a little more at random (a herd must not return at once).
    assert 2.0 <= clock.sleeps[0] <= 2.5 and 1.0 <= clock.sleeps[1] <= 1.5, clock.sleeps
    assert all(r.status == "sent" and r.last_error is None for r in learner.outbox())
    assert_ralph_holds_exactly(ralph, learner)


def test_back_off_is_jittered_and_capped(
    make_learner: LearnerFactory,
    ralph: RalphServer,
    fault_proxy: FaultProxy,
) -> None:
    # Thousands of laptops must not retry in step: two runs with other random draws wait
    # differently after the same failures, each wait under its exponential ceiling.
    learner = make_learner(fault_proxy.url, ralph)
    learner.play()
    fault_proxy.set_default(faults.status(500))
    waits = []
    for seed in (1, 2):
        clock = FakeClock()
        report = learner.sync_service(clock=clock, seed=seed).sync_now()
        assert report.outcome is Outcome.SERVER_ERROR
        assert clock.sleeps and all(0 <= s <= min(30.0, 0.5 * 2**n) for n, s in enumerate(clock.sleeps))
        waits.append(clock.sleeps)
    assert waits[0] != waits[1], "the back-off is not jittered"
    assert stored_statements(ralph, learner.name) == []


def test_a_lost_answer_is_read_back_after_the_request_deadline_not_sent_again_blindly(
    make_learner: LearnerFactory,
    ralph: RalphServer,
    fault_proxy: FaultProxy,
) -> None:
    learner = make_learner(fault_proxy.url, ralph)
    learner.play()
    rows = learner.outbox()
    fault_proxy.queue(faults.reset_after())  # stored by the LRS, the answer lost on the way back
    clock = FakeClock()
    start = clock.now()

    report = learner.sync_service(clock=clock, in_flight_s=25.0).sync_now()

    assert report.outcome is Outcome.ALL_SENT and report.sent == len(rows), report
    assert_ralph_holds_exactly(ralph, learner)
    # Read back, found, marked sent: never POSTed twice, and not before the earlier request
    # could no longer be in flight (on the engine's clock).
    assert [ids for ids in posted_ids(fault_proxy)] == [[r.statement_id for r in rows]]
    assert (clock.now() - start).total_seconds() >= 25.0
    assert all(r.status == "sent" for r in learner.outbox())


def test_an_answer_lost_before_storing_is_sent_once_more_after_the_read_back(
    make_learner: LearnerFactory,
    ralph: RalphServer,
    fault_proxy: FaultProxy,
) -> None:
    learner = make_learner(fault_proxy.url, ralph)
    learner.play()
    fault_proxy.queue(faults.reset_before())  # the request never reached the LRS
    clock = FakeClock()

    report = learner.sync_service(clock=clock, in_flight_s=25.0).sync_now()

    assert report.outcome is Outcome.ALL_SENT, report
    assert_ralph_holds_exactly(ralph, learner)
    assert sum(clock.sleeps) >= 25.0  # the re-send waited for the first to be over


def test_too_long_retry_after_ends_the_run_and_the_rest_waits(
    make_learner: LearnerFactory,
    ralph: RalphServer,
    fault_proxy: FaultProxy,
) -> None:
    learner = make_learner(fault_proxy.url, ralph)
    learner.play()
    count = len(learner.outbox())
    fault_proxy.queue(faults.status(429, retry_after=3600))
    sleeps: list[float] = []
    service = learner.sync_service(sleeps=sleeps)

    report = service.sync_now()

    assert report.outcome is Outcome.SERVER_BUSY and sleeps == []
    assert sync_summary(report) == f"The central record is busy — {count} results waiting"
    assert status_words(service) == sync_summary(report)
    rows = learner.outbox()
    assert all(r.status == "pending" and r.tries == 1 and "HTTP 429" in (r.last_error or "") for r in rows)


def test_server_errors_back_off_capped_then_stop_with_the_rest_pending(
    make_learner: LearnerFactory,
    ralph: RalphServer,
    fault_proxy: FaultProxy,
) -> None:
    learner = make_learner(fault_proxy.url, ralph)
    learner.play()
    count = len(learner.outbox())
    fault_proxy.set_default(faults.status(500))
    clock = FakeClock()
    service = learner.sync_service(clock=clock)

    report = service.sync_now()

    assert report.outcome is Outcome.SERVER_ERROR and report.remaining == count
    assert clock.sleeps and all(s <= 30.0 for s in clock.sleeps)  # it backed off, capped, and gave up
    assert sync_summary(report) == f"The central record is not working right now — {count} results waiting"
    assert all(r.status == "pending" and r.tries > 0 for r in learner.outbox())
    assert stored_statements(ralph, learner.name) == []


def test_a_host_that_refuses_the_connection_is_not_called_offline_and_exits_3(
    make_learner: LearnerFactory,
    ralph: RalphServer,
) -> None:
    secret = f"pw-{uuid.uuid4().hex}"
    learner = make_learner(f"http://127.0.0.1:{closed_port()}/xAPI/", ralph, password=secret)
    learner.play()
    count = len(learner.outbox())
    service = learner.sync_service(clock=FakeClock())

    report = service.sync_now()

    assert report.outcome is Outcome.SERVER_DOWN
    assert sync_summary(report) == f"The central record is not answering — {count} results waiting"
    assert status_words(service) == sync_summary(report)
    rows = learner.outbox()
    assert all(r.status == "pending" for r in rows)
    assert all(r.last_error and "refused" in r.last_error for r in rows[:100])
    assert all(secret not in (r.last_error or "") for r in rows)

    run = learner.cli("sync")  # real back-off here: a few seconds
    assert (run.returncode, run.stdout) == (
        3,
        f"The central record is not answering — {count} results waiting\n",
    )
    assert secret not in run.stdout + run.stderr


def test_offline_is_said_when_the_network_cannot_find_the_host(
    make_learner: LearnerFactory,
    ralph: RalphServer,
) -> None:
    # .invalid never resolves (RFC 6761): what a laptop without a network sees for any host.
    learner = make_learner("https://lrs.invalid/xAPI/", ralph)
    learner.play()
    count = len(learner.outbox())
    service = learner.sync_service(clock=FakeClock())

    report = service.sync_now()

    assert report.outcome is Outcome.OFFLINE, report
    assert sync_summary(report) == f"Offline — {count} results waiting"
    assert status_words(service) == sync_summary(report)
    assert all(r.status == "pending" for r in learner.outbox())


# -- one sync at a time --------------------------------------------------------------------------------


def test_one_sync_at_a_time_and_a_killed_holder_leaves_no_stuck_lock(
    make_learner: LearnerFactory,
    ralph: RalphServer,
) -> None:
    learner = make_learner(ralph.endpoint, ralph)
    learner.play()
    lock_file = learner.services.paths.sync_lock
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from microlearn.records.sync_lock import SyncLock; "
            "lock = SyncLock(Path(sys.argv[1])); print('held' if lock.acquire() else 'busy', flush=True); "
            "time.sleep(300)",
            str(lock_file),
        ],
        stdout=subprocess.PIPE,
        text=True,
        env=cli_env(),
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with SyncLock(lock_file) as mine:
            assert mine.acquire() is False
        service = learner.sync_service()
        report = service.sync_now()
        run = learner.cli("sync")
        assert report.outcome is Outcome.LOCKED
        assert (run.returncode, run.stdout) == (
            6,
            "Another sync is already running — try again in a moment\n",
        )
        assert all(r.status == "pending" for r in learner.outbox())
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
        if holder.stdout is not None:
            holder.stdout.close()

    # The kernel dropped the dead holder's lock: the next sync runs at once.
    assert service.sync_now().outcome is Outcome.ALL_SENT
    # Within one process too, two locks exclude each other while held.
    first, second = SyncLock(lock_file), SyncLock(lock_file)
    assert first.acquire() and not second.acquire()
    first.release()
    assert second.acquire()
    second.release()


def test_status_words_load_without_the_orm_or_httpx() -> None:
    # The status bar asks for status_text() at start-up, before SQLAlchemy is imported.
    code = (
        "import sys, microlearn.services.sync, microlearn.cli.main; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'httpx', 'alembic'}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=cli_env(), capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"


def test_cancel_stops_after_the_batch_in_flight(
    make_learner: LearnerFactory,
    ralph: RalphServer,
) -> None:
    learner = make_learner(ralph.endpoint, ralph)
    learner.play()
    count = len(learner.outbox())
    service = learner.sync_service(batch_size=4)

    report = service.sync_now(progress=lambda progress: service.cancel())  # as the GUI closing would

    assert report.outcome is Outcome.CANCELLED and (report.sent, report.remaining) == (4, count - 4)
    assert sync_summary(report) == f"Sync stopped — {count - 4} results waiting"
    assert service.sync_now().outcome is Outcome.ALL_SENT  # the next sync starts afresh
    assert_ralph_holds_exactly(ralph, learner)
