"""Keyboard alone: the real window driven by key presses only, the presses counted.

One key per act: a number key picks an option (wherever the focus is), Enter checks the
answer, Enter moves on. No Tab is needed anywhere on the way through a module.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication
from pytestqt.qtbot import QtBot

from microlearn.domain.attempt import Phase
from microlearn.services.learning import LearningService
from microlearn.services.startup import AppServices, start_services
from microlearn.settings.paths import resolve_paths
from microlearn.ui.main_window import MainWindow
from microlearn.ui.markdown_view import MarkdownView
from microlearn.ui.player_page import PlayerPage
from tests.support.gui_driver import Keyboard, digit_key, open_window, picks_for

pytestmark = pytest.mark.gui

MODULE = "how-data-flows"  # 7 cards, 6 of them with an inline check, 7 questions drawn
# One more key per knowledge-check question where "How sure are you?" is asked (7 drawn).
KEY_BUDGET = 52


@pytest.fixture
def services() -> Iterator[AppServices]:
    services = start_services(resolve_paths())
    # The same draw on every run, so the number of picks (multiple-choice questions take one
    # per right option) and with it the key count does not vary from run to run.
    services.learning = LearningService(services.store, services.config, rng=random.Random(7))
    yield services
    services.close()


def open_by_keyboard(qtbot: QtBot, window: MainWindow, keys: Keyboard, title: str) -> PlayerPage:
    """From the Library, Tab to the module's button and press Enter."""
    keys.press(Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # the Library
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.library)
    for _ in range(60):
        focused = QApplication.focusWidget()
        if isinstance(focused, QAbstractButton) and focused.accessibleName().endswith(f": {title}"):
            break
        keys.press(Qt.Key.Key_Tab)
    else:
        pytest.fail(f"Tab never reached the button of {title}")
    keys.press(Qt.Key.Key_Return)
    player = window.player
    assert player is not None and player.view.module.id == MODULE
    qtbot.waitUntil(lambda: player.next_button.hasFocus() or player.skip_button.hasFocus())
    return player


def test_a_module_with_every_check_done_takes_at_most_45_keys(qtbot: QtBot, services: AppServices) -> None:
    window = open_window(qtbot, services)
    keys = Keyboard(qtbot)
    title = next(m.title for t in services.catalog.library() for m in t.modules if m.id == MODULE)
    player = open_by_keyboard(qtbot, window, keys, title)
    module = player.view.module
    assert (len(module.cards), sum(c.check is not None for c in module.cards), module.draw) == (7, 6, 7)

    keys.count = 0  # the module itself, from its first card to the results
    acts = 0
    checks = 0
    while player.view.phase is Phase.LESSONS:
        if player.question is not None:
            acts += picks_for(player) + 1
            keys.pick_right_answer(player)  # no Tab first: the focus is on Next
            keys.press(Qt.Key.Key_Return)  # check it
            assert player.question.verdict.text().startswith("✓"), "Enter did not check the answer"
            assert player.next_button.hasFocus(), "after a check, the focus belongs on Next"
            checks += 1
        card = player.view.card_index
        acts += 1
        keys.press(Qt.Key.Key_Return)  # move on
        assert player.view.card_index == card + 1 or player.view.phase is Phase.CHECK
    assert checks == 6
    while window.player is not None:
        qtbot.waitUntil(lambda: player.question is not None and player.question.first_option.hasFocus())
        acts += picks_for(player) + 2 + (1 if player.question.certainty_prompt is not None else 0)
        keys.pick_right_answer(player)
        keys.submit(player)  # submit, and how sure
        assert player.question is not None and player.question.answered
        keys.press(Qt.Key.Key_Return)  # next question, or the results
    results = window.results
    assert results is not None and "You passed" in results.headline.text()
    assert keys.count == acts, f"{keys.count} keys for {acts} acts: some act took more than one key"
    assert keys.count <= KEY_BUDGET, f"{keys.count} keys to finish the module (budget {KEY_BUDGET})"


def test_a_retry_goes_to_the_fresh_questions_without_paging_the_cards(
    qtbot: QtBot, services: AppServices
) -> None:
    window = open_window(qtbot, services)
    keys = Keyboard(qtbot)
    title = next(m.title for t in services.catalog.library() for m in t.modules if m.id == MODULE)
    player = open_by_keyboard(qtbot, window, keys, title)
    assert not player.skip_button.isVisible(), "a first attempt must go through the cards"
    for _ in range(len(player.view.module.cards)):
        keys.press(Qt.Key.Key_Return)
    assert player.view.phase is Phase.CHECK
    while window.player is not None:
        qtbot.waitUntil(lambda: player.question is not None and player.question.first_option.hasFocus())
        keys.pick_wrong_answer(player)
        keys.submit(player)
        keys.press(Qt.Key.Key_Return)
    results = window.results
    assert results is not None and "Not passed yet" in results.headline.text()
    qtbot.waitUntil(results.retry_button.hasFocus)

    keys.count = 0
    keys.press(Qt.Key.Key_Return)  # Try again
    retry = window.player
    assert retry is not None and retry.view.card_index == 0 and retry.view.number == 2
    qtbot.waitUntil(retry.skip_button.hasFocus)
    keys.press(Qt.Key.Key_Return)  # Go to the knowledge check
    assert retry.view.phase is Phase.CHECK and retry.view.check_index == 0
    assert keys.count == 2
    qtbot.waitUntil(lambda: retry.question is not None and retry.question.first_option.hasFocus())
    while window.player is not None:
        qtbot.waitUntil(lambda: retry.question is not None and retry.question.first_option.hasFocus())
        keys.pick_right_answer(retry)
        keys.submit(retry)
        keys.press(Qt.Key.Key_Return)
    assert window.results is not None and "You passed" in window.results.headline.text()


def test_number_keys_pick_an_option_on_a_lesson_card_without_tabbing(
    qtbot: QtBot, services: AppServices
) -> None:
    window = open_window(qtbot, services)
    window.open_module(MODULE)
    player = window.player
    assert player is not None and player.question is not None
    qtbot.waitUntil(player.next_button.hasFocus)
    keys = Keyboard(qtbot)
    keys.press(digit_key(2))
    second = list(player.question.option_buttons.values())[1]
    assert second.isChecked() and second.hasFocus()
    keys.press(digit_key(9))  # no such option: nothing changes
    assert second.isChecked() and player.view.card_index == 0


def test_every_tab_stop_on_a_lesson_card_is_a_visible_named_control(
    qtbot: QtBot, services: AppServices
) -> None:
    window = open_window(qtbot, services)
    window.open_module(MODULE)
    player = window.player
    assert player is not None
    qtbot.waitUntil(player.next_button.hasFocus)
    keys = Keyboard(qtbot)
    stops = []
    for _ in range(30):  # round the whole Tab chain, back to Next
        keys.press(Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        assert focused is not None
        if focused is player.next_button:
            break
        stops.append(focused)
    else:
        pytest.fail("Tab never came back to Next")
    invisible = [
        f"{type(w).__name__} {w.accessibleName()!r}"
        for w in stops
        if not isinstance(w, (QAbstractButton, MarkdownView)) or not w.isVisible() or not w.accessibleName()
    ]
    assert not invisible, invisible
    assert player.exit_button in stops and player.question is not None
    assert player.question.first_option in stops


def test_enter_presses_whichever_button_has_the_focus(qtbot: QtBot, services: AppServices) -> None:
    window = open_window(qtbot, services)
    keys = Keyboard(qtbot)
    # "Start" on the second module of Today (not the default button).
    today_buttons = [
        b
        for b in window.today.findChildren(QAbstractButton)
        if b.isVisible() and b is not window.today.first_button
    ]
    second = next(b for b in today_buttons if ":" in b.accessibleName())
    second.setFocus()
    keys.press(Qt.Key.Key_Return)
    player = window.player
    assert player is not None and player.view.module.title == second.accessibleName().split(": ", 1)[1]
    # "Back" on the second card.
    keys.press(Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert player.view.card_index == 1
    player.back_button.setFocus()
    keys.press(Qt.Key.Key_Return)
    assert player.view.card_index == 0
    # "Save and exit".
    player.exit_button.setFocus()
    keys.press(Qt.Key.Key_Return)
    assert window.player is None and window.stack.currentWidget() is window.today


def test_after_back_to_today_the_focus_is_on_the_first_action(qtbot: QtBot, services: AppServices) -> None:
    window = open_window(qtbot, services)
    window.open_module(MODULE)
    player = window.player
    assert player is not None
    keys = Keyboard(qtbot)
    for _ in range(len(player.view.module.cards)):
        keys.press(Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert player.view.phase is Phase.CHECK
    while window.player is not None:
        qtbot.waitUntil(lambda: player.question is not None and player.question.first_option.hasFocus())
        keys.pick_right_answer(player)
        keys.submit(player)
        keys.press(Qt.Key.Key_Return)
    results = window.results
    assert results is not None
    qtbot.waitUntil(results.today_button.hasFocus)
    keys.press(Qt.Key.Key_Return)  # Back to Today
    assert window.stack.currentWidget() is window.today
    first = window.today.first_button
    assert first is not None
    qtbot.waitUntil(first.hasFocus)
    assert not window.navigation.hasFocus()


def test_page_down_scrolls_the_page_from_the_focused_button(qtbot: QtBot, services: AppServices) -> None:
    # The pages are no Tab stops of their own, so Page Down must reach them from a control.
    window = open_window(qtbot, services)
    keys = Keyboard(qtbot)
    keys.press(Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # the Library: longer than the window
    keys.press(Qt.Key.Key_Tab)
    assert isinstance(QApplication.focusWidget(), QAbstractButton)
    library_scroll = window.library.verticalScrollBar()
    qtbot.waitUntil(lambda: library_scroll.maximum() > 0)
    before = library_scroll.value()
    keys.press(Qt.Key.Key_PageDown)
    assert library_scroll.value() > before

    window.open_module(MODULE)
    player = window.player
    assert player is not None
    player.scroll_area.setMaximumHeight(250)  # as on a small screen: the card is taller than that
    qtbot.waitUntil(player.next_button.hasFocus)
    card_scroll = player.scroll_area.verticalScrollBar()
    qtbot.waitUntil(lambda: card_scroll.maximum() > 0)
    keys.press(Qt.Key.Key_PageDown)
    assert card_scroll.value() > 0
    keys.press(Qt.Key.Key_PageUp)
    assert card_scroll.value() == 0
