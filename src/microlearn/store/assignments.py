"""The assignments table: when each learner was first assigned each module.

A "due N days after first assigned" deadline counts from here, so a row is written once and
never moved: a clock set back later does not move a deadline, and leaving a group and joining
it again keeps the first date. Reads are plain sqlite3 (Today's path).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime

from microlearn.store.plain_sql import db_timestamp, write_transaction


def parse_db_timestamp(text: str) -> datetime:
    """A ``DateTime`` column as stored in SQLite (naive UTC) back to an aware instant."""
    moment = datetime.fromisoformat(text)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def first_assigned(db: sqlite3.Connection, learner: str) -> dict[str, datetime]:
    rows = db.execute("SELECT module_id, first_assigned_at FROM assignments WHERE learner = ?", (learner,))
    return {str(module_id): parse_db_timestamp(str(at)) for module_id, at in rows}


def record_first_assigned(
    db: sqlite3.Connection, learner: str, module_ids: Iterable[str], now: datetime
) -> int:
    """Record ``now`` for the modules not recorded yet; returns how many were new.

    ``db`` is in autocommit mode: this is its own write transaction.
    """
    stamp = db_timestamp(now)
    with write_transaction(db):
        before = db.total_changes
        db.executemany(
            "INSERT OR IGNORE INTO assignments (learner, module_id, first_assigned_at) VALUES (?, ?, ?)",
            [(learner, module_id, stamp) for module_id in module_ids],
        )
        return db.total_changes - before
