"""The planner: what fits in the learner's free minutes, never more."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microlearn.domain.attempt import ModuleStatus
from microlearn.domain.due_dates import DueState, DueStatus
from microlearn.domain.planner import DueModule, DueReviews, OpenModule, PlanKind, plan
from microlearn.services.catalog import ModuleSummary
from microlearn.services.content_install import install_if_changed
from microlearn.services.learning import LearningService
from microlearn.services.planning import due_modules_of, steps_left
from microlearn.services.programme import AssignedModule, ProgrammeTotals, ProgrammeView
from microlearn.settings.config import load_config
from microlearn.settings.paths import resolve_paths
from microlearn.store.opening import open_store

REVIEW = DueReviews(count=4, minutes_each=0.75)
# Six minutes left: four cards of a minute each, then two questions.
SIX_LEFT = OpenModule("open-module", "Open module", (1.0, 1.0, 1.0, 1.0, 1.0, 1.0))
OVERDUE = DueModule("overdue", "Overdue", 4.0, date(2026, 12, 1), days_left=-6)
SOON = DueModule("soon", "Soon", 4.0, date(2026, 12, 10), days_left=3)
UNDATED = DueModule("optional", "Optional", 2.0, None)


def test_five_minutes_with_six_left_continues_the_open_module_for_five_and_no_more() -> None:
    made = plan(5, SIX_LEFT, REVIEW, [OVERDUE, SOON])
    (item,) = made.items
    assert (item.kind, item.module_id, item.steps, item.finishes) == (
        PlanKind.CONTINUE,
        "open-module",
        5,
        False,
    )
    assert made.minutes <= 5


def test_when_the_open_module_fits_reviews_and_then_due_modules_fill_the_rest() -> None:
    made = plan(15, SIX_LEFT, REVIEW, [SOON, OVERDUE])
    assert [(i.kind, i.module_id) for i in made.items] == [
        (PlanKind.CONTINUE, "open-module"),
        (PlanKind.REVIEW, None),
        (PlanKind.MODULE, "overdue"),  # overdue first, though listed second
    ]
    assert made.items[0].finishes and made.items[1].steps == 4
    assert made.minutes == pytest.approx(6 + 3 + 4)


def test_when_nothing_is_due_the_plan_is_empty() -> None:
    made = plan(30, None, None, [])
    assert made.items == () and made.minutes == 0
    assert plan(30, None, DueReviews(0, 0.75), []).items == ()


def test_when_only_reviews_are_due_the_plan_is_as_many_review_questions_as_fit() -> None:
    made = plan(2, None, DueReviews(count=10, minutes_each=0.75), [])
    (item,) = made.items
    assert (item.kind, item.steps, item.finishes) == (PlanKind.REVIEW, 2, False)
    everything = plan(30, None, DueReviews(count=10, minutes_each=0.75), [])
    assert everything.items[0].steps == 10 and everything.items[0].finishes


def test_a_module_that_does_not_fit_is_left_out_for_one_that_does() -> None:
    made = plan(3, None, None, [OVERDUE, UNDATED])
    assert [i.module_id for i in made.items] == ["optional"]


@settings(max_examples=200, deadline=None)
@given(
    free=st.floats(min_value=-5, max_value=120, allow_nan=False),
    steps=st.lists(st.floats(min_value=0.05, max_value=5), max_size=20),
    reviews=st.integers(min_value=0, max_value=40),
    modules=st.lists(st.floats(min_value=0.5, max_value=15), max_size=8),
)
def test_a_plan_never_promises_more_than_the_free_minutes(
    free: float, steps: list[float], reviews: int, modules: list[float]
) -> None:
    open_module = OpenModule("open", "Open", tuple(steps)) if steps else None
    due = [DueModule(f"m{i}", "M", m, date(2026, 12, 1 + i), days_left=i - 3) for i, m in enumerate(modules)]
    made = plan(free, open_module, DueReviews(reviews, 0.75), due)
    assert made.minutes <= max(free, 0) + 1e-6
    assert len({i.module_id for i in made.items if i.kind is PlanKind.MODULE}) == sum(
        1 for i in made.items if i.kind is PlanKind.MODULE
    )


def test_minutes_left_count_from_the_current_card_by_the_checkers_formula(content: Path) -> None:
    store = open_store(resolve_paths())
    try:
        assert install_if_changed(store, content).installed
        config = load_config(resolve_paths(), overrides={"identity.source": "fixed", "identity.name": "l"})
        learning = LearningService(store, config, rng=random.Random(1))
        view = learning.open_attempt("first-module")
        from_start = steps_left(view)
        assert len(from_start) == len(view.module.cards) + len(view.drawn)
        view = learning.show_card(view.attempt_id, 2, 5.0)
        from_last_card = steps_left(view)
        assert from_last_card == from_start[2:]
        for index in range(len(view.module.cards)):
            view = learning.show_card(view.attempt_id, index, 5.0)
        view = learning.start_check(view.attempt_id, 5.0)
        question = view.module.question(view.drawn[0].question_id)
        learning.answer_question(view.attempt_id, question.id, question.correct_ids, 6.0)
        assert steps_left(learning.view(view.attempt_id)) == (0.75,) * (len(view.drawn) - 1)
    finally:
        store.close()


def assigned(module_id: str, status: DueStatus, due: date | None, days_left: int | None) -> AssignedModule:
    summary = ModuleSummary(
        id=module_id,
        title=module_id.title(),
        summary="",
        version="1",
        minutes=4,
        review_by=date(2027, 6, 1),
        track_id="track",
        track_title="Track",
        mandatory=True,
        status=ModuleStatus.NOT_STARTED,
        best_percent=None,
        resume_phase=None,
        resume_card=0,
        card_count=3,
    )
    return AssignedModule(summary, DueState(status, due=due, days_left=days_left))


def test_the_programmes_open_modules_are_planned_overdue_first_and_done_ones_never() -> None:
    today = date(2026, 12, 7)
    view = ProgrammeView(
        today=today,
        has_programme=True,
        groups=("staff",),
        modules=(
            assigned("later", DueStatus.LATER, date(2027, 1, 15), 39),
            assigned("done", DueStatus.DONE, None, None),
            assigned("overdue", DueStatus.OVERDUE, date(2026, 12, 1), -6),
            assigned("optional", DueStatus.OPTIONAL, None, None),
        ),
        totals=ProgrammeTotals(2, 8, date(2026, 12, 1), 1, 0, 3),
    )
    made = plan(16, None, None, due_modules_of(view))  # room for all four: only two are planned
    assert [i.module_id for i in made.items] == ["overdue", "later"]
    assert [i.module_id for i in plan(5, None, None, due_modules_of(view)).items] == ["overdue"]
