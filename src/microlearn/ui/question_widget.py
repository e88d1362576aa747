"""One question with its options: radio buttons or check boxes, number keys, feedback."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from microlearn.domain.courseware import Question, QuestionKind
from microlearn.domain.review_schedule import Certainty
from microlearn.services.learning import AnswerFeedback
from microlearn.ui.announce import announce
from microlearn.ui.certainty_prompt import CertaintyPrompt
from microlearn.ui.page import button, label, reflowed, scroll_into_view
from microlearn.ui.translation import args


def hint(kind: QuestionKind) -> str:
    """What to do with the options, and that a number key picks one."""
    if kind is QuestionKind.TRUE_FALSE:
        return QCoreApplication.translate(
            "QuestionWidget", "True or false? Press the option's number to pick it."
        )
    if kind is QuestionKind.MULTIPLE:
        return QCoreApplication.translate(
            "QuestionWidget", "Choose all that apply. Press the option's number to pick it."
        )
    return QCoreApplication.translate(
        "QuestionWidget", "Choose one answer. Press the option's number to pick it."
    )


class QuestionWidget(QWidget):
    """Emits ``submitted`` with the selected option ids; shows feedback when told to."""

    submitted = Signal(frozenset)

    def __init__(
        self,
        question: Question,
        option_order: tuple[str, ...],
        submit_text: str = "",
        parent: QWidget | None = None,
        ask_certainty: bool = False,
    ) -> None:
        super().__init__(parent)
        self.question = question
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        if question.scenario:
            # Read as what it says; "Situation" only describes it.
            scenario = label(reflowed(question.scenario))
            scenario.setAccessibleDescription(self.tr("Situation"))
            layout.addWidget(scenario)
        self.prompt = label(question.prompt, "subtitle")
        layout.addWidget(self.prompt)
        layout.addWidget(label(hint(question.kind), "muted"))
        self.group = QButtonGroup(self)
        self.group.setExclusive(question.kind is not QuestionKind.MULTIPLE)
        self.option_buttons: dict[str, QAbstractButton] = {}
        self.feedback_labels: dict[str, QLabel] = {}
        for number, option_id in enumerate(option_order, start=1):
            option = question.option(option_id)
            text = args(self.tr("%1.  %2"), QLocale().toString(number), option.text)
            choice: QAbstractButton = (
                QCheckBox(text) if question.kind is QuestionKind.MULTIPLE else QRadioButton(text)
            )
            choice.setAccessibleName(args(self.tr("Option %1: %2"), QLocale().toString(number), option.text))
            choice.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            choice.toggled.connect(self._update_submit)
            self.group.addButton(choice, number)
            self.option_buttons[option_id] = choice
            layout.addWidget(choice)
            note = label("", "muted")
            note.setContentsMargins(34, 0, 0, 4)
            note.hide()
            self.feedback_labels[option_id] = note
            layout.addWidget(note)
        submit_text = submit_text or self.tr("Check answer")
        self.submit = button(submit_text, submit_text, primary=True)
        self.submit.setEnabled(False)
        self.submit.clicked.connect(self._submit)
        row = QHBoxLayout()
        row.addWidget(self.submit)
        row.addStretch(1)
        layout.addLayout(row)
        # Asked after Submit and before the answer goes anywhere: how sure the learner was.
        self.certainty: Certainty | None = None
        self.certainty_prompt: CertaintyPrompt | None = None
        if ask_certainty:
            self.certainty_prompt = CertaintyPrompt()
            self.certainty_prompt.hide()
            self.certainty_prompt.chosen.connect(self._certainty_chosen)
            layout.addWidget(self.certainty_prompt)
        # No accessible names on these: a name replaces the text, and the text is what matters.
        self.verdict = label("", "subtitle")
        self.verdict.setAccessibleDescription(self.tr("Result of your answer"))
        self.verdict.hide()
        layout.addWidget(self.verdict)
        self.explanation = label("")
        self.explanation.setAccessibleDescription(self.tr("Explanation"))
        self.explanation.hide()
        layout.addWidget(self.explanation)
        self._order = option_order
        self.answered = False

    def selected(self) -> frozenset[str]:
        return frozenset(oid for oid, b in self.option_buttons.items() if b.isChecked())

    def _update_submit(self) -> None:
        self.submit.setEnabled(not self.answered and bool(self.selected()))

    @property
    def asking_certainty(self) -> bool:
        return self.certainty_prompt is not None and self.certainty_prompt.isVisibleTo(self)

    def _submit(self) -> None:
        if not self.selected() or self.answered or self.asking_certainty:
            return
        if self.certainty_prompt is None:
            self.submitted.emit(self.selected())
            return
        # Locked while asked, so a number key says how sure rather than picking again.
        for choice in self.option_buttons.values():
            choice.setEnabled(False)
        self.submit.hide()
        self.certainty_prompt.ask()

    def _certainty_chosen(self, certainty: Certainty) -> None:
        if self.answered or not self.asking_certainty:
            return
        self.certainty = certainty
        assert self.certainty_prompt is not None
        self.certainty_prompt.hide()
        self.submitted.emit(self.selected())

    def change_answer(self) -> bool:
        """Back from "How sure are you?" to the options; False if it was not being asked."""
        if not self.asking_certainty or self.answered:
            return False
        assert self.certainty_prompt is not None
        self.certainty_prompt.hide()
        for choice in self.option_buttons.values():
            choice.setEnabled(True)
        self.submit.show()
        self.focus_first_option()
        return True

    @property
    def first_option(self) -> QAbstractButton:
        """The option shown first (number 1)."""
        return self.option_buttons[self._order[0]]

    def focus_first_option(self) -> None:
        self.first_option.setFocus(Qt.FocusReason.OtherFocusReason)

    def pick(self, number: int) -> bool:
        """Pick (or, for a check box, toggle) option ``number`` and focus it; False if there is none."""
        if self.asking_certainty:
            assert self.certainty_prompt is not None
            return self.certainty_prompt.pick(number)
        if self.answered or not 1 <= number <= len(self._order):
            return False
        choice = self.option_buttons[self._order[number - 1]]
        choice.setChecked(not choice.isChecked() if isinstance(choice, QCheckBox) else True)
        choice.setFocus(Qt.FocusReason.ShortcutFocusReason)  # so Enter then checks the answer
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt naming)
        text = event.text()
        if text.isdigit() and self.pick(int(text)):
            return
        if event.key() == Qt.Key.Key_Escape and self.change_answer():
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.submit.isEnabled():
            self._submit()
            return
        super().keyPressEvent(event)

    def show_feedback(self, feedback: AnswerFeedback, lock: bool = True) -> None:
        self.answered = lock
        if self.certainty_prompt is not None:
            self.certainty_prompt.hide()
        for option_id, choice in self.option_buttons.items():
            choice.setChecked(option_id in feedback.selected)
            if lock:
                choice.setEnabled(False)
            note = self.feedback_labels[option_id]
            is_right = option_id in feedback.correct_ids
            picked = option_id in feedback.selected
            words = feedback.option_feedback.get(option_id, "")
            if picked or is_right:
                mark = self.tr("✓ Correct answer.") if is_right else self.tr("✗ Not this one.")
                note.setText(args(self.tr("%1 %2"), mark, words).strip() if picked or words else mark)
                note.show()
        self.verdict.setText(self.tr("✓ That's right.") if feedback.correct else self.tr("✗ Not quite."))
        self.verdict.show()
        if feedback.explanation:
            self.explanation.setText(feedback.explanation)
            self.explanation.show()
        self.submit.setEnabled(not lock)
        if lock:
            self.submit.hide()
        else:
            # Checked once: moving on (Next) is now the main action, and only it looks so.
            self.submit.setProperty("role", None)
            self.submit.style().unpolish(self.submit)
            self.submit.style().polish(self.submit)
        # At large text sizes the verdict is below the fold: bring it (and the why) into view.
        scroll_into_view(self.verdict, self.explanation)

    def announce_feedback(self) -> None:
        """Have a screen reader say the verdict and the explanation just shown."""
        said = [self.verdict.text()]
        if self.explanation.isVisibleTo(self):
            said.append(self.explanation.text())
        announce(self.verdict, " ".join(said))
