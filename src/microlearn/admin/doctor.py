"""``microlearn doctor``: check a deployment and say, for each thing, PASS, WARN or FAIL.

Each check says what it looked at, what it found and where to look next. Nothing here
changes the computer: the store is opened read-only, Qt is started in a child process
(a platform plugin that cannot load aborts its process), and the central record only
gets two GETs. Exit code: 0 all passed, 1 warnings, 2 failures.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from microlearn.admin.doctor_checks import (
    check_folder,
    check_locks,
    check_policy,
    check_qt,
    check_reserved,
    check_settings,
    check_store,
)
from microlearn.admin.doctor_lrs import check_proxy, lrs_checks
from microlearn.admin.doctor_report import EXIT_FAIL, EXIT_PASS, EXIT_WARN, Check, DoctorReport, Status
from microlearn.settings.config import Config
from microlearn.settings.paths import AppPaths

__all__ = ["EXIT_FAIL", "EXIT_PASS", "EXIT_WARN", "Check", "DoctorReport", "Status", "run_doctor"]

log = logging.getLogger(__name__)


def _guarded(check_id: str, title: str, run: Callable[[], Check | Sequence[Check] | None]) -> list[Check]:
    """A check that breaks is a FAIL of that check, never the end of the report."""
    try:
        result = run()
    except Exception as exc:
        log.exception("doctor: the %s check itself failed", check_id)
        return [
            Check(
                check_id,
                title,
                Status.FAIL,
                f"The check itself failed: {type(exc).__name__}: {exc}",
                where="the log",
            )
        ]
    if result is None:  # nothing to report (e.g. no setting is locked)
        return []
    return [result] if isinstance(result, Check) else list(result)


def run_doctor(
    paths: AppPaths,
    config: Config,
    *,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    qt: bool = True,
    network: bool = True,
) -> DoctorReport:
    checks: list[Check] = []
    checks += _guarded("policy", "IT policy", lambda: check_policy(config))
    checks += _guarded("locks", "Locked settings", lambda: check_locks(config))
    checks += _guarded("reserved", "Reserved settings", lambda: check_reserved(config))
    checks += _guarded("settings", "Other settings", lambda: check_settings(config, paths))
    checks += _guarded(
        "data_dir", "Data folder", lambda: check_folder("data_dir", "Data folder", paths.data_dir, space=True)
    )
    checks += _guarded(
        "log_dir", "Log folder", lambda: check_folder("log_dir", "Log folder", paths.log_dir, space=False)
    )
    checks += _guarded("database", "Learning data", lambda: check_store(paths))
    if qt:
        checks += _guarded("qt", "Qt platform plugin", check_qt)
    if network:
        checks += _guarded("proxy", "Proxy", lambda: check_proxy(config))
        checks += _guarded("lrs", "Central record", lambda: lrs_checks(config, clock))
    report = DoctorReport(tuple(checks), clock())
    for check in report.checks:
        log.info("doctor: %s %s: %s", check.status.value, check.id, check.detail.splitlines()[0])
    return report
