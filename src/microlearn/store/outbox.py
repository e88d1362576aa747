"""The outbox table: frozen xAPI statements waiting for (or having reached) the central record.

This module owns the outbox's SQL (plain sqlite3, store/plain_sql.py). The recording side is
first: the one INSERT every place that records a learning event uses, inside that event's own
transaction (DESIGN.md, transactional outbox; an ORM write passes the DBAPI connection of its
own transaction, ``plain_sql.session_connection``), and the counts the learner sees. Then the
sync engine's reads and updates: each one short ``BEGIN IMMEDIATE`` transaction that only
touches rows whose fate is still open (``pending`` or ``unconfirmed``) - a row that is
``sent``, ``conflict`` or ``rejected`` is never changed again by a sync. Last, the details view.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol

from microlearn.store.plain_sql import db_timestamp, write_transaction


class OutboxStatus(StrEnum):
    """The outbox's ``status`` column."""

    PENDING = "pending"
    SENT = "sent"
    CONFLICT = "conflict"  # the LRS holds a different statement with this id: kept, never retried
    REJECTED = "rejected"  # the LRS refused it as invalid (400): kept with the server's message
    UNCONFIRMED = "unconfirmed"  # maybe stored, maybe not: read back before it is sent again


_IDS_PER_STATEMENT = 500  # well under SQLite's limit on bound parameters
_OPEN = "status IN ('pending', 'unconfirmed')"


@dataclass(frozen=True)
class OutboxEntry:
    """One statement as the engine sends it."""

    id: int
    statement_id: str
    json: str
    tries: int = 0


@dataclass(frozen=True)
class OutboxTally:
    waiting: int  # pending or unconfirmed
    refused: int  # rejected or conflict
    unconfirmed: int


@dataclass(frozen=True)
class OutboxListing:
    """One row of the details view, as stored."""

    statement_id: str
    verb: str
    statement_json: str
    status: str
    tries: int
    last_error: str | None
    created_at: str
    sent_at: str | None


class Statement(Protocol):
    """What the outbox keeps of a statement: its id, its verb and its frozen JSON."""

    @property
    def id(self) -> str: ...
    @property
    def verb(self) -> str: ...
    @property
    def json(self) -> str: ...


@dataclass(frozen=True)
class OutboxCounts:
    pending: int
    sent: int
    conflict: int
    rejected: int
    unconfirmed: int = 0  # maybe stored: read back before anything is sent again


# -- the recording side ----------------------------------------------------------------------------


def queue_statement(
    db: sqlite3.Connection | sqlite3.Cursor, statement: Statement, created_at: datetime
) -> None:
    """Queue ``statement`` as pending, in the caller's open transaction."""
    db.execute(
        "INSERT INTO outbox (statement_id, verb, statement_json, status, tries, created_at) "
        "VALUES (?, ?, ?, 'pending', 0, ?)",
        (statement.id, statement.verb, statement.json, db_timestamp(created_at)),
    )


def any_statement(db: sqlite3.Connection) -> bool:
    return db.execute("SELECT 1 FROM outbox LIMIT 1").fetchone() is not None


def statements_with_verb(db: sqlite3.Connection, verb: str) -> list[str]:
    """The frozen JSON of every statement of this verb, whatever its status, oldest first."""
    rows = db.execute("SELECT statement_json FROM outbox WHERE verb = ? ORDER BY id", (verb,))
    return [str(row[0]) for row in rows]


# The counts the learner sees are kept by SQLite's triggers in ``outbox_tally`` (one row per
# status), in the transaction that changes the outbox, so Today never counts a table that
# grows with every answer. Migration 0002 holds a frozen copy of this text.
TALLY_TRIGGERS = (
    "CREATE TRIGGER outbox_tally_add AFTER INSERT ON outbox BEGIN "
    "INSERT OR IGNORE INTO outbox_tally VALUES (NEW.status, 0); "
    "UPDATE outbox_tally SET count = count + 1 WHERE status = NEW.status; END",
    "CREATE TRIGGER outbox_tally_drop AFTER DELETE ON outbox BEGIN "
    "UPDATE outbox_tally SET count = count - 1 WHERE status = OLD.status; END",
    "CREATE TRIGGER outbox_tally_move AFTER UPDATE OF status ON outbox WHEN NEW.status IS NOT OLD.status BEGIN "
    "UPDATE outbox_tally SET count = count - 1 WHERE status = OLD.status; "
    "INSERT OR IGNORE INTO outbox_tally VALUES (NEW.status, 0); "
    "UPDATE outbox_tally SET count = count + 1 WHERE status = NEW.status; END",
)
TALLY_BACKFILL = (
    "INSERT INTO outbox_tally (status, count) SELECT status, count(*) FROM outbox GROUP BY status"
)


def status_counts(db: sqlite3.Connection) -> dict[str, int]:
    """Statements by status (pending, unconfirmed, sent, conflict, rejected, and any other found)."""
    rows = db.execute("SELECT status, count FROM outbox_tally WHERE count > 0 ORDER BY status")
    return {str(status): int(count) for status, count in rows}


def counted_by_status(db: sqlite3.Connection) -> dict[str, int]:
    """The same, counted over the table itself: for doctor, which may read an older schema."""
    rows = db.execute("SELECT status, count(*) FROM outbox GROUP BY status ORDER BY status")
    return {str(status): int(count) for status, count in rows}


def outbox_counts(db: sqlite3.Connection) -> OutboxCounts:
    counts = status_counts(db)
    return OutboxCounts(
        pending=counts.get("pending", 0),
        sent=counts.get("sent", 0),
        conflict=counts.get("conflict", 0),
        rejected=counts.get("rejected", 0),
        unconfirmed=counts.get("unconfirmed", 0),
    )


# -- the sync side: pending batches, read-backs, marks ------------------------------------------------


def next_pending(db: sqlite3.Connection, after_id: int, limit: int) -> list[OutboxEntry]:
    """The next batch, oldest first: the outbox is never loaded whole."""
    rows = db.execute(
        "SELECT id, statement_id, statement_json, tries FROM outbox "
        "WHERE status = 'pending' AND id > ? ORDER BY id LIMIT ?",
        (after_id, limit),
    )
    return [OutboxEntry(r[0], r[1], r[2], r[3]) for r in rows]


def due_unconfirmed(db: sqlite3.Connection, now: datetime, limit: int) -> list[OutboxEntry]:
    """Unconfirmed statements whose wait is over (or that never had one), oldest first."""
    rows = db.execute(
        "SELECT id, statement_id, statement_json, tries FROM outbox WHERE status = 'unconfirmed' "
        "AND (retry_at IS NULL OR retry_at <= ?) ORDER BY id LIMIT ?",
        (db_timestamp(now), limit),
    )
    return [OutboxEntry(r[0], r[1], r[2], r[3]) for r in rows]


def next_retry_at(db: sqlite3.Connection) -> str | None:
    """When the next unconfirmed statement may be read back (a ``db_timestamp``), if any."""
    row = db.execute("SELECT min(retry_at) FROM outbox WHERE status = 'unconfirmed'").fetchone()
    return None if row is None or row[0] is None else str(row[0])


def _update_open(db: sqlite3.Connection, ids: Sequence[int], assignments: str, params: Sequence[Any]) -> None:
    with write_transaction(db):
        for start in range(0, len(ids), _IDS_PER_STATEMENT):
            chunk = ids[start : start + _IDS_PER_STATEMENT]
            db.execute(
                f"UPDATE outbox SET {assignments} WHERE {_OPEN} AND id IN ({','.join('?' * len(chunk))})",
                (*params, *chunk),
            )


def mark_sent(db: sqlite3.Connection, ids: Sequence[int], when: datetime) -> None:
    _update_open(
        db,
        ids,
        "status = 'sent', sent_at = ?, tries = tries + 1, last_error = NULL, retry_at = NULL",
        (db_timestamp(when),),
    )


def mark_conflict(db: sqlite3.Connection, ids: Sequence[int], message: str) -> None:
    _update_open(db, ids, "status = 'conflict', last_error = ?, retry_at = NULL", (message,))


def mark_rejected(db: sqlite3.Connection, ids: Sequence[int], message: str) -> None:
    _update_open(
        db, ids, "status = 'rejected', tries = tries + 1, last_error = ?, retry_at = NULL", (message,)
    )


def mark_unconfirmed(
    db: sqlite3.Connection, ids: Sequence[int], retry_at: datetime, message: str, *, sent: bool
) -> None:
    """Maybe stored: not sent again before ``retry_at``, and then only after a read-back.
    ``sent``: a send attempt just ended this way (it counts as a try)."""
    tries = ", tries = tries + 1" if sent else ""
    _update_open(
        db,
        ids,
        f"status = 'unconfirmed', retry_at = ?, last_error = ?{tries}",
        (db_timestamp(retry_at), message),
    )


def mark_pending(db: sqlite3.Connection, ids: Sequence[int]) -> None:
    """Read back and not there: send it again."""
    _update_open(db, ids, "status = 'pending', retry_at = NULL", ())


def note_failure(db: sqlite3.Connection, ids: Sequence[int], message: str, *, sent: bool) -> None:
    assignments = "tries = tries + 1, last_error = ?" if sent else "last_error = ?"
    _update_open(db, ids, assignments, (message,))


def tally(db: sqlite3.Connection) -> OutboxTally:
    counts = status_counts(db)
    unconfirmed = counts.get(OutboxStatus.UNCONFIRMED.value, 0)
    return OutboxTally(
        waiting=counts.get(OutboxStatus.PENDING.value, 0) + unconfirmed,
        refused=counts.get(OutboxStatus.REJECTED.value, 0) + counts.get(OutboxStatus.CONFLICT.value, 0),
        unconfirmed=unconfirmed,
    )


# -- the details view ---------------------------------------------------------------------------------


def list_outbox(
    db: sqlite3.Connection, limit: int, offset: int, statuses: Sequence[str] = ()
) -> list[OutboxListing]:
    """Newest first, one page; ``statuses`` filters (all when empty)."""
    where = f"WHERE status IN ({','.join('?' * len(statuses))})" if statuses else ""
    rows = db.execute(
        "SELECT statement_id, verb, statement_json, status, tries, last_error, created_at, sent_at "
        f"FROM outbox {where} ORDER BY id DESC LIMIT ? OFFSET ?",
        (*statuses, limit, offset),
    ).fetchall()
    return [
        OutboxListing(
            statement_id=str(r[0]),
            verb=str(r[1]),
            statement_json=str(r[2]),
            status=str(r[3]),
            tries=int(r[4] or 0),
            last_error=r[5],
            created_at=str(r[6]),
            sent_at=None if r[7] is None else str(r[7]),
        )
        for r in rows
    ]


# -- pruning: sent statements do not stay forever (issue 12) ---------------------------------------
# A statement the central record holds is kept a while for the sync details view, then
# deleted: the outbox was most of a years-old store's size. Never touched: anything not
# `sent` (pending, unconfirmed, conflict, rejected), so nothing waiting or shown as a
# problem is lost. Restore reads the central record, not this table.

SENT_RETENTION = timedelta(days=90)
KEEP_NEWEST_SENT = 100  # the details view always has the latest few to show, however old
PRUNE_BATCH = 5000  # rows per write transaction: a recording answer waits for one batch at most
# The pages freed are reused by the statements recorded next, so the file stops growing. Not
# given back to the file system: auto_vacuum (needed for incremental vacuum) keeps every
# table's root page at the front of the file and so pushes the schema's pages behind them,
# where a file cut short loses them and salvage can then read nothing; a full VACUUM holds the
# write lock for as long as it copies the whole store.


def prune_sent(db: sqlite3.Connection, now: datetime) -> int:
    """Delete sent statements older than the retention period; returns how many went.

    ``db`` is in autocommit mode: each batch is its own short write transaction.
    """
    cutoff = db_timestamp(now - SENT_RETENTION)
    newest = db.execute(
        "SELECT id FROM outbox WHERE status = 'sent' ORDER BY id DESC LIMIT 1 OFFSET ?",
        (KEEP_NEWEST_SENT - 1,),
    ).fetchone()
    if newest is None:
        return 0
    deleted = 0
    while True:
        with write_transaction(db):
            gone = db.execute(
                "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE status = 'sent' "
                "AND id < ? AND sent_at < ? ORDER BY id LIMIT ?)",
                (int(newest[0]), cutoff, PRUNE_BATCH),
            ).rowcount
        deleted += gone
        if gone < PRUNE_BATCH:
            break
    return deleted
