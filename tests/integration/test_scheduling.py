"""The scheduled-sync definitions in installer/scheduling/, checked as far as this machine can.

systemd's own verifier checks the user units; the Task Scheduler XML and the launchd plist are
parsed and compared with what the bundle is called (installer/app_metadata.py). Registering
them on Windows and macOS cannot be tested here.
"""

from __future__ import annotations

import os
import plistlib
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from microlearn.cli.record_commands import SYNC_EXIT_CODES
from tests.support.locations import REPO
from tests.support.prerequisites import require_command

SCHEDULING = REPO / "installer" / "scheduling"
TASK = "{http://schemas.microsoft.com/windows/2004/02/mit/task}"

sys.path.insert(0, str(REPO / "installer"))
from app_metadata import read_metadata  # noqa: E402

META = read_metadata(REPO)


def unit_value(text: str, key: str) -> str:
    match = re.search(rf"^{key}=(.*)$", text, re.MULTILINE)
    assert match, key
    return match.group(1).strip()


def test_the_systemd_user_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    systemd_analyze = require_command("systemd-analyze", "systemd")
    service = (SCHEDULING / "microlearn-sync.service").read_text(encoding="utf-8")
    command = unit_value(service, "ExecStart").split()
    assert command == [f"/opt/{META.name}/{META.name}", "sync"]  # where the .deb puts the bundle
    # The verifier checks that the command exists: stand in for the installed bundle.
    stand_in = tmp_path / META.name
    stand_in.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    stand_in.chmod(0o755)
    (tmp_path / "microlearn-sync.service").write_text(
        service.replace(command[0], str(stand_in)), encoding="utf-8"
    )
    shutil.copy(SCHEDULING / "microlearn-sync.timer", tmp_path)
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)

    done = subprocess.run(
        [systemd_analyze, "--user", "verify", "microlearn-sync.timer", "microlearn-sync.service"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "XDG_RUNTIME_DIR": str(runtime)},
        timeout=60,
    )

    assert done.returncode == 0, done.stderr
    assert "microlearn-sync" not in done.stderr, done.stderr  # no warning about our files either


def test_the_service_treats_only_the_normal_laptop_outcomes_as_success() -> None:
    service = (SCHEDULING / "microlearn-sync.service").read_text(encoding="utf-8")
    ok = {int(code) for code in unit_value(service, "SuccessExitStatus").split()}
    by_outcome = SYNC_EXIT_CODES
    assert ok == {by_outcome["offline"], by_outcome["locked"], by_outcome["not_configured"]}
    assert by_outcome["credentials_refused"] not in ok and by_outcome["some_refused"] not in ok
    timer = (SCHEDULING / "microlearn-sync.timer").read_text(encoding="utf-8")
    assert unit_value(timer, "RandomizedDelaySec")  # thousands of laptops must not call at once


def test_the_windows_task_is_well_formed_and_runs_sync_as_the_logged_on_user() -> None:
    raw = (SCHEDULING / "microlearn-sync.xml").read_bytes()
    raw.decode("ascii")  # schtasks refuses a file whose bytes do not match its declared encoding
    root = ET.fromstring(raw)

    assert root.tag == f"{TASK}Task" and root.get("version") == "1.2"
    command = root.findtext(f"{TASK}Actions/{TASK}Exec/{TASK}Command")
    assert command is not None and command.strip('"').endswith(f"\\{META.name}.exe")
    assert root.findtext(f"{TASK}Actions/{TASK}Exec/{TASK}Arguments") == "sync"
    principal = root.find(f"{TASK}Principals/{TASK}Principal")
    assert principal is not None
    assert principal.findtext(f"{TASK}GroupId") == "S-1-5-32-545"  # BUILTIN\Users: whoever is logged on
    assert principal.findtext(f"{TASK}RunLevel") == "LeastPrivilege"
    assert root.find(f"{TASK}Actions").get("Context") == principal.get("id")  # type: ignore[union-attr]
    logon = root.find(f"{TASK}Triggers/{TASK}LogonTrigger")
    assert logon is not None
    # The schema's order: the base trigger's elements (Enabled, Repetition) before Delay.
    assert [child.tag.removeprefix(TASK) for child in logon] == ["Enabled", "Repetition", "Delay"]
    assert logon.findtext(f"{TASK}Repetition/{TASK}Interval") == "PT1H"
    assert root.findtext(f"{TASK}Settings/{TASK}MultipleInstancesPolicy") == "IgnoreNew"


def test_the_launchd_agent_parses_and_runs_the_bundle_hourly() -> None:
    path = SCHEDULING / "com.microlearn.Microlearn.sync.plist"
    with path.open("rb") as handle:
        agent = plistlib.load(handle)

    assert agent["Label"] == path.stem == f"{META.app_id}.sync"
    assert agent["ProgramArguments"] == [
        f"/Applications/{META.display_name}.app/Contents/MacOS/{META.name}",
        "sync",
    ]
    assert agent["StartInterval"] == 3600 and agent["RunAtLoad"] is False
    assert agent["ProcessType"] == "Background"
