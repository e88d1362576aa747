"""Is the database file sound, damaged, or just busy? SQLite's own answer decides.

Only SQLite's "corrupt" and "not a database" answers, a failed integrity check or an
empty file count as damage. "Locked" or "busy" means another process (a scheduled
``microlearn sync``, a backup tool) holds a lock for now: wait, never move the file.
Anything else (a folder we may not read, an I/O error) is not damage either: the file is
left where it is and the caller says what went wrong.
"""

from __future__ import annotations

import sqlite3
from enum import Enum
from pathlib import Path

from microlearn.store.engine_pragmas import BUSY_TIMEOUT_MS


class Health(Enum):
    SOUND = "sound"
    DAMAGED = "damaged"
    BUSY = "busy"  # locked by another process: wait and try again
    UNREADABLE = "unreadable"  # e.g. no permission, an I/O error: not the file's fault


_BUSY_CODES = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}
_DAMAGE_CODES = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}


def sqlite_uri(path: Path, *, read_only: bool = False, immutable: bool = False) -> str:
    """An SQLite URI for ``path``: percent-encoded, so a '#', '?' or '%' in a folder name
    (a learner called "Jo#1") names the file and not something else.

    ``immutable`` (implies read-only) reads the file without creating ``-wal``/``-shm``
    files or taking locks: for a folder we may not write, or a file nobody else has open.
    """
    uri = path.resolve().as_uri()
    if immutable:
        return f"{uri}?mode=ro&immutable=1"
    return f"{uri}?mode=ro" if read_only else uri


def classify_error(error: sqlite3.Error) -> Health:
    """What an SQLite error says about the file (extended codes reduced to their primary)."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        primary = code & 0xFF
        if primary in _BUSY_CODES:
            return Health.BUSY
        if primary in _DAMAGE_CODES:
            return Health.DAMAGED
        return Health.UNREADABLE
    # Errors raised before SQLite answered carry no code; their text still says which.
    text = str(error).lower()
    if "locked" in text or "busy" in text:
        return Health.BUSY
    if "malformed" in text or "not a database" in text:
        return Health.DAMAGED
    return Health.UNREADABLE


def is_empty_file(path: Path) -> bool:
    """A 0-byte database with no write-ahead log to hold its pages holds nothing at all."""
    wal = path.with_name(path.name + "-wal")
    return path.stat().st_size == 0 and (not wal.exists() or wal.stat().st_size == 0)


MIN_PAGE_SIZE = 512  # SQLite's smallest page: a database that holds anything is at least one page


def is_cut_short(path: Path) -> bool:
    """A file that does not end on a page boundary was cut: SQLite only ever writes whole pages.

    Without this, a main file cut to a few bytes next to an intact write-ahead log opens
    cleanly from the log's pages alone, and passes the check with most of its rows gone.
    """
    size = path.stat().st_size
    if size == 0:
        return False  # is_empty_file's case
    if size < MIN_PAGE_SIZE:
        return True
    with path.open("rb") as stream:
        header = stream.read(100)
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        return False  # not ours to judge: SQLite says "not a database"
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    return page_size >= MIN_PAGE_SIZE and size % page_size != 0


def check_health(
    path: Path,
    *,
    quick: bool = False,
    busy_timeout: float = BUSY_TIMEOUT_MS / 1000,
    immutable: bool = False,
) -> Health:
    """Run SQLite's integrity check (``quick``: structure only, fast enough for start-up).

    A lock held by another process is waited on for ``busy_timeout`` seconds, then
    reported as BUSY, never as damage.
    """
    if is_empty_file(path) or is_cut_short(path):
        return Health.DAMAGED
    try:
        connection = sqlite3.connect(
            sqlite_uri(path, read_only=True, immutable=immutable), uri=True, timeout=busy_timeout
        )
        try:
            rows = connection.execute("PRAGMA quick_check" if quick else "PRAGMA integrity_check").fetchall()
        finally:
            connection.close()
    except sqlite3.Error as exc:
        return classify_error(exc)
    return Health.SOUND if rows == [("ok",)] else Health.DAMAGED


class StoreOpenError(Exception):
    """The learning data cannot be opened now; the file is left exactly as it was."""


class StoreBusyError(StoreOpenError):
    """Another process held a lock on the database for longer than we waited."""


class StoreUnreadableError(StoreOpenError):
    """SQLite could not read the file for a reason that is not damage (permissions, I/O)."""
