"""Workarounds for bugs in the Qt for Python release we run on, each checked before it is applied.

``SignalInstance.emit`` steals a reference to ``True``. With PySide6 6.12.0 on Python 3.11,
every ``signal.emit(...)`` made from Python - directly, or by Qt calling a connected
``some_signal.emit`` - returns ``True`` without taking a reference to it, so each emit leaves
``True``'s reference count one lower. After a few hundred emits (a sync reports progress per
batch; every click of a button wired to ``.emit`` is one) the count reaches zero and the
interpreter aborts: "Fatal Python error: bool_dealloc: deallocating True or False". On
Python 3.12+ ``True`` is immortal and nothing happens. ``install()`` measures whether this
PySide steals the reference and, only if it does, wraps ``emit`` to give the reference back.
Extra references to ``True`` are harmless, so the check errs on the safe side.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance

_PROBES = 32
_installed = False


class _Probe(QObject):
    ping = Signal()


def emit_steals_true() -> bool:
    """Whether ``emit`` here returns ``True`` without a reference of its own (measured)."""
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(_PROBES):
        probe.ping.emit()
    lost = before - sys.getrefcount(True)
    if lost > 0:  # give back what the probe itself took
        for _ in range(lost):
            _incref(True)
    return lost >= _PROBES // 2


_Py_IncRef = ctypes.pythonapi.Py_IncRef
_Py_IncRef.argtypes = [ctypes.py_object]
_Py_IncRef.restype = None


def _incref(value: object) -> None:
    _Py_IncRef(value)


def install() -> bool:
    """Apply the workarounds this PySide needs (once per process); ``True`` if any was applied."""
    global _installed
    if _installed:
        return True
    if not emit_steals_true():
        return False
    original = SignalInstance.emit

    def emit(self: SignalInstance, *args: Any) -> Any:
        """Emit the signal (PySide's ``emit``, giving back the reference it takes from ``True``)."""
        result = original(self, *args)
        _incref(result)  # the reference PySide should have returned with it
        return result

    # Not ``original.__doc__``: reading it makes shiboken build every signature (~90 ms).
    SignalInstance.emit = emit  # type: ignore[method-assign]
    _installed = True
    return True
