"""What a content folder holds on disk: its tracks, module folders, file names and pictures.

Everything here looks at the file system defensively: a folder that cannot be listed, a
name that is not UTF-8, a picture that is a link out of its folder, a pipe or a device is
reported or skipped, never read and never a crash.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from microlearn.content.problems import ProblemList
from microlearn.content.source_files import (
    IMAGE_SUFFIXES,
    MAX_IMAGE_BYTES,
    MODULE_FILE,
    QUESTIONS_FILE,
    TRACK_FILE,
    is_inside,
    read_bytes,
)

# The alt text holds no brackets and the target no parentheses, so each '![' is matched in
# time bounded by the next bracket: '![' repeated 150,000 times is one linear pass.
IMAGE_LINK = re.compile(r"!\[(?P<alt>[^\[\]\n]*)\]\((?P<target>[^()\s]+)(?:\s+\"[^\"\n]*\")?\)")
# Longer image names than this cannot be a file on any system we run on.
MAX_IMAGE_NAME = 255


def entries(folder: Path, problems: ProblemList) -> list[Path]:
    try:
        return list(folder.iterdir())
    except OSError as exc:
        problems.error(folder, 1, f"the folder could not be read ({exc.strerror or exc})")
        return []


def is_folder(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def is_module_folder(folder: Path) -> bool:
    """A module folder, even one whose module.yaml is missing or being saved just now."""
    try:
        if (folder / MODULE_FILE).is_file():
            return True
        if (folder / TRACK_FILE).is_file() or any((p / TRACK_FILE).is_file() for p in folder.iterdir()):
            return False
        return (folder / QUESTIONS_FILE).is_file() or any(folder.glob("*.md"))
    except OSError:
        return False


def is_track_folder(folder: Path) -> bool:
    """A track folder, even one whose track.yaml is missing: it has one, or holds module folders."""
    if folder.name.startswith(".") or not is_folder(folder):
        return False
    if os.path.lexists(folder / TRACK_FILE):
        return True
    try:
        return any(is_folder(p) and is_module_folder(p) for p in folder.iterdir())
    except OSError:
        return False


def check_names(root: Path, problems: ProblemList) -> None:
    """Every file and folder name must be text: it becomes an id, a picture name, a message."""
    for folder, folder_names, file_names in os.walk(root):
        for name in (*folder_names, *file_names):
            try:
                name.encode("utf-8")
            except UnicodeEncodeError:
                problems.error(
                    Path(folder) / name,
                    1,
                    "this name is not valid UTF-8 (the unreadable part shows as \ufffd); rename it",
                )
        folder_names[:] = [n for n in folder_names if not n.startswith(".")]


def image_problem(module_dir: Path, target: str) -> str | None:
    """What is wrong with the picture a card shows as ``target``, or None."""
    shown = target if len(target) <= 60 else target[:60] + "…"
    if target.startswith(("http://", "https://")):
        return (
            f"image '{shown}' is on the internet; the app works offline, so put the file in the module folder"
        )
    if len(target) > MAX_IMAGE_NAME:
        return (
            f"image name '{shown}' is longer than {MAX_IMAGE_NAME} characters; give the file a shorter name"
        )
    image = module_dir / target
    lexically_inside = os.path.normpath(image).startswith(os.path.normpath(module_dir) + os.sep)
    try:
        if not is_inside(image, module_dir):
            if lexically_inside and os.path.lexists(image):
                return (
                    f"image '{shown}' is a link to a file outside the module folder, so it is not read; "
                    f"copy the file into {module_dir.name}/"
                )
            return f"image not found: '{shown}' (put it in {module_dir.name}/)"
        info = image.stat()
    except (OSError, ValueError):
        return f"image not found: '{shown}' (put it in {module_dir.name}/)"
    if not stat.S_ISREG(info.st_mode):
        return f"image '{shown}' is not an ordinary file (a folder, a device or a pipe); use a picture file"
    if image.suffix.lower() not in IMAGE_SUFFIXES:
        return f"image '{shown}' is not a PNG, JPEG, SVG, GIF or WebP file"
    if info.st_size > MAX_IMAGE_BYTES:
        return f"image '{shown}' is larger than 5 MB; make it smaller"
    return None


def module_media(module_dir: Path) -> dict[str, bytes]:
    """The module's pictures: ordinary files inside the folder only (a link out is never read)."""
    media: dict[str, bytes] = {}
    ignored = ProblemList()  # a picture a card shows was checked already; others are not installed
    for path in sorted(entries(module_dir, ignored)):
        if path.suffix.lower() in IMAGE_SUFFIXES and is_inside(path, module_dir):
            data = read_bytes(path, ignored, MAX_IMAGE_BYTES)
            if data is not None:
                media[path.name] = data
    return media
