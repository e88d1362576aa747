"""``microlearn --self-test``: prove that this copy of the app works, without the learner's data.

IT runs it after a silent install, and CI runs it from the frozen bundle. Everything happens in
a temporary data directory that is deleted afterwards: create the store, install the bundled
content, then render the Today screen offscreen and check that it shows the modules. Each step
prints one line, so a crash inside Qt still leaves a trail; a failure prints
``self-test failed: <what was checked>: <what went wrong>`` and exits non-zero.

Qt is imported only by the rendering step (headless steps stay headless, as everywhere else).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from microlearn import APP_DISPLAY_NAME, __version__
from microlearn.settings.paths import DATA_DIR_ENV, POLICY_ENV

if TYPE_CHECKING:
    from microlearn.services.startup import AppServices
    from microlearn.settings.paths import AppPaths

EXIT_PASSED = 0
EXIT_FAILED = 1
RENDER_TIMEOUT_S = 60.0
MIN_COLOURS_OF_A_RENDERED_SCREEN = 16
# Settings that could make the self-test talk to the central record.
OUTSIDE_WORLD_ENV_PREFIXES = ("MICROLEARN_LRS_",)


class CheckFailedError(Exception):
    def __init__(self, check: str, problem: str) -> None:
        super().__init__(f"{check}: {problem}")
        self.check = check
        self.problem = problem


@dataclass(frozen=True)
class ExpectedModule:
    id: str
    title: str


def _output() -> IO[str] | None:
    """Where to report; None in a windowed build started without a console (the exit code tells)."""
    return sys.stdout


def _say(out: IO[str] | None, line: str) -> None:
    if out is not None:
        print(line, file=out, flush=True)


@contextmanager
def _isolated_environment(data_dir: Path) -> Iterator[None]:
    """Point every path at ``data_dir``; ignore the site policy and any LRS settings."""
    saved = dict(os.environ)
    os.environ[DATA_DIR_ENV] = str(data_dir)
    os.environ[POLICY_ENV] = ""
    for key in list(os.environ):
        if key.startswith(OUTSIDE_WORLD_ENV_PREFIXES):
            del os.environ[key]
    if not os.environ.get("QT_QPA_PLATFORM"):  # a platform someone chose is kept (e.g. xcb to test it)
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _check(check: str, step: Callable[[], Any]) -> Any:
    try:
        return step()
    except CheckFailedError:
        raise
    except Exception as exc:  # any failure becomes a reason an admin can read
        raise CheckFailedError(check, f"{type(exc).__name__}: {exc}") from exc


# -- the steps ----------------------------------------------------------------------------------


def read_bundled_content() -> tuple[Path, list[ExpectedModule]]:
    from microlearn.content.bundled import bundled_content_dir
    from microlearn.content.loader import load_catalog

    check = "read the bundled content"
    folder = bundled_content_dir()
    if not folder.is_dir():
        raise CheckFailedError(
            check, f"the content folder {folder} is missing; the installation is incomplete"
        )
    result = load_catalog(folder)
    if result.catalog is None:
        first = "; ".join(p.render(folder) for p in list(result.problems.errors)[:3])
        raise CheckFailedError(check, f"{len(result.problems.errors)} error(s) in {folder}, first: {first}")
    modules = [ExpectedModule(m.id, m.title) for t in result.catalog.tracks for m in t.modules]
    if not modules:
        raise CheckFailedError(check, f"{folder} holds no modules")
    return folder, modules


def create_store(paths: AppPaths) -> None:
    import sqlite3

    from microlearn.store import migrate
    from microlearn.store.opening import open_store

    check = "create the store"
    try:
        store = open_store(paths)
    except migrate.MigrationError as exc:
        raise CheckFailedError(check, str(exc)) from exc
    store.close()
    if not paths.database.is_file():
        raise CheckFailedError(check, f"no database was written at {paths.database}")
    connection = sqlite3.connect(paths.database)
    try:
        revision = migrate.current_revision(connection)
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        connection.close()
    if revision != migrate.HEAD_REVISION:
        raise CheckFailedError(
            check,
            f"schema is at {revision!r}, expected {migrate.HEAD_REVISION!r} "
            f"(migration scripts looked for in {migrate.MIGRATIONS_DIR})",
        )
    if integrity != "ok":
        raise CheckFailedError(check, f"the new database fails its integrity check: {integrity}")


def install_content(paths: AppPaths, folder: Path, expected: list[ExpectedModule]) -> None:
    from microlearn.services.content_install import install_if_changed
    from microlearn.store.opening import open_store

    check = "install the bundled content"
    store = open_store(paths)
    try:
        report = install_if_changed(store, folder)
    finally:
        store.close()
    if report.refused:
        first = "; ".join(p.render(folder) for p in report.problems[:3])
        raise CheckFailedError(check, f"the content was refused: {first}")
    if not report.installed or report.module_count != len(expected):
        raise CheckFailedError(
            check, f"installed {report.module_count} module(s), expected {len(expected)} from {folder}"
        )


def start_app_services(paths: AppPaths, folder: Path, expected: list[ExpectedModule]) -> AppServices:
    from microlearn.services.startup import start_services

    check = "start the services"
    services = start_services(paths, content_dir=folder)
    if not services.install.up_to_date:
        services.close()
        raise CheckFailedError(check, "the content was installed again although it had not changed")
    installed = {m.id for t in services.catalog.library() for m in t.modules}
    missing = sorted({m.id for m in expected} - installed)
    if missing:
        services.close()
        raise CheckFailedError(check, f"the Library lacks module(s) {', '.join(missing)}")
    return services


def render_today(services: AppServices, expected: list[ExpectedModule]) -> str:
    """Show the main window offscreen, wait until Today is painted with data, read what it shows."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtGui import QFontDatabase
    from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel

    from microlearn import APP_NAME
    from microlearn.ui.main_window import MainWindow
    from microlearn.ui.theme import apply_theme

    check = "render the Today screen"
    missing_plugin = _missing_platform_plugin(os.environ["QT_QPA_PLATFORM"])
    if missing_plugin:
        raise CheckFailedError(check, missing_plugin)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    apply_theme(
        app, services.config.get("display.theme"), services.config.get("display.font_size"), app.font()
    )
    window = MainWindow()
    try:
        shown = {"painted": False, "data": False}
        loop = QEventLoop()

        def painted() -> None:
            shown["painted"] = True

        def data_shown() -> None:
            shown["data"] = True
            loop.quit()

        window.painted.connect(painted)
        window.data_shown.connect(data_shown)
        timeout = QTimer()
        timeout.setSingleShot(True)
        timeout.timeout.connect(loop.quit)
        window.resize(1280, 760)
        window.show()
        window.services_ready(services)
        timeout.start(int(RENDER_TIMEOUT_S * 1000))
        if not shown["data"]:
            loop.exec()
        if not shown["data"]:
            what = "painted but never showed the data" if shown["painted"] else "never painted"
            raise CheckFailedError(check, f"the window {what} within {RENDER_TIMEOUT_S:.0f} s")

        today = services.catalog.today()
        due = [today.continue_module, *today.in_progress, *today.up_next]
        due_titles = {m.title for m in due if m is not None}
        if not due_titles:
            raise CheckFailedError(check, "the store says no module is due, so Today has nothing to show")
        texts = {w.text() for w in window.today.findChildren(QLabel) if w.isVisible()}
        actions = [w for w in window.today.findChildren(QAbstractButton) if w.isVisible()]
        missing = sorted(due_titles - texts)
        if missing:
            raise CheckFailedError(check, f"Today does not show the module(s) {', '.join(missing)}")
        known = {m.title for m in expected}
        shown_titles = sorted(texts & known)
        if not any(title in b.accessibleName() for b in actions for title in shown_titles):
            raise CheckFailedError(check, "Today shows the modules but no button to open them")
        if not QFontDatabase.families():
            raise CheckFailedError(
                check, "Qt found no fonts, so no text can be drawn (is fontconfig installed?)"
            )
        image = window.grab().toImage()
        # Text is anti-aliased: a rendered Today has hundreds of colours, a blank window one or two.
        colours = {image.pixel(x, y) for x in range(0, image.width(), 4) for y in range(0, image.height(), 4)}
        if image.isNull() or len(colours) < MIN_COLOURS_OF_A_RENDERED_SCREEN:
            raise CheckFailedError(check, f"the rendered window is blank ({len(colours)} colour(s))")
        return "; ".join(shown_titles)
    finally:
        window.close()
        window.deleteLater()
        app.processEvents()


# Platform names whose plugin file is named after them (the Wayland variants share one file).
PLUGIN_NAMED_LIKE_PLATFORM = ("offscreen", "minimal", "xcb", "windows", "cocoa")


def _missing_platform_plugin(platform: str) -> str | None:
    """Say so when the platform plugin is not installed: Qt would abort the process instead."""
    from PySide6.QtCore import QCoreApplication

    if platform not in PLUGIN_NAMED_LIKE_PLATFORM:
        return None
    folders = [Path(p) / "platforms" for p in QCoreApplication.libraryPaths()]
    for folder in folders:
        if any(f.name.split(".")[0] in (f"q{platform}", f"libq{platform}") for f in folder.glob("*q*")):
            return None
    where = ", ".join(str(f) for f in folders) or "no plugin folder at all"
    return f"the Qt platform plugin {platform!r} is not installed (looked in {where})"


def _qt_version() -> str:
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion

    return f"Qt {qVersion()}, PySide6 {pyside_version}"


# -- the command --------------------------------------------------------------------------------


def run() -> int:
    out = _output()
    started = time.monotonic()
    _say(out, f"{APP_DISPLAY_NAME} {__version__} self-test")
    # SQLite may hold the files a moment longer on Windows: a leftover temp file must not fail us.
    with tempfile.TemporaryDirectory(prefix="microlearn-self-test-", ignore_cleanup_errors=True) as scratch:
        data_dir = Path(scratch) / "data"
        try:
            with _isolated_environment(data_dir):
                from microlearn.settings.paths import resolve_paths

                paths = resolve_paths()
                _say(out, f"  data directory (temporary): {paths.data_dir}")
                folder, expected = _check("read the bundled content", read_bundled_content)
                _say(out, f"  ok  read the bundled content: {len(expected)} module(s) in {folder}")
                _check("create the store", lambda: create_store(paths))
                _say(out, "  ok  create the store: schema at the newest revision, integrity ok")
                _check("install the bundled content", lambda: install_content(paths, folder, expected))
                _say(out, f"  ok  install the bundled content: {len(expected)} module(s)")
                services = _check("start the services", lambda: start_app_services(paths, folder, expected))
                _say(out, "  ok  start the services: the Library lists every module")
                try:
                    qt = _check("load Qt", _qt_version)
                    platform = os.environ["QT_QPA_PLATFORM"]
                    _say(out, f"  ..  render the Today screen (Qt platform {platform!r}, {qt})")
                    shown = _check("render the Today screen", lambda: render_today(services, expected))
                finally:
                    services.close()
                _say(out, f"  ok  render the Today screen: shows {shown}")
        except CheckFailedError as failure:
            _say(out, f"self-test failed: {failure.check}: {failure.problem}")
            return EXIT_FAILED
    _say(out, f"self-test passed in {time.monotonic() - started:.1f} s")
    return EXIT_PASSED
