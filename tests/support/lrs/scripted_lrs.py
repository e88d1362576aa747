"""A loopback HTTP server that answers GET statements with pages a test writes (stdlib only).

For reading what an LRS may send back, however odd: ``server.pages`` is a list of JSON
values (or raw bytes, sent as they are); the first GET gets ``pages[0]``, and a GET of
``page_link(n)`` gets ``pages[n]``. Every path asked is kept in ``server.asked``.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:  # http.server's name
        self.server.asked.append(self.path)
        query = parse_qs(urlsplit(self.path).query)
        index = int(query["page"][0]) if "page" in query else 0
        pages = self.server.pages
        if index >= len(pages):
            self._send(404, b'{"detail":"no such page"}')
            return
        page = pages[index]
        self._send(200, page if isinstance(page, bytes) else json.dumps(page).encode())

    def _send(self, code: int, body: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # http.server's name
        pass  # quiet: tests assert on `asked`


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, prefix: str) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.prefix = prefix
        self.pages: list[Any] = []
        self.asked: list[str] = []


class ScriptedLrs:
    def __init__(self, prefix: str = "/xAPI/") -> None:
        self._server = _Server(prefix)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{self._server.prefix}"

    @property
    def pages(self) -> list[Any]:
        return self._server.pages

    @pages.setter
    def pages(self, pages: list[Any]) -> None:
        self._server.pages = pages
        self._server.asked = []

    @property
    def asked(self) -> list[str]:
        return list(self._server.asked)

    def page_link(self, index: int) -> str:
        """A `more` link to ``pages[index]``, relative to the server's root as xAPI says."""
        return f"{self._server.prefix}statements?page={index}"

    def start(self) -> ScriptedLrs:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> ScriptedLrs:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
