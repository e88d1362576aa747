"""The IT policy: problems named with file:line, a broken policy keeps sync off but never learning.

The reference table in docs/deploying.md is checked against config.KEYS here, and so is
the example policy printed there.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest

from microlearn.records.sync_outcome import Outcome
from microlearn.services.startup import start_services
from microlearn.services.sync import SyncService
from microlearn.settings import reference
from microlearn.settings.config import KEYS, KEYS_BY_NAME, Config, env_name, load_config
from microlearn.settings.paths import resolve_paths, site_policy_file
from microlearn.settings.policy import key_lines, locate_key
from microlearn.settings.policy_redaction import redact_policy_text
from tests.support.learners import play_module
from tests.support.locations import REPO
from tests.support.processes import run_microlearn

DEPLOYING = REPO / "docs" / "deploying.md"
GOOD_ENDPOINT = "https://lrs.example.org/xAPI/"


def write_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str | bytes) -> Path:
    policy = tmp_path / "it" / "policy.toml"
    policy.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        policy.write_bytes(text)
    else:
        policy.write_text(text, encoding="utf-8")
    monkeypatch.setenv("MICROLEARN_POLICY", str(policy))
    return policy


def policy_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str | bytes) -> tuple[Path, Config]:
    policy = write_policy(tmp_path, monkeypatch, text)
    return policy, load_config(resolve_paths())


def messages(config: Config, severity: str) -> list[str]:
    return [p.render() for p in config.policy_problems if p.severity == severity]


# -- unknown keys -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "unknown", "nearest"),
    [
        ('[lrs]\nendpoint = "https://lrs.example.org/"\nendpont = "x"\n', 3, "lrs.endpont", "lrs.endpoint"),
        ('# IT policy\nendpoint = "https://lrs.example.org/xAPI/"\n', 2, "endpoint", "lrs.endpoint"),
        ('[lrs]\nusername = "svc"\npasword = "x"\n', 3, "lrs.pasword", "lrs.password"),
        (
            '[display]\ntheme = "dark"\n\n[network]\nproxi = "http://p:3128"\n',
            5,
            "network.proxi",
            "network.proxy",
        ),
        ('[identity]\nsource = "fixed"\n[lrs]\nname = "x"\n', 4, "lrs.name", "identity.name"),
    ],
)
def test_an_unknown_key_is_a_warning_naming_it_and_the_nearest_known_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, line: int, unknown: str, nearest: str
) -> None:
    policy, config = policy_config(tmp_path, monkeypatch, text)

    (warning,) = messages(config, "warning")

    assert warning.startswith(f"{policy}:{line}: ")
    assert f"'{unknown}'" in warning and f"did you mean '{nearest}'?" in warning
    assert messages(config, "error") == []
    assert config.sync_blocked_reason is None  # a warning does not stop sync
    assert warning in config.problems


def test_an_unknown_key_with_nothing_like_it_points_to_the_reference(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    policy, config = policy_config(tmp_path, monkeypatch, '[telemetry]\nbeacon = "yes"\n')
    (warning,) = messages(config, "warning")
    assert warning.startswith(f"{policy}:2: unknown setting 'telemetry.beacon'")
    assert "docs/deploying.md" in warning


def test_an_unknown_locked_key_is_named_with_the_nearest_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    policy, config = policy_config(
        tmp_path,
        monkeypatch,
        '[lrs]\nendpoint = "https://lrs.example.org/"\n\n[locked]\nkeys = ["lrs.endpont"]\n',
    )
    (warning,) = messages(config, "warning")
    assert warning.startswith(f"{policy}:5: ") and "did you mean 'lrs.endpoint'?" in warning
    assert config.locked == frozenset()


# -- invalid values, with their line ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "phrase"),
    [
        (
            '[lrs]\nendpoint = "https://lrs.example.org/"\nsync_interval_minutes = "often"\n',
            3,
            "whole number",
        ),
        ("# comment\n\nlrs.sync_interval_minutes = 2\n", 3, "at least 5"),
        ('[lrs]\n"sync_interval_minutes" = 99999\n', 2, "at most 1440"),
        ('lrs = { endpoint = "https://x.example/", sync_interval_minutes = true }\n', 1, "whole number"),
        (
            '[content]\nfeed_signing_key = """\nsync_interval_minutes = 1\n"""\n[lrs]\n  sync_interval_minutes   =  "x"  # hourly\n',
            6,
            "whole number",
        ),
        ('[display]\ntheme = "purple"\n', 2, "must be one of system, light, dark"),
        ('[lrs]\nendpoint = "lrs.example.org/xAPI"\n', 2, "must be an address starting with https://"),
        ('[network]\nproxy = "proxy.example.org:3128"\n', 2, "must be a proxy address"),
        ('[identity]\nhome_page = ""\n', 2, "must be an address"),
        ("[audience]\ngroups = [1, 2]\n", 2, "must be a list of names"),
        ('[locked]\nkeys = "lrs.endpoint"\n', 2, "locked keys must be a list"),
    ],
)
def test_an_invalid_value_is_an_error_at_its_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, line: int, phrase: str
) -> None:
    policy, config = policy_config(tmp_path, monkeypatch, text)

    (error,) = messages(config, "error")

    assert error.startswith(f"{policy}:{line}: "), error
    assert phrase in error
    assert config.sync_blocked_reason is not None and f"{policy}:{line}" in config.sync_blocked_reason


def test_the_other_values_of_a_policy_with_an_error_still_apply(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, config = policy_config(
        tmp_path,
        monkeypatch,
        f'[lrs]\nendpoint = "{GOOD_ENDPOINT}"\nsync_interval_minutes = "often"\n[display]\ntheme = "dark"\n'
        '[locked]\nkeys = ["display.theme"]\n',
    )
    assert (config.get("lrs.endpoint"), config.source("lrs.endpoint")) == (GOOD_ENDPOINT, "policy")
    assert (config.get("lrs.sync_interval_minutes"), config.source("lrs.sync_interval_minutes")) == (
        30,
        "default",
    )
    assert config.get("display.theme") == "dark" and config.is_locked("display.theme")


def test_a_secret_value_is_never_repeated_in_a_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, config = policy_config(tmp_path, monkeypatch, "[lrs]\npassword = 987654321\n")
    (error,) = messages(config, "error")
    assert "lrs.password must be text" in error
    assert "987654321" not in " ".join(config.problems) and "987654321" not in repr(config)


@pytest.mark.parametrize(
    ("text", "line", "phrase"),
    [
        ('[lrs]\nendpoint = "https://lrs.example.org/\n', 2, "not valid TOML"),
        ('[lrs\nendpoint = "x"\n', 1, "not valid TOML"),
        ('[lrs]\nendpoint = "a"\nendpoint = "b"\n', 3, "not valid TOML"),
    ],
)
def test_a_policy_that_is_not_toml_is_an_error_at_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, line: int, phrase: str
) -> None:
    policy, config = policy_config(tmp_path, monkeypatch, text)
    (error,) = messages(config, "error")
    assert error.startswith(f"{policy}:{line}: the policy file could not be read") and phrase in error
    assert config.sync_blocked_reason is not None
    assert all(config.source(key.name) == "default" for key in KEYS)


def test_a_policy_that_is_not_utf8_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    policy, config = policy_config(tmp_path, monkeypatch, b'[lrs]\nusername = "J\xfcrgen"\n')
    (error,) = messages(config, "error")
    assert error.startswith(f"{policy}: ") and "not UTF-8" in error


def test_a_policy_saved_with_a_byte_order_mark_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, config = policy_config(tmp_path, monkeypatch, f'\ufeff[lrs]\nendpoint = "{GOOD_ENDPOINT}"\n'.encode())
    assert config.policy_problems == () and config.get("lrs.endpoint") == GOOD_ENDPOINT


def test_a_policy_that_is_a_folder_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "policy.toml"
    folder.mkdir()
    monkeypatch.setenv("MICROLEARN_POLICY", str(folder))
    config = load_config(resolve_paths())
    assert config.sync_blocked_reason is not None and config.policy is not None and config.policy.found


def test_no_policy_is_not_a_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MICROLEARN_POLICY", str(tmp_path / "absent.toml"))
    config = load_config(resolve_paths())
    assert config.problems == [] and config.sync_blocked_reason is None
    assert config.policy is not None and not config.policy.found


def test_audience_groups_from_the_policy_and_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, config = policy_config(tmp_path, monkeypatch, '[audience]\ngroups = ["sales", "emea"]\n')
    assert config.get("audience.groups") == ("sales", "emea") and config.problems == []
    monkeypatch.setenv(env_name("audience.groups"), " support , apac,,")
    assert load_config(resolve_paths()).get("audience.groups") == ("support", "apac")


# -- where each key is written ---------------------------------------------------------------------------


def test_key_lines_follow_tables_dotted_and_quoted_keys() -> None:
    text = (
        "# policy\n"
        "[lrs]\n"
        'endpoint = "x"  # [not.a.table]\n'
        "'username' = \"y\"\n"
        "[ display ]\n"
        "theme.x = 1\n"
        'notes = """\n'
        "font_size = 1\n"
        '"""\n'
        "font_size = 12\n"
        "[[audience.list]]\n"
        "name = 1\n"
    )
    lines = key_lines(text)
    assert lines["lrs.endpoint"] == 3 and lines["lrs.username"] == 4
    assert lines["display.theme.x"] == 6 and lines["display.font_size"] == 10
    assert lines["audience.list.name"] == 12
    assert locate_key(lines, "lrs.password") == 2  # not written: its table's line
    assert locate_key(lines, "network.proxy") is None


# -- a broken policy: learning goes on offline, sync stays off until it is fixed ----------------------


def test_a_broken_policy_keeps_sync_off_and_learning_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    policy = write_policy(
        tmp_path, monkeypatch, f'[lrs]\nendpoint = "{GOOD_ENDPOINT}"\nsync_interval_minutes = "hourly"\n'
    )
    services = start_services(resolve_paths())
    try:
        play_module(services.learning, "data-privacy-and-security")
        with services.store.read() as db:
            waiting = db.execute("SELECT count(*) FROM outbox WHERE status = 'pending'").fetchone()[0]
        assert waiting > 0  # the learner's work is recorded, ready for when sync is back

        def no_network(_settings: Any) -> Any:
            raise AssertionError("sync must not contact the central record while the policy is broken")

        sync = SyncService(services.store, services.config, client_factory=no_network)
        assert not sync.configured
        report = sync.sync_now()
        assert report.outcome is Outcome.NOT_CONFIGURED and report.remaining == waiting
        assert f"{policy}:3" in report.detail and "policy" in report.detail
        assert sync.restore().outcome.value == "not_configured"

        policy.write_text(
            f'[lrs]\nendpoint = "{GOOD_ENDPOINT}"\nsync_interval_minutes = 60\n', encoding="utf-8"
        )
        fixed = SyncService(services.store, load_config(services.paths), client_factory=no_network)
        assert fixed.configured  # fixed: sync is back on at the next start
    finally:
        services.close()


def test_microlearn_sync_says_why_it_is_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    policy = write_policy(
        tmp_path, monkeypatch, f'[lrs]\nendpoint = "{GOOD_ENDPOINT}"\n[display]\ntheme = 3\n'
    )
    done = run_microlearn("sync")
    assert done.returncode == 7, done.stderr
    assert f"{policy}:4" in done.stderr and "sync is off until the IT policy is fixed" in done.stderr


# -- where the policy file is -------------------------------------------------------------------------------


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG_CONFIG_DIRS is Linux's")
def test_every_xdg_config_dir_is_searched_then_etc_xdg(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MICROLEARN_POLICY")
    first, second = tmp_path / "xdg-ubuntu", tmp_path / "xdg"
    monkeypatch.setenv("XDG_CONFIG_DIRS", f"{first}:{second}")
    (second / "microlearn").mkdir(parents=True)
    (second / "microlearn" / "policy.toml").write_text("", encoding="utf-8")
    assert site_policy_file() == second / "microlearn" / "policy.toml"
    (second / "microlearn" / "policy.toml").unlink()
    if not Path("/etc/xdg/microlearn/policy.toml").exists():
        assert site_policy_file() == Path("/etc/xdg/microlearn/policy.toml")


# -- redacting a policy for the helpdesk ---------------------------------------------------------------------


def test_redacting_a_policy_hides_every_secret_however_it_is_written() -> None:
    text = (
        "[lrs]\n"
        'username = "svc"\n'
        'password = "S3cret-one"\n'
        "[network]\n"
        'proxy = "http://me:S3cret-two@proxy.example.org:3128"\n'
        "[lrs2]\n"
        "pasword = 'S3cret-three'\n"
        'creds = { token = "S3cret-four" }\n'
    )
    shown = redact_policy_text(text, {k.name for k in KEYS if k.secret})
    assert "S3cret" not in shown
    assert 'username = "svc"' in shown and "proxy.example.org:3128" in shown
    assert len(shown.splitlines()) == len(text.splitlines())  # line numbers still match the problems


# -- the reference in docs/deploying.md ---------------------------------------------------------------------


def _reference_rows() -> dict[str, list[str]]:
    text = DEPLOYING.read_text(encoding="utf-8")
    section = text.split("## Policy reference", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        match = re.match(r"^\|\s*`([a-z_]+\.[a-z_]+)`\s*\|(.*)\|\s*$", line)
        if match:
            rows[match.group(1)] = [cell.strip() for cell in match.group(2).split("|")]
    return rows


def test_the_policy_reference_lists_every_key_with_type_default_and_example() -> None:
    rows = _reference_rows()
    assert set(rows) == set(KEYS_BY_NAME) | {"locked.keys", "locked.allow_override"}
    for name, (kind, default, example, *_meaning) in rows.items():
        assert kind and default and example, name
        if name in KEYS_BY_NAME:
            key = KEYS_BY_NAME[name]
            assert kind.startswith(
                {str: "text", int: "whole number", list: "list", bool: "true or false"}[key.kind]
            ), name


def test_the_policy_reference_in_the_guide_is_the_one_generated_from_the_keys() -> None:
    text = DEPLOYING.read_text(encoding="utf-8")
    assert reference.rewrite(text) == text, (
        "docs/deploying.md's policy reference differs from settings/keys.py: run "
        "`python -m microlearn.settings.reference docs/deploying.md`"
    )
    for key in KEYS:  # the help text is what the guide says
        assert key.help in text, key.name


def test_the_example_policy_in_the_guide_is_valid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = DEPLOYING.read_text(encoding="utf-8")
    example = text.split("<!-- example-policy -->", 1)[1].split("```toml\n", 1)[1].split("```", 1)[0]
    _, config = policy_config(tmp_path, monkeypatch, example)
    assert config.policy_problems == ()
    assert config.source("lrs.endpoint") == "policy" and config.locked
