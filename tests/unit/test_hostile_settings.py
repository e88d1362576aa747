"""Bad policy and settings files never stop the learner: each is an error naming the file (and the
line where there is one), every command still runs, and the app still opens for offline learning.
The policy and settings readers are fuzzed too: never a crash, never a hang, errors name the file."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import threading
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microlearn.services.startup import start_services
from microlearn.settings.config import KEYS_BY_NAME, env_name, load_config
from microlearn.settings.paths import AppPaths, resolve_paths
from microlearn.settings.policy import read_policy
from microlearn.settings.user_settings import read_user_settings
from tests.support.learners import play_module
from tests.support.processes import run_microlearn

GOOD = '[identity]\nhome_page = "https://login.example.org"\n'
HOSTILE_POLICIES = {
    "20,000-deep array": GOOD + "[audience]\ngroups = " + "[" * 20_000 + "]" * 20_000 + "\n",
    "3,000-deep inline table": GOOD + "[lrs]\nendpoint = " + "{ a = " * 3_000 + "1" + " }" * 3_000 + "\n",
    "5,001-digit number": GOOD + "[lrs]\nsync_interval_minutes = " + "9" * 5_001 + "\n",
    "3,000-deep dotted key": GOOD + "a" + ".a" * 3_000 + " = 1\n",
    "endpoint with an escaped CR/LF": GOOD
    + '[lrs]\nendpoint = "https://lrs.example.org/\\r\\nX-Injected: 1"\n',
    "100 KB endpoint": GOOD + '[lrs]\nendpoint = "https://lrs.example.org/' + "a" * 100_000 + '"\n',
    "100 KB learner name": GOOD + 'source = "fixed"\nname = "' + "n" * 100_000 + '"\n',
    "4,000-digit number": GOOD + "[display]\nfont_size = " + "9" * 4_000 + "\n",
    "a 2 MB policy": GOOD + "# " + "x" * 2_000_000 + "\n",
}
# The line each problem must name (None: the whole file is the problem, the file alone is named).
EXPECTED_LINE = {
    "20,000-deep array": 4,
    "3,000-deep inline table": 4,
    "5,001-digit number": 4,
    "3,000-deep dotted key": 3,
    "endpoint with an escaped CR/LF": 4,
    "100 KB endpoint": 4,
    "100 KB learner name": 4,
    "4,000-digit number": 4,
    "a 2 MB policy": None,
}


def write_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> Path:
    policy = tmp_path / "it" / "policy.toml"
    policy.parent.mkdir(parents=True, exist_ok=True)
    policy.write_text(text, encoding="utf-8")
    monkeypatch.setenv("MICROLEARN_POLICY", str(policy))
    return policy


@pytest.mark.parametrize("case", list(HOSTILE_POLICIES))
def test_a_hostile_policy_is_one_problem_at_its_file_and_line_and_nothing_raises(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    policy = write_policy(tmp_path, monkeypatch, HOSTILE_POLICIES[case])
    started = time.monotonic()

    config = load_config(resolve_paths())

    assert time.monotonic() - started < 5
    where = f"{policy}:{EXPECTED_LINE[case]}:" if EXPECTED_LINE[case] else f"{policy}:"
    assert any(p.startswith(where) for p in config.problems), config.problems
    assert all(len(p) < 1_000 for p in config.problems)  # a 100 KB value is not repeated back
    assert config.learner_name != "n" * 100_000
    assert "\r" not in config.get("lrs.endpoint") and len(config.get("lrs.endpoint")) < 3_000


@pytest.mark.parametrize(
    "case", ["20,000-deep array", "5,001-digit number", "endpoint with an escaped CR/LF"]
)
def test_with_a_hostile_policy_the_app_opens_for_offline_learning_and_every_command_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    policy = write_policy(tmp_path, monkeypatch, HOSTILE_POLICIES[case])
    services = start_services(resolve_paths())
    try:
        play_module(services.learning, "data-privacy-and-security")  # learning goes on
    finally:
        services.close()
    for command, expected in ((("sync",), 7), (("restore",), 7), (("doctor", "--json"), 2)):
        done = run_microlearn(*command)
        assert done.returncode == expected, (command, done.stderr)
        assert "Traceback" not in done.stderr and str(policy) in done.stdout + done.stderr


def test_a_settings_file_nested_100000_deep_is_a_problem_and_the_app_opens(data_dir: Path) -> None:
    paths = resolve_paths()
    paths.config_dir.mkdir(parents=True, exist_ok=True)
    paths.settings_file.write_text('{"display.theme": ' + "[" * 100_000 + "]" * 100_000 + "}", "utf-8")

    (problem,) = load_config(paths).problems
    assert problem.startswith(f"{paths.settings_file}:") and "defaults apply" in problem
    services = start_services(paths)
    try:
        play_module(services.learning, "data-privacy-and-security")
    finally:
        services.close()
    done = run_microlearn("doctor", "--json")
    assert done.returncode in (1, 2) and "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('{\n"display.theme": "dark",\n}', 3),
        ("[1, 2]", None),
        ('{"display.font_size": ' + "9" * 5_000 + "}", None),
    ],
    ids=["not JSON", "not an object", "5,000-digit number"],
)
def test_a_broken_settings_file_names_the_file_and_the_defaults_apply(
    data_dir: Path, text: str, line: int | None
) -> None:
    paths = resolve_paths()
    paths.config_dir.mkdir(parents=True, exist_ok=True)
    paths.settings_file.write_text(text, encoding="utf-8")
    (problem,) = load_config(paths).problems
    assert problem.startswith(f"{paths.settings_file}:{line}:" if line else f"{paths.settings_file}:")


@pytest.mark.parametrize("name", ["lrs.endpoint", "identity.name", "lrs.username"])
def test_a_100_kb_or_multi_line_value_from_the_environment_is_refused(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    for value in ("x" * 100_000, "https://lrs.example.org/\r\nX-Injected: 1"):
        monkeypatch.setenv(env_name(name), value)
        config = load_config(resolve_paths())
        (problem,) = config.problems
        assert problem.startswith(f"environment: {name}") and len(problem) < 300
        assert config.get(name) == KEYS_BY_NAME[name].default


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX FIFOs")
def test_a_policy_or_settings_file_that_is_a_fifo_is_a_problem_not_a_hang(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    policy = tmp_path / "policy.toml"
    os.mkfifo(policy)
    monkeypatch.setenv("MICROLEARN_POLICY", str(policy))
    paths = resolve_paths()
    paths.config_dir.mkdir(parents=True, exist_ok=True)
    os.mkfifo(paths.settings_file)
    result: list[list[str]] = []
    worker = threading.Thread(target=lambda: result.append(load_config(paths).problems), daemon=True)
    worker.start()
    worker.join(timeout=10)
    if worker.is_alive():  # unblock the reader so the test process can end
        for fifo in (policy, paths.settings_file):
            with contextlib.suppress(OSError):
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    assert result, "reading a FIFO hung"
    (problems,) = result
    assert any(p.startswith(f"{policy}:") and "regular file" in p for p in problems)
    assert any(p.startswith(f"{paths.settings_file}:") and "regular file" in p for p in problems)


# -- fuzzing: bounded here; longer runs belong in a bench script -----------------------------------------

FRAGMENTS = st.sampled_from(
    [
        "[lrs]\n",
        "[locked]\n",
        "[[lrs]]\n",
        'endpoint = "https://lrs.example.org/"\n',
        "keys = [",
        '"lrs.endpoint"',
        "allow_override = ",
        "]\n",
        "{",
        "}",
        "[",
        "= ",
        '"""',
        "'''",
        "\\",
        "\r\n",
        "\x00",
        "\ufeff",
        "sync_interval_minutes = ",
        "9" * 50,
        "1e999",
        "inf",
        "nan",
        "a.b.c.d = 1\n",
        "password = ",
        '"\\u0000"',
        "#",
        "groups = [" * 50,
        "[" * 1_500,  # deeper than Python's recursion limit
        "x = " + "{ a = " * 1_200,
        "a" + ".a" * 1_200 + " = 1\n",
        "n = " + "9" * 4_400 + "\n",  # longer than int() converts
    ]
)
POLICY_TEXTS = st.one_of(
    st.lists(FRAGMENTS | st.text(max_size=20), max_size=40).map("".join),
    st.text(max_size=300),
)


@settings(max_examples=150, deadline=None)
@given(text=POLICY_TEXTS, raw=st.booleans(), garbage=st.binary(max_size=64))
def test_fuzz_the_policy_reader_never_raises_and_names_the_file(
    tmp_path_factory: pytest.TempPathFactory, text: str, raw: bool, garbage: bytes
) -> None:
    policy = tmp_path_factory.mktemp("fuzz") / "policy.toml"
    policy.write_bytes(garbage if raw else text.encode("utf-8", "surrogatepass"))
    paths = resolve_paths()
    paths = AppPaths(paths.data_dir, paths.config_dir, paths.log_dir, paths.cache_dir, policy)
    started = time.monotonic()

    read = read_policy(policy, KEYS_BY_NAME)
    config = load_config(paths)

    assert time.monotonic() - started < 5
    assert all(p.path == policy for p in read.problems)
    assert all(p.startswith(f"{policy}") for p in config.problems)
    assert config.learner_name  # resolving every value works whatever the file held


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=30), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(
    data=st.dictionaries(
        st.sampled_from([*KEYS_BY_NAME, "x"]) | st.text(max_size=20), JSON_VALUES, max_size=6
    ),
    cut=st.integers(min_value=0, max_value=400),
    break_it=st.booleans(),
)
def test_fuzz_the_settings_reader_never_raises_and_names_the_file(
    tmp_path_factory: pytest.TempPathFactory, data: dict[str, object], cut: int, break_it: bool
) -> None:
    folder = tmp_path_factory.mktemp("fuzz-settings")
    paths = resolve_paths(folder)
    paths.config_dir.mkdir(parents=True)
    text = json.dumps(data)
    paths.settings_file.write_text(text[:cut] if break_it else text, encoding="utf-8")

    config = load_config(paths)  # never raises

    assert read_user_settings(paths).problems == () or all(
        str(paths.settings_file) in p for p in read_user_settings(paths).problems
    )
    assert config.learner_name
