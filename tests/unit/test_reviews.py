"""Quick reviews through the real services on a real store, with a fake clock."""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from microlearn.domain.courseware import Question
from microlearn.domain.review_links import teaching_card
from microlearn.domain.review_schedule import Certainty, rating_for, schedule
from microlearn.records.review_replay import rebuild_review_queue
from microlearn.services.content_install import install_if_changed
from microlearn.services.learning import LearningService
from microlearn.services.reviews import ReviewService, ReviewSession
from microlearn.settings.config import Config, load_config
from microlearn.settings.paths import resolve_paths
from microlearn.store.opening import Store, open_store
from tests.support.locations import SAMPLE_CONTENT
from tests.support.xapi_rules import statement_problems

HOME = "https://learn.example.org"
BASE = "https://learn.example.org/microlearn"
MONDAY = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


class FakeClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def config(**extra: object) -> Config:
    return load_config(
        resolve_paths(),
        overrides={
            "identity.source": "fixed",
            "identity.name": "learner-42",
            "identity.home_page": HOME,
            "content.activity_base": BASE,
            **extra,
        },
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    opened = open_store(resolve_paths())
    assert install_if_changed(opened, content).installed
    yield opened
    opened.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(MONDAY)


@pytest.fixture
def learning(store: Store, clock: FakeClock) -> LearningService:
    return LearningService(store, config(), clock=clock, rng=random.Random(7))


@pytest.fixture
def reviews(store: Store, clock: FakeClock) -> ReviewService:
    return ReviewService(store, config(), clock=clock, rng=random.Random(11))


def wrong(question: Question) -> frozenset[str]:
    return frozenset({next(o.id for o in question.options if not o.correct)})


@dataclass(frozen=True)
class Taken:
    attempt_id: int
    missed: list[str]
    right: list[str]


def take_check(learning: LearningService, module_id: str, miss: int) -> Taken:
    """A whole attempt; the first ``miss`` drawn questions answered wrong, the rest right."""
    view = learning.open_attempt(module_id)
    for index in range(len(view.module.cards)):
        view = learning.show_card(view.attempt_id, index, 5.0)
    view = learning.start_check(view.attempt_id, 5.0)
    taken = Taken(view.attempt_id, [], [])
    for index, item in enumerate(view.drawn):
        question = view.module.question(item.question_id)
        chosen = wrong(question) if index < miss else question.correct_ids
        (taken.missed if index < miss else taken.right).append(question.id)
        learning.answer_question(view.attempt_id, question.id, chosen, 10.0, certainty=Certainty.SURE)
    learning.finish_check(view.attempt_id, 20.0)
    return taken


def outbox_statements(store: Store) -> list[dict[str, object]]:
    with store.read() as db:
        rows = db.execute("SELECT statement_json FROM outbox ORDER BY id").fetchall()
    return [json.loads(r[0]) for r in rows]


# -- the rating and the scheduler ------------------------------------------------------------------


def test_the_rating_follows_correctness_and_certainty() -> None:
    assert rating_for(False, Certainty.SURE).name == "Again"
    assert rating_for(True, Certainty.NOT_SURE).name == "Hard"
    assert rating_for(True, Certainty.FAIRLY_SURE).name == "Good"
    assert rating_for(True, None).name == "Good"


def test_a_wrong_answer_comes_back_sooner_than_an_unsure_or_a_sure_right_one() -> None:
    missed = schedule(None, False, Certainty.SURE, MONDAY).due
    unsure = schedule(None, True, Certainty.NOT_SURE, MONDAY).due
    sure = schedule(None, True, Certainty.SURE, MONDAY).due
    assert MONDAY < missed <= unsure < sure


def test_an_item_remembered_again_waits_longer_each_time() -> None:
    first = schedule(None, True, Certainty.SURE, MONDAY)
    second = schedule(first.state_json, True, Certainty.SURE, first.due)
    assert second.due - first.due > first.due - MONDAY


def test_a_first_answer_schedules_the_same_state_wherever_and_whenever_it_is_replayed() -> None:
    # The state depends on the answer alone, not on the wall clock of the laptop computing it.
    first = schedule(None, True, Certainty.SURE, MONDAY)
    again = schedule(None, True, Certainty.SURE, MONDAY)
    assert first.state_json == again.state_json


# -- what enters the queue -------------------------------------------------------------------------


def test_a_question_missed_on_monday_comes_back_when_it_is_due(
    learning: LearningService, reviews: ReviewService, clock: FakeClock
) -> None:
    taken = take_check(learning, "first-module", miss=1)
    assert reviews.offer() is None  # nothing is due straight after the check

    clock.now = MONDAY + timedelta(days=1)
    session = reviews.start_session()
    assert [q.question.id for q in session.questions] == taken.missed  # the right ones wait longer

    clock.now = MONDAY + timedelta(days=30)
    later = reviews.start_session()
    assert {q.question.id for q in later.questions} == {*taken.missed, *taken.right}


def test_a_missed_inline_check_enters_but_retrying_it_at_once_does_not_reschedule(
    store: Store, learning: LearningService, reviews: ReviewService, clock: FakeClock
) -> None:
    view = learning.open_attempt("first-module")
    card = view.module.cards[0]
    assert card.check is not None
    learning.answer_inline(view.attempt_id, 0, wrong(card.check))
    learning.answer_inline(view.attempt_id, 0, card.check.correct_ids)  # after seeing the feedback
    with store.read() as db:
        state, due = db.execute("SELECT fsrs_card, due FROM review_items WHERE source = 'inline'").fetchone()
    # The retry right after the feedback is not recall: the item keeps the miss's schedule.
    missed = schedule(None, False, None, MONDAY)
    assert json.loads(state)["stability"] == json.loads(missed.state_json)["stability"]
    assert datetime.fromisoformat(due).replace(tzinfo=UTC) == missed.due

    clock.now = MONDAY + timedelta(days=1)
    (shown,) = [q for q in reviews.start_session().questions if q.source == "inline"]
    assert (shown.module_id, shown.card_index, shown.question.prompt) == (
        "first-module",
        0,
        card.check.prompt,
    )


def test_reviews_never_change_a_modules_result(
    store: Store, learning: LearningService, reviews: ReviewService, clock: FakeClock
) -> None:
    attempt_id = take_check(learning, "first-module", miss=1).attempt_id
    with store.read() as db:
        before = db.execute("SELECT kind, score_raw FROM results ORDER BY id").fetchall()
        answers_before = db.execute("SELECT count(*) FROM answers").fetchone()[0]
    clock.now = MONDAY + timedelta(days=2)
    session = reviews.start_session()
    for shown in session.questions:
        reviews.answer(session, shown, shown.question.correct_ids, Certainty.SURE)
    with store.read() as db:
        assert db.execute("SELECT kind, score_raw FROM results ORDER BY id").fetchall() == before
        assert db.execute("SELECT count(*) FROM answers").fetchone()[0] == answers_before
    assert learning.view(attempt_id).score is not None
    assert learning.view(attempt_id).score.passed is False  # type: ignore[union-attr]


# -- a review session ------------------------------------------------------------------------------


def test_a_session_is_short_and_estimates_its_minutes_like_the_checker(
    learning: LearningService, reviews: ReviewService, clock: FakeClock
) -> None:
    take_check(learning, "first-module", miss=3)
    take_check(learning, "second-module", miss=0)
    clock.now = MONDAY + timedelta(days=60)
    offer = reviews.offer(size=5)
    assert offer is not None and offer.due >= 6 and offer.questions == 5
    assert offer.minutes == pytest.approx(5 * 0.75)
    assert len(reviews.start_session(size=5).questions) == 5


def test_each_session_shows_the_options_in_a_fresh_order(
    learning: LearningService, reviews: ReviewService, clock: FakeClock
) -> None:
    take_check(learning, "first-module", miss=3)
    clock.now = MONDAY + timedelta(days=1)
    orders = {reviews.start_session().questions[0].option_order for _ in range(12)}
    assert len(orders) > 1
    assert all(len(set(order)) == len(order) >= 2 for order in orders)


def test_feedback_explains_and_links_to_the_card_that_teaches_it(
    learning: LearningService, reviews: ReviewService, clock: FakeClock
) -> None:
    take_check(learning, "first-module", miss=1)
    clock.now = MONDAY + timedelta(days=1)
    session = reviews.start_session()
    (shown,) = session.questions
    feedback = reviews.answer(session, shown, wrong(shown.question), Certainty.SURE)
    assert not feedback.correct and feedback.correct_ids == shown.question.correct_ids
    assert feedback.explanation == shown.question.explanation != ""
    module = learning.open_attempt("first-module").module
    assert feedback.module_id == "first-module"
    assert feedback.card_title == module.cards[feedback.card_index].title
    assert feedback.next_due > clock.now


def test_the_link_goes_to_the_card_whose_words_the_question_shares(learning: LearningService) -> None:
    module = learning.open_attempt("first-module").module
    # "Which colour is the square in the picture?" is taught by the card with the picture.
    assert module.cards[teaching_card(module, module.question("pick-one"))].title == "A picture"
    assert teaching_card(module, None) == 0


def test_each_review_answer_is_a_valid_answered_statement_of_its_session(
    store: Store, learning: LearningService, reviews: ReviewService, clock: FakeClock
) -> None:
    take_check(learning, "first-module", miss=2)
    clock.now = MONDAY + timedelta(days=1)
    before = len(outbox_statements(store))
    session: ReviewSession = reviews.start_session()
    for shown in session.questions:
        reviews.answer(session, shown, shown.question.correct_ids, Certainty.NOT_SURE)
    recorded = outbox_statements(store)[before:]
    assert len(recorded) == len(session.questions) == 2
    for statement in recorded:
        assert statement_problems(statement, activity_base=BASE, now=clock.now) == []
        assert statement["verb"]["id"] == "http://adlnet.gov/expapi/verbs/answered"  # type: ignore[index]
        context = statement["context"]
        assert context["registration"] == session.registration  # type: ignore[index]
        grouping = {a["id"] for a in context["contextActivities"]["grouping"]}  # type: ignore[index]
        assert f"{BASE}/modules/first-module" in grouping
        assert context["extensions"][f"{BASE}/extensions/certainty"] == "not_sure"  # type: ignore[index]


def test_a_review_answer_and_its_statement_are_one_transaction(
    store: Store, learning: LearningService, reviews: ReviewService, clock: FakeClock
) -> None:
    take_check(learning, "first-module", miss=1)
    clock.now = MONDAY + timedelta(days=1)
    session = reviews.start_session()
    (shown,) = session.questions
    with store.read() as db:
        statements_before = db.execute("SELECT count(*) FROM outbox").fetchone()[0]
        due_before = db.execute(
            "SELECT due FROM review_items WHERE question_id = ?", (shown.question.id,)
        ).fetchone()[0]
    with store.write() as db:  # a statement id already taken makes the outbox INSERT fail
        db.execute("CREATE TRIGGER refuse BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'full'); END")
    with pytest.raises(Exception, match="full"):
        reviews.answer(session, shown, shown.question.correct_ids, Certainty.SURE)
    with store.read() as db:
        assert db.execute("SELECT count(*) FROM outbox").fetchone()[0] == statements_before
        assert (
            db.execute("SELECT due FROM review_items WHERE question_id = ?", (shown.question.id,)).fetchone()[
                0
            ]
            == due_before
        )


# -- restore ---------------------------------------------------------------------------------------


def test_restore_rebuilds_the_review_queue_from_the_statements(
    store: Store, learning: LearningService, reviews: ReviewService, clock: FakeClock
) -> None:
    taken = take_check(learning, "first-module", miss=2)
    clock.now = MONDAY + timedelta(days=1)
    session = reviews.start_session()
    first = session.questions[0]
    reviews.answer(session, first, first.question.correct_ids, Certainty.NOT_SURE)  # Hard
    clock.now = MONDAY + timedelta(days=2)
    due_here = {(q.question.id, q.source) for q in reviews.start_session(size=50).questions}
    with store.read() as db:
        here = db.execute(
            "SELECT module_id, question_id, source, due FROM review_items ORDER BY 1, 2"
        ).fetchall()
    sent = outbox_statements(store)  # what the central record holds of this learner

    with store.write() as db:  # a new laptop: the queue is gone
        db.execute("DELETE FROM review_items")
    assert reviews.start_session().questions == ()

    assert rebuild_review_queue(store, sent, BASE) == len(here) == len(taken.missed) + len(taken.right)
    with store.read() as db:
        rebuilt = db.execute(
            "SELECT module_id, question_id, source, due FROM review_items ORDER BY 1, 2"
        ).fetchall()
    assert rebuilt == here
    assert {(q.question.id, q.source) for q in reviews.start_session(size=50).questions} == due_here


def test_restore_keeps_what_is_still_waiting_here_and_what_no_statement_speaks_of(
    store: Store, learning: LearningService, reviews: ReviewService, clock: FakeClock
) -> None:
    view = learning.open_attempt("first-module")
    card = view.module.cards[0]
    assert card.check is not None
    learning.answer_inline(view.attempt_id, 0, wrong(card.check))  # practice: never a statement
    taken = take_check(learning, "first-module", miss=1)  # still in the outbox, not yet sent

    assert rebuild_review_queue(store, [], BASE) == 1 + len(taken.missed) + len(taken.right)
    clock.now = MONDAY + timedelta(days=1)
    due = {(q.question.id, q.source) for q in reviews.start_session(size=50).questions}
    assert due == {(card.id, "inline"), *((q, "check") for q in taken.missed)}


def test_restore_replays_answers_not_yet_sent_after_the_ones_the_record_holds(
    store: Store, learning: LearningService, clock: FakeClock
) -> None:
    take_check(learning, "first-module", miss=3)
    in_the_record = outbox_statements(store)  # synced; what follows is not yet
    clock.now = MONDAY + timedelta(days=1)
    take_check(learning, "first-module", miss=0)
    with store.read() as db:
        here = [tuple(r) for r in db.execute("SELECT question_id, due FROM review_items ORDER BY 1")]

    rebuild_review_queue(store, in_the_record, BASE)
    with store.read() as db:
        assert [tuple(r) for r in db.execute("SELECT question_id, due FROM review_items ORDER BY 1")] == here
