package ui

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/secrets"
	"github.com/tokenscope/tokenscope/internal/testlock"
	"github.com/tokenscope/tokenscope/internal/testop/onscreen"
	"github.com/tokenscope/tokenscope/internal/workspace"
)

type clientsHarness struct {
	s      *clientsScreen
	w      fyne.Window
	svc    *Services
	bridge *testBridge
}

func newTestClients(t *testing.T) *clientsHarness {
	test.NewTempApp(t).Settings().SetTheme(newTheme())
	return newTestClientsWith(t, testServices(t))
}

// newTestClientsWith is a Clients screen on svc, in a window of its own.
func newTestClientsWith(t *testing.T, svc *Services) *clientsHarness {
	h := &clientsHarness{svc: svc, bridge: &testBridge{}}
	h.w = test.NewTempWindow(t, nil)
	h.s = newClientsScreen(svc, h.w, h.bridge.Do)
	h.w.SetContent(h.s.view())
	h.w.Resize(fyne.NewSize(1200, 800))
	h.settle()
	return h
}

func (h *clientsHarness) settle() { settle(h.bridge, &h.s.busy) }

// field is the form's entry labelled label.
func (h *clientsHarness) field(t *testing.T, label string) *widget.Entry {
	t.Helper()
	return onscreen.FormEntry(t, h.w, label)
}

// choose selects the profile named name in the list, as a click does.
func (h *clientsHarness) choose(t *testing.T, name string) {
	t.Helper()
	list := onscreen.List(t, h.w)
	for i, row := range rowTexts(list) {
		if row == name {
			list.Select(i)
			h.settle()
			return
		}
	}
	t.Fatalf("no profile %q in the list:\n%s", name, onscreen.Texts(h.w))
}

func TestSavingAClientPutsItsSecretsInTheKeyringAndRenamingMovesThem(t *testing.T) {
	h := newTestClients(t)
	w := h.w
	test.Type(h.field(t, "Name"), "eu")
	test.Type(h.field(t, "Domain or issuer"), "tenant.eu.auth0.com")
	test.Type(h.field(t, "Client ID"), "abc123")
	onscreen.FormField(t, w, "Client auth").(*widget.RadioGroup).SetSelected("post")
	test.Type(h.field(t, "Scope"), "openid offline_access")
	test.Type(h.field(t, "Parameters"), "resource=https://api")
	test.Type(h.field(t, "Client secret"), "client-secret-value")
	test.Type(h.field(t, "Refresh token"), "v1.refresh-token-value")
	test.Tap(onscreen.Button(t, w, "Save"))
	h.settle()
	if onscreen.Label(w, "Saved eu.") == nil {
		t.Fatalf("after Save:\n%s", onscreen.Texts(w))
	}
	p, err := h.svc.Profiles.Get("eu")
	if err != nil || p.Issuer != "https://tenant.eu.auth0.com/" || p.Auth != "post" || p.Params["resource"] != "https://api" {
		t.Fatalf("%+v %v", p, err)
	}
	if v, _ := h.svc.Secrets.Get("eu", secrets.RefreshToken); v != "v1.refresh-token-value" {
		t.Fatalf("keyring %q", v)
	}
	if !onscreen.Shows(w, "Secrets are stored in the OS keyring") {
		t.Fatalf("the storage line:\n%s", onscreen.Texts(w))
	}
	// Choosing it again reads the secrets back into the fields.
	test.Tap(onscreen.Button(t, w, "New"))
	if h.field(t, "Client ID").Text != "" {
		t.Fatal("New left the last profile's fields")
	}
	h.choose(t, "eu")
	if got, id := h.field(t, "Client secret").Text, h.field(t, "Client ID").Text; got != "client-secret-value" || id != "abc123" {
		t.Fatalf("fields after choosing eu: %q %q", got, id)
	}
	// Renaming moves the keyring entries.
	h.field(t, "Name").SetText("eu-prod")
	test.Tap(onscreen.Button(t, w, "Save"))
	h.settle()
	if _, err := h.svc.Secrets.Get("eu", secrets.ClientSecret); err == nil {
		t.Fatal("the old name still has a secret")
	}
	if v, _ := h.svc.Secrets.Get("eu-prod", secrets.ClientSecret); v != "client-secret-value" {
		t.Fatalf("renamed secret %q", v)
	}
	// Delete removes the profile and its entries.
	test.Tap(onscreen.Button(t, w, "Delete"))
	test.Tap(onscreen.DialogButton(t, w, "Yes"))
	h.settle()
	if ps, _ := h.svc.Profiles.Load(); len(ps) != 0 {
		t.Fatalf("profiles %+v", ps)
	}
	if _, err := h.svc.Secrets.Get("eu-prod", secrets.RefreshToken); err == nil {
		t.Fatal("delete left the refresh token")
	}
	if !onscreen.Shows(w, "Deleted eu-prod and its keyring entries.") {
		t.Fatalf("after Delete:\n%s", onscreen.Texts(w))
	}
}

func TestSaveExplainsWhatIsMissing(t *testing.T) {
	h := newTestClients(t)
	w := h.w
	test.Type(h.field(t, "Name"), "x")
	test.Type(h.field(t, "Domain or issuer"), "tenant.auth0.com")
	test.Tap(onscreen.Button(t, w, "Save"))
	h.settle()
	if !onscreen.Shows(w, "needs a client ID") {
		t.Fatalf("the window shows:\n%s", onscreen.Texts(w))
	}
	h.field(t, "Client ID").SetText("c")
	h.field(t, "Parameters").SetText("not a pair")
	test.Tap(onscreen.Button(t, w, "Save"))
	if !onscreen.Shows(w, "line 1") || !onscreen.Shows(w, "is not KEY=VALUE") {
		t.Fatalf("the window shows:\n%s", onscreen.Texts(w))
	}
	// A parameter Tokenscope sets itself is refused, as on the command line.
	h.field(t, "Parameters").SetText("resource=https://api\n client_id = other ")
	test.Tap(onscreen.Button(t, w, "Save"))
	if !onscreen.Shows(w, "line 2") || !onscreen.Shows(w, `"client_id" is set by Tokenscope itself`) {
		t.Fatalf("the window shows:\n%s", onscreen.Texts(w))
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
	w := h.w
	h.field(t, "Name").SetText("local")
	h.field(t, "Domain or issuer").SetText(srv.URL + "/")
	h.field(t, "Client ID").SetText("c")
	test.Tap(onscreen.Button(t, w, "Save"))
	h.settle()
	test.Tap(onscreen.Button(t, w, "Discover"))
	h.settle()
	if !onscreen.Shows(w, "Token endpoint: "+srv.URL+"/oauth/token") || !onscreen.Shows(w, "Grant types: authorization_code, refresh_token") || !onscreen.Shows(w, "Saved with the profile.") {
		t.Fatalf("the window shows:\n%s", onscreen.Texts(w))
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
	w := h.w
	down := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(down.Close)
	for _, name := range []string{"alpha", "beta"} {
		h.svc.Profiles.Put(profiles.Profile{Name: name, Issuer: down.URL + "/", ClientID: "abc", Auth: "none"})
	}
	h.s.reload("") // as another screen's save does
	h.settle()
	if !onscreen.Button(t, w, "Duplicate").Disabled() || !onscreen.Button(t, w, "Delete").Disabled() {
		t.Fatal("nothing selected: Duplicate or Delete is on")
	}
	h.choose(t, "alpha")
	if onscreen.Button(t, w, "Duplicate").Disabled() || onscreen.Button(t, w, "Delete").Disabled() {
		t.Fatal("a profile selected, Duplicate or Delete is still off")
	}
	test.Tap(onscreen.Button(t, w, "Discover"))
	h.settle()
	if !onscreen.Shows(w, "Discovery failed") {
		t.Fatalf("after a failed Discover:\n%s", onscreen.Texts(w))
	}
	h.choose(t, "beta")
	if h.field(t, "Name").Text != "beta" || onscreen.Shows(w, "Discovery failed") {
		t.Fatalf("the status about alpha is still there:\n%s", onscreen.Texts(w))
	}
	test.Tap(onscreen.Button(t, w, "New"))
	if !onscreen.Button(t, w, "Duplicate").Disabled() || !onscreen.Button(t, w, "Delete").Disabled() {
		t.Fatal("New: Duplicate or Delete still on with nothing selected")
	}
}

// Pressing Save before the keyring has answered must not delete the
// stored secrets: Save stays disabled until they are in, and saving
// without touching them keeps them. Only emptying a field deletes.
func TestSaveWaitsForTheSecretsAndOnlyAnExplicitClearDeletesOne(t *testing.T) {
	test.NewTempApp(t).Settings().SetTheme(newTheme())
	mem := &secrets.Memory{}
	kr := &slowKeyring{Memory: mem, release: make(chan struct{})}
	svc := testServices(t)
	svc.Workspace = workspace.New(svc.Profiles.Path, kr)
	p := profiles.Profile{Name: "eu", Issuer: "https://tenant.eu.auth0.com/", ClientID: "abc", Auth: "post"}
	if _, err := svc.Save(workspace.SaveRequest{Profile: p}); err != nil {
		t.Fatal(err)
	}
	mem.Set("eu", secrets.ClientSecret, "the-stored-client-secret")
	mem.Set("eu", secrets.RefreshToken, "v1.the-stored-refresh-token")
	h := newTestClientsWith(t, svc)
	w := h.w

	list := onscreen.List(t, w)
	list.Select(0)
	save := onscreen.Button(t, w, "Save")
	if !save.Disabled() || h.field(t, "Client secret").PlaceHolder != "reading the keyring…" {
		t.Fatal("Save is enabled before the keyring has answered")
	}
	test.Tap(save) // the impatient click: nothing happens
	close(kr.release)
	h.settle()
	if save.Disabled() || h.field(t, "Client secret").Text != "the-stored-client-secret" {
		t.Fatalf("after loading: Save disabled %v, secret %q", save.Disabled(), h.field(t, "Client secret").Text)
	}
	test.Type(h.field(t, "Audience"), "https://api")
	test.Tap(save)
	h.settle()
	if v, _ := mem.Get("eu", secrets.RefreshToken); v != "v1.the-stored-refresh-token" {
		t.Fatalf("saving an edit changed the refresh token to %q:\n%s", v, onscreen.Texts(w))
	}
	// The user empties the refresh token field: that is an explicit clear.
	h.choose(t, "eu")
	h.field(t, "Refresh token").SetText("")
	test.Tap(save)
	h.settle()
	if _, err := mem.Get("eu", secrets.RefreshToken); !errors.Is(err, secrets.ErrNotFound) {
		t.Fatalf("the cleared refresh token is still stored:\n%s", onscreen.Texts(w))
	}
	if v, _ := mem.Get("eu", secrets.ClientSecret); v != "the-stored-client-secret" {
		t.Fatalf("the client secret changed to %q", v)
	}
}

// A corrupt profiles.json is shown in the window: what was wrong and where
// the old file went, even when another screen moved it aside first.
func TestACorruptProfilesFileIsShownInTheWindow(t *testing.T) {
	test.NewTempApp(t).Settings().SetTheme(newTheme())
	svc := testServices(t)
	if err := os.WriteFile(svc.Profiles.Path, []byte(`{"version":1,"profiles":[{"name":"eu",`), 0o600); err != nil {
		t.Fatal(err)
	}
	svc.Profiles.Load() // another screen got there first
	h := newTestClientsWith(t, svc)
	if l := onscreen.Label(h.w, "could not be read"); l == nil || !strings.Contains(l.Text, ".corrupt-") || l.Importance != widget.DangerImportance {
		t.Fatalf("the window shows:\n%s", onscreen.Texts(h.w))
	}
}

// Sign in from the Clients screen: the last sign-in time is shown.
func TestSignInOnTheClientsScreenShowsTheLastSignIn(t *testing.T) {
	testlock.Hold(t, testlock.WebCallbackPort)
	test.NewTempApp(t).Settings().SetTheme(newTheme())
	svc := demoServices(t)
	svc.Open = demoBrowser(t, "allow")
	h := newTestClientsWith(t, svc)
	h.choose(t, "demo-web")
	test.Tap(onscreen.Button(t, h.w, "Sign in…"))
	h.settle()
	if !onscreen.Shows(h.w, "Signed in to demo-web") || !onscreen.Shows(h.w, "Last signed in") {
		t.Fatalf("the window shows:\n%s", onscreen.Texts(h.w))
	}
}
