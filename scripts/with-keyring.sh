#!/usr/bin/env bash
# Runs a command with a real Secret Service: gnome-keyring on a private
# D-Bus session, its login collection created and unlocked with a throwaway
# password, in a throwaway data directory.
#
# DISPLAY is removed before the bus starts: with a display, a locked
# keyring pops a password prompt and blocks. It is given back to the command.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 COMMAND [ARGS...]" >&2; exit 2; }
export TOKENSCOPE_SAVED_DISPLAY=${DISPLAY:-}
unset DISPLAY
exec dbus-run-session -- bash -c '
	set -euo pipefail
	data=$(mktemp -d)
	trap "rm -rf \"$data\"" EXIT
	export XDG_DATA_HOME=$data
	eval "$(printf "tokenscope-test\n" | gnome-keyring-daemon --replace --unlock --components=secrets)"
	export GNOME_KEYRING_CONTROL
	if [ -n "$TOKENSCOPE_SAVED_DISPLAY" ]; then export DISPLAY=$TOKENSCOPE_SAVED_DISPLAY; fi
	export TOKENSCOPE_SECRET_SERVICE=1 # tests that need the real keyring run only when this is set
	"$@"
' with-keyring "$@"
