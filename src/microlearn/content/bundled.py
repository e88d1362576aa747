"""Where the content shipped with the app lives: next to the code, or inside the bundle."""

from __future__ import annotations

import os
import sys
from pathlib import Path

CONTENT_DIR_ENV = "MICROLEARN_CONTENT_DIR"


def bundled_content_dir() -> Path:
    named = os.environ.get(CONTENT_DIR_ENV)
    if named:
        return Path(named)
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "content"
    return Path(__file__).resolve().parents[3] / "content"
