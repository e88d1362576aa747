"""The quick review, by keys: a question missed on Monday is offered on Today when it is due,
answered with feedback and its explanation at once, and links back to the card that teaches it."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from microlearn.domain.review_links import teaching_card
from microlearn.domain.review_schedule import Certainty
from microlearn.services.learning import LearningService
from microlearn.services.reviews import ReviewService
from microlearn.services.startup import AppServices, start_services
from microlearn.settings.paths import resolve_paths
from microlearn.ui.main_window import MainWindow
from microlearn.ui.review_page import ReviewPage
from tests.support.gui_driver import Keyboard, open_window
from tests.support.learners import FakeClock

pytestmark = pytest.mark.gui

MODULE = "how-data-flows"
MONDAY = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(MONDAY)


@pytest.fixture
def services(clock: FakeClock) -> Iterator[AppServices]:
    services = start_services(resolve_paths())
    services.learning = LearningService(
        services.store, services.config, clock=clock.now, rng=random.Random(7)
    )
    services.reviews = ReviewService(services.store, services.config, clock=clock.now, rng=random.Random(11))
    yield services
    services.close()


def miss_one_on_monday(services: AppServices) -> str:
    """A whole knowledge check, one question answered wrong and the rest right."""
    learning = services.learning
    view = learning.open_attempt(MODULE)
    for index in range(len(view.module.cards)):
        view = learning.show_card(view.attempt_id, index, 5.0)
    view = learning.start_check(view.attempt_id, 5.0)
    # One taught past the first card, so opening the module at its start would not pass for it.
    missed = next(
        d.question_id
        for d in view.drawn
        if teaching_card(view.module, view.module.question(d.question_id)) > 0
    )
    for drawn in view.drawn:
        question = view.module.question(drawn.question_id)
        chosen = (
            frozenset({next(o.id for o in question.options if not o.correct)})
            if question.id == missed
            else question.correct_ids
        )
        learning.answer_question(view.attempt_id, question.id, chosen, 10.0, certainty=Certainty.SURE)
    learning.finish_check(view.attempt_id, 20.0)
    return missed


def review_offer_text(window: MainWindow) -> str | None:
    texts = [w.text() for w in window.today.findChildren(QLabel) if w.isVisibleTo(window.today)]
    return next((t for t in texts if t.startswith("Quick review ·")), None)


def start_review(qtbot: QtBot, window: MainWindow, keys: Keyboard) -> ReviewPage:
    window.reviews.start_button.setFocus()
    keys.press(Qt.Key.Key_Return)
    page = window.reviews.page
    assert page is not None and window.stack.currentWidget() is page
    assert page.question is not None
    qtbot.waitUntil(page.question.first_option.hasFocus)
    return page


def test_a_question_missed_on_monday_comes_back_when_due(
    qtbot: QtBot, services: AppServices, clock: FakeClock
) -> None:
    missed = miss_one_on_monday(services)
    window = open_window(qtbot, services)
    assert review_offer_text(window) is None, "nothing is due the moment it was missed"

    clock.advance(timedelta(days=1, hours=1).total_seconds())
    window.refresh()
    qtbot.waitUntil(lambda: review_offer_text(window) is not None)  # a layout shows new cards queued
    assert review_offer_text(window) == "Quick review · 1 question · about 1 minute"

    keys = Keyboard(qtbot)
    page = start_review(qtbot, window, keys)
    assert [q.question.id for q in page.session.questions] == [missed]
    keys.pick_right_answer(page)  # type: ignore[arg-type]
    keys.submit(page)  # type: ignore[arg-type]
    widget = page.question
    assert widget is not None and widget.answered
    assert widget.verdict.text().startswith("✓")
    assert widget.explanation.isVisible() and widget.explanation.text() == widget.question.explanation
    assert page.card_button is not None
    qtbot.waitUntil(page.card_button.isVisible)
    assert page.next_button.hasFocus()
    keys.press(Qt.Key.Key_Return)  # finish
    assert page.summary.text() == "Review done: 1 of 1 right."
    qtbot.waitUntil(page.done_button.hasFocus)
    keys.press(Qt.Key.Key_Return)  # back to Today
    assert window.reviews.page is None and window.stack.currentWidget() is window.today
    QApplication.processEvents()  # the refreshed Today's widgets are shown queued
    assert review_offer_text(window) is None, "answered right, it is not due again today"


def test_the_link_opens_the_module_at_the_card_that_teaches_it(
    qtbot: QtBot, services: AppServices, clock: FakeClock
) -> None:
    miss_one_on_monday(services)
    clock.advance(timedelta(days=1, hours=1).total_seconds())
    window = open_window(qtbot, services)
    keys = Keyboard(qtbot)
    page = start_review(qtbot, window, keys)
    keys.pick_wrong_answer(page)  # type: ignore[arg-type]
    keys.submit(page)  # type: ignore[arg-type]
    assert page.feedback is not None and not page.feedback.correct
    assert page.card_button is not None
    qtbot.waitUntil(page.card_button.isVisible)
    page.card_button.setFocus()  # Tab would reach it too; the test needs no count of Tabs
    keys.press(Qt.Key.Key_Return)
    player = window.player
    assert player is not None and player.view.module.id == MODULE
    assert page.feedback.card_index > 0
    assert player.view.card_index == page.feedback.card_index
    assert player.module_title.text() and window.reviews.page is None
