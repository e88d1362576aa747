"""Certificates on a real store: given when every module of the track is passed, with the
track's ``satisfied`` statement queued in the same transaction; valid per the xAPI rules."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from microlearn.services.certificates import CODE_ALPHABET, CertificateService, verification_code
from microlearn.services.content_install import install_if_changed
from microlearn.services.learning import LearningService
from microlearn.services.programme import ProgrammeService
from microlearn.services.time_zone import learner_zone
from microlearn.settings.config import load_config
from microlearn.settings.paths import resolve_paths
from microlearn.store import certificates
from microlearn.store.opening import Store, open_store
from tests.support.content_samples import content
from tests.support.learners import play_module
from tests.support.xapi_rules import assert_valid_statement

__all__ = ["content"]


@pytest.fixture
def store(content: Path) -> Iterator[Store]:
    opened = open_store(resolve_paths())
    assert install_if_changed(opened, content).installed
    yield opened
    opened.close()


def given(store: Store) -> tuple[CertificateService, LearningService]:
    config = load_config(
        resolve_paths(),
        {"identity.source": "fixed", "identity.name": "learner-9", "identity.display_name": "Kim Lee"},
    )
    programme = ProgrammeService(store, config.learner_name, (), learner_zone())
    return CertificateService(store, config, programme, learner_zone()), LearningService(store, config)


def satisfied_statements(store: Store) -> list[dict[str, object]]:
    with sqlite3.connect(store.paths.database) as db:
        rows = db.execute("SELECT statement_json FROM outbox WHERE verb = 'satisfied'").fetchall()
    return [json.loads(row[0]) for row in rows]


def test_a_certificate_and_its_statement_once_every_module_is_passed(store: Store) -> None:
    service, learning = given(store)
    play_module(learning, "first-module")
    assert service.issue_earned() == [] and satisfied_statements(store) == []
    play_module(learning, "second-module")
    (record,) = service.issue_earned()
    assert record.display_name == "Kim Lee" and record.valid_until is None
    assert [m[0] for m in record.modules] == ["first-module", "second-module"]
    (statement,) = satisfied_statements(store)
    assert_valid_statement(statement)
    extensions = statement["context"]["extensions"]  # type: ignore[index]
    assert record.verification_code in extensions.values() and record.id in extensions.values()
    assert statement["actor"]["account"]["name"] == "learner-9"  # type: ignore[index]
    assert service.issue_earned() == []  # held and valid: not given twice
    assert len(service.certificates()) == 1


def test_no_certificate_is_kept_when_its_statement_cannot_be_queued(store: Store) -> None:
    service, learning = given(store)
    play_module(learning, "first-module")
    play_module(learning, "second-module")
    with sqlite3.connect(store.paths.database) as db:
        db.execute("CREATE TRIGGER no_outbox BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'full'); END")
    with pytest.raises(sqlite3.DatabaseError):
        service.issue_earned()
    with store.read() as db:
        assert certificates.certificates_of(db, "learner-9") == []


def test_verification_codes_are_unambiguous_and_differ() -> None:
    codes = {verification_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        groups = code.split("-")
        assert len(groups) == 4 and all(len(g) == 4 and set(g) <= set(CODE_ALPHABET) for g in groups)


RECURRING = """\
assignments:
  - groups: [designated-staff]
    tracks: [sample-track]
    due:
      days_after_assigned: 30
    recurrence:
      every_months: 12
      due_days_after_anniversary: 30
"""


def test_with_recurrence_the_certificate_states_its_validity(content: Path) -> None:
    (content / "programme.yaml").write_text(RECURRING, encoding="utf-8")
    store = open_store(resolve_paths())
    try:
        assert install_if_changed(store, content).installed
        config = load_config(resolve_paths(), {"identity.source": "fixed", "identity.name": "learner-9"})
        programme = ProgrammeService(store, "learner-9", ("designated-staff",), learner_zone())
        programme.record_new_assignments()
        learning = LearningService(store, config)
        play_module(learning, "first-module")
        play_module(learning, "second-module")
        service = CertificateService(store, config, programme, learner_zone())
        (record,) = service.issue_earned()
        today = datetime.now(learner_zone()).date()
        assert record.valid_until is not None and 364 <= (record.valid_until - today).days <= 366
        (statement,) = satisfied_statements(store)
        assert_valid_statement(statement)
        assert record.valid_until.isoformat() in statement["context"]["extensions"].values()  # type: ignore[index]
    finally:
        store.close()
