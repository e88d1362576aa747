"""The status bar: where sync stands, a link to its details, and passing messages."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QStatusBar

from microlearn.ui.page import ActionButton

MESSAGE_MS = 10_000  # how long a passing message stays


class StatusBar:
    def __init__(self, bar: QStatusBar) -> None:
        self._bar = bar
        self.sync_status = QLabel("Starting…")
        self.sync_status.setAccessibleDescription("Sync status")  # the name is what it says
        bar.addPermanentWidget(self.sync_status)
        self.details_link: QPushButton | None = None  # once there is a central record to sync with

    def show_status(self, text: str) -> None:
        self.sync_status.setText(text)

    def show_message(self, text: str) -> None:
        self._bar.showMessage(text, MESSAGE_MS)

    def add_details_link(self) -> QPushButton:
        link = ActionButton("Sync details")
        link.setFlat(True)
        link.setAccessibleName("See sync details")
        link.setToolTip("Every result kept for the central record, and where it stands")
        link.setCursor(Qt.CursorShape.PointingHandCursor)
        self._bar.addPermanentWidget(link)
        self.details_link = link
        return link
