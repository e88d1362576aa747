"""The attempts and answers tables: where each module attempt stands, and what was answered.

Two ways in, as everywhere in the store: the answer path and the Today/Library reads are
hot and run plain sqlite3 on a connection the caller holds (store/plain_sql.py); starting,
moving through and finishing an attempt go through the ORM in the caller's session.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
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
    """What recording an answer needs to know of its attempt, and the answer already given."""

    module_pk: int
    phase: str
    drawn: str  # the drawn questions as stored (JSON); they never change within an attempt
    registration: str
    session_id: str | None
    seconds_spent: float
    existing: frozenset[str] | None  # the knowledge-check answer already recorded (answers are final)


def drawn_ids(drawn_json: str) -> frozenset[str]:
    return frozenset(str(d["question_id"]) for d in json.loads(drawn_json))


def answer_target(db: sqlite3.Connection, attempt_id: int, question_id: str) -> AnswerTarget | None:
    # One statement for the attempt and the question's earlier answer: the answer path's
    # statements each cost a step of the VM and a round of Python (bench/answer.py).
    row = db.execute(
        "SELECT module_pk, phase, drawn, registration, session_id, seconds_spent, "
        "(SELECT selected FROM answers WHERE attempt_id = attempts.id AND question_id = ? AND practice = 0) "
        "FROM attempts WHERE id = ?",
        (question_id, attempt_id),
    ).fetchone()
    if row is None:
        return None
    module_pk, phase, drawn_json, registration, session_id, spent, selected = row
    existing = None if selected is None else frozenset(json.loads(selected))
    return AnswerTarget(
        int(module_pk), str(phase), str(drawn_json), str(registration), session_id, float(spent), existing
    )


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


@dataclass(frozen=True)
class AttemptFacts:
    """One attempt as the history shows it (timestamps as stored: naive UTC text)."""

    id: int
    registration: str
    module_pk: int
    module_id: str
    module_version: str
    seconds_spent: float
    started_at: str
    updated_at: str
    completed_at: str | None
    finished_at: str | None


def attempt_history(db: sqlite3.Connection, module_ids: Sequence[str] | None = None) -> list[AttemptFacts]:
    """Every attempt (of ``module_ids``, or all), oldest first; nothing is ever deleted."""
    sql = (
        "SELECT id, registration, module_pk, module_id, module_version, seconds_spent, started_at, "
        "updated_at, completed_at, finished_at FROM attempts"
    )
    params: list[str] = []
    if module_ids is not None:
        sql += f" WHERE module_id IN ({','.join('?' * len(module_ids))})"
        params = list(module_ids)
    rows = db.execute(sql + " ORDER BY started_at, id", params)
    return [
        AttemptFacts(
            int(r[0]),
            str(r[1]),
            int(r[2]),
            str(r[3]),
            str(r[4]),
            float(r[5] or 0.0),
            str(r[6]),
            str(r[7]),
            None if r[8] is None else str(r[8]),
            None if r[9] is None else str(r[9]),
        )
        for r in rows
    ]


def scored_answers(
    db: sqlite3.Connection, attempt_ids: Sequence[int]
) -> dict[int, list[tuple[str, frozenset[str], bool]]]:
    """The knowledge-check answers of each attempt: (question id, options chosen, right?)."""
    found: dict[int, list[tuple[str, frozenset[str], bool]]] = {}
    for start in range(0, len(attempt_ids), 500):  # SQLite's limit on bound parameters
        chunk = list(attempt_ids[start : start + 500])
        rows = db.execute(
            "SELECT attempt_id, question_id, selected, correct FROM answers "
            f"WHERE practice = 0 AND attempt_id IN ({','.join('?' * len(chunk))}) ORDER BY id",
            chunk,
        )
        for attempt_id, question_id, selected, correct in rows:
            found.setdefault(int(attempt_id), []).append(
                (str(question_id), frozenset(json.loads(selected)), bool(correct))
            )
    return found


def last_worked_on(db: sqlite3.Connection) -> str | None:
    """The module of the unfinished attempt the learner touched last."""
    row = db.execute(
        "SELECT module_id FROM attempts WHERE finished_at IS NULL ORDER BY updated_at DESC LIMIT 1"
    ).fetchone()
    return None if row is None else str(row[0])


# -- the ORM: starting, moving through and finishing an attempt -------------------------------------
# SQLAlchemy is imported inside each of these: the plain reads above serve Today, which must show
# its data without loading the ORM (bench/startup; tests/integration/test_first_paint.py).


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


def any_attempt(db: sqlite3.Connection) -> bool:
    return db.execute("SELECT 1 FROM attempts LIMIT 1").fetchone() is not None
