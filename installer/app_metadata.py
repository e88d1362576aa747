"""The facts every installer states about the app, read from the package, never retyped.

``build.spec`` turns them into the Windows version resource and the macOS Info.plist
(U.S. English, Unicode: language 0x0409, code page 1200);
``installer/linux/build-deb.sh`` and the CI workflow read them with ``python installer/app_metadata.py``.
"""

from __future__ import annotations

import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class AppMetadata:
    name: str  # the command and file names: "microlearn"
    display_name: str  # "Microlearn"
    app_id: str  # reverse-DNS: bundle identifier, Windows AppId
    version: str  # PEP 440, e.g. "0.1.0"
    description: str
    icon_dir: Path

    @property
    def numeric_version(self) -> tuple[int, int, int, int]:
        """The four numbers Windows wants: "1.2.3rc1" → (1, 2, 3, 0)."""
        numbers = [int(part) for part in re.findall(r"\d+", self.version.split("+")[0])[:3]]
        padded = [*numbers, 0, 0, 0, 0][:4]
        return padded[0], padded[1], padded[2], padded[3]

    def icon(self, suffix: str) -> Path:
        return self.icon_dir / f"{self.name}{suffix}"


def read_metadata(repo: Path = REPO) -> AppMetadata:
    source = str(repo / "src")
    if source not in sys.path:
        sys.path.insert(0, source)
    import microlearn  # the package's __init__ is import-light: no Qt, no SQLAlchemy

    with (repo / "pyproject.toml").open("rb") as handle:
        project = tomllib.load(handle)["project"]
    return AppMetadata(
        name=microlearn.APP_NAME,
        display_name=microlearn.APP_DISPLAY_NAME,
        app_id=microlearn.APP_ID,
        version=microlearn.__version__,
        description=project["description"],
        icon_dir=repo / "resources" / "icons",
    )


def windows_version_info(meta: AppMetadata) -> str:
    """The EXE's version resource (Explorer: Properties → Details), in PyInstaller's text format.

    Text rather than PyInstaller's objects, which need pefile (installed on Windows only), so
    it can be generated and checked anywhere; build.spec writes it next to the build.
    """
    numbers = meta.numeric_version
    strings = {
        "FileDescription": meta.display_name,
        "FileVersion": ".".join(str(n) for n in numbers),
        "InternalName": meta.name,
        "OriginalFilename": f"{meta.name}.exe",
        "ProductName": meta.display_name,
        "ProductVersion": meta.version,
    }
    table = ",\n          ".join(f"StringStruct({key!r}, {value!r})" for key, value in strings.items())
    return f"""VSVersionInfo(
  ffi=FixedFileInfo(
    filevers={numbers!r},
    prodvers={numbers!r},
    mask=0x3F,
    flags=0x0,
    OS=0x40004,
    fileType=0x1,
    subtype=0x0,
    date=(0, 0),
  ),
  kids=[
    StringFileInfo([
      StringTable(
        '040904B0',
        [
          {table},
        ],
      ),
    ]),
    VarFileInfo([VarStruct('Translation', [0x0409, 1200])]),
  ],
)
"""


def macos_info_plist(meta: AppMetadata) -> dict[str, Any]:
    """Info.plist keys beyond the ones PyInstaller's BUNDLE writes (name, identifier, icon)."""
    return {
        "CFBundleDisplayName": meta.display_name,
        "CFBundleName": meta.display_name,
        "CFBundleShortVersionString": meta.version,
        "CFBundleVersion": meta.version,
        "LSApplicationCategoryType": "public.app-category.education",
        "NSHighResolutionCapable": True,
        "NSRequiresAquaSystemAppearance": False,  # follow the system's dark mode
        "NSHumanReadableCopyright": f"{meta.display_name} {meta.version}",
    }


if __name__ == "__main__":
    # For shell scripts and CI: `python installer/app_metadata.py version` prints 0.1.0.
    fact = sys.argv[1] if len(sys.argv) > 1 else "version"
    print(getattr(read_metadata(), fact))
