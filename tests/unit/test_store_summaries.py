"""Today's summaries (module results, outbox counts) always equal what the tables hold.

They are kept by triggers so that Today reads a few rows however long the history is;
these tests compare them with a count over the tables after any mix of writes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microlearn.settings.paths import AppPaths, resolve_paths
from microlearn.store import outbox, results
from microlearn.store.opening import open_store
from microlearn.store.results import ModuleResults


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("summaries")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MICROLEARN_DATA_DIR", str(folder))
        paths: AppPaths = resolve_paths()
        open_store(paths).close()
    yield paths.database


def counted_results(db: sqlite3.Connection) -> dict[str, ModuleResults]:
    """Every result row, aggregated in Python: what the Library showed before the summary."""
    kinds: dict[str, set[str]] = {}
    best: dict[str, int] = {}
    for module_id, kind, raw, most in db.execute("SELECT module_id, kind, score_raw, score_max FROM results"):
        kinds.setdefault(module_id, set()).add(kind)
        if most and raw is not None:
            best[module_id] = max(best.get(module_id, 0), round(100 * raw / most))
    return {m: ModuleResults(frozenset(k), best.get(m)) for m, k in kinds.items()}


MODULES = st.sampled_from(["m1", "m2", "m3"])
KINDS = st.sampled_from(["completed", "passed", "failed"])
SCORES = st.one_of(st.none(), st.tuples(st.integers(0, 12), st.integers(0, 12)))
RESULT_WRITES = st.lists(
    st.one_of(
        st.tuples(st.just("insert"), MODULES, KINDS, SCORES),
        st.tuples(st.just("delete"), st.integers(0, 30)),
    ),
    max_size=40,
)


def apply_result_write(db: sqlite3.Connection, write: tuple[object, ...]) -> None:
    ids = [row[0] for row in db.execute("SELECT id FROM results ORDER BY id")]
    match write:
        case ("insert", module_id, kind, score):
            raw, most = score if isinstance(score, tuple) else (None, None)
            db.execute(
                "INSERT INTO results (module_id, module_version, registration, kind, score_raw, "
                "score_max, recorded_at, source) VALUES (?, '1', 'r', ?, ?, ?, '2026-01-01', 'local')",
                (module_id, kind, raw, most),
            )
        case ("delete", index) if ids:
            db.execute("DELETE FROM results WHERE id = ?", (ids[int(str(index)) % len(ids)],))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(writes=RESULT_WRITES)
def test_the_result_summary_equals_the_results_after_any_writes(
    database: Path, writes: list[tuple[object, ...]]
) -> None:
    with closing(sqlite3.connect(database, isolation_level=None)) as db:
        db.execute("BEGIN")
        try:
            for write in writes:
                apply_result_write(db, write)
                assert results.results_by_module(db) == counted_results(db)
        finally:
            db.execute("ROLLBACK")


def test_a_result_is_never_edited_so_its_summary_cannot_go_stale(database: Path) -> None:
    with closing(sqlite3.connect(database, isolation_level=None)) as db:
        db.execute("BEGIN")
        try:
            apply_result_write(db, ("insert", "m1", "passed", (3, 4)))
            with pytest.raises(sqlite3.IntegrityError, match="never changed"):
                db.execute("UPDATE results SET score_raw = 4")
            assert results.results_by_module(db) == counted_results(db)
        finally:
            db.execute("ROLLBACK")


STATUSES = st.sampled_from(["pending", "sent", "conflict", "rejected", "unconfirmed"])
OUTBOX_WRITES = st.lists(
    st.one_of(
        st.tuples(st.just("queue"), STATUSES),
        st.tuples(st.just("mark"), st.integers(0, 30), STATUSES),
        st.tuples(st.just("prune"), st.integers(0, 30)),
    ),
    max_size=40,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(writes=OUTBOX_WRITES)
def test_the_outbox_counts_equal_a_count_of_the_outbox_after_any_writes(
    database: Path, writes: list[tuple[object, ...]]
) -> None:
    with closing(sqlite3.connect(database, isolation_level=None)) as db:
        db.execute("BEGIN")
        try:
            for number, write in enumerate(writes):
                ids = [row[0] for row in db.execute("SELECT id FROM outbox ORDER BY id")]
                match write:
                    case ("queue", status):
                        db.execute(
                            "INSERT INTO outbox (statement_id, verb, statement_json, status, tries, "
                            "created_at) VALUES (?, 'answered', '{}', ?, 0, '2026-01-01')",
                            (f"s{number}", status),
                        )
                    case ("mark", index, status) if ids:
                        db.execute(
                            "UPDATE outbox SET status = ? WHERE id = ?",
                            (status, ids[int(str(index)) % len(ids)]),
                        )
                    case ("prune", index) if ids:
                        db.execute("DELETE FROM outbox WHERE id = ?", (ids[int(str(index)) % len(ids)],))
                assert outbox.status_counts(db) == outbox.counted_by_status(db)
        finally:
            db.execute("ROLLBACK")
