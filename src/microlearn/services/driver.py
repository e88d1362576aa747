"""A headless learner: walks modules through the same services the GUI uses.

For crash tests and benchmarks: ``python -m microlearn.services.driver --data-dir DIR
--seed N --steps K``. Before each service call it prints ``DO <action> ...``; after the
call has returned (its transaction is committed) it prints ``ACK <action> ...`` and
flushes. A kill between the two leaves exactly that one action in doubt. Started again
on the same data directory it simply continues: ``open_attempt`` resumes the unfinished
attempt where it stands.

Lines (fields separated by single spaces; a selection is its sorted option ids joined by commas)::

    READY installed|up-to-date
    ACK open <attempt_id> <module_id> <phase> <card_index>
    ACK card <attempt_id> <index>
    ACK check <attempt_id>
    ACK answer <attempt_id> <question_id> <selection>
    ACK finish <attempt_id> passed|failed <correct>/<total>
    ACK leave <attempt_id>
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from microlearn.content.bundled import bundled_content_dir
from microlearn.domain.attempt import Phase
from microlearn.domain.courseware import Question, QuestionKind
from microlearn.services.catalog import CatalogService
from microlearn.services.content_install import install_if_changed
from microlearn.services.learning import AttemptView, LearningService
from microlearn.settings.config import load_config
from microlearn.settings.paths import resolve_paths
from microlearn.store.opening import open_store

RIGHT_CHANCE = 0.8  # 6 of 7 needed to pass 80%: about half the checks pass
LEAVE_CHANCE = 0.06
REVISIT_CHANCE = 0.15  # go back to a card already seen
RETRY_CHANCE = 0.7  # after a fail, retry the same module


def selection_text(selected: frozenset[str]) -> str:
    return ",".join(sorted(selected))


class Learner:
    def __init__(
        self,
        service: LearningService,
        catalog: CatalogService,
        rng: random.Random,
        out: TextIO,
    ) -> None:
        self._service = service
        self._catalog = catalog
        self._rng = rng
        self._out = out
        self._modules = [m.id for t in catalog.library() for m in t.modules]
        if not self._modules:
            raise RuntimeError("no modules are installed")
        self._view: AttemptView | None = None
        self._seconds = 0.0

    def _say(self, *fields: object) -> None:
        self._out.write(" ".join(str(f) for f in fields) + "\n")
        self._out.flush()

    def _tick(self) -> float:
        self._seconds += self._rng.uniform(1.0, 30.0)
        return self._seconds

    def step(self) -> None:
        """One acknowledged action."""
        view = self._view
        if view is None:
            resume = self._catalog.today().continue_module
            self._open(resume.id if resume else self._rng.choice(self._modules))
        elif view.phase is not Phase.RESULT and self._rng.random() < LEAVE_CHANCE:
            self._leave(view)
        elif view.phase is Phase.LESSONS:
            unseen = [i for i in range(len(view.module.cards)) if i not in view.cards_seen]
            if unseen:
                revisit = self._rng.random() < REVISIT_CHANCE
                self._card(view, self._rng.randrange(len(view.module.cards)) if revisit else unseen[0])
            else:
                self._start_check(view)
        elif view.phase is Phase.CHECK:
            unanswered = [d.question_id for d in view.drawn if d.question_id not in view.answers]
            if unanswered:
                self._answer(view, view.module.question(unanswered[0]))
            else:
                self._finish(view)
        else:
            failed = view.score is not None and not view.score.passed
            retry = failed and self._rng.random() < RETRY_CHANCE
            self._open(view.module.id if retry else self._rng.choice(self._modules))

    def _open(self, module_id: str) -> None:
        self._say("DO", "open", module_id)
        view = self._service.open_attempt(module_id)
        self._say("ACK", "open", view.attempt_id, module_id, view.phase.value, view.card_index)
        self._view = view
        self._seconds = view.seconds_spent

    def _leave(self, view: AttemptView) -> None:
        self._say("DO", "leave", view.attempt_id)
        self._service.leave(view.attempt_id, self._tick())
        self._say("ACK", "leave", view.attempt_id)
        self._view = None

    def _card(self, view: AttemptView, index: int) -> None:
        self._say("DO", "card", view.attempt_id, index)
        self._view = self._service.show_card(view.attempt_id, index, self._tick())
        self._say("ACK", "card", view.attempt_id, index)

    def _start_check(self, view: AttemptView) -> None:
        self._say("DO", "check", view.attempt_id)
        self._view = self._service.start_check(view.attempt_id, self._tick())
        self._say("ACK", "check", view.attempt_id)

    def _answer(self, view: AttemptView, question: Question) -> None:
        selected = self._choose(question)
        fields = (view.attempt_id, question.id, selection_text(selected))
        self._say("DO", "answer", *fields)
        self._service.answer_question(view.attempt_id, question.id, selected, self._tick())
        self._say("ACK", "answer", *fields)
        self._view = dataclasses.replace(view, answers={**view.answers, question.id: selected})

    def _finish(self, view: AttemptView) -> None:
        self._say("DO", "finish", view.attempt_id)
        result = self._service.finish_check(view.attempt_id, self._tick())
        assert result.score is not None
        verdict = "passed" if result.score.passed else "failed"
        self._say("ACK", "finish", view.attempt_id, verdict, f"{result.score.correct}/{result.score.total}")
        self._view = result

    def _choose(self, question: Question) -> frozenset[str]:
        right = question.correct_ids
        ids = [o.id for o in question.options]
        if self._rng.random() < RIGHT_CHANCE or len(ids) < 2:
            return right
        if question.kind is QuestionKind.MULTIPLE:
            while True:
                pick = frozenset(self._rng.sample(ids, self._rng.randint(1, len(ids))))
                if pick != right:
                    return pick
        wrong = [i for i in ids if i not in right]
        return frozenset({self._rng.choice(wrong)}) if wrong else right


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m microlearn.services.driver", description=__doc__)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--steps", type=int, default=100, help="acknowledged actions before exiting")
    args = parser.parse_args(argv)

    paths = resolve_paths(args.data_dir)
    store = open_store(paths)
    try:
        for notice in store.notices:
            print(f"NOTICE {notice}", file=sys.stderr)
        report = install_if_changed(store, bundled_content_dir())
        if report.refused:
            for problem in report.problems:
                print(problem, file=sys.stderr)
            return 2
        print("READY", "installed" if report.installed else "up-to-date", flush=True)
        rng = random.Random(args.seed)
        service = LearningService(store, load_config(paths), rng=random.Random(rng.getrandbits(64)))
        learner = Learner(service, CatalogService(store), rng, sys.stdout)
        for _ in range(args.steps):
            learner.step()
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
