"""A quick review: a few due questions, options in a fresh order, feedback with the explanation
at once, and a way back to the card that teaches each one.

Reviews never change a module's result; each answer reschedules its question (ReviewService).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QScrollArea, QVBoxLayout, QWidget

from microlearn.services.learning import AnswerFeedback
from microlearn.services.reviews import ReviewFeedback, ReviewService, ReviewSession
from microlearn.ui.announce import announce
from microlearn.ui.page import button, card_frame, focus_soon, label
from microlearn.ui.question_widget import QuestionWidget
from microlearn.ui.translation import args


class ReviewPage(QWidget):
    exit_requested = Signal()
    open_card = Signal(str, int)  # module id, card index: read again the card that teaches it

    def __init__(
        self,
        reviews: ReviewService,
        session: ReviewSession,
        asks_certainty: Callable[[str], bool],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Quick review"))
        self._reviews = reviews
        self.session = session
        self._asks_certainty = asks_certainty
        self.index = 0
        self.right = 0
        self.question: QuestionWidget | None = None
        self.card_button: QPushButton | None = None
        self.feedback: ReviewFeedback | None = None

        outer = QVBoxLayout(self)
        outer.setContentsMargins(32, 16, 32, 16)
        outer.setSpacing(10)
        top = QHBoxLayout()
        self.exit_button = button(self.tr("← Back to Today"), self.tr("Leave the review for Today"))
        self.exit_button.clicked.connect(self.exit_requested)
        top.addWidget(self.exit_button)
        top.addSpacing(12)
        top.addWidget(label(self.tr("Quick review"), "subtitle"), 1)
        self.position_label = label("", "muted", wrap=False)
        self.position_label.setAccessibleDescription(self.tr("Where you are"))
        top.addWidget(self.position_label)
        outer.addLayout(top)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # as in the player: not a dead Tab stop
        self.scroll_area.setAccessibleName(self.tr("Review question"))
        outer.addWidget(self.scroll_area, 1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        self.next_button = button(self.tr("Next question →"), self.tr("Next question"), primary=True)
        self.next_button.clicked.connect(self.go_next)
        bottom.addWidget(self.next_button)
        outer.addLayout(bottom)
        self.show_question()

    @property
    def finished(self) -> bool:
        return self.index >= len(self.session.questions)

    def show_question(self) -> None:
        content = QWidget()
        box = QVBoxLayout(content)
        box.setContentsMargins(0, 8, 8, 8)
        box.setSpacing(12)
        self.question = None
        self.card_button = None
        self.feedback = None
        total = len(self.session.questions)
        if self.finished:
            self._show_summary(box)
        else:
            shown = self.session.questions[self.index]
            frame, inner = card_frame()
            inner.addWidget(label(args(self.tr("From “%1”"), shown.module_title), "muted"))
            self.question = QuestionWidget(
                shown.question,
                shown.option_order,
                self.tr("Check my answer"),
                ask_certainty=self._asks_certainty(shown.module_id),
            )
            self.question.submitted.connect(self._answer)
            inner.addWidget(self.question)
            self._inner = inner  # the link to the card goes below the feedback
            box.addWidget(frame)
            n = QLocale().toString
            self.position_label.setText(args(self.tr("Question %1 of %2"), n(self.index + 1), n(total)))
            last = self.index == total - 1
            self.next_button.setText(self.tr("Finish the review →") if last else self.tr("Next question →"))
            self.next_button.setAccessibleName(
                self.tr("Finish the review") if last else self.tr("Next question")
            )
            self.next_button.setEnabled(False)
            self.next_button.show()
        box.addStretch(1)
        self.scroll_area.setWidget(content)
        if self.question is not None:
            focus_soon(self.question.first_option)

    def _show_summary(self, box: QVBoxLayout) -> None:
        n = QLocale().toString
        total = len(self.session.questions)
        self.position_label.setText("")
        self.summary = label(args(self.tr("Review done: %1 of %2 right."), n(self.right), n(total)), "title")
        box.addWidget(self.summary)
        box.addWidget(
            label(
                self.tr(
                    "What you missed comes back soon; what you knew comes back later. "
                    "Your module results are not changed by a review."
                )
            )
        )
        self.done_button = button(self.tr("Back to Today"), primary=True)
        self.done_button.clicked.connect(self.exit_requested)
        row = QHBoxLayout()
        row.addWidget(self.done_button)
        row.addStretch(1)
        box.addLayout(row)
        self.next_button.hide()
        focus_soon(self.done_button)
        announce(self.summary, self.summary.text())

    def _answer(self, selected: frozenset[str]) -> None:
        assert self.question is not None
        shown = self.session.questions[self.index]
        self.feedback = feedback = self._reviews.answer(
            self.session, shown, selected, self.question.certainty
        )
        self.right += feedback.correct
        self.question.show_feedback(
            AnswerFeedback(
                feedback.correct,
                selected,
                feedback.correct_ids,
                feedback.option_feedback,
                feedback.explanation,
            )
        )
        self.card_button = button(
            args(self.tr("Read the card again: %1"), feedback.card_title),
            args(self.tr("Read the card that teaches it again: %1"), feedback.card_title),
        )
        self.card_button.clicked.connect(
            lambda _=False, m=feedback.module_id, i=feedback.card_index: self.open_card.emit(m, i)
        )
        row = QHBoxLayout()
        row.addWidget(self.card_button)
        row.addStretch(1)
        self._inner.addLayout(row)
        self.next_button.setEnabled(True)
        self.next_button.setFocus(Qt.FocusReason.OtherFocusReason)
        self.question.announce_feedback()

    def go_next(self) -> None:
        if self.feedback is None or self.finished:
            return
        self.index += 1
        self.show_question()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt naming)
        # As in the player: a number picks an option (or says how sure) wherever the focus is.
        text = event.text()
        if text.isdigit() and self.question is not None and self.question.pick(int(text)):
            return
        if event.key() == Qt.Key.Key_Escape and self.question is not None and self.question.change_answer():
            return
        super().keyPressEvent(event)
