"""Library: every track and its modules, with minutes, status, version and review date."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QDate, QLocale, Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QProgressBar

from microlearn.ui.page import Page, focus_soon, label, module_card
from microlearn.ui.status_text import action_word, status_word
from microlearn.ui.translation import args

if TYPE_CHECKING:
    from microlearn.services.catalog import ModuleSummary, TrackSummary
    from microlearn.services.programme import ProgrammeView


class LibraryPage(Page):
    open_module = Signal(str)

    def __init__(self) -> None:
        super().__init__(QCoreApplication.translate("LibraryPage", "Library"))
        self.setAccessibleName(self.tr("Library"))
        self.body.addStretch(1)
        self._tracks: list[TrackSummary] = []
        self._programme: ProgrammeView | None = None
        self.required_only = False  # the "Required for me" filter, kept across refreshes
        self.required_filter: QCheckBox | None = None

    def show_tracks(self, tracks: list[TrackSummary], programme: ProgrammeView | None = None) -> None:
        """``programme``: the learner's, for due dates and the "Required for me" filter."""
        self._tracks, self._programme = tracks, programme
        self.clear_below_title()
        self.required_filter = None
        if not tracks:
            self.body.addWidget(label(self.tr("No learning content is installed yet."), "muted"))
        required = programme.required_ids if programme is not None else None
        if required is not None:
            self.required_filter = QCheckBox(self.tr("Required for me"))
            self.required_filter.setAccessibleName(self.tr("Show only what is required for me"))
            self.required_filter.setChecked(self.required_only)
            self.required_filter.toggled.connect(self._filter_toggled)
            self.body.addWidget(self.required_filter)
        for track in tracks:
            if required is not None:
                # The programme decides what is required of this learner, not the track's flag.
                track = replace(track, mandatory=any(m.id in required for m in track.modules))
            if self.required_only and required is not None:
                track = replace(track, modules=tuple(m for m in track.modules if m.id in required))
                if not track.modules:
                    continue
            self._track(track)
        self.body.addStretch(1)

    def _filter_toggled(self, checked: bool) -> None:
        self.required_only = checked
        self.show_tracks(self._tracks, self._programme)
        if self.required_filter is not None:
            focus_soon(self.required_filter)  # the page was rebuilt: stay on the filter

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
        state = self._programme.state_of(module.id) if self._programme is not None else None
        if state is not None and self._programme is not None and self._programme.has_programme:
            # Late, like Today's card: the programme's words come with the programme.
            from microlearn.ui.due_card import due_words

            when = due_words(state, self._programme.today)
            if when:
                facts.insert(0, when)
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
