"""Read-only facts about the learner's store, for ``microlearn doctor`` and ``diagnostics``.

Everything here opens the database read-only (``mode=ro``): it never creates, migrates,
repairs or writes it, so it is safe to run while the app is open and on a damaged file.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from microlearn.settings.paths import AppPaths
from microlearn.store import migrate
from microlearn.store.backup import backups
from microlearn.store.content_reads import LatestInstall, latest_install
from microlearn.store.health import Health, classify_error, sqlite_uri
from microlearn.store.meta import all_meta
from microlearn.store.outbox import counted_by_status

InstalledContent = LatestInstall  # what doctor and diagnostics call the newest install


@dataclass(frozen=True)
class StoreFacts:
    database: Path
    exists: bool
    error: str | None = None  # the file could not be opened or read
    busy: bool = False  # another process held a lock: not damage, just not checked now
    revision: str | None = None
    integrity: tuple[str, ...] = ()  # ("ok",) when sound
    table_counts: dict[str, int] = field(default_factory=dict)
    outbox: dict[str, int] = field(default_factory=dict)  # by status
    meta: dict[str, str] = field(default_factory=dict)
    content: InstalledContent | None = None

    @property
    def sound(self) -> bool:
        return self.exists and self.error is None and self.integrity == ("ok",)


@contextmanager
def read_only(database: Path) -> Iterator[sqlite3.Connection]:
    """Read without changing anything, not even the folder: with no write-ahead log beside
    the file (nothing has it open for writing) or no right to write the folder, SQLite reads
    it as immutable and makes no -wal/-shm files; otherwise it joins the running app's log."""
    wal = database.with_name(database.name + "-wal")
    immutable = not wal.exists() or not os.access(database.parent, os.W_OK)
    connection = sqlite3.connect(
        sqlite_uri(database, read_only=True, immutable=immutable), uri=True, timeout=5
    )
    try:
        yield connection
    finally:
        connection.close()


def _tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return sorted(str(row[0]) for row in rows)


def _content(db: sqlite3.Connection, tables: list[str]) -> InstalledContent | None:
    if not {"content_installs", "modules", "tracks"} <= set(tables):
        return None
    return latest_install(db)


def inspect_store(database: Path, *, integrity: bool = True) -> StoreFacts:
    """What the store holds; ``integrity`` runs the full PRAGMA integrity_check (slower)."""
    if not database.is_file():
        return StoreFacts(
            database, exists=database.exists(), error="not a file" if database.exists() else None
        )
    try:
        with read_only(database) as db:
            checked: tuple[str, ...] = ()
            if integrity:
                checked = tuple(str(r[0]) for r in db.execute("PRAGMA integrity_check(20)").fetchall())
            tables = _tables(db)
            counts = {t: int(db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]) for t in tables}
            outbox = counted_by_status(db) if "outbox" in tables else {}
            meta = all_meta(db) if "meta" in tables else {}
            return StoreFacts(
                database,
                exists=True,
                revision=migrate.current_revision(db),
                integrity=checked,
                table_counts=counts,
                outbox=outbox,
                meta=meta,
                content=_content(db, tables),
            )
    except sqlite3.Error as exc:
        busy = classify_error(exc) is Health.BUSY
        return StoreFacts(database, exists=True, error=f"{type(exc).__name__}: {exc}", busy=busy)


def file_sizes(paths: AppPaths) -> dict[str, int]:
    """Bytes of the database, its WAL and shared-memory files, each backup and each quarantined file."""
    sizes: dict[str, int] = {}
    database = paths.database
    for candidate in (
        database,
        database.with_name(database.name + "-wal"),
        database.with_name(database.name + "-shm"),
    ):
        if candidate.is_file():
            sizes[candidate.name] = candidate.stat().st_size
    for backup in backups(paths.backup_dir):
        sizes[f"backups/{backup.name}"] = backup.stat().st_size
    if paths.quarantine_dir.is_dir():
        for damaged in sorted(paths.quarantine_dir.iterdir()):
            if damaged.is_file():
                sizes[f"damaged/{damaged.name}"] = damaged.stat().st_size
    return sizes
