"""The sync engine: sends the outbox to the central record, following DESIGN.md's "Sync engine".

- Oldest first, in batches streamed from the store (``store.outbox``): the outbox is never
  loaded whole, so memory does not grow with its size.
- A batch is ``sent`` only on the spec's answer (``records.answer_policy``). Any other answer
  to a write that may have been stored (a 2xx that is not ours, a read timeout, a reset after
  sending) is an unknown outcome: those statements become ``unconfirmed`` and are not sent
  again before the earlier request can no longer be in flight (``in_flight_s`` on the
  engine's clock). Then they are read back, and only what the LRS does not hold is sent.
- 409: the LRS already holds one of these ids. Never conclude from the batch: the batch's
  statements are read back (one GET per registration, with the agent filter, following
  ``more``) and compared as xAPI says (``records.statement_comparison``). Identical → ``sent``;
  different → ``conflict`` (kept, never retried, never blocking the queue); absent → sent
  again on its own (PUT by id).
- A read-back that fails parks its statements as ``unconfirmed`` with a back-off: no single
  statement blocks the queue; the rest carries on.
- 400/422 (and 413): the batch is split until the bad statement(s) stand alone; those are
  ``rejected`` with the server's message, the rest are sent.
- 401/403: stop at once, nothing marked: the learner is told to contact IT.
- 429/503: wait as long as ``Retry-After`` says (up to ``max_retry_after_s``; a longer wait
  ends the run, leaving the rest for the next one).
- No answer before the request left, and other 5xx: exponential back-off with full jitter,
  capped; after ``max_retries`` failures in a row the run ends, the rest still pending.

Every database write is its own short transaction (``store.outbox``) on a connection that
skips the fsync (``store.plain_sql.connect``). ``tries`` counts send attempts (a
failed one also records ``last_error``, secret-free). The last sync's outcome and counts go
to the ``meta`` table; ``ui.status_text`` turns them into words.
"""

from __future__ import annotations

import json
import random
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol, TypeVar

from microlearn.records.answer_policy import (
    Answer,
    Verdict,
    looks_like_html,
    read_post_answer,
    read_put_answer,
    server_message,
)
from microlearn.records.lrs_answers import FailureKind, LrsError, LrsResponse, LrsStatusError
from microlearn.records.read_back import HeldStatements, by_attempt
from microlearn.records.retry import GiveUp, RetryPolicy, RetryRun, backoff_delay
from microlearn.records.statement_comparison import statement_differences
from microlearn.records.sync_outcome import REACHED, Outcome, SyncProgress, SyncReport
from microlearn.settings.logs import scrub
from microlearn.store import outbox
from microlearn.store.meta import write_store_meta
from microlearn.store.opening import Store
from microlearn.store.outbox import OutboxEntry
from microlearn.store.plain_sql import connect, utc_now

# No httpx here (the client brings it): importing the engine costs little at start-up.

T = TypeVar("T")

MAX_ERROR_CHARS = 500

# meta keys
META_LAST_SYNC_AT = "last_sync_at"
META_LAST_SYNC_REPORT = "last_sync_report"  # the SyncReport as JSON: its words are the UI's
META_LAST_SYNC_OK_AT = "last_sync_ok_at"  # the last run that reached the LRS and left nothing pending

# A statement whose read-back failed is read back again after a back-off of its own, longer
# than a request's: the LRS is failing at reads, and the run goes on with the rest.
UNCONFIRMED_BASE_S, UNCONFIRMED_CAP_S = 60.0, 6 * 3600.0
IN_FLIGHT_MARGIN_S = 10.0  # beyond the client's own deadline, before a request counts as over
_SETTLE_ROUNDS = 3  # read back and re-send at most this often per run, then leave it for the next


class StatementsClient(Protocol):
    """What the engine needs of ``LrsClient``."""

    def post_statements(self, raw_statements: Sequence[str]) -> LrsResponse: ...

    def put_statement(self, statement_id: str, raw_statement: str) -> LrsResponse: ...

    def get_statement(self, statement_id: str) -> dict[str, Any] | None: ...

    def iter_statements(
        self, agent: Mapping[str, Any], *, page_limit: int = 500, registration: str | None = None
    ) -> Iterator[dict[str, Any]]: ...


# -- errors ----------------------------------------------------------------------------------------


class _StopError(Exception):
    """End the run now; the rest stays pending."""

    def __init__(self, outcome: Outcome, detail: str) -> None:
        super().__init__(detail)
        self.outcome = outcome
        self.detail = detail


class _TransientError(Exception):
    """A transient failure: back off (or wait ``wait`` seconds) and try the same request again."""

    def __init__(self, outcome: Outcome, detail: str, wait: float | None = None) -> None:
        super().__init__(detail)
        self.outcome = outcome
        self.detail = detail
        self.wait = wait


class _UnknownOutcomeError(Exception):
    """A write that may have been stored: its statements must be read back before a re-send.

    ``answered``: an HTTP answer came back, so the request is over and the read-back can
    come at once; without one (a timeout, a reset) it may still be running at the LRS.
    """

    def __init__(self, outcome: Outcome, detail: str, *, answered: bool) -> None:
        super().__init__(detail)
        self.outcome = outcome
        self.detail = detail
        self.answered = answered


class _ReadBackError(Exception):
    """The LRS could not show what it holds (e.g. 500 on GET): the statements stay unsettled."""

    def __init__(self, detail: str, outcome: Outcome = Outcome.UNCONFIRMED) -> None:
        super().__init__(detail)
        self.detail = detail
        self.outcome = outcome


# "Offline" only when the network is down; a host that refuses, resets or times out is not.
_NETWORK_OUTCOMES = {
    FailureKind.NETWORK_DOWN: Outcome.OFFLINE,
    FailureKind.HOST_ERROR: Outcome.SERVER_DOWN,
    FailureKind.OUTCOME_UNKNOWN: Outcome.SERVER_DOWN,
}


@dataclass
class _Counts:
    sent: int = 0
    conflicts: int = 0
    rejected: int = 0
    last_problem: Outcome | None = None  # what kept a statement unsettled, for the run's outcome
    last_detail: str = ""
    sent_back: bool = False  # statements read back and missing went back to pending this round
    settle_rounds: dict[int, int] = field(default_factory=dict)


class SyncEngine:
    """One run sends what is pending, settles what is unconfirmed, then reports. One run at a time.

    ``sleep`` is how the engine waits (tests pass a fake clock's; the GUI passes a cancel event's
    ``wait`` so that closing the app interrupts a wait at once). The engine's idea of "now" is
    ``clock()``, moved on by what it slept, so a fake ``sleep`` moves time on too.
    """

    def __init__(
        self,
        store: Store,
        client: StatementsClient,
        batch_size: int = 100,
        *,
        sleep: Callable[[float], object] = time.sleep,
        rng: random.Random | None = None,
        clock: Callable[[], datetime] = utc_now,
        policy: RetryPolicy | None = None,
        in_flight_s: float = 30.0,
        secrets: Iterable[str] = (),
        progress: Callable[[SyncProgress], None] | None = None,
        cancel_event: threading.Event | None = None,
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self._store = store
        self._client = client
        self._batch_size = batch_size
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._clock = clock
        self._policy = policy or RetryPolicy()
        self._in_flight = timedelta(seconds=in_flight_s)
        self._secrets = tuple(s for s in secrets if s)
        self._progress = progress
        self._cancelled = cancel_event or threading.Event()
        self._counts = _Counts()
        self._connection: sqlite3.Connection | None = None
        self._slept_until: datetime | None = None
        self._held = HeldStatements()
        self._retry = self._new_retry_run()

    def cancel(self) -> None:
        """Ask a running ``run`` to stop after the request in flight (thread-safe)."""
        self._cancelled.set()

    # -- time ----------------------------------------------------------------------------------------

    def _now(self) -> datetime:
        now = self._clock()
        if self._slept_until is not None and self._slept_until > now:
            return self._slept_until
        return now

    def _new_retry_run(self) -> RetryRun:
        # The one retry policy, on the engine's clock: a fake sleep moves both on.
        return RetryRun(self._policy, clock=lambda: self._now().timestamp(), sleep=self._wait, rng=self._rng)

    def _wait(self, seconds: float) -> None:
        self._check_cancelled()
        self._slept_until = self._now() + timedelta(seconds=max(0.0, seconds))
        self._sleep(seconds)
        self._check_cancelled()

    # -- the run -------------------------------------------------------------------------------------

    def run(self) -> SyncReport:
        self._counts = _Counts()
        self._slept_until = None
        self._retry = self._new_retry_run()
        self._held = HeldStatements()
        self._connection = connect(self._store.paths.database, durable=False)
        try:
            return self._run()
        finally:
            self._connection.close()
            self._connection = None

    def _db(self) -> sqlite3.Connection:
        if self._connection is None:
            raise RuntimeError("the engine is not running")
        return self._connection

    def _run(self) -> SyncReport:
        outcome: Outcome | None = None
        detail = ""
        try:
            while True:  # bounded: each statement is waited for at most _SETTLE_ROUNDS times
                self._settle_due()
                self._send_pending()
                if not self._wait_for_held():
                    break
        except _StopError as stop:
            outcome, detail = stop.outcome, stop.detail
        tally = outbox.tally(self._db())
        counts = self._counts
        if outcome is None and tally.waiting:
            # What kept the last of them waiting: a sign-in page, the network, or the LRS itself.
            outcome = counts.last_problem or Outcome.UNCONFIRMED
            detail = counts.last_detail
        if outcome is None:
            outcome = Outcome.SOME_REFUSED if tally.refused else Outcome.ALL_SENT
        report = SyncReport(
            outcome=outcome,
            sent=counts.sent,
            conflicts=counts.conflicts,
            rejected=counts.rejected,
            remaining=tally.waiting,
            refused_total=tally.refused,
            unconfirmed=tally.unconfirmed,
            detail=detail,
        )
        record_sync_meta(self._store, report, self._now())
        return report

    def _send_pending(self) -> None:
        """Batch after batch, oldest first, until nothing is pending after the last one sent."""
        last_id = 0
        while True:
            self._check_cancelled()
            if self._retry.remaining_s() <= 0:  # every run has a deadline; the rest is the next run's
                raise _StopError(
                    self._counts.last_problem or Outcome.SERVER_ERROR, "the run's deadline passed"
                )
            rows = outbox.next_pending(self._db(), last_id, self._batch_size)
            if not rows:
                return
            self._send(rows)
            last_id = rows[-1].id

    def _settle_due(self) -> None:
        """Read back every unconfirmed statement whose wait is over; what is missing goes back
        to pending (and is sent by ``_send_pending``)."""
        done: set[int] = set()
        while True:
            self._check_cancelled()
            rows = [
                r
                for r in outbox.due_unconfirmed(self._db(), self._now(), self._batch_size)
                if r.id not in done
            ]
            if not rows:
                return
            done.update(r.id for r in rows)
            self._return_to_pending(self._read_back(rows))

    def _return_to_pending(self, rows: Sequence[OutboxEntry]) -> None:
        if rows:
            outbox.mark_pending(self._db(), [r.id for r in rows])
            self._counts.sent_back = True

    def _wait_for_held(self) -> bool:
        """If this run left statements waiting for an earlier request to be over, wait for it
        (once per round); ``False`` when there is nothing to wait for."""
        counts = self._counts
        if not any(rounds <= _SETTLE_ROUNDS for rounds in counts.settle_rounds.values()):
            return False
        if counts.sent_back:  # read back and missing: send them in another round, at once
            counts.sent_back = False
        else:
            retry_at = outbox.next_retry_at(self._db())
            if retry_at is None:
                return False
            when = datetime.fromisoformat(retry_at).replace(tzinfo=UTC)
            wait = (when - self._now()).total_seconds()
            if wait > self._in_flight.total_seconds() + 1:
                return False  # a back-off after a failed read-back: that is the next run's
            self._wait(max(0.0, wait))
        for row_id in list(counts.settle_rounds):
            counts.settle_rounds[row_id] += 1
        return True

    def _check_cancelled(self) -> None:
        if self._cancelled.is_set():
            raise _StopError(Outcome.CANCELLED, "the sync was stopped")

    def _report_progress(self) -> None:
        if self._progress is not None:
            c = self._counts
            self._progress(SyncProgress(c.sent, c.conflicts, c.rejected))

    # -- sending -------------------------------------------------------------------------------------

    def _send(self, rows: list[OutboxEntry]) -> None:
        """POST ``rows`` as one batch and settle every one of them (or raise ``_StopError``)."""
        ids = [r.statement_id for r in rows]
        try:
            response, answer = self._retrying(
                lambda: self._write(lambda: self._client.post_statements([r.json for r in rows]), ids),
                rows,
            )
        except _UnknownOutcomeError as unknown:
            self._hold(rows, unknown)
            return
        if answer.verdict is Verdict.STORED:
            self._mark_sent(rows)
        elif answer.verdict is Verdict.KNOWN_ID:
            self._resolve(rows)
        elif answer.verdict is Verdict.INVALID:
            if len(rows) == 1:
                self._mark_rejected(rows[0], server_message(response))
            else:
                middle = len(rows) // 2
                self._send(rows[:middle])
                self._send(rows[middle:])
        else:
            raise self._unexpected(response)

    def _write(
        self, request: Callable[[], LrsResponse], posted_ids: Sequence[str] | None
    ) -> tuple[LrsResponse, Answer]:
        """One write; raises for what is transient, refused or of unknown outcome."""
        try:
            response = request()
        except LrsError as exc:
            if exc.maybe_sent:
                raise _UnknownOutcomeError(
                    Outcome.SERVER_DOWN, self._clean(str(exc)), answered=False
                ) from None
            raise _TransientError(_NETWORK_OUTCOMES[exc.kind], self._clean(str(exc))) from None
        answer = (
            read_post_answer(response, posted_ids) if posted_ids is not None else read_put_answer(response)
        )
        self._checked(response, answer)
        if answer.verdict is Verdict.UNKNOWN:
            outcome = Outcome.SIGN_IN_PAGE if answer.looks_like_html else Outcome.SERVER_ERROR
            what = (
                "a web page" if answer.looks_like_html else "an answer that does not list the statements sent"
            )
            raise _UnknownOutcomeError(
                outcome, self._clean(f"HTTP {response.status}: {what} instead of the LRS's"), answered=True
            )
        return response, answer

    def _hold(self, rows: Sequence[OutboxEntry], unknown: _UnknownOutcomeError) -> None:
        """Maybe stored: not sent again until the request can no longer be in flight."""
        retry_at = self._now() if unknown.answered else self._now() + self._in_flight
        outbox.mark_unconfirmed(self._db(), [r.id for r in rows], retry_at, unknown.detail, sent=True)
        self._note_problem(unknown.outcome, unknown.detail)
        for row in rows:
            self._counts.settle_rounds.setdefault(row.id, 0)
        if unknown.answered:
            # The request is over (something answered it): settle the batch now, before the next.
            self._return_to_pending(self._read_back(rows))

    def _resolve(self, rows: list[OutboxEntry]) -> None:
        """After a 409: decide statement by statement, never from the batch's answer."""
        for row in self._read_back(rows):
            self._send_alone(row)

    def _send_alone(self, row: OutboxEntry) -> None:
        try:
            response, answer = self._retrying(
                lambda: self._write(lambda: self._client.put_statement(row.statement_id, row.json), None),
                [row],
            )
        except _UnknownOutcomeError as unknown:
            self._hold([row], unknown)
            return
        if answer.verdict is Verdict.STORED:
            self._mark_sent([row])
        elif answer.verdict is Verdict.INVALID:
            self._mark_rejected(row, server_message(response))
        elif answer.verdict is Verdict.KNOWN_ID:
            # 409 to this one alone, yet absent when read back a moment ago: the LRS may be slow
            # to show what it stored. Read it back again later, never send it blindly.
            if self._read_back([row]):
                self._park([row], "the central record answered 409 but did not show the statement")
        else:
            raise self._unexpected(response)

    # -- reading back ----------------------------------------------------------------------------------

    def _read_back(self, rows: Sequence[OutboxEntry]) -> list[OutboxEntry]:
        """Settle ``rows`` from what the LRS holds; returns those it does not hold. Those it could
        not show are parked as ``unconfirmed`` with a back-off."""
        absent: list[OutboxEntry] = []
        identical: list[OutboxEntry] = []
        for key, members in by_attempt(rows).items():
            held = self._held.covering(key, [r.statement_id for r, _ in members])
            if held is None:
                try:
                    held = self._fetch_group(key[0], json.loads(key[1]), [r for r, _ in members])
                except _ReadBackError as failed:
                    self._park([r for r, _ in members], failed.detail, failed.outcome)
                    continue
                self._held.remember(key, held)
            for row, statement in members:
                stored = held.get(row.statement_id.lower())
                if stored is None:
                    absent.append(row)
                    continue
                differences = statement_differences(stored, statement)
                if differences:
                    self._mark_conflict(row, differences)
                else:
                    identical.append(row)
        if identical:
            self._mark_sent(identical)
        return absent

    def _fetch_group(
        self, registration: str, actor: Mapping[str, Any], rows: Sequence[OutboxEntry]
    ) -> dict[str, dict[str, Any]]:
        """What the LRS holds of ``rows``, by lower-case id: one paged GET per registration."""

        def attempt() -> dict[str, dict[str, Any]]:
            try:
                if not registration:  # not one of ours, but do not guess: by id, one by one
                    found = [self._client.get_statement(r.statement_id) for r in rows]
                    return {str(s["id"]).lower(): s for s in found if s is not None}
                statements = self._client.iter_statements(actor, registration=registration)
                return {str(s.get("id", "")).lower(): s for s in statements}
            except LrsError as exc:
                raise _TransientError(_NETWORK_OUTCOMES[exc.kind], self._clean(str(exc))) from None
            except LrsStatusError as exc:
                html = looks_like_html(exc.response.body)
                self._checked(exc.response, Answer(Verdict.UNEXPECTED))
                if html:
                    raise _ReadBackError(
                        f"HTTP {exc.response.status}: a web page instead of the LRS's statements",
                        Outcome.SIGN_IN_PAGE,
                    ) from None
                raise _ReadBackError(
                    self._clean("reading statements back: " + server_message(exc.response))
                ) from None

        try:
            return self._retrying(attempt, rows, sending=False)
        except _StopError as stop:
            if stop.outcome in (Outcome.CREDENTIALS_REFUSED, Outcome.CANCELLED):
                raise
            outcome = stop.outcome if stop.outcome is not Outcome.SERVER_ERROR else Outcome.UNCONFIRMED
            raise _ReadBackError(stop.detail, outcome) from None

    def _park(self, rows: Sequence[OutboxEntry], detail: str, outcome: Outcome = Outcome.UNCONFIRMED) -> None:
        """Unsettled: keep it visible as unconfirmed and read it back later, with back-off."""
        for row in rows:
            delay = backoff_delay(self._rng, row.tries + 1, UNCONFIRMED_BASE_S, UNCONFIRMED_CAP_S)
            outbox.mark_unconfirmed(
                self._db(), [row.id], self._now() + timedelta(seconds=delay), self._clean(detail), sent=False
            )
        self._note_problem(outcome, self._clean(detail))

    # -- answers, retries and back-off -------------------------------------------------------------------

    def _checked(self, response: LrsResponse, answer: Answer) -> None:
        """Raise ``_StopError`` for refused credentials and ``_TransientError`` for a transient answer."""
        status = response.status
        if status in (401, 403):
            raise _StopError(Outcome.CREDENTIALS_REFUSED, f"HTTP {status}: the credentials were refused")
        if status in (429, 503):
            raise _TransientError(
                Outcome.SERVER_BUSY, self._clean(server_message(response)), response.retry_after_s
            )
        if status >= 500:
            raise _TransientError(Outcome.SERVER_ERROR, self._clean(server_message(response)))
        if answer.looks_like_html and answer.verdict is Verdict.UNEXPECTED:
            raise _StopError(
                Outcome.SIGN_IN_PAGE, self._clean(f"HTTP {status}: a web page instead of the LRS's answer")
            )

    def _unexpected(self, response: LrsResponse) -> _StopError:
        # 3xx, 404, 405, 415…: not transient and not about one statement — most likely the
        # endpoint is wrong. Stop rather than mark anything.
        return _StopError(Outcome.SERVER_ERROR, self._clean("unexpected answer: " + server_message(response)))

    def _retrying(self, attempt: Callable[[], T], rows: Sequence[OutboxEntry], *, sending: bool = True) -> T:
        failures = 0
        while True:
            self._check_cancelled()
            try:
                return attempt()
            except _TransientError as caught:
                retry = caught
            failures += 1
            self._note_failure(rows, retry.detail, sending=sending)
            self._note_problem(retry.outcome, retry.detail)
            self._check_cancelled()
            gave_up = self._retry.pause(failures, retry.wait)
            if gave_up is GiveUp.WAIT_TOO_LONG:
                raise _StopError(
                    Outcome.SERVER_BUSY, f"{retry.detail} (asked to wait {retry.wait or 0:.0f} s)"
                )
            if gave_up is not None:
                raise _StopError(retry.outcome, f"{retry.detail} ({gave_up.value})")

    def _note_problem(self, outcome: Outcome, detail: str) -> None:
        self._counts.last_problem, self._counts.last_detail = outcome, detail

    def _clean(self, text: str) -> str:
        text = re.sub(r"\s+", " ", scrub(text, self._secrets)).strip()
        return text if len(text) <= MAX_ERROR_CHARS else text[: MAX_ERROR_CHARS - 1] + "…"

    # -- short write transactions ------------------------------------------------------------------------

    def _mark_sent(self, rows: Sequence[OutboxEntry]) -> None:
        outbox.mark_sent(self._db(), [r.id for r in rows], self._now())
        self._counts.sent += len(rows)
        self._report_progress()

    def _mark_conflict(self, row: OutboxEntry, differences: Sequence[str]) -> None:
        # Stored for the details view: the reason is technical, the view shows the words.
        outbox.mark_conflict(self._db(), [row.id], "differs in: " + ", ".join(differences))
        self._counts.conflicts += 1
        self._report_progress()

    def _mark_rejected(self, row: OutboxEntry, message: str) -> None:
        outbox.mark_rejected(self._db(), [row.id], self._clean(message))
        self._counts.rejected += 1
        self._report_progress()

    def _note_failure(self, rows: Sequence[OutboxEntry], detail: str, *, sending: bool = True) -> None:
        outbox.note_failure(self._db(), [r.id for r in rows], self._clean(detail), sent=sending)


# -- the meta table ------------------------------------------------------------------------------------


def record_sync_meta(store: Store, report: SyncReport, when: datetime) -> None:
    """Remember how the last sync ended (LOCKED is not recorded: the other sync will be)."""
    if report.outcome is Outcome.LOCKED:
        return
    stamp = when.astimezone(UTC).isoformat(timespec="seconds")
    values = {
        META_LAST_SYNC_AT: stamp,
        META_LAST_SYNC_REPORT: json.dumps(report.as_json(), sort_keys=True),
    }
    if report.outcome in REACHED:
        values[META_LAST_SYNC_OK_AT] = stamp
    write_store_meta(store, values)
