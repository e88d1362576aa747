"""Certainty, quick-review and confidence-survey statements reach a real LRS as valid xAPI.

Straight to Ralph through a recording passthrough, and through the strict-LRS emulation
(strict about properties, IRIs and versions; a batch holding a known id refused whole,
which a re-send of everything then meets).
"""

from __future__ import annotations

import json
import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from microlearn.domain.review_schedule import Certainty
from microlearn.records.lrs_client import LrsClient, LrsSettings
from microlearn.records.restore import RestoreOutcome, restore_progress
from microlearn.records.statements import ADL_VERBS
from microlearn.records.sync_engine import Outcome
from microlearn.services.learning import LearningService
from microlearn.services.reviews import ReviewService
from microlearn.services.surveys import SurveyPhase, SurveyService
from microlearn.store import track_options
from tests.support.learners import (
    BASE,
    MODULES,
    Learner,
    LearnerFactory,
    agent_of,
    assert_ralph_holds_exactly,
    ralph_client,
    wrong_answer,
)
from tests.support.lrs.fault_proxy import FaultProxy
from tests.support.lrs.ralph_server import RalphServer
from tests.support.lrs.scripted_lrs import ScriptedLrs
from tests.support.xapi_rules import assert_valid_statement

pytestmark = pytest.mark.lrs

STATEMENTS = (
    "I can explain to a customer why a fraud alert is not a verdict",
    "I know what to check before I paste data into an AI tool",
    "I can tell when a model's score should not be trusted",
)


def learn_review_and_rate(learner: Learner) -> None:
    """Yesterday: a knowledge check with certainty, two answers missed; now: a quick review
    and a before-survey (timestamps never in the future)."""
    services = learner.services
    yesterday = datetime.now(UTC) - timedelta(days=1, hours=1)
    learning = LearningService(services.store, services.config, clock=lambda: yesterday, rng=random.Random(5))
    view = learning.open_attempt(MODULES[0])
    for index in range(len(view.module.cards)):
        view = learning.show_card(view.attempt_id, index, 4.0)
    view = learning.start_check(view.attempt_id, 4.0)
    for number, item in enumerate(view.drawn):
        question = view.module.question(item.question_id)
        chosen = wrong_answer(question) if number < 2 else question.correct_ids
        learning.answer_question(view.attempt_id, question.id, chosen, 9.0, certainty=Certainty.SURE)
    learning.finish_check(view.attempt_id, 30.0)
    learning.leave(view.attempt_id, 31.0)

    reviews = ReviewService(services.store, services.config, rng=random.Random(6))
    session = reviews.start_session()
    assert len(session.questions) == 2
    for shown in session.questions:
        reviews.answer(session, shown, shown.question.correct_ids, Certainty.NOT_SURE)

    with services.store.read() as db:
        (track_id,) = db.execute(
            "SELECT track_id FROM modules WHERE id = ? AND active", (MODULES[0],)
        ).fetchone()
    with services.store.write() as db:  # the track as an author with a survey would have installed it
        track_options.write(db, track_id, True, STATEMENTS)
    surveys = SurveyService(services.store, services.config)
    prompt = surveys.prompt(track_id, SurveyPhase.BEFORE)
    assert prompt is not None
    assert surveys.submit(prompt, {0: 2, 1: 4, 2: 3}) == 3


@pytest.mark.parametrize("lrs", ["fault_proxy", "strict_lrs"])
def test_certainty_review_and_survey_statements_are_accepted_and_valid(
    make_learner: LearnerFactory, ralph: RalphServer, request: pytest.FixtureRequest, lrs: str
) -> None:
    # fault_proxy: a recording passthrough to Ralph; strict_lrs: the strict-LRS emulation.
    proxy: FaultProxy = request.getfixturevalue(lrs)
    learner = make_learner(proxy.url, ralph)
    learn_review_and_rate(learner)
    rows = learner.outbox()
    statements = [json.loads(r.json) for r in rows]
    answers = [
        s for s in statements if s["verb"]["id"].endswith("/answered") and "/survey/" not in s["object"]["id"]
    ]
    reviews = [s for s in answers if f"{BASE}/extensions/review" in s["context"]["extensions"]]
    surveys = [s for s in statements if "/survey/" in s["object"]["id"]]
    assert len(reviews) == 2 and len(surveys) == 3 and len(answers) > len(reviews)
    assert all(f"{BASE}/extensions/certainty" in s["context"]["extensions"] for s in answers)
    for statement in statements:
        assert_valid_statement(statement, activity_base=BASE)

    report = learner.sync_service(batch_size=4).sync_now()
    assert report.outcome is Outcome.ALL_SENT, report.summary
    assert all(r.status == "sent" for r in learner.outbox())
    assert_ralph_holds_exactly(ralph, learner)
    # A re-send of all of them (a lost answer, say): the strict LRS refuses each batch with 409,
    # and every statement is still settled as sent, none doubled.
    learner.execute("UPDATE outbox SET status = 'pending', sent_at = NULL")
    again = learner.sync_service(batch_size=4).sync_now()
    assert again.outcome is Outcome.ALL_SENT, again.summary
    assert_ralph_holds_exactly(ralph, learner)

    # A second laptop of the same learner: restore rebuilds the review queue from the LRS.
    with learner.services.store.read() as db:
        queue = [
            tuple(r) for r in db.execute("SELECT module_id, question_id, due FROM review_items ORDER BY 1, 2")
        ]
    other = make_learner(proxy.url, ralph, name=learner.name)
    with ralph_client(ralph) as client:
        report = restore_progress(other.services.store, client, other.services.config)
    assert report.outcome is RestoreOutcome.RESTORED and report.review_items == len(queue)
    with other.services.store.read() as db:
        rebuilt = [
            tuple(r) for r in db.execute("SELECT module_id, question_id, due FROM review_items ORDER BY 1, 2")
        ]
    assert rebuilt == queue


def answered(learner: str, question: str, success: bool) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "actor": agent_of(learner),
        "verb": {"id": ADL_VERBS + "answered"},
        "object": {"objectType": "Activity", "id": f"{BASE}/modules/{MODULES[0]}/questions/{question}"},
        "result": {"success": success, "response": "a"},
        "context": {"registration": str(uuid.uuid4())},
        "timestamp": "2026-11-20T09:00:00.000Z",
    }


def test_restore_queues_only_the_learners_own_answers_that_were_not_voided(
    make_learner: LearnerFactory, ralph: RalphServer
) -> None:
    with ScriptedLrs(prefix="/lrs/xAPI/") as scripted:
        learner = make_learner(scripted.endpoint, ralph)
        missed, right, withdrawn = (
            answered(learner.name, "missed", False),
            answered(learner.name, "right", True),
            answered(learner.name, "withdrawn", False),
        )
        voiding = {
            "id": str(uuid.uuid4()),
            "actor": agent_of(learner.name),
            "verb": {"id": ADL_VERBS + "voided"},
            "object": {"objectType": "StatementRef", "id": withdrawn["id"]},
            "timestamp": "2026-11-20T09:05:00.000Z",
        }
        someone_elses = answered("someone-else", "theirs", False)
        scripted.pages = [{"statements": [missed, right, withdrawn, voiding, someone_elses]}]
        with LrsClient(LrsSettings(scripted.endpoint, "someone", "pw")) as client:
            report = restore_progress(learner.services.store, client, learner.services.config)
    assert report.outcome is RestoreOutcome.RESTORED and report.review_items == 2
    with learner.services.store.read() as db:
        queued = {r[0] for r in db.execute("SELECT question_id FROM review_items")}
    assert queued == {"missed", "right"}
