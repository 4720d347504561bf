#!/usr/bin/env bash
# The window's memory over a session: start the real binary under Xvfb on
# the Inspect screen, paste a different token every 1.5 s for ROUNDS rounds
# (default 90, about three minutes) and print the resident size and the Go
# heap left live by the last collection (GODEBUG=gctrace=1) every 15 rounds.
# Usage: scripts/window-session.sh BINARY    (make bench-window builds it)
set -euo pipefail
bin=$1 rounds=${ROUNDS:-90}
work=$(mktemp -d)
trap 'kill "${app_pid:-}" "${xvfb_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
. "$(dirname "$0")/xwindow.sh"
start_xvfb
export TOKENSCOPE_SCREEN=Inspect GODEBUG=gctrace=1
"$bin" >"$work/app.log" 2>&1 &
app_pid=$!
wait_window || { echo "window-session: the window did not appear" >&2; exit 1; }
sleep 2
token=$(tr -d '\n' <"$(dirname "$0")/sample-token.txt")
for r in $(seq "$rounds"); do
	xdotool windowactivate --sync "$wid" >/dev/null 2>&1 || true
	xdotool key ctrl+l ctrl+a BackSpace
	xdotool type --delay 0 "${token}x$r" # a different token each round
	sleep 1.5
	if [ $((r % 15)) = 0 ]; then
		rss=$(awk '/^VmRSS:/ { printf "%d", $2 / 1024 }' "/proc/$app_pid/status")
		live=$(grep -o '[0-9]*->[0-9]*->[0-9]* MB' "$work/app.log" | tail -n1 | sed 's/.*->//')
		echo "window-session: after $r tokens: $rss MB resident, Go heap live after the last collection $live"
	fi
done
