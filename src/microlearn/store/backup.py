"""Backups with SQLite's online backup API, integrity checks and restoring a damaged store."""

from __future__ import annotations

import contextlib
import errno
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from microlearn.settings.paths import make_private, make_private_dir
from microlearn.store.health import Health, check_health, sqlite_uri

KEEP_BACKUPS = 7
DAILY = timedelta(hours=24)
_STAMP = "%Y%m%d-%H%M%S-%f"
# microlearn-s00000042-20261102-090000-000000_daily.sqlite3: the sequence number orders them,
# the time is for people reading the folder (and for "at most daily").
_NUMBERED = re.compile(r"^microlearn-s(\d+)-")


def integrity_ok(path: Path, *, quick: bool = False) -> bool:
    """True when SQLite's integrity check passes (``quick``: structure only, for start-up)."""
    return check_health(path, quick=quick) is Health.SOUND


def _sequence(path: Path) -> int | None:
    """The backup's place in the sequence; None for a file named by date alone (older apps)."""
    match = _NUMBERED.match(path.stem)
    return int(match.group(1)) if match else None


def _order(path: Path) -> tuple[int, int, str]:
    # Numbered backups follow every date-named one: those were all made before the change.
    sequence = _sequence(path)
    return (0, 0, path.name) if sequence is None else (1, sequence, "")


def backups(backup_dir: Path) -> list[Path]:
    """Backups, newest first: by a sequence that only grows, never by the wall clock."""
    if not backup_dir.is_dir():
        return []
    return sorted(backup_dir.glob("microlearn-*.sqlite3"), key=_order, reverse=True)


def _next_sequence(backup_dir: Path) -> int:
    numbers = [n for n in map(_sequence, backups(backup_dir)) if n is not None]
    return max(numbers, default=0) + 1


def last_backup_time(backup_dir: Path) -> datetime | None:
    """When the newest backup says it was made (by the clock of that moment)."""
    newest = next(iter(backups(backup_dir)), None)
    if newest is None:
        return None
    stamp = _NUMBERED.sub("", newest.stem).removeprefix("microlearn-").split("_")[0]
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


class BackupError(Exception):
    """A backup could not be made; nothing of it is left behind and the database is untouched."""

    def __init__(self, message: str, *, disk_full: bool) -> None:
        super().__init__(message)
        self.disk_full = disk_full


def is_disk_full(error: BaseException) -> bool:
    if isinstance(error, OSError):
        return error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
    if isinstance(error, sqlite3.Error):
        return (getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF == sqlite3.SQLITE_FULL
    return False


def _remove_partials(backup_dir: Path) -> None:
    """Half-made copies: a failed or interrupted backup's, never a backup to restore."""
    for partial in backup_dir.glob("*.partial"):
        partial.unlink(missing_ok=True)


def make_backup(database: Path, backup_dir: Path, reason: str, now: datetime | None = None) -> Path:
    """Copy the live database with the online backup API (safe while others use it).

    Raises ``BackupError`` (``disk_full`` when the disk is full) after removing what it wrote.
    """
    now = now or datetime.now(UTC)
    try:
        make_private_dir(backup_dir)
        _remove_partials(backup_dir)
        sequence = _next_sequence(backup_dir)
        target = backup_dir / f"microlearn-s{sequence:08d}-{now.strftime(_STAMP)}_{reason}.sqlite3"
        partial = target.with_suffix(".partial")
        try:
            _copy(sqlite_uri(database), partial)
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(
            f"could not back up {database} to {backup_dir}: {exc}", disk_full=is_disk_full(exc)
        ) from exc
    prune(backup_dir)
    return target


def prune(backup_dir: Path, keep: int = KEEP_BACKUPS) -> None:
    for old in backups(backup_dir)[keep:]:
        old.unlink(missing_ok=True)


def backup_if_due(database: Path, backup_dir: Path, now: datetime | None = None) -> Path | None:
    """At most one routine backup a day.

    A newest backup stamped in the future (made while the clock ran ahead) does not count:
    waiting for that date would stop the daily backups until then.
    """
    now = now or datetime.now(UTC)
    last = last_backup_time(backup_dir)
    if last is not None and timedelta(0) <= now - last < DAILY:
        return None
    return make_backup(database, backup_dir, "daily", now)


@dataclass(frozen=True)
class Recovery:
    moved_to: Path
    restored_from: Path | None
    wal_moved_to: Path | None = None  # the damaged file's write-ahead log, kept beside it


def quarantine_and_restore(database: Path, backup_dir: Path, quarantine_dir: Path) -> Recovery:
    """Move a damaged database aside (never delete it) and put the newest good backup in place."""
    make_private_dir(quarantine_dir)
    stamp = datetime.now(UTC).strftime(_STAMP)
    moved_to = quarantine_dir / f"{database.name}.{stamp}"
    shutil.move(database, moved_to)
    wal_moved_to = None
    for suffix in ("-wal", "-shm"):
        companion = database.with_name(database.name + suffix)
        if companion.exists():
            kept = quarantine_dir / f"{companion.name}.{stamp}"
            shutil.move(companion, kept)
            if suffix == "-wal":
                wal_moved_to = kept
    for candidate in backups(backup_dir):
        if integrity_ok(candidate):
            _copy(sqlite_uri(candidate, read_only=True), database)
            return Recovery(moved_to=moved_to, restored_from=candidate, wal_moved_to=wal_moved_to)
    with contextlib.suppress(FileNotFoundError):
        database.unlink()
    return Recovery(moved_to=moved_to, restored_from=None, wal_moved_to=wal_moved_to)
