"""Opening the store at start-up: check, recover, back up, migrate — in that order.

The ordinary start touches only the standard library's sqlite3: SQLAlchemy (and Alembic)
are imported when something first writes, or when the schema needs a migration. That
keeps the heavy imports off the path to the Today screen.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from microlearn.settings.paths import AppPaths, make_private
from microlearn.store import backup, clean_close, meta, migrate, plain_sql
from microlearn.store.engine_pragmas import BUSY_TIMEOUT_MS, apply_pragmas
from microlearn.store.health import (
    Health,
    StoreBusyError,
    StoreOpenError,
    StoreUnreadableError,
    check_health,
    classify_error,
    is_empty_file,
    sqlite_uri,
)
from microlearn.store.meta import DamageRecord

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

    from microlearn.store.salvage import Salvage

log = logging.getLogger(__name__)


@dataclass
class Store:
    paths: AppPaths
    notices: list[str] = field(default_factory=list)  # plain words for the learner
    damage: list[DamageRecord] = field(default_factory=list)  # found and not yet told to the learner
    # The folder (or file) cannot be written: the learner's data can be shown, not changed.
    read_only: bool = False
    # This open ran SQLite's integrity check (it had a reason to: store/clean_close.py).
    integrity_checked: bool = False
    # When the file last passed a check; carried in the clean-close record.
    checked_at: datetime | None = None
    # A read or write found damage: the next start checks the file, whatever else it knows.
    suspect: bool = False
    _records_close: bool = field(default=False, repr=False)
    # One plain sqlite3 connection per thread for the hot write path, opened on first use.
    _writers: dict[int, sqlite3.Connection] = field(default_factory=dict, repr=False)
    _writers_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @cached_property
    def engine(self) -> Engine:
        from microlearn.store.engine import make_engine

        return make_engine(self.paths.database, read_only=self.read_only)

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        from microlearn.store.engine import make_session_factory

        return make_session_factory(self.engine)

    @cached_property
    def read_sessions(self) -> sessionmaker[Session]:
        """ORM sessions that only read: they never take (or wait for) the write lock."""
        from microlearn.store.engine import make_session_factory

        return make_session_factory(self.engine, reads=True)

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A plain sqlite3 connection for the read models (Today, Library, counts)."""
        # sqlite3's timeout is SQLite's busy timeout: readers wait for a writer like the ORM does.
        if self.read_only:  # no -wal/-shm can be made in a read-only folder
            connection = sqlite3.connect(sqlite_uri(self.paths.database, immutable=True), uri=True)
        else:
            connection = sqlite3.connect(self.paths.database, timeout=BUSY_TIMEOUT_MS / 1000)
        connection.row_factory = sqlite3.Row
        try:
            yield connection
        except sqlite3.DatabaseError as exc:
            self._note_error(exc)
            raise
        finally:
            connection.close()

    def _note_error(self, error: sqlite3.DatabaseError) -> None:
        if classify_error(error) is Health.DAMAGED:
            self.suspect = True

    def write(self) -> _WriteTransaction:
        """``BEGIN IMMEDIATE`` … ``COMMIT`` on this thread's plain sqlite3 connection: the
        hot path's writes (recording an answer), with the same pragmas as the ORM's."""
        thread = threading.get_ident()
        connection = self._writers.get(thread)
        if connection is None:
            connection = plain_sql.connect(self.paths.database)
            with self._writers_lock:
                self._writers[thread] = connection
        return _WriteTransaction(self, connection)

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        """A plain sqlite3 connection in autocommit mode, for the owners' write transactions."""
        connection = plain_sql.connect(self.paths.database)
        try:
            yield connection
        finally:
            connection.close()

    def forget_damage(self) -> None:
        """The learner has been told of the damage recorded in the store."""
        if self.damage and not self.read_only:
            with self.connection() as db:
                meta.forget_damage(db)
            self.damage = []

    def close(self) -> None:
        with self._writers_lock:
            for connection in self._writers.values():
                connection.close()
            self._writers.clear()
        if "engine" in self.__dict__:
            self.engine.dispose()
        if self._records_close and not self.suspect:
            # Every connection of ours is closed, so SQLite's last checkpoint is in the file.
            self._records_close = False
            clean_close.write_record(self.paths.database, self.checked_at or datetime.now(UTC))


class _WriteTransaction:
    """``plain_sql.write_transaction`` as one small object rather than two nested generator
    context managers: recording an answer is a commit and little else, so the few
    microseconds count (bench/answer.py)."""

    __slots__ = ("_connection", "_store")

    def __init__(self, store: Store, connection: sqlite3.Connection) -> None:
        self._store = store
        self._connection = connection

    def __enter__(self) -> sqlite3.Connection:
        try:
            self._connection.execute("BEGIN IMMEDIATE")
        except sqlite3.DatabaseError as exc:
            self._store._note_error(exc)
            raise
        return self._connection

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, _trace: object) -> None:
        connection = self._connection
        try:
            if kind is None:
                connection.execute("COMMIT")
                return
        except sqlite3.DatabaseError as exc:
            self._store._note_error(exc)
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        if isinstance(error, sqlite3.DatabaseError):
            self._store._note_error(error)


def _read_revision(database: Path, busy_timeout: float, read_only: bool) -> str | None:
    if read_only:
        connection = sqlite3.connect(sqlite_uri(database, immutable=True), uri=True)
    else:
        connection = sqlite3.connect(database, timeout=busy_timeout)
    try:
        return migrate.current_revision(connection)
    finally:
        connection.close()


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def damage_notice(record: DamageRecord, quarantine_dir: Path) -> str:
    """Plain words for the learner: what was restored, what was recovered, what was not."""
    if record.restored_from is not None:
        said = "Your learning data was damaged, so Microlearn restored the most recent backup."
    else:
        said = (
            "Your learning data was damaged and there was no backup to restore, so Microlearn "
            "started afresh. Results that were already synced are safe in the central record."
        )
    if record.answers or record.results:
        found = [_count(record.answers, "answer"), _count(record.results, "result")]
        said += f" It recovered your later work from the damaged file: {' and '.join(found)}"
        if record.statements:
            said += f" ({_count(record.statements, 'record')} still to be sent to the central record)"
        said += "."
    if not record.complete:
        said += " Anything you did since that backup that could not be read may need to be done again."
    return f"{said} The damaged file was kept in {quarantine_dir}."


@dataclass(frozen=True)
class _Verdict:
    health: Health
    checked: bool = False  # the integrity check ran
    checked_at: datetime | None = None  # when the file last passed one, if known


def _health(paths: AppPaths, busy_timeout: float, read_only: bool, now: datetime) -> _Verdict:
    database = paths.database
    if not database.exists():
        return _Verdict(Health.SOUND, checked_at=now)  # nothing yet: a new store is sound
    if is_empty_file(database) and not backup.backups(paths.backup_dir):
        # What a first start killed before its first write leaves: nothing was ever kept
        # in it (every start that got further made a backup), so there is nothing to lose.
        return _Verdict(Health.SOUND, checked_at=now)
    record = clean_close.read_record(database)
    reason = clean_close.reason_to_check(database, record)
    if reason is None and record is not None:
        # Closed cleanly and untouched since: reading its schema version is enough to know
        # SQLite still calls it a database; the periodic check runs after Today is up.
        try:
            _read_revision(database, busy_timeout, read_only)
        except sqlite3.DatabaseError as exc:
            health = classify_error(exc)
            if health is not Health.DAMAGED:
                return _Verdict(health)
        else:
            try:
                checked_at = datetime.fromisoformat(record.checked_at)
            except ValueError:
                checked_at = None
            return _Verdict(Health.SOUND, checked_at=checked_at)
        reason = "SQLite could not read it"
    log.info("checking the structure of %s: %s", database, reason)
    health = check_health(database, quick=True, busy_timeout=busy_timeout, immutable=read_only)
    return _Verdict(health, checked=True, checked_at=now if health is Health.SOUND else None)


def _has_tables(database: Path, busy_timeout: float) -> bool:
    connection = sqlite3.connect(database, timeout=busy_timeout)
    try:
        return migrate.has_tables(connection)
    finally:
        connection.close()


def _plant_seed(seed: Path, database: Path, now: datetime) -> None:
    """Copy the compiled new store into place; without it, the schema is created as usual."""
    partial = database.with_name(database.name + ".seed-partial")
    try:
        shutil.copyfile(seed, partial)
        make_private(partial)
        partial.replace(database)
    except OSError as exc:
        log.warning("could not use the compiled content %s: %s", seed, exc)
        with contextlib.suppress(OSError):
            partial.unlink()
        return
    # A file just copied from the build is known good: no check for it at this start.
    clean_close.write_record(database, now)


def _writable(paths: AppPaths) -> bool:
    """Can we write the database and the files SQLite keeps beside it?"""
    database = paths.database
    return os.access(paths.data_dir, os.W_OK) and (not database.exists() or os.access(database, os.W_OK))


def open_store(
    paths: AppPaths,
    *,
    busy_timeout: float = BUSY_TIMEOUT_MS / 1000,
    found_by: str = "app",
    now: datetime | None = None,
    seed: Path | None = None,
) -> Store:
    """Open (creating or recovering as needed) the learner's store.

    Raises ``StoreBusyError`` when another process holds a lock for longer than
    ``busy_timeout`` seconds, ``StoreUnreadableError`` when SQLite cannot read the file for
    a reason that is not damage, and ``migrate.NewerDatabaseError`` for a database written
    by a newer app version: each leaves the file untouched. Damage found (now, or earlier
    by another process, ``found_by`` names who) is recorded in the store and kept in
    ``Store.damage`` and ``Store.notices`` until ``Store.forget_damage()``.

    ``seed``: a new store compiled when the app was built (schema and bundled content,
    store/seed.py); where there is no store yet it is copied into place, so a first start
    neither creates a schema nor parses content.
    """
    database = paths.database
    try:
        paths.ensure()
    except OSError as exc:
        if not database.is_file():
            raise StoreUnreadableError(f"could not create {paths.data_dir}: {exc}") from exc
    read_only = database.is_file() and not _writable(paths)
    if seed is not None and not database.exists() and not read_only:
        _plant_seed(seed, database, now or datetime.now(UTC))
    notices: list[str] = []
    verdict = _health(paths, busy_timeout, read_only, now or datetime.now(UTC))
    health = verdict.health
    if health is Health.BUSY:
        raise StoreBusyError(f"{database} was locked by another process for more than {busy_timeout:g} s")
    if health is Health.UNREADABLE:
        raise StoreUnreadableError(f"SQLite could not read {database}")
    recovery = None
    if health is Health.DAMAGED and read_only:
        raise StoreUnreadableError(f"{database} is damaged and its folder is read-only: it was left as it is")
    if health is Health.DAMAGED:
        recovery = backup.quarantine_and_restore(database, paths.backup_dir, paths.quarantine_dir)
    try:
        existed = database.exists() and database.stat().st_size > 0
        revision = _read_revision(database, busy_timeout, read_only) if existed else None
        needs_migration = migrate.check_revision(revision, database)
        if read_only:
            if needs_migration:
                raise StoreUnreadableError(f"{database} needs an update and its folder is read-only")
            viewer = Store(paths=paths, notices=notices, read_only=True)
            viewer.integrity_checked, viewer.checked_at = verdict.checked, verdict.checked_at
            return _opened(viewer, None, found_by)
        if existed and needs_migration and revision is not None:
            try:
                backup.make_backup(database, paths.backup_dir, f"before-{migrate.HEAD_REVISION}")
            except backup.BackupError as exc:  # never change the format without a copy first
                raise StoreOpenError(
                    f"{database} needs an update and could not be backed up first: {exc}"
                ) from exc
        connection = sqlite3.connect(database, timeout=busy_timeout)
        try:
            apply_pragmas(connection)  # WAL is a property of the file: set it before anything else
        finally:
            connection.close()
        # The learner's only; SQLite gives the -wal / -shm files it creates later the database's mode.
        make_private(database, sqlite=True)
    except sqlite3.OperationalError as exc:
        if classify_error(exc) is Health.BUSY:
            raise StoreBusyError(f"{database} is locked by another process") from exc
        raise
    fresh = revision is None and not _has_tables(database, busy_timeout)
    store = Store(paths=paths, notices=notices, integrity_checked=verdict.checked)
    # A restored backup passed its own full check just now.
    store.checked_at = (now or datetime.now(UTC)) if recovery is not None else verdict.checked_at
    if fresh:
        migrate.create_fresh(store.engine)
    elif needs_migration:
        migrate.upgrade(store.engine)
    opened = _opened(store, recovery, found_by)
    clean_close.take_record(database)  # open now: a crash from here on is an unclean exit
    opened._records_close = True
    return opened


def _opened(store: Store, recovery: backup.Recovery | None, found_by: str) -> Store:
    """Record damage found now; tell of any recorded and not yet told."""
    if recovery is not None:
        salvage = _salvage(store, recovery)
        with store.connection() as db:
            meta.record_damage(db, _damage_record(recovery, salvage, found_by))
    with store.read() as db:
        store.damage = meta.untold_damage(db)
    store.notices.extend(damage_notice(record, store.paths.quarantine_dir) for record in store.damage)
    return store


def _damage_record(recovery: backup.Recovery, salvage: Salvage | None, found_by: str) -> DamageRecord:
    return DamageRecord(
        found_at=datetime.now(UTC).isoformat(timespec="seconds"),
        found_by=found_by,
        moved_to=str(recovery.moved_to),
        restored_from=str(recovery.restored_from) if recovery.restored_from else None,
        readable=salvage.readable if salvage else None,
        statements=salvage.statements if salvage else 0,
        answers=salvage.answers if salvage else 0,
        results=salvage.results if salvage else 0,
        complete=bool(salvage and salvage.complete),
    )


def _salvage(store: Store, recovery: backup.Recovery) -> Salvage | None:
    """What can still be read of the damaged file, written into the restored store."""
    from microlearn.store.salvage import salvage_into

    try:
        return salvage_into(store.engine, recovery.moved_to, recovery.wal_moved_to)
    except Exception:  # mining is a bonus: a failure here must not stop the app opening
        log.exception("could not recover anything from %s", recovery.moved_to)
        return None


def routine_check(store: Store, now: datetime | None = None) -> Health | None:
    """The periodic integrity check, after Today is up and off the GUI thread; None if not due.

    Damage found here is not repaired under the learner's feet: the next start, which
    doubts a store marked ``suspect``, moves it aside and restores the newest backup.
    """
    now = now or datetime.now(UTC)
    if store.read_only or (
        store.checked_at is not None and now - store.checked_at < clean_close.CHECK_INTERVAL
    ):
        return None
    health = check_health(store.paths.database, quick=True)
    if health is Health.SOUND:
        store.checked_at = now
    elif health is Health.DAMAGED:
        log.error(
            "the periodic check found %s damaged; it is repaired at the next start", store.paths.database
        )
        store.suspect = True
    return health


@dataclass(frozen=True)
class BackupOutcome:
    made: Path | None = None
    failed: bool = False
    disk_full: bool = False


def routine_backup(store: Store) -> BackupOutcome:
    """The at-most-daily backup; call it off the GUI thread after start-up.

    A failed backup never stops the app: the database itself is untouched by it.
    """
    try:
        return BackupOutcome(made=backup.backup_if_due(store.paths.database, store.paths.backup_dir))
    except backup.BackupError as exc:
        log.warning("routine backup failed: %s", exc)
        return BackupOutcome(failed=True, disk_full=exc.disk_full)
