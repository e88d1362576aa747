"""Every directory the app writes to, resolved in one place.

``MICROLEARN_DATA_DIR`` makes the app portable (and lets tests redirect it): when it is
set, configuration, logs and cache live inside that folder too, so nothing is written
anywhere else.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from microlearn import APP_NAME

DATA_DIR_ENV = "MICROLEARN_DATA_DIR"
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
            folder.mkdir(parents=True, exist_ok=True)


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
