package ui

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/secrets"
	"github.com/tokenscope/tokenscope/internal/workspace"
)

// freshWorld is a keep-fresh panel in a window, on a workspace whose
// profile "api" refreshes at a loopback server that rotates its tokens
// and fails once told to.
type freshWorld struct {
	p      *freshPanel
	win    fyne.Window
	bridge *testBridge
	mu     sync.Mutex
	fail   bool
	notes  []string
}

func newFreshWorld(t *testing.T) *freshWorld {
	t.Helper()
	test.NewTempApp(t)
	fw := &freshWorld{bridge: &testBridge{}}
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fw.mu.Lock()
		defer fw.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if fw.fail {
			w.WriteHeader(http.StatusForbidden)
			_, _ = w.Write([]byte(`{"error":"invalid_grant","error_description":"Unknown or invalid refresh token."}`))
			return
		}
		n++
		_ = json.NewEncoder(w).Encode(map[string]any{"access_token": "at", "token_type": "Bearer", "expires_in": 3600, "refresh_token": "v1.rotated-" + string(rune('a'+n))})
	}))
	t.Cleanup(srv.Close)
	ws := workspace.New(filepath.Join(t.TempDir(), "profiles.json"), &secrets.Memory{})
	p := profiles.Profile{Name: "api", Issuer: srv.URL + "/", ClientID: "c", Auth: "none", Endpoints: &profiles.Endpoints{Token: srv.URL + "/oauth/token"}}
	if _, err := ws.Save(workspace.SaveRequest{Profile: p, RefreshToken: workspace.Store("v1.first")}); err != nil {
		t.Fatal(err)
	}
	fw.p = newFreshPanel(Services{Workspace: ws, Now: time.Now}, fw.bridge.Do, func(title, body string) { fw.notes = append(fw.notes, title+": "+body) })
	t.Cleanup(fw.p.stopAll)
	fw.win = test.NewTempWindow(t, fw.p.view())
	fw.win.Resize(fyne.NewSize(700, 500))
	fw.p.setProfile("api")
	return fw
}

// waitFor applies queued UI updates until the window shows text.
func (fw *freshWorld) waitFor(t *testing.T, text string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !shows(fw.win, text) {
		if time.Now().After(deadline) {
			t.Fatalf("the window never showed %q; it shows:\n%s", text, screenText(fw.win))
		}
		fw.bridge.drain()
		time.Sleep(10 * time.Millisecond)
	}
}

// Turning keep-fresh on refreshes, shows the countdown to the next refresh
// and draws the family chain: the stored token, an arrow, the rotated one.
func TestKeepFreshShowsTheCountdownAndTheFamilyChain(t *testing.T) {
	fw := newFreshWorld(t)
	if !shows(fw.win, "No refresh token seen yet") && !shows(fw.win, "from stored") {
		t.Fatalf("before: %s", screenText(fw.win))
	}
	test.Tap(fw.p.toggle)
	fw.waitFor(t, "Next refresh in ")
	fw.waitFor(t, "↓ rotated")
	text := screenText(fw.win)
	if !strings.Contains(text, "from stored") || !strings.Contains(text, "used (") && !strings.Contains(text, "· used") || !strings.Contains(text, "from rotation") || !strings.Contains(text, "current") {
		t.Fatalf("the chain:\n%s", text)
	}
	if strings.Contains(text, "v1.") {
		t.Fatalf("a token is on screen:\n%s", text)
	}
	// Off is off: the countdown says so.
	test.Tap(fw.p.toggle)
	if !shows(fw.win, "Keep-fresh is off for api") {
		t.Fatalf("after turning it off: %s", screenText(fw.win))
	}
}

// The first error stops keep-fresh: the box unticks, the countdown says
// why, and a desktop notification says it stopped.
func TestKeepFreshStopsOnAnErrorAndSaysWhy(t *testing.T) {
	fw := newFreshWorld(t)
	fw.mu.Lock()
	fw.fail = true
	fw.mu.Unlock()
	test.Tap(fw.p.toggle)
	fw.waitFor(t, "Keep-fresh stopped for api")
	if fw.p.toggle.Checked || !shows(fw.win, "invalid_grant") {
		t.Fatalf("checked %v; the window shows:\n%s", fw.p.toggle.Checked, screenText(fw.win))
	}
	if len(fw.notes) != 1 || !strings.Contains(fw.notes[0], "invalid_grant") {
		t.Fatalf("notifications %v", fw.notes)
	}
}
