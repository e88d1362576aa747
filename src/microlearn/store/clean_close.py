"""The record of a clean close: why most starts need no integrity check.

``PRAGMA quick_check`` reads the whole file (seconds for a store years old), so a start
runs it only when there is a reason to doubt the file: the app did not close it cleanly
last time (a crash, a power cut, a kill), the file changed while no Microlearn had it open
(a copy, a restore tool, a disk error that rewrote it), a read failed while it was open,
or the last check is older than ``CHECK_INTERVAL`` (that one runs after Today is up).

The record is a small file beside the database, written after the last connection closed
(so after SQLite's final checkpoint) with the file's size, modification time and inode,
and taken away when the store is opened: a missing record means an unclean exit.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from microlearn.settings.paths import private_opener

# How long a store that always closed cleanly goes without a full structural check.
CHECK_INTERVAL = timedelta(days=30)
_SUFFIX = ".closed"


@dataclass(frozen=True)
class CloseRecord:
    size: int
    mtime_ns: int
    inode: int
    checked_at: str  # ISO 8601, UTC: when the file last passed an integrity check


def record_path(database: Path) -> Path:
    return database.with_name(database.name + _SUFFIX)


def _identity(database: Path) -> tuple[int, int, int]:
    stat = database.stat()
    return stat.st_size, stat.st_mtime_ns, stat.st_ino


def read_record(database: Path) -> CloseRecord | None:
    try:
        return CloseRecord(**json.loads(record_path(database).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None  # missing or unreadable: treated as an unclean exit, which costs one check


def reason_to_check(database: Path, record: CloseRecord | None) -> str | None:
    """Why this start should check the file's structure, or None when it need not."""
    if record is None:
        return "it was not closed cleanly last time"
    wal = database.with_name(database.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        return "a write-ahead log was left beside it"
    if _identity(database) != (record.size, record.mtime_ns, record.inode):
        return "it changed while Microlearn was closed"
    return None


def take_record(database: Path) -> None:
    """The store is open: until it is closed cleanly again, a start must doubt it."""
    with contextlib.suppress(FileNotFoundError):
        record_path(database).unlink()


def write_record(database: Path, checked_at: datetime) -> None:
    """Call after the last connection closed; a failure only costs the next start a check."""
    size, mtime_ns, inode = _identity(database)
    record = CloseRecord(size, mtime_ns, inode, checked_at.astimezone(UTC).isoformat(timespec="seconds"))
    target = record_path(database)
    partial = target.with_name(target.name + ".partial")
    with contextlib.suppress(OSError):
        with open(partial, "w", encoding="utf-8", opener=private_opener) as stream:
            stream.write(json.dumps(asdict(record)))
        partial.replace(target)
