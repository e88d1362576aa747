"""Reading authored files safely: size limit, UTF-8, front matter."""

from __future__ import annotations

import hashlib
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


def read_text(path: Path, problems: ProblemList) -> str | None:
    try:
        size = path.stat().st_size
    except OSError as exc:
        problems.error(path, 1, f"could not be read ({exc.strerror})")
        return None
    if size > MAX_TEXT_BYTES:
        problems.error(
            path,
            1,
            f"is larger than {MAX_TEXT_BYTES // 1024} KB ({size // 1024} KB); "
            "cards and question pools are far smaller, so this is probably the wrong file",
        )
        return None
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.error(path, line, "is not valid UTF-8; save the file with UTF-8 encoding")
        return None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n")


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
    """A hash of every file under ``root``: the bundled content's version."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()
