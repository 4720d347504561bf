package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/tokenscope/tokenscope/internal/testop/onscreen"
)

// With the demo in use the Readiness screen opens on the demo tenant's
// report: a light per application with its evidence and steps, and the
// rehearsal of the legacy flags switched off; read from the window.
func TestTheReadinessScreenShowsTheDemoReport(t *testing.T) {
	test.NewTempApp(t).Settings().SetTheme(newTheme())
	svc := demoServices(t)
	bridge := &testBridge{}
	w := test.NewTempWindow(t, nil)
	s := newReadinessScreen(svc, w, bridge.Do)
	w.SetContent(s.view())
	w.Resize(fyne.NewSize(1200, 900))
	settle(bridge, &s.busy)
	for _, want := range []string{"Still calling legacy endpoints", "Demo Native App", "Logs: /delegation ×", "Only allowed by a setting", "Ready",
		"Rehearsal", "/delegation (demo-native-app): flags on 200, flags off 403", "its migrated twin works", "1 only allowed by a setting"} {
		if !onscreen.Shows(w, want) {
			t.Errorf("the Readiness screen does not show %q; it shows:\n%s", want, onscreen.Texts(w))
		}
	}
	// A profile that is no Management API client: one sentence, in red.
	s.source.SetSelected("demo-native")
	test.Tap(onscreen.Button(t, w, "Run report"))
	settle(bridge, &s.busy)
	if l := onscreen.Label(w, "The report could not be made"); l == nil || !strings.Contains(l.Text, "Management API") {
		t.Fatalf("the window shows:\n%s", onscreen.Texts(w))
	}
}

// On a fresh machine the demo tenant starts behind the first frame; once
// it is up, the Readiness screen has the demo's report ready.
func TestTheReadinessScreenOpensOnTheDemoOnceTheDemoStarts(t *testing.T) {
	m, b := firstRun(t, testServices(t), nil)
	m.showScreen(screenReadiness)
	settleWindow(m, b)
	if !onscreen.Shows(m.win, "Still calling legacy endpoints") || !onscreen.Shows(m.win, "Rehearsal") {
		t.Fatalf("the Readiness screen shows:\n%s", onscreen.Texts(m.win))
	}
}
