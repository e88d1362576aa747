"""Rotating log files in the app's log directory, with configured secrets scrubbed from every line.

Secrets are never passed to the logger on purpose; as a second line of defence, every form of
every value that configuration knows to be secret (``config.load_config`` registers them here)
is replaced by ``***`` in each formatted line, tracebacks included. The log files and their
folder are the learner's only (0600 / 0700).
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType

from microlearn.settings.paths import make_private, make_private_dir
from microlearn.settings.redaction import MASK, hide_url_password, redact

__all__ = ["MASK", "hide_in_logs", "hide_url_password", "scrub", "setup_logging"]

LOG_FILE = "microlearn.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5

_hidden: set[str] = set()
log = logging.getLogger("microlearn")


def hide_in_logs(values: Iterable[str]) -> None:
    """Never write these strings to a log file."""
    _hidden.update(v for v in values if v)


def scrub(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with every registered secret (and every one of ``secrets``: give
    ``Config.secrets``, which holds every form of each) masked. The one redaction of the app."""
    return redact(text, _hidden.union(secrets))


class ScrubbingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))


# Our handler's name tells it apart from any handler a host program (or pytest) adds.
HANDLER_NAME = "microlearn-file"


def setup_logging(log_dir: Path, level: int = logging.INFO) -> Path | None:
    """Log to ``log_dir``/microlearn.log (rotated at 1 MB, five kept); calling again is harmless.

    Called again with another folder (tests, ``--data-dir``), the log moves there. A folder
    that cannot be written (a read-only disk, a full one) leaves the app without a log file
    rather than stopping it: ``None`` is returned, and warnings still reach stderr through
    logging's last-resort handler. ``doctor`` reports the folder itself.
    """
    path = log_dir / LOG_FILE
    root = logging.getLogger()
    root.setLevel(level)
    # The HTTP client logs one INFO line per request, with the query (the learner's account).
    for chatty in ("httpx", "httpcore"):
        logging.getLogger(chatty).setLevel(logging.WARNING)
    for handler in list(root.handlers):
        if handler.get_name() == HANDLER_NAME and isinstance(handler, logging.FileHandler):
            if Path(handler.baseFilename) == path.resolve():
                return path
            root.removeHandler(handler)
            handler.close()
    try:
        make_private_dir(log_dir)
        # Late: logging.handlers (and the socket module it brings) must stay off the first paint.
        from microlearn.settings.log_file import PrivateRotatingFileHandler

        handler = PrivateRotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
        )
        make_private(path)  # a log written by an older version: private too
    except OSError:
        return None
    handler.set_name(HANDLER_NAME)
    handler.setFormatter(ScrubbingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    return path


def log_files(log_dir: Path) -> list[Path]:
    """The current log and its rotated predecessors, newest first."""
    current = log_dir / LOG_FILE
    rotated = [log_dir / f"{LOG_FILE}.{n}" for n in range(1, BACKUP_COUNT + 1)]
    return [p for p in (current, *rotated) if p.is_file()]


def crash_message(kind: type[BaseException], log_path: Path | None) -> str:
    where = f"The details are in {log_path}." if log_path else "The details could not be written to the log."
    return (
        f"microlearn: sorry, something went wrong and the command stopped ({kind.__name__}). "
        f"Your learning so far is saved. {where} If it keeps happening, please send it to IT."
    )


def report_crash(
    kind: type[BaseException], value: BaseException, tb: TracebackType | None, log_dir: Callable[[], Path]
) -> None:
    """An unhandled exception in a headless command: its traceback to the log, one kind line to stderr.

    ``log_dir`` is called only now, so the paths are resolved as the command left them.
    (The GUI has its own hook, which also tells the learner in a message box.)
    """
    if issubclass(kind, KeyboardInterrupt):
        print("microlearn: interrupted.", file=sys.stderr)
        return
    path: Path | None = None
    try:
        path = setup_logging(log_dir())
        log.critical("unhandled error; the command stopped", exc_info=(kind, value, tb))
        for handler in logging.getLogger().handlers:
            handler.flush()
    except Exception:  # the log itself is broken: keep the traceback on stderr instead
        path = None
        print(scrub("".join(traceback.format_exception(kind, value, tb))), file=sys.stderr)
    print(crash_message(kind, path), file=sys.stderr)
