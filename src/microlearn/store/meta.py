"""The meta table: small facts about the store itself (last sync, restore done, …), and damage the
learner is yet to hear of.

Whoever finds the store damaged (the app, a scheduled ``microlearn sync``, the crash
driver) records it here, in the restored store; the app tells the learner at its next
start and only then forgets it. ``microlearn sync --json`` reports what is recorded.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from microlearn.store.plain_sql import connect, write_transaction

if TYPE_CHECKING:
    from microlearn.store.opening import Store

DAMAGE_KEY = "store.damage_untold"


@dataclass(frozen=True)
class DamageRecord:
    """What happened when a damaged database was found (facts; the words come later)."""

    found_at: str  # ISO 8601, UTC
    found_by: str  # e.g. "app", "sync"
    moved_to: str
    restored_from: str | None
    readable: bool | None  # None: the damaged file was not mined
    statements: int = 0
    answers: int = 0
    results: int = 0
    complete: bool = False  # everything newer than the backup was recovered


def read_meta(db: sqlite3.Connection, *keys: str) -> dict[str, str]:
    if not keys:
        return {}
    marks = ",".join("?" * len(keys))
    rows = db.execute(f"SELECT key, value FROM meta WHERE key IN ({marks})", keys).fetchall()
    return {str(row[0]): str(row[1]) for row in rows}


def all_meta(db: sqlite3.Connection) -> dict[str, str]:
    return {str(k): str(v) for k, v in db.execute("SELECT key, value FROM meta ORDER BY key")}


def write_meta(db: sqlite3.Connection, values: Mapping[str, str]) -> None:
    """Upsert ``values``; ``db`` is in autocommit mode: this is its own transaction."""
    with write_transaction(db):
        db.executemany(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            list(values.items()),
        )


def untold_damage(db: sqlite3.Connection) -> list[DamageRecord]:
    text = read_meta(db, DAMAGE_KEY).get(DAMAGE_KEY)
    if not text:
        return []
    try:
        return [DamageRecord(**item) for item in json.loads(text)]
    except (ValueError, TypeError):
        return []  # a record we cannot read is not worth stopping the app for


def record_damage(db: sqlite3.Connection, record: DamageRecord) -> None:
    records = [*untold_damage(db), record]
    write_meta(db, {DAMAGE_KEY: json.dumps([asdict(r) for r in records])})


def forget_damage(db: sqlite3.Connection) -> None:
    """The learner has been told."""
    with write_transaction(db):
        db.execute("DELETE FROM meta WHERE key = ?", (DAMAGE_KEY,))


def write_store_meta(store: Store, values: Mapping[str, str]) -> None:
    """``write_meta`` on a connection of its own, for callers outside a transaction."""
    connection = connect(store.paths.database)
    try:
        write_meta(connection, values)
    finally:
        connection.close()


def read_store_meta(store: Store, *keys: str) -> dict[str, str]:
    """``read_meta`` through the store's read connection (never the write lock)."""
    with store.read() as db:
        return read_meta(db, *keys)
