"""One question with its options: radio buttons or check boxes, number keys, feedback."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
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
from microlearn.services.learning import AnswerFeedback
from microlearn.ui.announce import announce
from microlearn.ui.page import button, label

HINTS = {
    QuestionKind.SINGLE: "Choose one answer.",
    QuestionKind.SCENARIO: "Choose one answer.",
    QuestionKind.TRUE_FALSE: "True or false?",
    QuestionKind.MULTIPLE: "Choose all that apply.",
}


class QuestionWidget(QWidget):
    """Emits ``submitted`` with the selected option ids; shows feedback when told to."""

    submitted = Signal(frozenset)

    def __init__(
        self,
        question: Question,
        option_order: tuple[str, ...],
        submit_text: str = "Check answer",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.question = question
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        if question.scenario:
            # Read as what it says; "Situation" only describes it.
            scenario = label(question.scenario)
            scenario.setAccessibleDescription("Situation")
            layout.addWidget(scenario)
        self.prompt = label(question.prompt, "subtitle")
        layout.addWidget(self.prompt)
        hint = HINTS[question.kind] + " Press the option's number to pick it."
        layout.addWidget(label(hint, "muted"))
        self.group = QButtonGroup(self)
        self.group.setExclusive(question.kind is not QuestionKind.MULTIPLE)
        self.option_buttons: dict[str, QAbstractButton] = {}
        self.feedback_labels: dict[str, QLabel] = {}
        for number, option_id in enumerate(option_order, start=1):
            option = question.option(option_id)
            text = f"{number}.  {option.text}"
            choice: QAbstractButton = (
                QCheckBox(text) if question.kind is QuestionKind.MULTIPLE else QRadioButton(text)
            )
            choice.setAccessibleName(f"Option {number}: {option.text}")
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
        self.submit = button(submit_text, submit_text, primary=True)
        self.submit.setEnabled(False)
        self.submit.clicked.connect(self._submit)
        row = QHBoxLayout()
        row.addWidget(self.submit)
        row.addStretch(1)
        layout.addLayout(row)
        # No accessible names on these: a name replaces the text, and the text is what matters.
        self.verdict = label("", "subtitle")
        self.verdict.setAccessibleDescription("Result of your answer")
        self.verdict.hide()
        layout.addWidget(self.verdict)
        self.explanation = label("")
        self.explanation.setAccessibleDescription("Explanation")
        self.explanation.hide()
        layout.addWidget(self.explanation)
        self._order = option_order
        self.answered = False

    def selected(self) -> frozenset[str]:
        return frozenset(oid for oid, b in self.option_buttons.items() if b.isChecked())

    def _update_submit(self) -> None:
        self.submit.setEnabled(not self.answered and bool(self.selected()))

    def _submit(self) -> None:
        if self.selected() and not self.answered:
            self.submitted.emit(self.selected())

    @property
    def first_option(self) -> QAbstractButton:
        """The option shown first (number 1)."""
        return self.option_buttons[self._order[0]]

    def focus_first_option(self) -> None:
        self.first_option.setFocus(Qt.FocusReason.OtherFocusReason)

    def pick(self, number: int) -> bool:
        """Pick (or, for a check box, toggle) option ``number`` and focus it; False if there is none."""
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
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.submit.isEnabled():
            self._submit()
            return
        super().keyPressEvent(event)

    def show_feedback(self, feedback: AnswerFeedback, lock: bool = True) -> None:
        self.answered = lock
        for option_id, choice in self.option_buttons.items():
            choice.setChecked(option_id in feedback.selected)
            if lock:
                choice.setEnabled(False)
            note = self.feedback_labels[option_id]
            is_right = option_id in feedback.correct_ids
            picked = option_id in feedback.selected
            words = feedback.option_feedback.get(option_id, "")
            if picked or is_right:
                mark = "✓ Correct answer." if is_right else "✗ Not this one."
                note.setText(f"{mark} {words}".strip() if picked or words else mark)
                note.show()
        self.verdict.setText("✓ That's right." if feedback.correct else "✗ Not quite.")
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

    def announce_feedback(self) -> None:
        """Have a screen reader say the verdict and the explanation just shown."""
        said = [self.verdict.text()]
        if self.explanation.isVisibleTo(self):
            said.append(self.explanation.text())
        announce(self.verdict, " ".join(said))
