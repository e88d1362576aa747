"""Loopback HTTP servers that misbehave the way real networks and wrong endpoints do (stdlib only).

Each connection's request is read whole, then answered by a behaviour::

    drip_headers(every_s)      the status line, then one header byte every ``every_s``
    drip_body(every_s)         whole headers, then one body byte every ``every_s``
                               (both hang up after ``for_s``, 10 s by default)
    huge_body(size, declared)  ``size`` bytes as fast as the socket takes them, with or
                               without a Content-Length announcing them
    fixed(status, body, content_type)
                               one ordinary answer (a captive portal's HTML page, ``{"ok":true}``…)

A behaviour stops when the client hangs up or the server stops, so nothing outlives a test.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable
from types import TracebackType

Behaviour = Callable[[socket.socket, threading.Event], None]
_CHUNK = b" " * (256 * 1024)


def _read_request(conn: socket.socket) -> bool:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return False
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(rest) < length:
        chunk = conn.recv(65536)
        if not chunk:
            return False
        rest += chunk
    return True


def _drip(conn: socket.socket, stop: threading.Event, every_s: float, for_s: float, byte: bytes) -> None:
    for _ in range(max(1, int(for_s / every_s))):
        if stop.wait(every_s):
            return
        conn.sendall(byte)


def drip_headers(every_s: float, for_s: float = 10.0) -> Behaviour:
    def behave(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
        _drip(conn, stop, every_s, for_s, b"a")

    return behave


def drip_body(every_s: float, for_s: float = 10.0) -> Behaviour:
    def behave(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n[")
        _drip(conn, stop, every_s, for_s, b" ")

    return behave


def huge_body(size: int, *, declared: bool) -> Behaviour:
    def behave(conn: socket.socket, stop: threading.Event) -> None:
        head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        head += f"Content-Length: {size}\r\n".encode() if declared else b"Connection: close\r\n"
        conn.sendall(head + b"\r\n[")
        sent = 1
        while sent < size and not stop.is_set():
            chunk = _CHUNK[: size - sent]
            conn.sendall(chunk)
            sent += len(chunk)

    return behave


def fixed(status: int, body: bytes, content_type: str = "application/json") -> Behaviour:
    def behave(conn: socket.socket, stop: threading.Event) -> None:
        head = (
            f"HTTP/1.1 {status} Status\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        conn.sendall(head.encode() + body)

    return behave


class HostileServer:
    def __init__(self, behaviour: Behaviour) -> None:
        self._behaviour = behaviour
        self._stop = threading.Event()
        self._listener: socket.socket | None = None
        self._threads: list[threading.Thread] = []
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        self.requests = 0

    @property
    def endpoint(self) -> str:
        if self._listener is None:
            raise RuntimeError("the server is not started")
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}/xAPI/"

    def start(self) -> HostileServer:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        listener.settimeout(0.1)
        self._listener = listener
        acceptor = threading.Thread(target=self._accept, name="hostile-server", daemon=True)
        self._threads.append(acceptor)
        acceptor.start()
        return self

    def _accept(self) -> None:
        assert self._listener is not None
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self._open.add(conn)
            worker = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(worker)
            worker.start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(30)
            if _read_request(conn):
                with self._lock:
                    self.requests += 1
                self._behaviour(conn, self._stop)
        except OSError:
            pass  # the client hung up: what these behaviours usually end with
        finally:
            with self._lock:
                self._open.discard(conn)
            conn.close()

    def stop(self) -> None:
        self._stop.set()
        with self._lock:
            sockets = list(self._open)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        for thread in self._threads:
            thread.join(timeout=5)
        if self._listener is not None:
            self._listener.close()
            self._listener = None

    def __enter__(self) -> HostileServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
