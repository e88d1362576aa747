"""The programme: which audience groups must complete which modules, by when, and how often.

Pure Python. The authored ``programme.yaml`` is checked by ``content/programme.py`` and
turned into these objects; the store keeps them as JSON (``to_json`` / ``from_json``) so the
Today screen can read them without YAML or pydantic.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

PROGRAMME_FILE = "programme.yaml"


@dataclass(frozen=True)
class DueRule:
    """Exactly one of: a fixed calendar date, or a number of days after first being assigned."""

    on: date | None = None
    days_after_assigned: int | None = None

    def __post_init__(self) -> None:
        if (self.on is None) == (self.days_after_assigned is None):
            raise ValueError("a due rule needs exactly one of a date or a number of days")


@dataclass(frozen=True)
class Recurrence:
    """Due again ``every_months`` after the last completion, ``due_days_after_anniversary`` later."""

    every_months: int
    due_days_after_anniversary: int = 0


@dataclass(frozen=True)
class ModuleRule:
    """What one assignment asks of one module."""

    due: DueRule
    recurrence: Recurrence | None = None
    test_out: bool = False  # passing the knowledge check without the lessons counts


@dataclass(frozen=True)
class Assignment:
    groups: tuple[str, ...]
    tracks: tuple[str, ...]
    modules: tuple[str, ...]
    rule: ModuleRule


@dataclass(frozen=True)
class Programme:
    assignments: tuple[Assignment, ...]

    def rules_for(
        self, groups: Iterable[str], track_modules: Mapping[str, Iterable[str]]
    ) -> dict[str, tuple[ModuleRule, ...]]:
        """Every rule that applies to a learner in ``groups``, per module id.

        ``track_modules``: each installed track's module ids. A module named by several
        assignments (or by a track and on its own) gets every rule; the due-date math picks
        the earliest.
        """
        mine = set(groups)
        rules: dict[str, list[ModuleRule]] = {}
        for assignment in self.assignments:
            if not mine.intersection(assignment.groups):
                continue
            modules = [m for t in assignment.tracks for m in track_modules.get(t, ())]
            modules += assignment.modules
            for module_id in dict.fromkeys(modules):
                rules.setdefault(module_id, []).append(assignment.rule)
        return {m: tuple(r) for m, r in rules.items()}

    @property
    def groups(self) -> frozenset[str]:
        return frozenset(g for a in self.assignments for g in a.groups)

    def to_json(self) -> str:
        return json.dumps([_assignment_data(a) for a in self.assignments], sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Programme:
        return cls(tuple(_assignment_from(item) for item in json.loads(text)))


def _assignment_data(assignment: Assignment) -> dict[str, Any]:
    rule = assignment.rule
    return {
        "groups": list(assignment.groups),
        "tracks": list(assignment.tracks),
        "modules": list(assignment.modules),
        "due_on": rule.due.on.isoformat() if rule.due.on else None,
        "due_days_after_assigned": rule.due.days_after_assigned,
        "every_months": rule.recurrence.every_months if rule.recurrence else None,
        "due_days_after_anniversary": rule.recurrence.due_days_after_anniversary if rule.recurrence else None,
        "test_out": rule.test_out,
    }


def _assignment_from(item: dict[str, Any]) -> Assignment:
    due = DueRule(
        on=date.fromisoformat(item["due_on"]) if item["due_on"] else None,
        days_after_assigned=item["due_days_after_assigned"],
    )
    recurrence = (
        Recurrence(item["every_months"], item["due_days_after_anniversary"] or 0)
        if item["every_months"]
        else None
    )
    return Assignment(
        groups=tuple(item["groups"]),
        tracks=tuple(item["tracks"]),
        modules=tuple(item["modules"]),
        rule=ModuleRule(due=due, recurrence=recurrence, test_out=bool(item["test_out"])),
    )
