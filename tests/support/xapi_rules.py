"""The xAPI 1.0.3 rules our statements must follow (DESIGN.md, "xAPI statements we send").

Ralph accepts statements the spec forbids, so tests check our statements here instead of
trusting the LRS. ``statement_problems`` returns every rule a statement breaks, in plain
words; ``assert_valid_statement`` fails a test with all of them at once.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from typing import Any

ADL_VERBS = "http://adlnet.gov/expapi/verbs/"
VERBS = frozenset(("initialized", "answered", "completed", "passed", "failed", "terminated"))
SATISFIED = "https://w3id.org/xapi/adl/verbs/satisfied"  # cmi5's: a track's certificate
VERB_IDS = frozenset(ADL_VERBS + verb for verb in VERBS) | {SATISFIED}
SURVEY_ITEM = re.compile(r"/tracks/[^/]+/survey/\d+$")  # a confidence statement of a track
INLINE_CHECK = re.compile(r"/modules/[^/]+/cards/[^/]+/check$")  # a card's inline check, in a review

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
# ISO 8601 duration as xAPI uses it: at least one component, "T" only before a time component.
DURATION = re.compile(
    r"^P(?=\d|T\d)(?:\d+Y)?(?:\d+M)?(?:\d+W)?(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?$"
)
# What survives an LRS's normalising: at most two decimals, no trailing zero (PT5.5S, not PT5.50S).
NORMAL_SECONDS = re.compile(r"(?:^|[TMH])\d+(?:\.\d?[1-9])?S$")
IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$")
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$")
INTERACTION_TYPES = frozenset(
    (
        "true-false",
        "choice",
        "fill-in",
        "long-fill-in",
        "matching",
        "performance",
        "sequencing",
        "likert",
        "numeric",
        "other",
    )
)

STATEMENT_KEYS = frozenset(
    (
        "id",
        "actor",
        "verb",
        "object",
        "result",
        "context",
        "timestamp",
        "stored",
        "authority",
        "version",
        "attachments",
    )
)
AGENT_KEYS = frozenset(("objectType", "name", "mbox", "mbox_sha1sum", "openid", "account"))
VERB_KEYS = frozenset(("id", "display"))
ACTIVITY_KEYS = frozenset(("objectType", "id", "definition"))
DEFINITION_KEYS = frozenset(
    (
        "name",
        "description",
        "type",
        "moreInfo",
        "extensions",
        "interactionType",
        "correctResponsesPattern",
        "choices",
        "scale",
        "source",
        "target",
        "steps",
    )
)
RESULT_KEYS = frozenset(("score", "success", "completion", "response", "duration", "extensions"))
SCORE_KEYS = frozenset(("scaled", "raw", "min", "max"))
CONTEXT_KEYS = frozenset(
    (
        "registration",
        "instructor",
        "team",
        "contextActivities",
        "revision",
        "platform",
        "language",
        "statement",
        "extensions",
    )
)
CONTEXT_ACTIVITY_KEYS = frozenset(("parent", "grouping", "category", "other"))


def is_uuid(value: Any) -> bool:
    """A UUID in the canonical lower-case, hyphenated form the spec's examples use."""
    if not isinstance(value, str):
        return False
    try:
        return str(uuid.UUID(value)) == value
    except ValueError:
        return False


def is_iri(value: Any) -> bool:
    return isinstance(value, str) and bool(IRI.match(value))


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _unknown(where: str, data: dict[str, Any], allowed: frozenset[str], problems: list[str]) -> None:
    extra = sorted(set(data) - allowed)
    if extra:
        problems.append(f"{where} has properties the spec does not define: {extra}")


def _language_map(where: str, value: Any, problems: list[str]) -> None:
    if not isinstance(value, dict) or not value:
        problems.append(f"{where} must be a non-empty language map")
        return
    for tag, text in value.items():
        if not LANGUAGE_TAG.match(str(tag)):
            problems.append(f"{where} has a key that is not a language tag: {tag!r}")
        if not isinstance(text, str):
            problems.append(f"{where}[{tag!r}] must be a string")


def _extensions(where: str, value: Any, problems: list[str]) -> None:
    if not isinstance(value, dict):
        problems.append(f"{where} must be an object")
        return
    for key in value:
        if not is_iri(key):
            problems.append(f"{where} key {key!r} is not an IRI")


def _check_actor(actor: Any, problems: list[str]) -> None:
    if not isinstance(actor, dict):
        problems.append("actor must be an object")
        return
    _unknown("actor", actor, AGENT_KEYS, problems)
    if actor.get("objectType", "Agent") != "Agent":
        problems.append(f"actor must be an Agent, not {actor.get('objectType')!r}")
    for forbidden in ("mbox", "mbox_sha1sum", "openid"):
        if forbidden in actor:
            problems.append(f"actor must be identified by account only, but has {forbidden}")
    account = actor.get("account")
    if not isinstance(account, dict):
        problems.append("actor must have an account {homePage, name}")
        return
    if set(account) != {"homePage", "name"}:
        problems.append(f"actor.account must have exactly homePage and name, has {sorted(account)}")
    home_page = account.get("homePage")
    if not (isinstance(home_page, str) and re.match(r"^https?://[^\s/]+", home_page)):
        problems.append(f"actor.account.homePage must be an IRL, not {home_page!r}")
    name = account.get("name")
    if not isinstance(name, str) or not name:
        problems.append("actor.account.name must be a non-empty string")


def _check_verb(verb: Any, problems: list[str]) -> str | None:
    if not isinstance(verb, dict):
        problems.append("verb must be an object")
        return None
    _unknown("verb", verb, VERB_KEYS, problems)
    verb_id = verb.get("id")
    if verb_id not in VERB_IDS:
        problems.append(f"verb.id {verb_id!r} is not one of the six ADL verbs or cmi5's satisfied")
        return None
    if "display" in verb:
        _language_map("verb.display", verb["display"], problems)
    return "satisfied" if verb_id == SATISFIED else str(verb_id).removeprefix(ADL_VERBS)


def _check_activity(where: str, activity: Any, base: str | None, problems: list[str]) -> str | None:
    if not isinstance(activity, dict):
        problems.append(f"{where} must be an Activity object")
        return None
    _unknown(where, activity, ACTIVITY_KEYS, problems)
    if activity.get("objectType", "Activity") != "Activity":
        problems.append(f"{where}.objectType must be Activity, not {activity.get('objectType')!r}")
    activity_id = activity.get("id")
    if not is_iri(activity_id):
        problems.append(f"{where}.id must be an IRI, not {activity_id!r}")
        return None
    if base is not None and not str(activity_id).startswith(base + "/"):
        problems.append(f"{where}.id {activity_id!r} is not under the activity base {base!r}")
    definition = activity.get("definition")
    if definition is not None:
        _check_definition(f"{where}.definition", definition, problems)
    return str(activity_id)


def _check_definition(where: str, definition: Any, problems: list[str]) -> None:
    if not isinstance(definition, dict):
        problems.append(f"{where} must be an object")
        return
    _unknown(where, definition, DEFINITION_KEYS, problems)
    for name in ("name", "description"):
        if name in definition:
            _language_map(f"{where}.{name}", definition[name], problems)
    if "type" in definition and not is_iri(definition["type"]):
        problems.append(f"{where}.type must be an IRI")
    if "extensions" in definition:
        _extensions(f"{where}.extensions", definition["extensions"], problems)
    interaction = definition.get("interactionType")
    if interaction is None:
        return
    if interaction not in INTERACTION_TYPES:
        problems.append(f"{where}.interactionType {interaction!r} is not an xAPI interaction type")
    patterns = definition.get("correctResponsesPattern")
    if patterns is not None and not (
        isinstance(patterns, list) and all(isinstance(p, str) for p in patterns)
    ):
        problems.append(f"{where}.correctResponsesPattern must be a list of strings")
    if interaction == "true-false" and patterns is not None and not set(patterns) <= {"true", "false"}:
        problems.append(f"{where}: a true-false pattern is 'true' or 'false', not {patterns!r}")
    if interaction == "choice":
        choices = definition.get("choices")
        if not isinstance(choices, list) or not choices:
            problems.append(f"{where}: a choice interaction needs its choices")
            return
        ids = [c.get("id") if isinstance(c, dict) else None for c in choices]
        if len(set(ids)) != len(ids) or not all(isinstance(i, str) and i for i in ids):
            problems.append(f"{where}.choices need unique, non-empty ids, not {ids!r}")
        for index, choice in enumerate(choices):
            if isinstance(choice, dict) and "description" in choice:
                _language_map(f"{where}.choices[{index}].description", choice["description"], problems)
        for pattern in patterns or []:
            if pattern and not set(pattern.split("[,]")) <= set(ids):
                problems.append(f"{where}: correct response {pattern!r} names an unknown choice")


def _check_result(result: Any, problems: list[str]) -> None:
    if not isinstance(result, dict):
        problems.append("result must be an object")
        return
    _unknown("result", result, RESULT_KEYS, problems)
    for name in ("success", "completion"):
        if name in result and not isinstance(result[name], bool):
            problems.append(f"result.{name} must be true or false")
    if "response" in result and not isinstance(result["response"], str):
        problems.append("result.response must be a string")
    if "duration" in result:
        duration = result["duration"]
        if not (isinstance(duration, str) and DURATION.match(duration)):
            problems.append(f"result.duration {duration!r} is not an ISO 8601 duration")
        elif duration.endswith("S") and not NORMAL_SECONDS.search(duration):
            problems.append(f"result.duration {duration!r} has more than two decimals or a trailing zero")
    if "extensions" in result:
        _extensions("result.extensions", result["extensions"], problems)
    score = result.get("score")
    if score is None:
        return
    if not isinstance(score, dict):
        problems.append("result.score must be an object")
        return
    _unknown("result.score", score, SCORE_KEYS, problems)
    for name in SCORE_KEYS & set(score):
        if not is_number(score[name]):
            problems.append(f"result.score.{name} must be a number")
            return
    scaled = score.get("scaled")
    if scaled is not None and not 0 <= scaled <= 1:
        problems.append(f"result.score.scaled {scaled} is outside [0, 1]")
    low, high, raw = score.get("min"), score.get("max"), score.get("raw")
    if low is not None and high is not None and not low < high:
        problems.append(f"result.score.min {low} must be below max {high}")
    if raw is not None and ((low is not None and raw < low) or (high is not None and raw > high)):
        problems.append(f"result.score.raw {raw} is outside [{low}, {high}]")


def _check_context(
    context: Any, verb: str | None, object_id: str | None, base: str | None, problems: list[str]
) -> None:
    if not isinstance(context, dict):
        problems.append("context must be an object")
        return
    _unknown("context", context, CONTEXT_KEYS, problems)
    if not is_uuid(context.get("registration")):
        problems.append(f"context.registration must be a UUID, not {context.get('registration')!r}")
    if "extensions" in context:
        _extensions("context.extensions", context["extensions"], problems)
    activities = context.get("contextActivities")
    if not isinstance(activities, dict):
        problems.append("context.contextActivities must be an object with the track in grouping")
        return
    _unknown("context.contextActivities", activities, CONTEXT_ACTIVITY_KEYS, problems)
    ids: dict[str, list[str | None]] = {}
    for kind, value in activities.items():
        items = value if isinstance(value, list) else [value]
        ids[kind] = [
            _check_activity(f"context.contextActivities.{kind}[{i}]", item, base, problems)
            for i, item in enumerate(items)
        ]
    grouping = [i for i in ids.get("grouping", []) if i]
    if not any("/tracks/" in i for i in grouping):
        problems.append("context.contextActivities.grouping must hold the track (…/tracks/<id>)")
    if verb == "answered":
        parents = [i for i in ids.get("parent", []) if i]
        if object_id is not None and SURVEY_ITEM.search(object_id):
            # A confidence-survey rating: its parent is the track it is about.
            if len(parents) != 1 or not object_id.startswith(parents[0] + "/survey/"):
                problems.append(f"the survey item {object_id!r} needs its track as its one parent")
        elif len(parents) != 1 or "/modules/" not in parents[0]:
            problems.append("an answered statement needs parent = the module (…/modules/<id>)")
        elif object_id is not None and not (
            object_id.startswith(parents[0] + "/questions/")
            or (object_id.startswith(parents[0] + "/cards/") and object_id.endswith("/check"))
        ):
            problems.append(f"the question {object_id!r} is not under its parent module {parents[0]!r}")


def _check_verb_result(verb: str | None, statement: dict[str, Any], problems: list[str]) -> None:
    result = statement.get("result") or {}
    object_id = (statement.get("object") or {}).get("id", "")
    if verb in ("initialized", "completed", "passed", "failed", "terminated") and "/modules/" not in str(
        object_id
    ):
        problems.append(f"a {verb} statement's object must be the module, not {object_id!r}")
    if verb == "answered" and SURVEY_ITEM.search(str(object_id)):
        definition = (statement.get("object") or {}).get("definition") or {}
        scale = [s.get("id") for s in definition.get("scale") or [] if isinstance(s, dict)]
        if definition.get("interactionType") != "likert" or not scale:
            problems.append("a survey rating's object must be a likert interaction with its scale")
        elif result.get("response") not in scale:
            problems.append(f"a survey rating's response must be one of the scale's ids {scale!r}")
        if "success" in result:
            problems.append("a survey rating has no right answer: no result.success")
    elif verb == "answered":
        if "/questions/" not in str(object_id) and not INLINE_CHECK.search(str(object_id)):
            problems.append("an answered statement's object must be a question")
        if not isinstance(result.get("success"), bool) or "response" not in result:
            problems.append("an answered statement needs result.success and result.response")
    elif verb == "completed":
        if result.get("completion") is not True or "duration" not in result:
            problems.append("a completed statement needs result.completion = true and a duration")
    elif verb in ("passed", "failed"):
        if result.get("success") is not (verb == "passed"):
            problems.append(f"a {verb} statement needs result.success = {verb == 'passed'}")
        if "score" not in result or "duration" not in result:
            problems.append(f"a {verb} statement needs a score and a duration")
    elif verb == "satisfied" and "/tracks/" not in str(object_id):
        problems.append(f"a satisfied statement's object must be the track, not {object_id!r}")
    elif verb == "terminated" and "duration" not in result:
        problems.append("a terminated statement needs the session's duration")


def statement_problems(
    statement: dict[str, Any], *, activity_base: str | None = None, now: datetime | None = None
) -> list[str]:
    """Every xAPI 1.0.3 / DESIGN.md rule ``statement`` breaks; empty when it is valid.

    ``activity_base`` (no trailing slash), when given, is the base every activity id must be
    under. ``now`` is the instant no timestamp may be after (default: the present).
    """
    problems: list[str] = []
    if not isinstance(statement, dict):
        return ["a statement must be a JSON object"]
    base = activity_base.rstrip("/") if activity_base else None
    _unknown("the statement", statement, STATEMENT_KEYS, problems)
    for required in ("id", "actor", "verb", "object", "timestamp"):
        if required not in statement:
            problems.append(f"the statement has no {required}")
    if "id" in statement and not is_uuid(statement["id"]):
        problems.append(f"id must be a UUID, not {statement['id']!r}")
    if "actor" in statement:
        _check_actor(statement["actor"], problems)
    verb = _check_verb(statement.get("verb"), problems) if "verb" in statement else None
    object_id = _check_activity("object", statement.get("object"), base, problems)
    timestamp = statement.get("timestamp")
    if timestamp is not None:
        if not (isinstance(timestamp, str) and TIMESTAMP.match(timestamp)):
            problems.append(f"timestamp {timestamp!r} is not UTC with milliseconds and Z")
        else:
            moment = datetime.strptime(timestamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
            if moment > (now or datetime.now(UTC)):
                problems.append(f"timestamp {timestamp} is in the future")
    if "result" in statement:
        _check_result(statement["result"], problems)
    if "context" in statement:
        _check_context(statement["context"], verb, object_id, base, problems)
    else:
        problems.append("the statement has no context (registration and track grouping)")
    _check_verb_result(verb, statement, problems)
    return problems


def assert_valid_statement(
    statement: dict[str, Any], *, activity_base: str | None = None, now: datetime | None = None
) -> None:
    problems = statement_problems(statement, activity_base=activity_base, now=now)
    assert not problems, "statement breaks xAPI rules:\n  " + "\n  ".join(problems)
