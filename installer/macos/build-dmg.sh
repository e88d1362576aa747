#!/usr/bin/env bash
# Package the macOS app bundle (build.spec's BUNDLE: dist/<Display name>.app) for deployment:
#   dist/<name>-<version>.dmg   a compressed disk image with the app and an /Applications link
#                               (drag to install, for people)
#   dist/<name>-<version>.pkg   a component package that installs the app into /Applications
#                               (for MDM and `sudo installer -pkg … -target /`: silent, per machine)
# Run on macOS after `python -m PyInstaller --noconfirm build.spec`. Not run here: the project is
# built and tested on Linux; the CI workflow (.github/workflows/build.yml) runs it on macos-latest.
#
# Signing: PyInstaller signs the app ad hoc. For distribution outside your own MDM, set
# CODESIGN_IDENTITY ("Developer ID Application: …") and INSTALLER_IDENTITY ("Developer ID
# Installer: …"); notarise the results with `xcrun notarytool submit --wait` and staple them.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
PYTHON="${PYTHON:-python3}"
fact() { "$PYTHON" "$REPO/installer/app_metadata.py" "$1"; }
NAME="$(fact name)"
DISPLAY_NAME="$(fact display_name)"
APP_ID="$(fact app_id)"
VERSION="$(fact version)"
DIST="${1:-$REPO/dist}"
APP="$DIST/$DISPLAY_NAME.app"

[ -d "$APP" ] || { echo "build-dmg: no app bundle at $APP (run PyInstaller with build.spec first)" >&2; exit 1; }
# The Info.plist must carry the package's facts, or the build is not the one we think it is.
[ "$(/usr/libexec/PlistBuddy -c 'Print :CFBundleIdentifier' "$APP/Contents/Info.plist")" = "$APP_ID" ]
[ "$(/usr/libexec/PlistBuddy -c 'Print :CFBundleShortVersionString' "$APP/Contents/Info.plist")" = "$VERSION" ]

if [ -n "${CODESIGN_IDENTITY:-}" ]; then
    codesign --force --deep --options runtime --timestamp --sign "$CODESIGN_IDENTITY" "$APP"
fi
codesign --verify --deep --strict "$APP"

STAGE="$(mktemp -d)"
trap 'rm -rf "$STAGE"' EXIT
mkdir "$STAGE/dmg" "$STAGE/pkgroot"
ditto "$APP" "$STAGE/dmg/$DISPLAY_NAME.app"
ln -s /Applications "$STAGE/dmg/Applications"
DMG="$DIST/$NAME-$VERSION.dmg"
hdiutil create -volname "$DISPLAY_NAME $VERSION" -srcfolder "$STAGE/dmg" -fs HFS+ -format UDZO -ov "$DMG"
hdiutil verify "$DMG"

# Not relocatable: the package always installs (and upgrades) /Applications/<app>, even if a
# copy of the app sits somewhere else on the Mac.
ditto "$APP" "$STAGE/pkgroot/$DISPLAY_NAME.app"
pkgbuild --analyze --root "$STAGE/pkgroot" "$STAGE/component.plist"
/usr/libexec/PlistBuddy -c "Set :0:BundleIsRelocatable false" "$STAGE/component.plist"
PKG="$DIST/$NAME-$VERSION.pkg"
SIGN_PKG=()
if [ -n "${INSTALLER_IDENTITY:-}" ]; then
    SIGN_PKG=(--sign "$INSTALLER_IDENTITY")
fi
# ${a[@]+"${a[@]}"}: macOS's bash 3.2 treats an empty array as unset under `set -u`.
pkgbuild --root "$STAGE/pkgroot" --component-plist "$STAGE/component.plist" \
    --install-location /Applications --identifier "$APP_ID" --version "$VERSION" \
    ${SIGN_PKG[@]+"${SIGN_PKG[@]}"} "$PKG"
echo "$DMG"
echo "$PKG"
