"""One instance per user, with real processes: a second launch raises the first and exits 0;
a socket left by a SIGKILLed instance does not block the next start."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.processes import child_env

pytestmark = pytest.mark.crash

TIMEOUT_S = 60

# A stand-in for the app: claims the instance, says so, and reports each raise request.
# With QUIT_AFTER=n it quits after n raise requests (or after a safety timeout). With
# LISTEN_DELAY_MS it starts listening that late, as the app does once its window has painted.
LAUNCHER = """
import os, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget
from microlearn.ui.single_instance import SingleInstance, bring_to_front

app = QApplication(sys.argv[:1])
instance = SingleInstance(sys.argv[1])
if not instance.claim():
    print("second: asked the running instance to come to the front", flush=True)
    sys.exit(0)
window = QWidget()
window.showMinimized()
raised = 0

def listen():
    assert instance.listen()
    print("first", instance.full_server_name, flush=True)

def on_raise(token):
    global raised
    raised += 1
    bring_to_front(window, token)
    print("raised", repr(token), "minimised" if window.isMinimized() else "shown", flush=True)
    if raised >= int(os.environ.get("QUIT_AFTER", "1")):
        app.quit()

instance.raise_requested.connect(on_raise)
delay = int(os.environ.get("LISTEN_DELAY_MS", "0"))
QTimer.singleShot(delay, listen) if delay else listen()
QTimer.singleShot(int(os.environ.get("SAFETY_MS", "45000")), app.quit)
sys.exit(app.exec())
"""


@pytest.fixture
def short_tmp() -> Iterator[Path]:
    # Unix socket paths are limited to ~100 bytes: pytest's tmp_path can be too long for one.
    folder = Path(tempfile.mkdtemp(prefix="mlsi-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def launcher(short_tmp: Path) -> Path:
    script = short_tmp / "launch.py"
    script.write_text(LAUNCHER, encoding="utf-8")
    return script


def env_for(short_tmp: Path, **extra: str) -> dict[str, str]:
    env = child_env()
    env["TMPDIR"] = str(short_tmp)  # QDir.tempPath(): where the lock file and the socket go
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.pop("XDG_ACTIVATION_TOKEN", None)
    env.pop("DESKTOP_STARTUP_ID", None)
    env.update(extra)
    return env


def start(launcher: Path, app_id: str, env: dict[str, str]) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, str(launcher), app_id],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    first_line = process.stdout.readline().strip()
    return process, first_line


def launch(launcher: Path, app_id: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(launcher), app_id], capture_output=True, text=True, env=env, timeout=TIMEOUT_S
    )


def finish(process: subprocess.Popen[str]) -> tuple[int, str]:
    out, _err = process.communicate(timeout=TIMEOUT_S)
    return process.returncode, out


def stop(process: subprocess.Popen[str]) -> None:
    """Kill it if still running, and close its pipes."""
    if process.poll() is None:
        process.kill()
    process.communicate(timeout=TIMEOUT_S)


def test_a_second_launch_brings_the_first_to_the_front_and_exits_0(launcher: Path, short_tmp: Path) -> None:
    app_id = f"test-{uuid.uuid4().hex}"
    first, line = start(launcher, app_id, env_for(short_tmp))
    try:
        assert line.startswith("first "), line

        second = launch(launcher, app_id, env_for(short_tmp, XDG_ACTIVATION_TOKEN="token-from-the-desktop"))

        assert second.returncode == 0, second.stderr
        assert second.stdout.startswith("second: asked the running instance")
        code, out = finish(first)
        assert code == 0
        assert "raised 'token-from-the-desktop' shown" in out  # un-minimised, with the desktop's token
    finally:
        stop(first)


def test_a_launch_while_the_first_is_still_starting_waits_for_it(launcher: Path, short_tmp: Path) -> None:
    # The first instance holds the lock at once but listens only after its first paint.
    app_id = f"test-{uuid.uuid4().hex}"
    first = subprocess.Popen(
        [sys.executable, str(launcher), app_id],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env_for(short_tmp, LISTEN_DELAY_MS="1500"),
    )
    try:
        lock = wait_for_lock(short_tmp, first)
        assert not list(short_tmp.glob("microlearn-*[!k]"))  # locked, not listening yet

        second = launch(launcher, app_id, env_for(short_tmp))

        assert second.returncode == 0, second.stderr
        assert second.stdout.startswith("second: asked the running instance")
        code, out = finish(first)
        assert code == 0 and out.startswith("first ") and "raised '' shown" in out, out
        assert lock.name.endswith(".lock")
    finally:
        stop(first)


def wait_for_lock(folder: Path, process: subprocess.Popen[str]) -> Path:
    for _ in range(600):
        locks = list(folder.glob("microlearn-*.lock"))
        if locks:
            return locks[0]
        assert process.poll() is None, process.communicate()
        time.sleep(0.01)
    raise AssertionError("the first instance never took its lock")


def test_a_socket_left_by_a_killed_instance_does_not_block_the_next_start(
    launcher: Path, short_tmp: Path
) -> None:
    app_id = f"test-{uuid.uuid4().hex}"
    env = env_for(short_tmp)
    crashed, line = start(launcher, app_id, env)
    assert line.startswith("first "), line
    socket_path = Path(line.split(" ", 1)[1])
    crashed.send_signal(signal.SIGKILL if hasattr(signal, "SIGKILL") else signal.SIGTERM)
    stop(crashed)
    if sys.platform != "win32":
        assert socket_path.exists()  # the crash left its socket (and its lock file) behind
        assert list(short_tmp.glob("microlearn-*.lock"))

    restarted, line = start(launcher, app_id, env)
    try:
        assert line.startswith("first "), (
            line,
            restarted.stderr.read() if restarted.poll() is not None else "",
        )
        second = launch(launcher, app_id, env)  # and the new one answers later launches
        assert second.returncode == 0 and second.stdout.startswith("second:")
        assert finish(restarted) == (0, "raised '' shown\n")
    finally:
        stop(restarted)


def test_simultaneous_launches_start_exactly_one_instance(launcher: Path, short_tmp: Path) -> None:
    app_id = f"test-{uuid.uuid4().hex}"
    env = env_for(short_tmp, QUIT_AFTER="3")
    processes = [
        subprocess.Popen(
            [sys.executable, str(launcher), app_id],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(4)
    ]
    try:
        results = [p.communicate(timeout=TIMEOUT_S) for p in processes]
    finally:
        for p in processes:
            stop(p)
    outputs = [out for out, _err in results]
    assert [p.returncode for p in processes] == [0, 0, 0, 0], [err for _out, err in results]
    assert sum(out.startswith("first ") for out in outputs) == 1, outputs
    assert sum(out.startswith("second:") for out in outputs) == 3, outputs
    (winner,) = [out for out in outputs if out.startswith("first ")]
    assert winner.count("raised") == 3


def test_other_app_ids_are_other_instances(launcher: Path, short_tmp: Path) -> None:
    env = env_for(short_tmp, SAFETY_MS="3000")
    one, line_one = start(launcher, f"test-{uuid.uuid4().hex}", env)
    two, line_two = start(launcher, f"test-{uuid.uuid4().hex}", env)
    try:
        assert line_one.startswith("first ") and line_two.startswith("first ")
    finally:
        for process in (one, two):
            stop(process)


def test_the_real_app_answers_a_second_launch_once_its_window_is_up(short_tmp: Path) -> None:
    # The app itself, not the stand-in: it listens only after its first paint, and a second
    # `microlearn` for the same data folder is answered (not left waiting) and exits 0.
    data = short_tmp / "data"
    env = env_for(short_tmp, MICROLEARN_DATA_DIR=str(data), MICROLEARN_POLICY="")
    first = subprocess.Popen(
        [sys.executable, "-m", "microlearn"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        socket = wait_for_socket(short_tmp, first)

        second = subprocess.run(
            [sys.executable, "-m", "microlearn"], capture_output=True, text=True, env=env, timeout=TIMEOUT_S
        )

        assert second.returncode == 0, second.stderr
        assert "does not answer" not in second.stderr  # it was heard, not timed out
        assert first.poll() is None  # the first one is still running
        assert socket.exists()
    finally:
        stop(first)


def wait_for_socket(folder: Path, process: subprocess.Popen[str]) -> Path:
    for _ in range(3000):
        sockets = [p for p in folder.glob("microlearn-*") if p.suffix != ".lock"]
        if sockets:
            return sockets[0]
        assert process.poll() is None, process.communicate()
        time.sleep(0.01)
    raise AssertionError("the app never started listening for a second launch")
