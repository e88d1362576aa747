"""Plain words for where things stand: module status, and every sync and restore state.

The one place that turns the engine's and the services' states into words, for the GUI and
the command line alike. Every phrase goes through Qt's translation (``translation.translate``;
pyside6-lupdate finds it, and ``QT_TRANSLATE_NOOP`` for the named sentences, by name), so this
module stays free of Qt at import and ``microlearn sync`` can use it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from microlearn.domain.attempt import ModuleStatus, Phase
from microlearn.records.sync_outcome import REACHED, Outcome, SyncReport
from microlearn.ui.translation import QT_TRANSLATE_NOOP, args, local_date_time, number, translate

if TYPE_CHECKING:
    from microlearn.records.restore import RestoreReport
    from microlearn.services.catalog import ModuleSummary, OutboxCounts
    from microlearn.services.sync import LastSync, OutboxDetail
    from microlearn.ui.sync_state import SyncState

# Sentences other modules name (and tests compare with): the English source, translated by ``say``.
CREDENTIALS_TEXT = QT_TRANSLATE_NOOP("status_text", "The central record refused the credentials — contact IT")
ALL_SYNCED_TEXT = QT_TRANSLATE_NOOP("status_text", "All results are synced")
NOTHING_YET_TEXT = QT_TRANSLATE_NOOP("status_text", "No results to sync yet")
LOCKED_TEXT = QT_TRANSLATE_NOOP("status_text", "Another sync is already running — try again in a moment")
SYNCING_TEXT = QT_TRANSLATE_NOOP("status_text", "Syncing…")
RESTORING_TEXT = QT_TRANSLATE_NOOP("status_text", "Restoring your progress from the central record…")
NOT_SET_UP_MESSAGE = QT_TRANSLATE_NOOP(
    "status_text",
    "No central record is set up, so your results are kept on this computer. IT can connect one.",
)
ALREADY_RUNNING_MESSAGE = QT_TRANSLATE_NOOP("status_text", "A sync is already running.")
FAILED_MESSAGE = QT_TRANSLATE_NOOP(
    "status_text",
    "The sync stopped unexpectedly. Your results are kept on this computer and will be sent later.",
)


def say(sentence: str) -> str:
    """One of the named sentences above, in the learner's language."""
    return translate("status_text", sentence)


def see_details() -> str:
    """Added to a status that the details view explains (which shows the status without it)."""
    return translate("status_text", " — see details")


def syncing_text(settled: int, total: int) -> str:
    """The running status: "Syncing…", then e.g. "Syncing… 300 of 1,200 sent" as batches settle."""
    if not settled:
        return say(SYNCING_TEXT)
    if total >= settled:
        return args(translate("status_text", "Syncing… %1 of %2 sent"), number(settled), number(total))
    return args(translate("status_text", "Syncing… %1 sent"), number(settled))


# Outcomes of the last sync that still say why results are waiting, until the next one.
SHOWN_WHILE_WAITING = frozenset(
    (
        Outcome.OFFLINE,
        Outcome.SERVER_DOWN,
        Outcome.SERVER_BUSY,
        Outcome.SERVER_ERROR,
        Outcome.SIGN_IN_PAGE,
        Outcome.UNCONFIRMED,
    )
)

# What the details view calls each outbox status (its filter keys; labels are the page's).
DETAIL_STATES = {
    "pending": "waiting",
    "unconfirmed": "unconfirmed",
    "sent": "sent",
    "conflict": "conflict",
    "rejected": "refused",
}


def refused_text(count: int) -> str:
    refused = translate("status_text", "%n result(s) (was|were) refused by the central record", None, count)
    return refused + see_details()


def waiting_text(outcome: Outcome | None, remaining: int) -> str:
    """ "<why> — N results waiting", by what kept them waiting."""
    waiting = translate("status_text", "%n result(s) waiting", None, remaining)
    if outcome is Outcome.OFFLINE:
        return args(translate("status_text", "Offline — %1"), waiting)
    if outcome is Outcome.SERVER_DOWN:
        return args(translate("status_text", "The central record is not answering — %1"), waiting)
    if outcome is Outcome.SERVER_BUSY:
        return args(translate("status_text", "The central record is busy — %1"), waiting)
    if outcome is Outcome.SERVER_ERROR:
        return args(translate("status_text", "The central record is not working right now — %1"), waiting)
    if outcome is Outcome.SIGN_IN_PAGE:
        sign_in = translate(
            "status_text",
            "The network showed a sign-in page instead of the central record — "
            "sign in to the network (e.g. in your browser) — %1",
        )
        return args(sign_in, waiting)
    if outcome is Outcome.UNCONFIRMED:
        return args(translate("status_text", "Checking with the central record — %1"), waiting)
    if outcome is Outcome.CANCELLED:
        return args(translate("status_text", "Sync stopped — %1"), waiting)
    return translate("status_text", "%n result(s) waiting to sync", None, remaining)


def not_configured_text(pending: int) -> str:
    return translate(
        "status_text", "Not connected to a central record — %n result(s) kept on this computer", None, pending
    )


def sync_summary(report: SyncReport) -> str:
    """One line in plain words for the status bar, the CLI and the log."""
    outcome = report.outcome
    if outcome is Outcome.CREDENTIALS_REFUSED:
        return say(CREDENTIALS_TEXT)
    if outcome is Outcome.LOCKED:
        return say(LOCKED_TEXT)
    if outcome is Outcome.NOT_CONFIGURED:
        return not_configured_text(report.remaining)
    if outcome in REACHED:
        synced = (
            translate("status_text", "Synced %n result(s)", None, report.sent)
            if report.sent
            else say(ALL_SYNCED_TEXT)
        )
        if outcome is Outcome.SOME_REFUSED:
            refused = refused_text(report.refused_total)
            return args(translate("status_text", "%1. %2"), synced, refused) if report.sent else refused
        return synced
    return waiting_text(outcome, report.remaining)


def _restore_trouble(outcome: str) -> str:
    """By records.restore.RestoreOutcome's values: this module stays cheap to import."""
    if outcome == "offline":
        return translate("status_text", "Offline — your progress could not be restored yet")
    if outcome == "not_configured":
        return translate(
            "status_text", "Not connected to a central record — there is nothing to restore from"
        )
    if outcome == "locked":
        return translate("status_text", "A sync is running — try again in a moment")
    return translate(
        "status_text", "The central record is not working right now — your progress could not be restored yet"
    )


def restore_summary(report: RestoreReport) -> str:
    outcome = str(report.outcome)
    if outcome == "restored":
        skipped = (
            translate(
                "status_text",
                " (%n record(s) could not be read and (was|were) skipped)",
                None,
                report.invalid,
            )
            if report.invalid
            else ""
        )
        if report.restored:
            restored = translate(
                "status_text", "Restored %n result(s) from the central record", None, report.restored
            )
            return restored + skipped
        if report.found:
            return (
                translate("status_text", "Your progress is already up to date with the central record")
                + skipped
            )
        return translate("status_text", "The central record has no results of yours to restore") + skipped
    if outcome == "credentials_refused":
        return say(CREDENTIALS_TEXT)
    return _restore_trouble(outcome)


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


def sync_status(configured: bool, counts: OutboxCounts, last: LastSync | None, now: datetime) -> str:
    """Plain words for the status bar and Today: where the learner's results stand."""
    waiting = counts.pending + counts.unconfirmed
    if not configured:
        return not_configured_text(waiting)
    outcome = last.outcome if last is not None else None
    if outcome is Outcome.CREDENTIALS_REFUSED:
        return say(CREDENTIALS_TEXT)
    if waiting:
        return waiting_text(outcome if outcome in SHOWN_WHILE_WAITING else None, waiting)
    refused = counts.rejected + counts.conflict
    if refused:
        return refused_text(refused)
    if last is not None and last.ok_at is not None:
        return args(
            translate("status_text", "Synced %1", "how long ago: Synced 3 minutes ago"),
            time_ago(last.ok_at, now).lower(),
        )
    return say(ALL_SYNCED_TEXT) if counts.sent else say(NOTHING_YET_TEXT)


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
    """Before the last sync is known (the first paint): the counts alone."""
    waiting = counts.pending + counts.unconfirmed
    if waiting:
        return waiting_text(None, waiting)
    return say(ALL_SYNCED_TEXT) if counts.sent else say(NOTHING_YET_TEXT)


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
    if last.report is None:
        return when
    return args(translate("status_text", "%1: %2"), when, sync_summary(last.report))


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


# -- one record in the details view ----------------------------------------------------------------


def state_label(state: str) -> str:
    if state == "waiting":
        return translate("status_text", "Waiting")
    if state == "unconfirmed":
        return translate("status_text", "Being checked")
    if state == "sent":
        return translate("status_text", "Sent")
    if state == "conflict":
        return translate("status_text", "Conflict")
    if state == "refused":
        return translate("status_text", "Refused")
    return state.capitalize()


def state_of(detail: OutboxDetail) -> str:
    return DETAIL_STATES[detail.status]


def reason_text(detail: OutboxDetail) -> str:
    state = state_of(detail)
    if state == "conflict":
        why = detail.last_error or translate("status_text", "no reason was given")
        return args(
            translate(
                "status_text",
                "The central record already holds a different record with this id (%1); "
                "it is kept here and not sent again.",
            ),
            why,
        )
    if state == "refused":
        return detail.last_error or translate("status_text", "No reason was given.")
    if state == "unconfirmed":
        checked = translate(
            "status_text",
            "The central record may already have it; it is checked before anything is sent again.",
        )
        if detail.last_error:
            return args(translate("status_text", "%1 Last try: %2"), checked, detail.last_error)
        return checked
    if state == "sent":
        reached = translate("status_text", "Reached the central record %1")
        return args(reached, local_date_time(detail.sent_at)) if detail.sent_at else ""
    if detail.last_error:
        return args(translate("status_text", "Not sent yet. Last try: %1"), detail.last_error)
    return translate("status_text", "Will be sent at the next sync")
