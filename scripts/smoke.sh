#!/usr/bin/env bash
# Smoke test: start the real binary under Xvfb, wait for its window, take a
# screenshot and fail if the window is missing or the screenshot is blank.
# Usage: scripts/smoke.sh BINARY SCREENSHOT.png
# SMOKE_TYPE=0 skips typing the sample token (screenshots of other screens);
# TOKENSCOPE_SCREEN and FYNE_THEME pass through to the app.
set -euo pipefail
bin=$1 out=$2
work=$(mktemp -d)
trap 'kill "${app_pid:-}" "${xvfb_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

display=:$((90 + RANDOM % 100))
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 50); do xdpyinfo -display "$display" >/dev/null 2>&1 && break; sleep 0.1; done

# A config dir of its own, so the smoke test never touches the user's.
export DISPLAY=$display TOKENSCOPE_CONFIG_DIR=$work/config HOME=$work/home
mkdir -p "$HOME"
started=$(date +%s%N)
"$bin" >"$work/app.log" 2>&1 &
app_pid=$!

# Polled every 20 ms (xdotool's own --sync waits half a second between looks).
wid=
for _ in $(seq 3000); do
	wid=$(xdotool search --onlyvisible --name '^Tokenscope$' 2>/dev/null | head -n1) && [ -n "$wid" ] && break
	sleep 0.02
done
if [ -z "$wid" ]; then
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
