"""The module player: one lesson card at a time, inline checks, then the knowledge check."""

from __future__ import annotations

import time

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QFrame, QHBoxLayout, QProgressBar, QScrollArea, QVBoxLayout, QWidget

from microlearn.domain.attempt import ActiveClock, Phase, minutes_left
from microlearn.services.learning import AttemptView, LearningService, feedback_for
from microlearn.ui.markdown_view import MarkdownView
from microlearn.ui.page import button, card_frame, focus_soon, label
from microlearn.ui.question_widget import QuestionWidget
from microlearn.ui.translation import args


def _count(value: int) -> str:
    return QLocale().toString(value)


class PlayerPage(QWidget):
    """Talks to LearningService only; every step is saved before the screen moves on."""

    exit_requested = Signal()
    finished = Signal(object)  # the AttemptView with its score

    def __init__(
        self,
        learning: LearningService,
        media: dict[str, bytes],
        view: AttemptView,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Module player"))
        self._learning = learning
        self._media = media
        self.view = view
        # Asked once per module: the track (and policy) decide, not each question.
        self._asks_certainty = learning.asks_certainty(view.module.id)
        self.clock = ActiveClock(banked=view.seconds_spent)
        self.clock.activate(time.monotonic())

        outer = QVBoxLayout(self)
        outer.setContentsMargins(32, 16, 32, 16)
        outer.setSpacing(10)
        top = QHBoxLayout()
        self.exit_button = button(self.tr("← Save and exit"), self.tr("Save and exit the module"))
        self.exit_button.clicked.connect(self.exit_requested)
        top.addWidget(self.exit_button)
        top.addSpacing(12)
        self.module_title = label(view.module.title, "subtitle")
        top.addWidget(self.module_title, 1)
        self.position_label = label("", "muted", wrap=False)  # read as it reads: "Card 4 of 7 · …"
        self.position_label.setAccessibleDescription(self.tr("Where you are"))
        top.addWidget(self.position_label)
        outer.addLayout(top)
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName(self.tr("Progress through the module"))
        outer.addWidget(self.progress)

        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        # Not a Tab stop: it showed no focus and did nothing a keyboard user could see. Page Up
        # and Page Down scroll it from anywhere in the player (keyPressEvent); it still scrolls
        # to whichever option or button inside it takes the focus.
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroll_area.setAccessibleName(self.tr("Card"))
        outer.addWidget(self.scroll_area, 1)

        bottom = QHBoxLayout()
        self.back_button = button(self.tr("← Back"), self.tr("Previous card"))
        self.back_button.clicked.connect(self.go_back)
        self.next_button = button(self.tr("Next →"), self.tr("Next card"), primary=True)
        self.next_button.clicked.connect(self.go_next)
        # On a retry of lessons already seen, the learner need not page through them again.
        self.skip_button = button(
            self.tr("Go to the knowledge check"), self.tr("Go straight to the knowledge check")
        )
        self.skip_button.setToolTip(
            self.tr("You have seen these cards before; you can still read them with Next")
        )
        self.skip_button.clicked.connect(self.skip_to_check)
        bottom.addWidget(self.back_button)
        bottom.addStretch(1)
        bottom.addWidget(self.skip_button)
        bottom.addWidget(self.next_button)
        outer.addLayout(bottom)
        QShortcut(QKeySequence("Alt+Right"), self, self.go_next)
        QShortcut(QKeySequence("Alt+Left"), self, self.go_back)
        self.question: QuestionWidget | None = None
        self.show_card()

    # -- time ---------------------------------------------------------------------------------

    def set_active(self, active: bool) -> None:
        now = time.monotonic()
        if active:
            self.clock.activate(now)
        else:
            self.clock.deactivate(now)
            self._learning.save_time(self.view.attempt_id, self.seconds())

    def seconds(self) -> float:
        return self.clock.total(time.monotonic())

    # -- rendering ----------------------------------------------------------------------------

    def show_card(self) -> None:
        view = self.view
        content = QWidget()
        box = QVBoxLayout(content)
        box.setContentsMargins(0, 8, 8, 8)
        box.setSpacing(12)
        self.question = None
        if view.phase is Phase.LESSONS:
            self._render_card(box)
        else:
            self._render_question(box)
        box.addStretch(1)
        self.scroll_area.setWidget(content)
        self._update_header()
        self._focus_start()

    def _update_header(self) -> None:
        view = self.view
        cards = len(view.module.cards)
        total = len(view.drawn)
        left = minutes_left(view.module, view.phase, view.card_index, view.check_index, total)
        if view.phase is Phase.LESSONS:
            where = args(self.tr("Card %1 of %2"), _count(view.card_index + 1), _count(cards))
            done = view.card_index + 1
        else:
            where = args(self.tr("Question %1 of %2"), _count(view.check_index + 1), _count(total))
            done = cards + view.check_index + (1 if self._answered_current() else 0)
        self.position_label.setText(args(self.tr("%1 · about %n minute(s) left", "", left), where))
        self.progress.setRange(0, cards + total)
        self.progress.setValue(done)
        self.back_button.setEnabled(
            (view.phase is Phase.LESSONS and view.card_index > 0)
            or (view.phase is Phase.CHECK and view.check_index > 0)
        )
        self.back_button.setAccessibleName(
            self.tr("Previous card") if view.phase is Phase.LESSONS else self.tr("Previous question")
        )
        self.skip_button.setVisible(view.phase is Phase.LESSONS and view.lessons_done_before)
        self._update_next()

    def _update_next(self) -> None:
        view = self.view
        if view.phase is Phase.LESSONS:
            last = view.card_index == len(view.module.cards) - 1
            text = self.tr("Start the knowledge check →") if last else self.tr("Next →")
            self.next_button.setText(text)
            self.next_button.setAccessibleName(
                self.tr("Start the knowledge check") if last else self.tr("Next card")
            )
            self.next_button.setEnabled(True)
        else:
            last = view.check_index == len(view.drawn) - 1
            self.next_button.setText(self.tr("See my results →") if last else self.tr("Next question →"))
            self.next_button.setAccessibleName(
                self.tr("See my results") if last else self.tr("Next question")
            )
            self.next_button.setEnabled(self._answered_current())

    def _answered_current(self) -> bool:
        if self.view.phase is not Phase.CHECK:
            return False
        return self.view.drawn[self.view.check_index].question_id in self.view.answers

    def _render_card(self, box: QVBoxLayout) -> None:
        card = self.view.module.cards[self.view.card_index]
        frame, inner = card_frame()
        title = label(card.title, "title")
        inner.addWidget(title)
        text = MarkdownView()
        text.setAccessibleName(args(self.tr("Card text: %1"), card.title))
        text.show_markdown(card.body, self._media)
        inner.addWidget(text)
        box.addWidget(frame)
        if card.check is not None:
            check_frame, check_box = card_frame()
            check_box.addWidget(label(self.tr("Quick check — practice only, it does not count"), "muted"))
            order = tuple(o.id for o in card.check.options)
            self.question = QuestionWidget(card.check, order, self.tr("Check my answer"))
            self.question.submitted.connect(self._answer_inline)
            previous = self.view.practice.get(card.id)
            if previous:
                self.question.show_feedback(feedback_for(card.check, previous), lock=False)
            check_box.addWidget(self.question)
            box.addWidget(check_frame)

    def _render_question(self, box: QVBoxLayout) -> None:
        question, drawn = self.view.drawn_question(self.view.check_index)
        frame, inner = card_frame()
        inner.addWidget(label(self.tr("Knowledge check"), "muted"))
        self.question = QuestionWidget(
            question, drawn.option_order, self.tr("Submit answer"), ask_certainty=self._asks_certainty
        )
        self.question.submitted.connect(self._answer_check)
        given = self.view.answers.get(question.id)
        if given is not None:
            self.question.show_feedback(feedback_for(question, given))
        inner.addWidget(self.question)
        box.addWidget(frame)

    def _focus_start(self) -> None:
        if self.view.phase is Phase.CHECK and self.question is not None and not self.question.answered:
            focus_soon(self.question.first_option)
        elif self.skip_button.isVisibleTo(self) and self.view.card_index == 0:
            focus_soon(self.skip_button)  # a retry: the fresh questions are what the learner came for
        else:
            focus_soon(self.next_button)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt naming)
        # Keys no control took: a number picks an option wherever the focus is (the hint
        # promises it), Page Up / Page Down scroll the card.
        text = event.text()
        if text.isdigit() and self.question is not None and self.question.pick(int(text)):
            return
        if event.key() == Qt.Key.Key_Escape and self.question is not None and self.question.change_answer():
            return
        scroll = self.scroll_area.verticalScrollBar()
        if event.key() == Qt.Key.Key_PageDown:
            scroll.triggerAction(scroll.SliderAction.SliderPageStepAdd)
            return
        if event.key() == Qt.Key.Key_PageUp:
            scroll.triggerAction(scroll.SliderAction.SliderPageStepSub)
            return
        super().keyPressEvent(event)

    # -- actions ------------------------------------------------------------------------------

    def _answer_inline(self, selected: frozenset[str]) -> None:
        assert self.question is not None
        feedback = self._learning.answer_inline(self.view.attempt_id, self.view.card_index, selected)
        self.question.show_feedback(feedback, lock=False)
        # Focus goes where the learner goes next (Enter moves on; a number key picks again),
        # and the verdict is announced rather than focused: a focused label is a dead end.
        self.next_button.setFocus(Qt.FocusReason.OtherFocusReason)
        self.question.announce_feedback()

    def _answer_check(self, selected: frozenset[str]) -> None:
        assert self.question is not None
        question_id = self.view.drawn[self.view.check_index].question_id
        feedback = self._learning.answer_question(
            self.view.attempt_id, question_id, selected, self.seconds(), certainty=self.question.certainty
        )
        self.view = self._learning.view(self.view.attempt_id)
        self.question.show_feedback(feedback)
        self._update_header()
        self.next_button.setFocus(Qt.FocusReason.OtherFocusReason)
        self.question.announce_feedback()

    def go_next(self) -> None:
        view = self.view
        if not self.next_button.isEnabled():
            return
        if view.phase is Phase.LESSONS:
            if view.card_index < len(view.module.cards) - 1:
                self.view = self._learning.show_card(view.attempt_id, view.card_index + 1, self.seconds())
            else:
                self.view = self._learning.start_check(view.attempt_id, self.seconds())
            self.show_card()
        elif view.phase is Phase.CHECK:
            if view.check_index < len(view.drawn) - 1:
                self.view = self._learning.go_to_question(
                    view.attempt_id, view.check_index + 1, self.seconds()
                )
                self.show_card()
            else:
                self.view = self._learning.finish_check(view.attempt_id, self.seconds())
                self.finished.emit(self.view)

    def skip_to_check(self) -> None:
        if self.view.phase is Phase.LESSONS and self.view.lessons_done_before:
            self.view = self._learning.skip_to_check(self.view.attempt_id, self.seconds())
            self.show_card()

    def go_back(self) -> None:
        view = self.view
        if view.phase is Phase.LESSONS and view.card_index > 0:
            self.view = self._learning.show_card(view.attempt_id, view.card_index - 1, self.seconds())
        elif view.phase is Phase.CHECK and view.check_index > 0:
            self.view = self._learning.go_to_question(view.attempt_id, view.check_index - 1, self.seconds())
        else:
            return
        self.show_card()

    def leave(self) -> None:
        """Save the time and record ``terminated``; called when the learner exits or quits."""
        self.clock.deactivate(time.monotonic())
        self._learning.leave(self.view.attempt_id, self.seconds())
