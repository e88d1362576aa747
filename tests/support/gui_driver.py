"""Driving the real main window as a keyboard user does: open it, press keys, walk a module."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QListWidget, QWidget
from pytestqt.qtbot import QtBot

from microlearn.domain.attempt import Phase
from microlearn.services.startup import AppServices
from microlearn.ui.main_window import MainWindow
from microlearn.ui.player_page import PlayerPage
from microlearn.ui.results_page import ResultsPage


def open_window(qtbot: QtBot, services: AppServices) -> MainWindow:
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    window.services_ready(services)
    if window.today.first_button is not None:
        qtbot.waitUntil(window.today.first_button.hasFocus)
    return window


def press(qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    target = QApplication.focusWidget()
    assert target is not None, "nothing has keyboard focus"
    qtbot.keyClick(target, key, modifier)


def digit_key(number: int) -> Qt.Key:
    return Qt.Key(Qt.Key.Key_0.value + number)


def answer_current(qtbot: QtBot, player: PlayerPage, right: bool, sure: int = 3) -> None:
    """Pick options with number keys and submit with Enter, as a keyboard user would; where
    "How sure are you?" is asked, answer it with the number key ``sure`` (3: Sure)."""
    widget = player.question
    assert widget is not None
    question = widget.question
    order = list(widget.option_buttons)
    wanted = question.correct_ids if right else {next(o for o in order if o not in question.correct_ids)}
    for number, option_id in enumerate(order, start=1):
        if option_id in wanted:
            press(qtbot, digit_key(number))
    assert widget.selected() == frozenset(wanted)
    press(qtbot, Qt.Key.Key_Return)
    if widget.asking_certainty:
        press(qtbot, digit_key(sure))


def walk_module(qtbot: QtBot, window: MainWindow, right: bool) -> ResultsPage:
    player = window.player
    assert player is not None
    while player.view.phase is Phase.LESSONS:
        if player.question is not None:
            player.question.focus_first_option()
            answer_current(qtbot, player, right=True)
            assert player.question.verdict.text().startswith("✓")
        press(qtbot, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    while window.player is not None:
        qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QAbstractButton))
        answer_current(qtbot, player, right=right)
        assert player.next_button.hasFocus(), "after answering, Enter should move on"
        press(qtbot, Qt.Key.Key_Return)
    results = window.results
    assert isinstance(results, ResultsPage)
    return results


def controls(root: QWidget) -> list[QWidget]:
    kinds = (QAbstractButton, QComboBox, QListWidget)
    return [w for w in root.findChildren(QWidget) if isinstance(w, kinds) and w.isVisibleTo(root)]


class Keyboard:
    """Key presses sent where the focus is, as a keyboard user makes them, and counted."""

    def __init__(self, qtbot: QtBot) -> None:
        self._qtbot = qtbot
        self.count = 0

    def press(self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        press(self._qtbot, key, modifier)
        self.count += 1

    def pick_right_answer(self, player: PlayerPage) -> None:
        """Number keys for the right options of the question on screen, wherever the focus is."""
        widget = player.question
        assert widget is not None
        right = widget.question.correct_ids
        for number, option_id in enumerate(widget.option_buttons, start=1):
            if option_id in right:
                self.press(digit_key(number))
        assert widget.selected() == right, "the number keys did not pick the options"

    def submit(self, player: PlayerPage, sure: int = 3) -> None:
        """Enter submits; where "How sure are you?" is asked, one number key answers it."""
        self.press(Qt.Key.Key_Return)
        if player.question is not None and player.question.asking_certainty:
            self.press(digit_key(sure))

    def pick_wrong_answer(self, player: PlayerPage) -> None:
        widget = player.question
        assert widget is not None
        order = list(widget.option_buttons)
        wrong = next(n for n, o in enumerate(order, start=1) if o not in widget.question.correct_ids)
        self.press(digit_key(wrong))
        assert not widget.question.is_correct(widget.selected())


def picks_for(player: PlayerPage) -> int:
    """How many options the question on screen needs picked to be answered right."""
    assert player.question is not None
    return len(player.question.question.correct_ids)
