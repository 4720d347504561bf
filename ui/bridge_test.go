package ui

import (
	"path/filepath"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/internal/demotenant"
	"github.com/tokenscope/tokenscope/internal/httpx"
	"github.com/tokenscope/tokenscope/internal/secrets"
	"github.com/tokenscope/tokenscope/internal/workspace"
)

// testBridge queues UI updates from goroutines; settle applies them on the
// test goroutine.
type testBridge struct {
	mu sync.Mutex
	q  []func()
}

func (b *testBridge) Do(f func()) { b.mu.Lock(); b.q = append(b.q, f); b.mu.Unlock() }

func (b *testBridge) drain() bool {
	b.mu.Lock()
	q := b.q
	b.q = nil
	b.mu.Unlock()
	for _, f := range q {
		f()
	}
	return len(q) > 0
}

type harness struct {
	s      *inspectScreen
	svc    *Services
	clock  *clock
	win    fyne.Window
	bridge *testBridge
}

func newTestInspector(t *testing.T) *harness {
	t.Helper()
	test.NewTempApp(t).Settings().SetTheme(newTheme())
	h := &harness{clock: &clock{t: t0}, win: test.NewTempWindow(t, nil), bridge: &testBridge{}}
	h.svc = &Services{Workspace: &workspace.Workspace{HTTP: httpx.NewClient(time.Second)}, Now: h.clock.Now}
	h.s = newInspectScreen(h.svc, h.win, h.bridge.Do)
	h.win.SetContent(h.s.view())
	h.win.Resize(fyne.NewSize(1200, 800))
	return h
}

// settle waits for background work and applies its UI updates, until
// nothing is left.
func (h *harness) settle() { settle(h.bridge, &h.s.busy) }

// typeToken types like a user (a short token) or sets the text as a paste
// does (a long one), then waits for the debounced decode to land.
func (h *harness) typeToken(text string) {
	if len(text) < 80 {
		test.Type(h.s.in.entry, text)
	} else {
		h.s.in.entry.SetText(text)
	}
	h.settle()
}

func textOf(o fyne.CanvasObject) string {
	switch w := o.(type) {
	case *widget.Label:
		return w.Text
	case *canvas.Text:
		return w.Text
	}
	return ""
}

// testServices are real stores in a temporary directory, with secrets in
// memory (the Secret Service is tested in internal/secrets).
func testServices(t *testing.T) *Services {
	ws := workspace.New(filepath.Join(t.TempDir(), "profiles.json"), &secrets.Memory{})
	ws.HTTP = httpx.NewClient(5 * time.Second)
	return &Services{Workspace: ws, Now: time.Now, Version: "9.9.9"}
}

// startDemo starts the demo tenant the window offers, except that a
// device may poll every second (not Auth0's 5 s), so device sign-ins end
// sooner.
func startDemo() (*demotenant.Server, error) {
	return demotenant.Config{DeviceInterval: time.Second}.StartDemo()
}

// demoServices are testServices with the demo tenant running (and closed
// when the test ends) and its profiles seeded.
func demoServices(t *testing.T) *Services {
	t.Helper()
	svc := testServices(t)
	srv, _, err := svc.StartDemo(startDemo)
	if err != nil || srv == nil {
		t.Fatalf("the demo did not start: %v", err)
	}
	t.Cleanup(func() { srv.Close() })
	svc.Demo = srv.Tenant
	return svc
}

// settle is the one way UI tests wait: for every background job of the
// given screens, then the UI updates they queued, until nothing is left.
func settle(b *testBridge, busy ...*sync.WaitGroup) {
	for {
		for _, w := range busy {
			w.Wait()
		}
		if !b.drain() {
			return
		}
	}
}

// settleWindow settles every screen of a main window.
func settleWindow(m *mainWindow, b *testBridge) {
	busy := []*sync.WaitGroup{&m.start.busy}
	if m.clients != nil {
		busy = append(busy, &m.clients.busy)
	}
	if m.exchange != nil {
		busy = append(busy, &m.exchange.busy)
	}
	if m.inspect != nil {
		busy = append(busy, &m.inspect.busy)
	}
	if m.migrate != nil {
		busy = append(busy, &m.migrate.busy)
	}
	if m.scan != nil {
		busy = append(busy, &m.scan.busy)
	}
	if m.ready != nil {
		busy = append(busy, &m.ready.busy)
	}
	settle(b, busy...)
}
