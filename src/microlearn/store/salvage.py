"""Mining a damaged database for the learner's work, after the newest good backup is back.

A damaged file usually still holds most of its pages. Reading it table by table in rowid
ranges, and halving a range whenever SQLite answers "malformed", reads every row whose
pages survive and skips those that do not (pure Python, no ``sqlite3 .recover``). What is
newer than the restored backup - statements waiting to be sent, answers, results, the
attempts they belong to - is then written into the restored store in one transaction
(SQLAlchemy, like the rest of recovery). Statements keep their id and JSON: a statement
that reached the central record before the damage is simply acknowledged again.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

# Rows per SQLite page can never exceed this (a cell and its pointer take at least 4 bytes):
# the highest rowid worth probing when the table cannot even tell us its maximum.
_MIN_CELL_BYTES = 4
_MAX_PROBED_ROWID = 2_000_000
_SMALLEST_RANGE = 16  # below this, rowids are tried one by one
# Failed single-row probes per table before giving up on it: a table whose root page is
# gone fails every probe, and a large file must not keep the app's start waiting for long.
_FAILED_PROBES = 20_000
_TABLES = ("attempts", "answers", "results", "outbox")


@dataclass(frozen=True)
class Salvage:
    """What was recovered from a damaged file and what could not be read."""

    readable: bool  # False: SQLite could read nothing of it (e.g. its first page is gone)
    statements: int = 0  # statements still waiting to be sent, recovered
    answers: int = 0
    results: int = 0
    attempts: int = 0  # attempts recovered or brought up to where they stood
    unreadable_rows: int = 0  # rowids that SQLite answered "malformed" for
    skipped: int = 0  # rows read but impossible to place (their module or attempt is gone)

    @property
    def recovered(self) -> int:
        return self.statements + self.answers + self.results

    @property
    def complete(self) -> bool:
        return self.readable and self.unreadable_rows == 0 and self.skipped == 0


@dataclass
class _Table:
    columns: list[str]
    rows: list[dict[str, Any]]
    unreadable: int
    gave_up: bool = False


@contextmanager
def _private_copy(damaged: Path, wal: Path | None) -> Iterator[Path]:
    """A copy of the damaged file (and its WAL) to read: the kept original is never opened."""
    with tempfile.TemporaryDirectory(dir=damaged.parent, prefix=".salvage-") as folder:
        copy = Path(folder) / "damaged.sqlite3"
        shutil.copyfile(damaged, copy)
        if wal is not None and wal.is_file():
            shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
        yield copy


def _probe_bound(db: sqlite3.Connection, table: str, file_bytes: int) -> int:
    try:
        highest = db.execute(f'SELECT max(rowid) FROM "{table}"').fetchone()[0]
        return int(highest or 0)
    except sqlite3.DatabaseError:
        return min(_MAX_PROBED_ROWID, max(1, file_bytes // _MIN_CELL_BYTES))


def _read_range(db: sqlite3.Connection, table: str, low: int, high: int, out: _Table) -> None:
    """Rows with ``low <= rowid <= high``; a range SQLite cannot read is halved until it can."""
    try:
        cursor = db.execute(
            f'SELECT rowid AS "__rowid", * FROM "{table}" WHERE rowid BETWEEN ? AND ? ORDER BY rowid',
            (low, high),
        )
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    except sqlite3.DatabaseError:
        if out.gave_up:
            out.unreadable += high - low + 1
            return
        if high - low < _SMALLEST_RANGE:
            for rowid in range(low, high + 1):
                try:
                    single = db.execute(
                        f'SELECT rowid AS "__rowid", * FROM "{table}" WHERE rowid = ?',
                        (rowid,),
                    )
                    names = [d[0] for d in single.description]
                    out.rows.extend(dict(zip(names, row, strict=True)) for row in single.fetchall())
                except sqlite3.DatabaseError:
                    out.unreadable += 1
                    out.gave_up = out.unreadable >= _FAILED_PROBES
            return
        middle = (low + high) // 2
        _read_range(db, table, low, middle, out)
        _read_range(db, table, middle + 1, high, out)
        return
    out.rows.extend(rows)


def read_tables(damaged: Path, wal: Path | None = None) -> dict[str, _Table] | None:
    """Every readable row of the learner's tables, or None when nothing can be read at all."""
    with _private_copy(damaged, wal) as copy, closing(sqlite3.connect(copy)) as db:
        tables: dict[str, _Table] = {}
        try:
            # The schema is read leniently: a cut file fails SQLite's checks on loading it
            # even when every page of the schema survived. Nothing is written through this.
            db.execute("PRAGMA writable_schema=ON")
            present = {str(r[0]) for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError:
            return None
        file_bytes = copy.stat().st_size + sum(p.stat().st_size for p in copy.parent.glob("*-wal"))
        for table in _TABLES:
            if table not in present:
                continue
            try:
                columns = [str(r[1]) for r in db.execute(f'PRAGMA table_info("{table}")')]
            except sqlite3.DatabaseError:
                continue
            found = _Table(columns, [], 0)
            bound = _probe_bound(db, table, file_bytes)
            if bound > 0:
                _read_range(db, table, 1, bound, found)
            tables[table] = found
        return tables


# -- writing what was found into the restored store --------------------------------------------


def _insertable(row: dict[str, Any], columns: set[str], drop: tuple[str, ...] = ("id",)) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k in columns and k not in drop and k != "__rowid"}


def _merge(connection: Connection, found: dict[str, _Table]) -> Salvage:
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    def column_names(table: str) -> set[str]:
        return {str(r[1]) for r in connection.execute(text(f'PRAGMA table_info("{table}")'))}

    def insert(table: str, values: dict[str, Any]) -> int | None:
        """One row in its own savepoint: a row whose surviving bytes break a constraint is
        skipped, not allowed to undo the rest."""
        names = list(values)
        marks = ", ".join(f":{n}" for n in names)
        quoted = ", ".join(f'"{n}"' for n in names)
        try:
            with connection.begin_nested():
                result = connection.execute(
                    text(f'INSERT INTO "{table}" ({quoted}) VALUES ({marks})'), values
                )
        except DBAPIError:
            return None
        return int(result.lastrowid or 0)

    unreadable = sum(t.unreadable for t in found.values())
    skipped = 0
    modules = {int(r[0]) for r in connection.execute(text("SELECT pk FROM modules"))}

    # Attempts: new ones are added; ones the backup has are brought up to where they stood.
    attempt_ids: dict[int, int] = {}  # damaged attempt id -> restored attempt id
    attempts_done = 0
    attempt_columns = column_names("attempts")
    known = {
        str(r[0]): (int(r[1]), str(r[2]))
        for r in connection.execute(text("SELECT registration, id, updated_at FROM attempts"))
    }
    for row in found.get("attempts", _Table([], [], 0)).rows:
        here = known.get(str(row.get("registration")))
        if here is not None:
            attempt_ids[int(row["id"])] = here[0]
            if str(row.get("updated_at")) > here[1]:
                values = _insertable(row, attempt_columns, ("id", "registration"))
                sets = ", ".join(f'"{n}" = :{n}' for n in values)
                connection.execute(
                    text(f"UPDATE attempts SET {sets} WHERE id = :attempt_pk"),
                    {**values, "attempt_pk": here[0]},
                )
                attempts_done += 1
            continue
        added = (
            insert("attempts", _insertable(row, attempt_columns)) if row.get("module_pk") in modules else None
        )
        if added is None:
            skipped += 1
        else:
            attempt_ids[int(row["id"])] = added
            attempts_done += 1

    answers_done = 0
    answer_columns = column_names("answers")
    for row in found.get("answers", _Table([], [], 0)).rows:
        target = attempt_ids.get(int(row.get("attempt_id") or 0))
        if target is None:
            skipped += 1
            continue
        exists = connection.execute(
            text("SELECT 1 FROM answers WHERE attempt_id = :a AND question_id = :q AND practice = :p"),
            {"a": target, "q": row.get("question_id"), "p": row.get("practice")},
        ).first()
        if exists is not None:
            continue
        if insert("answers", {**_insertable(row, answer_columns), "attempt_id": target}) is None:
            skipped += 1
        else:
            answers_done += 1

    results_done = 0
    result_columns = column_names("results")
    held_results = {str(r[0]) for r in connection.execute(text("SELECT statement_id FROM results"))}
    for row in found.get("results", _Table([], [], 0)).rows:
        if row.get("statement_id") is None or str(row["statement_id"]) in held_results:
            continue
        if insert("results", _insertable(row, result_columns)) is None:
            skipped += 1
            continue
        held_results.add(str(row["statement_id"]))
        results_done += 1

    statements_done = 0
    outbox_columns = column_names("outbox")
    held_statements = {str(r[0]) for r in connection.execute(text("SELECT statement_id FROM outbox"))}
    for row in sorted(found.get("outbox", _Table([], [], 0)).rows, key=lambda r: int(r["__rowid"])):
        if str(row.get("statement_id")) in held_statements:
            continue
        if insert("outbox", _insertable(row, outbox_columns)) is None:
            skipped += 1
            continue
        held_statements.add(str(row["statement_id"]))
        if row.get("status") == "pending":
            statements_done += 1

    return Salvage(
        readable=True,
        statements=statements_done,
        answers=answers_done,
        results=results_done,
        attempts=attempts_done,
        unreadable_rows=unreadable,
        skipped=skipped,
    )


def salvage_into(engine: Engine, damaged: Path, wal: Path | None = None) -> Salvage:
    """Recover what can still be read of ``damaged`` into the store behind ``engine``."""
    found = read_tables(damaged, wal)
    if found is None:
        return Salvage(readable=False)
    with engine.begin() as connection:
        return _merge(connection, found)
