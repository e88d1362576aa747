"""The main window: the sections, a module being taken, sync, and the status bar, put together.

It is shown before the store is opened (so the first paint is quick) and filled in when
the start-up work, done in a worker, hands it the services. Each part lives in its own
module: ``sections`` (navigation and pages), ``module_flow`` (player and results),
``sync_screens`` (sync on every screen), ``status_bar`` and ``paint_watch``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QListWidget, QMainWindow, QPushButton, QStackedWidget

from microlearn import APP_DISPLAY_NAME
from microlearn.ui.module_flow import ModuleFlow
from microlearn.ui.page import focus_soon, label
from microlearn.ui.paint_watch import PaintWatch
from microlearn.ui.planner_card import PlannerCard
from microlearn.ui.review_flow import ReviewFlow
from microlearn.ui.sections import NAVIGATION, TODAY, Sections
from microlearn.ui.status_bar import StatusBar
from microlearn.ui.survey_flow import SurveyFlow
from microlearn.ui.today_page import TodayPage

if TYPE_CHECKING:
    from microlearn.domain.planner import Plan, PlanItem
    from microlearn.services.catalog import TodayView, TrackSummary
    from microlearn.services.startup import AppServices
    from microlearn.ui.about_page import AboutPage
    from microlearn.ui.library_page import LibraryPage
    from microlearn.ui.player_page import PlayerPage
    from microlearn.ui.reminders import Reminders
    from microlearn.ui.results_page import ResultsPage
    from microlearn.ui.settings_page import SettingsPage
    from microlearn.ui.sync_controller import SyncController
    from microlearn.ui.sync_details_page import SyncDetailsPage
    from microlearn.ui.sync_screens import SyncScreens


class MainWindow(QMainWindow):
    painted = Signal()
    data_shown = Signal()
    setting_changed = Signal(str, object)

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle(APP_DISPLAY_NAME)
        self.setMinimumSize(900, 600)
        self.services: AppServices | None = None
        self.notices: list[str] = []
        self._refreshes = 0
        self._data_painted = False
        self._pending_offers: Callable[[], None] | None = None
        self.planner: PlannerCard | None = None
        self.sections = Sections(self)
        self.setCentralWidget(self.sections.widget)
        self.status = StatusBar(self.statusBar())
        self.modules = ModuleFlow(self, self.sections)
        self.reviews = ReviewFlow(self, self.sections, self.modules)
        self.reviews.left.connect(self.refresh)
        self.surveys = SurveyFlow(self, self.sections)
        self.surveys.left.connect(self.refresh)
        self.surveys.open_module.connect(self._open_module_now)
        self.sync_screens: SyncScreens | None = None
        self.reminders: Reminders | None = None  # built with the services

        # Signal to signal: no Python in between (and see qt_workarounds on ``emit``).
        self.sections.setting_changed.connect(self.setting_changed)
        self.sections.open_module.connect(self.open_module)
        self.modules.retry_requested.connect(self.open_module)
        self.modules.left.connect(self.refresh)
        for row in range(len(NAVIGATION)):
            QShortcut(QKeySequence(f"Ctrl+{row + 1}"), self, lambda r=row: self._go_section(r))
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.applicationStateChanged.connect(self.modules.set_active)
        self._paint_watch = PaintWatch(self)
        self._paint_watch.painted.connect(self.painted)
        self._paint_watch.data_shown.connect(self.data_shown)
        self._paint_watch.data_shown.connect(self._after_data_paint)

    # -- the parts, by the names the app, the tests and the screenshots use -------------------------

    @property
    def navigation(self) -> QListWidget:
        return self.sections.navigation

    @property
    def stack(self) -> QStackedWidget:
        return self.sections.stack

    @property
    def today(self) -> TodayPage:
        return self.sections.today

    @property
    def library(self) -> LibraryPage:
        return self.sections.library

    @property
    def settings(self) -> SettingsPage:
        return self.sections.settings

    @property
    def about(self) -> AboutPage:
        return self.sections.about

    @property
    def player(self) -> PlayerPage | None:
        return self.modules.player

    @property
    def results(self) -> ResultsPage | None:
        return self.modules.results

    @property
    def sync(self) -> SyncController | None:
        return self.sync_screens.controller if self.sync_screens is not None else None

    @property
    def details(self) -> SyncDetailsPage | None:
        return self.sync_screens.details if self.sync_screens is not None else None

    @property
    def sync_status(self) -> QLabel:
        return self.status.sync_status

    @property
    def details_link(self) -> QPushButton | None:
        return self.status.details_link

    # -- start-up -----------------------------------------------------------------------------------

    def attach_sync(self, controller: SyncController) -> None:
        """Sync with the central record: status words everywhere, "Sync now", the details view."""
        # Late: the sync screens bring the controller and the details page, which the first
        # paint must not wait for (tests/integration/test_first_paint.py).
        from microlearn.ui.sync_screens import SyncScreens

        self.sync_screens = SyncScreens(self, controller, self.sections, self.modules, self.status)
        self.sync_screens.restored.connect(self.refresh)

    def services_ready(self, services: AppServices) -> None:
        self.services = services
        self.sections.services = services
        self.notices = list(services.notices)
        self.refresh()
        # Late: the reminders bring the programme's model, which the first paint need not wait for.
        from microlearn.ui.reminders import Reminders

        if self.reminders is None:
            self.reminders = Reminders(self, self.status.show_message)
        self.reminders.start(services)
        if self.sync is not None:
            self.sync.set_services(services)
        self._paint_watch.expect_data()
        if self.navigation.currentRow() == TODAY and self.today.first_button is not None:
            focus_soon(self.today.first_button)

    def startup_failed(self, error: BaseException) -> None:
        # Late: the store's modules must not load before the first paint; by now they failed.
        from microlearn.store.health import StoreBusyError
        from microlearn.store.migrate import NewerDatabaseError, UnknownSchemaError
        from microlearn.ui.status_text import store_busy

        if isinstance(error, NewerDatabaseError | UnknownSchemaError):
            message = str(error)
        elif isinstance(error, StoreBusyError):
            message = store_busy()
        else:
            message = self.tr(
                "Microlearn could not open your learning data. Nothing has been deleted. "
                "Please restart the app; if this happens again, contact IT and mention the log "
                "folder shown under About."
            )
        self.today.clear_below_title()
        self.today.title.setText(self.tr("Microlearn cannot start"))
        self.today.body.addWidget(label(message))
        self.today.body.addStretch(1)
        self.status.show_status(self.tr("Not started"))
        self.navigation.setEnabled(False)

    def refresh(self) -> None:
        services = self.services
        if services is None:
            return
        tracks = services.catalog.library()  # read once: Today, Library and About all show it
        programme = services.programme.view(tracks)
        today = services.catalog.today(tracks, programme.required_ids)
        self.today.show_view(today, self.notices, programme)
        # After Today has painted its data: these read the review queue and the surveys, whose
        # modules (the scheduler among them) Today's first data must not wait for (bench/startup).
        self._refreshes += 1
        shown = self._refreshes  # a later refresh rebuilds Today: only its own offers go on it
        if self._data_painted:
            QTimer.singleShot(0, self, lambda: self._show_offers(services, tracks, today, shown))
        else:  # the first Today: once it has painted (what the start-up bench times)
            self._pending_offers = lambda: self._show_offers(services, tracks, today, shown)
        self.sections.refresh(tracks, today.outbox, programme)
        if self.sync is None:
            # Late: the status words bring the domain, which the first paint must not wait for.
            from microlearn.ui.status_text import outbox_status

            self.status.show_status(outbox_status(today.outbox))
        else:
            self.sync.refresh_state()  # read in the worker; the sync screens show it

    # -- moving around --------------------------------------------------------------------------------

    def _go_section(self, row: int) -> None:
        self.modules.exit()
        self.sections.go(row)

    def open_module(self, module_id: str) -> None:
        # A track's confidence survey, when it has one still to ask, comes before its module.
        if self.services is not None and not self.surveys.before_module(self.services, module_id):
            self.modules.open(self.services, module_id)

    def _after_data_paint(self) -> None:
        self._data_painted = True
        pending, self._pending_offers = self._pending_offers, None
        if pending is not None:
            QTimer.singleShot(0, self, pending)

    def _show_offers(
        self, services: AppServices, tracks: list[TrackSummary], today: TodayView, shown: int
    ) -> None:
        if self.services is not services or shown != self._refreshes:
            return
        self.planner = PlannerCard(lambda minutes: self._plan(services, today, minutes))
        self.planner.start.connect(self._start_planned)
        self.today.body.insertWidget(self.today.extras_at, self.planner)
        self.reviews.show_offer(services, self.today)
        self.surveys.show_offers(services, self.today, tracks)

    def _plan(self, services: AppServices, today: TodayView, minutes: float) -> Plan:
        # Late: the planner brings the learning and review services, which Today's paint
        # must not wait for; they are read only when the learner asks for a plan.
        from microlearn.domain.planner import DueModule
        from microlearn.services.planning import PlanningService, due_modules_of

        going = today.continue_module
        open_id = None if going is None else services.learning.unfinished_attempt_id(going.id)
        due = due_modules_of(services.programme.view())
        # Without a programme (or after its dates), Today's "Up next" is what comes next.
        planned = {d.module_id for d in due} | ({going.id} if going is not None else set())
        due += [
            DueModule(m.id, m.title, float(m.minutes), None) for m in today.up_next if m.id not in planned
        ]
        return PlanningService(services.learning, services.reviews).plan(minutes, open_id, due)

    def _start_planned(self, item: PlanItem) -> None:
        if item.module_id is None:
            self.reviews.start(item.steps)  # as many questions as the plan promised
        else:
            self.open_module(item.module_id)

    def _open_module_now(self, module_id: str) -> None:
        if self.services is not None:
            self.modules.open(self.services, module_id)

    def exit_player(self) -> None:
        self.modules.exit()

    def show_sync_details(self) -> None:
        if self.sync_screens is not None:
            self.sync_screens.show_details()

    def sync_now(self) -> None:
        if self.sync_screens is not None:
            self.sync_screens.sync_now()

    # -- window life ----------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt naming)
        self.modules.leave_on_close()
        if self.sync is not None:
            self.sync.shutdown()  # stops a running sync after its request in flight
        super().closeEvent(event)
