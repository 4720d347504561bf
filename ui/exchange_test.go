package ui

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/secrets"
)

// rotatingTokenServer spends each refresh token once and issues the next.
func rotatingTokenServer(t *testing.T, first string) (*httptest.Server, *int) {
	var mu sync.Mutex
	valid := map[string]bool{first: true}
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		b, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(b))
		w.Header().Set("Content-Type", "application/json")
		if !valid[form.Get("refresh_token")] {
			w.WriteHeader(403)
			io.WriteString(w, `{"error":"invalid_grant","error_description":"Unknown or invalid refresh token."}`)
			return
		}
		delete(valid, form.Get("refresh_token"))
		n++
		next := fmt.Sprintf("v1.rotated-refresh-token-%d", n)
		valid[next] = true
		json.NewEncoder(w).Encode(map[string]any{"access_token": fmt.Sprintf("opaque-access-token-%d", n), "refresh_token": next, "expires_in": 86400, "token_type": "Bearer", "scope": "openid"})
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func TestRefreshShowsTheTokensStoresTheRotatedOneAndOpensTheInspector(t *testing.T) {
	test.NewTempApp(t).Settings().SetTheme(newTheme())
	srv, requests := rotatingTokenServer(t, "v1.first-refresh-token")
	svc := testServices(t)
	svc.Profiles.Put(profiles.Profile{Name: "local", Issuer: srv.URL + "/", ClientID: "abc", Auth: "none", Scope: "openid",
		Endpoints: &profiles.Endpoints{Token: srv.URL + "/oauth/token"}})
	svc.Secrets.Set("local", secrets.RefreshToken, "v1.first-refresh-token")
	bridge := &testBridge{}
	var inspected string
	w := test.NewTempWindow(t, nil)
	s := newExchangeScreen(svc, w, bridge.Do, func(tok string) { inspected = tok })
	w.SetContent(s.view())
	w.Resize(fyne.NewSize(1200, 800))
	settle := func() { settleExchange(s, bridge) }
	settle()
	if s.profile.Selected != "local" || !strings.Contains(s.preview.Text, "--data-urlencode 'grant_type=refresh_token'") {
		t.Fatalf("selected %q preview:\n%s", s.profile.Selected, s.preview.Text)
	}
	if strings.Contains(s.preview.Text, "v1.first-refresh-token") {
		t.Fatal("the preview shows the refresh token")
	}
	test.Tap(s.refreshBtn)
	test.Tap(s.refreshBtn) // a double click
	settle()
	if *requests != 1 {
		t.Fatalf("%d requests for a double click", *requests)
	}
	if s.shown["access_token"] != "opaque-access-token-1" || !strings.Contains(s.status.Text, "Refreshed: HTTP 200") {
		t.Fatalf("shown %v status %q", s.shown, s.status.Text)
	}
	if !strings.Contains(s.notice.Text, "rotated") || !strings.Contains(s.notice.Text, "OS keyring") {
		t.Fatalf("notice %q", s.notice.Text)
	}
	if v, _ := svc.Secrets.Get("local", secrets.RefreshToken); v != "v1.rotated-refresh-token-1" {
		t.Fatalf("keyring holds %q", v)
	}
	if len(s.entries) != 1 || s.entries[0].Profile != "local" || !s.entries[0].Rotated {
		t.Fatalf("history %+v", s.entries)
	}
	// Inspect on the access token card hands it to the inspector.
	var inspect *widget.Button
	for _, o := range test.LaidOutObjects(s.cards) {
		if b, ok := o.(*widget.Button); ok && b.Text == "Inspect" && inspect == nil {
			inspect = b
		}
	}
	test.Tap(inspect)
	if inspected != "opaque-access-token-1" {
		t.Fatalf("inspected %q", inspected)
	}
	// The next refresh uses the stored, rotated token.
	test.Tap(s.refreshBtn)
	settle()
	if s.shown["access_token"] != "opaque-access-token-2" {
		t.Fatalf("second refresh: %v / %q", s.shown, s.status.Text)
	}
}

func TestARefusedRefreshIsExplained(t *testing.T) {
	test.NewTempApp(t).Settings().SetTheme(newTheme())
	srv, _ := rotatingTokenServer(t, "v1.first-refresh-token")
	svc := testServices(t)
	svc.Profiles.Put(profiles.Profile{Name: "local", Issuer: srv.URL + "/", ClientID: "abc", Auth: "none", Endpoints: &profiles.Endpoints{Token: srv.URL + "/oauth/token"}})
	bridge := &testBridge{}
	w := test.NewTempWindow(t, nil)
	s := newExchangeScreen(svc, w, bridge.Do, func(string) {})
	w.SetContent(s.view())
	for s.busy.Wait(); bridge.drain(); s.busy.Wait() {
	}
	if !strings.Contains(s.status.Text, "no refresh token yet") || !s.refreshBtn.Disabled() {
		t.Fatalf("status %q", s.status.Text)
	}
	test.Type(s.runRefresh, "v1.already-spent")
	test.Tap(s.refreshBtn)
	for s.busy.Wait(); bridge.drain(); s.busy.Wait() {
	}
	var texts []string
	for _, o := range test.LaidOutObjects(s.cards) {
		texts = append(texts, textOf(o))
	}
	if all := strings.Join(texts, "\n"); !strings.Contains(s.status.Text, "HTTP 403 invalid_grant") || !strings.Contains(all, "sign in again") {
		t.Fatalf("status %q cards %q", s.status.Text, all)
	}
}

// TestAProfileWhoseTenantCannotBeReachedWarnsAndRefreshTriesAgain: a real
// profile never discovered, its tenant unreachable at start (offline), is a
// warning that says what to do, not a dead end; once the tenant answers,
// Refresh discovers the endpoint and then refreshes.
func TestAProfileWhoseTenantCannotBeReachedWarnsAndRefreshTriesAgain(t *testing.T) {
	test.NewTempApp(t).Settings().SetTheme(newTheme())
	tokens, requests := rotatingTokenServer(t, "v1.first-refresh-token")
	var mu sync.Mutex
	up := false
	var issuer string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if !up {
			http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"issuer": issuer, "token_endpoint": tokens.URL + "/oauth/token",
			"jwks_uri": issuer + ".well-known/jwks.json", "authorization_endpoint": issuer + "authorize"})
	}))
	t.Cleanup(srv.Close)
	issuer = srv.URL + "/"
	svc := testServices(t)
	svc.Profiles.Put(profiles.Profile{Name: "prod", Issuer: issuer, ClientID: "abc", Auth: "none", Scope: "openid"})
	svc.Secrets.Set("prod", secrets.RefreshToken, "v1.first-refresh-token")
	bridge := &testBridge{}
	w := test.NewTempWindow(t, nil)
	s := newExchangeScreen(svc, w, bridge.Do, func(string) {})
	w.SetContent(s.view())
	settleExchange(s, bridge)
	if s.status.Importance != widget.WarningImportance || !strings.Contains(s.status.Text, "Cannot reach "+issuer) ||
		!strings.Contains(s.status.Text, "press Refresh to try again") {
		t.Fatalf("status (%v) %q", s.status.Importance, s.status.Text)
	}
	if s.refreshBtn.Disabled() || !s.copyBtn.Disabled() {
		t.Fatalf("Refresh disabled %v, Copy disabled %v: Refresh should try again, Copy has nothing to copy", s.refreshBtn.Disabled(), s.copyBtn.Disabled())
	}
	mu.Lock()
	up = true
	mu.Unlock()
	test.Tap(s.refreshBtn) // discovers
	settleExchange(s, bridge)
	if *requests != 0 || !strings.Contains(s.preview.Text, tokens.URL+"/oauth/token") || !strings.Contains(s.status.Text, "Ready") {
		t.Fatalf("after the retry: %d token requests, status %q, preview:\n%s", *requests, s.status.Text, s.preview.Text)
	}
	test.Tap(s.refreshBtn) // refreshes
	settleExchange(s, bridge)
	if s.shown["access_token"] != "opaque-access-token-1" {
		t.Fatalf("shown %v status %q", s.shown, s.status.Text)
	}
}
