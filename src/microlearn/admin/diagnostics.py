"""``microlearn diagnostics``: one zip file for the helpdesk.

It holds the logs, a doctor report (text and JSON), the app, OS, Qt and Python versions,
the IT policy and the effective settings with secrets removed, and statistics of the
learning data (counts and sizes, never answers or statement contents).

Secrets are kept out twice: each part is built from redacted values, and then every part
is scrubbed of every form of every configured secret (as given, URL-quoted, and inside a
Basic-auth header) before it is written, so a secret that leaked into an old log line
does not leave the computer either.
"""

from __future__ import annotations

import dataclasses
import importlib.metadata
import json
import platform
import sys
import zipfile
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from microlearn import APP_DISPLAY_NAME, APP_ID, __version__
from microlearn.admin.doctor_report import DoctorReport
from microlearn.settings.config import KEYS, Config
from microlearn.settings.logs import log_files, scrub
from microlearn.settings.paths import AppPaths, create_private_dirs, make_private, private_opener
from microlearn.settings.policy_redaction import redact_policy_text
from microlearn.store import migrate
from microlearn.store.inspection import file_sizes, inspect_store

PACKAGES = ("PySide6-Essentials", "shiboken6", "SQLAlchemy", "alembic", "httpx", "truststore", "platformdirs")
SECRET_NAMES = frozenset(key.name for key in KEYS if key.secret)

README = f"""{APP_DISPLAY_NAME} diagnostics
========================

Made by `microlearn diagnostics` for the helpdesk. Secrets (the LRS password, passwords in
proxy addresses) have been removed from every file. Learners' answers are not included.

doctor.txt, doctor.json   every check of `microlearn doctor`: PASS / WARN / FAIL
versions.json             app, operating system, Qt, Python and library versions
config.json               the effective settings, where each came from, and what is locked
policy.toml               the IT policy as written, secrets redacted (if there is one and
                          it parses; a policy that does not parse is left out, and
                          policy-left-out.txt says why: doctor.txt names its errors)
store.json                the learning data: schema version, rows per table, results
                          waiting / sent / refused, file sizes and backups
logs/                     the app's log files, newest first
"""


def default_output(now: datetime) -> Path:
    return Path.cwd() / f"microlearn-diagnostics-{now.strftime('%Y%m%d-%H%M%S')}.zip"


def _package_versions() -> dict[str, str]:
    found = {}
    for name in PACKAGES:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = "(not found)"
    return found


def versions(report: DoctorReport) -> dict[str, Any]:
    qt = report.check("qt")
    return {
        "app": {
            "name": APP_DISPLAY_NAME,
            "id": APP_ID,
            "version": __version__,
            "frozen": bool(getattr(sys, "frozen", False)),
        },
        "os": {
            "platform": platform.platform(),
            "system": platform.system(),
            "release": platform.release(),
            "version": platform.version(),
            "machine": platform.machine(),
        },
        "qt": dict(qt.facts) if qt is not None else {},
        "python": {"version": sys.version, "implementation": platform.python_implementation()},
        "packages": _package_versions(),
    }


def effective_config(config: Config, paths: AppPaths) -> dict[str, Any]:
    shown = config.redacted()
    return {
        "settings": {
            name: {"value": shown[name], "source": config.source(name), "locked": config.is_locked(name)}
            for name in shown
        },
        "problems": list(config.problems),
        "sync_blocked_reason": config.sync_blocked_reason,
        "paths": {
            "policy_file": str(paths.policy_file) if paths.policy_file else None,
            "data_dir": str(paths.data_dir),
            "config_dir": str(paths.config_dir),
            "log_dir": str(paths.log_dir),
            "cache_dir": str(paths.cache_dir),
        },
    }


def store_statistics(paths: AppPaths) -> dict[str, Any]:
    facts = inspect_store(paths.database, integrity=False)
    data = dataclasses.asdict(facts)
    data["database"] = str(facts.database)
    data["known_revisions"] = list(migrate.KNOWN_REVISIONS)
    data["file_sizes"] = file_sizes(paths)
    return data


def _policy_member(paths: AppPaths) -> tuple[str, str]:
    path = paths.policy_file
    if path is None:
        return "policy-not-found.txt", "MICROLEARN_POLICY is set but empty: no IT policy is read.\n"
    try:
        text = path.read_bytes().decode("utf-8-sig", errors="replace")
    except FileNotFoundError:
        return "policy-not-found.txt", f"No IT policy at {path}.\n"
    except OSError as exc:
        return "policy-not-found.txt", f"The IT policy at {path} could not be read: {exc.strerror}.\n"
    redacted = redact_policy_text(text, SECRET_NAMES)
    if redacted is None:
        # Without a parse nothing says where a value ends: a password could be anywhere in it.
        return "policy-left-out.txt", (
            f"The IT policy at {path} is not valid TOML, so it is left out of this file: secrets in "
            "a policy that does not parse cannot be removed reliably. doctor.txt names its errors "
            "with file:line; ask IT for the file itself.\n"
        )
    return "policy.toml", f"# {path}, secrets redacted\n" + redacted


def _members(paths: AppPaths, config: Config, report: DoctorReport) -> Iterable[tuple[str, str]]:
    yield "README.txt", README
    yield "doctor.txt", report.render_text() + "\n"
    yield "doctor.json", report.to_json_text() + "\n"
    yield "versions.json", json.dumps(versions(report), indent=2)
    yield "config.json", json.dumps(effective_config(config, paths), indent=2, ensure_ascii=False)
    yield _policy_member(paths)
    yield "store.json", json.dumps(store_statistics(paths), indent=2, ensure_ascii=False)
    for log_file in log_files(paths.log_dir):
        yield f"logs/{log_file.name}", log_file.read_text(encoding="utf-8", errors="replace")


def build_diagnostics(paths: AppPaths, config: Config, report: DoctorReport, output: Path) -> Path:
    """Write the zip to ``output`` (a folder gets the default name inside it); returns its path."""
    if output.is_dir():
        output = output / default_output(report.checked_at).name
    create_private_dirs(output.parent)  # a folder the admin already has keeps its mode
    partial = output.with_name(output.name + ".partial")
    with (
        open(partial, "wb", opener=private_opener) as file,  # it holds the learner's logs: 0600
        zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED) as archive,
    ):
        for name, text in _members(paths, config, report):
            archive.writestr(name, scrub(text, config.secrets).encode("utf-8"))
    partial.replace(output)
    make_private(output)
    return output
