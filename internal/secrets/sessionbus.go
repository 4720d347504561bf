package secrets

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ErrNoSessionBus means there is no D-Bus session bus to find a Secret
// Service on: no desktop session (a VM, WSL, a CI box, an SSH login).
var ErrNoSessionBus = errors.New("there is no D-Bus session bus (no desktop session)")

// noBusAddress is what PreventBusAutolaunch puts in DBUS_SESSION_BUS_ADDRESS:
// an address with no transport, so godbus fails at once instead of
// running dbus-launch.
const noBusAddress = "disabled:"

// SessionBusAddress returns the address of the session bus that is already
// running, found as godbus finds it (DBUS_SESSION_BUS_ADDRESS, then
// /run/user/UID/bus, then /run/user/UID/dbus-session), and false when there
// is none. It never starts one.
func SessionBusAddress() (string, bool) {
	switch a := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); a {
	case "", "autolaunch:":
	case noBusAddress:
		return "", false
	default:
		return a, true
	}
	run := filepath.Join("/run/user", fmt.Sprint(os.Getuid()))
	if fi, err := os.Stat(filepath.Join(run, "bus")); err == nil && fi.Mode()&os.ModeSocket != 0 {
		return "unix:path=" + filepath.Join(run, "bus"), true
	}
	if b, err := os.ReadFile(filepath.Join(run, "dbus-session")); err == nil {
		if a, ok := strings.CutPrefix(strings.TrimSpace(string(b)), "DBUS_SESSION_BUS_ADDRESS="); ok && a != "" {
			return a, true
		}
	}
	return "", false
}

// PreventBusAutolaunch makes sure nothing in this process starts a session
// bus. godbus, under both zalando/go-keyring and Fyne (its theme and
// screensaver calls), runs `dbus-launch` when it finds no bus, and that
// bus (and the gnome-keyring-daemon it activates) outlives us. With no bus
// running, it points DBUS_SESSION_BUS_ADDRESS at an address with no
// transport: every D-Bus call then fails at once, and the keyring is
// reported unavailable. Call it first thing in main.
func PreventBusAutolaunch() {
	if _, ok := SessionBusAddress(); !ok {
		os.Setenv("DBUS_SESSION_BUS_ADDRESS", noBusAddress)
	}
}
