"""The Debian ``Depends:`` of the bundle: the system libraries it loads, found with ldd, owned per dpkg -S.

For every ELF file in the bundle we read the libraries it links to directly (``objdump -p``:
NEEDED) and keep those the bundle does not carry itself. ``ldd`` says which file the dynamic
linker would load for each, ``dpkg -S`` which package owns that file. libc6 gets a lower bound:
the newest GLIBC_x.y symbol version any file asks for (``objdump -T``), because a bundle built
on a newer glibc does not start on an older one.

    python3 installer/linux/deb_depends.py BUNDLE_DIR [--report]

prints the Depends value (``--report`` also lists library → package on stderr). A library that
ldd cannot find, or that no package owns, is an error: the bundle would not start on a
machine that lacks it, so it must not be left out silently.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from debian_libraries import elf_files, needed, owning_package

_LDD_LINE = re.compile(r"^\s*(\S+)\s+=>\s+(not found|\S+)", re.MULTILINE)
_LDD_LOADER = re.compile(r"^\s*(/\S+)\s+\(0x", re.MULTILINE)  # the dynamic loader: a path, no "=>"
_GLIBC_VERSION = re.compile(r"\bGLIBC_(\d+)\.(\d+)(?:\.(\d+))?\b")


@dataclass
class Dependencies:
    packages: dict[str, set[str]] = field(default_factory=dict)  # package → libraries
    glibc: tuple[int, ...] = (0,)
    missing: dict[str, set[str]] = field(default_factory=dict)  # library → files that need it
    unowned: dict[str, str] = field(default_factory=dict)  # library → resolved path

    def depends(self) -> str:
        parts = []
        for package in sorted(self.packages):
            if package == "libc6" and self.glibc > (0,):
                parts.append(f"libc6 (>= {'.'.join(str(n) for n in self.glibc)})")
            else:
                parts.append(package)
        return ", ".join(parts)


def _run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=False).stdout


def find_dependencies(bundle: Path) -> Dependencies:
    bundle = bundle.resolve()
    files = elf_files(bundle)
    carried = {p.name for p in bundle.rglob("*")}
    result = Dependencies()
    resolved: dict[str, Path] = {}
    for path in files:
        outside = needed(path) - carried
        for version in _GLIBC_VERSION.findall(_run("objdump", "-T", str(path))):
            numbers = tuple(int(n) for n in version if n)
            result.glibc = max(result.glibc, numbers)
        if not outside:
            continue
        listing = _run("ldd", str(path))
        where = dict(_LDD_LINE.findall(listing))
        where.update((Path(loader).name, loader) for loader in _LDD_LOADER.findall(listing))
        for library in sorted(outside):
            location = where.get(library, "not found")
            if location == "not found":
                result.missing.setdefault(library, set()).add(str(path.relative_to(bundle)))
            elif library not in resolved:
                resolved[library] = Path(location)
    for library, location in sorted(resolved.items()):
        package = owning_package(location)
        if package is None:
            result.unowned[library] = str(location)
        else:
            result.packages.setdefault(package, set()).add(library)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("bundle", type=Path)
    parser.add_argument("--report", action="store_true", help="list library → package on stderr")
    args = parser.parse_args()
    found = find_dependencies(args.bundle)
    problems = [
        f"{library} (needed by {', '.join(sorted(users)[:3])}) is not installed on this build machine; "
        "install the package that provides it and build again"
        for library, users in sorted(found.missing.items())
    ]
    problems += [
        f"{library} resolves to {location}, which no Debian package owns"
        for library, location in found.unowned.items()
    ]
    if problems:
        for problem in problems:
            print(f"deb_depends: {problem}", file=sys.stderr)
        return 1
    if args.report:
        for package, libraries in sorted(found.packages.items()):
            print(f"  {package}: {', '.join(sorted(libraries))}", file=sys.stderr)
    print(found.depends())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
