""" "I have N minutes" on Today, by keys: the plan fits the minutes, each item says its minutes,
and one key starts the first item."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from microlearn.services.startup import AppServices, start_services
from microlearn.settings.paths import resolve_paths
from microlearn.ui.main_window import MainWindow
from microlearn.ui.planner_card import PlannerCard
from tests.support.gui_driver import Keyboard, open_window

pytestmark = pytest.mark.gui

MODULE = "how-data-flows"


@pytest.fixture
def services() -> Iterator[AppServices]:
    services = start_services(resolve_paths())
    yield services
    services.close()


def plan_lines(planner: PlannerCard) -> list[str]:
    return [
        w.text()
        for w in planner.findChildren(QLabel)
        if re.match(r"^\d+\. ", w.text()) and w.isVisibleTo(planner)
    ]


def minutes_promised(lines: list[str]) -> int:
    return sum(int(re.search(r"· (\d+) minutes?$", line).group(1)) for line in lines)  # type: ignore[union-attr]


def ask(qtbot: QtBot, window: MainWindow, keys: Keyboard, minutes: int) -> PlannerCard:
    qtbot.waitUntil(lambda: window.planner is not None)  # added once Today has painted
    planner = window.planner
    assert planner is not None
    qtbot.waitUntil(planner.choice_buttons[minutes].isVisible)
    planner.choice_buttons[minutes].setFocus()  # Tab reaches it; the count of Tabs is not the point
    keys.press(Qt.Key.Key_Return)
    qtbot.waitUntil(planner.summary.isVisible)
    return planner


def test_thirty_minutes_plans_what_fits_and_enter_starts_the_first(
    qtbot: QtBot, services: AppServices
) -> None:
    window = open_window(qtbot, services)
    keys = Keyboard(qtbot)
    planner = ask(qtbot, window, keys, 30)
    qtbot.waitUntil(lambda: bool(plan_lines(planner)))
    lines = plan_lines(planner)
    assert 0 < minutes_promised(lines) <= 30, lines
    qtbot.waitUntil(planner.item_buttons[0].hasFocus)
    first = planner.item_buttons[0].accessibleName()
    keys.press(Qt.Key.Key_Return)
    player = window.player
    assert player is not None and player.view.module.title in first


def test_five_minutes_before_any_module_promises_nothing(qtbot: QtBot, services: AppServices) -> None:
    window = open_window(qtbot, services)
    planner = ask(qtbot, window, Keyboard(qtbot), 5)
    assert plan_lines(planner) == [] and planner.item_buttons == []
    assert planner.summary.text().startswith("Nothing fits in that time.")


def test_a_typed_number_plans_the_open_module_from_where_it_stopped(
    qtbot: QtBot, services: AppServices
) -> None:
    window = open_window(qtbot, services)
    keys = Keyboard(qtbot)
    window.open_module(MODULE)
    for _ in range(3):
        keys.press(Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    window.exit_player()
    qtbot.waitUntil(lambda: window.planner is not None and window.planner.typed.isVisible())
    planner = window.planner
    assert planner is not None
    qtbot.waitUntil(planner.typed.isVisible)
    planner.typed.setFocus()
    planner.typed.selectAll()
    keys.press(Qt.Key.Key_4)
    keys.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(plan_lines(planner)))
    lines = plan_lines(planner)
    assert minutes_promised(lines) <= 4, lines
    assert lines[0].startswith("1. Continue “"), lines
    qtbot.waitUntil(planner.item_buttons[0].hasFocus)
    keys.press(Qt.Key.Key_Return)
    player = window.player
    assert player is not None and player.view.module.id == MODULE
    assert player.view.card_index == 3, "it resumes where the learner stopped"
