# Sourced by smoke.sh and window-session.sh: a private Xvfb display, and
# the app's window on it. The caller sets $work (a temporary directory it
# removes) and calls stop_xvfb when it is done.

# start_xvfb starts Xvfb on a free display and points DISPLAY, HOME and
# the config directory at it and $work, so the app never touches the
# user's own.
start_xvfb() {
	# Xvfb picks a free display itself and writes its number on fd 3 (a
	# random one could be taken by another run on this machine). -noreset:
	# by default an X server resets when its last client leaves, and a
	# window started in that moment fails with "Failed to open display" (one
	# start in five or so when windows are started one after another).
	Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp -noreset 3>"$work/display" >"$work/xvfb.log" 2>&1 &
	xvfb_pid=$!
	for _ in $(seq 100); do [ -s "$work/display" ] && break; sleep 0.05; done
	display=:$(head -n1 "$work/display")
	for _ in $(seq 50); do xdpyinfo -display "$display" >/dev/null 2>&1 && break; sleep 0.1; done
	export DISPLAY=$display TOKENSCOPE_CONFIG_DIR=$work/config HOME=$work/home
	mkdir -p "$HOME"
}

# wait_window sets $wid to the Tokenscope window once it is visible, looking
# every 20 ms (xdotool's own --sync waits half a second between looks); it
# fails after about a minute.
wait_window() {
	wid=
	for _ in $(seq 3000); do
		wid=$(xdotool search --onlyvisible --name '^Tokenscope$' 2>/dev/null | head -n1) && [ -n "$wid" ] && return 0
		sleep 0.02
	done
	return 1
}

# stop_xvfb stops the Xvfb start_xvfb started and waits until it has gone:
# a server still shutting down when the next run starts one can remove the
# new server's socket on its way out (the next run's window then fails with
# "Failed to open display").
stop_xvfb() {
	[ -n "${xvfb_pid:-}" ] || return 0
	kill "$xvfb_pid" 2>/dev/null || true
	wait "$xvfb_pid" 2>/dev/null || true
}
