# PyInstaller runtime hook for the windowed Windows build (see build.spec).
#
# A windowed (GUI-subsystem) program has no console, so Python sets sys.stdout/sys.stderr to
# None and `microlearn --version`, `--self-test`, `doctor` … would print nothing when IT runs
# them from cmd or PowerShell. When the streams are missing and the parent has a console,
# attach to it. Redirected output (a pipe or a file) already works and is left alone; started
# from the Start menu there is no parent console and nothing changes.
import sys

if sys.platform == "win32" and (sys.stdout is None or sys.stderr is None):
    import ctypes

    ATTACH_PARENT_PROCESS = -1
    if ctypes.windll.kernel32.AttachConsole(ATTACH_PARENT_PROCESS):
        if sys.stdout is None:
            sys.stdout = open("CONOUT$", "w", encoding="utf-8", errors="replace")  # noqa: PTH123, SIM115
        if sys.stderr is None:
            sys.stderr = open("CONOUT$", "w", encoding="utf-8", errors="replace")  # noqa: PTH123, SIM115
