"""The main window: navigation, the screens, and the status bar.

It is shown before the store is opened (so the first paint is quick) and filled in when
the start-up work, done in a worker, hands it the services. Only Today is built for the
first paint; Library, Settings and About are built (and filled) the first time they are
needed.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QWidget,
)

from microlearn import APP_DISPLAY_NAME
from microlearn.ui.page import focus_soon
from microlearn.ui.today_page import TodayPage

if TYPE_CHECKING:
    from microlearn.services.catalog import OutboxCounts, TrackSummary
    from microlearn.services.learning import AttemptView
    from microlearn.services.startup import AppServices
    from microlearn.ui.about_page import AboutPage
    from microlearn.ui.library_page import LibraryPage
    from microlearn.ui.player_page import PlayerPage
    from microlearn.ui.settings_page import SettingsPage
    from microlearn.ui.sync_controller import SyncController
    from microlearn.ui.sync_details_page import SyncDetailsPage
    from microlearn.ui.sync_state import SyncState

log = logging.getLogger(__name__)
NAVIGATION = ("Today", "Library", "Settings", "About")


class MainWindow(QMainWindow):
    painted = Signal()
    data_shown = Signal()
    setting_changed = Signal(str, object)

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle(APP_DISPLAY_NAME)
        self.setMinimumSize(900, 600)
        self.services: AppServices | None = None
        self.player: PlayerPage | None = None
        self.results: QWidget | None = None
        self.notices: list[str] = []
        self.sync: SyncController | None = None
        self.details: SyncDetailsPage | None = None
        self._details_came_from = 0  # the section "Back" returns to

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        self.navigation = QListWidget()
        self.navigation.setObjectName("Navigation")
        self.navigation.setAccessibleName("Sections")
        self.navigation.addItems(NAVIGATION)
        self.navigation.setFixedWidth(190)
        self.navigation.setContentsMargins(8, 8, 8, 8)
        row.addWidget(self.navigation)
        self.stack = QStackedWidget()
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.today = TodayPage()
        self.stack.addWidget(self.today)
        self._library: LibraryPage | None = None
        self._settings: SettingsPage | None = None
        self._about: AboutPage | None = None
        self.navigation.currentRowChanged.connect(self._navigate)
        self.navigation.setCurrentRow(0)
        self.today.open_module.connect(self.open_module)
        self.today.show_library.connect(lambda: self.navigation.setCurrentRow(1))

        self.sync_status = QLabel("Starting…")
        self.sync_status.setAccessibleName("Sync status")
        self.statusBar().addPermanentWidget(self.sync_status)
        self.details_link: QPushButton | None = None
        for number, _name in enumerate(NAVIGATION, start=1):
            QShortcut(
                QKeySequence(f"Ctrl+{number}"), self, activated=lambda n=number - 1: self._go_section(n)
            )
        QGuiApplication.instance().applicationStateChanged.connect(self._app_state_changed)
        self._painted_once = False
        self._waiting_for_data_paint = False
        self.installEventFilter(self)

    # -- the sections, built when first needed -------------------------------------------------

    @property
    def library(self) -> LibraryPage:
        if self._library is None:
            from microlearn.ui.library_page import LibraryPage

            self._library = LibraryPage()
            self._library.open_module.connect(self.open_module)
            self.stack.insertWidget(1, self._library)
            if self.services is not None:
                self._library.show_tracks(self.services.catalog.library())
        return self._library

    @property
    def settings(self) -> SettingsPage:
        if self._settings is None:
            from microlearn.ui.settings_page import SettingsPage

            self._settings = SettingsPage()
            self._settings.changed.connect(self.setting_changed.emit)
            self._settings.details_requested.connect(self.show_sync_details)
            self.stack.addWidget(self._settings)
            if self.services is not None:
                self._settings.show_config(self.services.config)
            if self.sync is not None and self.sync.state is not None:
                self._settings.show_sync_state(self.sync.state)
        return self._settings

    @property
    def about(self) -> AboutPage:
        if self._about is None:
            from microlearn.ui.about_page import AboutPage

            self._about = AboutPage()
            self.stack.addWidget(self._about)
            self._show_about()
        return self._about

    def _show_about(
        self, counts: OutboxCounts | None = None, tracks: list[TrackSummary] | None = None
    ) -> None:
        """Fill About (if built); ``counts`` and ``tracks``: if the caller has just read them."""
        if self._about is not None and self.services is not None:
            catalog = self.services.catalog
            modules = sum(len(t.modules) for t in (tracks if tracks is not None else catalog.library()))
            self._about.show_facts(self.services, counts or catalog.outbox_counts(), modules)

    def _section(self, row: int) -> QWidget:
        if row == 1:
            return self.library
        if row == 2:
            return self.settings
        if row == 3:
            return self.about
        return self.today

    # -- start-up -----------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt naming)
        if watched is self and event.type() in (QEvent.Type.Paint, QEvent.Type.UpdateRequest):
            if not self._painted_once:
                self._painted_once = True
                self.painted.emit()
            elif self._waiting_for_data_paint:
                self._waiting_for_data_paint = False
                self.data_shown.emit()
        return False

    def attach_sync(self, controller: SyncController) -> None:
        """Sync with the central record: status words everywhere, "Sync now", the details view."""
        from microlearn.ui.sync_controller import SYNC_SHORTCUT

        self.sync = controller
        controller.state_changed.connect(self._show_sync_state)
        controller.message.connect(lambda text: self.statusBar().showMessage(text, 10_000))
        controller.restored.connect(self._progress_restored)
        self.today.enable_sync(SYNC_SHORTCUT)
        self.today.sync_requested.connect(self.sync_now)
        self.today.details_requested.connect(self.show_sync_details)
        self.details_link = QPushButton("Sync details")
        self.details_link.setFlat(True)
        self.details_link.setAccessibleName("See sync details")
        self.details_link.setToolTip("Every result kept for the central record, and where it stands")
        self.details_link.setCursor(Qt.CursorShape.PointingHandCursor)
        self.details_link.clicked.connect(self.show_sync_details)
        self.statusBar().addPermanentWidget(self.details_link)
        QShortcut(QKeySequence(SYNC_SHORTCUT), self, activated=self.sync_now)

    def _progress_restored(self, _report: object = None) -> None:
        """Progress was rebuilt from the central record: show it, keeping the learner's place."""
        focus = QApplication.focusWidget()
        on_today = focus is None or self.today.isAncestorOf(focus)
        self.refresh()
        if on_today and self.stack.currentWidget() is self.today and self.today.first_button is not None:
            focus_soon(self.today.first_button)

    def sync_now(self) -> None:
        from microlearn.ui.sync_state import Trigger

        if self.sync is not None:
            self.sync.sync_now(Trigger.MANUAL)

    def services_ready(self, services: AppServices) -> None:
        self.services = services
        self.notices = list(services.notices)
        self.refresh()
        if self.sync is not None:
            self.sync.set_services(services)
        self._waiting_for_data_paint = True
        self.update()
        if self.navigation.currentRow() == 0 and self.today.first_button is not None:
            focus_soon(self.today.first_button)

    def startup_failed(self, error: BaseException) -> None:
        from microlearn.store.health import StoreBusyError
        from microlearn.store.migrate import NewerDatabaseError, UnknownSchemaError
        from microlearn.ui.status_text import STORE_BUSY

        if isinstance(error, NewerDatabaseError | UnknownSchemaError):
            message = str(error)
        elif isinstance(error, StoreBusyError):
            message = STORE_BUSY
        else:
            message = (
                "Microlearn could not open your learning data. Nothing has been deleted. "
                "Please restart the app; if this happens again, contact IT and mention the log "
                "folder shown under About."
            )
        self.today.clear_below_title()
        self.today.title.setText("Microlearn cannot start")
        from microlearn.ui.page import label

        self.today.body.addWidget(label(message))
        self.today.body.addStretch(1)
        self.sync_status.setText("Not started")
        self.navigation.setEnabled(False)

    def refresh(self) -> None:
        services = self.services
        if services is None:
            return
        tracks = services.catalog.library()  # read once: Today, Library and About all show it
        today = services.catalog.today(tracks)
        self.today.show_view(today, self.notices)
        if self._library is not None:
            self._library.show_tracks(tracks)
        if self._settings is not None:
            self._settings.show_config(services.config)
        self._show_about(today.outbox, tracks)
        if self.sync is None:
            from microlearn.ui.status_text import outbox_status

            self.sync_status.setText(outbox_status(today.outbox))
        else:
            self.sync.refresh_state()  # read in the worker; _show_sync_state shows it

    def _show_sync_state(self, state: SyncState) -> None:
        self.sync_status.setText(state.text)
        self.today.show_sync_state(state)
        if self._settings is not None:
            self._settings.show_sync_state(state)
        if self.details is not None:
            self.details.show_state(state)
            if not state.running and self.stack.currentWidget() is self.details:
                self.details.reload()

    def show_sync_details(self) -> None:
        from microlearn.ui.sync_controller import SYNC_SHORTCUT
        from microlearn.ui.sync_details_page import SyncDetailsPage

        if self.sync is None or self.services is None:
            return
        if self.player is not None:
            self.exit_player()
        if self.details is None:
            self.details = SyncDetailsPage(self.sync.load_details, SYNC_SHORTCUT)
            self.details.back_requested.connect(self._leave_details)
            self.details.sync_requested.connect(self.sync_now)
            self.stack.addWidget(self.details)
        if self.stack.currentWidget() is not self.details:
            row = self.navigation.currentRow()
            self._details_came_from = row if row >= 0 else 0
        self.details.open(self.sync.state)
        self._deselect_navigation()
        self.stack.setCurrentWidget(self.details)
        focus_soon(self.details.table)

    def _leave_details(self) -> None:
        if self.stack.currentWidget() is self.details:
            self._go_section(self._details_came_from)

    # -- navigation ---------------------------------------------------------------------------

    def _go_section(self, row: int) -> None:
        if self.player is not None:
            self.exit_player()
        if self.navigation.currentRow() == row:
            self._navigate(row)  # e.g. back from the details view: the row did not change
        else:
            self.navigation.setCurrentRow(row)

    def _navigate(self, row: int) -> None:
        if row < 0:
            return
        if self.results is not None:
            self._drop(self.results)
            self.results = None
        self.stack.setCurrentWidget(self._section(row))

    def _drop(self, widget: QWidget) -> None:
        self.stack.removeWidget(widget)
        widget.deleteLater()

    def open_module(self, module_id: str) -> None:
        from microlearn.ui.player_page import PlayerPage

        if self.services is None:
            return
        if self.results is not None:
            self._drop(self.results)
            self.results = None
        view = self.services.learning.open_attempt(module_id)
        media = self.services.catalog.media(view.module.id, view.module.version)
        self.player = PlayerPage(self.services.learning, media, view)
        self.player.exit_requested.connect(self.exit_player)
        self.player.finished.connect(self._show_results)
        self.stack.addWidget(self.player)
        self.stack.setCurrentWidget(self.player)
        self.navigation.hide()
        self.setWindowTitle(f"{view.module.title} — {APP_DISPLAY_NAME}")

    def _close_player(self) -> None:
        """Leave the module (its answers are saved) and show the sections again, refreshed."""
        if self.player is not None:
            self.player.leave()
            self._drop(self.player)
            self.player = None
        self.navigation.show()
        self.setWindowTitle(APP_DISPLAY_NAME)
        self.refresh()

    def _deselect_navigation(self) -> None:
        """For a page that is none of the sections (results, sync details)."""
        self.navigation.blockSignals(True)
        self.navigation.clearSelection()
        self.navigation.setCurrentRow(-1)
        self.navigation.blockSignals(False)

    def exit_player(self) -> None:
        if self.player is None:
            return
        self._close_player()
        self.navigation.setCurrentRow(0)
        self.stack.setCurrentWidget(self.today)
        if self.today.first_button is not None:
            focus_soon(self.today.first_button)

    def _show_results(self, view: AttemptView) -> None:
        from microlearn.ui.results_page import ResultsPage

        self._close_player()
        if self.sync is not None:
            from microlearn.ui.sync_state import Trigger

            self.sync.sync_now(Trigger.MODULE_DONE)
        results = ResultsPage(view)
        results.retry.connect(self.open_module)
        results.back_to_today.connect(lambda: self._go_section(0))
        self.results = results
        self._deselect_navigation()
        self.stack.addWidget(results)
        self.stack.setCurrentWidget(results)
        focus_soon(results.focus_target)

    # -- window life --------------------------------------------------------------------------

    def _app_state_changed(self, state: Qt.ApplicationState) -> None:
        if self.player is not None:
            self.player.set_active(state == Qt.ApplicationState.ApplicationActive)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt naming)
        if self.player is not None:
            try:
                self.player.leave()
            except Exception:  # the answers are already saved; never block quitting
                log.exception("could not record leaving the module")
        if self.sync is not None:
            self.sync.shutdown()  # stops a running sync after its request in flight
        super().closeEvent(event)
