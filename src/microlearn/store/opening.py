"""Opening the store at start-up: check, recover, back up, migrate — in that order."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from microlearn.paths import AppPaths
from microlearn.store import backup, migrate
from microlearn.store.engine import apply_pragmas, make_engine, make_session_factory


@dataclass
class Store:
    paths: AppPaths
    engine: Engine
    sessions: sessionmaker[Session]
    notices: list[str] = field(default_factory=list)  # plain words for the learner

    def close(self) -> None:
        self.engine.dispose()


def _read_revision(database: Path) -> str | None:
    connection = sqlite3.connect(database)
    try:
        return migrate.current_revision(connection)
    finally:
        connection.close()


def open_store(paths: AppPaths) -> Store:
    """Open (creating or recovering as needed) the learner's store.

    Raises ``migrate.NewerDatabaseError`` for a database written by a newer app version,
    leaving the file untouched.
    """
    paths.ensure()
    database = paths.database
    notices: list[str] = []
    if database.exists() and not backup.integrity_ok(database, quick=True):
        recovery = backup.quarantine_and_restore(database, paths.backup_dir, paths.quarantine_dir)
        if recovery.restored_from is not None:
            notices.append(
                "Your learning data was damaged, so Microlearn restored the most recent backup. "
                "Anything you did since that backup may need to be done again. "
                f"The damaged file was kept in {paths.quarantine_dir}."
            )
        else:
            notices.append(
                "Your learning data was damaged and there was no backup to restore, so Microlearn "
                "started afresh. Results that were already synced are safe in the central record. "
                f"The damaged file was kept in {paths.quarantine_dir}."
            )
    existed = database.exists()
    revision = _read_revision(database) if existed else None
    needs_migration = migrate.check_revision(revision, database)
    if existed and needs_migration and revision is not None:
        backup.make_backup(database, paths.backup_dir, f"before-{migrate.HEAD_REVISION}")
    connection = sqlite3.connect(database)
    try:
        apply_pragmas(connection)  # WAL is a property of the file: set it before anything else
    finally:
        connection.close()
    engine = make_engine(database)
    if needs_migration:
        migrate.upgrade(engine)
    return Store(paths=paths, engine=engine, sessions=make_session_factory(engine), notices=notices)


def routine_backup(store: Store) -> Path | None:
    """The at-most-daily backup; call it off the GUI thread after start-up."""
    return backup.backup_if_due(store.paths.database, store.paths.backup_dir)
