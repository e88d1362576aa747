"""What each HTTP answer of the LRS means for the statements of a write (xAPI 1.0.3, Communication 2.1).

The engine acts on a ``Verdict``; this module only reads the answer. A write is ``STORED``
only when the answer is the one the spec gives: 200 with a JSON array of exactly the ids we
posted (POST), 204 (PUT). Any other 2xx — a captive portal's page, ``{"ok": true}``, a list
without our ids — is ``UNKNOWN``: the statements may or may not be stored.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from microlearn.records.lrs_answers import LrsResponse


class Verdict(StrEnum):
    STORED = "stored"
    KNOWN_ID = "known_id"  # 409: the LRS holds a statement with one of these ids
    INVALID = "invalid"  # 400/413/422: something in the batch is refused; split to find it
    CREDENTIALS = "credentials"  # 401/403
    BUSY = "busy"  # 429/503: wait as Retry-After says
    FAILING = "failing"  # other 5xx: back off and try again
    UNKNOWN = "unknown"  # a 2xx that is not the spec's answer: maybe stored
    UNEXPECTED = "unexpected"  # 3xx, 404, 405…: most likely a wrong endpoint


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
