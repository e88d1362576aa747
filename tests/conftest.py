"""Test-wide setup: Qt offscreen, every directory the app may write to redirected, no proxy.

A test that writes under the real home directory fails loudly: HOME and the XDG
directories point into a temporary folder, and MICROLEARN_DATA_DIR into another. A
developer's or CI's proxy variables never capture the loopback LRS the tests start (a test
of proxies sets its own).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["MICROLEARN_POLICY"] = ""  # no site policy unless a test writes one

REPO = Path(__file__).resolve().parents[1]


sys.path.insert(0, str(REPO))  # `tests.` helpers are importable


@pytest.fixture(autouse=True)
def isolated_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    home = tmp_path_factory.mktemp("home")
    data = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("HOME", str(home))
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(home / name.lower()))
    monkeypatch.setenv("MICROLEARN_DATA_DIR", str(data))
    monkeypatch.setenv("MICROLEARN_POLICY", "")
    for key in list(os.environ):
        if key.startswith("MICROLEARN_LRS_") or key.startswith("MICROLEARN_IDENTITY_"):
            monkeypatch.delenv(key)
    yield data


@pytest.fixture(autouse=True)
def no_system_proxy_for_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


@pytest.fixture
def data_dir(isolated_dirs: Path) -> Path:
    return isolated_dirs
