"""Plain words for where things stand: module status and results waiting to sync."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from microlearn.domain.attempt import ModuleStatus, Phase
from microlearn.records.sync_engine import plural as plural  # the sync's own status words use it too

if TYPE_CHECKING:
    from microlearn.services.catalog import ModuleSummary, OutboxCounts
    from microlearn.services.sync import LastSync
    from microlearn.ui.sync_state import SyncState

STATUS_WORDS = {
    ModuleStatus.NOT_STARTED: "Not started",
    ModuleStatus.IN_PROGRESS: "In progress",
    ModuleStatus.DONE: "Done",
    ModuleStatus.NOT_PASSED: "Not passed yet",
}

# The store was locked by another program (e.g. a scheduled sync) for longer than we waited.
STORE_BUSY = (
    "Microlearn is busy: another program is using your learning data right now. "
    "Nothing has been lost. Please try again in a minute."
)


def outbox_status(counts: OutboxCounts) -> str:
    if counts.pending:
        return f"{plural(counts.pending, 'result')} waiting to sync"
    if counts.sent:
        return "All results are synced"
    return "No results to sync yet"


def action_word(module: ModuleSummary) -> str:
    if module.status is ModuleStatus.IN_PROGRESS:
        return "Continue"
    if module.status is ModuleStatus.NOT_PASSED:
        return "Try again"
    if module.status is ModuleStatus.DONE:
        return "Review"
    return "Start"


def where_you_stopped(module: ModuleSummary) -> str:
    if module.resume_phase is Phase.CHECK:
        return "You stopped in the knowledge check."
    return f"You stopped at card {module.resume_card + 1} of {module.card_count}."


def endpoint_for_display(endpoint: str) -> str:
    """The central record's address without any user name or password written into it."""
    parts = urlsplit(endpoint)
    if parts.username is None and parts.password is None:
        return endpoint
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit(parts._replace(netloc=netloc))


def last_sync_words(last: LastSync | None, now: datetime | None = None) -> str:
    """E.g. "3 minutes ago: Synced 25 results", or that there has been no sync yet."""
    from microlearn.services.sync import time_ago  # the status words, loaded with the services

    if last is None or last.at is None:
        return "No sync yet"
    when = time_ago(last.at, now or datetime.now(UTC)).capitalize()
    return f"{when}: {last.summary}" if last.summary else when


def sync_hint(state: SyncState) -> str:
    """A second line under the status on Today: what it means for the learner's results."""
    counts = state.counts
    if not state.configured or counts is None:
        return ""
    if state.running:
        return "You can keep learning while this runs."
    if counts.pending:
        return "They are safe on this computer and are sent by themselves once the central record can be reached."
    if counts.rejected or counts.conflict:
        return "Everything else has arrived. The details show which result and why; IT can help."
    return ""
