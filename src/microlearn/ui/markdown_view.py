"""A lesson card's Markdown, with its images, sized to its text so the page scrolls as one."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QImage, QResizeEvent, QTextDocument
from PySide6.QtWidgets import QSizePolicy, QTextBrowser, QWidget


class MarkdownView(QTextBrowser):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenExternalLinks(False)
        self.setOpenLinks(False)
        self.setVerticalScrollBarPolicy(self.verticalScrollBarPolicy().ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(self.horizontalScrollBarPolicy().ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().setDocumentMargin(0)

    def show_markdown(self, text: str, media: dict[str, bytes]) -> None:
        document = self.document()
        ratio = self.devicePixelRatioF()
        for name, data in media.items():
            image = QImage.fromData(data)
            if not image.isNull():
                image.setDevicePixelRatio(ratio if ratio > 1 else 1.0)
                document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), image)
        self.setMarkdown(text)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt naming)
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        self.document().setTextWidth(self.viewport().width())
        self.setFixedHeight(int(self.document().size().height()) + 8)
