"""Every directory the app writes to, resolved in one place.

``MICROLEARN_DATA_DIR`` makes the app portable (and lets tests redirect it): when it is
set, configuration, logs and cache live inside that folder too, so nothing is written
anywhere else.

Everything the app creates is the learner's only: folders 0700, files 0600 on POSIX
(:func:`make_private_dir`, :func:`create_private_dirs`, :func:`private_opener`,
:func:`make_private`). Windows gives a
profile's folders to their user already; there these calls change nothing that matters.
"""

from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from microlearn import APP_NAME

DATA_DIR_ENV = "MICROLEARN_DATA_DIR"
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
# SQLite keeps these beside a database, with the database's own mode when it creates them.
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")
POLICY_ENV = "MICROLEARN_POLICY"
POLICY_FILE_NAME = "policy.toml"


@dataclass(frozen=True)
class AppPaths:
    data_dir: Path
    config_dir: Path
    log_dir: Path
    cache_dir: Path
    policy_file: Path | None

    @property
    def database(self) -> Path:
        return self.data_dir / "microlearn.sqlite3"

    @property
    def backup_dir(self) -> Path:
        return self.data_dir / "backups"

    @property
    def quarantine_dir(self) -> Path:
        """Where a damaged database is moved, never deleted."""
        return self.data_dir / "damaged"

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.json"

    @property
    def sync_lock(self) -> Path:
        return self.data_dir / "sync.lock"

    def ensure(self) -> None:
        for folder in (self.data_dir, self.config_dir, self.log_dir, self.cache_dir):
            make_private_dir(folder)


def create_private_dirs(folder: Path) -> None:
    """Create ``folder`` and each missing parent 0700, whatever the umask; folders that exist
    already are left as they are. (``Path.mkdir(parents=True)`` gives the parents it makes
    the umask's 0755, e.g. ``~/.local/state/microlearn`` on the way to the log folder.)"""
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    for new in reversed(missing):  # outermost first
        try:
            new.mkdir(mode=PRIVATE_DIR_MODE)
        except FileExistsError:  # another process made it meanwhile: it is not ours to change
            continue
        with contextlib.suppress(OSError):  # mkdir's mode is masked by the umask
            new.chmod(PRIVATE_DIR_MODE)
    if not folder.is_dir():
        folder.mkdir()  # raises the reason (a file in the way), as mkdir(exist_ok=True) did


def make_private_dir(folder: Path) -> None:
    """Create ``folder`` (and its missing parents) for the learner only; an existing one of ours is
    made private too. A folder we may not change (a portable install on FAT) is left as it is."""
    create_private_dirs(folder)
    with contextlib.suppress(OSError):
        if (folder.stat().st_mode & 0o777) != PRIVATE_DIR_MODE:
            folder.chmod(PRIVATE_DIR_MODE)


def private_opener(path: str, flags: int) -> int:
    """For ``open(..., opener=private_opener)``: a new file is created 0600, whatever the umask."""
    descriptor = os.open(path, flags, PRIVATE_FILE_MODE)
    if hasattr(os, "fchmod"):  # POSIX: an existing file keeps its mode on open, so tighten it
        with contextlib.suppress(OSError):
            os.fchmod(descriptor, PRIVATE_FILE_MODE)
    return descriptor


def make_private(path: Path, *, sqlite: bool = False) -> None:
    """Make a file the app wrote (a database: with its -wal / -shm files) readable by the learner only."""
    targets = (
        [path, *(path.with_name(path.name + suffix) for suffix in SQLITE_COMPANIONS)] if sqlite else [path]
    )
    for target in targets:
        with contextlib.suppress(OSError):  # absent (no -wal yet), or a file system without modes
            target.chmod(PRIVATE_FILE_MODE)


def site_policy_candidates() -> list[Path]:
    """Where the site policy is looked for, in order; the last one is the documented place.

    On Linux every folder of ``XDG_CONFIG_DIRS`` is searched and then ``/etc/xdg``: Ubuntu's
    desktop session puts ``/etc/xdg/xdg-ubuntu`` first, and a scheduled ``microlearn sync``
    (which does not have that variable) must read the same file as the app.
    """
    found = platformdirs.site_config_dir(APP_NAME, appauthor=False, multipath=True)
    candidates = [Path(folder) / POLICY_FILE_NAME for folder in found.split(os.pathsep) if folder]
    if sys.platform.startswith("linux"):
        standard = Path("/etc/xdg") / APP_NAME / POLICY_FILE_NAME
        candidates = [c for c in candidates if c != standard] + [standard]
    return candidates


def site_policy_file() -> Path | None:
    """The IT policy file: ``MICROLEARN_POLICY`` if set (empty means none), else the site one."""
    named = os.environ.get(POLICY_ENV)
    if named is not None:
        return Path(named).expanduser() if named.strip() else None
    candidates = site_policy_candidates()
    return next((c for c in candidates if c.exists()), candidates[-1])


def resolve_paths(data_dir: Path | None = None) -> AppPaths:
    override = data_dir or (Path(os.environ[DATA_DIR_ENV]) if os.environ.get(DATA_DIR_ENV) else None)
    if override is not None:
        root = override.expanduser().resolve()
        return AppPaths(
            data_dir=root,
            config_dir=root / "config",
            log_dir=root / "logs",
            cache_dir=root / "cache",
            policy_file=site_policy_file(),
        )
    return AppPaths(
        data_dir=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        config_dir=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
        log_dir=Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
        cache_dir=Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
        policy_file=site_policy_file(),
    )
