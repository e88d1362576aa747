"""xAPI 1.0.3 statements for learning events, frozen as JSON when the event is recorded.

Verbs are the cmi5 / ADL ones. The JSON is serialised once, with sorted keys and no
spaces, and never rebuilt: a re-send is byte-identical to the first send.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from microlearn import __version__
from microlearn.domain.courseware import Question, QuestionKind

ADL_VERBS = "http://adlnet.gov/expapi/verbs/"
VERBS = ("initialized", "answered", "completed", "passed", "failed", "terminated")
MODULE_TYPE = "http://adlnet.gov/expapi/activities/module"
COURSE_TYPE = "http://adlnet.gov/expapi/activities/course"
INTERACTION_TYPE = "http://adlnet.gov/expapi/activities/cmi.interaction"
CMI5_SESSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
LANGUAGE = "en"


@dataclass(frozen=True)
class Actor:
    home_page: str
    name: str

    def as_json(self) -> dict[str, Any]:
        return {"objectType": "Agent", "account": {"homePage": self.home_page, "name": self.name}}


@dataclass(frozen=True)
class AttemptContext:
    """What every statement of one module attempt shares."""

    actor: Actor
    activity_base: str
    module_id: str
    module_title: str
    module_version: str
    track_id: str
    track_title: str
    registration: str
    session_id: str

    @property
    def module_iri(self) -> str:
        return f"{self.activity_base}/modules/{self.module_id}"

    @property
    def track_iri(self) -> str:
        return f"{self.activity_base}/tracks/{self.track_id}"

    def extension(self, name: str) -> str:
        return f"{self.activity_base}/extensions/{name}"


def format_timestamp(moment: datetime) -> str:
    """UTC, milliseconds, ``Z``: e.g. 2026-11-22T15:04:05.123Z."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def parse_instant(value: Any) -> datetime | None:
    """An xAPI timestamp as an aware datetime (naive ones taken as UTC); None if it is not one."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def format_duration(seconds: float) -> str:
    """ISO 8601 duration with centisecond precision, as xAPI recommends: PT1H2M3.45S, at most
    two decimals (xAPI 1.0.3 Data 4.6: an LRS may keep no more than 0.01 s)."""
    centis = max(0, round(seconds * 100))
    hours, rest = divmod(centis, 360_000)
    minutes, rest = divmod(rest, 6_000)
    whole, frac = divmod(rest, 100)
    text = "PT"
    if hours:
        text += f"{hours}H"
    if minutes:
        text += f"{minutes}M"
    # No trailing zero (PT5.5S, not PT5.50S): the form an LRS writes back after normalising.
    text += f"{whole}.{frac:02d}".rstrip("0") + "S" if frac else f"{whole}S"
    return text


def freeze(statement: dict[str, Any]) -> str:
    return json.dumps(statement, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True)
class FrozenStatement:
    id: str
    verb: str
    json: str


def _lang(text: str) -> dict[str, str]:
    return {LANGUAGE: text}


def _base(
    ctx: AttemptContext,
    verb: str,
    obj: dict[str, Any],
    when: datetime,
    extra_extensions: dict[str, Any] | None = None,
) -> dict[str, Any]:
    extensions: dict[str, Any] = {
        ctx.extension("module-version"): ctx.module_version,
        ctx.extension("app-version"): __version__,
        CMI5_SESSION: ctx.session_id,
    }
    extensions.update(extra_extensions or {})
    return {
        "id": str(uuid.uuid4()),
        "actor": ctx.actor.as_json(),
        "verb": {"id": ADL_VERBS + verb, "display": {"en-US": verb}},
        "object": obj,
        "context": {
            "registration": ctx.registration,
            "contextActivities": {
                "grouping": [
                    {
                        "objectType": "Activity",
                        "id": ctx.track_iri,
                        "definition": {"type": COURSE_TYPE, "name": _lang(ctx.track_title)},
                    }
                ],
            },
            "extensions": extensions,
        },
        "timestamp": format_timestamp(when),
    }


def _module_object(ctx: AttemptContext) -> dict[str, Any]:
    return {
        "objectType": "Activity",
        "id": ctx.module_iri,
        "definition": {"type": MODULE_TYPE, "name": _lang(ctx.module_title)},
    }


def _done(ctx: AttemptContext, verb: str, statement: dict[str, Any]) -> FrozenStatement:
    assert verb in VERBS
    return FrozenStatement(id=statement["id"], verb=verb, json=freeze(statement))


def initialized(ctx: AttemptContext, when: datetime) -> FrozenStatement:
    return _done(ctx, "initialized", _base(ctx, "initialized", _module_object(ctx), when))


def terminated(ctx: AttemptContext, when: datetime, session_seconds: float) -> FrozenStatement:
    statement = _base(ctx, "terminated", _module_object(ctx), when)
    statement["result"] = {"duration": format_duration(session_seconds)}
    return _done(ctx, "terminated", statement)


def completed(ctx: AttemptContext, when: datetime, seconds: float) -> FrozenStatement:
    statement = _base(ctx, "completed", _module_object(ctx), when)
    statement["result"] = {"completion": True, "duration": format_duration(seconds)}
    return _done(ctx, "completed", statement)


def scored(
    ctx: AttemptContext, when: datetime, seconds: float, correct: int, total: int, passed: bool
) -> FrozenStatement:
    """``passed`` or ``failed`` for the knowledge check."""
    verb = "passed" if passed else "failed"
    statement = _base(ctx, verb, _module_object(ctx), when)
    scaled = round(correct / total, 4) if total else 0.0
    statement["result"] = {
        "score": {"scaled": scaled, "raw": correct, "min": 0, "max": total},
        "success": passed,
        "completion": True,
        "duration": format_duration(seconds),
    }
    return _done(ctx, verb, statement)


def response_pattern(question: Question, selected: Sequence[str]) -> str:
    """The xAPI response string: true/false as 'true'/'false', choices joined by '[,]'."""
    if question.kind is QuestionKind.TRUE_FALSE:
        return selected[0]
    return "[,]".join(sorted(selected))


def question_object(ctx: AttemptContext, question: Question) -> dict[str, Any]:
    definition: dict[str, Any] = {
        "type": INTERACTION_TYPE,
        "name": _lang(question.prompt[:200]),
        "description": _lang((question.scenario + "\n\n" + question.prompt).strip()),
        "correctResponsesPattern": [response_pattern(question, sorted(question.correct_ids))],
    }
    if question.kind is QuestionKind.TRUE_FALSE:
        definition["interactionType"] = "true-false"
    else:
        definition["interactionType"] = "choice"
        definition["choices"] = [{"id": o.id, "description": _lang(o.text)} for o in question.options]
    return {
        "objectType": "Activity",
        "id": f"{ctx.module_iri}/questions/{question.id}",
        "definition": definition,
    }


def answered(
    ctx: AttemptContext,
    when: datetime,
    question: Question,
    selected: Sequence[str],
    correct: bool,
    confidence: int | None = None,
) -> FrozenStatement:
    extra = {ctx.extension("confidence"): confidence} if confidence is not None else None
    statement = _base(ctx, "answered", question_object(ctx, question), when, extra)
    statement["context"]["contextActivities"]["parent"] = [{"objectType": "Activity", "id": ctx.module_iri}]
    statement["result"] = {"success": correct, "response": response_pattern(question, selected)}
    return _done(ctx, "answered", statement)


# -- certainty and quick reviews (docs/xapi-extensions.md) ------------------------------------------

CERTAINTY_VALUES = ("not_sure", "fairly_sure", "sure")


def _certainty_extensions(ctx: AttemptContext, certainty: str | None) -> dict[str, Any]:
    if certainty is None:
        return {}
    assert certainty in CERTAINTY_VALUES
    return {ctx.extension("certainty"): certainty}


def answered_with_certainty(
    ctx: AttemptContext,
    when: datetime,
    question: Question,
    selected: Sequence[str],
    correct: bool,
    certainty: str | None,
    confidence: int | None = None,
) -> FrozenStatement:
    """A knowledge-check ``answered`` carrying how sure the learner said they were."""
    extra = _certainty_extensions(ctx, certainty)
    if confidence is not None:
        extra[ctx.extension("confidence")] = confidence
    statement = _base(ctx, "answered", question_object(ctx, question), when, extra)
    statement["context"]["contextActivities"]["parent"] = [{"objectType": "Activity", "id": ctx.module_iri}]
    statement["result"] = {"success": correct, "response": response_pattern(question, selected)}
    return _done(ctx, "answered", statement)


def review_object_iri(ctx: AttemptContext, question_id: str, source: str) -> str:
    """A knowledge-check question keeps its IRI; an inline check is named by its card."""
    if source == "inline":
        return f"{ctx.module_iri}/cards/{question_id}/check"
    return f"{ctx.module_iri}/questions/{question_id}"


def review_answered(
    ctx: AttemptContext,
    when: datetime,
    question: Question,
    selected: Sequence[str],
    correct: bool,
    *,
    question_id: str,
    source: str,
    certainty: str | None,
) -> FrozenStatement:
    """A quick-review answer: ``registration`` is the review session's (a review belongs to
    no module attempt); the module is the question's parent, as in every ``answered``, and
    also a grouping activity, so a dashboard groups reviews under their module as the issue
    asks; ``<base>/extensions/review`` says which kind of item it was, for restore."""
    obj = question_object(ctx, question)
    obj["id"] = review_object_iri(ctx, question_id, source)
    extra = {ctx.extension("review"): source, **_certainty_extensions(ctx, certainty)}
    statement = _base(ctx, "answered", obj, when, extra)
    activities = statement["context"]["contextActivities"]
    activities["parent"] = [{"objectType": "Activity", "id": ctx.module_iri}]
    activities["grouping"].append(_module_object(ctx))
    statement["result"] = {"success": correct, "response": response_pattern(question, selected)}
    return _done(ctx, "answered", statement)


# -- confidence surveys (docs/xapi-statements.md) ---------------------------------------------------

LIKERT_SCALE = (
    ("1", "Strongly disagree"),
    ("2", "Disagree"),
    ("3", "Neither agree nor disagree"),
    ("4", "Agree"),
    ("5", "Strongly agree"),
)
SURVEY_PHASES = ("before", "after")


@dataclass(frozen=True)
class SurveyContext:
    """What every rating of one confidence survey shares."""

    actor: Actor
    activity_base: str
    track_id: str
    track_title: str
    registration: str  # one per survey: the one before the track and the one after differ
    phase: str  # before | after

    @property
    def track_iri(self) -> str:
        return f"{self.activity_base}/tracks/{self.track_id}"

    def item_iri(self, index: int) -> str:
        return f"{self.track_iri}/survey/{index + 1}"


def survey_item_object(ctx: SurveyContext, index: int, text: str) -> dict[str, Any]:
    return {
        "objectType": "Activity",
        "id": ctx.item_iri(index),
        "definition": {
            "type": INTERACTION_TYPE,
            "name": _lang(text[:200]),
            "description": _lang(text),
            "interactionType": "likert",
            "scale": [{"id": key, "description": _lang(words)} for key, words in LIKERT_SCALE],
        },
    }


def survey_answered(
    ctx: SurveyContext, when: datetime, index: int, text: str, rating: int
) -> FrozenStatement:
    """One confidence statement rated 1–5: ``answered`` a Likert interaction of the track."""
    assert ctx.phase in SURVEY_PHASES and str(rating) in dict(LIKERT_SCALE)
    track = {
        "objectType": "Activity",
        "id": ctx.track_iri,
        "definition": {"type": COURSE_TYPE, "name": _lang(ctx.track_title)},
    }
    statement: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "actor": ctx.actor.as_json(),
        "verb": {"id": ADL_VERBS + "answered", "display": {"en-US": "answered"}},
        "object": survey_item_object(ctx, index, text),
        "context": {
            "registration": ctx.registration,
            "contextActivities": {"parent": [track], "grouping": [track]},
            "extensions": {
                f"{ctx.activity_base}/extensions/app-version": __version__,
                f"{ctx.activity_base}/extensions/survey-phase": ctx.phase,
            },
        },
        "result": {"response": str(rating)},
        "timestamp": format_timestamp(when),
    }
    return FrozenStatement(id=statement["id"], verb="answered", json=freeze(statement))


SATISFIED = "https://w3id.org/xapi/adl/verbs/satisfied"  # cmi5's verb for a block (our track) met


@dataclass(frozen=True)
class CertificateFacts:
    """What a track's certificate statement says; ``certificate_id`` is a UUID."""

    actor: Actor
    activity_base: str
    track_id: str
    track_title: str
    certificate_id: str
    verification_code: str
    valid_until: str | None  # ISO date; None: valid for good
    modules: dict[str, str]  # module id → version

    @property
    def track_iri(self) -> str:
        return f"{self.activity_base}/tracks/{self.track_id}"

    def extension(self, name: str) -> str:
        return f"{self.activity_base}/extensions/{name}"


def track_satisfied(facts: CertificateFacts, when: datetime) -> FrozenStatement:
    """Every module of the track done: the certificate, verifiable by its code in the LRS."""
    track = {
        "objectType": "Activity",
        "id": facts.track_iri,
        "definition": {"type": COURSE_TYPE, "name": _lang(facts.track_title)},
    }
    statement_id = str(uuid.uuid4())
    statement: dict[str, Any] = {
        "id": statement_id,
        "actor": facts.actor.as_json(),
        "verb": {"id": SATISFIED, "display": {"en-US": "satisfied"}},
        "object": track,
        "context": {
            "registration": facts.certificate_id,
            "contextActivities": {"grouping": [track]},
            "extensions": {
                facts.extension("certificate-id"): facts.certificate_id,
                facts.extension("verification-code"): facts.verification_code,
                facts.extension("valid-until"): facts.valid_until,
                facts.extension("module-versions"): facts.modules,
                facts.extension("app-version"): __version__,
            },
        },
        "timestamp": format_timestamp(when),
    }
    return FrozenStatement(id=statement_id, verb="satisfied", json=freeze(statement))
