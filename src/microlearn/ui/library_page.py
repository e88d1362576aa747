"""Library: every track and its modules, with minutes, status, version and review date."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QProgressBar

from microlearn.ui.page import Page, label, module_card
from microlearn.ui.status_text import STATUS_WORDS, action_word

if TYPE_CHECKING:
    from microlearn.services.catalog import ModuleSummary, TrackSummary


class LibraryPage(Page):
    open_module = Signal(str)

    def __init__(self) -> None:
        super().__init__("Library")
        self.setAccessibleName("Library")
        self.body.addStretch(1)

    def show_tracks(self, tracks: list[TrackSummary]) -> None:
        self.clear_below_title()
        if not tracks:
            self.body.addWidget(label("No learning content is installed yet.", "muted"))
        for track in tracks:
            self._track(track)
        self.body.addStretch(1)

    def _track(self, track: TrackSummary) -> None:
        heading = QHBoxLayout()
        heading.addWidget(label(track.title, "subtitle"), 1)
        audience = f"For: {track.audience}" + (" · Required" if track.mandatory else "")
        heading.addWidget(label(audience, "status", wrap=False))
        self.body.addLayout(heading)
        if track.description:
            self.body.addWidget(label(track.description, "muted"))
        progress = QProgressBar()
        progress.setRange(0, max(len(track.modules), 1))
        progress.setValue(track.done_count)
        progress.setTextVisible(False)
        progress.setAccessibleName(f"{track.title}: {track.done_count} of {len(track.modules)} modules done")
        self.body.addWidget(progress)
        self.body.addWidget(label(f"{track.done_count} of {len(track.modules)} modules done", "muted"))
        for position, module in enumerate(track.modules, start=1):
            self._module(position, module)

    def _module(self, position: int, module: ModuleSummary) -> None:
        facts = [
            f"{module.minutes} minutes",
            f"version {module.version}",
            f"content due for review {module.review_by:%d %b %Y}",
        ]
        if module.best_percent is not None:
            facts.insert(1, f"best score {module.best_percent}%")
        lines: list[tuple[str, str | None]] = [(module.summary, None)] if module.summary else []
        lines.append((" · ".join(facts), "muted"))
        frame, go = module_card(
            f"{position}. {module.title}",
            STATUS_WORDS[module.status],
            lines,
            action_word(module),
            module.title,
        )
        go.clicked.connect(lambda _=False, module_id=module.id: self.open_module.emit(module_id))
        self.body.addWidget(frame)
