"""What a sync run ends in: states and counts, never words (``ui/status_text`` has the words)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any


class Outcome(StrEnum):
    ALL_SENT = "all_sent"
    SOME_REFUSED = "some_refused"  # the store holds rejected or conflicting statements
    OFFLINE = "offline"  # the network is down: no name resolution, no route to the host
    SERVER_DOWN = "server_down"  # the host refused the connection or dropped it
    SERVER_BUSY = "server_busy"
    SERVER_ERROR = "server_error"  # 5xx, or an answer that makes no sense for the request
    SIGN_IN_PAGE = "sign_in_page"  # an HTML page where the LRS's answer should be (a captive portal)
    UNCONFIRMED = "unconfirmed"  # some statements' fate is not settled yet: checked again later
    CREDENTIALS_REFUSED = "credentials_refused"
    LOCKED = "locked"  # another sync of this data directory is running
    NOT_CONFIGURED = "not_configured"  # no LRS endpoint configured
    CANCELLED = "cancelled"


# Outcomes after which the LRS was reached and nothing is left pending.
REACHED = frozenset((Outcome.ALL_SENT, Outcome.SOME_REFUSED))


@dataclass(frozen=True)
class SyncReport:
    outcome: Outcome
    sent: int = 0  # marked sent by this run
    conflicts: int = 0  # marked conflict by this run
    rejected: int = 0  # marked rejected by this run
    remaining: int = 0  # still pending or unconfirmed after the run
    refused_total: int = 0  # rejected + conflict in the store after the run
    unconfirmed: int = 0  # unconfirmed in the store after the run
    detail: str = ""  # what went wrong, technically (never a secret), for logs and --json

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["outcome"] = self.outcome.value
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SyncReport:
        counts = {
            key: int(data.get(key) or 0)
            for key in ("sent", "conflicts", "rejected", "remaining", "refused_total", "unconfirmed")
        }
        return cls(outcome=Outcome(data["outcome"]), detail=str(data.get("detail") or ""), **counts)


@dataclass(frozen=True)
class SyncProgress:
    sent: int
    conflicts: int
    rejected: int
