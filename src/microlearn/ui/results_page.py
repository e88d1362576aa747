"""Results: the score, what was missed and why, and a way to try again."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout

from microlearn.ui.announce import announce
from microlearn.ui.page import Page, button, card_frame, label

if TYPE_CHECKING:
    from microlearn.services.learning import AttemptView


class ResultsPage(Page):
    retry = Signal(str)
    back_to_today = Signal()

    def __init__(self, view: AttemptView) -> None:
        super().__init__("Your results")
        self.setAccessibleName("Results")
        score = view.score
        assert score is not None
        module = view.module
        self.body.addWidget(label(module.title, "subtitle"))
        if score.passed:
            headline = f"You passed with {score.correct} of {score.total} ({score.percent}%). Well done!"
            detail = "This module is done. Your result will reach the central record when you are online."
        else:
            headline = f"You got {score.correct} of {score.total} ({score.percent}%). Not passed yet."
            detail = (
                f"You need {module.pass_mark}% to pass. Read the explanations below, then try again: "
                "you will get a fresh set of questions."
            )
        self.headline = label(headline, "title")  # read as it reads, and announced when shown
        self.headline.setAccessibleDescription("Your score")
        self.body.addWidget(self.headline)
        self.detail = label(detail)
        self.body.addWidget(self.detail)

        actions = QHBoxLayout()
        self.retry_button = button(
            "Try again" if not score.passed else "Take it again",
            f"Try the module again: {module.title}",
            primary=not score.passed,
        )
        self.retry_button.clicked.connect(lambda: self.retry.emit(module.id))
        self.today_button = button("Back to Today", "Back to Today", primary=score.passed)
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
        if missed:
            self.body.addWidget(label("What you missed, and why", "subtitle"))
        else:
            self.body.addWidget(label("You answered every question correctly.", "subtitle"))
        for drawn in missed:
            question = module.question(drawn.question_id)
            frame, box = card_frame()
            if question.scenario:
                box.addWidget(label(question.scenario, "muted"))
            box.addWidget(label(question.prompt, "subtitle"))
            picked = [
                question.option(o).text
                for o in drawn.option_order
                if o in view.answers.get(question.id, frozenset())
            ]
            right = [question.option(o).text for o in drawn.option_order if o in question.correct_ids]
            box.addWidget(label("Your answer: " + ("; ".join(picked) or "none")))
            box.addWidget(label("Correct answer: " + "; ".join(right)))
            box.addWidget(label(question.explanation))
            frame.setAccessibleName(f"Missed question: {question.prompt}")
            self.body.addWidget(frame)
        self.body.addStretch(1)
        self.focus_target = self.retry_button if not score.passed else self.today_button

    def announce_score(self) -> None:
        """Have a screen reader say the score: the focus is on the next action, not on it."""
        announce(self.headline, f"{self.headline.text()} {self.detail.text()}")
