"""Which Debian package owns a library, and leaving Debian's libraries out of the .deb's bundle.

PyInstaller copies every system library the bundle links to (except libc and the graphics
stack) into it, so the bundle runs anywhere. Inside a .deb that is the wrong trade: those
copies (OpenSSL, zlib, expat, FreeType, libpng, SQLite, GLib, X11…) would never get Debian's
security updates. So the package leaves out each copied library that a Debian package on the
build machine provides, and depends on that package instead (deb_depends.py finds it, since
the bundle's files still name the library as NEEDED).

    python3 installer/linux/debian_libraries.py unbundle BUNDLE_DIR
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ELF_MAGIC = b"\x7fELF"
_NEEDED = re.compile(r"^\s*NEEDED\s+(\S+)", re.MULTILINE)
_LDCONFIG = re.compile(r"^\s*(\S+) \([^)]*\) => (\S+)", re.MULTILINE)


def owning_package(library: Path) -> str | None:
    """dpkg -S, trying the path as given, resolved, and its /usr-merged twin (Debian 12 records either)."""
    text = str(library)
    candidates = [text, str(library.resolve())]
    candidates += [text.removeprefix("/usr")] if text.startswith("/usr/") else ["/usr" + text]
    for candidate in candidates:
        result = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True, check=False)
        if result.returncode == 0 and result.stdout:
            first = result.stdout.splitlines()[0]
            if not first.startswith("diversion by"):
                return first.split(":", 1)[0].split(",")[0].strip()
    return None


def elf_files(bundle: Path) -> list[Path]:
    found = []
    for path in sorted(bundle.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                if handle.read(4) == ELF_MAGIC:
                    found.append(path)
    return found


def needed(path: Path) -> set[str]:
    output = subprocess.run(["objdump", "-p", str(path)], capture_output=True, text=True, check=False).stdout
    return set(_NEEDED.findall(output))


def system_libraries() -> dict[str, Path]:
    """soname → the file the dynamic linker would load (``ldconfig -p``; the first listed wins)."""
    listing = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=False).stdout
    found: dict[str, Path] = {}
    for name, path in _LDCONFIG.findall(listing):
        found.setdefault(name, Path(path))
    return found


def unbundle(bundle: Path) -> dict[str, set[str]]:
    """Remove the copies of Debian-packaged libraries; return package → libraries removed."""
    internal = bundle / "_internal"
    linked = set().union(*(needed(path) for path in elf_files(bundle)))
    system = system_libraries()
    removed: dict[str, set[str]] = {}
    for copy in sorted(internal.glob("lib*.so*")):
        # Only what other files link to (so its package lands in Depends), and never libpython:
        # the bundle's Python is the build's, not Debian's.
        if copy.is_symlink() or copy.name not in linked or copy.name.startswith("libpython"):
            continue
        if copy.name not in system:
            continue
        package = owning_package(system[copy.name])
        if package is not None:
            copy.unlink()
            removed.setdefault(package, set()).add(copy.name)
    for link in internal.rglob("*"):
        if link.is_symlink() and not link.exists():
            link.unlink()
    return removed


def main() -> int:
    if len(sys.argv) != 3 or sys.argv[1] != "unbundle":
        print("usage: debian_libraries.py unbundle BUNDLE_DIR", file=sys.stderr)
        return 2
    removed = unbundle(Path(sys.argv[2]))
    count = sum(len(libraries) for libraries in removed.values())
    print(f"left {count} librar(y/ies) to {len(removed)} Debian package(s): {', '.join(sorted(removed))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
