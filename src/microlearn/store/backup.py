"""Backups with SQLite's online backup API, integrity checks and restoring a damaged store."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from microlearn.settings.paths import make_private, make_private_dir

KEEP_BACKUPS = 7
DAILY = timedelta(hours=24)
_STAMP = "%Y%m%d-%H%M%S-%f"


def sqlite_uri(path: Path, *, read_only: bool = False) -> str:
    """An SQLite URI for ``path``: percent-encoded, so a '#', '?' or '%' in a folder name
    (a learner called "Jo#1") names the file and not something else."""
    uri = path.resolve().as_uri()
    return f"{uri}?mode=ro" if read_only else uri


def integrity_ok(path: Path, *, quick: bool = False) -> bool:
    """Run SQLite's integrity check; any error opening the file counts as damage.

    ``quick`` checks the structure without cross-checking indexes: fast enough for start-up.
    """
    try:
        connection = sqlite3.connect(sqlite_uri(path, read_only=True), uri=True)
        try:
            rows = connection.execute("PRAGMA quick_check" if quick else "PRAGMA integrity_check").fetchall()
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        return False
    return rows == [("ok",)]


def backups(backup_dir: Path) -> list[Path]:
    """Backups, newest first."""
    if not backup_dir.is_dir():
        return []
    return sorted(backup_dir.glob("microlearn-*.sqlite3"), reverse=True)


def last_backup_time(backup_dir: Path) -> datetime | None:
    newest = next(iter(backups(backup_dir)), None)
    if newest is None:
        return None
    stamp = newest.stem.removeprefix("microlearn-").split("_")[0]
    try:
        return datetime.strptime(stamp, _STAMP).replace(tzinfo=UTC)
    except ValueError:
        return None


def _copy(source_uri: str, destination: Path) -> None:
    """SQLite's online backup API: a consistent copy even while others use the source."""
    source = sqlite3.connect(source_uri, uri=True)
    try:
        target = sqlite3.connect(destination)
        try:
            source.backup(target)
        finally:
            target.close()
        make_private(destination, sqlite=True)  # a copy of the learner's data: theirs only
    finally:
        source.close()


def make_backup(database: Path, backup_dir: Path, reason: str, now: datetime | None = None) -> Path:
    """Copy the live database with the online backup API (safe while others use it)."""
    now = now or datetime.now(UTC)
    make_private_dir(backup_dir)
    target = backup_dir / f"microlearn-{now.strftime(_STAMP)}_{reason}.sqlite3"
    partial = target.with_suffix(".partial")
    _copy(sqlite_uri(database), partial)
    partial.replace(target)
    prune(backup_dir)
    return target


def prune(backup_dir: Path, keep: int = KEEP_BACKUPS) -> None:
    for old in backups(backup_dir)[keep:]:
        old.unlink(missing_ok=True)


def backup_if_due(database: Path, backup_dir: Path, now: datetime | None = None) -> Path | None:
    """At most one routine backup a day."""
    now = now or datetime.now(UTC)
    last = last_backup_time(backup_dir)
    if last is not None and now - last < DAILY:
        return None
    return make_backup(database, backup_dir, "daily", now)


@dataclass(frozen=True)
class Recovery:
    moved_to: Path
    restored_from: Path | None


def quarantine_and_restore(database: Path, backup_dir: Path, quarantine_dir: Path) -> Recovery:
    """Move a damaged database aside (never delete it) and put the newest good backup in place."""
    make_private_dir(quarantine_dir)
    stamp = datetime.now(UTC).strftime(_STAMP)
    moved_to = quarantine_dir / f"{database.name}.{stamp}"
    shutil.move(database, moved_to)
    for suffix in ("-wal", "-shm"):
        companion = database.with_name(database.name + suffix)
        if companion.exists():
            shutil.move(companion, quarantine_dir / f"{companion.name}.{stamp}")
    for candidate in backups(backup_dir):
        if integrity_ok(candidate):
            _copy(sqlite_uri(candidate, read_only=True), database)
            return Recovery(moved_to=moved_to, restored_from=candidate)
    with contextlib.suppress(FileNotFoundError):
        database.unlink()
    return Recovery(moved_to=moved_to, restored_from=None)
