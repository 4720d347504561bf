package ui

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/secrets"
	"github.com/tokenscope/tokenscope/internal/testop"
	"github.com/tokenscope/tokenscope/internal/testop/onscreen"
)

// chosenProfile is the profile shown in Exchange's picker.
func chosenProfile(t *testing.T, w fyne.Window) *widget.Select {
	t.Helper()
	return onscreen.FormField(t, w, "Profile").(*widget.Select)
}

// cardToken is the whole token on the visible card titled title, as its
// Copy button puts it on the clipboard; "" when no such card is shown.
func cardToken(t *testing.T, w fyne.Window, title string) string {
	t.Helper()
	for _, s := range onscreen.Objects(w) {
		card, ok := s.Object.(*widget.Card)
		if !ok || card.Title != title {
			continue
		}
		for _, in := range onscreen.Under(card) {
			if b, ok := in.Object.(*widget.Button); ok && b.Text == "Copy" {
				test.Tap(b)
				return fyne.CurrentApp().Clipboard().Content()
			}
		}
		t.Fatalf("the card %q has no Copy button", title)
	}
	return ""
}

// newTestExchange is an Exchange screen alone in a window, settled.
func newTestExchange(t *testing.T, svc *Services, inspect func(string)) (*exchangeScreen, *testBridge, fyne.Window) {
	t.Helper()
	bridge := &testBridge{}
	w := test.NewTempWindow(t, nil)
	s := newExchangeScreen(svc, w, bridge.Do, inspect)
	w.SetContent(s.view())
	w.Resize(fyne.NewSize(1200, 800))
	settleExchange(s, bridge)
	return s, bridge, w
}

func TestRefreshShowsTheTokensStoresTheRotatedOneAndOpensTheInspector(t *testing.T) {
	test.NewTempApp(t).Settings().SetTheme(newTheme())
	srv := testop.NewRotatingTokens(t, "v1.first-refresh-token")
	svc := testServices(t)
	svc.Profiles.Put(profiles.Profile{Name: "local", Issuer: srv.URL + "/", ClientID: "abc", Auth: "none", Scope: "openid",
		Endpoints: &profiles.Endpoints{Token: srv.URL + "/oauth/token"}})
	svc.Secrets.Set("local", secrets.RefreshToken, "v1.first-refresh-token")
	var inspected string
	s, bridge, w := newTestExchange(t, svc, func(tok string) { inspected = tok })
	settle := func() { settleExchange(s, bridge) }
	if chosenProfile(t, w).Selected != "local" || !onscreen.Shows(w, "--data-urlencode 'grant_type=refresh_token'") {
		t.Fatalf("selected %q; the window shows:\n%s", chosenProfile(t, w).Selected, onscreen.Texts(w))
	}
	if onscreen.Shows(w, "v1.first-refresh-token") {
		t.Fatal("the preview shows the refresh token")
	}
	refresh := onscreen.Button(t, w, "Refresh")
	test.Tap(refresh)
	test.Tap(refresh) // a double click
	settle()
	if n := srv.Rotations(); n != 1 {
		t.Fatalf("%d requests for a double click", n)
	}
	if !onscreen.Shows(w, "opaque-access-token-1") || !onscreen.Shows(w, "Refreshed: HTTP 200") {
		t.Fatalf("after Refresh the window shows:\n%s", onscreen.Texts(w))
	}
	if notice := onscreen.Label(w, "The refresh token rotated"); notice == nil || !strings.Contains(notice.Text, "OS keyring") {
		t.Fatalf("no notice of the rotation in the keyring; the window shows:\n%s", onscreen.Texts(w))
	}
	if v, _ := svc.Secrets.Get("local", secrets.RefreshToken); v != "v1.rotated-refresh-token-1" {
		t.Fatalf("keyring holds %q", v)
	}
	if h := onscreen.Text(w, "  local  200  "); len(h) != 1 || !strings.HasSuffix(h[0].Text, "rotated") {
		t.Fatalf("history %v; the window shows:\n%s", h, onscreen.Texts(w))
	}
	// Inspect on the access token card hands it to the inspector.
	test.Tap(onscreen.Button(t, w, "Inspect"))
	if inspected != "opaque-access-token-1" {
		t.Fatalf("inspected %q", inspected)
	}
	// The next refresh uses the stored, rotated token.
	test.Tap(onscreen.Button(t, w, "Refresh"))
	settle()
	if got := cardToken(t, w, "Access token"); got != "opaque-access-token-2" {
		t.Fatalf("second refresh: %q; the window shows:\n%s", got, onscreen.Texts(w))
	}
}

func TestARefusedRefreshIsExplained(t *testing.T) {
	test.NewTempApp(t).Settings().SetTheme(newTheme())
	srv := testop.NewRotatingTokens(t, "v1.first-refresh-token")
	svc := testServices(t)
	svc.Profiles.Put(profiles.Profile{Name: "local", Issuer: srv.URL + "/", ClientID: "abc", Auth: "none", Endpoints: &profiles.Endpoints{Token: srv.URL + "/oauth/token"}})
	s, bridge, w := newTestExchange(t, svc, func(string) {})
	if !onscreen.Shows(w, "no refresh token yet") || !onscreen.Button(t, w, "Refresh").Disabled() {
		t.Fatalf("the window shows:\n%s", onscreen.Texts(w))
	}
	test.Type(onscreen.FormEntry(t, w, "Refresh token"), "v1.already-spent")
	test.Tap(onscreen.Button(t, w, "Refresh"))
	settleExchange(s, bridge)
	if !onscreen.Shows(w, "HTTP 403 invalid_grant") || !onscreen.Shows(w, "sign in again") {
		t.Fatalf("the window shows:\n%s", onscreen.Texts(w))
	}
}

// TestAProfileWhoseTenantCannotBeReachedWarnsAndRefreshTriesAgain: a real
// profile never discovered, its tenant unreachable at start (offline), is a
// warning that says what to do, not a dead end; once the tenant answers,
// Refresh discovers the endpoint and then refreshes.
func TestAProfileWhoseTenantCannotBeReachedWarnsAndRefreshTriesAgain(t *testing.T) {
	test.NewTempApp(t).Settings().SetTheme(newTheme())
	tokens := testop.NewRotatingTokens(t, "v1.first-refresh-token")
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
	s, bridge, w := newTestExchange(t, svc, func(string) {})
	if status := onscreen.Label(w, "Cannot reach "+issuer); status == nil || status.Importance != widget.WarningImportance ||
		!strings.Contains(status.Text, "press Refresh to try again") {
		t.Fatalf("no warning that says what to do; the window shows:\n%s", onscreen.Texts(w))
	}
	if refresh, copyBtn := onscreen.Button(t, w, "Refresh"), onscreen.Button(t, w, "Copy"); refresh.Disabled() || !copyBtn.Disabled() {
		t.Fatalf("Refresh disabled %v, Copy disabled %v: Refresh should try again, Copy has nothing to copy", refresh.Disabled(), copyBtn.Disabled())
	}
	mu.Lock()
	up = true
	mu.Unlock()
	test.Tap(onscreen.Button(t, w, "Refresh")) // discovers
	settleExchange(s, bridge)
	if tokens.Rotations() != 0 || !onscreen.Shows(w, "--url '"+tokens.URL+"/oauth/token'") || !onscreen.Shows(w, "Ready") {
		t.Fatalf("after the retry, %d token requests; the window shows:\n%s", tokens.Rotations(), onscreen.Texts(w))
	}
	test.Tap(onscreen.Button(t, w, "Refresh")) // refreshes
	settleExchange(s, bridge)
	if got := cardToken(t, w, "Access token"); got != "opaque-access-token-1" {
		t.Fatalf("access token %q; the window shows:\n%s", got, onscreen.Texts(w))
	}
}
