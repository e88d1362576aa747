"""Where sync stands: the state every screen shows, and what triggers a sync (words: ``status_text``).

No Qt here. The controller (``sync_controller``) reads the state in its workers and hands it
to the GUI thread; Today, Settings, the status bar and the details view only display it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from microlearn.store.outbox import OutboxStatus
from microlearn.ui.status_text import DETAIL_STATES, sync_status

if TYPE_CHECKING:
    from microlearn.services.catalog import OutboxCounts
    from microlearn.services.startup import AppServices
    from microlearn.services.sync import LastSync, OutboxDetail

# The details view's filter keys, back to the outbox statuses they stand for.
STATUS_OF_STATE = {state: OutboxStatus(status) for status, state in DETAIL_STATES.items()}


class Trigger(StrEnum):
    STARTUP = "after start-up"
    TIMER = "timer"
    MODULE_DONE = "module done"
    NETWORK_BACK = "network back"
    MANUAL = "sync now"


# Triggers that only sync when something is waiting (a module done or "Sync now" always do).
AUTOMATIC = frozenset((Trigger.STARTUP, Trigger.TIMER, Trigger.NETWORK_BACK))


@dataclass(frozen=True)
class SyncState:
    """Where things stand, read in a worker; every screen shows it from here."""

    text: str  # plain words for the status bar and Today
    configured: bool
    endpoint: str
    last: LastSync | None
    counts: OutboxCounts | None
    running: bool = False

    @property
    def refused(self) -> int:
        return 0 if self.counts is None else self.counts.rejected + self.counts.conflict


@dataclass(frozen=True)
class OutboxPage:
    """One page of the details view."""

    rows: list[OutboxDetail]
    offset: int
    total: int  # records matching the filter


def read_state(services: AppServices) -> SyncState:
    """Runs in a worker (it reads the store)."""
    sync = services.sync
    counts, last = services.catalog.outbox_counts(), sync.last_sync()
    return SyncState(
        text=sync_status(sync.configured, counts, last, sync.now()),
        configured=sync.configured,
        endpoint=sync.endpoint,
        last=last,
        counts=counts,
    )


def read_outbox_page(
    services: AppServices, states: Sequence[str] | None, offset: int, limit: int
) -> OutboxPage:
    """Runs in a worker: one page, newest first, and how many records match in all."""
    statuses = [STATUS_OF_STATE[state] for state in states or ()]
    rows = services.sync.outbox_details(limit=limit, offset=offset, statuses=statuses)
    counts = services.catalog.outbox_counts()
    wanted = statuses or list(OutboxStatus)
    total = sum(int(getattr(counts, status.value)) for status in wanted)
    return OutboxPage(rows=rows, offset=offset, total=total)
