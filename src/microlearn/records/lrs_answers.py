"""What each answer of the LRS means for the statements of a write (xAPI 1.0.3, Communication 2.1).

The engine acts on a ``Verdict``; this module only reads the answer. A write is ``STORED``
only when the answer is the one the spec gives: 200 with a JSON array of exactly the ids we
posted (POST), 204 (PUT). Any other 2xx — a captive portal's page, ``{"ok": true}``, a list
without our ids — is ``UNKNOWN``: the statements may or may not be stored.
"""

from __future__ import annotations

import errno
import json
import re
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from microlearn.records.lrs_client import LrsResponse


class Verdict(StrEnum):
    STORED = "stored"
    KNOWN_ID = "known_id"  # 409: the LRS holds a statement with one of these ids
    INVALID = "invalid"  # 400/413/422: something in the batch is refused; split to find it
    CREDENTIALS = "credentials"  # 401/403
    BUSY = "busy"  # 429/503: wait as Retry-After says
    FAILING = "failing"  # other 5xx: back off and try again
    UNKNOWN = "unknown"  # a 2xx that is not the spec's answer: maybe stored
    UNEXPECTED = "unexpected"  # 3xx, 404, 405…: most likely a wrong endpoint


class NetworkFailure(StrEnum):
    """Why a request got no HTTP answer."""

    OFFLINE = "offline"  # no name resolution or no route: the network is down
    REFUSED = "refused"  # the host answered, but nothing listens there
    NOT_SENT = "not_sent"  # failed before the request left (connect timeout, TLS, proxy)
    IN_FLIGHT = "in_flight"  # failed after the request may have left (read timeout, reset)


@dataclass(frozen=True)
class Answer:
    verdict: Verdict
    looks_like_html: bool = False


_INVALID = frozenset((400, 413, 422))
_HTML = re.compile(r"^\s*(<!doctype html|<html|<head|<body|<meta|<title)", re.IGNORECASE)


def looks_like_html(body: str) -> bool:
    return bool(_HTML.match(body[:512]))


def _by_status(status: int) -> Verdict | None:
    if status == 409:
        return Verdict.KNOWN_ID
    if status in _INVALID:
        return Verdict.INVALID
    if status in (401, 403):
        return Verdict.CREDENTIALS
    if status in (429, 503):
        return Verdict.BUSY
    if status >= 500:
        return Verdict.FAILING
    if not 200 <= status < 300:
        return Verdict.UNEXPECTED
    return None


def read_post_answer(response: LrsResponse, posted_ids: Sequence[str]) -> Answer:
    verdict = _by_status(response.status)
    if verdict is not None:
        return Answer(verdict, looks_like_html(response.body))
    if response.status == 200:
        try:
            ids = json.loads(response.body)
        except ValueError:
            ids = None
        wanted = [i.lower() for i in posted_ids]
        all_text = isinstance(ids, list) and all(isinstance(i, str) for i in ids)
        if all_text and sorted(str(i).lower() for i in ids) == sorted(wanted):
            return Answer(Verdict.STORED)
    return Answer(Verdict.UNKNOWN, looks_like_html(response.body))


def read_put_answer(response: LrsResponse) -> Answer:
    verdict = _by_status(response.status)
    if verdict is not None:
        return Answer(verdict, looks_like_html(response.body))
    if response.status == 204:
        return Answer(Verdict.STORED)
    return Answer(Verdict.UNKNOWN, looks_like_html(response.body))


_OFFLINE_ERRNOS = frozenset((errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN))
_IN_FLIGHT_NAMES = (
    "ReadTimeout",
    "WriteTimeout",
    "ReadError",
    "WriteError",
    "RemoteProtocolError",
    "Deadline",
)
_NOT_SENT_NAMES = ("ConnectTimeout", "ConnectError", "ProxyError", "UnsupportedProtocol", "PoolTimeout")


def _chain(error: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def network_failure(error: BaseException) -> NetworkFailure:
    """Classify a request that got no answer, from the error and what caused it."""
    chain = _chain(error)
    for cause in chain:
        if isinstance(cause, socket.gaierror):
            return NetworkFailure.OFFLINE
        if isinstance(cause, ConnectionRefusedError):
            return NetworkFailure.REFUSED
        if isinstance(cause, OSError) and cause.errno in _OFFLINE_ERRNOS:
            return NetworkFailure.OFFLINE
    names = " ".join(type(cause).__name__ for cause in chain) + " " + str(error)
    if "Name or service not known" in names or "nodename nor servname" in names or "getaddrinfo" in names:
        return NetworkFailure.OFFLINE
    if "Connection refused" in names:
        return NetworkFailure.REFUSED
    if any(name in names for name in _IN_FLIGHT_NAMES) or "reset" in names.lower():
        return NetworkFailure.IN_FLIGHT
    if any(name in names for name in _NOT_SENT_NAMES):
        return NetworkFailure.NOT_SENT
    # Not known to have failed before sending: assume the worst, the request may be stored.
    return NetworkFailure.IN_FLIGHT


def server_message(response: LrsResponse) -> str:
    """The LRS's reason, readable: pydantic-style ``detail`` lists flattened, else the body."""
    text = response.body.strip()
    try:
        data = json.loads(text) if text else None
    except ValueError:
        data = None
    reason: str = text
    if isinstance(data, dict):
        detail = data.get("detail", data.get("message", data.get("error")))
        if isinstance(detail, str):
            reason = detail
        elif isinstance(detail, list):
            parts = []
            for item in detail:
                if isinstance(item, dict) and "msg" in item:
                    where = ".".join(
                        str(p) for p in item.get("loc", []) if p != "body" and not isinstance(p, int)
                    )
                    parts.append(f"{where}: {item['msg']}" if where else str(item["msg"]))
                else:
                    parts.append(json.dumps(item, ensure_ascii=False))
            reason = "; ".join(parts)
    return f"HTTP {response.status}: {reason}" if reason else f"HTTP {response.status}"
