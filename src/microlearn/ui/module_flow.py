"""Taking a module: the player, then its results, then back to the sections.

While a module is open the navigation is hidden and the window is titled after it.
Leaving it (Exit, Ctrl+1…4, the sync details, closing the window) records that the
learner left; its answers are already saved.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QWidget

from microlearn import APP_DISPLAY_NAME
from microlearn.ui.page import focus_soon
from microlearn.ui.results_page import ResultsPage
from microlearn.ui.sections import TODAY, Sections
from microlearn.ui.translation import args

if TYPE_CHECKING:
    from microlearn.services.learning import AttemptView, LearningService
    from microlearn.services.startup import AppServices
    from microlearn.ui.player_page import PlayerPage

log = logging.getLogger(__name__)


class ModuleFlow(QObject):
    left = Signal()  # the player closed: the sections show again and want fresh data
    finished = Signal()  # a module was completed: its results may be sent
    retry_requested = Signal(str)  # "Try again" on the results: open the module afresh

    def __init__(self, window: QWidget, sections: Sections) -> None:
        super().__init__(window)
        self._window = window
        self._sections = sections
        self.player: PlayerPage | None = None
        self._learning: LearningService | None = None

    @property
    def results(self) -> ResultsPage | None:
        page = self._sections.passing
        return page if isinstance(page, ResultsPage) else None

    def open(self, services: AppServices, module_id: str, card_index: int | None = None) -> None:
        """Open the module where it stands; ``card_index``: at that card (from a quick review),
        unless its knowledge check has begun, whose answers are final."""
        # Late: the player brings the domain and the learning service, which the first
        # paint must not wait for (tests/integration/test_first_paint.py).
        from microlearn.domain.attempt import Phase
        from microlearn.ui.player_page import PlayerPage

        self._learning = services.learning
        view = services.learning.open_attempt(module_id)
        if (
            card_index is not None
            and view.phase is Phase.LESSONS
            and 0 <= card_index < len(view.module.cards)
        ):
            view = services.learning.show_card(view.attempt_id, card_index, view.seconds_spent)
        media = services.catalog.media(view.module.id, view.module.version)
        self.player = PlayerPage(services.learning, media, view)
        self.player.exit_requested.connect(self.exit)
        self.player.finished.connect(self._show_results)
        self._sections.show_page(self.player, deselect=False)
        self._sections.navigation.hide()
        self._window.setWindowTitle(args(self.tr("%1 — %2"), view.module.title, APP_DISPLAY_NAME))

    def exit(self) -> None:
        """Leave the module for Today."""
        if self.player is None:
            return
        self._close()
        self._sections.navigation.setCurrentRow(TODAY)
        self._sections.stack.setCurrentWidget(self._sections.today)
        if self._sections.today.first_button is not None:
            focus_soon(self._sections.today.first_button)

    def leave_on_close(self) -> None:
        """The window is closing: record leaving the module, never blocking the quit."""
        if self.player is None:
            return
        try:
            self.player.leave()
        except Exception:  # the answers are already saved
            log.exception("could not record leaving the module")

    def set_active(self, state: Qt.ApplicationState) -> None:
        """Time spent in the module counts only while the app is in front."""
        if self.player is not None:
            self.player.set_active(state == Qt.ApplicationState.ApplicationActive)

    def _close(self) -> None:
        """Leave the module (its answers are saved) and show the sections again, refreshed."""
        if self.player is not None:
            self.player.leave()
            self._sections.drop(self.player)
            self.player = None
        self._sections.navigation.show()
        self._window.setWindowTitle(APP_DISPLAY_NAME)
        self.left.emit()

    def _show_results(self, view: AttemptView) -> None:
        self._close()
        self.finished.emit()
        answered = self._learning.answers_for_results(view.attempt_id) if self._learning else []
        results = ResultsPage(view, answered)
        results.retry.connect(self.retry_requested)
        results.back_to_today.connect(self._back_to_today)
        self._sections.show_page(results, passing=True)
        focus_soon(results.focus_target)
        # After the focus has landed, so the focused button does not cut the score short.
        QTimer.singleShot(0, results, results.announce_score)

    def _back_to_today(self) -> None:
        self._sections.go(TODAY)
        # The results page (and the focus with it) is gone: start again at Today's first action.
        first = self._sections.today.first_button
        focus_soon(first if first is not None else self._sections.navigation)
