"""The SQLite engine: durable pragmas and explicit transactions.

``synchronous=FULL`` with WAL means an answer the UI has acknowledged survives a crash
and a power cut. A write transaction starts with ``BEGIN IMMEDIATE`` so the GUI and a
``microlearn sync`` process queue on the busy timeout instead of failing mid-transaction;
a read starts with a plain ``BEGIN``, which in WAL mode never waits for a writer, so a
read on the GUI thread never waits on another process's write.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from microlearn.store.engine_pragmas import BUSY_TIMEOUT_MS, PRAGMAS, apply_pragmas
from microlearn.store.health import sqlite_uri

__all__ = ["BUSY_TIMEOUT_MS", "PRAGMAS", "apply_pragmas", "make_engine", "make_session_factory"]


def make_engine(path: Path, *, read_only: bool = False) -> Engine:
    if read_only:
        # A read-only folder: SQLite can make no -wal/-shm there, so it reads the file as
        # it is (immutable). Writes fail with "attempt to write a readonly database".
        uri = sqlite_uri(path, immutable=True)
        return create_engine(
            "sqlite+pysqlite://",
            creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False),
        )
    engine = create_engine(
        # A URL object, not a string: a '?' or '#' in the path stays part of the file name.
        URL.create("sqlite+pysqlite", database=str(path)),
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # WORKAROUND for pysqlite's own transaction handling, which defers BEGIN and so
        # breaks SERIALIZABLE writes: take control of BEGIN ourselves (SQLAlchemy docs,
        # "Serializable isolation / Savepoints / Transactional DDL").
        dbapi_connection.isolation_level = None
        apply_pragmas(dbapi_connection)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        reading = connection.get_execution_options().get(_READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")

    return engine


_READ_ONLY = "microlearn_read_only"


def make_session_factory(engine: Engine, *, reads: bool = False) -> sessionmaker[Session]:
    """Sessions for writes (``BEGIN IMMEDIATE``), or with ``reads`` for reads (``BEGIN``)."""
    bind = engine.execution_options(**{_READ_ONLY: True}) if reads else engine
    return sessionmaker(bind, expire_on_commit=False)
