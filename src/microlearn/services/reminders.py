"""The daily reminder: whether to show one now, and remembering that it was shown.

The rule is a pure function (time is a parameter); the service reads the learner's programme
and the store's meta table, where the last reminder's day is kept, so a restart the same day
does not remind again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo

from microlearn.services.programme import ProgrammeService
from microlearn.store.meta import read_store_meta, write_store_meta
from microlearn.store.opening import Store

LAST_REMINDER_KEY = "reminders.last_shown"  # the learner's local day, ISO 8601


def reminder_due(today: date, last_shown: date | None, due_now: int, enabled: bool) -> bool:
    """At most one reminder a (local) day, only when something is overdue or due within the week.

    Any day other than the last one shown counts as a new day, so a clock set back a day
    reminds once on that day and does not stay silent until the old date comes round again.
    """
    return enabled and due_now > 0 and last_shown != today


@dataclass(frozen=True)
class Reminder:
    today: date
    overdue: int
    due_soon: int
    next_due: date | None


def _parse_day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None  # an unreadable mark: remind, and write a good one


def _utc_now() -> datetime:
    return datetime.now(UTC)


class ReminderService:
    def __init__(
        self,
        store: Store,
        programme: ProgrammeService,
        enabled: bool,
        zone: tzinfo,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self._store = store
        self._programme = programme
        self._enabled = enabled
        self._zone = zone
        self._clock = clock

    def check(self) -> Reminder | None:
        """The reminder to show now, already recorded as shown; None when there is none.

        Reads and writes the store: call it off the GUI thread.
        """
        if not self._enabled or self._store.read_only:
            return None
        today = self._clock().astimezone(self._zone).date()
        last = _parse_day(read_store_meta(self._store, LAST_REMINDER_KEY).get(LAST_REMINDER_KEY))
        view = self._programme.view()
        totals = view.totals
        if not reminder_due(today, last, totals.overdue + totals.due_soon, self._enabled):
            return None
        write_store_meta(self._store, {LAST_REMINDER_KEY: today.isoformat()})
        return Reminder(today, totals.overdue, totals.due_soon, totals.next_due)
