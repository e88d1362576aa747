"""Certainty on knowledge-check answers: asked by default, switchable per track and by policy."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from microlearn.domain.courseware import Question
from microlearn.domain.review_schedule import Certainty
from microlearn.services.content_install import install_if_changed
from microlearn.services.learning import AttemptView, LearningService
from microlearn.settings.config import Config, load_config
from microlearn.settings.paths import resolve_paths
from microlearn.store.opening import Store, open_store
from tests.support.content_samples import TRACK, replace
from tests.support.xapi_rules import statement_problems

HOME = "https://learn.example.org"
BASE = "https://learn.example.org/microlearn"
CERTAINTY = f"{BASE}/extensions/certainty"
NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def config() -> Config:
    return load_config(
        resolve_paths(),
        overrides={
            "identity.source": "fixed",
            "identity.name": "learner-42",
            "identity.home_page": HOME,
            "content.activity_base": BASE,
        },
    )


def opened(content: Path) -> Store:
    store = open_store(resolve_paths())
    assert install_if_changed(store, content).installed
    return store


@pytest.fixture
def store(content: Path) -> Iterator[Store]:
    store = opened(content)
    yield store
    store.close()


def learning_on(store: Store) -> LearningService:
    return LearningService(store, config(), clock=lambda: NOW, rng=random.Random(3))


def in_check(learning: LearningService, module_id: str = "first-module") -> AttemptView:
    view = learning.open_attempt(module_id)
    for index in range(len(view.module.cards)):
        view = learning.show_card(view.attempt_id, index, 5.0)
    return learning.start_check(view.attempt_id, 5.0)


def wrong(question: Question) -> frozenset[str]:
    return frozenset({next(o.id for o in question.options if not o.correct)})


def answered_statements(store: Store) -> list[dict[str, object]]:
    with store.read() as db:
        rows = db.execute("SELECT statement_json FROM outbox WHERE verb = 'answered' ORDER BY id").fetchall()
    return [json.loads(r[0]) for r in rows]


def extensions(statement: dict[str, object]) -> dict[str, object]:
    return statement["context"]["extensions"]  # type: ignore[index,no-any-return]


def test_certainty_is_asked_by_default_and_goes_into_the_answered_statement(store: Store) -> None:
    learning = learning_on(store)
    assert learning.asks_certainty("first-module")
    view = in_check(learning)
    question = view.module.question(view.drawn[0].question_id)
    learning.answer_question(
        view.attempt_id, question.id, question.correct_ids, 9.0, certainty=Certainty.FAIRLY_SURE
    )
    (statement,) = answered_statements(store)
    assert extensions(statement)[CERTAINTY] == "fairly_sure"
    assert statement_problems(statement, activity_base=BASE, now=NOW) == []


def test_a_track_can_turn_the_certainty_prompt_off(content: Path) -> None:
    replace(content / TRACK / "track.yaml", "mandatory: true\n", "mandatory: true\nask_certainty: false\n")
    store = opened(content)
    try:
        learning = learning_on(store)
        assert not learning.asks_certainty("first-module")
        view = in_check(learning)
        question = view.module.question(view.drawn[0].question_id)
        learning.answer_question(
            view.attempt_id, question.id, question.correct_ids, 9.0, certainty=Certainty.SURE
        )
        (statement,) = answered_statements(store)
        assert CERTAINTY not in extensions(statement)
    finally:
        store.close()


def test_the_policy_can_turn_the_certainty_prompt_off(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    policy = tmp_path / "it" / "policy.toml"
    policy.parent.mkdir()
    policy.write_text(
        f'[identity]\nsource = "fixed"\nname = "learner-42"\nhome_page = "{HOME}"\n'
        f'[content]\nactivity_base = "{BASE}"\n[learning]\nask_certainty = false\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("MICROLEARN_POLICY", str(policy))
    learning = LearningService(store, load_config(resolve_paths()), clock=lambda: NOW)
    assert not learning.asks_certainty("first-module")
    view = in_check(learning)
    question = view.module.question(view.drawn[0].question_id)
    learning.answer_question(
        view.attempt_id, question.id, question.correct_ids, 9.0, certainty=Certainty.SURE
    )
    (statement,) = answered_statements(store)
    assert CERTAINTY not in extensions(statement)


def test_results_list_confidently_wrong_answers_first(store: Store) -> None:
    learning = learning_on(store)
    view = in_check(learning)
    first, second, third = (view.module.question(d.question_id) for d in view.drawn)
    learning.answer_question(view.attempt_id, first.id, first.correct_ids, 5.0, certainty=Certainty.SURE)
    learning.answer_question(view.attempt_id, second.id, wrong(second), 6.0, certainty=Certainty.NOT_SURE)
    learning.answer_question(view.attempt_id, third.id, wrong(third), 7.0, certainty=Certainty.SURE)
    listed = learning.answers_for_results(view.attempt_id)
    assert [(a.question_id, a.correct, a.certainty) for a in listed] == [
        (third.id, False, "sure"),
        (second.id, False, "not_sure"),
        (first.id, True, "sure"),
    ]
