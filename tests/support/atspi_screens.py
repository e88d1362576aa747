"""The window shown screen by screen, each read through AT-SPI as a screen reader reads it.

Run in a child process under Xvfb with the accessibility bus up (tests/support/
accessibility_bus.py): ``python atspi_screens.py SYSTEM_PYTHON``. On each screen it runs
``atspi_dump.py`` with the system Python (which has pyatspi) on this process, keeping the
event loop running meanwhile (Qt answers the reader from it), and prints one line
``screens {...}``: per screen, the AT-SPI objects and the texts the widgets show, to compare,
and what the window announced when an answer was checked and when the results appeared.
"""

from __future__ import annotations

import json
import sys
import traceback
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QProcess, QTimer
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication

DUMPER = Path(__file__).with_name("atspi_dump.py")
MODULE = "how-data-flows"  # 7 cards, 6 with an inline check, 7 questions drawn


def settle(ms: int = 200) -> None:
    # An event loop, not processEvents() in a loop (see tests/gui/test_accessibility_bus.py).
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def read_tree(system_python: str) -> list[dict[str, Any]]:
    """What AT-SPI says about this process now, read by another process."""
    reader = QProcess()
    loop = QEventLoop()
    reader.finished.connect(loop.quit)
    reader.start(system_python, [str(DUMPER), str(QApplication.applicationPid())])
    QTimer.singleShot(60_000, loop.quit)
    loop.exec()
    out = bytes(reader.readAllStandardOutput().data()).decode()
    err = bytes(reader.readAllStandardError().data()).decode()
    if reader.exitCode() != 0 or not out.strip():
        raise RuntimeError(f"the AT-SPI reader failed ({reader.exitCode()}): {err}")
    objects: list[dict[str, Any]] = json.loads(out)
    return objects


class Listener:
    """Another process hearing what this one announces, from :meth:`start` to :meth:`heard`."""

    def __init__(self, system_python: str) -> None:
        self._python = system_python
        self._process = QProcess()

    def start(self) -> None:
        loop = QEventLoop()
        self._process.readyReadStandardOutput.connect(loop.quit)
        self._process.start(self._python, [str(DUMPER), "--listen"])
        QTimer.singleShot(30_000, loop.quit)
        loop.exec()  # until it says "listening"
        settle(300)  # its listener is registered with the bus before it says so; let that spread

    def heard(self) -> list[str]:
        settle(500)  # announcements in flight on the bus
        loop = QEventLoop()
        self._process.finished.connect(loop.quit)
        self._process.write(b"stop\n")
        self._process.closeWriteChannel()
        QTimer.singleShot(30_000, loop.quit)
        loop.exec()
        out = bytes(self._process.readAllStandardOutput().data()).decode().splitlines()
        heard: list[str] = json.loads(out[-1]) if out and out[-1].startswith("[") else []
        return heard


def main() -> None:
    system_python = sys.argv[1]
    app = QApplication(["microlearn-atspi-screens"])
    errors: list[str] = []
    sys.excepthook = lambda kind, value, tb: errors.append(
        "".join(traceback.format_exception(kind, value, tb))
    )

    # After the QApplication: the app's modules import Qt, as ui/app.py orders it.
    from microlearn.services.startup import start_services
    from microlearn.settings.paths import resolve_paths
    from microlearn.ui.main_window import MainWindow
    from microlearn.ui.sync_controller import SyncController

    for _ in range(50):  # the bridge connects to the bus asynchronously
        if QAccessible.isActive():
            break
        settle(100)
    # A central record is set up (so Today's sync card and the status bar's link are there),
    # at a loopback port nothing listens on; no sync is started.
    services = start_services(resolve_paths(), overrides={"lrs.endpoint": "http://127.0.0.1:9/xAPI/"})
    window = MainWindow()
    window.attach_sync(SyncController(window, first_sync_delay_ms=None, watch_network=False))
    window.resize(1366, 768)
    window.show()
    window.activateWindow()
    window.services_ready(services)
    settle(400)
    screens: dict[str, Any] = {}

    def dump(name: str, **shown: str) -> None:
        # The restore at start-up runs in the background and changes the sync status when it
        # ends: read the tree again if the status moved while the reader was reading it.
        for _ in range(10):
            settle()
            status = window.sync_status.text()
            objects = read_tree(system_python)
            if window.sync_status.text() == status:
                break
        shown["sync_status"] = status
        screens[name] = {"objects": objects, "shown": shown}

    for row, name in enumerate(("today", "library", "settings", "about")):
        window.navigation.setCurrentRow(row)
        dump(name)
    window.navigation.setCurrentRow(0)
    window.open_module(MODULE)
    player = window.player
    assert player is not None
    while player.question is None:  # the first card with an inline check
        player.go_next()
    dump("lesson card", position=player.position_label.text())
    question = player.question
    for option_id, choice in question.option_buttons.items():
        choice.setChecked(option_id in question.question.correct_ids)
    listener = Listener(system_python)
    listener.start()
    question.submit.click()
    announced: dict[str, list[str]] = {"lesson card, checked": listener.heard()}
    dump(
        "lesson card, checked",
        position=player.position_label.text(),
        verdict=question.verdict.text(),
        explanation=question.explanation.text(),
    )
    while player.view.phase.value == "lessons":
        player.go_next()
    settle()
    dump("knowledge check", position=player.position_label.text())
    if player.view.check_index == 0:
        player.go_next()  # not answered: Next is disabled, nothing happens
    question = player.question
    assert question is not None
    question.first_option.setChecked(True)
    question.submit.click()
    if question.certainty_prompt is not None:  # "How sure are you?" is asked before submitting
        settle()
        dump("knowledge check, how sure")
    listener = Listener(system_python)
    listener.start()
    if question.certainty_prompt is not None:
        question.certainty_prompt.pick(3)
    announced["knowledge check, answered"] = listener.heard()
    dump(
        "knowledge check, answered",
        position=player.position_label.text(),
        verdict=question.verdict.text(),
        explanation=question.explanation.text(),
    )
    player.go_next()
    settle()
    dump("second question", position=player.position_label.text())  # Back is enabled here
    listener = Listener(system_python)
    while window.player is not None:
        current = window.player.question
        assert current is not None
        if not current.answered:
            current.first_option.setChecked(True)
            current.submit.click()
            if current.certainty_prompt is not None:
                current.certainty_prompt.pick(3)
        if window.player.view.check_index == len(window.player.view.drawn) - 1:
            listener.start()  # only the results are to be heard
        window.player.go_next()
    results = window.results
    assert results is not None
    announced["results"] = listener.heard()
    dump("results", headline=results.headline.text())
    window.show_sync_details()
    dump("sync details")
    print("screens " + json.dumps({"screens": screens, "announced": announced, "errors": errors}), flush=True)
    if window.sync is not None:
        window.sync.shutdown()
    window.close()
    services.close()
    app.quit()


if __name__ == "__main__":
    main()
