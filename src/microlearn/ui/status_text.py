"""Plain words for where things stand: module status and results waiting to sync.

Every phrase goes through Qt's translation (``translation.translate``, which pyside6-lupdate
finds by its name), so this module stays free of Qt at import.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from microlearn.domain.attempt import ModuleStatus, Phase
from microlearn.ui.translation import args, number, translate

if TYPE_CHECKING:
    from microlearn.services.catalog import ModuleSummary, OutboxCounts
    from microlearn.services.sync import LastSync
    from microlearn.ui.sync_state import SyncState


def status_word(status: ModuleStatus) -> str:
    if status is ModuleStatus.IN_PROGRESS:
        return translate("status_text", "In progress")
    if status is ModuleStatus.DONE:
        return translate("status_text", "Done")
    if status is ModuleStatus.NOT_PASSED:
        return translate("status_text", "Not passed yet")
    return translate("status_text", "Not started")


def store_busy() -> str:
    """The store was locked by another program (e.g. a scheduled sync) longer than we waited."""
    return translate(
        "status_text",
        "Microlearn is busy: another program is using your learning data right now. "
        "Nothing has been lost. Please try again in a minute.",
    )


def outbox_status(counts: OutboxCounts) -> str:
    if counts.pending:
        return translate("status_text", "%n result(s) waiting to sync", None, counts.pending)
    if counts.sent:
        return translate("status_text", "All results are synced")
    return translate("status_text", "No results to sync yet")


def action_word(module: ModuleSummary) -> str:
    if module.status is ModuleStatus.IN_PROGRESS:
        return translate("status_text", "Continue")
    if module.status is ModuleStatus.NOT_PASSED:
        return translate("status_text", "Try again")
    if module.status is ModuleStatus.DONE:
        return translate("status_text", "Review")
    return translate("status_text", "Start")


def where_you_stopped(module: ModuleSummary) -> str:
    if module.resume_phase is Phase.CHECK:
        return translate("status_text", "You stopped in the knowledge check.")
    return args(
        translate("status_text", "You stopped at card %1 of %2."),
        number(module.resume_card + 1),
        number(module.card_count),
    )


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
    if last is None or last.at is None:
        return translate("status_text", "No sync yet")
    when = time_ago(last.at, now or datetime.now(UTC))
    return args(translate("status_text", "%1: %2"), when, last.summary) if last.summary else when


def time_ago(then: datetime, now: datetime) -> str:
    """How long ago, as a sentence start: "Just now", "3 minutes ago", "Yesterday"."""
    seconds = max(0.0, (now - then).total_seconds())
    minutes = int(seconds // 60)
    hours, days = minutes // 60, minutes // 60 // 24
    if seconds < 60:
        return translate("status_text", "Just now")
    if minutes < 60:
        return translate("status_text", "%n minute(s) ago", None, minutes)
    if hours < 24:
        return translate("status_text", "%n hour(s) ago", None, hours)
    if days == 1:
        return translate("status_text", "Yesterday")
    return translate("status_text", "%n day(s) ago", None, days)


def sync_hint(state: SyncState) -> str:
    """A second line under the status on Today: what it means for the learner's results."""
    counts = state.counts
    if not state.configured or counts is None:
        return ""
    if state.running:
        return translate("status_text", "You can keep learning while this runs.")
    if counts.pending:
        return translate(
            "status_text",
            "They are safe on this computer and are sent by themselves once the central record can be reached.",
        )
    if counts.rejected or counts.conflict:
        return translate(
            "status_text", "Everything else has arrived. The details show which result and why; IT can help."
        )
    return ""
