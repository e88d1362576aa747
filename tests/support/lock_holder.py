"""Another process holding a lock on a learner's database, as a scheduled sync or a backup tool does.

``hold_lock(database, "write")`` holds the write lock (``BEGIN IMMEDIATE`` with a write
in flight): readers in WAL mode go on, other writers queue. ``"exclusive"`` takes
SQLite's exclusive locking mode, which shuts out readers as well. The lock is released
when the block ends (the child's stdin closes and it exits).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

_HOLDER = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
if sys.argv[2] == "exclusive":
    connection.execute("PRAGMA locking_mode=EXCLUSIVE")
    connection.execute("BEGIN EXCLUSIVE")
else:
    connection.execute("BEGIN IMMEDIATE")
connection.execute("INSERT INTO meta (key, value) VALUES ('lock-holder', 'x') "
                   "ON CONFLICT(key) DO UPDATE SET value = excluded.value")
print("held", flush=True)
sys.stdin.read()
connection.execute("ROLLBACK")
"""


@contextmanager
def hold_lock(database: Path, kind: Literal["write", "exclusive"] = "exclusive") -> Iterator[None]:
    process = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(database), kind],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        assert process.stdout.readline().strip() == "held", "the lock holder did not start"
        yield
    finally:
        process.stdin.close()
        process.wait(timeout=30)
        process.stdout.close()
