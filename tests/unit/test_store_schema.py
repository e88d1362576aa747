"""A new store is created in one step, and a built app's first start copies its compiled content.

The one-step schema (the models' ``create_all``, stamped as the head revision) must be exactly
what running every migration makes; the compiled seed must hold what parsing installs.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from microlearn.services.catalog import CatalogService
from microlearn.services.content_compile import compile_content
from microlearn.services.content_install import install_if_changed
from microlearn.settings.paths import AppPaths, resolve_paths
from microlearn.store import migrate
from microlearn.store.engine import make_engine
from microlearn.store.opening import open_store
from tests.support.locations import SAMPLE_CONTENT
from tests.support.processes import child_env


def definition(sql: str | None) -> object:
    """A table's SQL with its column and constraint lines as a set: create_all writes a table's
    foreign keys and unique constraints in another order than migration 0001 did, the same
    table either way; a table Alembic's batch mode rebuilt keeps its name quoted
    (``CREATE TABLE "outbox"``), the same name. Everything else is compared as SQLite keeps it."""
    if sql is None or not sql.startswith("CREATE TABLE"):
        return sql
    head, _, body = sql.partition("(")
    head = head.replace('"', "")
    # Split at the top level's commas, not at line ends: a column added later (ALTER TABLE …
    # ADD COLUMN) is appended to the last column's line.
    parts, depth, current = [], 0, ""
    for char in body.rsplit(")", 1)[0]:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return head, frozenset(" ".join(part.split()) for part in parts)


def schema_of(database: Path) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(database)) as db:
        rows = db.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
        ).fetchall()
        version = db.execute("SELECT version_num FROM alembic_version").fetchall()
        vacuum = db.execute("PRAGMA auto_vacuum").fetchone()
    return [*((kind, name, table, definition(sql)) for kind, name, table, sql in rows), (version, vacuum)]


def paths_in(folder: Path, monkeypatch: pytest.MonkeyPatch) -> AppPaths:
    monkeypatch.setenv("MICROLEARN_DATA_DIR", str(folder))
    return resolve_paths()


def test_a_new_store_has_exactly_the_schema_every_migration_step_makes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    migrated = tmp_path / "migrated.sqlite3"
    engine = make_engine(migrated)
    migrate.upgrade(engine)
    engine.dispose()

    paths = paths_in(tmp_path / "fresh", monkeypatch)
    open_store(paths).close()

    assert schema_of(paths.database) == schema_of(migrated)
    assert len([row for row in schema_of(migrated) if row[0] == "trigger"]) >= 1


def library_of(paths: AppPaths) -> list[object]:
    store = open_store(paths)
    try:
        return [(t, m) for t in CatalogService(store).library() for m in t.modules]
    finally:
        store.close()


def test_the_compiled_seed_holds_what_parsing_installs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compiled = tmp_path / "compiled"
    manifest = compile_content(SAMPLE_CONTENT, compiled)

    parsed = paths_in(tmp_path / "parsed", monkeypatch)
    store = open_store(parsed)
    assert install_if_changed(store, SAMPLE_CONTENT).installed
    store.close()

    seeded = paths_in(tmp_path / "seeded", monkeypatch)
    store = open_store(seeded, seed=compiled / "seed.sqlite3")
    try:
        assert CatalogService(store).installed_fingerprint() == manifest.fingerprint
        assert not store.integrity_checked  # a file just copied from the build is known good
    finally:
        store.close()
    assert library_of(seeded) == library_of(parsed)
    assert schema_of(seeded.database) == schema_of(parsed.database)


FIRST_START = """
import json, sys
sys._MEIPASS = sys.argv[1]  # as inside a built bundle
from microlearn.services.startup import start_services
app = start_services()
today = app.catalog.today()
print(json.dumps({
    "up_to_date": app.install.up_to_date,
    "modules": len(today.up_next),
    "loaded": sorted(m for m in ("sqlalchemy", "alembic", "yaml", "pydantic") if m in sys.modules),
}))
app.close()
"""


def test_a_built_apps_first_start_copies_its_content_and_never_parses_it(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    shutil.copytree(SAMPLE_CONTENT, bundle / "content")
    compile_content(bundle / "content", bundle / "compiled")

    started = subprocess.run(
        [sys.executable, "-c", FIRST_START, str(bundle)],
        env=child_env(MICROLEARN_DATA_DIR=str(tmp_path / "data")),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert started.returncode == 0, started.stderr
    facts = json.loads(started.stdout.strip().splitlines()[-1])
    assert facts == {"up_to_date": True, "modules": 2, "loaded": []}
