"""The confidence survey, by keys: before a track's first module and, once the track is done,
from a card on Today; one number key per statement, skippable, and nothing lost."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from microlearn.services.learning import LearningService
from microlearn.services.startup import AppServices, start_services
from microlearn.services.surveys import ConfidenceChange, SurveyPhase
from microlearn.settings.paths import resolve_paths
from microlearn.ui.main_window import MainWindow
from microlearn.ui.survey_page import SurveyPage
from tests.support.content_samples import FIRST, TRACK, content, replace
from tests.support.gui_driver import Keyboard, digit_key, open_window

__all__ = ["content"]

pytestmark = pytest.mark.gui

STATEMENTS = (
    "I can explain to a customer why a fraud alert is not a verdict",
    "I know what to check before I paste data into an AI tool",
    "I can tell when a model's score should not be trusted",
)
FIRST_MODULE = FIRST.split("/")[1]


@pytest.fixture
def services(content: Path) -> Iterator[AppServices]:
    lines = "".join(f"  - {text}\n" for text in STATEMENTS)
    replace(
        content / TRACK / "track.yaml", "mandatory: true\n", f"mandatory: true\nconfidence_survey:\n{lines}"
    )
    services = start_services(resolve_paths(), content_dir=content)
    yield services
    services.close()


def survey_page(qtbot: QtBot, window: MainWindow) -> SurveyPage:
    page = window.surveys.page
    assert page is not None and window.stack.currentWidget() is page
    qtbot.waitUntil(lambda: page.groups[0].buttons()[0].hasFocus())
    return page


def pass_every_module(services: AppServices) -> None:
    learning: LearningService = services.learning
    track = next(t for t in services.catalog.library() if t.id == TRACK)
    for summary in track.modules:
        view = learning.open_attempt(summary.id)
        for index in range(len(view.module.cards)):
            view = learning.show_card(view.attempt_id, index, 5.0)
        view = learning.start_check(view.attempt_id, 5.0)
        for drawn in view.drawn:
            question = view.module.question(drawn.question_id)
            learning.answer_question(view.attempt_id, question.id, question.correct_ids, 5.0)
        learning.finish_check(view.attempt_id, 5.0)


def test_before_the_first_module_three_keys_rate_three_statements(
    qtbot: QtBot, services: AppServices
) -> None:
    window = open_window(qtbot, services)
    keys = Keyboard(qtbot)
    window.open_module(FIRST_MODULE)
    assert window.player is None, "the survey comes before the module"
    page = survey_page(qtbot, window)
    for rating in (4, 5, 2):
        keys.press(digit_key(rating))
    assert page.send_button.hasFocus(), "after the last statement, Send is next"
    keys.press(Qt.Key.Key_Return)
    player = window.player
    assert player is not None and player.view.module.id == FIRST_MODULE
    assert services.surveys.before_after(TRACK) == [
        ConfidenceChange(STATEMENTS[0], 4, None),
        ConfidenceChange(STATEMENTS[1], 5, None),
        ConfidenceChange(STATEMENTS[2], 2, None),
    ]
    window.exit_player()
    window.open_module(FIRST_MODULE)
    assert window.player is not None and window.surveys.page is None, "asked once"


def test_skipping_opens_the_module_and_does_not_ask_again(qtbot: QtBot, services: AppServices) -> None:
    window = open_window(qtbot, services)
    keys = Keyboard(qtbot)
    window.open_module(FIRST_MODULE)
    page = survey_page(qtbot, window)
    keys.press(digit_key(3))  # one rated, then skipped: the rating is not sent either
    page.skip_button.setFocus()
    keys.press(Qt.Key.Key_Return)
    assert window.player is not None
    assert all(c.before is None for c in services.surveys.before_after(TRACK))
    assert services.surveys.prompt(TRACK, SurveyPhase.BEFORE) is None


def test_a_finished_track_offers_the_after_survey_on_today(qtbot: QtBot, services: AppServices) -> None:
    pass_every_module(services)
    window = open_window(qtbot, services)
    keys = Keyboard(qtbot)
    qtbot.waitUntil(lambda: len(window.surveys.after_buttons) == 1)  # added once Today has painted
    go = window.surveys.after_buttons[0]
    qtbot.waitUntil(go.isVisible)
    go.setFocus()
    keys.press(Qt.Key.Key_Return)
    survey_page(qtbot, window)
    for rating in (5, 5, 4):
        keys.press(digit_key(rating))
    keys.press(Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.today
    assert [c.after for c in services.surveys.before_after(TRACK)] == [5, 5, 4]
    QApplication.processEvents()
    assert window.surveys.after_buttons == [], "answered: no longer offered"
