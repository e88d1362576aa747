"""The main window opens inside the screen's available area and where the learner left it.

The offscreen screen (800×800) is smaller than the window's preferred size, like a small
laptop with a panel: the whole window must still be on it.
"""

from __future__ import annotations

import stat

import pytest
from PySide6.QtCore import QPoint, QRect, QSettings, QSize
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from microlearn.settings.paths import resolve_paths
from microlearn.ui.main_window import MainWindow
from microlearn.ui.window_place import WindowPlace

pytestmark = pytest.mark.gui


def opened(qtbot: QtBot, place: WindowPlace, minimum: QSize | None = None) -> MainWindow:
    window = MainWindow()
    qtbot.addWidget(window)
    if minimum is not None:
        window.setMinimumSize(minimum)
    place.show(window)
    qtbot.waitExposed(window)
    return window


def available(window: QWidget) -> QRect:
    screen = window.screen()
    assert screen is not None
    return screen.availableGeometry()


def test_first_start_fits_the_available_area(qtbot: QtBot) -> None:
    place = WindowPlace(resolve_paths().config_dir / "window.ini")
    window = opened(qtbot, place)
    area = available(window)
    assert area.contains(window.frameGeometry()), (window.frameGeometry(), area)
    assert window.width() >= area.width() * 0.6, "the window should use the room it has"


def test_size_and_place_are_remembered_in_the_config_folder(qtbot: QtBot) -> None:
    paths = resolve_paths()
    place = WindowPlace(paths.config_dir / "window.ini")
    small = QSize(400, 300)  # the window's usual minimum leaves no room to move on an 800 px screen
    window = opened(qtbot, place, small)
    window.resize(620, 480)
    window.move(30, 40)
    qtbot.waitUntil(lambda: window.frameGeometry().topLeft() == QPoint(30, 40))
    window.close()  # saved as it closes
    saved = paths.config_dir / "window.ini"
    assert saved.is_file()
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    again = opened(qtbot, WindowPlace(saved), small)
    assert again.size() == QSize(620, 480)
    assert again.frameGeometry().topLeft() == QPoint(30, 40)


def test_a_place_on_a_screen_no_longer_there_is_brought_back(qtbot: QtBot) -> None:
    saved = resolve_paths().config_dir / "window.ini"
    settings = QSettings(str(saved), QSettings.Format.IniFormat)
    settings.setValue("window/geometry", QRect(2600, 1500, 1900, 1100))  # a big second monitor
    settings.sync()
    window = opened(qtbot, WindowPlace(saved))
    assert available(window).contains(window.frameGeometry()), window.frameGeometry()
