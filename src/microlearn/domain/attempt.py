"""Learning rules for one module attempt. Pure Python: no Qt, no database.

start → lesson cards (with inline checks) → knowledge check → result.
Completed = every card seen. Passed = score ≥ pass mark. Done = completed and passed.
Inline checks are practice and never count toward the score.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from microlearn.domain.courseware import Module, Question, QuestionKind

if TYPE_CHECKING:
    import random


class Phase(StrEnum):
    LESSONS = "lessons"
    CHECK = "check"
    RESULT = "result"


class ModuleStatus(StrEnum):
    NOT_STARTED = "not started"
    IN_PROGRESS = "in progress"
    DONE = "done"
    NOT_PASSED = "not passed yet"


@dataclass(frozen=True)
class DrawnQuestion:
    """A question drawn for an attempt, with the option order this learner sees."""

    question_id: str
    option_order: tuple[str, ...]


def draw_questions(module: Module, rng: random.Random) -> list[DrawnQuestion]:
    """A fresh random set from the pool, options shuffled (true/false keeps True first)."""
    chosen = rng.sample(list(module.questions), k=min(module.draw, len(module.questions)))
    drawn = []
    for question in chosen:
        order = [o.id for o in question.options]
        if question.kind is not QuestionKind.TRUE_FALSE:
            rng.shuffle(order)
        drawn.append(DrawnQuestion(question.id, tuple(order)))
    return drawn


@dataclass(frozen=True)
class Score:
    correct: int
    total: int
    pass_mark: int

    @property
    def scaled(self) -> float:
        return self.correct / self.total if self.total else 0.0

    @property
    def percent(self) -> int:
        return round(self.scaled * 100)

    @property
    def passed(self) -> bool:
        # Compare in integers so 4/5 against 80 never trips on floating point.
        return self.total > 0 and self.correct * 100 >= self.pass_mark * self.total


def score_answers(
    module: Module, drawn: Sequence[DrawnQuestion], answers: Mapping[str, frozenset[str]]
) -> Score:
    """Score the knowledge check; a question left unanswered counts as wrong."""
    correct = sum(
        1
        for item in drawn
        if item.question_id in answers
        and module.question(item.question_id).is_correct(answers[item.question_id])
    )
    return Score(correct=correct, total=len(drawn), pass_mark=module.pass_mark)


def all_cards_seen(module: Module, seen: set[int] | frozenset[int]) -> bool:
    return all(index in seen for index in range(len(module.cards)))


def validate_selection(question: Question, selected: frozenset[str]) -> None:
    """Refuse an answer the player could not have produced."""
    known = {o.id for o in question.options}
    if not selected or not selected <= known:
        raise ValueError(f"Answer {sorted(selected)} does not match the options of {question.id}.")
    if question.kind is not QuestionKind.MULTIPLE and len(selected) != 1:
        raise ValueError(f"Question {question.id} takes exactly one option.")


def minutes_left(module: Module, phase: Phase, card_index: int, check_index: int, check_total: int) -> int:
    """A plain estimate for the player's header: the share of the module still ahead."""
    card_count = max(len(module.cards), 1)
    if phase is Phase.LESSONS:
        ahead = (card_count - card_index) / card_count * 0.7 + 0.3
    elif phase is Phase.CHECK:
        ahead = (check_total - check_index) / max(check_total, 1) * 0.3
    else:
        return 0
    return max(1, round(module.minutes * ahead))


@dataclass
class ActiveClock:
    """Counts seconds only while the learner's window is active.

    ``now`` values come from a monotonic clock supplied by the caller.
    """

    banked: float = 0.0
    _since: float | None = None

    def activate(self, now: float) -> None:
        if self._since is None:
            self._since = now

    def deactivate(self, now: float) -> None:
        if self._since is not None:
            self.banked += max(0.0, now - self._since)
            self._since = None

    def total(self, now: float) -> float:
        running = max(0.0, now - self._since) if self._since is not None else 0.0
        return self.banked + running

    @property
    def active(self) -> bool:
        return self._since is not None
