"""A track certificate's ``satisfied`` statement reaches Ralph, code and all, so the
organisation can verify a certificate in its LRS."""

from __future__ import annotations

import pytest

from microlearn.records.sync_engine import Outcome
from tests.support.learners import LearnerFactory, stored_statements
from tests.support.lrs.ralph_server import RalphServer
from tests.support.xapi_rules import SATISFIED, assert_valid_statement

pytestmark = pytest.mark.lrs


def test_ralph_accepts_the_certificate_statement_and_keeps_its_code(
    make_learner: LearnerFactory, ralph: RalphServer
) -> None:
    learner = make_learner(ralph.endpoint, ralph)
    track = min(learner.services.catalog.library(), key=lambda t: len(t.modules))
    for module in track.modules:
        learner.play(module.id)
    (certificate,) = learner.services.certificates.issue_earned()
    assert certificate.track_id == track.id
    assert learner.sync_service().sync_now().outcome is Outcome.ALL_SENT
    stored = [s for s in stored_statements(ralph, learner.name) if s["verb"]["id"] == SATISFIED]
    assert len(stored) == 1
    assert_valid_statement(
        {k: v for k, v in stored[0].items() if k not in ("stored", "authority", "version")}
    )
    assert certificate.verification_code in stored[0]["context"]["extensions"].values()
