"""``microlearn doctor`` against a real Ralph LRS on 127.0.0.1 (and, for TLS, a real TLS front)."""

from __future__ import annotations

import json
import shutil
import socket
import sqlite3
import ssl
import subprocess
import threading
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from microlearn.admin.doctor import Check, DoctorReport, Status, run_doctor
from microlearn.admin.doctor_checks import check_qt
from microlearn.admin.doctor_lrs import check_proxy
from microlearn.services.startup import start_services
from microlearn.settings.config import load_config
from microlearn.settings.paths import AppPaths, resolve_paths
from tests.support.locations import REPO
from tests.support.lrs.fault_proxy import FaultProxy
from tests.support.lrs.ralph_server import RalphServer
from tests.support.prerequisites import require_command
from tests.support.processes import run_microlearn

pytestmark = pytest.mark.lrs


HOME = "https://learn.example.org"
EVERY_CHECK = (
    "policy",
    "settings",
    "data_dir",
    "log_dir",
    "database",
    "schema",
    "content",
    "qt",
    "proxy",
    "reachable",
    "tls",
    "credentials",
    "clock",
)


def deploy(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    *,
    endpoint: str = "",
    username: str = "",
    password: str = "",
    extra: str = "",
) -> Path:
    """Write an IT policy the way IT would, and point MICROLEARN_POLICY at it."""
    policy = tmp_path / "it" / "policy.toml"
    policy.parent.mkdir(parents=True, exist_ok=True)
    policy.write_text(
        f'[identity]\nsource = "fixed"\nname = "doctor-learner"\nhome_page = "{HOME}"\n\n'
        f'[lrs]\nendpoint = "{endpoint}"\nusername = "{username}"\npassword = "{password}"\n\n'
        '[locked]\nkeys = ["lrs.endpoint", "lrs.username", "lrs.password"]\n' + extra,
        encoding="utf-8",
    )
    monkeypatch.setenv("MICROLEARN_POLICY", str(policy))
    return policy


@pytest.fixture
def installed(data_dir: Path) -> AppPaths:
    """A learner's data folder as the app leaves it: store created, bundled content installed."""
    services = start_services(resolve_paths())
    services.close()
    return services.paths


def doctor(**options: object) -> DoctorReport:
    paths = resolve_paths()
    return run_doctor(paths, load_config(paths), **options)  # type: ignore[arg-type]


def statuses(report: DoctorReport) -> dict[str, str]:
    return {check.id: check.status.value for check in report.checks}


def only(report: DoctorReport, check_id: str) -> Check:
    check = report.check(check_id)
    assert check is not None, statuses(report)
    return check


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return run_microlearn(*args, timeout=180)


# -- against a real LRS -------------------------------------------------------------------------------


def test_a_good_deployment_passes_every_check_and_exits_0(
    ralph: RalphServer,
    installed: AppPaths,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    deploy(tmp_path, monkeypatch, endpoint=ralph.endpoint, username=ralph.username, password=ralph.password)

    done = run_cli("doctor", "--json")

    report = json.loads(done.stdout)
    assert {c["id"]: c["status"] for c in report["checks"]} == dict.fromkeys(EVERY_CHECK, "PASS"), done.stdout
    assert done.returncode == 0 and report["exit_code"] == 0
    by_id = {c["id"]: c for c in report["checks"]}
    assert "no about resource" in by_id["reachable"]["detail"]  # Ralph 5.1.0 answers 404 to /about
    assert by_id["credentials"]["facts"]["status"] == 200
    assert abs(by_id["clock"]["facts"]["skew_seconds"]) < 5
    assert by_id["schema"]["facts"]["revision"] == by_id["schema"]["facts"]["current"]
    assert by_id["content"]["facts"]["modules"]  # module ids and versions installed
    assert by_id["qt"]["facts"]["platform"] == "offscreen"
    assert ralph.password not in done.stdout

    text = run_cli("doctor")
    assert text.returncode == 0
    assert text.stdout.count("PASS  ") == len(EVERY_CHECK) and "everything passed" in text.stdout


def test_wrong_credentials_fail_the_credentials_check(
    ralph: RalphServer,
    installed: AppPaths,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    wrong = "Wrong-Password-7c1f"
    deploy(tmp_path, monkeypatch, endpoint=ralph.endpoint, username=ralph.username, password=wrong)

    report = doctor(qt=False)

    assert only(report, "reachable").status is Status.PASS
    credentials = only(report, "credentials")
    assert credentials.status is Status.FAIL and "refused the credentials" in credentials.detail
    assert "HTTP 401" in credentials.detail and "lrs.password" in credentials.where
    assert report.exit_code == 2
    assert wrong not in report.render_text() and wrong not in report.to_json_text()


def test_a_stopped_lrs_fails_the_reachable_check(
    fresh_ralph: RalphServer,
    installed: AppPaths,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    endpoint, username, password = fresh_ralph.endpoint, fresh_ralph.username, fresh_ralph.password
    fresh_ralph.stop()
    deploy(tmp_path, monkeypatch, endpoint=endpoint, username=username, password=password)

    report = doctor(qt=False)

    reachable = only(report, "reachable")
    assert reachable.status is Status.FAIL
    assert reachable.detail.startswith(f"Could not reach {endpoint}") and "ConnectError" in reachable.detail
    assert "firewall" in reachable.where
    assert report.check("credentials") is None and report.check("clock") is None  # not checked
    assert report.exit_code == 2


def test_no_lrs_configured_is_a_plain_warning(
    installed: AppPaths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deploy(tmp_path, monkeypatch)

    report = doctor(qt=False)

    lrs = only(report, "lrs")
    assert lrs.status is Status.WARN
    assert lrs.detail.startswith("No central record is configured (lrs.endpoint is empty)")
    assert {s for i, s in statuses(report).items() if i != "lrs"} == {"PASS"}
    assert report.exit_code == 1


def test_a_broken_policy_fails_with_file_and_line(
    ralph: RalphServer,
    installed: AppPaths,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    policy = deploy(
        tmp_path,
        monkeypatch,
        endpoint=ralph.endpoint,
        username=ralph.username,
        password=ralph.password,
        extra='\n[display]\ntheme = "neon"\n',
    )

    report = doctor(qt=False)

    check = only(report, "policy")
    assert check.status is Status.FAIL and "sync is off" in check.detail
    assert f"{policy}:15: display.theme must be one of system, light, dark" in check.detail
    assert check.where == str(policy)
    # The LRS itself is still checked: IT sees everything that needs fixing in one run.
    assert only(report, "credentials").status is Status.PASS
    assert report.exit_code == 2

    policy.write_text('[lrs\nendpoint = "x"\n', encoding="utf-8")
    done = run_cli("doctor")
    assert done.returncode == 2
    assert (
        "FAIL  IT policy" in done.stdout and f"{policy}:1: the policy file could not be read" in done.stdout
    )
    assert "WARN  Central record" in done.stdout  # nothing of a broken file applies, the endpoint neither


def test_a_clock_more_than_5_minutes_off_is_a_warning(
    ralph: RalphServer,
    installed: AppPaths,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    deploy(tmp_path, monkeypatch, endpoint=ralph.endpoint, username=ralph.username, password=ralph.password)

    def fast() -> datetime:
        return datetime.now(UTC) + timedelta(minutes=7)

    report = doctor(qt=False, clock=fast)

    clock = only(report, "clock")
    assert clock.status is Status.WARN and "7 min" in clock.detail and "ahead of" in clock.detail
    assert report.exit_code == 1


def test_an_explicit_proxy_is_reported_and_used(
    ralph: RalphServer,
    installed: AppPaths,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with FaultProxy(ralph.endpoint) as proxy:
        deploy(
            tmp_path,
            monkeypatch,
            endpoint=ralph.endpoint,
            username=ralph.username,
            password=ralph.password,
            extra=f'\n[network]\nproxy = "{proxy.proxy_url.replace("://", "://ops:Proxy-Pw-91@")}"\n',
        )
        report = doctor(qt=False)
        methods = [exchange.method for exchange in proxy.exchanges]

    check = only(report, "proxy")
    assert check.status is Status.PASS and check.detail.startswith("Explicit proxy http://ops:***@127.0.0.1:")
    assert only(report, "credentials").status is Status.PASS
    assert methods == ["GET", "GET"]  # about, then one page of statements: through the proxy
    assert "Proxy-Pw-91" not in report.to_json_text()


def test_the_system_proxy_and_its_exceptions_are_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deploy(tmp_path, monkeypatch, endpoint="https://lrs.example.org/xAPI/")
    monkeypatch.setenv("https_proxy", "http://proxy.example.org:3128")
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example.org:3128")
    check = check_proxy(load_config(resolve_paths()))
    assert check.detail.startswith("System proxy http://proxy.example.org:3128 for https addresses")
    assert check.facts["mode"] == "system"

    monkeypatch.setenv("no_proxy", "localhost,.example.org")
    monkeypatch.setenv("NO_PROXY", "localhost,.example.org")
    check = check_proxy(load_config(resolve_paths()))
    assert check.detail.startswith("No proxy: direct connection to lrs.example.org")


# -- TLS: the OS trust store plus the policy's CA bundle -------------------------------------------------


class TlsFront(FaultProxy):
    """The fault proxy behind TLS with a certificate from a private CA: an LRS behind TLS inspection."""

    def __init__(self, upstream: str, context: ssl.SSLContext) -> None:
        super().__init__(upstream)
        self._context = context

    @property
    def https_url(self) -> str:
        return self.url.replace("http://", "https://", 1)

    def _serve(self, conn: socket.socket) -> None:
        try:
            tls = self._context.wrap_socket(conn, server_side=True)
        except (ssl.SSLError, OSError):  # the client did not trust us: nothing to serve
            conn.close()
            with self._lock:
                self._workers.discard(threading.current_thread())
            return
        super()._serve(tls)


def make_ca(folder: Path) -> tuple[Path, Path, Path]:
    """A private CA and a certificate for 127.0.0.1 signed by it (ca.pem, server.pem, server.key)."""
    openssl = require_command("openssl", "openssl")

    def run(*args: str) -> None:
        subprocess.run([openssl, *args], cwd=folder, check=True, capture_output=True)

    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
        "-subj", "/CN=Microlearn Test Inspection CA", "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign")  # fmt: skip
    (folder / "server.ext").write_text(
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n"
        "extendedKeyUsage=serverAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid,issuer\n",
        encoding="utf-8",
    )
    run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
        "-subj", "/CN=127.0.0.1")  # fmt: skip
    run("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", "server.pem", "-days", "2", "-extfile", "server.ext")  # fmt: skip
    return folder / "ca.pem", folder / "server.pem", folder / "server.key"


@pytest.fixture
def tls_front(
    ralph: RalphServer,
    tmp_path: Path,
) -> Iterator[tuple[TlsFront, Path]]:
    folder = tmp_path / "pki"
    folder.mkdir()
    ca, cert, key = make_ca(folder)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    with TlsFront(ralph.endpoint, context) as front:
        yield front, ca


def test_tls_is_verified_against_the_trust_store_plus_the_policy_ca_bundle(
    ralph: RalphServer,
    tls_front: tuple[TlsFront, Path],
    installed: AppPaths,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    front, ca = tls_front
    credentials = {"endpoint": front.https_url, "username": ralph.username, "password": ralph.password}

    deploy(tmp_path, monkeypatch, **credentials)
    untrusted = doctor(qt=False)
    tls = only(untrusted, "tls")
    assert tls.status is Status.FAIL and "CERTIFICATE_VERIFY_FAILED" in tls.detail
    assert "network.ca_bundle" in tls.where
    assert untrusted.exit_code == 2

    deploy(tmp_path, monkeypatch, **credentials, extra=f'\n[network]\nca_bundle = "{ca.as_posix()}"\n')
    trusted = doctor(qt=False)
    assert statuses(trusted) == dict.fromkeys([c for c in EVERY_CHECK if c != "qt"], "PASS")
    assert f"plus the CA bundle {ca.as_posix()}" in only(trusted, "tls").detail

    deploy(tmp_path, monkeypatch, **credentials, extra='\n[network]\nca_bundle = "/nonexistent/ca.pem"\n')
    missing = only(doctor(qt=False), "tls")
    assert missing.status is Status.FAIL and "/nonexistent/ca.pem" in missing.detail


# -- local checks ------------------------------------------------------------------------------------------


def test_a_damaged_or_newer_database_fails(
    installed: AppPaths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deploy(tmp_path, monkeypatch)
    with closing(sqlite3.connect(installed.database)) as db, db:
        db.execute("UPDATE alembic_version SET version_num = '9999'")
    report = doctor(qt=False, network=False)
    schema = only(report, "schema")
    assert schema.status is Status.FAIL and "newer version" in schema.detail
    assert only(report, "database").status is Status.PASS

    installed.database.write_bytes(b"this is not a database" * 100)
    for companion in ("-wal", "-shm"):
        Path(f"{installed.database}{companion}").unlink(missing_ok=True)
    database = only(doctor(qt=False, network=False), "database")
    assert database.status is Status.FAIL and "integrity_check" in database.detail
    assert str(installed.backup_dir) in database.where


def test_a_data_folder_that_cannot_be_written_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("MICROLEARN_DATA_DIR", str(blocker / "data"))
    report = doctor(qt=False, network=False)
    check = only(report, "data_dir")
    assert check.status is Status.FAIL and "is not writable" in check.detail
    assert "MICROLEARN_DATA_DIR" in check.where


def test_a_qt_platform_plugin_that_cannot_load_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "no-such-platform")
    check = check_qt()
    assert check.status is Status.FAIL
    assert "no-such-platform" in check.detail and "QT_DEBUG_PLUGINS=1" in check.where


def test_content_differing_from_the_bundled_content_is_a_warning(
    installed: AppPaths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deploy(tmp_path, monkeypatch)
    newer = tmp_path / "newer-content"
    shutil.copytree(REPO / "content", newer)
    (newer / "README-extra.md").write_text("a change\n", encoding="utf-8")
    monkeypatch.setenv("MICROLEARN_CONTENT_DIR", str(newer))
    check = only(doctor(qt=False, network=False), "content")
    assert check.status is Status.WARN and "installs it at its next start" in check.detail


def test_a_check_that_breaks_is_a_failure_of_that_check_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deploy(tmp_path, monkeypatch)
    import microlearn.admin.doctor as doctor_module

    def broken(_paths: AppPaths) -> list[Check]:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(doctor_module, "check_store", broken)
    report = doctor(qt=False, network=False)
    check = only(report, "database")
    assert check.status is Status.FAIL and "RuntimeError: disk on fire" in check.detail
    assert only(report, "data_dir").status is Status.PASS
