"""The results table: completions and passes/fails, earned here or restored from the central record.

The Library reads them with plain sqlite3 (a hot read); they are written through the ORM,
in the same session as the event's statement.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from microlearn.store.models import ResultRow

# Models are imported by the ORM functions when first called: the Library's read must not
# import SQLAlchemy before the first paint.


@dataclass(frozen=True)
class ModuleResults:
    kinds: frozenset[str]  # completed | passed | failed
    best_percent: int | None


# The Library reads one summary row per (module, kind) instead of every result ever earned:
# SQLite's triggers keep it in step with ``results`` inside the transaction that writes the
# result, whichever code path (ORM, restore, salvage) wrote it (the table is ``ModuleResultRow``). The best score is kept as the
# (raw, max) pair of the highest ratio: rounding is monotonic, so the best rounded percent
# is the rounded percent of the best ratio. Migration 0002 holds a frozen copy of this text.
# Kept short: the schema's text is read whenever a connection opens, and salvage needs its
# pages to survive a cut file.
SUMMARY_TRIGGERS = (
    "CREATE TRIGGER module_results_add AFTER INSERT ON results BEGIN "
    "INSERT OR IGNORE INTO module_results (module_id, kind) VALUES (NEW.module_id, NEW.kind); "
    "UPDATE module_results SET best_raw = NEW.score_raw, best_max = NEW.score_max "
    "WHERE module_id = NEW.module_id AND kind = NEW.kind AND NEW.score_max > 0 AND NEW.score_raw >= 0 "
    "AND (coalesce(best_max > 0 AND best_raw >= 0, 0) = 0 OR NEW.score_raw * best_max > best_raw * NEW.score_max); END",
    "CREATE TRIGGER module_results_drop AFTER DELETE ON results BEGIN "
    "DELETE FROM module_results WHERE module_id = OLD.module_id AND kind = OLD.kind; "
    "INSERT INTO module_results SELECT module_id, kind, score_raw, score_max FROM results "
    "WHERE module_id = OLD.module_id AND kind = OLD.kind "
    "ORDER BY score_max > 0 AND score_raw >= 0 DESC, 1.0 * score_raw / score_max DESC LIMIT 1; END",
    # A result is a record of what happened, like its statement: corrected by a new one, never edited.
    "CREATE TRIGGER results_unchanged BEFORE UPDATE ON results BEGIN "
    "SELECT RAISE(ABORT, 'results are never changed'); END",
)
# Filling the summary from the results already there (an older store being migrated).
SUMMARY_BACKFILL = """INSERT INTO module_results (module_id, kind, best_raw, best_max)
  SELECT module_id, kind, score_raw, score_max FROM (
    SELECT module_id, kind, score_raw, score_max, row_number() OVER (
      PARTITION BY module_id, kind
      ORDER BY score_max > 0 AND score_raw >= 0 DESC, 1.0 * score_raw / score_max DESC) AS rank
    FROM results)
  WHERE rank = 1"""


def results_by_module(db: sqlite3.Connection) -> dict[str, ModuleResults]:
    """Each module's result kinds and best score, from the summary (a few rows per module)."""
    kinds: dict[str, set[str]] = {}
    best: dict[str, int] = {}
    for module_id, kind, raw, most in db.execute(
        "SELECT module_id, kind, best_raw, best_max FROM module_results"
    ):
        kinds.setdefault(module_id, set()).add(kind)
        if most and raw is not None:
            best[module_id] = max(best.get(module_id, 0), round(100 * raw / most))
    return {m: ModuleResults(frozenset(k), best.get(m)) for m, k in kinds.items()}


@dataclass(frozen=True)
class PassRecord:
    """A pass of a module's knowledge check, for the programme's due dates."""

    module_id: str
    recorded_at: str  # as stored (naive UTC)
    lessons_done: bool  # the same attempt was also completed (every card seen)


def latest_passes(db: sqlite3.Connection) -> list[PassRecord]:
    """Per module, its latest pass of any kind and its latest pass with the lessons done.

    Due dates depend only on the latest pass that counts, so this is all they need; SQLite
    does the grouping, so a long history costs Today little.
    """
    rows = db.execute(
        "SELECT module_id, MAX(passed_at), MAX(CASE WHEN completed THEN passed_at END) FROM ("
        " SELECT module_id, MAX(CASE WHEN kind = 'passed' THEN recorded_at END) AS passed_at,"
        " MAX(kind = 'completed') AS completed FROM results WHERE kind IN ('passed', 'completed')"
        " GROUP BY module_id, registration"
        ") WHERE passed_at IS NOT NULL GROUP BY module_id"
    )
    found = []
    for module_id, any_pass, with_lessons in rows:
        if with_lessons is not None:
            found.append(PassRecord(str(module_id), str(with_lessons), True))
        if with_lessons != any_pass:
            found.append(PassRecord(str(module_id), str(any_pass), False))
    return found


@dataclass(frozen=True)
class ResultFacts:
    module_id: str
    module_version: str
    registration: str
    kind: str  # completed | passed | failed
    score_raw: int | None
    score_max: int | None
    recorded_at: str  # as stored (naive UTC)
    restored: bool


def all_results(db: sqlite3.Connection) -> list[ResultFacts]:
    """Every completion and pass/fail, oldest first, for the history."""
    rows = db.execute(
        "SELECT module_id, module_version, registration, kind, score_raw, score_max, recorded_at, source "
        "FROM results ORDER BY recorded_at, id"
    )
    return [
        ResultFacts(str(m), str(v), str(reg), str(k), raw, most, str(at), src == "restored")
        for m, v, reg, k, raw, most, at, src in rows
    ]


def add_result(session: Session, row: ResultRow) -> None:
    session.add(row)


def add_missing_results(session: Session, rows: list[ResultRow]) -> int:
    """Add the rows whose statement id is not here yet (restoring is safe to repeat)."""
    from sqlalchemy import select

    from microlearn.store.models import ResultRow

    ids = [r.statement_id for r in rows]
    present = set(session.scalars(select(ResultRow.statement_id).where(ResultRow.statement_id.in_(ids))))
    added = 0
    for row in rows:
        if row.statement_id not in present:
            session.add(row)
            present.add(row.statement_id)
            added += 1
    return added


def any_result(db: sqlite3.Connection) -> bool:
    return db.execute("SELECT 1 FROM results LIMIT 1").fetchone() is not None
