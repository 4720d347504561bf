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
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/secrets"
	"github.com/tokenscope/tokenscope/internal/testop/onscreen"
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
	busy   sync.WaitGroup
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
	fw.win = test.NewTempWindow(t, nil)
	fw.p = newFreshPanel(&Services{Workspace: ws, Now: time.Now}, fw.win, fw.bridge.Do, &fw.busy, func(title, body string) { fw.notes = append(fw.notes, title+": "+body) })
	t.Cleanup(fw.p.stopAll)
	fw.win.SetContent(fw.p.view())
	fw.win.Resize(fyne.NewSize(700, 500))
	fw.p.setProfile("api")
	return fw
}

// toggle is the visible "Keep the access token fresh" box.
func (fw *freshWorld) toggle(t *testing.T) *widget.Check {
	t.Helper()
	return onscreen.Check(t, fw.win, "Keep the access token fresh")
}

// waitFor applies queued UI updates until the window shows text.
func (fw *freshWorld) waitFor(t *testing.T, text string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !onscreen.Shows(fw.win, text) {
		if time.Now().After(deadline) {
			t.Fatalf("the window never showed %q; it shows:\n%s", text, onscreen.Texts(fw.win))
		}
		fw.bridge.drain()
		time.Sleep(10 * time.Millisecond)
	}
}

// Turning keep-fresh on refreshes, shows the countdown to the next refresh
// and draws the family chain: the stored token, an arrow, the rotated one.
func TestKeepFreshShowsTheCountdownAndTheFamilyChain(t *testing.T) {
	fw := newFreshWorld(t)
	if !onscreen.Shows(fw.win, "No refresh token seen yet") && !onscreen.Shows(fw.win, "from stored") {
		t.Fatalf("before: %s", onscreen.Texts(fw.win))
	}
	test.Tap(fw.toggle(t))
	fw.waitFor(t, "Next refresh in ")
	fw.waitFor(t, "↓ rotated")
	text := onscreen.Texts(fw.win)
	if !strings.Contains(text, "from stored") || !strings.Contains(text, "used (") && !strings.Contains(text, "· used") || !strings.Contains(text, "from rotation") || !strings.Contains(text, "current") {
		t.Fatalf("the chain:\n%s", text)
	}
	if strings.Contains(text, "v1.") {
		t.Fatalf("a token is on screen:\n%s", text)
	}
	// Off is off: the countdown says so.
	test.Tap(fw.toggle(t))
	if !onscreen.Shows(fw.win, "Keep-fresh is off for api") {
		t.Fatalf("after turning it off: %s", onscreen.Texts(fw.win))
	}
}

// The first error stops keep-fresh: the box unticks, the countdown says
// why, and a desktop notification says it stopped.
func TestKeepFreshStopsOnAnErrorAndSaysWhy(t *testing.T) {
	fw := newFreshWorld(t)
	fw.mu.Lock()
	fw.fail = true
	fw.mu.Unlock()
	test.Tap(fw.toggle(t))
	fw.waitFor(t, "Keep-fresh stopped for api")
	if fw.toggle(t).Checked || !onscreen.Shows(fw.win, "invalid_grant") {
		t.Fatalf("checked %v; the window shows:\n%s", fw.toggle(t).Checked, onscreen.Texts(fw.win))
	}
	if len(fw.notes) != 1 || !strings.Contains(fw.notes[0], "invalid_grant") {
		t.Fatalf("notifications %v", fw.notes)
	}
}

// Rehearse runs the four races on a fresh demo tenant and shows each
// race's timeline: the requests, the answers and the family after each,
// with Auth0's default rotation settings (no reuse interval), where two
// tabs at once revoke the family.
func TestRehearseShowsEachRaceTimelineInTheWindow(t *testing.T) {
	fw := newFreshWorld(t)
	test.Tap(onscreen.Button(t, fw.win, "Rehearse rotation races…"))
	settle(fw.bridge, &fw.busy)
	dialogText := strings.Join(func() []string {
		var out []string
		for _, s := range onscreen.Under(fw.win.Canvas().Overlays().Top()) {
			out = append(out, s.Text)
		}
		return out
	}(), "\n")
	for _, want := range []string{"Two tabs", "revoked", "sends RT1", "family revoked: reuse detected", "What Auth0 documents", "idle"} {
		if !strings.Contains(strings.ToLower(dialogText), strings.ToLower(want)) {
			t.Errorf("the rehearsal dialog does not show %q:\n%s", want, dialogText)
		}
	}
	if strings.Contains(dialogText, "v1.") {
		t.Fatalf("a token value is on screen")
	}
}

// A refresh that asks for an audience outside the application's
// Multi-Resource Refresh Token policies gets the default audience with no
// error (Auth0's behaviour, modelled by the demo tenant): Exchange says
// plainly what was asked for and not granted, and why.
func TestExchangeSaysWhenAnAudienceWasIgnored(t *testing.T) {
	s, bridge, _, w := demoExchange(t, "allow")
	test.Type(onscreen.FormEntry(t, w, "Audience"), "https://reports.example")
	test.Tap(onscreen.Button(t, w, "Refresh"))
	settleExchange(s, bridge)
	if !onscreen.Shows(w, "Asked for, not granted") || !onscreen.Shows(w, "https://reports.example") || !onscreen.Shows(w, "Multi-Resource Refresh Token") {
		t.Fatalf("the window shows:\n%s", onscreen.Texts(w))
	}
}
