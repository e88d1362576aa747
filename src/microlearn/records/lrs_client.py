"""Thin typed client for the xAPI 1.0.3 statements resource of any LRS.

The one place that speaks HTTP to the central record. It reports what the LRS said
(status, body, Retry-After, Date) and leaves every decision to the sync engine. Every
request has a total deadline (``request_deadline``: a server dripping bytes cannot keep
it alive) and a cap on the size of the answer (read as a stream, never past the cap). A
request without a usable answer raises an ``LrsError`` whose type says whether it may
have reached the LRS (``lrs_answers``), in words an admin can act on.
"""

from __future__ import annotations

import json
import socket
import ssl
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from urllib.parse import urljoin, urlsplit

import httpx
import truststore

from microlearn.records.lrs_answers import (
    DeadlineExceededError,
    FailureKind,
    HostError,
    LrsError,
    LrsResponse,
    LrsStatusError,
    NetworkDownError,
    OutcomeUnknownError,
    ResponseTooLargeError,
)
from microlearn.records.request_deadline import DeadlineBackend, RequestDeadlines, install

__all__ = [
    "XAPI_VERSION",
    "DeadlineExceededError",
    "FailureKind",
    "HostError",
    "LrsClient",
    "LrsError",
    "LrsResponse",
    "LrsSettings",
    "LrsStatusError",
    "NetworkDownError",
    "OutcomeUnknownError",
    "ResponseTooLargeError",
]

XAPI_VERSION = "1.0.3"
MAX_RESPONSE_BYTES = 16 * 1024 * 1024  # a page of 500 statements is about 1 MB


@dataclass(frozen=True)
class LrsSettings:
    endpoint: str
    username: str
    password: str = field(repr=False)
    timeout_s: float = 20.0  # each connect / read / write
    proxy: str | None = None  # None => system proxy settings (environment)
    ca_bundle: Path | None = None  # extra CAs on top of the OS trust store
    deadline_s: float = 60.0  # each request as a whole, however the server trickles its answer
    max_response_bytes: int = MAX_RESPONSE_BYTES


@dataclass(frozen=True)
class _Answer:
    status: int
    headers: httpx.Headers
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def _parse_http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    # HTTP dates are GMT; a zone-less parse result still means UTC.
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _parse_retry_after(value: str | None, server_date: datetime | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    when = _parse_http_date(value)
    if when is None:
        return None
    # Measure against the server's own clock when it sent one: laptop clocks drift.
    reference = server_date or datetime.now(UTC)
    return max(0.0, (when - reference).total_seconds())


def _json(answer: _Answer) -> Any:
    if answer.status != 200:
        raise LrsStatusError(_to_response(answer))
    try:
        return json.loads(answer.body)
    except ValueError:
        raise LrsStatusError(_to_response(answer)) from None


def _to_response(answer: _Answer) -> LrsResponse:
    date = _parse_http_date(answer.headers.get("Date"))
    return LrsResponse(
        status=answer.status,
        body=answer.text,
        retry_after_s=_parse_retry_after(answer.headers.get("Retry-After"), date),
        date=date,
    )


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _describe(exc: httpx.TransportError, what: str, host: str, timeout_s: float) -> LrsError:
    """The typed error for a failed request, in words an admin can act on (no secrets yet)."""
    causes = list(_causes(exc))
    technical = f"[{type(exc).__name__}: {exc}]"
    may_be_processed = "The LRS may still have processed it."
    if isinstance(exc, httpx.ConnectTimeout):
        return NetworkDownError(
            f"{what}: no answer from {host} within {timeout_s:.0f} s while connecting. Check the network "
            f"connection, the firewall and the proxy settings (network.proxy). {technical}"
        )
    if isinstance(exc, httpx.ProxyError):
        return HostError(
            f"{what}: the proxy refused or failed the connection to {host}. Check network.proxy and the "
            f"proxy's rules for this host. {technical}"
        )
    if isinstance(exc, httpx.UnsupportedProtocol):
        return HostError(
            f"{what}: the address is not an http:// or https:// URL. Check lrs.endpoint. {technical}"
        )
    if isinstance(exc, httpx.ConnectError):
        if any(isinstance(c, ssl.SSLError) for c in causes):
            return HostError(
                f"{what}: the TLS connection to {host} failed. Check the server's certificate, "
                f"network.ca_bundle and the system trust store. {technical}"
            )
        if any(isinstance(c, ConnectionRefusedError) for c in causes):
            return HostError(
                f"{what}: {host} refused the connection: nothing accepts connections at that address and "
                f"port. Check lrs.endpoint and that the LRS is running. {technical}"
            )
        if any(isinstance(c, socket.gaierror) for c in causes):
            return NetworkDownError(
                f"{what}: the name {host} could not be resolved. Check the network connection and the host "
                f"name in lrs.endpoint. {technical}"
            )
        return NetworkDownError(
            f"{what}: could not connect to {host}. Check the network connection, the firewall and the proxy "
            f"settings (network.proxy). {technical}"
        )
    if isinstance(exc, httpx.PoolTimeout):
        return NetworkDownError(f"{what}: no connection to {host} became free in time. {technical}")
    if isinstance(exc, httpx.TimeoutException):
        return OutcomeUnknownError(
            f"{what}: {host} sent nothing for {timeout_s:.0f} s. {may_be_processed} Check the LRS's health "
            f"and any proxy in between. {technical}"
        )
    return OutcomeUnknownError(
        f"{what}: the connection to {host} was closed or reset before a whole answer came. "
        f"{may_be_processed} Check the LRS's health and any proxy in between. {technical}"
    )


class LrsClient:
    def __init__(self, settings: LrsSettings, transport: httpx.BaseTransport | None = None) -> None:
        self._settings = settings
        base = settings.endpoint if settings.endpoint.endswith("/") else settings.endpoint + "/"
        self._statements_url = base + "statements"
        self._about_url = base + "about"
        parts = urlsplit(base)
        # `more` links are relative to the server root, not to the endpoint path.
        self._origin = f"{parts.scheme}://{parts.netloc}/"
        self._host = parts.netloc.rpartition("@")[2] or base
        # OS trust store, so corporate TLS-inspection roots deployed by IT just work.
        ctx = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        if settings.ca_bundle is not None:
            ctx.load_verify_locations(cafile=str(settings.ca_bundle))
        self._deadlines = RequestDeadlines()
        self._client = httpx.Client(
            auth=httpx.BasicAuth(settings.username, settings.password),
            headers={"X-Experience-API-Version": XAPI_VERSION, "Accept": "application/json"},
            timeout=settings.timeout_s,
            verify=ctx,
            proxy=settings.proxy,
            # No explicit proxy: honour the system's proxy variables (and NO_PROXY).
            trust_env=settings.proxy is None,
            follow_redirects=False,
            transport=transport,
        )
        if transport is None:
            install(self._client, DeadlineBackend(self._deadlines))

    def _scrub(self, text: str) -> str:
        for secret in (self._settings.password, urlsplit(self._settings.proxy or "").password):
            if secret:
                text = text.replace(secret, "***")
        return text

    def _send(self, method: str, url: str, *, within_s: float | None = None, **kwargs: Any) -> _Answer:
        """One request, read to its end under the total deadline and the size cap."""
        limit_s = self._settings.deadline_s if within_s is None else min(self._settings.deadline_s, within_s)
        deadline = time.monotonic() + max(0.0, limit_s)
        cap = self._settings.max_response_bytes
        what = f"{method} {url.split('?', 1)[0]}"
        try:
            with self._deadlines.active(deadline), self._client.stream(method, url, **kwargs) as response:
                declared = response.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > cap:
                    raise self._too_large(what, cap, f"it announced {int(declared):,} bytes")
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > cap:
                        raise self._too_large(what, cap, "it kept coming")
                    if time.monotonic() > deadline:  # the socket deadline's backstop
                        raise self._too_slow(what, limit_s)
                answer = _Answer(response.status_code, response.headers, bytes(body))
            # WORKAROUND for httpx keeping every response in a reference cycle with its stream
            # (and so the request body, ~150 KB a batch) until the cyclic collector runs: the
            # body is already read, so drop the stream and let reference counting free it.
            response.stream = httpx.ByteStream(b"")
            return answer
        except httpx.TransportError as exc:
            if isinstance(exc, httpx.TimeoutException) and self._deadlines_passed(deadline):
                raise self._too_slow(what, limit_s) from None
            # `from None`: the httpx exception carries the request and its auth header.
            error = _describe(exc, what, self._host, self._settings.timeout_s)
            raise type(error)(self._scrub(str(error))) from None

    @staticmethod
    def _deadlines_passed(deadline: float) -> bool:
        return time.monotonic() >= deadline - 0.01

    def _too_slow(self, what: str, limit_s: float) -> DeadlineExceededError:
        return DeadlineExceededError(
            f"{what}: stopped after {limit_s:.0f} s, the request's total deadline: {self._host} (or a proxy "
            "in between) sent its answer too slowly. The LRS may still have processed it. Check the LRS's "
            "health and load, and any proxy in between."
        )

    def _too_large(self, what: str, cap: int, how: str) -> ResponseTooLargeError:
        return ResponseTooLargeError(
            f"{what}: the answer from {self._host} was larger than {cap // (1024 * 1024)} MB ({how}) and was "
            "not read further. An xAPI LRS does not answer that much: check that lrs.endpoint is the LRS's "
            "xAPI endpoint and that no proxy or sign-in page answers in its place."
        )

    def _write(
        self, method: str, body: str, params: dict[str, str] | None = None, within_s: float | None = None
    ) -> LrsResponse:
        answer = self._send(
            method,
            self._statements_url,
            within_s=within_s,
            params=params,
            content=body.encode("utf-8"),
            headers={"Content-Type": "application/json"},
        )
        return _to_response(answer)

    def post_statements(self, raw_statements: Sequence[str], *, within_s: float | None = None) -> LrsResponse:
        """POST a batch; the statements go out byte for byte as they were frozen."""
        if not raw_statements:
            raise ValueError("an empty batch is not a valid xAPI POST")
        return self._write("POST", "[" + ",".join(raw_statements) + "]", within_s=within_s)

    def put_statement(
        self, statement_id: str, raw_statement: str, *, within_s: float | None = None
    ) -> LrsResponse:
        return self._write("PUT", raw_statement, {"statementId": statement_id}, within_s)

    def get_statement(self, statement_id: str, *, within_s: float | None = None) -> dict[str, Any] | None:
        answer = self._send(
            "GET", self._statements_url, within_s=within_s, params={"statementId": statement_id}
        )
        if answer.status == 404:
            return None
        data = _json(answer)
        # Spec: the statement itself. Ralph: a StatementResult {"statements": [...]},
        # empty (still 200) when the id is unknown. Some LRSs: a bare list.
        if isinstance(data, dict) and isinstance(data.get("statements"), list):
            data = data["statements"]
        candidates = data if isinstance(data, list) else [data]
        for candidate in candidates:
            if isinstance(candidate, dict) and candidate.get("id") == statement_id:
                return candidate
        return None

    def statements_page(
        self,
        agent: Mapping[str, Any],
        *,
        page_limit: int = 500,
        more: str | None = None,
        within_s: float | None = None,
        registration: str | None = None,
    ) -> Any:
        """One page of the agent's statements, as the LRS sent it (parsed JSON, unchecked).

        ``more`` is the previous page's link, followed as given: it is relative to the
        server's root, not to the endpoint path. A link to another server is refused, so
        our credentials never go there.
        """
        if more is None:
            params = {"agent": json.dumps(dict(agent), separators=(",", ":")), "limit": str(page_limit)}
            if registration:  # the sync engine's read-back: one attempt's statements
                params["registration"] = registration
            return _json(self._send("GET", self._statements_url, within_s=within_s, params=params))
        url = urljoin(self._origin, more)
        if not url.startswith(self._origin):
            raise HostError(
                f"the LRS's `more` link points to another server ({urlsplit(url).netloc}); it was not "
                "followed. Check the LRS's configuration of its public address."
            )
        return _json(self._send("GET", url, within_s=within_s))

    def iter_statements(
        self, agent: Mapping[str, Any], *, page_limit: int = 500, registration: str | None = None
    ) -> Iterator[dict[str, Any]]:
        """Yield the agent's statements (of one ``registration`` if given), following `more`."""
        page = self.statements_page(agent, page_limit=page_limit, registration=registration)
        seen_links: set[str] = set()
        while True:
            statements = (page.get("statements") if isinstance(page, dict) else None) or []
            yield from statements
            # Stop on an empty page or a repeated link, so a quirky LRS cannot loop us.
            more = page.get("more") if statements else None
            if not more or more in seen_links:
                return
            seen_links.add(more)
            page = self.statements_page(agent, more=more)

    def about(self, *, within_s: float | None = None) -> LrsResponse:
        return _to_response(self._send("GET", self._about_url, within_s=within_s))

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
