"""Restore: rebuild this learner's progress from the central record on a new or wiped laptop.

Fetches the learner's own statements (``agent`` = the account actor built from the config,
paged with ``more``), keeps completions, passes and fails whose object is a module under
``content.activity_base``, and stores each as a ``ResultRow(source='restored')`` unless a
result with that statement id is already here. Nothing is queued in the outbox: those
statements are already in the central record.

Tolerates what LRSs differ in: the order of statements (Ralph gives oldest first, the spec
newest first: we do not depend on it), verb filters (we filter ourselves), and statements
voided later (skipped).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from microlearn.records.lrs_answers import (
    FailureKind,
    HostError,
    LrsError,
    LrsStatusError,
    ResponseTooLargeError,
)
from microlearn.records.retry import GiveUp, Retry, RetryGaveUpError, RetryPolicy, RetryRun
from microlearn.records.statements import ADL_VERBS, Actor, parse_instant
from microlearn.settings.config import Config
from microlearn.store.meta import write_meta
from microlearn.store.opening import Store

if TYPE_CHECKING:
    from microlearn.store.models import ResultRow

# SQLAlchemy (for the results) and httpx are imported inside the functions that use them.

META_RESTORE_DONE = "restore_done"
META_RESTORE_AT = "restore_at"
RESULT_VERBS = {ADL_VERBS + kind: kind for kind in ("completed", "passed", "failed")}
VOIDED = ADL_VERBS + "voided"
INSERT_CHUNK = 200  # results per write transaction
# Restore runs when a learner is waiting for their progress: fewer tries than a background sync.
RESTORE_POLICY = RetryPolicy(max_retries=2, run_deadline_s=120.0)


class RestoreOutcome(StrEnum):
    RESTORED = "restored"
    OFFLINE = "offline"
    CREDENTIALS_REFUSED = "credentials_refused"
    SERVER_ERROR = "server_error"
    NOT_CONFIGURED = "not_configured"
    LOCKED = "locked"


@dataclass(frozen=True)
class RestoreReport:
    outcome: RestoreOutcome
    fetched: int = 0  # the learner's statements the LRS returned
    found: int = 0  # of those, completions / passes / fails of our modules
    restored: int = 0  # results added to this store
    already_here: int = 0  # results this store already had
    detail: str = ""

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["outcome"] = self.outcome.value
        return data


class StatementsReader(Protocol):
    def iter_statements(
        self, agent: Mapping[str, Any], *, page_limit: int = 500
    ) -> Iterator[dict[str, Any]]: ...


def learner_actor(config: Config) -> dict[str, Any]:
    """The agent our statements carry: the same object ``records.statements`` builds."""
    return Actor(config.home_page, config.learner_name).as_json()


def _int_or_none(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value)


def _same_account(actor: Any, mine: Mapping[str, Any]) -> bool:
    return isinstance(actor, dict) and actor.get("account") == mine["account"]


def result_from_statement(
    statement: Mapping[str, Any], config: Config, actor: Mapping[str, Any]
) -> ResultRow | None:
    """The ``ResultRow`` a statement stands for, or ``None`` if it is not one of ours to restore."""
    from microlearn.store.models import ResultRow

    kind = RESULT_VERBS.get(str((statement.get("verb") or {}).get("id", "")))
    if kind is None or not _same_account(statement.get("actor"), actor):
        return None
    obj = statement.get("object") or {}
    if obj.get("objectType", "Activity") != "Activity":
        return None
    prefix = config.activity_base + "/modules/"
    object_id = str(obj.get("id", ""))
    module_id = object_id.removeprefix(prefix)
    if not object_id.startswith(prefix) or not module_id or "/" in module_id:
        return None
    statement_id = statement.get("id")
    recorded_at = parse_instant(statement.get("timestamp")) or parse_instant(statement.get("stored"))
    if not isinstance(statement_id, str) or recorded_at is None:
        return None
    context = statement.get("context") or {}
    extensions = context.get("extensions") or {}
    version = extensions.get(f"{config.activity_base}/extensions/module-version", "")
    score = (statement.get("result") or {}).get("score") or {}
    return ResultRow(
        module_id=module_id[:80],
        module_version=str(version)[:40],
        registration=str(context.get("registration") or "")[:36],
        kind=kind,
        score_raw=_int_or_none(score.get("raw")) if kind != "completed" else None,
        score_max=_int_or_none(score.get("max")) if kind != "completed" else None,
        recorded_at=recorded_at,
        source="restored",
        statement_id=statement_id,
    )


def _voided_id(statement: Mapping[str, Any]) -> str | None:
    if (statement.get("verb") or {}).get("id") != VOIDED:
        return None
    target = statement.get("object") or {}
    if target.get("objectType") == "StatementRef" and isinstance(target.get("id"), str):
        return str(target["id"])
    return None


def collect_results(
    statements: Iterable[Mapping[str, Any]], config: Config, actor: Mapping[str, Any]
) -> tuple[int, list[ResultRow]]:
    """(statements seen, results to restore): voided ones dropped, each id once, in time order."""
    seen = 0
    found: dict[str, ResultRow] = {}
    voided: set[str] = set()
    for statement in statements:
        seen += 1
        target = _voided_id(statement)
        if target is not None:
            voided.add(target)
            continue
        row = result_from_statement(statement, config, actor)
        if row is not None and row.statement_id is not None:
            found.setdefault(row.statement_id, row)
    rows = [row for sid, row in found.items() if sid not in voided]
    rows.sort(key=lambda r: r.recorded_at)
    return seen, rows


def _insert_new(store: Store, rows: list[ResultRow]) -> int:
    """Insert the rows whose statement id is not here yet; short transactions of INSERT_CHUNK."""
    from sqlalchemy import select

    from microlearn.store.models import ResultRow

    added = 0
    for start in range(0, len(rows), INSERT_CHUNK):
        chunk = rows[start : start + INSERT_CHUNK]
        with store.sessions.begin() as session:
            ids = [r.statement_id for r in chunk]
            present = set(
                session.scalars(select(ResultRow.statement_id).where(ResultRow.statement_id.in_(ids)))
            )
            for row in chunk:
                if row.statement_id not in present:
                    session.add(row)
                    present.add(row.statement_id)
                    added += 1
    return added


def _transient(exc: Exception) -> Retry | None:
    """What the retry policy may try again: no answer, a busy or failing server.

    Not retried: a host that refuses us (TLS, proxy, nothing listening: it will not be
    different in a second) and an answer over the size cap (not an LRS answering)."""
    if isinstance(exc, HostError | ResponseTooLargeError):
        return None
    if isinstance(exc, LrsError):
        return Retry()
    if isinstance(exc, LrsStatusError):
        status = exc.response.status
        if status in (429, 503):
            return Retry(exc.response.retry_after_s)
        if status >= 500:
            return Retry()
    return None


def _failure(exc: Exception, reason: GiveUp | None = None) -> RestoreReport:
    if isinstance(exc, LrsStatusError):
        status = exc.response.status
        if status in (401, 403):
            return RestoreReport(RestoreOutcome.CREDENTIALS_REFUSED, detail=f"HTTP {status}")
        detail = f"HTTP {status}"
        if reason is GiveUp.WAIT_TOO_LONG and exc.response.retry_after_s is not None:
            detail += f" (asked to wait {exc.response.retry_after_s:.0f} s)"
        return RestoreReport(RestoreOutcome.SERVER_ERROR, detail=detail)
    # "Offline" only when the network is down; a host that refuses or fails is the server's.
    if isinstance(exc, LrsError) and exc.kind is FailureKind.NETWORK_DOWN:
        return RestoreReport(RestoreOutcome.OFFLINE, detail=str(exc))
    return RestoreReport(RestoreOutcome.SERVER_ERROR, detail=str(exc))


def restore_progress(
    store: Store,
    client: StatementsReader,
    config: Config,
    *,
    page_limit: int = 500,
    sleep: Callable[[float], object] = time.sleep,
    rng: random.Random | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    retry: RetryRun | None = None,
) -> RestoreReport:
    """Fetch and store this learner's results; safe to run again (it never adds a result twice).

    Failures are retried by the one retry policy (``retry``; by default ``RESTORE_POLICY``
    with ``sleep`` and ``rng``), Retry-After included.
    """
    run = retry or RetryRun(RESTORE_POLICY, sleep=sleep, rng=rng)
    actor = learner_actor(config)
    try:
        seen, rows = run.call(
            lambda: collect_results(client.iter_statements(actor, page_limit=page_limit), config, actor),
            _transient,
        )
    except RetryGaveUpError as gave_up:
        return _failure(gave_up.last, gave_up.reason)
    except (LrsError, LrsStatusError) as exc:
        return _failure(exc)
    added = _insert_new(store, rows)
    write_meta(
        store,
        {
            META_RESTORE_DONE: "1",
            META_RESTORE_AT: clock().astimezone(UTC).isoformat(timespec="seconds"),
        },
    )
    return RestoreReport(
        RestoreOutcome.RESTORED,
        fetched=seen,
        found=len(rows),
        restored=added,
        already_here=len(rows) - added,
    )


def needs_auto_restore(store: Store, config: Config) -> bool:
    """True on a new or wiped laptop: nothing learned here yet, an LRS configured, never restored."""
    if not str(config.get("lrs.endpoint")).strip():
        return False
    with store.read() as db:
        for table in ("attempts", "results", "outbox"):
            if db.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is not None:
                return False
        done = db.execute("SELECT value FROM meta WHERE key = ?", (META_RESTORE_DONE,)).fetchone()
    return done is None
