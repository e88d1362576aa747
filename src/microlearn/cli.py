"""The ``microlearn`` command: the app by default, and headless commands for IT and authors.

Heavy imports (Qt, SQLAlchemy) happen inside the command that needs them, so
``microlearn --version`` and ``content check`` stay quick.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from microlearn import APP_DISPLAY_NAME, __version__
from microlearn.cli_records import add_record_commands

EXIT_OK = 0
EXIT_CONTENT_ERRORS = 1
EXIT_USAGE = 2


def _content_check(args: argparse.Namespace) -> int:
    from microlearn.content.loader import load_catalog

    result = load_catalog(Path(args.path))
    for problem in result.problems:
        print(problem.render(Path.cwd()), file=sys.stderr if problem.severity == "error" else sys.stdout)
    errors, warnings = len(result.problems.errors), len(result.problems.warnings)
    if result.catalog is not None:
        modules = sum(len(t.modules) for t in result.catalog.tracks)
        print(
            f"OK: {len(result.catalog.tracks)} track(s), {modules} module(s) checked; {warnings} warning(s)."
        )
        return EXIT_OK
    print(
        f"Content has {errors} error(s) and {warnings} warning(s); nothing can be installed until "
        "the errors are fixed.",
        file=sys.stderr,
    )
    return EXIT_CONTENT_ERRORS


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="microlearn",
        description=f"{APP_DISPLAY_NAME}: short offline learning modules. Without a command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"{APP_DISPLAY_NAME} {__version__}")
    parser.add_argument("--data-dir", type=Path, help="Use this folder for learning data (portable mode).")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    content = commands.add_parser("content", help="Tools for curriculum authors.")
    content_commands = content.add_subparsers(dest="content_command", metavar="ACTION", required=True)
    check = content_commands.add_parser("check", help="Check authored content and report every problem.")
    check.add_argument("path", help="A content folder, a track folder or a module folder.")
    check.set_defaults(handler=_content_check)
    add_record_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.data_dir is not None:
        import os

        os.environ["MICROLEARN_DATA_DIR"] = str(args.data_dir)
    handler = getattr(args, "handler", None)
    if handler is not None:
        return int(handler(args))
    from microlearn.ui.app import run_app

    return run_app()
