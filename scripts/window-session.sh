#!/usr/bin/env bash
# The window's start-up beside its floor (a one-label window from the same
# binary), then its memory over a session: start the real binary under Xvfb on
# the Inspect screen, paste a different token every 1.5 s for ROUNDS rounds
# (default 90, about three minutes) and print the resident size and the Go
# heap left live by the last collection (GODEBUG=gctrace=1) every 15 rounds.
# Usage: scripts/window-session.sh BINARY    (make bench-window builds it)
# STARTS=N sets the number of start-ups measured; ROUNDS=0 skips the session.
set -euo pipefail
bin=$1 rounds=${ROUNDS:-90}
work=$(mktemp -d)
. "$(dirname "$0")/xwindow.sh"
trap 'kill "${app_pid:-}" 2>/dev/null || true; stop_xvfb; rm -rf "$work"' EXIT
start_xvfb

# First the start-up, beside its floor: the same binary opening a window
# that holds one label (TOKENSCOPE_WINDOW_FLOOR=1), started the same way.
# Each of STARTS runs (default 9) is a fresh home, as on a first run: the
# time until the window is on screen (looked for every 20 ms) and the
# resident size 3 s later, the median of each. The floor and the window
# take turns, so that a machine busier at one moment weighs on both.
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
starts=${STARTS:-9}
: >"$work/floor.ms" >"$work/floor.mb" >"$work/tokenscope.ms" >"$work/tokenscope.mb"
for _ in $(seq "$starts"); do
	for kind in floor tokenscope; do
		rm -rf "$HOME" "$TOKENSCOPE_CONFIG_DIR"
		mkdir -p "$HOME"
		began=$(date +%s%N)
		if [ $kind = floor ]; then
			TOKENSCOPE_WINDOW_FLOOR=1 "$bin" >"$work/start.log" 2>&1 &
		else
			"$bin" >"$work/start.log" 2>&1 &
		fi
		pid=$!
		wait_window || { echo "window-session: the $kind window did not appear" >&2; cat "$work/start.log" >&2; exit 1; }
		echo $((($(date +%s%N) - began) / 1000000)) >>"$work/$kind.ms"
		sleep 3
		awk '/^VmRSS:/ { printf "%d\n", $2 / 1024 }' "/proc/$pid/status" >>"$work/$kind.mb"
		kill "$pid"
		wait "$pid" 2>/dev/null || true
	done
done
f_ms=$(median <"$work/floor.ms") t_ms=$(median <"$work/tokenscope.ms")
f_mb=$(median <"$work/floor.mb") t_mb=$(median <"$work/tokenscope.mb")
echo "window-session: shown after $t_ms ms (floor $f_ms ms, ×$(awk -v a="$t_ms" -v b="$f_ms" 'BEGIN { printf "%.2f", a / b }')), $t_mb MB resident 3 s later (floor $f_mb MB, ×$(awk -v a="$t_mb" -v b="$f_mb" 'BEGIN { printf "%.2f", a / b }')); medians of $starts fresh starts each"
[ "${ROUNDS:-90}" = 0 ] && exit 0

rm -rf "$HOME" "$TOKENSCOPE_CONFIG_DIR"
mkdir -p "$HOME"
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
