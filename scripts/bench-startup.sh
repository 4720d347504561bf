#!/usr/bin/env bash
# make bench, start-up: the headless build's `decode`, the desktop build's
# `decode`, and a minimal Go program that decodes the same token (its
# floor: base64 and encoding/json, nothing else), each started N times in
# a row, side by side in the same run. Usage: scripts/bench-startup.sh GO [N]
set -euo pipefail
go=${1:-go} n=${2:-200}
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/floor"
cat >"$tmp/floor/main.go" <<'GO'
package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

func main() {
	parts := strings.Split(strings.TrimSpace(os.Args[1]), ".")
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		os.Exit(2)
	}
	var claims map[string]any
	if err := json.Unmarshal(b, &claims); err != nil {
		os.Exit(2)
	}
	fmt.Println(claims)
}
GO
printf 'module floor\n\ngo 1.26\n' >"$tmp/floor/go.mod"
(cd "$tmp/floor" && CGO_ENABLED=0 GOFLAGS= "$go" build -o "$tmp/floor-decode" .)
CGO_ENABLED=0 "$go" build -tags headless -trimpath -o "$tmp/headless" .
"$go" build -tags migrated_fynedo,no_emoji -o "$tmp/desktop" .
tok=$(cat scripts/sample-token.txt)

# ms per start, over n starts.
per_start() {
	local start end
	start=$(date +%s%N)
	for _ in $(seq "$n"); do "$@" >/dev/null; done
	end=$(date +%s%N)
	awk -v d=$((end - start)) -v n="$n" 'BEGIN { printf "%.2f", d / n / 1e6 }'
}
"$tmp/headless" decode "$tok" >/dev/null # warm the page cache
floor=$(per_start "$tmp/floor-decode" "$tok")
headless=$(per_start "$tmp/headless" decode "$tok")
desktop=$(per_start "$tmp/desktop" decode "$tok")
echo
echo "Start-up, decode of the same token, $n starts each (same run):"
printf '  %-34s %6s ms\n' "minimal Go decoder (floor)" "$floor"
printf '  %-34s %6s ms  ×%s\n' "tokenscope decode, headless build" "$headless" "$(awk -v a="$headless" -v f="$floor" 'BEGIN { printf "%.2f", a / f }')"
printf '  %-34s %6s ms  ×%s\n' "tokenscope decode, desktop build" "$desktop" "$(awk -v a="$desktop" -v f="$floor" 'BEGIN { printf "%.2f", a / f }')"
printf '  binary sizes: headless %s MB, desktop %s MB\n' "$(du -m "$tmp/headless" | cut -f1)" "$(du -m "$tmp/desktop" | cut -f1)"
