"""A screen reader's plumbing for the GUI tests: a session bus with the accessibility bus on it,
and a way to run the window in a child process under Xvfb that talks to it.

Qt only talks AT-SPI on a real display, so the window runs under ``xvfb-run``, with its own
session bus from ``dbus-launch`` and the accessibility bus (at-spi2-core) activated on it, as
a desktop session does at log-in. Needs the Debian packages ``dbus-x11``, ``at-spi2-core`` and
``xvfb``: a test is skipped without them on a developer's machine and fails under ``CI=true``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from tests.support.prerequisites import missing, require_command
from tests.support.processes import child_env

PACKAGES = "dbus-x11 at-spi2-core xvfb"


@contextmanager
def accessibility_bus() -> Iterator[dict[str, str]]:
    """A session bus of our own (dbus-launch) with the accessibility bus started on it; yields
    the environment a process needs to use it."""
    launch = require_command("dbus-launch", "dbus-x11")
    require_command("xvfb-run", "xvfb")
    dbus_send = require_command("dbus-send", "dbus")
    started = subprocess.run(
        [launch, "--sh-syntax"],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
        stdin=subprocess.DEVNULL,
    )
    bus: dict[str, str] = {}
    for line in started.stdout.splitlines():
        name, _, rest = line.partition("=")
        if name in ("DBUS_SESSION_BUS_ADDRESS", "DBUS_SESSION_BUS_PID"):
            bus[name] = rest.split(";")[0].strip().strip("'")
    assert "DBUS_SESSION_BUS_ADDRESS" in bus, started.stdout
    try:
        # Activates at-spi-bus-launcher (at-spi2-core), as a desktop session does at log-in.
        address = subprocess.run(
            [
                dbus_send,
                "--session",
                "--print-reply",
                "--dest=org.a11y.Bus",
                "/org/a11y/bus",
                "org.a11y.Bus.GetAddress",
            ],
            env={**os.environ, "DBUS_SESSION_BUS_ADDRESS": bus["DBUS_SESSION_BUS_ADDRESS"]},
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        if address.returncode != 0:
            missing(f"a working accessibility bus ({address.stderr.strip()}; Debian packages {PACKAGES})")
        yield {"DBUS_SESSION_BUS_ADDRESS": bus["DBUS_SESSION_BUS_ADDRESS"]}
    finally:
        # The bus daemon and the launcher it activated; both are ours, ended by their ids.
        if "DBUS_SESSION_BUS_PID" in bus:
            os.kill(int(bus["DBUS_SESSION_BUS_PID"]), signal.SIGTERM)


def run_window_child(
    args: list[str], bus: Mapping[str, str], data_dir: Path, cwd: Path, timeout: float = 180
) -> subprocess.CompletedProcess[str]:
    """``python ARGS`` under Xvfb (1366×768) with Qt's accessibility on, on ``bus``, with its
    learning data in ``data_dir``."""
    env = child_env(
        **bus,
        QT_QPA_PLATFORM="xcb",
        QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1",
        MICROLEARN_DATA_DIR=str(data_dir),
        MICROLEARN_POLICY="",
    )
    return subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 1366x768x24", sys.executable, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        cwd=cwd,
    )
