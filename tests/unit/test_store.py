"""The local store: durable pragmas, migrations that match the models, backups and recovery."""

from __future__ import annotations

import hashlib
import random
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config as AlembicConfig
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import func, select, text

from microlearn.services.content_install import install_if_changed
from microlearn.services.learning import LearningService
from microlearn.settings.config import load_config
from microlearn.settings.paths import AppPaths, resolve_paths
from microlearn.store import backup, migrate
from microlearn.store.models import AnswerRow, Base, ContentInstall, ModuleRow
from microlearn.store.opening import Store, open_store
from tests.support.locations import SAMPLE_CONTENT as SAMPLE

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def paths() -> AppPaths:
    return resolve_paths()


@pytest.fixture
def store(paths: AppPaths) -> Iterator[Store]:
    opened = open_store(paths)
    yield opened
    opened.close()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def revision_of(database: Path) -> str | None:
    connection = sqlite3.connect(database)
    try:
        return migrate.current_revision(connection)
    finally:
        connection.close()


def table_names(database: Path) -> set[str]:
    connection = sqlite3.connect(database)
    try:
        return {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        connection.close()


def script_directory(location: Path) -> ScriptDirectory:
    config = AlembicConfig()
    config.set_main_option("script_location", str(location))
    return ScriptDirectory.from_config(config)


# -- opening and schema ------------------------------------------------------------------------


def test_open_store_creates_a_durable_database(paths: AppPaths, store: Store) -> None:
    assert paths.database.is_file()
    with store.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() > 0
    assert revision_of(paths.database) == migrate.HEAD_REVISION
    assert store.notices == []


def test_every_engine_connection_enforces_foreign_keys(store: Store) -> None:
    # Two pooled DBAPI connections at once: each must have been set up on connect.
    first, second = store.engine.raw_connection(), store.engine.raw_connection()
    try:
        assert first.driver_connection is not second.driver_connection
        for connection in (first, second):
            pragmas = [
                connection.execute(f"PRAGMA {name}").fetchone()[0] for name in ("foreign_keys", "synchronous")
            ]
            assert pragmas == [1, 2]
    finally:
        first.close()
        second.close()
    with pytest.raises(Exception, match="FOREIGN KEY"), store.sessions.begin() as session:
        session.add(
            AnswerRow(
                attempt_id=999, question_id="q", practice=False, selected=["a"], correct=True, answered_at=T0
            )
        )


def test_head_revision_is_alembics_head() -> None:
    scripts = script_directory(migrate.MIGRATIONS_DIR)
    assert scripts.get_heads() == [migrate.HEAD_REVISION]
    chain = [script.revision for script in scripts.walk_revisions(base="base", head="heads")]
    assert tuple(reversed(chain)) == migrate.KNOWN_REVISIONS


def test_models_match_the_migrated_schema(store: Store) -> None:
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_database_from_a_newer_version_is_refused_and_left_untouched(paths: AppPaths) -> None:
    open_store(paths).close()
    connection = sqlite3.connect(paths.database)
    with connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.close()
    before = sha256(paths.database)

    with pytest.raises(migrate.NewerDatabaseError, match="newer version"):
        open_store(paths)

    assert sha256(paths.database) == before
    assert backup.backups(paths.backup_dir) == []
    assert not paths.quarantine_dir.exists()


def test_an_up_to_date_database_is_not_backed_up_again_on_open(paths: AppPaths) -> None:
    open_store(paths).close()
    open_store(paths).close()
    assert backup.backups(paths.backup_dir) == []
    assert revision_of(paths.database) == migrate.HEAD_REVISION


def test_an_existing_database_without_a_schema_is_migrated(paths: AppPaths) -> None:
    open_store(paths).close()
    connection = sqlite3.connect(paths.database)
    with connection:
        connection.execute("PRAGMA foreign_keys=OFF")
        for name in table_names(paths.database):
            connection.execute(f'DROP TABLE "{name}"')
    connection.close()
    assert table_names(paths.database) == set()

    store = open_store(paths)
    try:
        assert revision_of(paths.database) == migrate.HEAD_REVISION
        assert set(Base.metadata.tables) <= table_names(paths.database)
        assert install_if_changed(store, SAMPLE).installed
    finally:
        store.close()


NEXT_REVISION = '''"""add a table, to test upgrading from an older revision"""

import sqlalchemy as sa
from alembic import op

revision = "{next}"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("upgrade_probe", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade() -> None:
    op.drop_table("upgrade_probe")
'''


def test_upgrading_from_an_older_revision_backs_up_first(
    paths: AppPaths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(paths)
    assert install_if_changed(store, SAMPLE).installed
    store.close()
    # A newer app: the same migrations plus one more step.
    migrations = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, migrations, ignore=shutil.ignore_patterns("__pycache__"))
    head = migrate.HEAD_REVISION
    following = f"{int(head) + 1:04d}"
    probe = NEXT_REVISION.replace("{next}", following).replace("{head}", head)
    (migrations / "versions" / f"{following}_upgrade_probe.py").write_text(probe, encoding="utf-8")
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", migrations)
    monkeypatch.setattr(migrate, "KNOWN_REVISIONS", (*migrate.KNOWN_REVISIONS, following))
    monkeypatch.setattr(migrate, "HEAD_REVISION", following)

    upgraded = open_store(paths)
    try:
        (made,) = backup.backups(paths.backup_dir)
        assert f"before-{following}" in made.name
        assert revision_of(made) == head  # taken before the step ran
        assert "upgrade_probe" not in table_names(made)
        assert revision_of(paths.database) == following
        assert "upgrade_probe" in table_names(paths.database)
        with upgraded.sessions() as session:
            assert session.scalar(select(func.count()).select_from(ModuleRow)) == 2
    finally:
        upgraded.close()


# -- backups -----------------------------------------------------------------------------------


def test_backups_are_pruned_to_the_newest_few(paths: AppPaths, store: Store) -> None:
    made = [
        backup.make_backup(paths.database, paths.backup_dir, "test", now=T0 + timedelta(hours=i))
        for i in range(backup.KEEP_BACKUPS + 3)
    ]
    kept = backup.backups(paths.backup_dir)
    assert len(kept) == backup.KEEP_BACKUPS
    assert set(kept) == set(made[-backup.KEEP_BACKUPS :])
    assert all(backup.integrity_ok(path) for path in kept)
    assert not list(paths.backup_dir.glob("*.partial"))

    backup.prune(paths.backup_dir, keep=2)
    assert backup.backups(paths.backup_dir) == [made[-1], made[-2]]


def test_routine_backup_is_made_at_most_once_a_day(paths: AppPaths, store: Store) -> None:
    first = backup.backup_if_due(paths.database, paths.backup_dir, now=T0)
    assert first is not None and first.is_file()
    assert backup.backup_if_due(paths.database, paths.backup_dir, now=T0 + timedelta(hours=1)) is None
    assert (
        backup.backup_if_due(paths.database, paths.backup_dir, now=T0 + timedelta(hours=23, minutes=59))
        is None
    )
    assert len(backup.backups(paths.backup_dir)) == 1
    second = backup.backup_if_due(paths.database, paths.backup_dir, now=T0 + timedelta(hours=24))
    assert second is not None and second != first
    assert len(backup.backups(paths.backup_dir)) == 2


# -- damaged databases -------------------------------------------------------------------------


def truncate_to_half(database: Path) -> None:
    size = database.stat().st_size
    with database.open("r+b") as stream:
        stream.truncate(size // 2)


def overwrite_with_random_bytes(database: Path) -> None:
    size = database.stat().st_size
    database.write_bytes(random.Random(20261122).randbytes(size))


def answers_in(store: Store) -> list[str]:
    with store.sessions() as session:
        return sorted(session.scalars(select(AnswerRow.question_id)))


@pytest.mark.parametrize("damage", [truncate_to_half, overwrite_with_random_bytes])
def test_damaged_database_is_moved_aside_and_the_backup_restored(
    paths: AppPaths, damage: Callable[[Path], None]
) -> None:
    store = open_store(paths)
    assert install_if_changed(store, SAMPLE).installed
    service = LearningService(store, load_config(paths))
    attempt = service.open_attempt("first-module")
    service.answer_inline(attempt.attempt_id, 0, frozenset({"a"}))  # recorded before the backup
    backup.make_backup(paths.database, paths.backup_dir, "daily")
    second = service.open_attempt("second-module")
    service.answer_inline(second.attempt_id, 1, frozenset({"true"}))  # after it: lost with the damage
    assert answers_in(store) == ["01-welcome", "02-middle"]
    store.close()
    damage(paths.database)
    damaged = sha256(paths.database)
    assert not backup.integrity_ok(paths.database, quick=True)

    restored = open_store(paths)
    try:
        (notice,) = restored.notices
        assert "damaged" in notice and "restored the most recent backup" in notice
        assert str(paths.quarantine_dir) in notice
        kept = [p for p in paths.quarantine_dir.iterdir() if p.name.startswith(paths.database.name + ".")]
        assert [sha256(p) for p in kept] == [damaged]
        assert backup.integrity_ok(paths.database)
        with restored.sessions() as session:
            assert session.scalar(select(func.count()).select_from(ContentInstall)) == 1
            assert set(session.scalars(select(ModuleRow.id))) == {"first-module", "second-module"}
        assert answers_in(restored) == ["01-welcome"]
        with restored.engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    finally:
        restored.close()


def test_damaged_database_without_a_backup_starts_afresh(paths: AppPaths) -> None:
    store = open_store(paths)
    assert install_if_changed(store, SAMPLE).installed
    store.close()
    truncate_to_half(paths.database)
    damaged = sha256(paths.database)

    fresh = open_store(paths)
    try:
        (notice,) = fresh.notices
        assert "no backup" in notice and "started afresh" in notice
        kept = [p for p in paths.quarantine_dir.iterdir() if p.name.startswith(paths.database.name + ".")]
        assert [sha256(p) for p in kept] == [damaged]
        assert revision_of(paths.database) == migrate.HEAD_REVISION
        with fresh.sessions() as session:
            assert session.scalar(select(func.count()).select_from(ModuleRow)) == 0
        assert install_if_changed(fresh, SAMPLE).installed  # usable again
    finally:
        fresh.close()


def test_a_damaged_newest_backup_is_skipped_for_an_older_good_one(paths: AppPaths) -> None:
    store = open_store(paths)
    assert install_if_changed(store, SAMPLE).installed
    good = backup.make_backup(paths.database, paths.backup_dir, "daily", now=T0)
    bad = backup.make_backup(paths.database, paths.backup_dir, "daily", now=T0 + timedelta(days=1))
    store.close()
    overwrite_with_random_bytes(bad)
    truncate_to_half(paths.database)

    restored = open_store(paths)
    try:
        assert "restored the most recent backup" in restored.notices[0]
        with restored.sessions() as session:
            assert session.scalar(select(func.count()).select_from(ModuleRow)) == 2
        assert good.is_file()
    finally:
        restored.close()


def test_a_data_folder_with_uri_characters_in_its_name_is_backed_up_and_restored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # '#', '?' and '%' mean something in an SQLite URI: a learner named "Jo#1" must not lose data.
    (tmp_path / "jo").mkdir()  # where a URI cut at '#' would point
    data = tmp_path / "jo#1 ?x=%41" / "data"
    monkeypatch.setenv("MICROLEARN_DATA_DIR", str(data))
    paths = resolve_paths()
    store = open_store(paths)
    assert install_if_changed(store, SAMPLE).installed
    service = LearningService(store, load_config(paths))
    attempt = service.open_attempt("first-module")
    service.answer_inline(attempt.attempt_id, 0, frozenset({"a"}))

    made = backup.make_backup(paths.database, paths.backup_dir, "test")
    store.close()

    with sqlite3.connect(made) as copy:
        assert copy.execute("SELECT count(*) FROM answers").fetchone() == (1,)
    assert backup.integrity_ok(paths.database) and backup.integrity_ok(made)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["jo", "jo#1 ?x=%41"]  # no stray files
    reopened = open_store(paths)
    assert reopened.notices == [] and answers_in(reopened) == ["01-welcome"]
    reopened.close()

    truncate_to_half(paths.database)
    restored = open_store(paths)
    try:
        assert "restored the most recent backup" in restored.notices[0]
        assert answers_in(restored) == ["01-welcome"]
    finally:
        restored.close()
