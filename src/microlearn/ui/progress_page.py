"""Progress: per track and module, where it stands and by when, every attempt (date, score,
time spent, the questions missed and why), the minutes learned, and the certificates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDate, QLocale, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QFrame, QHBoxLayout, QLabel, QPushButton

from microlearn.domain.due_dates import DueStatus
from microlearn.domain.history import AttemptRecord, MissedQuestion
from microlearn.services.catalog import ModuleSummary
from microlearn.services.progress import ProgressReport
from microlearn.store.certificates import CertificateRecord
from microlearn.ui.certificate_pdf import write_certificate
from microlearn.ui.due_card import due_words
from microlearn.ui.page import Page, button, card_frame, label, selectable
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
        self.certificate_folder: Path | None = None  # where "Open" writes the PDF (the data folder)
        self.certificate_buttons: dict[str, tuple[QPushButton, QPushButton]] = {}  # by id: open, save
        self.opened: list[Path] = []  # the PDFs "Open" wrote, newest last

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
        self.certificate_buttons = {}
        self.body.addWidget(label(self.tr("Certificates"), "subtitle"))
        if not report.certificates:
            self.body.addWidget(
                label(
                    self.tr("When you finish every module of a track, its certificate appears here."), "muted"
                )
            )
        for certificate in report.certificates:
            self._certificate(certificate, report.programme.today)
        for track in report.tracks:
            self.body.addWidget(label(track.title, "subtitle"))
            for module in track.modules:
                self._module(module, report)
        if not report.tracks:
            self.body.addWidget(label(self.tr("No learning content is installed yet."), "muted"))
        self.body.addStretch(1)

    def _certificate(self, certificate: CertificateRecord, today: date) -> None:
        frame, box = card_frame()
        frame.setAccessibleName(args(self.tr("Certificate: %1"), certificate.track_title))
        box.addWidget(label(certificate.track_title, "subtitle"))
        facts = [args(self.tr("Given on %1"), long_date(certificate.issued_at.date()))]
        if certificate.valid_until is not None:
            template = (
                self.tr("valid until %1") if certificate.valid_until > today else self.tr("lapsed on %1")
            )
            facts.append(args(template, long_date(certificate.valid_until)))
        facts.append(args(self.tr("verification code %1"), certificate.verification_code))
        box.addWidget(selectable(label(" · ".join(facts), "muted")))
        open_button = button(
            self.tr("Open"), args(self.tr("Open the certificate: %1"), certificate.track_title)
        )
        save_button = button(
            self.tr("Save a copy…"),
            args(self.tr("Save a copy of the certificate: %1"), certificate.track_title),
        )
        open_button.clicked.connect(lambda _=False, c=certificate: self.open_certificate(c))
        save_button.clicked.connect(lambda _=False, c=certificate: self._ask_where_to_save(c))
        row = QHBoxLayout()
        row.addWidget(open_button)
        row.addWidget(save_button)
        row.addStretch(1)
        box.addLayout(row)
        self.certificate_buttons[certificate.id] = (open_button, save_button)
        self.body.addWidget(frame)

    @staticmethod
    def file_name(certificate: CertificateRecord) -> str:
        return f"certificate-{certificate.track_id}-{certificate.issued_at.date().isoformat()}.pdf"

    def open_certificate(self, certificate: CertificateRecord) -> Path | None:
        if self.certificate_folder is None:
            return None
        path = write_certificate(certificate, self.certificate_folder / self.file_name(certificate))
        self.opened.append(path)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        return path

    def _ask_where_to_save(self, certificate: CertificateRecord) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save the certificate"),
            str(Path.home() / self.file_name(certificate)),
            self.tr("PDF documents (*.pdf)"),
        )
        if chosen:
            self.save_certificate(certificate, Path(chosen))

    def save_certificate(self, certificate: CertificateRecord, path: Path) -> Path:
        return write_certificate(certificate, path)

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
