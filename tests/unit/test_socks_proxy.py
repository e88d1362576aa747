"""A socks5:// proxy, which the guide once listed, is refused in plain words by the policy check,
never an ImportError in the middle of a sync."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from microlearn.settings.config import env_name, load_config
from microlearn.settings.paths import resolve_paths
from tests.support.processes import run_microlearn


@pytest.mark.parametrize("proxy", ["socks5://proxy.example.org:1080", "socks5h://me:Pr0xy-Pa55@proxy:1080"])
def test_a_socks_proxy_in_the_policy_is_refused_at_its_line_and_sync_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, proxy: str
) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text(
        f'[lrs]\nendpoint = "https://lrs.example.org/xAPI/"\n[network]\nproxy = "{proxy}"\n', encoding="utf-8"
    )
    monkeypatch.setenv("MICROLEARN_POLICY", str(policy))

    config = load_config(resolve_paths())

    (error,) = [p.render() for p in config.policy_errors]
    assert error.startswith(f"{policy}:4:") and "not supported" in error and "http://" in error
    assert config.get("network.proxy") == ""
    done = run_microlearn("sync")
    assert done.returncode == 7, done.stderr
    assert "Traceback" not in done.stderr and "ImportError" not in done.stderr
    assert "not supported" in done.stderr and "Pr0xy-Pa55" not in done.stderr


def test_a_socks_proxy_from_the_environment_is_ignored_with_a_problem(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(env_name("network.proxy"), "socks5://proxy.example.org:1080")
    config = load_config(resolve_paths())
    (problem,) = config.problems
    assert problem.startswith("environment: network.proxy") and "not supported" in problem
    assert config.get("network.proxy") == ""


@pytest.mark.parametrize("variable", ["ALL_PROXY", "https_proxy"])
def test_a_system_socks_proxy_keeps_sync_off_with_words_instead_of_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text('[lrs]\nendpoint = "https://lrs.example.org/xAPI/"\n', encoding="utf-8")
    monkeypatch.setenv("MICROLEARN_POLICY", str(policy))
    monkeypatch.setenv(variable, "socks5://me:Pr0xy-Pa55@127.0.0.1:1080")

    done = run_microlearn("sync")
    assert done.returncode == 7, done.stderr
    assert "Traceback" not in done.stderr and "SOCKS proxies are not supported" in done.stderr
    assert "Pr0xy-Pa55" not in done.stderr

    doctor = run_microlearn("doctor", "--json")
    proxy = next(c for c in json.loads(doctor.stdout)["checks"] if c["id"] == "proxy")
    assert proxy["status"] == "FAIL" and "not supported" in proxy["detail"]
    assert "The check itself failed" not in doctor.stdout

    monkeypatch.setenv(env_name("network.proxy"), "http://proxy.example.org:3128")  # an explicit one wins
    assert load_config(resolve_paths()).sync_blocked_reason is None
