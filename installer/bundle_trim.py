"""What the frozen bundle leaves out: unused Qt, and whatever only the unused parts needed.

Shared by ``build.spec`` and ``bench/bare_bundle.spec`` so the app and its baseline (a bare
PySide6 window) are trimmed alike. PyInstaller's Qt hooks collect every plugin of every type
that QtGui and QtNetwork may use, every library those plugins link to (GTK 3, Pango, Cairo for
the gtk3 theme; the EGLFS and compositor libraries…), and all of Qt's translations.
Microlearn is a QtWidgets app drawn with the raster engine and the Fusion style, in English,
that reads PNG/JPEG/GIF/SVG/WebP lesson images and asks Qt only whether the network is up.
So the bundle keeps, by plugin type (a type not listed is dropped whole):

platforms             the desktop windowing systems (xcb, wayland / windows / cocoa), plus
                      offscreen and minimal for ``--self-test``, CI and headless use; the
                      embedded ones (eglfs, linuxfb, vnc, vkkhrdisplay, minimalegl) go
platformthemes        xdgdesktopportal (portal dialogs and the colour scheme, over D-Bus only);
                      gtk3 goes: it drags GTK 3, Pango and Cairo into the bundle and the package's
                      dependencies, while we draw our own Fusion palette (Qt's built-in GNOME and
                      KDE themes still read dark mode and fonts)
platforminputcontexts compose (dead keys, accented letters) and ibus (input methods);
                      the virtual keyboard goes (it needs QtQuick and QML)
imageformats          jpeg, gif, svg, webp: what the content checker accepts (PNG is built in);
                      tiff, tga, wbmp, ico, icns and pdf go
iconengines           svg (SVG icons of desktop icon themes, e.g. message-box icons)
networkinformation    the backends that tell the sync controller the network came back
wayland-*             xdg-shell, window decorations, the EGL client buffer integration;
                      compositor-side, automotive and legacy shells go

Dropped types include tls (HTTP goes through httpx with the OS trust store, not QtNetwork),
generic (evdev/tuio input without a window system), egldeviceintegrations (eglfs),
xcbglintegrations (OpenGL on X11: raster widgets never create a GL context), styles (Fusion is
built into QtWidgets), printsupport, sqldrivers, qmltooling and designer. All Qt translations
go: the app installs no QTranslator, so they are never loaded.

Then every shared library that nothing kept links to is dropped, so the libraries only the
dropped plugins needed go too. A library counts as "asked for" (a root) when no other
collected binary links to it: Python extensions, libpython, libraries loaded with ctypes.
"""

from __future__ import annotations

import os
import posixpath
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import PurePath, PurePosixPath

TocEntry = tuple[str, str, str]  # (name in the bundle, source path, PyInstaller type code)

# Plugin file stems (no "lib" prefix, no extension) to keep, by plugin type and platform.
KEEP_PLUGINS: dict[str, dict[str, frozenset[str]]] = {
    "platforms": {
        "linux": frozenset(
            {"qxcb", "qwayland", "qwayland-egl", "qwayland-generic", "qoffscreen", "qminimal"}
        ),
        "win32": frozenset({"qwindows", "qoffscreen", "qminimal"}),
        "darwin": frozenset({"qcocoa", "qoffscreen", "qminimal"}),
    },
    "platformthemes": {"linux": frozenset({"qxdgdesktopportal"})},
    "platforminputcontexts": {
        "linux": frozenset({"composeplatforminputcontextplugin", "ibusplatforminputcontextplugin"})
    },
    "imageformats": {"*": frozenset({"qjpeg", "qgif", "qsvg", "qwebp"})},
    "iconengines": {"*": frozenset({"qsvgicon"})},
    "networkinformation": {
        "linux": frozenset({"qnetworkmanager", "qglib"}),
        "win32": frozenset({"qnetworklistmanager"}),
        "darwin": frozenset({"qscnetworkreachability", "qapplenetworkinformation"}),
    },
    "wayland-shell-integration": {"linux": frozenset({"xdg-shell"})},
    "wayland-decoration-client": {"linux": frozenset({"bradient", "adwaita"})},
    "wayland-graphics-integration-client": {"linux": frozenset({"qt-plugin-wayland-egl"})},
}

# Python modules the app never imports. Excluding PySide6 modules keeps PyInstaller's hooks
# from collecting their Qt libraries at all; the rest are pulled in by optional imports.
EXCLUDED_MODULES = (
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtQuickWidgets",
    "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets",
    "PySide6.QtPrintSupport",
    "PySide6.QtSql",
    "PySide6.QtTest",
    "PySide6.QtDesigner",
    "PySide6.QtUiTools",
    "PySide6.QtHelp",
    "PySide6.QtXml",
    "PySide6.QtConcurrent",
    "PySide6.QtSvgWidgets",
    "PySide6.QtSvg",  # the SVG image plugin links libQt6Svg itself; Python never calls it
    "PySide6.QtDBus",  # likewise for D-Bus (platform theme, input methods, network backends)
    "tkinter",  # no Tk
    # Builds the accented pseudo-translation for the tests and screenshots from the .ts file;
    # the app never imports it, and bundled it would bring XML parsing (pyexpat, an embedded
    # copy of a library Debian ships, which lintian refuses).
    "microlearn.ui.pseudo_locale",
    "pydantic.mypy",  # pydantic's mypy plugin drags in mypy itself (~4 MB)
    "mypy",
    "ast_serialize",
    "readline",  # only the interactive debugger uses it, and it would ship GPL libreadline
    "curses",
    # Only ProcessPoolExecutor needs it, and we start no processes; bundled, it also brings
    # PyInstaller's multiprocessing start-up hook, which imports it before the window (~40 ms).
    "multiprocessing",
    "pygments",  # only Mako's HTML error pages highlight with it; Alembic never renders those
    "yaml._yaml",  # libyaml bindings: the content loader uses the pure-Python SafeLoader (line numbers)
)

_PLUGIN_PATH = re.compile(r"(^|/)plugins/(?P<kind>[^/]+)/(?P<file>[^/]+)$")
_TRANSLATION_PATH = re.compile(r"^PySide6/(Qt/)?translations/")


def platform_key(platform: str = sys.platform) -> str:
    return "linux" if platform.startswith("linux") else platform


def plugin_stem(file_name: str) -> str:
    stem = file_name.split(".", 1)[0]
    return stem[3:] if stem.startswith("lib") else stem


def keep_plugin(kind: str, file_name: str, platform: str = sys.platform) -> bool:
    wanted = KEEP_PLUGINS.get(kind)
    if wanted is None:
        return False
    names = wanted.get(platform_key(platform), frozenset()) | wanted.get("*", frozenset())
    return plugin_stem(file_name) in names


def _bundle_path(entry: TocEntry) -> str:
    return entry[0].replace(os.sep, "/")


def _name(entry: TocEntry) -> str:
    return PurePosixPath(_bundle_path(entry)).name


def dropped_plugin(entry: TocEntry, platform: str = sys.platform) -> str | None:
    """``kind/file`` when ``entry`` is a Qt plugin this bundle does not keep."""
    path = _bundle_path(entry)
    match = _PLUGIN_PATH.search(path)
    if not path.startswith("PySide6/") or match is None:
        return None
    return None if keep_plugin(match["kind"], match["file"], platform) else f"{match['kind']}/{match['file']}"


def is_translation(entry: TocEntry) -> bool:
    return bool(_TRANSLATION_PATH.match(_bundle_path(entry)))


@dataclass
class TrimReport:
    dropped_plugins: list[str] = field(default_factory=list)
    dropped_libraries: list[str] = field(default_factory=list)
    dropped_translations: int = 0

    def details(self) -> str:
        return "\n".join(
            [
                "  dropped Qt plugins: " + ", ".join(self.dropped_plugins),
                "  dropped libraries only they needed: " + ", ".join(self.dropped_libraries),
            ]
        )

    def summary(self) -> str:
        return (
            f"trimmed: {len(self.dropped_plugins)} Qt plugin(s), {len(self.dropped_libraries)} "
            f"shared librar(y/ies) only they needed, {self.dropped_translations} Qt translation file(s)"
        )


def _linked_names(path: str) -> set[str]:
    """Names of the shared libraries a binary links to (PyInstaller's own reader: ELF, PE, Mach-O)."""
    from PyInstaller.depend import bindepend

    return {PurePath(name).name for name, _resolved in bindepend.get_imports(path)}


def _reachable(files: list[TocEntry], roots: list[TocEntry], links: dict[str, set[str]]) -> set[str]:
    by_name: dict[str, list[TocEntry]] = {}
    for entry in files:
        by_name.setdefault(_name(entry), []).append(entry)
    kept: set[str] = set()
    queue = list(roots)
    while queue:
        entry = queue.pop()
        if entry[0] in kept:
            continue
        kept.add(entry[0])
        for name in links[entry[1]]:
            queue.extend(e for e in by_name.get(name, []) if e[0] not in kept)
    return kept


def trim_qt(
    binaries: Iterable[TocEntry],
    datas: Iterable[TocEntry],
    platform: str = sys.platform,
    linked_names: Callable[[str], set[str]] = _linked_names,
) -> tuple[list[TocEntry], list[TocEntry], TrimReport]:
    report = TrimReport()
    entries, data_entries = list(binaries), list(datas)
    unwanted = {e[0]: name for e in entries if (name := dropped_plugin(e, platform))}
    report.dropped_plugins = sorted(unwanted.values())
    if platform_key(platform) in ("linux", "win32"):
        files = [e for e in entries if e[2] != "SYMLINK"]
        links = {e[1]: linked_names(e[1]) for e in files}
        linked_by_something = set().union(*links.values()) if links else set()
        roots = [e for e in files if _name(e) not in linked_by_something and e[0] not in unwanted]
        kept = _reachable(files, roots, links)
        report.dropped_libraries = sorted(
            _name(e) for e in files if e[0] not in kept and e[0] not in unwanted
        )
        dropped = {_bundle_path(e) for e in files if e[0] not in kept}
    else:
        # macOS: Qt comes as .framework bundles, which must not be taken apart (and this is
        # untested here), so only plugins and translations are dropped.
        dropped = {_bundle_path(e) for e in entries if e[0] in unwanted}

    def wanted(entry: TocEntry) -> bool:
        if entry[2] == "SYMLINK":  # PyInstaller links Qt libraries into the top folder: follow the target
            target = posixpath.normpath(
                posixpath.join(posixpath.dirname(_bundle_path(entry)), entry[1].replace(os.sep, "/"))
            )
            return target not in dropped
        return _bundle_path(entry) not in dropped

    kept_binaries = [e for e in entries if wanted(e)]
    kept_datas = [e for e in data_entries if wanted(e) and not is_translation(e)]
    report.dropped_translations = sum(1 for e in data_entries if is_translation(e))
    return kept_binaries, kept_datas, report
