"""The programme service on a real store: what is assigned, due dates, order and totals.

The sample track (two modules, ``mandatory: true``) with a programme beside it; time comes from
a fake clock given to both the learning and the programme services.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from microlearn.domain.due_dates import DueStatus
from microlearn.services.content_install import install_if_changed
from microlearn.services.learning import LearningService
from microlearn.services.programme import ProgrammeService
from microlearn.services.startup import start_services
from microlearn.settings.config import load_config
from microlearn.settings.paths import resolve_paths
from microlearn.store import engine_pragmas
from microlearn.store.opening import Store, open_store
from tests.support.learners import play_module

FIRST, SECOND = "first-module", "second-module"
LEARNER = "learner-42"
ZONE = ZoneInfo("Europe/Berlin")
PROGRAMME = """\
assignments:
  - groups: [designated-staff]
    tracks: [sample-track]
    due:
      days_after_assigned: 30
  - groups: [managers]
    modules: [second-module]
    due:
      date: 2027-01-10
"""


@dataclass
class FakeClock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))


def install(content: Path, text: str | None) -> Store:
    if text is not None:
        (content / "programme.yaml").write_text(text, encoding="utf-8")
    store = open_store(resolve_paths())
    report = install_if_changed(store, content)
    assert report.installed, [p.render() for p in report.problems]
    return store


@pytest.fixture
def store(content: Path) -> Iterator[Store]:
    opened = install(content, PROGRAMME)
    yield opened
    opened.close()


def service(store: Store, clock: FakeClock, *groups: str, learner: str = LEARNER) -> ProgrammeService:
    return ProgrammeService(store, learner, groups, ZONE, clock)


def learning(store: Store, clock: FakeClock) -> LearningService:
    config = load_config(resolve_paths(), {"identity.source": "fixed", "identity.name": LEARNER})
    return LearningService(store, config, clock)


def test_a_learner_in_the_group_has_dates_and_one_outside_has_none(store: Store, clock: FakeClock) -> None:
    staff = service(store, clock, "designated-staff")
    assert staff.record_new_assignments() == 2
    view = staff.view()
    assert view.has_programme and {m.module.id for m in view.modules if m.required} == {FIRST, SECOND}
    assert view.state_of(FIRST) is not None and view.state_of(FIRST).due == date(2026, 12, 31)  # type: ignore[union-attr]
    outsider = service(store, clock, "sales").view()
    assert all(m.state.status is DueStatus.OPTIONAL for m in outsider.modules)
    assert outsider.totals.modules_left == 0 and outsider.totals.next_due is None


def test_first_assigned_is_recorded_once_and_the_deadline_does_not_slide(
    store: Store, clock: FakeClock
) -> None:
    staff = service(store, clock, "designated-staff")
    staff.record_new_assignments()
    clock.now += timedelta(days=20)
    assert staff.record_new_assignments() == 0  # nothing new: the first instant stays
    state = staff.view().state_of(FIRST)
    assert state is not None and state.due == date(2026, 12, 31) and state.status is DueStatus.LATER
    clock.now += timedelta(days=5)
    assert staff.view().state_of(FIRST).status is DueStatus.DUE_SOON  # type: ignore[union-attr]
    # Someone else on the same computer has their own first-assigned dates.
    other = service(store, clock, "designated-staff", learner="someone-else")
    assert other.record_new_assignments() == 2
    assert other.view().state_of(FIRST).due == date(2027, 1, 25)  # type: ignore[union-attr]


def test_two_groups_the_earliest_date_wins_and_order_is_overdue_first(store: Store, clock: FakeClock) -> None:
    both = service(store, clock, "designated-staff", "managers")
    both.record_new_assignments()
    clock.now = datetime(2027, 1, 5, 12, tzinfo=UTC)
    view = both.view()
    assert [(m.module.id, m.state.status) for m in view.modules] == [
        (FIRST, DueStatus.OVERDUE),  # due 31 Dec
        (SECOND, DueStatus.OVERDUE),  # due 31 Dec (staff) beats 10 Jan (managers)
    ]
    assert view.state_of(SECOND).due == date(2026, 12, 31)  # type: ignore[union-attr]
    managers = service(store, clock, "managers").view()
    assert [m.module.id for m in managers.due_now] == [SECOND]
    assert managers.state_of(SECOND).status is DueStatus.DUE_SOON  # type: ignore[union-attr]
    assert managers.modules[0].module.id == SECOND  # due soon before the optional one


def test_done_modules_leave_the_totals(store: Store, clock: FakeClock) -> None:
    staff = service(store, clock, "designated-staff")
    staff.record_new_assignments()
    before = staff.view().totals
    play_module(learning(store, clock), FIRST)
    after = staff.view()
    assert after.state_of(FIRST).status is DueStatus.DONE  # type: ignore[union-attr]
    first_minutes = next(m.module.minutes for m in after.modules if m.module.id == FIRST)
    assert after.totals.modules_left == before.modules_left - 1 == 1
    assert after.totals.minutes_left == before.minutes_left - first_minutes
    assert after.totals.next_due == date(2026, 12, 31) and after.totals.required == 2
    assert after.modules[-1].module.id == FIRST  # done after what is still to do


def test_a_failed_attempt_does_not_count(store: Store, clock: FakeClock) -> None:
    staff = service(store, clock, "designated-staff")
    play_module(learning(store, clock), FIRST, passing=False)
    assert staff.view().state_of(FIRST).open  # type: ignore[union-attr]


def test_yearly_recurrence_reopens_a_done_module(content: Path, clock: FakeClock) -> None:
    yearly = PROGRAMME.replace(
        "      days_after_assigned: 30\n",
        "      days_after_assigned: 30\n    recurrence:\n      every_months: 12\n      due_days_after_anniversary: 30\n",
        1,
    )
    store = install(content, yearly)
    try:
        staff = service(store, clock, "designated-staff")
        staff.record_new_assignments()
        play_module(learning(store, clock), FIRST)
        done = staff.view().state_of(FIRST)
        assert done is not None and done.status is DueStatus.DONE and done.valid_until == date(2027, 12, 1)
        clock.now = datetime(2027, 12, 20, tzinfo=UTC)
        again = staff.view().state_of(FIRST)
        assert again is not None and again.status is DueStatus.LATER and again.due == date(2027, 12, 31)
    finally:
        store.close()


def test_without_a_programme_file_nothing_has_a_date(content: Path, clock: FakeClock) -> None:
    store = install(content, None)
    try:
        staff = service(store, clock, "designated-staff")
        assert staff.record_new_assignments() == 0
        view = staff.view()
        assert not view.has_programme
        assert all(m.required and m.state.due is None for m in view.modules)  # the track is mandatory
        assert view.totals.modules_left == 2 and view.totals.next_due is None
    finally:
        store.close()


def test_removing_the_programme_file_removes_the_dates(content: Path, clock: FakeClock) -> None:
    store = install(content, PROGRAMME)
    (content / "programme.yaml").unlink()
    assert install_if_changed(store, content).installed
    try:
        assert not service(store, clock, "designated-staff").view().has_programme
    finally:
        store.close()


def test_start_up_records_assignments_for_the_policys_groups(content: Path) -> None:
    (content / "programme.yaml").write_text(PROGRAMME, encoding="utf-8")
    services = start_services(
        content_dir=content,
        overrides={"identity.source": "fixed", "identity.name": LEARNER, "audience.groups": ["managers"]},
    )
    try:
        with sqlite3.connect(services.paths.database) as db:
            rows = db.execute("SELECT learner, module_id FROM assignments").fetchall()
        assert rows == [(LEARNER, SECOND)]
        view = services.programme.view()
        assert view.groups == ("managers",)
        assert view.state_of(SECOND).due == date(2027, 1, 10)  # type: ignore[union-attr]
    finally:
        services.close()


def add_pass_without_lessons(store: Store, module_id: str, at: datetime) -> None:
    """A pass whose attempt never completed the lessons: what a test-out records."""
    with sqlite3.connect(store.paths.database) as db:
        db.execute(
            "INSERT INTO results (module_id, module_version, registration, kind, score_raw, score_max, "
            "recorded_at, source, statement_id) VALUES (?, '1.0.0', 'reg-1', 'passed', 5, 5, ?, 'restored', 's-1')",
            (module_id, at.strftime("%Y-%m-%d %H:%M:%S.%f")),
        )


@pytest.mark.parametrize(("test_out", "status"), [(True, DueStatus.DONE), (False, DueStatus.LATER)])
def test_a_pass_without_the_lessons_counts_only_with_test_out(
    content: Path, clock: FakeClock, test_out: bool, status: DueStatus
) -> None:
    store = install(content, PROGRAMME + ("    test_out: true\n" if test_out else ""))
    try:
        add_pass_without_lessons(store, SECOND, clock.now)
        assert service(store, clock, "managers").view().state_of(SECOND).status is status  # type: ignore[union-attr]
    finally:
        store.close()


def test_a_busy_store_delays_recording_but_never_stops_the_start(
    store: Store, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another process holds the write lock for longer than the busy timeout (shortened here).
    short = tuple("PRAGMA busy_timeout=50" if "busy_timeout" in p else p for p in engine_pragmas.PRAGMAS)
    monkeypatch.setattr(engine_pragmas, "PRAGMAS", short)
    staff = service(store, clock, "designated-staff")
    blocker = sqlite3.connect(store.paths.database, isolation_level=None)
    try:
        blocker.execute("BEGIN IMMEDIATE")
        assert staff.record_new_assignments() == 0
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert staff.record_new_assignments() == 2  # recorded once the store is free
