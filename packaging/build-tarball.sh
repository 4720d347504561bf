#!/usr/bin/env bash
# The Linux tarball, made by `fyne package` (fyne.io/tools) from the desktop
# build that already exists: usr/local/bin/tokenscope, the .desktop file,
# the icon and the Makefile fyne writes (make install / make user-install).
#
# Usage: packaging/build-tarball.sh DESKTOP_BIN OUT_DIR
# Environment: GO, FYNE_TOOL (default fyne.io/tools/cmd/fyne@v1.7.4), VERSION.
#
# fyne package bumps Build in the FyneApp.toml it reads and builds the source
# directory unless given --executable, so it runs on a copy of FyneApp.toml
# and the icon in a scratch directory, with --executable: the work tree is
# left as it was and nothing is built twice.
set -euo pipefail

bin=${1:?usage: packaging/build-tarball.sh DESKTOP_BIN OUT_DIR}
out=${2:?usage: packaging/build-tarball.sh DESKTOP_BIN OUT_DIR}
GO=${GO:-go}
FYNE_TOOL=${FYNE_TOOL:-fyne.io/tools/cmd/fyne@v1.7.4}
: "${VERSION:?VERSION is not set}"
[ -x "$bin" ] || { echo "build-tarball: $bin is missing: run make build first" >&2; exit 1; }
[ "$(basename "$bin")" = tokenscope ] || { echo "build-tarball: the binary must be named tokenscope (fyne package names the installed one after it): $bin" >&2; exit 1; }
bin=$(readlink -f "$bin")
arch=$("$GO" env GOARCH)

src=$(mktemp -d)
trap 'rm -rf "$src"' EXIT
icon=$(sed -n 's/^Icon *= *"\(.*\)"$/\1/p' FyneApp.toml)
cp FyneApp.toml "$src/"
install -D -m 644 "$icon" "$src/$icon"
# fyne package insists on Go code in the source directory (it is not built).
cp main.go "$src/"
# Inside the tarball fyne puts usr/local/... (usr/... on a machine with no
# /usr/local); its Makefile installs to PREFIX either way.
name=$(sed -n 's/^Name *= *"\(.*\)"$/\1/p' FyneApp.toml)
(cd "$src" && "$GO" run "$FYNE_TOOL" package --target linux --executable "$bin" --name "$name")
mkdir -p "$out"
tarball=$out/tokenscope-$VERSION-linux-$arch.tar.xz
mv -f "$src/$name.tar.xz" "$tarball"
echo "$tarball"
