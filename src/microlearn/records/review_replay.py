"""Restore's part for reviews: the review queue rebuilt from the learner's own statements.

Every knowledge-check and quick-review ``answered`` of ours is replayed, oldest first,
through the same FSRS schedule the app used when it was given (domain/review_schedule.py),
so a new laptop gets the queue the old one had. records/restore.py calls
``rebuild_review_queue`` with the statements it fetched (voided ones left out).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from microlearn.domain.review_schedule import Certainty, schedule
from microlearn.records.statements import ADL_VERBS, parse_instant
from microlearn.store import review_items
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
    """Replace the review queue with the one the learner's own statements make, oldest answer
    first, as if each had been given here (restore on a new laptop). ``learner_statements``:
    this learner's statements, voided ones left out. Returns how many items the queue holds."""
    answers = [a for s in learner_statements if (a := replayed_answer(s, activity_base)) is not None]
    answers.sort(key=lambda a: a.when)
    with store.write() as db:
        review_items.clear(db)
        for answer in answers:
            existing = review_items.find(db, answer.module_id, answer.question_id, answer.source)
            scheduled = schedule(
                None if existing is None else existing.state_json,
                answer.correct,
                answer.certainty,
                answer.when,
            )
            review_items.save(
                db,
                module_id=answer.module_id,
                question_id=answer.question_id,
                source=answer.source,
                card_index=-1,
                state_json=scheduled.state_json,
                due=scheduled.due,
                statement_id=None,
                at=answer.when,
            )
        return review_items.count(db)
