"""The app's own command in a child process, as many tests run it: one way to do it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from tests.support.locations import REPO

SRC = REPO / "src"


def child_env(base: Mapping[str, str] | None = None, **extra: str) -> dict[str, str]:
    """``base`` (this process's environment by default) with the source tree first on
    PYTHONPATH, and ``extra`` on top."""
    env = dict(os.environ if base is None else base)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SRC), env.get("PYTHONPATH", "")) if p)
    env.update(extra)
    return env


def run_microlearn(
    *args: str,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """``microlearn ARGS`` from the source tree; ``env`` defaults to :func:`child_env`."""
    return subprocess.run(
        [sys.executable, "-m", "microlearn", *args],
        env=child_env() if env is None else dict(env),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
