"""Sync on every screen: the status words, "Sync now" (F5), and the details view.

The window attaches this once the sync controller exists (after the first paint). The
controller decides and reads; this module only shows what it says, wherever it shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QWidget

from microlearn.ui.module_flow import ModuleFlow
from microlearn.ui.page import focus_soon
from microlearn.ui.sections import TODAY, Sections
from microlearn.ui.status_bar import StatusBar
from microlearn.ui.sync_controller import SYNC_SHORTCUT, SyncController
from microlearn.ui.sync_details_page import SyncDetailsPage
from microlearn.ui.sync_state import SyncState, Trigger

if TYPE_CHECKING:
    from microlearn.records.restore import RestoreReport


class SyncScreens(QObject):
    restored = Signal()  # progress was rebuilt from the central record: show it afresh

    def __init__(
        self,
        window: QWidget,
        controller: SyncController,
        sections: Sections,
        modules: ModuleFlow,
        status: StatusBar,
    ) -> None:
        super().__init__(window)
        self.controller = controller
        self._sections = sections
        self._modules = modules
        self._status = status
        self.details: SyncDetailsPage | None = None
        self._details_came_from = TODAY  # the section "Back" returns to

        controller.state_changed.connect(self._show_state)
        controller.message.connect(status.show_message)
        controller.restored.connect(self._progress_restored)
        today = sections.today
        today.enable_sync(SYNC_SHORTCUT)
        today.sync_requested.connect(self.sync_now)
        today.details_requested.connect(self.show_details)
        sections.details_requested.connect(self.show_details)
        status.add_details_link().clicked.connect(self.show_details)
        QShortcut(QKeySequence(SYNC_SHORTCUT), window, self.sync_now)
        modules.finished.connect(lambda: controller.sync_now(Trigger.MODULE_DONE))

    def sync_now(self) -> None:
        self.controller.sync_now(Trigger.MANUAL)

    def _show_state(self, state: SyncState) -> None:
        self._status.show_status(state.text)
        self._sections.show_sync_state(state)
        if self.details is not None:
            self.details.show_state(state)
            if not state.running and self._sections.is_showing(self.details):
                self.details.reload()

    def _progress_restored(self, _report: RestoreReport) -> None:
        """Show the rebuilt progress, keeping the learner's place."""
        focus = QApplication.focusWidget()
        today = self._sections.today
        on_today = focus is None or today.isAncestorOf(focus)
        self.restored.emit()
        if on_today and self._sections.is_showing(today) and today.first_button is not None:
            focus_soon(today.first_button)

    def show_details(self) -> None:
        if self._sections.services is None:
            return
        self._modules.exit()
        if self.details is None:
            self.details = SyncDetailsPage(self.controller.load_details, SYNC_SHORTCUT)
            self.details.back_requested.connect(self._leave_details)
            self.details.sync_requested.connect(self.sync_now)
        if not self._sections.is_showing(self.details):
            row = self._sections.current_row
            self._details_came_from = row if row >= 0 else TODAY
        self.details.open(self.controller.state)
        self._sections.show_page(self.details)
        focus_soon(self.details.table)

    def _leave_details(self) -> None:
        if self._sections.is_showing(self.details):
            self._sections.go(self._details_came_from)
