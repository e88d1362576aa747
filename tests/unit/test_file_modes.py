"""Every file and folder the app creates is the learner's only (0600 / 0700 on POSIX), whatever the
umask; and the LRS password is never taken from the learner's own settings file."""

from __future__ import annotations

import json
import logging
import logging.handlers
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from microlearn.admin.diagnostics import build_diagnostics
from microlearn.admin.doctor import run_doctor
from microlearn.records.sync_lock import SyncLock
from microlearn.services.startup import start_services
from microlearn.settings.config import ConfigError, load_config, save_user_setting
from microlearn.settings.logs import HANDLER_NAME, setup_logging
from microlearn.settings.paths import DATA_DIR_ENV, AppPaths, resolve_paths
from microlearn.store import backup
from tests.support.learners import play_module

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """The usual desktop umask, which would make new files world-readable."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


@pytest.fixture
def fresh_paths(tmp_path: Path) -> AppPaths:
    return resolve_paths(tmp_path / "portable")  # not created yet: the app creates every folder


def test_the_folders_the_database_and_its_backups_are_private(
    loose_umask: None, fresh_paths: AppPaths
) -> None:
    services = start_services(fresh_paths)
    try:
        play_module(services.learning, "data-privacy-and-security")  # the -wal file exists now
        made = backup.make_backup(fresh_paths.database, fresh_paths.backup_dir, "test")
        for folder in (
            fresh_paths.data_dir,
            fresh_paths.config_dir,
            fresh_paths.log_dir,
            fresh_paths.cache_dir,
        ):
            assert mode(folder) == 0o700, folder
        assert mode(fresh_paths.backup_dir) == 0o700
        assert mode(made) == 0o600
        database = fresh_paths.database
        for path in (
            database,
            database.with_name(database.name + "-wal"),
            database.with_name(database.name + "-shm"),
        ):
            assert mode(path) == 0o600, path
    finally:
        services.close()

    database.write_bytes(b"not a database at all" * 100)  # damaged: moved aside, a backup restored
    recovery = backup.quarantine_and_restore(database, fresh_paths.backup_dir, fresh_paths.quarantine_dir)
    assert mode(fresh_paths.quarantine_dir) == 0o700
    assert recovery.restored_from is not None and mode(database) == 0o600


def test_an_existing_data_folder_is_made_private(loose_umask: None, fresh_paths: AppPaths) -> None:
    fresh_paths.data_dir.mkdir(parents=True, mode=0o755)
    fresh_paths.data_dir.chmod(0o755)
    fresh_paths.ensure()
    assert mode(fresh_paths.data_dir) == 0o700


def created_folders(folder: Path, below: Path) -> list[Path]:
    """``folder`` and each of its parents up to (not including) ``below``."""
    return [folder, *[p for p in folder.parents if p.is_relative_to(below) and p != below]]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the XDG folders are Linux's")
def test_every_folder_made_for_the_default_layout_is_private(
    loose_umask: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The default layout nests the log folder (~/.local/state/microlearn/log): the folders made
    # on the way there are ours too, and XDG asks for 0700 when a base folder has to be made.
    monkeypatch.delenv(DATA_DIR_ENV, raising=False)
    for variable, name in (
        ("XDG_DATA_HOME", "data"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
    ):
        monkeypatch.setenv(variable, str(tmp_path / "home" / name))
    paths = resolve_paths()
    paths.ensure()
    made = {
        p
        for folder in (paths.data_dir, paths.config_dir, paths.log_dir, paths.cache_dir)
        for p in created_folders(folder, tmp_path)
    }
    assert tmp_path / "home" / "state" / "microlearn" in made  # the log folder's own parent
    assert {p: oct(mode(p)) for p in made} == {p: oct(0o700) for p in made}


def test_folders_made_on_the_way_to_the_log_are_private(
    loose_umask: None, fresh_paths: AppPaths, tmp_path: Path
) -> None:
    # Logging can start before the data folder exists; the folder it makes for the log's parent
    # (the portable data folder here) must not be left world-readable until the next ensure().
    setup_logging(fresh_paths.log_dir)
    try:
        assert mode(fresh_paths.data_dir) == 0o700
        assert mode(fresh_paths.log_dir) == 0o700
    finally:
        setup_logging(tmp_path / "elsewhere-logs")


def test_the_sync_lock_is_private(loose_umask: None, fresh_paths: AppPaths) -> None:
    lock = SyncLock(fresh_paths.sync_lock)
    assert lock.acquire()
    try:
        assert mode(fresh_paths.data_dir) == 0o700
        assert mode(fresh_paths.sync_lock) == 0o600
    finally:
        lock.release()


def test_a_folder_made_for_the_diagnostics_zip_is_private(
    loose_umask: None, fresh_paths: AppPaths, tmp_path: Path
) -> None:
    config = load_config(fresh_paths)
    report = run_doctor(fresh_paths, config, qt=False, network=False)
    chosen = tmp_path / "helpdesk"
    chosen.mkdir(mode=0o755)
    zipped = build_diagnostics(fresh_paths, config, report, chosen / "new" / "diagnostics.zip")
    assert mode(zipped.parent) == 0o700
    assert mode(chosen) == 0o755  # a folder the admin already had is theirs: left as it was


def test_settings_logs_and_the_diagnostics_zip_are_private(
    loose_umask: None, fresh_paths: AppPaths, tmp_path: Path
) -> None:
    save_user_setting(fresh_paths, "display.theme", "dark")
    assert mode(fresh_paths.config_dir) == 0o700
    assert mode(fresh_paths.settings_file) == 0o600

    log = setup_logging(fresh_paths.log_dir)
    try:
        logging.getLogger("microlearn.test").warning("a line in the log")
        assert mode(fresh_paths.log_dir) == 0o700 and mode(log) == 0o600
        (handler,) = [h for h in logging.getLogger().handlers if h.get_name() == HANDLER_NAME]
        assert isinstance(handler, logging.handlers.RotatingFileHandler)
        handler.doRollover()  # the next log is created anew
        assert mode(log) == 0o600 and mode(log.with_name(log.name + ".1")) == 0o600
    finally:
        setup_logging(tmp_path / "elsewhere-logs")  # leave no handler on the folder under test

    config = load_config(fresh_paths)
    report = run_doctor(fresh_paths, config, qt=False, network=False)
    zipped = build_diagnostics(fresh_paths, config, report, tmp_path / "out" / "diagnostics.zip")
    assert mode(zipped) == 0o600


def test_a_plain_text_lrs_password_in_the_learners_settings_is_refused_and_not_used(
    fresh_paths: AppPaths,
) -> None:
    fresh_paths.config_dir.mkdir(parents=True)
    fresh_paths.settings_file.write_text(
        json.dumps({"lrs.password": "Learner-Pa55", "display.theme": "dark"}), encoding="utf-8"
    )

    config = load_config(fresh_paths)

    assert config.get("lrs.password") == "" and config.source("lrs.password") == "default"
    assert config.get("display.theme") == "dark"  # the rest of the file still applies
    (problem,) = config.problems
    assert str(fresh_paths.settings_file) in problem and "lrs.password" in problem and "IT policy" in problem
    assert "Learner-Pa55" not in problem
    with pytest.raises(ConfigError, match="IT policy"):
        save_user_setting(fresh_paths, "lrs.password", "Learner-Pa55")
