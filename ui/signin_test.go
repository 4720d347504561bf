package ui

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"github.com/tokenscope/tokenscope/internal/demotenant"
	"github.com/tokenscope/tokenscope/internal/secrets"
)

// demoBrowser follows the demo login page (allow or deny) in the
// background, as the browser the app opens would, and is waited for before
// the test ends.
func demoBrowser(t *testing.T, decision string) func(string) error {
	b := &demotenant.Browser{Decision: decision}
	t.Cleanup(func() {
		if err := b.Wait(); err != nil {
			t.Errorf("the browser: %v", err)
		}
	})
	return b.Open
}

// demoExchange is an Exchange screen on a running demo tenant whose
// "browser" follows the demo login page (allow or deny).
func demoExchange(t *testing.T, decision string) (*exchangeScreen, *testBridge, *Services, fyne.Window) {
	t.Helper()
	test.NewTempApp(t).Settings().SetTheme(newTheme())
	svc := demoServices(t)
	svc.Open = demoBrowser(t, decision)
	bridge := &testBridge{}
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1400, 900))
	s := newExchangeScreen(svc, w, bridge.Do, func(string) {})
	w.SetContent(s.view())
	settleExchange(s, bridge)
	s.profile.SetSelected("demo-native")
	settleExchange(s, bridge)
	return s, bridge, svc, w
}

// Sign in on the Exchange screen: the tokens appear as cards, the refresh
// token is in the keyring, /userinfo shows its claims beside the ID
// token's, and Revoke removes the stored token after the server accepted.
func TestSignInOnTheExchangeScreenThenUserinfoAndRevoke(t *testing.T) {
	s, bridge, svc, w := demoExchange(t, "allow")
	before, _ := svc.Secrets.Get("demo-native", secrets.RefreshToken)
	test.Tap(s.signInBtn)
	settleExchange(s, bridge)
	if !strings.Contains(s.status.Text, "Signed in to demo-native") || s.shown["id_token"] == "" || s.shown["access_token"] == "" {
		t.Fatalf("status %q shown %v", s.status.Text, s.shown)
	}
	after, _ := svc.Secrets.Get("demo-native", secrets.RefreshToken)
	if after == "" || after == before || after != s.shown["refresh_token"] {
		t.Fatal("the new refresh token is not the stored one")
	}
	test.Tap(s.userinfoBtn)
	settleExchange(s, bridge)
	var texts []string
	for _, o := range test.LaidOutObjects(s.cards) {
		texts = append(texts, textOf(o))
	}
	all := strings.Join(texts, "|")
	if !strings.Contains(all, "/userinfo") || !strings.Contains(all, "dana@demo.tokenscope.dev") {
		t.Fatalf("userinfo card: %q (status %q)", all, s.status.Text)
	}
	s.revoke("demo-native") // what the confirmation's Yes does
	settleExchange(s, bridge)
	if !strings.Contains(s.status.Text, "Revoked at") {
		t.Fatalf("status %q", s.status.Text)
	}
	if _, err := svc.Secrets.Get("demo-native", secrets.RefreshToken); err == nil {
		t.Fatal("the keyring still holds the revoked token")
	}
	_ = w
}

func TestACancelledSignInSaysSoAndKeepsTheToken(t *testing.T) {
	s, bridge, svc, _ := demoExchange(t, "deny")
	before, _ := svc.Secrets.Get("demo-native", secrets.RefreshToken)
	test.Tap(s.signInBtn)
	settleExchange(s, bridge)
	if !strings.Contains(s.status.Text, "access_denied") || !strings.Contains(s.status.Text, "nothing was stored") {
		t.Fatalf("status %q", s.status.Text)
	}
	if now, _ := svc.Secrets.Get("demo-native", secrets.RefreshToken); now != before {
		t.Fatal("a cancelled sign-in changed the stored token")
	}
}

// The device grant in the window: the dialog shows the user code, where to
// enter it and a QR code; once the code is allowed on /activate the
// refresh token is stored.
func TestSignInWithACodeShowsTheCodeAndAQRCode(t *testing.T) {
	s, bridge, svc, w := demoExchange(t, "allow")
	before, _ := svc.Secrets.Get("demo-native", secrets.RefreshToken)
	test.Tap(s.deviceBtn)
	// Apply UI updates until the code is on screen (the poll is still running).
	deadline := time.Now().Add(10 * time.Second)
	for s.signIn.deviceCode.UserCode == "" && time.Now().Before(deadline) {
		bridge.drain()
		time.Sleep(20 * time.Millisecond)
	}
	c := s.signIn.deviceCode
	if c.UserCode == "" {
		t.Fatal("no device code shown")
	}
	var texts []string
	hasImage := false
	for _, o := range test.LaidOutObjects(w.Canvas().Overlays().Top()) {
		texts = append(texts, textOf(o))
		if img, ok := o.(*canvas.Image); ok && img.Resource != nil && img.Resource.Name() == "device-code.png" {
			hasImage = true
		}
	}
	all := strings.Join(texts, "|")
	if !strings.Contains(all, c.UserCode) || !strings.Contains(all, c.VerificationURI) || !hasImage {
		t.Fatalf("the dialog shows %q (QR code: %v)", all, hasImage)
	}
	resp, err := http.PostForm(c.VerificationURI, url.Values{"user_code": {c.UserCode}, "decision": {"allow"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	settleExchange(s, bridge)
	if after, _ := svc.Secrets.Get("demo-native", secrets.RefreshToken); after == "" || after == before || !strings.Contains(s.status.Text, "Signed in") {
		t.Fatalf("status %q", s.status.Text)
	}
}

// Client credentials for the machine-to-machine demo profile: the token
// appears as a card with Inspect; a public profile is not offered them.
func TestClientCredentialsOnTheExchangeScreen(t *testing.T) {
	s, bridge, _, w := demoExchange(t, "allow")
	if shows(w, "Client credentials token") {
		t.Fatal("a public client is offered client credentials")
	}
	s.profile.SetSelected("demo-backend")
	settleExchange(s, bridge)
	test.Tap(visibleButton(t, w, "Client credentials token"))
	settleExchange(s, bridge)
	if !strings.Contains(s.status.Text, "Client credentials token for demo-backend: HTTP 200") || strings.Count(s.shown["access_token"], ".") != 2 {
		t.Fatalf("status %q shown %v", s.status.Text, s.shown)
	}
}
