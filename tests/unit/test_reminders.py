"""The daily reminder: the once-a-day rule (pure) and the service on a real store, fake clock.

The sample track with a programme beside it: due 30 days after the learner is first assigned.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from microlearn.services.content_install import install_if_changed
from microlearn.services.programme import ProgrammeService
from microlearn.services.reminders import LAST_REMINDER_KEY, ReminderService, reminder_due
from microlearn.settings.paths import resolve_paths
from microlearn.store.meta import read_store_meta, write_store_meta
from microlearn.store.opening import Store, open_store
from tests.support.content_samples import content

__all__ = ["content"]

ZONE = ZoneInfo("Pacific/Auckland")  # far from UTC: the learner's day is not UTC's
PROGRAMME = """\
assignments:
  - groups: [designated-staff]
    tracks: [sample-track]
    due:
      days_after_assigned: 30
"""
DAY = date(2026, 12, 10)


def test_the_rule_reminds_once_a_day_and_only_when_something_is_due() -> None:
    assert reminder_due(DAY, None, due_now=1, enabled=True)
    assert not reminder_due(DAY, DAY, due_now=1, enabled=True)  # already today
    assert reminder_due(DAY + timedelta(days=1), DAY, due_now=1, enabled=True)  # a new day
    assert not reminder_due(DAY, None, due_now=0, enabled=True)  # nothing due within the week
    assert not reminder_due(DAY, None, due_now=3, enabled=False)  # reminders turned off
    # A clock set back a day: a day not yet reminded on, once.
    assert reminder_due(DAY - timedelta(days=1), DAY, due_now=1, enabled=True)


@dataclass
class FakeClock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def store(content: Path) -> Iterator[Store]:
    (content / "programme.yaml").write_text(PROGRAMME, encoding="utf-8")
    opened = open_store(resolve_paths())
    assert install_if_changed(opened, content).installed
    yield opened
    opened.close()


def reminders(store: Store, clock: FakeClock, enabled: bool = True, *groups: str) -> ReminderService:
    programme = ProgrammeService(store, "learner-1", groups or ("designated-staff",), ZONE, clock)
    programme.record_new_assignments()
    return ReminderService(store, programme, enabled, ZONE, clock)


def test_one_reminder_a_day_when_due_within_the_week_remembered_in_the_store(store: Store) -> None:
    clock = FakeClock(datetime(2026, 12, 1, 9, tzinfo=UTC))
    service = reminders(store, clock)
    assert service.check() is None  # due 31 Dec (local): not yet within the week
    clock.now += timedelta(days=24)
    first = service.check()
    assert first is not None and first.due_soon == 2 and first.overdue == 0
    assert service.check() is None  # the same day: no second one
    # A restart the same day reads the mark from the store.
    assert reminders(store, clock).check() is None
    assert read_store_meta(store, LAST_REMINDER_KEY)[LAST_REMINDER_KEY] == first.today.isoformat()
    clock.now += timedelta(days=10)
    late = service.check()
    assert late is not None and late.overdue == 2 and late.next_due == date(2026, 12, 31)


def test_no_reminder_when_turned_off_or_outside_the_group(store: Store) -> None:
    clock = FakeClock(datetime(2026, 12, 1, 9, tzinfo=UTC))
    off, outside = reminders(store, clock, False), reminders(store, clock, True, "visitors")
    clock.now = datetime(2027, 2, 1, 9, tzinfo=UTC)  # overdue for the group
    assert reminders(store, clock, True).check() is not None  # so there was something to remind of
    write_store_meta(store, {LAST_REMINDER_KEY: "2000-01-01"})
    assert off.check() is None
    assert outside.check() is None
    assert read_store_meta(store, LAST_REMINDER_KEY)[LAST_REMINDER_KEY] == "2000-01-01"


def test_an_unreadable_mark_reminds_and_is_replaced(store: Store) -> None:
    clock = FakeClock(datetime(2026, 12, 1, 9, tzinfo=UTC))
    service = reminders(store, clock)
    clock.now = datetime(2027, 2, 1, 9, tzinfo=UTC)  # long overdue
    write_store_meta(store, {LAST_REMINDER_KEY: "not a day"})
    assert service.check() is not None
    assert date.fromisoformat(read_store_meta(store, LAST_REMINDER_KEY)[LAST_REMINDER_KEY])
