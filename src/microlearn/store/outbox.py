"""The outbox table: frozen xAPI statements waiting for (or having reached) the central record.

This module owns the outbox's SQL. The recording side is here: the one INSERT every place
that records a learning event uses, inside that event's own transaction (DESIGN.md,
transactional outbox), and the counts the learner sees. The sync engine's reads and
updates (pending batches, sent/conflict/rejected marks) belong here too, kept apart below.

Plain sqlite3 (store/plain_sql.py): recording an answer is a hot path, and an ORM write
passes the DBAPI connection of its own transaction (``plain_sql.session_connection``).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from microlearn.store.plain_sql import db_timestamp, write_transaction


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
    """Statements by status (pending, sent, conflict, rejected, and any other found)."""
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
    )


# -- the sync side (pending batches, marks): the sync engine's functions go below -------------------


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
