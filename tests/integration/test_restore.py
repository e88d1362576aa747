"""Restore: a learner on a new or wiped laptop gets their progress back from a real Ralph.

Progress is recorded and synced through the real services in one data directory; a fresh
data directory for the same learner then restores it (``SyncService.restore``, the
``restore_progress`` function with small pages, and ``microlearn restore`` as a subprocess)
and must show the same Library statuses without queueing anything to send. Each of those
runs straight to Ralph and through the strict-LRS emulation. What a broken or hostile
server may send instead comes from a scripted loopback server, by hand and by fuzzing.
"""

from __future__ import annotations

import json
import math
import random
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microlearn.domain.attempt import ModuleStatus
from microlearn.records.lrs_client import LrsClient, LrsSettings
from microlearn.records.restore import (
    META_RESTORE_DONE,
    RestoreOutcome,
    needs_auto_restore,
    restore_progress,
)
from microlearn.records.retry import RetryPolicy, RetryRun
from microlearn.records.statements import ADL_VERBS
from microlearn.records.sync_outcome import Outcome
from microlearn.services.startup import AppServices
from microlearn.store.meta import read_store_meta
from microlearn.ui.status_text import CREDENTIALS_TEXT, restore_summary
from tests.support.learners import (
    BASE,
    MODULES,
    Learner,
    LearnerFactory,
    agent_of,
    run_cli,
)
from tests.support.lrs import fault_proxy as faults
from tests.support.lrs.fault_proxy import FaultProxy
from tests.support.lrs.ralph_server import RalphServer
from tests.support.lrs.scripted_lrs import ScriptedLrs

pytestmark = pytest.mark.lrs

LibraryState = dict[str, tuple[ModuleStatus, int | None]]
Route = tuple[str, RalphServer]  # the endpoint the app uses, and the Ralph that stores


def _route(kind: str, server: RalphServer) -> Iterator[Route]:
    if kind == "ralph":
        yield server.endpoint, server
        return
    with FaultProxy(server.endpoint, strict=True) as strict:
        yield strict.url, server
        assert strict.errors == []


@pytest.fixture(params=["ralph", "strict"])
def fresh_lrs(request: pytest.FixtureRequest, fresh_ralph: RalphServer) -> Iterator[Route]:
    """An empty Ralph, straight or behind the strict-LRS emulation."""
    yield from _route(request.param, fresh_ralph)


@pytest.fixture(params=["ralph", "strict"])
def lrs(request: pytest.FixtureRequest, ralph: RalphServer) -> Iterator[Route]:
    """The session's Ralph, straight or behind the strict-LRS emulation."""
    yield from _route(request.param, ralph)


def client_for(route: Route) -> LrsClient:
    endpoint, server = route
    return LrsClient(LrsSettings(endpoint, server.username, server.password))


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


def synced_learner(factory: LearnerFactory, route: Route) -> tuple[Learner, LibraryState]:
    """A learner who passed one module and failed the other, all synced."""
    learner = factory(*route)
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
    fresh_lrs: Route,
) -> None:
    first, expected = synced_learner(make_learner, fresh_lrs)
    # Someone else's results on the same LRS are never restored here.
    other = make_learner(*fresh_lrs)
    other.play(MODULES[1], passing=True)
    assert other.sync_service().sync_now().outcome is Outcome.ALL_SENT
    wiped = make_learner(*fresh_lrs, name=first.name)
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
    assert read_store_meta(wiped.services.store, META_RESTORE_DONE) == {META_RESTORE_DONE: "1"}
    assert not service.needs_restore()

    again = service.restore()

    assert (again.outcome, again.restored, again.already_here) == (RestoreOutcome.RESTORED, 0, 4)
    assert restore_summary(again) == "Your progress is already up to date with the central record"
    assert len(results(wiped)) == 4 and outbox_count(wiped) == 0


def test_restore_follows_more_across_small_pages(
    make_learner: LearnerFactory,
    fresh_lrs: Route,
    tmp_path: Path,
) -> None:
    first, expected = synced_learner(make_learner, fresh_lrs)
    wiped = make_learner(*fresh_lrs, name=first.name, data_dir=tmp_path / "wiped")

    with client_for(fresh_lrs) as client:
        report = restore_progress(wiped.services.store, client, wiped.services.config, page_limit=3)

    assert report.outcome is RestoreOutcome.RESTORED and report.fetched == len(first.outbox()) > 3
    assert library_state(wiped.services) == expected
    assert outbox_count(wiped) == 0


def test_cli_restore_on_a_fresh_data_dir(
    make_learner: LearnerFactory,
    fresh_lrs: Route,
    tmp_path: Path,
) -> None:
    endpoint, fresh_ralph = fresh_lrs
    first, expected = synced_learner(make_learner, fresh_lrs)
    folder = tmp_path / "new-laptop"  # nothing there yet: the CLI creates the store

    run = run_cli(
        folder,
        "restore",
        "--json",
        endpoint=endpoint,
        username=fresh_ralph.username,
        password=fresh_ralph.password,
        learner=first.name,
    )
    again = run_cli(
        folder,
        "restore",
        endpoint=endpoint,
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
    laptop = make_learner(*fresh_lrs, name=first.name, data_dir=folder)
    assert library_state(laptop.services) == expected
    assert outbox_count(laptop) == 0


def test_restore_keeps_only_our_module_results_and_skips_voided_ones(
    make_learner: LearnerFactory,
    lrs: Route,
    tmp_path: Path,
) -> None:
    first = make_learner(*lrs)
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
    with client_for(lrs) as client:
        assert client.post_statements(foreign).status == 200
    wiped = make_learner(*lrs, name=first.name, data_dir=tmp_path / "wiped")

    report = wiped.sync_service().restore()

    assert report.outcome is RestoreOutcome.RESTORED
    assert (report.fetched, report.found) == (len(first.outbox()) + len(foreign), 2)
    assert without_source(results(wiped)) == without_source(results(first))
    assert MODULES[1] not in library_state(wiped.services)  # still not started


def test_restore_with_wrong_credentials_changes_nothing(
    make_learner: LearnerFactory,
    lrs: Route,
) -> None:
    learner = make_learner(*lrs, password="not-the-password")
    service = learner.sync_service()
    assert service.needs_restore()

    report = service.restore()
    run = learner.cli("restore")

    assert (
        report.outcome is RestoreOutcome.CREDENTIALS_REFUSED and restore_summary(report) == CREDENTIALS_TEXT
    )
    assert (run.returncode, run.stdout) == (4, CREDENTIALS_TEXT + "\n")
    assert results(learner) == [] and read_store_meta(learner.services.store, META_RESTORE_DONE) == {}
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
    assert restored_once.sync_service().needs_restore()
    report = restored_once.sync_service().restore()
    assert report.outcome is RestoreOutcome.RESTORED and report.fetched == 0
    assert restore_summary(report) == "The central record has no results of yours to restore"
    assert not needs_auto_restore(restored_once.services.store, restored_once.services.config)
    assert not restored_once.sync_service().needs_restore()


# -- voiding, retries ---------------------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_restore_waits_as_long_as_retry_after_says(
    make_learner: LearnerFactory,
    ralph: RalphServer,
    fault_proxy: FaultProxy,
    tmp_path: Path,
) -> None:
    first, expected = synced_learner(make_learner, (ralph.endpoint, ralph))
    wiped = make_learner(fault_proxy.url, ralph, name=first.name, data_dir=tmp_path / "wiped")
    fault_proxy.queue(faults.status(503, retry_after=7), faults.status(429, retry_after=3), methods=["GET"])
    clock = FakeClock()
    run = RetryRun(RetryPolicy(), clock=clock, sleep=clock.sleep, rng=random.Random(3))

    with client_for((fault_proxy.url, ralph)) as client:
        report = restore_progress(wiped.services.store, client, wiped.services.config, retry=run)

    assert report.outcome is RestoreOutcome.RESTORED
    assert library_state(wiped.services) == expected
    assert len(clock.sleeps) == 2 and clock.sleeps[0] >= 7 and clock.sleeps[1] >= 3


def test_restore_gives_up_when_asked_to_wait_too_long(
    make_learner: LearnerFactory, ralph: RalphServer, fault_proxy: FaultProxy
) -> None:
    learner = make_learner(fault_proxy.url, ralph)
    fault_proxy.queue(faults.status(503, retry_after=3600), methods=["GET"])
    clock = FakeClock()
    run = RetryRun(RetryPolicy(max_retry_after_s=60), clock=clock, sleep=clock.sleep)

    with client_for((fault_proxy.url, ralph)) as client:
        report = restore_progress(learner.services.store, client, learner.services.config, retry=run)

    assert report.outcome is RestoreOutcome.SERVER_ERROR
    assert "3600" in report.detail and clock.sleeps == []
    assert read_store_meta(learner.services.store, META_RESTORE_DONE) == {}


# -- what a broken server may send --------------------------------------------------------------


@pytest.fixture(scope="module")
def scripted() -> Iterator[ScriptedLrs]:
    # Under a path prefix, so a `more` link only works followed as given (from the server root).
    with ScriptedLrs(prefix="/lrs/xAPI/") as server:
        yield server


@pytest.fixture
def on_scripted(make_learner: LearnerFactory, ralph: RalphServer, scripted: ScriptedLrs) -> Learner:
    """A learner whose central record is the scripted server (Ralph only lends credentials)."""
    return make_learner(scripted.endpoint, ralph)


def own_result(learner: str, verb: str = "passed", module: str = MODULES[0], **extra: Any) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "actor": agent_of(learner),
        "verb": {"id": ADL_VERBS + verb},
        "object": {"objectType": "Activity", "id": f"{BASE}/modules/{module}"},
        "result": {"success": verb != "failed", "score": {"raw": 3, "min": 0, "max": 4, "scaled": 0.75}},
        "context": {"registration": str(uuid.uuid4())},
        "timestamp": "2026-11-20T09:00:00.000Z",
        **extra,
    }


def restore_from(learner: Learner, scripted: ScriptedLrs, pages: list[Any]) -> Any:
    scripted.pages = pages
    with LrsClient(LrsSettings(scripted.endpoint, "someone", "pw")) as client:
        return restore_progress(learner.services.store, client, learner.services.config)


def restored_ids(learner: Learner) -> set[str]:
    return {r["statement_id"] for r in results(learner)}


def test_statements_it_cannot_read_are_skipped_and_counted(
    on_scripted: Learner, scripted: ScriptedLrs
) -> None:
    name = on_scripted.name
    good = [own_result(name), own_result(name, "completed", MODULES[1])]
    bad_verb = own_result(name)
    bad_verb["verb"] = {"id": 5}
    unreadable: list[Any] = [
        own_result(name, result={"score": {"raw": 1e30, "max": 4}}),
        own_result(name, result={"score": {"raw": math.inf, "max": 4}}),
        own_result(name, result={"score": {"scaled": 2.5}}),
        own_result(name, result={"score": {"raw": "3", "max": 4}}),  # a number as text: not taken
        own_result(name, result={"success": "yes"}),
        own_result(name, id="not-a-uuid"),
        own_result(name, timestamp="yesterday"),
        bad_verb,
        "a statement",
        None,
    ]
    pages = [{"statements": [*good[:1], *unreadable[:6]], "more": scripted.page_link(1)}]
    pages.append({"statements": [*unreadable[6:], good[1]]})

    report = restore_from(on_scripted, scripted, pages)

    assert report.outcome is RestoreOutcome.RESTORED
    assert (report.fetched, report.found, report.restored, report.invalid) == (12, 2, 2, 10)
    assert restored_ids(on_scripted) == {s["id"] for s in good}
    assert "10 records could not be read and were skipped" in restore_summary(report)
    assert scripted.asked[1] == "/lrs/xAPI/statements?page=1"  # `more` followed as given


def voiding(actor: dict[str, Any], target: str) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "actor": actor,
        "verb": {"id": ADL_VERBS + "voided"},
        "object": {"objectType": "StatementRef", "id": target},
        "timestamp": "2026-11-20T09:05:00.000Z",
    }


def test_only_the_learners_own_voiding_removes_a_result(on_scripted: Learner, scripted: ScriptedLrs) -> None:
    # An LRS that ignores the agent filter (it answers with all the account may read) also
    # returns other people's statements: someone else voiding our result must change nothing.
    me = agent_of(on_scripted.name)
    kept, withdrawn = own_result(on_scripted.name), own_result(on_scripted.name, "completed")
    pages = [
        {
            "statements": [
                kept,
                withdrawn,
                voiding(agent_of("someone-else"), kept["id"]),
                voiding(me, withdrawn["id"]),
            ]
        }
    ]

    report = restore_from(on_scripted, scripted, pages)

    assert report.outcome is RestoreOutcome.RESTORED and report.found == 1
    assert restored_ids(on_scripted) == {kept["id"]}


@pytest.mark.parametrize(
    "broken",
    [
        {"statements": "abc"},
        {"statements": {"id": "x"}},
        {"more": "/lrs/xAPI/statements?page=9"},
        ["a", "list"],
        "text",
        b"<html><body>Sign in to the guest network</body></html>",
    ],
    ids=["statements-a-string", "statements-an-object", "no-statements", "a-list", "a-string", "html"],
)
def test_a_page_that_is_not_a_statement_result_restores_nothing(
    broken: Any, on_scripted: Learner, scripted: ScriptedLrs
) -> None:
    first = {"statements": [own_result(on_scripted.name)], "more": scripted.page_link(1)}

    report = restore_from(on_scripted, scripted, [first, broken])

    assert report.outcome is RestoreOutcome.SERVER_ERROR
    assert restored_ids(on_scripted) == set()  # a later page might have voided the first one's
    assert read_store_meta(on_scripted.services.store, META_RESTORE_DONE) == {}  # tried again next time
    assert "lrs.endpoint" in report.detail or "StatementResult" in report.detail


@pytest.mark.parametrize("more", [123, ["/lrs/xAPI/statements?page=1"], {"href": "x"}])
def test_a_more_link_that_is_not_a_url_restores_nothing(
    more: Any, on_scripted: Learner, scripted: ScriptedLrs
) -> None:
    pages = [{"statements": [own_result(on_scripted.name)], "more": more}, {"statements": []}]

    report = restore_from(on_scripted, scripted, pages)

    assert report.outcome is RestoreOutcome.SERVER_ERROR and "`more`" in report.detail
    assert restored_ids(on_scripted) == set()


# -- fuzzing the shapes an LRS may answer with ----------------------------------------------------

JUNK = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)
# Each breaks a part restore reads, so the statement can only be skipped.
BREAKS: list[tuple[str, Any]] = [
    ("id", "not-a-uuid"),
    ("id", 7),
    ("actor", "someone"),
    ("actor", {"objectType": "Robot"}),
    ("verb", None),
    ("verb", {"id": 5}),
    ("object", {"id": 7}),
    ("object", "module"),
    ("result", {"score": {"raw": 1e30}}),
    ("result", {"score": {"raw": math.inf}}),
    ("result", {"score": {"min": -math.inf}}),
    ("result", {"score": {"scaled": math.nan}}),
    ("result", {"score": {"scaled": 1.5}}),
    ("result", {"score": {"raw": "3"}}),
    ("result", {"success": "yes"}),
    ("result", "passed"),
    ("context", {"registration": 5}),
    ("context", {"extensions": []}),
    ("timestamp", "yesterday"),
    ("timestamp", 1700000000),
]


@st.composite
def lrs_answers(draw: st.DrawFn, learner: str, link: Any) -> tuple[list[Any], set[str], int, bool]:
    """(pages, ids restore must find, statements it must count invalid, whether every page is sound)."""
    page_count = draw(st.integers(1, 3))
    pages: list[Any] = []
    valid: set[str] = set()
    voided_by_me: set[str] = set()
    invalid = 0
    sound = True
    for index in range(page_count):
        items: list[Any] = []
        for _ in range(draw(st.integers(1, 5))):
            choice = draw(
                st.sampled_from(["result", "broken", "junk", "void-mine", "void-other", "other-learner"])
            )
            statement: Any = own_result(
                learner,
                draw(st.sampled_from(["completed", "passed", "failed"])),
                draw(st.sampled_from(MODULES)),
            )
            if choice == "result":
                valid.add(statement["id"])
            elif choice == "broken":
                key, value = draw(st.sampled_from(BREAKS))
                statement[key] = value
                invalid += 1
            elif choice == "junk":
                statement = draw(JUNK.filter(lambda v: not isinstance(v, dict)))
                invalid += 1
            elif choice in ("void-mine", "void-other") and valid:
                target = draw(st.sampled_from(sorted(valid)))
                actor = agent_of(learner if choice == "void-mine" else "someone-else")
                statement = {**own_result(learner), "actor": actor, "verb": {"id": ADL_VERBS + "voided"}}
                statement["object"] = {"objectType": "StatementRef", "id": target}
                if choice == "void-mine":
                    voided_by_me.add(target)
            else:
                statement["actor"] = agent_of("someone-else")
            items.append(statement)
        page: Any = {"statements": items}
        if index + 1 < page_count:
            page["more"] = link(index + 1)
        if draw(st.integers(0, 9)) == 0:  # now and then, a page that is not a StatementResult at all
            page = draw(
                st.sampled_from(
                    [{"statements": "abc"}, {"statements": items, "more": 123}, "oops", [items], None]
                )
            )
            sound = False
        pages.append(page)
        if not sound:
            break
    return pages, valid - voided_by_me, invalid, sound


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fuzzed_answers_never_crash_restore_nor_count_what_is_invalid(
    data: st.DataObject, on_scripted: Learner, scripted: ScriptedLrs
) -> None:
    pages, must_find, invalid, sound = data.draw(lrs_answers(on_scripted.name, scripted.page_link))
    generated = {
        s["id"]
        for p in pages
        if isinstance(p, dict)
        for s in p.get("statements") or []
        if isinstance(s, dict) and isinstance(s.get("id"), str)
    }
    before = restored_ids(on_scripted)

    report = restore_from(on_scripted, scripted, pages)

    added = restored_ids(on_scripted) - before
    if sound:
        assert report.outcome is RestoreOutcome.RESTORED, report.detail
        assert report.found == len(must_find) and report.invalid == invalid
        assert added == must_find
    else:
        assert report.outcome is RestoreOutcome.SERVER_ERROR
        assert added == set()
    assert not (added & (generated - must_find))
