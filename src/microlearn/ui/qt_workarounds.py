"""Workarounds for bugs in the Qt for Python release we run on, each checked before it is applied.

``SignalInstance.emit`` steals a reference to ``True``. With PySide6 6.12.0 on Python 3.11,
every ``signal.emit(...)`` made from Python - directly, or by Qt calling a connected
``some_signal.emit`` - returns ``True`` without taking a reference to it, so each emit leaves
``True``'s reference count one lower. After a few hundred emits (a sync reports progress per
batch; every click of a button wired to ``.emit`` is one) the count reaches zero and the
interpreter aborts: "Fatal Python error: bool_dealloc: deallocating True or False". On
Python 3.12+ ``True`` is immortal and nothing happens. ``install()`` measures whether this
PySide steals the reference and, only if it does, wraps ``emit`` to give the reference back
(as a descriptor, not a function: see ``_Emit``).
Extra references to ``True`` are harmless, so the check errs on the safe side.
"""

from __future__ import annotations

import ctypes
import functools
import sys
from collections.abc import Callable
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


class _Emit:
    """``signal.emit``, giving back the reference PySide's own emit takes from ``True``.

    A descriptor handing out ``functools.partial(original, signal)``, not a plain function:
    a function here would make ``signal.emit`` a Python *bound method*, and for a bound
    method ``connect()`` keeps a weak reference to its ``__self__`` (to drop the connection
    when that object dies). A SignalInstance cannot be weakly referenced, so
    ``other.changed.connect(self.changed.emit)`` left "TypeError: cannot create weak
    reference to 'PySide6.QtCore.SignalInstance'" pending, to surface at some later,
    unrelated call: with the accessibility bus up, right at the Settings wiring. A partial
    is a plain callable, which ``connect()`` holds like the builtin ``emit`` it replaces.
    """

    def __init__(self, original: Callable[..., Any]) -> None:
        self._original = original

    def _emit(self, signal: SignalInstance, *args: Any) -> Any:
        result = self._original(signal, *args)
        _incref(result)  # the reference PySide should have returned with it
        return result

    def __get__(self, signal: SignalInstance | None, owner: type | None = None) -> Callable[..., Any]:
        if signal is None:
            return self._emit  # SignalInstance.emit(signal, *args)
        return functools.partial(self._emit, signal)


def install() -> bool:
    """Apply the workarounds this PySide needs (once per process); ``True`` if any was applied."""
    global _installed
    if _installed:
        return True
    if not emit_steals_true():
        return False
    # Not ``original.__doc__`` anywhere: reading it makes shiboken build every signature (~90 ms).
    # setattr: mypy cannot type replacing a method with a descriptor, and this is no stub bug.
    setattr(SignalInstance, "emit", _Emit(SignalInstance.emit))  # noqa: B010
    _installed = True
    return True
