"""Look and feel: Fusion, a light, dark or high-contrast scheme, and the learner's text size.

Every colour the app shows comes from one of the ``Scheme`` values below, set both as the
palette and in the style sheet, so one place decides whether WCAG 2.2 AA is met: text at least
4.5:1 against what it sits on, control boundaries and focus rings at least 3:1
(tests/gui/test_contrast.py measures the rendered pixels).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QGuiApplication, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleFactory, QStyleOption, QWidget


@dataclass(frozen=True)
class Scheme:
    """The colours of one scheme, by what they are for."""

    name: str
    window: str  # page background
    base: str  # cards, inputs
    alternate: str  # status chips, progress track
    text: str
    muted: str  # hints and secondary lines: still at least 4.5:1 on every background
    button: str
    boundary: str  # outlines of buttons, cards and option marks: at least 3:1
    accent: str  # primary buttons, the selected section, checked marks
    on_accent: str  # text on the accent
    accent_border: str  # a primary button's outline when it does not have focus
    focus: str  # the focus ring: at least 3:1 against every background it can sit on
    link: str
    disabled: str  # text of a button that cannot be used yet


LIGHT = Scheme(
    name="light",
    window="#f3f4f6",
    base="#ffffff",
    alternate="#e6e8ec",
    text="#1b1d21",
    muted="#4f555d",
    button="#e6e8ec",
    boundary="#6b7079",
    accent="#1a5fb4",
    on_accent="#ffffff",
    accent_border="#1a5fb4",
    focus="#000000",
    link="#0b4f9e",
    disabled="#5f646b",
)
DARK = Scheme(
    name="dark",
    window="#202124",
    base="#2b2c30",
    alternate="#3a3b40",
    text="#e8eaed",
    muted="#c4c7cc",
    button="#3a3b40",
    boundary="#9aa0a6",
    accent="#8ab4f8",
    on_accent="#202124",
    accent_border="#8ab4f8",
    # Amber, not white: a white ring around the light-blue primary button is hard to tell apart.
    focus="#fdd663",
    link="#8ab4f8",
    disabled="#a8acb2",
)
# After the Windows "High contrast black" theme: black, white, yellow for what is chosen and
# cyan for focus and links; every pair is at least 13:1.
HIGH_CONTRAST = Scheme(
    name="high-contrast",
    window="#000000",
    base="#000000",
    alternate="#1f1f1f",
    text="#ffffff",
    muted="#e6e6e6",
    button="#000000",
    boundary="#ffffff",
    accent="#ffff00",
    on_accent="#000000",
    # Black, so the cyan focus ring stands out against the yellow button around it.
    accent_border="#000000",
    focus="#00ffff",
    link="#00ffff",
    disabled="#b0b0b0",
)
SCHEMES = {scheme.name: scheme for scheme in (LIGHT, DARK, HIGH_CONTRAST)}

# Layout, emphasis and colours. Sizes are in points, derived from the learner's text size, since
# QSS has no "em". Borders keep one width whether focused or not (padding makes up the difference),
# so focus never moves the layout. The body size is set here too, not only as the application's
# font: widgets already styled by a sheet keep their old font when only the application's changes.
STYLE_SHEET = """
QWidget {{ font-size: {body}pt; }}
QLabel[role="title"] {{ font-size: {title}pt; font-weight: 600; }}
QLabel[role="subtitle"] {{ font-size: {subtitle}pt; font-weight: 600; }}
QLabel[role="muted"] {{ color: {s.muted}; }}
QLabel[role="status"] {{ padding: 2px 6px; border-radius: 6px; background: {s.alternate}; }}
QFrame[role="card"] {{ border: 1px solid {s.boundary}; border-radius: 10px; background: {s.base}; }}
QPushButton {{ padding: 5px 13px; border-radius: 6px; border: 2px solid {s.boundary}; background: {s.button}; color: {s.text}; }}
QPushButton[role="primary"] {{ font-weight: 600; background: {s.accent}; color: {s.on_accent}; border-color: {s.accent_border}; }}
QPushButton:focus, QPushButton[role="primary"]:focus {{ border: 3px solid {s.focus}; padding: 4px 12px; }}
QPushButton:disabled, QPushButton[role="primary"]:disabled {{ background: transparent; color: {s.disabled}; border: 2px dashed {s.boundary}; font-weight: normal; }}
QPushButton:flat {{ border-color: transparent; background: transparent; }}
QPushButton:flat:focus {{ border-color: {s.focus}; }}
QComboBox {{ padding: 4px 8px; border: 2px solid {s.boundary}; border-radius: 6px; background: {s.base}; }}
QComboBox:focus {{ border: 2px solid {s.focus}; }}
QComboBox[role="choice"] {{ padding-right: {arrow}pt; }}
QComboBox[role="choice"]::drop-down {{ border: none; width: 0; }}
QComboBox QAbstractItemView {{ background: {s.base}; selection-background-color: {s.accent}; selection-color: {s.on_accent}; }}
QListWidget#Navigation {{ outline: none; border: 2px solid transparent; background: {s.window}; font-size: {subtitle}pt; padding: 8px; }}
QListWidget#Navigation:focus {{ border: 2px solid {s.focus}; border-radius: 6px; }}
QListWidget#Navigation::item {{ padding: 10px 14px; border-radius: 6px; }}
QListWidget#Navigation::item:selected {{ background: {s.accent}; color: {s.on_accent}; }}
QRadioButton, QCheckBox {{ padding: 4px 4px; spacing: 10px; border: 2px solid transparent; border-radius: 6px; }}
QRadioButton:focus, QCheckBox:focus {{ border: 2px solid {s.focus}; }}
QRadioButton:disabled, QCheckBox:disabled {{ color: {s.text}; }}
QTextBrowser {{ border: none; background: transparent; font-size: {reading}pt; }}
QProgressBar {{ border: 1px solid {s.boundary}; background: {s.alternate}; border-radius: 4px; max-height: 8px; }}
QProgressBar::chunk {{ background: {s.accent}; border-radius: 3px; }}
QToolTip {{ color: {s.text}; background: {s.base}; border: 1px solid {s.boundary}; }}
"""


def scheme_for(choice: str) -> Scheme:
    """The learner's explicit choice wins; "system" follows the platform's contrast and
    light/dark settings where Qt can read them (Qt 6.10+ reports a high-contrast preference)."""
    if choice in SCHEMES:
        return SCHEMES[choice]
    hints = QGuiApplication.styleHints()
    if hints.accessibility().contrastPreference() == Qt.ContrastPreference.HighContrast:
        return HIGH_CONTRAST
    return DARK if hints.colorScheme() == Qt.ColorScheme.Dark else LIGHT


def _palette(scheme: Scheme) -> QPalette:
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: scheme.window,
        QPalette.ColorRole.WindowText: scheme.text,
        QPalette.ColorRole.Base: scheme.base,
        QPalette.ColorRole.AlternateBase: scheme.alternate,
        QPalette.ColorRole.Text: scheme.text,
        QPalette.ColorRole.Button: scheme.button,
        QPalette.ColorRole.ButtonText: scheme.text,
        QPalette.ColorRole.BrightText: scheme.text,
        QPalette.ColorRole.Highlight: scheme.accent,
        QPalette.ColorRole.HighlightedText: scheme.on_accent,
        QPalette.ColorRole.PlaceholderText: scheme.muted,
        QPalette.ColorRole.Light: scheme.base,
        QPalette.ColorRole.Midlight: scheme.alternate,
        QPalette.ColorRole.Mid: scheme.boundary,
        QPalette.ColorRole.Dark: scheme.boundary,
        QPalette.ColorRole.Shadow: scheme.boundary,
        QPalette.ColorRole.ToolTipBase: scheme.base,
        QPalette.ColorRole.ToolTipText: scheme.text,
        QPalette.ColorRole.Link: scheme.link,
        QPalette.ColorRole.LinkVisited: scheme.link,
    }
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))
    # Locked (answered) options and read-only fields stay readable; only buttons look disabled.
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(scheme.text))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor(scheme.disabled))
    return palette


class MarkStyle(QProxyStyle):
    """Fusion with radio and check marks drawn at the size of the text beside them, in the
    scheme's text and accent colours (Fusion's own are 13 px at any text size and nearly
    invisible on a dark background)."""

    SIZED = (
        QStyle.PixelMetric.PM_IndicatorWidth,
        QStyle.PixelMetric.PM_IndicatorHeight,
        QStyle.PixelMetric.PM_ExclusiveIndicatorWidth,
        QStyle.PixelMetric.PM_ExclusiveIndicatorHeight,
    )

    def __init__(self) -> None:
        super().__init__(QStyleFactory.create("Fusion"))

    def pixelMetric(  # noqa: N802 (Qt naming)
        self, metric: QStyle.PixelMetric, option: QStyleOption | None = None, widget: QWidget | None = None
    ) -> int:
        if metric in self.SIZED:
            if widget is not None:
                height = QFontMetrics(widget.font()).height()
            elif option is not None:
                height = option.fontMetrics.height()
            else:
                height = QFontMetrics(QApplication.font()).height()
            return max(14, round(height * 0.95))
        return super().pixelMetric(metric, option, widget)

    def drawPrimitive(  # noqa: N802 (Qt naming)
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        radio = element == QStyle.PrimitiveElement.PE_IndicatorRadioButton
        if not radio and element != QStyle.PrimitiveElement.PE_IndicatorCheckBox:
            super().drawPrimitive(element, option, painter, widget)
            return
        palette = option.palette
        state = option.state
        rect = QRectF(option.rect)
        side = min(rect.width(), rect.height())
        pen_width = max(2.0, side / 10)
        box = QRectF(0, 0, side, side)
        box.moveCenter(rect.center())
        box.adjust(pen_width / 2, pen_width / 2, -pen_width / 2, -pen_width / 2)
        checked = bool(state & QStyle.StateFlag.State_On)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Text), pen_width))
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        if radio:
            painter.drawEllipse(box)
            if checked:
                dot = box.adjusted(side * 0.22, side * 0.22, -side * 0.22, -side * 0.22)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(palette.color(QPalette.ColorRole.Highlight))
                painter.drawEllipse(dot)
        else:
            painter.drawRoundedRect(box, side * 0.15, side * 0.15)
            if checked or state & QStyle.StateFlag.State_NoChange:
                painter.setBrush(palette.color(QPalette.ColorRole.Highlight))
                painter.setPen(QPen(palette.color(QPalette.ColorRole.Text), pen_width))
                painter.drawRoundedRect(box, side * 0.15, side * 0.15)
                tick = QPainterPath()
                if checked:
                    tick.moveTo(box.left() + box.width() * 0.22, box.top() + box.height() * 0.52)
                    tick.lineTo(box.left() + box.width() * 0.42, box.top() + box.height() * 0.72)
                    tick.lineTo(box.left() + box.width() * 0.78, box.top() + box.height() * 0.3)
                else:
                    tick.moveTo(box.left() + box.width() * 0.25, box.center().y())
                    tick.lineTo(box.right() - box.width() * 0.25, box.center().y())
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.setPen(
                    QPen(
                        palette.color(QPalette.ColorRole.HighlightedText),
                        pen_width * 1.2,
                        Qt.PenStyle.SolidLine,
                        Qt.PenCapStyle.RoundCap,
                        Qt.PenJoinStyle.RoundJoin,
                    )
                )
                painter.drawPath(tick)
        painter.restore()


def apply_theme(app: QApplication, choice: str, font_size: int, base_font: QFont) -> Scheme:
    """Set the style, palette, font and style sheet; returns the scheme in use."""
    if not isinstance(app.style(), MarkStyle):
        app.setStyle(MarkStyle())
    scheme = scheme_for(choice)
    hints = QGuiApplication.styleHints()
    if choice == "system":
        hints.unsetColorScheme()
    else:
        # So native parts (title bar, file dialogs) match where the platform supports it.
        hints.setColorScheme(Qt.ColorScheme.Light if scheme is LIGHT else Qt.ColorScheme.Dark)
    app.setPalette(_palette(scheme))
    font = QFont(base_font)
    if font_size > 0:
        font.setPointSize(font_size)
    app.setFont(font)
    base = font.pointSizeF() if font.pointSizeF() > 0 else 10.0
    app.setStyleSheet(
        STYLE_SHEET.format(
            s=scheme,
            body=round(base, 1),
            arrow=round(base * 1.4, 1),
            # Titles grow less than body text, so a 24 pt page still has room for its content.
            title=round(base * (1.5 if base <= 14 else 1.3), 1),
            subtitle=round(base * 1.15, 1),
            reading=round(base * 1.15, 1),
        )
    )
    return scheme


def follow_system_scheme(reapply: Callable[[], None]) -> None:
    """Call ``reapply`` when the system switches light/dark or high contrast on or off."""
    hints = QGuiApplication.styleHints()
    hints.colorSchemeChanged.connect(lambda _scheme: reapply())
    hints.accessibility().contrastPreferenceChanged.connect(lambda _preference: reapply())
