"""Hypothesis strategies for fuzzing the content loader: one file of the sample tree rewritten.

A ``Mutation`` names a file of a copy of the sample tree (or a new one beside it) and what
it becomes: bytes (random, random text, random YAML shapes, a soup of YAML and Markdown
tokens, the real file with one field replaced), or something that is not an ordinary file
(a folder, a pipe, a link out of the tree or to a device, nothing at all). Shared by the
bounded fuzz test in the suite and the longer run in bench/fuzz_content.py.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml
from hypothesis import strategies as st

from microlearn.content.loader import load_catalog
from microlearn.content.problems import MAX_MESSAGE_CHARACTERS
from microlearn.content.stats import catalog_stats, render_table
from tests.support.content_samples import FIRST, SECOND, TRACK
from tests.support.locations import SAMPLE_CONTENT

TARGETS = (
    f"{TRACK}/track.yaml",
    f"{FIRST}/module.yaml",
    f"{FIRST}/questions.yaml",
    f"{FIRST}/01-welcome.md",
    f"{FIRST}/02-picture.md",
    f"{FIRST}/pic.png",
    f"{SECOND}/module.yaml",
    f"{SECOND}/01-start.md",
    f"{FIRST}/04-new-card.md",
    f"{FIRST}/new-picture.png",
    f"{TRACK}/new-module/module.yaml",
    "new-track/track.yaml",
)
KINDS = ("bytes",) * 12 + ("folder", "pipe", "link out", "link to a device", "missing")

FIELDS = (
    "id",
    "title",
    "kind",
    "options",
    "correct",
    "questions",
    "modules",
    "check",
    "draw",
    "minutes",
    "pass_mark",
    "review_by",
    "single",
    "true_false",
)
# What authors, editors and attackers put in YAML and Markdown, the hostile parts included.
TOKENS = (
    "\n",
    "  ",
    "    ",
    "- ",
    ": ",
    "? ",
    "#",
    "---",
    "...",
    "'",
    '"',
    "|",
    ">",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&a ",
    "*a",
    "&b ",
    "*b",
    "<<: *a",
    "!!set ",
    "!!float ",
    "!!int ",
    "!!bool ",
    "!!binary ",
    "!!timestamp ",
    "!!omap ",
    "!!python/object:os.system ",
    "!foo ",
    "%YAML 1.1\n",
    "%TAG ! x\n",
    "2027-02-30",
    "2026-13-01",
    "2026-11-01",
    "9" * 5000,
    "1e999",
    "-0",
    "0x1F",
    "0o17",
    "1_000",
    "true",
    "no",
    "null",
    "~",
    "\\ud800",
    "\t",
    "\r",
    "\x00",
    "\x01",
    "\x85",
    "\u2028",
    "\ufeff",
    "\udce9",
    "é",
    "\U0001f600",
    *FIELDS,
    "![",
    "](",
    ")",
    "(pic.png)",
    "(../x.png)",
    "(/dev/zero)",
    "(http://x/y.png)",
    "![a](",
    "a" * 300 + ".png",
    "**",
    "`",
    "<img src=x>",
)

_SAMPLE_MODULE = (SAMPLE_CONTENT / FIRST / "module.yaml").read_text(encoding="utf-8")
_SAMPLE_POOL = (SAMPLE_CONTENT / FIRST / "questions.yaml").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Mutation:
    target: str
    kind: str
    data: bytes = b""

    def apply(self, root: Path, outside: Path) -> None:
        """Rewrite ``target`` in the tree at ``root``; ``outside`` is a folder beside the tree."""
        path = root / self.target
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif os.path.lexists(path):
            path.unlink()
        if self.kind == "bytes":
            path.write_bytes(self.data)
        elif self.kind == "folder":
            path.mkdir()
        elif self.kind == "pipe":
            os.mkfifo(path)
        elif self.kind == "link out":
            secret = outside / "outside-the-tree"
            secret.write_bytes(self.data or b"title: outside\n")
            path.symlink_to(secret)
        elif self.kind == "link to a device":
            path.symlink_to("/dev/zero")
        # "missing": the file stays deleted


_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.dates()
    | st.sampled_from(TOKENS)
)
_values = st.recursive(
    _scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=8) | st.sampled_from(FIELDS), children, max_size=4)
    ),
    max_leaves=12,
)


def _dump(value: object) -> bytes:
    return yaml.safe_dump(value, allow_unicode=True).encode("utf-8", "surrogatepass")


_soup = st.lists(st.sampled_from(TOKENS) | st.text(max_size=6), max_size=40).map("".join)


@st.composite
def _one_field_replaced(draw: st.DrawFn) -> bytes:
    """The real module.yaml or pool with one line's value replaced: reaches the deeper checks."""
    text = draw(st.sampled_from((_SAMPLE_MODULE, _SAMPLE_POOL)))
    lines = text.split("\n")
    index = draw(st.integers(0, len(lines) - 1))
    key, _, _ = lines[index].partition(":")
    lines[index] = f"{key}: {draw(_soup)}"
    return "\n".join(lines).encode("utf-8", "surrogatepass")


@st.composite
def _card(draw: st.DrawFn) -> bytes:
    header = draw(st.sampled_from(("title: A card\n", "")) | _values.map(lambda v: _dump(v).decode()))
    body = draw(_soup)
    return f"---\n{header}---\n{body}\n".encode("utf-8", "surrogatepass")


def _encoded(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


file_data = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=200).map(_encoded),
    st.text(max_size=100).map(lambda t: t.encode("utf-16-le", "surrogatepass")),
    _values.map(_dump),
    _soup.map(_encoded),
    _one_field_replaced(),
    _card(),
)

mutations = st.builds(Mutation, target=st.sampled_from(TARGETS), kind=st.sampled_from(KINDS), data=file_data)


SECONDS_PER_INPUT = 5.0  # the bound for one hostile file; a checked input takes ~10 ms


def check_one(mutation: Mutation) -> None:
    """Load the sample tree with ``mutation`` applied; fail on anything but reported problems."""
    with tempfile.TemporaryDirectory() as scratch:
        root, outside = Path(scratch) / "content", Path(scratch) / "outside"
        shutil.copytree(SAMPLE_CONTENT, root)
        outside.mkdir()
        mutation.apply(root, outside)
        started = time.monotonic()
        result = load_catalog(root)
        if result.catalog is not None:
            render_table(catalog_stats(result.catalog))
        elapsed = time.monotonic() - started
        assert elapsed < SECONDS_PER_INPUT, f"{elapsed:.1f} s for {mutation!r:.300}"
        for problem in result.problems:
            assert problem.path == root.resolve() or root.resolve() in problem.path.parents, problem
            assert problem.line >= 1, problem.render()
            assert len(problem.message) <= MAX_MESSAGE_CHARACTERS
            problem.render(root).encode("utf-8")  # printable and storable
        assert (result.catalog is None) == bool(result.problems.errors)
