package ui

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/internal/httpx"
	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/safetext"
	"github.com/tokenscope/tokenscope/internal/secrets"
	"github.com/tokenscope/tokenscope/internal/testop"
	"github.com/tokenscope/tokenscope/internal/testop/onscreen"
	"github.com/tokenscope/tokenscope/internal/workspace"
)

// noSecretService is the keyring of a machine with no Secret Service: no
// session bus, as on a VM, WSL or a CI box.
type noSecretService struct{}

func (noSecretService) Get(string, string) (string, error) {
	return "", &secrets.UnavailableError{Cause: secrets.ErrNoSessionBus}
}
func (noSecretService) Set(string, string, string) error {
	return &secrets.UnavailableError{Cause: secrets.ErrNoSessionBus}
}
func (noSecretService) Delete(string, string) error {
	return &secrets.UnavailableError{Cause: secrets.ErrNoSessionBus}
}

// keyringlessServices are the window's services on such a machine: the
// keyring falls back to memory, as app.NewServices sets it up.
func keyringlessServices(t *testing.T) *Services {
	ws := workspace.New(filepath.Join(t.TempDir(), "profiles.json"), &secrets.WithFallback{Primary: noSecretService{}})
	ws.HTTP = httpx.NewClient(5 * time.Second)
	return &Services{Workspace: ws, Now: time.Now, Version: "9.9.9"}
}

// firstRun opens the main window as Create does on a fresh machine:
// nothing saved, the demo tenant started behind the first frame.
func firstRun(t *testing.T, svc *Services, prefs func(fyne.App)) (*mainWindow, *testBridge) {
	t.Helper()
	a := test.NewTempApp(t)
	a.Settings().SetTheme(newTheme())
	if prefs != nil {
		prefs(a)
	}
	b := &testBridge{}
	w := test.NewTempWindow(t, nil)
	m := newMainWindow(a, w, svc, b.Do)
	m.restoreState()
	w.Resize(fyne.NewSize(1280, 860))
	m.runStartup(demoStartup(t, svc, startDemo, nil))
	settleWindow(m, b)
	return m, b
}

// TestAFirstRunLandsOnExchangeWithADemoProfileChosen: on a fresh machine
// the window shows Exchange with a demo profile that can refresh and sign
// in both ways, and Refresh ready; a screen saved last time still wins.
func TestAFirstRunLandsOnExchangeWithADemoProfileChosen(t *testing.T) {
	m, _ := firstRun(t, testServices(t), nil)
	if !m.showing(screenExchange) {
		t.Fatalf("the first run shows %s", m.tabs.Selected().Text)
	}
	if !onscreen.Shows(m.win, "demo-native") || !onscreen.Shows(m.win, "Ready: Refresh sends the request shown") {
		t.Fatalf("the Exchange screen is not ready with demo-native:\n%s", onscreen.Texts(m.win))
	}
	if onscreen.Button(t, m.win, "Refresh").Disabled() {
		t.Fatal("Refresh is off")
	}
	m2, _ := firstRun(t, testServices(t), func(a fyne.App) { a.Preferences().SetInt(prefScreen, int(screenMigrate)) })
	if !m2.showing(screenMigrate) {
		t.Fatalf("the screen saved last time is not restored: %s", m2.tabs.Selected().Text)
	}
}

// TestTheDemoWithoutAKeyringRefreshesCalmly: with no Secret Service the
// demo keeps its secrets in memory, says so once in the status line, and
// Refresh shows tokens with no dialog and no D-Bus words.
func TestTheDemoWithoutAKeyringRefreshesCalmly(t *testing.T) {
	m, b := firstRun(t, keyringlessServices(t), nil)
	said := onscreen.Text(m.win, "No OS keyring here")
	if len(said) != 1 {
		t.Fatalf("the missing keyring is said %d times:\n%s", len(said), onscreen.Texts(m.win))
	}
	if l, ok := said[0].Object.(*widget.Label); !ok || l.Importance == widget.DangerImportance || l.Importance == widget.WarningImportance {
		t.Fatalf("said as an alarm: %#v", said[0].Object)
	}
	test.Tap(onscreen.Button(t, m.win, "Refresh"))
	settleWindow(m, b)
	if m.win.Canvas().Overlays().Top() != nil {
		t.Fatalf("a dialog opened over the demo's first refresh:\n%s", onscreen.Texts(m.win))
	}
	if !onscreen.Shows(m.win, "Refreshed: HTTP 200") || !onscreen.Shows(m.win, "in memory for this run, as the demo's secrets are") {
		t.Fatalf("after Refresh:\n%s", onscreen.Texts(m.win))
	}
	if len(onscreen.Text(m.win, "No OS keyring here")) != 0 {
		t.Fatal("the status line says it again")
	}
	m.showScreen(screenClients)
	onscreen.List(t, m.win).Select(0)
	settleWindow(m, b)
	text := onscreen.Texts(m.win)
	for _, bad := range []string{"org/freedesktop", "failed to unlock", "D-Bus error"} {
		if strings.Contains(text, bad) {
			t.Errorf("the window shows %q:\n%s", bad, text)
		}
	}
	if l := onscreen.Label(m.win, "The demo profiles keep their secrets in memory"); l == nil || l.Importance != widget.MediumImportance {
		t.Fatalf("the Clients screen does not say calmly where the demo's secrets are:\n%s", text)
	}
}

// TestARealProfileWithoutAKeyringIsToldWhatToInstall: a real profile on a
// machine with no Secret Service gets one explanation: why, and what to
// install; its rotated refresh token is shown once to be copied.
func TestARealProfileWithoutAKeyringIsToldWhatToInstall(t *testing.T) {
	a := test.NewTempApp(t)
	a.Settings().SetTheme(newTheme())
	srv := testop.NewRotatingTokens(t, "v1.first-refresh-token")
	svc := keyringlessServices(t)
	svc.Save(workspace.SaveRequest{Profile: profiles.Profile{Name: "real", Issuer: srv.URL + "/", ClientID: "abc", Auth: "none",
		Endpoints: &profiles.Endpoints{Token: srv.URL + "/oauth/token"}}, RefreshToken: workspace.Store("v1.first-refresh-token")})
	b := &testBridge{}
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1280, 860))
	m := newMainWindow(a, w, svc, b.Do)
	settleWindow(m, b)
	m.showScreen(screenClients)
	onscreen.List(t, m.win).Select(0)
	settleWindow(m, b)
	explained := onscreen.Text(w, "No OS keyring here")
	if len(explained) != 1 || !strings.Contains(explained[0].Text, "apt install gnome-keyring") || !strings.Contains(explained[0].Text, "no D-Bus session bus") {
		t.Fatalf("the explanation is not there once:\n%s", onscreen.Texts(w))
	}
	m.showScreen(screenExchange)
	settleWindow(m, b)
	test.Tap(onscreen.Button(t, w, "Refresh"))
	settleWindow(m, b)
	if w.Canvas().Overlays().Top() == nil || !onscreen.Shows(w, "only in memory until Tokenscope closes") || !onscreen.Shows(w, "v1.rotated-refresh-token-1") {
		t.Fatalf("the rotated token of a real profile is not shown to be copied:\n%s", onscreen.Texts(w))
	}
}

// TestSignInIsOfferedOnlyWhereAUserCanSignIn: the machine-to-machine demo
// profile offers no sign-in but one sentence naming a profile that can,
// with a button to switch; each demo profile shows the sign-ins its
// client has, and client credentials only where the client has them.
func TestSignInIsOfferedOnlyWhereAUserCanSignIn(t *testing.T) {
	m, b := firstRun(t, testServices(t), nil)
	w := m.win
	chosenProfile(t, w).SetSelected("demo-backend")
	settleWindow(m, b)
	if onscreen.Shows(w, "Sign in…") || onscreen.Shows(w, "Sign in with a code…") {
		t.Fatalf("demo-backend offers a sign-in:\n%s", onscreen.Texts(w))
	}
	if !onscreen.Shows(w, "demo-backend is a client for machines") || !onscreen.Shows(w, "Client credentials token") {
		t.Fatalf("demo-backend does not say who can sign in:\n%s", onscreen.Texts(w))
	}
	test.Tap(onscreen.Button(t, w, "Switch to demo-native"))
	settleWindow(m, b)
	if got := chosenProfile(t, w).Selected; got != "demo-native" {
		t.Fatalf("switched to %q", got)
	}
	onscreen.Button(t, w, "Sign in…")
	onscreen.Button(t, w, "Sign in with a code…")
	if onscreen.Shows(w, "Client credentials token") || onscreen.Shows(w, "a client for machines") {
		t.Fatalf("demo-native offers client credentials or the sentence:\n%s", onscreen.Texts(w))
	}
	chosenProfile(t, w).SetSelected("demo-web")
	settleWindow(m, b)
	onscreen.Button(t, w, "Sign in…")
	if onscreen.Shows(w, "Sign in with a code…") {
		t.Fatal("demo-web offers the device grant it does not have")
	}
	m.showScreen(screenClients)
	clients := onscreen.List(t, w)
	for i, name := range rowTexts(clients) {
		if name == "demo-backend" {
			clients.Select(i)
		}
	}
	settleWindow(m, b)
	if onscreen.Shows(w, "Sign in…") {
		t.Fatal("the Clients screen offers Sign in… for demo-backend")
	}
}

// TestWithNoBrowserTheSignInDialogShowsTheLinkToOpen: when no browser can
// be opened the dialog says so and shows the link with Copy, instead of
// "your browser opens".
func TestWithNoBrowserTheSignInDialogShowsTheLinkToOpen(t *testing.T) {
	svc := testServices(t)
	svc.Open = func(string) error { return errors.New("no browser opener here (xdg-open is not installed)") }
	m, b := firstRun(t, svc, nil)
	w := m.win
	test.Tap(onscreen.Button(t, w, "Sign in…"))
	deadline := time.Now().Add(10 * time.Second)
	for !onscreen.Shows(w, "No browser could be opened here") && time.Now().Before(deadline) {
		b.drain()
		time.Sleep(20 * time.Millisecond)
	}
	if !onscreen.Shows(w, "No browser could be opened here (no browser opener here (xdg-open is not installed))") || onscreen.Shows(w, "Your browser") {
		t.Fatalf("the dialog does not tell the truth:\n%s", onscreen.Texts(w))
	}
	if !onscreen.Shows(w, m.svc.Demo.Issuer()+"authorize?") {
		t.Fatalf("the link is not shown:\n%s", onscreen.Texts(w))
	}
	copyLink := onscreen.DialogButton(t, w, "Copy link")
	if copyLink.Importance != widget.HighImportance {
		t.Error("Copy link is not the dialog's main action")
	}
	test.Tap(copyLink)
	if got := fyne.CurrentApp().Clipboard().Content(); !strings.HasPrefix(got, m.svc.Demo.Issuer()+"authorize?") {
		t.Fatalf("clipboard %q", got)
	}
	test.Tap(onscreen.DialogButton(t, w, "Cancel"))
	settleWindow(m, b)
	if !onscreen.Shows(w, "cancelled") {
		t.Fatalf("after Cancel:\n%s", onscreen.Texts(w))
	}
}

// approveDeviceSignIn taps "Sign in with a code…", waits for the code on
// screen and approves it on the demo's /activate, as the user would on a
// phone, then settles the window.
func approveDeviceSignIn(t *testing.T, m *mainWindow, b *testBridge) {
	t.Helper()
	test.Tap(onscreen.Button(t, m.win, "Sign in with a code…"))
	code, uri := waitForDeviceCode(t, m.win, b)
	// The address is shown whole, on one line.
	var where *widget.Label
	for _, s := range onscreen.Text(m.win, uri) {
		if l, ok := s.Object.(*widget.Label); ok && l.Text == uri {
			where = l
		}
	}
	if where == nil || where.Wrapping != fyne.TextWrapOff || where.Size().Width < fyne.MeasureText(uri, theme.TextSize(), where.TextStyle).Width {
		t.Fatalf("the address %s is not shown whole:\n%s", uri, onscreen.Texts(m.win))
	}
	resp, err := http.PostForm(uri, url.Values{"user_code": {code}, "decision": {"allow"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	settleWindow(m, b)
}

// TestAfterADeviceSignInTheStatusSaysWhereTheTokenIs: the status line and
// any dialog agree on where the new refresh token is: in the keyring, or
// (no keyring, a demo profile) in memory for this run, with no dialog.
func TestAfterADeviceSignInTheStatusSaysWhereTheTokenIs(t *testing.T) {
	m, b := firstRun(t, testServices(t), nil)
	approveDeviceSignIn(t, m, b)
	if !onscreen.Shows(m.win, "Signed in to demo-native: the refresh token is stored in the OS keyring") || m.win.Canvas().Overlays().Top() != nil {
		t.Fatalf("with a keyring:\n%s", onscreen.Texts(m.win))
	}
	m, b = firstRun(t, keyringlessServices(t), nil)
	approveDeviceSignIn(t, m, b)
	if !onscreen.Shows(m.win, "Signed in to demo-native: the refresh token is kept in memory for this run") || onscreen.Shows(m.win, "stored in the OS keyring") {
		t.Fatalf("without a keyring:\n%s", onscreen.Texts(m.win))
	}
	if m.win.Canvas().Overlays().Top() != nil {
		t.Fatalf("a dialog contradicts or alarms:\n%s", onscreen.Texts(m.win))
	}
}

// TestCtrlRRefreshesFromAnyScreenAndIsListed: Ctrl+R shows Exchange and
// runs its Refresh; Help → Keyboard Shortcuts lists it.
func TestCtrlRRefreshesFromAnyScreenAndIsListed(t *testing.T) {
	m, b := firstRun(t, testServices(t), nil)
	m.showScreen(screenInspect)
	m.win.Canvas().(interface{ TypedShortcut(fyne.Shortcut) }).TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyR, Modifier: fyne.KeyModifierShortcutDefault})
	settleWindow(m, b)
	if !m.showing(screenExchange) || !onscreen.Shows(m.win, "Refreshed: HTTP 200") {
		t.Fatalf("Ctrl+R on Inspect:\n%s", onscreen.Texts(m.win))
	}
	m.showShortcuts()
	if !onscreen.Shows(m.win, "Ctrl+R") || !onscreen.Shows(m.win, "Refresh") {
		t.Fatalf("Keyboard Shortcuts does not list Ctrl+R:\n%s", onscreen.Texts(m.win))
	}
}

// TestExchangeButtonsAreNeverHalfUnderTheRefreshBar: on the first run, at
// the default size and at 900×600, no button of Exchange is cut by the
// edge of its scrolled pane; the history's hint reads as body text (4.5:1).
// The test window draws no menu bar: the real one takes its height.
func TestExchangeButtonsAreNeverHalfUnderTheRefreshBar(t *testing.T) {
	menuBar := theme.TextSize() + 4*theme.InnerPadding()
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		m, b := firstRun(t, testServices(t), nil)
		m.app.Settings().SetTheme(variantTheme{newTheme(), v})
		for _, size := range []fyne.Size{{Width: 1180, Height: 760 - menuBar}, {Width: 900, Height: 600 - menuBar}} {
			m.win.Resize(size)
			settleWindow(m, b)
			if cut := onscreen.HalfHidden(m.win); len(cut) > 0 {
				t.Errorf("%v at %v: %s", v, size, strings.Join(cut, "; "))
			}
		}
		var hint *canvas.Text
		for _, s := range onscreen.Text(m.win, "No refreshes yet") {
			hint, _ = s.Object.(*canvas.Text)
		}
		bg := newTheme().Color(theme.ColorNameBackground, v)
		if hint == nil || contrast(hint.Color, bg) < 4.5 || hint.TextSize < theme.TextSize() {
			t.Errorf("%v: the history hint is missing or hard to read: %+v", v, hint)
		}
	}
}

// TestOpenInMigrateFromScanClearsTheLastSendsAnswer: Send's tokens,
// Inspect buttons and refresh token belong to the request sent; a request
// opened from Scan takes them off the screen.
func TestOpenInMigrateFromScanClearsTheLastSendsAnswer(t *testing.T) {
	m, b := firstRun(t, testServices(t), nil)
	m.showScreen(screenMigrate)
	test.Tap(onscreen.Button(t, m.win, "Sample"))
	settleWindow(m, b)
	test.Tap(onscreen.Button(t, m.win, "Send"))
	settleWindow(m, b)
	if !onscreen.Shows(m.win, "Inspect ID token") {
		t.Fatalf("Send shows no tokens:\n%s", onscreen.Texts(m.win))
	}
	m.showScreen(screenScan)
	m.scan.scanFolder(filepath.Join("..", "scan", "testdata", "corpus"))
	settleWindow(m, b)
	findings := onscreen.List(t, m.win)
	for i, r := range rowTexts(findings) {
		if strings.Contains(r, "/delegation  curl --request POST") {
			findings.Select(i)
		}
	}
	test.Tap(onscreen.Button(t, m.win, "Open in Migrate"))
	settleWindow(m, b)
	if !m.showing(screenMigrate) || !onscreen.Shows(m.win, "curl --request POST") {
		t.Fatalf("Migrate does not show the request:\n%s", onscreen.Texts(m.win))
	}
	for _, old := range []string{"Inspect ID token", "Inspect access token", "only copy", "succeeded (HTTP 200)"} {
		if onscreen.Shows(m.win, old) {
			t.Errorf("the last Send's %q is still on screen", old)
		}
	}
}

// TestVerifyingTheDemosOwnTokenIsValidInTheWindowsWords: a fresh demo ID
// token opened from Exchange verifies as valid with the profile's issuer
// expected; Migrate's findings name the window's fields, never a flag.
func TestVerifyingTheDemosOwnTokenIsValidInTheWindowsWords(t *testing.T) {
	m, b := firstRun(t, testServices(t), nil)
	test.Tap(onscreen.Button(t, m.win, "Refresh"))
	settleWindow(m, b)
	var inspect []*widget.Button
	for _, s := range onscreen.Text(m.win, "Inspect") {
		if btn, ok := s.Object.(*widget.Button); ok && btn.Text == "Inspect" {
			inspect = append(inspect, btn)
		}
	}
	if len(inspect) != 2 {
		t.Fatalf("%d Inspect buttons:\n%s", len(inspect), onscreen.Texts(m.win))
	}
	test.Tap(inspect[1]) // the ID token's
	settleWindow(m, b)
	m.inspect.tabs.SelectIndex(2) // Verify
	test.Tap(onscreen.Button(t, m.win, "Verify"))
	settleWindow(m, b)
	if !onscreen.Shows(m.win, "Valid: the signature is verified and no check failed.") {
		t.Fatalf("the demo's own ID token:\n%s", onscreen.Texts(m.win))
	}
	m.showScreen(screenMigrate)
	test.Tap(onscreen.Button(t, m.win, "Sample"))
	settleWindow(m, b)
	for _, s := range onscreen.Objects(m.win) {
		if _, out := s.Object.(*widget.Entry); out {
			continue // the input and the rendered request are text, not advice
		}
		if strings.Contains(s.Text, "with --") || strings.Contains(s.Text, "(--") || strings.Contains(s.Text, "give --") {
			t.Errorf("the window names a flag: %q", s.Text)
		}
	}
	if !onscreen.Shows(m.win, "in Client auth") {
		t.Fatalf("the findings do not name the field:\n%s", onscreen.Texts(m.win))
	}
}

// TestTheComparisonBreaksNoWord: Compare's claims at 900×600 and 1440×900
// show every e-mail address and URL whole (four equal columns once broke
// dana@demo.tokens|cope.dev and cut iss).
func TestTheComparisonBreaksNoWord(t *testing.T) {
	m, b := firstRun(t, testServices(t), nil)
	m.showScreen(screenMigrate)
	test.Tap(onscreen.Button(t, m.win, "Sample"))
	settleWindow(m, b)
	test.Tap(onscreen.Button(t, m.win, "Compare"))
	settleWindow(m, b)
	if !onscreen.Shows(m.win, "Side by side") {
		t.Fatalf("no comparison:\n%s", onscreen.Texts(m.win))
	}
	for _, size := range []fyne.Size{{Width: 900, Height: 600}, {Width: 1440, Height: 900}} {
		m.win.Resize(size)
		settleWindow(m, b)
		for _, p := range layoutProblems(m.win, m.screens[screenMigrate].view) {
			t.Errorf("%v: %s", size, p)
		}
	}
	if !onscreen.Shows(m.win, "@demo.tokenscope.dev") {
		t.Fatalf("no e-mail address on screen:\n%s", onscreen.Texts(m.win))
	}
}

// TestThePasteHintBreaksNoWord: each line of the token field's hint fits
// the field at 900×600 (the field breaks anywhere: "qu|otes").
func TestThePasteHintBreaksNoWord(t *testing.T) {
	m, b := firstRun(t, testServices(t), nil)
	m.win.Resize(fyne.NewSize(900, 600))
	m.showScreen(screenInspect)
	settleWindow(m, b)
	onscreen.Frame(m.win)
	in := tokenField(t, m.win)
	room := in.Size().Width - 4*theme.InnerPadding()
	for _, line := range strings.Split(in.PlaceHolder, "\n") {
		if w := fyne.MeasureText(line, theme.TextSize(), fyne.TextStyle{}).Width; w > room {
			t.Errorf("the hint line %q is %.0f px in a %.0f px field", line, w, room)
		}
	}
}

// noHiddenCharacters fails when anything on screen carries a control,
// BiDi or zero-width character.
func noHiddenCharacters(t *testing.T, w fyne.Window) {
	t.Helper()
	for _, s := range onscreen.Objects(w) {
		if safetext.Has(strings.NewReplacer("\n", "", "\t", "").Replace(s.Text)) {
			t.Errorf("on screen with a hidden character: %q", s.Text)
		}
	}
}

// TestUntrustedTextIsShownVisibly: a pasted token whose claim name and
// value hold ESC and U+202E (RIGHT-TO-LEFT OVERRIDE), and a server error
// holding them, are shown with those characters as escapes, in the claim
// rows, the raw JSON and the status line.
func TestUntrustedTextIsShownVisibly(t *testing.T) {
	h := newTestInspector(t)
	claims := auth0Claims()
	claims["x\x1b[2Jname"] = "invoice\u202egpj.exe"
	h.typeToken(testop.Sign(t, jose.RS256, testop.RSAKey(), "k1", claims))
	h.settle()
	if !onscreen.Shows(h.win, `x\x1b[2Jname`) || !onscreen.Shows(h.win, `invoice\u202egpj.exe`) {
		t.Fatalf("the claim is not shown with visible escapes:\n%s", onscreen.Texts(h.win))
	}
	noHiddenCharacters(t, h.win)
	test.Tap(onscreen.Check(t, h.win, "Raw JSON"))
	if !onscreen.Shows(h.win, `\u202e`) {
		t.Fatalf("the raw JSON does not show the override:\n%s", onscreen.Texts(h.win))
	}
	noHiddenCharacters(t, h.win)

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte(`{"error":"invalid_grant","error_description":"token revoked \u001b[31mby admin\u202e"}`))
	}))
	defer srv.Close()
	svc := testServices(t)
	svc.Save(workspace.SaveRequest{Profile: profiles.Profile{Name: "real", Issuer: srv.URL + "/", ClientID: "abc", Auth: "none",
		Endpoints: &profiles.Endpoints{Token: srv.URL + "/oauth/token"}}, RefreshToken: workspace.Store("v1.a-refresh-token")})
	b := &testBridge{}
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1280, 860))
	m := newMainWindow(fyne.CurrentApp(), w, svc, b.Do)
	settleWindow(m, b)
	m.showScreen(screenExchange)
	test.Tap(onscreen.Button(t, w, "Refresh"))
	settleWindow(m, b)
	if !onscreen.Shows(w, "invalid_grant") || !onscreen.Shows(w, `\x1b[31m`) {
		t.Fatalf("the server's error is not shown with visible escapes:\n%s", onscreen.Texts(w))
	}
	noHiddenCharacters(t, w)
}

// TestOnlyTheScreenInFrontIsBuiltBeforeTheFirstFrame: Create lays out the
// screen restoreState brings to the front and no other; a screen is built
// on its first show, by a shortcut or a click on its tab.
func TestOnlyTheScreenInFrontIsBuiltBeforeTheFirstFrame(t *testing.T) {
	a := test.NewTempApp(t)
	a.Settings().SetTheme(newTheme())
	w := test.NewTempWindow(t, nil)
	m := newLazyMainWindow(a, w, testServices(t), (&testBridge{}).Do)
	m.restoreState()
	for i, s := range m.screens {
		if built := len(s.view.Objects) > 0; built != (i == int(screenExchange)) {
			t.Errorf("%s built: %v", s.title, built)
		}
	}
	// Not even made: their widgets would measure text before the first frame.
	if m.clients != nil || m.inspect != nil || m.migrate != nil || m.scan != nil || m.ready != nil {
		t.Errorf("screens made before their first use: clients %v, inspect %v, migrate %v, scan %v, readiness %v",
			m.clients != nil, m.inspect != nil, m.migrate != nil, m.scan != nil, m.ready != nil)
	}
	typed := w.Canvas().(interface{ TypedShortcut(fyne.Shortcut) })
	typed.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: fyne.KeyModifierShortcutDefault})
	if !m.showing(screenInspect) || w.Canvas().Focused() != tokenField(t, w) || !onscreen.Shows(w, "Paste a token") {
		t.Fatalf("Ctrl+L on an unbuilt Inspect:\n%s", onscreen.Texts(w))
	}
	m.tabs.SelectIndex(int(screenMigrate)) // a click on the tab
	if !onscreen.Shows(w, "Sample") {
		t.Fatalf("Migrate after a click on its tab:\n%s", onscreen.Texts(w))
	}
}

// TestEveryLaunchOnTheDemoChoosesAProfileThatSignsIn: not only the first:
// with a screen saved, or a screen asked for, Exchange's profile is the
// demo profile that can refresh and sign in, not the first by name
// (demo-backend, a client for machines).
func TestEveryLaunchOnTheDemoChoosesAProfileThatSignsIn(t *testing.T) {
	m, _ := firstRun(t, testServices(t), func(a fyne.App) { a.Preferences().SetInt(prefScreen, int(screenInspect)) })
	if !m.showing(screenInspect) {
		t.Fatalf("showing %s", m.tabs.Selected().Text)
	}
	m.showScreen(screenExchange)
	if got := chosenProfile(t, m.win).Selected; got != "demo-native" {
		t.Fatalf("%q chosen on Exchange", got)
	}
	svc := testServices(t)
	svc.StartScreen = "Exchange"
	m, _ = firstRun(t, svc, nil)
	if !onscreen.Shows(m.win, "demo-native") || onscreen.Shows(m.win, "demo-backend") {
		t.Fatalf("Exchange asked for by name:\n%s", onscreen.Texts(m.win))
	}
}
