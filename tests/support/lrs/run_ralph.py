"""Start Ralph's LRS API with the fs-backend fix applied.

Runs inside Ralph's own virtualenv (see ralph_server.py), so it imports nothing
from our project. Ralph 5.1.0's fs backend opens its file in CREATE mode by default,
which makes every write after the first one fail with 500; appending is what an LRS
needs, so we switch the class default before the app handles any request.
"""

import argparse

import uvicorn  # type: ignore[import-not-found]  # only in the Ralph venv
from ralph.backends.data.base import BaseOperationType  # type: ignore[import-not-found]
from ralph.backends.lrs.fs import FSLRSBackend  # type: ignore[import-not-found]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    FSLRSBackend.default_operation_type = BaseOperationType.APPEND
    # Imported by name in this same process (no reload, one worker), so the
    # class attribute set above is the one the app uses.
    uvicorn.run("ralph.api:app", host="127.0.0.1", port=args.port, log_level="info")


if __name__ == "__main__":
    main()
