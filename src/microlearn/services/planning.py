""" "I have N minutes": the facts the planner needs, gathered from the store, and its plan.

The planner itself is pure (domain/planner.py). Minutes come from the content checker's
formula (content/stats.py), card by card and question by question, so the plan agrees with
the "about N minutes" the learner sees on a module.
"""

from __future__ import annotations

from collections.abc import Sequence

from microlearn.content.stats import (
    MINUTES_PER_DRAWN_QUESTION,
    MINUTES_PER_INLINE_CHECK,
    WORDS_PER_MINUTE,
    card_words,
)
from microlearn.domain.attempt import Phase
from microlearn.domain.planner import DueModule, DueReviews, OpenModule, Plan, plan
from microlearn.services.learning import AttemptView, LearningService
from microlearn.services.programme import ProgrammeView
from microlearn.services.reviews import ReviewService


def steps_left(view: AttemptView) -> tuple[float, ...]:
    """Minutes of each card (from the current one) and each unanswered question still ahead."""
    if view.phase is Phase.RESULT:
        return ()
    cards: list[float] = []
    if view.phase is Phase.LESSONS:
        for card in view.module.cards[view.card_index :]:
            minutes = card_words(card.body) / WORDS_PER_MINUTE
            cards.append(minutes + (MINUTES_PER_INLINE_CHECK if card.check is not None else 0.0))
    unanswered = sum(1 for d in view.drawn if d.question_id not in view.answers)
    return (*cards, *([MINUTES_PER_DRAWN_QUESTION] * unanswered))


def due_modules_of(programme: ProgrammeView) -> list[DueModule]:
    """The programme's modules still to do (overdue, due soon, later), with their dates; done
    and optional ones are not planned."""
    return [
        DueModule(m.module.id, m.module.title, float(m.module.minutes), m.state.due, m.state.days_left)
        for m in programme.modules
        if m.state.open
    ]


class PlanningService:
    def __init__(self, learning: LearningService, reviews: ReviewService) -> None:
        self._learning = learning
        self._reviews = reviews

    def plan(
        self, free_minutes: float, open_attempt_id: int | None, due_modules: Sequence[DueModule]
    ) -> Plan:
        """``due_modules``: what the programme says is due, e.g. ``due_modules_of(view)``."""
        open_module = None
        if open_attempt_id is not None:
            view = self._learning.view(open_attempt_id)
            open_module = OpenModule(view.module.id, view.module.title, steps_left(view))
        offer = self._reviews.offer(size=10_000)
        reviews = None if offer is None else DueReviews(offer.due, MINUTES_PER_DRAWN_QUESTION)
        return plan(free_minutes, open_module, reviews, due_modules)
