"""Plain words for where things stand: module status, and every sync and restore state.

The one place that turns the engine's and the services' states into words, for the GUI and
the command line alike (no Qt here, so ``microlearn sync`` can use it). The translation
issue puts these tables through Qt's ``tr``; keep every sentence in them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from microlearn.domain.attempt import ModuleStatus, Phase
from microlearn.records.sync_outcome import REACHED, Outcome, SyncReport

if TYPE_CHECKING:
    from microlearn.records.restore import RestoreReport
    from microlearn.services.catalog import ModuleSummary, OutboxCounts
    from microlearn.services.sync import LastSync, OutboxDetail
    from microlearn.ui.sync_state import SyncState


def plural(count: int, word: str = "result") -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


SEE_DETAILS = " — see details"  # the details view itself shows the status without it
CREDENTIALS_TEXT = "The central record refused the credentials — contact IT"
ALL_SYNCED_TEXT = "All results are synced"
NOTHING_YET_TEXT = "No results to sync yet"
LOCKED_TEXT = "Another sync is already running — try again in a moment"

SYNCING_TEXT = "Syncing…"
RESTORING_TEXT = "Restoring your progress from the central record…"
NOT_SET_UP_MESSAGE = (
    "No central record is set up, so your results are kept on this computer. IT can connect one."
)
ALREADY_RUNNING_MESSAGE = "A sync is already running."
FAILED_MESSAGE = (
    "The sync stopped unexpectedly. Your results are kept on this computer and will be sent later."
)


def syncing_text(settled: int, total: int) -> str:
    """The running status: "Syncing…", then e.g. "Syncing… 300 of 1,200 sent" as batches settle."""
    if not settled:
        return SYNCING_TEXT
    if total >= settled:
        return f"{SYNCING_TEXT} {settled:,} of {total:,} sent"
    return f"{SYNCING_TEXT} {settled:,} sent"


# "<why> — N results waiting", by what kept them waiting.
WAITING_WORDS = {
    Outcome.OFFLINE: "Offline — {waiting}",
    Outcome.SERVER_DOWN: "The central record is not answering — {waiting}",
    Outcome.SERVER_BUSY: "The central record is busy — {waiting}",
    Outcome.SERVER_ERROR: "The central record is not working right now — {waiting}",
    Outcome.SIGN_IN_PAGE: "The network showed a sign-in page instead of the central record — "
    "sign in to the network (e.g. in your browser) — {waiting}",
    Outcome.UNCONFIRMED: "Checking with the central record — {waiting}",
    Outcome.CANCELLED: "Sync stopped — {waiting}",
}
# Outcomes of the last sync that still say why results are waiting, until the next one.
SHOWN_WHILE_WAITING = frozenset(WAITING_WORDS) - {Outcome.CANCELLED}

RESTORE_WORDS = {  # by records.restore.RestoreOutcome's values: this module stays cheap to import
    "offline": "Offline — your progress could not be restored yet",
    "not_configured": "Not connected to a central record — there is nothing to restore from",
    "locked": "A sync is running — try again in a moment",
    "server_error": "The central record is not working right now — your progress could not be restored yet",
}

# What the details view calls each outbox status (its filter keys; labels are the page's).
DETAIL_STATES = {
    "pending": "waiting",
    "unconfirmed": "unconfirmed",
    "sent": "sent",
    "conflict": "conflict",
    "rejected": "refused",
}


def refused_text(count: int) -> str:
    verb = "was" if count == 1 else "were"
    return f"{plural(count)} {verb} refused by the central record{SEE_DETAILS}"


def waiting_text(outcome: Outcome | None, remaining: int) -> str:
    waiting = f"{plural(remaining)} waiting"
    template = WAITING_WORDS.get(outcome) if outcome is not None else None
    return template.format(waiting=waiting) if template else f"{waiting} to sync"


def not_configured_text(pending: int) -> str:
    return f"Not connected to a central record — {plural(pending)} kept on this computer"


def sync_summary(report: SyncReport) -> str:
    """One line in plain words for the status bar, the CLI and the log."""
    outcome = report.outcome
    if outcome is Outcome.CREDENTIALS_REFUSED:
        return CREDENTIALS_TEXT
    if outcome is Outcome.LOCKED:
        return LOCKED_TEXT
    if outcome is Outcome.NOT_CONFIGURED:
        return not_configured_text(report.remaining)
    if outcome in REACHED:
        synced = f"Synced {plural(report.sent)}" if report.sent else ALL_SYNCED_TEXT
        if outcome is Outcome.SOME_REFUSED:
            refused = refused_text(report.refused_total)
            return f"{synced}. {refused}" if report.sent else refused
        return synced
    return waiting_text(outcome, report.remaining)


def restore_summary(report: RestoreReport) -> str:
    outcome = str(report.outcome)
    if outcome == "restored":
        skipped = ""
        if report.invalid:
            verb = "was" if report.invalid == 1 else "were"
            skipped = f" ({plural(report.invalid, 'record')} could not be read and {verb} skipped)"
        if report.restored:
            return f"Restored {plural(report.restored)} from the central record{skipped}"
        if report.found:
            return f"Your progress is already up to date with the central record{skipped}"
        return f"The central record has no results of yours to restore{skipped}"
    if outcome == "credentials_refused":
        return CREDENTIALS_TEXT
    return RESTORE_WORDS.get(outcome, RESTORE_WORDS["server_error"])


def time_ago(then: datetime, now: datetime) -> str:
    seconds = max(0.0, (now - then).total_seconds())
    if seconds < 60:
        return "just now"
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{plural(minutes, 'minute')} ago"
    hours = minutes // 60
    if hours < 24:
        return f"{plural(hours, 'hour')} ago"
    days = hours // 24
    return "yesterday" if days == 1 else f"{days} days ago"


def sync_status(configured: bool, counts: OutboxCounts, last: LastSync | None, now: datetime) -> str:
    """Plain words for the status bar and Today: where the learner's results stand."""
    waiting = counts.pending + counts.unconfirmed
    if not configured:
        return not_configured_text(waiting)
    outcome = last.outcome if last is not None else None
    if outcome is Outcome.CREDENTIALS_REFUSED:
        return CREDENTIALS_TEXT
    if waiting:
        return waiting_text(outcome if outcome in SHOWN_WHILE_WAITING else None, waiting)
    refused = counts.rejected + counts.conflict
    if refused:
        return refused_text(refused)
    if last is not None and last.ok_at is not None:
        return f"Synced {time_ago(last.ok_at, now)}"
    return ALL_SYNCED_TEXT if counts.sent else NOTHING_YET_TEXT


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
    """Before the last sync is known (the first paint): the counts alone."""
    waiting = counts.pending + counts.unconfirmed
    if waiting:
        return waiting_text(None, waiting)
    return ALL_SYNCED_TEXT if counts.sent else NOTHING_YET_TEXT


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
    if last is None or last.at is None:
        return "No sync yet"
    when = time_ago(last.at, now or datetime.now(UTC)).capitalize()
    return f"{when}: {sync_summary(last.report)}" if last.report is not None else when


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


# -- one record in the details view ----------------------------------------------------------------

STATE_LABELS = {
    "waiting": "Waiting",
    "unconfirmed": "Being checked",
    "sent": "Sent",
    "conflict": "Conflict",
    "refused": "Refused",
}


def local_time(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone().strftime("%d %b %Y, %H:%M")


def state_of(detail: OutboxDetail) -> str:
    return DETAIL_STATES[detail.status]


def reason_text(detail: OutboxDetail) -> str:
    state = state_of(detail)
    if state == "conflict":
        return (
            "The central record already holds a different record with this id "
            f"({detail.last_error or 'no reason was given'}); it is kept here and not sent again."
        )
    if state == "refused":
        return detail.last_error or "No reason was given."
    if state == "unconfirmed":
        return (
            "The central record may already have it; it is checked before anything is sent again. "
            + (f"Last try: {detail.last_error}" if detail.last_error else "")
        ).strip()
    if state == "sent":
        return f"Reached the central record {local_time(detail.sent_at)}" if detail.sent_at else ""
    if detail.last_error:
        return f"Not sent yet. Last try: {detail.last_error}"
    return "Will be sent at the next sync"
