"""Reserved settings are accepted and checked but not used yet, and doctor says so (never PASS);
the guide's policy reference is generated from the key table and cannot drift from it."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from microlearn.admin.doctor import DoctorReport, Status, run_doctor
from microlearn.settings import reference
from microlearn.settings.config import KEYS, load_config
from microlearn.settings.paths import resolve_paths
from tests.support.locations import REPO


def test_doctor_says_reserved_settings_are_not_used_yet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text(
        '[content]\nfeed_url = "https://learning.example.com/feed/"\n[audience]\ngroups = ["sales"]\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("MICROLEARN_POLICY", str(policy))
    paths = resolve_paths()

    report = run_doctor(paths, load_config(paths), qt=False, network=False)

    reserved = report.check("reserved")
    assert reserved is not None and reserved.status is Status.INFO
    assert "not used yet" in reserved.detail
    assert "content.feed_url" in reserved.detail
    assert "audience.groups" not in reserved.detail  # the programme uses it now
    assert "content.feed_signing_key" not in reserved.detail  # not set: nothing to say
    assert "INFO  Reserved settings" in report.render_text()
    others = DoctorReport(tuple(c for c in report.checks if c is not reserved), report.checked_at)
    assert report.exit_code == others.exit_code  # worth knowing, not a warning


def test_the_reserved_keys_are_the_content_feed_ones() -> None:
    assert {k.name for k in KEYS if k.reserved} == {"content.feed_url", "content.feed_signing_key"}


def test_no_reserved_check_when_none_is_set() -> None:
    paths = resolve_paths()
    assert run_doctor(paths, load_config(paths), qt=False, network=False).check("reserved") is None


def test_a_change_to_the_key_table_shows_as_a_difference_from_the_guide(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    guide = (REPO / "docs" / "deploying.md").read_text(encoding="utf-8")
    assert reference.rewrite(guide) == guide
    changed = tuple(
        dataclasses.replace(k, help="something else entirely") if k.name == "lrs.endpoint" else k
        for k in KEYS
    )
    monkeypatch.setattr(reference, "KEYS", changed)
    assert reference.rewrite(guide) != guide


def test_the_reference_command_writes_the_table_between_the_markers(tmp_path: Path) -> None:
    page = tmp_path / "guide.md"
    page.write_text(f"# Guide\n\n{reference.START}\nold table\n{reference.END}\n\nafter\n", encoding="utf-8")
    assert reference.main([str(page)]) == 0
    written = page.read_text(encoding="utf-8")
    assert "old table" not in written and written.endswith("\n\nafter\n")
    for key in KEYS:
        assert f"| `{key.name}` |" in written
