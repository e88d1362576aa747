""" "How sure are you?" asked before a knowledge-check answer is submitted.

Three buttons, one number key each (1 Not sure, 2 Fairly sure, 3 Sure): while the prompt is
shown the options are locked, so the number keys that picked an option now pick how sure the
learner is, and that one key submits the answer. Escape goes back to change the answer.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from microlearn.domain.review_schedule import Certainty
from microlearn.ui.announce import announce
from microlearn.ui.page import button, label
from microlearn.ui.translation import args

CHOICES = (Certainty.NOT_SURE, Certainty.FAIRLY_SURE, Certainty.SURE)


class CertaintyPrompt(QWidget):
    """Emits ``chosen`` with the learner's Certainty."""

    chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(6)
        self.question = label(self.tr("How sure are you?"), "subtitle")
        layout.addWidget(self.question)
        self.hint = label(
            self.tr("Press 1, 2 or 3 to answer and submit. Escape changes your answer."), "muted"
        )
        layout.addWidget(self.hint)
        words = {
            Certainty.NOT_SURE: self.tr("Not sure"),
            Certainty.FAIRLY_SURE: self.tr("Fairly sure"),
            Certainty.SURE: self.tr("Sure"),
        }
        row = QHBoxLayout()
        self.buttons: dict[Certainty, QPushButton] = {}
        for number, certainty in enumerate(CHOICES, start=1):
            text = args(self.tr("%1.  %2"), QLocale().toString(number), words[certainty])
            choice = button(text, words[certainty])
            choice.clicked.connect(lambda _=False, c=certainty: self.chosen.emit(c))
            self.buttons[certainty] = choice
            row.addWidget(choice)
        row.addStretch(1)
        layout.addLayout(row)

    def ask(self) -> None:
        """Show the prompt, focus its first choice and have a screen reader say the question."""
        self.show()
        self.buttons[CHOICES[0]].setFocus(Qt.FocusReason.OtherFocusReason)
        announce(self.question, f"{self.question.text()} {self.hint.text()}")

    def pick(self, number: int) -> bool:
        """Choose the ``number``-th certainty (1–3); False if there is none."""
        if not 1 <= number <= len(CHOICES):
            return False
        self.chosen.emit(CHOICES[number - 1])
        return True
