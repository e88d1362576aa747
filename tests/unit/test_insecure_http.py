"""Credentials never cross the network in plain http:// to another computer unless the IT policy
says so: sync refuses in plain words, doctor fails and says why, without sending them either."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from microlearn.admin.doctor import Status, run_doctor
from microlearn.records.sync_engine import Outcome
from microlearn.services.startup import start_services
from microlearn.services.sync import SyncService
from microlearn.settings.config import Config, env_name, load_config
from microlearn.settings.paths import resolve_paths
from tests.support.processes import run_microlearn

PLAIN = "http://lrs.invalid/xAPI/"  # .invalid never resolves: nothing could answer anyway


def policy_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lrs: str) -> Config:
    policy = tmp_path / "policy.toml"
    policy.write_text(f'[lrs]\nusername = "svc"\npassword = "Pa55word"\n{lrs}', encoding="utf-8")
    monkeypatch.setenv("MICROLEARN_POLICY", str(policy))
    return load_config(resolve_paths())


def never_connect(_settings: Any) -> Any:
    raise AssertionError("the credentials must not be sent over plain HTTP")


def test_sync_refuses_plain_http_to_another_computer_in_plain_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = policy_config(tmp_path, monkeypatch, f'endpoint = "{PLAIN}"\n')
    services = start_services(resolve_paths())
    try:
        sync = SyncService(services.store, config, client_factory=never_connect)
        report = sync.sync_now()
        assert report.outcome is Outcome.NOT_CONFIGURED
        assert "https://" in report.detail and "lrs.allow_insecure_http" in report.detail
        assert sync.restore().outcome.value == "not_configured"
    finally:
        services.close()


@pytest.mark.parametrize(
    ("lrs", "blocked"),
    [
        (f'endpoint = "{PLAIN}"\nallow_insecure_http = true\n', False),  # IT said so
        ('endpoint = "http://127.0.0.1:8100/xAPI/"\n', False),  # this computer only
        ('endpoint = "http://localhost:8100/xAPI/"\n', False),
        ('endpoint = "http://[::1]:8100/xAPI/"\n', False),
        ('endpoint = "https://lrs.invalid/xAPI/"\n', False),
        (f'endpoint = "{PLAIN}"\n', True),
        ('endpoint = "HTTP://10.0.0.7/xAPI/"\n', True),
    ],
)
def test_only_the_policy_can_allow_plain_http_to_another_computer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lrs: str, blocked: bool
) -> None:
    config = policy_config(tmp_path, monkeypatch, lrs)
    assert (config.sync_blocked_reason is not None) is blocked, config.sync_blocked_reason


def test_the_learner_or_the_environment_cannot_allow_plain_http(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(env_name("lrs.allow_insecure_http"), "true")
    config = policy_config(tmp_path, monkeypatch, f'endpoint = "{PLAIN}"\n')
    assert config.sync_blocked_reason is not None
    assert any("lrs.allow_insecure_http can only be set in the IT policy" in p for p in config.problems)


def test_doctor_fails_plain_http_and_says_why_without_sending_the_credentials(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = policy_config(tmp_path, monkeypatch, f'endpoint = "{PLAIN}"\n')
    report = run_doctor(resolve_paths(), config, qt=False)
    tls = report.check("tls")
    assert tls is not None and tls.status is Status.FAIL
    assert "plain http://" in tls.detail and "lrs.allow_insecure_http" in tls.where
    assert report.check("credentials") is None  # never tried: that would have sent them


def test_microlearn_sync_exits_7_and_says_why(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    policy_config(tmp_path, monkeypatch, f'endpoint = "{PLAIN}"\n')
    done = run_microlearn("sync")
    assert done.returncode == 7, done.stderr
    assert "plain http://" in done.stderr and "Pa55word" not in done.stderr + done.stdout
