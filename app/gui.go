//go:build !headless

package app

import (
	"fmt"
	"io"
	"log"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/assets"
	"github.com/tokenscope/tokenscope/internal/workspace"
	"github.com/tokenscope/tokenscope/ui"
)

// NewServices builds what the screens share.
func NewServices() *ui.Services {
	// The window falls back to memory when no keyring is reachable (and
	// says so); a stalled keyring times out instead of falling back.
	return &ui.Services{
		Workspace: workspace.Open(true),
		Now:       time.Now,
		Version:   Version(),
		Icon:      fyne.NewStaticResource("icon.png", assets.IconPNG),
		// The Readiness screen joins the tenant with a scan of the code.
		ScanForReadiness: scanForReadiness,
		TypingPause:      ui.DefaultTypingPause,
	}
}

// OpenFloorWindow is the benchmark's floor (TOKENSCOPE_WINDOW_FLOOR=1):
// a window holding one label, made by the same binary the same way as the
// real one (same start-up, same metadata, same size), so make bench-window
// can put the real window's first frame and memory beside it.
func OpenFloorWindow(a fyne.App) fyne.Window {
	w := a.NewWindow("Tokenscope")
	w.SetContent(widget.NewLabel("Tokenscope"))
	w.Resize(fyne.NewSize(1180, 760))
	return w
}

// FyneMetadata returns FyneApp.toml's details in Fyne's form, for
// app.SetMetadata (plain `go build` does not inject them as `fyne build` does).
func FyneMetadata() fyne.AppMetadata {
	m := LoadMetadata()
	return fyne.AppMetadata{
		ID: m.ID, Name: m.Name, Version: m.Version, Build: m.Build,
		Icon:       fyne.NewStaticResource("icon.png", assets.IconPNG),
		Release:    true,
		Migrations: map[string]bool{"fyneDo": true},
	}
}

// OpenWindow builds the main window on a Fyne app. With no profiles, or
// only demo ones, it starts the demo tenant with startDemo (the
// composition root's, see workspace.StartDemo) behind the window.
func OpenWindow(a fyne.App, startDemo workspace.DemoStarter) fyne.Window {
	svc := NewServices()
	// TOKENSCOPE_SCREEN opens on a named screen (the README's screenshots).
	svc.StartScreen = os.Getenv("TOKENSCOPE_SCREEN")
	// TOKENSCOPE_SCAN opens the Scan screen on a folder, already scanning.
	svc.StartScan = os.Getenv("TOKENSCOPE_SCAN")
	// The window shows first; the demo tenant starts behind it (seeding its
	// profiles writes to the keyring, which may wait on an unlock prompt).
	return ui.Create(a, svc, func() (workspace.Demo, string, error) {
		srv, seed, err := svc.StartDemo(startDemo)
		if err != nil {
			fmt.Fprintln(os.Stderr, "tokenscope: the demo tenant did not start:", err)
		}
		// Seeding made keys and tokens: let the screens take the demo first.
		releaseStartupGarbage(500 * time.Millisecond)
		if srv == nil {
			return nil, "", err
		}
		return srv.Tenant, seed.DemoNote(), err
	}, Started)
}

// noDisplay is the sentence for a machine where the window cannot open.
const noDisplay = "no display: run a subcommand, e.g. `tokenscope help`"

// NoDisplay returns the one sentence to print (and exit 2 with) when the
// window cannot open here because no X display is set, or "". Fyne's X11
// driver would otherwise log GLFW errors and panic with a stack trace.
func NoDisplay() string {
	switch runtime.GOOS {
	case "linux", "freebsd", "openbsd", "netbsd", "dragonfly":
		if os.Getenv("DISPLAY") == "" {
			return noDisplay + " (DISPLAY is not set)"
		}
	}
	return ""
}

// WatchGraphicsStart turns the graphics driver's start-up failures (an X
// server that does not answer, no OpenGL), which Fyne and GLFW log before
// they panic or exit, into one sentence on stderr and exit code 2. Call it
// before the app is made, defer the func it returns in main, and call
// Started once the app runs: from then on log lines pass through as they
// are.
func WatchGraphicsStart() (recoverPanic func()) {
	w := &startWatch{out: os.Stderr, exit: os.Exit}
	watch = w
	log.SetOutput(w)
	return func() {
		if r := recover(); r != nil {
			w.panicked(r)
		}
	}
}

// watch is the watcher main installed, if any.
var watch *startWatch

// Started tells the watcher the window is up: log lines pass through. A
// second later the start-up's garbage goes back to the OS (see
// releaseStartupGarbage); the floor window of make bench-window does the
// same, so the two are measured alike.
func Started() {
	if watch != nil {
		watch.mu.Lock()
		watch.started = true
		watch.mu.Unlock()
	}
	releaseStartupGarbage(time.Second)
}

// releaseStartupGarbage returns freed memory to the OS once, after delay.
// Start-up leaves megabytes of garbage behind (font tables parsed while the
// first frame is measured, the demo tenant's keys, the profiles read), and
// Go's scavenger would hand those pages back only over minutes: until then
// they count in the window's resident size.
func releaseStartupGarbage(delay time.Duration) {
	time.AfterFunc(delay, debug.FreeOSMemory)
}

// startWatch holds GLFW's platform errors until the app has started: they
// are the cause of a failure, or they are printed once it started.
type startWatch struct {
	mu       sync.Mutex
	out      io.Writer
	exit     func(int)
	started  bool
	platform []string // GLFW's platform errors before the start
	failing  string   // the failure Fyne reported, waiting for its cause
}

func (w *startWatch) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	line := string(p)
	if w.started {
		return w.out.Write(p)
	}
	if _, e, ok := strings.Cut(line, "PlatformError: "); ok {
		w.platform = append(w.platform, strings.TrimSpace(e))
		return len(p), nil
	}
	for _, sign := range []string{"failed to initialise GLFW", "window creation error"} {
		if strings.Contains(line, "Fyne error:") && strings.Contains(line, sign) {
			w.failing = sign
			return len(p), nil
		}
	}
	if w.failing != "" {
		cause := w.failing
		if _, c, ok := strings.Cut(line, "Cause:"); ok {
			cause = strings.TrimSpace(c)
		}
		w.fail(cause)
		return len(p), nil
	}
	return w.out.Write(p)
}

// panicked handles a panic in main: GLFW's (it panics when it could not
// initialise: no X server) becomes the sentence; any other goes on.
func (w *startWatch) panicked(r any) {
	w.mu.Lock()
	defer w.mu.Unlock()
	msg := fmt.Sprint(r)
	if w.started || !(strings.Contains(msg, "GLFW") || strings.Contains(msg, "NotInitialized") || strings.Contains(msg, "GLX")) {
		panic(r)
	}
	w.fail(msg)
}

func (w *startWatch) fail(cause string) {
	if len(w.platform) > 0 {
		cause = w.platform[len(w.platform)-1]
	}
	fmt.Fprintf(w.out, "tokenscope: %s (the window needs an X display with OpenGL; %s)\n", noDisplay, cause)
	w.exit(2)
}
