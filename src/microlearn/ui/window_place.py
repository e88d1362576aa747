"""Where the main window opens: where the learner left it, and always inside the screen's
available area (a 1366×768 laptop with a title bar and a panel has less than 1366×768)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSettings, QSize
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

PREFERRED = QSize(1280, 760)
# The title bar and borders a window manager adds; their real size is known only once shown.
FRAME_ALLOWANCE = QSize(16, 40)
SMALLEST = QSize(480, 360)  # below this the window is not usable anyway


class WindowPlace(QObject):
    """Opens ``window`` at its remembered size and place, and remembers them when it closes.

    Kept in the app's config folder as an INI file readable by the learner only.
    """

    def __init__(self, file: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.file = file

    def show(self, window: QWidget) -> None:
        settings = QSettings(str(self.file), QSettings.Format.IniFormat)
        saved = settings.value("window/geometry")
        maximized = str(settings.value("window/maximized", "false")).lower() == "true"
        wanted = saved if isinstance(saved, QRect) and saved.isValid() else None
        screen = self._screen_for(wanted)
        area = screen.availableGeometry()
        room = QSize(
            max(area.width() - FRAME_ALLOWANCE.width(), SMALLEST.width()),
            max(area.height() - FRAME_ALLOWANCE.height(), SMALLEST.height()),
        )
        window.setMinimumSize(window.minimumSize().boundedTo(room))
        size = (wanted.size() if wanted is not None else PREFERRED).boundedTo(room)
        if wanted is not None:
            left, top = wanted.left(), wanted.top()
        else:  # centred
            left = area.left() + (area.width() - size.width() - FRAME_ALLOWANCE.width()) // 2
            top = area.top() + (area.height() - size.height() - FRAME_ALLOWANCE.height()) // 2
        # Whole frame on the screen, even if the saved place was on a screen no longer there.
        right_most = area.right() + 1 - size.width() - FRAME_ALLOWANCE.width()
        bottom_most = area.bottom() + 1 - size.height() - FRAME_ALLOWANCE.height()
        window.resize(size)
        window.move(QPoint(max(area.left(), min(left, right_most)), max(area.top(), min(top, bottom_most))))
        window.installEventFilter(self)
        if maximized:
            window.showMaximized()
        else:
            window.show()

    def save(self, window: QWidget) -> None:
        maximized = window.isMaximized()
        inner = window.normalGeometry() if maximized else window.geometry()
        frame_top_left = inner.topLeft() if maximized else window.frameGeometry().topLeft()
        self.file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        settings = QSettings(str(self.file), QSettings.Format.IniFormat)
        settings.setValue("window/geometry", QRect(frame_top_left, inner.size()))
        settings.setValue("window/maximized", "true" if maximized else "false")
        settings.sync()
        if self.file.exists():
            self.file.chmod(0o600)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt naming)
        if event.type() == QEvent.Type.Close and isinstance(watched, QWidget):
            self.save(watched)
        return False

    @staticmethod
    def _screen_for(wanted: QRect | None) -> QScreen:
        if wanted is not None:
            screen = QGuiApplication.screenAt(wanted.center())
            if screen is not None:
                return screen
        return QGuiApplication.primaryScreen()
