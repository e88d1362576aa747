"""High contrast, chosen in Settings by keyboard, saved, and painted: black, white and yellow."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from microlearn.services.startup import AppServices, start_services
from microlearn.settings.config import load_config, save_user_setting
from microlearn.settings.paths import resolve_paths
from microlearn.ui.theme import apply_theme
from tests.support.gui_driver import open_window, press

pytestmark = pytest.mark.gui


@pytest.fixture
def services() -> Iterator[AppServices]:
    services = start_services(resolve_paths())
    yield services
    services.close()


def test_high_contrast_is_chosen_in_settings_and_painted(
    qtbot: QtBot, qapp: QApplication, services: AppServices
) -> None:
    paths = resolve_paths()
    base = qapp.font()
    window = open_window(qtbot, services)
    window.navigation.setCurrentRow(2)
    settings = window.settings
    settings.show_config(load_config(paths))
    settings.theme.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(settings.theme.hasFocus)
    chosen: list[tuple[str, object]] = []
    window.setting_changed.connect(lambda name, value: chosen.append((name, value)))
    while settings.theme.currentText() != "High contrast":
        before = settings.theme.currentIndex()
        press(qtbot, Qt.Key.Key_Down)
        assert settings.theme.currentIndex() != before, "High contrast is not among the schemes"
    assert chosen[-1] == ("display.theme", "high-contrast")
    save_user_setting(paths, *chosen[-1])  # as the app does with every change
    try:
        apply_theme(qapp, load_config(paths).get("display.theme"), 0, base)
        window.navigation.setCurrentRow(0)
        QApplication.processEvents()
        image = window.grab().toImage()
        colours = Counter(
            image.pixel(x, y) for y in range(0, image.height(), 3) for x in range(0, image.width(), 3)
        )
        background = QColor(colours.most_common(1)[0][0])
        assert background.lightness() < 10, f"background is {background.name()}"
        seen = {QColor(rgb).name() for rgb in colours}
        assert "#ffffff" in seen, "no white text"
        assert "#ffff00" in seen, "no yellow for the primary action or the selected section"
    finally:
        apply_theme(qapp, "light", 0, base)
