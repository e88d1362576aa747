"""Doctor's checks of this computer: the policy and settings, folders, learning data, content, Qt.

Nothing here changes anything: the store is opened read-only, and Qt is started in a child
process, because a platform plugin that cannot load aborts its process.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from microlearn import APP_DISPLAY_NAME
from microlearn.admin.doctor_report import Check, Status
from microlearn.settings.config import KEYS, Config
from microlearn.settings.paths import AppPaths, site_policy_candidates

if TYPE_CHECKING:
    from microlearn.store.inspection import InstalledContent

FREE_SPACE_FAIL = 50 * 1024**2
FREE_SPACE_WARN = 500 * 1024**2
QT_PROBE_TIMEOUT_S = 60
SHOWN_MODULES = 4
SHOWN_CONTENT_ERRORS = 5
QT_LIBRARIES_HINT = (
    "set QT_DEBUG_PLUGINS=1 and run `microlearn doctor` again to see which library is missing "
    "(Debian/Ubuntu: libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxkbcommon-x11-0 libegl1)"
)


def _human_bytes(count: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "bytes" else f"{count:.1f} {unit}"
        count /= 1024
    return f"{count:.1f} TB"  # pragma: no cover


# -- configuration -----------------------------------------------------------------------------------


def check_policy(config: Config) -> Check:
    policy = config.policy
    path = policy.path if policy else None
    if path is None:
        return Check(
            "policy",
            "IT policy",
            Status.WARN,
            "MICROLEARN_POLICY is set but empty, so no IT policy is read: built-in defaults and "
            "the learner's own settings apply.",
            where="the MICROLEARN_POLICY environment variable",
        )
    if policy is None or not policy.found:
        searched = ", ".join(str(p) for p in site_policy_candidates())
        named = "MICROLEARN_POLICY" in os.environ
        return Check(
            "policy",
            "IT policy",
            Status.WARN,
            f"No IT policy at {path}: built-in defaults and the learner's own settings apply."
            + ("" if named else f"\nLooked in: {searched}"),
            where="docs/deploying.md, 'Where the policy file goes'",
            facts={"path": str(path), "found": False},
        )
    errors = config.policy_errors
    warnings = [p for p in config.policy_problems if p.severity == "warning"]
    facts = {
        "path": str(path),
        "found": True,
        "settings": len(policy.values),
        "locked": sorted(config.locked),
    }
    listed = "\n".join(f"{p.severity}: {p.render()}" for p in (*errors, *warnings))
    if errors:
        return Check(
            "policy",
            "IT policy",
            Status.FAIL,
            f"{path} has {len(errors)} error(s): sync is off until they are fixed; the learner can "
            f"still learn offline.\n{listed}",
            where=str(path),
            facts=facts,
        )
    if warnings:
        return Check(
            "policy",
            "IT policy",
            Status.WARN,
            f"{path} is valid but has {len(warnings)} warning(s):\n{listed}",
            where=str(path),
            facts=facts,
        )
    return Check(
        "policy",
        "IT policy",
        Status.PASS,
        f"{path}: {len(policy.values)} setting(s), {len(config.locked)} locked, no problems.",
        where=str(path),
        facts=facts,
    )


def check_locks(config: Config) -> Check | None:
    """Every value another layer gave a locked key, and where it came from (it was ignored).
    Nothing to say when no lock was tried: the policy check counts the locked keys."""
    ignored = config.ignored_overrides
    if not ignored:
        return None
    return Check(
        "locks",
        "Locked settings",
        Status.WARN,
        f"{len(ignored)} value(s) for settings the IT policy locks were ignored:\n"
        + "\n".join(i.render() for i in ignored),
        where="the environment variables, command line or settings file named; [locked] in the IT policy",
        facts={
            "locked": sorted(config.locked),
            "ignored": [{"key": i.name, "source": i.source, "from": i.origin} for i in ignored],
        },
    )


def check_reserved(config: Config) -> Check | None:
    """Settings this version accepts and checks but does not use yet: never a PASS."""
    given = [key.name for key in KEYS if key.reserved and config.source(key.name) != "default"]
    if not given:
        return None
    listed = ", ".join(f"{name} (from the {config.source(name)})" for name in given)
    return Check(
        "reserved",
        "Reserved settings",
        Status.INFO,
        f"Set, valid, and not used yet by this version: {listed}. They take effect in a later version.",
        where="docs/deploying.md, section 'Policy reference'",
        facts={"not_used_yet": given},
    )


def check_settings(config: Config, paths: AppPaths) -> Check:
    policy_lines = {p.render() for p in config.policy_problems}
    others = [p for p in config.problems if p not in policy_lines]
    if others:
        return Check(
            "settings",
            "Other settings",
            Status.WARN,
            "Some settings outside the policy were ignored:\n" + "\n".join(others),
            where=f"{paths.settings_file} and the MICROLEARN_* environment variables",
        )
    return Check(
        "settings",
        "Other settings",
        Status.PASS,
        "The learner's settings and the MICROLEARN_* environment variables are valid.",
        where=str(paths.settings_file),
    )


# -- folders -----------------------------------------------------------------------------------------


def _writable(folder: Path) -> str | None:
    """None if a file can be created (and removed) in ``folder``, else why not."""
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".doctor-", delete=True):
            pass
    except OSError as exc:
        return exc.strerror or type(exc).__name__
    return None


def _existing_ancestor(folder: Path) -> Path:
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def check_folder(check_id: str, title: str, folder: Path, *, space: bool) -> Check:
    present = folder.is_dir()
    probe_dir = folder if present else _existing_ancestor(folder)
    problem = _writable(probe_dir)
    facts: dict[str, Any] = {"path": str(folder), "exists": present}
    if problem:
        return Check(
            check_id,
            title,
            Status.FAIL,
            f"{probe_dir} is not writable ({problem}), so the app cannot keep its files in {folder}.",
            where=f"permissions of {probe_dir}; or set MICROLEARN_DATA_DIR to a writable folder",
            facts=facts,
        )
    status, notes = Status.PASS, [f"{folder} is writable."]
    if not present:
        notes = [f"{folder} does not exist yet; the app creates it at first start ({probe_dir} is writable)."]
    if space:
        free = shutil.disk_usage(probe_dir).free
        facts["free_bytes"] = free
        notes.append(f"{_human_bytes(free)} free.")
        if free < FREE_SPACE_FAIL:
            status = Status.FAIL
        elif free < FREE_SPACE_WARN:
            status = Status.WARN
        if status is not Status.PASS:
            notes.append(
                f"Learning data and its backups need room; at least {_human_bytes(FREE_SPACE_WARN)} is advised."
            )
    return Check(check_id, title, status, " ".join(notes), where=str(folder), facts=facts)


# -- the store and its content ---------------------------------------------------------------------------


def check_store(paths: AppPaths) -> list[Check]:
    from microlearn.store import migrate
    from microlearn.store.backup import backups
    from microlearn.store.inspection import inspect_store

    facts = inspect_store(paths.database)
    database = paths.database
    if not facts.exists:
        return [
            Check(
                "database",
                "Learning data",
                Status.WARN,
                f"No learning data yet at {database}: the app creates it at first start.",
                where=str(paths.data_dir),
            )
        ]
    newest = next(iter(backups(paths.backup_dir)), None)
    backup_note = f"Newest backup: {newest.name}." if newest else "No backup yet."
    if facts.busy:  # a lock held by a sync or a backup tool is not damage
        return [
            Check(
                "database",
                "Learning data",
                Status.WARN,
                f"{database} was locked by another process (a sync or a backup running?), so it "
                f"could not be checked now ({facts.error}). This is not damage: run doctor again "
                f"in a minute. {backup_note}",
                where=str(database),
            )
        ]
    if not facts.sound:
        found = facts.error or "; ".join(facts.integrity[:5])
        database_check = Check(
            "database",
            "Learning data",
            Status.FAIL,
            f"PRAGMA integrity_check on {database} found damage: {found}\nAt its next start the app moves "
            f"the damaged file to {paths.quarantine_dir}, restores the newest good backup and recovers what it "
            f"can still read of the damaged file. {backup_note}",
            where=f"{database}; backups in {paths.backup_dir}",
        )
    else:
        size = database.stat().st_size
        database_check = Check(
            "database",
            "Learning data",
            Status.PASS,
            f"PRAGMA integrity_check: ok ({database}, {_human_bytes(size)}). {backup_note}",
            where=str(database),
            facts={"path": str(database), "bytes": size, "outbox": facts.outbox},
        )
    checks = [database_check]
    revision = facts.revision
    schema_facts = {"revision": revision, "current": migrate.HEAD_REVISION}
    if facts.error is not None:
        return checks
    if revision == migrate.HEAD_REVISION:
        checks.append(
            Check(
                "schema", "Schema version", Status.PASS, f"{revision}, the current one.", facts=schema_facts
            )
        )
    elif revision is None or revision in migrate.KNOWN_REVISIONS:
        checks.append(
            Check(
                "schema",
                "Schema version",
                Status.WARN,
                f"{revision or 'none'}: the app upgrades it to {migrate.HEAD_REVISION} at its next start, "
                "after making a backup.",
                where=str(paths.backup_dir),
                facts=schema_facts,
            )
        )
    else:
        checks.append(
            Check(
                "schema",
                "Schema version",
                Status.FAIL,
                f"{revision}: written by a newer version of {APP_DISPLAY_NAME} (this one knows up to "
                f"{migrate.HEAD_REVISION}). The app refuses to open it and leaves it untouched.",
                where="install the newer version that wrote it",
                facts=schema_facts,
            )
        )
    checks.append(check_content(facts.content))
    return checks


def _content_errors(bundled: Path) -> list[str]:
    """The checker's errors in ``bundled``, with file and line, as the app's install would see them."""
    from microlearn.content.loader import load_catalog

    try:
        result = load_catalog(bundled)
    except Exception as exc:
        return [f"{bundled}: the content checker failed ({type(exc).__name__}: {exc})"]
    return [problem.render(bundled) for problem in result.problems.errors]


def check_content(installed: InstalledContent | None) -> Check:
    from microlearn.content.bundled import bundled_content_dir
    from microlearn.content.source_files import fingerprint

    bundled = bundled_content_dir()
    bundled_print = fingerprint(bundled) if bundled.is_dir() else None
    new = bundled_print is not None and (installed is None or bundled_print != installed.fingerprint)
    errors = _content_errors(bundled) if new else []
    if errors:
        listed = "\n".join(f"  {error}" for error in errors[:SHOWN_CONTENT_ERRORS])
        more = (
            f"\n  and {len(errors) - SHOWN_CONTENT_ERRORS} more" if len(errors) > SHOWN_CONTENT_ERRORS else ""
        )
        kept = (
            "No content is installed, so learners have no modules"
            if installed is None
            else f"The app keeps the installed content ({len(installed.modules)} module(s))"
        )
        return Check(
            "content",
            "Learning content",
            Status.FAIL if installed is None else Status.WARN,
            f"The bundled content ({bundled}) has {len(errors)} error(s), so the app refuses to install it. "
            f"{kept}. The errors:\n{listed}{more}",
            where=f"microlearn content check {bundled}; the log",
        )
    if installed is None:
        return Check(
            "content",
            "Learning content",
            Status.WARN,
            f"No content installed yet: the app installs the bundled content ({bundled}) at its next start.",
            where=str(bundled),
        )
    shown = [f"{module} {version}" for module, version in installed.modules[:SHOWN_MODULES]]
    hidden = len(installed.modules) - len(shown)
    modules = ", ".join(shown) + (f" and {hidden} more (see --json)" if hidden > 0 else "")
    facts = {
        "fingerprint": installed.fingerprint,
        "installed_at": installed.installed_at,
        "tracks": installed.tracks,
        "modules": [list(m) for m in installed.modules],
        "bundled_fingerprint": bundled_print,
    }
    summary = (
        f"{len(installed.modules)} module(s) in {installed.tracks} track(s), installed {installed.installed_at[:19]} "
        f"(content {installed.fingerprint[:12]}): {modules}"
    )
    if bundled_print is not None and bundled_print != installed.fingerprint:
        return Check(
            "content",
            "Learning content",
            Status.WARN,
            f"{summary}\nThe bundled content ({bundled_print[:12]}) differs: the app installs it at its next "
            "start. If this warning stays after a restart, the log says why that content was refused.",
            where=f"{bundled}; the log",
            facts=facts,
        )
    return Check("content", "Learning content", Status.PASS, summary, where=str(bundled), facts=facts)


# -- Qt --------------------------------------------------------------------------------------------------


def self_command() -> list[str]:
    """How to run this same program again: the bundle's executable, or ``python -m microlearn``."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-m", "microlearn"]


def check_qt(run: Callable[..., subprocess.CompletedProcess[str]] = subprocess.run) -> Check:
    env = dict(os.environ)
    note = ""
    headless = sys.platform.startswith("linux") and not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))
    if not env.get("QT_QPA_PLATFORM") and headless:
        env["QT_QPA_PLATFORM"] = "offscreen"
        note = (
            "\nNo display in this session, so only the offscreen plugin was tried; run doctor in a "
            "desktop session to check the display plugin."
        )
    wanted = env.get("QT_QPA_PLATFORM") or "the default"
    command = [*self_command(), "doctor", "--qt-probe"]
    try:
        result = run(command, env=env, capture_output=True, text=True, timeout=QT_PROBE_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return Check(
            "qt",
            "Qt platform plugin",
            Status.FAIL,
            f"Starting Qt ({wanted} platform plugin) did not finish within {QT_PROBE_TIMEOUT_S} s.",
            where=QT_LIBRARIES_HINT,
        )
    facts: dict[str, Any] = {}
    for line in reversed(result.stdout.splitlines()):
        try:
            facts = json.loads(line)
            break
        except ValueError:
            continue
    if result.returncode != 0 or not facts:
        said = "\n".join(result.stderr.strip().splitlines()[-6:]) or "(no message)"
        return Check(
            "qt",
            "Qt platform plugin",
            Status.FAIL,
            f"Qt could not start with {wanted} platform plugin (exit code {result.returncode}). Qt said:\n{said}",
            where=QT_LIBRARIES_HINT,
        )
    return Check(
        "qt",
        "Qt platform plugin",
        Status.PASS,
        f"Qt {facts.get('qt')} started with the '{facts.get('platform')}' platform plugin.{note}",
        facts=facts,
    )
