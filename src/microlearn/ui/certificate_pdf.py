"""A track certificate as a PDF (QPdfWriter): A4 landscape, framed, the learner's name large,
the track, the date, each module with its version, its validity and the verification code."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QLocale, QMarginsF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPageLayout, QPageSize, QPainter, QPdfWriter, QPen

from microlearn.store.certificates import CertificateRecord
from microlearn.ui.translation import args, translate

INK = QColor("#1f2430")
ACCENT = QColor("#1a5fb4")  # the app's accent (ui/theme.py, light scheme)
MUTED = QColor("#5e6472")
GOLD = QColor("#b08d2e")
DPI = 300


def _date(day: date) -> str:
    return QLocale().toString(QDate(day.year, day.month, day.day), QLocale.FormatType.LongFormat)


def write_certificate(record: CertificateRecord, path: Path) -> Path:
    """Write ``record``'s certificate to ``path`` (0600, like every file the app writes)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    writer = QPdfWriter(str(path))
    writer.setResolution(DPI)
    writer.setTitle(args(translate("Certificate", "Certificate: %1"), record.track_title))
    writer.setCreator("Microlearn")
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Landscape, QMarginsF(0, 0, 0, 0)
        )
    )
    painter = QPainter(writer)
    try:
        _paint(painter, record, float(writer.width()), float(writer.height()))
    finally:
        painter.end()
    path.chmod(0o600)
    return path


def _font(points: float, bold: bool = False, italic: bool = False, serif: bool = True) -> QFont:
    font = QFont("DejaVu Serif" if serif else "DejaVu Sans")
    font.setPointSizeF(points)
    font.setBold(bold)
    font.setItalic(italic)
    return font


def _text(painter: QPainter, box: QRectF, text: str, font: QFont, color: QColor) -> float:
    """Centred, wrapped text in ``box``; returns the height it took."""
    painter.setFont(font)
    painter.setPen(color)
    flags = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap)
    used = painter.boundingRect(box, flags, text)
    painter.drawText(box, flags, text)
    return used.height()


def _paint(painter: QPainter, record: CertificateRecord, width: float, height: float) -> None:
    mm = DPI / 25.4
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.fillRect(QRectF(0, 0, width, height), QColor("#fbfaf6"))
    # A double frame: the accent outside, a thin gold rule inside.
    painter.setPen(QPen(ACCENT, 2.2 * mm))
    painter.drawRect(QRectF(9 * mm, 9 * mm, width - 18 * mm, height - 18 * mm))
    painter.setPen(QPen(GOLD, 0.5 * mm))
    painter.drawRect(QRectF(14 * mm, 14 * mm, width - 28 * mm, height - 28 * mm))

    left, inner = 30 * mm, width - 60 * mm
    y = 30 * mm

    def line(text: str, font: QFont, color: QColor, gap_mm: float) -> None:
        nonlocal y
        y += _text(painter, QRectF(left, y, inner, height - y), text, font, color) + gap_mm * mm

    line(translate("Certificate", "CERTIFICATE OF COMPLETION"), _font(13, bold=True, serif=False), ACCENT, 8)
    line(translate("Certificate", "This certifies that"), _font(14, italic=True), MUTED, 4)
    line(record.display_name, _font(34, bold=True), INK, 3)
    painter.setPen(QPen(GOLD, 0.4 * mm))
    painter.drawLine(int(width / 2 - 60 * mm), int(y), int(width / 2 + 60 * mm), int(y))
    y += 6 * mm
    line(
        translate("Certificate", "has completed every module of the learning track"),
        _font(14, italic=True),
        MUTED,
        3,
    )
    line(record.track_title, _font(24, bold=True), ACCENT, 4)
    line(
        args(translate("Certificate", "on %1"), _date(record.issued_at.date())),
        _font(13),
        INK,
        6,
    )
    y += 4 * mm
    line(translate("Certificate", "Modules completed"), _font(10, bold=True, serif=False), MUTED, 2)
    for _, title, version in record.modules:
        line(
            args(translate("Certificate", "%1 (version %2)"), title, version),
            _font(11.5, serif=False),
            INK,
            1.5,
        )
    y += 4 * mm
    if record.valid_until is not None:
        line(
            args(translate("Certificate", "Valid until %1"), _date(record.valid_until)),
            _font(12, bold=True, serif=False),
            INK,
            3,
        )
    # The verification code at the foot, with what to do with it.
    foot = height - 40 * mm
    _text(
        painter,
        QRectF(left, foot, inner, 12 * mm),
        args(translate("Certificate", "Verification code: %1"), record.verification_code),
        _font(13, bold=True, serif=False),
        INK,
    )
    _text(
        painter,
        QRectF(left, foot + 8 * mm, inner, 12 * mm),
        args(
            translate(
                "Certificate",
                "Your organisation can confirm this certificate in its learning record. Certificate %1",
            ),
            record.id,
        ),
        _font(8.5, serif=False),
        MUTED,
    )
