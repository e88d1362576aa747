"""The answer_certainties table: how sure the learner said they were of each answer.

This module owns the table's SQL: plain sqlite3 in the answer's own transaction (a hot
path), and the read Results uses to put "confidently wrong" answers first.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass


def record(db: sqlite3.Connection, attempt_id: int, question_id: str, certainty: str) -> None:
    db.execute(
        "INSERT OR IGNORE INTO answer_certainties (attempt_id, question_id, certainty) VALUES (?, ?, ?)",
        (attempt_id, question_id, certainty),
    )


@dataclass(frozen=True)
class AnsweredWithCertainty:
    question_id: str
    correct: bool
    certainty: str | None  # None: not asked, or not given


def answers_of(db: sqlite3.Connection, attempt_id: int) -> list[AnsweredWithCertainty]:
    """The attempt's knowledge-check answers (in answering order) with their certainty."""
    rows = db.execute(
        "SELECT answers.question_id, answers.correct, answer_certainties.certainty FROM answers "
        "LEFT JOIN answer_certainties ON answer_certainties.attempt_id = answers.attempt_id "
        "AND answer_certainties.question_id = answers.question_id "
        "WHERE answers.attempt_id = ? AND answers.practice = 0 ORDER BY answers.id",
        (attempt_id,),
    )
    return [AnsweredWithCertainty(str(r[0]), bool(r[1]), None if r[2] is None else str(r[2])) for r in rows]
