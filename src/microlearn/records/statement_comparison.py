"""Is the LRS's copy of a statement the one we sent? xAPI 1.0.3 Data 2.3.1, Statement Comparison.

An LRS may change what it returns without changing the statement: differences that the
immutability exceptions allow are not differences. So both sides are brought to one form
before they are compared:

- ``authority``, ``stored`` and ``version`` are the LRS's own (it adds them);
- ``id`` is compared case-insensitively (a UUID), and a missing ``id`` on our side would be
  the LRS's to assign;
- ``timestamp`` is an instant, however it is written (``Z`` or ``+00:00``, digits after the
  milliseconds);
- a verb's ``display`` and an activity's ``definition`` may be updated by anyone;
- a Group's members are a set;
- UUIDs and an ``mbox``'s ``mailto:`` are case-insensitive;
- ``result.duration`` is a number of seconds: an LRS that stores it as a float and writes it
  back may turn ``PT5.50S`` into ``PT5.5S`` and ``PT1M16.58S`` into ``PT1M16.57S``. Durations
  are compared at 0.01 s, one centisecond of rounding allowed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from microlearn.records.statements import parse_instant

LRS_ADDED_FIELDS = frozenset(("stored", "authority", "version"))
_AGENT_TYPES = ("Agent", "Group")
_CONTEXT_ACTIVITY_KINDS = ("parent", "grouping", "category", "other")
# PnYnMnDTnHnMnS with decimals only where ISO 8601 (and xAPI) allow them in practice.
_DURATION = re.compile(
    r"^P(?:(?P<d>\d+(?:\.\d+)?)D)?(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<m>\d+(?:\.\d+)?)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)
_SECONDS = {"d": 86_400, "h": 3_600, "m": 60, "s": 1}
_MISSING = object()


def duration_centiseconds(value: Any) -> int | None:
    """An ISO 8601 duration in whole centiseconds; ``None`` if it is not one we can read as a number
    (years and months have no fixed length: those are compared as written)."""
    if not isinstance(value, str):
        return None
    match = _DURATION.match(value.strip().upper())
    if match is None or value.strip().upper() in ("P", "PT"):
        return None
    try:
        total = sum(
            (Decimal(part) * _SECONDS[unit] for unit, part in match.groupdict().items() if part), Decimal(0)
        )
    except InvalidOperation:
        return None
    return int((total * 100).to_integral_value())


def same_duration(ours: Any, theirs: Any) -> bool:
    if ours == theirs:
        return True
    first, second = duration_centiseconds(ours), duration_centiseconds(theirs)
    if first is None or second is None:
        return False
    # One centisecond either way: a value written with two decimals and read back through a
    # binary float can come back rounded down by one (16.58 -> 16.5799999 -> 16.57).
    return abs(first - second) <= 1


def _instant(value: Any) -> Any:
    moment = parse_instant(value)
    if moment is None:
        return value
    # An LRS may keep more digits than we send, or fewer than microseconds: milliseconds are
    # what we write, so they are what must agree.
    return _truncate_to_ms(moment)


def _truncate_to_ms(moment: datetime) -> datetime:
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def _agent(value: Any) -> Any:
    """An Agent or Group in one form: members as a sorted list, ``mailto:`` in lower case."""
    if not isinstance(value, Mapping):
        return value
    agent = dict(value)
    agent.setdefault("objectType", "Agent")
    mbox = agent.get("mbox")
    if isinstance(mbox, str) and mbox[:7].lower() == "mailto:":
        agent["mbox"] = "mailto:" + mbox[7:]
    if agent["objectType"] == "Group" and isinstance(agent.get("member"), list):
        members = [_agent(member) for member in agent["member"]]
        agent["member"] = sorted(members, key=repr)
    return agent


def _activity(value: Any) -> Any:
    if not isinstance(value, Mapping):
        return value
    activity = {key: item for key, item in value.items() if key != "definition"}
    activity.setdefault("objectType", "Activity")
    return activity


def _object(value: Any) -> Any:
    if not isinstance(value, Mapping):
        return value
    kind = value.get("objectType", "Activity")
    if kind == "Activity":
        return _activity(value)
    if kind in _AGENT_TYPES:
        return _agent(value)
    if kind == "StatementRef":
        return {**value, "id": _lower(value.get("id"))}
    if kind == "SubStatement":
        return {**_statement_body(value), "objectType": "SubStatement"}
    return dict(value)


def _context(value: Any) -> Any:
    if not isinstance(value, Mapping):
        return value
    context = dict(value)
    if "registration" in context:
        context["registration"] = _lower(context["registration"])
    for key in ("instructor", "team"):
        if key in context:
            context[key] = _agent(context[key])
    if isinstance(context.get("statement"), Mapping):
        context["statement"] = _object(context["statement"])
    activities = context.get("contextActivities")
    if isinstance(activities, Mapping):
        normal: dict[str, Any] = {}
        for kind, listed in activities.items():
            # 1.0.3 allows one activity where a list is meant; an LRS returns the list.
            items = listed if isinstance(listed, list) else [listed]
            normal[kind] = [_activity(item) for item in items]
        context["contextActivities"] = normal
    return context


def _verb(value: Any) -> Any:
    if not isinstance(value, Mapping):
        return value
    return {key: item for key, item in value.items() if key != "display"}


def _result(value: Any) -> Any:
    """The result without its duration (compared apart, as a number)."""
    if not isinstance(value, Mapping):
        return value
    return {key: item for key, item in value.items() if key != "duration"}


def _statement_body(statement: Mapping[str, Any]) -> dict[str, Any]:
    normal: dict[str, Any] = {}
    for key, value in statement.items():
        if key in LRS_ADDED_FIELDS:
            continue
        if key == "id":
            normal[key] = _lower(value)
        elif key == "timestamp":
            normal[key] = _instant(value)
        elif key == "actor":
            normal[key] = _agent(value)
        elif key == "verb":
            normal[key] = _verb(value)
        elif key == "object":
            normal[key] = _object(value)
        elif key == "context":
            normal[key] = _context(value)
        elif key == "result":
            normal[key] = _result(value)
        else:
            normal[key] = value
    return normal


def _duration_of(statement: Mapping[str, Any]) -> Any:
    result = statement.get("result")
    return result.get("duration", _MISSING) if isinstance(result, Mapping) else _MISSING


def statement_differences(stored: Mapping[str, Any], sent: Mapping[str, Any]) -> list[str]:
    """Top-level properties in which the LRS's copy really differs from ours (Data 2.3.1)."""
    theirs, ours = _statement_body(stored), _statement_body(sent)
    if "id" not in ours:
        theirs.pop("id", None)  # an id the LRS assigned
    differing = {
        key for key in set(theirs) | set(ours) if theirs.get(key, _MISSING) != ours.get(key, _MISSING)
    }
    their_duration, our_duration = _duration_of(stored), _duration_of(sent)
    both_missing = their_duration is _MISSING and our_duration is _MISSING
    if not both_missing and not same_duration(our_duration, their_duration):
        differing.add("result")
    return sorted(differing)


def same_statement(stored: Mapping[str, Any], sent: Mapping[str, Any]) -> bool:
    return not statement_differences(stored, sent)
