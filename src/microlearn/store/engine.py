"""The SQLite engine: durable pragmas and explicit write transactions.

``synchronous=FULL`` with WAL means an answer the UI has acknowledged survives a crash
and a power cut. Every transaction starts with ``BEGIN IMMEDIATE`` so the GUI and a
``microlearn sync`` process queue on the busy timeout instead of failing mid-transaction.
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
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
