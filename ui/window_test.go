package ui

import (
	"fmt"
	"image/color"
	"math"

	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/secrets"
	"github.com/tokenscope/tokenscope/internal/testop/onscreen"
	"github.com/tokenscope/tokenscope/internal/workspace"

	"strings"

	"testing"

	"fyne.io/fyne/v2/theme"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/tokenscope/tokenscope/internal/demotenant"
)

func newTestWindow(t *testing.T) (*mainWindow, *testBridge) {
	t.Helper()
	a := test.NewTempApp(t)
	a.Settings().SetTheme(newTheme())
	b := &testBridge{}
	w := test.NewTempWindow(t, nil)
	m := newMainWindow(a, w, testServices(t), b.Do)
	return m, b
}

func TestCtrlLFocusesTheTokenField(t *testing.T) {
	m, _ := newTestWindow(t)
	m.win.Resize(fyne.NewSize(1200, 800))
	c := m.win.Canvas()
	c.Unfocus()
	c.(interface{ TypedShortcut(fyne.Shortcut) }).TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: fyne.KeyModifierShortcutDefault})
	if c.Focused() != tokenField(t, m.win) {
		t.Fatalf("focused = %T", c.Focused())
	}
}

func TestCtrlShiftVPastesAndDecodes(t *testing.T) {
	m, b := newTestWindow(t)
	m.win.Resize(fyne.NewSize(1200, 800))
	m.app.Clipboard().SetContent("9tQ2mTjW1ZbB7x0yQ3cQkz0qZ2l5WcB1")
	m.win.Canvas().(interface{ TypedShortcut(fyne.Shortcut) }).TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyV, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift})
	h := &harness{s: m.inspect, bridge: b}
	h.settle()
	if field := tokenField(t, m.win); field.Text != "9tQ2mTjW1ZbB7x0yQ3cQkz0qZ2l5WcB1" || !onscreen.Shows(m.win, "Decoded an opaque token.") {
		t.Fatalf("input = %q; the window shows:\n%s", field.Text, onscreen.Texts(m.win))
	}
}

func TestClosingRemembersTheWindowSizeAndScreen(t *testing.T) {
	a := test.NewTempApp(t)
	// test.NewWindow, not NewTempWindow: onClose closes it itself.
	m := newMainWindow(a, test.NewWindow(nil), testServices(t), (&testBridge{}).Do)
	m.win.Resize(fyne.NewSize(900, 600))
	m.onClose()
	p := m.app.Preferences()
	if w, h := p.Float(prefWidth), p.Float(prefHeight); w < 890 || h < 590 {
		t.Fatalf("saved %vx%v", w, h)
	}
	// A new window on the same preferences opens at that size.
	m2 := newMainWindow(m.app, test.NewTempWindow(t, nil), m.svc, m.do)
	m2.restoreState()
	if got := m2.win.Canvas().Size(); got.Width < 890 {
		t.Fatalf("restored width %v", got.Width)
	}
}

func TestTheMenuOffersEveryScreenAndTheAboutDialogShowsTheVersion(t *testing.T) {
	m, _ := newTestWindow(t)
	menu := m.menu()
	var titles []string
	for _, mm := range menu.Items {
		titles = append(titles, mm.Label)
	}
	if len(titles) != 3 || titles[0] != "File" || titles[2] != "Help" {
		t.Fatalf("menus = %v", titles)
	}
	if got := len(menu.Items[1].Items); got != len(m.screens) {
		t.Fatalf("View lists %d screens, want %d", got, len(m.screens))
	}
	m.showAbout()
	found := false
	for _, o := range test.LaidOutObjects(m.win.Canvas().Overlays().Top()) {
		if txt := textOf(o); txt == "Tokenscope 9.9.9" {
			found = true
		}
	}
	if !found {
		t.Fatal("the About dialog does not show the version")
	}
}

// Ctrl+Q quits (saving the window's state) and File → Quit shows it.
func TestCtrlQQuitsAndTheMenuShowsIt(t *testing.T) {
	a := test.NewTempApp(t)
	m := newMainWindow(a, test.NewWindow(nil), testServices(t), (&testBridge{}).Do)
	var quit *fyne.MenuItem
	for _, item := range m.menu().Items[0].Items {
		if item.IsQuit {
			quit = item
		}
	}
	if quit == nil || quit.Shortcut == nil || quit.Shortcut.ShortcutName() != (&desktop.CustomShortcut{KeyName: fyne.KeyQ, Modifier: fyne.KeyModifierShortcutDefault}).ShortcutName() {
		t.Fatalf("File → Quit: %+v", quit)
	}
	m.win.Resize(fyne.NewSize(1000, 700))
	m.win.Canvas().(interface{ TypedShortcut(fyne.Shortcut) }).TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyQ, Modifier: fyne.KeyModifierShortcutDefault})
	select {
	case <-m.stop:
	default:
		t.Fatal("Ctrl+Q did not quit")
	}
	if w := m.app.Preferences().Float(prefWidth); w < 990 {
		t.Fatalf("the size was not saved: %v", w)
	}
}

// The light theme's success and warning text read at WCAG AA (4.5:1) on
// the background.
func TestLightThemeStatusColoursAreReadable(t *testing.T) {
	th := newTheme()
	bg := th.Color(theme.ColorNameBackground, theme.VariantLight)
	for _, n := range []fyne.ThemeColorName{theme.ColorNameSuccess, theme.ColorNameWarning, theme.ColorNameError} {
		if r := contrast(th.Color(n, theme.VariantLight), bg); r < 4.5 {
			t.Errorf("%s on the light background: %.2f:1", n, r)
		}
	}
}

func contrast(a, b color.Color) float64 {
	lum := func(c color.Color) float64 {
		r, g, bl, _ := c.RGBA()
		ch := func(v uint32) float64 {
			x := float64(v) / 0xffff
			if x <= 0.03928 {
				return x / 12.92
			}
			return math.Pow((x+0.055)/1.055, 2.4)
		}
		return 0.2126*ch(r) + 0.7152*ch(g) + 0.0722*ch(bl)
	}
	l1, l2 := lum(a), lum(b)
	if l1 < l2 {
		l1, l2 = l2, l1
	}
	return (l1 + 0.05) / (l2 + 0.05)
}

// demoStartup is the window's start-up as the app runs it: the demo
// tenant started with start (once release is closed, when not nil: a slow
// keyring holds it so), closed when the test ends.
func demoStartup(t *testing.T, svc *Services, start workspace.DemoStarter, release <-chan struct{}) Startup {
	return func() (workspace.Demo, string, error) {
		if release != nil {
			<-release
		}
		srv, seed, err := svc.StartDemo(start)
		if err != nil || srv == nil {
			return nil, "", err
		}
		t.Cleanup(func() { srv.Close() })
		return srv.Tenant, seed.DemoNote(), nil
	}
}

// startDemoOnRelease runs the start-up of a test window of the app's
// size, which starts the demo tenant once the returned channel is closed.
func startDemoOnRelease(t *testing.T) (*mainWindow, *testBridge, chan struct{}) {
	m, b := newTestWindow(t)
	m.win.Resize(fyne.NewSize(1280, 860))
	release := make(chan struct{})
	m.runStartup(demoStartup(t, m.svc, demotenant.StartDemo, release))
	return m, b, release
}

// The window shows before the demo tenant is up (its seeding may wait on
// the keyring): a progress line first, then the banner and the demo
// profiles on every screen.
func TestTheWindowShowsBeforeTheStartupFinishes(t *testing.T) {
	m, b, release := startDemoOnRelease(t)
	var shown []string
	for _, o := range test.LaidOutObjects(m.win.Content()) {
		shown = append(shown, textOf(o))
	}
	if m.start.line == nil || !strings.Contains(strings.Join(shown, "|"), "Starting: loading profiles and the demo tenant") {
		t.Fatalf("no progress line while starting: %q", shown)
	}
	close(release)
	settleWindow(m, b)
	shown = nil
	for _, o := range test.LaidOutObjects(m.win.Content()) {
		shown = append(shown, textOf(o))
	}
	if m.start.line != nil || !strings.Contains(strings.Join(shown, "|"), "Demo tenant at http://127.0.0.1:") || m.exchange.form.profile.Selected == "" {
		t.Fatalf("after startup: profile %q, shown %q", m.exchange.form.profile.Selected, shown)
	}
	m.showScreen(screenMigrate)
	onscreen.Button(t, m.win, "Compare") // it talks to the demo tenant only
}

// Someone who starts typing a token while the demo tenant is still
// starting keeps typing into the same field: the banner that arrives goes
// above the screens, and the window's content (and its focus) stays.
// (Before, the window's content was replaced when the start-up ended, and
// a token typed across that moment lost its caret: a smoke screenshot
// showed its first characters at its end.)
func TestTypingAcrossTheEndOfTheStartupKeepsTheFocusAndTheText(t *testing.T) {
	m, b, release := startDemoOnRelease(t)
	w := m.win
	m.showScreen(screenInspect)
	field := tokenField(t, w)
	w.Canvas().Focus(field)
	content := w.Content()
	test.Type(field, "eyJhbGciOiJIUzI1NiJ9.")
	close(release)
	settleWindow(m, b)
	if !onscreen.Shows(w, "Demo tenant at http://127.0.0.1:") {
		t.Fatalf("no demo banner after the start-up:\n%s", onscreen.Texts(w))
	}
	if w.Content() != content {
		t.Error("the window's content was replaced when the start-up ended")
	}
	if w.Canvas().Focused() != field {
		t.Fatalf("the token field lost the focus when the demo banner arrived (focused: %T)", w.Canvas().Focused())
	}
	test.Type(field, "e30.sig")
	if field.Text != "eyJhbGciOiJIUzI1NiJ9.e30.sig" {
		t.Fatalf("typed across the start-up: %q", field.Text)
	}
}

// Each screenID names its screen.
func TestScreenIDsNameTheirScreens(t *testing.T) {
	m, _ := newTestWindow(t)
	for id, title := range map[screenID]string{screenClients: "Clients", screenExchange: "Exchange", screenInspect: "Inspect", screenMigrate: "Migrate"} {
		m.showScreen(id)
		if !m.showing(id) || m.tabs.Selected().Text != title {
			t.Errorf("screen %d shows %q, want %q", id, m.tabs.Selected().Text, title)
		}
	}
}

// TestStartScreenOpensTheNamedScreen: TOKENSCOPE_SCREEN (Services.StartScreen)
// wins over the screen saved last time, and a name that is no screen keeps it.
func TestStartScreenOpensTheNamedScreen(t *testing.T) {
	for _, tc := range []struct {
		start string
		want  screenID
	}{
		{"migrate", screenMigrate},
		{"Clients", screenClients},
		{"Nowhere", screenInspect}, // the saved one
	} {
		a := test.NewTempApp(t)
		a.Preferences().SetInt(prefScreen, int(screenInspect))
		svc := testServices(t)
		svc.StartScreen = tc.start
		w := test.NewTempWindow(t, nil)
		m := newMainWindow(a, w, svc, (&testBridge{}).Do)
		m.restoreState()
		if !m.showing(tc.want) {
			t.Errorf("StartScreen %q: showing %q, want %q", tc.start, m.tabs.Selected().Text, m.screens[tc.want].title)
		}
	}
}

// TestEveryFileAndViewMenuItemShowsAWorkingShortcut: each item of File and
// View names its shortcut, the shortcut is registered on the window (typing
// Ctrl+2 shows Exchange as choosing View → Exchange does), and the help
// lists it.
func TestEveryFileAndViewMenuItemShowsAWorkingShortcut(t *testing.T) {
	a := test.NewTempApp(t)
	m := newMainWindow(a, test.NewWindow(nil), testServices(t), (&testBridge{}).Do)
	help := map[string]bool{}
	for _, h := range shortcutHelp {
		help[h[0]] = true
	}
	names := map[string]string{"1": "Ctrl+1 … Ctrl+6", "2": "Ctrl+1 … Ctrl+6", "3": "Ctrl+1 … Ctrl+6", "4": "Ctrl+1 … Ctrl+6", "5": "Ctrl+1 … Ctrl+6", "6": "Ctrl+1 … Ctrl+6"}
	for _, menu := range m.menu().Items[:2] {
		for _, item := range menu.Items {
			if item.IsSeparator {
				continue
			}
			sc, ok := item.Shortcut.(*desktop.CustomShortcut)
			if !ok {
				t.Errorf("%s → %s shows no shortcut", menu.Label, item.Label)
				continue
			}
			name := names[string(sc.KeyName)]
			if name == "" {
				name = "Ctrl+"
				if sc.Modifier&fyne.KeyModifierShift != 0 {
					name += "Shift+"
				}
				name += string(sc.KeyName)
			}
			if !help[name] {
				t.Errorf("%s → %s: %s is not in the shortcut help", menu.Label, item.Label, name)
			}
		}
	}
	typed := m.win.Canvas().(interface{ TypedShortcut(fyne.Shortcut) })
	for id := screenClients; id <= screenReadiness; id++ {
		typed.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyName(fmt.Sprint(int(id) + 1)), Modifier: fyne.KeyModifierShortcutDefault})
		if !m.showing(id) {
			t.Errorf("Ctrl+%d shows %q", id+1, m.tabs.Selected().Text)
		}
	}
}

// TestTabFollowsTheLayout: Tab walks each form top to bottom and reaches
// the action buttons after the fields they act on, as the eye reads them.
func TestTabFollowsTheLayout(t *testing.T) {
	a := test.NewTempApp(t)
	a.Settings().SetTheme(newTheme())
	svc := testServices(t)
	svc.Profiles.Put(profiles.Profile{Name: "local", Issuer: "https://tenant.example.com/", ClientID: "abc", Auth: "none",
		Endpoints: &profiles.Endpoints{Token: "https://tenant.example.com/oauth/token"}})
	svc.Secrets.Set("local", secrets.RefreshToken, "v1.a-refresh-token")
	b := &testBridge{}
	w := test.NewTempWindow(t, nil)
	m := newMainWindow(a, w, svc, b.Do)
	w.Resize(fyne.NewSize(1200, 800))
	settleWindow(m, b)
	c := w.Canvas()
	// order returns where each of want first takes the focus while Tab
	// walks the window from start, failing when one is never reached.
	order := func(start fyne.Focusable, want ...fyne.Focusable) {
		t.Helper()
		c.Focus(start)
		seen := map[fyne.Focusable]int{}
		for i := 0; i < 200 && len(seen) < len(want); i++ {
			c.FocusNext()
			for _, f := range want {
				if _, ok := seen[f]; !ok && c.Focused() == f {
					seen[f] = len(seen)
				}
			}
		}
		for i, f := range want {
			if got, ok := seen[f]; !ok || got != i {
				t.Errorf("Tab reaches %T #%d at position %d (reached: %v)", f, i, got, ok)
			}
		}
	}
	field := func(label string) fyne.Focusable { return onscreen.FormField(t, w, label).(fyne.Focusable) }
	m.showScreen(screenClients)
	test.Tap(onscreen.Button(t, w, "New"))
	order(field("Name"), field("Domain or issuer"), field("Client ID"), field("Audience"), field("Scope"), field("Parameters"),
		field("Client secret"), field("Refresh token"), onscreen.Button(t, w, "Save"), onscreen.Button(t, w, "Discover"))
	m.showScreen(screenExchange)
	settleWindow(m, b)
	order(field("Audience"), field("Scope"), field("Parameters"), field("Client secret"), field("Refresh token"), onscreen.Button(t, w, "Refresh"), onscreen.Button(t, w, "Copy"))
	m.showScreen(screenMigrate)
	order(onscreen.Button(t, w, "Paste"), onscreen.Button(t, w, "Open…"), onscreen.Button(t, w, "Sample"), onscreen.Button(t, w, "Clear"),
		onscreen.Entry(t, w, "Paste a legacy"), field("Domain"), field("Client auth"), field("Audience"), onscreen.Select(t, w, "curl"),
		onscreen.Check(t, w, "Show secrets in the output"))
	m.showScreen(screenInspect)
	order(onscreen.Button(t, w, "Paste"), onscreen.Button(t, w, "Open…"), onscreen.Button(t, w, "Clear"), tokenField(t, w))
}
