"""A track's confidence survey: 3–5 statements, each rated 1–5 with one number key, skippable.

A number key rates the statement in focus (or the first not rated yet) and moves on to the
next one, then to "Send my answers". Statements left unrated are sent as skipped.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QRadioButton, QWidget

from microlearn.services.surveys import SurveyPhase, SurveyPrompt
from microlearn.ui.page import Page, button, card_frame, focus_soon, label
from microlearn.ui.translation import args


class SurveyPage(Page):
    submitted = Signal(object)  # {statement index: rating}
    skipped = Signal()

    def __init__(self, prompt: SurveyPrompt) -> None:
        before = prompt.phase is SurveyPhase.BEFORE
        super().__init__(
            QCoreApplication.translate("SurveyPage", "Before you start: how sure do you feel?")
            if before
            else QCoreApplication.translate("SurveyPage", "You finished the track: how sure do you feel now?")
        )
        self.setAccessibleName(self.tr("Confidence survey"))
        self.prompt = prompt
        # The scale as the learner reads it; the statements sent keep the scale's English words.
        shown = {
            1: self.tr("Strongly disagree"),
            2: self.tr("Disagree"),
            3: self.tr("Neither agree nor disagree"),
            4: self.tr("Agree"),
            5: self.tr("Strongly agree"),
        }
        scale = [(value, shown.get(value, words)) for value, words in prompt.scale]
        self.body.addWidget(label(prompt.track_title, "subtitle"))
        self.body.addWidget(
            label(
                args(
                    self.tr(
                        "Rate each statement from 1 (%1) to 5 (%2) with a number key. "
                        "It takes a minute, it is not a test, and you can skip it."
                    ),
                    scale[0][1],
                    scale[-1][1],
                )
            )
        )
        self.groups: list[QButtonGroup] = []
        for index, text in enumerate(prompt.statements):
            frame, box = card_frame()
            box.addWidget(label(args(self.tr("%1. %2"), QLocale().toString(index + 1), text), "subtitle"))
            row = QHBoxLayout()
            group = QButtonGroup(self)
            for value, words in scale:
                choice = QRadioButton(args(self.tr("%1 %2"), QLocale().toString(value), words))
                choice.setAccessibleName(args(self.tr("%1 of 5: %2"), QLocale().toString(value), words))
                choice.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
                group.addButton(choice, value)
                row.addWidget(choice)
            row.addStretch(1)
            box.addLayout(row)
            frame.setAccessibleName(args(self.tr("Statement %1"), QLocale().toString(index + 1)))
            self.groups.append(group)
            self.body.addWidget(frame)
        actions = QHBoxLayout()
        self.send_button = button(self.tr("Send my answers"), primary=True)
        self.send_button.clicked.connect(self._send)
        self.skip_button = button(self.tr("Skip the survey"))
        self.skip_button.clicked.connect(self.skipped)
        actions.addWidget(self.send_button)
        actions.addWidget(self.skip_button)
        actions.addStretch(1)
        self.body.addLayout(actions)
        self.body.addStretch(1)
        self.focus_target: QWidget = self.groups[0].buttons()[0] if self.groups else self.send_button

    def ratings(self) -> dict[int, int]:
        return {i: g.checkedId() for i, g in enumerate(self.groups) if g.checkedId() > 0}

    def _current(self) -> int:
        """The statement whose choice has the focus, else the first one not rated yet."""
        for index, group in enumerate(self.groups):
            if any(b.hasFocus() for b in group.buttons()):
                return index
        return next((i for i, g in enumerate(self.groups) if g.checkedId() <= 0), -1)

    def rate(self, number: int) -> bool:
        index = self._current()
        if index < 0 or not 1 <= number <= 5:
            return False
        choice = self.groups[index].button(number)
        choice.setChecked(True)
        following = index + 1
        target = self.groups[following].buttons()[0] if following < len(self.groups) else self.send_button
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt naming)
        text = event.text()
        if text.isdigit() and self.rate(int(text)):
            return
        super().keyPressEvent(event)

    def _send(self) -> None:
        self.submitted.emit(self.ratings())

    def show_soon(self) -> None:
        focus_soon(self.focus_target)
