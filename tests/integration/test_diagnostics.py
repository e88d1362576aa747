"""``microlearn diagnostics`` and the logs: everything the helpdesk needs, and never a secret.

The commands run as real processes, the way a helpdesk asks a learner (or a script) to run
them, against a real Ralph LRS on 127.0.0.1.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest

from microlearn.services.startup import start_services
from microlearn.settings.config import env_name
from microlearn.settings.logs import LOG_FILE
from microlearn.settings.paths import AppPaths, resolve_paths
from tests.support.learners import play_module
from tests.support.lrs.fault_proxy import FaultProxy
from tests.support.lrs.ralph_server import RalphServer
from tests.support.processes import child_env, run_microlearn

pytestmark = pytest.mark.lrs

HOME = "https://learn.example.org"
POLICY_SECRET = "Policy-Pw-Q7x!k2#Zeta"  # quoting changes it: the URL-quoted form is checked too
ENV_SECRET = "Env-Pw-9fd3c1e07b"
PROXY_SECRET = "Proxy-Pw-5e1a"


def cli(*args: str, code: str | None = None) -> subprocess.CompletedProcess[str]:
    if code is None:
        return run_microlearn(*args, timeout=180)
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=180, env=child_env()
    )


def forms_of(secret: str, username: str) -> list[str]:
    """Every way a secret could be written out."""
    return [
        secret,
        quote(secret, safe=""),
        base64.b64encode(f"{username}:{secret}".encode()).decode(),
        base64.b64encode(secret.encode()).decode(),
    ]


def write_policy(folder: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> Path:
    policy = folder / "it" / "policy.toml"
    policy.parent.mkdir(parents=True, exist_ok=True)
    policy.write_text(text, encoding="utf-8")
    monkeypatch.setenv("MICROLEARN_POLICY", str(policy))
    return policy


def log_text(paths: AppPaths) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in sorted(paths.log_dir.glob(f"{LOG_FILE}*")))


def test_the_diagnostics_zip_has_what_the_helpdesk_needs_and_no_secret(
    ralph: RalphServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with FaultProxy(ralph.endpoint) as proxy:
        proxy_url = proxy.proxy_url.replace("://", f"://ops:{PROXY_SECRET}@")
        write_policy(
            tmp_path,
            monkeypatch,
            f'[identity]\nsource = "fixed"\nname = "diag-learner"\nhome_page = "{HOME}"\n\n'
            f'[lrs]\nendpoint = "{ralph.endpoint}"\nusername = "{ralph.username}"\n'
            f'password = "{POLICY_SECRET}"\n\n[network]\nproxy = "{proxy_url}"\n\n'
            '[locked]\nkeys = ["lrs.endpoint"]\n',
        )
        monkeypatch.setenv(env_name("lrs.password"), ENV_SECRET)  # overrides the policy's, also wrong
        paths = resolve_paths()
        services = start_services(paths)
        try:
            play_module(services.learning, "data-privacy-and-security")
        finally:
            services.close()
        synced = cli("sync")
        assert synced.returncode == 4, synced.stderr  # refused credentials: results keep waiting
        # A line that an older version might have leaked: diagnostics must not pass it on.
        with (paths.log_dir / LOG_FILE).open("a", encoding="utf-8") as log:
            log.write(
                f"2020-01-01 00:00:00 INFO old: tried {ENV_SECRET} and {POLICY_SECRET} for {proxy_url}\n"
            )

        output = tmp_path / "for-helpdesk.zip"
        done = cli("diagnostics", "--output", str(output))

    assert done.returncode == 0, done.stderr
    assert str(output) in done.stdout and output.is_file()
    with zipfile.ZipFile(output) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    assert {
        "README.txt",
        "doctor.txt",
        "doctor.json",
        "versions.json",
        "config.json",
        "policy.toml",
        "store.json",
        "logs/microlearn.log",
    } <= set(members)

    forbidden = [
        *forms_of(POLICY_SECRET, ralph.username),
        *forms_of(ENV_SECRET, ralph.username),
        *forms_of(PROXY_SECRET, "ops"),
    ]
    for name, data in members.items():
        for secret in forbidden:
            assert secret.encode() not in data, f"{secret!r} found in {name}"
            assert secret not in name

    doctor = json.loads(members["doctor.json"])
    checks = {c["id"]: c for c in doctor["checks"]}
    assert checks["credentials"]["status"] == "FAIL" and checks["proxy"]["facts"]["mode"] == "explicit"
    assert b"FAIL  Credentials" in members["doctor.txt"]

    versions = json.loads(members["versions.json"])
    assert versions["app"]["version"] and versions["python"]["version"] and versions["os"]["platform"]
    assert versions["qt"]["qt"] and versions["packages"]["httpx"] != "(not found)"

    config = json.loads(members["config.json"])["settings"]
    assert config["lrs.password"] == {"value": "(set)", "source": "environment", "locked": False}
    assert config["lrs.endpoint"] == {"value": ralph.endpoint, "source": "policy", "locked": True}
    assert config["network.proxy"]["value"] == proxy_url.replace(PROXY_SECRET, "***")

    policy = members["policy.toml"].decode()
    assert 'password = "(redacted)"' in policy and f'endpoint = "{ralph.endpoint}"' in policy

    store = json.loads(members["store.json"])
    assert store["revision"] and store["revision"] in store["known_revisions"]
    assert store["outbox"]["pending"] > 0 and store["table_counts"]["outbox"] == store["outbox"]["pending"]
    assert store["table_counts"]["modules"] > 0 and store["content"]["modules"]
    assert store["file_sizes"]["microlearn.sqlite3"] > 0

    logs = members["logs/microlearn.log"].decode()
    assert "sync: The central record refused the credentials" in logs and "old: tried *** and ***" in logs


def test_diagnostics_into_a_folder_gets_a_dated_name(tmp_path: Path) -> None:
    done = cli("diagnostics", "-o", str(tmp_path))
    assert done.returncode == 0, done.stderr
    (written,) = tmp_path.glob("microlearn-diagnostics-*.zip")
    with zipfile.ZipFile(written) as archive:
        assert "policy-not-found.txt" in archive.namelist()
        assert json.loads(archive.read("doctor.json"))["exit_code"] in (1, 2)


# -- logs ---------------------------------------------------------------------------------------------


def test_a_sync_with_a_wrong_password_never_writes_it_to_the_log(
    ralph: RalphServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    paths = resolve_paths()
    monkeypatch.setenv(env_name("lrs.endpoint"), ralph.endpoint)
    monkeypatch.setenv(env_name("lrs.username"), ralph.username)
    monkeypatch.setenv(env_name("lrs.password"), ENV_SECRET)
    services = start_services(paths)
    try:
        play_module(services.learning, "data-privacy-and-security")
    finally:
        services.close()

    done = cli("sync")
    doctor = cli("doctor")

    assert done.returncode == 4 and doctor.returncode == 2
    written = log_text(paths)
    assert "credentials_refused" in written and "doctor: FAIL credentials" in written
    for secret in forms_of(ENV_SECRET, ralph.username):
        assert secret not in written
        assert secret not in done.stdout + done.stderr + doctor.stdout + doctor.stderr


CRASH = """
import sys
from microlearn.cli.main import main
from microlearn.services.sync import SyncService

def broken(self, progress=None):
    raise RuntimeError("unexpected state while holding " + {secret!r})

SyncService.sync_now = broken
raise SystemExit(main(["sync"]))
"""


def test_an_unhandled_error_is_logged_with_its_traceback_and_the_learner_sees_one_kind_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(env_name("lrs.endpoint"), "http://127.0.0.1:9/xAPI/")
    monkeypatch.setenv(env_name("lrs.password"), ENV_SECRET)
    paths = resolve_paths()

    done = cli(code=CRASH.format(secret=ENV_SECRET))

    assert done.returncode == 1
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("microlearn: sorry, something went wrong") and "RuntimeError" in line
    assert "Your learning so far is saved" in line and str(paths.log_dir / LOG_FILE) in line
    written = log_text(paths)
    assert "CRITICAL" in written and "Traceback (most recent call last)" in written
    assert "in broken" in written and "RuntimeError: unexpected state while holding ***" in written
    assert ENV_SECRET not in written and ENV_SECRET not in done.stderr


def test_logs_rotate_in_the_log_folder(tmp_path: Path) -> None:
    import logging

    from microlearn.settings import logs

    paths = resolve_paths()
    path = logs.setup_logging(paths.log_dir)
    assert path == paths.log_dir / LOG_FILE
    logger = logging.getLogger("microlearn.test")
    line = "x" * 1000
    for _ in range(2 * logs.MAX_BYTES // 1000 + 10):
        logger.info(line)
    assert [p.name for p in logs.log_files(paths.log_dir)][:3] == [LOG_FILE, f"{LOG_FILE}.1", f"{LOG_FILE}.2"]

    elsewhere = logs.setup_logging(tmp_path / "other-logs")  # moving the log (tests, --data-dir)
    logger.info("moved")
    assert "moved" in elsewhere.read_text(encoding="utf-8")
    assert "moved" not in path.read_text(encoding="utf-8")
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, logging.handlers.RotatingFileHandler)]:
        root.removeHandler(handler)
        handler.close()


def test_the_log_leaves_out_the_http_clients_line_per_request(tmp_path: Path) -> None:
    # httpx logs every request at INFO, with its query (the learner's account); the app, the
    # commands and the background sync all log through setup_logging, which quiets it.
    import logging

    from microlearn.settings import logs

    path = logs.setup_logging(tmp_path / "logs")
    try:
        logging.getLogger("httpx").info("HTTP Request: GET /statements?agent=alice")
        logging.getLogger("httpx").warning("a real problem")
        logging.getLogger("microlearn.test").info("our own line")
        written = path.read_text(encoding="utf-8")
        assert "agent=alice" not in written
        assert "a real problem" in written and "our own line" in written
    finally:
        root = logging.getLogger()
        for handler in [h for h in root.handlers if h.get_name() == logs.HANDLER_NAME]:
            root.removeHandler(handler)
            handler.close()
