#!/usr/bin/env bash
# Qt needs a few system libraries even offscreen (EGL, fontconfig, xkbcommon). On a bare
# Debian/Ubuntu machine where we are root, install them; elsewhere just say what is missing.
set -euo pipefail
PY="${1:-python3}"
probe() {
    QT_QPA_PLATFORM=offscreen "$PY" -c "from PySide6.QtWidgets import QApplication; QApplication([])" >/dev/null 2>&1
}
if probe; then
    exit 0
fi
PACKAGES="libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0 fonts-dejavu-core xvfb libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0"
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "Installing the system libraries Qt needs: $PACKAGES"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq </dev/null
    # shellcheck disable=SC2086
    apt-get install -y -qq $PACKAGES </dev/null >/dev/null
    probe || { echo "Qt still cannot start after installing $PACKAGES" >&2; exit 1; }
else
    echo "Qt cannot start: install these system packages (or your system's equivalents): $PACKAGES" >&2
    exit 1
fi
