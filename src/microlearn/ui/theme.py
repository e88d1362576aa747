"""Look and feel: Fusion, the system's light/dark scheme (or the learner's choice), font size."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

SCHEMES = {"system": Qt.ColorScheme.Unknown, "light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}

# Only layout and emphasis here; colours come from the palette so light and dark both work.
# Sizes are in points, derived from the learner's text size, since QSS has no "em".
STYLE_SHEET = """
QLabel[role="title"] {{ font-size: {title}pt; font-weight: 600; }}
QLabel[role="subtitle"] {{ font-size: {subtitle}pt; font-weight: 600; }}
QLabel[role="muted"] {{ color: palette(placeholder-text); }}
QLabel[role="status"] {{ padding: 2px 6px; border-radius: 6px; background: palette(alternate-base); }}
QFrame[role="card"] {{ border: 1px solid palette(mid); border-radius: 10px; background: palette(base); }}
QPushButton {{ padding: 6px 14px; border-radius: 6px; border: 1px solid palette(mid); background: palette(button); }}
QPushButton:disabled {{ color: palette(placeholder-text); border-color: palette(midlight); }}
QPushButton[role="primary"] {{ font-weight: 600; background: palette(highlight); color: palette(highlighted-text); border-color: palette(highlight); }}
QPushButton:focus, QComboBox:focus {{ border: 2px solid palette(text); }}
QListWidget#Navigation:focus {{ border: 2px solid palette(highlight); border-radius: 6px; }}
QRadioButton, QCheckBox {{ padding: 6px 4px; spacing: 10px; }}
QRadioButton:focus, QCheckBox:focus {{ background: palette(alternate-base); border-radius: 6px; }}
QListWidget#Navigation {{ border: none; background: palette(window); font-size: {subtitle}pt; padding: 8px; }}
QListWidget#Navigation::item {{ padding: 10px 14px; border-radius: 6px; }}
QListWidget#Navigation::item:selected {{ background: palette(highlight); color: palette(highlighted-text); }}
QTextBrowser {{ border: none; background: transparent; font-size: {reading}pt; }}
QProgressBar {{ border: none; background: palette(alternate-base); border-radius: 4px; max-height: 8px; }}
QProgressBar::chunk {{ background: palette(highlight); border-radius: 4px; }}
"""


DARK = {
    QPalette.ColorRole.Window: "#202124",
    QPalette.ColorRole.WindowText: "#e8eaed",
    QPalette.ColorRole.Base: "#2b2c30",
    QPalette.ColorRole.AlternateBase: "#35363a",
    QPalette.ColorRole.Text: "#e8eaed",
    QPalette.ColorRole.Button: "#35363a",
    QPalette.ColorRole.ButtonText: "#e8eaed",
    QPalette.ColorRole.Highlight: "#8ab4f8",
    QPalette.ColorRole.HighlightedText: "#202124",
    QPalette.ColorRole.PlaceholderText: "#aeb1b6",
    QPalette.ColorRole.Mid: "#5f6368",
    QPalette.ColorRole.Midlight: "#4a4c50",
    QPalette.ColorRole.ToolTipBase: "#35363a",
    QPalette.ColorRole.ToolTipText: "#e8eaed",
    QPalette.ColorRole.Link: "#8ab4f8",
}


def _palette(app: QApplication, scheme: str) -> QPalette:
    """The learner's explicit choice wins; "system" keeps the platform's own palette.

    Not every platform theme honours a requested colour scheme, so dark is set explicitly.
    """
    palette = app.style().standardPalette()
    wants_dark = scheme == "dark" or (
        scheme == "system" and QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark
    )
    if wants_dark:
        for role, colour in DARK.items():
            palette.setColor(role, QColor(colour))
    return palette


def apply_theme(app: QApplication, scheme: str, font_size: int, base_font: QFont) -> None:
    app.setStyle("Fusion")
    QGuiApplication.styleHints().setColorScheme(SCHEMES.get(scheme, Qt.ColorScheme.Unknown))
    app.setPalette(_palette(app, scheme))
    font = QFont(base_font)
    if font_size > 0:
        font.setPointSize(font_size)
    app.setFont(font)
    base = font.pointSizeF() if font.pointSizeF() > 0 else 10.0
    app.setStyleSheet(
        STYLE_SHEET.format(
            title=round(base * 1.5, 1),
            subtitle=round(base * 1.15, 1),
            reading=round(base * 1.15, 1),
        )
    )
