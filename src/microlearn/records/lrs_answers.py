"""What the central record answered, or how a request to it failed.

Kept apart from ``lrs_client`` (which loads httpx) so the engine, restore and the status
words can name these types at import time without slowing the window's first paint.

A failure without an HTTP answer says what the engine may conclude about the statements
it carried (DESIGN.md, "Sync engine"):

- ``NETWORK_DOWN``: nothing reached the LRS (no route, the name did not resolve, no answer
  while connecting). Offline; sending again is safe.
- ``HOST_ERROR``: the LRS host, or a proxy on the way, refused or failed before the request
  went out (connection refused, TLS, proxy refusal, an unusable address). Not "offline";
  sending again is safe.
- ``OUTCOME_UNKNOWN``: the request went out and no usable answer came back (a timeout, a
  reset, the total deadline, an answer over the size cap). The LRS may have stored it: read
  back before sending again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class FailureKind(StrEnum):
    NETWORK_DOWN = "network_down"
    HOST_ERROR = "host_error"
    OUTCOME_UNKNOWN = "outcome_unknown"


@dataclass(frozen=True)
class LrsResponse:
    status: int
    body: str
    retry_after_s: float | None
    date: datetime | None  # the server's clock, to check ours against


class LrsError(Exception):
    """The request did not get a usable HTTP answer; ``kind`` says what may have happened."""

    kind = FailureKind.OUTCOME_UNKNOWN

    @property
    def maybe_sent(self) -> bool:
        """True if the LRS may have received (and stored) the request."""
        return self.kind is FailureKind.OUTCOME_UNKNOWN


class NetworkDownError(LrsError):
    kind = FailureKind.NETWORK_DOWN


class HostError(LrsError):
    kind = FailureKind.HOST_ERROR


class OutcomeUnknownError(LrsError):
    kind = FailureKind.OUTCOME_UNKNOWN


class DeadlineExceededError(OutcomeUnknownError):
    """The request took longer than its total deadline and was stopped."""


class ResponseTooLargeError(OutcomeUnknownError):
    """The answer grew past the size cap and was not read further."""


class LrsStatusError(Exception):
    """A read got an answer it cannot use: a status like 401 or 500, or broken JSON."""

    def __init__(self, response: LrsResponse) -> None:
        super().__init__(f"LRS answered HTTP {response.status}")
        self.response = response
