"""The xAPI statements our services write to the outbox, checked against the spec's rules."""

from __future__ import annotations

import copy
import json
import random
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from microlearn import __version__
from microlearn.domain.courseware import Question, QuestionKind
from microlearn.records.statements import format_duration, format_timestamp
from microlearn.services.content_install import install_if_changed
from microlearn.services.learning import AttemptView, LearningService
from microlearn.settings.config import load_config
from microlearn.settings.paths import resolve_paths
from microlearn.store.models import OutboxRow
from microlearn.store.opening import Store, open_store
from tests.support.locations import SAMPLE_CONTENT as SAMPLE
from tests.support.xapi_rules import DURATION, NORMAL_SECONDS, assert_valid_statement, statement_problems

HOME = "https://learn.example.org"
BASE = "https://learn.example.org/microlearn"
LEARNER = "learner-42"
ADL = "http://adlnet.gov/expapi/verbs/"


@dataclass
class Recorded:
    """What a scripted learning session left in the outbox."""

    store: Store
    attempts: list[AttemptView]
    rows: list[OutboxRow]
    finished_at: datetime

    @property
    def statements(self) -> list[dict[str, Any]]:
        return [json.loads(row.statement_json) for row in self.rows]

    def of_verb(self, verb: str) -> list[dict[str, Any]]:
        return [s for s in self.statements if s["verb"]["id"] == ADL + verb]


def wrong_answer(question: Question) -> frozenset[str]:
    return frozenset({next(o.id for o in question.options if not o.correct)})


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    content = tmp_path / "content"
    shutil.copytree(SAMPLE, content)
    opened = open_store(resolve_paths())
    assert install_if_changed(opened, content).installed
    yield opened
    opened.close()


@pytest.fixture
def recorded(store: Store) -> Recorded:
    """Attempts at the first module, alternately passed and failed, until every question kind was answered."""
    config = load_config(
        resolve_paths(),
        overrides={
            "identity.source": "fixed",
            "identity.name": LEARNER,
            "identity.home_page": HOME,
            "content.activity_base": BASE + "/",  # a trailing slash must not double up
        },
    )
    service = LearningService(store, config, rng=random.Random(11))
    attempts: list[AttemptView] = []
    kinds: set[QuestionKind] = set()
    while kinds != set(QuestionKind) or len(attempts) < 2:
        assert len(attempts) < 10, "the seeded draws never covered every question kind"
        passing = len(attempts) % 2 == 0
        view = service.open_attempt("first-module")
        attempts.append(view)
        service.answer_inline(view.attempt_id, 0, frozenset({"a"}))
        for index in range(3):
            service.show_card(view.attempt_id, index, 10.0 * (index + 1))
        service.start_check(view.attempt_id, 40.0)
        for number, item in enumerate(view.drawn):
            question = view.module.question(item.question_id)
            kinds.add(question.kind)
            selected = question.correct_ids if passing else wrong_answer(question)
            service.answer_question(
                view.attempt_id, question.id, selected, 50.0 + number, confidence=number + 1
            )
        service.finish_check(view.attempt_id, 75.5)
        service.leave(view.attempt_id, 80.0)
    with store.sessions() as session:
        rows = list(session.scalars(select(OutboxRow).order_by(OutboxRow.id)))
    return Recorded(store, attempts, rows, datetime.now(UTC))


# -- the rules ---------------------------------------------------------------------------------


def test_every_statement_kind_follows_the_xapi_rules(recorded: Recorded) -> None:
    verbs = {s["verb"]["id"].removeprefix(ADL) for s in recorded.statements}
    assert verbs == {"initialized", "answered", "completed", "passed", "failed", "terminated"}
    module = recorded.attempts[0].module
    prefix = f"{BASE}/modules/first-module/questions/"
    answered_kinds = {
        module.question(s["object"]["id"].removeprefix(prefix)).kind for s in recorded.of_verb("answered")
    }
    assert answered_kinds == set(QuestionKind)
    for statement in recorded.statements:
        assert_valid_statement(statement, activity_base=BASE, now=recorded.finished_at)


def test_each_attempt_has_one_registration_and_a_retry_a_new_one(recorded: Recorded) -> None:
    by_registration: dict[str, list[str]] = {}
    for statement in recorded.statements:
        by_registration.setdefault(statement["context"]["registration"], []).append(
            statement["verb"]["id"].removeprefix(ADL)
        )
    assert len(recorded.attempts) >= 2
    assert list(by_registration) == [a.registration for a in recorded.attempts]  # one each, all different
    for index, verbs in enumerate(by_registration.values()):
        outcome = "passed" if index % 2 == 0 else "failed"
        assert verbs == [
            "initialized",
            "completed",
            "answered",
            "answered",
            "answered",
            outcome,
            "terminated",
        ]


def test_frozen_json_is_canonical_and_its_id_is_the_rows(recorded: Recorded) -> None:
    for row in recorded.rows:
        text = row.statement_json
        assert json.dumps(json.loads(text), sort_keys=True, separators=(",", ":"), ensure_ascii=False) == text
        assert json.loads(text)["id"] == row.statement_id
        assert row.verb == json.loads(text)["verb"]["id"].removeprefix(ADL)
    assert len({row.statement_id for row in recorded.rows}) == len(recorded.rows)


def test_statements_name_the_learner_the_versions_and_the_track(recorded: Recorded) -> None:
    for statement in recorded.statements:
        assert statement["actor"] == {"objectType": "Agent", "account": {"homePage": HOME, "name": LEARNER}}
        extensions = statement["context"]["extensions"]
        assert extensions[f"{BASE}/extensions/module-version"] == "1.0.0"
        assert extensions[f"{BASE}/extensions/app-version"] == __version__
        (track,) = statement["context"]["contextActivities"]["grouping"]
        assert track["id"] == f"{BASE}/tracks/sample-track"
    confidences = [
        s["context"]["extensions"][f"{BASE}/extensions/confidence"] for s in recorded.of_verb("answered")
    ]
    assert confidences == [1, 2, 3] * len(recorded.attempts)


def test_answered_statements_describe_the_question_and_the_response(recorded: Recorded) -> None:
    module = recorded.attempts[0].module
    passing = {a.registration: i % 2 == 0 for i, a in enumerate(recorded.attempts)}
    for statement in recorded.of_verb("answered"):
        question_id = statement["object"]["id"].removeprefix(f"{BASE}/modules/first-module/questions/")
        question = module.question(question_id)
        definition, result = statement["object"]["definition"], statement["result"]
        assert statement["context"]["contextActivities"]["parent"] == [
            {"objectType": "Activity", "id": f"{BASE}/modules/first-module"}
        ]
        expected = (
            question.correct_ids if passing[statement["context"]["registration"]] else wrong_answer(question)
        )
        assert result["success"] is passing[statement["context"]["registration"]]
        if question.kind is QuestionKind.TRUE_FALSE:
            assert definition["interactionType"] == "true-false" and "choices" not in definition
            assert definition["correctResponsesPattern"] == ["false"]  # sky-is-green
            assert result["response"] == next(iter(expected))
        else:
            assert definition["interactionType"] == "choice"
            assert [c["id"] for c in definition["choices"]] == [o.id for o in question.options]
            assert definition["correctResponsesPattern"] == ["[,]".join(sorted(question.correct_ids))]
            assert result["response"] == "[,]".join(sorted(expected))
        if question.kind is QuestionKind.SCENARIO:
            assert question.scenario.strip() in definition["description"]["en"]


def test_scored_statements_carry_score_success_and_duration(recorded: Recorded) -> None:
    for verb, raw in (("passed", 3), ("failed", 0)):
        statements = recorded.of_verb(verb)
        assert statements
        for statement in statements:
            assert statement["result"] == {
                "score": {"scaled": raw / 3, "raw": raw, "min": 0, "max": 3},
                "success": verb == "passed",
                "completion": True,
                "duration": "PT1M15.5S",
            }
    for statement in recorded.of_verb("completed"):
        assert statement["result"] == {"completion": True, "duration": "PT30S"}
    for statement in recorded.of_verb("terminated"):
        assert statement["result"] == {"duration": "PT1M20S"}


def test_recorded_statements_are_never_rewritten(recorded: Recorded) -> None:
    before = {row.statement_id: row.statement_json for row in recorded.rows}
    config = load_config(resolve_paths(), overrides={"content.activity_base": "https://other.example.org/x"})
    service = LearningService(recorded.store, config)
    view = service.open_attempt("second-module")
    service.leave(view.attempt_id, 5.0)
    with recorded.store.sessions() as session:
        after = {row.statement_id: row.statement_json for row in session.scalars(select(OutboxRow))}
    assert len(after) == len(before) + 2
    assert {key: after[key] for key in before} == before


# -- the validator itself can fail -------------------------------------------------------------


def _mutation(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    *parents, last = path.split("/")

    def mutate(statement: dict[str, Any]) -> None:
        node = statement
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        if value is _DELETE:
            del node[last]
        else:
            node[last] = value

    return mutate


_DELETE = object()
FUTURE = format_timestamp(datetime.now(UTC) + timedelta(days=1))
BROKEN = {
    "id not a UUID": ("id", "statement-1", "id must be a UUID"),
    "actor with an e-mail": ("actor/mbox", "mailto:someone@example.org", "account only"),
    "actor without account": ("actor/account", _DELETE, "must have an account"),
    "homePage not an IRL": ("actor/account/homePage", "example", "homePage must be an IRL"),
    "unknown verb": ("verb/id", "http://example.org/verbs/did", "not one of the six ADL verbs"),
    "object outside the base": (
        "object/id",
        "https://elsewhere.example.org/q",
        "not under the activity base",
    ),
    "object id not an IRI": ("object/id", "no scheme here", "must be an IRI"),
    "timestamp without milliseconds": ("timestamp", "2026-11-22T10:00:00Z", "milliseconds and Z"),
    "timestamp with an offset": ("timestamp", "2026-11-22T10:00:00.000+01:00", "milliseconds and Z"),
    "timestamp in the future": ("timestamp", FUTURE, "in the future"),
    "duration in words": ("result/duration", "90 seconds", "not an ISO 8601 duration"),
    "empty duration": ("result/duration", "PT", "not an ISO 8601 duration"),
    "scaled above 1": ("result/score/scaled", 1.5, "outside [0, 1]"),
    "raw above max": ("result/score/raw", 4, "outside [0, 3]"),
    "registration not a UUID": ("context/registration", "attempt-1", "registration must be a UUID"),
    "extension key not an IRI": ("context/extensions/confidence", 3, "is not an IRI"),
    "no track grouping": ("context/contextActivities/grouping", [], "grouping must hold the track"),
    "unknown property": ("context/mood", "happy", "properties the spec does not define"),
}


@pytest.mark.parametrize(("path", "value", "phrase"), BROKEN.values(), ids=BROKEN.keys())
def test_the_validator_catches_a_broken_statement(
    recorded: Recorded, path: str, value: Any, phrase: str
) -> None:
    (statement,) = recorded.of_verb("passed")[:1]
    assert statement_problems(statement, activity_base=BASE) == []
    broken = copy.deepcopy(statement)
    _mutation(path, value)(broken)
    problems = statement_problems(broken, activity_base=BASE)
    assert any(phrase in p for p in problems), problems


def test_the_validator_requires_the_module_as_parent_of_an_answer(recorded: Recorded) -> None:
    statement = copy.deepcopy(recorded.of_verb("answered")[0])
    assert statement_problems(statement, activity_base=BASE) == []
    del statement["context"]["contextActivities"]["parent"]
    assert any("parent = the module" in p for p in statement_problems(statement, activity_base=BASE))


# -- formatting ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (0, "PT0S"),
        (59.99, "PT59.99S"),
        (59.999, "PT1M0S"),  # rounds to the centisecond, carrying into minutes
        (60, "PT1M0S"),
        (3600, "PT1H0S"),
        (3661.5, "PT1H1M1.5S"),  # no trailing zero: what a strict LRS writes back
        (76.58, "PT1M16.58S"),
        (5.5, "PT5.5S"),
        (5.05, "PT5.05S"),
        (-3, "PT0S"),
    ],
)
def test_format_duration(seconds: float, expected: str) -> None:
    assert format_duration(seconds) == expected
    assert DURATION.match(expected)
    assert NORMAL_SECONDS.search(expected), "at most two decimals, no trailing zero"


def test_format_timestamp_converts_to_utc_with_milliseconds() -> None:
    moment = datetime(2026, 11, 22, 17, 4, 5, 123_999, tzinfo=timezone(timedelta(hours=2)))
    assert format_timestamp(moment) == "2026-11-22T15:04:05.123Z"
    western = datetime(2026, 12, 31, 20, 30, 0, 0, tzinfo=timezone(timedelta(hours=-5)))
    assert format_timestamp(western) == "2027-01-01T01:30:00.000Z"
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", format_timestamp(datetime.now(UTC)))
