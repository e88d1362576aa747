"""A learner's store with work before and after a backup, and the ways disks damage it.

Shared by the store tests (tests/unit/test_store.py) and the long damage fuzz (bench/fuzz_store.py).
"""

from __future__ import annotations

import random
import sqlite3
from contextlib import closing
from pathlib import Path

from microlearn.services.content_install import install_if_changed
from microlearn.services.learning import LearningService
from microlearn.settings.config import load_config
from microlearn.settings.paths import AppPaths
from microlearn.store import backup
from microlearn.store.opening import open_store
from tests.support.locations import SAMPLE_CONTENT as SAMPLE


def store_with_answers(paths: AppPaths) -> None:
    """A store with content, one answer before a backup and one after it."""
    store = open_store(paths)
    assert install_if_changed(store, SAMPLE).installed
    service = LearningService(store, load_config(paths))
    attempt = service.open_attempt("first-module")
    service.answer_inline(attempt.attempt_id, 0, frozenset({"a"}))
    backup.make_backup(paths.database, paths.backup_dir, "daily")
    store.close()


def play_checks(service: LearningService, times: int) -> None:
    """Whole knowledge checks of the first module: answers, results and statements to send."""
    for _ in range(times):
        view = service.open_attempt("first-module")
        for index in range(len(view.module.cards)):
            view = service.show_card(view.attempt_id, index, 5.0 * (index + 1))
        view = service.start_check(view.attempt_id, 60)
        for item in view.drawn:
            question = view.module.question(item.question_id)
            service.answer_question(view.attempt_id, question.id, question.correct_ids, 70)
        service.finish_check(view.attempt_id, 90)
        service.leave(view.attempt_id, 95)


def learner_rows(database: Path, uri: str | None = None) -> dict[str, set[tuple[object, ...]]]:
    """What the learner did, independent of row ids: answers, results, statements."""
    with closing(sqlite3.connect(uri or database, uri=uri is not None)) as db:
        return {
            "answers": set(
                db.execute(
                    "SELECT attempts.registration, answers.question_id, answers.selected FROM answers "
                    "JOIN attempts ON attempts.id = answers.attempt_id WHERE NOT answers.practice"
                )
            ),
            "results": set(db.execute("SELECT statement_id, kind, score_raw FROM results")),
            "pending": set(
                db.execute("SELECT statement_id, statement_json FROM outbox WHERE status = 'pending'")
            ),
        }


def work_after_a_backup(paths: AppPaths) -> dict[str, set[tuple[object, ...]]]:
    store_with_answers(paths)
    store = open_store(paths)
    play_checks(LearningService(store, load_config(paths)), times=3)
    store.close()
    return learner_rows(paths.database)


def overwrite_page(database: Path, page: int) -> None:
    with closing(sqlite3.connect(database)) as db:
        size = db.execute("PRAGMA page_size").fetchone()[0]
    with database.open("r+b") as stream:
        stream.seek((page - 1) * size)
        stream.write(random.Random(page).randbytes(size))
