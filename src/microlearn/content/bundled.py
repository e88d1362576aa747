"""Where the content shipped with the app lives, and how a start knows its version cheaply.

Hashing every file of the content on every start (``source_files.fingerprint``) costs more
the more content there is. A manifest says the version instead:

- the build writes one next to the compiled content (``compiled/manifest.json``, see
  store/seed.py): inside a frozen bundle nothing can change the files, so it is trusted
  as it is; from a source tree it counts only while the tree's signature still matches;
- after an install, the store keeps the source tree's signature with its fingerprint
  (services/content_install.py), so the next start compares file sizes and times
  instead of reading the files.

The signature covers every file's path, size and modification time: editing, adding,
removing or renaming a file changes it.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

CONTENT_DIR_ENV = "MICROLEARN_CONTENT_DIR"
COMPILED_DIR_NAME = "compiled"
MANIFEST_NAME = "manifest.json"
SEED_NAME = "seed.sqlite3"


def bundled_content_dir() -> Path:
    named = os.environ.get(CONTENT_DIR_ENV)
    if named:
        return Path(named)
    return shipped_content_dir()


def shipped_content_dir() -> Path:
    """The content the app was built with (what ``compiled/`` was compiled from)."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "content"
    return Path(__file__).resolve().parents[3] / "content"


def compiled_dir() -> Path:
    """Where the build puts the compiled bundled content: in the bundle, or in the package."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / COMPILED_DIR_NAME
    return Path(__file__).resolve().parent / COMPILED_DIR_NAME


def is_frozen() -> bool:
    return getattr(sys, "_MEIPASS", None) is not None


def tree_signature(root: Path) -> str:
    """A hash of every file's relative path, size and modification time under ``root``."""
    # Plain strings, not Path objects: this runs once per file on every start.
    base = len(str(root)) + 1
    entries: list[str] = []
    pending = [str(root)]
    while pending:
        with os.scandir(pending.pop()) as listing:
            for entry in listing:
                if entry.is_dir():
                    pending.append(entry.path)
                elif entry.is_file():
                    stat = entry.stat()
                    relative = entry.path[base:].replace(os.sep, "/")
                    entries.append(f"{relative}\0{stat.st_size}\0{stat.st_mtime_ns}\n")
    entries.sort()
    return hashlib.sha256("".join(entries).encode()).hexdigest()


@dataclass(frozen=True)
class Manifest:
    fingerprint: str  # source_files.fingerprint of the tree: the version the store records
    signature: str  # tree_signature of the tree when the manifest was written

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Manifest | None:
        try:
            data = json.loads(text)
            return cls(fingerprint=str(data["fingerprint"]), signature=str(data["signature"]))
        except (ValueError, TypeError, KeyError):
            return None


def build_manifest() -> Manifest | None:
    """The manifest the build wrote for the bundled content, if there is one."""
    try:
        return Manifest.from_json((compiled_dir() / MANIFEST_NAME).read_text(encoding="utf-8"))
    except OSError:
        return None


def compiled_seed(source: Path) -> Path | None:
    """The new store the build compiled with ``source`` installed, if there is one."""
    seed = compiled_dir() / SEED_NAME
    if not seed.is_file() or not _same_folder(source, shipped_content_dir()):
        return None
    return seed


def known_fingerprint(source: Path, recorded: Manifest | None) -> str | None:
    """``source``'s fingerprint without reading its files, when a manifest vouches for it.

    ``recorded`` is what the store kept at the last install of ``source``. None means
    nobody can vouch and the caller hashes the files.
    """
    built = build_manifest() if _same_folder(source, shipped_content_dir()) else None
    if built is not None and is_frozen():
        return built.fingerprint  # a bundle's files are what the build compiled
    candidates = [m for m in (built, recorded) if m is not None]
    if not candidates:
        return None
    try:
        signature = tree_signature(source)
    except OSError:
        return None
    return next((m.fingerprint for m in candidates if m.signature == signature), None)


def _same_folder(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False
