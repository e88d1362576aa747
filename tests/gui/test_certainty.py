""" "How sure are you?" in the knowledge check, by keys alone, and what Results makes of it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from microlearn.domain.attempt import Phase
from microlearn.services.startup import AppServices, start_services
from microlearn.settings.paths import resolve_paths
from tests.support.gui_driver import Keyboard, open_window

pytestmark = pytest.mark.gui

MODULE = "how-data-flows"
NOT_SURE, SURE = 1, 3


@pytest.fixture
def services() -> Iterator[AppServices]:
    services = start_services(resolve_paths())
    yield services
    services.close()


def test_how_sure_is_asked_by_one_key_and_confidently_wrong_comes_first(
    qtbot: QtBot, services: AppServices
) -> None:
    window = open_window(qtbot, services)
    window.open_module(MODULE)
    player = window.player
    assert player is not None
    keys = Keyboard(qtbot)
    for _ in range(len(player.view.module.cards)):
        keys.press(Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert player.view.phase is Phase.CHECK

    # Enter on an answer asks how sure before anything is recorded; Escape goes back to it.
    qtbot.waitUntil(lambda: player.question is not None and player.question.first_option.hasFocus())
    widget = player.question
    assert widget is not None and widget.certainty_prompt is not None
    keys.pick_wrong_answer(player)
    keys.press(Qt.Key.Key_Return)
    assert widget.asking_certainty and not widget.answered
    assert not widget.first_option.isEnabled(), "a number key must say how sure, not pick again"
    assert widget.certainty_prompt.isAncestorOf(QApplication.focusWidget())
    keys.press(Qt.Key.Key_Escape)
    assert not widget.asking_certainty and widget.first_option.isEnabled()
    assert not player.view.answers, "nothing is recorded before the learner says how sure"

    wrong: list[str] = []
    while window.player is not None:
        qtbot.waitUntil(lambda: player.question is not None and player.question.first_option.hasFocus())
        question_id = player.view.drawn[player.view.check_index].question_id
        if len(wrong) < 2:  # the first wrong and not sure, the second wrong and sure
            if not wrong:  # still picked from before Escape (a number key would toggle a check box off)
                assert player.question is not None and player.question.selected()
            else:
                keys.pick_wrong_answer(player)
            keys.submit(player, sure=NOT_SURE if not wrong else SURE)
            wrong.append(question_id)
        else:
            keys.pick_right_answer(player)
            keys.submit(player, sure=SURE)
        assert player.question is not None and player.question.answered, "one key did not submit"
        keys.press(Qt.Key.Key_Return)
    results = window.results
    assert results is not None
    certainty = {
        a.question_id: a.certainty for a in services.learning.answers_for_results(player.view.attempt_id)
    }
    assert (certainty[wrong[0]], certainty[wrong[1]]) == ("not_sure", "sure")
    assert results.missed_ids[:2] == [wrong[1], wrong[0]], "the confidently wrong answer is listed first"
    texts = [label.text() for label in results.findChildren(type(results.headline))]
    assert any(text.startswith("You were sure of this one") for text in texts)


def test_with_certainty_switched_off_enter_submits_at_once(qtbot: QtBot, services: AppServices) -> None:
    services.config.values["learning.ask_certainty"] = False
    window = open_window(qtbot, services)
    window.open_module(MODULE)
    player = window.player
    assert player is not None
    keys = Keyboard(qtbot)
    for _ in range(len(player.view.module.cards)):
        keys.press(Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: player.question is not None and player.question.first_option.hasFocus())
    keys.pick_right_answer(player)
    keys.press(Qt.Key.Key_Return)
    assert player.question is not None and player.question.answered
    assert player.question.certainty_prompt is None
