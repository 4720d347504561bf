// Package secretservice_test checks internal/secrets against a real Secret
// Service. It is a package of its own because go-keyring's mock, which the
// unit tests use, replaces the provider for the whole test binary.
package secretservice_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	. "github.com/tokenscope/tokenscope/internal/secrets"
)

// TestRealSecretServiceKeepsSecretsOutOfFiles runs against gnome-keyring on
// a private D-Bus session (make test starts it via scripts/with-keyring.sh)
// and reads the entry back with secret-tool, an independent client.
func TestRealSecretServiceKeepsSecretsOutOfFiles(t *testing.T) {
	if os.Getenv("TOKENSCOPE_SECRET_SERVICE") == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("CI must run this test against the real keyring: run the tests through scripts/with-keyring.sh")
		}
		t.Skip("needs the test keyring: run under scripts/with-keyring.sh (make test does)")
	}
	const secret = "v1.real-keyring-refresh-token-4f9a2c"
	s := Keyring{}
	if err := s.Set("ci-profile", RefreshToken, secret); err != nil {
		t.Fatalf("Set on the real keyring: %v", err)
	}
	t.Cleanup(func() { DeleteProfile(s, "ci-profile") })
	out, err := exec.Command("secret-tool", "lookup", "service", Service, "username", Account("ci-profile", RefreshToken)).Output()
	if err != nil || string(out) != secret {
		t.Fatalf("secret-tool lookup = %q, %v", out, err)
	}
	// Nowhere on disk in clear: gnome-keyring's files are encrypted.
	data := os.Getenv("XDG_DATA_HOME")
	filepath.Walk(data, func(path string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			if b, _ := os.ReadFile(path); strings.Contains(string(b), secret) {
				t.Errorf("%s holds the secret in clear", path)
			}
		}
		return nil
	})
	if err := DeleteProfile(s, "ci-profile"); err != nil {
		t.Fatal(err)
	}
	if out, _ := exec.Command("secret-tool", "lookup", "service", Service, "username", Account("ci-profile", RefreshToken)).Output(); len(out) != 0 {
		t.Fatal("the entry is still in the keyring after DeleteProfile")
	}
}

// busProcesses counts the live (not zombie) dbus-daemon and
// gnome-keyring-daemon processes whose environment holds mark: the ones
// this test process started, however deep (dbus-launch's bus and the
// keyring it activates inherit our environment), and no other test's.
func busProcesses(t *testing.T, mark string) int {
	t.Helper()
	dirs, _ := filepath.Glob("/proc/[0-9]*/stat")
	n := 0
	for _, stat := range dirs {
		b, err := os.ReadFile(stat)
		if err != nil {
			continue
		}
		// pid (comm) state ...
		s := string(b)
		open, close := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
		if open < 0 || close < open || len(s) < close+3 {
			continue
		}
		comm, state := s[open+1:close], s[close+2]
		if state == 'Z' || (comm != "dbus-daemon" && !strings.HasPrefix(comm, "gnome-keyring")) {
			continue
		}
		if env, _ := os.ReadFile(filepath.Join(filepath.Dir(stat), "environ")); strings.Contains(string(env), mark) {
			n++
		}
	}
	return n
}

// TestWithNoSessionBusTheKeyringIsUnavailableAndNoBusIsStarted: godbus
// (under go-keyring) runs dbus-launch when DBUS_SESSION_BUS_ADDRESS is
// unset, and the bus it starts, with the gnome-keyring-daemon the bus
// activates, outlives us. Keyring never lets it: no bus, no keyring.
func TestWithNoSessionBusTheKeyringIsUnavailableAndNoBusIsStarted(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	if _, ok := SessionBusAddress(); ok {
		t.Skip("this machine has a session bus of its own (/run/user/UID/bus)")
	}
	mark := fmt.Sprintf("TOKENSCOPE_TEST_MARK=%d-%d", os.Getpid(), time.Now().UnixNano())
	k, v, _ := strings.Cut(mark, "=")
	t.Setenv(k, v)
	before := busProcesses(t, mark)
	for _, op := range []func() error{
		func() error { return Keyring{}.Set("no-bus", RefreshToken, "v1.no-bus-refresh-token") },
		func() error { _, err := Keyring{}.Get("no-bus", RefreshToken); return err },
		func() error { return Keyring{}.Delete("no-bus", RefreshToken) },
	} {
		err := op()
		var ue *UnavailableError
		if !errors.As(err, &ue) || !errors.Is(err, ErrNoSessionBus) {
			t.Fatalf("err = %v, want UnavailableError(ErrNoSessionBus)", err)
		}
		if msg := err.Error(); !strings.Contains(msg, "no D-Bus session bus") || !strings.Contains(msg, "apt install gnome-keyring") {
			t.Fatalf("the message does not say what is wrong and what to install: %q", msg)
		}
	}
	// PreventBusAutolaunch keeps every other godbus user (Fyne) from
	// starting one too.
	PreventBusAutolaunch()
	if a := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); a == "" || a == "autolaunch:" {
		t.Fatalf("DBUS_SESSION_BUS_ADDRESS = %q: godbus would run dbus-launch", a)
	}
	if _, ok := SessionBusAddress(); ok {
		t.Fatal("the placeholder address counts as a bus")
	}
	time.Sleep(200 * time.Millisecond) // anything started would be up by now
	if after := busProcesses(t, mark); after != before {
		t.Fatalf("%d dbus-daemon/gnome-keyring-daemon processes before, %d after", before, after)
	}
}

// TestABusWithNoSecretServiceIsExplained runs a private session bus that
// can activate nothing (a machine with no Secret Service installed): the
// error says so, in words, without D-Bus's names. The keyring call runs in
// a child process: godbus keeps one session bus connection per process, so
// a bus an earlier test used would answer instead.
func TestABusWithNoSecretServiceIsExplained(t *testing.T) {
	if os.Getenv("TOKENSCOPE_TEST_NO_SERVICE") == "1" {
		_, err := Keyring{}.Get("no-service", RefreshToken)
		var ue *UnavailableError
		if !errors.As(err, &ue) {
			t.Fatalf("err = %v", err)
		}
		if msg := err.Error(); !strings.Contains(msg, "no Secret Service") || !strings.Contains(msg, "apt install gnome-keyring") || strings.Contains(msg, "org.freedesktop") {
			t.Fatalf("message %q", msg)
		}
		return
	}
	if _, err := exec.LookPath("dbus-daemon"); err != nil {
		t.Skip("needs dbus-daemon")
	}
	dir := t.TempDir()
	conf := filepath.Join(dir, "session.conf")
	os.WriteFile(conf, []byte(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:path=`+filepath.Join(dir, "bus")+`</listen>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy></busconfig>`), 0o600)
	bus := exec.Command("dbus-daemon", "--config-file="+conf, "--nofork", "--print-address")
	out, _ := bus.StdoutPipe()
	if err := bus.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bus.Process.Kill(); bus.Wait() })
	line := make([]byte, 512)
	n, _ := out.Read(line)
	child := exec.Command(os.Args[0], "-test.run=^TestABusWithNoSecretServiceIsExplained$", "-test.v")
	child.Env = append(os.Environ(), "TOKENSCOPE_TEST_NO_SERVICE=1", "DBUS_SESSION_BUS_ADDRESS="+strings.TrimSpace(string(line[:n])))
	if b, err := child.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
}
