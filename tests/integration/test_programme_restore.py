"""Restore brings back what recurrence needs: the dates of completions and passes, from Ralph.

The shipped programme makes the mandatory track yearly for designated staff. A learner passes a
module and syncs; the same learner on a wiped laptop restores, and the module is done until
the same anniversary. What the central record does not hold (answers, time spent) stays unknown.
"""

from __future__ import annotations

from datetime import UTC

import pytest

from microlearn.domain.due_dates import DueStatus
from microlearn.records.restore import RestoreOutcome
from microlearn.records.sync_engine import Outcome
from microlearn.services.history import HistoryService
from microlearn.services.programme import ProgrammeService
from tests.support.learners import MODULES, Learner, LearnerFactory
from tests.support.lrs.ralph_server import RalphServer

pytestmark = pytest.mark.lrs

STAFF = ("designated-staff",)


def programme_of(learner: Learner) -> ProgrammeService:
    return ProgrammeService(learner.services.store, learner.name, STAFF, UTC)


def test_restored_completions_keep_their_dates_for_recurrence(
    make_learner: LearnerFactory, ralph: RalphServer
) -> None:
    first = make_learner(ralph.endpoint, ralph)
    first.play(MODULES[0], passing=False)
    first.play(MODULES[0], passing=True)
    assert first.sync_service().sync_now().outcome is Outcome.ALL_SENT
    earned = programme_of(first).view().state_of(MODULES[0])
    assert earned is not None and earned.status is DueStatus.DONE and earned.valid_until is not None

    wiped = make_learner(ralph.endpoint, ralph, name=first.name)
    assert programme_of(wiped).view().state_of(MODULES[0]).status is not DueStatus.DONE  # type: ignore[union-attr]
    assert wiped.sync_service().restore().outcome is RestoreOutcome.RESTORED

    restored = programme_of(wiped).view().state_of(MODULES[0])
    assert restored == earned  # done on the same day, due again from the same anniversary
    original = HistoryService(first.services.store, UTC).attempts(MODULES[0])
    rebuilt = HistoryService(wiped.services.store, UTC).attempts(MODULES[0])
    assert [(r.passed, r.score_percent) for r in rebuilt] == [(r.passed, r.score_percent) for r in original]
    for before, after in zip(original, rebuilt, strict=True):
        assert before.finished_at is not None and after.finished_at is not None
        assert abs((before.finished_at - after.finished_at).total_seconds()) < 0.01
        # What the central record does not hold is not made up.
        assert after.restored and after.missed == () and after.seconds_spent is None
    assert any(r.missed for r in original)
