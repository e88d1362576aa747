"""No form of a secret leaves through any output: sync/restore stdout and stderr, doctor's text and
JSON, the log, the outbox's last_error and the diagnostics zip, against a real loopback server that
echoes the credentials back, as a careless or hostile LRS might."""

from __future__ import annotations

import base64
import json
import sqlite3
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import pytest

from microlearn.services.startup import start_services
from microlearn.settings.config import env_name
from microlearn.settings.paths import resolve_paths
from tests.support.learners import play_module
from tests.support.processes import child_env

USERNAME = "svc-microlearn"
PASSWORD = "Pa55:wörd/+%&x"  # changes under URL quoting, JSON escaping and Base64
TOKEN = "tok-3f9a61c0d2"


def forms(secret: str, user: str = USERNAME) -> list[str]:
    return [
        secret,
        quote(secret, safe=""),
        json.dumps(secret)[1:-1],
        base64.b64encode(f"{user}:{secret}".encode()).decode(),
    ]


class EchoingLrs(BaseHTTPRequestHandler):
    """Refuses everything with 400, quoting the request's Authorization and Proxy-Authorization
    headers and their decoded credentials in the body: the worst an LRS (or a proxy) can do with
    what it is sent."""

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        echoed = []
        for name in ("Authorization", "Proxy-Authorization"):
            header = self.headers.get(name, "")
            decoded = base64.b64decode(header.removeprefix("Basic ")).decode() if header else ""
            echoed.append(f"{name}: {header} ({decoded})")
        body = json.dumps({"error": f"echo: refused {self.path} for {'; '.join(echoed)}"}).encode()
        self.send_response(400)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = _answer  # noqa: N815 (http.server dispatches on these names)

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass


@pytest.fixture
def echoing_lrs() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), EchoingLrs)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/xAPI/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def run(data_dir: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "microlearn", "--data-dir", str(data_dir), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def test_no_form_of_the_password_or_a_token_leaves_through_any_output(
    echoing_lrs: str, data_dir: Path, tmp_path: Path
) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text(
        f'[lrs]\nendpoint = "{echoing_lrs}"\nusername = "{USERNAME}"\npassword = "{PASSWORD}"\n'
        # The same server is the proxy too, given with a token as its user name.
        f'[network]\nproxy = "http://{TOKEN}@{echoing_lrs.split("//")[1].split("/")[0]}/"\n',
        encoding="utf-8",
    )
    env = child_env(MICROLEARN_POLICY=str(policy), NO_PROXY="127.0.0.1,localhost", PYTHONUNBUFFERED="1")
    env[env_name("identity.source")] = "fixed"
    env[env_name("identity.name")] = "secret-test-learner"
    services = start_services(resolve_paths(data_dir))
    try:
        play_module(services.learning, "data-privacy-and-security")
    finally:
        services.close()

    outputs: dict[str, str] = {}
    for command in (["sync"], ["sync", "--json"], ["restore"], ["doctor"], ["doctor", "--json"]):
        done = run(data_dir, env, *command)
        outputs[" ".join(command)] = done.stdout + done.stderr
    done = run(data_dir, env, "diagnostics", "-o", str(tmp_path / "diag.zip"))
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(tmp_path / "diag.zip") as archive:
        for name in archive.namelist():
            outputs[f"zip:{name}"] = archive.read(name).decode("utf-8")
    for log_file in (data_dir / "logs").iterdir():
        outputs[f"log:{log_file.name}"] = log_file.read_text(encoding="utf-8")
    with sqlite3.connect(data_dir / "microlearn.sqlite3") as db:
        errors = [row[0] for row in db.execute("SELECT last_error FROM outbox WHERE last_error IS NOT NULL")]
    assert errors, "the echoing LRS refused the statements: their last_error holds its message"
    outputs["outbox.last_error"] = "\n".join(errors)

    # The server did echo the credentials: what we assert on had them to leak.
    assert "echo: refused" in outputs["outbox.last_error"]
    for where, text in outputs.items():
        for secret in (*forms(PASSWORD), TOKEN):
            assert secret not in text, f"{secret!r} leaked in {where}"
    assert "***" in outputs["outbox.last_error"], outputs["outbox.last_error"]
