"""Thin typed client for the xAPI 1.0.3 statements resource of any LRS.

The one place that speaks HTTP to the central record. It reports what the LRS said
(status, body, Retry-After, Date) and leaves every decision to the sync engine.
"""

from __future__ import annotations

import json
import ssl
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

XAPI_VERSION = "1.0.3"


@dataclass(frozen=True)
class LrsSettings:
    endpoint: str
    username: str
    password: str = field(repr=False)
    timeout_s: float = 20.0
    proxy: str | None = None  # None => system proxy settings (environment)
    ca_bundle: Path | None = None  # extra CAs on top of the OS trust store


@dataclass(frozen=True)
class LrsResponse:
    status: int
    body: str
    retry_after_s: float | None
    date: datetime | None  # the server's clock, to check ours against


class LrsError(Exception):
    """The request did not get an HTTP answer (refused, reset, timeout, TLS...)."""


class LrsStatusError(Exception):
    """A read got an answer it cannot use: a status like 401 or 500, or broken JSON."""

    def __init__(self, response: LrsResponse) -> None:
        super().__init__(f"LRS answered HTTP {response.status}")
        self.response = response


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


def _json(response: httpx.Response) -> Any:
    if response.status_code != 200:
        raise LrsStatusError(_to_response(response))
    try:
        return response.json()
    except ValueError:
        raise LrsStatusError(_to_response(response)) from None


def _to_response(response: httpx.Response) -> LrsResponse:
    date = _parse_http_date(response.headers.get("Date"))
    return LrsResponse(
        status=response.status_code,
        body=response.text,
        retry_after_s=_parse_retry_after(response.headers.get("Retry-After"), date),
        date=date,
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
        # OS trust store, so corporate TLS-inspection roots deployed by IT just work.
        ctx = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        if settings.ca_bundle is not None:
            ctx.load_verify_locations(cafile=str(settings.ca_bundle))
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

    def _scrub(self, text: str) -> str:
        for secret in (self._settings.password, urlsplit(self._settings.proxy or "").password):
            if secret:
                text = text.replace(secret, "***")
        return text

    def _send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self._client.request(method, url, **kwargs)
        except httpx.TransportError as exc:
            target = url.split("?", 1)[0]
            message = self._scrub(f"{method} {target} failed: {type(exc).__name__}: {exc}")
            # `from None`: the httpx exception carries the request and its auth header.
            raise LrsError(message) from None
        # WORKAROUND for httpx keeping every response in a reference cycle with its stream
        # (and so the request body, ~150 KB a batch) until the cyclic collector runs: the
        # body is already read, so drop the stream and let reference counting free it.
        response.stream = httpx.ByteStream(b"")
        return response

    def _write(self, method: str, body: str, params: dict[str, str] | None = None) -> LrsResponse:
        response = self._send(
            method,
            self._statements_url,
            params=params,
            content=body.encode("utf-8"),
            headers={"Content-Type": "application/json"},
        )
        return _to_response(response)

    def post_statements(self, raw_statements: Sequence[str]) -> LrsResponse:
        """POST a batch; the statements go out byte for byte as they were frozen."""
        if not raw_statements:
            raise ValueError("an empty batch is not a valid xAPI POST")
        return self._write("POST", "[" + ",".join(raw_statements) + "]")

    def put_statement(self, statement_id: str, raw_statement: str) -> LrsResponse:
        return self._write("PUT", raw_statement, {"statementId": statement_id})

    def get_statement(self, statement_id: str) -> dict[str, Any] | None:
        response = self._send("GET", self._statements_url, params={"statementId": statement_id})
        if response.status_code == 404:
            return None
        data = _json(response)
        # Spec: the statement itself. Ralph: a StatementResult {"statements": [...]},
        # empty (still 200) when the id is unknown. Some LRSs: a bare list.
        if isinstance(data, dict) and isinstance(data.get("statements"), list):
            data = data["statements"]
        candidates = data if isinstance(data, list) else [data]
        for candidate in candidates:
            if isinstance(candidate, dict) and candidate.get("id") == statement_id:
                return candidate
        return None

    def iter_statements(
        self, agent: Mapping[str, Any], *, page_limit: int = 500, registration: str | None = None
    ) -> Iterator[dict[str, Any]]:
        """Yield the agent's statements (of one ``registration`` if given), following `more`."""
        params = {"agent": json.dumps(dict(agent), separators=(",", ":")), "limit": str(page_limit)}
        if registration:
            params["registration"] = registration
        response = self._send("GET", self._statements_url, params=params)
        seen_links: set[str] = set()
        while True:
            page = _json(response)
            statements = (page.get("statements") if isinstance(page, dict) else None) or []
            yield from statements
            # Stop on an empty page or a repeated link, so a quirky LRS cannot loop us.
            more = page.get("more") if statements else None
            if not more or more in seen_links:
                return
            seen_links.add(more)
            url = urljoin(self._origin, more)
            if not url.startswith(self._origin):
                # Never hand our credentials to another server.
                raise LrsError("the LRS's `more` link points to another server")
            response = self._send("GET", url)

    def about(self) -> LrsResponse:
        return _to_response(self._send("GET", self._about_url))

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
