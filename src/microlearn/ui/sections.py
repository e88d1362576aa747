"""The navigation list and the pages beside it.

Today is built for the first paint; Library, Settings and About are built (and filled)
the first time they are shown. Pages that are none of the sections (a module, its
results, the sync details) are shown here too, with no section selected.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QSizePolicy, QStackedWidget, QWidget

from microlearn.ui.today_page import TodayPage

if TYPE_CHECKING:
    from microlearn.services.catalog import OutboxCounts, TrackSummary
    from microlearn.services.programme import ProgrammeView
    from microlearn.services.startup import AppServices
    from microlearn.ui.about_page import AboutPage
    from microlearn.ui.library_page import LibraryPage
    from microlearn.ui.progress_page import ProgressPage
    from microlearn.ui.settings_page import SettingsPage
    from microlearn.ui.sync_state import SyncState
    from microlearn.ui.tasks import TaskRunner

# Progress came last so the other sections keep their places (and their Ctrl+number keys).
NAVIGATION = ("Today", "Library", "Settings", "About", "Progress")  # in English, for logs and tests
TODAY, LIBRARY, SETTINGS, ABOUT, PROGRESS = range(len(NAVIGATION))


def navigation_words() -> tuple[str, ...]:
    """The sections as the navigation shows them, in the learner's language."""
    return (
        QCoreApplication.translate("Sections", "Today"),
        QCoreApplication.translate("Sections", "Library"),
        QCoreApplication.translate("Sections", "Settings"),
        QCoreApplication.translate("Sections", "About"),
        QCoreApplication.translate("Sections", "Progress"),
    )


class Sections(QObject):
    open_module = Signal(str)  # from Today or the Library
    setting_changed = Signal(str, object)  # from Settings
    details_requested = Signal()  # "See sync details" in Settings

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services: AppServices | None = None
        self.sync_state: SyncState | None = None  # what a Settings page built later shows
        self.widget = QWidget()
        row = QHBoxLayout(self.widget)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        self.navigation = QListWidget()
        self.navigation.setObjectName("Navigation")
        self.navigation.setAccessibleName(self.tr("Sections"))
        self.navigation.addItems(navigation_words())
        # As wide as its longest section name at the learner's text size, never less than 190 px.
        self.navigation.setMinimumWidth(190)
        self.navigation.setSizeAdjustPolicy(QListWidget.SizeAdjustPolicy.AdjustToContents)
        self.navigation.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.navigation.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        self.navigation.setContentsMargins(8, 8, 8, 8)
        row.addWidget(self.navigation)
        self.stack = QStackedWidget()
        row.addWidget(self.stack, 1)

        self.today = TodayPage()
        self.stack.addWidget(self.today)
        self._library: LibraryPage | None = None
        self._settings: SettingsPage | None = None
        self._about: AboutPage | None = None
        self._progress: ProgressPage | None = None
        self._progress_worker: TaskRunner | None = None
        self._passing: QWidget | None = None  # a page dropped when the learner moves on (results)
        self.navigation.currentRowChanged.connect(self._navigate)
        self.navigation.setCurrentRow(TODAY)
        # Signal to signal: no Python in between (and see qt_workarounds on ``emit``).
        self.today.open_module.connect(self.open_module)
        self.today.show_library.connect(lambda: self.navigation.setCurrentRow(LIBRARY))

    # -- the sections, built when first needed -----------------------------------------------------
    # Their modules are imported here, not at the top: the first paint must not wait for them
    # (tests/integration/test_first_paint.py).

    @property
    def library(self) -> LibraryPage:
        if self._library is None:
            from microlearn.ui.library_page import LibraryPage

            self._library = LibraryPage()
            self._library.open_module.connect(self.open_module)
            self.stack.insertWidget(LIBRARY, self._library)
            if self.services is not None:
                tracks = self.services.catalog.library()
                self._library.show_tracks(tracks, self.services.programme.view(tracks))
        return self._library

    @property
    def settings(self) -> SettingsPage:
        if self._settings is None:
            from microlearn.ui.settings_page import SettingsPage

            self._settings = SettingsPage()
            self._settings.changed.connect(self.setting_changed)
            self._settings.details_requested.connect(self.details_requested)
            self.stack.addWidget(self._settings)
            if self.services is not None:
                self._settings.show_config(self.services.config)
            if self.sync_state is not None:
                self._settings.show_sync_state(self.sync_state)
        return self._settings

    @property
    def about(self) -> AboutPage:
        if self._about is None:
            from microlearn.ui.about_page import AboutPage

            self._about = AboutPage()
            self.stack.addWidget(self._about)
            self.show_about()
        return self._about

    @property
    def progress(self) -> ProgressPage:
        if self._progress is None:
            from microlearn.ui.progress_page import ProgressPage

            self._progress = ProgressPage()
            self.stack.addWidget(self._progress)
            self.load_progress()
        return self._progress

    def _worker(self) -> TaskRunner:
        if self._progress_worker is None:
            from microlearn.ui.tasks import TaskRunner  # late, with the Progress screen's work

            self._progress_worker = TaskRunner(self)
        return self._progress_worker

    def load_progress(self) -> None:
        """Read the Progress screen's facts off the GUI thread (every attempt, with its answers);
        before it is built, only give any certificate a finished track has earned."""
        if self.services is None:
            return
        if self._progress is None:
            self._worker().run(self.services.certificates.issue_earned, lambda _new: None)
            return
        self._progress.certificate_folder = self.services.paths.data_dir / "certificates"
        self._worker().run(self.services.progress, self._progress.show_report)

    def show_about(
        self, counts: OutboxCounts | None = None, tracks: list[TrackSummary] | None = None
    ) -> None:
        """Fill About (if built); ``counts`` and ``tracks``: if the caller has just read them."""
        if self._about is not None and self.services is not None:
            catalog = self.services.catalog
            modules = sum(len(t.modules) for t in (tracks if tracks is not None else catalog.library()))
            self._about.show_facts(self.services, counts or catalog.outbox_counts(), modules)

    def refresh(
        self, tracks: list[TrackSummary], counts: OutboxCounts, programme: ProgrammeView | None = None
    ) -> None:
        """Fill the sections already built (Today is the caller's: it also shows notices)."""
        if self._library is not None:
            self._library.show_tracks(tracks, programme)
        if self._settings is not None and self.services is not None:
            self._settings.show_config(self.services.config)
        self.show_about(counts, tracks)
        self.load_progress()

    def show_sync_state(self, state: SyncState) -> None:
        self.sync_state = state
        self.today.show_sync_state(state)
        if self._settings is not None:
            self._settings.show_sync_state(state)

    def _section(self, row: int) -> QWidget:
        if row == LIBRARY:
            return self.library
        if row == SETTINGS:
            return self.settings
        if row == ABOUT:
            return self.about
        if row == PROGRESS:
            return self.progress
        return self.today

    # -- moving between pages ------------------------------------------------------------------------

    @property
    def current_row(self) -> int:
        return self.navigation.currentRow()

    def go(self, row: int) -> None:
        if self.navigation.currentRow() == row:
            self._navigate(row)  # e.g. back from the details view: the row did not change
        else:
            self.navigation.setCurrentRow(row)

    def _navigate(self, row: int) -> None:
        if row < 0:
            return
        self._drop_passing()
        self.stack.setCurrentWidget(self._section(row))

    def show_page(self, page: QWidget, *, passing: bool = False, deselect: bool = True) -> None:
        """Show a page that is none of the sections; a ``passing`` one goes when the learner
        leaves it. The module player keeps its section selected (``deselect=False``): the
        navigation is hidden meanwhile, and leaving the module returns there."""
        self._drop_passing()
        if self.stack.indexOf(page) < 0:
            self.stack.addWidget(page)
        if passing:
            self._passing = page
        if deselect:
            self._deselect()
        self.stack.setCurrentWidget(page)

    def is_showing(self, page: QWidget | None) -> bool:
        return page is not None and self.stack.currentWidget() is page

    def drop(self, page: QWidget) -> None:
        self.stack.removeWidget(page)
        page.deleteLater()

    def _drop_passing(self) -> None:
        if self._passing is not None:
            self.drop(self._passing)
            self._passing = None

    @property
    def passing(self) -> QWidget | None:
        return self._passing

    def _deselect(self) -> None:
        self.navigation.blockSignals(True)
        self.navigation.clearSelection()
        self.navigation.setCurrentRow(-1)
        self.navigation.blockSignals(False)
