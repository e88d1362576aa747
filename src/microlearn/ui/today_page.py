"""Today: continue where you stopped, what is required next, and an honest sync status."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from microlearn.ui.page import Page, button, card_frame, label, module_card
from microlearn.ui.translation import args, number

# The status words (microlearn.ui.status_text) bring the domain model with them, so they are
# imported where data is shown, not for the first paint of the empty page.

if TYPE_CHECKING:
    from microlearn.services.catalog import ModuleSummary, TodayView
    from microlearn.services.programme import ProgrammeView
    from microlearn.ui.due_card import DueCard
    from microlearn.ui.sync_state import SyncState


def greeting(now: datetime) -> str:
    if now.hour < 12:
        return QCoreApplication.translate("TodayPage", "Good morning")
    if now.hour < 18:
        return QCoreApplication.translate("TodayPage", "Good afternoon")
    return QCoreApplication.translate("TodayPage", "Good evening")


class TodayPage(Page):
    open_module = Signal(str)
    show_library = Signal()
    sync_requested = Signal()
    details_requested = Signal()

    def __init__(self) -> None:
        super().__init__(QCoreApplication.translate("TodayPage", "Today"))
        self.setAccessibleName(self.tr("Today"))
        self.body.addWidget(label(self.tr("Loading your learning…"), "muted"))
        self.body.addStretch(1)
        self.first_button: QWidget | None = None
        self.sync_label: QLabel | None = None
        self.sync_hint: QLabel | None = None
        self.sync_button: QPushButton | None = None
        self.details_button: QPushButton | None = None
        self._sync_shortcut: str | None = None  # set when the app can sync: the card has buttons
        self._sync_state: SyncState | None = None
        self.due_card: DueCard | None = None  # with a programme: what is due, by when
        self.extras_at = 0  # where cards of other modules (the quick review) go in the body

    def show_view(self, view: TodayView, notices: list[str], programme: ProgrammeView | None = None) -> None:
        from microlearn.ui.status_text import outbox_status, where_you_stopped

        self.clear_below_title()
        self.title.setText(greeting(datetime.now()))
        self.first_button = None
        self.sync_label = self.sync_hint = self.sync_button = self.details_button = None
        for notice in notices:
            frame, box = card_frame()
            box.addWidget(label(notice))
            frame.setAccessibleName(self.tr("Notice"))
            self.body.addWidget(frame)
        self.due_card = None
        if programme is not None and programme.has_programme and programme.totals.required:
            # Late, like the status words: the programme's model is not needed for the first paint.
            from microlearn.ui.due_card import DueCard

            self.due_card = DueCard(programme, self.open_module.emit)
            self.body.addWidget(self.due_card.frame)
            if self.due_card.buttons and view.continue_module is None:
                # Overdue comes first; an unfinished module, where the learner stopped, keeps focus.
                self.first_button = self.due_card.buttons[0]
        elif view.required_total:
            left = view.required_left
            summary = (
                self.tr("You have finished all your required modules. Well done!")
                if left == 0
                else args(self.tr("%n required module(s) left of %1.", "", left), number(view.required_total))
            )
            self.body.addWidget(label(summary, "subtitle"))
        if view.continue_module is not None:
            self.body.addWidget(label(self.tr("Continue where you stopped"), "subtitle"))
            self._module_card(view.continue_module, where_you_stopped(view.continue_module), primary=True)
        if view.in_progress:
            self.body.addWidget(label(self.tr("Also in progress"), "subtitle"))
            for module in view.in_progress:
                self._module_card(module, where_you_stopped(module))
        if view.up_next:
            self.body.addWidget(label(self.tr("Up next"), "subtitle"))
            for module in view.up_next:
                self._module_card(module, module.summary, primary=self.first_button is None)
        if view.continue_module is None and not view.in_progress and not view.up_next:
            self.body.addWidget(
                label(self.tr("Nothing is waiting for you. You can review any module in the Library."))
            )
        self.extras_at = self.body.count()
        browse = button(self.tr("Browse the library"))
        browse.clicked.connect(self.show_library)
        row = QHBoxLayout()
        row.addWidget(browse)
        row.addStretch(1)
        self.body.addLayout(row)
        if self._sync_shortcut is None:
            self.sync_label = label(outbox_status(view.outbox), "muted")
            self.sync_label.setAccessibleDescription(self.tr("Sync status"))
            self.body.addWidget(self.sync_label)
        else:
            self._sync_card(outbox_status(view.outbox))
        self.body.addStretch(1)

    # -- the central record ------------------------------------------------------------------------

    def enable_sync(self, shortcut: str) -> None:
        """The app can sync: Today shows a card with the status, "Sync now" and "See details"."""
        self._sync_shortcut = shortcut

    def _sync_card(self, fallback_text: str) -> None:
        frame, box = card_frame()
        frame.setAccessibleName(self.tr("Central record"))
        box.addWidget(label(self.tr("Your results and the central record"), "subtitle"))
        self.sync_label = label(fallback_text)  # read as what it says, like every label
        self.sync_label.setAccessibleDescription(self.tr("Sync status"))
        box.addWidget(self.sync_label)
        self.sync_hint = label("", "muted")
        self.sync_hint.setVisible(False)
        box.addWidget(self.sync_hint)
        self.sync_button = button(self.tr("Sync now"))
        self.sync_button.setToolTip(
            args(self.tr("Send waiting results to the central record (%1)"), self._sync_shortcut or "")
        )
        self.sync_button.clicked.connect(self.sync_requested)
        self.details_button = button(self.tr("See details"), self.tr("See sync details"))
        self.details_button.setToolTip(
            self.tr("Every result kept for the central record, and where it stands")
        )
        self.details_button.clicked.connect(self.details_requested)
        row = QHBoxLayout()
        row.addWidget(self.sync_button)
        row.addWidget(self.details_button)
        row.addStretch(1)
        box.addLayout(row)
        self.body.addWidget(frame)
        if self._sync_state is not None:
            self.show_sync_state(self._sync_state)

    def show_sync_state(self, state: SyncState) -> None:
        from microlearn.ui.status_text import sync_hint

        self._sync_state = state
        if self.sync_label is not None:
            self.sync_label.setText(state.text)
        if self.sync_hint is not None:
            hint = sync_hint(state)
            self.sync_hint.setText(hint)
            self.sync_hint.setVisible(bool(hint))
        if self.sync_button is not None:
            # Nothing to sync to without a central record; the status says so in words.
            self.sync_button.setVisible(state.configured)

    def _module_card(self, module: ModuleSummary, detail: str, primary: bool = False) -> None:
        from microlearn.ui.status_text import action_word, status_word

        facts = " · ".join(
            [self.tr("%n minute(s)", "", module.minutes), module.track_title]
            + ([self.tr("Required")] if module.mandatory else [])
        )
        lines: list[tuple[str, str | None]] = [(facts, "muted")]
        if detail:
            lines.append((detail, None))
        frame, go = module_card(
            module.title,
            status_word(module.status),
            lines,
            action_word(module),
            module.title,
            primary=primary,
        )
        go.clicked.connect(lambda _=False, module_id=module.id: self.open_module.emit(module_id))
        self.body.addWidget(frame)
        if self.first_button is None:
            self.first_button = go
