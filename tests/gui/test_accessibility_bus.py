"""With a screen reader's accessibility bus up, every screen still opens (issue: Settings crashed).

The window runs in a child process under Xvfb with a session and accessibility bus of its
own (tests/support/accessibility_bus.py). The child first checks that Qt's accessibility is
really active, so a bus that failed to start cannot make this pass.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Signal

import microlearn.ui  # noqa: F401 (installs the Qt workarounds, as the app does)
from tests.support.accessibility_bus import accessibility_bus, run_window_child

pytestmark = pytest.mark.gui

# The window as ui/app.py builds it (with a sync controller, no central record), then each
# section opened in turn, Settings twice, and a setting changed through its combo box. Any
# exception Qt hands to sys.excepthook (where a slot's error goes) is reported back.
CHILD = """
import json, sys, traceback
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication

app = QApplication(["microlearn-a11y-test"])
errors = []
sys.excepthook = lambda kind, value, tb: errors.append("".join(traceback.format_exception(kind, value, tb)))

from microlearn.services.startup import start_services
from microlearn.settings.paths import resolve_paths
from microlearn.ui.main_window import MainWindow
from microlearn.ui.sync_controller import SyncController

def settle(ms=200):
    # An event loop, not processEvents() in a loop: with PySide6 6.12 on Python 3.11 each
    # processEvents() call costs None a reference, and thousands of them abort the process.
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()

for _ in range(50):  # the bridge connects to the bus asynchronously
    if QAccessible.isActive():
        break
    settle(100)
facts = {"accessible": QAccessible.isActive(), "platform": app.platformName()}
services = start_services(resolve_paths())
window = MainWindow()
window.attach_sync(SyncController(window, first_sync_delay_ms=None, watch_network=False))
changed = []
window.setting_changed.connect(lambda name, value: changed.append([name, value]))
window.resize(1366, 768)
window.show()
window.services_ready(services)
settle()
shown = []
for row in (2, 0, 1, 3, 2):
    window.navigation.setCurrentRow(row)
    settle()
    shown.append(type(window.stack.currentWidget()).__name__)
combo = window.settings.theme
combo.setCurrentIndex(2)
combo.activated.emit(2)  # what picking "Dark" from the list does
settle()
facts.update(shown=shown, changed=changed, errors=errors)
print("facts " + json.dumps(facts), flush=True)
window.sync.shutdown()
window.close()
services.close()
"""


@pytest.fixture
def bus() -> Iterator[dict[str, str]]:
    with accessibility_bus() as env:
        yield env


def test_every_section_opens_with_the_accessibility_bus_up(
    bus: dict[str, str], data_dir: Path, tmp_path: Path
) -> None:
    done = run_window_child(["-c", CHILD], bus, data_dir, tmp_path, timeout=120)
    lines = [line for line in done.stdout.splitlines() if line.startswith("facts ")]
    assert done.returncode == 0 and lines, done.stdout + done.stderr
    facts = json.loads(lines[0].removeprefix("facts "))
    assert facts["platform"] == "xcb"
    assert facts["accessible"], "Qt's accessibility did not come up: this test would prove nothing"
    assert facts["errors"] == [], "\n".join(facts["errors"])
    assert facts["shown"] == ["SettingsPage", "TodayPage", "LibraryPage", "AboutPage", "SettingsPage"]
    assert facts["changed"] == [["display.theme", "dark"]]


class _Forwarder(QObject):
    changed = Signal(str, object)
    pressed = Signal()


def test_a_signal_forwarded_to_another_signals_emit_is_delivered_and_leaves_no_error(qtbot: object) -> None:
    # The root of the Settings crash: with the True-reference workaround installed, a
    # connection to ``signal.emit`` left a TypeError pending (ui/qt_workarounds.py, _Emit).
    source, relay = _Forwarder(), _Forwarder()
    received: list[tuple[str, object]] = []
    relay.changed.connect(lambda name, value: received.append((name, value)))
    for _ in range(3):  # the second connection to the same receiver is where it failed
        source.changed.connect(relay.changed.emit)
        source.pressed.connect(relay.pressed.emit)
    source.changed.emit("display.theme", "dark")
    assert received == [("display.theme", "dark")] * 3
