"""A learner's history: every attempt, what was missed and why, and minutes learned.

Pure Python: the store's owners supply the rows, this turns them into the facts the
Progress screen shows. Time is a parameter (``today`` and the learner's zone).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from microlearn.domain.courseware import Question


@dataclass(frozen=True)
class MissedQuestion:
    """A knowledge-check question answered wrong: the learner's answer, the right one, and why."""

    question_id: str
    prompt: str
    your_answer: tuple[str, ...]  # option texts, in the authored order
    right_answer: tuple[str, ...]
    explanation: str
    feedback: tuple[str, ...] = ()  # the chosen options' feedback, where the author wrote some


def missed_question(question: Question, selected: Iterable[str]) -> MissedQuestion | None:
    """None when ``selected`` is the right answer."""
    chosen = frozenset(selected)
    if question.is_correct(chosen):
        return None
    picked = [o for o in question.options if o.id in chosen]
    return MissedQuestion(
        question_id=question.id,
        prompt=question.prompt,
        your_answer=tuple(o.text for o in picked),
        right_answer=tuple(o.text for o in question.options if o.correct),
        explanation=question.explanation,
        feedback=tuple(o.feedback for o in picked if o.feedback),
    )


@dataclass(frozen=True)
class AttemptRecord:
    """One attempt at a module, finished or not, earned here or restored from the central record."""

    module_id: str
    module_version: str
    registration: str
    started_at: datetime | None  # None: restored (the central record keeps no start)
    # When the knowledge check was scored (restored with only a completion: when it completed);
    # None: not finished.
    finished_at: datetime | None
    seconds_spent: float | None  # None: not known (restored)
    completed: bool  # every lesson card seen
    score_raw: int | None = None
    score_max: int | None = None
    passed: bool | None = None  # None: the check was not taken
    missed: tuple[MissedQuestion, ...] = ()
    restored: bool = False  # rebuilt from the central record: no answers are known

    @property
    def score_percent(self) -> int | None:
        if self.score_raw is None or not self.score_max:
            return None
        return round(100 * self.score_raw / self.score_max)

    @property
    def finished(self) -> bool:
        return self.finished_at is not None

    @property
    def when(self) -> datetime | None:
        """The instant the attempt is listed under: when it ended, else when it began."""
        return self.finished_at or self.started_at


@dataclass(frozen=True)
class MinutesLearned:
    this_week: int  # Monday to today, in the learner's zone
    this_month: int


def minutes_learned(spans: Iterable[tuple[datetime, float]], today: date, zone: tzinfo) -> MinutesLearned:
    """``spans``: (when the time was spent, seconds). Rounded to whole minutes at the end."""
    week_start = today - timedelta(days=today.weekday())
    month_start = today.replace(day=1)
    week = month = 0.0
    for moment, seconds in spans:
        day = moment.astimezone(zone).date()
        if day > today or seconds <= 0:
            continue  # a clock set back: time "from the future" is not this week's
        if day >= week_start:
            week += seconds
        if day >= month_start:
            month += seconds
    return MinutesLearned(this_week=round(week / 60), this_month=round(month / 60))
