"""History: every attempt kept, with what was missed and why; minutes this week and month."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from microlearn.domain.history import minutes_learned
from microlearn.services.content_install import install_if_changed
from microlearn.services.history import HistoryService
from microlearn.services.learning import LearningService
from microlearn.settings.config import load_config
from microlearn.settings.paths import resolve_paths
from microlearn.store.opening import Store, open_store
from tests.support.learners import play_module, wrong_answer

FIRST, SECOND = "first-module", "second-module"
BERLIN = ZoneInfo("Europe/Berlin")


@dataclass
class FakeClock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 12, 2, 9, 0, tzinfo=UTC))  # a Wednesday


@pytest.fixture
def store(content: Path) -> Iterator[Store]:
    opened = open_store(resolve_paths())
    assert install_if_changed(opened, content).installed
    yield opened
    opened.close()


def learning(store: Store, clock: FakeClock) -> LearningService:
    config = load_config(resolve_paths(), {"identity.source": "fixed", "identity.name": "learner-1"})
    return LearningService(store, config, clock)


def test_every_attempt_is_kept_with_the_questions_missed_and_why(store: Store, clock: FakeClock) -> None:
    player = learning(store, clock)
    play_module(player, FIRST, passing=False)
    clock.now += timedelta(days=1)
    play_module(player, FIRST)
    store.close()  # Results closed, the app quit: nothing of it is lost
    reopened = open_store(resolve_paths())
    try:
        second, first = HistoryService(reopened, BERLIN, clock).attempts(FIRST)
    finally:
        reopened.close()
    assert first.passed is False and second.passed is True
    assert first.finished_at is not None and second.finished_at is not None
    assert first.finished_at < second.finished_at
    assert first.seconds_spent and first.seconds_spent > 0 and first.completed
    assert first.score_percent == 0 and second.score_percent == 100 and not second.missed
    module = player.view(player.open_attempt(FIRST).attempt_id).module
    assert len(first.missed) == first.score_max  # every question drawn was answered wrong
    for missed in first.missed:
        question = module.question(missed.question_id)
        chosen = wrong_answer(question)
        assert missed.prompt == question.prompt and missed.explanation == question.explanation
        assert missed.your_answer == tuple(o.text for o in question.options if o.id in chosen)
        assert missed.right_answer == tuple(o.text for o in question.options if o.correct)


def test_history_per_module_and_per_track(store: Store, clock: FakeClock) -> None:
    player = learning(store, clock)
    play_module(player, FIRST)
    play_module(player, SECOND, passing=False)
    history = HistoryService(store, BERLIN, clock)
    assert set(history.by_module()) == {FIRST, SECOND}
    assert [r.module_id for r in history.attempts(SECOND)] == [SECOND]
    assert {r.module_id for r in history.attempts(track_id="sample-track")} == {FIRST, SECOND}
    assert history.attempts(track_id="no-such-track") == ()


def test_an_unfinished_attempt_is_listed_as_not_finished(store: Store, clock: FakeClock) -> None:
    player = learning(store, clock)
    view = player.open_attempt(FIRST)
    player.show_card(view.attempt_id, 0, 30.0)
    (record,) = HistoryService(store, BERLIN, clock).attempts(FIRST)
    assert not record.finished and record.passed is None and record.seconds_spent == 30.0


def test_a_restored_result_is_an_attempt_without_answers(store: Store, clock: FakeClock) -> None:
    with sqlite3.connect(store.paths.database) as db:
        for kind, raw in (("completed", None), ("passed", 4)):
            db.execute(
                "INSERT INTO results (module_id, module_version, registration, kind, score_raw, score_max, "
                "recorded_at, source, statement_id) VALUES (?, '1.0.0', 'reg-r', ?, ?, ?, ?, 'restored', ?)",
                (SECOND, kind, raw, 5 if raw else None, "2026-11-03 10:00:00.000000", f"s-{kind}"),
            )
    (record,) = HistoryService(store, BERLIN, clock).attempts(SECOND)
    assert record.restored and record.passed and record.completed and record.score_percent == 80
    assert record.finished_at == datetime(2026, 11, 3, 10, tzinfo=UTC)
    assert record.seconds_spent is None and record.missed == ()


def test_minutes_learned_this_week_and_month_through_the_service(store: Store, clock: FakeClock) -> None:
    player = learning(store, clock)
    view = player.open_attempt(FIRST)
    player.leave(view.attempt_id, 600.0)  # ten minutes, on Wednesday 2 Dec
    learned = HistoryService(store, BERLIN, clock).minutes_learned()
    assert (learned.this_week, learned.this_month) == (10, 10)
    clock.now = datetime(2026, 12, 8, 9, tzinfo=UTC)  # next Tuesday: a new week, the same month
    learned = HistoryService(store, BERLIN, clock).minutes_learned()
    assert (learned.this_week, learned.this_month) == (0, 10)


def test_weeks_and_months_are_the_learners() -> None:
    today = date(2026, 12, 3)  # a Thursday
    # Sunday 29 Nov 23:30 UTC is Monday 30 Nov 00:30 in Berlin: this week there, last week in UTC.
    sunday_night = [(datetime(2026, 11, 29, 23, 30, tzinfo=UTC), 300.0)]
    assert minutes_learned(sunday_night, today, BERLIN).this_week == 5
    assert minutes_learned(sunday_night, today, UTC).this_week == 0
    # 30 Nov 23:30 UTC is 1 Dec in Berlin: this month there, last month in UTC.
    month_end = [(datetime(2026, 11, 30, 23, 30, tzinfo=UTC), 300.0)]
    assert minutes_learned(month_end, today, BERLIN).this_month == 5
    assert minutes_learned(month_end, today, UTC).this_month == 0


def test_time_stamped_in_the_future_by_a_wrong_clock_is_not_counted() -> None:
    spans = [(datetime(2026, 12, 20, tzinfo=UTC), 600.0), (datetime(2026, 12, 1, tzinfo=UTC), 120.0)]
    learned = minutes_learned(spans, date(2026, 12, 3), UTC)
    assert (learned.this_week, learned.this_month) == (2, 2)
