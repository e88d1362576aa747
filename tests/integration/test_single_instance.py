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
from typing import IO

import pytest

from tests.support.processes import child_env

pytestmark = pytest.mark.crash

TIMEOUT_S = 60

# A stand-in for the app: claims the instance, says so, and reports each raise request; its log
# goes to stderr. With QUIT_AFTER=n it quits after n raise requests (or after a safety timeout).
# With LISTEN_ON_STDIN it says "locked" and starts listening only when a line arrives on its
# standard input, as the app does once its window has painted: the test decides when, no timer
# does. WAIT_S is how long a later launch keeps asking a first one that does not answer.
LAUNCHER = """
import logging, os, sys, threading
from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QWidget
from microlearn.ui.single_instance import SingleInstance, bring_to_front

logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
app = QApplication(sys.argv[:1])
instance = SingleInstance(sys.argv[1], wait_s=float(os.environ.get("WAIT_S", "3")))
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

class OnStdin(QObject):
    line = Signal()  # emitted by the reader thread, delivered on the GUI thread (queued)

    @Slot()
    def listen(self):
        listen()

instance.raise_requested.connect(on_raise)
if os.environ.get("LISTEN_ON_STDIN"):
    on_stdin = OnStdin()
    on_stdin.line.connect(on_stdin.listen)
    print("locked", flush=True)
    threading.Thread(target=lambda: (sys.stdin.readline(), on_stdin.line.emit()), daemon=True).start()
else:
    listen()
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
        stdin=subprocess.PIPE,
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


def sockets(folder: Path) -> list[Path]:
    return [path for path in folder.glob("microlearn-*") if path.suffix != ".lock"]


def read_until(stream: IO[str], wanted: str) -> list[str]:
    """Lines read from ``stream`` up to the one containing ``wanted`` (all of them if it never comes)."""
    lines = []
    for line in stream:
        lines.append(line)
        if wanted in line:
            break
    return lines


def test_a_launch_while_the_first_is_still_starting_waits_for_it(launcher: Path, short_tmp: Path) -> None:
    # The first instance holds the lock at once but listens only after its first paint.
    app_id = f"test-{uuid.uuid4().hex}"
    first, line = start(launcher, app_id, env_for(short_tmp, LISTEN_ON_STDIN="1"))
    second: subprocess.Popen[str] | None = None
    try:
        assert line == "locked", line
        assert list(short_tmp.glob("microlearn-*.lock")) and not sockets(short_tmp)  # not listening yet
        second = subprocess.Popen(
            [sys.executable, str(launcher), app_id],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env_for(short_tmp, WAIT_S="60"),
        )
        assert second.stderr is not None and first.stdin is not None
        # The lock is held and nobody answers: the later launch keeps asking...
        logged = read_until(second.stderr, "waiting for it to answer")
        assert "waiting for it to answer" in logged[-1], logged
        assert second.poll() is None

        first.stdin.write("painted\n")  # ...until the first has painted and listens.
        first.stdin.flush()

        code, out = finish(second)
        assert code == 0 and out.startswith("second: asked the running instance"), out
        code, out = finish(first)
        assert code == 0 and out.startswith("first ") and "raised '' shown" in out, out
    finally:
        stop(first)
        if second is not None:
            stop(second)


def test_a_launch_never_starts_a_second_instance_beside_one_that_does_not_answer(
    launcher: Path, short_tmp: Path
) -> None:
    # The first holds the lock and never listens (hung). WAIT_S=0: the later launch's patience is
    # used up at its first try, so the test waits for no clock.
    app_id = f"test-{uuid.uuid4().hex}"
    first, line = start(launcher, app_id, env_for(short_tmp, LISTEN_ON_STDIN="1"))
    try:
        assert line == "locked", line

        second = launch(launcher, app_id, env_for(short_tmp, WAIT_S="0"))

        assert second.returncode == 0, second.stderr
        assert not second.stdout.startswith("first"), second.stdout  # it did not take over
        assert "holds the lock but does not answer" in second.stderr
        assert first.poll() is None  # and the first one is left alone
    finally:
        stop(first)


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
