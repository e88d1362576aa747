#!/usr/bin/env bash
# The system tools some tests need. Without them those tests skip on a developer's machine, but
# under CI=true they fail (tests/support/prerequisites.py), so CI installs them all first.
# As root with apt-get it installs what is missing; otherwise it lists it and fails.
set -euo pipefail
PACKAGES=(
    xvfb            # xvfb-run: the bundle under Qt's xcb plugin, screenshots
    libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxkbcommon-x11-0  # Qt's xcb plugin under Xvfb
    lintian         # the .deb's lint
    dpkg            # dpkg -i / -r of the .deb
    systemd         # systemd-analyze verify of the scheduled-sync units
    openssl         # a private CA for the TLS checks of doctor
    strace          # what a process really writes and fsyncs
    dbus-x11        # dbus-launch: a session bus for the accessibility tests
    at-spi2-core    # the accessibility bus (AT-SPI) the GUI tests run with
    python3-pyatspi # reads what a screen reader is told
    poppler-utils   # pdftotext / pdftoppm: a certificate PDF read back
)
missing=()
for package in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "Installing the tools the tests need: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq </dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null
else
    echo "The test suite needs these packages: ${missing[*]} (apt-get install them as root)" >&2
    exit 1
fi
