"""A question's scenario fills the width of its card, on the question and on the results,
however the author broke its lines in the YAML."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from microlearn.services.startup import AppServices, start_services
from microlearn.settings.paths import resolve_paths
from tests.support.gui_driver import open_window, press

pytestmark = pytest.mark.gui


@pytest.fixture
def services() -> Iterator[AppServices]:
    services = start_services(resolve_paths())
    services.learning._rng = random.Random(7)  # the same questions drawn every run
    yield services
    services.close()


def first_line_reach(widget: QLabel) -> float:
    """How far across the label its first line of text reaches, as a share of its width."""
    image = widget.grab().toImage()
    line = widget.fontMetrics().lineSpacing()
    rows = range(0, min(line, image.height()))
    background = Counter(image.pixel(x, 0) for x in range(image.width())).most_common(1)[0][0]
    inked = [x for x in range(image.width()) if any(image.pixel(x, y) != background for y in rows)]
    return (max(inked) + 1) / widget.width() if inked else 0.0


def scenario_labels(root: QWidget, texts: set[str]) -> list[QLabel]:
    found = [w for w in root.findChildren(QLabel) if w.isVisible()]
    return [w for w in found if " ".join(w.text().split()) in texts]


def room_needed(widget: QLabel) -> float:
    """How far across its first line should reach: all the way if the text needs more than one
    line, else as far as the text is long."""
    advance = widget.fontMetrics().horizontalAdvance(" ".join(widget.text().split()))
    return min(advance / widget.width(), 1.0)


def assert_fills_its_width(widget: QLabel, where: str) -> None:
    needed, reach = room_needed(widget), first_line_reach(widget)
    assert reach >= 0.8 * needed, f"{where}, the scenario's first line ends {reach:.0%} of the way across"


def test_scenarios_wrap_at_the_width_of_their_card(qtbot: QtBot, services: AppServices) -> None:
    window = open_window(qtbot, services)
    press(qtbot, Qt.Key.Key_Space)
    player = window.player
    assert player is not None
    while player.view.phase.value == "lessons":
        player.go_next()
    scenarios = {" ".join(q.scenario.split()) for q in player.view.module.questions if q.scenario}
    checked_on_question = 0
    while window.player is not None:
        question = player.question
        assert question is not None
        QApplication.processEvents()
        for shown in scenario_labels(question, scenarios):
            checked_on_question += 1
            assert_fills_its_width(shown, "on the question")
        wrong = next(o for o in question.option_buttons.values() if not o.isChecked())
        wrong.setChecked(True)
        question.submit.click()
        if question.certainty_prompt is not None:  # "How sure are you?" comes first
            question.certainty_prompt.pick(3)
        player.go_next()
    results = window.results
    assert results is not None
    QApplication.processEvents()
    on_results = scenario_labels(results, scenarios)
    assert checked_on_question and on_results, "no scenario was drawn: pick another seed"
    for shown in on_results:
        assert room_needed(shown) > 0.5, "too short a scenario to tell"
        assert_fills_its_width(shown, "on the results")
