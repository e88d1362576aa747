"""Restore's part for reviews: the review queue rebuilt from the learner's own statements.

Every knowledge-check and quick-review ``answered`` of ours is replayed, oldest first,
through the same FSRS schedule the app used when it was given (domain/review_schedule.py),
so a new laptop gets the queue the old one had. records/restore.py calls
``rebuild_review_queue`` with the statements it fetched (voided ones left out).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from microlearn.domain.review_schedule import Certainty, Scheduled, schedule
from microlearn.records.statements import ADL_VERBS, parse_instant
from microlearn.store import outbox, review_items
from microlearn.store.opening import Store


@dataclass(frozen=True)
class ReplayedAnswer:
    """One ``answered`` statement of ours, as the review queue needs it."""

    when: datetime
    module_id: str
    question_id: str
    source: str
    correct: bool
    certainty: Certainty | None


def replayed_answer(statement: Mapping[str, Any], activity_base: str) -> ReplayedAnswer | None:
    """What a knowledge-check or review ``answered`` says, or None for any other statement."""
    if (statement.get("verb") or {}).get("id") != ADL_VERBS + "answered":
        return None
    object_id = str((statement.get("object") or {}).get("id", ""))
    prefix = activity_base.rstrip("/") + "/modules/"
    if not object_id.startswith(prefix):
        return None
    parts = object_id.removeprefix(prefix).split("/")
    if len(parts) == 3 and parts[1] == "questions":
        source = review_items.CHECK
    elif len(parts) == 4 and parts[1] == "cards" and parts[3] == "check":
        source = review_items.INLINE
    else:
        return None
    when = parse_instant(statement.get("timestamp"))
    success = (statement.get("result") or {}).get("success")
    if when is None or not isinstance(success, bool):
        return None
    extensions = (statement.get("context") or {}).get("extensions") or {}
    said = extensions.get(activity_base.rstrip("/") + "/extensions/certainty")
    certainty = Certainty(said) if said in tuple(Certainty) else None
    return ReplayedAnswer(when, parts[0], parts[2], source, success, certainty)


def rebuild_review_queue(
    store: Store, learner_statements: Iterable[Mapping[str, Any]], activity_base: str
) -> int:
    """Rebuild the review queue from the learner's answers, oldest first, as if each had been
    given here (restore on a new laptop). ``learner_statements``: this learner's statements
    from the central record, voided ones left out; the answers still waiting in this laptop's
    outbox are replayed with them (each statement once), and an item no statement speaks of
    (an inline check tried here, never sent) is kept as it is. Returns the queue's size."""
    with store.read() as db:
        waiting = [json.loads(text) for text in outbox.statements_with_verb(db, "answered")]
    by_id = {str(s.get("id")): s for s in [*learner_statements, *waiting]}
    answers = [a for s in by_id.values() if (a := replayed_answer(s, activity_base)) is not None]
    answers.sort(key=lambda a: a.when)
    rebuilt: dict[tuple[str, str, str], tuple[Scheduled, datetime]] = {}
    for answer in answers:
        key = (answer.module_id, answer.question_id, answer.source)
        before = rebuilt.get(key)
        state = None if before is None else before[0].state_json
        rebuilt[key] = (schedule(state, answer.correct, answer.certainty, answer.when), answer.when)
    with store.write() as db:
        for (module_id, question_id, source), (scheduled, when) in rebuilt.items():
            review_items.forget(db, module_id, question_id, source)
            review_items.save(
                db,
                module_id=module_id,
                question_id=question_id,
                source=source,
                card_index=-1,
                state_json=scheduled.state_json,
                due=scheduled.due,
                statement_id=None,
                at=when,
            )
        return review_items.count(db)
