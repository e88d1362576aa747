"""When the window first paints, and when it first paints with the learner's data.

The app starts the store only after the first paint (so the window appears quickly), and
the start-up bench and the self-test wait for the paint that shows data.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QWidget


class PaintWatch(QObject):
    painted = Signal()  # the first paint
    data_shown = Signal()  # the first paint after expect_data()

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._painted_once = False
        self._waiting_for_data_paint = False
        window.installEventFilter(self)

    def expect_data(self) -> None:
        """The data is in the widgets: report the next paint as the one that shows it."""
        self._waiting_for_data_paint = True
        self._window.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt naming)
        if watched is self._window and event.type() in (QEvent.Type.Paint, QEvent.Type.UpdateRequest):
            if not self._painted_once:
                self._painted_once = True
                self.painted.emit()
            elif self._waiting_for_data_paint:
                self._waiting_for_data_paint = False
                self.data_shown.emit()
        return False
