"""Reading back what the LRS holds, with the fewest requests: one paged GET per attempt.

Our statements name their attempt (``context.registration``) and their learner (``actor``),
so what a batch needs to know is answered by one ``GET statements?agent=…&registration=…``
per attempt in it, following ``more`` as given (DESIGN.md, "Sync engine"). A stored
statement never changes, so what one read-back showed serves later batches of the same run.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from microlearn.store.outbox import OutboxEntry

AttemptKey = tuple[str, str]  # (registration, the actor as canonical JSON)
Held = dict[str, dict[str, Any]]  # the LRS's statements by lower-case id

REMEMBERED_ATTEMPTS = 16  # read-backs kept per run (each: one attempt's statements)


def by_attempt(rows: Sequence[OutboxEntry]) -> dict[AttemptKey, list[tuple[OutboxEntry, dict[str, Any]]]]:
    """``rows`` (with their parsed statements) grouped by the attempt and learner they name."""
    groups: dict[AttemptKey, list[tuple[OutboxEntry, dict[str, Any]]]] = {}
    for row in rows:
        statement = json.loads(row.json)
        registration = str((statement.get("context") or {}).get("registration") or "")
        actor = json.dumps(statement.get("actor") or {}, sort_keys=True)
        groups.setdefault((registration, actor), []).append((row, statement))
    return groups


class HeldStatements:
    """What this run's read-backs showed, for the few newest attempts."""

    def __init__(self, size: int = REMEMBERED_ATTEMPTS) -> None:
        self._size = size
        self._held: dict[AttemptKey, Held] = {}

    def covering(self, key: AttemptKey, statement_ids: Sequence[str]) -> Held | None:
        """The attempt's statements if every one of ``statement_ids`` was seen; else ``None``
        (a new id means a fresh read-back: it may have been stored since)."""
        held = self._held.get(key)
        if held is None or any(i.lower() not in held for i in statement_ids):
            return None
        return held

    def remember(self, key: AttemptKey, held: Held) -> None:
        self._held.pop(key, None)
        self._held[key] = held
        while len(self._held) > self._size:
            del self._held[next(iter(self._held))]
