//go:build !headless

package main

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tokenscope/tokenscope/internal/secrets"
)

// The test binary doubles as tokenscope: with TOKENSCOPE_TEST_AS_MAIN=1 it
// runs main() on its arguments, so the tests start the real program.
func TestMain(m *testing.M) {
	if os.Getenv("TOKENSCOPE_TEST_AS_MAIN") == "1" {
		os.Args = append([]string{"tokenscope"}, os.Args[1:]...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// tokenscope is the program on a fresh home and config directory, with
// only the environment given (no session bus unless env names one).
func tokenscope(t *testing.T, home string, env []string, args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "LANG=C.UTF-8",
		"TOKENSCOPE_TEST_AS_MAIN=1", "TOKENSCOPE_CONFIG_DIR=" + filepath.Join(home, "config")}, env...)
	return cmd
}

// TestWithNoDisplayTheWindowSaysSoInOneSentenceAndExits2: no DISPLAY, a
// DISPLAY no X server answers, and an X server without OpenGL (Xvfb with
// no GLX) each give one sentence on stderr and exit code 2, not GLFW's
// panic and stack trace.
func TestWithNoDisplayTheWindowSaysSoInOneSentenceAndExits2(t *testing.T) {
	free := ":" + fmt.Sprint(400+os.Getpid()%500)
	if _, err := os.Stat("/tmp/.X11-unix/X" + free[1:]); err == nil {
		t.Skipf("display %s exists", free)
	}
	displays := []string{"", free}
	if x, err := exec.LookPath("Xvfb"); err == nil {
		displays = append(displays, startXvfb(t, x, "-extension", "GLX"))
	}
	for _, display := range displays {
		var stderr bytes.Buffer
		cmd := tokenscope(t, t.TempDir(), []string{"DISPLAY=" + display})
		cmd.Stderr = &stderr
		err := cmd.Run()
		lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
		if cmd.ProcessState == nil || cmd.ProcessState.ExitCode() != 2 {
			t.Errorf("DISPLAY=%q: %v, want exit code 2; stderr:\n%s", display, err, stderr.String())
		}
		if len(lines) != 1 || !strings.HasPrefix(lines[0], "tokenscope: no display: run a subcommand, e.g. `tokenscope help`") {
			t.Errorf("DISPLAY=%q: stderr is not one sentence:\n%s", display, stderr.String())
		}
	}
}

// marked lists the live processes whose environment holds mark: the
// processes this test's programs started, however deep (a bus started by
// dbus-launch, and the keyring it activates, inherit the environment).
func marked(mark string) []string {
	var out []string
	envs, _ := filepath.Glob("/proc/[0-9]*/environ")
	for _, e := range envs {
		b, err := os.ReadFile(e)
		if err != nil || !bytes.Contains(b, []byte(mark)) {
			continue
		}
		stat, _ := os.ReadFile(filepath.Join(filepath.Dir(e), "stat"))
		if i := bytes.LastIndexByte(stat, ')'); i > 0 && len(stat) > i+2 && stat[i+2] == 'Z' {
			continue // a zombie: it ran and exited
		}
		cmd, _ := os.ReadFile(filepath.Join(filepath.Dir(e), "cmdline"))
		out = append(out, filepath.Base(filepath.Dir(e))+" "+strings.ReplaceAll(string(cmd), "\x00", " "))
	}
	return out
}

// busDaemons counts the live dbus-daemon and gnome-keyring-daemon
// processes on the machine.
func busDaemons() int {
	n := 0
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, s := range stats {
		b, _ := os.ReadFile(s)
		open, end := bytes.IndexByte(b, '('), bytes.LastIndexByte(b, ')')
		if open < 0 || end < open || len(b) < end+3 || b[end+2] == 'Z' {
			continue
		}
		if comm := string(b[open+1 : end]); comm == "dbus-daemon" || strings.HasPrefix(comm, "gnome-keyrin") {
			n++
		}
	}
	return n
}

// TestNothingIsLeftRunningWithoutASessionBus: with no session bus (no
// DBUS_SESSION_BUS_ADDRESS), `profile add`, `profile show` and the window
// start no dbus-daemon and no gnome-keyring-daemon (godbus would run
// dbus-launch, and the bus would activate the keyring; both outlived us).
// The profile's secrets are reported unavailable in words, not D-Bus's.
func TestNothingIsLeftRunningWithoutASessionBus(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	if _, ok := secrets.SessionBusAddress(); ok {
		t.Skip("this machine has a session bus of its own (/run/user/UID/bus)")
	}
	if _, err := exec.LookPath("dbus-launch"); err != nil {
		t.Log("dbus-launch is not installed: this machine could not leak a bus anyway")
	}
	b := make([]byte, 8)
	rand.Read(b)
	mark := "TOKENSCOPE_TEST_MARK=" + hex.EncodeToString(b)
	home := t.TempDir()
	before := busDaemons()
	env := []string{mark, "RT=v1.a-refresh-token-for-the-no-bus-test"}
	out, err := tokenscope(t, home, env, "profile", "add", "nobus", "--issuer", "https://tenant.example.com/", "--client-id", "abc", "--refresh-token-env", "RT").CombinedOutput()
	t.Logf("profile add: %v\n%s", err, out)
	if !strings.Contains(string(out), "no D-Bus session bus") || strings.Contains(string(out), "/org/freedesktop") {
		t.Errorf("profile add does not say plainly why the keyring is not used:\n%s", out)
	}
	out, err = tokenscope(t, home, env, "profile", "show", "nobus").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "no D-Bus session bus") {
		t.Errorf("profile show: %v\n%s", err, out)
	}
	if x, err := exec.LookPath("Xvfb"); err == nil {
		runWindowBriefly(t, x, t.TempDir(), env) // a fresh home: the demo starts
	} else {
		t.Log("no Xvfb: the window is not run")
	}
	time.Sleep(300 * time.Millisecond)
	if left := marked(mark); len(left) > 0 {
		t.Errorf("left running after tokenscope exited:\n%s", strings.Join(left, "\n"))
	}
	// Other tests on this machine may start buses of their own: the
	// count is a cross-check, the marked processes above are the proof.
	t.Logf("dbus-daemon/gnome-keyring-daemon processes: %d before, %d after", before, busDaemons())
}

// runWindowBriefly opens the window on a private Xvfb until the demo
// tenant has started (its seeding writes to the keyring), then quits it as
// a window manager's close would (SIGTERM).
func runWindowBriefly(t *testing.T, xvfb, home string, env []string) {
	t.Helper()
	display := startXvfb(t, xvfb)
	var logs bytes.Buffer
	app := tokenscope(t, home, append(env, "DISPLAY="+display))
	app.Stdout, app.Stderr = &logs, &logs
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	// The demo's profiles land in the profiles file once it is seeded.
	deadline := time.Now().Add(30 * time.Second)
	for {
		if b, _ := os.ReadFile(filepath.Join(home, "config", "profiles.json")); bytes.Contains(b, []byte("demo-web")) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the demo profiles were not seeded within 30 s; the window said:\n%s", logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(time.Second)
	app.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- app.Wait() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		app.Process.Kill()
		t.Errorf("the window did not quit on SIGTERM; it said:\n%s", logs.String())
	}
	if strings.Contains(logs.String(), "D-Bus") || strings.Contains(logs.String(), "dbus") {
		t.Errorf("the window logged D-Bus noise:\n%s", logs.String())
	}
}

// startXvfb starts Xvfb on a display it picks (extra are its options) and
// returns the display; it is stopped when the test ends. -noreset: an X
// server resets when its last client leaves, and refuses clients meanwhile.
func startXvfb(t *testing.T, xvfb string, extra ...string) string {
	t.Helper()
	r, w, _ := os.Pipe()
	x := exec.Command(xvfb, append([]string{"-displayfd", "3", "-screen", "0", "1280x800x24", "-nolisten", "tcp", "-noreset"}, extra...)...)
	x.ExtraFiles = []*os.File{w}
	if err := x.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() { x.Process.Kill(); x.Wait() })
	buf := make([]byte, 16)
	n, _ := r.Read(buf)
	return ":" + strings.TrimSpace(string(buf[:n]))
}
