#!/usr/bin/env bash
# Builds the desktop build's .deb with dpkg-deb from a tree that
# packaging/install.sh staged with PREFIX=/usr (make deb does both).
#
# Usage: packaging/build-deb.sh STAGE_DIR OUT_DIR
# Environment: VERSION, SOURCE_DATE_EPOCH (file times; default: the last
# commit's), DEB_MAINTAINER, DEB_COMPRESS (dpkg-deb -Z: xz, the default, or
# gzip: 14 s against 1.3 s here for 11 MB against 14 MB; make package-test
# uses gzip).
#
# Depends is what the binary really needs: dpkg-shlibdeps reads its ELF
# NEEDED entries (libGL, libX11, libc: versioned from the shlibs files), and
# GLFW dlopen()s the X extension libraries below at start-up (they never
# show in NEEDED or ldd). scripts/package-test.sh checks both against ldd
# and dpkg -S.
set -euo pipefail

stage=${1:?usage: packaging/build-deb.sh STAGE_DIR OUT_DIR}
out=${2:?usage: packaging/build-deb.sh STAGE_DIR OUT_DIR}
: "${VERSION:?VERSION is not set}"
maintainer=${DEB_MAINTAINER:-Tokenscope maintainers <maintainers@tokenscope.invalid>}
# GLFW 3.3's X11 backend (go-gl/glfw x11_init.c): libXcursor.so.1,
# libXrandr.so.2, libXinerama.so.1, libXi.so.6, libXxf86vm.so.1.
dlopened="libxcursor1, libxrandr2, libxinerama1, libxi6, libxxf86vm1"

[ -x "$stage/usr/bin/tokenscope" ] || { echo "build-deb: $stage/usr/bin/tokenscope is missing" >&2; exit 1; }
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
	SOURCE_DATE_EPOCH=$(git log -1 --format=%ct 2>/dev/null || date +%s)
fi
export SOURCE_DATE_EPOCH
arch=$(dpkg --print-architecture)

# dpkg-shlibdeps wants a debian/control naming the package; give it one in
# a scratch directory rather than in the source tree.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/debian"
printf 'Source: tokenscope\n\nPackage: tokenscope\nArchitecture: any\n' >"$scratch/debian/control"
bin=$(readlink -f "$stage/usr/bin/tokenscope")
shlibs=$(cd "$scratch" && dpkg-shlibdeps -O "$bin" 2> >(grep -v 'should already be installed in' >&2) | sed -n 's/^shlibs:Depends=//p')
[ -n "$shlibs" ] || { echo "build-deb: dpkg-shlibdeps found no library dependencies for $bin" >&2; exit 1; }

chmod -R u=rwX,go=rX "$stage/usr"
chmod 755 "$stage/usr/bin/tokenscope"
find "$stage/usr" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
rm -rf "$stage/DEBIAN"
install -d -m 755 "$stage/DEBIAN"
size=$(du -sk --apparent-size "$stage/usr" | cut -f1)
sed -e "s/@VERSION@/$VERSION/" -e "s/@ARCH@/$arch/" -e "s/@MAINTAINER@/$maintainer/" \
	-e "s/@INSTALLED_SIZE@/$size/" -e "s/@DEPENDS@/$shlibs, $dlopened/" \
	packaging/control.in >"$stage/DEBIAN/control"
(cd "$stage" && find usr -type f -print0 | LC_ALL=C sort -z | xargs -0 md5sum) >"$stage/DEBIAN/md5sums"
chmod 644 "$stage/DEBIAN/control" "$stage/DEBIAN/md5sums"

mkdir -p "$out"
deb=$out/tokenscope_${VERSION}_$arch.deb
dpkg-deb --root-owner-group -Z"${DEB_COMPRESS:-xz}" --build "$stage" "$deb" >/dev/null
echo "$deb"
