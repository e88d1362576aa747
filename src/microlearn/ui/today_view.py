"""Today: continue where you stopped, what is required next, and an honest sync status."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QWidget

from microlearn.ui.page import Page, button, card_frame, label
from microlearn.ui.status_text import STATUS_WORDS, action_word, outbox_status, plural, where_you_stopped

if TYPE_CHECKING:
    from microlearn.services.catalog import ModuleSummary, TodayView


def greeting(now: datetime) -> str:
    if now.hour < 12:
        return "Good morning"
    if now.hour < 18:
        return "Good afternoon"
    return "Good evening"


class TodayPage(Page):
    open_module = Signal(str)
    show_library = Signal()

    def __init__(self) -> None:
        super().__init__("Today")
        self.setAccessibleName("Today")
        self.body.addWidget(label("Loading your learning…", "muted"))
        self.body.addStretch(1)
        self.first_button: QWidget | None = None

    def show_view(self, view: TodayView, notices: list[str]) -> None:
        self.clear_below_title()
        self.title.setText(f"{greeting(datetime.now())}")
        self.first_button = None
        for notice in notices:
            frame, box = card_frame()
            box.addWidget(label(notice))
            frame.setAccessibleName("Notice")
            self.body.addWidget(frame)
        if view.required_total:
            left = view.required_left
            summary = (
                "You have finished all your required modules. Well done!"
                if left == 0
                else f"{plural(left, 'required module')} left of {view.required_total}."
            )
            self.body.addWidget(label(summary, "subtitle"))
        if view.continue_module is not None:
            self.body.addWidget(label("Continue where you stopped", "subtitle"))
            self._module_card(view.continue_module, where_you_stopped(view.continue_module), primary=True)
        if view.in_progress:
            self.body.addWidget(label("Also in progress", "subtitle"))
            for module in view.in_progress:
                self._module_card(module, where_you_stopped(module))
        if view.up_next:
            self.body.addWidget(label("Up next", "subtitle"))
            for module in view.up_next:
                self._module_card(module, module.summary, primary=self.first_button is None)
        if view.continue_module is None and not view.in_progress and not view.up_next:
            self.body.addWidget(
                label("Nothing is waiting for you. You can review any module in the Library.")
            )
        browse = button("Browse the library", "Browse the library")
        browse.clicked.connect(self.show_library.emit)
        row = QHBoxLayout()
        row.addWidget(browse)
        row.addStretch(1)
        self.body.addLayout(row)
        self.sync_label = label(outbox_status(view.outbox), "muted")
        self.sync_label.setAccessibleName("Sync status")
        self.body.addWidget(self.sync_label)
        self.body.addStretch(1)

    def _module_card(self, module: ModuleSummary, detail: str, primary: bool = False) -> None:
        frame, box = card_frame()
        header = QHBoxLayout()
        header.addWidget(label(module.title, "subtitle"), 1)
        status = label(STATUS_WORDS[module.status], "status", wrap=False)
        header.addWidget(status)
        box.addLayout(header)
        facts = f"{module.minutes} minutes · {module.track_title}"
        if module.mandatory:
            facts += " · Required"
        box.addWidget(label(facts, "muted"))
        if detail:
            box.addWidget(label(detail))
        action = action_word(module)
        go = button(f"{action}", f"{action}: {module.title}", primary=primary)
        go.clicked.connect(lambda _=False, module_id=module.id: self.open_module.emit(module_id))
        row = QHBoxLayout()
        row.addWidget(go)
        row.addStretch(1)
        box.addLayout(row)
        frame.setAccessibleName(module.title)
        self.body.addWidget(frame)
        if self.first_button is None:
            self.first_button = go
