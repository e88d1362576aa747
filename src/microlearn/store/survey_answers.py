"""The survey_answers table: confidence ratings (1–5) given before and after each track.

This module owns the table's SQL (plain sqlite3 on the caller's connection). A skipped
survey is kept too, as rows without a rating, so the learner is not asked again.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from microlearn.store.plain_sql import db_timestamp


def record(
    db: sqlite3.Connection,
    *,
    track_id: str,
    phase: str,
    item_index: int,
    statement_text: str,
    rating: int | None,
    registration: str,
    statement_id: str | None,
    at: datetime,
) -> None:
    db.execute(
        "INSERT INTO survey_answers (track_id, phase, item_index, statement_text, rating, registration, "
        "statement_id, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (track_id, phase, item_index, statement_text, rating, registration, statement_id, db_timestamp(at)),
    )


def phase_done(db: sqlite3.Connection, track_id: str, phase: str) -> bool:
    """Whether the survey of this phase was answered or skipped."""
    row = db.execute(
        "SELECT 1 FROM survey_answers WHERE track_id = ? AND phase = ? LIMIT 1", (track_id, phase)
    ).fetchone()
    return row is not None


@dataclass(frozen=True)
class Rating:
    phase: str
    item_index: int
    statement_text: str
    rating: int | None


def ratings_of(db: sqlite3.Connection, track_id: str) -> list[Rating]:
    rows = db.execute(
        "SELECT phase, item_index, statement_text, rating FROM survey_answers WHERE track_id = ? "
        "ORDER BY item_index, phase",
        (track_id,),
    )
    return [Rating(str(r[0]), int(r[1]), str(r[2]), None if r[3] is None else int(r[3])) for r in rows]
