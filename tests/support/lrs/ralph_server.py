"""Run a real Ralph LRS (``ralph-malph``) on 127.0.0.1 for integration tests.

Ralph lives in its own virtual environment (its pins clash with ours), built once and
cached between test runs. Each :class:`RalphServer` gets a fresh temporary directory
holding its auth file, its fs-backend data and its log, so "a fresh Ralph" is simply a
new ``RalphServer()``.
"""

from __future__ import annotations

import base64
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

import platformdirs

RALPH_VERSION = "5.1.0"
RALPH_REQUIREMENTS = (f"ralph-malph[cli,lrs]=={RALPH_VERSION}", "requests")
# Written last, after a successful install: a venv without it (or with other
# contents) is half-installed or stale and gets rebuilt.
_MARKER_NAME = ".microlearn-ralph-ready"
_MARKER_TEXT = "\n".join(RALPH_REQUIREMENTS) + "\n"
_LAUNCHER = Path(__file__).with_name("run_ralph.py")

# Ralph 5.1.0 settings, read from its sources: ralph/conf.py (pydantic BaseSettings,
# env_prefix "RALPH_", case-sensitive) has AUTH_FILE, RUNSERVER_BACKEND and, in
# CoreSettings, APP_DIR (history file, default auth file); the LRS fs backend
# (ralph/backends/lrs/fs.py, FSLRSBackendSettings) reads env_prefix
# "RALPH_BACKENDS__LRS__FS__" - not the data backend's "RALPH_BACKENDS__DATA__FS__".
ENV_AUTH_FILE = "RALPH_AUTH_FILE"
ENV_APP_DIR = "RALPH_APP_DIR"
ENV_BACKEND = "RALPH_RUNSERVER_BACKEND"
ENV_FS_PATH = "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH"


def _resolve_cache_dir() -> Path:
    base = os.environ.get("MICROLEARN_TEST_CACHE") or platformdirs.user_cache_dir("microlearn-tests")
    return Path(base) / f"ralph-{RALPH_VERSION}"


# Resolved once, at import (collection time): tests/conftest.py points HOME and the
# XDG directories at a temporary folder for every test, which would otherwise make
# each function-scoped server build a new venv.
_CACHE_DIR = _resolve_cache_dir()


def cache_dir() -> Path:
    """Where the Ralph venv is cached: ``$MICROLEARN_TEST_CACHE`` or the user cache dir."""
    return _CACHE_DIR


def _venv_bin(venv: Path, name: str) -> Path:
    if sys.platform == "win32":
        return venv / "Scripts" / f"{name}.exe"
    return venv / "bin" / name


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """Exclusive inter-process lock (parallel pytest sessions share the cache)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+b") as fh:
        if sys.platform == "win32":
            import msvcrt

            fh.seek(0)  # msvcrt locks bytes from the current position
            while True:
                try:
                    msvcrt.locking(fh.fileno(), msvcrt.LK_LOCK, 1)
                    break
                except OSError:  # LK_LOCK gives up after ~10 s; keep waiting
                    continue
            try:
                yield
            finally:
                fh.seek(0)
                msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def ensure_ralph_venv() -> Path:
    """Return the path of a virtualenv with Ralph installed, creating it once."""
    root = cache_dir()
    venv = root / "venv"
    marker = venv / _MARKER_NAME
    with _file_lock(root / "install.lock"):
        if marker.is_file() and marker.read_text(encoding="utf-8") == _MARKER_TEXT:
            return venv
        shutil.rmtree(venv, ignore_errors=True)
        log = root / "install.log"
        with log.open("wb") as out:
            try:
                subprocess.run(
                    [sys.executable, "-m", "venv", str(venv)],
                    check=True,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
                subprocess.run(
                    [
                        str(_venv_bin(venv, "python")),
                        "-m",
                        "pip",
                        "install",
                        "--disable-pip-version-check",
                        *RALPH_REQUIREMENTS,
                    ],
                    check=True,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            except subprocess.CalledProcessError as exc:
                out.flush()
                tail = log.read_text(encoding="utf-8", errors="replace")[-4000:]
                raise RuntimeError(f"installing Ralph failed ({exc}); log {log}:\n{tail}") from exc
        marker.write_text(_MARKER_TEXT, encoding="utf-8")
        return venv


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class RalphServer:
    """One Ralph process with its own credentials and an empty fs data directory."""

    def __init__(self, *, start_timeout_s: float = 60.0) -> None:
        self._start_timeout_s = start_timeout_s
        self._username = "microlearn-test"
        self._password = f"pw-{uuid.uuid4().hex}"
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._port: int | None = None
        self._log_path: Path | None = None

    # -- public properties -------------------------------------------------------
    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("Ralph is not started")
        return self._port

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def endpoint(self) -> str:
        return f"{self.base_url}/xAPI/"

    @property
    def username(self) -> str:
        return self._username

    @property
    def password(self) -> str:
        return self._password

    @property
    def data_dir(self) -> Path:
        if self._tmp is None:
            raise RuntimeError("Ralph is not started")
        return Path(self._tmp.name) / "data"

    def log_text(self) -> str:
        if self._log_path is None or not self._log_path.exists():
            return ""
        return self._log_path.read_text(encoding="utf-8", errors="replace")

    # -- lifecycle -----------------------------------------------------------------
    def start(self) -> RalphServer:
        if self._proc is not None:
            raise RuntimeError("Ralph is already started")
        venv = ensure_ralph_venv()
        self._tmp = tempfile.TemporaryDirectory(prefix="microlearn-ralph-")
        tmp = Path(self._tmp.name)
        (tmp / "data").mkdir()
        (tmp / "app").mkdir()
        env = dict(os.environ)
        # Keep proxies away from our loopback server, and Ralph away from our files.
        for key in list(env):
            if key.lower() in ("http_proxy", "https_proxy", "all_proxy") or key.startswith("RALPH_"):
                del env[key]
        env.update(
            {
                ENV_APP_DIR: str(tmp / "app"),
                ENV_AUTH_FILE: str(tmp / "auth.json"),
                ENV_BACKEND: "fs",
                ENV_FS_PATH: str(tmp / "data"),
                "NO_PROXY": "127.0.0.1,localhost",
                "PYTHONUNBUFFERED": "1",
            }
        )
        python = _venv_bin(venv, "python")
        auth = subprocess.run(
            [
                str(python),
                "-m",
                "ralph",
                "auth",
                "-u",
                self._username,
                "-p",
                self._password,
                "-s",
                "statements/write",
                "-s",
                "statements/read",
                "-M",
                "mailto:microlearn-test@example.org",
                "-w",
            ],
            env=env,
            cwd=tmp,
            capture_output=True,
            text=True,
        )
        if auth.returncode != 0:
            self._cleanup()
            raise RuntimeError(f"`ralph auth` failed:\n{auth.stdout}\n{auth.stderr}")

        # A port picked here may be taken before Ralph binds it: retry a few times.
        last_error = ""
        for _attempt in range(3):
            self._port = _free_port()
            self._log_path = tmp / f"ralph-{self._port}.log"
            with self._log_path.open("wb") as log:
                self._proc = subprocess.Popen(
                    [str(python), str(_LAUNCHER), "--port", str(self._port)],
                    env=env,
                    cwd=tmp,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            last_error = self._wait_ready()
            if not last_error:
                return self
            self._kill()
        log_text = self.log_text()
        self._cleanup()
        raise RuntimeError(f"Ralph did not start: {last_error}\n--- Ralph log ---\n{log_text}")

    def _wait_ready(self) -> str:
        """Poll until Ralph answers an authenticated GET; return '' or why not."""
        assert self._proc is not None
        deadline = time.monotonic() + self._start_timeout_s
        token = base64.b64encode(f"{self._username}:{self._password}".encode()).decode()
        request = urllib.request.Request(
            f"{self.endpoint}statements?limit=1",
            headers={
                "Authorization": f"Basic {token}",
                "X-Experience-API-Version": "1.0.3",
            },
        )
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                return f"process exited with code {self._proc.returncode}"
            try:
                with opener.open(request, timeout=2) as response:
                    if response.status == 200:
                        return ""
            except urllib.error.HTTPError as exc:
                return f"HTTP {exc.code} from a fresh Ralph"
            except OSError:
                pass
            time.sleep(0.1)
        return f"no answer within {self._start_timeout_s} s"

    def _kill(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            if sys.platform == "win32":
                proc.terminate()
            else:
                os.kill(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                if sys.platform == "win32":
                    proc.kill()
                else:
                    os.kill(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)

    def _cleanup(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def stop(self) -> None:
        self._kill()
        self._cleanup()
        self._port = None

    def __enter__(self) -> RalphServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
