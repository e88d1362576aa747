"""Settings: font size and colour scheme, with what IT has locked shown read-only.

The central record's address and credentials are IT's to set (policy or deployment), so
they are shown here, never edited; with them, where the last sync left things.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QVBoxLayout, QWidget

from microlearn.settings.config import Config
from microlearn.ui.page import ChoiceBox, Page, button, card_frame, clear_layout, label, selectable
from microlearn.ui.status_text import endpoint_for_display, last_sync_words
from microlearn.ui.translation import args

if TYPE_CHECKING:
    from microlearn.ui.sync_state import SyncState


def font_sizes() -> tuple[tuple[str, int], ...]:
    return (
        (QCoreApplication.translate("SettingsPage", "Follow the system"), 0),
        (QCoreApplication.translate("SettingsPage", "Normal (10 pt)"), 10),
        (QCoreApplication.translate("SettingsPage", "Large (12 pt)"), 12),
        (QCoreApplication.translate("SettingsPage", "Larger (14 pt)"), 14),
        (QCoreApplication.translate("SettingsPage", "Very large (16 pt)"), 16),
        (QCoreApplication.translate("SettingsPage", "Extra large (20 pt)"), 20),
        (QCoreApplication.translate("SettingsPage", "Largest (24 pt)"), 24),
    )


def themes() -> tuple[tuple[str, str], ...]:
    return (
        (QCoreApplication.translate("SettingsPage", "Follow the system"), "system"),
        (QCoreApplication.translate("SettingsPage", "Light"), "light"),
        (QCoreApplication.translate("SettingsPage", "Dark"), "dark"),
        (QCoreApplication.translate("SettingsPage", "High contrast"), "high-contrast"),
    )


def languages() -> tuple[tuple[str, str], ...]:
    # Each language in its own name, so a learner who cannot read the current one finds theirs.
    return (
        (QCoreApplication.translate("SettingsPage", "Follow the system"), "system"),
        ("English", "en"),
        ("Español", "es"),
    )


class SettingsPage(Page):
    changed = Signal(str, object)  # setting name, new value
    details_requested = Signal()

    def __init__(self) -> None:
        super().__init__(QCoreApplication.translate("SettingsPage", "Settings"))
        self.setAccessibleName(self.tr("Settings"))
        frame, box = card_frame()
        box.addWidget(label(self.tr("Display"), "subtitle"))
        form = QFormLayout()
        self.font_size = ChoiceBox()
        self.font_size.setAccessibleName(self.tr("Text size"))
        for text, value in font_sizes():
            self.font_size.addItem(text, value)
        self.theme = ChoiceBox()
        self.theme.setAccessibleName(self.tr("Colour scheme"))
        for text, scheme in themes():
            self.theme.addItem(text, scheme)
        self.language = ChoiceBox()
        self.language.setAccessibleName(self.tr("Language"))
        for text, code in languages():
            self.language.addItem(text, code)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        form.addRow(self.tr("Text size"), self.font_size)
        form.addRow(self.tr("Colour scheme"), self.theme)
        form.addRow(self.tr("Language"), self.language)
        box.addLayout(form)
        self.language_note = label(
            self.tr("A new language shows the next time you open Microlearn."), "muted"
        )
        self.language_note.hide()
        box.addWidget(self.language_note)
        self.body.addWidget(frame)
        self.identity_frame, self.identity_box = card_frame()
        self.body.addWidget(self.identity_frame)
        self.body.addWidget(self._central_record_card())
        self.body.addStretch(1)
        self.font_size.activated.connect(
            lambda _i: self.changed.emit("display.font_size", self.font_size.currentData())
        )
        self.theme.activated.connect(lambda _i: self.changed.emit("display.theme", self.theme.currentData()))
        self.language.activated.connect(self._language_chosen)

    def _language_chosen(self, _index: int) -> None:
        self.language_note.show()
        self.changed.emit("display.language", self.language.currentData())

    def show_config(self, config: Config) -> None:
        combos = (
            (self.font_size, "display.font_size"),
            (self.theme, "display.theme"),
            (self.language, "display.language"),
        )
        for combo, name in combos:
            index = combo.findData(config.get(name))
            combo.setCurrentIndex(max(index, 0))
            locked = config.is_locked(name)
            combo.setEnabled(not locked)
            combo.setToolTip(self.tr("Set by your organisation") if locked else "")
            if locked:
                combo.setAccessibleDescription(self.tr("Set by your organisation"))
        clear_layout(self.identity_box)
        self.identity_box.addWidget(label(self.tr("Your learning record"), "subtitle"))
        form = QFormLayout()
        rows = (
            (self.tr("Recorded as"), config.learner_name, "identity.source"),
            (self.tr("Organisation"), config.home_page, "identity.home_page"),
        )
        for caption, value, key in rows:
            text = args(self.tr("%1  (set by your organisation)"), value) if config.is_locked(key) else value
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
        frame.setAccessibleName(self.tr("Central record"))
        box.addWidget(label(self.tr("Central record"), "subtitle"))
        form = QFormLayout()
        self.endpoint = selectable(label(self._not_set_up()))
        self.endpoint.setAccessibleDescription(self.tr("Central record address"))
        self.endpoint_note = label("", "muted")
        self.endpoint_note.setAccessibleDescription(self.tr("Who sets the address"))
        address = QWidget()
        column = QVBoxLayout(address)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.endpoint)
        column.addWidget(self.endpoint_note)
        form.addRow(self.tr("Address"), address)
        self.sync_status = label("…")
        self.sync_status.setAccessibleDescription(self.tr("Sync status"))
        form.addRow(self.tr("Status"), self.sync_status)
        self.last_sync = label("…")
        self.last_sync.setAccessibleDescription(self.tr("Last sync"))
        form.addRow(self.tr("Last sync"), self.last_sync)
        box.addLayout(form)
        self.details_button = button(self.tr("See sync details"))
        self.details_button.setToolTip(
            self.tr("Every result kept for the central record, and where it stands")
        )
        self.details_button.clicked.connect(self.details_requested)
        row = QHBoxLayout()
        row.addWidget(self.details_button)
        row.addStretch(1)
        box.addLayout(row)
        return frame

    def _show_endpoint(self, config: Config) -> None:
        endpoint = str(config.get("lrs.endpoint")).strip()
        self.endpoint.setText(endpoint_for_display(endpoint) if endpoint else self._not_set_up())
        locked = config.is_locked("lrs.endpoint")
        it_note = self.tr("Set up by IT — ask them if it needs to change")
        self.endpoint_note.setText(
            self.tr("Set by your organisation") if locked else it_note if endpoint else ""
        )
        self.endpoint_note.setVisible(bool(self.endpoint_note.text()))
        self.endpoint.setAccessibleDescription(self.endpoint_note.text())

    def show_sync_state(self, state: SyncState) -> None:
        self.sync_status.setText(state.text)
        if state.configured:
            self.last_sync.setText(last_sync_words(state.last))
        elif state.endpoint:
            self.last_sync.setText(
                self.tr("Sync is off until IT fixes the settings; your results are kept here")
            )
        else:
            self.last_sync.setText(self.tr("None: no central record is set up"))

    def _not_set_up(self) -> str:
        return self.tr("Not set up yet — your results are kept on this computer")
