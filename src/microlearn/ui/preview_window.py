"""``microlearn content preview``: the real player on one module, straight from its folder.

Nothing is installed into the learner's store and nothing is recorded there: the module is
loaded with the checker, written into a throwaway store (``preview_store``) and played by
the learner's own PlayerPage and LearningService. The folder is watched; after a save the
module is loaded again and the player returns to the card the author was on. Content with
errors shows the checker's list (file:line and a sentence) instead of the player, and the
player comes back as soon as the files are fixed.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QFileSystemWatcher, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QListWidget,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from microlearn import APP_DISPLAY_NAME, APP_NAME
from microlearn.content.loader import load_catalog
from microlearn.content.problems import Problem, Severity
from microlearn.content.source_files import IMAGE_SUFFIXES
from microlearn.domain.attempt import Phase
from microlearn.services.learning import AttemptView, LearningService
from microlearn.ui.language import install_language
from microlearn.ui.page import Page, button, focus_soon, label
from microlearn.ui.player_page import PlayerPage
from microlearn.ui.preview_store import PreviewStore
from microlearn.ui.results_page import ResultsPage
from microlearn.ui.theme import apply_theme
from microlearn.ui.translation import args

log = logging.getLogger(__name__)

DEBOUNCE_MS = 300  # editors write a file in several steps; load once they are done
WATCHED_SUFFIXES = {".md", ".yaml", ".yml", *IMAGE_SUFFIXES}


@dataclass(frozen=True)
class Position:
    """Where the author was, to come back to after a reload."""

    phase: Phase
    card_id: str
    card_index: int
    check_index: int


def restore_position(learning: LearningService, view: AttemptView, position: Position | None) -> AttemptView:
    """Move a fresh attempt to the remembered card (by its file name, else by its number)."""
    if position is None:
        return view
    cards = view.module.cards
    ids = [card.id for card in cards]
    if position.phase is Phase.LESSONS:
        index = ids.index(position.card_id) if position.card_id in ids else position.card_index
        index = max(0, min(index, len(cards) - 1))
        return learning.show_card(view.attempt_id, index, 0.0) if index else view
    if position.phase is Phase.CHECK:
        for index in range(1, len(cards)):  # the check opens once every card has been seen
            view = learning.show_card(view.attempt_id, index, 0.0)
        view = learning.start_check(view.attempt_id, 0.0)
        index = max(0, min(position.check_index, len(view.drawn) - 1))
        return learning.go_to_question(view.attempt_id, index, 0.0) if index else view
    return view


def _clock() -> str:
    """The time now, to the second: reloads come quickly."""
    return QTime.currentTime().toString("HH:mm:ss")


class ProblemsPage(Page):
    """The checker's findings, one per line, as the author would see them from the command."""

    def __init__(self) -> None:
        super().__init__(QCoreApplication.translate("ProblemsPage", "This module cannot be shown yet"))
        self.setAccessibleName(self.tr("Problems in the module"))
        self.explanation = label(
            self.tr(
                "Each line gives the file and the line number, then what is wrong. Fix the errors and "
                "save: the preview shows the module again by itself. Warnings alone never stop it."
            )
        )
        self.body.addWidget(self.explanation)
        self.problem_list = problem_list(self.tr("Problems in the module"))
        self.body.addWidget(self.problem_list, 1)

    def show_problems(self, problems: list[Problem], folder: Path) -> None:
        errors = [p for p in problems if p.severity is Severity.ERROR]
        self.title.setText(self.tr("This module cannot be shown yet: %n error(s)", "", len(errors)))
        self.title.setAccessibleName(self.title.text())
        fill(self.problem_list, problems, folder)


def problem_list(name: str) -> QListWidget:
    widget = QListWidget()
    widget.setAccessibleName(name)
    widget.setWordWrap(True)
    widget.setTextElideMode(Qt.TextElideMode.ElideNone)
    widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    widget.setStyleSheet(
        "QListWidget::item { padding: 6px 4px; border-bottom: 1px solid palette(midlight); }"
    )
    return widget


def fill(widget: QListWidget, problems: list[Problem], folder: Path) -> None:
    widget.clear()
    ordered = sorted(problems, key=lambda p: (p.severity is not Severity.ERROR, str(p.path), p.line))
    widget.addItems([problem.render(folder) for problem in ordered])


class PreviewWindow(QMainWindow):
    loaded = Signal(bool)  # after every load: True when the player is shown, False for problems

    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.folder = folder.resolve()
        self.store = PreviewStore()
        self.player: PlayerPage | None = None
        self._position: Position | None = None
        self._scroll = 0
        self.setWindowTitle(args(self.tr("Preview: %1 — %2"), self.folder.name, APP_DISPLAY_NAME))
        self.setMinimumSize(900, 600)  # fixed, like the app's window: readable at 1366×768

        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(12, 10, 12, 0)
        outer.setSpacing(0)
        outer.addWidget(self._banner())
        self.stack = QStackedWidget()
        self.problems = ProblemsPage()
        self.stack.addWidget(self.problems)
        outer.addWidget(self.stack, 1)
        self.warnings_title = label("", "muted")
        self.warnings = problem_list(self.tr("Warnings"))
        self.warnings.setMaximumHeight(110)
        warnings_box = QVBoxLayout()
        warnings_box.setContentsMargins(32, 4, 32, 10)
        warnings_box.addWidget(self.warnings_title)
        warnings_box.addWidget(self.warnings)
        self.warnings_panel = QWidget()
        self.warnings_panel.setLayout(warnings_box)
        self.warnings_panel.hide()
        outer.addWidget(self.warnings_panel)
        self.setCentralWidget(central)

        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(self._changed)
        self.watcher.directoryChanged.connect(self._changed)
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(DEBOUNCE_MS)
        self.debounce.timeout.connect(self.reload)
        QShortcut(QKeySequence("F5"), self, self.reload)

    def _banner(self) -> QFrame:
        banner = QFrame()
        banner.setProperty("role", "card")
        row = QHBoxLayout(banner)
        row.setContentsMargins(18, 8, 12, 8)
        heading = label(self.tr("Preview"), "subtitle", wrap=False)
        row.addWidget(heading)
        self.banner_text = label(
            args(
                self.tr(
                    "%1 — nothing you do here is saved or sent. Saving a file in the folder reloads the preview."
                ),
                self.folder.name,
            ),
            "muted",
        )
        row.addWidget(self.banner_text, 1)
        self.status = label("", "muted", wrap=False)
        self.status.setAccessibleName(self.tr("Preview status"))
        row.addWidget(self.status)
        self.reload_button = button(self.tr("Reload"), self.tr("Load the module again from its folder (F5)"))
        self.reload_button.clicked.connect(lambda: self.reload())
        row.addWidget(self.reload_button)
        self.restart_button = button(
            self.tr("Start over"), self.tr("Start the module again from the first card")
        )
        self.restart_button.clicked.connect(self.start_over)
        row.addWidget(self.restart_button)
        return banner

    # -- watching -----------------------------------------------------------------------------

    def _watch(self) -> None:
        """Watch the folder and each file; editors that save by replacing a file drop its watch."""
        wanted = {str(self.folder)} if self.folder.is_dir() else set()
        if wanted:
            wanted |= {
                str(p)
                for p in self.folder.iterdir()
                if p.suffix.lower() in WATCHED_SUFFIXES and p.is_file() and not p.name.startswith(".")
            }
        watched = set(self.watcher.files()) | set(self.watcher.directories())
        missing = sorted(wanted - watched)
        if missing:
            self.watcher.addPaths(missing)

    def _changed(self, _path: str) -> None:
        self.debounce.start()  # restarts: one load after the last of a burst of changes

    # -- loading ------------------------------------------------------------------------------

    def start_over(self) -> None:
        self._position = None
        self._scroll = 0
        self.reload(keep_place=False)

    def reload(self, keep_place: bool = True) -> None:
        """Load the module again; never raises, whatever is in the folder."""
        self._watch()
        if self.player is not None and keep_place:
            view = self.player.view
            card = view.module.cards[view.card_index]
            self._position = Position(view.phase, card.id, view.card_index, view.check_index)
            self._scroll = self.player.scroll_area.verticalScrollBar().value()
        self._drop_player()
        try:
            result = load_catalog(self.folder)
        except Exception as exc:  # a bug in the checker must not take the author's window down
            log.exception("could not load %s", self.folder)
            self._show_problems([Problem(self.folder, 1, f"could not be loaded ({exc})")])
            return
        if result.catalog is None:
            self._show_problems(list(result.problems))
            return
        module = result.catalog.tracks[0].modules[0]
        try:
            learning = self.store.install(result.catalog, self.folder)
            view = learning.open_attempt(module.id)
            view = restore_position(learning, view, self._position)
        except Exception as exc:
            log.exception("could not open %s in the preview", self.folder)
            self._show_problems([Problem(self.folder, 1, f"could not be opened in the player ({exc})")])
            return
        self._show_player(learning, module.media, view, result.problems.warnings)

    def _drop_player(self) -> None:
        if self.player is not None:
            self.stack.removeWidget(self.player)
            self.player.deleteLater()
            self.player = None

    def _show_problems(self, problems: list[Problem]) -> None:
        self.problems.show_problems(problems, self.folder)
        self.stack.setCurrentWidget(self.problems)
        self.warnings_panel.hide()
        self.status.setText(args(self.tr("Problems found at %1"), _clock()))
        self.loaded.emit(False)

    def _show_player(
        self, learning: LearningService, media: dict[str, bytes], view: AttemptView, warnings: list[Problem]
    ) -> None:
        self.player = PlayerPage(learning, media, view)
        self.player.exit_requested.connect(self.close)
        self.player.finished.connect(self._show_results)
        self.stack.addWidget(self.player)
        self.stack.setCurrentWidget(self.player)
        self.setWindowTitle(args(self.tr("Preview: %1 — %2"), view.module.title, APP_DISPLAY_NAME))
        scroll = self._scroll
        QTimer.singleShot(0, self.player, lambda: self._scroll_to(scroll))
        fill(self.warnings, list(warnings), self.folder)
        self.warnings_title.setText(
            self.tr(
                "%n warning(s): the module works, but learners are better served when they are fixed",
                "",
                len(warnings),
            )
        )
        self.warnings_panel.setVisible(bool(warnings))
        self.status.setText(args(self.tr("Loaded at %1"), _clock()))
        self.loaded.emit(True)

    def _scroll_to(self, value: int) -> None:
        if self.player is not None:
            self.player.scroll_area.verticalScrollBar().setValue(value)

    def _show_results(self, view: AttemptView) -> None:
        self._drop_player()
        self._position = None
        results = ResultsPage(view)
        results.retry.connect(lambda _module_id: self.start_over())
        results.today_button.hide()  # there is no Today in a preview
        self.stack.addWidget(results)
        self.stack.setCurrentWidget(results)
        focus_soon(results.retry_button)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt naming)
        self.debounce.stop()
        self.watcher.removePaths(self.watcher.files() + self.watcher.directories())
        self._drop_player()
        self.store.close()
        super().closeEvent(event)


def run_preview(folder: Path, quit_after_load: bool = False) -> int:
    """Open the preview window; ``quit_after_load`` (for tests) closes it after the first load."""
    QApplication.setApplicationName(APP_NAME)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    install_language(app, "system")  # an author's own tool: no learner settings to read
    QApplication.setApplicationDisplayName(
        args(QCoreApplication.translate("preview", "%1 preview"), APP_DISPLAY_NAME)
    )
    apply_theme(app, "system", 0, app.font())
    window = PreviewWindow(folder)
    outcome: list[bool] = []

    def first_load(shown: bool) -> None:
        outcome.append(shown)
        if quit_after_load:
            if window.player is not None:
                view = window.player.view
                print(
                    f"preview: showing '{view.module.id}', card {view.card_index + 1} of {len(view.module.cards)}"
                )
            else:
                print(f"preview: {window.problems.problem_list.count()} problem(s) shown", file=sys.stderr)
            window.close()

    window.loaded.connect(first_load, Qt.ConnectionType.QueuedConnection)
    window.resize(1280, 760)
    window.show()
    QTimer.singleShot(0, window.reload)
    app.exec()
    if quit_after_load:
        return 0 if outcome and outcome[0] else 1
    return 0
