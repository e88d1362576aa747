"""The attempts and answers tables: where each module attempt stands, and what was answered.

Two ways in, as everywhere in the store: the answer path and the Today/Library reads are
hot and run plain sqlite3 on a connection the caller holds (store/plain_sql.py); starting,
moving through and finishing an attempt go through the ORM in the caller's session.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from microlearn.store.plain_sql import db_timestamp

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from microlearn.store.models import AnswerRow, AttemptRow

# The ORM functions import the models when first called, not here: Today's reads use this
# module too, and must not pay for importing SQLAlchemy before the first paint.


# -- plain sqlite3: the answer path and the read models ---------------------------------------------


@dataclass(frozen=True)
class AnswerTarget:
    """What recording an answer needs to know of its attempt."""

    module_pk: int
    phase: str
    drawn_ids: frozenset[str]
    registration: str
    session_id: str | None
    seconds_spent: float


def answer_target(db: sqlite3.Connection, attempt_id: int) -> AnswerTarget | None:
    row = db.execute(
        "SELECT module_pk, phase, drawn, registration, session_id, seconds_spent FROM attempts WHERE id = ?",
        (attempt_id,),
    ).fetchone()
    if row is None:
        return None
    module_pk, phase, drawn_json, registration, session_id, spent = tuple(row)
    drawn = frozenset(str(d["question_id"]) for d in json.loads(drawn_json))
    return AnswerTarget(int(module_pk), str(phase), drawn, str(registration), session_id, float(spent))


def final_answer(db: sqlite3.Connection, attempt_id: int, question_id: str) -> frozenset[str] | None:
    """The knowledge-check answer already recorded for this question, if any (answers are final)."""
    row = db.execute(
        "SELECT selected FROM answers WHERE attempt_id = ? AND question_id = ? AND practice = 0",
        (attempt_id, question_id),
    ).fetchone()
    return None if row is None else frozenset(json.loads(row[0]))


def record_answer(
    db: sqlite3.Connection,
    attempt_id: int,
    question_id: str,
    selected: frozenset[str],
    correct: bool,
    seconds_spent: float,
    at: datetime,
) -> None:
    """The answer and the attempt's time, in the caller's open transaction."""
    stamp = db_timestamp(at)
    db.execute(
        "UPDATE attempts SET seconds_spent = max(seconds_spent, ?), updated_at = ? WHERE id = ?",
        (seconds_spent, stamp, attempt_id),
    )
    db.execute(
        "INSERT INTO answers (attempt_id, question_id, practice, selected, correct, answered_at) "
        "VALUES (?, ?, 0, ?, ?, ?)",
        (attempt_id, question_id, json.dumps(sorted(selected)), correct, stamp),
    )


@dataclass(frozen=True)
class OpenAttempt:
    module_id: str
    phase: str
    card_index: int


def open_attempts(db: sqlite3.Connection) -> dict[str, OpenAttempt]:
    """The unfinished attempt of each module (the newest, if ever there were two)."""
    rows = db.execute(
        "SELECT module_id, phase, card_index FROM attempts WHERE finished_at IS NULL ORDER BY id"
    )
    return {str(r[0]): OpenAttempt(str(r[0]), str(r[1]), int(r[2])) for r in rows}


def last_worked_on(db: sqlite3.Connection) -> str | None:
    """The module of the unfinished attempt the learner touched last."""
    row = db.execute(
        "SELECT module_id FROM attempts WHERE finished_at IS NULL ORDER BY updated_at DESC LIMIT 1"
    ).fetchone()
    return None if row is None else str(row[0])


# -- the ORM: starting, moving through and finishing an attempt -------------------------------------


def attempt(session: Session, attempt_id: int) -> AttemptRow | None:
    from microlearn.store.models import AttemptRow

    return session.get(AttemptRow, attempt_id)


def unfinished_attempt(session: Session, module_id: str) -> AttemptRow | None:
    from sqlalchemy import select

    from microlearn.store.models import AttemptRow

    return session.scalars(
        select(AttemptRow)
        .where(AttemptRow.module_id == module_id, AttemptRow.finished_at.is_(None))
        .order_by(AttemptRow.id.desc())
    ).first()


def last_attempt_number(session: Session, module_id: str) -> int:
    from sqlalchemy import select

    from microlearn.store.models import AttemptRow

    number = session.scalars(
        select(AttemptRow.number).where(AttemptRow.module_id == module_id).order_by(AttemptRow.number.desc())
    ).first()
    return number or 0


def lessons_seen_before(session: Session, attempt: AttemptRow) -> bool:
    """Whether an earlier attempt on the same content version went through every card."""
    from sqlalchemy import select

    from microlearn.store.models import AttemptRow

    earlier = session.scalars(
        select(AttemptRow.id).where(
            AttemptRow.module_id == attempt.module_id,
            AttemptRow.module_version == attempt.module_version,
            AttemptRow.id != attempt.id,
            AttemptRow.completed_at.is_not(None),
        )
    ).first()
    return earlier is not None


def add_attempt(session: Session, **values: object) -> AttemptRow:
    from microlearn.store.models import AttemptRow

    row = AttemptRow(**values)
    session.add(row)
    session.flush()
    return row


def answers_of(session: Session, attempt_id: int) -> list[AnswerRow]:
    from sqlalchemy import select

    from microlearn.store.models import AnswerRow

    return list(session.scalars(select(AnswerRow).where(AnswerRow.attempt_id == attempt_id)))


def save_practice_answer(
    session: Session, attempt_id: int, card_id: str, selected: frozenset[str], correct: bool, at: datetime
) -> None:
    """An inline check's answer: kept for resuming (the latest one), never scored."""
    from sqlalchemy import select

    from microlearn.store.models import AnswerRow

    row = session.scalars(
        select(AnswerRow).where(
            AnswerRow.attempt_id == attempt_id, AnswerRow.question_id == card_id, AnswerRow.practice
        )
    ).first() or AnswerRow(attempt_id=attempt_id, question_id=card_id, practice=True)
    row.selected, row.correct, row.answered_at = sorted(selected), correct, at
    session.add(row)
