"""Sent statements are pruned after the retention period; nothing else ever is."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from microlearn.settings.paths import AppPaths, resolve_paths
from microlearn.store import outbox, plain_sql
from microlearn.store.opening import open_store
from microlearn.store.plain_sql import db_timestamp

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
OLD = NOW - outbox.SENT_RETENTION - timedelta(days=1)
RECENT = NOW - outbox.SENT_RETENTION + timedelta(days=1)


@pytest.fixture
def paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppPaths]:
    monkeypatch.setenv("MICROLEARN_DATA_DIR", str(tmp_path / "data"))
    paths = resolve_paths()
    open_store(paths).close()
    yield paths


def fill(database: Path, rows: list[tuple[str, datetime | None]], body: str = "{}") -> None:
    with closing(plain_sql.connect(database)) as db, plain_sql.write_transaction(db):
        start = db.execute("SELECT coalesce(max(id), 0) FROM outbox").fetchone()[0]
        db.executemany(
            "INSERT INTO outbox (statement_id, verb, statement_json, status, tries, created_at, sent_at) "
            "VALUES (?, 'answered', ?, ?, 1, ?, ?)",
            [
                (f"s{start + n}", body, status, db_timestamp(OLD), db_timestamp(sent) if sent else None)
                for n, (status, sent) in enumerate(rows)
            ],
        )


def by_status(database: Path) -> dict[str, int]:
    with closing(sqlite3.connect(database)) as db:
        return outbox.counted_by_status(db)


def test_only_sent_statements_past_retention_are_pruned_and_the_counts_follow(paths: AppPaths) -> None:
    # Whatever times they carry, statements not (yet) sent stay.
    waiting = [("pending", OLD), ("unconfirmed", OLD), ("conflict", OLD), ("rejected", None)]
    fill(paths.database, [("sent", OLD)] * 300 + waiting * 5 + [("sent", RECENT)] * 150)
    with closing(plain_sql.connect(paths.database)) as db:
        assert outbox.prune_sent(db, NOW) == 300
        assert outbox.status_counts(db) == outbox.counted_by_status(db)
        assert outbox.prune_sent(db, NOW) == 0
    assert by_status(paths.database) == {
        "pending": 5,
        "unconfirmed": 5,
        "conflict": 5,
        "rejected": 5,
        "sent": 150,
    }


def test_the_newest_sent_statements_stay_for_the_details_view_however_old(paths: AppPaths) -> None:
    fill(paths.database, [("sent", OLD)] * (outbox.KEEP_NEWEST_SENT + 40))
    with closing(plain_sql.connect(paths.database)) as db:
        assert outbox.prune_sent(db, NOW) == 40
        newest = [r[0] for r in db.execute("SELECT statement_id FROM outbox ORDER BY id DESC")]
    assert len(newest) == outbox.KEEP_NEWEST_SENT
    assert newest[0] == f"s{outbox.KEEP_NEWEST_SENT + 39}"


def test_the_space_pruned_is_reused_so_the_file_stops_growing(paths: AppPaths) -> None:
    for month in range(4):
        fill(paths.database, [("sent", OLD)] * 3000, body="x" * 1000)
        with closing(plain_sql.connect(paths.database)) as db:
            outbox.prune_sent(db, NOW)
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        if month == 0:
            after_first = paths.database.stat().st_size
    assert paths.database.stat().st_size <= after_first * 1.1
