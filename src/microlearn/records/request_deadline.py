"""A total deadline for each HTTP request, down at the socket.

httpx's timeouts are per operation: a server that drips one byte every few seconds, in
its headers or its body, resets the read timeout with every byte and can keep a request
alive for ever. Here every socket operation (connect, TLS handshake, each read and write)
gets at most the time left before the deadline of the request in flight on that thread,
and none once it has passed, so a request ends at its deadline whatever the server does.

httpx does not take a network backend as an argument; :func:`install` puts one into the
connection pools of an ``httpx.Client`` (the direct one and those of its proxies). It
returns False if httpx's internals have moved; the client's own test of a dripping server
fails then, rather than a learner's sync hanging.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import httpcore
import httpx


class RequestDeadlines:
    """The deadline (``time.monotonic()`` seconds) of the request each thread has in flight."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._local = threading.local()

    @contextmanager
    def active(self, deadline: float) -> Iterator[None]:
        previous = getattr(self._local, "deadline", None)
        self._local.deadline = deadline if previous is None else min(previous, deadline)
        try:
            yield
        finally:
            self._local.deadline = previous

    def passed(self) -> bool:
        deadline = getattr(self._local, "deadline", None)
        return deadline is not None and self._clock() >= deadline

    def clamp(self, timeout: float | None, error: type[Exception]) -> float | None:
        """``timeout`` cut to the time left; ``error`` if none is left."""
        deadline: float | None = getattr(self._local, "deadline", None)
        if deadline is None:
            return timeout
        left = deadline - self._clock()
        if left <= 0:
            raise error("the request reached its total deadline")
        return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream, deadlines: RequestDeadlines) -> None:
        self._inner = inner
        self._deadlines = deadlines

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._deadlines.clamp(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._deadlines.clamp(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        timeout = self._deadlines.clamp(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, timeout), self._deadlines)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's own socket backend, with every operation bounded by the request's deadline."""

    def __init__(self, deadlines: RequestDeadlines, inner: httpcore.NetworkBackend | None = None) -> None:
        self._deadlines = deadlines
        self._inner = inner or httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        timeout = self._deadlines.clamp(timeout, httpcore.ConnectTimeout)
        stream = self._inner.connect_tcp(host, port, timeout, local_address, socket_options)
        return _DeadlineStream(stream, self._deadlines)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        timeout = self._deadlines.clamp(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(
            self._inner.connect_unix_socket(path, timeout, socket_options), self._deadlines
        )

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def install(client: httpx.Client, backend: httpcore.NetworkBackend) -> bool:
    """Make every connection pool of ``client`` open its sockets through ``backend``."""
    # WORKAROUND for httpx taking no network_backend argument
    # (https://github.com/encode/httpx/pull/3749, open): set it on the pools httpx built,
    # before any connection exists.
    transports = [getattr(client, "_transport", None), *getattr(client, "_mounts", {}).values()]
    pools = [getattr(t, "_pool", None) for t in transports if isinstance(t, httpx.HTTPTransport)]
    if not pools or not all(pool is not None and hasattr(pool, "_network_backend") for pool in pools):
        return False
    for pool in pools:
        pool._network_backend = backend  # type: ignore[union-attr]  # checked above
    return True
