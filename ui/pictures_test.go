package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/go-jose/go-jose/v4"

	"github.com/tokenscope/tokenscope/internal/exchange"
	"github.com/tokenscope/tokenscope/internal/testop"
	"github.com/tokenscope/tokenscope/internal/testop/onscreen"
)

// The timeline puts the instants in time order on the axis, now included,
// with room for the leeway at both ends.
func TestTheTimelinePlacesTheTimesInOrder(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	span := newTimelineSpan(map[string]time.Time{"iat": now.Add(-time.Hour), "exp": now.Add(time.Hour), "nbf": now.Add(-time.Hour)}, now, time.Minute)
	var names []string
	var xs []float32
	for _, m := range span.Marks {
		names = append(names, m.Name)
		xs = append(xs, span.x(m.At, 600))
	}
	if strings.Join(names, ",") != "iat,nbf,now,exp" {
		t.Fatalf("order %v", names)
	}
	for i := 1; i < len(xs); i++ {
		if xs[i] < xs[i-1] {
			t.Fatalf("positions %v", xs)
		}
	}
	if xs[0] <= 0 || xs[len(xs)-1] >= 600 || span.x(now.Add(time.Hour+time.Minute), 600) > 600 {
		t.Fatalf("no room for the leeway: %v", xs)
	}
	if x := xs[2]; x < 290 || x > 310 {
		t.Fatalf("now is at %v, not in the middle", x)
	}
}

// The history chart has one bar a refresh, oldest on the left, the
// longest full height, failures marked.
func TestTheHistoryChartHasABarARefresh(t *testing.T) {
	base := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	entries := []exchange.Entry{ // newest first, as History.Load returns
		{Time: base.Add(2 * time.Minute), Profile: "p", Status: 403, Error: "invalid_grant", DurationMS: 40},
		{Time: base.Add(time.Minute), Profile: "p", Status: 200, DurationMS: 200},
		{Time: base, Profile: "p", Status: 200, DurationMS: 100},
	}
	bars := historyBars(entries, 30)
	if len(bars) != 3 || bars[0].Height != 0.5 || bars[1].Height != 1 || !bars[1].OK || bars[2].OK {
		t.Fatalf("%+v", bars)
	}
	if got := historyBars(entries, 2); len(got) != 2 {
		t.Fatalf("%d bars for a limit of 2", len(got))
	}
}

// Raw JSON shows the claims indented and coloured, and the timeline is
// drawn; unticking goes back to the explained rows. Read from what is on
// screen: the screen once built new widgets after view() had placed the
// old ones, and a test of its fields passed on an empty pane.
func TestRawJSONShowsTheClaimsAsJSON(t *testing.T) {
	h := newTestInspector(t)
	h.typeToken(testop.Sign(t, jose.RS256, testop.RSAKey(), "k1", auth0Claims()))
	h.settle()
	if !onscreen.Shows(h.win, "Timeline") {
		t.Fatalf("no timeline on screen for a token with times:\n%s", onscreen.Texts(h.win))
	}
	tick := onscreen.Check(t, h.win, "Raw JSON")
	if tick.Disabled() {
		t.Fatalf("the Raw JSON tick box is disabled:\n%s", onscreen.Texts(h.win))
	}
	test.Tap(tick)
	var rt *widget.RichText
	for _, s := range onscreen.Text(h.win, `"iss": "https://tenant.eu.auth0.com/"`) {
		if r, ok := s.Object.(*widget.RichText); ok {
			rt = r
		}
	}
	if rt == nil {
		t.Fatalf("the raw JSON is not on screen:\n%s", onscreen.Texts(h.win))
	}
	lines := 0
	for _, seg := range rt.Segments {
		if !seg.Inline() {
			lines++
		}
	}
	if lines != 9 { // one line a claim, plus the braces
		t.Fatalf("raw JSON %q in %d lines", rt.String(), lines)
	}
	if onscreen.Shows(h.win, "Subject: the user") {
		t.Fatal("the explained rows are still on screen beside the raw JSON")
	}
	test.Tap(tick)
	if onscreen.Shows(h.win, `"iss": "https://tenant.eu.auth0.com/"`) || !onscreen.Shows(h.win, "auth0|") {
		t.Fatalf("unticking did not bring the rows back:\n%s", onscreen.Texts(h.win))
	}
}

// Header values read like claim values (a string without its JSON quotes),
// and an empty inspector says what to do.
func TestHeaderValuesReadLikeClaimsAndEmptyPanesHint(t *testing.T) {
	h := newTestInspector(t)
	if !onscreen.Shows(h.win, "Paste a token above") {
		t.Fatalf("the empty claims pane:\n%s", onscreen.Texts(h.win))
	}
	h.tab(t, "Header")
	if !onscreen.Shows(h.win, "The token's header (alg, kid, typ, …) appears here") {
		t.Fatalf("the empty header pane:\n%s", onscreen.Texts(h.win))
	}
	h.typeToken(testop.Sign(t, jose.RS256, testop.RSAKey(), "k1", auth0Claims()))
	if alg, _ := row(h.win, "alg"); len(alg) == 0 || alg[0] != "RS256" || onscreen.Shows(h.win, `"RS256"`) {
		t.Fatalf("the alg row shows %q:\n%s", alg, onscreen.Texts(h.win))
	}
}

// "expires in …" on the Exchange cards follows the clock.
func TestTheExpiryOnTheCardsTicks(t *testing.T) {
	s, bridge, svc, w := demoExchange(t, "allow")
	test.Tap(onscreen.Button(t, w, "Refresh"))
	settleExchange(s, bridge)
	expiry := onscreen.Label(w, "expires in")
	if expiry == nil {
		t.Fatalf("no expiry on the cards:\n%s", onscreen.Texts(w))
	}
	before := expiry.Text
	now := time.Now().Add(3 * time.Hour)
	svc.Now = func() time.Time { return now }
	s.refreshTimes() // what the window's clock does every second
	if after := onscreen.Label(w, "expires in"); after == nil || after.Text == before || !strings.Contains(after.Text, "expires in 20h") {
		t.Fatalf("before %q; after, the window shows:\n%s", before, onscreen.Texts(w))
	}
}
