"""The sync engine: sends the outbox to the central record, following DESIGN.md's "Sync engine".

- Oldest first (``outbox.id``), in batches streamed from the store: each batch is one
  ``SELECT … WHERE status='pending' AND id > :last ORDER BY id LIMIT :batch`` — the outbox is
  never loaded whole, so memory does not grow with its size.
- 200/204: the batch is ``sent`` (one short transaction).
- 409: the LRS already holds one of these ids. Never conclude from the batch: each statement
  is fetched by id and compared with what we sent (ignoring ``stored``, ``authority``,
  ``version``; timestamps compared as instants). Identical → ``sent``; different →
  ``conflict`` (kept, never retried, never blocking the queue); absent → sent again on its
  own (PUT by id), and that answer goes through the same rules.
- 400/422 (and 413): the batch is split in halves until the bad statement(s) stand alone;
  those are ``rejected`` with the server's message, the rest are sent.
- 401/403: stop at once, nothing marked: the learner is told to contact IT.
- 429/503: wait as long as ``Retry-After`` says (up to ``max_retry_after_s``; a longer wait
  ends the run, leaving the rest for the next one).
- Network errors and other 5xx: exponential back-off with full jitter, capped; after
  ``max_retries`` consecutive failures of one request the run ends, the rest still pending.

Every database write is its own short ``BEGIN IMMEDIATE`` transaction on a plain sqlite3
connection with the app's pragmas, so the GUI's answers never wait long (see
``open_connection`` for why the engine's own commits skip the fsync). ``tries`` counts send
attempts (a failed one also records ``last_error``, secret-free). The last sync's time,
outcome and summary go to the ``meta`` table.
"""

from __future__ import annotations

import json
import random
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from microlearn.records.statements import parse_instant
from microlearn.store.engine_pragmas import BUSY_TIMEOUT_MS, apply_pragmas
from microlearn.store.opening import Store
from microlearn.store.plain_sql import db_timestamp, utc_now, write_transaction

if TYPE_CHECKING:
    from microlearn.records.lrs_client import LrsResponse

# httpx is imported where it is first needed (in the engine's methods), and the store is
# written through plain sqlite3 with the app's pragmas (engine_pragmas), so importing this
# module costs nothing at start-up: the status bar can use the plain words below early.

T = TypeVar("T")

LRS_ADDED_FIELDS = ("stored", "authority", "version")
MAX_ERROR_CHARS = 500

# meta keys
META_LAST_SYNC_AT = "last_sync_at"
META_LAST_SYNC_OUTCOME = "last_sync_outcome"
META_LAST_SYNC_SUMMARY = "last_sync_summary"
META_LAST_SYNC_DETAIL = "last_sync_detail"
META_LAST_SYNC_OK_AT = "last_sync_ok_at"  # the last run that reached the LRS and left nothing pending


class Outcome(StrEnum):
    ALL_SENT = "all_sent"
    SOME_REFUSED = "some_refused"  # the store holds rejected or conflicting statements
    OFFLINE = "offline"
    SERVER_BUSY = "server_busy"
    SERVER_ERROR = "server_error"
    CREDENTIALS_REFUSED = "credentials_refused"
    LOCKED = "locked"  # another sync of this data directory is running
    NOT_CONFIGURED = "not_configured"  # no LRS endpoint configured
    CANCELLED = "cancelled"


# Outcomes after which the LRS was reached and nothing is left pending.
REACHED = frozenset((Outcome.ALL_SENT, Outcome.SOME_REFUSED))


def plural(count: int, word: str = "result") -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


SEE_DETAILS = " — see details"  # the details view itself shows the status without it


def refused_text(count: int) -> str:
    verb = "was" if count == 1 else "were"
    return f"{plural(count)} {verb} refused by the central record{SEE_DETAILS}"


CREDENTIALS_TEXT = "The central record refused the credentials — contact IT"


def waiting_text(outcome: Outcome, remaining: int) -> str:
    waiting = f"{plural(remaining)} waiting"
    if outcome is Outcome.OFFLINE:
        return f"Offline — {waiting}"
    if outcome is Outcome.SERVER_BUSY:
        return f"The central record is busy — {waiting}"
    if outcome is Outcome.SERVER_ERROR:
        return f"The central record is not working right now — {waiting}"
    if outcome is Outcome.CANCELLED:
        return f"Sync stopped — {waiting}"
    return f"{waiting} to sync"


def not_configured_text(pending: int) -> str:
    return f"Not connected to a central record — {plural(pending)} kept on this computer"


def summary_text(outcome: Outcome, sent: int, remaining: int, refused_total: int) -> str:
    """One line in plain words for the status bar, the CLI and the log."""
    if outcome is Outcome.CREDENTIALS_REFUSED:
        return CREDENTIALS_TEXT
    if outcome is Outcome.LOCKED:
        return "Another sync is already running — try again in a moment"
    if outcome is Outcome.NOT_CONFIGURED:
        return not_configured_text(remaining)
    if outcome in REACHED:
        synced = f"Synced {plural(sent)}" if sent else "All results are already synced"
        if outcome is Outcome.SOME_REFUSED:
            return f"{synced}. {refused_text(refused_total)}" if sent else refused_text(refused_total)
        return synced
    return waiting_text(outcome, remaining)


@dataclass(frozen=True)
class SyncReport:
    outcome: Outcome
    sent: int = 0  # marked sent by this run
    conflicts: int = 0  # marked conflict by this run
    rejected: int = 0  # marked rejected by this run
    remaining: int = 0  # still pending after the run
    refused_total: int = 0  # rejected + conflict in the store after the run
    detail: str = ""  # what went wrong, technically (never a secret), for logs and --json

    @property
    def summary(self) -> str:
        return summary_text(self.outcome, self.sent, self.remaining, self.refused_total)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["outcome"] = self.outcome.value
        data["summary"] = self.summary
        return data


@dataclass(frozen=True)
class SyncProgress:
    sent: int
    conflicts: int
    rejected: int


class StatementsClient(Protocol):
    """What the engine needs of ``LrsClient``."""

    def post_statements(self, raw_statements: Sequence[str]) -> LrsResponse: ...

    def put_statement(self, statement_id: str, raw_statement: str) -> LrsResponse: ...

    def get_statement(self, statement_id: str) -> dict[str, Any] | None: ...


# -- comparing what we sent with what the LRS holds -------------------------------------------


def _same_timestamp(a: Any, b: Any) -> bool:
    if a == b:
        return True
    first, second = parse_instant(a), parse_instant(b)
    return first is not None and first == second


def statement_differences(stored: Mapping[str, Any], sent: Mapping[str, Any]) -> list[str]:
    """Top-level properties in which the LRS's copy differs from ours (what the LRS adds ignored)."""
    keys = (set(stored) | set(sent)) - set(LRS_ADDED_FIELDS)
    differing = []
    for key in sorted(keys):
        if key == "timestamp":
            if not _same_timestamp(stored.get(key), sent.get(key)):
                differing.append(key)
        elif stored.get(key, _MISSING) != sent.get(key, _MISSING):
            differing.append(key)
    return differing


_MISSING = object()


def same_statement(stored: Mapping[str, Any], sent: Mapping[str, Any]) -> bool:
    return not statement_differences(stored, sent)


# -- errors and plumbing ------------------------------------------------------------------------


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


@dataclass(frozen=True)
class _Row:
    id: int
    statement_id: str
    json: str


@dataclass
class _Counts:
    sent: int = 0
    conflicts: int = 0
    rejected: int = 0
    unresolved: int = 0


_SPLIT_STATUSES = frozenset((400, 413, 422))
_SENT_STATUSES = frozenset((200, 204))
_SELECT_BATCH = (
    "SELECT id, statement_id, statement_json FROM outbox "
    "WHERE status = 'pending' AND id > ? ORDER BY id LIMIT ?"
)


BACKOFF_BASE_S, BACKOFF_CAP_S = 0.5, 30.0


def backoff_delay(
    rng: random.Random, failures: int, base_s: float = BACKOFF_BASE_S, cap_s: float = BACKOFF_CAP_S
) -> float:
    """How long to wait after the ``failures``-th failure in a row: full jitter under
    ``base_s`` × 2^(failures-1), capped, so a thousand laptops do not retry in step."""
    return rng.uniform(0.0, min(cap_s, base_s * 2 ** (failures - 1)))


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


class SyncEngine:
    """One run sends what is pending, then reports. Not thread-safe: one run at a time.

    ``sleep`` is how the engine waits between retries (tests pass a no-op; the GUI can pass
    a cancel event's ``wait`` so that closing the app interrupts a back-off at once).
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
        max_retries: int = 5,
        backoff_base_s: float = BACKOFF_BASE_S,
        backoff_cap_s: float = BACKOFF_CAP_S,
        max_retry_after_s: float = 60.0,
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
        self._max_retries = max_retries
        self._backoff_base_s = backoff_base_s
        self._backoff_cap_s = backoff_cap_s
        self._max_retry_after_s = max_retry_after_s
        self._secrets = tuple(s for s in secrets if s)
        self._progress = progress
        self._cancelled = cancel_event or threading.Event()
        self._counts = _Counts()
        self._connection: sqlite3.Connection | None = None

    def cancel(self) -> None:
        """Ask a running ``run`` to stop after the request in flight (thread-safe)."""
        self._cancelled.set()

    # -- the run -------------------------------------------------------------------------------

    def run(self) -> SyncReport:
        self._counts = _Counts()
        self._connection = open_connection(self._store, durable=False)
        try:
            return self._run()
        finally:
            self._connection.close()
            self._connection = None

    def _db(self) -> sqlite3.Connection:
        if self._connection is None:
            raise RuntimeError("the engine is not running")
        return self._connection

    def _send_all(self) -> None:
        """Batch after batch, oldest first, until nothing is pending after the last one sent."""
        last_id = 0
        while True:
            self._check_cancelled()
            rows = self._next_batch(last_id)
            if not rows:
                return
            self._send(rows)
            last_id = rows[-1].id

    def _run(self) -> SyncReport:
        outcome: Outcome | None = None
        detail = ""
        try:
            self._send_all()
        except _StopError as stop:
            outcome, detail = stop.outcome, stop.detail
        remaining, refused_total = self._tally()
        counts = self._counts
        if outcome is None and counts.unresolved:
            outcome = Outcome.SERVER_ERROR
            detail = (
                f"{plural(counts.unresolved, 'statement')}: the central record answered 409 "
                "but did not show the statement when asked"
            )
        if outcome is None:
            outcome = Outcome.SOME_REFUSED if refused_total else Outcome.ALL_SENT
        report = SyncReport(
            outcome=outcome,
            sent=counts.sent,
            conflicts=counts.conflicts,
            rejected=counts.rejected,
            remaining=remaining,
            refused_total=refused_total,
            detail=detail,
        )
        record_sync_meta(self._store, report, self._clock())
        return report

    def _next_batch(self, last_id: int) -> list[_Row]:
        cursor = self._db().execute(_SELECT_BATCH, (last_id, self._batch_size))
        return [_Row(r[0], r[1], r[2]) for r in cursor]

    def _check_cancelled(self) -> None:
        if self._cancelled.is_set():
            raise _StopError(Outcome.CANCELLED, "the sync was stopped")

    def _report_progress(self) -> None:
        if self._progress is not None:
            c = self._counts
            self._progress(SyncProgress(c.sent, c.conflicts, c.rejected))

    # -- sending -------------------------------------------------------------------------------

    def _send(self, rows: list[_Row]) -> None:
        """POST ``rows`` as one batch and settle every one of them (or raise ``_StopError``)."""
        response = self._retrying(
            lambda: self._checked(self._client.post_statements([r.json for r in rows])), rows
        )
        status = response.status
        if status in _SENT_STATUSES:
            self._mark_sent(rows)
        elif status == 409:
            self._resolve(rows)
        elif status in _SPLIT_STATUSES:
            if len(rows) == 1:
                self._mark_rejected(rows[0], server_message(response))
            else:
                middle = len(rows) // 2
                self._send(rows[:middle])
                self._send(rows[middle:])
        else:
            raise self._unexpected(response)

    def _resolve(self, rows: list[_Row]) -> None:
        """After a 409: decide statement by statement, never from the batch's answer."""
        for row in rows:
            self._settle_known(row, self._fetch(row), resend=True)

    def _settle_known(self, row: _Row, stored: dict[str, Any] | None, *, resend: bool) -> bool:
        """Settle ``row`` from the LRS's copy; ``False`` if the LRS has none (and no resend)."""
        if stored is None:
            if resend:
                self._send_alone(row)
                return True
            return False
        differences = statement_differences(stored, json.loads(row.json))
        if differences:
            self._mark_conflict(row, differences)
        else:
            self._mark_sent([row])
        return True

    def _send_alone(self, row: _Row, rounds: int = 3) -> None:
        for _round in range(rounds):
            response = self._retrying(
                lambda: self._checked(self._client.put_statement(row.statement_id, row.json)), [row]
            )
            status = response.status
            if status in _SENT_STATUSES:
                self._mark_sent([row])
                return
            if status in _SPLIT_STATUSES:
                self._mark_rejected(row, server_message(response))
                return
            if status != 409:
                raise self._unexpected(response)
            if self._settle_known(row, self._fetch(row), resend=False):
                return
            # 409 yet absent when asked: an LRS that is slow to show what it stored. Try again.
        self._note_failure([row], "the central record answered 409 but did not show the statement")
        self._counts.unresolved += 1

    def _fetch(self, row: _Row) -> dict[str, Any] | None:
        from microlearn.records.lrs_client import LrsError, LrsStatusError

        def attempt() -> dict[str, Any] | None:
            try:
                return self._client.get_statement(row.statement_id)
            except LrsError as exc:
                raise _TransientError(Outcome.OFFLINE, self._clean(str(exc))) from None
            except LrsStatusError as exc:
                self._checked(exc.response)
                raise _StopError(
                    Outcome.SERVER_ERROR,
                    self._clean("reading a statement back: " + server_message(exc.response)),
                ) from None

        return self._retrying(attempt, [row], sending=False)

    # -- answers, retries and back-off ------------------------------------------------------------

    def _checked(self, response: LrsResponse) -> LrsResponse:
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
        return response

    def _unexpected(self, response: LrsResponse) -> _StopError:
        # 3xx, 404, 405, 415…: not transient and not about one statement — most likely the
        # endpoint is wrong. Stop rather than mark anything.
        return _StopError(Outcome.SERVER_ERROR, self._clean("unexpected answer: " + server_message(response)))

    def _retrying(self, attempt: Callable[[], T], rows: Sequence[_Row], *, sending: bool = True) -> T:
        from microlearn.records.lrs_client import LrsError

        failures = 0
        while True:
            self._check_cancelled()
            try:
                return attempt()
            except LrsError as exc:
                retry = _TransientError(Outcome.OFFLINE, self._clean(str(exc)))
            except _TransientError as caught:
                retry = caught
            failures += 1
            self._note_failure(rows, retry.detail, sending=sending)
            if failures > self._max_retries:
                raise _StopError(retry.outcome, retry.detail)
            if retry.wait is not None:
                if retry.wait > self._max_retry_after_s:
                    raise _StopError(
                        Outcome.SERVER_BUSY, f"{retry.detail} (asked to wait {retry.wait:.0f} s)"
                    )
                delay = retry.wait
            else:
                delay = backoff_delay(self._rng, failures, self._backoff_base_s, self._backoff_cap_s)
            self._check_cancelled()
            self._sleep(delay)

    def _clean(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "***")
        text = re.sub(r"\s+", " ", text).strip()
        return text if len(text) <= MAX_ERROR_CHARS else text[: MAX_ERROR_CHARS - 1] + "…"

    # -- short write transactions ----------------------------------------------------------------

    def _update_pending(self, rows: Sequence[_Row], assignments: str, params: Sequence[Any] = ()) -> None:
        """``UPDATE outbox SET <assignments>`` for those of ``rows`` still pending: one transaction."""
        ids = [r.id for r in rows]
        with write_transaction(self._db()) as db:
            for start in range(0, len(ids), _IDS_PER_STATEMENT):
                chunk = ids[start : start + _IDS_PER_STATEMENT]
                db.execute(
                    f"UPDATE outbox SET {assignments} "
                    f"WHERE status = 'pending' AND id IN ({','.join('?' * len(chunk))})",
                    (*params, *chunk),
                )

    def _mark_sent(self, rows: Sequence[_Row]) -> None:
        self._update_pending(
            rows,
            "status = 'sent', sent_at = ?, tries = tries + 1, last_error = NULL",
            (db_timestamp(self._clock()),),
        )
        self._counts.sent += len(rows)
        self._report_progress()

    def _mark_conflict(self, row: _Row, differences: Sequence[str]) -> None:
        message = (
            "The central record already holds a different statement with this id "
            f"(it differs in: {', '.join(differences)}); it is kept here and not sent again."
        )
        self._update_pending([row], "status = 'conflict', last_error = ?", (message,))
        self._counts.conflicts += 1
        self._report_progress()

    def _mark_rejected(self, row: _Row, message: str) -> None:
        self._update_pending(
            [row], "status = 'rejected', tries = tries + 1, last_error = ?", (self._clean(message),)
        )
        self._counts.rejected += 1
        self._report_progress()

    def _note_failure(self, rows: Sequence[_Row], detail: str, *, sending: bool = True) -> None:
        assignments = "tries = tries + 1, last_error = ?" if sending else "last_error = ?"
        self._update_pending(rows, assignments, (self._clean(detail),))

    def _tally(self) -> tuple[int, int]:
        counts = dict(self._db().execute("SELECT status, count(*) FROM outbox GROUP BY status").fetchall())
        return counts.get("pending", 0), counts.get("rejected", 0) + counts.get("conflict", 0)


# -- the store: a plain sqlite3 connection with the app's pragmas ----------------------------------

_IDS_PER_STATEMENT = 500  # well under SQLite's limit on bound parameters


def open_connection(store: Store, *, durable: bool = True) -> sqlite3.Connection:
    """Autocommit connection (transactions are explicit) with the same pragmas as the ORM's.

    ``durable=False`` relaxes ``synchronous`` to NORMAL for this connection only. In WAL mode
    that skips the fsync at each commit (the database stays consistent; a power cut may undo
    the last few commits, a crash of the process does not). The engine uses it for what it
    writes - sent/conflict/rejected marks, tries, last errors - because every one of those
    is safe to lose: the statement is simply sent again, and an identical re-send is
    harmless (DESIGN.md). The learner's answers keep FULL on their own connections, and a
    FULL commit makes every earlier frame of the WAL durable too. One fsync per batch would
    otherwise cost a few per cent of the sync, and more when the disk is busy.
    """
    connection = sqlite3.connect(store.paths.database, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        apply_pragmas(connection)
        if not durable:
            connection.execute("PRAGMA synchronous=NORMAL")
    except BaseException:
        connection.close()
        raise
    return connection


# -- the meta table --------------------------------------------------------------------------------


def write_meta(store: Store, values: Mapping[str, str]) -> None:
    connection = open_connection(store)
    try:
        with write_transaction(connection) as db:
            db.executemany(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                list(values.items()),
            )
    finally:
        connection.close()


def read_meta(store: Store, *keys: str) -> dict[str, str]:
    if not keys:
        return {}
    with store.read() as db:
        marks = ",".join("?" * len(keys))
        rows = db.execute(f"SELECT key, value FROM meta WHERE key IN ({marks})", keys).fetchall()
    return {str(row[0]): str(row[1]) for row in rows}


def record_sync_meta(store: Store, report: SyncReport, when: datetime) -> None:
    """Remember how the last sync ended (LOCKED is not recorded: the other sync will be)."""
    if report.outcome is Outcome.LOCKED:
        return
    stamp = when.astimezone(UTC).isoformat(timespec="seconds")
    values = {
        META_LAST_SYNC_AT: stamp,
        META_LAST_SYNC_OUTCOME: report.outcome.value,
        META_LAST_SYNC_SUMMARY: report.summary,
        META_LAST_SYNC_DETAIL: report.detail,
    }
    if report.outcome in REACHED:
        values[META_LAST_SYNC_OK_AT] = stamp
    write_meta(store, values)
