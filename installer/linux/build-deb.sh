#!/usr/bin/env bash
# Build the Debian package from the one-folder bundle with dpkg-deb:
#   /opt/<name>/            the bundle, less the libraries Debian provides (debian_libraries.py)
#   /usr/bin/<name>         a launcher that execs it
#   /usr/share/applications/<name>.desktop, hicolor icons, doc (copyright, licences, changelog)
# Depends: computed by deb_depends.py from the libraries the bundle loads (ldd + dpkg -S).
#
#   installer/linux/build-deb.sh [BUNDLE_DIR [OUT_DIR]]     (defaults: dist/<name>, dist)
#
# PYTHON names the Python the bundle was built with (it reads the package's facts and the
# licences of the bundled distributions); DEB_MAINTAINER overrides the Maintainer field;
# DEB_COMPRESSION picks dpkg-deb's compressor (xz by default: smallest; gzip makes this
# script about 2.5x faster and the package about 35% larger, which suits tests).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
PYTHON="${PYTHON:-python3}"
fact() { "$PYTHON" "$REPO/installer/app_metadata.py" "$1"; }
NAME="$(fact name)"
DISPLAY_NAME="$(fact display_name)"
VERSION="$(fact version)"
# PEP 440 pre-releases sort before the release; in Debian only with a tilde: 1.2rc1 → 1.2~rc1.
DEB_VERSION="$(echo "$VERSION" | sed -E 's/[.]?(a|b|rc|dev)([0-9]+)/~\1\2/g')"
DESCRIPTION="$(fact description)"
BUNDLE="$(cd "${1:-$REPO/dist/$NAME}" && pwd)"
OUT="${2:-$REPO/dist}"
ARCH="$(dpkg --print-architecture)"
COMPRESSION="${DEB_COMPRESSION:-xz}"
MAINTAINER="${DEB_MAINTAINER:-$DISPLAY_NAME packaging <packaging@microlearn.invalid>}"
# Reproducible dates: the last commit's, or SOURCE_DATE_EPOCH when set.
EPOCH="${SOURCE_DATE_EPOCH:-$(git -C "$REPO" log -1 --format=%ct 2>/dev/null || date +%s)}"

[ -x "$BUNDLE/$NAME" ] || { echo "build-deb: no bundle at $BUNDLE (run pyinstaller build.spec first)" >&2; exit 1; }
mkdir -p "$OUT"
STAGE="$(mktemp -d)"
trap 'rm -rf "$STAGE"' EXIT
ROOT="$STAGE/root"
fill() { sed -e "s|@NAME@|$NAME|g" -e "s|@DISPLAY_NAME@|$DISPLAY_NAME|g" "$1"; }

install -d "$ROOT/opt" "$ROOT/usr/bin" "$ROOT/usr/share/applications" "$ROOT/usr/share/doc/$NAME"
cp -a "$BUNDLE" "$ROOT/opt/$NAME"
# Debian's own libraries are used (and get Debian's security updates) instead of the copies.
"$PYTHON" "$HERE/debian_libraries.py" unbundle "$ROOT/opt/$NAME" >&2
fill "$HERE/launcher.sh.in" > "$ROOT/usr/bin/$NAME"
fill "$HERE/microlearn.desktop.in" > "$ROOT/usr/share/applications/$NAME.desktop"
for png in "$REPO"/resources/icons/"$NAME"-*.png; do
    size="$(basename "$png" .png)"; size="${size##*-}"
    install -D -m 644 "$png" "$ROOT/usr/share/icons/hicolor/${size}x${size}/apps/$NAME.png"
done
install -D -m 644 "$REPO/resources/icons/$NAME.svg" "$ROOT/usr/share/icons/hicolor/scalable/apps/$NAME.svg"

DOC="$ROOT/usr/share/doc/$NAME"
SOURCE_DATE_EPOCH="$EPOCH" "$PYTHON" "$HERE/copyright.py" "$DOC"
{
    printf '%s (%s) stable; urgency=medium\n\n' "$NAME" "$DEB_VERSION"
    printf '  * %s %s, built from the bundle.\n\n' "$DISPLAY_NAME" "$VERSION"
    printf ' -- %s  %s\n' "$MAINTAINER" "$(date -u -R -d "@$EPOCH")"
} | gzip -9n > "$DOC/changelog.gz"
# Why the package is allowed what lintian flags (/opt, $ORIGIN run paths…): see that file.
install -D -m 644 "$HERE/lintian-overrides" "$ROOT/usr/share/lintian/overrides/$NAME"

# Permissions as Debian expects: directories and programs 755, everything else 644.
find "$ROOT" -type d -exec chmod 755 {} +
find "$ROOT" -type f -exec chmod 644 {} +
chmod 755 "$ROOT/usr/bin/$NAME" "$ROOT/opt/$NAME/$NAME"

DEPENDS="$("$PYTHON" "$HERE/deb_depends.py" "$ROOT/opt/$NAME")"
install -d "$ROOT/DEBIAN"
{
    echo "Package: $NAME"
    echo "Version: $DEB_VERSION"
    echo "Architecture: $ARCH"
    echo "Maintainer: $MAINTAINER"
    echo "Installed-Size: $(du -sk --exclude=DEBIAN "$ROOT" | cut -f1)"
    echo "Depends: $DEPENDS"
    echo "Section: education"
    echo "Priority: optional"
    echo "Description: offline micro-learning modules and knowledge checks"
    echo "$DESCRIPTION" | fold -s -w 72 | sed -e 's/ *$//' -e 's/^/ /'
    echo " ."
    echo " Self-contained: its own Python and Qt live in /opt/$NAME."
} > "$ROOT/DEBIAN/control"
(cd "$ROOT" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z | xargs -0 md5sum) \
    > "$ROOT/DEBIAN/md5sums"
chmod 644 "$ROOT/DEBIAN/control" "$ROOT/DEBIAN/md5sums"

DEB="$OUT/${NAME}_${DEB_VERSION}_${ARCH}.deb"
SOURCE_DATE_EPOCH="$EPOCH" dpkg-deb --root-owner-group "-Z$COMPRESSION" --build "$ROOT" "$DEB" >/dev/null
echo "$DEB"
