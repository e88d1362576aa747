"""Reminders while the app runs: a tray icon, and at most one notification a day.

The decision and its record are the reminder service's, run off the GUI thread; this module
only shows the result. Where the desktop has no tray, the reminder goes to the status bar, so
the learner still hears of it while the window is open.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QStyle, QSystemTrayIcon, QWidget

from microlearn.services.reminders import Reminder
from microlearn.ui.due_card import short_date
from microlearn.ui.tasks import TaskRunner
from microlearn.ui.translation import args, translate

if TYPE_CHECKING:
    from microlearn.services.startup import AppServices

CHECK_EVERY_MS = 60 * 60 * 1000  # hourly: a window left open overnight reminds the next day


def reminder_text(reminder: Reminder) -> str:
    parts = []
    if reminder.overdue:
        parts.append(translate("Reminders", "%n module(s) overdue", None, reminder.overdue))
    if reminder.due_soon:
        parts.append(translate("Reminders", "%n module(s) due this week", None, reminder.due_soon))
    text = " · ".join(parts)
    if reminder.next_due is not None:
        text = args(translate("Reminders", "%1 · next due %2"), text, short_date(reminder.next_due))
    return text


class Reminders(QObject):
    """``show_in_window``: where the reminder goes without a system tray (the status bar)."""

    def __init__(self, window: QWidget, show_in_window: Callable[[str], None]) -> None:
        super().__init__(window)
        self._window = window
        self._show_in_window = show_in_window
        self._worker = TaskRunner(self)
        self._services: AppServices | None = None
        self.shown: list[str] = []  # what was shown while the app ran, newest last
        self.tray: QSystemTrayIcon | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_EVERY_MS)
        self._timer.timeout.connect(self.check)

    def start(self, services: AppServices) -> None:
        self._services = services
        if not services.config.get("reminders.enabled"):
            return  # the policy turned reminders off: no icon, no notification
        if QSystemTrayIcon.isSystemTrayAvailable() and self.tray is None:
            icon = QApplication.windowIcon()
            if icon.isNull():  # a tray icon without a picture is never shown: the style's own
                icon = QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)
            self.tray = QSystemTrayIcon(icon, self)
            self.tray.setToolTip(translate("Reminders", "Microlearn"))
            self.tray.activated.connect(self._bring_window)
            self.tray.show()
        self._timer.start()
        self.check()

    def check(self) -> None:
        services = self._services
        if services is not None:
            self._worker.run(services.reminders.check, self._show)

    def _show(self, reminder: Reminder | None) -> None:
        if reminder is None:
            return
        text = reminder_text(reminder)
        self.shown.append(text)
        title = translate("Reminders", "Learning due")
        if self.tray is not None and QSystemTrayIcon.supportsMessages():
            self.tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information)
        else:
            self._show_in_window(args(translate("Reminders", "%1: %2"), title, text))

    def _bring_window(self, _reason: QSystemTrayIcon.ActivationReason) -> None:
        self._window.showNormal()
        self._window.raise_()
        self._window.activateWindow()
