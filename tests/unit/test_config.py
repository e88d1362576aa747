"""Configuration precedence: default < site policy < user settings < environment < command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from microlearn.settings.config import KEYS, ConfigError, env_name, load_config, save_user_setting
from microlearn.settings.paths import AppPaths, resolve_paths

INTERVAL = "lrs.sync_interval_minutes"


def write_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> Path:
    policy = tmp_path / "policy" / "policy.toml"
    policy.parent.mkdir(parents=True, exist_ok=True)
    policy.write_text(text, encoding="utf-8")
    monkeypatch.setenv("MICROLEARN_POLICY", str(policy))
    return policy


def write_user_settings(paths: AppPaths, settings: dict[str, object]) -> None:
    paths.config_dir.mkdir(parents=True, exist_ok=True)
    paths.settings_file.write_text(json.dumps(settings), encoding="utf-8")


def test_defaults_when_nothing_is_set() -> None:
    config = load_config(resolve_paths())
    assert config.problems == []
    assert config.locked == frozenset()
    for key in KEYS:
        assert config.get(key.name) == key.default
        assert config.source(key.name) == "default"


def test_each_layer_overrides_the_ones_below_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_policy(
        tmp_path,
        monkeypatch,
        '[lrs]\nsync_interval_minutes = 60\nendpoint = "https://lrs.example.org/xAPI/"\n',
    )
    paths = resolve_paths()
    assert paths.policy_file == tmp_path / "policy" / "policy.toml"

    config = load_config(paths)
    assert (config.get(INTERVAL), config.source(INTERVAL)) == (60, "policy")
    assert config.source("lrs.endpoint") == "policy"

    write_user_settings(paths, {INTERVAL: 45})
    config = load_config(paths)
    assert (config.get(INTERVAL), config.source(INTERVAL)) == (45, "user")
    assert config.source("lrs.endpoint") == "policy"  # layers only replace what they set

    monkeypatch.setenv(env_name(INTERVAL), "20")
    config = load_config(paths)
    assert (config.get(INTERVAL), config.source(INTERVAL)) == (20, "environment")

    config = load_config(paths, overrides={INTERVAL: 10})
    assert (config.get(INTERVAL), config.source(INTERVAL)) == (10, "command line")
    assert config.get("display.theme") == "system" and config.source("display.theme") == "default"
    assert config.problems == []


def test_environment_variable_names() -> None:
    assert env_name(INTERVAL) == "MICROLEARN_LRS_SYNC_INTERVAL_MINUTES"
    assert env_name("identity.home_page") == "MICROLEARN_IDENTITY_HOME_PAGE"


def test_a_saved_user_setting_is_read_back_as_the_user_layer() -> None:
    paths = resolve_paths()
    save_user_setting(paths, "display.theme", "dark")
    save_user_setting(paths, "display.font_size", "14")  # the Settings screen hands over text
    config = load_config(paths)
    assert (config.get("display.theme"), config.source("display.theme")) == ("dark", "user")
    assert config.get("display.font_size") == 14
    with pytest.raises(ConfigError, match=r"display\.theme"):
        save_user_setting(paths, "display.theme", "purple")
    with pytest.raises(ConfigError, match="Unknown setting"):
        save_user_setting(paths, "display.colour", "red")
    assert json.loads(paths.settings_file.read_text(encoding="utf-8")) == {
        "display.font_size": 14,
        "display.theme": "dark",
    }


def test_locked_keys_ignore_user_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_policy(
        tmp_path,
        monkeypatch,
        '[lrs]\nendpoint = "https://lrs.example.org/xAPI/"\n\n'
        '[display]\ntheme = "light"\n\n'
        '[locked]\nkeys = ["lrs.endpoint", "identity.source"]\n',
    )
    paths = resolve_paths()
    write_user_settings(
        paths,
        {
            "lrs.endpoint": "https://my-own-lrs.example.com/",
            "identity.source": "fixed",
            "display.theme": "dark",
        },
    )

    config = load_config(paths)

    assert config.is_locked("lrs.endpoint") and config.is_locked("identity.source")
    assert not config.is_locked("display.theme")
    assert (config.get("lrs.endpoint"), config.source("lrs.endpoint")) == (
        "https://lrs.example.org/xAPI/",
        "policy",
    )
    # Locked but not given a value by the policy: the user still cannot change it.
    assert (config.get("identity.source"), config.source("identity.source")) == ("os_user", "default")
    assert (config.get("display.theme"), config.source("display.theme")) == ("dark", "user")
    assert config.problems == []


@pytest.mark.parametrize(
    ("layer", "key", "value", "phrase"),
    [
        ("policy", INTERVAL, '"often"', "must be a whole number"),
        ("policy", "identity.name", "5", "must be text"),
        ("policy", "display.theme", '"purple"', "must be one of system, light, dark"),
        ("user", "display.font_size", "big", "must be a whole number"),
        ("user", INTERVAL, True, "must be a whole number"),
        ("environment", INTERVAL, "every hour", "must be a whole number"),
        ("environment", "identity.source", "email", "must be one of os_user, fixed"),
        ("command line", "display.font_size", 12.5, "must be a whole number"),
    ],
)
def test_a_value_of_the_wrong_type_is_a_problem_naming_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, layer: str, key: str, value: object, phrase: str
) -> None:
    overrides: dict[str, object] = {}
    where = f"{layer}:"
    if layer == "policy":
        table, name = key.split(".")
        policy = write_policy(tmp_path, monkeypatch, f"[{table}]\n{name} = {value}\n")
        where = f"{policy}:2:"  # a policy problem names the file and the line of the key
    paths = resolve_paths()
    if layer == "user":
        write_user_settings(paths, {key: value})
    elif layer == "environment":
        monkeypatch.setenv(env_name(key), str(value))
    elif layer == "command line":
        overrides[key] = value

    config = load_config(paths, overrides=overrides)

    (problem,) = config.problems
    assert problem.startswith(where)
    assert key in problem and phrase in problem
    default = next(k.default for k in KEYS if k.name == key)
    assert (config.get(key), config.source(key)) == (default, "default")


def test_unknown_settings_and_an_unreadable_policy_are_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_policy(tmp_path, monkeypatch, '[lrs]\nendpont = "https://lrs.example.org/"\n')
    config = load_config(resolve_paths(), overrides={"display.colour": "red"})
    assert any("lrs.endpont" in p and "unknown setting" in p for p in config.problems)
    assert any("display.colour" in p and p.startswith("command line") for p in config.problems)

    policy = write_policy(tmp_path, monkeypatch, "[lrs\nendpoint = \n")
    config = load_config(resolve_paths())
    (problem,) = config.problems
    assert str(policy) in problem and "could not be read" in problem
    assert config.source("lrs.endpoint") == "default"


def test_redacted_hides_the_lrs_password(monkeypatch: pytest.MonkeyPatch) -> None:
    secret = "s3cr3t-Pa55word"
    monkeypatch.setenv(env_name("lrs.password"), secret)
    config = load_config(resolve_paths(), overrides={"lrs.username": "svc-microlearn"})
    assert config.get("lrs.password") == secret  # the client still gets it

    shown = config.redacted()

    assert shown["lrs.password"] == "(set)"
    assert shown["lrs.username"] == "svc-microlearn"
    assert secret not in json.dumps(shown) and secret not in repr(shown)
    assert set(shown) == {key.name for key in KEYS}
    monkeypatch.delenv(env_name("lrs.password"))
    assert load_config(resolve_paths()).redacted()["lrs.password"] == ""


@pytest.mark.parametrize(
    "policy_text",
    ['[locked]\nkeys = "lrs.endpoint"\n', 'locked = ["lrs.endpoint"]\n'],
    ids=["keys as a string", "locked as a list"],
)
def test_a_malformed_lock_list_is_not_silently_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, policy_text: str
) -> None:
    write_policy(tmp_path, monkeypatch, policy_text + '\n[lrs]\nendpoint = "https://lrs.example.org/xAPI/"\n')
    paths = resolve_paths()
    write_user_settings(paths, {"lrs.endpoint": "https://my-own-lrs.example.com/"})

    config = load_config(paths)

    locked = config.is_locked("lrs.endpoint") and config.source("lrs.endpoint") == "policy"
    reported = any("locked" in problem for problem in config.problems)
    assert locked or reported, (config.locked, config.problems)
