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
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/internal/demotenant"
	"github.com/tokenscope/tokenscope/internal/secrets"
	"github.com/tokenscope/tokenscope/internal/testop/onscreen"
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
	chosenProfile(t, w).SetSelected("demo-native")
	settleExchange(s, bridge)
	return s, bridge, svc, w
}

// deviceCodeShown is the user code and the address to enter it at, as the
// sign-in dialog on top of w shows them ("" while it shows none).
func deviceCodeShown(w fyne.Window) (code, where string) {
	top := w.Canvas().Overlays().Top()
	if top == nil {
		return "", ""
	}
	onscreen.Frame(w)
	for _, s := range onscreen.Under(top) {
		if l, ok := s.Object.(*widget.Label); ok && l.TextStyle.Monospace {
			if l.TextStyle.Bold {
				code = l.Text
			} else {
				where = l.Text
			}
		}
	}
	return code, where
}

// waitForDeviceCode applies UI updates until the sign-in dialog shows a
// device code (the poll is still running), and returns it.
func waitForDeviceCode(t *testing.T, w fyne.Window, b *testBridge) (code, where string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for code == "" && time.Now().Before(deadline) {
		b.drain()
		time.Sleep(20 * time.Millisecond)
		code, where = deviceCodeShown(w)
	}
	if code == "" || where == "" {
		t.Fatalf("no device code shown; the window shows:\n%s", onscreen.Texts(w))
	}
	return code, where
}

// Sign in on the Exchange screen: the tokens appear as cards, the refresh
// token is in the keyring, /userinfo shows its claims beside the ID
// token's, and Revoke removes the stored token after the server accepted.
func TestSignInOnTheExchangeScreenThenUserinfoAndRevoke(t *testing.T) {
	s, bridge, svc, w := demoExchange(t, "allow")
	before, _ := svc.Secrets.Get("demo-native", secrets.RefreshToken)
	test.Tap(onscreen.Button(t, w, "Sign in…"))
	settleExchange(s, bridge)
	if !onscreen.Shows(w, "Signed in to demo-native") || cardToken(t, w, "ID token") == "" || cardToken(t, w, "Access token") == "" {
		t.Fatalf("the window shows:\n%s", onscreen.Texts(w))
	}
	after, _ := svc.Secrets.Get("demo-native", secrets.RefreshToken)
	if after == "" || after == before || after != cardToken(t, w, "Refresh token") {
		t.Fatal("the new refresh token is not the stored one")
	}
	test.Tap(onscreen.Button(t, w, "Call /userinfo"))
	settleExchange(s, bridge)
	if !onscreen.Shows(w, "claims beside the ID token's") || !onscreen.Shows(w, "dana@demo.tokenscope.dev") {
		t.Fatalf("no /userinfo card; the window shows:\n%s", onscreen.Texts(w))
	}
	test.Tap(onscreen.Button(t, w, "Revoke refresh token…"))
	test.Tap(onscreen.DialogButton(t, w, "Yes"))
	settleExchange(s, bridge)
	if !onscreen.Shows(w, "Revoked at") {
		t.Fatalf("the window shows:\n%s", onscreen.Texts(w))
	}
	if _, err := svc.Secrets.Get("demo-native", secrets.RefreshToken); err == nil {
		t.Fatal("the keyring still holds the revoked token")
	}
}

func TestACancelledSignInSaysSoAndKeepsTheToken(t *testing.T) {
	s, bridge, svc, w := demoExchange(t, "deny")
	before, _ := svc.Secrets.Get("demo-native", secrets.RefreshToken)
	test.Tap(onscreen.Button(t, w, "Sign in…"))
	settleExchange(s, bridge)
	if status := onscreen.Label(w, "access_denied"); status == nil || !strings.Contains(status.Text, "nothing was stored") {
		t.Fatalf("the window shows:\n%s", onscreen.Texts(w))
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
	test.Tap(onscreen.Button(t, w, "Sign in with a code…"))
	code, where := waitForDeviceCode(t, w, bridge)
	hasImage := false
	for _, o := range test.LaidOutObjects(w.Canvas().Overlays().Top()) {
		if img, ok := o.(*canvas.Image); ok && img.Resource != nil && img.Resource.Name() == "device-code.png" {
			hasImage = true
		}
	}
	if !strings.HasPrefix(where, "http") || !hasImage {
		t.Fatalf("the dialog shows the address %q (QR code: %v):\n%s", where, hasImage, onscreen.Texts(w))
	}
	resp, err := http.PostForm(where, url.Values{"user_code": {code}, "decision": {"allow"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	settleExchange(s, bridge)
	if after, _ := svc.Secrets.Get("demo-native", secrets.RefreshToken); after == "" || after == before || !onscreen.Shows(w, "Signed in") {
		t.Fatalf("the window shows:\n%s", onscreen.Texts(w))
	}
}

// Client credentials for the machine-to-machine demo profile: the token
// appears as a card with Inspect; a public profile is not offered them.
func TestClientCredentialsOnTheExchangeScreen(t *testing.T) {
	s, bridge, _, w := demoExchange(t, "allow")
	if onscreen.Shows(w, "Client credentials token") {
		t.Fatal("a public client is offered client credentials")
	}
	chosenProfile(t, w).SetSelected("demo-backend")
	settleExchange(s, bridge)
	test.Tap(onscreen.Button(t, w, "Client credentials token"))
	settleExchange(s, bridge)
	if !onscreen.Shows(w, "Client credentials token for demo-backend: HTTP 200") || strings.Count(cardToken(t, w, "Access token"), ".") != 2 {
		t.Fatalf("the window shows:\n%s", onscreen.Texts(w))
	}
}
