"""One sync at a time per data directory, across processes (the GUI and ``microlearn sync``).

The lock is an OS advisory lock on ``AppPaths.sync_lock``: ``fcntl.flock`` on POSIX,
``msvcrt.locking`` on Windows. The kernel drops it when the holding process ends, however
it ends (SIGKILL, power cut aside), so a crashed sync can never leave it stuck. The file
itself is never deleted: deleting a lock file races with a process that has just opened it.

``flock`` locks belong to an open file, so two ``SyncLock`` objects in one process exclude
each other too (a GUI worker and a test driving the CLI code in-process).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import IO, Self

from microlearn.settings.paths import make_private_dir, private_opener


class SyncLock:
    """A non-blocking, process-crash-safe exclusive lock on one file."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._file: IO[bytes] | None = None

    def acquire(self) -> bool:
        """Take the lock if it is free; ``False`` (at once, never waiting) if another holds it."""
        if self._file is not None:
            raise RuntimeError("this SyncLock is already held")
        make_private_dir(self._path.parent)
        handle = open(self._path, "a+b", opener=private_opener)  # noqa: SIM115 - held until release()
        try:
            locked = _try_lock(handle)
        except BaseException:
            handle.close()
            raise
        if not locked:
            handle.close()
            return False
        self._file = handle
        with contextlib.suppress(OSError):  # who holds it, for a helpdesk looking at the file
            handle.seek(0)
            handle.truncate()
            handle.write(f"{os.getpid()}\n".encode())
            handle.flush()
        return True

    def release(self) -> None:
        handle, self._file = self._file, None
        if handle is None:
            return
        try:
            _unlock(handle)
        finally:
            handle.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


@contextlib.contextmanager
def sync_lock(path: Path) -> Iterator[bool]:
    """``with sync_lock(paths.sync_lock) as acquired:`` — released on leaving if it was taken."""
    lock = SyncLock(path)
    acquired = lock.acquire()
    try:
        yield acquired
    finally:
        lock.release()


if sys.platform == "win32":
    import msvcrt

    def _try_lock(handle: IO[bytes]) -> bool:
        handle.seek(0)  # msvcrt locks bytes from the current position; lock byte 0
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(handle: IO[bytes]) -> None:
        handle.seek(0)
        with contextlib.suppress(OSError):
            msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(handle: IO[bytes]) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(handle: IO[bytes]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
