"""Generate the app icons from microlearn.svg: PNGs for Linux, an ICO for Windows, an ICNS for macOS.

Run it after changing the SVG (the generated files are committed, so a build never needs it):
    python resources/icons/make_icons.py
Needs only PySide6 (QtSvg renders the SVG); it runs headless on the offscreen platform.
The ICO and ICNS containers hold PNG images, which Windows Vista+ and macOS 10.7+ read.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "src"))
from microlearn import APP_NAME  # noqa: E402  (the icon is named after the app, like the spec expects)

PNG_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)  # hicolor sizes a desktop looks for
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS element types holding PNG data, by pixel size (Apple's "icns" format; @2x variants share sizes).
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"ic11", 32),
    (b"icp6", 64),
    (b"ic12", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic13", 256),
    (b"ic09", 512),
    (b"ic14", 512),
    (b"ic10", 1024),
)


def render(svg: Path, size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def ico(images: dict[int, bytes]) -> bytes:
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    directory, blobs = b"", b""
    for size, png in sorted(images.items()):
        side = 0 if size >= 256 else size  # 0 means 256 in an ICO directory
        directory += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset + len(blobs))
        blobs += png
    return header + directory + blobs


def icns(images: dict[int, bytes]) -> bytes:
    body = b"".join(
        kind + struct.pack(">I", 8 + len(images[size])) + images[size] for kind, size in ICNS_TYPES
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication(sys.argv[:1])  # noqa: F841 (QImage text and SVG need an application)
    svg = HERE / f"{APP_NAME}.svg"
    sizes = sorted(set(PNG_SIZES) | set(ICO_SIZES) | {size for _, size in ICNS_TYPES})
    rendered = {size: render(svg, size) for size in sizes}
    for size in PNG_SIZES:
        (HERE / f"{APP_NAME}-{size}.png").write_bytes(rendered[size])
    (HERE / f"{APP_NAME}.ico").write_bytes(ico({s: rendered[s] for s in ICO_SIZES}))
    (HERE / f"{APP_NAME}.icns").write_bytes(icns(rendered))
    print(f"wrote {len(PNG_SIZES)} PNGs, {APP_NAME}.ico and {APP_NAME}.icns in {HERE.name}/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
