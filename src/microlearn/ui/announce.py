"""Telling a screen reader what just appeared, without taking the keyboard focus there.

The verdict after an answer and the score on Results appear away from the focus (which stays
on the button a keyboard user presses next), so a screen reader would not read them by
itself. Qt 6.8 and later send an announcement (AT-SPI ``Announcement``, UIA notification,
NSAccessibility announcement); with an older Qt the label says its name changed, which most
screen readers read as a live region.
"""

from __future__ import annotations

from PySide6.QtGui import QAccessible, QAccessibleEvent
from PySide6.QtWidgets import QWidget

try:  # Qt 6.8+
    from PySide6.QtGui import QAccessibleAnnouncementEvent

    HAVE_ANNOUNCEMENTS = True
except ImportError:  # pragma: no cover - depends on the Qt release
    HAVE_ANNOUNCEMENTS = False


def announce(source: QWidget, text: str) -> None:
    """Have a screen reader say ``text`` (shown by ``source``) once, after what it is saying."""
    if not text or not QAccessible.isActive():
        return
    if HAVE_ANNOUNCEMENTS:
        event: QAccessibleEvent = QAccessibleAnnouncementEvent(source, text)
    else:  # pragma: no cover - depends on the Qt release
        event = QAccessibleEvent(source, QAccessible.Event.NameChanged)
    QAccessible.updateAccessibility(event)
