"""Start Qt once and say which platform plugin loaded: run by ``microlearn doctor`` in a child process.

A platform plugin that cannot load aborts the whole process, so doctor never does this in
its own process; it reads this one's exit code, the JSON line it prints, and Qt's messages.
"""

from __future__ import annotations

import json
import sys


def probe() -> int:
    import PySide6
    from PySide6.QtCore import qVersion
    from PySide6.QtWidgets import QApplication

    app = QApplication(["microlearn-qt-probe"])
    facts = {"platform": app.platformName(), "qt": qVersion(), "pyside": PySide6.__version__}
    print(json.dumps(facts), flush=True)
    app.quit()
    return 0


if __name__ == "__main__":
    sys.exit(probe())
