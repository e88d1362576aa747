"""A secret in the IT policy, however badly the policy is written, never leaves through doctor or
the diagnostics zip: a policy that parses is redacted by key name, line and value; one that does
not parse is left out, and the zip says so."""

from __future__ import annotations

import string
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microlearn.admin.diagnostics import build_diagnostics
from microlearn.admin.doctor import run_doctor
from microlearn.settings.config import load_config
from microlearn.settings.paths import resolve_paths

# Where a secret sits in a policy, parseable or not: each is a mistake IT makes in real files.
SECRET_PLACES = (
    '[lrs]\npassword = "{s}"\n',
    '[lrs]\npassword: "{s}"\n',  # YAML habit
    '[lrs]\npassword = "{s}"\npassword = "{s}"\n',  # a duplicate key
    '[lrs]\npassword "{s}"\n',  # a missing =
    '[lrs]\npassword = [\n  "{s}",\n  "second",\n]\n',  # a multi-line array
    '[lrs]\npassword = """\n{s}\n"""\n',  # a multi-line string
    "[lrs]\npassword = '{s}'\n",
    '[lrs]\npasword = "{s}"\n',  # misspelt: unknown, still a secret
    '[lrs]\ncreds = {{ token = "{s}" }}\n',
    '[lrs]\nendpoint = "https://svc:{s}@lrs.example.org/xAPI/"\n',
    '[network]\nproxy = "http://me:{s}@proxy.example.org:3128"\n',
    '[network]\nproxy = "http://{s}@proxy.example.org:3128"\n',  # a token as the user name
    'lrs = {{ username = "svc", password = "{s}" }}\n',
    '[lrs]\npassword = "{s}\n',  # the string never closes
)
NOISE = (
    "",
    "# IT policy\n",
    '[display]\ntheme = "dark"\n',
    "[lrs\n",
    "x = \n",
    '[identity]\nname = "kiosk"\n',
    '[locked]\nkeys = ["lrs.password"]\n',
    "[lrs]\nsync_interval_minutes = 60\n",
    '[lrs]\nusername = "svc"\n',
)
# A password has letters and digits: a plain word may also be a word of the bundle's own text
# (hypothesis tries the words it finds in our source, e.g. "diagnostics"), which is no leak.
SECRETS = st.text(string.ascii_letters + string.digits + "-_.!$^*~", min_size=10, max_size=24).filter(
    lambda s: any(c.isdigit() for c in s) and any(c.isalpha() for c in s)
)


def everything_written(tmp_path: Path, text: str) -> dict[str, str]:
    policy = tmp_path / "policy.toml"
    policy.write_text(text, encoding="utf-8")
    paths = resolve_paths(tmp_path / "data")
    paths = type(paths)(paths.data_dir, paths.config_dir, paths.log_dir, paths.cache_dir, policy)
    config = load_config(paths)
    report = run_doctor(paths, config, qt=False, network=False)
    output = build_diagnostics(paths, config, report, tmp_path / "diagnostics.zip")
    with zipfile.ZipFile(output) as archive:
        written = {name: archive.read(name).decode("utf-8") for name in archive.namelist()}
    written["doctor text"] = report.render_text()
    written["doctor json"] = report.to_json_text()
    written["problems"] = "\n".join(config.problems)
    return written


@settings(max_examples=60, deadline=None)
@given(
    secret=SECRETS,
    place=st.sampled_from(SECRET_PLACES),
    before=st.lists(st.sampled_from(NOISE), max_size=3),
    after=st.lists(st.sampled_from(NOISE), max_size=3),
)
def test_a_secret_in_any_policy_never_reaches_doctor_or_the_diagnostics_zip(
    tmp_path_factory: pytest.TempPathFactory, secret: str, place: str, before: list[str], after: list[str]
) -> None:
    tmp_path = tmp_path_factory.mktemp("leak")
    text = "".join(before) + place.format(s=secret) + "".join(after)

    written = everything_written(tmp_path, text)

    for where, content in written.items():
        assert secret not in content, f"the secret leaked into {where} from:\n{text}"


def test_a_policy_that_does_not_parse_is_left_out_of_the_zip_and_it_says_so(tmp_path: Path) -> None:
    written = everything_written(tmp_path, '[lrs]\nusername = "svc"\npassword: "Pa55word-in-yaml"\n')
    assert "policy.toml" not in written
    assert (
        "not valid TOML" in written["policy-left-out.txt"] and "doctor.txt" in written["policy-left-out.txt"]
    )
    assert "policy.toml:3" in written["doctor.txt"]  # the helpdesk still learns where the error is


def test_a_policy_that_parses_is_copied_with_its_line_numbers_and_without_its_secrets(tmp_path: Path) -> None:
    text = (
        '[lrs]\nusername = "svc"\npassword = """\nPa55word-on-its-own-line\n"""\nsync_interval_minutes = 60\n'
    )
    written = everything_written(tmp_path, text)
    copied = written["policy.toml"].split("\n", 1)[1]  # after the heading line
    assert "Pa55word" not in copied
    assert len(copied.splitlines()) == len(text.splitlines())
    assert 'username = "svc"' in copied and "sync_interval_minutes = 60" in copied
