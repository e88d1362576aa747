""" "I have N minutes" on Today: 5, 10, 15 or 30 minutes, or a typed number, and the plan that fits.

Each item of the plan shows its minutes and has its own button, so one key (Enter on the
focused button, which the plan's first item takes) starts it. The plan never promises more
than the minutes given (domain/planner.py); when nothing fits, it says so.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QSpinBox, QVBoxLayout, QWidget

from microlearn.ui.page import button, card_frame, focus_soon, label
from microlearn.ui.translation import args

if TYPE_CHECKING:
    from microlearn.domain.planner import Plan, PlanItem

CHOICES = (5, 10, 15, 30)


def item_words(item: PlanItem) -> str:
    from microlearn.domain.planner import PlanKind

    minutes = QCoreApplication.translate(
        "PlannerCard", "%n minute(s)", "", max(1, math.ceil(item.minutes - 1e-9))
    )
    if item.kind is PlanKind.REVIEW:
        what = QCoreApplication.translate("PlannerCard", "Quick review: %n question(s)", "", item.steps)
    elif item.kind is PlanKind.CONTINUE:
        what = (
            args(QCoreApplication.translate("PlannerCard", "Finish “%1”"), item.title)
            if item.finishes
            else args(
                QCoreApplication.translate("PlannerCard", "Continue “%1”, %2 more steps"),
                item.title,
                str(item.steps),
            )
        )
    else:
        what = args(QCoreApplication.translate("PlannerCard", "Start “%1”"), item.title)
    return args(QCoreApplication.translate("PlannerCard", "%1 · %2"), what, minutes)


class PlannerCard(QWidget):
    """Emits ``start`` with the chosen PlanItem."""

    start = Signal(object)

    def __init__(self, plan_for: Callable[[float], Plan], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._plan_for = plan_for
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.frame: QFrame
        self.frame, box = card_frame()
        self.frame.setAccessibleName(self.tr("Plan my free minutes"))
        outer.addWidget(self.frame)
        box.addWidget(label(self.tr("How many minutes do you have?"), "subtitle"))
        row = QHBoxLayout()
        self.choice_buttons: dict[int, QPushButton] = {}
        for minutes in CHOICES:
            choice = button(self.tr("%n min", "", minutes), self.tr("I have %n minute(s)", "", minutes))
            choice.clicked.connect(lambda _=False, m=minutes: self.show_plan(m))
            self.choice_buttons[minutes] = choice
            row.addWidget(choice)
        row.addSpacing(12)
        self.typed = QSpinBox()
        self.typed.setRange(1, 240)
        self.typed.setValue(20)
        self.typed.setSuffix(self.tr(" min"))
        self.typed.setAccessibleName(self.tr("Other number of minutes"))
        self.typed.lineEdit().returnPressed.connect(lambda: self.show_plan(self.typed.value()))
        row.addWidget(self.typed)
        self.typed_button = button(self.tr("Plan"), self.tr("Plan the minutes typed"))
        self.typed_button.clicked.connect(lambda: self.show_plan(self.typed.value()))
        row.addWidget(self.typed_button)
        row.addStretch(1)
        box.addLayout(row)
        self.plan_box = QVBoxLayout()
        box.addLayout(self.plan_box)
        self.item_buttons: list[QPushButton] = []
        self.summary = label("", "muted")
        self.summary.hide()
        box.addWidget(self.summary)

    def show_plan(self, minutes: float) -> None:
        plan = self._plan_for(minutes)
        while self.plan_box.count():
            taken = self.plan_box.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.deleteLater()
        self.item_buttons = []
        for number, item in enumerate(plan.items, start=1):
            line = QWidget()
            line_row = QHBoxLayout(line)
            line_row.setContentsMargins(0, 0, 0, 0)
            words = item_words(item)
            line_row.addWidget(label(args(self.tr("%1. %2"), str(number), words)), 1)
            go = button(self.tr("Start"), args(self.tr("Start: %1"), words), primary=number == 1)
            go.clicked.connect(lambda _=False, i=item: self.start.emit(i))
            line_row.addWidget(go, 0, Qt.AlignmentFlag.AlignTop)
            self.item_buttons.append(go)
            self.plan_box.addWidget(line)
        whole = self.tr("%n minute(s)", "", max(0, math.ceil(plan.minutes - 1e-9)))
        self.summary.setText(
            args(self.tr("About %1 of your %2."), whole, self.tr("%n minute(s)", "", round(minutes)))
            if plan.items
            else self.tr("Nothing fits in that time. A card takes a minute or two: try a few more minutes.")
        )
        self.summary.show()
        focus_soon(self.item_buttons[0] if self.item_buttons else self.choice_buttons[CHOICES[-1]])
