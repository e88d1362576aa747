"""The review_items table: questions and inline checks the learner meets again in quick reviews.

This module owns the table's SQL. Plain sqlite3 on the caller's connection: an item is
entered or rescheduled in the same transaction as the answer that moved it (recording an
answer is a hot path), and "how many are due" is one of Today's reads.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

from microlearn.store.plain_sql import db_timestamp

CHECK = "check"  # a knowledge-check question
INLINE = "inline"  # a card's inline check (question_id is the card's id)


@dataclass(frozen=True)
class ReviewItem:
    id: int
    module_id: str
    question_id: str
    source: str
    card_index: int  # the card that teaches it; -1 when the content does not say
    state_json: str
    due: datetime
    reviews: int


_COLUMNS = "id, module_id, question_id, source, card_index, fsrs_card, due, reviews"


def _item(row: sqlite3.Row | tuple[object, ...]) -> ReviewItem:
    pk, module_id, question_id, source, card_index, state, due, reviews = tuple(row)
    return ReviewItem(
        id=int(pk),
        module_id=str(module_id),
        question_id=str(question_id),
        source=str(source),
        card_index=int(card_index),
        state_json=str(state),
        due=datetime.fromisoformat(str(due)).replace(tzinfo=UTC),
        reviews=int(reviews),
    )


def find(db: sqlite3.Connection, module_id: str, question_id: str, source: str) -> ReviewItem | None:
    row = db.execute(
        f"SELECT {_COLUMNS} FROM review_items WHERE module_id = ? AND question_id = ? AND source = ?",
        (module_id, question_id, source),
    ).fetchone()
    return None if row is None else _item(row)


def by_id(db: sqlite3.Connection, item_id: int) -> ReviewItem | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM review_items WHERE id = ?", (item_id,)).fetchone()
    return None if row is None else _item(row)


def save(
    db: sqlite3.Connection,
    *,
    module_id: str,
    question_id: str,
    source: str,
    card_index: int,
    state_json: str,
    due: datetime,
    statement_id: str | None,
    at: datetime,
) -> None:
    """Enter the item, or move it to its new schedule, in the caller's open transaction."""
    db.execute(
        "INSERT INTO review_items (module_id, question_id, source, card_index, fsrs_card, due, reviews, "
        "last_statement_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?) "
        "ON CONFLICT (module_id, question_id, source) DO UPDATE SET fsrs_card = excluded.fsrs_card, "
        "due = excluded.due, reviews = reviews + 1, updated_at = excluded.updated_at, "
        "last_statement_id = coalesce(excluded.last_statement_id, last_statement_id), "
        "card_index = CASE WHEN excluded.card_index >= 0 THEN excluded.card_index ELSE card_index END",
        (
            module_id,
            question_id,
            source,
            card_index,
            state_json,
            db_timestamp(due),
            statement_id,
            db_timestamp(at),
        ),
    )


def due(db: sqlite3.Connection, now: datetime, limit: int) -> list[ReviewItem]:
    """The items due at ``now``, the longest overdue first."""
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM review_items WHERE due <= ? ORDER BY due, id LIMIT ?",
        (db_timestamp(now), limit),
    )
    return [_item(r) for r in rows]


def due_count(db: sqlite3.Connection, now: datetime) -> int:
    row = db.execute("SELECT count(*) FROM review_items WHERE due <= ?", (db_timestamp(now),)).fetchone()
    return int(row[0])


def count(db: sqlite3.Connection) -> int:
    return int(db.execute("SELECT count(*) FROM review_items").fetchone()[0])


def forget(db: sqlite3.Connection, module_id: str, question_id: str, source: str) -> None:
    """Drop one item (restore writes it again from the statements)."""
    db.execute(
        "DELETE FROM review_items WHERE module_id = ? AND question_id = ? AND source = ?",
        (module_id, question_id, source),
    )
