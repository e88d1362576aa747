"""Restore: rebuild this learner's progress from the central record on a new or wiped laptop.

Fetches the learner's own statements (``agent`` = the account actor built from the config,
paged with ``more``, each page retried by the one retry policy), keeps completions, passes
and fails whose object is a module under ``content.activity_base``, and stores each as a
``ResultRow(source='restored')`` unless a result with that statement id is already here.
Nothing is queued in the outbox: those statements are already in the central record.

What comes back is checked (``xapi_read``): a page that is not a StatementResult ends the
restore without storing anything (a later page could void what an earlier one holds); a
statement that does not have the shape we read is skipped and counted. Tolerates what LRSs
differ in: the order of statements (Ralph gives oldest first, the spec newest first: we do
not depend on it), verb filters (we filter ourselves), ``more`` links relative to the
server's root (followed as given), and statements voided later by this learner (skipped; a
voiding statement by anyone else changes nothing here).
"""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
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
from microlearn.records.review_replay import rebuild_review_queue
from microlearn.records.statements import ADL_VERBS, Actor
from microlearn.records.xapi_read import Statement, read_page, read_statement
from microlearn.settings.config import Config
from microlearn.store import attempts, meta, outbox, results
from microlearn.store.meta import write_store_meta
from microlearn.store.opening import Store

if TYPE_CHECKING:
    from microlearn.store.models import ResultRow

# SQLAlchemy (for the results) is imported inside the functions that use it.

META_RESTORE_DONE = "restore_done"
META_RESTORE_AT = "restore_at"
RESULT_VERBS = {ADL_VERBS + kind: kind for kind in ("completed", "passed", "failed")}
VOIDED = ADL_VERBS + "voided"
ANSWERED = ADL_VERBS + "answered"
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
    invalid: int = 0  # statements skipped: not the shape xAPI gives the parts we read
    detail: str = ""
    review_items: int = 0  # the review queue rebuilt from the learner's answers

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["outcome"] = self.outcome.value
        return data


class StatementsReader(Protocol):
    def statements_page(
        self,
        agent: Mapping[str, Any],
        *,
        page_limit: int = 500,
        more: str | None = None,
        within_s: float | None = None,
    ) -> Any: ...


def learner_actor(config: Config) -> dict[str, Any]:
    """The agent our statements carry: the same object ``records.statements`` builds."""
    return Actor(config.home_page, config.learner_name).as_json()


def _is_me(statement: Statement, actor: Mapping[str, Any]) -> bool:
    account = statement.actor.account
    mine = actor["account"]
    return account is not None and (account.homePage, account.name) == (mine["homePage"], mine["name"])


def _whole(value: float | None) -> int | None:
    return None if value is None else int(value)


def result_from_statement(statement: Statement, config: Config, actor: Mapping[str, Any]) -> ResultRow | None:
    """The ``ResultRow`` a checked statement stands for, or ``None`` if it is not one of ours to restore."""
    from microlearn.store.models import ResultRow

    kind = RESULT_VERBS.get(statement.verb.id)
    if kind is None or not _is_me(statement, actor) or statement.object.objectType != "Activity":
        return None
    prefix = config.activity_base + "/modules/"
    object_id = statement.object.id
    module_id = object_id.removeprefix(prefix)
    recorded_at = statement.recorded_at
    if not object_id.startswith(prefix) or not module_id or "/" in module_id or recorded_at is None:
        return None
    context = statement.context
    extensions = (context.extensions if context else None) or {}
    version = extensions.get(f"{config.activity_base}/extensions/module-version", "")
    score = statement.result.score if statement.result else None
    scored = kind != "completed" and score is not None
    return ResultRow(
        module_id=module_id[:80],
        module_version=str(version)[:40],
        registration=((context.registration if context else None) or "")[:36],
        kind=kind,
        score_raw=_whole(score.raw) if scored and score else None,
        score_max=_whole(score.max) if scored and score else None,
        recorded_at=recorded_at,
        source="restored",
        statement_id=statement.id,
    )


@dataclass
class _Collected:
    """What the pages held so far: results by statement id, and the ids this learner voided."""

    config: Config
    actor: Mapping[str, Any]
    seen: int = 0
    invalid: int = 0
    found: dict[str, ResultRow] = field(default_factory=dict)
    voided: set[str] = field(default_factory=set)
    answers: dict[str, Mapping[str, Any]] = field(default_factory=dict)  # for the review queue

    def add(self, items: Iterable[Any]) -> None:
        for item in items:
            self.seen += 1
            statement = read_statement(item)
            if statement is None:
                self.invalid += 1
                continue
            if statement.verb.id == VOIDED:
                # Only the learner's own voiding counts: anyone else's cannot remove their result.
                if statement.object.objectType == "StatementRef" and _is_me(statement, self.actor):
                    self.voided.add(statement.object.id)
                continue
            if statement.verb.id == ANSWERED and _is_me(statement, self.actor) and isinstance(item, Mapping):
                self.answers.setdefault(str(statement.id), item)
                continue
            row = result_from_statement(statement, self.config, self.actor)
            if row is not None and row.statement_id is not None:
                self.found.setdefault(row.statement_id, row)

    def answered(self) -> list[Mapping[str, Any]]:
        """The learner's answers (knowledge checks, reviews, surveys), voided ones dropped."""
        return [item for sid, item in self.answers.items() if sid not in self.voided]

    def rows(self) -> list[ResultRow]:
        """Each result once, voided ones dropped, in time order."""
        rows = [row for sid, row in self.found.items() if sid not in self.voided]
        rows.sort(key=lambda r: r.recorded_at)
        return rows


def collect_results(
    statements: Iterable[Any], config: Config, actor: Mapping[str, Any]
) -> tuple[int, int, list[ResultRow]]:
    """(statements seen, of those invalid, results to restore) from statements as an LRS sent them."""
    collected = _Collected(config, actor)
    collected.add(statements)
    return collected.seen, collected.invalid, collected.rows()


def _insert_new(store: Store, rows: list[ResultRow]) -> int:
    """Insert the rows whose statement id is not here yet; short transactions of INSERT_CHUNK."""
    added = 0
    for start in range(0, len(rows), INSERT_CHUNK):
        with store.sessions.begin() as session:
            added += results.add_missing_results(session, rows[start : start + INSERT_CHUNK])
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


def _status_detail(exc: LrsStatusError, reason: GiveUp | None) -> str:
    response = exc.response
    if response.status == 200:
        detail = "GET statements answered HTTP 200, but not with JSON"
        if response.body.lstrip()[:1] == "<":
            detail += " (an HTML page: a sign-in page or a proxy may be answering instead of the LRS)"
        return detail + ". Check lrs.endpoint and the network's sign-in or proxy."
    detail = f"GET statements answered HTTP {response.status}"
    if reason is GiveUp.WAIT_TOO_LONG and response.retry_after_s is not None:
        detail += f" (asked to wait {response.retry_after_s:.0f} s)"
    return detail


def _failure(
    exc: Exception, reason: GiveUp | None = None, *, seen: int = 0, invalid: int = 0
) -> RestoreReport:
    if isinstance(exc, LrsStatusError):
        status = exc.response.status
        if status in (401, 403):
            return RestoreReport(RestoreOutcome.CREDENTIALS_REFUSED, detail=f"HTTP {status}")
        return RestoreReport(
            RestoreOutcome.SERVER_ERROR, fetched=seen, invalid=invalid, detail=_status_detail(exc, reason)
        )
    # "Offline" only when the network is down; a host that refuses or fails is the server's.
    offline = isinstance(exc, LrsError) and exc.kind is FailureKind.NETWORK_DOWN
    outcome = RestoreOutcome.OFFLINE if offline else RestoreOutcome.SERVER_ERROR
    return RestoreReport(outcome, fetched=seen, invalid=invalid, detail=str(exc))


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

    Each page is retried by the one retry policy (``retry``; by default ``RESTORE_POLICY``
    with ``sleep`` and ``rng``), Retry-After included, within the run's deadline.
    """
    run = retry or RetryRun(RESTORE_POLICY, sleep=sleep, rng=rng)
    actor = learner_actor(config)
    collected = _Collected(config, actor)
    more: str | None = None
    followed: set[str] = set()
    while True:
        fetch = functools.partial(_fetch_page, client, actor, page_limit, more, run)
        try:
            page = read_page(run.call(fetch, _transient))
        except RetryGaveUpError as gave_up:
            return _failure(gave_up.last, gave_up.reason, seen=collected.seen, invalid=collected.invalid)
        except (LrsError, LrsStatusError) as exc:
            return _failure(exc, seen=collected.seen, invalid=collected.invalid)
        if page is None:
            return RestoreReport(
                RestoreOutcome.SERVER_ERROR,
                fetched=collected.seen,
                invalid=collected.invalid,
                detail="GET statements answered with JSON that is not a StatementResult (no list of "
                "statements); nothing was restored. Check that lrs.endpoint is the LRS's xAPI endpoint.",
            )
        collected.add(page.statements)
        if page.more_unusable:
            return RestoreReport(
                RestoreOutcome.SERVER_ERROR,
                fetched=collected.seen,
                invalid=collected.invalid,
                detail="the LRS's link to the next page of statements (`more`) is not a URL, so the "
                "rest could not be read; nothing was restored.",
            )
        # Stop on an empty page or a repeated link, so a quirky LRS cannot loop us.
        if not page.statements or not page.more or page.more in followed:
            break
        followed.add(page.more)
        more = page.more
    rows = collected.rows()
    added = _insert_new(store, rows)
    review_count = rebuild_review_queue(store, collected.answered(), config.activity_base)
    write_store_meta(
        store,
        {META_RESTORE_DONE: "1", META_RESTORE_AT: clock().astimezone(UTC).isoformat(timespec="seconds")},
    )
    return RestoreReport(
        RestoreOutcome.RESTORED,
        fetched=collected.seen,
        found=len(rows),
        restored=added,
        already_here=len(rows) - added,
        invalid=collected.invalid,
        review_items=review_count,
    )


def _fetch_page(
    client: StatementsReader, actor: Mapping[str, Any], page_limit: int, more: str | None, run: RetryRun
) -> Any:
    # Within what is left of the run, so one slow page cannot outlast the run's deadline.
    return client.statements_page(actor, page_limit=page_limit, more=more, within_s=run.remaining_s())


def needs_auto_restore(store: Store, config: Config) -> bool:
    """True on a new or wiped laptop: nothing learned here yet, an LRS configured, never restored."""
    if not str(config.get("lrs.endpoint")).strip():
        return False
    with store.read() as db:
        if attempts.any_attempt(db) or results.any_result(db) or outbox.any_statement(db):
            return False
        return META_RESTORE_DONE not in meta.read_meta(db, META_RESTORE_DONE)
