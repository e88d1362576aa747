"""About: version, who the record names, where data lives, and the content installed."""

from __future__ import annotations

import platform
from typing import TYPE_CHECKING

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QFormLayout, QWidget

from microlearn import APP_DISPLAY_NAME, __version__
from microlearn.ui.page import Page, card_frame, clear_layout, label, selectable
from microlearn.ui.translation import args

if TYPE_CHECKING:
    from microlearn.services.catalog import OutboxCounts
    from microlearn.services.startup import AppServices


class AboutPage(Page):
    def __init__(self) -> None:
        super().__init__(args(QCoreApplication.translate("AboutPage", "About %1"), APP_DISPLAY_NAME))
        self.setAccessibleName(self.tr("About"))
        self.frame, self.box = card_frame()
        self.body.addWidget(self.frame)
        self.body.addStretch(1)

    def show_facts(self, services: AppServices, counts: OutboxCounts, content_modules: int) -> None:

        config = services.config
        form = QFormLayout()
        facts = (
            (
                self.tr("Version"),
                args(
                    self.tr("%1 %2 (Qt for Python %3, Python %4, %5)"),
                    APP_DISPLAY_NAME,
                    __version__,
                    pyside_version,
                    platform.python_version(),
                    platform.system(),
                ),
            ),
            (self.tr("Recorded as"), args(self.tr("%1 at %2"), config.learner_name, config.home_page)),
            (
                self.tr("Identity comes from"),
                self.tr("the computer's sign-in name")
                if config.get("identity.source") == "os_user"
                else self.tr("your organisation's settings"),
            ),
            (self.tr("Learning content"), self.tr("%n module(s) installed", "", content_modules)),
            (
                self.tr("Results"),
                args(
                    self.tr("%1 waiting to sync, %2 synced"),
                    QLocale().toString(counts.pending),
                    QLocale().toString(counts.sent),
                ),
            ),
            (self.tr("Learning data folder"), str(services.paths.data_dir)),
            (self.tr("Log folder"), str(services.paths.log_dir)),
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
