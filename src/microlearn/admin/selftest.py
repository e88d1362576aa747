"""``microlearn --self-test``: prove that this copy of the app works, without the learner's data.

IT runs it after a silent install, and CI runs it from the frozen bundle. Everything happens in
a temporary data directory that is deleted afterwards: create the store, install the bundled
content, then render the Today screen offscreen and check that it shows the modules. Each step
prints one line, so a crash inside Qt still leaves a trail; a failure prints
``self-test failed: <what was checked>: <what went wrong>`` and exits non-zero.

Qt is imported only by the rendering step, from ``ui/selftest_window.py`` (only ui/ imports Qt;
headless steps stay headless, as everywhere else).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from microlearn import APP_DISPLAY_NAME, __version__
from microlearn.settings.paths import DATA_DIR_ENV, POLICY_ENV, resolve_paths

if TYPE_CHECKING:
    from microlearn.services.startup import AppServices
    from microlearn.settings.paths import AppPaths

EXIT_PASSED = 0
EXIT_FAILED = 1
RENDER_TIMEOUT_S = 60.0
# Settings that could make the self-test talk to the central record.
OUTSIDE_WORLD_ENV_PREFIXES = ("MICROLEARN_LRS_",)


class CheckFailedError(Exception):
    def __init__(self, check: str, problem: str) -> None:
        super().__init__(f"{check}: {problem}")
        self.check = check
        self.problem = problem


@dataclass(frozen=True)
class ExpectedModule:
    id: str
    title: str


def _output() -> IO[str] | None:
    """Where to report; None in a windowed build started without a console (the exit code tells)."""
    return sys.stdout


def _say(out: IO[str] | None, line: str) -> None:
    if out is not None:
        print(line, file=out, flush=True)


@contextmanager
def _isolated_environment(data_dir: Path) -> Iterator[None]:
    """Point every path at ``data_dir``; ignore the site policy and any LRS settings."""
    saved = dict(os.environ)
    os.environ[DATA_DIR_ENV] = str(data_dir)
    os.environ[POLICY_ENV] = ""
    for key in list(os.environ):
        if key.startswith(OUTSIDE_WORLD_ENV_PREFIXES):
            del os.environ[key]
    if not os.environ.get("QT_QPA_PLATFORM"):  # a platform someone chose is kept (e.g. xcb to test it)
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _check(check: str, step: Callable[[], Any]) -> Any:
    try:
        return step()
    except CheckFailedError:
        raise
    except Exception as exc:  # any failure becomes a reason an admin can read
        raise CheckFailedError(check, f"{type(exc).__name__}: {exc}") from exc


# -- the steps ----------------------------------------------------------------------------------


def read_bundled_content() -> tuple[Path, list[ExpectedModule]]:
    # Late on purpose: a broken import becomes this step's failure line, not a crash.
    from microlearn.content.bundled import bundled_content_dir
    from microlearn.content.loader import load_catalog

    check = "read the bundled content"
    folder = bundled_content_dir()
    if not folder.is_dir():
        raise CheckFailedError(
            check, f"the content folder {folder} is missing; the installation is incomplete"
        )
    result = load_catalog(folder)
    if result.catalog is None:
        first = "; ".join(p.render(folder) for p in list(result.problems.errors)[:3])
        raise CheckFailedError(check, f"{len(result.problems.errors)} error(s) in {folder}, first: {first}")
    modules = [ExpectedModule(m.id, m.title) for t in result.catalog.tracks for m in t.modules]
    if not modules:
        raise CheckFailedError(check, f"{folder} holds no modules")
    return folder, modules


def create_store(paths: AppPaths) -> None:
    # Late on purpose: a broken import becomes this step's failure line, not a crash.
    import sqlite3

    from microlearn.store import migrate
    from microlearn.store.opening import open_store

    check = "create the store"
    try:
        store = open_store(paths)
    except migrate.MigrationError as exc:
        raise CheckFailedError(check, str(exc)) from exc
    store.close()
    if not paths.database.is_file():
        raise CheckFailedError(check, f"no database was written at {paths.database}")
    connection = sqlite3.connect(paths.database)
    try:
        revision = migrate.current_revision(connection)
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        connection.close()
    if revision != migrate.HEAD_REVISION:
        raise CheckFailedError(
            check,
            f"schema is at {revision!r}, expected {migrate.HEAD_REVISION!r} "
            f"(migration scripts looked for in {migrate.MIGRATIONS_DIR})",
        )
    if integrity != "ok":
        raise CheckFailedError(check, f"the new database fails its integrity check: {integrity}")
    # A new store is created in one step, so it needs no migration script; a learner's older
    # store does. Run every step once, on a scratch file, so a bundle without them fails here.
    from microlearn.store.engine import make_engine

    scratch = paths.data_dir / "migration-check.sqlite3"
    engine = make_engine(scratch)
    try:
        migrate.upgrade(engine)
    except migrate.MigrationError as exc:
        raise CheckFailedError(check, str(exc)) from exc
    finally:
        engine.dispose()
        for leftover in (
            scratch,
            scratch.with_name(scratch.name + "-wal"),
            scratch.with_name(scratch.name + "-shm"),
        ):
            leftover.unlink(missing_ok=True)


def install_content(paths: AppPaths, folder: Path, expected: list[ExpectedModule]) -> None:
    # Late on purpose: a broken import becomes this step's failure line, not a crash.
    from microlearn.services.content_install import install_if_changed
    from microlearn.store.opening import open_store

    check = "install the bundled content"
    store = open_store(paths)
    try:
        report = install_if_changed(store, folder)
    finally:
        store.close()
    if report.refused:
        first = "; ".join(p.render(folder) for p in report.problems[:3])
        raise CheckFailedError(check, f"the content was refused: {first}")
    if not report.installed or report.module_count != len(expected):
        raise CheckFailedError(
            check, f"installed {report.module_count} module(s), expected {len(expected)} from {folder}"
        )


def start_app_services(paths: AppPaths, folder: Path, expected: list[ExpectedModule]) -> AppServices:
    # Late on purpose: a broken import becomes this step's failure line, not a crash.
    from microlearn.services.startup import start_services

    check = "start the services"
    services = start_services(paths, content_dir=folder)
    if not services.install.up_to_date:
        services.close()
        raise CheckFailedError(check, "the content was installed again although it had not changed")
    installed = {m.id for t in services.catalog.library() for m in t.modules}
    missing = sorted({m.id for m in expected} - installed)
    if missing:
        services.close()
        raise CheckFailedError(check, f"the Library lacks module(s) {', '.join(missing)}")
    return services


def describe_qt() -> str:
    # Late on purpose: a broken import becomes this step's failure line, not a crash.
    from microlearn.ui.selftest_window import qt_version

    return qt_version()


def render_today(services: AppServices, expected: list[ExpectedModule]) -> str:
    """Show the main window offscreen, wait until Today is painted with data, read what it shows."""
    # Late on purpose: a broken import becomes this step's failure line, not a crash.
    from microlearn.ui.selftest_window import RenderFailedError, show_today

    try:
        return show_today(
            services, os.environ["QT_QPA_PLATFORM"], [m.title for m in expected], RENDER_TIMEOUT_S
        )
    except RenderFailedError as exc:
        raise CheckFailedError("render the Today screen", str(exc)) from exc


# -- the command --------------------------------------------------------------------------------


def run() -> int:
    out = _output()
    started = time.monotonic()
    _say(out, f"{APP_DISPLAY_NAME} {__version__} self-test")
    # SQLite may hold the files a moment longer on Windows: a leftover temp file must not fail us.
    with tempfile.TemporaryDirectory(prefix="microlearn-self-test-", ignore_cleanup_errors=True) as scratch:
        data_dir = Path(scratch) / "data"
        try:
            with _isolated_environment(data_dir):
                paths = resolve_paths()
                _say(out, f"  data directory (temporary): {paths.data_dir}")
                folder, expected = _check("read the bundled content", read_bundled_content)
                _say(out, f"  ok  read the bundled content: {len(expected)} module(s) in {folder}")
                _check("create the store", lambda: create_store(paths))
                _say(out, "  ok  create the store: schema at the newest revision, integrity ok")
                _check("install the bundled content", lambda: install_content(paths, folder, expected))
                _say(out, f"  ok  install the bundled content: {len(expected)} module(s)")
                services = _check("start the services", lambda: start_app_services(paths, folder, expected))
                _say(out, "  ok  start the services: the Library lists every module")
                try:
                    qt = _check("load Qt", describe_qt)
                    platform = os.environ["QT_QPA_PLATFORM"]
                    _say(out, f"  ..  render the Today screen (Qt platform {platform!r}, {qt})")
                    shown = _check("render the Today screen", lambda: render_today(services, expected))
                finally:
                    services.close()
                _say(out, f"  ok  render the Today screen: shows {shown}")
        except CheckFailedError as failure:
            _say(out, f"self-test failed: {failure.check}: {failure.problem}")
            return EXIT_FAILED
    _say(out, f"self-test passed in {time.monotonic() - started:.1f} s")
    return EXIT_PASSED
