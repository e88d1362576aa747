"""The self-test's Qt step: show the main window offscreen and read back what Today shows.

``admin/selftest.py`` drives the steps and stays free of Qt (only ui/ imports Qt); it calls
these functions and turns a :class:`RenderFailedError` into that step's failure line.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import PySide6
from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer, qVersion
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel

from microlearn import APP_NAME
from microlearn.ui.main_window import MainWindow
from microlearn.ui.theme import apply_theme

if TYPE_CHECKING:
    from microlearn.services.startup import AppServices

MIN_COLOURS_OF_A_RENDERED_SCREEN = 16
# Platform names whose plugin file is named after them (the Wayland variants share one file).
PLUGIN_NAMED_LIKE_PLATFORM = ("offscreen", "minimal", "xcb", "windows", "cocoa")


class RenderFailedError(Exception):
    """What the rendering step found wrong, in words an admin can act on."""


def qt_version() -> str:
    return f"Qt {qVersion()}, PySide6 {PySide6.__version__}"


def missing_platform_plugin(platform: str) -> str | None:
    """Say so when the platform plugin is not installed: Qt would abort the process instead."""
    if platform not in PLUGIN_NAMED_LIKE_PLATFORM:
        return None
    folders = [Path(p) / "platforms" for p in QCoreApplication.libraryPaths()]
    for folder in folders:
        if any(f.name.split(".")[0] in (f"q{platform}", f"libq{platform}") for f in folder.glob("*q*")):
            return None
    where = ", ".join(str(f) for f in folders) or "no plugin folder at all"
    return f"the Qt platform plugin {platform!r} is not installed (looked in {where})"


def show_today(services: AppServices, platform: str, expected_titles: Iterable[str], timeout_s: float) -> str:
    """Show the main window, wait until Today is painted with data, return the titles it shows."""
    missing_plugin = missing_platform_plugin(platform)
    if missing_plugin:
        raise RenderFailedError(missing_plugin)
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
        timeout.start(int(timeout_s * 1000))
        if not shown["data"]:
            loop.exec()
        if not shown["data"]:
            what = "painted but never showed the data" if shown["painted"] else "never painted"
            raise RenderFailedError(f"the window {what} within {timeout_s:.0f} s")

        today = services.catalog.today()
        due = [today.continue_module, *today.in_progress, *today.up_next]
        due_titles = {m.title for m in due if m is not None}
        if not due_titles:
            raise RenderFailedError("the store says no module is due, so Today has nothing to show")
        texts = {w.text() for w in window.today.findChildren(QLabel) if w.isVisible()}
        actions = [w for w in window.today.findChildren(QAbstractButton) if w.isVisible()]
        missing = sorted(due_titles - texts)
        if missing:
            raise RenderFailedError(f"Today does not show the module(s) {', '.join(missing)}")
        shown_titles = sorted(texts & set(expected_titles))
        if not any(title in b.accessibleName() for b in actions for title in shown_titles):
            raise RenderFailedError("Today shows the modules but no button to open them")
        if not QFontDatabase.families():
            raise RenderFailedError("Qt found no fonts, so no text can be drawn (is fontconfig installed?)")
        image = window.grab().toImage()
        # Text is anti-aliased: a rendered Today has hundreds of colours, a blank window one or two.
        colours = {image.pixel(x, y) for x in range(0, image.width(), 4) for y in range(0, image.height(), 4)}
        if image.isNull() or len(colours) < MIN_COLOURS_OF_A_RENDERED_SCREEN:
            raise RenderFailedError(f"the rendered window is blank ({len(colours)} colour(s))")
        return "; ".join(shown_titles)
    finally:
        window.close()
        window.deleteLater()
        app.processEvents()
