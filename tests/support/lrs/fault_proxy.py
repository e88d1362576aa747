"""A fault-injecting HTTP proxy in front of a real LRS (stdlib only).

It listens on 127.0.0.1, reads each request completely, decides what to do with it
(a fault from an explicit queue, from a seeded random draw, or the default), and
either answers by itself, forwards the request to the LRS over a fresh upstream
connection, or resets the client's connection. Every answer it gives carries
``Connection: close`` and the connection is closed after it, so a client never
reuses a connection the proxy is about to drop. It also accepts absolute-form
requests, so it can stand in as the client's HTTP proxy (``proxy_url``).

Faults::

    passthrough()          forward unchanged (the default)
    delay(s)               wait s seconds, then forward
    reset_before()         RST the client connection; nothing reaches the LRS
    reset_after()          forward, read the LRS's full answer (it HAS stored the
                           statements), then RST the client without replying
    status(503, retry_after=2)
                           answer by itself, forward nothing
    strict_409()           a stricter LRS: a POST/PUT whose statement ids are already
                           stored (any of them) gets 409 and nothing of it is stored

``FaultProxy(endpoint, strict=True)`` is the strict-LRS emulation (see strict_lrs.py): every
request is answered as an LRS that follows xAPI 1.0.3 to the letter would, with the faults
above still applied on the way (``delay`` then means slow processing: the write is stored
after the delay whether or not the client still waits).
"""

from __future__ import annotations

import contextlib
import email.utils
import http.client
import json
import random
import socket
import struct
import sys
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

from tests.support.lrs.strict_lrs import StrictLrs

_HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "content-length",
    "host",
}
_REASONS = {
    409: "Conflict",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}
_MAX_HEAD = 64 * 1024
# struct linger {l_onoff=1, l_linger=0}; its fields are u_short on Windows, int elsewhere.
_LINGER_ZERO = struct.pack("HH" if sys.platform == "win32" else "ii", 1, 0)


@dataclass(frozen=True)
class Fault:
    kind: str  # "pass", "delay", "reset_before", "reset_after", "status", "strict_409"
    seconds: float = 0.0
    status: int = 0
    retry_after: int | float | str | None = None
    body: str = ""  # "answer": what a hostile server sends instead of the LRS's answer
    content_type: str = "application/json"
    forward: bool = False  # "answer": pass the request on (it is stored) before answering


def answer(code: int, body: str, content_type: str = "application/json", *, forward: bool = False) -> Fault:
    """Answer ``code`` with ``body`` (a captive portal's page, ``{"ok": true}``…), after
    storing the request upstream when ``forward``."""
    return Fault("answer", status=code, body=body, content_type=content_type, forward=forward)


def passthrough() -> Fault:
    return Fault("pass")


def delay(seconds: float) -> Fault:
    return Fault("delay", seconds=seconds)


def reset_before() -> Fault:
    return Fault("reset_before")


def reset_after() -> Fault:
    return Fault("reset_after")


def status(code: int, retry_after: int | float | str | None = None) -> Fault:
    if code not in (429, 500, 503):
        raise ValueError(f"unsupported injected status {code}")
    return Fault("status", status=code, retry_after=retry_after)


def strict_409() -> Fault:
    return Fault("strict_409")


@dataclass
class Request:
    method: str
    target: str  # path and query, as sent
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


@dataclass
class Exchange:
    """What happened to one request, for assertions."""

    method: str
    target: str
    fault: Fault
    headers: list[tuple[str, str]]
    body: bytes
    upstream_status: int | None = None  # the LRS's answer, if it was asked
    client_status: int | None = None  # what the client got, None if reset
    client_gone: bool = False  # the client hung up before the answer (e.g. its timeout)


@dataclass
class _Schedule:
    queue: list[Fault] = field(default_factory=list)
    rng: random.Random | None = None
    weights: list[tuple[Fault, float]] = field(default_factory=list)
    default: Fault = field(default_factory=passthrough)
    methods: frozenset[str] | None = None  # None: every method is subject to faults


class FaultProxy:
    def __init__(
        self,
        upstream_endpoint: str,
        *,
        upstream_timeout_s: float = 30.0,
        strict: bool = False,
        processing_s: float = 0.0,
    ) -> None:
        parts = urlsplit(upstream_endpoint)
        if parts.scheme != "http" or parts.hostname is None:
            raise ValueError("the fault proxy fronts a plain-HTTP LRS endpoint")
        self._up_host = parts.hostname
        self._up_port = parts.port or 80
        self._endpoint_path = parts.path or "/"
        self._up_timeout = upstream_timeout_s
        self._lock = threading.Lock()
        self._schedule = _Schedule()
        self._stopping = threading.Event()
        self._listener: socket.socket | None = None
        self._acceptor: threading.Thread | None = None
        self._workers: set[threading.Thread] = set()
        self._open: set[socket.socket] = set()
        self.exchanges: list[Exchange] = []
        self.requests = 0
        self.forwarded = 0
        self.injected: Counter[str] = Counter()
        self.errors: list[str] = []  # proxy-side failures, so tests can assert on none
        # The strict-LRS emulation; ``strict.processing_s`` may be changed between requests.
        self.strict: StrictLrs | None = None
        if strict:
            self.strict = StrictLrs(
                self._endpoint_path,
                forward=self._forward,
                fetch=self._fetch,
                wait=self._stopping.wait,
                processing_s=processing_s,
            )

    def held_twice(self) -> set[str]:
        """Ids the strict LRS holds two statements for (always empty without ``strict``)."""
        return self.strict.held_twice() if self.strict is not None else set()

    # -- schedule ----------------------------------------------------------------
    def queue(self, *faults: Fault, methods: Iterable[str] | None = None) -> None:
        """Apply `faults` to the next requests, in order; then the random mode or default."""
        with self._lock:
            self._schedule.queue.extend(faults)
            if methods is not None:
                self._schedule.methods = frozenset(m.upper() for m in methods)

    def set_random(
        self,
        seed: int,
        weights: Sequence[tuple[Fault, float]],
        *,
        methods: Iterable[str] | None = None,
    ) -> None:
        """Each request draws a fault with these probabilities (the rest: the default)."""
        if sum(p for _, p in weights) > 1.0 + 1e-9:
            raise ValueError("fault probabilities add up to more than 1")
        with self._lock:
            self._schedule.rng = random.Random(seed)
            self._schedule.weights = list(weights)
            if methods is not None:
                self._schedule.methods = frozenset(m.upper() for m in methods)

    def set_default(self, fault: Fault) -> None:
        """What requests get when no queued or random fault applies (e.g. strict_409())."""
        with self._lock:
            self._schedule.default = fault

    def clear(self) -> None:
        with self._lock:
            self._schedule = _Schedule()

    def reset_counters(self) -> None:
        with self._lock:
            self.exchanges.clear()
            self.requests = 0
            self.forwarded = 0
            self.injected.clear()

    def _next_fault(self, method: str) -> Fault:
        with self._lock:
            self.requests += 1
            sched = self._schedule
            if sched.methods is not None and method not in sched.methods:
                return passthrough()
            if sched.queue:
                fault = sched.queue.pop(0)
            elif sched.rng is not None:
                draw, fault = sched.rng.random(), sched.default
                for candidate, probability in sched.weights:
                    if draw < probability:
                        fault = candidate
                        break
                    draw -= probability
            else:
                fault = sched.default
            if fault.kind != "pass":
                self.injected[fault.kind] += 1
            return fault

    # -- lifecycle ------------------------------------------------------------------
    @property
    def port(self) -> int:
        if self._listener is None:
            raise RuntimeError("the proxy is not started")
        port: int = self._listener.getsockname()[1]
        return port

    @property
    def proxy_url(self) -> str:
        """For use as an HTTP proxy (absolute-form requests all go to the one LRS)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        """The LRS endpoint as seen through the proxy (same path)."""
        return f"http://127.0.0.1:{self.port}{self._endpoint_path}"

    def start(self) -> FaultProxy:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        listener.settimeout(0.1)  # lets the accept loop notice stop()
        self._listener = listener
        self._stopping.clear()
        self._acceptor = threading.Thread(target=self._accept_loop, name="fault-proxy", daemon=True)
        self._acceptor.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._acceptor is not None:
            self._acceptor.join(timeout=5)
            self._acceptor = None
        with self._lock:
            sockets = list(self._open)
            workers = list(self._workers)
        for sock in sockets:  # wakes workers blocked on a client
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        for worker in workers:
            worker.join(timeout=self._up_timeout + 5)
        if self._listener is not None:
            self._listener.close()
            self._listener = None

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _accept_loop(self) -> None:
        assert self._listener is not None
        while not self._stopping.is_set():
            try:
                conn, _addr = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(self._up_timeout)
            worker = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            with self._lock:
                self._open.add(conn)
                self._workers.add(worker)
            worker.start()

    # -- one connection: one request, one answer (or a reset) --------------------------
    def _serve(self, conn: socket.socket) -> None:
        reset = False
        try:
            request = _read_request(conn)
            if request is None:
                return
            fault = self._next_fault(request.method)
            exchange = Exchange(request.method, request.target, fault, request.headers, request.body)
            with self._lock:
                self.exchanges.append(exchange)
            if fault.kind == "reset_before":
                reset = True
                return
            if fault.kind == "status":
                exchange.client_status = fault.status
                _send_json(conn, fault.status, {"detail": "injected by the fault proxy"}, fault.retry_after)
                return
            if fault.kind == "answer":
                if fault.forward:
                    stored = (
                        self.strict.handle(request, 0.0)
                        if self.strict is not None
                        else self._forward(request)
                    )
                    exchange.upstream_status = stored[0] if stored is not None else None
                exchange.client_status = fault.status
                _send_response(
                    conn, fault.status, [("Content-Type", fault.content_type)], fault.body.encode()
                )
                return
            if self.strict is not None:
                answer = self.strict.handle(request, fault.seconds if fault.kind == "delay" else 0.0)
                if answer is None:  # stopping while the write was being processed
                    reset = True
                    return
                exchange.upstream_status = answer[0]
                if fault.kind == "reset_after":
                    reset = True
                    return
                self._reply(conn, exchange, *answer)
                return
            if fault.kind == "delay" and self._stopping.wait(fault.seconds):
                reset = True
                return
            if fault.kind == "strict_409" and self._any_stored(request):
                exchange.client_status = 409
                _send_json(conn, 409, {"detail": "a statement with this id is already stored"}, None)
                return
            code, headers, body = self._forward(request)
            exchange.upstream_status = code
            if fault.kind == "reset_after":
                reset = True
                return
            self._reply(conn, exchange, code, headers, body)
        except Exception as exc:  # keep the worker quiet, but let tests see it
            with self._lock:
                self.errors.append(f"{type(exc).__name__}: {exc}")
            reset = True
        finally:
            if reset:
                # SO_LINGER 0: close() sends a real RST instead of a FIN.
                with contextlib.suppress(OSError):
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _LINGER_ZERO)
            else:
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_WR)
            conn.close()
            with self._lock:
                self._open.discard(conn)
                self._workers.discard(threading.current_thread())

    @staticmethod
    def _reply(
        conn: socket.socket, exchange: Exchange, code: int, headers: list[tuple[str, str]], body: bytes
    ) -> None:
        try:
            _send_response(conn, code, headers, body)
        except (BrokenPipeError, ConnectionResetError):
            exchange.client_gone = True  # not a proxy failure: the client stopped waiting
            return
        exchange.client_status = code

    def _upstream(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self._up_host, self._up_port, timeout=self._up_timeout)

    def _forward(self, request: Request) -> tuple[int, list[tuple[str, str]], bytes]:
        headers = {k: v for k, v in request.headers if k.lower() not in _HOP_BY_HOP}
        headers["Content-Length"] = str(len(request.body))
        connection = self._upstream()
        try:
            connection.request(request.method, request.target, body=request.body, headers=headers)
            response = connection.getresponse()
            body = response.read()
            with self._lock:
                self.forwarded += 1
            return response.status, response.getheaders(), body
        finally:
            connection.close()

    def _fetch(self, target: str, authorization: str | None) -> tuple[int, bytes]:
        """One GET to the LRS on the emulation's own account (not counted as forwarded)."""
        headers = {"X-Experience-API-Version": "1.0.3"}
        if authorization:
            headers["Authorization"] = authorization
        connection = self._upstream()
        try:
            connection.request("GET", target, headers=headers)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def _any_stored(self, request: Request) -> bool:
        """Ask the LRS, with the client's own credentials, whether any id is known."""
        if request.method not in ("POST", "PUT"):
            return False
        try:
            payload: Any = json.loads(request.body)
        except ValueError:
            return False
        statements = payload if isinstance(payload, list) else [payload]
        ids = [s["id"] for s in statements if isinstance(s, dict) and isinstance(s.get("id"), str)]
        path = request.target.split("?", 1)[0]
        for statement_id in ids:
            code, body = self._fetch(f"{path}?statementId={statement_id}", request.header("Authorization"))
            if code == 200 and _contains_id(json.loads(body), statement_id):
                return True
        return False


def _contains_id(data: Any, statement_id: str) -> bool:
    if isinstance(data, dict) and isinstance(data.get("statements"), list):
        data = data["statements"]
    items = data if isinstance(data, list) else [data]
    return any(isinstance(item, dict) and item.get("id") == statement_id for item in items)


def _recv_until(conn: socket.socket, buffer: bytearray, marker: bytes) -> int:
    while (index := buffer.find(marker)) < 0:
        if len(buffer) > _MAX_HEAD:
            raise ValueError("request head too large")
        chunk = conn.recv(65536)
        if not chunk:
            raise ConnectionError("client closed mid-request")
        buffer += chunk
    return index


def _recv_exact(conn: socket.socket, buffer: bytearray, size: int) -> bytes:
    while len(buffer) < size:
        chunk = conn.recv(65536)
        if not chunk:
            raise ConnectionError("client closed mid-body")
        buffer += chunk
    data = bytes(buffer[:size])
    del buffer[:size]
    return data


def _read_request(conn: socket.socket) -> Request | None:
    buffer = bytearray()
    first = conn.recv(65536)
    if not first:
        return None  # a connection opened and closed without a request
    buffer += first
    end = _recv_until(conn, buffer, b"\r\n\r\n")
    head = bytes(buffer[:end]).decode("iso-8859-1")
    del buffer[: end + 4]
    lines = head.split("\r\n")
    method, target, _version = lines[0].split(" ", 2)
    headers = []
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.append((name.strip(), value.strip()))
    if "://" in target.split("?", 1)[0]:  # absolute-form: we are used as a forward proxy
        parts = urlsplit(target)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    request = Request(method.upper(), target, headers, b"")
    if (request.header("Transfer-Encoding") or "").lower() == "chunked":
        body = bytearray()
        while True:
            end = _recv_until(conn, buffer, b"\r\n")
            size = int(bytes(buffer[:end]).split(b";")[0], 16)
            del buffer[: end + 2]
            body += _recv_exact(conn, buffer, size + 2)[:size]
            if size == 0:
                _recv_until(conn, buffer, b"\r\n")  # end of (empty) trailers
                break
        request.body = bytes(body)
    else:
        request.body = _recv_exact(conn, buffer, int(request.header("Content-Length") or 0))
    return request


def _send_response(conn: socket.socket, code: int, headers: list[tuple[str, str]], body: bytes) -> None:
    reason = http.client.responses.get(code, _REASONS.get(code, "Status"))
    lines = [f"HTTP/1.1 {code} {reason}"]
    lines += [f"{k}: {v}" for k, v in headers if k.lower() not in _HOP_BY_HOP]
    if code >= 200 and code not in (204, 304):  # these never carry a body
        lines.append(f"Content-Length: {len(body)}")
    lines.append("Connection: close")
    conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("iso-8859-1") + body)


def _send_json(
    conn: socket.socket, code: int, payload: object, retry_after: int | float | str | None
) -> None:
    headers = [("Content-Type", "application/json"), ("Date", email.utils.formatdate(usegmt=True))]
    if retry_after is not None:
        headers.append(("Retry-After", str(retry_after)))
    _send_response(conn, code, headers, json.dumps(payload).encode())
