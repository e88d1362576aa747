"""Locked keys hold against every layer, unless the policy allows an override by name; doctor says
which values were ignored and where they came from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from microlearn.admin.doctor import Status, run_doctor
from microlearn.settings.config import env_name, load_config
from microlearn.settings.paths import resolve_paths
from tests.support.processes import run_microlearn

IT_ENDPOINT = "https://lrs.example.org/xAPI/"
ELSEWHERE = "https://elsewhere.example.net/"


def write_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, locked: str) -> Path:
    policy = tmp_path / "it" / "policy.toml"
    policy.parent.mkdir(parents=True, exist_ok=True)
    policy.write_text(
        '[identity]\nsource = "fixed"\nname = "alex.morgan"\nhome_page = "https://login.example.org"\n\n'
        f'[lrs]\nendpoint = "{IT_ENDPOINT}"\nusername = "svc"\npassword = "It-Pa55word"\n\n'
        f"[locked]\n{locked}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("MICROLEARN_POLICY", str(policy))
    return policy


def test_locked_keys_win_over_the_environment_and_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_policy(tmp_path, monkeypatch, 'keys = ["identity.*", "lrs.endpoint"]')
    monkeypatch.setenv(env_name("identity.name"), "someone-else")
    monkeypatch.setenv(env_name("lrs.endpoint"), ELSEWHERE)
    paths = resolve_paths()

    config = load_config(paths, overrides={"identity.source": "os_user", "lrs.endpoint": ELSEWHERE})

    assert config.learner_name == "alex.morgan"
    assert (config.get("lrs.endpoint"), config.source("lrs.endpoint")) == (IT_ENDPOINT, "policy")
    assert config.is_locked("identity.home_page")  # `identity.*` locks the whole table
    ignored = {(i.name, i.source): i.origin for i in config.ignored_overrides}
    assert ignored == {
        ("identity.name", "environment"): "the environment variable MICROLEARN_IDENTITY_NAME",
        ("lrs.endpoint", "environment"): "the environment variable MICROLEARN_LRS_ENDPOINT",
        ("identity.source", "command line"): "the command line (--set identity.source=…)",
        ("lrs.endpoint", "command line"): "the command line (--set lrs.endpoint=…)",
    }
    # A key that is not locked still follows the usual precedence.
    monkeypatch.setenv(env_name("lrs.sync_interval_minutes"), "45")
    assert load_config(paths).get("lrs.sync_interval_minutes") == 45


def test_a_lock_without_a_policy_value_keeps_the_default_against_every_layer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_policy(tmp_path, monkeypatch, 'keys = ["display.theme"]')
    monkeypatch.setenv(env_name("display.theme"), "dark")
    config = load_config(resolve_paths(), overrides={"display.theme": "light"})
    assert (config.get("display.theme"), config.source("display.theme")) == ("system", "default")
    assert len(config.ignored_overrides) == 2


def test_the_policy_can_allow_its_scripts_to_override_a_locked_key_by_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_policy(
        tmp_path, monkeypatch, 'keys = ["identity.*", "lrs.endpoint"]\nallow_override = ["lrs.endpoint"]'
    )
    monkeypatch.setenv(env_name("lrs.endpoint"), ELSEWHERE)
    monkeypatch.setenv(env_name("identity.name"), "someone-else")
    paths = resolve_paths()
    paths.config_dir.mkdir(parents=True, exist_ok=True)
    paths.settings_file.write_text(json.dumps({"lrs.endpoint": "https://learner.example.com/"}), "utf-8")

    config = load_config(paths)

    assert (config.get("lrs.endpoint"), config.source("lrs.endpoint")) == (ELSEWHERE, "environment")
    assert config.learner_name == "alex.morgan"  # not granted: still locked
    assert {(i.name, i.source) for i in config.ignored_overrides} == {
        ("identity.name", "environment"),
        ("lrs.endpoint", "user"),  # the learner's settings never override a lock
    }
    assert config.policy_problems == ()


def test_allowing_an_override_of_a_key_that_is_not_locked_is_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    policy = write_policy(
        tmp_path, monkeypatch, 'keys = ["lrs.endpoint"]\nallow_override = ["display.theme"]'
    )
    config = load_config(resolve_paths())
    (problem,) = config.policy_problems
    assert problem.severity == "warning" and problem.render().startswith(f"{policy}:13:")
    assert "display.theme" in problem.message and "not locked" in problem.message


def test_doctor_warns_of_every_ignored_override_and_where_it_came_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_policy(tmp_path, monkeypatch, 'keys = ["identity.*", "lrs.endpoint", "lrs.password"]')
    monkeypatch.setenv(env_name("identity.name"), "someone-else")
    monkeypatch.setenv(env_name("lrs.password"), "Env-Pa55word")
    paths = resolve_paths()

    report = run_doctor(paths, load_config(paths, {"lrs.endpoint": ELSEWHERE}), qt=False, network=False)

    locks = report.check("locks")
    assert locks is not None and locks.status is Status.WARN
    for origin in ("MICROLEARN_IDENTITY_NAME", "MICROLEARN_LRS_PASSWORD", "--set lrs.endpoint"):
        assert origin in locks.detail
    assert "Env-Pa55word" not in report.to_json_text()  # which variable, never its value


def test_microlearn_doctor_ignores_and_reports_a_locked_key_given_on_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_policy(tmp_path, monkeypatch, 'keys = ["identity.*", "lrs.endpoint"]')
    monkeypatch.setenv(env_name("lrs.endpoint"), ELSEWHERE)

    done = run_microlearn("--set", "identity.name=someone-else", "doctor", "--json")

    report = json.loads(done.stdout)
    (locks,) = [c for c in report["checks"] if c["id"] == "locks"]
    assert locks["status"] == "WARN"
    assert {(i["key"], i["source"]) for i in locks["facts"]["ignored"]} == {
        ("identity.name", "command line"),
        ("lrs.endpoint", "environment"),
    }
    assert ELSEWHERE.split("//")[1].rstrip("/") not in json.dumps(
        [c for c in report["checks"] if c["id"] in ("proxy", "reachable")]
    )  # doctor checked IT's endpoint, not the one that was ignored
