"""When a module is due for one learner, and where it stands. Pure: time is a parameter.

Due dates are calendar days in the learner's time zone. The inputs are the programme's rules
for the module (one per assignment that names it), the instant the learner was first assigned
it, the learner's completions, today's date and the zone; nothing here reads a clock.

- No recurrence: the first counted completion makes it done for good.
- Recurrence: done until the anniversary of the last counted completion (``every_months``
  later; 29 Feb → 28 Feb, the 31st → the last day of a shorter month), then due
  ``due_days_after_anniversary`` days after it. A learner first assigned after a lapsed
  anniversary gets at least the normal window for a new assignment.
- Test-out: a pass without every lesson card counts only where the rule allows it.
- Several rules for one module: each is worked out on its own; any rule not met keeps the
  module open, and the earliest due date among the open ones wins.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum

from microlearn.domain.programme import ModuleRule

DUE_SOON_DAYS = 7


class DueStatus(StrEnum):
    OVERDUE = "overdue"
    DUE_SOON = "due soon"
    LATER = "later"
    DONE = "done"
    OPTIONAL = "optional"


@dataclass(frozen=True)
class Completion:
    """A pass of the module's knowledge check, at an instant (timezone-aware)."""

    at: datetime
    lessons_done: bool = True  # False: passed without every card seen (a test-out)


@dataclass(frozen=True)
class DueState:
    status: DueStatus
    due: date | None = None  # the day it must be done by (open modules only)
    days_left: int | None = None  # due - today: 0 is due today, negative is overdue
    done_on: date | None = None  # the last completion that counts
    valid_until: date | None = None  # with recurrence: the anniversary it is due again from

    @property
    def required(self) -> bool:
        return self.status is not DueStatus.OPTIONAL

    @property
    def open(self) -> bool:
        return self.status in (DueStatus.OVERDUE, DueStatus.DUE_SOON, DueStatus.LATER)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later; the last day of the month where that day does not exist."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def status_for(due: date, today: date) -> DueStatus:
    days = (due - today).days
    if days < 0:
        return DueStatus.OVERDUE
    return DueStatus.DUE_SOON if days <= DUE_SOON_DAYS else DueStatus.LATER


def local_date(moment: datetime, zone: tzinfo) -> date:
    if moment.tzinfo is None:
        raise ValueError("instants must be timezone-aware")
    return moment.astimezone(zone).date()


def due_state(
    rules: Sequence[ModuleRule],
    first_assigned: datetime | None,
    completions: Iterable[Completion],
    today: date,
    zone: tzinfo,
) -> DueState:
    """Where one module stands for one learner today.

    ``first_assigned`` None means the learner is being assigned it now (today).
    """
    if not rules:
        return DueState(DueStatus.OPTIONAL)
    assigned = local_date(first_assigned, zone) if first_assigned is not None else today
    history = [(local_date(c.at, zone), c.lessons_done) for c in completions]
    states = [_one_rule(rule, assigned, history, today) for rule in rules]
    still_open = [s for s in states if s.due is not None]
    if still_open:
        return min(still_open, key=lambda s: s.due or date.max)
    done_on = max((s.done_on for s in states if s.done_on), default=None)
    lapses = [s.valid_until for s in states if s.valid_until is not None]
    return DueState(DueStatus.DONE, done_on=done_on, valid_until=min(lapses, default=None))


def _one_rule(rule: ModuleRule, assigned: date, history: list[tuple[date, bool]], today: date) -> DueState:
    counted = [day for day, lessons_done in history if lessons_done or rule.test_out]
    if rule.due.on is not None:
        first_due = rule.due.on
    else:
        first_due = assigned + timedelta(days=rule.due.days_after_assigned or 0)
    if not counted:
        return _open(first_due, today, None)
    last = max(counted)
    if rule.recurrence is None:
        return DueState(DueStatus.DONE, done_on=last)
    anniversary = add_months(last, rule.recurrence.every_months)
    if today < anniversary:
        return DueState(DueStatus.DONE, done_on=last, valid_until=anniversary)
    due = anniversary + timedelta(days=rule.recurrence.due_days_after_anniversary)
    if assigned > anniversary:
        due = max(due, first_due)
    return _open(due, today, last)


def _open(due: date, today: date, done_on: date | None) -> DueState:
    return DueState(status_for(due, today), due=due, days_left=(due - today).days, done_on=done_on)
