#!/usr/bin/env bash
# Installs (or uninstalls) the desktop build and its desktop integration
# under $DESTDIR$PREFIX, as `make install` / `make uninstall` and the .deb
# (PREFIX=/usr, staged under a DESTDIR) use it:
#
#   bin/tokenscope                                   the desktop build ($BIN)
#   share/applications/$APP_ID.desktop               packaging/tokenscope.desktop
#   share/icons/hicolor/NxN/apps/$APP_ID.png         build/icons (make resizes assets/icon.png)
#   share/metainfo/$APP_ID.metainfo.xml              packaging/metainfo.xml.in, version from FyneApp.toml
#   share/man/man1/tokenscope*.1.gz                  build/man (tokenscope gen-docs --man)
#   share/bash-completion/completions/tokenscope     tokenscope completion bash
#   share/zsh/{vendor-completions,site-functions}/_tokenscope
#   share/fish/vendor_completions.d/tokenscope.fish
#
# Usage: packaging/install.sh install|uninstall
# Environment: DESTDIR, PREFIX (default /usr/local), BIN (the desktop build),
# HEADLESS (the headless build, writes the completions), APP_ID, VERSION,
# ICON_SIZES, BUILD_DIR (default build), STRIP=1 to strip the installed binary,
# SOURCE_DATE_EPOCH (the metainfo release date; default: the last commit's).
# Uninstall removes the files it would install and leaves directories.
set -euo pipefail

action=${1:?usage: packaging/install.sh install|uninstall}
: "${APP_ID:?APP_ID is not set (make passes it from FyneApp.toml)}"
PREFIX=${PREFIX:-/usr/local}
DESTDIR=${DESTDIR:-}
BUILD_DIR=${BUILD_DIR:-build}
ICON_SIZES=${ICON_SIZES:-16 22 24 32 48 64 128 256 512}
root=$DESTDIR$PREFIX
# Debian's zsh reads vendor completions from /usr/share/zsh/vendor-completions;
# everywhere else (and under /usr/local) site-functions is on zsh's fpath.
zshdir=share/zsh/site-functions
[ "$PREFIX" = /usr ] && zshdir=share/zsh/vendor-completions

files=(
	"bin/tokenscope"
	"share/applications/$APP_ID.desktop"
	"share/metainfo/$APP_ID.metainfo.xml"
	"share/bash-completion/completions/tokenscope"
	"$zshdir/_tokenscope"
	"share/fish/vendor_completions.d/tokenscope.fish"
)
for s in $ICON_SIZES; do files+=("share/icons/hicolor/${s}x$s/apps/$APP_ID.png"); done

if [ "$action" = uninstall ]; then
	for f in "${files[@]}"; do rm -f "$root/$f"; done
	rm -f "$root"/share/man/man1/tokenscope.1.gz "$root"/share/man/man1/tokenscope-*.1.gz
	echo "uninstalled tokenscope from $root"
	exit 0
fi
[ "$action" = install ] || { echo "packaging/install.sh: unknown action $action (install or uninstall)" >&2; exit 2; }
: "${BIN:?BIN is not set}" "${HEADLESS:?HEADLESS is not set}" "${VERSION:?VERSION is not set}"
for f in "$BIN" "$HEADLESS"; do
	[ -x "$f" ] || { echo "packaging/install.sh: $f is missing: run make build headless first" >&2; exit 1; }
done
ls "$BUILD_DIR"/man/tokenscope.1 >/dev/null 2>&1 || { echo "packaging/install.sh: $BUILD_DIR/man/tokenscope.1 is missing: run make man first" >&2; exit 1; }

if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
	SOURCE_DATE_EPOCH=$(git log -1 --format=%ct 2>/dev/null || date +%s)
fi
date=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%d)

install -d "$root/bin"
if [ "${STRIP:-}" = 1 ]; then
	# What dh_strip does for a Debian package: 40 MB becomes 30 MB; Go's
	# own tables (stack traces) stay.
	strip --strip-unneeded -o "$root/bin/tokenscope.tmp" "$BIN"
	chmod 755 "$root/bin/tokenscope.tmp" && mv -f "$root/bin/tokenscope.tmp" "$root/bin/tokenscope"
else
	install -m 755 "$BIN" "$root/bin/tokenscope"
fi
install -Dm 644 packaging/tokenscope.desktop "$root/share/applications/$APP_ID.desktop"
for s in $ICON_SIZES; do
	install -Dm 644 "$BUILD_DIR/icons/${s}x$s/apps/$APP_ID.png" "$root/share/icons/hicolor/${s}x$s/apps/$APP_ID.png"
done
install -d "$root/share/metainfo"
sed -e "s/@APP_ID@/$APP_ID/g" -e "s/@VERSION@/$VERSION/g" -e "s/@DATE@/$date/g" \
	packaging/metainfo.xml.in >"$root/share/metainfo/$APP_ID.metainfo.xml"
chmod 644 "$root/share/metainfo/$APP_ID.metainfo.xml"
install -d "$root/share/man/man1"
for m in "$BUILD_DIR"/man/*.1; do
	gzip -9nc "$m" >"$root/share/man/man1/$(basename "$m").gz"
	chmod 644 "$root/share/man/man1/$(basename "$m").gz"
done
install -d "$root/share/bash-completion/completions" "$root/$zshdir" "$root/share/fish/vendor_completions.d"
"$HEADLESS" completion bash >"$root/share/bash-completion/completions/tokenscope"
"$HEADLESS" completion zsh >"$root/$zshdir/_tokenscope"
"$HEADLESS" completion fish >"$root/share/fish/vendor_completions.d/tokenscope.fish"
chmod 644 "$root/share/bash-completion/completions/tokenscope" "$root/$zshdir/_tokenscope" \
	"$root/share/fish/vendor_completions.d/tokenscope.fish"
echo "installed tokenscope $VERSION under $root"
