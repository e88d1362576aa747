"""Results: the score, what was missed and why, and a way to try again."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLocale, Signal
from PySide6.QtWidgets import QHBoxLayout

from microlearn.ui.announce import announce
from microlearn.ui.page import Page, button, card_frame, label, reflowed
from microlearn.ui.translation import args

if TYPE_CHECKING:
    from microlearn.services.learning import AttemptView
    from microlearn.store.certainties import AnsweredWithCertainty

# Wrong and sure (or fairly sure): the mistakes that matter most, since nothing made the learner
# doubt them. They are listed first and said to be so.
CONFIDENT = frozenset({"sure", "fairly_sure"})


class ResultsPage(Page):
    retry = Signal(str)
    back_to_today = Signal()

    def __init__(self, view: AttemptView, answered: Sequence[AnsweredWithCertainty] = ()) -> None:
        super().__init__(QCoreApplication.translate("ResultsPage", "Your results"))
        self.setAccessibleName(self.tr("Results"))
        score = view.score
        assert score is not None
        module = view.module
        self.body.addWidget(label(module.title, "subtitle"))
        n = QLocale().toString
        if score.passed:
            headline = args(
                self.tr("You passed with %1 of %2 (%3%). Well done!"),
                n(score.correct),
                n(score.total),
                n(score.percent),
            )
            detail = self.tr(
                "This module is done. Your result will reach the central record when you are online."
            )
        else:
            headline = args(
                self.tr("You got %1 of %2 (%3%). Not passed yet."),
                n(score.correct),
                n(score.total),
                n(score.percent),
            )
            detail = args(
                self.tr(
                    "You need %1% to pass. Read the explanations below, then try again: "
                    "you will get a fresh set of questions."
                ),
                n(module.pass_mark),
            )
        self.headline = label(headline, "title")  # read as it reads, and announced when shown
        self.headline.setAccessibleDescription(self.tr("Your score"))
        self.body.addWidget(self.headline)
        self.detail = label(detail)
        self.body.addWidget(self.detail)

        actions = QHBoxLayout()
        self.retry_button = button(
            self.tr("Try again") if not score.passed else self.tr("Take it again"),
            args(self.tr("Try the module again: %1"), module.title),
            primary=not score.passed,
        )
        self.retry_button.clicked.connect(lambda: self.retry.emit(module.id))
        self.today_button = button(self.tr("Back to Today"), primary=score.passed)
        self.today_button.clicked.connect(self.back_to_today)
        actions.addWidget(self.today_button if score.passed else self.retry_button)
        actions.addWidget(self.retry_button if score.passed else self.today_button)
        actions.addStretch(1)
        self.body.addLayout(actions)

        missed = [
            d
            for d in view.drawn
            if not module.question(d.question_id).is_correct(view.answers.get(d.question_id, frozenset()))
        ]
        # ``answered`` comes confidently wrong first; questions it does not name keep their place.
        rank = {a.question_id: i for i, a in enumerate(answered)}
        certainty = {a.question_id: a.certainty for a in answered}
        missed.sort(key=lambda d: rank.get(d.question_id, len(rank)))
        self.missed_ids = [d.question_id for d in missed]
        if missed:
            self.body.addWidget(label(self.tr("What you missed, and why"), "subtitle"))
        else:
            self.body.addWidget(label(self.tr("You answered every question correctly."), "subtitle"))
        for drawn in missed:
            question = module.question(drawn.question_id)
            frame, box = card_frame()
            if certainty.get(question.id) in CONFIDENT:
                box.addWidget(
                    label(
                        self.tr("You were sure of this one: it is the one most worth a second look."),
                        "subtitle",
                    )
                )
            if question.scenario:
                box.addWidget(label(reflowed(question.scenario), "muted"))
            box.addWidget(label(question.prompt, "subtitle"))
            picked = [
                question.option(o).text
                for o in drawn.option_order
                if o in view.answers.get(question.id, frozenset())
            ]
            right = [question.option(o).text for o in drawn.option_order if o in question.correct_ids]
            box.addWidget(label(args(self.tr("Your answer: %1"), "; ".join(picked) or self.tr("none"))))
            box.addWidget(label(args(self.tr("Correct answer: %1"), "; ".join(right))))
            box.addWidget(label(question.explanation))
            frame.setAccessibleName(args(self.tr("Missed question: %1"), question.prompt))
            self.body.addWidget(frame)
        self.body.addStretch(1)
        self.focus_target = self.retry_button if not score.passed else self.today_button

    def announce_score(self) -> None:
        """Have a screen reader say the score: the focus is on the next action, not on it."""
        announce(self.headline, f"{self.headline.text()} {self.detail.text()}")
