"""Use cases of the module player: start or resume, move through cards, answer, finish.

Every learning event is written in ONE transaction with its xAPI statement in the
outbox (DESIGN.md, transactional outbox): nothing recorded without its statement, no
statement without its event.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
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
from microlearn.records import statements
from microlearn.records.statements import Actor, AttemptContext, FrozenStatement
from microlearn.settings.config import Config
from microlearn.store.courseware_rows import module_from_rows, question_from_json
from microlearn.store.models import (
    AnswerRow,
    AttemptRow,
    CardRow,
    ModuleRow,
    OutboxRow,
    QuestionRow,
    ResultRow,
    TrackRow,
)
from microlearn.store.opening import Store
from microlearn.store.plain_sql import db_timestamp, utc_now, write_transaction

Clock = Callable[[], datetime]


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
        self._module_facts: dict[int, tuple[str, str, str, str, str]] = {}
        self._questions: dict[tuple[int, str], Question] = {}

    # -- loading ----------------------------------------------------------------------------

    def _module(self, session: Session, module_pk: int) -> tuple[Module, str]:
        """The installed module and its track's title."""
        cached = self._modules.get(module_pk)
        if cached is None:
            row = session.get(ModuleRow, module_pk)
            if row is None:
                raise AttemptNotFoundError(f"module row {module_pk}")
            cards = list(session.scalars(select(CardRow).where(CardRow.module_pk == module_pk)))
            questions = list(session.scalars(select(QuestionRow).where(QuestionRow.module_pk == module_pk)))
            track = session.get(TrackRow, row.track_id)
            assert track is not None
            cached = self._modules[module_pk] = (module_from_rows(row, cards, questions), track.title)
        return cached

    def _attempt(self, session: Session, attempt_id: int) -> AttemptRow:
        attempt = session.get(AttemptRow, attempt_id)
        if attempt is None:
            raise AttemptNotFoundError(f"attempt {attempt_id}")
        return attempt

    def _view(self, session: Session, attempt: AttemptRow) -> AttemptView:
        module, track_title = self._module(session, attempt.module_pk)
        answers: dict[str, frozenset[str]] = {}
        practice: dict[str, frozenset[str]] = {}
        for answer in session.scalars(select(AnswerRow).where(AnswerRow.attempt_id == attempt.id)):
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
            lessons_done_before=phase is Phase.LESSONS and self._lessons_done_before(session, attempt),
        )

    def _lessons_done_before(self, session: Session, attempt: AttemptRow) -> bool:
        earlier = session.scalars(
            select(AttemptRow.id).where(
                AttemptRow.module_id == attempt.module_id,
                AttemptRow.module_version == attempt.module_version,
                AttemptRow.id != attempt.id,
                AttemptRow.completed_at.is_not(None),
            )
        ).first()
        return earlier is not None

    def _context(self, attempt: AttemptRow) -> AttemptContext:
        return self._context_for(attempt.module_pk, attempt.registration, attempt.session_id)

    def _context_for(self, module_pk: int, registration: str, session_id: str | None) -> AttemptContext:
        facts = self._module_facts.get(module_pk)
        if facts is None:
            with self._store.read() as db:
                row = db.execute(
                    "SELECT modules.id, modules.title, modules.version, tracks.id, tracks.title "
                    "FROM modules JOIN tracks ON tracks.id = modules.track_id WHERE modules.pk = ?",
                    (module_pk,),
                ).fetchone()
            if row is None:
                raise AttemptNotFoundError(f"module row {module_pk}")
            facts = self._module_facts[module_pk] = (row[0], row[1], row[2], row[3], row[4])
        module_id, module_title, module_version, track_id, track_title = facts
        return AttemptContext(
            actor=Actor(self._config.home_page, self._config.learner_name),
            activity_base=self._config.activity_base,
            module_id=module_id,
            module_title=module_title,
            module_version=module_version,
            track_id=track_id,
            track_title=track_title,
            registration=registration,
            session_id=session_id or registration,
        )

    def _question(self, module_pk: int, question_id: str) -> Question:
        key = (module_pk, question_id)
        question = self._questions.get(key)
        if question is None:
            with self._store.read() as db:
                row = db.execute(
                    "SELECT question_json FROM questions WHERE module_pk = ? AND question_id = ?",
                    (module_pk, question_id),
                ).fetchone()
            if row is None:
                raise KeyError(question_id)
            question = self._questions[key] = question_from_json(row[0])
        return question

    def _queue(self, session: Session, statement: FrozenStatement) -> None:
        session.execute(
            insert(OutboxRow).values(
                statement_id=statement.id,
                verb=statement.verb,
                statement_json=statement.json,
                status="pending",
                tries=0,
                created_at=self._clock(),
            )
        )

    def view(self, attempt_id: int) -> AttemptView:
        with self._store.sessions() as session:
            return self._view(session, self._attempt(session, attempt_id))

    # -- starting and leaving ------------------------------------------------------------------

    def open_attempt(self, module_id: str) -> AttemptView:
        """Resume the unfinished attempt of a module, or start a new one on its current version.

        Either way a new learning session begins, recorded with ``initialized``.
        """
        with self._store.sessions.begin() as session:
            attempt = session.scalars(
                select(AttemptRow)
                .where(AttemptRow.module_id == module_id, AttemptRow.finished_at.is_(None))
                .order_by(AttemptRow.id.desc())
            ).first()
            if attempt is None:
                attempt = self._new_attempt(session, module_id)
            now = self._clock()
            attempt.session_id = str(uuid.uuid4())
            attempt.session_started_seconds = attempt.seconds_spent
            attempt.updated_at = now
            session.flush()
            self._queue(session, statements.initialized(self._context(attempt), now))
            return self._view(session, attempt)

    def _new_attempt(self, session: Session, module_id: str) -> AttemptRow:
        row = session.scalars(select(ModuleRow).where(ModuleRow.id == module_id, ModuleRow.active)).first()
        if row is None:
            raise AttemptNotFoundError(f"module {module_id} is not installed")
        module, _ = self._module(session, row.pk)
        previous = session.scalars(
            select(AttemptRow.number)
            .where(AttemptRow.module_id == module_id)
            .order_by(AttemptRow.number.desc())
        ).first()
        now = self._clock()
        attempt = AttemptRow(
            registration=str(uuid.uuid4()),
            module_pk=row.pk,
            module_id=module_id,
            module_version=row.version,
            number=(previous or 0) + 1,
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
        session.add(attempt)
        session.flush()
        return attempt

    def leave(self, attempt_id: int, seconds_spent: float) -> None:
        """The learner leaves the player: save the time and record ``terminated``."""
        with self._store.sessions.begin() as session:
            attempt = self._attempt(session, attempt_id)
            self._save_time(attempt, seconds_spent)
            if attempt.session_id is None:
                return
            now = self._clock()
            session_seconds = attempt.seconds_spent - attempt.session_started_seconds
            self._queue(session, statements.terminated(self._context(attempt), now, session_seconds))
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
        statement = statements.completed(self._context(attempt), now, attempt.seconds_spent)
        session.add(
            ResultRow(
                module_id=attempt.module_id,
                module_version=attempt.module_version,
                registration=attempt.registration,
                kind="completed",
                recorded_at=now,
                source="local",
                statement_id=statement.id,
            )
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
            existing = session.scalars(
                select(AnswerRow).where(
                    AnswerRow.attempt_id == attempt.id, AnswerRow.question_id == card.id, AnswerRow.practice
                )
            ).first()
            row = existing or AnswerRow(attempt_id=attempt.id, question_id=card.id, practice=True)
            row.selected, row.correct, row.answered_at = sorted(selected), feedback.correct, self._clock()
            session.add(row)
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
                if not self._lessons_done_before(session, attempt):
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
    ) -> AnswerFeedback:
        """Record a knowledge-check answer with its ``answered`` statement. Answers are final.

        This is the hot path of the knowledge check, so it runs as plain SQL on the engine's
        own connection (same pragmas, same BEGIN IMMEDIATE transaction rules) rather than
        through the ORM's unit of work, whose bookkeeping cost several times the commit.
        """
        connection = self._store.engine.raw_connection()
        try:
            with write_transaction(connection.dbapi_connection) as db:  # type: ignore[arg-type]
                return self._answer_in_transaction(
                    db.cursor(), attempt_id, question_id, selected, seconds_spent, confidence
                )
        finally:
            connection.close()

    def _answer_in_transaction(
        self,
        cursor: Any,
        attempt_id: int,
        question_id: str,
        selected: frozenset[str],
        seconds_spent: float,
        confidence: int | None,
    ) -> AnswerFeedback:
        row = cursor.execute(
            "SELECT module_pk, phase, drawn, registration, session_id, seconds_spent FROM attempts WHERE id = ?",
            (attempt_id,),
        ).fetchone()
        if row is None:
            raise AttemptNotFoundError(f"attempt {attempt_id}")
        module_pk, phase, drawn_json, registration, session_id, spent = row
        if phase != Phase.CHECK.value:
            raise ValueError("This attempt is not in its knowledge check.")
        if question_id not in {d["question_id"] for d in json.loads(drawn_json)}:
            raise ValueError(f"Question {question_id} was not drawn for this attempt.")
        question = self._question(module_pk, question_id)
        existing = cursor.execute(
            "SELECT selected FROM answers WHERE attempt_id = ? AND question_id = ? AND practice = 0",
            (attempt_id, question_id),
        ).fetchone()
        if existing is not None:
            return feedback_for(question, frozenset(json.loads(existing[0])))
        validate_selection(question, selected)
        feedback = feedback_for(question, selected)
        now = self._clock()
        stamp = db_timestamp(now)
        cursor.execute(
            "UPDATE attempts SET seconds_spent = ?, updated_at = ? WHERE id = ?",
            (max(spent, seconds_spent), stamp, attempt_id),
        )
        cursor.execute(
            "INSERT INTO answers (attempt_id, question_id, practice, selected, correct, answered_at) "
            "VALUES (?, ?, 0, ?, ?, ?)",
            (attempt_id, question_id, json.dumps(sorted(selected)), feedback.correct, stamp),
        )
        statement = statements.answered(
            self._context_for(module_pk, registration, session_id),
            now,
            question,
            sorted(selected),
            feedback.correct,
            confidence,
        )
        cursor.execute(
            "INSERT INTO outbox (statement_id, verb, statement_json, status, tries, created_at) "
            "VALUES (?, ?, ?, 'pending', 0, ?)",
            (statement.id, statement.verb, statement.json, stamp),
        )
        return feedback

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
                self._context(attempt),
                now,
                attempt.seconds_spent,
                score.correct,
                score.total,
                score.passed,
            )
            session.add(
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
                )
            )
            self._queue(session, statement)
            attempt.phase = Phase.RESULT.value
            attempt.finished_at = now
            return self._view(session, attempt)
