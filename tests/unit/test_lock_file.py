"""The lock file installs what pyproject.toml asks for: a dependency added without `make lock` fails here.

The venv is installed from requirements/lock.txt alone (pip's hash-checking mode, Microlearn
itself with --no-deps), so a requirement missing from the lock would otherwise only show up as an
ImportError somewhere later, or not at all for a dev tool.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from tests.support.locations import REPO

LOCK = REPO / "requirements" / "lock.txt"
PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;\\]+)")


def pinned(lock: Path) -> dict[str, tuple[Version, int]]:
    """Each pinned package's version and how many hashes vouch for it."""
    pins: dict[str, tuple[Version, int]] = {}
    current = ""
    for line in lock.read_text(encoding="utf-8").splitlines():
        if match := PIN.match(line):
            current = canonicalize_name(match["name"])
            pins[current] = (Version(match["version"]), 0)
        elif line.strip().startswith("--hash=sha256:") and current:
            version, hashes = pins[current]
            pins[current] = (version, hashes + 1)
    return pins


def declared() -> list[Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    lines = [
        *project["build-system"]["requires"],
        *project["project"]["dependencies"],
        *project["project"]["optional-dependencies"]["dev"],
    ]
    build_in = (REPO / "requirements" / "build.in").read_text(encoding="utf-8").splitlines()
    lines += [line for line in build_in if line.strip() and not line.startswith("#")]
    return [Requirement(line) for line in lines]


def unmet(requirements: list[Requirement], pins: dict[str, tuple[Version, int]]) -> list[str]:
    problems = []
    for requirement in requirements:
        name = canonicalize_name(requirement.name)
        if name not in pins:
            problems.append(f"{requirement} is not in the lock")
        elif not requirement.specifier.contains(pins[name][0], prereleases=True):
            problems.append(f"{requirement} but the lock pins {pins[name][0]}")
    return problems


def test_every_declared_dependency_is_pinned_at_a_version_it_accepts() -> None:
    problems = unmet(declared(), pinned(LOCK))
    assert problems == [], "run `make lock`: " + "; ".join(problems)


def test_every_pin_is_vouched_for_by_a_hash() -> None:
    pins = pinned(LOCK)
    assert pins, "no pins read from the lock"
    assert [name for name, (_version, hashes) in pins.items() if hashes == 0] == []


def test_a_dependency_added_without_relocking_is_reported(tmp_path: Path) -> None:
    lock = tmp_path / "lock.txt"
    text = LOCK.read_text(encoding="utf-8")
    # Drop httpx's block, as if it had just been added to pyproject.toml, and pin PyYAML too low.
    text = re.sub(r"^httpx==.*?(?=^\S)", "", text, flags=re.DOTALL | re.MULTILINE)
    text = re.sub(r"^pyyaml==\S+", "pyyaml==5.4", text, flags=re.MULTILINE)
    lock.write_text(text, encoding="utf-8")
    problems = unmet(declared(), pinned(lock))
    assert any(problem.startswith("httpx") and "not in the lock" in problem for problem in problems)
    assert any(problem.startswith("PyYAML") and "pins 5.4" in problem for problem in problems)
