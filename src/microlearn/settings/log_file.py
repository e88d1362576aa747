"""The rotating log file, private to the learner (logs.setup_logging builds it)."""

from __future__ import annotations

import io
import logging.handlers
from typing import cast

from microlearn.settings.paths import private_opener


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Creates the log, and each new one after a rotation, readable by the learner only."""

    def _open(self) -> io.TextIOWrapper:
        # The handler owns the stream and closes it, as logging.FileHandler does.
        stream = open(  # noqa: SIM115
            self.baseFilename, self.mode, encoding=self.encoding, errors=self.errors, opener=private_opener
        )
        return cast(io.TextIOWrapper, stream)
