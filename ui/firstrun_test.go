package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
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
	if m.exchange.profile.Selected == "" || m.exchange.refreshBtn.Disabled() {
		t.Fatalf("the Exchange screen is not ready: %q / %q", m.exchange.profile.Selected, m.exchange.status.Text)
	}
	test.Tap(m.exchange.refreshBtn)
	settle()
	if !strings.Contains(m.exchange.status.Text, "Refreshed: HTTP 200") {
		t.Fatalf("status %q", m.exchange.status.Text)
	}
	// The first run's profile, demo-native, gets an opaque access token and
	// an ID token: its Inspect shows the user's claims.
	var inspect []*widget.Button
	for _, s := range visible(m.win, "Inspect") {
		if btn, ok := s.obj.(*widget.Button); ok && btn.Text == "Inspect" {
			inspect = append(inspect, btn)
		}
	}
	if len(inspect) != 2 {
		t.Fatalf("%d Inspect buttons on screen:\n%s", len(inspect), screenText(m.win))
	}
	test.Tap(inspect[1])
	settle()
	if !m.showing(screenInspect) {
		t.Fatalf("the inspector is not shown: %s", m.tabs.Selected().Text)
	}
	if !shows(m.win, "auth0|demo-user-1") || !shows(m.win, "Audience: who the token is meant for") {
		t.Fatalf("the inspector shows:\n%s", screenText(m.win))
	}
}

func TestTheDemoSampleComparesTheLegacyCallWithItsTwin(t *testing.T) {
	h := newDemoMigrate(t)
	test.Tap(h.s.sample)
	h.settle()
	if h.s.compareBtn.Hidden || h.s.compareBtn.Disabled() {
		t.Fatalf("Compare is not offered for the demo sample: %q", h.s.status.Text)
	}
	test.Tap(h.s.compareBtn)
	h.settle()
	c := h.s.compared
	if c == nil || c.Legacy.Status != 200 || c.New.Status != 200 {
		t.Fatalf("status %q compared %+v", h.s.status.Text, c)
	}
	var texts []string
	for _, o := range test.LaidOutObjects(h.s.compare) {
		texts = append(texts, textOf(o))
	}
	all := strings.Join(texts, "|")
	if !strings.Contains(all, "same") || !strings.Contains(all, "new only") || !strings.Contains(all, "at_hash") {
		t.Fatalf("comparison shows %q", all)
	}
	// The user scrolls back up to the findings.
	h.s.answers.ScrollToTop()
	// Compare spent fresh tokens of its own: Send right after it works
	// with the sample's token (it once failed with invalid_grant).
	test.Tap(h.s.sendBtn)
	h.settle()
	if !strings.Contains(h.s.status.Text, "succeeded (HTTP 200)") {
		t.Fatalf("Send after Compare: %q", h.s.status.Text)
	}
	// The pane scrolls to Send's answer (as far as it can scroll), not
	// left on the findings above it.
	top, view := h.s.answers.Offset.Y, h.s.answers.Size().Height
	y, content := h.s.compare.Position().Y, h.s.answers.Content.Size().Height
	if want := min(y, content-view); top < want-1 || top > want+1 {
		t.Fatalf("Send's answer starts at %v; the pane shows %v to %v, want from %v", y, top, top+view, want)
	}
}

func TestSendRunsTheMigratedRequestAndOffersItsTokensToTheInspector(t *testing.T) {
	test.NewTempApp(t).Settings().SetTheme(newTheme())
	svc := demoServices(t)
	h := &migrateHarness{bridge: &testBridge{}}
	w := test.NewTempWindow(t, nil)
	h.s = newMigrateScreen(svc, w, h.bridge.Do)
	var inspected string
	h.s.inspect = func(tok string) { inspected = tok }
	w.SetContent(h.s.view())
	test.Tap(h.s.sample)
	h.settle()
	if h.s.sendBtn.Disabled() {
		t.Fatalf("Send is not offered: %q", h.s.status.Text)
	}
	test.Tap(h.s.sendBtn)
	h.settle()
	if !strings.Contains(h.s.status.Text, "succeeded (HTTP 200)") {
		t.Fatalf("status %q", h.s.status.Text)
	}
	var texts []string
	for _, o := range test.LaidOutObjects(h.s.compare) {
		if b, ok := o.(*widget.Button); ok && b.Text == "Inspect ID token" {
			test.Tap(b)
		}
		texts = append(texts, textOf(o))
	}
	if strings.Count(inspected, ".") != 2 || !strings.Contains(strings.Join(texts, "|"), "only copy") {
		t.Fatalf("inspected %q; shown %q", inspected, texts)
	}
	// A request with a $CLIENT_SECRET placeholder cannot be sent.
	h.s.auth.SetSelected(authLabels[2])
	if !h.s.sendBtn.Disabled() {
		t.Fatal("Send is offered for a request without its client secret")
	}
}
