"""The baseline: a bare PySide6 window that shows a list and quits on its first paint."""

import sys
import time

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QListWidget


class FirstPaint(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            print(f"first-paint {time.time():.6f}", flush=True)
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
