"""Today's "what is due, by when": overdue first, then due soon, then the rest, and the totals.

Its own module so Today's page keeps to its layout; the words are Qt's translation, the dates
QLocale's ("Overdue since 1 Dec", "Due in 3 days", "next due 15 Jan").
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, QLocale
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from microlearn.domain.due_dates import DueState, DueStatus
from microlearn.services.programme import AssignedModule, ProgrammeTotals, ProgrammeView
from microlearn.ui.page import button, card_frame, label
from microlearn.ui.status_text import action_word
from microlearn.ui.translation import args, translate

SHOWN = 5  # the card is a glance; the Library and Progress list everything


def short_date(day: date) -> str:
    """A day and month the learner's way ("1 Dec", "Dec 1"), with the year only when it differs."""
    locale = QLocale()
    shown = QDate(day.year, day.month, day.day)
    if day.year != date.today().year:
        return locale.toString(shown, QLocale.FormatType.ShortFormat)
    # The locale's short date without the year, so the day/month order stays the locale's.
    pattern = locale.dateFormat(QLocale.FormatType.ShortFormat)
    pattern = "MMM d" if pattern.upper().find("M") < pattern.upper().find("D") else "d MMM"
    return locale.toString(shown, pattern)


def due_words(state: DueState, today: date) -> str:
    """When an open module is due, as a learner reads it; empty when it has no date."""
    if state.due is None:
        return ""
    days = (state.due - today).days
    if state.status is DueStatus.OVERDUE:
        return args(translate("DueCard", "Overdue since %1"), short_date(state.due))
    if days == 0:
        return translate("DueCard", "Due today")
    if state.status is DueStatus.DUE_SOON:
        return translate("DueCard", "Due in %n day(s)", None, days)
    return args(translate("DueCard", "Due %1"), short_date(state.due))


def totals_words(totals: ProgrammeTotals) -> str:
    """ "4 modules left · about 60 minutes · next due 15 Jan"."""
    if totals.modules_left == 0:
        return translate("DueCard", "Everything assigned to you is done. Well done!")
    parts = [
        translate("DueCard", "%n module(s) left", None, totals.modules_left),
        translate("DueCard", "about %n minute(s)", None, totals.minutes_left),
    ]
    if totals.next_due is not None:
        parts.append(args(translate("DueCard", "next due %1"), short_date(totals.next_due)))
    return " · ".join(parts)


class DueCard:
    """Builds the card; ``buttons`` are its open-module buttons in order (the first has focus)."""

    def __init__(self, view: ProgrammeView, open_module: Callable[[str], None]) -> None:
        self.frame: QFrame
        self.totals: QLabel
        self.lines: list[QLabel] = []
        self.buttons: list[QPushButton] = []
        frame, box = card_frame()
        frame.setAccessibleName(translate("DueCard", "What is due"))
        box.addWidget(label(translate("DueCard", "What is due"), "subtitle"))
        self.totals = label(totals_words(view.totals))
        box.addWidget(self.totals)
        open_ones = [m for m in view.modules if m.state.open][:SHOWN]
        for item in open_ones:
            self._row(box, item, view.today, open_module)
        self.frame = frame

    def _row(self, box: QVBoxLayout, item: AssignedModule, today: date, go: Callable[[str], None]) -> None:
        module = item.module
        when = due_words(item.state, today)
        text = args(translate("DueCard", "%1 — %2"), module.title, when) if when else module.title
        line = label(text, "status" if item.state.status is DueStatus.OVERDUE else None)
        action = action_word(module)
        open_button = button(action, f"{action}: {module.title}")
        open_button.clicked.connect(lambda _=False, module_id=module.id: go(module_id))
        row = QHBoxLayout()
        row.addWidget(line, 1)
        row.addWidget(open_button)
        box.addLayout(row)
        self.lines.append(line)
        self.buttons.append(open_button)
