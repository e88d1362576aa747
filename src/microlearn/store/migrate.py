"""Schema versions: read cheaply with sqlite3, upgraded with Alembic only when needed.

Alembic is imported only when the store actually needs a migration, which keeps it off
the start-up path of every ordinary launch.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from microlearn.store.health import StoreOpenError

if TYPE_CHECKING:
    from sqlalchemy import Engine

# Every revision this version of the app knows, oldest first. A test checks that the last
# one is Alembic's head, so this list cannot drift from the migration scripts.
KNOWN_REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007")
HEAD_REVISION = KNOWN_REVISIONS[-1]
MIGRATIONS_DIR = Path(__file__).parent / "migrations"


class MigrationError(StoreOpenError):
    """The migrations did not bring the schema to this version's head."""


class NewerDatabaseError(StoreOpenError):
    """The database was written by a newer version of the app; we must not touch it."""


class UnknownSchemaError(StoreOpenError):
    """The database names a schema older than any this app knows (or not one of ours)."""


def _is_newer(revision: str) -> bool:
    # Our revisions are zero-padded numbers in order ("0001", "0002", …): one above the
    # newest we know was written by a newer app; one below, or not a number, was not.
    return revision.isdigit() and HEAD_REVISION.isdigit() and int(revision) > int(HEAD_REVISION)


def current_revision(connection: sqlite3.Connection) -> str | None:
    has_table = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
    ).fetchone()
    if not has_table:
        return None
    row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return str(row[0]) if row else None


def check_revision(revision: str | None, path: Path) -> bool:
    """True when a migration is needed; raises NewerDatabaseError for an unknown revision."""
    if revision is None:
        return True
    if revision not in KNOWN_REVISIONS and not _is_newer(revision):
        raise UnknownSchemaError(
            f"The learning data in {path} has a schema this version of Microlearn does not know "
            f"(schema {revision}, older than any it can update). It has been left untouched. "
            "Please ask IT for help."
        )
    if revision not in KNOWN_REVISIONS:
        raise NewerDatabaseError(
            f"The learning data in {path} was saved by a newer version of Microlearn "
            f"(schema {revision}). This version cannot open it and has left it untouched. "
            "Please install the newer version, or ask IT for help."
        )
    return revision != HEAD_REVISION


# Alembic's own version table, as ``alembic stamp`` creates it (a test compares the schemas).
_VERSION_TABLE = (
    "CREATE TABLE alembic_version (\n\tversion_num VARCHAR(32) NOT NULL, \n"
    "\tCONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n)"
)


def create_fresh(engine: Engine) -> None:
    """A new store's schema in one step: the models' tables and triggers, stamped as the head
    revision. Running every migration step instead cost a new laptop's first start 0.37 s."""
    from microlearn.store.models import Base

    with engine.begin() as connection:
        Base.metadata.create_all(connection)
        connection.exec_driver_sql(_VERSION_TABLE)
        connection.exec_driver_sql("INSERT INTO alembic_version (version_num) VALUES (?)", (HEAD_REVISION,))


def has_tables(connection: sqlite3.Connection) -> bool:
    return (
        connection.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' LIMIT 1").fetchone() is not None
    )


def upgrade(engine: Engine) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        # A bundle missing its migration scripts "upgrades" to nothing without a word; say so
        # here, before anything reads a table that was never made.
        raw = connection.connection.driver_connection
        assert isinstance(raw, sqlite3.Connection)
        reached = current_revision(raw)
    if reached != HEAD_REVISION:
        raise MigrationError(
            f"schema is at {reached!r}, expected {HEAD_REVISION!r}: the migration scripts in "
            f"{MIGRATIONS_DIR} are missing or incomplete"
        )
