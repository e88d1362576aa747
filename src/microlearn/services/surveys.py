"""Confidence surveys: a track's 3–5 statements, rated 1–5 when it starts and when it ends.

Each rating is an ``answered`` statement about a Likert interaction of the track, queued in
the same transaction as the rating (transactional outbox). The learner may skip a survey,
or any statement in it; nothing is sent for what was not rated.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from microlearn.records import statements
from microlearn.records.statements import Actor, SurveyContext
from microlearn.settings.config import Config
from microlearn.store import content_reads, outbox, survey_answers, track_options
from microlearn.store.opening import Store
from microlearn.store.plain_sql import utc_now

Clock = Callable[[], datetime]


class SurveyPhase(StrEnum):
    BEFORE = "before"  # when the learner starts the track
    AFTER = "after"  # when they have finished it


@dataclass(frozen=True)
class SurveyPrompt:
    track_id: str
    track_title: str
    phase: SurveyPhase
    statements: tuple[str, ...]
    scale: tuple[tuple[int, str], ...]  # (1, "Strongly disagree") … (5, "Strongly agree")


@dataclass(frozen=True)
class ConfidenceChange:
    """One statement's rating before and after the track (None: skipped or not yet asked)."""

    statement: str
    before: int | None
    after: int | None


class SurveyError(ValueError):
    pass


class SurveyService:
    def __init__(self, store: Store, config: Config, clock: Clock = utc_now) -> None:
        self._store = store
        self._config = config
        self._clock = clock

    def prompt(self, track_id: str, phase: SurveyPhase) -> SurveyPrompt | None:
        """The survey to show, or None: the track has none, or it was answered or skipped."""
        with self._store.read() as db:
            options = track_options.of_track(db, track_id)
            if not options.survey or survey_answers.phase_done(db, track_id, phase.value):
                return None
            title = next((t.title for t in content_reads.active_tracks(db) if t.id == track_id), track_id)
        scale = tuple((int(key), words) for key, words in statements.LIKERT_SCALE)
        return SurveyPrompt(track_id, title, phase, options.survey, scale)

    def submit(self, prompt: SurveyPrompt, ratings: Mapping[int, int]) -> int:
        """Record the ratings (statement index → 1–5); statements left out count as skipped.
        Returns how many statements were queued."""
        for index, rating in ratings.items():
            if not 0 <= index < len(prompt.statements):
                raise SurveyError(f"There is no statement {index + 1} in this survey.")
            if not 1 <= rating <= 5:
                raise SurveyError(f"A rating is from 1 to 5, not {rating}.")
        return self._record(prompt, ratings)

    def skip(self, prompt: SurveyPrompt) -> None:
        """The learner skipped the survey: nothing is sent, and it is not asked again."""
        self._record(prompt, {})

    def _record(self, prompt: SurveyPrompt, ratings: Mapping[int, int]) -> int:
        now = self._clock()
        context = SurveyContext(
            actor=Actor(self._config.home_page, self._config.learner_name),
            activity_base=self._config.activity_base,
            track_id=prompt.track_id,
            track_title=prompt.track_title,
            registration=str(uuid.uuid4()),
            phase=prompt.phase.value,
        )
        queued = 0
        with self._store.write() as db:
            if survey_answers.phase_done(db, prompt.track_id, prompt.phase.value):
                return 0  # answered already (a second window, a double click)
            for index, text in enumerate(prompt.statements):
                rating = ratings.get(index)
                statement = None
                if rating is not None:
                    statement = statements.survey_answered(context, now, index, text, rating)
                    outbox.queue_statement(db, statement, now)
                    queued += 1
                survey_answers.record(
                    db,
                    track_id=prompt.track_id,
                    phase=prompt.phase.value,
                    item_index=index,
                    statement_text=text,
                    rating=rating,
                    registration=context.registration,
                    statement_id=None if statement is None else statement.id,
                    at=now,
                )
        return queued

    def before_after(self, track_id: str) -> list[ConfidenceChange]:
        """For Progress: each statement of the track's survey with its two ratings."""
        with self._store.read() as db:
            options = track_options.of_track(db, track_id)
            given = survey_answers.ratings_of(db, track_id)
        by_phase = {(r.phase, r.statement_text): r.rating for r in given}
        return [
            ConfidenceChange(
                text,
                by_phase.get((SurveyPhase.BEFORE.value, text)),
                by_phase.get((SurveyPhase.AFTER.value, text)),
            )
            for text in options.survey
        ]
