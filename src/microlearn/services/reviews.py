"""Quick reviews: what was answered comes back when FSRS says it is due, in short sessions.

Every knowledge-check answer and the first try at each inline check enters the review
queue (wrong ones come back soon, right ones at FSRS's longer intervals), in the same
transaction as the answer. A review session is a handful of due items with a fresh option
order; each review answer is an xAPI ``answered`` statement queued in the same transaction
as the item's new schedule (transactional outbox). Reviews never touch attempts or
results: a module's pass or fail stays what the knowledge check made it.
"""

from __future__ import annotations

import random
import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from microlearn.content.stats import MINUTES_PER_DRAWN_QUESTION, MINUTES_PER_INLINE_CHECK
from microlearn.domain.attempt import validate_selection
from microlearn.domain.courseware import Module, Question
from microlearn.domain.review_links import teaching_card
from microlearn.domain.review_schedule import Certainty, schedule
from microlearn.records import statements
from microlearn.records.statements import AttemptContext
from microlearn.services.attempt_context import attempt_context
from microlearn.settings.config import Config
from microlearn.store import content_reads, outbox, review_items
from microlearn.store.courseware_rows import module_from_rows
from microlearn.store.opening import Store
from microlearn.store.plain_sql import utc_now

Clock = Callable[[], datetime]
SESSION_SIZE = 5


def enter_answer(
    db: sqlite3.Connection,
    *,
    module_id: str,
    question_id: str,
    source: str,
    card_index: int,
    correct: bool,
    certainty: Certainty | None,
    when: datetime,
) -> None:
    """Schedule a question after a knowledge-check answer or an inline check, in the caller's
    transaction. A second try at an inline check before it is due is practice after feedback,
    not recall, so it leaves the schedule alone."""
    existing = review_items.find(db, module_id, question_id, source)
    if existing is not None and source == review_items.INLINE and existing.due > when:
        return
    scheduled = schedule(None if existing is None else existing.state_json, correct, certainty, when)
    review_items.save(
        db,
        module_id=module_id,
        question_id=question_id,
        source=source,
        card_index=card_index,
        state_json=scheduled.state_json,
        due=scheduled.due,
        statement_id=None,
        at=when,
    )


def session_minutes(items: int, inline_checks: int = 0) -> float:
    """A review session's minutes, by the content checker's formula for questions and checks."""
    knowledge = items - inline_checks
    return knowledge * MINUTES_PER_DRAWN_QUESTION + inline_checks * MINUTES_PER_INLINE_CHECK


@dataclass(frozen=True)
class ReviewOffer:
    """What Today shows: "Quick review · 5 questions · about 4 minutes"."""

    due: int  # every item due now
    questions: int  # in the next session
    minutes: float


@dataclass(frozen=True)
class ReviewQuestion:
    item_id: int
    module_id: str
    module_title: str
    source: str  # check | inline
    question: Question
    option_order: tuple[str, ...]  # fresh for each session
    card_index: int  # the card that teaches it: open the module there to read it again
    card_title: str


@dataclass(frozen=True)
class ReviewSession:
    registration: str  # one per review session, in every statement of it
    questions: tuple[ReviewQuestion, ...]
    minutes: float


@dataclass(frozen=True)
class ReviewFeedback:
    correct: bool
    correct_ids: frozenset[str]
    option_feedback: dict[str, str]
    explanation: str
    module_id: str
    card_index: int
    card_title: str
    next_due: datetime


class ReviewNotFoundError(LookupError):
    pass


class ReviewService:
    def __init__(
        self, store: Store, config: Config, clock: Clock = utc_now, rng: random.Random | None = None
    ) -> None:
        self._store = store
        self._config = config
        self._clock = clock
        self._rng = rng or random.SystemRandom()

    def offer(self, size: int = SESSION_SIZE) -> ReviewOffer | None:
        """Today's quick-review line, or None when nothing is due. One indexed count."""
        with self._store.read() as db:
            due = review_items.due_count(db, self._clock())
            if not due:
                return None
            items = review_items.due(db, self._clock(), size)
        inline = sum(1 for item in items if item.source == review_items.INLINE)
        return ReviewOffer(due=due, questions=len(items), minutes=session_minutes(len(items), inline))

    def start_session(self, size: int = SESSION_SIZE) -> ReviewSession:
        """The next few due items, each with its options in a fresh order."""
        now = self._clock()
        with self._store.read() as db:
            items = review_items.due(db, now, size * 2)  # some may name content no longer installed
        questions: list[ReviewQuestion] = []
        modules: dict[str, Module | None] = {}
        with self._store.read_sessions() as session:
            for item in items:
                if item.module_id not in modules:
                    row = content_reads.active_module(session, item.module_id)
                    found = None if row is None else content_reads.module_rows(session, row.pk)
                    modules[item.module_id] = None if found is None else module_from_rows(*found[:3])
                module = modules[item.module_id]
                shown = None if module is None else self._review_question(module, item)
                if shown is not None:
                    questions.append(shown)
                if len(questions) == size:
                    break
        inline = sum(1 for q in questions if q.source == review_items.INLINE)
        return ReviewSession(
            registration=str(uuid.uuid4()),
            questions=tuple(questions),
            minutes=session_minutes(len(questions), inline),
        )

    def _review_question(self, module: Module, item: review_items.ReviewItem) -> ReviewQuestion | None:
        question: Question | None
        if item.source == review_items.INLINE:
            index = next((i for i, c in enumerate(module.cards) if c.id == item.question_id), -1)
            question = module.cards[index].check if index >= 0 else None
        else:
            question = next((q for q in module.questions if q.id == item.question_id), None)
            index = item.card_index if item.card_index >= 0 else teaching_card(module, question)
        if question is None:
            return None  # the question left the content in a later version
        order = [o.id for o in question.options]
        self._rng.shuffle(order)
        return ReviewQuestion(
            item_id=item.id,
            module_id=module.id,
            module_title=module.title,
            source=item.source,
            question=question,
            option_order=tuple(order),
            card_index=index,
            card_title=module.cards[index].title,
        )

    def answer(
        self,
        session: ReviewSession,
        shown: ReviewQuestion,
        selected: frozenset[str],
        certainty: Certainty | None = None,
    ) -> ReviewFeedback:
        """Check a review answer, reschedule the item and queue its ``answered`` statement,
        in one transaction. Attempts and results are not touched."""
        question = shown.question
        validate_selection(question, selected)
        correct = question.is_correct(selected)
        now = self._clock()
        with self._store.write() as db:
            item = review_items.by_id(db, shown.item_id)
            if item is None:
                raise ReviewNotFoundError(f"review item {shown.item_id}")
            scheduled = schedule(item.state_json, correct, certainty, now)
            statement = statements.review_answered(
                self._context(db, shown.module_id, session.registration),
                now,
                question,
                sorted(selected),
                correct,
                question_id=item.question_id,
                source=item.source,
                certainty=None if certainty is None else certainty.value,
            )
            review_items.save(
                db,
                module_id=item.module_id,
                question_id=item.question_id,
                source=item.source,
                card_index=item.card_index,
                state_json=scheduled.state_json,
                due=scheduled.due,
                statement_id=statement.id,
                at=now,
            )
            outbox.queue_statement(db, statement, now)
        return ReviewFeedback(
            correct=correct,
            correct_ids=question.correct_ids,
            option_feedback={o.id: o.feedback for o in question.options},
            explanation=question.explanation,
            module_id=shown.module_id,
            card_index=shown.card_index,
            card_title=shown.card_title,
            next_due=scheduled.due,
        )

    def _context(self, db: sqlite3.Connection, module_id: str, registration: str) -> AttemptContext:
        facts = content_reads.active_module_facts(db, module_id)
        if facts is None:
            raise ReviewNotFoundError(f"module {module_id} is not installed")
        return attempt_context(self._config, facts, registration)
