package ui

import (
	"io"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/secrets"
	"github.com/tokenscope/tokenscope/internal/workspace"
)

// Finders of widgets on screen by what a user sees next to them (used by
// the Migrate, Scan and Clients tests; candidates for visible_test.go).

// formField is the widget of the visible form item labelled label.
func formField(t *testing.T, w fyne.Window, label string) fyne.CanvasObject {
	t.Helper()
	var found []fyne.CanvasObject
	for _, s := range onScreen(w) {
		if f, ok := s.obj.(*widget.Form); ok {
			for _, item := range f.Items {
				if item.Text == label && item.Widget.Visible() {
					found = append(found, item.Widget)
				}
			}
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d visible form fields %q; the window shows:\n%s", len(found), label, screenText(w))
	}
	return found[0]
}

// formEntry is the entry of the visible form item labelled label.
func formEntry(t *testing.T, w fyne.Window, label string) *widget.Entry {
	t.Helper()
	e, ok := formField(t, w, label).(*widget.Entry)
	if !ok {
		t.Fatalf("the field %q is not an entry", label)
	}
	return e
}

// shownWidgets are the visible widgets of type T that match.
func shownWidgets[T fyne.CanvasObject](w fyne.Window, match func(T) bool) []T {
	var out []T
	for _, s := range onScreen(w) {
		if x, ok := s.obj.(T); ok && match(x) {
			out = append(out, x)
		}
	}
	return out
}

// theOne is the one visible widget of type T that matches, named what in
// the failure.
func theOne[T fyne.CanvasObject](t *testing.T, w fyne.Window, what string, match func(T) bool) T {
	t.Helper()
	found := shownWidgets(w, match)
	if len(found) != 1 {
		t.Fatalf("%d visible %s; the window shows:\n%s", len(found), what, screenText(w))
	}
	return found[0]
}

// selectOffering is the visible drop-down that offers option.
func selectOffering(t *testing.T, w fyne.Window, option string) *widget.Select {
	t.Helper()
	return theOne(t, w, "drop-downs offering "+option, func(s *widget.Select) bool {
		for _, o := range s.Options {
			if o == option {
				return true
			}
		}
		return false
	})
}

// visibleList is the one list on screen.
func visibleList(t *testing.T, w fyne.Window) *widget.List {
	t.Helper()
	return theOne(t, w, "lists", func(*widget.List) bool { return true })
}

// entryHinting is the visible entry whose placeholder starts with hint.
func entryHinting(t *testing.T, w fyne.Window, hint string) *widget.Entry {
	t.Helper()
	return theOne(t, w, "entries hinting "+hint, func(e *widget.Entry) bool { return strings.HasPrefix(e.PlaceHolder, hint) })
}

type migrateHarness struct {
	s        *migrateScreen
	w        fyne.Window
	bridge   *testBridge
	secrets  *secrets.Memory
	profiles *profiles.Store
}

func newTestMigrate(t *testing.T) *migrateHarness {
	t.Helper()
	test.NewTempApp(t).Settings().SetTheme(newTheme())
	h := &migrateHarness{bridge: &testBridge{}}
	h.secrets = &secrets.Memory{}
	h.profiles = &profiles.Store{Path: filepath.Join(t.TempDir(), "profiles.json")}
	ws := workspace.New(h.profiles.Path, h.secrets)
	ws.Profiles = h.profiles
	h.show(t, &Services{Workspace: ws})
	h.w.Resize(fyne.NewSize(1200, 800))
	return h
}

// newDemoMigrate is a Migrate screen on a running demo tenant, in a
// window small enough that the answers scroll.
func newDemoMigrate(t *testing.T) *migrateHarness {
	t.Helper()
	test.NewTempApp(t).Settings().SetTheme(newTheme())
	h := &migrateHarness{bridge: &testBridge{}}
	h.show(t, demoServices(t))
	return h
}

func (h *migrateHarness) show(t *testing.T, svc *Services) {
	h.w = test.NewTempWindow(t, nil)
	h.s = newMigrateScreen(svc, h.w, h.bridge.Do)
	h.w.SetContent(h.s.view())
}

func (h *migrateHarness) settle() { settle(h.bridge, &h.s.busy) }

// input is the field the legacy call goes into.
func (h *migrateHarness) input(t *testing.T) *widget.Entry {
	t.Helper()
	return theOne(t, h.w, "inputs", func(e *widget.Entry) bool { return e.MultiLine })
}

// output is the new request as the output pane shows it.
func (h *migrateHarness) output(t *testing.T) string {
	t.Helper()
	return theOne(t, h.w, "outputs", func(l *widget.Label) bool { return l.Selectable && l.TextStyle.Monospace }).Text
}

// labelText is every visible label's text (not the entries'), one a line.
func labelText(w fyne.Window) string {
	var out []string
	for _, l := range shownWidgets(w, func(*widget.Label) bool { return true }) {
		out = append(out, l.Text)
	}
	return strings.Join(out, "\n")
}

func TestTheSampleBecomesACurlRefreshRequestWithFindings(t *testing.T) {
	h := newTestMigrate(t)
	w := h.w
	test.Tap(visibleButton(t, w, "Sample"))
	h.settle()
	if !shows(w, "Detected a curl command") {
		t.Fatalf("the window shows:\n%s", screenText(w))
	}
	out := h.output(t)
	if !strings.Contains(out, "https://tenant.eu.auth0.com/oauth/token") || !strings.Contains(out, `"refresh_token": "$REFRESH_TOKEN"`) || strings.Contains(out, "v1.MRrT3gL0b") {
		t.Fatalf("output:\n%s", out)
	}
	// The findings: labels, not the input that says the same words.
	var findings []string
	for _, l := range shownWidgets(w, func(l *widget.Label) bool { return l.Wrapping == fyne.TextWrapWord }) {
		findings = append(findings, l.Text)
	}
	if joined := strings.Join(findings, "\n"); !strings.Contains(joined, "nickname") || !strings.Contains(joined, "device") {
		t.Fatalf("findings:\n%s", joined)
	}

	selectOffering(t, w, "form").SetSelected("form")
	if out := h.output(t); !strings.HasPrefix(out, "grant_type=refresh_token&client_id=mY8tQj2ZpWk1Lx0c&refresh_token=%24REFRESH_TOKEN") {
		t.Fatalf("form output %q", out)
	}
	formField(t, w, "Client auth").(*widget.Select).SetSelected(authLabels[3]) // basic
	selectOffering(t, w, "http").SetSelected("http")
	if out := h.output(t); !strings.Contains(out, "Authorization: Basic <base64 of mY8tQj2ZpWk1Lx0c:$CLIENT_SECRET>") {
		t.Fatalf("http output %q", out)
	}
	test.Tap(tickBox(t, w, "Show secrets in the output"))
	if !strings.Contains(h.output(t), "v1.MRrT3gL0b_Zqk9xY2wV4uT6sR8q") {
		t.Fatal("Show secrets did not reveal the refresh token")
	}
	test.Tap(visibleButton(t, w, "Copy"))
	if got := fyne.CurrentApp().Clipboard().Content(); got != h.output(t) {
		t.Fatal("Copy did not copy the output")
	}
}

func TestAHARShowsEachDelegationCallWithItsStatus(t *testing.T) {
	h := newTestMigrate(t)
	w := h.w
	if shows(w, "HAR entry") {
		t.Fatalf("the list of calls is shown with no input:\n%s", screenText(w))
	}
	h.input(t).SetText(`{"log":{"entries":[
	{"request":{"method":"POST","url":"https://t.auth0.com/delegation","postData":{"mimeType":"application/x-www-form-urlencoded","text":"grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&client_id=a&refresh_token=r"}}},
	{"request":{"method":"GET","url":"https://t.auth0.com/userinfo"}},
	{"request":{"method":"POST","url":"https://t.auth0.com/delegation","postData":{"mimeType":"application/x-www-form-urlencoded","text":"grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&client_id=a&id_token=x"}}}]}}`)
	h.settle()
	list := visibleList(t, w)
	if list.Length() != 2 || !shows(w, "2 legacy calls found: 1 migratable, 1 blocked (1 other entry skipped)") {
		t.Fatalf("%d calls in the list; the window shows:\n%s", list.Length(), screenText(w))
	}
	if !shows(w, "HAR entry 1: migrated") || !shows(w, "HAR entry 3") {
		t.Fatalf("the window shows:\n%s", screenText(w))
	}
	list.Select(1)
	if !shows(w, "HAR entry 3: cannot be migrated") || h.output(t) != "" || !visibleButton(t, w, "Copy").Disabled() {
		t.Fatalf("the window shows:\n%s", screenText(w))
	}
}

func TestUnreadableInputSaysWhere(t *testing.T) {
	h := newTestMigrate(t)
	h.input(t).SetText("{\n \"client_id\": \"a\",\n oops }")
	h.settle()
	if l := visibleLabel(h.w, "Cannot read this input"); l == nil || !strings.Contains(l.Text, "line 3") {
		t.Fatalf("the window shows:\n%s", screenText(h.w))
	}
}

func TestSaveAsProfileStoresTheClientAndPutsTheSecretsInTheKeyring(t *testing.T) {
	h := newTestMigrate(t)
	w := h.w
	h.input(t).SetText("curl https://tenant.eu.auth0.com/delegation -u 'mY8tQj2ZpW:s3cret-value' -d 'grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&refresh_token=v1.r3fresh&scope=openid'")
	h.settle()
	formField(t, w, "Client auth").(*widget.Select).SetSelected(authLabels[3])
	save := visibleButton(t, w, "Save as profile…")
	if save.Disabled() {
		t.Fatal("Save as profile is disabled for a migratable request")
	}
	test.Tap(save)
	name := formEntry(t, w, "Profile name")
	if name.Text != "tenant" {
		t.Fatalf("suggested name %q", name.Text)
	}
	name.SetText("eu-tenant")
	test.Tap(dialogButton(t, w, "Save"))
	h.settle()
	if !shows(w, "Saved profile eu-tenant") || !shows(w, "refresh token and client secret are in the OS keyring") {
		t.Fatalf("the window shows:\n%s", screenText(w))
	}
	ps, err := h.profiles.Load()
	if err != nil || len(ps) != 1 || ps[0].ClientID != "mY8tQj2ZpW" || ps[0].Issuer != "https://tenant.eu.auth0.com/" || ps[0].Auth != "basic" || ps[0].Scope != "openid" {
		t.Fatalf("profiles %+v %v", ps, err)
	}
	if v, _ := h.secrets.Get("eu-tenant", secrets.RefreshToken); v != "v1.r3fresh" {
		t.Fatalf("refresh token in the store: %q", v)
	}
	if v, _ := h.secrets.Get("eu-tenant", secrets.ClientSecret); v != "s3cret-value" {
		t.Fatalf("client secret in the store: %q", v)
	}
}

func TestSaveAsProfileIsOfferedOnlyWithARealDomain(t *testing.T) {
	h := newTestMigrate(t)
	w := h.w
	h.input(t).SetText("grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&client_id=a&refresh_token=r")
	h.settle()
	if !visibleButton(t, w, "Save as profile…").Disabled() {
		t.Fatal("a request with the placeholder domain cannot become a profile")
	}
	test.Type(formEntry(t, w, "Domain"), "tenant.us.auth0.com")
	if visibleButton(t, w, "Save as profile…").Disabled() {
		t.Fatal("with a domain given, Save as profile should be enabled")
	}
}

func TestALargeHARStaysOutOfTheFieldAndIsParsed(t *testing.T) {
	h := newTestMigrate(t)
	w := h.w
	entry := `{"request":{"method":"GET","url":"https://t.auth0.com/userinfo","headers":[{"name":"Accept","value":"application/json"}]}},`
	har := `{"log":{"entries":[` + strings.Repeat(entry, 2000) +
		`{"request":{"method":"POST","url":"https://t.auth0.com/delegation","postData":{"mimeType":"application/x-www-form-urlencoded","text":"grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&client_id=a&refresh_token=r"}}}]}}`
	h.s.loadFile(io.NopCloser(strings.NewReader(har))) // as File → Open Legacy Request does
	h.settle()
	if in := h.input(t); !in.Disabled() || !strings.Contains(in.Text, "KB loaded") {
		t.Fatalf("the field holds %d characters", len(in.Text))
	}
	if !shows(w, "1 legacy call found: 1 migratable, 0 blocked (2000 other entries skipped)") || !shows(w, "HAR entry 2001: migrated") {
		t.Fatalf("the window shows:\n%s", screenText(w))
	}
	test.Tap(visibleButton(t, w, "Clear"))
	h.settle()
	if in := h.input(t); in.Disabled() || in.Text != "" || h.output(t) != "" {
		t.Fatal("Clear did not reset the screen")
	}
}

// The suggested profile name is the tenant, never "127" for a loopback
// address, and never a name that is taken.
func TestSaveAsProfileSuggestsAUsefulName(t *testing.T) {
	for _, c := range []struct{ host, client, want string }{
		{"tenant.eu.auth0.com", "abc", "tenant"},
		{"127.0.0.1", "demo-native-app", "demo-native-app"},
		{"localhost", "my app", "my-app"},
	} {
		if got := suggestProfileName(c.host, c.client, map[string]bool{}); got != c.want {
			t.Errorf("%s/%s: %q, want %q", c.host, c.client, got, c.want)
		}
	}
	if got := suggestProfileName("tenant.eu.auth0.com", "abc", map[string]bool{"tenant": true, "tenant-2": true}); got != "tenant-3" {
		t.Errorf("taken: %q", got)
	}
}

// inSight reports whether o lies wholly inside the scroll's viewport.
func inSight(scroll *container.Scroll, o fyne.CanvasObject) bool {
	d := fyne.CurrentApp().Driver()
	top := d.AbsolutePositionForObject(o).Y - d.AbsolutePositionForObject(scroll).Y
	return top >= -1 && top+o.Size().Height <= scroll.Size().Height+1
}

// scrollHolding is the visible scroll container with o inside it.
func scrollHolding(t *testing.T, w fyne.Window, o fyne.CanvasObject) *container.Scroll {
	t.Helper()
	return theOne(t, w, "scrolls holding the answer", func(s *container.Scroll) bool {
		for _, x := range under(s.Content) {
			if x.obj == o {
				return true
			}
		}
		return false
	})
}

func TestTheDemoSampleComparesTheLegacyCallWithItsTwin(t *testing.T) {
	h := newDemoMigrate(t)
	w := h.w
	test.Tap(visibleButton(t, w, "Sample"))
	h.settle()
	compare := visibleButton(t, w, "Compare")
	if compare.Disabled() {
		t.Fatalf("Compare is not offered for the demo sample:\n%s", screenText(w))
	}
	test.Tap(compare)
	h.settle()
	if !shows(w, "POST /delegation: HTTP 200\nPOST /oauth/token: HTTP 200") {
		t.Fatalf("the comparison:\n%s", screenText(w))
	}
	all := labelText(w)
	if !strings.Contains(all, "\nsame\n") || !strings.Contains(all, "new only") || !strings.Contains(all, "at_hash") {
		t.Fatalf("the comparison shows:\n%s", all)
	}
	// The user scrolls back up to the findings.
	heading := visibleLabel(w, "Side by side")
	scroll := scrollHolding(t, w, heading)
	scroll.ScrollToTop()
	// Compare spent fresh tokens of its own: Send right after it works
	// with the sample's token (it once failed with invalid_grant).
	test.Tap(visibleButton(t, w, "Send"))
	h.settle()
	if !shows(w, "succeeded (HTTP 200)") {
		t.Fatalf("Send after Compare:\n%s", screenText(w))
	}
	// The pane scrolls to Send's answer, not left on the findings above it.
	frame(w)
	if first := visibleButton(t, w, "Inspect access token"); !inSight(scroll, first) {
		t.Fatalf("Send's answer is out of sight: the pane shows %v of %v from %v", scroll.Size().Height, scroll.Content.Size().Height, scroll.Offset.Y)
	}
}

func TestSendRunsTheMigratedRequestAndOffersItsTokensToTheInspector(t *testing.T) {
	h := newDemoMigrate(t)
	w := h.w
	var inspected string
	h.s.inspect = func(tok string) { inspected = tok }
	test.Tap(visibleButton(t, w, "Sample"))
	h.settle()
	send := visibleButton(t, w, "Send")
	if send.Disabled() {
		t.Fatalf("Send is not offered:\n%s", screenText(w))
	}
	test.Tap(send)
	h.settle()
	if !shows(w, "succeeded (HTTP 200)") || !shows(w, "only copy") {
		t.Fatalf("after Send:\n%s", screenText(w))
	}
	test.Tap(visibleButton(t, w, "Inspect ID token"))
	if strings.Count(inspected, ".") != 2 {
		t.Fatalf("inspected %q", inspected)
	}
	// A request with a $CLIENT_SECRET placeholder cannot be sent.
	formField(t, w, "Client auth").(*widget.Select).SetSelected(authLabels[2])
	if !visibleButton(t, w, "Send").Disabled() {
		t.Fatal("Send is offered for a request without its client secret")
	}
}

// Changing the input while Send is in flight cancels it: the answer for
// the old request is never shown against the new one.
func TestSendIsCancelledWhenTheInputChanges(t *testing.T) {
	h := newDemoMigrate(t)
	w := h.w
	test.Tap(visibleButton(t, w, "Sample"))
	h.settle()
	test.Tap(visibleButton(t, w, "Send"))
	formEntry(t, w, "Audience").SetText("https://another.example/api") // the request changes
	h.settle()
	if shows(w, "succeeded") || shows(w, "failed") || shows(w, "Inspect") {
		t.Fatalf("a stale Send result was shown:\n%s", screenText(w))
	}
}

// Clear on the Migrate screen removes Send's results: no Inspect button
// opens a token of an input that is gone.
func TestClearRemovesTheOldResults(t *testing.T) {
	h := newDemoMigrate(t)
	w := h.w
	test.Tap(visibleButton(t, w, "Sample"))
	h.settle()
	test.Tap(visibleButton(t, w, "Send"))
	h.settle()
	if !shows(w, "Inspect ID token") {
		t.Fatalf("Send shows no tokens:\n%s", screenText(w))
	}
	test.Tap(visibleButton(t, w, "Clear"))
	h.settle()
	if shows(w, "Inspect") || shows(w, "only copy") {
		t.Fatalf("Send's answer is still offered after Clear:\n%s", screenText(w))
	}
}

// A request handed over again (Scan's Open in Migrate on the call shown)
// takes the last Send's answer off the screen too: the field's text does
// not change, so nothing else would have.
func TestTheSameRequestHandedOverAgainClearsTheLastSendsAnswer(t *testing.T) {
	h := newDemoMigrate(t)
	w := h.w
	test.Tap(visibleButton(t, w, "Sample"))
	h.settle()
	sample := h.input(t).Text
	test.Tap(visibleButton(t, w, "Send"))
	h.settle()
	if !shows(w, "Inspect ID token") {
		t.Fatalf("Send shows no tokens:\n%s", screenText(w))
	}
	h.s.setInput(sample)
	if shows(w, "Inspect ID token") || shows(w, "only copy") {
		t.Fatalf("the last Send's answer is still there:\n%s", screenText(w))
	}
	h.settle()
	if shows(w, "Inspect") || shows(w, "succeeded (HTTP 200)") || !shows(w, "migrated to POST") || visibleButton(t, w, "Send").Disabled() {
		t.Fatalf("after the hand-over:\n%s", screenText(w))
	}
}
