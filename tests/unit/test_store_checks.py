"""The integrity check runs when there is a reason to doubt the file, and only then.

Reasons: an unclean exit (a killed process), a file changed while the app was closed, a
read that found damage, or a last check older than the interval (that one after Today).
"""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from microlearn.services.catalog import CatalogService
from microlearn.services.content_install import install_if_changed
from microlearn.services.startup import start_services
from microlearn.settings.paths import AppPaths, resolve_paths
from microlearn.store import backup
from microlearn.store.clean_close import CHECK_INTERVAL
from microlearn.store.health import Health
from microlearn.store.opening import open_store, routine_check
from tests.support.locations import SAMPLE_CONTENT as SAMPLE
from tests.support.processes import child_env

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppPaths]:
    monkeypatch.setenv("MICROLEARN_DATA_DIR", str(tmp_path / "data"))
    paths = resolve_paths()
    store = open_store(paths, now=T0)
    assert install_if_changed(store, SAMPLE).installed
    store.close()
    yield paths


def test_a_cleanly_closed_store_opens_without_a_check(paths: AppPaths) -> None:
    store = open_store(paths)
    store.close()
    again = open_store(paths)
    try:
        assert not again.integrity_checked
        assert CatalogService(again).library()  # and it is the learner's data
    finally:
        again.close()


KILLED_WHILE_OPEN = """
import os, signal
from microlearn.services.catalog import CatalogService
from microlearn.settings.paths import resolve_paths
from microlearn.store.opening import open_store
store = open_store(resolve_paths())
CatalogService(store).today()
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_store_left_open_by_a_killed_process_is_checked_at_the_next_start(paths: AppPaths) -> None:
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_WHILE_OPEN],
        env=child_env(MICROLEARN_DATA_DIR=str(paths.data_dir)),
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    store = open_store(paths)
    store.close()
    assert store.integrity_checked
    trusted = open_store(paths)
    trusted.close()
    assert not trusted.integrity_checked  # checked sound, closed cleanly: trusted again


def overwrite_page(database: Path, table: str) -> None:
    with closing(sqlite3.connect(database)) as db:
        size = db.execute("PRAGMA page_size").fetchone()[0]
        (page,) = db.execute(
            "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' LIMIT 1", (table,)
        ).fetchone()
    with database.open("r+b") as stream:
        stream.seek((page - 1) * size)
        stream.write(random.Random(page).randbytes(size))


def test_damage_a_read_meets_while_open_is_repaired_at_the_next_start(paths: AppPaths) -> None:
    store = open_store(paths)
    backup.make_backup(paths.database, paths.backup_dir, "daily")
    overwrite_page(paths.database, "modules")  # a disk error under the running app
    with pytest.raises(sqlite3.DatabaseError):
        CatalogService(store).library()
    store.close()

    restored = open_store(paths)
    try:
        assert restored.integrity_checked
        assert any("restored the most recent backup" in notice for notice in restored.notices)
        assert CatalogService(restored).library()
    finally:
        restored.close()


def test_the_periodic_check_runs_only_when_the_last_is_older_than_the_interval(paths: AppPaths) -> None:
    store = open_store(paths)
    try:
        assert store.checked_at == T0  # carried from the check at the first start
        assert routine_check(store, now=T0 + CHECK_INTERVAL - timedelta(hours=1)) is None
        assert routine_check(store, now=T0 + CHECK_INTERVAL) is Health.SOUND
        assert routine_check(store, now=T0 + CHECK_INTERVAL + timedelta(days=1)) is None
    finally:
        store.close()
    reopened = open_store(paths)
    reopened.close()
    assert reopened.checked_at == T0 + CHECK_INTERVAL


def test_the_daily_backup_waits_until_after_today(paths: AppPaths) -> None:
    app = start_services(paths=paths, content_dir=SAMPLE)
    try:
        assert app.catalog.today().up_next  # Today has its data ...
        assert backup.backups(paths.backup_dir) == []  # ... and no backup was made for it
        assert app.after_today().notices == []
        (made,) = backup.backups(paths.backup_dir)
        app.after_today()
        assert backup.backups(paths.backup_dir) == [made]  # at most daily
    finally:
        app.close()


def test_damage_found_after_today_is_not_backed_up_and_is_repaired_at_the_next_start(paths: AppPaths) -> None:
    app = start_services(paths=paths, content_dir=SAMPLE)
    try:
        overwrite_page(paths.database, "modules")
        (notice,) = app.after_today(now=T0 + CHECK_INTERVAL).notices
        assert "repair" in notice
        assert backup.backups(paths.backup_dir) == []
    finally:
        app.close()
    restored = open_store(paths)
    restored.close()
    assert restored.integrity_checked and restored.notices
