"""Building blocks every screen uses: a page with a title, labelled buttons, card frames."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget


def focus_soon(widget: QWidget) -> None:
    """Give keyboard focus once the widget is on screen (focus on a hidden widget is lost)."""
    QTimer.singleShot(0, widget, lambda: widget.setFocus(Qt.FocusReason.OtherFocusReason))


def label(text: str, role: str | None = None, wrap: bool = True) -> QLabel:
    widget = QLabel(text)
    widget.setWordWrap(wrap)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    if role:
        widget.setProperty("role", role)
    return widget


def selectable(widget: QLabel) -> QLabel:
    """Let the learner select (and copy) a label's text, e.g. a folder to tell IT about."""
    widget.setTextInteractionFlags(
        widget.textInteractionFlags() | widget.textInteractionFlags().TextSelectableByMouse
    )
    return widget


def clear_layout(layout: QVBoxLayout) -> None:
    """Remove and delete every widget in ``layout``, to fill it afresh."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.deleteLater()


class ActionButton(QPushButton):
    """A push button that Enter and Return press when it has the focus, as Space does.

    Outside a dialog Qt lets only a default button answer Enter, so a keyboard user on
    "Start", "Save and exit" or "Back" pressed Enter and nothing happened.
    """

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt naming)
        plain = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier == Qt.KeyboardModifier.NoModifier
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain and not event.isAutoRepeat():
            if self.isEnabled():
                self.click()
            return
        super().keyPressEvent(event)


def button(text: str, accessible_name: str | None = None, primary: bool = False) -> QPushButton:
    widget = ActionButton(text)
    widget.setAccessibleName(accessible_name or text.replace("&", ""))
    widget.setCursor(Qt.CursorShape.PointingHandCursor)
    widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    if primary:
        widget.setProperty("role", "primary")
        widget.setAutoDefault(True)
    return widget


def card_frame() -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setProperty("role", "card")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(18, 14, 18, 14)
    layout.setSpacing(8)
    return frame, layout


def module_card(
    title: str,
    status: str,
    lines: Sequence[tuple[str, str | None]],
    action: str,
    name: str,
    *,
    primary: bool = False,
) -> tuple[QFrame, QPushButton]:
    """A module as Today and the Library show it: its title and status, ``lines`` of
    (text, role), then its button ("Start", "Continue", …). ``name`` is the module's title,
    for screen readers."""
    frame, box = card_frame()
    header = QHBoxLayout()
    header.addWidget(label(title, "subtitle"), 1)
    header.addWidget(label(status, "status", wrap=False))
    box.addLayout(header)
    for text, role in lines:
        box.addWidget(label(text, role))
    go = button(action, f"{action}: {name}", primary=primary)
    row = QHBoxLayout()
    row.addWidget(go)
    row.addStretch(1)
    box.addLayout(row)
    frame.setAccessibleName(name)
    return frame, go


class Page(QScrollArea):
    """A scrollable page with a title, readable at 1366×768 and at large font sizes.

    ``reset()`` replaces the whole body, so a refresh never leaves old widgets behind.
    """

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Page")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # Not a Tab stop (it showed no focus, and a screen reader heard a nameless "filler"):
        # Page Up / Page Down still scroll it, passed up from the focused control inside.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._title_text = title
        self.reset(title)

    def reset(self, title: str | None = None) -> None:
        inner = QWidget()
        inner.setObjectName("PageBody")
        self.body = QVBoxLayout(inner)
        self.body.setContentsMargins(32, 24, 32, 24)
        self.body.setSpacing(14)
        self.title = label(title or self._title_text, "title")
        self.body.addWidget(self.title)
        old = self.takeWidget()
        self.setWidget(inner)
        if old is not None:
            old.deleteLater()

    def clear_below_title(self) -> None:
        self.reset(self.title.text())
