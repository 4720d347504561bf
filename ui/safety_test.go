package ui

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/secrets"
	"github.com/tokenscope/tokenscope/internal/testop"
	"github.com/tokenscope/tokenscope/internal/testop/onscreen"
	"github.com/tokenscope/tokenscope/internal/workspace"
)

// slowKeyring answers Get only once released: a keyring waiting on its
// unlock prompt. Set can be made to fail.
type slowKeyring struct {
	*secrets.Memory
	release chan struct{}
	failSet error
}

func (s *slowKeyring) Get(profile, kind string) (string, error) {
	<-s.release
	return s.Memory.Get(profile, kind)
}

func (s *slowKeyring) Set(profile, kind, v string) error {
	if s.failSet != nil {
		return s.failSet
	}
	return s.Memory.Set(profile, kind, v)
}

// While a refresh runs the profile picker is disabled and cannot switch;
// the result lands on the profile it was for.
func TestTheProfilePickerIsLockedWhileARefreshRuns(t *testing.T) {
	test.NewTempApp(t).Settings().SetTheme(newTheme())
	gate := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-gate
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"access_token": "at-for-a", "refresh_token": "v1.rotated-for-profile-a", "token_type": "Bearer", "expires_in": 60})
	}))
	defer srv.Close()
	defer close(gate)
	svc := testServices(t)
	for _, n := range []string{"a", "b"} {
		svc.Save(workspace.SaveRequest{Profile: profiles.Profile{Name: n, Issuer: srv.URL + "/", ClientID: "client-" + n, Auth: "none",
			Endpoints: &profiles.Endpoints{Token: srv.URL + "/oauth/token"}}, RefreshToken: workspace.Store("v1.first-token-of-" + n)})
	}
	s, bridge, w := newTestExchange(t, svc, func(string) {})
	settle := func() { settleExchange(s, bridge) }
	picker := chosenProfile(t, w)
	if picker.Selected != "a" {
		t.Fatalf("selected %q", picker.Selected)
	}
	test.Tap(onscreen.Button(t, w, "Refresh"))
	if !picker.Disabled() {
		t.Fatal("the picker is enabled during the refresh")
	}
	picker.SetSelected("b") // a programmatic switch is refused too
	if picker.Selected != "a" || onscreen.Shows(w, "Loading b") {
		t.Fatalf("switched to %q during the refresh:\n%s", picker.Selected, onscreen.Texts(w))
	}
	gate <- struct{}{}
	settle()
	if picker.Disabled() || !onscreen.Shows(w, "(profile a)") || cardToken(t, w, "Access token") != "at-for-a" {
		t.Fatalf("after: disabled=%v; the window shows:\n%s", picker.Disabled(), onscreen.Texts(w))
	}
	if v, _ := svc.Secrets.Get("a", secrets.RefreshToken); v != "v1.rotated-for-profile-a" {
		t.Fatalf("profile a holds %q", v)
	}
	if v, _ := svc.Secrets.Get("b", secrets.RefreshToken); v != "v1.first-token-of-b" {
		t.Fatalf("profile b holds %q", v)
	}
}

// A rotated refresh token the keyring would not take is shown in a
// dialog that only "I have saved it" closes, with a Copy button.
func TestARotatedTokenThatCannotBeStoredIsShownOnceWithCopy(t *testing.T) {
	a := test.NewTempApp(t)
	a.Settings().SetTheme(newTheme())
	srv := testop.NewRotatingTokens(t, "v1.first-refresh-token")
	mem := &secrets.Memory{}
	kr := &slowKeyring{Memory: mem, release: make(chan struct{})}
	close(kr.release)
	svc := testServices(t)
	svc.Workspace = workspace.New(svc.Profiles.Path, kr)
	svc.Save(workspace.SaveRequest{Profile: profiles.Profile{Name: "local", Issuer: srv.URL + "/", ClientID: "abc", Auth: "none",
		Endpoints: &profiles.Endpoints{Token: srv.URL + "/oauth/token"}}, RefreshToken: workspace.Store("v1.first-refresh-token")})
	kr.failSet = errors.New("org.freedesktop.Secret.Error.IsLocked")
	s, bridge, w := newTestExchange(t, svc, func(string) {})
	settle := func() { settleExchange(s, bridge) }
	test.Tap(onscreen.Button(t, w, "Refresh"))
	settle()
	if w.Canvas().Overlays().Top() == nil {
		t.Fatalf("no dialog; the window shows:\n%s", onscreen.Texts(w))
	}
	var shown []string
	for _, o := range test.LaidOutObjects(w.Canvas().Overlays().Top()) {
		shown = append(shown, textOf(o))
	}
	all := strings.Join(shown, "|")
	if !strings.Contains(all, "v1.rotated-refresh-token-1") || !strings.Contains(all, "IsLocked") {
		t.Fatalf("the dialog shows %q", all)
	}
	test.Tap(onscreen.DialogButton(t, w, "Copy refresh token"))
	if got := a.Clipboard().Content(); got != "v1.rotated-refresh-token-1" {
		t.Fatalf("clipboard %q", got)
	}
	test.Tap(onscreen.DialogButton(t, w, "I have saved it"))
	if w.Canvas().Overlays().Top() != nil {
		t.Fatal("the dialog is still open")
	}
}

// Verifying with the issuer the token names itself, and no issuer typed,
// never says valid: the verdict explains why and how to trust an issuer.
func TestTheInspectorNeverTrustsKeysFromTheTokensOwnIssuer(t *testing.T) {
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/.well-known/openid-configuration":
			json.NewEncoder(w).Encode(map[string]string{"issuer": srv.URL + "/", "token_endpoint": srv.URL + "/t", "jwks_uri": srv.URL + "/jwks"})
		case "/jwks":
			json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k", Algorithm: "RS256", Use: "sig"}}})
		}
	}))
	defer srv.Close()
	sig, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: key, KeyID: "k"}}, nil)
	tok, _ := jwt.Signed(sig).Claims(map[string]any{"iss": srv.URL + "/", "exp": t0.Add(time.Hour).Unix()}).Serialize()

	h := newTestInspector(t)
	h.svc.Workspace = workspace.New(t.TempDir()+"/profiles.json", &secrets.Memory{})
	h.s.SetToken(tok)
	h.settle()
	h.tab(t, "Verify")
	chooseKeySource(t, h.win, keyIssuer)
	test.Tap(onscreen.Button(t, h.win, "Verify"))
	h.settle()
	// Not valid, and said in the window's words: the field to fill, not
	// the command line's --issuer.
	if onscreen.Shows(h.win, "Valid:") || !onscreen.Shows(h.win, "proves nothing: type the issuer you trust in the Issuer field") {
		t.Fatalf("the verdict:\n%s", onscreen.Texts(h.win))
	}
	if !onscreen.Shows(h.win, "the issuer the token names itself") || !onscreen.Shows(h.win, srv.URL+"/jwks") || onscreen.Shows(h.win, "--issuer") {
		t.Fatalf("the signature row:\n%s", onscreen.Texts(h.win))
	}
	// Typing the issuer you trust makes the same keys count.
	onscreen.Entry(t, h.win, "expected iss").SetText(srv.URL + "/")
	test.Tap(onscreen.Button(t, h.win, "Verify"))
	h.settle()
	if !onscreen.Shows(h.win, "Valid: the signature is verified") || onscreen.Shows(h.win, "names itself") {
		t.Fatalf("with the issuer typed:\n%s", onscreen.Texts(h.win))
	}
}

var _ sync.Locker = (*sync.Mutex)(nil)

// settleExchange waits for an Exchange screen's background work and
// applies its UI updates, until nothing is left.
func settleExchange(s *exchangeScreen, bridge *testBridge) { settle(bridge, &s.busy) }

// Switching profile clears the previous profile's cards: nothing shown is
// about another profile.
func TestSwitchingProfileClearsTheCards(t *testing.T) {
	s, bridge, _, w := demoExchange(t, "allow")
	test.Tap(onscreen.Button(t, w, "Refresh"))
	settleExchange(s, bridge)
	if cardToken(t, w, "Access token") == "" {
		t.Fatalf("no result; the window shows:\n%s", onscreen.Texts(w))
	}
	chosenProfile(t, w).SetSelected("demo-web")
	settleExchange(s, bridge)
	for _, title := range []string{"Access token", "ID token", "Refresh token"} {
		if cardToken(t, w, title) != "" {
			t.Fatalf("the %s card of demo-native is still shown:\n%s", title, onscreen.Texts(w))
		}
	}
	if !onscreen.Button(t, w, "Call /userinfo").Disabled() {
		t.Fatal("/userinfo is offered with no access token shown")
	}
	for _, s := range onscreen.Text(w, "Inspect") {
		if b, ok := s.Object.(*widget.Button); ok && b.Text == "Inspect" {
			t.Fatal("an Inspect button of the old result is still there")
		}
	}
}

// Escape cancels a running refresh.
func TestEscapeCancelsARunningRefresh(t *testing.T) {
	gate := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-gate:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(gate)
	test.NewTempApp(t).Settings().SetTheme(newTheme())
	svc := testServices(t)
	svc.Save(workspace.SaveRequest{Profile: profiles.Profile{Name: "slow", Issuer: srv.URL + "/", ClientID: "c", Auth: "none",
		Endpoints: &profiles.Endpoints{Token: srv.URL + "/oauth/token"}}, RefreshToken: workspace.Store("v1.slow-token")})
	b := &testBridge{}
	m := newMainWindow(test.NewTempApp(t), test.NewTempWindow(t, nil), svc, b.Do)
	m.win.Resize(fyne.NewSize(1200, 800))
	m.showScreen(screenExchange)
	settleExchange(m.exchange, b)
	test.Tap(onscreen.Button(t, m.win, "Refresh"))
	m.onTypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	settleExchange(m.exchange, b)
	if onscreen.Label(m.win, "Refresh failed") == nil || !onscreen.Shows(m.win, "cancelled") {
		t.Fatalf("the window shows:\n%s", onscreen.Texts(m.win))
	}
}

// Typing an expected audience after Verify keeps the verified signature
// (the fetched keys are reused), and the status keeps the algorithm.
func TestTypingAnExpectationKeepsAVerifiedSignature(t *testing.T) {
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k", Algorithm: "RS256", Use: "sig"}}})
	}))
	defer srv.Close()
	sig, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: key, KeyID: "k"}}, nil)
	tok, _ := jwt.Signed(sig).Claims(map[string]any{"iss": "https://tenant.example/", "aud": "api", "exp": t0.Add(time.Hour).Unix()}).Serialize()
	h := newTestInspector(t)
	w := h.win
	h.svc.Workspace = workspace.New(t.TempDir()+"/profiles.json", &secrets.Memory{})
	h.s.SetToken(tok)
	h.settle()
	h.tab(t, "Verify")
	chooseKeySource(t, w, keyJWKSURL)
	jwksURL := onscreen.Entry(t, w, "/.well-known/jwks.json")
	jwksURL.SetText(srv.URL)
	test.Tap(onscreen.Button(t, w, "Verify"))
	h.settle()
	if !rowSays(w, "signature", "RS256 signature verified") || !onscreen.Shows(w, "Decoded a signed JWT (JWS, RS256).") {
		t.Fatalf("after Verify:\n%s", onscreen.Texts(w))
	}
	test.Type(onscreen.Entry(t, w, "expected audience"), "api")
	h.settle()
	if !rowSays(w, "signature", "RS256 signature verified") {
		t.Fatalf("typing the audience dropped the signature:\n%s", onscreen.Texts(w))
	}
	if !rowSays(w, "aud", `audience includes "api"`) || !onscreen.Shows(w, "Valid: the signature is verified") {
		t.Fatalf("aud:\n%s", onscreen.Texts(w))
	}
	// Another JWKS URL: the old keys no longer count.
	jwksURL.SetText(srv.URL + "/other")
	h.settle()
	if !onscreen.Shows(w, "The key source changed: press Verify to fetch its keys.") || rowSays(w, "signature", "verified") {
		t.Fatalf("after changing the source:\n%s", onscreen.Texts(w))
	}
}
