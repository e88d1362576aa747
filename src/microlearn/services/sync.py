"""Use cases of the central record: sync now, restore, and the states the status words are made from.

The GUI (in a worker thread) and ``microlearn sync`` / ``microlearn restore`` use this same
service. A sync or restore holds the data directory's sync lock for its whole run; if another
process or thread holds it, the call returns at once with the ``LOCKED`` outcome.
"""

from __future__ import annotations

import json
import random
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from microlearn.records.restore import (
    RestoreOutcome,
    RestoreReport,
    needs_auto_restore,
    restore_progress,
)
from microlearn.records.statements import parse_instant
from microlearn.records.sync_engine import (
    IN_FLIGHT_MARGIN_S,
    META_LAST_SYNC_AT,
    META_LAST_SYNC_OK_AT,
    META_LAST_SYNC_REPORT,
    SyncEngine,
)
from microlearn.records.sync_lock import sync_lock
from microlearn.records.sync_outcome import Outcome, SyncProgress, SyncReport
from microlearn.services.catalog import CatalogService, OutboxCounts
from microlearn.settings.config import Config
from microlearn.store.meta import read_store_meta
from microlearn.store.opening import Store
from microlearn.store.outbox import OutboxStatus, list_outbox

if TYPE_CHECKING:
    from microlearn.records.lrs_client import LrsClient, LrsSettings

R = TypeVar("R")

# Importing this module stays cheap (no SQLAlchemy, no httpx), so the GUI can read the state
# as soon as the window shows; sync_now() and restore() load the rest.


@dataclass(frozen=True)
class OutboxDetail:
    """One record as the details view lists it."""

    statement_id: str
    created_at: datetime
    verb: str
    title: str  # the module's or the question's name, from the statement itself
    status: OutboxStatus
    last_error: str | None
    tries: int
    sent_at: datetime | None


@dataclass(frozen=True)
class LastSync:
    at: datetime | None
    outcome: Outcome | None
    report: SyncReport | None  # how the last sync ended, for its words
    ok_at: datetime | None  # the last sync that reached the central record


def _title(statement: dict[str, Any]) -> str:
    obj = statement.get("object") or {}
    name = (obj.get("definition") or {}).get("name") or {}
    if isinstance(name, dict) and name:
        return str(next(iter(name.values())))
    return str(obj.get("id", "")).rstrip("/").rsplit("/", 1)[-1]


def settings_from_config(config: Config) -> LrsSettings:
    from microlearn.records.lrs_client import LrsSettings

    proxy = str(config.get("network.proxy")).strip()
    ca_bundle = str(config.get("network.ca_bundle")).strip()
    return LrsSettings(
        endpoint=str(config.get("lrs.endpoint")).strip(),
        username=str(config.get("lrs.username")),
        password=str(config.get("lrs.password")),
        proxy=proxy or None,
        ca_bundle=Path(ca_bundle).expanduser() if ca_bundle else None,
    )


def _default_client(settings: LrsSettings) -> LrsClient:
    from microlearn.records.lrs_client import LrsClient

    return LrsClient(settings)


class SyncService:
    def __init__(
        self,
        store: Store,
        config: Config,
        *,
        batch_size: int = 100,
        sleep: Callable[[float], object] | None = None,
        rng: random.Random | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        client_factory: Callable[[LrsSettings], LrsClient] | None = None,
        in_flight_s: float | None = None,
    ) -> None:
        self._store = store
        self._config = config
        self._batch_size = batch_size
        self._stop = threading.Event()
        # By default a back-off wait is the stop event's: cancel() ends it at once.
        self._sleep: Callable[[float], object] = sleep or self._stop.wait
        self._rng = rng or random.Random()
        self._clock = clock
        self._client_factory = client_factory or _default_client
        # How long a request may still be running after we gave up on it: the client's deadline
        # and a margin (an LRS may store what it answered too late).
        self._in_flight_s = in_flight_s

    @property
    def configured(self) -> bool:
        # A broken IT policy keeps sync off until it is fixed (learning goes on offline).
        return bool(self.endpoint) and self._config.sync_blocked_reason is None

    def now(self) -> datetime:
        return self._clock()

    @property
    def endpoint(self) -> str:
        return str(self._config.get("lrs.endpoint")).strip()

    def _counts(self) -> OutboxCounts:
        return CatalogService(self._store).outbox_counts()

    def _with_client(
        self,
        work: Callable[[LrsClient], R],
        *,
        locked: Callable[[], R],
        unusable: Callable[[str], R],
    ) -> R:
        """Under the sync lock, ``work`` with a client for the configured LRS; ``locked()`` if
        another sync holds the lock, ``unusable(detail)`` if the network settings cannot be used."""
        with sync_lock(self._store.paths.sync_lock) as acquired:
            if not acquired:
                return locked()
            try:
                client = self._client_factory(settings_from_config(self._config))
            except OSError as exc:  # e.g. the CA bundle named in the settings cannot be read
                return unusable(f"the network settings could not be used: {type(exc).__name__}")
            with client:
                return work(client)

    # -- sync and restore ------------------------------------------------------------------------

    def sync_now(self, progress: Callable[[SyncProgress], None] | None = None) -> SyncReport:
        """Send what is waiting; returns at once with LOCKED if another sync is running."""
        if not self.configured:
            detail = self._config.sync_blocked_reason or ""
            return SyncReport(Outcome.NOT_CONFIGURED, remaining=self._counts().pending, detail=detail)

        def send(client: LrsClient) -> SyncReport:
            in_flight_s = self._in_flight_s
            if in_flight_s is None:
                in_flight_s = settings_from_config(self._config).deadline_s + IN_FLIGHT_MARGIN_S
            self._stop.clear()  # only once the lock is ours: a cancel is for the sync that holds it
            engine = SyncEngine(
                self._store,
                client,
                self._batch_size,
                in_flight_s=in_flight_s,
                sleep=self._sleep,
                rng=self._rng,
                clock=self._clock,
                secrets=sorted(self._config.secrets, key=len, reverse=True),
                progress=progress,
                cancel_event=self._stop,
            )
            return engine.run()

        return self._with_client(
            send,
            locked=lambda: SyncReport(Outcome.LOCKED, remaining=self._counts().pending),
            unusable=lambda detail: SyncReport(
                Outcome.SERVER_ERROR, remaining=self._counts().pending, detail=detail
            ),
        )

    def cancel(self) -> None:
        """Stop a running sync soon (from another thread): after the request in flight."""
        self._stop.set()

    def restore(self) -> RestoreReport:
        """Fetch this learner's results from the central record (never re-queues them)."""
        if not self.configured:
            return RestoreReport(RestoreOutcome.NOT_CONFIGURED, detail=self._config.sync_blocked_reason or "")
        # The client scrubs secrets from its errors; a status error carries only the code.
        return self._with_client(
            lambda client: restore_progress(
                self._store, client, self._config, sleep=self._sleep, rng=self._rng, clock=self._clock
            ),
            locked=lambda: RestoreReport(RestoreOutcome.LOCKED),
            unusable=lambda detail: RestoreReport(RestoreOutcome.SERVER_ERROR, detail=detail),
        )

    def needs_restore(self) -> bool:
        return needs_auto_restore(self._store, self._config)

    # -- where things stand ------------------------------------------------------------------------

    def last_sync(self) -> LastSync:
        meta = read_store_meta(self._store, META_LAST_SYNC_AT, META_LAST_SYNC_REPORT, META_LAST_SYNC_OK_AT)
        report: SyncReport | None
        try:
            report = SyncReport.from_json(json.loads(meta.get(META_LAST_SYNC_REPORT, "")))
        except (ValueError, TypeError, KeyError, AttributeError):
            report = None  # none yet, or written by an older version: the next sync writes it
        return LastSync(
            at=parse_instant(meta.get(META_LAST_SYNC_AT)),
            outcome=report.outcome if report is not None else None,
            report=report,
            ok_at=parse_instant(meta.get(META_LAST_SYNC_OK_AT)),
        )

    def outbox_counts(self) -> OutboxCounts:
        return self._counts()

    def outbox_details(
        self, limit: int = 100, offset: int = 0, statuses: Sequence[OutboxStatus] | None = None
    ) -> list[OutboxDetail]:
        """Newest first, one page; ``statuses`` filters."""
        with self._store.read() as db:
            rows = list_outbox(db, limit, offset, [s.value for s in statuses or ()])
        details = []
        for row in rows:
            try:
                statement = json.loads(row.statement_json)
            except ValueError:
                statement = {}
            created = parse_instant(row.created_at)
            try:
                status = OutboxStatus(row.status)
            except ValueError:
                status = OutboxStatus.PENDING
            details.append(
                OutboxDetail(
                    statement_id=row.statement_id,
                    created_at=created or datetime.fromtimestamp(0, UTC),
                    verb=row.verb,
                    title=_title(statement) if isinstance(statement, dict) else "",
                    status=status,
                    last_error=row.last_error,
                    tries=row.tries,
                    sent_at=parse_instant(row.sent_at),
                )
            )
        return details
