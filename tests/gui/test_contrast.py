"""WCAG 2.2 AA contrast, measured on the rendered window in every colour scheme.

Nothing here reads the theme's colours: each check grabs the real widgets as painted and
samples pixels — the darkest or lightest pixel of the text against its background, the focus
ring against what surrounds the control, a disabled button against the same button enabled.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QStyle, QWidget
from pytestqt.qtbot import QtBot

from microlearn.domain.attempt import Phase
from microlearn.services.startup import AppServices, start_services
from microlearn.settings.paths import resolve_paths
from microlearn.ui.main_window import MainWindow
from microlearn.ui.player_page import PlayerPage
from microlearn.ui.theme import apply_theme
from tests.support.gui_driver import open_window, press

pytestmark = pytest.mark.gui

SCHEMES = ("light", "dark", "high-contrast")
TEXT = 4.5  # WCAG 1.4.3, normal-size text
NON_TEXT = 3.0  # WCAG 1.4.11: control boundaries and focus indicators


def luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())
    )


def ratio(a: QColor, b: QColor) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def distance(a: QColor, b: QColor) -> float:
    return float(
        ((a.red() - b.red()) ** 2 + (a.green() - b.green()) ** 2 + (a.blue() - b.blue()) ** 2) ** 0.5
    )


def pixels(image: QImage, area: QRect | None = None) -> list[QColor]:
    area = area or image.rect()
    return [
        image.pixelColor(x, y)
        for y in range(max(area.top(), 0), min(area.bottom() + 1, image.height()))
        for x in range(max(area.left(), 0), min(area.right() + 1, image.width()))
    ]


def text_contrast(widget: QWidget, skip_left: int = 0) -> float:
    """The contrast of the widget's text: its most common colour is the background, and the
    pixel furthest from it is the core of a glyph."""
    image = widget.grab().toImage()
    area = image.rect().adjusted(skip_left, 0, 0, 0)
    colours = pixels(image, area)
    background = QColor(Counter(c.rgb() for c in colours).most_common(1)[0][0])
    return max(ratio(c, background) for c in colours)


def window_image(window: QWidget) -> QImage:
    QApplication.processEvents()
    return window.grab().toImage()


def rect_in(window: QWidget, widget: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def edge_and_outside(window: QWidget, widget: QWidget, row: int | None = None) -> tuple[QColor, QColor, int]:
    """The pixel on the middle of the widget's top edge where a border or ring is painted (of
    its top three rows, the one standing out most, unless ``row`` is given), the one just above
    it, outside the control, and the row used."""
    image = window_image(window)
    rect = rect_in(window, widget)
    x = rect.center().x()
    outside = image.pixelColor(x, rect.top() - 2)
    if row is None:
        row = max(range(3), key=lambda r: ratio(image.pixelColor(x, rect.top() + r), outside))
    return image.pixelColor(x, rect.top() + row), outside, row


def inner_fill(window: QWidget, button: QWidget) -> QColor:
    """A pixel inside the button, left of its text: the button's fill."""
    image = window_image(window)
    rect = rect_in(window, button)
    return image.pixelColor(rect.left() + 5, rect.center().y())


@pytest.fixture
def services() -> Iterator[AppServices]:
    services = start_services(resolve_paths())
    yield services
    services.close()


@pytest.fixture(params=SCHEMES)
def scheme(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    base = qapp.font()
    apply_theme(qapp, request.param, 0, base)
    yield str(request.param)
    apply_theme(qapp, "light", 0, base)


def open_player(qtbot: QtBot, services: AppServices) -> tuple[MainWindow, PlayerPage]:
    window = open_window(qtbot, services)
    press(qtbot, Qt.Key.Key_Space)
    player = window.player
    assert player is not None
    return window, player


def to_first_inline_check(player: PlayerPage) -> None:
    while player.question is None:
        player.go_next()
        assert player.view.phase is Phase.LESSONS, "the module has no inline check"


def to_knowledge_check(qtbot: QtBot, player: PlayerPage) -> None:
    while player.view.phase is Phase.LESSONS:
        player.go_next()
    question = player.question
    assert question is not None
    qtbot.waitUntil(question.first_option.hasFocus)  # the page gives focus once it is shown


def indicator_area(option: QAbstractButton) -> int:
    kind = QStyle.PixelMetric.PM_ExclusiveIndicatorWidth
    return option.style().pixelMetric(kind, None, option) + 12


def pick(qtbot: QtBot, option: QAbstractButton) -> None:
    option.setChecked(True)
    qtbot.waitUntil(lambda: option.isChecked())


def test_text_is_at_least_4_5_to_1(qtbot: QtBot, services: AppServices, scheme: str) -> None:
    _window, player = open_player(qtbot, services)
    to_knowledge_check(qtbot, player)
    question = player.question
    assert question is not None
    wrong = next(o for o in question.option_buttons if o not in question.question.correct_ids)
    pick(qtbot, question.option_buttons[wrong])
    question.submit.click()
    if question.certainty_prompt is not None:  # "How sure are you?" comes first
        question.certainty_prompt.pick(3)
    qtbot.waitUntil(lambda: question.answered)
    QApplication.processEvents()
    labels = [w for w in player.findChildren(QLabel) if w.isVisible() and w.text().strip()]
    assert len(labels) >= 5  # the hint, the prompt, the verdict, the explanation, the notes…
    low = {w.text()[:40]: round(text_contrast(w), 2) for w in labels if text_contrast(w) < TEXT}
    assert not low, f"{scheme}: text below {TEXT}:1: {low}"
    # The learner's own (now locked) answer stays as readable as the rest.
    options = list(question.option_buttons.values())
    assert all(not o.isEnabled() for o in options)
    low = {o.text()[:40]: round(c, 2) for o in options if (c := text_contrast(o, indicator_area(o))) < TEXT}
    assert not low, f"{scheme}: answered options below {TEXT}:1: {low}"
    for button in (player.next_button, player.exit_button):
        assert text_contrast(button) >= TEXT, f"{scheme}: {button.text()!r}"


def test_text_on_today_is_at_least_4_5_to_1(qtbot: QtBot, services: AppServices, scheme: str) -> None:
    window = open_window(qtbot, services)
    QApplication.processEvents()
    shown = [w for w in window.findChildren(QLabel) if w.isVisible() and w.text().strip()]
    shown += [w for w in window.findChildren(QAbstractButton) if w.isVisible() and w.text().strip()]
    assert len(shown) >= 10  # module titles, their status and minutes, the buttons, the status bar…
    low = {w.text()[:40]: round(c, 2) for w in shown if (c := text_contrast(w)) < TEXT}
    assert not low, f"{scheme}: text below {TEXT}:1 on Today: {low}"


def test_focus_ring_stands_out_from_its_surroundings(
    qtbot: QtBot, services: AppServices, scheme: str
) -> None:
    window, player = open_player(qtbot, services)
    to_knowledge_check(qtbot, player)
    question = player.question
    assert question is not None
    option = question.first_option
    pick(qtbot, question.option_buttons[list(question.option_buttons)[1]])
    targets = (option, question.submit, player.exit_button)
    for index, target in enumerate(targets):
        other = targets[index - 1]  # focused afterwards, for the same pixels unfocused
        target.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.waitUntil(target.hasFocus)
        ring, outside, row = edge_and_outside(window, target)
        other.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.waitUntil(other.hasFocus)
        unfocused, _, _ = edge_and_outside(window, target, row)
        name = target.text()[:30]
        assert ratio(ring, outside) >= NON_TEXT, (
            f"{scheme}: focus ring on {name!r} is {ratio(ring, outside):.2f}:1"
        )
        assert distance(ring, unfocused) >= 100, f"{scheme}: {name!r} looks the same focused and not"


def test_control_boundaries_are_at_least_3_to_1(qtbot: QtBot, services: AppServices, scheme: str) -> None:
    window, player = open_player(qtbot, services)
    to_knowledge_check(qtbot, player)
    question = player.question
    assert question is not None
    player.next_button.setFocus()
    edge, outside, _ = edge_and_outside(window, player.exit_button)
    assert ratio(edge, outside) >= NON_TEXT, f"{scheme}: button outline {ratio(edge, outside):.2f}:1"
    # The option's mark (the circle): its outline against the card it sits on.
    option = question.first_option
    image = option.grab().toImage()
    mark = QRect(0, 0, indicator_area(option) - 8, image.height())
    colours = pixels(image, mark)
    background = QColor(Counter(c.rgb() for c in colours).most_common(1)[0][0])
    best = max(ratio(c, background) for c in colours)
    assert best >= NON_TEXT, f"{scheme}: the option's mark is {best:.2f}:1 against the card"


def test_disabled_buttons_look_disabled(qtbot: QtBot, services: AppServices, scheme: str) -> None:
    window, player = open_player(qtbot, services)
    to_first_inline_check(player)
    inline = player.question
    assert inline is not None
    seen: dict[str, tuple[QColor, QColor]] = {}
    assert not inline.submit.isEnabled()
    before = inner_fill(window, inline.submit)
    pick(qtbot, inline.first_option)
    assert inline.submit.isEnabled()
    seen[inline.submit.text()] = (before, inner_fill(window, inline.submit))

    to_knowledge_check(qtbot, player)
    question = player.question
    assert question is not None
    assert not question.submit.isEnabled() and not player.next_button.isEnabled()
    submit_before, next_before = inner_fill(window, question.submit), inner_fill(window, player.next_button)
    pick(qtbot, question.first_option)
    seen[question.submit.text()] = (submit_before, inner_fill(window, question.submit))
    question.submit.click()
    if question.certainty_prompt is not None:  # "How sure are you?" comes first
        question.certainty_prompt.pick(3)
    qtbot.waitUntil(player.next_button.isEnabled)
    seen[player.next_button.text()] = (next_before, inner_fill(window, player.next_button))
    assert set(seen) == {"Check my answer", "Submit answer", "Next question →"}
    for name, (disabled, enabled) in seen.items():
        assert ratio(disabled, enabled) >= NON_TEXT, f"{scheme}: {name!r} looks the same disabled and enabled"
