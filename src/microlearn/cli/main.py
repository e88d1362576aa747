"""The ``microlearn`` command: the app by default, and headless commands for IT and authors.

Heavy imports (Qt, SQLAlchemy) happen inside the command that needs them, so
``microlearn --version`` and ``content check`` stay quick. A plain ``microlearn`` (how
learners start it) goes straight to the window without building the command parser.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from microlearn import APP_DISPLAY_NAME, __version__

if TYPE_CHECKING:
    import argparse


def build_parser() -> argparse.ArgumentParser:
    import argparse
    from pathlib import Path

    from microlearn.cli.admin_commands import add_admin_commands
    from microlearn.cli.content_commands import add_content_commands
    from microlearn.cli.due_commands import add_due_commands
    from microlearn.cli.record_commands import add_record_commands

    parser = argparse.ArgumentParser(
        prog="microlearn",
        description=f"{APP_DISPLAY_NAME}: short offline learning modules. Without a command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"{APP_DISPLAY_NAME} {__version__}")
    parser.add_argument("--data-dir", type=Path, help="Use this folder for learning data (portable mode).")
    parser.add_argument(
        "--self-test", action="store_true", help="Check this installation in a temporary folder."
    )
    parser.add_argument(
        "--set",
        dest="settings",
        metavar="NAME=VALUE",
        type=_setting,
        action="append",
        default=[],
        help="Give a setting for this run only, e.g. --set lrs.sync_interval_minutes=60 "
        "(settings the IT policy locks are not changed).",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    add_content_commands(commands)
    add_record_commands(commands)
    add_due_commands(commands)
    add_admin_commands(commands)
    return parser


def _setting(text: str) -> tuple[str, str]:
    import argparse

    name, equals, value = text.partition("=")
    if not equals or not name.strip():
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, e.g. display.theme=dark, not {text[:80]!r}")
    return name.strip(), value


def command_line_settings(args: argparse.Namespace) -> dict[str, str]:
    """The ``--set`` values of this run, for ``load_config(paths, overrides)``."""
    return dict(getattr(args, "settings", None) or [])


def main(argv: Sequence[str] | None = None) -> int:
    if not (sys.argv[1:] if argv is None else argv):
        return open_app()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.self_test:
        from microlearn.admin import selftest

        return selftest.run()
    if args.data_dir is not None:
        import os

        os.environ["MICROLEARN_DATA_DIR"] = str(args.data_dir)
    handler = getattr(args, "handler", None)
    if handler is not None:
        return int(handler(args))
    return open_app(command_line_settings(args))


def open_app(overrides: dict[str, str] | None = None) -> int:
    # The settings modules first: PySide6 reads the source of every module imported after it
    # (to look for its __feature__ switches), which costs start-up time for no use here.
    import microlearn.settings.config  # noqa: F401
    from microlearn.ui.app import run_app

    return run_app(overrides=overrides)
