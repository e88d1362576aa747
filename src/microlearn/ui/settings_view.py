"""Settings: font size and colour scheme, with what IT has locked shown read-only."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QWidget

from microlearn.config import Config
from microlearn.ui.page import Page, card_frame, label

FONT_SIZES = (
    ("Follow the system", 0),
    ("Normal (10 pt)", 10),
    ("Large (12 pt)", 12),
    ("Larger (14 pt)", 14),
    ("Largest (16 pt)", 16),
)
THEMES = (("Follow the system", "system"), ("Light", "light"), ("Dark", "dark"))
LOCKED_NOTE = "Set by your organisation"


class SettingsPage(Page):
    changed = Signal(str, object)  # setting name, new value

    def __init__(self) -> None:
        super().__init__("Settings")
        self.setAccessibleName("Settings")
        frame, box = card_frame()
        box.addWidget(label("Display", "subtitle"))
        form = QFormLayout()
        self.font_size = QComboBox()
        self.font_size.setAccessibleName("Text size")
        for text, value in FONT_SIZES:
            self.font_size.addItem(text, value)
        self.theme = QComboBox()
        self.theme.setAccessibleName("Colour scheme")
        for text, value in THEMES:
            self.theme.addItem(text, value)
        form.addRow("Text size", self.font_size)
        form.addRow("Colour scheme", self.theme)
        box.addLayout(form)
        self.body.addWidget(frame)
        self.identity_frame, self.identity_box = card_frame()
        self.body.addWidget(self.identity_frame)
        self.body.addStretch(1)
        self.font_size.activated.connect(
            lambda _i: self.changed.emit("display.font_size", self.font_size.currentData())
        )
        self.theme.activated.connect(lambda _i: self.changed.emit("display.theme", self.theme.currentData()))

    def show_config(self, config: Config) -> None:
        for combo, name in ((self.font_size, "display.font_size"), (self.theme, "display.theme")):
            index = combo.findData(config.get(name))
            combo.setCurrentIndex(max(index, 0))
            locked = config.is_locked(name)
            combo.setEnabled(not locked)
            combo.setToolTip(LOCKED_NOTE if locked else "")
            if locked:
                combo.setAccessibleDescription(LOCKED_NOTE)
        while self.identity_box.count():
            item = self.identity_box.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()
        self.identity_box.addWidget(label("Your learning record", "subtitle"))
        form = QFormLayout()
        rows = (
            ("Recorded as", config.learner_name, "identity.source"),
            ("Organisation", config.home_page, "identity.home_page"),
            (
                "Central record",
                config.get("lrs.endpoint") or "Not set up yet — results are kept on this computer",
                "lrs.endpoint",
            ),
        )
        for caption, value, key in rows:
            text = value + (f"  ({LOCKED_NOTE.lower()})" if config.is_locked(key) else "")
            shown = label(text)
            shown.setAccessibleName(caption)
            form.addRow(caption, shown)
        holder = QWidget()
        holder.setLayout(form)
        self.identity_box.addWidget(holder)
