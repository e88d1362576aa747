"""One Microlearn per user: a second launch asks the running one to come to the front, then exits.

Usage, right after the QApplication exists::

    instance = SingleInstance(app_id)
    if not instance.claim():
        return 0  # the running window was asked to come to the front
    ...  # show the window
    instance.listen()  # may come after the first paint
    instance.raise_requested.connect(lambda token: bring_to_front(window, token))

How: a QLockFile decides who is first, race-free even when a learner double-clicks twice;
Qt treats a lock left by a dead process as stale (and on Unix an flock guards a live one).
The first instance then listens on a QLocalSocket (a Unix socket, or a named pipe on
Windows) restricted to the user; a later launch connects, sends ``raise`` and leaves. A
later launch that finds the lock held but nobody listening yet keeps trying for a few
seconds, so the first instance may start listening after its window has painted (QtNetwork
then stays off the path to the first paint). A socket file left behind by a crash is
removed before listening: holding the lock proves nobody else is using it. Names are per
user and per ``app_id`` (pass one that includes the data folder, so a portable copy with
its own data is a separate instance).
"""

from __future__ import annotations

import getpass
import logging
import os
import sys
import time
import zlib
from typing import TYPE_CHECKING

from PySide6.QtCore import QDir, QLockFile, QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

RAISE = "raise"
ACK = b"ok\n"
# Wayland (xdg-activation) and X11 startup notification give the launched process a token
# that lets a window take focus; the second launch hands its token to the first.
TOKEN_VARIABLES = ("XDG_ACTIVATION_TOKEN", "DESKTOP_STARTUP_ID")


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return str(os.getuid()) if hasattr(os, "getuid") else "user"


def instance_name(app_id: str) -> str:
    """Short (Unix socket paths are limited to ~100 bytes) and distinct per user and app id.

    A checksum, not a secret: the socket is restricted to the user whatever its name.
    """
    key = f"{app_id}\0{_user()}".encode()
    return f"microlearn-{zlib.crc32(key):08x}{zlib.adler32(key):08x}"


class SingleInstance(QObject):
    raise_requested = Signal(str)  # the launching desktop's activation token, or ""

    def __init__(self, app_id: str, parent: QObject | None = None, *, wait_s: float = 3.0) -> None:
        super().__init__(parent)
        self._name = instance_name(app_id)
        self._wait_s = wait_s
        self._lock = QLockFile(QDir(QDir.tempPath()).filePath(self._name + ".lock"))
        self._lock.setStaleLockTime(0)  # stale only when its process is gone, never by age
        self._server: QLocalServer | None = None

    @property
    def full_server_name(self) -> str:
        """Where the socket lives (a file on Unix), once listening."""
        return self._server.fullServerName() if self._server is not None else ""

    def claim(self) -> bool:
        """True: this is the only instance; call :meth:`listen` once the window shows. False:
        another one runs and has been asked to come to the front, so this process should exit."""
        deadline = time.monotonic() + self._wait_s
        waiting = False
        while True:
            if self._lock.tryLock(0):
                return True
            if self._lock.error() != QLockFile.LockError.LockFailedError:
                # No lock file possible here (e.g. the temp folder is read-only): the socket alone decides.
                log.warning("single instance: lock file unusable (%s)", self._lock.error())
                return not self._ask_to_raise()
            if self._ask_to_raise():
                return False
            if time.monotonic() >= deadline:
                # Its owner lives but does not answer: hung, or still starting. Never run two.
                log.warning("single instance: another instance holds the lock but does not answer")
                return False
            if not waiting:  # said once, so a log shows a launch that waited for a slow start
                log.info("single instance: another instance holds the lock; waiting for it to answer")
                waiting = True
            QThread.msleep(100)

    # -- the first instance ---------------------------------------------------------------------------

    def listen(self) -> bool:
        """Answer later launches; False if that is impossible here (this is still the only
        instance, it just cannot be brought to the front by a second launch)."""
        from PySide6.QtNetwork import QLocalServer

        if self._server is not None:
            return True
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        QLocalServer.removeServer(self._name)  # a crash's leftover: we hold the lock, so nobody uses it
        if not server.listen(self._name):
            # Still the only instance; it just cannot be brought to the front by a second launch.
            log.warning("single instance: cannot listen on %s: %s", self._name, server.errorString())
            return False
        server.newConnection.connect(self._accept)
        self._server = server
        return True

    def _accept(self) -> None:
        assert self._server is not None
        while self._server.hasPendingConnections():
            connection = self._server.nextPendingConnection()
            connection.readyRead.connect(lambda c=connection: self._read(c))
            connection.disconnected.connect(connection.deleteLater)
            if connection.bytesAvailable():
                self._read(connection)

    def _read(self, connection: QLocalSocket) -> None:
        import json

        if not connection.canReadLine():
            return
        line = bytes(connection.readLine().data()).decode("utf-8", errors="replace").strip()
        try:
            message = json.loads(line)
        except ValueError:
            message = {"action": line}
        if isinstance(message, dict) and message.get("action") == RAISE:
            connection.write(ACK)
            connection.flush()
            self.raise_requested.emit(str(message.get("token") or ""))
        connection.disconnectFromServer()

    # -- a later launch -----------------------------------------------------------------------------------

    def _ask_to_raise(self) -> bool:
        import json

        from PySide6.QtNetwork import QLocalSocket

        socket = QLocalSocket()
        socket.connectToServer(self._name)
        if not socket.waitForConnected(500):
            return False
        if sys.platform == "win32":
            # The launch the learner just made may pass the foreground on to the running window.
            import ctypes

            ctypes.windll.user32.AllowSetForegroundWindow(-1)  # ASFW_ANY
        token = next((os.environ[v] for v in TOKEN_VARIABLES if os.environ.get(v)), "")
        socket.write((json.dumps({"action": RAISE, "token": token}) + "\n").encode())
        socket.waitForBytesWritten(1000)
        # The first instance may still be starting: the request waits in the socket for its event loop.
        socket.waitForReadyRead(1000)
        socket.disconnectFromServer()
        return True


def bring_to_front(window: QWidget, activation_token: str = "") -> None:
    """Show ``window`` on top, un-minimised and focused (as far as the desktop allows)."""
    if activation_token:
        os.environ["XDG_ACTIVATION_TOKEN"] = activation_token  # read by Qt's Wayland plugin
    window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()
