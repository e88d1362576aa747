"""When a review item comes back: FSRS through the ``fsrs`` package, never a scheduler of our own.

The rating comes from correctness and the learner's certainty (issue: quick review):
wrong → Again; right but not sure → Hard; right and fairly sure or sure → Good. A
certainty that was not asked (switched off) counts as sure: a right answer is Good.

The scheduler's state is kept as ``fsrs``'s own JSON, so what a stored item holds is read
back by the same library that wrote it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from fsrs import Card, Rating, Scheduler


class Certainty(StrEnum):
    """How sure the learner was of an answer ("How sure are you?")."""

    NOT_SURE = "not_sure"
    FAIRLY_SURE = "fairly_sure"
    SURE = "sure"


# No learning steps: a quick review happens between meetings, not as a drill of flash cards
# minutes apart, so the shortest wait is FSRS's own first interval (a day). No fuzzing: the
# same answers give the same due dates, for the learner on two laptops and for the tests.
_SCHEDULER = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


def rating_for(correct: bool, certainty: Certainty | None) -> Rating:
    if not correct:
        return Rating.Again
    if certainty is Certainty.NOT_SURE:
        return Rating.Hard
    return Rating.Good


@dataclass(frozen=True)
class Scheduled:
    """A review item's scheduler state after an answer, and when it is due next."""

    state_json: str
    due: datetime


def schedule(state_json: str | None, correct: bool, certainty: Certainty | None, when: datetime) -> Scheduled:
    """Schedule the next review after an answer given at ``when`` (aware; any time zone).

    ``state_json`` is None the first time the question is met: the item starts new.
    """
    # At the statement's precision (milliseconds), so a restore replaying the statements
    # gives the very due dates this laptop computed.
    at = when.astimezone(UTC)
    at = at.replace(microsecond=at.microsecond // 1000 * 1000)
    # A new card is given its id (fsrs's own form: epoch milliseconds) from the answer's time:
    # left to itself, fsrs reads the clock and sleeps a millisecond to keep ids apart, on
    # the answer path of every question met for the first time.
    card = Card(card_id=int(at.timestamp() * 1000)) if state_json is None else Card.from_json(state_json)
    card, _ = _SCHEDULER.review_card(card, rating_for(correct, certainty), review_datetime=at)
    return Scheduled(state_json=card.to_json(), due=card.due)
