""" "I have N minutes": a plan that fits the learner's free minutes, and never promises more.

Pure: the caller gathers the facts (the open module's steps left, the due reviews, the due
modules with their dates) and gets back what to do, in order:

1. the open module, from its current card: whole if it fits, else as many of its next
   steps (cards, then questions) as fit — an attempt resumes where it stopped;
2. due reviews, as many questions as fit;
3. the next due modules, overdue first, then soonest due, then the ones without a date;
   whole modules only (a new module is not started for a minute or two).

Minutes are the content checker's estimates (content/stats.py), so the plan and the
module's "about N minutes" agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

# Below this nothing useful fits: a plan of zero items, not a promise of a fraction of a card.
EPSILON = 1e-9


class PlanKind(StrEnum):
    CONTINUE = "continue"  # the open module, from its current card
    REVIEW = "review"  # a quick review of due questions
    MODULE = "module"  # a module due (or simply next), from its start


@dataclass(frozen=True)
class OpenModule:
    module_id: str
    title: str
    steps_left: tuple[float, ...]  # minutes of each card and question still ahead, in order

    @property
    def minutes_left(self) -> float:
        return sum(self.steps_left)


@dataclass(frozen=True)
class DueReviews:
    count: int
    minutes_each: float


@dataclass(frozen=True)
class DueModule:
    module_id: str
    title: str
    minutes: float
    due: date | None  # None: not assigned a date (optional, or no programme)
    days_left: int | None = None  # negative: overdue


@dataclass(frozen=True)
class PlanItem:
    kind: PlanKind
    module_id: str | None  # None for a review
    title: str
    minutes: float
    steps: int  # cards and questions (continue), questions (review), 0 for a whole module
    finishes: bool  # the module (or every due review) is done at its end


@dataclass(frozen=True)
class Plan:
    free_minutes: float
    items: tuple[PlanItem, ...]

    @property
    def minutes(self) -> float:
        return sum(item.minutes for item in self.items)


def _due_order(module: DueModule) -> tuple[int, int, date]:
    if module.due is None:
        return (1, 0, date.max)
    days = module.days_left if module.days_left is not None else 0
    return (0, days, module.due)


def plan(
    free_minutes: float,
    open_module: OpenModule | None,
    reviews: DueReviews | None,
    due_modules: Sequence[DueModule],
) -> Plan:
    left = max(0.0, free_minutes)
    items: list[PlanItem] = []

    if open_module is not None and open_module.steps_left:
        taken = 0
        minutes = 0.0
        for step in open_module.steps_left:
            if minutes + step > left + EPSILON:
                break
            minutes += step
            taken += 1
        if taken:
            finishes = taken == len(open_module.steps_left)
            items.append(
                PlanItem(
                    PlanKind.CONTINUE, open_module.module_id, open_module.title, minutes, taken, finishes
                )
            )
            left -= minutes

    if reviews is not None and reviews.count > 0 and reviews.minutes_each > 0:
        fitting = min(reviews.count, int((left + EPSILON) // reviews.minutes_each))
        if fitting:
            minutes = fitting * reviews.minutes_each
            items.append(
                PlanItem(PlanKind.REVIEW, None, "Quick review", minutes, fitting, fitting == reviews.count)
            )
            left -= minutes

    skip = open_module.module_id if open_module is not None else None
    for module in sorted((m for m in due_modules if m.module_id != skip), key=_due_order):
        if module.minutes <= left + EPSILON:
            items.append(PlanItem(PlanKind.MODULE, module.module_id, module.title, module.minutes, 0, True))
            left -= module.minutes

    return Plan(free_minutes=free_minutes, items=tuple(items))
