"""Bad content bundled with the app never stops it: the learner reaches Today, IT reads why.

The real start-up path: the app in a child process, pointed at a content folder with
MICROLEARN_CONTENT_DIR, quitting once Today shows its data; and ``start_services``, which
that start-up runs, for what the learner is told.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from microlearn.admin.doctor import Status, run_doctor
from microlearn.content.bundled import CONTENT_DIR_ENV
from microlearn.services.startup import start_services
from microlearn.settings.config import load_config
from microlearn.settings.paths import resolve_paths
from tests.support.content_samples import FIRST, replace
from tests.support.hostile_content import CRASHERS
from tests.support.locations import SAMPLE_CONTENT
from tests.support.processes import child_env

MODULE_FILE = f"{FIRST}/module.yaml"
APP_TIMEOUT = 120
FRIGHTENING = ("error", "failed", "crash", "cannot", "could not", "broken")


def _broken_copy(tmp_path: Path, name: str = "broken") -> tuple[Path, str]:
    """The sample content, a new version of it, with an impossible date: (folder, file:line)."""
    content = tmp_path / name
    shutil.copytree(SAMPLE_CONTENT, content)
    replace(content / MODULE_FILE, "version: 1.0.0", "version: 1.1.0")
    file, line, _ = CRASHERS["impossible review_by 2027-02-30"](content)
    return content, f"{file}:{line}"


def _open_app(data_dir: Path, content: Path) -> subprocess.CompletedProcess[str]:
    env = child_env(
        QT_QPA_PLATFORM="offscreen",
        MICROLEARN_DATA_DIR=str(data_dir),
        MICROLEARN_POLICY="",
        MICROLEARN_QUIT_AFTER="today",
        **{CONTENT_DIR_ENV: str(content)},
    )
    return subprocess.run(
        [sys.executable, "-m", "microlearn"],
        env=env,
        capture_output=True,
        text=True,
        timeout=APP_TIMEOUT,
        check=False,
    )


def _log_text(data_dir: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in (data_dir / "logs").glob("*.log*"))


def _install_good_content(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CONTENT_DIR_ENV, str(SAMPLE_CONTENT))
    services = start_services(resolve_paths())
    assert services.install.installed
    services.close()


@pytest.mark.gui
def test_the_app_reaches_today_on_a_fresh_laptop_with_broken_bundled_content(
    tmp_path: Path, data_dir: Path
) -> None:
    content, where = _broken_copy(tmp_path)
    opened = _open_app(data_dir, content)
    assert opened.returncode == 0, opened.stderr[-3000:]
    assert any(line.startswith("today ") for line in opened.stdout.splitlines()), opened.stdout
    log = _log_text(data_dir)
    assert "refused" in log and where in log, log[-3000:]


@pytest.mark.gui
def test_the_app_reaches_today_with_the_installed_content_when_a_broken_version_is_bundled(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _install_good_content(data_dir, monkeypatch)
    content, where = _broken_copy(tmp_path)
    opened = _open_app(data_dir, content)
    assert opened.returncode == 0, opened.stderr[-3000:]
    assert any(line.startswith("today ") for line in opened.stdout.splitlines()), opened.stdout
    assert where in _log_text(data_dir)


def test_the_learner_is_told_nothing_when_the_installed_content_is_kept(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _install_good_content(data_dir, monkeypatch)
    content, _ = _broken_copy(tmp_path)
    services = start_services(resolve_paths(), content_dir=content)
    try:
        assert services.install.refused
        assert services.notices == []
        assert [t.id for t in services.catalog.library()] == ["sample-track"]
    finally:
        services.close()


def test_with_nothing_installed_the_learner_gets_a_calm_word(tmp_path: Path, data_dir: Path) -> None:
    content, _ = _broken_copy(tmp_path)
    services = start_services(resolve_paths(), content_dir=content)
    try:
        (notice,) = services.notices
        assert "IT" in notice and not any(word in notice.lower() for word in FRIGHTENING), notice
        assert services.catalog.library() == []
    finally:
        services.close()


def test_a_checker_that_fails_never_stops_the_start(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    _install_good_content(data_dir, monkeypatch)
    content, _ = _broken_copy(tmp_path)

    def crash(root: Path, today: object = None) -> None:
        raise RuntimeError("a bug in the checker")

    # No content crashes the checker any more; a future bug is injected to prove the guard.
    monkeypatch.setattr("microlearn.content.loader.load_catalog", crash)
    with caplog.at_level(logging.ERROR):
        services = start_services(resolve_paths(), content_dir=content)
    try:
        assert services.install.refused and services.notices == []
        assert [t.id for t in services.catalog.library()] == ["sample-track"]
        assert "a bug in the checker" in caplog.text
    finally:
        services.close()


@pytest.mark.parametrize("installed_first", [True, False], ids=["content kept", "nothing installed"])
def test_doctor_names_the_errors_of_the_bundled_content(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch, installed_first: bool
) -> None:
    if installed_first:
        _install_good_content(data_dir, monkeypatch)
    content, where = _broken_copy(tmp_path)
    monkeypatch.setenv(CONTENT_DIR_ENV, str(content))
    if not installed_first:  # the laptop after its first start: a store, and no content in it
        start_services(resolve_paths()).close()
    paths = resolve_paths()
    report = run_doctor(paths, load_config(paths), qt=False, network=False)
    check = report.check("content")
    assert check is not None
    assert check.status is (Status.WARN if installed_first else Status.FAIL)
    assert where in check.detail and "content check" in check.where
