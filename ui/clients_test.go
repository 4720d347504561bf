package ui

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/secrets"
)

type clientsHarness struct {
	s      *clientsScreen
	svc    *Services
	bridge *testBridge
}

func newTestClients(t *testing.T) *clientsHarness {
	test.NewTempApp(t).Settings().SetTheme(newTheme())
	h := &clientsHarness{svc: testServices(t), bridge: &testBridge{}}
	w := test.NewTempWindow(t, nil)
	h.s = newClientsScreen(h.svc, w, h.bridge.Do)
	w.SetContent(h.s.view())
	w.Resize(fyne.NewSize(1200, 800))
	return h
}

func (h *clientsHarness) settle() { settle(h.bridge, &h.s.busy) }

func TestSavingAClientPutsItsSecretsInTheKeyringAndRenamingMovesThem(t *testing.T) {
	h := newTestClients(t)
	s := h.s
	test.Type(s.name, "eu")
	test.Type(s.issuer, "tenant.eu.auth0.com")
	test.Type(s.clientID, "abc123")
	s.auth.SetSelected("post")
	test.Type(s.scope, "openid offline_access")
	test.Type(s.params, "resource=https://api")
	test.Type(s.secret, "client-secret-value")
	test.Type(s.refresh, "v1.refresh-token-value")
	test.Tap(s.saveBtn)
	h.settle()
	if s.status.Text != "Saved eu." {
		t.Fatalf("status %q", s.status.Text)
	}
	p, err := h.svc.Profiles.Get("eu")
	if err != nil || p.Issuer != "https://tenant.eu.auth0.com/" || p.Auth != "post" || p.Params["resource"] != "https://api" {
		t.Fatalf("%+v %v", p, err)
	}
	if v, _ := h.svc.Secrets.Get("eu", secrets.RefreshToken); v != "v1.refresh-token-value" {
		t.Fatalf("keyring %q", v)
	}
	if !strings.Contains(s.storage.Text, "OS keyring") {
		t.Fatalf("storage line %q", s.storage.Text)
	}
	// Selecting it again reads the secrets back into the fields.
	s.onNew()
	s.list.Select(0)
	h.settle()
	if s.secret.Text != "client-secret-value" || s.clientID.Text != "abc123" {
		t.Fatalf("fields after select: %q %q", s.secret.Text, s.clientID.Text)
	}
	// Renaming moves the keyring entries.
	s.name.SetText("eu-prod")
	test.Tap(s.saveBtn)
	h.settle()
	if _, err := h.svc.Secrets.Get("eu", secrets.ClientSecret); err == nil {
		t.Fatal("the old name still has a secret")
	}
	if v, _ := h.svc.Secrets.Get("eu-prod", secrets.ClientSecret); v != "client-secret-value" {
		t.Fatalf("renamed secret %q", v)
	}
	// Delete removes the profile and its entries.
	s.deleteProfile("eu-prod")
	h.settle()
	if ps, _ := h.svc.Profiles.Load(); len(ps) != 0 {
		t.Fatalf("profiles %+v", ps)
	}
	if _, err := h.svc.Secrets.Get("eu-prod", secrets.RefreshToken); err == nil {
		t.Fatal("delete left the refresh token")
	}
}

func TestSaveExplainsWhatIsMissing(t *testing.T) {
	h := newTestClients(t)
	test.Type(h.s.name, "x")
	test.Type(h.s.issuer, "tenant.auth0.com")
	test.Tap(h.s.saveBtn)
	h.settle()
	if !strings.Contains(h.s.status.Text, "needs a client ID") {
		t.Fatalf("status %q", h.s.status.Text)
	}
	h.s.clientID.SetText("c")
	h.s.params.SetText("not a pair")
	test.Tap(h.s.saveBtn)
	if !strings.Contains(h.s.status.Text, "is not KEY=VALUE") {
		t.Fatalf("status %q", h.s.status.Text)
	}
}

func TestDiscoverShowsAndCachesTheEndpoints(t *testing.T) {
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{"issuer": srv.URL + "/", "token_endpoint": srv.URL + "/oauth/token", "jwks_uri": srv.URL + "/jwks",
			"grant_types_supported": []string{"authorization_code", "refresh_token"}})
	}))
	defer srv.Close()
	h := newTestClients(t)
	s := h.s
	s.name.SetText("local")
	s.issuer.SetText(srv.URL + "/")
	s.clientID.SetText("c")
	test.Tap(s.saveBtn)
	h.settle()
	test.Tap(s.discover)
	h.settle()
	if !strings.Contains(s.endpoints.Text, srv.URL+"/oauth/token") || !strings.Contains(s.status.Text, "refresh_token") {
		t.Fatalf("endpoints %q status %q", s.endpoints.Text, s.status.Text)
	}
	if p, _ := h.svc.Profiles.Get("local"); p.Endpoints == nil || p.Endpoints.Token != srv.URL+"/oauth/token" {
		t.Fatalf("not cached: %+v", p)
	}
}

// TestDuplicateAndDeleteNeedASelectionAndAStatusStaysWithItsProfile: with
// nothing selected, Duplicate and Delete are off (they had nothing to act
// on); a failed Discover on one profile is not shown on the next.
func TestDuplicateAndDeleteNeedASelectionAndAStatusStaysWithItsProfile(t *testing.T) {
	h := newTestClients(t)
	s := h.s
	down := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(down.Close)
	for _, name := range []string{"alpha", "beta"} {
		h.svc.Profiles.Put(profiles.Profile{Name: name, Issuer: down.URL + "/", ClientID: "abc", Auth: "none"})
	}
	s.reload("")
	h.settle()
	if !s.dupBtn.Disabled() || !s.deleteBtn.Disabled() {
		t.Fatalf("nothing selected: Duplicate disabled %v, Delete disabled %v", s.dupBtn.Disabled(), s.deleteBtn.Disabled())
	}
	s.list.Select(0)
	h.settle()
	if s.dupBtn.Disabled() || s.deleteBtn.Disabled() {
		t.Fatal("a profile selected, Duplicate or Delete is still off")
	}
	test.Tap(s.discover)
	h.settle()
	if !strings.Contains(s.status.Text, "Discovery failed") {
		t.Fatalf("status after a failed Discover: %q", s.status.Text)
	}
	s.list.Select(1)
	h.settle()
	if s.name.Text != "beta" || s.status.Text != "" {
		t.Fatalf("selected %q, status %q: the status was about alpha", s.name.Text, s.status.Text)
	}
	test.Tap(s.newBtn)
	if !s.dupBtn.Disabled() || !s.deleteBtn.Disabled() {
		t.Fatal("New: Duplicate or Delete still on with nothing selected")
	}
}
