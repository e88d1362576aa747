"""Plain sqlite3 next to the ORM, for the hot paths: connections, write transactions, timestamps.

Recording an answer, the Today and Library reads and the sync engine's outbox batches run
plain SQL (the ORM's bookkeeping costs several times the commit, and importing it delays
the first paint); these keep them to the same rules as the ORM's writes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from microlearn.store.engine_pragmas import BUSY_TIMEOUT_MS, apply_pragmas

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def utc_now() -> datetime:
    return datetime.now(UTC)


def db_timestamp(moment: datetime) -> str:
    """A timestamp as the ORM stores ``DateTime`` columns in SQLite (naive UTC, microseconds)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


@contextmanager
def write_transaction(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``, like every write of the app: writers queue, never fail
    midway. ``connection`` is in autocommit mode (``isolation_level=None``), as all of ours are."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield connection
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise


def connect(
    database: Path, *, busy_timeout: float = BUSY_TIMEOUT_MS / 1000, durable: bool = True
) -> sqlite3.Connection:
    """An autocommit connection (transactions are explicit) with the app's pragmas.

    ``durable=False`` relaxes ``synchronous`` to NORMAL for this connection only. In WAL mode
    that skips the fsync at each commit (the database stays consistent; a power cut may undo
    the last few commits, a crash of the process does not). The sync engine uses it for what
    it writes - sent/conflict/rejected marks, tries, last errors - because every one of those
    is safe to lose: the statement is simply read back or sent again, and an identical re-send
    is harmless (DESIGN.md). The learner's answers keep FULL on their own connections, and a
    FULL commit makes every earlier frame of the WAL durable too.
    """
    connection = sqlite3.connect(
        database, timeout=busy_timeout, isolation_level=None, check_same_thread=False
    )
    try:
        apply_pragmas(connection)
        if not durable:
            connection.execute("PRAGMA synchronous=NORMAL")
    except BaseException:
        connection.close()
        raise
    return connection


def session_connection(session: Session) -> sqlite3.Connection:
    """The sqlite3 connection under an ORM session's open transaction, for an owner's plain
    SQL that must commit or roll back with the session's own writes."""
    connection = session.connection().connection.driver_connection
    assert isinstance(connection, sqlite3.Connection)
    return connection
