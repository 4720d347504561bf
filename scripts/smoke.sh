#!/usr/bin/env bash
# Smoke test: start the real binary under Xvfb, wait for its window, take a
# screenshot and fail if the window is missing or the screenshot is blank.
# Usage: scripts/smoke.sh BINARY SCREENSHOT.png
# SMOKE_TYPE=0 skips typing the sample token (screenshots of other screens);
# TOKENSCOPE_SCREEN and FYNE_THEME pass through to the app.
set -euo pipefail
bin=$1 out=$2
work=$(mktemp -d)
. "$(dirname "$0")/xwindow.sh"
trap 'kill "${app_pid:-}" 2>/dev/null || true; stop_xvfb; rm -rf "$work"' EXIT

start_xvfb
started=$(date +%s%N)
"$bin" >"$work/app.log" 2>&1 &
app_pid=$!
if ! wait_window; then
	echo "smoke: the Tokenscope window did not appear within 60 s; the app said:" >&2
	cat "$work/app.log" >&2
	exit 1
fi
shown_ms=$((($(date +%s%N) - started) / 1000000))
# Paste-like typing of a sample token, so the screenshot shows a decoded one.
sample=$(dirname "$0")/sample-token.txt
if [ -f "$sample" ] && [ "${SMOKE_TYPE:-1}" = 1 ]; then
	xdotool windowactivate --sync "$wid" 2>/dev/null || true
	xdotool key ctrl+l # through XTEST: GLFW ignores synthetic events sent to a window
	xdotool type --delay 2 "$(tr -d '\n' <"$sample")"
fi
sleep 3 # let the debounced decode and the frames render
# The window only, cropped to its frame (no black bands of the screen
# around it): its geometry from xdotool, cut out of the root window.
eval "$(xdotool getwindowgeometry --shell "$wid")" # sets X, Y, WIDTH, HEIGHT
import -display "$display" -window root -crop "${WIDTH}x${HEIGHT}+${X}+${Y}" +repage "$out"
rss_mb=$(awk '/^VmRSS:/ { printf "%d", $2 / 1024 }' "/proc/$app_pid/status" 2>/dev/null || echo "?")
kill "$app_pid" 2>/dev/null || true

# A blank screenshot has (almost) no variation between pixels.
sd=$(convert "$out" -colorspace Gray -format '%[fx:standard_deviation]' info:)
colors=$(convert "$out" -format '%k' info:)
echo "smoke: window $wid shown ${shown_ms} ms after launch; ${rss_mb} MB resident after the demo start and a decoded token; screenshot $out: $colors colours, grey deviation $sd"
if awk -v sd="$sd" 'BEGIN { exit !(sd < 0.02) }' || [ "$colors" -lt 16 ]; then
	echo "smoke: the screenshot is blank: the window drew nothing" >&2
	exit 1
fi
