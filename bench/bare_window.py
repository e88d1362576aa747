"""The baseline: a bare PySide6 window that shows a list and quits on its first paint.

With ``--stay`` it keeps running after its first paint (for memory over a fixed window;
the bench ends it).
How to run: the benches start it; by hand, QT_QPA_PLATFORM=offscreen python bench/bare_window.py
prints "first-paint <unix time>" and quits.
"""

import sys
import time

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QListWidget

STAY = "--stay" in sys.argv


class FirstPaint(QObject):
    painted = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            if not self.painted:
                self.painted = True
                print(f"first-paint {time.time():.6f}", flush=True)
            if not STAY:
                QApplication.quit()
        return False


app = QApplication(sys.argv)
window = QListWidget()
window.addItems([f"Item {n}" for n in range(20)])
spy = FirstPaint()
window.viewport().installEventFilter(spy)
window.resize(1280, 760)
window.show()
app.exec()
