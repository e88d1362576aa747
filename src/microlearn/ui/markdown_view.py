"""A lesson card's Markdown, with its images, sized to its text so the page scrolls as one.

Pictures are drawn for the screen they are on, so they stay sharp at 100–200 % scaling: a
raster image is resampled once to the size it takes on screen times the device pixel ratio,
and an SVG is rendered by QtSvg at exactly that size. No picture grows wider than the text.
A file named like ``chart@2x.png`` is taken as drawn at twice the size it should appear.
The pictures' descriptions (their alt text) become the card text's accessible description.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from PySide6.QtCore import QByteArray, QEvent, QSize, QSizeF, Qt, QUrl
from PySide6.QtGui import QImage, QPainter, QResizeEvent, QTextDocument, QTextFormat, QTextImageFormat
from PySide6.QtWidgets import QSizePolicy, QTextBrowser, QWidget

try:  # part of PySide6-Essentials; kept optional so a trimmed bundle still shows raster images
    from PySide6.QtSvg import QSvgRenderer

    HAVE_SVG = True
except ImportError:  # pragma: no cover - depends on how Qt was packaged
    HAVE_SVG = False

_DRAWN_AT = re.compile(r"@([23])x\.[A-Za-z]+$")
_IMAGE_LINK = re.compile(r"!\[([^\]]*)\]\(")


def _natural_size(name: str, size: QSize) -> QSizeF:
    """The size a picture is meant to appear at, in device-independent pixels."""
    match = _DRAWN_AT.search(name)
    scale = int(match.group(1)) if match else 1
    return QSizeF(size.width() / scale, size.height() / scale)


class Picture:
    """A picture decoded once; :meth:`draw` gives it for one text width and screen scale."""

    def __init__(self, source: QImage | QSvgRenderer, natural: QSizeF) -> None:
        self._source = source
        self._natural = natural  # device-independent pixels

    @classmethod
    def decode(cls, name: str, data: bytes) -> Picture | None:
        if name.lower().endswith(".svg"):
            if not HAVE_SVG:
                return None
            renderer = QSvgRenderer(QByteArray(data))
            if not renderer.isValid():
                return None
            picture = cls(renderer, QSizeF(renderer.defaultSize()))
        else:
            image = QImage.fromData(data)
            if image.isNull():
                return None
            picture = cls(image, _natural_size(name, image.size()))
        return None if picture._natural.isEmpty() else picture

    def device_size(self, max_width: float, ratio: float) -> QSize:
        """Its size in device pixels: natural, or narrowed to ``max_width``, times ``ratio``."""
        natural = self._natural
        if max_width > 0 and natural.width() > max_width:
            natural = QSizeF(max_width, natural.height() * max_width / natural.width())
        return QSize(max(1, round(natural.width() * ratio)), max(1, round(natural.height() * ratio)))

    def draw(self, max_width: float, ratio: float) -> QImage:
        device = self.device_size(max_width, ratio)
        source = self._source
        if isinstance(source, QImage):
            if source.size() != device:
                picture = source.scaled(
                    device, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation
                )
            else:
                picture = source.copy()
        else:
            picture = QImage(device, QImage.Format.Format_ARGB32_Premultiplied)
            picture.fill(Qt.GlobalColor.transparent)
            painter = QPainter(picture)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            source.render(painter)
            painter.end()
        picture.setDevicePixelRatio(ratio)
        return picture


def render_picture(name: str, data: bytes, max_width: float, ratio: float) -> QImage | None:
    """The picture ``name`` drawn for a screen with this device pixel ratio, at most ``max_width`` wide."""
    picture = Picture.decode(name, data)
    return None if picture is None else picture.draw(max_width, ratio)


def image_formats(document: QTextDocument) -> Iterator[QTextImageFormat]:
    """Every picture in the document, in reading order."""
    block = document.begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            text_format = fragments.fragment().charFormat()
            if text_format.isImageFormat():
                yield text_format.toImageFormat()
            fragments += 1
        block = block.next()


def picture_descriptions(document: QTextDocument, markdown: str) -> list[str]:
    """The alt text of every picture in the document, in reading order."""
    alt_property = getattr(QTextFormat.Property, "ImageAltText", None)
    if alt_property is None:  # Qt before 6.8 keeps no alt text on the image format
        return [alt.strip() for alt in _IMAGE_LINK.findall(markdown) if alt.strip()]
    alts = (str(image.property(alt_property) or "").strip() for image in image_formats(document))
    return [alt for alt in alts if alt]


class MarkdownView(QTextBrowser):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenExternalLinks(False)
        self.setOpenLinks(False)
        self.setVerticalScrollBarPolicy(self.verticalScrollBarPolicy().ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(self.horizontalScrollBarPolicy().ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().setDocumentMargin(0)
        self._media: dict[str, bytes] = {}
        self._pictures: dict[str, Picture | None] = {}  # picture name → decoded (None: unusable)
        self._drawn: dict[str, QSize] = {}  # picture name → the device size it was last drawn at

    def show_markdown(self, text: str, media: dict[str, bytes]) -> None:
        self._media = media
        self._pictures = {}
        self._drawn = {}
        self.setMarkdown(text)  # this clears the document's resources: pictures are added after
        descriptions = picture_descriptions(self.document(), text)
        said = self.tr("Picture(s): %1", "", len(descriptions)).replace("%1", "; ".join(descriptions))
        self.setAccessibleDescription(said if descriptions else "")
        self._fit()

    def _picture(self, name: str) -> Picture | None:
        """Decoded once per card: a resize only draws it again, and only at a new size."""
        if name not in self._pictures:
            data = self._media.get(name) or self._media.get(name.rsplit("/", 1)[-1])
            self._pictures[name] = Picture.decode(name, data) if data else None
        return self._pictures[name]

    def _draw_pictures(self, width: float) -> bool:
        """(Re)draw each picture whose size on the device changed; True when any did."""
        ratio = self.devicePixelRatioF()
        changed = False
        for name in dict.fromkeys(image.name() for image in image_formats(self.document())):
            picture = self._picture(name)
            if picture is None or self._drawn.get(name) == picture.device_size(width, ratio):
                continue
            drawn = picture.draw(width, ratio)
            self._drawn[name] = drawn.size()
            self.document().addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), drawn)
            changed = True
        return changed

    def loadResource(self, kind: int, name: QUrl | str) -> object:  # noqa: N802 (Qt naming)
        # Asked while the document lays out, before _draw_pictures ran: never look on disk.
        if kind == QTextDocument.ResourceType.ImageResource.value:
            picture = self._picture(name.toString() if isinstance(name, QUrl) else name)
            if picture is not None:
                return picture.draw(self.viewport().width(), self.devicePixelRatioF())
            return QImage()
        return super().loadResource(kind, name)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt naming)
        super().resizeEvent(event)
        self._fit()

    def event(self, event: QEvent) -> bool:
        # Moved to a screen with another scale: draw the pictures again for it.
        if event.type() == getattr(QEvent.Type, "DevicePixelRatioChange", None):
            self._drawn = {}
            self._fit()
        return super().event(event)

    def _fit(self) -> None:
        document = self.document()
        width = self.viewport().width()
        document.setTextWidth(width)
        if self._media and self._draw_pictures(width):
            document.markContentsDirty(0, document.characterCount())
        self.setFixedHeight(int(document.size().height()) + 8)
