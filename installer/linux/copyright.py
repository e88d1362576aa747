"""Write the package's copyright file and the licence texts of everything the bundle ships.

Run with the Python the bundle was built from (its site-packages hold the distributions):

    python copyright.py DOC_DIR

writes DOC_DIR/copyright and DOC_DIR/licenses/<component>/… . The list is not kept by hand:
it is Python itself and the closure of Microlearn's runtime requirements in pyproject.toml, with
each distribution's version, declared licence and licence files from its metadata. Qt (inside
PySide6) is under the LGPL v3, whose text every Debian system has in
/usr/share/common-licenses/LGPL-3. System libraries are not copied into the package: it
depends on Debian's (debian_libraries.py), which carry their own copyright files.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import sysconfig
import time
import tomllib
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
_NAME = re.compile(r"^[A-Za-z0-9._-]+")
LICENSE_FILE = re.compile(r"(^|/)(LICEN[CS]E|COPYING|NOTICE|AUTHORS)[^/]*$", re.IGNORECASE)


def _applies(requirement: str) -> bool:
    """Skip extras and requirements whose environment marker does not hold here."""
    if ";" not in requirement:
        return True
    marker = requirement.split(";", 1)[1]
    if "extra" in marker:
        return False
    try:
        from packaging.markers import Marker
    except ImportError:  # without packaging, keep it: listing one licence too many is harmless
        return True
    return bool(Marker(marker).evaluate())


def runtime_distributions() -> list[metadata.Distribution]:
    with (REPO / "pyproject.toml").open("rb") as handle:
        wanted = list(tomllib.load(handle)["project"]["dependencies"])
    found: dict[str, metadata.Distribution] = {}
    while wanted:
        requirement = wanted.pop()
        match = _NAME.match(requirement.strip())
        if match is None or not _applies(requirement):
            continue
        key = match.group(0).lower().replace("_", "-")
        if key in found:
            continue
        try:
            distribution = metadata.distribution(key)
        except metadata.PackageNotFoundError:
            continue  # an optional platform-specific requirement not installed here
        found[key] = distribution
        wanted.extend(distribution.requires or [])
    return sorted(found.values(), key=lambda d: d.metadata["Name"].lower())


def declared_license(distribution: metadata.Distribution) -> str:
    meta = distribution.metadata
    expression = meta.get("License-Expression")
    if expression:
        return str(expression)
    text = (meta.get("License") or "").strip()
    if text and "\n" not in text and len(text) < 80:
        return text
    classifiers = [
        c.split(" :: ")[-1] for c in meta.get_all("Classifier") or [] if c.startswith("License ::")
    ]
    return ", ".join(classifiers) or "see the licence files"


def copy_license_files(distribution: metadata.Distribution, target: Path) -> list[str]:
    copied = []
    for file in distribution.files or []:
        if LICENSE_FILE.search(str(file)) and ".dist-info/" in str(file):
            source = Path(str(distribution.locate_file(file)))
            if source.is_file():
                name = str(file).split(".dist-info/", 1)[1].removeprefix("licenses/").replace("/", "-")
                target.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target / name)
                copied.append(name)
    return copied


def write(doc_dir: Path) -> None:
    sys.path.insert(0, str(REPO / "src"))
    import microlearn

    with (REPO / "pyproject.toml").open("rb") as handle:
        project = tomllib.load(handle)["project"]
    licenses = doc_dir / "licenses"
    year = time.gmtime(int(os.environ.get("SOURCE_DATE_EPOCH", time.time()))).tm_year
    lines = [
        f"{microlearn.APP_DISPLAY_NAME} {microlearn.__version__}",
        "",
        f"{microlearn.APP_DISPLAY_NAME}: {project['description']}",
        f"Copyright {year} the {microlearn.APP_DISPLAY_NAME} authors. "
        f"Licence: {project.get('license', {}).get('text', 'see the vendor')}.",
        "",
        f"The program in /opt/{microlearn.APP_NAME} is a self-contained bundle (PyInstaller) that",
        "includes the following third-party components. Their licence texts are in",
        f"/usr/share/doc/{microlearn.APP_NAME}/licenses/ unless named otherwise.",
        "",
    ]
    python_license = Path(sysconfig.get_paths()["stdlib"]) / "LICENSE.txt"
    python_files = ""
    if python_license.is_file():
        (licenses / "python").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(python_license, licenses / "python" / "LICENSE.txt")
        python_files = " (licenses/python/LICENSE.txt)"
    version = ".".join(str(n) for n in sys.version_info[:3])
    lines.append(f"  Python {version}: Python Software Foundation License{python_files}")
    lines.append("  PyInstaller bootloader: GPL-2.0-or-later with the PyInstaller bootloader exception")
    for distribution in runtime_distributions():
        name = distribution.metadata["Name"]
        copied = copy_license_files(distribution, licenses / name.lower())
        where = f" (licenses/{name.lower()}/)" if copied else ""
        if name.lower().startswith(("pyside6", "shiboken6")):
            where = " (Qt and PySide6 under LGPL-3.0: /usr/share/common-licenses/LGPL-3)"
        lines.append(f"  {name} {distribution.version}: {declared_license(distribution)}{where}")
    doc_dir.mkdir(parents=True, exist_ok=True)
    (doc_dir / "copyright").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: copyright.py DOC_DIR")
    write(Path(sys.argv[1]))
