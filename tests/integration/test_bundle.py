"""The installation IT deploys: ``--self-test``, the trimmed PyInstaller bundle and the .deb.

The first tests run from source in seconds. Those marked ``bundle`` build the bundle once per
session (or use ``MICROLEARN_BUNDLE_DIR``, e.g. ``dist/microlearn`` after ``make bundle``) and
the .deb from it, then run them the way a deployment would: ``--version`` and ``--self-test``
from the bundle, from the extracted package, and — when the tests run as root, as in CI —
from a real ``dpkg -i``, followed by ``dpkg -r``.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import struct
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from microlearn import APP_DISPLAY_NAME, APP_ID, APP_NAME, __version__
from tests.support.locations import REPO
from tests.support.prerequisites import missing, require_command, require_root

sys.path.insert(0, str(REPO / "installer"))
from app_metadata import read_metadata, windows_version_info
from bundle_trim import keep_plugin, trim_qt

BUILD_TIMEOUT_S = 900
RUN_TIMEOUT_S = 120
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def run(
    args: list[str], env: dict[str, str] | None = None, timeout: float = RUN_TIMEOUT_S
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=timeout, check=False)


def source_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    env.update(extra)
    return env


def frozen_env(**extra: str) -> dict[str, str]:
    """What a learner's session passes to the installed app: no PYTHONPATH, no Microlearn overrides."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "MICROLEARN_"))}
    env.update(extra)
    return env


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


# -- --self-test from source -------------------------------------------------------------------


def test_self_test_passes_in_a_temporary_folder_and_leaves_the_learner_data_alone(tmp_path: Path) -> None:
    learner = tmp_path / "learner"
    learner.mkdir()
    (learner / "keep.txt").write_text("the learner's own file")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    result = run(
        [sys.executable, "-m", "microlearn", "--self-test"],
        source_env(MICROLEARN_DATA_DIR=str(learner), TMPDIR=str(scratch)),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for step in ("create the store", "install the bundled content", "render the Today screen"):
        assert f"ok  {step}" in result.stdout
    assert "self-test passed" in result.stdout
    assert snapshot(learner) == {"keep.txt": hashlib.sha256(b"the learner's own file").hexdigest()}
    assert list(scratch.iterdir()) == [], "the temporary data directory was not removed"


def test_self_test_names_what_failed_when_the_content_is_broken(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    module_file = sorted(content.glob("*/*/module.yaml"))[0]
    module_file.write_text("id: [unclosed\n", encoding="utf-8")
    result = run(
        [sys.executable, "-m", "microlearn", "--self-test"],
        source_env(MICROLEARN_CONTENT_DIR=str(content)),
    )
    assert result.returncode == 1
    assert "self-test failed: read the bundled content:" in result.stdout
    assert "module.yaml" in result.stdout
    assert "render the Today screen" not in result.stdout  # it stops at the first failure


# -- what the spec reads and decides -----------------------------------------------------------


def test_installer_facts_come_from_the_package() -> None:
    meta = read_metadata(REPO)
    assert (meta.name, meta.display_name, meta.app_id, meta.version) == (
        APP_NAME,
        APP_DISPLAY_NAME,
        APP_ID,
        __version__,
    )
    text = windows_version_info(meta)
    assert f"filevers={meta.numeric_version!r}" in text
    assert f"StringStruct('ProductVersion', '{__version__}')" in text
    assert f"StringStruct('OriginalFilename', '{APP_NAME}.exe')" in text
    # PyInstaller evaluates the file with its version-info classes in scope (on Windows only:
    # they need pefile). Evaluate it with stand-ins that record what each was given.
    classes = ("VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable", "StringStruct")
    classes += ("VarFileInfo", "VarStruct")
    scope = {name: functools.partial(recorded_call, name) for name in classes}
    kind, _args, kwargs = eval(text, scope)
    assert kind == "VSVersionInfo"
    assert kwargs["ffi"][2]["filevers"] == kwargs["ffi"][2]["prodvers"] == meta.numeric_version


def recorded_call(
    name: str, *args: object, **kwargs: object
) -> tuple[str, tuple[object, ...], dict[str, object]]:
    return name, args, kwargs


def test_a_prerelease_version_still_gives_windows_four_numbers() -> None:
    meta = read_metadata(REPO)
    from dataclasses import replace

    assert replace(meta, version="1.12.3rc2").numeric_version == (1, 12, 3, 0)
    assert replace(meta, version="2.0").numeric_version == (2, 0, 0, 0)


@pytest.mark.parametrize(
    ("kind", "file", "platform", "kept"),
    [
        ("platforms", "libqxcb.so", "linux", True),
        ("platforms", "libqwayland.so", "linux", True),
        ("platforms", "libqoffscreen.so", "linux", True),
        ("platforms", "libqeglfs.so", "linux", False),
        ("platforms", "libqvnc.so", "linux", False),
        ("platforms", "qwindows.dll", "win32", True),
        ("platforms", "libqcocoa.dylib", "darwin", True),
        ("platformthemes", "libqgtk3.so", "linux", False),
        ("platformthemes", "libqxdgdesktopportal.so", "linux", True),
        ("imageformats", "libqjpeg.so", "linux", True),
        ("imageformats", "qsvg.dll", "win32", True),
        ("imageformats", "libqtiff.so", "linux", False),
        ("platforminputcontexts", "libqtvirtualkeyboardplugin.so", "linux", False),
        ("tls", "libqopensslbackend.so", "linux", False),
        ("sqldrivers", "libqsqlite.so", "linux", False),
    ],
)
def test_which_qt_plugins_the_bundle_keeps(kind: str, file: str, platform: str, kept: bool) -> None:
    assert keep_plugin(kind, file, platform) is kept


def test_trimming_drops_the_libraries_only_dropped_plugins_needed() -> None:
    links = {
        "/w/QtGui.abi3.so": {"libQt6Gui.so.6"},
        "/w/libQt6Gui.so.6": {"libQt6Core.so.6", "libfreetype.so.6"},
        "/w/libQt6Core.so.6": set(),
        "/w/libfreetype.so.6": set(),
        "/w/libqxcb.so": {"libQt6XcbQpa.so.6"},
        "/w/libQt6XcbQpa.so.6": {"libQt6Gui.so.6"},
        "/w/libqgtk3.so": {"libgtk-3.so.0", "libQt6Gui.so.6"},
        "/w/libgtk-3.so.0": {"libcairo.so.2"},
        "/w/libcairo.so.2": {"libfreetype.so.6"},
        "/w/libuuid.so.1": set(),  # loaded with ctypes: nothing links it, so it is kept
    }
    binaries = [
        ("PySide6/QtGui.abi3.so", "/w/QtGui.abi3.so", "EXTENSION"),
        ("PySide6/Qt/lib/libQt6Gui.so.6", "/w/libQt6Gui.so.6", "BINARY"),
        ("PySide6/Qt/lib/libQt6Core.so.6", "/w/libQt6Core.so.6", "BINARY"),
        ("libfreetype.so.6", "/w/libfreetype.so.6", "BINARY"),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "/w/libqxcb.so", "BINARY"),
        ("PySide6/Qt/lib/libQt6XcbQpa.so.6", "/w/libQt6XcbQpa.so.6", "BINARY"),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", "/w/libqgtk3.so", "BINARY"),
        ("libgtk-3.so.0", "/w/libgtk-3.so.0", "BINARY"),
        ("libcairo.so.2", "/w/libcairo.so.2", "BINARY"),
        ("libuuid.so.1", "/w/libuuid.so.1", "BINARY"),
    ]
    datas = [
        ("libQt6Gui.so.6", "PySide6/Qt/lib/libQt6Gui.so.6", "SYMLINK"),
        ("libgtk-3.so.0.1", "libgtk-3.so.0", "SYMLINK"),  # points at a dropped library: goes too
        ("PySide6/Qt/translations/qtbase_de.qm", "/w/qtbase_de.qm", "DATA"),
        ("content/track.yaml", "/w/track.yaml", "DATA"),
    ]
    kept, kept_datas, report = trim_qt(binaries, datas, "linux", lambda path: links[path])
    assert {e[0] for e in kept} == {
        "PySide6/QtGui.abi3.so",
        "PySide6/Qt/lib/libQt6Gui.so.6",
        "PySide6/Qt/lib/libQt6Core.so.6",
        "libfreetype.so.6",  # also needed by Qt itself
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/lib/libQt6XcbQpa.so.6",
        "libuuid.so.1",
    }
    assert report.dropped_plugins == ["platformthemes/libqgtk3.so"]
    assert report.dropped_libraries == ["libcairo.so.2", "libgtk-3.so.0"]
    assert [e[0] for e in kept_datas] == ["libQt6Gui.so.6", "content/track.yaml"]
    assert report.dropped_translations == 1


def test_the_icons_exist_at_every_size_in_every_format() -> None:
    icons = REPO / "resources" / "icons"
    for size in ICON_SIZES:
        header = (icons / f"{APP_NAME}-{size}.png").read_bytes()[:24]
        assert header[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">II", header[16:24]) == (size, size)
    ico = (icons / f"{APP_NAME}.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    sides = {ico[6 + 16 * n] or 256 for n in range(count)}
    assert (reserved, kind) == (0, 1) and {16, 32, 48, 256} <= sides
    icns = (icons / f"{APP_NAME}.icns").read_bytes()
    assert icns[:4] == b"icns" and struct.unpack(">I", icns[4:8])[0] == len(icns)
    assert b"ic10" in icns and b"ic07" in icns  # 1024 (512@2x) and 128 px
    assert b"<svg" in (icons / f"{APP_NAME}.svg").read_bytes()


# -- the frozen bundle -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def build_area(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("bundle-build")


@pytest.fixture(scope="session")
def bundle(build_area: Path) -> Path:
    """The one-folder bundle: MICROLEARN_BUNDLE_DIR if set, else built now with build.spec."""
    given = os.environ.get("MICROLEARN_BUNDLE_DIR")
    if given:
        folder = Path(given).resolve()
        assert (folder / APP_NAME).is_file(), f"MICROLEARN_BUNDLE_DIR={given} holds no {APP_NAME} executable"
        return folder
    env = dict(os.environ, PYINSTALLER_CONFIG_DIR=str(build_area / "pyinstaller-cache"), HOME=str(build_area))
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--distpath", str(build_area / "dist")]
    command += ["--workpath", str(build_area / "build"), str(REPO / "build.spec")]
    result = run(command, env, timeout=BUILD_TIMEOUT_S)
    assert result.returncode == 0, result.stderr[-4000:]
    return build_area / "dist" / APP_NAME


@pytest.mark.bundle
def test_bundle_reports_the_package_version(bundle: Path) -> None:
    result = run([str(bundle / APP_NAME), "--version"], frozen_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{APP_DISPLAY_NAME} {__version__}"


@pytest.mark.bundle
def test_bundle_passes_its_self_test(bundle: Path, tmp_path: Path) -> None:
    result = run([str(bundle / APP_NAME), "--self-test"], frozen_env(TMPDIR=str(tmp_path)))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "self-test passed" in result.stdout
    assert f"in {bundle / '_internal' / 'content'}" in result.stdout  # the bundled copy, not the tree's
    assert "qt." not in result.stderr, result.stderr  # no Qt plugin warnings


@pytest.mark.bundle
def test_bundle_renders_through_the_x11_plugin(bundle: Path, tmp_path: Path) -> None:
    """The platform plugin a Linux desktop uses, with the xcb libraries the bundle carries."""
    xvfb_run = require_command("xvfb-run", "xvfb")
    result = run(
        [xvfb_run, "-a", str(bundle / APP_NAME), "--self-test"],
        frozen_env(QT_QPA_PLATFORM="xcb", TMPDIR=str(tmp_path)),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "(Qt platform 'xcb'," in result.stdout and "self-test passed" in result.stdout


@pytest.mark.bundle
@pytest.mark.parametrize(
    ("removed", "reason"),
    [
        ("microlearn/store/migrations/versions", "self-test failed: create the store: schema is at None"),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", "platform plugin 'offscreen' is not installed"),
    ],
)
def test_a_damaged_bundle_fails_its_self_test_saying_what_is_wrong(
    bundle: Path, tmp_path: Path, removed: str, reason: str
) -> None:
    damaged = tmp_path / "damaged"
    shutil.copytree(bundle, damaged, symlinks=True, copy_function=os.link)  # hard links: fast, and
    target = damaged / "_internal" / removed  # removing a link leaves the bundle itself alone
    if target.is_dir():
        shutil.rmtree(target)
    else:
        target.unlink()
    result = run([str(damaged / APP_NAME), "--self-test"], frozen_env(TMPDIR=str(tmp_path)))
    assert result.returncode == 1, result.stdout + result.stderr
    assert reason in result.stdout
    assert (bundle / "_internal" / removed).exists()


@pytest.mark.bundle
def test_bundle_holds_the_migrations_and_content_but_not_unused_qt(bundle: Path) -> None:
    internal = bundle / "_internal"
    migrations = internal / APP_NAME / "store" / "migrations"
    assert (migrations / "env.py").is_file() and (migrations / "script.py.mako").is_file()
    shipped = {p.name for p in (migrations / "versions").glob("*.py")}
    in_tree = {p.name for p in (REPO / "src" / APP_NAME / "store" / "migrations" / "versions").glob("*.py")}
    assert shipped == in_tree and shipped
    assert len(list((internal / "content").rglob("module.yaml"))) == len(
        list((REPO / "content").rglob("module.yaml"))
    )
    plugins = internal / "PySide6" / "Qt" / "plugins"
    platforms = {p.name for p in (plugins / "platforms").iterdir()}
    assert {"libqxcb.so", "libqwayland.so", "libqoffscreen.so", "libqminimal.so"} <= platforms
    assert "libqeglfs.so" not in platforms
    assert not (plugins / "platformthemes" / "libqgtk3.so").exists()
    assert not (internal / "PySide6" / "Qt" / "translations").exists()
    assert not list(internal.rglob("libQt6Quick*")) and not list(internal.rglob("libgtk-3*"))


# -- the Debian package ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def deb(bundle: Path, build_area: Path) -> Path:
    deps = run(["bash", str(REPO / "installer" / "linux" / "install-build-deps.sh")], timeout=600)
    assert deps.returncode == 0, deps.stdout + deps.stderr
    out = build_area / "deb"
    # gzip: the same package 8x faster to compress than the release's xz (see build-deb.sh).
    env = dict(os.environ, PYTHON=sys.executable, DEB_COMPRESSION="gzip")
    result = run(
        ["bash", str(REPO / "installer" / "linux" / "build-deb.sh"), str(bundle), str(out)], env, 600
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return Path(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="session")
def extracted(deb: Path, build_area: Path) -> Path:
    root = build_area / "extracted"
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    return root


@pytest.mark.bundle
def test_deb_lays_out_the_app_launcher_desktop_entry_and_icons(extracted: Path) -> None:
    assert os.access(extracted / "opt" / APP_NAME / APP_NAME, os.X_OK)
    launcher = (extracted / "usr" / "bin" / APP_NAME).read_text()
    assert f"exec /opt/{APP_NAME}/{APP_NAME} " in launcher
    desktop = (extracted / "usr" / "share" / "applications" / f"{APP_NAME}.desktop").read_text()
    assert f"Exec={APP_NAME}\n" in desktop and f"Icon={APP_NAME}\n" in desktop
    assert f"Name={APP_DISPLAY_NAME}\n" in desktop
    hicolor = extracted / "usr" / "share" / "icons" / "hicolor"
    for size in ICON_SIZES:
        assert (hicolor / f"{size}x{size}" / "apps" / f"{APP_NAME}.png").is_file()
    assert (hicolor / "scalable" / "apps" / f"{APP_NAME}.svg").is_file()
    copyright_text = (extracted / "usr" / "share" / "doc" / APP_NAME / "copyright").read_text()
    assert "PySide6" in copyright_text and "SQLAlchemy" in copyright_text


@pytest.mark.bundle
def test_deb_depends_on_every_system_library_the_bundle_loads(deb: Path, extracted: Path) -> None:
    """Cross-check build-deb's Depends (direct links, dpkg -S) with what ldd loads for every file."""
    fields = run(["dpkg-deb", "-f", str(deb), "Package", "Version", "Depends"]).stdout
    assert f"Package: {APP_NAME}\n" in fields and f"Version: {__version__}\n" in fields
    depends = fields.split("Depends:", 1)[1].strip()
    packages = [part.split()[0] for part in depends.split(",")]
    assert "libc6 (>= 2." in depends
    loaded: set[str] = set()
    unresolved: list[str] = []
    for path in (extracted / "opt" / APP_NAME).rglob("*"):
        if path.is_file() and not path.is_symlink() and path.read_bytes()[:4] == b"\x7fELF":
            for line in run(["ldd", str(path)]).stdout.splitlines():
                if "not found" in line:
                    unresolved.append(f"{path.name}: {line.strip()}")
                elif "=>" in line and str(extracted) not in line:
                    loaded.add(line.split("=>")[1].split("(")[0].strip())
    assert unresolved == []
    owners = {run(["dpkg", "-S", library]).stdout.split(":", 1)[0] for library in loaded}
    owners.discard("")
    assert owners, "the bundle loads no system library at all?"
    assert owners <= depends_closure(packages), owners - depends_closure(packages)


def depends_closure(packages: list[str]) -> set[str]:
    """The packages and everything they depend on, as installed here (a library's own libraries)."""
    seen: set[str] = set()
    queue = list(packages)
    while queue:
        package = queue.pop()
        if package in seen:
            continue
        seen.add(package)
        fields = run(["dpkg-query", "-W", "-f=${Depends},${Pre-Depends}", package]).stdout
        for alternatives in fields.split(","):
            queue += [choice.split()[0].split(":")[0] for choice in alternatives.split("|") if choice.strip()]
    return seen


@pytest.mark.bundle
def test_deb_runs_its_self_test_from_the_extracted_tree(extracted: Path, tmp_path: Path) -> None:
    result = run(
        [str(extracted / "opt" / APP_NAME / APP_NAME), "--self-test"], frozen_env(TMPDIR=str(tmp_path))
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "self-test passed" in result.stdout


@pytest.fixture(scope="session")
def lintian() -> str:
    return require_command("lintian", "lintian")  # install-build-deps.sh installs it as root


@pytest.mark.bundle
def test_deb_has_no_lintian_errors(deb: Path, lintian: str) -> None:
    result = run([lintian, "--no-tag-display-limit", str(deb)], timeout=600)
    errors = [line for line in result.stdout.splitlines() if line.startswith("E:")]
    assert errors == [], "\n".join(errors)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture
def installed(deb: Path) -> Iterator[Path]:
    """``dpkg -i`` the package for one test, and make sure it is removed afterwards."""
    require_root()
    dpkg = require_command("dpkg", "dpkg")
    if run(["dpkg-query", "-W", "-f=${Status}", APP_NAME]).stdout.startswith("install ok"):
        missing(f"a machine where {APP_NAME} is not installed already (this test will not replace it)")
    result = run([dpkg, "-i", str(deb)], timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    try:
        yield Path("/opt") / APP_NAME
    finally:
        run([dpkg, "-r", APP_NAME], timeout=600)


@pytest.mark.bundle
def test_deb_installs_runs_and_removes_cleanly_keeping_learner_data(installed: Path, tmp_path: Path) -> None:
    learner = tmp_path / "learner"
    path_env = frozen_env(PATH=f"/usr/bin:{os.environ.get('PATH', '')}", TMPDIR=str(tmp_path))
    assert shutil.which(APP_NAME, path="/usr/bin") == f"/usr/bin/{APP_NAME}"
    version = run([APP_NAME, "--version"], path_env)
    assert version.stdout.strip() == f"{APP_DISPLAY_NAME} {__version__}"
    assert run([APP_NAME, "--self-test"], path_env).returncode == 0

    # A learner uses the installed app: the real start-up creates their store and installs content.
    session = run(
        [APP_NAME],
        dict(
            path_env,
            MICROLEARN_DATA_DIR=str(learner),
            MICROLEARN_QUIT_AFTER="today",
            QT_QPA_PLATFORM="offscreen",
        ),
    )
    assert session.returncode == 0, session.stdout + session.stderr
    assert (learner / "microlearn.sqlite3").is_file()
    before = snapshot(learner)

    removed = run(["dpkg", "-r", APP_NAME], timeout=600)
    assert removed.returncode == 0, removed.stdout + removed.stderr
    assert not installed.exists(), f"{installed} is left behind: {list(installed.rglob('*'))[:5]}"
    assert not Path(f"/usr/bin/{APP_NAME}").exists()
    assert not Path(f"/usr/share/applications/{APP_NAME}.desktop").exists()
    assert snapshot(learner) == before, "removing the package changed the learner's data"
