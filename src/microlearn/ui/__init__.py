"""The Qt user interface: the only package that imports Qt.

Importing it first applies the checked workarounds for the Qt for Python release in use
(see ``qt_workarounds``), so the app, the tests and the benches all run with them.
"""

from microlearn.ui.qt_workarounds import install as _install_qt_workarounds

_install_qt_workarounds()
