"""Settings: font size and colour scheme, with what IT has locked shown read-only.

The central record's address and credentials are IT's to set (policy or deployment), so
they are shown here, never edited; with them, where the last sync left things.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QVBoxLayout, QWidget

from microlearn.settings.config import Config
from microlearn.ui.page import Page, button, card_frame, clear_layout, label, selectable
from microlearn.ui.status_text import endpoint_for_display, last_sync_words

if TYPE_CHECKING:
    from microlearn.ui.sync_state import SyncState

FONT_SIZES = (
    ("Follow the system", 0),
    ("Normal (10 pt)", 10),
    ("Large (12 pt)", 12),
    ("Larger (14 pt)", 14),
    ("Largest (16 pt)", 16),
)
THEMES = (("Follow the system", "system"), ("Light", "light"), ("Dark", "dark"))
LOCKED_NOTE = "Set by your organisation"
IT_NOTE = "Set up by IT — ask them if it needs to change"
NOT_SET_UP = "Not set up yet — your results are kept on this computer"


class SettingsPage(Page):
    changed = Signal(str, object)  # setting name, new value
    details_requested = Signal()

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
        for text, scheme in THEMES:
            self.theme.addItem(text, scheme)
        form.addRow("Text size", self.font_size)
        form.addRow("Colour scheme", self.theme)
        box.addLayout(form)
        self.body.addWidget(frame)
        self.identity_frame, self.identity_box = card_frame()
        self.body.addWidget(self.identity_frame)
        self.body.addWidget(self._central_record_card())
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
        clear_layout(self.identity_box)
        self.identity_box.addWidget(label("Your learning record", "subtitle"))
        form = QFormLayout()
        rows = (
            ("Recorded as", config.learner_name, "identity.source"),
            ("Organisation", config.home_page, "identity.home_page"),
        )
        for caption, value, key in rows:
            text = value + (f"  ({LOCKED_NOTE.lower()})" if config.is_locked(key) else "")
            shown = label(text)
            shown.setAccessibleDescription(caption)
            form.addRow(caption, shown)
        holder = QWidget()
        holder.setLayout(form)
        self.identity_box.addWidget(holder)
        self._show_endpoint(config)

    # -- the central record ------------------------------------------------------------------------

    def _central_record_card(self) -> QWidget:
        frame, box = card_frame()
        frame.setAccessibleName("Central record")
        box.addWidget(label("Central record", "subtitle"))
        form = QFormLayout()
        self.endpoint = selectable(label(NOT_SET_UP))
        self.endpoint.setAccessibleDescription("Central record address")
        self.endpoint_note = label("", "muted")
        self.endpoint_note.setAccessibleDescription("Who sets the address")
        address = QWidget()
        column = QVBoxLayout(address)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.endpoint)
        column.addWidget(self.endpoint_note)
        form.addRow("Address", address)
        self.sync_status = label("…")
        self.sync_status.setAccessibleDescription("Sync status")
        form.addRow("Status", self.sync_status)
        self.last_sync = label("…")
        self.last_sync.setAccessibleDescription("Last sync")
        form.addRow("Last sync", self.last_sync)
        box.addLayout(form)
        self.details_button = button("See sync details", "See sync details")
        self.details_button.setToolTip("Every result kept for the central record, and where it stands")
        self.details_button.clicked.connect(self.details_requested)
        row = QHBoxLayout()
        row.addWidget(self.details_button)
        row.addStretch(1)
        box.addLayout(row)
        return frame

    def _show_endpoint(self, config: Config) -> None:
        endpoint = str(config.get("lrs.endpoint")).strip()
        self.endpoint.setText(endpoint_for_display(endpoint) if endpoint else NOT_SET_UP)
        locked = config.is_locked("lrs.endpoint")
        self.endpoint_note.setText(LOCKED_NOTE if locked else IT_NOTE if endpoint else "")
        self.endpoint_note.setVisible(bool(self.endpoint_note.text()))
        self.endpoint.setAccessibleDescription(self.endpoint_note.text())

    def show_sync_state(self, state: SyncState) -> None:
        self.sync_status.setText(state.text)
        if state.configured:
            self.last_sync.setText(last_sync_words(state.last))
        elif state.endpoint:
            self.last_sync.setText("Sync is off until IT fixes the settings; your results are kept here")
        else:
            self.last_sync.setText("None: no central record is set up")
