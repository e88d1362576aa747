"""Start-up, top to bottom: Qt, paths and settings, the window, then the store in a worker.

The window paints before SQLAlchemy is even imported; the store is opened, migrated and
filled with content off the GUI thread, and the window is given the services when ready.
"""

from __future__ import annotations

import logging
import os
import sys
import time
import traceback
from types import TracebackType
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import QApplication

from microlearn import APP_DISPLAY_NAME, APP_NAME, __version__
from microlearn.settings.config import load_config, save_user_setting
from microlearn.settings.paths import resolve_paths
from microlearn.ui.language import install_language
from microlearn.ui.main_window import MainWindow
from microlearn.ui.tasks import TaskRunner
from microlearn.ui.theme import apply_theme, follow_system_scheme
from microlearn.ui.window_place import WindowPlace

if TYPE_CHECKING:
    from microlearn.services.startup import Upkeep

log = logging.getLogger(__name__)
# For benchmarks and the self-test: print when the window first paints / shows data, then quit.
QUIT_AFTER_ENV = "MICROLEARN_QUIT_AFTER"
WINDOW_FILE = "window.ini"  # the main window's size and place, in the config folder


def _install_excepthook(window: MainWindow) -> None:
    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        from PySide6.QtWidgets import QMessageBox

        log.error("unhandled error:\n%s", "".join(traceback.format_exception(kind, value, tb)))
        QMessageBox.warning(
            window,
            APP_DISPLAY_NAME,
            QCoreApplication.translate(
                "app",
                "Sorry, something went wrong. Your answers so far are saved. "
                "If it keeps happening, please tell IT.",
            ),
        )

    sys.excepthook = hook


def run_app(argv: list[str] | None = None, overrides: dict[str, str] | None = None) -> int:
    """Open the window; ``overrides`` are the command line's ``--set`` values for this run."""
    QApplication.setApplicationName(APP_NAME)
    QApplication.setApplicationDisplayName(APP_DISPLAY_NAME)
    QApplication.setApplicationVersion(__version__)
    QApplication.setDesktopFileName("microlearn")
    app = QApplication(argv if argv is not None else sys.argv)
    paths = resolve_paths()
    from microlearn import APP_ID
    from microlearn.ui.single_instance import SingleInstance, bring_to_front

    # One window per learner and data folder: a second launch raises the first and exits.
    # The lock is taken now; listening for that second launch waits for the first paint.
    instance = SingleInstance(f"{APP_ID}:{paths.data_dir}", app)
    if not instance.claim():
        return 0
    config = load_config(paths, overrides)
    language = install_language(app, config.get("display.language"))  # before any window has words
    base_font = app.font()
    apply_theme(app, config.get("display.theme"), config.get("display.font_size"), base_font)

    window = MainWindow()
    instance.raise_requested.connect(lambda token: bring_to_front(window, token))
    runner = TaskRunner(window)
    sync: Any = None  # the SyncController, built after the first paint

    def setting_changed(name: str, value: Any) -> None:
        save_user_setting(paths, name, value)
        fresh = load_config(paths, overrides)
        apply_theme(app, fresh.get("display.theme"), fresh.get("display.font_size"), base_font)
        if window.services is not None:
            window.services.config = fresh
            window.settings.show_config(fresh)

    window.setting_changed.connect(setting_changed)

    def system_scheme_changed() -> None:
        fresh = load_config(paths, overrides)
        if fresh.get("display.theme") == "system":
            apply_theme(app, "system", fresh.get("display.font_size"), base_font)

    follow_system_scheme(system_scheme_changed)
    quit_after = os.environ.get(QUIT_AFTER_ENV, "")
    if quit_after:
        signal = window.painted if quit_after == "first-paint" else window.data_shown

        def report() -> None:
            print(f"{quit_after} {time.time():.6f}", flush=True)
            window.close()
            app.quit()

        signal.connect(report, Qt.ConnectionType.QueuedConnection)

    _install_excepthook(window)
    WindowPlace(paths.config_dir / WINDOW_FILE, window).show(window)

    def start() -> Any:
        from microlearn.services.startup import start_services

        return start_services(paths, overrides=overrides, language=language)

    started = False

    def begin() -> None:
        # Opening the store imports SQLAlchemy; doing it after the first paint keeps that
        # cost (and the GIL it holds) off the path to a visible window.
        nonlocal started, sync
        from microlearn.settings.logs import setup_logging
        from microlearn.ui.sync_controller import SyncController

        if not started:
            started = True
            instance.listen()
            sync = SyncController(window)  # given the services with the window, once they are ready
            window.attach_sync(sync)
            setup_logging(paths.log_dir)
            for problem in config.problems:
                log.warning("configuration: %s", problem)
            runner.run(start, window.services_ready, window.startup_failed)

    window.painted.connect(begin, Qt.ConnectionType.QueuedConnection)

    def warm_up() -> None:
        # Import the ORM for the player while the learner reads Today; then the upkeep that
        # Today never waits for (the daily backup, the periodic integrity check).
        services = window.services
        if services is not None:
            runner.run(lambda: services.learning, lambda _learning: None)

            def told(upkeep: Upkeep) -> None:
                if upkeep.notices or upkeep.content_changed:
                    window.notices.extend(upkeep.notices)
                    window.refresh()

            runner.run(services.after_today, told)

    window.data_shown.connect(warm_up, Qt.ConnectionType.QueuedConnection)
    QTimer.singleShot(1000, begin)  # in case the window is never painted (minimised start)
    code = app.exec()
    if sync is not None:
        sync.shutdown()  # if the window was not closed first (e.g. the session ends)
    runner.wait()
    if window.services is not None:
        window.services.close()
    return int(code)
