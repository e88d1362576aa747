"""Use cases of the module player: start or resume, move through cards, answer, finish.

Every learning event is written in ONE transaction with its xAPI statement in the
outbox (DESIGN.md, transactional outbox): nothing recorded without its statement, no
statement without its event.
"""

from __future__ import annotations

import random
import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from microlearn.domain.attempt import (
    DrawnQuestion,
    Phase,
    Score,
    all_cards_seen,
    draw_questions,
    score_answers,
    validate_selection,
)
from microlearn.domain.courseware import Module, Question
from microlearn.domain.review_schedule import Certainty
from microlearn.records import statements
from microlearn.records.statements import AttemptContext, FrozenStatement
from microlearn.services import reviews
from microlearn.services.attempt_context import attempt_context
from microlearn.settings.config import Config
from microlearn.store import (
    attempts,
    certainties,
    content_reads,
    outbox,
    results,
    review_items,
    track_options,
)
from microlearn.store.courseware_rows import module_from_rows, question_from_json
from microlearn.store.models import AttemptRow, ResultRow
from microlearn.store.opening import Store
from microlearn.store.plain_sql import session_connection, utc_now

Clock = Callable[[], datetime]
_CACHED_SESSIONS = 64


@dataclass(frozen=True)
class AnswerFeedback:
    correct: bool
    selected: frozenset[str]
    correct_ids: frozenset[str]
    option_feedback: dict[str, str]
    explanation: str


@dataclass(frozen=True)
class AttemptView:
    attempt_id: int
    registration: str
    number: int
    module: Module
    track_title: str
    phase: Phase
    card_index: int
    cards_seen: frozenset[int]
    drawn: tuple[DrawnQuestion, ...]
    check_index: int
    answers: dict[str, frozenset[str]]
    practice: dict[str, frozenset[str]]
    seconds_spent: float
    score: Score | None
    lessons_done_before: bool = False  # an earlier attempt on this version saw every card

    @property
    def completed(self) -> bool:
        return all_cards_seen(self.module, self.cards_seen)

    def drawn_question(self, index: int) -> tuple[Question, DrawnQuestion]:
        item = self.drawn[index]
        return self.module.question(item.question_id), item


class AttemptNotFoundError(LookupError):
    pass


def feedback_for(question: Question, selected: frozenset[str]) -> AnswerFeedback:
    return AnswerFeedback(
        correct=question.is_correct(selected),
        selected=selected,
        correct_ids=question.correct_ids,
        option_feedback={o.id: o.feedback for o in question.options},
        explanation=question.explanation,
    )


class LearningService:
    def __init__(
        self, store: Store, config: Config, clock: Clock = utc_now, rng: random.Random | None = None
    ) -> None:
        self._store = store
        self._config = config
        self._clock = clock
        self._rng = rng or random.SystemRandom()
        # An installed module version never changes its text, so what is read of it is cached.
        self._modules: dict[int, tuple[Module, str]] = {}
        self._module_facts: dict[int, content_reads.ModuleFacts] = {}
        self._questions: dict[tuple[int, str], Question] = {}
        # What the answer path needs and an attempt does not change: its drawn questions, and
        # its statements' context within one learning session (the learner's name is a
        # system call on every read of the config). Keyed by the registration too, which
        # never repeats, so a restored store reusing an attempt's id is never misread.
        self._drawn: dict[tuple[int, str], frozenset[str]] = {}
        self._contexts: dict[tuple[int, str, str | None], AttemptContext] = {}

    # -- loading ----------------------------------------------------------------------------

    def _module(self, session: Session, module_pk: int) -> tuple[Module, str]:
        """The installed module and its track's title."""
        cached = self._modules.get(module_pk)
        if cached is None:
            found = content_reads.module_rows(session, module_pk)
            if found is None:
                raise AttemptNotFoundError(f"module row {module_pk}")
            row, cards, questions, track_title = found
            cached = self._modules[module_pk] = (module_from_rows(row, cards, questions), track_title)
        return cached

    def _attempt(self, session: Session, attempt_id: int) -> AttemptRow:
        attempt = attempts.attempt(session, attempt_id)
        if attempt is None:
            raise AttemptNotFoundError(f"attempt {attempt_id}")
        return attempt

    def _view(self, session: Session, attempt: AttemptRow) -> AttemptView:
        module, track_title = self._module(session, attempt.module_pk)
        answers: dict[str, frozenset[str]] = {}
        practice: dict[str, frozenset[str]] = {}
        for answer in attempts.answers_of(session, attempt.id):
            (practice if answer.practice else answers)[answer.question_id] = frozenset(answer.selected)
        drawn = tuple(DrawnQuestion(d["question_id"], tuple(d["option_order"])) for d in attempt.drawn)  # type: ignore[arg-type]
        phase = Phase(attempt.phase)
        score = score_answers(module, drawn, answers) if phase is Phase.RESULT else None
        return AttemptView(
            attempt_id=attempt.id,
            registration=attempt.registration,
            number=attempt.number,
            module=module,
            track_title=track_title,
            phase=phase,
            card_index=attempt.card_index,
            cards_seen=frozenset(attempt.cards_seen),
            drawn=drawn,
            check_index=attempt.check_index,
            answers=answers,
            practice=practice,
            seconds_spent=attempt.seconds_spent,
            score=score,
            lessons_done_before=phase is Phase.LESSONS and attempts.lessons_seen_before(session, attempt),
        )

    def _context(self, session: Session, attempt: AttemptRow) -> AttemptContext:
        return self._context_for(
            session_connection(session), attempt.module_pk, attempt.registration, attempt.session_id
        )

    def _context_for(
        self, db: sqlite3.Connection, module_pk: int, registration: str, session_id: str | None
    ) -> AttemptContext:
        """``db``: the connection of the transaction in progress (no second connection opened in it)."""
        key = (module_pk, registration, session_id)
        context = self._contexts.get(key)
        if context is not None:
            return context
        facts = self._module_facts.get(module_pk)
        if facts is None:
            found = content_reads.module_facts(db, module_pk)
            if found is None:
                raise AttemptNotFoundError(f"module row {module_pk}")
            facts = self._module_facts[module_pk] = found
        context = attempt_context(self._config, facts, registration, session_id)
        if len(self._contexts) >= _CACHED_SESSIONS:  # a long-running app meets many sessions
            self._contexts.clear()
        self._contexts[key] = context
        return context

    def _question(self, db: sqlite3.Connection, module_pk: int, question_id: str) -> Question:
        key = (module_pk, question_id)
        question = self._questions.get(key)
        if question is None:
            text = content_reads.question_json(db, module_pk, question_id)
            if text is None:
                raise KeyError(question_id)
            question = self._questions[key] = question_from_json(text)
        return question

    def _queue(self, session: Session, statement: FrozenStatement) -> None:
        # The outbox's one INSERT, in this session's own transaction.
        outbox.queue_statement(session_connection(session), statement, self._clock())

    def view(self, attempt_id: int) -> AttemptView:
        with self._store.read_sessions() as session:  # never waits for a writer
            return self._view(session, self._attempt(session, attempt_id))

    # -- starting and leaving ------------------------------------------------------------------

    def unfinished_attempt_id(self, module_id: str) -> int | None:
        """The module's unfinished attempt, if any, without starting a session (for the planner)."""
        with self._store.read_sessions() as session:
            attempt = attempts.unfinished_attempt(session, module_id)
            return None if attempt is None else attempt.id

    def open_attempt(self, module_id: str) -> AttemptView:
        """Resume the unfinished attempt of a module, or start a new one on its current version.

        Either way a new learning session begins, recorded with ``initialized``.
        """
        with self._store.sessions.begin() as session:
            attempt = attempts.unfinished_attempt(session, module_id)
            if attempt is None:
                attempt = self._new_attempt(session, module_id)
            now = self._clock()
            attempt.session_id = str(uuid.uuid4())
            attempt.session_started_seconds = attempt.seconds_spent
            attempt.updated_at = now
            session.flush()
            self._queue(session, statements.initialized(self._context(session, attempt), now))
            return self._view(session, attempt)

    def _new_attempt(self, session: Session, module_id: str) -> AttemptRow:
        row = content_reads.active_module(session, module_id)
        if row is None:
            raise AttemptNotFoundError(f"module {module_id} is not installed")
        module, _ = self._module(session, row.pk)
        now = self._clock()
        return attempts.add_attempt(
            session,
            registration=str(uuid.uuid4()),
            module_pk=row.pk,
            module_id=module_id,
            module_version=row.version,
            number=attempts.last_attempt_number(session, module_id) + 1,
            phase=Phase.LESSONS.value,
            card_index=0,
            cards_seen=[0],
            check_index=0,
            drawn=[
                {"question_id": d.question_id, "option_order": list(d.option_order)}
                for d in draw_questions(module, self._rng)
            ],
            seconds_spent=0.0,
            started_at=now,
            updated_at=now,
        )

    def leave(self, attempt_id: int, seconds_spent: float) -> None:
        """The learner leaves the player: save the time and record ``terminated``."""
        with self._store.sessions.begin() as session:
            attempt = self._attempt(session, attempt_id)
            self._save_time(attempt, seconds_spent)
            if attempt.session_id is None:
                return
            now = self._clock()
            session_seconds = attempt.seconds_spent - attempt.session_started_seconds
            self._queue(session, statements.terminated(self._context(session, attempt), now, session_seconds))
            attempt.session_id = None

    def save_time(self, attempt_id: int, seconds_spent: float) -> None:
        with self._store.sessions.begin() as session:
            self._save_time(self._attempt(session, attempt_id), seconds_spent)

    def _save_time(self, attempt: AttemptRow, seconds_spent: float) -> None:
        attempt.seconds_spent = max(attempt.seconds_spent, seconds_spent)
        attempt.updated_at = self._clock()

    # -- lesson cards -------------------------------------------------------------------------

    def show_card(self, attempt_id: int, index: int, seconds_spent: float) -> AttemptView:
        """Move to a card; seeing the last unseen card completes the attempt (``completed``)."""
        with self._store.sessions.begin() as session:
            attempt = self._attempt(session, attempt_id)
            module, _ = self._module(session, attempt.module_pk)
            if attempt.phase != Phase.LESSONS.value:
                raise ValueError("The lessons of this attempt are already behind it.")
            index = max(0, min(index, len(module.cards) - 1))
            attempt.card_index = index
            attempt.cards_seen = sorted(set(attempt.cards_seen) | {index})
            self._save_time(attempt, seconds_spent)
            if attempt.completed_at is None and all_cards_seen(module, set(attempt.cards_seen)):
                self._record_completion(session, attempt)
            return self._view(session, attempt)

    def _record_completion(self, session: Session, attempt: AttemptRow) -> None:
        now = self._clock()
        attempt.completed_at = now
        statement = statements.completed(self._context(session, attempt), now, attempt.seconds_spent)
        results.add_result(
            session,
            ResultRow(
                module_id=attempt.module_id,
                module_version=attempt.module_version,
                registration=attempt.registration,
                kind="completed",
                recorded_at=now,
                source="local",
                statement_id=statement.id,
            ),
        )
        self._queue(session, statement)

    def answer_inline(self, attempt_id: int, card_index: int, selected: frozenset[str]) -> AnswerFeedback:
        """Practice: feedback at once, kept for resuming, never scored and never sent."""
        with self._store.sessions.begin() as session:
            attempt = self._attempt(session, attempt_id)
            module, _ = self._module(session, attempt.module_pk)
            card = module.cards[card_index]
            if card.check is None:
                raise ValueError(f"Card {card.id} has no inline check.")
            validate_selection(card.check, selected)
            feedback = feedback_for(card.check, selected)
            now = self._clock()
            attempts.save_practice_answer(session, attempt.id, card.id, selected, feedback.correct, now)
            reviews.enter_answer(
                session_connection(session),
                module_id=attempt.module_id,
                question_id=card.id,
                source=review_items.INLINE,
                card_index=card_index,
                correct=feedback.correct,
                certainty=None,
                when=now,
            )
            return feedback

    # -- knowledge check ----------------------------------------------------------------------

    def start_check(self, attempt_id: int, seconds_spent: float) -> AttemptView:
        with self._store.sessions.begin() as session:
            attempt = self._attempt(session, attempt_id)
            module, _ = self._module(session, attempt.module_pk)
            if attempt.phase == Phase.LESSONS.value:
                if not all_cards_seen(module, set(attempt.cards_seen)):
                    raise ValueError("Every card must be seen before the knowledge check.")
                attempt.phase = Phase.CHECK.value
                attempt.check_index = 0
            self._save_time(attempt, seconds_spent)
            return self._view(session, attempt)

    def skip_to_check(self, attempt_id: int, seconds_spent: float) -> AttemptView:
        """A retry straight to a fresh knowledge check, for a learner who saw every card of this
        version in an earlier attempt. The cards this attempt did not show stay unseen, so it
        records no ``completed`` of its own (the earlier attempt's stands)."""
        with self._store.sessions.begin() as session:
            attempt = self._attempt(session, attempt_id)
            if attempt.phase == Phase.LESSONS.value:
                if not attempts.lessons_seen_before(session, attempt):
                    raise ValueError("Only a learner who has seen these lessons before can skip them.")
                attempt.phase = Phase.CHECK.value
                attempt.check_index = 0
            self._save_time(attempt, seconds_spent)
            return self._view(session, attempt)

    def answer_question(
        self,
        attempt_id: int,
        question_id: str,
        selected: frozenset[str],
        seconds_spent: float,
        confidence: int | None = None,
        certainty: Certainty | None = None,
    ) -> AnswerFeedback:
        """Record a knowledge-check answer with its ``answered`` statement. Answers are final.

        ``certainty`` is how sure the learner said they were; it is kept (and sent) only where
        it is asked (``asks_certainty``). The question also enters the review queue.

        This is the hot path of the knowledge check, so it runs as plain SQL on this thread's
        plain sqlite3 connection (same pragmas, same BEGIN IMMEDIATE transaction rules)
        rather than through the ORM's unit of work, whose bookkeeping cost several times the commit.
        """
        with self._store.write() as db:
            return self._answer_in_transaction(
                db, attempt_id, question_id, selected, seconds_spent, confidence, certainty
            )

    def _answer_in_transaction(
        self,
        db: sqlite3.Connection,
        attempt_id: int,
        question_id: str,
        selected: frozenset[str],
        seconds_spent: float,
        confidence: int | None,
        certainty: Certainty | None,
    ) -> AnswerFeedback:
        target = attempts.answer_target(db, attempt_id, question_id)
        if target is None:
            raise AttemptNotFoundError(f"attempt {attempt_id}")
        if target.phase != Phase.CHECK.value:
            raise ValueError("This attempt is not in its knowledge check.")
        drawn_key = (attempt_id, target.registration)
        drawn = self._drawn.get(drawn_key)
        if drawn is None:
            if len(self._drawn) >= _CACHED_SESSIONS:
                self._drawn.clear()
            drawn = self._drawn[drawn_key] = attempts.drawn_ids(target.drawn)
        if question_id not in drawn:
            raise ValueError(f"Question {question_id} was not drawn for this attempt.")
        question = self._question(db, target.module_pk, question_id)
        if target.existing is not None:
            return feedback_for(question, target.existing)
        validate_selection(question, selected)
        feedback = feedback_for(question, selected)
        now = self._clock()
        attempts.record_answer(db, attempt_id, question_id, selected, feedback.correct, seconds_spent, now)
        context = self._context_for(db, target.module_pk, target.registration, target.session_id)
        if certainty is not None and not self._asks_certainty(db, context.module_id):
            certainty = None
        if certainty is None:
            statement = statements.answered(
                context, now, question, sorted(selected), feedback.correct, confidence
            )
        else:
            certainties.record(db, attempt_id, question_id, certainty.value)
            statement = statements.answered_with_certainty(
                context, now, question, sorted(selected), feedback.correct, certainty.value, confidence
            )
        outbox.queue_statement(db, statement, now)
        reviews.enter_answer(
            db,
            module_id=context.module_id,
            question_id=question_id,
            source=review_items.CHECK,
            card_index=-1,
            correct=feedback.correct,
            certainty=certainty,
            when=now,
        )
        return feedback

    # -- certainty ------------------------------------------------------------------------------

    def _asks_certainty(self, db: sqlite3.Connection, module_id: str) -> bool:
        if not self._config.get("learning.ask_certainty"):
            return False
        options = track_options.of_module(db, module_id)
        return options is None or options.ask_certainty

    def asks_certainty(self, module_id: str) -> bool:
        """Whether the player asks "How sure are you?": on unless the policy or the track says no."""
        with self._store.read() as db:
            return self._asks_certainty(db, module_id)

    def answers_for_results(self, attempt_id: int) -> list[certainties.AnsweredWithCertainty]:
        """The attempt's answers for Results: confidently wrong first (wrong and sure, then wrong
        and fairly sure), then the other wrong ones, then the right ones; answering order within."""
        with self._store.read() as db:
            answered = certainties.answers_of(db, attempt_id)
        weight = {"sure": 0, "fairly_sure": 1}
        return sorted(answered, key=lambda a: (a.correct, weight.get(a.certainty or "", 2)))

    def go_to_question(self, attempt_id: int, index: int, seconds_spent: float) -> AttemptView:
        with self._store.sessions.begin() as session:
            attempt = self._attempt(session, attempt_id)
            attempt.check_index = max(0, min(index, len(attempt.drawn) - 1))
            self._save_time(attempt, seconds_spent)
            return self._view(session, attempt)

    def finish_check(self, attempt_id: int, seconds_spent: float) -> AttemptView:
        """Score the check and record ``passed`` or ``failed``; the attempt is then finished."""
        with self._store.sessions.begin() as session:
            attempt = self._attempt(session, attempt_id)
            if attempt.phase == Phase.RESULT.value:
                return self._view(session, attempt)
            if attempt.phase != Phase.CHECK.value:
                raise ValueError("This attempt is not in its knowledge check.")
            view = self._view(session, attempt)
            unanswered = [d.question_id for d in view.drawn if d.question_id not in view.answers]
            if unanswered:
                raise ValueError(f"{len(unanswered)} questions are not answered yet.")
            score = score_answers(view.module, view.drawn, view.answers)
            now = self._clock()
            self._save_time(attempt, seconds_spent)
            statement = statements.scored(
                self._context(session, attempt),
                now,
                attempt.seconds_spent,
                score.correct,
                score.total,
                score.passed,
            )
            results.add_result(
                session,
                ResultRow(
                    module_id=attempt.module_id,
                    module_version=attempt.module_version,
                    registration=attempt.registration,
                    kind="passed" if score.passed else "failed",
                    score_raw=score.correct,
                    score_max=score.total,
                    recorded_at=now,
                    source="local",
                    statement_id=statement.id,
                ),
            )
            self._queue(session, statement)
            attempt.phase = Phase.RESULT.value
            attempt.finished_at = now
            return self._view(session, attempt)
