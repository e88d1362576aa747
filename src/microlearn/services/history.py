"""The learner's history for the Progress screen: every attempt, per module or track, and minutes.

Nothing new is stored for it: attempts, their knowledge-check answers and results are all kept
(never deleted when Results closes), and the question text of each version stays installed.
Results restored from the central record become attempts too, without answers or time spent
(the central record has the scores and dates, not what was chosen).

Plain sqlite3 reads through the store's owners; run it off the GUI thread like any store work.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, tzinfo

from microlearn.domain.courseware import Question
from microlearn.domain.history import (
    AttemptRecord,
    MinutesLearned,
    MissedQuestion,
    minutes_learned,
    missed_question,
)
from microlearn.store import attempts, content_reads, results
from microlearn.store.assignments import parse_db_timestamp
from microlearn.store.courseware_rows import question_from_json
from microlearn.store.opening import Store
from microlearn.store.results import ResultFacts


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _stamp(text: str | None) -> datetime | None:
    return parse_db_timestamp(text) if text else None


class HistoryService:
    def __init__(self, store: Store, zone: tzinfo, clock: Callable[[], datetime] = _utc_now) -> None:
        self._store = store
        self._zone = zone
        self._clock = clock

    def attempts(
        self, module_id: str | None = None, track_id: str | None = None
    ) -> tuple[AttemptRecord, ...]:
        """Every attempt of one module, one track's modules, or all; newest first."""
        with self._store.read() as db:
            wanted: list[str] | None = None
            if module_id is not None:
                wanted = [module_id]
            elif track_id is not None:
                wanted = [m.id for m in content_reads.active_modules(db) if m.track_id == track_id]
            local = attempts.attempt_history(db, wanted)
            answers = attempts.scored_answers(db, [a.id for a in local])
            earned = [r for r in results.all_results(db) if wanted is None or r.module_id in wanted]
            by_registration: dict[str, list[ResultFacts]] = {}
            for result in earned:
                by_registration.setdefault(result.registration, []).append(result)
            questions: dict[tuple[int, str], Question | None] = {}
            records = []
            for attempt in local:
                missed: tuple[MissedQuestion, ...] = ()
                if attempt.finished_at is not None:
                    missed = self._missed(db, attempt.module_pk, answers.get(attempt.id, []), questions)
                records.append(_local_record(attempt, by_registration.pop(attempt.registration, []), missed))
        records += [_restored_record(found) for found in by_registration.values()]
        records.sort(key=lambda r: r.when or datetime.min.replace(tzinfo=UTC), reverse=True)
        return tuple(records)

    def by_module(self, track_id: str | None = None) -> dict[str, tuple[AttemptRecord, ...]]:
        grouped: dict[str, list[AttemptRecord]] = {}
        for record in self.attempts(track_id=track_id):
            grouped.setdefault(record.module_id, []).append(record)
        return {m: tuple(r) for m, r in grouped.items()}

    def minutes_learned(self) -> MinutesLearned:
        """Minutes spent in modules this week (from Monday) and this month, in the learner's zone.

        An attempt's time is counted on the day it was last worked on.
        """
        with self._store.read() as db:
            spans = [
                (parse_db_timestamp(a.updated_at), a.seconds_spent) for a in attempts.attempt_history(db)
            ]
        today = self._clock().astimezone(self._zone).date()
        return minutes_learned(spans, today, self._zone)

    @staticmethod
    def _missed(
        db: sqlite3.Connection,
        module_pk: int,
        answered: Sequence[tuple[str, frozenset[str], bool]],
        cache: dict[tuple[int, str], Question | None],
    ) -> tuple[MissedQuestion, ...]:
        missed = []
        for question_id, selected, correct in answered:
            if correct:
                continue
            key = (module_pk, question_id)
            if key not in cache:
                text = content_reads.question_json(db, module_pk, question_id)
                cache[key] = question_from_json(text) if text else None
            question = cache[key]
            if question is not None and (item := missed_question(question, selected)) is not None:
                missed.append(item)
        return tuple(missed)


def _score(found: Sequence[ResultFacts]) -> ResultFacts | None:
    return next((r for r in reversed(found) if r.kind in ("passed", "failed")), None)


def _local_record(
    attempt: attempts.AttemptFacts, found: Sequence[ResultFacts], missed: tuple[MissedQuestion, ...]
) -> AttemptRecord:
    scored = _score(found)
    return AttemptRecord(
        module_id=attempt.module_id,
        module_version=attempt.module_version,
        registration=attempt.registration,
        started_at=_stamp(attempt.started_at),
        finished_at=_stamp(attempt.finished_at),
        seconds_spent=attempt.seconds_spent,
        completed=attempt.completed_at is not None or any(r.kind == "completed" for r in found),
        score_raw=scored.score_raw if scored else None,
        score_max=scored.score_max if scored else None,
        passed=(scored.kind == "passed") if scored else None,
        missed=missed,
    )


def _restored_record(found: Sequence[ResultFacts]) -> AttemptRecord:
    scored = _score(found)
    last = found[-1]
    return AttemptRecord(
        module_id=last.module_id,
        module_version=last.module_version,
        registration=last.registration,
        started_at=None,
        finished_at=_stamp((scored or last).recorded_at),
        seconds_spent=None,
        completed=any(r.kind == "completed" for r in found),
        score_raw=scored.score_raw if scored else None,
        score_max=scored.score_max if scored else None,
        passed=(scored.kind == "passed") if scored else None,
        restored=True,
    )
