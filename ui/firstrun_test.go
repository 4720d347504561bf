package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/tokenscope/tokenscope/internal/testop/onscreen"
)

// TestFirstRunRefreshesADemoTokenAndShowsItInTheInspector: no profiles →
// the demo tenant and its profiles exist → one Refresh on the Exchange
// screen → Inspect shows the access token's claims.
func TestFirstRunRefreshesADemoTokenAndShowsItInTheInspector(t *testing.T) {
	a := test.NewTempApp(t)
	a.Settings().SetTheme(newTheme())
	svc := demoServices(t)
	ps, _ := svc.Profiles.Load()
	if len(ps) != 3 {
		t.Fatalf("demo profiles: %+v", ps)
	}
	b := &testBridge{}
	m := newMainWindow(a, test.NewTempWindow(t, nil), svc, b.Do)
	m.win.Resize(fyne.NewSize(1280, 860))
	settle := func() { settleWindow(m, b) }
	settle()
	m.showScreen(screenExchange)
	if chosenProfile(t, m.win).Selected == "" || onscreen.Button(t, m.win, "Refresh").Disabled() {
		t.Fatalf("the Exchange screen is not ready:\n%s", onscreen.Texts(m.win))
	}
	test.Tap(onscreen.Button(t, m.win, "Refresh"))
	settle()
	if !onscreen.Shows(m.win, "Refreshed: HTTP 200") {
		t.Fatalf("the window shows:\n%s", onscreen.Texts(m.win))
	}
	// The first run's profile, demo-native, gets an opaque access token and
	// an ID token: its Inspect shows the user's claims.
	var inspect []*widget.Button
	for _, s := range onscreen.Text(m.win, "Inspect") {
		if btn, ok := s.Object.(*widget.Button); ok && btn.Text == "Inspect" {
			inspect = append(inspect, btn)
		}
	}
	if len(inspect) != 2 {
		t.Fatalf("%d Inspect buttons on screen:\n%s", len(inspect), onscreen.Texts(m.win))
	}
	test.Tap(inspect[1])
	settle()
	if !m.showing(screenInspect) {
		t.Fatalf("the inspector is not shown: %s", m.tabs.Selected().Text)
	}
	if !onscreen.Shows(m.win, "auth0|demo-user-1") || !onscreen.Shows(m.win, "Audience: who the token is meant for") {
		t.Fatalf("the inspector shows:\n%s", onscreen.Texts(m.win))
	}
}
