"""What the app loads before its window first paints: the real app in a subprocess.

The first paint is budgeted at 1.5x a bare PySide6 window (bench/startup.py measures it);
this keeps the heavy parts off that path - the store, the network, the other screens - so
a change that pulls them in fails here rather than only in a bench nobody ran.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.processes import child_env, run_microlearn

# Runs the app as ``microlearn`` does; when the app reports its first paint (a line on stdout),
# the modules loaded at that moment are written out too.
PROBE = """
import json, sys
from microlearn.cli.main import main

class Stdout:
    def __init__(self, real):
        self.real = real
    def write(self, text):
        if text.startswith("first-paint"):
            self.real.write("modules " + json.dumps(sorted(sys.modules)) + "\\n")
        return self.real.write(text)
    def flush(self):
        self.real.flush()

sys.stdout = Stdout(sys.stdout)
sys.argv = ["microlearn"]
raise SystemExit(main())
"""

NOT_BEFORE_FIRST_PAINT = (
    "sqlalchemy",
    "alembic",
    "pydantic",
    "httpx",
    "yaml",
    "PySide6.QtNetwork",
    "urllib.request",  # brings http.client and email: ~30 ms
    "logging.handlers",  # the log file is set up after the first paint
    "microlearn.store",
    "microlearn.services",
    "microlearn.domain",
    "microlearn.ui.library_page",
    "microlearn.ui.settings_page",
    "microlearn.ui.about_page",
    "microlearn.ui.sync_controller",
)


def loaded_at_first_paint(data_dir: Path) -> set[str]:
    env = child_env(
        QT_QPA_PLATFORM="offscreen",
        MICROLEARN_DATA_DIR=str(data_dir),
        MICROLEARN_POLICY="",
        MICROLEARN_QUIT_AFTER="first-paint",
    )
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stdout.splitlines() if line.startswith("modules ")]
    assert lines, done.stdout
    return set(json.loads(lines[0].removeprefix("modules ")))


@pytest.mark.gui
def test_the_window_paints_before_the_store_the_network_and_the_other_screens_load(
    tmp_path: Path,
) -> None:
    modules = loaded_at_first_paint(tmp_path)

    assert "microlearn.ui.main_window" in modules  # the probe saw the real start-up
    assert "microlearn.ui.today_page" in modules
    early = sorted(
        name
        for name in modules
        for heavy in NOT_BEFORE_FIRST_PAINT
        if name == heavy or name.startswith(heavy + ".")
    )
    assert early == [], f"loaded before the first paint: {early}"


@pytest.mark.gui
def test_the_window_uses_the_command_lines_settings(tmp_path: Path) -> None:
    # A --set value for the app itself (no command) reaches its configuration: an invalid one
    # is reported in the app's log under "command line", as for every other command.
    env = child_env(
        QT_QPA_PLATFORM="offscreen",
        MICROLEARN_DATA_DIR=str(tmp_path),
        MICROLEARN_POLICY="",
        MICROLEARN_QUIT_AFTER="data-shown",
    )
    done = run_microlearn("--set", "lrs.sync_interval_minutes=banana", env=env)
    assert done.returncode == 0, done.stderr
    assert "data-shown" in done.stdout
    log = (tmp_path / "logs" / "microlearn.log").read_text(encoding="utf-8")
    assert "command line: lrs.sync_interval_minutes must be a whole number" in log
