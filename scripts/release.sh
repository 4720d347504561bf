#!/usr/bin/env bash
# make release: everything a release publishes, in dist/ (git-ignored):
#
#   tokenscope_VERSION_ARCH.deb            the desktop build (make deb)
#   tokenscope-VERSION-linux-ARCH.tar.xz   the desktop build (fyne package)
#   tokenscope-{linux,darwin,windows}-{amd64,arm64}[.exe]
#                                          the headless build, static, cross-compiled
#   SHA256SUMS                             sha256sum -c SHA256SUMS checks them
#
# The desktop build is built here with -trimpath (no build-machine paths in a
# published binary) and without the symbol table and DWARF (-s -w: 30 MB, not
# 40; stack traces stay), as a position-independent executable (ASLR, what
# Debian's hardening asks of a packaged binary), into build/release/, for
# this machine's architecture only (cgo: Fyne needs the target's C libraries).
#
# Environment: GO, TAGS (the desktop build's tags), MAKE, VERSION,
# SOURCE_DATE_EPOCH.
set -euo pipefail

GO=${GO:-go}
TAGS=${TAGS:-migrated_fynedo,no_emoji}
MAKE=${MAKE:-make}
: "${VERSION:?VERSION is not set (make release passes it from FyneApp.toml)}"
start=$SECONDS
# One date for everything: the last commit's, unless given. The .deb is then
# reproducible (same binary, same bytes); the metainfo's release date is it.
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}
export SOURCE_DATE_EPOCH

rm -rf dist
mkdir -p dist build/release

echo "release: the desktop build (-trimpath)"
CGO_ENABLED=1 "$GO" build -tags "$TAGS" -trimpath -buildmode=pie -ldflags="-s -w" -o build/release/tokenscope .

echo "release: the .deb"
"$MAKE" --no-print-directory deb DESKTOP_BIN=build/release/tokenscope DEB_DIR=dist
echo "release: the tarball (fyne package)"
"$MAKE" --no-print-directory tarball DESKTOP_BIN=build/release/tokenscope TARBALL_DIR=dist

for os in linux darwin windows; do
	for arch in amd64 arm64; do
		ext=
		[ "$os" = windows ] && ext=.exe
		echo "release: the headless build for $os/$arch"
		CGO_ENABLED=0 GOOS=$os GOARCH=$arch "$GO" build -tags headless -trimpath -o "dist/tokenscope-$os-$arch$ext" .
	done
done

# The headless build for this machine is static and says its version.
host=dist/tokenscope-$("$GO" env GOHOSTOS)-$("$GO" env GOHOSTARCH)
v=$("$host" --version)
[[ $v == "tokenscope $VERSION"* ]] || { echo "release: $host --version says '$v', not $VERSION" >&2; exit 1; }

(cd dist && find . -maxdepth 1 -type f ! -name SHA256SUMS -printf '%f\n' | LC_ALL=C sort | xargs sha256sum >SHA256SUMS)
echo "release: dist/ in $((SECONDS - start)) s:"
(cd dist && ls -l --time-style=+ | awk 'NR > 1 { printf "  %10d  %s\n", $5, $NF }')
