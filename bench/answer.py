"""Latency of recording one knowledge-check answer durably, against a raw sqlite3 baseline.

    PYTHONPATH=src python bench/answer.py [--n 500] [--dir DIR] [--profile]

Ours: ``LearningService.answer_question`` — the answer row, the attempt's time and the
frozen ``answered`` statement in the outbox, in one transaction (WAL, synchronous=FULL).
Raw: ``BEGIN IMMEDIATE; INSERT …; COMMIT`` of a comparable row (a JSON text column) on
a plain ``sqlite3`` connection with the same pragmas, in another file of the same folder.
Fsync: one 4 KB write and one ``fsync`` of a file in the same folder: the floor of any
durable write on that disk (a WAL commit with synchronous=FULL is one of these).

Both run in the same process, interleaved in alternating blocks (one attempt's drawn
questions per block; which side goes first alternates too), so machine noise hits both
alike. Attempts are prepared untimed (open_attempt → every card → start_check) and
finished untimed; only the answer_question calls are timed. Budget (issue 12): the median
of ours is at most 1.2× the fsync median; exits 1 otherwise (the raw ratio is printed too).
With ``--profile``, or when over the budget, a profile of further answer_question calls
shows where the time goes, and the SQL statements each one runs (counted by SQLite's trace
callback on the store's own connections: the answer path is plain sqlite3, not the ORM).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from tests.support.locations import REPO

sys.path.insert(0, str(REPO / "src"))
os.environ.setdefault("MICROLEARN_POLICY", "")  # no site policy on the machine running this

from microlearn.content.bundled import bundled_content_dir
from microlearn.services.catalog import CatalogService
from microlearn.services.content_install import install_if_changed
from microlearn.services.learning import AttemptView, LearningService
from microlearn.settings.config import load_config
from microlearn.settings.paths import resolve_paths
from microlearn.store.engine import PRAGMAS
from microlearn.store.opening import Store, open_store

BUDGET = 1.2  # ours / one fsync on the same disk
RAW_SCHEMA = """
CREATE TABLE answers_raw (
    id INTEGER PRIMARY KEY,
    attempt_id INTEGER NOT NULL,
    question_id VARCHAR(120) NOT NULL,
    selected TEXT NOT NULL,
    correct BOOLEAN NOT NULL,
    answered_at DATETIME NOT NULL
)
"""
RAW_INSERT = (
    "INSERT INTO answers_raw (attempt_id, question_id, selected, correct, answered_at) VALUES (?, ?, ?, ?, ?)"
)

Answer = tuple[int, str, frozenset[str]]


class Ours:
    def __init__(self, store: Store, service: LearningService) -> None:
        self.store = store
        self.service = service
        self.modules = [m.id for t in CatalogService(store).library() for m in t.modules]
        self.opened = 0
        self.seconds = 0.0

    def prepare(self) -> tuple[AttemptView, list[Answer]]:
        """An attempt at its knowledge check, and the (right) answers to give. Untimed."""
        view = self.service.open_attempt(self.modules[self.opened % len(self.modules)])
        self.opened += 1
        for index in range(len(view.module.cards)):
            view = self.service.show_card(view.attempt_id, index, self.tick())
        view = self.service.start_check(view.attempt_id, self.tick())
        answers = [
            (view.attempt_id, d.question_id, view.module.question(d.question_id).correct_ids)
            for d in view.drawn
        ]
        return view, answers

    def answer(self, item: Answer) -> None:
        self.service.answer_question(item[0], item[1], item[2], self.tick())

    def tick(self) -> float:
        self.seconds += 1.0
        return self.seconds


def raw_connection(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None)  # explicit BEGIN, as our engine does
    for pragma in PRAGMAS:
        connection.execute(pragma)
    connection.execute(RAW_SCHEMA)
    return connection


def raw_answer(connection: sqlite3.Connection, item: Answer) -> None:
    attempt_id, question_id, selected = item
    connection.execute("BEGIN IMMEDIATE")
    connection.execute(
        RAW_INSERT,
        (attempt_id, question_id, json.dumps(sorted(selected)), True, datetime.now(UTC).isoformat()),
    )
    connection.execute("COMMIT")


class Fsync:
    """One 4 KB write and one fsync, at the end of a file in the benchmark's folder."""

    def __init__(self, path: Path) -> None:
        self.descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        self.block = os.urandom(4096)

    def write(self, _item: Answer) -> None:
        os.write(self.descriptor, self.block)
        os.fsync(self.descriptor)

    def close(self) -> None:
        os.close(self.descriptor)


def timed(fn: Callable[[Answer], None], items: list[Answer], into: list[float]) -> None:
    for item in items:
        started = time.perf_counter()
        fn(item)
        into.append(time.perf_counter() - started)


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[98]


def _table(words: list[str]) -> str:
    for keyword in ("FROM", "INTO", "UPDATE"):
        if keyword in words and words.index(keyword) + 1 < len(words):
            return words[words.index(keyword) + 1]
    return "?"


def profile(ours: Ours, calls: int) -> None:
    items: list[Answer] = []
    profiler = cProfile.Profile()
    sql: Counter[str] = Counter()
    counting = False

    def count(statement: str) -> None:
        if counting:
            words = statement.split()
            sql[" ".join(words[:2]) if words[0] == "BEGIN" else f"{words[0]} {_table(words)}"] += 1

    def trace_all() -> None:
        # The answer path writes on this thread's plain sqlite3 connection (Store.write).
        for connection in ours.store._writers.values():
            connection.set_trace_callback(count)

    while len(items) < calls:
        view, answers = ours.prepare()
        items += answers
        trace_all()
        counting = True
        profiler.enable()
        for item in answers:
            ours.answer(item)
        profiler.disable()
        counting = False
        ours.service.finish_check(view.attempt_id, ours.tick())
    for connection in ours.store._writers.values():
        connection.set_trace_callback(None)
    print(f"\nSQL statements per answer_question ({sum(sql.values()) / len(items):.1f} in all):")
    print("  (a statement whose triggers run is reported once more per trigger step, under its own text)")
    for statement, n in sql.most_common():
        print(f"  {n / len(items):4.1f}  {statement}")
    stats = pstats.Stats(profiler)
    total = sum(row[2] for row in stats.stats.values())  # type: ignore[attr-defined]
    buckets: dict[str, float] = {}
    for (filename, _line, name), row in stats.stats.items():  # type: ignore[attr-defined]
        if "sqlite3" in name or "sqlite3" in filename:
            bucket = "sqlite3 C calls (execute/fetch/commit incl. fsync)"
        elif "/sqlalchemy/orm/" in filename:
            bucket = "SQLAlchemy ORM"
        elif "/sqlalchemy/" in filename:
            bucket = "SQLAlchemy core/engine/sql"
        elif "/json/" in filename or "_json" in name or "json" in filename:
            bucket = "json"
        elif "microlearn" in filename:
            bucket = "microlearn (services, statements, module_from_rows, domain)"
        else:
            bucket = "other (stdlib, builtins)"
        buckets[bucket] = buckets.get(bucket, 0.0) + row[2]
    print(
        f"\nprofile of {len(items)} answer_question calls ({total / len(items) * 1000:.2f} ms/call under cProfile):"
    )
    for bucket, seconds in sorted(buckets.items(), key=lambda kv: -kv[1]):
        print(f"  {seconds / total:6.1%}  {bucket}")
    print("\ntop functions by cumulative time:")
    stats.sort_stats("cumulative").print_stats(30)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=500, help="timed answers per side (default 500)")
    parser.add_argument("--dir", type=Path, help="folder for the two databases (default: a temporary one)")
    parser.add_argument("--profile", action="store_true", help="profile even when within budget")
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="microlearn-bench-", dir=args.dir))
    try:
        paths = resolve_paths(root / "app")
        store = open_store(paths)
        report = install_if_changed(store, bundled_content_dir())
        if report.refused:
            print(f"content refused: {report.problems}", file=sys.stderr)
            return 2
        ours = Ours(store, LearningService(store, load_config(paths), rng=random.Random(1)))
        raw = raw_connection(root / "raw.sqlite3")
        fsync = Fsync(root / "fsync.bin")
        ours_times: list[float] = []
        raw_times: list[float] = []
        fsync_times: list[float] = []
        warm: list[float] = []
        block = 0
        while len(ours_times) < args.n:
            view, answers = ours.prepare()
            timed_answers = answers[: args.n - len(ours_times)] if block else answers
            sides = [
                (ours.answer, ours_times),
                (lambda item: raw_answer(raw, item), raw_times),
                (fsync.write, fsync_times),
            ]
            for fn, into in sides[block % 3 :] + sides[: block % 3]:
                timed(fn, timed_answers, into if block else warm)  # block 0 warms both up, untimed
            for item in answers[len(timed_answers) :]:  # the last block may be cut short
                ours.answer(item)
            ours.service.finish_check(view.attempt_id, ours.tick())
            block += 1

        ours_median, raw_median = statistics.median(ours_times), statistics.median(raw_times)
        fsync_median = statistics.median(fsync_times)
        ours_p99, raw_p99, fsync_p99 = p99(ours_times), p99(raw_times), p99(fsync_times)
        ratio = ours_median / fsync_median
        print(
            f"answers timed: {len(ours_times)} ours, {len(raw_times)} raw, {len(fsync_times)} fsyncs, "
            f"in {block - 1} alternating blocks"
        )
        print(f"ours (answer_question): median {ours_median * 1000:.3f} ms   p99 {ours_p99 * 1000:.3f} ms")
        print(f"raw sqlite3 insert:     median {raw_median * 1000:.3f} ms   p99 {raw_p99 * 1000:.3f} ms")
        print(f"one 4 KB write + fsync: median {fsync_median * 1000:.3f} ms   p99 {fsync_p99 * 1000:.3f} ms")
        print(
            f"ratio ours/raw:         median {ours_median / raw_median:.2f}x   p99 {ours_p99 / raw_p99:.2f}x"
        )
        print(f"ratio raw/fsync:        median {raw_median / fsync_median:.2f}x")
        print(f"ratio ours/fsync:       median {ratio:.2f}x   p99 {ours_p99 / fsync_p99:.2f}x")
        verdict = "PASS" if ratio <= BUDGET else "FAIL"
        print(f"budget ≤ {BUDGET}×: {verdict}")
        if args.profile or verdict == "FAIL":
            profile(ours, min(args.n, 200))
        raw.close()
        fsync.close()
        store.close()
        return 0 if verdict == "PASS" else 1
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
