"""Content that once crashed, hung or fooled the checker, written into a copy of the sample tree.

Each breaker changes one thing and returns (file, line, phrase): the file (relative to the
tree) and line the checker must report, and a phrase its message must contain. Shared by
the unit tests, the fuzz test and bench/fuzz_content.py.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from tests.support.content_samples import FIRST, TRACK, line_of, replace

Breaker = Callable[[Path], tuple[str, int, str]]

MODULE = f"{FIRST}/module.yaml"
QUESTIONS = f"{FIRST}/questions.yaml"
CARD = f"{FIRST}/01-welcome.md"
PICTURE_CARD = f"{FIRST}/02-picture.md"
LAST_CARD = f"{FIRST}/03-wrap-up.md"


def _in_module(old: str, new: str, marker: str, phrase: str) -> Breaker:
    """Replace ``old`` in module.yaml; the problem is on the line holding ``marker``."""

    def breaker(root: Path) -> tuple[str, int, str]:
        path = root / MODULE
        replace(path, old, new)
        return MODULE, line_of(path, marker), phrase

    return breaker


def _card_title(title: str, phrase: str) -> Breaker:
    def breaker(root: Path) -> tuple[str, int, str]:
        path = root / CARD
        replace(path, "title: Welcome", f"title: {title}")
        return CARD, line_of(path, "title:"), phrase

    return breaker


def _control_character_in_card(root: Path) -> tuple[str, int, str]:
    path = root / CARD
    replace(path, "first card", "first\x00card")
    return CARD, line_of(path, "first\x00card"), "U+0000"


def _utf16(encoding: str) -> Breaker:
    def breaker(root: Path) -> tuple[str, int, str]:
        path = root / QUESTIONS
        path.write_bytes(path.read_text(encoding="utf-8").encode(encoding))
        return QUESTIONS, 1, "UTF-16"

    return breaker


def _nested_block_lists(root: Path) -> tuple[str, int, str]:
    path = root / MODULE
    nested = "".join(" " * (2 * depth) + "-\n" for depth in range(400))
    replace(path, "minutes: 5\n", f"minutes:\n{nested}")
    # The problem is where nesting passes the limit, somewhere inside the block.
    return MODULE, -1, "nested more than"


def _folder_named_like_a_card(root: Path) -> tuple[str, int, str]:
    (root / FIRST / "08-x.md").mkdir()
    return f"{FIRST}/08-x.md", 1, "is a folder"


def _folder_named_like_the_pool(root: Path) -> tuple[str, int, str]:
    (root / QUESTIONS).unlink()
    (root / QUESTIONS).mkdir()
    return QUESTIONS, 1, "is a folder"


def _name_not_utf8(root: Path) -> tuple[str, int, str]:
    name = os.fsdecode(b"04-caf\xe9.md")
    (root / FIRST / name).write_text((root / LAST_CARD).read_text(encoding="utf-8"), encoding="utf-8")
    return f"{FIRST}/{name}", 1, "not valid UTF-8"


def _long_image_name(root: Path) -> tuple[str, int, str]:
    path = root / PICTURE_CARD
    replace(path, "(pic.png)", f"({'a' * 300}.png)")
    return PICTURE_CARD, line_of(path, "aaaa.png"), "longer than 255 characters"


CRASHERS: dict[str, Breaker] = {
    "impossible review_by 2027-02-30": _in_module(
        "review_by: 2027-02-01", "review_by: 2027-02-30", "review_by:", "'2027-02-30' is not a real date"
    ),
    "impossible month 2026-13-01": _in_module(
        "reviewed: 2026-11-01", "reviewed: 2026-13-01", "reviewed:", "'2026-13-01' is not a real date"
    ),
    "impossible date as a card title": _card_title("2027-02-30", "is not a real date"),
    "number of 5,000 digits": _in_module("minutes: 5", "minutes: " + "9" * 5000, "minutes:", "5,000 digits"),
    "number of 5,000 digits as a card title": _card_title("9" * 5000, "5,000 digits"),
    "!!float x": _in_module("minutes: 5", "minutes: !!float x", "minutes:", "'x' is not a number"),
    "!!int x": _in_module("minutes: 5", "minutes: !!int x", "minutes:", "'x' is not a number"),
    "!!bool x": _in_module("minutes: 5", "minutes: !!bool x", "minutes:", "not true or false"),
    "!!timestamp x": _in_module("minutes: 5", "minutes: !!timestamp x", "minutes:", "not a real date"),
    "!!binary": _in_module("minutes: 5", "minutes: !!binary AAAA", "minutes:", "!!binary"),
    "!!set where a list is expected": _in_module(
        "objectives:\n", "objectives: !!set\n  ? one\nxobjectives:\n", "objectives: !!set", "!!set"
    ),
    "!!omap": _in_module("minutes: 5", "minutes: !!omap [a: 1]", "minutes:", "!!omap"),
    "control character": _in_module("minutes: 5", "minutes: 5\x01", "minutes:", "U+0001"),
    "NUL in a card's text": _control_character_in_card,
    "half a character (\\ud800)": _in_module(
        "summary: A short module", 'summary: "\\ud800" #', "summary:", "half of a character"
    ),
    "UTF-16 without a BOM": _utf16("utf-16-le"),
    "UTF-16 big-endian without a BOM": _utf16("utf-16-be"),
    "UTF-16 with a BOM": _utf16("utf-16"),
    "400 levels of [": _in_module("minutes: 5", "minutes: " + "[" * 400 + "]" * 400, "minutes:", "nested"),
    "400 levels of {": _in_module(
        "minutes: 5", "minutes: " + "{a: " * 400 + "1" + "}" * 400, "minutes:", "nested"
    ),
    "400 levels of block lists": _nested_block_lists,
    "a key given twice": _in_module("draw: 3", "draw: 3\ndraw: 4", "draw: 4", "'draw' is given twice"),
    "a folder named like a card": _folder_named_like_a_card,
    "a folder named questions.yaml": _folder_named_like_the_pool,
    "a file name that is not UTF-8": _name_not_utf8,
    "a 300-character image name": _long_image_name,
}


# -- hangs and memory -------------------------------------------------------------------------


def alias_bomb(levels: int = 9, width: int = 9) -> str:
    """About 1 KB of YAML whose last anchor ``*a{levels - 1}`` expands to width**levels values."""
    lines = ["x_a0: &a0 [lol]"]
    for level in range(1, levels):
        lines.append(f"x_a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def _fifo_card(root: Path) -> tuple[str, int, str]:
    os.mkfifo(root / FIRST / "04-pipe.md")
    return f"{FIRST}/04-pipe.md", 1, "not an ordinary file"


def _device_card(root: Path) -> tuple[str, int, str]:
    (root / FIRST / "04-zero.md").symlink_to("/dev/zero")
    return f"{FIRST}/04-zero.md", 1, "not read"


def _device_pool(root: Path) -> tuple[str, int, str]:
    (root / QUESTIONS).unlink()
    (root / QUESTIONS).symlink_to("/dev/zero")
    return QUESTIONS, 1, "not read"


def _bomb_as(field: str, in_track: bool = False) -> Breaker:
    def breaker(root: Path) -> tuple[str, int, str]:
        file = f"{TRACK}/track.yaml" if in_track else MODULE
        path = root / file
        text = path.read_text(encoding="utf-8")
        if f"\n{field}:" in text or text.startswith(f"{field}:"):
            lines = [line for line in text.split("\n") if not line.startswith(f"{field}:")]
            text = "\n".join(lines)
        path.write_text(alias_bomb() + text + f"\n{field}: *a8\n", encoding="utf-8")
        return file, -1, "aliases (*name) repeat more than"

    return breaker


def _bomb_as_key(root: Path) -> tuple[str, int, str]:
    path = root / MODULE
    path.write_text(alias_bomb() + path.read_text(encoding="utf-8") + "? *a8\n: 1\n", encoding="utf-8")
    return MODULE, -1, "aliases (*name) repeat more than"


def _image_marks(root: Path) -> tuple[str, int, str]:
    path = root / LAST_CARD
    path.write_text(path.read_text(encoding="utf-8") + "\n\n" + "![" * 150_000 + "\n", encoding="utf-8")
    # Not a problem: text that only looks like the start of pictures. It must just be quick.
    return LAST_CARD, 0, ""


def _link_marks(root: Path) -> tuple[str, int, str]:
    path = root / LAST_CARD
    path.write_text(path.read_text(encoding="utf-8") + "\n\n" + "[](" * 150_000 + "\n", encoding="utf-8")
    return LAST_CARD, 0, ""


HANGERS: dict[str, Breaker] = {
    "a card that is a pipe": _fifo_card,
    "a card linked to /dev/zero": _device_card,
    "a question pool linked to /dev/zero": _device_pool,
    "an alias bomb as a number": _bomb_as("minutes"),
    "an alias bomb as a date": _bomb_as("review_by"),
    "an alias bomb as a boolean": _bomb_as("mandatory", in_track=True),
    "an alias bomb as a key": _bomb_as_key,
    "'![' 150,000 times": _image_marks,
    "'[](' 150,000 times": _link_marks,
}
