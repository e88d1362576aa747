"""The module player's use cases through the real services, on a real store."""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from microlearn.domain.attempt import ActiveClock, ModuleStatus, Phase
from microlearn.domain.courseware import Question, QuestionKind
from microlearn.services.catalog import CatalogService, ModuleSummary
from microlearn.services.content_install import install_if_changed
from microlearn.services.learning import AttemptView, LearningService
from microlearn.settings.config import Config, load_config
from microlearn.settings.paths import resolve_paths
from microlearn.store.models import AnswerRow, AttemptRow, ContentInstall, ModuleRow, OutboxRow, ResultRow
from microlearn.store.opening import Store, open_store
from tests.support.locations import SAMPLE_CONTENT as SAMPLE
from tests.support.lock_holder import hold_lock

FIRST = "first-module"
SECOND = "second-module"
HOME = "https://learn.example.org"
BASE = "https://learn.example.org/microlearn"


# -- set-up ------------------------------------------------------------------------------------


@pytest.fixture
def content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(SAMPLE, target)
    return target


def learner_config() -> Config:
    return load_config(
        resolve_paths(),
        overrides={
            "identity.source": "fixed",
            "identity.name": "learner-42",
            "identity.home_page": HOME,
            "content.activity_base": BASE,
        },
    )


@pytest.fixture
def store(content: Path) -> Iterator[Store]:
    opened = open_store(resolve_paths())
    assert install_if_changed(opened, content).installed
    yield opened
    opened.close()


@pytest.fixture
def service(store: Store) -> LearningService:
    return LearningService(store, learner_config(), rng=random.Random(20261122))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


def outbox(store: Store) -> list[OutboxRow]:
    with store.sessions() as session:
        return list(session.scalars(select(OutboxRow).order_by(OutboxRow.id)))


def verbs(store: Store) -> list[str]:
    return [row.verb for row in outbox(store)]


def count(store: Store, model: type, *where: object) -> int:
    with store.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)))  # type: ignore[arg-type]


def answer_for(question: Question, correct: bool) -> frozenset[str]:
    if correct:
        return question.correct_ids
    return frozenset({next(o.id for o in question.options if not o.correct)})


def see_all_cards(service: LearningService, view: AttemptView, seconds: float = 10.0) -> AttemptView:
    for index in range(len(view.module.cards)):
        view = service.show_card(view.attempt_id, index, seconds)
    return view


def take_check(
    service: LearningService, view: AttemptView, correct: int, seconds: float = 60.0
) -> AttemptView:
    """Answer the drawn questions, the first ``correct`` of them correctly, and finish."""
    view = service.start_check(view.attempt_id, seconds)
    for index, item in enumerate(view.drawn):
        question = view.module.question(item.question_id)
        service.answer_question(view.attempt_id, question.id, answer_for(question, index < correct), seconds)
    return service.finish_check(view.attempt_id, seconds)


def summary(store: Store, module_id: str) -> ModuleSummary:
    return next(m for t in CatalogService(store).library() for m in t.modules if m.id == module_id)


# -- an attempt from start to end --------------------------------------------------------------


def test_a_full_attempt_records_each_event_with_its_statement(store: Store, service: LearningService) -> None:
    view = service.open_attempt(FIRST)
    assert (view.phase, view.card_index, view.number) == (Phase.LESSONS, 0, 1)
    assert len(view.drawn) == 3 and len({d.question_id for d in view.drawn}) == 3
    assert summary(store, FIRST).status is ModuleStatus.IN_PROGRESS

    view = see_all_cards(service, view)
    assert view.completed
    view = take_check(service, view, correct=3)
    assert view.phase is Phase.RESULT
    assert view.score is not None and (view.score.correct, view.score.total, view.score.passed) == (
        3,
        3,
        True,
    )
    service.leave(view.attempt_id, 90.0)

    assert verbs(store) == [
        "initialized",
        "completed",
        "answered",
        "answered",
        "answered",
        "passed",
        "terminated",
    ]
    done = summary(store, FIRST)
    assert (done.status, done.best_percent) == (ModuleStatus.DONE, 100)
    with store.sessions() as session:
        results = list(session.scalars(select(ResultRow).order_by(ResultRow.id)))
    assert [(r.kind, r.module_id, r.module_version, r.registration) for r in results] == [
        ("completed", FIRST, "1.0.0", view.registration),
        ("passed", FIRST, "1.0.0", view.registration),
    ]
    assert (results[1].score_raw, results[1].score_max) == (3, 3)


def test_completed_is_recorded_once_when_the_last_unseen_card_is_shown(
    store: Store, service: LearningService
) -> None:
    view = service.open_attempt(FIRST)
    view = service.show_card(view.attempt_id, 2, 5.0)  # skip ahead: card 1 still unseen
    assert not view.completed and "completed" not in verbs(store)
    view = service.show_card(view.attempt_id, 0, 6.0)
    assert "completed" not in verbs(store)

    view = service.show_card(view.attempt_id, 1, 7.0)
    assert view.completed and view.cards_seen == frozenset({0, 1, 2})
    for index in (0, 2, 1, 2, 0):  # revisiting cards
        service.show_card(view.attempt_id, index, 8.0)

    assert verbs(store).count("completed") == 1
    assert count(store, ResultRow, ResultRow.kind == "completed") == 1


def test_the_knowledge_check_waits_until_every_card_is_seen(store: Store, service: LearningService) -> None:
    view = service.open_attempt(FIRST)
    service.show_card(view.attempt_id, 1, 5.0)
    with pytest.raises(ValueError, match="Every card must be seen"):
        service.start_check(view.attempt_id, 6.0)
    question_id = view.drawn[0].question_id
    with pytest.raises(ValueError, match="not in its knowledge check"):
        service.answer_question(view.attempt_id, question_id, frozenset({"a"}), 6.0)
    assert service.view(view.attempt_id).phase is Phase.LESSONS
    assert count(store, AnswerRow) == 0 and "answered" not in verbs(store)

    service.show_card(view.attempt_id, 2, 7.0)
    assert service.start_check(view.attempt_id, 8.0).phase is Phase.CHECK


def test_answers_are_final(store: Store, service: LearningService) -> None:
    view = see_all_cards(service, service.open_attempt(FIRST))
    view = service.start_check(view.attempt_id, 20.0)
    question = view.module.question(view.drawn[0].question_id)
    wrong = answer_for(question, correct=False)

    first = service.answer_question(view.attempt_id, question.id, wrong, 21.0)
    rows_after_first = len(outbox(store))
    again = service.answer_question(view.attempt_id, question.id, question.correct_ids, 22.0)

    assert not first.correct and first.selected == wrong
    assert again == first
    assert len(outbox(store)) == rows_after_first
    assert service.view(view.attempt_id).answers == {question.id: wrong}
    assert count(store, AnswerRow, AnswerRow.practice.is_(False)) == 1


def test_a_question_that_was_not_drawn_or_an_impossible_answer_is_refused(
    store: Store, service: LearningService
) -> None:
    view = service.start_check(see_all_cards(service, service.open_attempt(FIRST)).attempt_id, 20.0)
    drawn = {d.question_id for d in view.drawn}
    not_drawn = next(q.id for q in view.module.questions if q.id not in drawn)
    with pytest.raises(ValueError, match="was not drawn"):
        service.answer_question(view.attempt_id, not_drawn, frozenset({"a"}), 21.0)
    with pytest.raises(ValueError):
        service.answer_question(view.attempt_id, view.drawn[0].question_id, frozenset({"zz"}), 21.0)
    with pytest.raises(ValueError, match="not answered yet"):
        service.finish_check(view.attempt_id, 22.0)
    assert "answered" not in verbs(store) and count(store, AnswerRow) == 0


@pytest.mark.parametrize(("correct", "verb"), [(5, "passed"), (4, "passed"), (3, "failed")])
def test_passing_at_exactly_the_pass_mark(content: Path, correct: int, verb: str) -> None:
    edit(content / "sample-track" / FIRST / "module.yaml", "draw: 3", "draw: 5")  # 4 of 5 is exactly 80%
    store = open_store(resolve_paths())
    try:
        assert install_if_changed(store, content).installed
        service = LearningService(store, learner_config(), rng=random.Random(1))
        view = take_check(service, see_all_cards(service, service.open_attempt(FIRST)), correct=correct)

        assert view.score is not None
        assert (view.score.correct, view.score.total, view.score.percent) == (correct, 5, correct * 20)
        assert view.score.passed is (verb == "passed")
        (scored,) = [row for row in outbox(store) if row.verb in ("passed", "failed")]
        assert scored.verb == verb
        result = json.loads(scored.statement_json)["result"]
        assert result["score"] == {"scaled": correct / 5, "raw": correct, "min": 0, "max": 5}
        assert result["success"] is (verb == "passed")
        expected = ModuleStatus.DONE if verb == "passed" else ModuleStatus.NOT_PASSED
        assert summary(store, FIRST).status is expected
    finally:
        store.close()


def test_a_failed_attempt_is_not_passed_yet_and_each_retry_draws_afresh(
    store: Store, service: LearningService
) -> None:
    attempts: list[AttemptView] = []
    for _ in range(6):
        view = service.open_attempt(FIRST)  # after a finished attempt: Try again
        assert view.phase is Phase.LESSONS and view.answers == {}
        attempts.append(view)
        assert summary(store, FIRST).status is ModuleStatus.IN_PROGRESS
        take_check(service, see_all_cards(service, view), correct=0)
        assert summary(store, FIRST).status is ModuleStatus.NOT_PASSED
        assert summary(store, FIRST).status.value == "not passed yet"

    assert [a.number for a in attempts] == [1, 2, 3, 4, 5, 6]
    assert len({a.registration for a in attempts}) == len(attempts)
    assert len({a.drawn for a in attempts}) > 1
    assert len({frozenset(d.question_id for d in a.drawn) for a in attempts}) > 1
    module = attempts[0].module
    authored = {q.id: tuple(o.id for o in q.options) for q in module.questions}
    shuffled = False
    for drawn in (d for a in attempts for d in a.drawn):
        assert sorted(drawn.option_order) == sorted(authored[drawn.question_id])
        if module.question(drawn.question_id).kind is QuestionKind.TRUE_FALSE:
            assert drawn.option_order == ("true", "false")
        elif drawn.option_order != authored[drawn.question_id]:
            shuffled = True
    assert shuffled, "no option order differed from the authored order in six draws"
    assert verbs(store).count("failed") == 6 and verbs(store).count("initialized") == 6


def test_an_attempt_resumes_after_a_restart_where_it_stopped(content: Path) -> None:
    paths = resolve_paths()
    store = open_store(paths)
    assert install_if_changed(store, content).installed
    service = LearningService(store, learner_config(), rng=random.Random(3))
    started = service.open_attempt(FIRST)
    service.answer_inline(started.attempt_id, 0, frozenset({"b"}))
    service.show_card(started.attempt_id, 1, 30.0)
    service.leave(started.attempt_id, 31.0)
    store.close()

    store = open_store(paths)
    service = LearningService(store, learner_config(), rng=random.Random(4))  # another draw would differ
    resumed = service.open_attempt(FIRST)
    assert (resumed.attempt_id, resumed.registration, resumed.number) == (
        started.attempt_id,
        started.registration,
        1,
    )
    assert (resumed.phase, resumed.card_index, resumed.cards_seen) == (Phase.LESSONS, 1, frozenset({0, 1}))
    assert resumed.drawn == started.drawn
    assert resumed.practice == {"01-welcome": frozenset({"b"})}
    assert resumed.seconds_spent == 31.0

    view = service.start_check(service.show_card(resumed.attempt_id, 2, 40.0).attempt_id, 41.0)
    question = view.module.question(view.drawn[0].question_id)
    service.answer_question(view.attempt_id, question.id, answer_for(question, False), 42.0)
    service.go_to_question(view.attempt_id, 1, 43.0)
    store.close()

    store = open_store(paths)
    try:
        service = LearningService(store, learner_config(), rng=random.Random(5))
        again = service.open_attempt(FIRST)
        assert (again.attempt_id, again.registration) == (started.attempt_id, started.registration)
        assert (again.phase, again.check_index) == (Phase.CHECK, 1)
        assert again.drawn == started.drawn
        assert again.answers == {question.id: answer_for(question, False)}
        assert count(store, AttemptRow) == 1
        finished = take_check(service, again, correct=3)
        assert finished.score is not None and finished.score.correct == 2  # the first answer stayed wrong
    finally:
        store.close()


def test_inline_answers_never_count_and_are_never_sent(store: Store, service: LearningService) -> None:
    view = service.open_attempt(FIRST)
    before = len(outbox(store))

    feedback = service.answer_inline(view.attempt_id, 0, frozenset({"b"}))  # wrong
    assert not feedback.correct and feedback.correct_ids == frozenset({"a"})
    assert feedback.option_feedback["b"] == "No. It is sample content."
    service.answer_inline(view.attempt_id, 0, frozenset({"a"}))  # practice may be repeated
    with pytest.raises(ValueError, match="no inline check"):
        service.answer_inline(view.attempt_id, 1, frozenset({"a"}))

    assert len(outbox(store)) == before
    view = service.view(view.attempt_id)
    assert view.practice == {"01-welcome": frozenset({"a"})} and view.answers == {}
    assert count(store, AnswerRow, AnswerRow.practice.is_(True)) == 1

    finished = take_check(service, see_all_cards(service, view), correct=2)
    assert finished.score is not None and (finished.score.correct, finished.score.total) == (2, 3)
    assert verbs(store).count("answered") == 3


# -- the outbox matches the records ------------------------------------------------------------


def test_every_record_has_exactly_its_statement(store: Store, service: LearningService) -> None:
    # A scripted session: practice, a failed attempt, a retry that passes, a second module
    # left half-way and resumed, leaving and coming back.
    first = service.open_attempt(FIRST)
    service.answer_inline(first.attempt_id, 0, frozenset({"b"}))
    take_check(service, see_all_cards(service, first), correct=1)
    service.leave(first.attempt_id, 100.0)
    retry = service.open_attempt(FIRST)  # the first attempt is finished: a fresh one
    take_check(service, see_all_cards(service, retry), correct=3)
    second = service.open_attempt(SECOND)
    service.answer_inline(second.attempt_id, 1, frozenset({"true"}))
    second = service.start_check(see_all_cards(service, second).attempt_id, 30.0)
    question = second.module.question(second.drawn[0].question_id)
    service.answer_question(second.attempt_id, question.id, question.correct_ids, 31.0)
    service.leave(second.attempt_id, 32.0)
    take_check(service, service.open_attempt(SECOND), correct=3)

    rows = outbox(store)
    with store.sessions() as session:
        answers = list(session.scalars(select(AnswerRow)))
        results = list(session.scalars(select(ResultRow)))
        attempts = {a.id: a for a in session.scalars(select(AttemptRow))}
    statements = {row.statement_id: json.loads(row.statement_json) for row in rows}

    scored_answers = [a for a in answers if not a.practice]
    answered = [row for row in rows if row.verb == "answered"]
    assert len(answered) == len(scored_answers) == 3 + 3 + 3
    sent_for = sorted(
        (
            statements[row.statement_id]["context"]["registration"],
            statements[row.statement_id]["object"]["id"],
        )
        for row in answered
    )
    recorded = sorted(
        (
            attempts[a.attempt_id].registration,
            f"{BASE}/modules/{attempts[a.attempt_id].module_id}/questions/{a.question_id}",
        )
        for a in scored_answers
    )
    assert sent_for == recorded

    outcome_rows = {row.statement_id: row for row in rows if row.verb in ("completed", "passed", "failed")}
    local = [r for r in results if r.source == "local"]
    assert len(local) == len(results) == 3 + 3
    assert {r.statement_id for r in local} == set(outcome_rows)
    for result in local:
        statement = statements[result.statement_id]
        assert outcome_rows[result.statement_id].verb == result.kind
        assert statement["context"]["registration"] == result.registration
        assert statement["object"]["id"] == f"{BASE}/modules/{result.module_id}"
    assert len({row.statement_id for row in rows}) == len(rows)
    assert all(row.status == "pending" and row.tries == 0 for row in rows)


# -- time ----------------------------------------------------------------------------------------


def test_active_clock_counts_only_active_spans() -> None:
    clock = ActiveClock()
    assert clock.total(100.0) == 0.0 and not clock.active
    clock.activate(10.0)
    assert clock.active and clock.total(12.5) == 2.5
    clock.activate(11.0)  # activating twice does not restart the span
    clock.deactivate(15.0)
    assert clock.total(500.0) == 5.0 and not clock.active
    clock.deactivate(600.0)  # leaving twice adds nothing
    clock.activate(1000.0)
    assert clock.total(1003.0) == 8.0
    clock.deactivate(1004.0)
    clock.activate(2000.0)
    clock.deactivate(1999.0)  # a clock that went backwards never subtracts
    assert clock.total(3000.0) == 9.0


def test_seconds_spent_never_decreases(store: Store, service: LearningService) -> None:
    view = service.open_attempt(FIRST)
    service.save_time(view.attempt_id, 30.0)
    service.save_time(view.attempt_id, 10.0)
    assert service.view(view.attempt_id).seconds_spent == 30.0
    assert service.show_card(view.attempt_id, 1, 5.0).seconds_spent == 30.0
    assert service.show_card(view.attempt_id, 2, 45.0).seconds_spent == 45.0
    service.leave(view.attempt_id, 12.0)
    assert service.view(view.attempt_id).seconds_spent == 45.0
    terminated = json.loads(next(r for r in outbox(store) if r.verb == "terminated").statement_json)
    assert terminated["result"]["duration"] == "PT45S"
    completed = json.loads(next(r for r in outbox(store) if r.verb == "completed").statement_json)
    assert completed["result"]["duration"] == "PT45S"


# -- installing content --------------------------------------------------------------------------


def modules_installed(store: Store) -> list[tuple[str, str, bool]]:
    with store.sessions() as session:
        rows = session.scalars(select(ModuleRow).order_by(ModuleRow.id, ModuleRow.version))
        return [(r.id, r.version, r.active) for r in rows]


def test_installing_the_same_content_again_is_up_to_date(store: Store, content: Path) -> None:
    report = install_if_changed(store, content)
    assert report.up_to_date and not report.installed and not report.refused
    assert count(store, ContentInstall) == 1
    assert modules_installed(store) == [(FIRST, "1.0.0", True), (SECOND, "1.0.0", True)]


def test_a_new_version_is_installed_and_the_old_one_kept_inactive(
    store: Store, service: LearningService, content: Path
) -> None:
    in_progress = service.open_attempt(FIRST)
    module_dir = content / "sample-track" / FIRST
    edit(module_dir / "module.yaml", "version: 1.0.0", "version: 1.1.0")
    edit(module_dir / "03-wrap-up.md", "This is the last card.", "This is the last card, now improved.")

    report = install_if_changed(store, content)

    assert report.installed and report.module_count == 2
    assert modules_installed(store) == [
        (FIRST, "1.0.0", False),
        (FIRST, "1.1.0", True),
        (SECOND, "1.0.0", True),
    ]
    assert count(store, ContentInstall) == 2
    assert summary(store, FIRST).version == "1.1.0"
    # The attempt started on 1.0.0 is finished on 1.0.0, and its records say so.
    resumed = service.open_attempt(FIRST)
    assert resumed.attempt_id == in_progress.attempt_id
    assert resumed.module.version == "1.0.0"
    assert "now improved" not in resumed.module.cards[2].body
    take_check(service, see_all_cards(service, resumed), correct=3)
    with store.sessions() as session:
        assert set(session.scalars(select(ResultRow.module_version))) == {"1.0.0"}
    fresh = service.open_attempt(FIRST)
    assert fresh.module.version == "1.1.0" and "now improved" in fresh.module.cards[2].body
    assert install_if_changed(store, content).up_to_date


def test_invalid_content_is_refused_and_the_store_keeps_what_it_had(
    store: Store, service: LearningService, content: Path
) -> None:
    view = service.open_attempt(FIRST)
    service.answer_inline(view.attempt_id, 0, frozenset({"a"}))
    view = service.show_card(view.attempt_id, 1, 20.0)
    before_modules, before_outbox = modules_installed(store), len(outbox(store))
    module_dir = content / "sample-track" / FIRST
    edit(module_dir / "module.yaml", "version: 1.0.0", "version: 2.0.0")
    edit(module_dir / "module.yaml", "pass_mark: 80", "pass_mark: 0")

    report = install_if_changed(store, content)

    assert report.refused and not report.installed and not report.up_to_date
    assert any("pass_mark" in p.message for p in report.problems)
    assert modules_installed(store) == before_modules
    assert count(store, ContentInstall) == 1
    assert len(outbox(store)) == before_outbox
    assert service.view(view.attempt_id) == view
    assert summary(store, FIRST).version == "1.0.0"
    assert service.show_card(view.attempt_id, 2, 25.0).completed  # the attempt carries on


def test_changed_content_without_a_new_version_keeps_an_unfinished_attempt_working(
    store: Store, service: LearningService, content: Path
) -> None:
    view = service.start_check(see_all_cards(service, service.open_attempt(FIRST)).attempt_id, 20.0)
    drawn_id = view.drawn[0].question_id
    pool = content / "sample-track" / FIRST / "questions.yaml"
    header, items = pool.read_text(encoding="utf-8").split("\n", 1)  # "questions:", then the items
    kept = [item for item in items.split("\n\n") if f"- id: {drawn_id}\n" not in item]
    assert len(kept) == 4
    pool.write_text(header + "\n" + "\n\n".join(kept), encoding="utf-8")

    report = install_if_changed(store, content)  # the author forgot to raise `version`

    assert report.refused
    assert any("raise 'version'" in p.message for p in report.problems)
    resumed = service.open_attempt(FIRST)
    assert resumed.attempt_id == view.attempt_id
    resumed.drawn_question(0)
    if not report.refused:  # refusing such an install would be a fix as good as keeping the text
        resumed = service.open_attempt(FIRST)
        assert resumed.attempt_id == view.attempt_id
        for index in range(len(resumed.drawn)):
            resumed.drawn_question(index)
        finished = take_check(service, resumed, correct=3)
        assert finished.score is not None and finished.score.total == 3


# -- reads never wait for another process's write ------------------------------------------------


def test_the_players_reads_never_wait_for_another_processs_write(
    store: Store, service: LearningService
) -> None:
    view = see_all_cards(service, service.open_attempt(FIRST))
    view = service.start_check(view.attempt_id, 30)
    question = view.module.question(view.drawn[0].question_id)
    service.answer_question(view.attempt_id, question.id, question.correct_ids, 40)
    catalog = CatalogService(store)
    # A scheduled `microlearn sync` in the middle of a write transaction: the player's read
    # after an answer, Today and the Library are all reads, and go on without it.
    with hold_lock(store.paths.database, "write"):
        again = service.view(view.attempt_id)
        assert again.answers == {question.id: question.correct_ids}
        assert catalog.today().continue_module is not None
        assert summary(store, FIRST).status is ModuleStatus.IN_PROGRESS


def test_a_retry_may_skip_the_lessons_only_after_they_were_all_seen_on_this_version(
    store: Store, service: LearningService
) -> None:
    first = service.open_attempt(FIRST)
    assert not first.lessons_done_before
    with pytest.raises(ValueError):
        service.skip_to_check(first.attempt_id, 5.0)
    take_check(service, see_all_cards(service, first), correct=0)

    retry = service.open_attempt(FIRST)
    assert retry.lessons_done_before and retry.card_index == 0
    view = service.skip_to_check(retry.attempt_id, 5.0)
    assert view.phase is Phase.CHECK and view.check_index == 0
    assert view.registration != first.registration
    for item in view.drawn:
        question = view.module.question(item.question_id)
        service.answer_question(view.attempt_id, question.id, question.correct_ids, 30.0)
    done = service.finish_check(view.attempt_id, 30.0)
    assert done.score is not None and done.score.passed
    assert summary(store, FIRST).status is ModuleStatus.DONE
    # The skipped cards were not shown again: only the first attempt records ``completed``.
    assert verbs(store).count("completed") == 1


def test_a_retry_on_a_new_version_goes_through_its_cards_again(
    store: Store, service: LearningService, content: Path
) -> None:
    take_check(service, see_all_cards(service, service.open_attempt(FIRST)), correct=0)
    module_dir = content / "sample-track" / FIRST
    edit(module_dir / "module.yaml", "version: 1.0.0", "version: 1.1.0")
    edit(module_dir / "03-wrap-up.md", "This is the last card.", "This is the last card, now improved.")
    assert install_if_changed(store, content).installed

    retry = service.open_attempt(FIRST)
    assert retry.module.version == "1.1.0" and not retry.lessons_done_before
    with pytest.raises(ValueError):
        service.skip_to_check(retry.attempt_id, 5.0)
    assert service.view(retry.attempt_id).phase is Phase.LESSONS
