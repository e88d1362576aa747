"""About: version, who the record names, where data lives, and the content installed."""

from __future__ import annotations

import platform
from typing import TYPE_CHECKING

from PySide6 import __version__ as pyside_version
from PySide6.QtWidgets import QFormLayout, QWidget

from microlearn import APP_DISPLAY_NAME, __version__
from microlearn.ui.page import Page, card_frame, clear_layout, label, selectable

if TYPE_CHECKING:
    from microlearn.services.catalog import OutboxCounts
    from microlearn.services.startup import AppServices


class AboutPage(Page):
    def __init__(self) -> None:
        super().__init__(f"About {APP_DISPLAY_NAME}")
        self.setAccessibleName("About")
        self.frame, self.box = card_frame()
        self.body.addWidget(self.frame)
        self.body.addStretch(1)

    def show_facts(self, services: AppServices, counts: OutboxCounts, content_modules: int) -> None:

        config = services.config
        form = QFormLayout()
        facts = (
            (
                "Version",
                f"{APP_DISPLAY_NAME} {__version__} (Qt for Python {pyside_version}, "
                f"Python {platform.python_version()}, {platform.system()})",
            ),
            ("Recorded as", f"{config.learner_name} at {config.home_page}"),
            (
                "Identity comes from",
                "the computer's sign-in name"
                if config.get("identity.source") == "os_user"
                else "your organisation's settings",
            ),
            ("Learning content", f"{content_modules} modules installed"),
            ("Results", f"{counts.pending} waiting to sync, {counts.sent} synced"),
            ("Learning data folder", str(services.paths.data_dir)),
            ("Log folder", str(services.paths.log_dir)),
        )
        holder = QWidget()
        holder.setLayout(form)
        for caption, value in facts:
            # Read as its value; the caption beside it labels it (and describes it).
            shown = selectable(label(value))
            shown.setAccessibleDescription(caption)
            form.addRow(caption, shown)
        clear_layout(self.box)
        self.box.addWidget(holder)
