"""Checking ``programme.yaml``: who must complete what, by when, how often.

The file sits beside the track folders. It is optional: without it nothing has a due date
and every track keeps its own ``mandatory`` flag. Every problem is reported with file:line,
like the rest of the checker, and the checked file becomes the domain's ``Programme``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import Field, field_validator

from microlearn.content.problems import ProblemList
from microlearn.content.rules import ID_PATTERN
from microlearn.content.schema import _Strict, validate
from microlearn.content.yaml_lines import UNREADABLE, LineDict, LineList, read_yaml
from microlearn.domain.programme import (
    PROGRAMME_FILE,
    Assignment,
    DueRule,
    ModuleRule,
    Programme,
    Recurrence,
)

# Ten years: anything longer is a typo (days instead of a date), not a deadline.
MAX_DAYS = 3650
MAX_MONTHS = 120
# A fixed date before this is a typo (2207 for 2027 the other way round is caught as "far").
EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2100, 12, 31)


class DueSpec(_Strict):
    date: Any = None  # a calendar date, checked below (YAML reads 2027-02-30 as text)
    days_after_assigned: int | None = Field(default=None, ge=0, le=MAX_DAYS)


class RecurrenceSpec(_Strict):
    every_months: int = Field(ge=1, le=MAX_MONTHS)
    due_days_after_anniversary: int = Field(default=0, ge=0, le=MAX_DAYS)


class AssignmentSpec(_Strict):
    groups: list[str] = Field(min_length=1)
    tracks: list[str] = Field(default_factory=list)
    modules: list[str] = Field(default_factory=list)
    due: DueSpec
    recurrence: RecurrenceSpec | None = None
    test_out: bool = False

    @field_validator("groups", "tracks", "modules", mode="before")
    @classmethod
    def _one_is_a_list(cls, value: Any) -> Any:
        # `groups: managers` is what an author means by a list of one.
        return [value] if isinstance(value, str) else value


class ProgrammeSpec(_Strict):
    assignments: list[Any] = Field(min_length=1)


def load_programme(
    root: Path, track_modules: Mapping[str, Sequence[str]] | None, problems: ProblemList, today: date
) -> Programme | None:
    """The programme beside the tracks in ``root``, or None (no file, or errors reported).

    ``track_modules`` None: some track has errors, so track and module ids are not checked yet.
    """
    path = root / PROGRAMME_FILE
    if not os.path.lexists(path):  # a folder or a broken link by that name is reported below
        return None
    raw = read_yaml(path, problems, root)
    if raw is UNREADABLE:
        return None
    spec, errors = validate(ProgrammeSpec, raw if raw is not None else {})
    for line, message in errors:
        problems.error(path, line, message)
    if spec is None:
        return None
    items: LineList = raw["assignments"]
    errors_before = len(problems.errors)
    assignments = []
    for index, item in enumerate(items):
        assignment = _check_assignment(path, item, items.line_of(index), track_modules, problems, today)
        if assignment is not None:
            assignments.append(assignment)
    if len(problems.errors) > errors_before:
        return None
    return Programme(tuple(assignments))


def _check_assignment(
    path: Path,
    item: Any,
    line: int,
    track_modules: Mapping[str, Sequence[str]] | None,
    problems: ProblemList,
    today: date,
) -> Assignment | None:
    spec, errors = validate(AssignmentSpec, item)
    for error_line, message in errors:
        problems.error(path, error_line, f"assignment on line {line}: {message}")
    if spec is None:
        return None
    assert isinstance(item, LineDict)
    before = len(problems.errors)
    _check_groups(path, item, spec.groups, problems)
    _check_targets(path, item, spec, track_modules, problems)
    due = _check_due(path, item, spec.due, problems, today)
    if due is None or len(problems.errors) > before:
        return None
    recurrence = (
        Recurrence(spec.recurrence.every_months, spec.recurrence.due_days_after_anniversary)
        if spec.recurrence
        else None
    )
    return Assignment(
        groups=tuple(spec.groups),
        tracks=tuple(spec.tracks),
        modules=tuple(spec.modules),
        rule=ModuleRule(due=due, recurrence=recurrence, test_out=spec.test_out),
    )


def _item_line(node: LineDict, key: str, index: int) -> int:
    value = node.get(key)
    return value.line_of(index) if isinstance(value, LineList) else node.line_of(key)


def _check_groups(path: Path, item: LineDict, groups: list[str], problems: ProblemList) -> None:
    for index, group in enumerate(groups):
        if not ID_PATTERN.match(group):
            problems.error(
                path,
                _item_line(item, "groups", index),
                f"group '{group}' may use only lower-case letters, digits and dashes "
                "(the same names IT gives in the policy's audience.groups)",
            )


def _check_targets(
    path: Path,
    item: LineDict,
    spec: AssignmentSpec,
    track_modules: Mapping[str, Sequence[str]] | None,
    problems: ProblemList,
) -> None:
    if not spec.tracks and not spec.modules:
        problems.error(
            path, item.line, "the assignment names no tracks and no modules; add 'tracks:' or 'modules:'"
        )
    if track_modules is None:
        return
    modules = {m for ids in track_modules.values() for m in ids}
    for index, track in enumerate(spec.tracks):
        if track not in track_modules:
            hint = " (that is a module: list it under 'modules')" if track in modules else ""
            known = ", ".join(sorted(track_modules)) or "none"
            problems.error(
                path,
                _item_line(item, "tracks", index),
                f"unknown track '{track}'{hint}; tracks here: {known}",
            )
    for index, module in enumerate(spec.modules):
        if module not in modules:
            hint = " (that is a track: list it under 'tracks')" if module in track_modules else ""
            problems.error(
                path,
                _item_line(item, "modules", index),
                f"unknown module '{module}'{hint}; use the id of a module listed in a track.yaml",
            )


def _check_due(
    path: Path, item: LineDict, spec: DueSpec, problems: ProblemList, today: date
) -> DueRule | None:
    node = item["due"]
    line = item.line_of("due")
    if (spec.date is None) == (spec.days_after_assigned is None):
        problems.error(
            path,
            line,
            "'due' needs exactly one of 'date: YYYY-MM-DD' or 'days_after_assigned: N'",
        )
        return None
    if spec.days_after_assigned is not None:
        return DueRule(days_after_assigned=spec.days_after_assigned)
    date_line = node.line_of("date") if isinstance(node, LineDict) else line
    due_on = _as_date(spec.date)
    if due_on is None:
        problems.error(
            path, date_line, f"'due.date' must be a real date written YYYY-MM-DD, not {str(spec.date)[:40]!r}"
        )
        return None
    if not EARLIEST_DATE <= due_on <= LATEST_DATE:
        problems.error(path, date_line, f"'due.date' {due_on.isoformat()} is not a plausible deadline")
        return None
    if due_on < today:
        problems.warning(
            path,
            date_line,
            f"'due.date' {due_on.isoformat()} has passed: everyone assigned is overdue at once",
        )
    return DueRule(on=due_on)


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return None  # a date and a time: the deadline is a whole day in the learner's zone
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None
