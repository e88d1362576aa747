"""24 pt text at 1366×768: the window still fits, no label is cut off, the verdict of an
answer scrolls into view, and the option marks grow with the text."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QLabel,
    QStyle,
    QStyleOptionButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from microlearn.domain.attempt import Phase
from microlearn.services.startup import AppServices, start_services
from microlearn.settings.paths import resolve_paths
from microlearn.ui.main_window import MainWindow
from microlearn.ui.theme import apply_theme
from tests.support.gui_driver import digit_key, open_window, press

pytestmark = pytest.mark.gui

SCREEN = (1366, 768)


@pytest.fixture
def services() -> Iterator[AppServices]:
    services = start_services(resolve_paths())
    yield services
    services.close()


@pytest.fixture
def text_size(qapp: QApplication) -> Iterator[int]:
    base = qapp.font()
    apply_theme(qapp, "dark", 24, base)
    yield 24
    apply_theme(qapp, "light", 0, base)


def cut_off(root: QWidget) -> list[str]:
    """Visible labels whose text does not fit the room they were given, and views that
    scroll sideways."""
    found = []
    for widget in root.findChildren(QLabel):
        if not widget.isVisible() or not widget.text():
            continue
        if widget.wordWrap():
            needed = widget.heightForWidth(widget.width())
            if needed > widget.height() + 1:
                found.append(f"{widget.text()[:40]!r} needs {needed} px high, has {widget.height()}")
        elif widget.sizeHint().width() > widget.width() + 1:
            found.append(
                f"{widget.text()[:40]!r} needs {widget.sizeHint().width()} px wide, has {widget.width()}"
            )
    # Nothing needs scrolling sideways (pages scroll down, never across).
    for area in root.findChildren(QAbstractScrollArea):
        if area.isVisible() and area.horizontalScrollBar().isVisible():
            found.append(f"{area.accessibleName() or type(area).__name__} scrolls sideways")
    return found


def fits_on_screen(window: MainWindow) -> bool:
    small_enough = window.width() <= SCREEN[0] and window.height() <= SCREEN[1]
    return small_enough and window.minimumSizeHint().width() <= SCREEN[0]


def assert_readable(qtbot: QtBot, window: MainWindow) -> None:
    """Once the layout has settled (wrapped labels take a pass or two), everything fits."""
    with contextlib.suppress(qtbot.TimeoutError):  # the assertions below say what is wrong
        qtbot.waitUntil(lambda: fits_on_screen(window) and not cut_off(window), timeout=3000)
    assert fits_on_screen(window), (window.size(), window.minimumSizeHint())
    assert not cut_off(window), cut_off(window)


def answer_wrong_by_keyboard(qtbot: QtBot, window: MainWindow) -> None:
    player = window.player
    assert player is not None and player.question is not None
    question = player.question
    wrong = next(
        n for n, o in enumerate(question.option_buttons, 1) if o not in question.question.correct_ids
    )
    press(qtbot, digit_key(wrong))
    press(qtbot, Qt.Key.Key_Return)
    if question.asking_certainty:  # "How sure are you?": one number key answers and submits
        press(qtbot, digit_key(3))
    qtbot.waitUntil(lambda: question.verdict.isVisible())


def in_viewport(widget: QWidget, viewport: QWidget) -> bool:
    QApplication.processEvents()
    rect = QRect(widget.mapTo(viewport, QPoint(0, 0)), widget.size())
    return viewport.rect().contains(rect)


def test_24_pt_fits_and_the_verdict_scrolls_into_view(
    qtbot: QtBot, services: AppServices, text_size: int
) -> None:
    window = open_window(qtbot, services)
    assert_readable(qtbot, window)
    press(qtbot, Qt.Key.Key_Space)
    player = window.player
    assert player is not None
    while player.question is None:  # the first lesson card with a quick check
        player.go_next()
    assert_readable(qtbot, window)
    player.question.focus_first_option()
    answer_wrong_by_keyboard(qtbot, window)
    qtbot.waitUntil(lambda: in_viewport(player.question.verdict, player.scroll_area.viewport()))  # type: ignore[union-attr]

    while player.view.phase is Phase.LESSONS:
        player.go_next()
    question = player.question
    assert question is not None
    qtbot.waitUntil(question.first_option.hasFocus)
    assert_readable(qtbot, window)
    answer_wrong_by_keyboard(qtbot, window)
    viewport = player.scroll_area.viewport()
    qtbot.waitUntil(lambda: in_viewport(question.verdict, viewport))
    assert_readable(qtbot, window)


def indicator_size(option: QAbstractButton) -> int:
    style_option = QStyleOptionButton()
    style_option.initFrom(option)
    rect = option.style().subElementRect(QStyle.SubElement.SE_RadioButtonIndicator, style_option, option)
    return rect.height()


def test_option_marks_grow_with_the_text(qtbot: QtBot, qapp: QApplication, services: AppServices) -> None:
    base = qapp.font()
    sizes = {}
    try:
        window = open_window(qtbot, services)
        press(qtbot, Qt.Key.Key_Space)
        player = window.player
        assert player is not None
        while player.view.phase is Phase.LESSONS:
            player.go_next()
        for points in (10, 24):
            apply_theme(qapp, "dark", points, base)
            QApplication.processEvents()
            assert player.question is not None
            option = player.question.first_option
            sizes[points] = (indicator_size(option), option.fontMetrics().height())
    finally:
        apply_theme(qapp, "light", 0, base)
    (small, _), (large, large_text) = sizes[10], sizes[24]
    assert large >= small * 2, sizes
    assert large >= large_text * 0.8, f"the mark is {large} px beside {large_text} px text"
