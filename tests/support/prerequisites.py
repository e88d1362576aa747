"""What a test needs from the machine: skipped where it is missing, except in CI, where it fails.

A skip in CI is a test nobody ran, reported as a pass. CI (``CI=true``, as .ci/run sets it)
installs every tool the suite needs (.ci/test-tools.sh), so there a missing one is a broken CI
set-up and fails the run; on a developer's machine it is only a skip, with what to install.
"""

from __future__ import annotations

import os
import shutil
from typing import NoReturn

import pytest


def in_ci() -> bool:
    return os.environ.get("CI") == "true"


def missing(what: str) -> NoReturn:
    """Skip the test for lack of ``what`` (a sentence fragment saying how to get it); fail under CI."""
    if in_ci():
        pytest.fail(
            f"CI=true and this test needs {what}: CI must provide it (.ci/test-tools.sh)", pytrace=False
        )
    pytest.skip(f"needs {what}")


def require_command(name: str, package: str) -> str:
    """The full path of the command ``name``, which the Debian package ``package`` provides."""
    found = shutil.which(name)
    if found is None:
        missing(f"the {name} command (Debian package {package})")
    return found


def require_root() -> None:
    if os.geteuid() != 0:
        missing("root (CI runs the tests as root)")
