"""Library: every track and its modules, with minutes, status, version and review date."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QDate, QLocale, Signal
from PySide6.QtWidgets import QHBoxLayout, QProgressBar

from microlearn.ui.page import Page, label, module_card
from microlearn.ui.status_text import action_word, status_word
from microlearn.ui.translation import args

if TYPE_CHECKING:
    from microlearn.services.catalog import ModuleSummary, TrackSummary


class LibraryPage(Page):
    open_module = Signal(str)

    def __init__(self) -> None:
        super().__init__(QCoreApplication.translate("LibraryPage", "Library"))
        self.setAccessibleName(self.tr("Library"))
        self.body.addStretch(1)

    def show_tracks(self, tracks: list[TrackSummary]) -> None:
        self.clear_below_title()
        if not tracks:
            self.body.addWidget(label(self.tr("No learning content is installed yet."), "muted"))
        for track in tracks:
            self._track(track)
        self.body.addStretch(1)

    def _track(self, track: TrackSummary) -> None:
        heading = QHBoxLayout()
        heading.addWidget(label(track.title, "subtitle"), 1)
        audience = args(self.tr("For: %1"), track.audience)
        if track.mandatory:
            audience = args(self.tr("%1 · Required"), audience)
        heading.addWidget(label(audience, "status", wrap=False))
        self.body.addLayout(heading)
        if track.description:
            self.body.addWidget(label(track.description, "muted"))
        progress = QProgressBar()
        progress.setRange(0, max(len(track.modules), 1))
        progress.setValue(track.done_count)
        progress.setTextVisible(False)
        done = args(
            self.tr("%1 of %n module(s) done", "", len(track.modules)), QLocale().toString(track.done_count)
        )
        progress.setAccessibleName(args(self.tr("%1: %2"), track.title, done))
        self.body.addWidget(progress)
        self.body.addWidget(label(done, "muted"))
        for position, module in enumerate(track.modules, start=1):
            self._module(position, module)

    def _module(self, position: int, module: ModuleSummary) -> None:
        facts = [
            self.tr("%n minute(s)", "", module.minutes),
            args(self.tr("version %1"), module.version),
            args(
                self.tr("content due for review %1"),
                QLocale().toString(
                    QDate(module.review_by.year, module.review_by.month, module.review_by.day),
                    QLocale.FormatType.ShortFormat,
                ),
            ),
        ]
        if module.best_percent is not None:
            facts.insert(1, args(self.tr("best score %1%"), QLocale().toString(module.best_percent)))
        lines: list[tuple[str, str | None]] = [(module.summary, None)] if module.summary else []
        lines.append((" · ".join(facts), "muted"))
        frame, go = module_card(
            args(self.tr("%1. %2"), QLocale().toString(position), module.title),
            status_word(module.status),
            lines,
            action_word(module),
            module.title,
        )
        go.clicked.connect(lambda _=False, module_id=module.id: self.open_module.emit(module_id))
        self.body.addWidget(frame)
