"""The learner's app driven the way a person does: keyboard only, offscreen Qt."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from microlearn.services.startup import AppServices, start_services
from microlearn.settings.paths import resolve_paths
from tests.support.gui_driver import answer_current, controls, digit_key, open_window, press, walk_module  # noqa: F401

pytestmark = pytest.mark.gui


@pytest.fixture
def services() -> Iterator[AppServices]:
    services = start_services(resolve_paths())
    yield services
    services.close()


def test_complete_a_module_by_keyboard_alone(qtbot: QtBot, services: AppServices) -> None:
    window = open_window(qtbot, services)
    assert window.today.first_button is not None and window.today.first_button.hasFocus()
    press(qtbot, Qt.Key.Key_Space)
    assert window.player is not None
    module_id = window.player.view.module.id
    qtbot.waitUntil(window.player.next_button.hasFocus)
    results = walk_module(qtbot, window, right=True)
    assert "You passed" in results.headline.text()
    statuses = {m.id: m.status.value for t in services.catalog.library() for m in t.modules}
    assert statuses[module_id] == "done"
    assert "waiting to sync" in window.sync_status.text()


def test_fail_then_retry_draws_a_fresh_attempt(qtbot: QtBot, services: AppServices) -> None:
    window = open_window(qtbot, services)
    press(qtbot, Qt.Key.Key_Space)
    assert window.player is not None
    first_registration = window.player.view.registration
    module_id = window.player.view.module.id
    results = walk_module(qtbot, window, right=False)
    assert "Not passed yet" in results.headline.text()
    qtbot.waitUntil(results.retry_button.hasFocus)
    statuses = {m.id: m.status.value for t in services.catalog.library() for m in t.modules}
    assert statuses[module_id] == "not passed yet"
    press(qtbot, Qt.Key.Key_Return)
    assert window.player is not None
    qtbot.waitUntil(window.player.skip_button.hasFocus)  # the lessons were seen: it offers the check
    assert window.player.view.registration != first_registration
    assert window.player.view.card_index == 0
    results = walk_module(qtbot, window, right=True)
    assert "You passed" in results.headline.text()


def test_quit_mid_module_and_resume_at_the_same_card(qtbot: QtBot, services: AppServices) -> None:
    window = open_window(qtbot, services)
    press(qtbot, Qt.Key.Key_Space)
    player = window.player
    assert player is not None
    qtbot.waitUntil(player.next_button.hasFocus)
    for _ in range(3):
        press(qtbot, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert player.view.card_index == 3
    drawn = player.view.drawn
    window.close()
    services.close()

    again = start_services(resolve_paths())
    try:
        window = open_window(qtbot, again)
        continue_card = window.today.first_button
        assert continue_card is not None and "Continue" in continue_card.text()
        press(qtbot, Qt.Key.Key_Space)
        assert window.player is not None
        assert window.player.view.card_index == 3
        assert window.player.view.drawn == drawn
        assert "Card 4 of" in window.player.position_label.text()
    finally:
        window.close()
        again.close()


def test_every_control_has_an_accessible_name(qtbot: QtBot, services: AppServices) -> None:
    window = open_window(qtbot, services)
    screens = []
    for row in range(window.navigation.count()):
        window.navigation.setCurrentRow(row)
        screens.append(window.stack.currentWidget())
    window.open_module("data-privacy-and-security")
    assert window.player is not None
    screens.append(window.player)
    window.player.go_next()
    screens.append(window.player)
    unnamed = [
        f"{type(w).__name__} {getattr(w, 'text', lambda: '')()!r}"
        for screen in screens
        for w in controls(screen)
        if not w.accessibleName()
    ]
    assert not unnamed, unnamed
    assert window.navigation.accessibleName()


def test_text_size_setting_changes_the_font_and_is_remembered(qtbot: QtBot, services: AppServices) -> None:
    from microlearn.settings.config import load_config, save_user_setting

    paths = resolve_paths()
    save_user_setting(paths, "display.font_size", 16)
    assert load_config(paths).get("display.font_size") == 16
    window = open_window(qtbot, services)
    window.settings.show_config(load_config(paths))
    assert window.settings.font_size.currentData() == 16


def test_dark_scheme_gives_a_dark_window_and_light_text(qtbot: QtBot) -> None:
    from microlearn.ui.theme import apply_theme

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    base = app.font()
    try:
        apply_theme(app, "dark", 14, base)
        palette = app.palette()
        assert palette.window().color().lightness() < 80
        assert palette.text().color().lightness() > 180
        assert app.font().pointSize() == 14
    finally:
        apply_theme(app, "light", 0, base)
    assert app.palette().window().color().lightness() > 180
