"""Confidence surveys: authored in track.yaml, rated 1–5 before and after, skippable."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from microlearn.content.loader import load_catalog
from microlearn.services.content_install import install_if_changed
from microlearn.services.surveys import SurveyError, SurveyPhase, SurveyService
from microlearn.settings.config import load_config
from microlearn.settings.paths import resolve_paths
from microlearn.store.opening import Store, open_store
from tests.support.content_samples import TRACK, line_of, replace
from tests.support.xapi_rules import statement_problems

HOME = "https://learn.example.org"
BASE = "https://learn.example.org/microlearn"
NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
STATEMENTS = (
    "I can explain to a customer why a fraud alert is not a verdict",
    "I know what to check before I paste data into an AI tool",
    "I can tell when a model's score should not be trusted",
)


def with_survey(content: Path, statements: tuple[str, ...] = STATEMENTS) -> Path:
    lines = "".join(f"  - {text}\n" for text in statements)
    replace(
        content / TRACK / "track.yaml", "mandatory: true\n", f"mandatory: true\nconfidence_survey:\n{lines}"
    )
    return content / TRACK / "track.yaml"


@pytest.fixture
def store(content: Path) -> Iterator[Store]:
    with_survey(content)
    opened = open_store(resolve_paths())
    assert install_if_changed(opened, content).installed
    yield opened
    opened.close()


@pytest.fixture
def surveys(store: Store) -> SurveyService:
    config = load_config(
        resolve_paths(),
        overrides={
            "identity.source": "fixed",
            "identity.name": "learner-42",
            "identity.home_page": HOME,
            "content.activity_base": BASE,
        },
    )
    return SurveyService(store, config, clock=lambda: NOW)


def outbox(store: Store) -> list[dict[str, object]]:
    with store.read() as db:
        return [json.loads(r[0]) for r in db.execute("SELECT statement_json FROM outbox ORDER BY id")]


# -- the checker -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statements", "phrase"),
    [
        (STATEMENTS[:2], "has 3 to 5 statements for learners to rate 1–5, not 2"),
        ((*STATEMENTS, "a", "b", "c"), "not 6"),
        ((STATEMENTS[0], STATEMENTS[0], STATEMENTS[1]), "listed twice"),
        ((*STATEMENTS[:2], "x" * 201), "statement 3 is 201 characters"),
    ],
)
def test_a_survey_of_the_wrong_shape_is_reported_at_its_line(
    content: Path, statements: tuple[str, ...], phrase: str
) -> None:
    track_file = with_survey(content, statements)
    result = load_catalog(content)
    assert result.catalog is None
    (error,) = result.problems.errors
    assert error.path == track_file
    assert error.line == line_of(track_file, "confidence_survey:")
    assert phrase in error.message and "Value error" not in error.message


def test_a_track_without_a_survey_asks_nothing(content: Path) -> None:
    store = open_store(resolve_paths())
    try:
        assert install_if_changed(store, content).installed
        service = SurveyService(store, load_config(resolve_paths()), clock=lambda: NOW)
        assert service.prompt(TRACK, SurveyPhase.BEFORE) is None
    finally:
        store.close()


# -- rating, skipping, before and after ------------------------------------------------------------


def test_each_rating_is_a_valid_likert_statement_with_its_scale(store: Store, surveys: SurveyService) -> None:
    prompt = surveys.prompt(TRACK, SurveyPhase.BEFORE)
    assert prompt is not None and prompt.statements == STATEMENTS
    assert [n for n, _ in prompt.scale] == [1, 2, 3, 4, 5]
    assert surveys.submit(prompt, {0: 2, 1: 3, 2: 1}) == 3
    sent = outbox(store)
    assert len(sent) == 3
    for statement, rating in zip(sent, (2, 3, 1), strict=True):
        assert statement_problems(statement, activity_base=BASE, now=NOW) == []
        definition = statement["object"]["definition"]  # type: ignore[index]
        assert definition["interactionType"] == "likert"
        assert [s["id"] for s in definition["scale"]] == ["1", "2", "3", "4", "5"]
        assert statement["result"] == {"response": str(rating)}
        assert statement["context"]["extensions"][f"{BASE}/extensions/survey-phase"] == "before"  # type: ignore[index]
    assert len({s["context"]["registration"] for s in sent}) == 1  # type: ignore[index]
    assert surveys.prompt(TRACK, SurveyPhase.BEFORE) is None  # not asked twice


def test_a_skipped_survey_sends_nothing_and_is_not_asked_again(store: Store, surveys: SurveyService) -> None:
    prompt = surveys.prompt(TRACK, SurveyPhase.BEFORE)
    assert prompt is not None
    surveys.skip(prompt)
    assert outbox(store) == []
    assert surveys.prompt(TRACK, SurveyPhase.BEFORE) is None
    assert surveys.prompt(TRACK, SurveyPhase.AFTER) is not None


def test_before_and_after_are_returned_per_statement(surveys: SurveyService) -> None:
    before = surveys.prompt(TRACK, SurveyPhase.BEFORE)
    assert before is not None
    surveys.submit(before, {0: 2, 2: 1})  # the second statement skipped
    after = surveys.prompt(TRACK, SurveyPhase.AFTER)
    assert after is not None
    surveys.submit(after, {0: 4, 1: 5, 2: 4})
    assert [(c.statement, c.before, c.after) for c in surveys.before_after(TRACK)] == [
        (STATEMENTS[0], 2, 4),
        (STATEMENTS[1], None, 5),
        (STATEMENTS[2], 1, 4),
    ]


def test_a_rating_outside_one_to_five_is_refused_and_nothing_recorded(
    store: Store, surveys: SurveyService
) -> None:
    prompt = surveys.prompt(TRACK, SurveyPhase.BEFORE)
    assert prompt is not None
    with pytest.raises(SurveyError, match="from 1 to 5"):
        surveys.submit(prompt, {0: 6})
    assert outbox(store) == []
    assert surveys.prompt(TRACK, SurveyPhase.BEFORE) is not None
