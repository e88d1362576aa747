"""Progress: per track and module, where it stands and by when, every attempt (date, score,
time spent, the questions missed and why), the minutes learned, and the certificates."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, QDate, QLocale
from PySide6.QtWidgets import QFrame, QLabel

from microlearn.domain.due_dates import DueStatus
from microlearn.domain.history import AttemptRecord, MissedQuestion
from microlearn.services.catalog import ModuleSummary
from microlearn.services.progress import ProgressReport
from microlearn.ui.due_card import due_words
from microlearn.ui.page import Page, card_frame, label, selectable
from microlearn.ui.status_text import status_word
from microlearn.ui.translation import args, local_date_time, number


def long_date(day: date) -> str:
    return QLocale().toString(QDate(day.year, day.month, day.day), QLocale.FormatType.LongFormat)


class ProgressPage(Page):
    def __init__(self) -> None:
        super().__init__(QCoreApplication.translate("ProgressPage", "Progress"))
        self.setAccessibleName(self.tr("Progress"))
        self.body.addWidget(label(self.tr("Loading your progress…"), "muted"))
        self.body.addStretch(1)
        self.minutes: QLabel | None = None
        self.module_frames: dict[str, QFrame] = {}

    def show_report(self, report: ProgressReport) -> None:
        self.clear_below_title()
        self.module_frames = {}
        minutes = report.minutes
        self.minutes = label(
            args(
                self.tr("Minutes learned: %1 this week · %2 this month"),
                self.tr("%n minute(s)", "", minutes.this_week),
                self.tr("%n minute(s)", "", minutes.this_month),
            ),
            "subtitle",
        )
        self.body.addWidget(self.minutes)
        for track in report.tracks:
            self.body.addWidget(label(track.title, "subtitle"))
            for module in track.modules:
                self._module(module, report)
        if not report.tracks:
            self.body.addWidget(label(self.tr("No learning content is installed yet."), "muted"))
        self.body.addStretch(1)

    def _module(self, module: ModuleSummary, report: ProgressReport) -> None:
        frame, box = card_frame()
        frame.setAccessibleName(module.title)
        box.addWidget(label(module.title, "subtitle"))
        state = report.programme.state_of(module.id)
        facts = [status_word(module.status)]
        if state is not None and report.programme.has_programme:
            if state.status is DueStatus.OPTIONAL:
                facts.append(self.tr("Optional for you"))
            elif state.status is DueStatus.DONE and state.done_on is not None:
                facts.append(args(self.tr("Done on %1"), long_date(state.done_on)))
                if state.valid_until is not None:
                    facts.append(args(self.tr("due again from %1"), long_date(state.valid_until)))
            else:
                when = due_words(state, report.programme.today)
                if when:
                    facts.append(when)
        box.addWidget(label(" · ".join(facts), "status"))
        attempts = report.attempts.get(module.id, ())
        if not attempts:
            box.addWidget(label(self.tr("No attempts yet."), "muted"))
        for attempt in attempts:
            box.addWidget(label(self._attempt_line(attempt)))
            for missed in attempt.missed:
                box.addWidget(selectable(label(self._missed_line(missed), "muted")))
        self.module_frames[module.id] = frame
        self.body.addWidget(frame)

    def _attempt_line(self, attempt: AttemptRecord) -> str:
        parts = [local_date_time(attempt.when) if attempt.when is not None else self.tr("Date not known")]
        percent = attempt.score_percent
        if percent is not None:
            parts.append(args(self.tr("score %1%"), number(percent)))
        if attempt.passed is True:
            parts.append(self.tr("passed"))
        elif attempt.passed is False:
            parts.append(self.tr("not passed"))
        elif not attempt.finished:
            parts.append(self.tr("not finished"))
        if attempt.seconds_spent is not None:
            parts.append(self.tr("%n minute(s) spent", "", max(1, round(attempt.seconds_spent / 60))))
        if attempt.restored:
            parts.append(self.tr("restored from the central record"))
        return " · ".join(parts)

    def _missed_line(self, missed: MissedQuestion) -> str:
        line = args(
            self.tr("Missed: %1 — you answered %2; the right answer is %3."),
            missed.prompt,
            ", ".join(missed.your_answer) or self.tr("nothing"),
            ", ".join(missed.right_answer),
        )
        if missed.explanation:
            line = args(self.tr("%1 Why: %2"), line, missed.explanation)
        return line
