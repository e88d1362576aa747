"""Restore: a learner on a new or wiped laptop gets their progress back from a real Ralph.

Progress is recorded and synced through the real services in one data directory; a fresh
data directory for the same learner then restores it (``SyncService.restore``, the
``restore_progress`` function with small pages, and ``microlearn restore`` as a subprocess)
and must show the same Library statuses without queueing anything to send.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from microlearn.domain.attempt import ModuleStatus
from microlearn.records.restore import (
    META_RESTORE_DONE,
    RestoreOutcome,
    needs_auto_restore,
    restore_progress,
)
from microlearn.records.statements import ADL_VERBS
from microlearn.records.sync_outcome import Outcome
from microlearn.services.startup import AppServices
from microlearn.store.meta import read_meta
from microlearn.ui.status_text import CREDENTIALS_TEXT, restore_summary
from tests.support.learners import (
    BASE,
    MODULES,
    Learner,
    LearnerFactory,
    agent_of,
    ralph_client,
    run_cli,
)
from tests.support.lrs.ralph_server import RalphServer

pytestmark = pytest.mark.lrs

LibraryState = dict[str, tuple[ModuleStatus, int | None]]


def library_state(services: AppServices) -> LibraryState:
    """Every module the learner has touched (untouched ones are all "not started")."""
    return {
        m.id: (m.status, m.best_percent)
        for t in services.catalog.library()
        for m in t.modules
        if m.status is not ModuleStatus.NOT_STARTED
    }


def results(learner: Learner) -> list[dict[str, Any]]:
    with learner.services.store.read() as db:
        rows = db.execute(
            "SELECT module_id, module_version, registration, kind, score_raw, score_max, source, statement_id "
            "FROM results ORDER BY statement_id"
        ).fetchall()
    return [dict(row) for row in rows]


def outbox_count(learner: Learner) -> int:
    with learner.services.store.read() as db:
        return int(db.execute("SELECT count(*) FROM outbox").fetchone()[0])


def synced_learner(factory: LearnerFactory, server: RalphServer) -> tuple[Learner, LibraryState]:
    """A learner who passed one module and failed the other, all synced."""
    learner = factory(server.endpoint, server)
    learner.play(MODULES[0], passing=True)
    learner.play(MODULES[1], passing=False)
    assert learner.sync_service().sync_now().outcome is Outcome.ALL_SENT
    state = library_state(learner.services)
    assert state == {MODULES[0]: (ModuleStatus.DONE, 100), MODULES[1]: (ModuleStatus.NOT_PASSED, 0)}
    return learner, state


def without_source(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in row.items() if k != "source"} for row in rows]


def test_restore_on_a_fresh_data_dir_rebuilds_progress_without_queueing(
    make_learner: LearnerFactory,
    fresh_ralph: RalphServer,
) -> None:
    first, expected = synced_learner(make_learner, fresh_ralph)
    # Someone else's results on the same LRS are never restored here.
    other = make_learner(fresh_ralph.endpoint, fresh_ralph)
    other.play(MODULES[1], passing=True)
    assert other.sync_service().sync_now().outcome is Outcome.ALL_SENT
    wiped = make_learner(fresh_ralph.endpoint, fresh_ralph, name=first.name)
    assert library_state(wiped.services) == {}  # nothing touched before the restore
    service = wiped.sync_service()
    assert service.needs_restore()

    report = service.restore()

    assert report.outcome is RestoreOutcome.RESTORED
    # completed + passed, completed + failed; the learner's other statements are not results.
    assert (report.fetched, report.found, report.restored) == (len(first.outbox()), 4, 4)
    assert restore_summary(report) == "Restored 4 results from the central record"
    assert library_state(wiped.services) == expected
    assert outbox_count(wiped) == 0  # nothing re-queued
    restored = results(wiped)
    assert {r["source"] for r in restored} == {"restored"}
    assert without_source(restored) == without_source(results(first))
    assert read_meta(wiped.services.store, META_RESTORE_DONE) == {META_RESTORE_DONE: "1"}
    assert not service.needs_restore()
    assert service.restore_if_needed() is None

    again = service.restore()

    assert (again.outcome, again.restored, again.already_here) == (RestoreOutcome.RESTORED, 0, 4)
    assert restore_summary(again) == "Your progress is already up to date with the central record"
    assert len(results(wiped)) == 4 and outbox_count(wiped) == 0


def test_restore_follows_more_across_small_pages(
    make_learner: LearnerFactory,
    fresh_ralph: RalphServer,
    tmp_path: Path,
) -> None:
    first, expected = synced_learner(make_learner, fresh_ralph)
    wiped = make_learner(fresh_ralph.endpoint, fresh_ralph, name=first.name, data_dir=tmp_path / "wiped")

    with ralph_client(fresh_ralph) as client:
        report = restore_progress(wiped.services.store, client, wiped.services.config, page_limit=3)

    assert report.outcome is RestoreOutcome.RESTORED and report.fetched == len(first.outbox()) > 3
    assert library_state(wiped.services) == expected
    assert outbox_count(wiped) == 0


def test_cli_restore_on_a_fresh_data_dir(
    make_learner: LearnerFactory,
    fresh_ralph: RalphServer,
    tmp_path: Path,
) -> None:
    first, expected = synced_learner(make_learner, fresh_ralph)
    folder = tmp_path / "new-laptop"  # nothing there yet: the CLI creates the store

    run = run_cli(
        folder,
        "restore",
        "--json",
        endpoint=fresh_ralph.endpoint,
        username=fresh_ralph.username,
        password=fresh_ralph.password,
        learner=first.name,
    )
    again = run_cli(
        folder,
        "restore",
        endpoint=fresh_ralph.endpoint,
        username=fresh_ralph.username,
        password=fresh_ralph.password,
        learner=first.name,
    )

    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert (data["outcome"], data["restored"], data["summary"]) == (
        "restored",
        4,
        "Restored 4 results from the central record",
    )
    assert (again.returncode, again.stdout) == (
        0,
        "Your progress is already up to date with the central record\n",
    )
    laptop = make_learner(fresh_ralph.endpoint, fresh_ralph, name=first.name, data_dir=folder)
    assert library_state(laptop.services) == expected
    assert outbox_count(laptop) == 0


def test_restore_keeps_only_our_module_results_and_skips_voided_ones(
    make_learner: LearnerFactory,
    ralph: RalphServer,
    tmp_path: Path,
) -> None:
    first = make_learner(ralph.endpoint, ralph)
    first.play(MODULES[0], passing=True)
    assert first.sync_service().sync_now().outcome is Outcome.ALL_SENT
    actor = agent_of(first.name)

    def statement(verb: str, object_id: str, **extra: Any) -> str:
        body = {
            "id": str(uuid.uuid4()),
            "actor": actor,
            "verb": {"id": ADL_VERBS + verb},
            "object": {"objectType": "Activity", "id": object_id},
            "timestamp": "2026-11-20T09:00:00.000Z",
            **extra,
        }
        return json.dumps(body)

    voided_completion = statement("completed", f"{BASE}/modules/{MODULES[1]}")
    foreign = [
        statement("passed", f"https://elsewhere.example.org/modules/{MODULES[1]}"),  # not under our base
        statement("passed", f"{BASE}/modules/{MODULES[1]}/questions/q1"),  # not a module
        statement("experienced", f"{BASE}/modules/{MODULES[1]}"),  # not a result verb
        voided_completion,
        json.dumps(
            {
                "id": str(uuid.uuid4()),
                "actor": actor,
                "verb": {"id": ADL_VERBS + "voided"},
                "object": {"objectType": "StatementRef", "id": json.loads(voided_completion)["id"]},
                "timestamp": "2026-11-20T09:05:00.000Z",
            }
        ),
    ]
    with ralph_client(ralph) as client:
        assert client.post_statements(foreign).status == 200
    wiped = make_learner(ralph.endpoint, ralph, name=first.name, data_dir=tmp_path / "wiped")

    report = wiped.sync_service().restore()

    assert report.outcome is RestoreOutcome.RESTORED
    assert (report.fetched, report.found) == (len(first.outbox()) + len(foreign), 2)
    assert without_source(results(wiped)) == without_source(results(first))
    assert MODULES[1] not in library_state(wiped.services)  # still not started


def test_restore_with_wrong_credentials_changes_nothing(
    make_learner: LearnerFactory,
    ralph: RalphServer,
) -> None:
    learner = make_learner(ralph.endpoint, ralph, password="not-the-password")
    service = learner.sync_service()
    assert service.needs_restore()

    report = service.restore()
    run = learner.cli("restore")

    assert (
        report.outcome is RestoreOutcome.CREDENTIALS_REFUSED and restore_summary(report) == CREDENTIALS_TEXT
    )
    assert (run.returncode, run.stdout) == (4, CREDENTIALS_TEXT + "\n")
    assert results(learner) == [] and read_meta(learner.services.store, META_RESTORE_DONE) == {}
    assert service.needs_restore()  # it will be tried again


def test_auto_restore_only_for_an_empty_store_with_an_lrs_never_restored(
    make_learner: LearnerFactory,
    ralph: RalphServer,
) -> None:
    unconfigured = make_learner("", ralph)
    assert not needs_auto_restore(unconfigured.services.store, unconfigured.services.config)
    assert unconfigured.sync_service().restore().outcome is RestoreOutcome.NOT_CONFIGURED

    learner = make_learner(ralph.endpoint, ralph)
    store, config = learner.services.store, learner.services.config
    assert needs_auto_restore(store, config)
    learner.services.learning.open_attempt(MODULES[0])  # an attempt and its `initialized`
    assert not needs_auto_restore(store, config)

    restored_once = make_learner(ralph.endpoint, ralph)
    report = restored_once.sync_service().restore_if_needed()
    assert report is not None and report.outcome is RestoreOutcome.RESTORED and report.fetched == 0
    assert restore_summary(report) == "The central record has no results of yours to restore"
    assert not needs_auto_restore(restored_once.services.store, restored_once.services.config)
    assert restored_once.sync_service().restore_if_needed() is None
