#!/usr/bin/env bash
# What a Debian/Ubuntu build machine needs to build the bundle and the .deb: the tools, and the
# system libraries the kept Qt plugins link to (PyInstaller copies most of them into the bundle;
# deb_depends.py maps the rest to packages, so they must be installed where the build runs).
# As root with apt-get it installs what is missing; otherwise it lists it.
set -euo pipefail
PACKAGES=(
    binutils dpkg-dev lintian
    libegl1 libgl1 libfontconfig1 libdbus-1-3 libglib2.0-0 libxkbcommon0 libxkbcommon-x11-0
    libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0
    libxcb-shape0 libxcb-xfixes0 libxcb-xkb1 libwayland-client0 libwayland-cursor0 libwayland-egl1
)
missing=()
for package in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "Installing what the bundle build needs: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq </dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null
else
    echo "The bundle build needs these packages: ${missing[*]} (apt-get install them as root)" >&2
    exit 1
fi
