"""Reading authored files safely: size limit, UTF-8, front matter."""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from microlearn.content.problems import ProblemList

# The files of the content format (docs/authoring.md): a track folder holds TRACK_FILE and
# module folders; a module folder holds MODULE_FILE, its cards (NN-*.md) and QUESTIONS_FILE.
TRACK_FILE = "track.yaml"
MODULE_FILE = "module.yaml"
QUESTIONS_FILE = "questions.yaml"
MAX_TEXT_BYTES = 512 * 1024
MAX_IMAGE_BYTES = 5 * 1024 * 1024
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".svg", ".gif", ".webp"}


# Characters that are invisible in an editor and that YAML refuses: C0 and C1 controls other
# than tab and line breaks, DEL, and the two non-characters U+FFFE and U+FFFF.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")
# Without a BOM, UTF-16 text in ASCII is valid UTF-8 with a NUL byte beside every character.
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_NONBLOCKING = getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def is_inside(path: Path, root: Path) -> bool:
    """Whether ``path``, with every link followed, is ``root`` or inside it."""
    try:
        real, top = os.path.realpath(path), os.path.realpath(root)
    except (OSError, ValueError):
        return False
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)


def read_bytes(path: Path, problems: ProblemList, limit: int, root: Path | None = None) -> bytes | None:
    """The bytes of an ordinary file of at most ``limit`` bytes, or None with the problem reported.

    Only regular files are read (a pipe would block forever, a link to /dev/zero would never
    end), never more than ``limit`` bytes, and only inside ``root`` when it is given.
    """
    if root is not None and not is_inside(path, root):
        problems.error(
            path,
            1,
            "is a link to a file outside the content folder, so it is not read; copy the file into the folder",
        )
        return None
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            problems.error(path, 1, _not_a_file(info.st_mode))
            return None
        if info.st_size > limit:
            problems.error(path, 1, _too_large(info.st_size, limit))
            return None
        # Opened without blocking and checked again, in case it was replaced since the stat.
        descriptor = os.open(path, os.O_RDONLY | _NONBLOCKING)
        with os.fdopen(descriptor, "rb") as stream:
            mode = os.fstat(stream.fileno()).st_mode
            if not stat.S_ISREG(mode):
                problems.error(path, 1, _not_a_file(mode))
                return None
            data = stream.read(limit + 1)
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        problems.error(path, 1, f"could not be read ({reason})")
        return None
    if len(data) > limit:
        problems.error(path, 1, _too_large(len(data), limit))
        return None
    return data


def _not_a_file(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "is a folder, but a file of this name is expected here; rename the folder"
    return "is not an ordinary file (it is a device, a pipe or a socket), so it is not read"


def _too_large(size: int, limit: int) -> str:
    return (
        f"is larger than {limit // 1024} KB ({size // 1024} KB); "
        "cards and question pools are far smaller, so this is probably the wrong file"
    )


def read_text(path: Path, problems: ProblemList, root: Path | None = None) -> str | None:
    data = read_bytes(path, problems, MAX_TEXT_BYTES, root)
    if data is None:
        return None
    if data.startswith(_UTF16_BOMS) or _looks_like_utf16(data):
        problems.error(path, 1, "is saved as UTF-16; save the file with UTF-8 encoding")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.error(path, line, "is not valid UTF-8; save the file with UTF-8 encoding")
        return None
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    invisible = _INVISIBLE.search(text)
    if invisible is not None:
        line = text.count("\n", 0, invisible.start()) + 1
        problems.error(
            path,
            line,
            f"contains the invisible control character U+{ord(invisible.group()):04X}; delete it "
            "(it often comes from copying text out of another program)",
        )
        return None
    return text


def _looks_like_utf16(data: bytes) -> bool:
    sample = data[:4096]
    if len(sample) < 2:
        return False
    even, odd = sample[0::2], sample[1::2]
    return even.count(0) > len(even) // 2 or odd.count(0) > len(odd) // 2


@dataclass(frozen=True)
class FrontMatter:
    header: str
    header_line: int  # line number of the first header line
    body: str
    body_line: int


def split_front_matter(path: Path, text: str, problems: ProblemList) -> FrontMatter | None:
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        problems.error(path, 1, "must start with a '---' line, then the card's title and check, then '---'")
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            body_lines = lines[index + 1 :]
            leading_blank = next((n for n, line in enumerate(body_lines) if line.strip()), len(body_lines))
            return FrontMatter(
                header="\n".join(lines[1:index]),
                header_line=2,
                body="\n".join(body_lines[leading_blank:]).rstrip("\n"),
                body_line=index + 2 + leading_blank,
            )
    problems.error(path, 1, "the header that starts with '---' is never closed by a second '---' line")
    return None


def fingerprint(root: Path) -> str:
    """A hash of every regular file under ``root``: the bundled content's version.

    Pipes, devices and links to them are skipped (reading them could block or never end),
    and files are hashed in chunks, so a stray large file costs time, never memory.
    """
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        try:
            if not stat.S_ISREG(path.stat().st_mode):
                continue
            descriptor = os.open(path, os.O_RDONLY | _NONBLOCKING)
            with os.fdopen(descriptor, "rb") as stream:
                if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
                    continue
                digest.update(os.fsencode(path.relative_to(root).as_posix()))
                digest.update(b"\0")
                while chunk := stream.read(1 << 20):
                    digest.update(chunk)
        except OSError:
            # An unreadable file still changes the fingerprint, so the checker runs and says why.
            digest.update(os.fsencode(path.relative_to(root).as_posix()) + b"\0unreadable")
        digest.update(b"\0")
    return digest.hexdigest()
