"""What a strict xAPI 1.0.3 LRS checks in a statement it is given, and how it rewrites what it returns.

These are an LRS's rules (any actor, any verb), looser than ``tests/support/xapi_rules.py``,
which holds our own statements to DESIGN.md. ``lrs_problems`` lists why a strict LRS would
answer 400; ``reserialised`` is the statement as such an LRS gives it back: durations
through a float (``PT5.50S`` → ``PT5.5S``, ``PT1M16.58S`` → ``PT1M16.57S``), instants as
``+00:00`` with microseconds, ``version`` / ``stored`` / ``authority`` added.
"""

from __future__ import annotations

import math
import re
import uuid
from datetime import UTC, datetime
from typing import Any

from tests.support.xapi_rules import (
    ACTIVITY_KEYS,
    AGENT_KEYS,
    CONTEXT_ACTIVITY_KEYS,
    CONTEXT_KEYS,
    DEFINITION_KEYS,
    DURATION,
    LANGUAGE_TAG,
    RESULT_KEYS,
    SCORE_KEYS,
    STATEMENT_KEYS,
    VERB_KEYS,
)

# An absolute IRI: a scheme, then no whitespace and none of the characters RFC 3987 excludes.
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
_VERSION = re.compile(r"^1\.0(?:\.[0-3])?$")
GROUP_KEYS = AGENT_KEYS | {"member"}
ACCOUNT_KEYS = frozenset(("homePage", "name"))
STATEMENT_REF_KEYS = frozenset(("objectType", "id"))
SUB_STATEMENT_KEYS = frozenset(
    ("objectType", "actor", "verb", "object", "result", "context", "timestamp", "attachments")
)
DEFAULT_AUTHORITY = {"objectType": "Agent", "mbox": "mailto:strict-lrs@example.org"}
# A duration of days and time only: the parts a float-based LRS keeps (years/months pass as given).
_DAY_TIME = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$")


def version_problem(header: str | None) -> str | None:
    """Why an ``X-Experience-API-Version`` header is refused, or ``None``."""
    if header is None or not header.strip():
        return "the X-Experience-API-Version header is missing"
    if not _VERSION.match(header.strip()):
        return f"X-Experience-API-Version {header.strip()!r} is not supported (1.0.x only)"
    return None


def _is_iri(value: Any) -> bool:
    return isinstance(value, str) and bool(_IRI.match(value))


def _is_uuid(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _unknown(where: str, data: dict[str, Any], allowed: frozenset[str], problems: list[str]) -> None:
    extra = sorted(set(data) - allowed)
    if extra:
        problems.append(f"{where}: unknown properties {extra}")


def _object(where: str, value: Any, problems: list[str]) -> dict[str, Any] | None:
    if isinstance(value, dict):
        return value
    problems.append(f"{where} must be an object")
    return None


def _language_map(where: str, value: Any, problems: list[str]) -> None:
    if not isinstance(value, dict):
        problems.append(f"{where} must be a language map")
        return
    for tag, text in value.items():
        if not LANGUAGE_TAG.match(str(tag)) or not isinstance(text, str):
            problems.append(f"{where}: {tag!r} is not a language tag with a string")


def _extensions(where: str, value: Any, problems: list[str]) -> None:
    if (data := _object(where, value, problems)) is not None:
        for key in data:
            if not _is_iri(key):
                problems.append(f"{where}: key {key!r} is not an IRI")


def _iri(where: str, value: Any, problems: list[str]) -> None:
    if not _is_iri(value):
        problems.append(f"{where} {value!r} is not a valid IRI")


def _agent(where: str, value: Any, problems: list[str]) -> None:
    if (actor := _object(where, value, problems)) is None:
        return
    kind = actor.get("objectType", "Agent")
    if kind not in ("Agent", "Group"):
        problems.append(f"{where}.objectType {kind!r} is not Agent or Group")
        return
    _unknown(where, actor, GROUP_KEYS if kind == "Group" else AGENT_KEYS, problems)
    identifiers = [key for key in ("mbox", "mbox_sha1sum", "openid", "account") if key in actor]
    if len(identifiers) > 1:
        problems.append(f"{where} has more than one identifier: {identifiers}")
    if kind == "Agent" and not identifiers:
        problems.append(f"{where} has no identifier")
    if "mbox" in actor and not str(actor["mbox"]).startswith("mailto:"):
        problems.append(f"{where}.mbox must be a mailto IRI")
    if "openid" in actor:
        _iri(f"{where}.openid", actor["openid"], problems)
    if "account" in actor and (account := _object(f"{where}.account", actor["account"], problems)):
        _unknown(f"{where}.account", account, ACCOUNT_KEYS, problems)
        _iri(f"{where}.account.homePage", account.get("homePage"), problems)
        if not isinstance(account.get("name"), str):
            problems.append(f"{where}.account.name must be a string")
    if kind == "Group":
        members = actor.get("member", [])
        if not isinstance(members, list) or (not identifiers and not members):
            problems.append(f"{where}.member must be a list (required for an anonymous group)")
        else:
            for index, member in enumerate(members):
                _agent(f"{where}.member[{index}]", member, problems)


def _activity(where: str, activity: dict[str, Any], problems: list[str]) -> None:
    _unknown(where, activity, ACTIVITY_KEYS, problems)
    _iri(f"{where}.id", activity.get("id"), problems)
    if "definition" not in activity:
        return
    if (definition := _object(f"{where}.definition", activity["definition"], problems)) is None:
        return
    _unknown(f"{where}.definition", definition, DEFINITION_KEYS, problems)
    for name in ("name", "description"):
        if name in definition:
            _language_map(f"{where}.definition.{name}", definition[name], problems)
    for name in ("type", "moreInfo"):
        if name in definition:
            _iri(f"{where}.definition.{name}", definition[name], problems)
    if "extensions" in definition:
        _extensions(f"{where}.definition.extensions", definition["extensions"], problems)


def _statement_object(where: str, value: Any, problems: list[str], *, nested: bool) -> None:
    if (target := _object(where, value, problems)) is None:
        return
    kind = target.get("objectType", "Activity")
    if kind == "Activity":
        _activity(where, target, problems)
    elif kind in ("Agent", "Group"):
        _agent(where, target, problems)
    elif kind == "StatementRef":
        _unknown(where, target, STATEMENT_REF_KEYS, problems)
        if not _is_uuid(target.get("id")):
            problems.append(f"{where}.id must be a UUID")
    elif kind == "SubStatement" and not nested:
        _unknown(where, target, SUB_STATEMENT_KEYS, problems)
        _parts(where, target, problems, nested=True)
    else:
        problems.append(f"{where}.objectType {kind!r} is not allowed here")


def _result(result: dict[str, Any], problems: list[str]) -> None:
    _unknown("result", result, RESULT_KEYS, problems)
    for name in ("success", "completion"):
        if name in result and not isinstance(result[name], bool):
            problems.append(f"result.{name} must be true or false")
    if "response" in result and not isinstance(result["response"], str):
        problems.append("result.response must be a string")
    if "duration" in result and not (
        isinstance(result["duration"], str) and DURATION.match(result["duration"])
    ):
        problems.append(f"result.duration {result['duration']!r} is not an ISO 8601 duration")
    if "extensions" in result:
        _extensions("result.extensions", result["extensions"], problems)
    if "score" not in result or (score := _object("result.score", result["score"], problems)) is None:
        return
    _unknown("result.score", score, SCORE_KEYS, problems)
    if not all(_is_number(score[name]) for name in SCORE_KEYS & set(score)):
        problems.append("result.score holds a value that is not a finite number")
        return
    scaled, low, high, raw = (score.get(name) for name in ("scaled", "min", "max", "raw"))
    if scaled is not None and not -1 <= scaled <= 1:
        problems.append(f"result.score.scaled {scaled} is outside [-1, 1]")
    if low is not None and high is not None and low > high:
        problems.append(f"result.score.min {low} is above max {high}")
    if raw is not None and ((low is not None and raw < low) or (high is not None and raw > high)):
        problems.append(f"result.score.raw {raw} is outside [min, max]")


def _context(context: dict[str, Any], problems: list[str]) -> None:
    _unknown("context", context, CONTEXT_KEYS, problems)
    if "registration" in context and not _is_uuid(context["registration"]):
        problems.append("context.registration must be a UUID")
    for name in ("instructor", "team"):
        if name in context:
            _agent(f"context.{name}", context[name], problems)
    if "extensions" in context:
        _extensions("context.extensions", context["extensions"], problems)
    if "statement" in context:
        _statement_object("context.statement", context["statement"], problems, nested=True)
    if "contextActivities" not in context:
        return
    activities = _object("context.contextActivities", context["contextActivities"], problems)
    if activities is None:
        return
    _unknown("context.contextActivities", activities, CONTEXT_ACTIVITY_KEYS, problems)
    for kind, value in activities.items():
        for index, item in enumerate(value if isinstance(value, list) else [value]):
            where = f"context.contextActivities.{kind}[{index}]"
            if (activity := _object(where, item, problems)) is not None:
                _activity(where, activity, problems)


def _parts(where: str, statement: dict[str, Any], problems: list[str], *, nested: bool) -> None:
    for required in ("actor", "verb", "object"):
        if required not in statement:
            problems.append(f"{where} has no {required}")
    if "actor" in statement:
        _agent("actor", statement["actor"], problems)
    if "verb" in statement and (verb := _object("verb", statement["verb"], problems)) is not None:
        _unknown("verb", verb, VERB_KEYS, problems)
        _iri("verb.id", verb.get("id"), problems)
        if "display" in verb:
            _language_map("verb.display", verb["display"], problems)
    if "object" in statement:
        _statement_object("object", statement["object"], problems, nested=nested)
    if "result" in statement and (result := _object("result", statement["result"], problems)) is not None:
        _result(result, problems)
    if "context" in statement and (context := _object("context", statement["context"], problems)) is not None:
        _context(context, problems)
    if "timestamp" in statement and parse_instant(statement["timestamp"]) is None:
        problems.append(f"timestamp {statement['timestamp']!r} is not an ISO 8601 instant")


def lrs_problems(statement: Any) -> list[str]:
    """Every reason a strict LRS refuses ``statement`` with 400; empty if it would store it."""
    problems: list[str] = []
    if (data := _object("a statement", statement, problems)) is None:
        return problems
    _unknown("the statement", data, STATEMENT_KEYS, problems)
    if "id" in data and not _is_uuid(data["id"]):
        problems.append(f"id {data['id']!r} is not a UUID")
    _parts("the statement", data, problems, nested=False)
    return problems


# -- what a strict LRS gives back ------------------------------------------------------------------


def parse_instant(value: Any) -> datetime | None:
    if not isinstance(value, str) or "T" not in value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def float_duration(value: str) -> str:
    """``value`` as an LRS that keeps the seconds of a duration as a float writes it back.

    The seconds go through a float and are cut (not rounded) to 0.01 s, so 16.58 s, held
    as 16.579999…, comes back as ``PT1M16.57S``; trailing zeros go (``PT5.50S`` → ``PT5.5S``)
    and so do zero parts.
    """
    match = _DAY_TIME.match(value)
    if match is None or value in ("P", "PT") or value.endswith("T"):
        return value
    days, hours, minutes = (int(part or 0) for part in match.groups()[:3])
    seconds = match.group(4)
    centis = math.floor(float(seconds or 0) * 100)
    text = (
        "P"
        + (f"{days}D" if days else "")
        + "T"
        + (f"{hours}H" if hours else "")
        + (f"{minutes}M" if minutes else "")
    )
    if centis:
        text += f"{centis // 100}.{centis % 100:02d}".rstrip("0").rstrip(".") + "S"
    if text.endswith("T"):
        text = text[:-1] if days else "PT0S"
    return text


def _instant_text(value: Any) -> Any:
    moment = parse_instant(value)
    return value if moment is None else moment.astimezone(UTC).isoformat(timespec="microseconds")


def reserialised(statement: dict[str, Any], *, stored: datetime | None = None) -> dict[str, Any]:
    """``statement`` as a strict LRS returns it (a new dict; the argument is left alone)."""
    out = dict(statement)
    result = out.get("result")
    if isinstance(result, dict) and isinstance(result.get("duration"), str):
        out["result"] = {**result, "duration": float_duration(result["duration"])}
    for name in ("timestamp", "stored"):
        if name in out:
            out[name] = _instant_text(out[name])
    moment = stored or datetime.now(UTC)
    out.setdefault("stored", moment.isoformat(timespec="microseconds"))
    out.setdefault("timestamp", out["stored"])
    out.setdefault("authority", dict(DEFAULT_AUTHORITY))
    out.setdefault("version", "1.0.0")
    return out
