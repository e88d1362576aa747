"""How a headless command says it left the learning data alone: one sentence, or one JSON object.

``sync``, ``restore`` and ``due`` all stop with exit code 8 when the store cannot be used;
they say so the same way, so a script reads one ``outcome`` word whichever command it ran.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from microlearn.store.health import StoreOpenError

EXIT_STORE = 8


def refuse(outcome: str, message: str, *, as_json: bool) -> int:
    """Print why nothing was done (``--json``: as ``outcome`` and ``summary``); return exit code 8."""
    if as_json:
        print(json.dumps({"outcome": outcome, "summary": message}, ensure_ascii=False))
    else:
        print(message, file=sys.stderr)
    return EXIT_STORE


def refuse_unopened(exc: StoreOpenError, *, as_json: bool) -> int:
    """The store could not be opened: busy (try later) or not at all (the reason, e.g. a newer version)."""
    # Late, like the commands' own store imports (loaded by then): --version stays light.
    from microlearn.store.health import StoreBusyError

    if isinstance(exc, StoreBusyError):
        message = "The learning data is in use by another program, so nothing was done; try again later."
        return refuse("store_busy", message, as_json=as_json)
    return refuse("store_error", f"The learning data could not be opened: {exc}", as_json=as_json)
