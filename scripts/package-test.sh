#!/usr/bin/env bash
# make package-test (part of make test): the packages as a user gets them.
#
#  1. the headless build is static (ldd: "not a dynamic executable"), has no
#     Fyne in it and runs;
#  2. every library the desktop build needs (its ELF NEEDED entries and the
#     X extensions GLFW dlopen()s) belongs to a package the .deb's Depends
#     names (ldd + dpkg -S, independently of dpkg-shlibdeps);
#  3. the .deb holds the binary, the .desktop file, the hicolor icons at
#     their sizes, the AppStream metainfo, the man pages and the completions,
#     and they agree with FyneApp.toml;
#  4. desktop-file-validate and appstreamcli validate --no-net (and
#     validate-tree) pass on the files the .deb ships;
#  5. make install into a scratch DESTDIR installs the same files and make
#     uninstall removes every one;
#  6. dpkg -i installs the .deb, /usr/bin/tokenscope --version runs, dpkg -r
#     removes it and leaves nothing behind (skipped, saying so, when the
#     machine already has a tokenscope in /usr/bin or no root/sudo).
#
# Usage: scripts/package-test.sh DEB
# Environment (make passes them): BIN (the desktop build), HEADLESS, APP_ID,
# VERSION, ICON_SIZES, MAKE.
set -euo pipefail

deb=${1:?usage: scripts/package-test.sh DEB}
: "${BIN:?}" "${HEADLESS:?}" "${APP_ID:?}" "${VERSION:?}" "${ICON_SIZES:?}"
MAKE=${MAKE:-make}
start=$SECONDS
fail() { echo "package-test: $*" >&2; exit 1; }
ok() { echo "package-test: ok: $*"; }

scripts/install-deps.sh desktop-file-utils appstream dpkg-dev binutils file man-db
[ -f "$deb" ] || fail "$deb is missing: run make deb"

tmp=$(mktemp -d)
installed_by_us=
as_root=()
cleanup() {
	if [ -n "$installed_by_us" ]; then
		"${as_root[@]}" dpkg -r tokenscope >/dev/null 2>&1 || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM # so that cleanup removes a package we installed

# 1. The headless build.
ldd_out=$(LC_ALL=C ldd "$HEADLESS" 2>&1 || true)
case $ldd_out in
*"not a dynamic executable"* | *"statically linked"*) ;;
*) fail "the headless build $HEADLESS is not static; ldd says: $ldd_out" ;;
esac
buildinfo=$(go version -m "$HEADLESS")
grep -q 'CGO_ENABLED=0' <<<"$buildinfo" || fail "$HEADLESS was not built with CGO_ENABLED=0 (go version -m)"
if grep -q 'fyne.io/fyne' <<<"$buildinfo"; then fail "$HEADLESS has Fyne in it (go version -m lists fyne.io/fyne)"; fi
v=$("$HEADLESS" --version) || fail "$HEADLESS --version failed"
[[ $v == "tokenscope $VERSION"* ]] || fail "$HEADLESS --version says '$v', not tokenscope $VERSION"
ok "the headless build is static, has no Fyne and runs ($(echo "$ldd_out" | tr -d '\t'))"

# 2. The desktop build's libraries against the .deb's Depends.
owner() { # the package that owns a library file, across the /usr merge
	local p=$1 c
	for c in "$p" "$(readlink -f "$p")" "${p#/usr}" "/usr$p" "$(readlink -f "$p" | sed 's#^/usr##')"; do
		dpkg -S "$c" 2>/dev/null | sed -n '1s/:.*//p' | grep . && return 0
	done
	return 1
}
depends=$(dpkg-deb -f "$deb" Depends)
declared=" $(tr ',|' '\n\n' <<<"$depends" | sed 's/(.*//; s/:.*//; s/ //g' | tr '\n' ' ') "
libs=$(LC_ALL=C ldd "$BIN")
if grep -q 'not found' <<<"$libs"; then fail "$BIN is missing libraries: $(grep 'not found' <<<"$libs")"; fi
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null)
needed=$(readelf -d "$BIN" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
# GLFW's X11 backend dlopen()s these (go-gl/glfw x11_init.c); see packaging/build-deb.sh.
dlopened="libXcursor.so.1 libXrandr.so.2 libXinerama.so.1 libXi.so.6 libXxf86vm.so.1"
checked=()
for so in $needed $dlopened; do
	path=$(awk -v so="$so" '$1 == so && $3 ~ /^\// { print $3; exit }' <<<"$libs")
	[ -n "$path" ] || path=$(/sbin/ldconfig -p | awk -v so="$so" -v ma="/$multiarch/" '$1 == so && index($NF, ma) { print $NF; exit }')
	[ -n "$path" ] || fail "cannot find $so on this machine (is the build's dependency installed?)"
	pkg=$(owner "$path") || fail "no package owns $path ($so)"
	[[ $declared == *" $pkg "* ]] || fail "$BIN needs $so from $pkg, which the .deb's Depends does not name: $depends"
	checked+=("$so→$pkg")
done
ok "Depends ($depends) names every library's package: ${checked[*]}"

# 3. What the .deb holds.
root=$tmp/root
dpkg-deb -x "$deb" "$root"
control_version=$(dpkg-deb -f "$deb" Version)
[ "$control_version" = "$VERSION" ] || fail "the .deb's Version is $control_version, FyneApp.toml's is $VERSION"
desktop=usr/share/applications/$APP_ID.desktop
metainfo=usr/share/metainfo/$APP_ID.metainfo.xml
want=(usr/bin/tokenscope "$desktop" "$metainfo" usr/share/man/man1/tokenscope.1.gz
	usr/share/bash-completion/completions/tokenscope usr/share/zsh/vendor-completions/_tokenscope
	usr/share/fish/vendor_completions.d/tokenscope.fish)
for s in $ICON_SIZES; do want+=("usr/share/icons/hicolor/${s}x$s/apps/$APP_ID.png"); done
for f in "${want[@]}"; do [ -s "$root/$f" ] || fail "the .deb has no $f (or it is empty)"; done
for s in $ICON_SIZES; do
	f=usr/share/icons/hicolor/${s}x$s/apps/$APP_ID.png
	file -b "$root/$f" | grep -q "PNG image data, $s x $s," || fail "$f is not a $s×$s PNG: $(file -b "$root/$f")"
done
pages=$(find "$root/usr/share/man/man1" -name 'tokenscope*.1.gz' | wc -l)
[ "$pages" -ge 2 ] || fail "the .deb has $pages man pages; want tokenscope.1 and one per subcommand"
for page in "$root"/usr/share/man/man1/*.gz; do
	warnings=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$page" 2>&1 >/dev/null) ||
		fail "man cannot render $(basename "$page"): $warnings"
	[ -z "$warnings" ] || fail "groff warns about $(basename "$page"): $warnings"
done
bash -n "$root/usr/share/bash-completion/completions/tokenscope" || fail "the bash completion does not parse"
patterns=(-e '^usr/share/man/man1/tokenscope.*\.1\.gz$')
for f in "${want[@]}"; do patterns+=(-e "^$f\$"); done
stray=$(cd "$root" && find . -type f | sed 's#^\./##' | grep -v "${patterns[@]}" || true)
[ -z "$stray" ] || fail "the .deb holds files nobody listed: $stray"
ok "the .deb holds the binary, the .desktop file, ${ICON_SIZES// /, } px icons, metainfo, $pages man pages and 3 completions ($(du -k "$deb" | cut -f1) KiB)"

# The .desktop file and the metainfo agree with FyneApp.toml.
toml() { sed -n "s/^$1 *= *\"\(.*\)\"$/\1/p" FyneApp.toml | head -1; }
tomllist() { sed -n "s/^$1 *= *\[\(.*\)\]$/\1/p" FyneApp.toml | tr -d ' "' | tr , ';' | sed 's/$/;/'; }
entry() { sed -n "s/^$1=//p" "$root/$desktop"; }
[ "$(entry Name)" = "$(toml Name)" ] || fail "the .desktop Name '$(entry Name)' is not FyneApp.toml's '$(toml Name)'"
[ "$(entry Icon)" = "$APP_ID" ] || fail "the .desktop Icon '$(entry Icon)' is not the app ID $APP_ID"
for k in GenericName Comment; do
	[ "$(entry $k)" = "$(toml $k)" ] || fail "the .desktop $k '$(entry $k)' is not FyneApp.toml's '$(toml $k)'"
done
for k in Categories Keywords; do
	[ "$(entry $k)" = "$(tomllist $k)" ] || fail "the .desktop $k '$(entry $k)' is not FyneApp.toml's '$(tomllist $k)'"
done
grep -q "<id>$APP_ID</id>" "$root/$metainfo" || fail "the metainfo's <id> is not $APP_ID"
grep -q "<launchable type=\"desktop-id\">$APP_ID.desktop</launchable>" "$root/$metainfo" || fail "the metainfo does not launch $APP_ID.desktop"
grep -q "<release version=\"$VERSION\"" "$root/$metainfo" || fail "the metainfo's release is not $VERSION"
ok "the .desktop file and the metainfo agree with FyneApp.toml ($APP_ID $VERSION)"

# 4. The validators, on the shipped files.
dfv=$(desktop-file-validate "$root/$desktop" 2>&1) || fail "desktop-file-validate: $dfv"
if grep -E ': (error|warning):' <<<"$dfv"; then fail "desktop-file-validate warns about $desktop"; fi
asv=$(appstreamcli validate --no-net "$root/$metainfo" 2>&1) || fail "appstreamcli validate: $asv"
# The tree as a whole: the metainfo's launchable is the .desktop file, whose
# Icon is in hicolor.
asv=$(appstreamcli validate-tree --no-net "$root" 2>&1) || fail "appstreamcli validate-tree: $asv"
ok "desktop-file-validate, appstreamcli validate --no-net and validate-tree pass"

# 5. make install / make uninstall into a scratch DESTDIR (nothing rebuilt:
#    make package-test already made the builds, the man pages and the icons).
inst=$tmp/inst
"$MAKE" --no-print-directory -s -o build -o headless -o man install DESTDIR="$inst" PREFIX=/usr/local >/dev/null
cmp -s "$BIN" "$inst/usr/local/bin/tokenscope" || fail "make install's bin/tokenscope is not $BIN"
got=$(cd "$inst" && find . -type f | sed 's#^\./usr/local/#usr/#; s#zsh/site-functions#zsh/vendor-completions#' | sort)
shipped=$(cd "$root" && find . -type f | sed 's#^\./##' | sort)
[ "$got" = "$shipped" ] || fail "make install and the .deb install different files: $(diff <(echo "$shipped") <(echo "$got") | grep '^[<>]' | tr '\n' ' ')"
"$MAKE" --no-print-directory -s uninstall DESTDIR="$inst" PREFIX=/usr/local >/dev/null
left=$(cd "$inst" && find . ! -type d)
[ -z "$left" ] || fail "make uninstall left $left"
ok "make install PREFIX=/usr/local DESTDIR=… installs the .deb's $(wc -l <<<"$shipped") files, make uninstall removes them"

# 6. dpkg -i, run, dpkg -r: on this machine, one package-test at a time.
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null; then as_root=(sudo); else
		echo "package-test: SKIPPED dpkg -i/-r: not root and no sudo" >&2
		exit 0
	fi
fi
exec 9>"${TMPDIR:-/tmp}/tokenscope-package-test.lock"
flock 9
if dpkg-query -W -f='${db:Status-Status}' tokenscope 2>/dev/null | grep -qv '^not-installed$' || [ -e /usr/bin/tokenscope ]; then
	echo "package-test: SKIPPED dpkg -i/-r: this machine already has tokenscope ($(dpkg-query -W -f='${Version} ${db:Status-Status}' tokenscope 2>/dev/null || echo /usr/bin/tokenscope)); remove it to run the install test" >&2
	exit 0
fi
files=$(dpkg-deb -c "$deb" | awk '$1 !~ /^d/ { sub(/^\./, "", $6); print $6 }')
installed_by_us=1
log=$("${as_root[@]}" dpkg -i "$deb" 2>&1) || fail "dpkg -i $deb failed: $log"
[ "$(dpkg-query -W -f='${db:Status-Status}' tokenscope)" = installed ] || fail "after dpkg -i, tokenscope is $(dpkg-query -W -f='${db:Status-Status}' tokenscope)"
v=$(/usr/bin/tokenscope --version 2>&1) || fail "/usr/bin/tokenscope --version failed: $v"
[[ $v == "tokenscope $VERSION"* ]] || fail "/usr/bin/tokenscope --version says '$v'"
verify=$(dpkg --verify tokenscope 2>&1) || true
[ -z "$verify" ] || fail "dpkg --verify tokenscope: $verify"
if ! grep -rqs 'path-exclude.*/usr/share/man' /etc/dpkg/dpkg.cfg /etc/dpkg/dpkg.cfg.d/ && command -v man >/dev/null; then
	[ "$(man -w tokenscope 2>/dev/null)" = /usr/share/man/man1/tokenscope.1.gz ] || fail "man -w tokenscope does not find the installed page"
fi
log=$("${as_root[@]}" dpkg -r tokenscope 2>&1) || fail "dpkg -r tokenscope failed: $log"
installed_by_us=
status=$(dpkg-query -W -f='${db:Status-Status}' tokenscope 2>/dev/null || echo not-installed)
[ "$status" = not-installed ] || fail "after dpkg -r, tokenscope is $status (conffiles or scripts left?)"
for f in $files; do [ ! -e "$f" ] && [ ! -L "$f" ] || fail "dpkg -r left $f"; done
left=$(ls /var/lib/dpkg/info/tokenscope.* 2>/dev/null || true)
[ -z "$left" ] || fail "dpkg -r left $left"
ok "dpkg -i, /usr/bin/tokenscope --version ($v), dpkg --verify, dpkg -r: nothing left behind ($((SECONDS - start)) s in all)"
