"""Only ui/ imports Qt: the headless layers (and the self-test's headless steps) must run without it."""

import ast
from pathlib import Path

from tests.support.locations import REPO

PACKAGE = REPO / "src" / "microlearn"
QT_MODULES = ("PySide6", "shiboken6")


def _imported_modules(source: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"), str(source))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_no_module_outside_ui_imports_qt() -> None:
    offenders = sorted(
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in PACKAGE.rglob("*.py")
        if path.relative_to(PACKAGE).parts[0] != "ui"
        for name in _imported_modules(path)
        if name.split(".")[0] in QT_MODULES
    )
    assert offenders == []
