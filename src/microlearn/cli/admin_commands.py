"""Headless commands for IT and the helpdesk: ``microlearn doctor`` and ``microlearn diagnostics``.

``doctor`` exit codes: 0 every check passed, 1 warnings only, 2 at least one failure.
``diagnostics`` exit codes: 0 the zip was written, 2 it could not be written.

Registering these commands also installs the crash handler of every headless command: an
unhandled exception is written to the log with its traceback, and the person at the
keyboard gets one short line saying where the details are.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from microlearn.cli.main import command_line_settings

EXIT_WRITE_FAILED = 2


def _log_dir() -> Path:
    # Late: --version and --help import every command module; this command's work loads when it runs.
    from microlearn.settings.paths import resolve_paths

    return resolve_paths().log_dir


def _crashed(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    from microlearn.settings.logs import report_crash  # imported only when something went wrong

    report_crash(kind, value, tb, _log_dir)


def _doctor(args: argparse.Namespace) -> int:
    if args.qt_probe:  # doctor's own child process: see microlearn.ui.qt_probe
        from microlearn.ui.qt_probe import probe  # late: it starts Qt, which only this child needs

        return probe()
    # Late: --version and --help import every command module; this command's work loads when it runs.
    from microlearn.admin.doctor import run_doctor
    from microlearn.settings.config import load_config
    from microlearn.settings.logs import scrub, setup_logging
    from microlearn.settings.paths import resolve_paths

    paths = resolve_paths()
    setup_logging(paths.log_dir)
    config = load_config(paths, command_line_settings(args))
    report = run_doctor(paths, config)
    print(scrub(report.to_json_text() if args.json else report.render_text(), config.secrets))
    return report.exit_code


def _diagnostics(args: argparse.Namespace) -> int:
    # Late: --version and --help import every command module; this command's work loads when it runs.
    from microlearn.admin.diagnostics import build_diagnostics, default_output
    from microlearn.admin.doctor import run_doctor
    from microlearn.settings.config import load_config
    from microlearn.settings.logs import scrub, setup_logging
    from microlearn.settings.paths import resolve_paths

    paths = resolve_paths()
    setup_logging(paths.log_dir)
    config = load_config(paths, command_line_settings(args))
    report = run_doctor(paths, config)
    output = args.output or default_output(datetime.now(UTC).astimezone())
    try:
        written = build_diagnostics(paths, config, report, output.expanduser())
    except OSError as exc:
        print(
            scrub(
                f"microlearn: the diagnostics file could not be written to {output}: {exc.strerror}.",
                config.secrets,
            ),
            file=sys.stderr,
        )
        return EXIT_WRITE_FAILED
    print(
        f"Wrote {written.resolve()}\nSend this file to your helpdesk. It holds the logs, a doctor report, "
        "versions, and the settings with passwords removed; not your answers."
    )
    return 0


def add_admin_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``doctor`` and ``diagnostics`` on the ``microlearn`` command's subparsers."""
    sys.excepthook = _crashed
    doctor = commands.add_parser(
        "doctor",
        help="Check this installation: policy, data, content, Qt, and the central record.",
        description="Check this installation and say PASS, WARN or FAIL for each part, with where to look.",
        epilog="exit codes: 0 every check passed, 1 warnings only, 2 at least one failure",
    )
    doctor.add_argument("--json", action="store_true", help="Print the report as one JSON object.")
    doctor.add_argument("--qt-probe", action="store_true", help=argparse.SUPPRESS)
    doctor.set_defaults(handler=_doctor)
    diagnostics = commands.add_parser(
        "diagnostics",
        help="Write a zip file for the helpdesk (logs, doctor report, versions; no secrets).",
        description="Write a zip file for the helpdesk: logs, a doctor report, versions, the policy and "
        "settings with secrets removed, and statistics of the learning data.",
        epilog="exit codes: 0 written, 2 the file could not be written",
    )
    diagnostics.add_argument(
        "--output",
        "-o",
        type=Path,
        metavar="PATH",
        help="Where to write the zip (a file, or a folder); default: the current folder.",
    )
    diagnostics.set_defaults(handler=_diagnostics)
