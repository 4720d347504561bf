package ui

import (
	"io"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/secrets"
	"github.com/tokenscope/tokenscope/internal/testop/onscreen"
	"github.com/tokenscope/tokenscope/internal/workspace"
)

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
	return onscreen.Only(t, h.w, "inputs", func(e *widget.Entry) bool { return e.MultiLine })
}

// output is the new request as the output pane shows it.
func (h *migrateHarness) output(t *testing.T) string {
	t.Helper()
	return onscreen.Only(t, h.w, "outputs", func(l *widget.Label) bool { return l.Selectable && l.TextStyle.Monospace }).Text
}

func TestTheSampleBecomesACurlRefreshRequestWithFindings(t *testing.T) {
	h := newTestMigrate(t)
	w := h.w
	test.Tap(onscreen.Button(t, w, "Sample"))
	h.settle()
	if !onscreen.Shows(w, "Detected a curl command") {
		t.Fatalf("the window shows:\n%s", onscreen.Texts(w))
	}
	out := h.output(t)
	if !strings.Contains(out, "https://tenant.eu.auth0.com/oauth/token") || !strings.Contains(out, `"refresh_token": "$REFRESH_TOKEN"`) || strings.Contains(out, "v1.MRrT3gL0b") {
		t.Fatalf("output:\n%s", out)
	}
	// The findings: labels, not the input that says the same words.
	var findings []string
	for _, l := range onscreen.All(w, func(l *widget.Label) bool { return l.Wrapping == fyne.TextWrapWord }) {
		findings = append(findings, l.Text)
	}
	if joined := strings.Join(findings, "\n"); !strings.Contains(joined, "nickname") || !strings.Contains(joined, "device") {
		t.Fatalf("findings:\n%s", joined)
	}

	onscreen.Select(t, w, "form").SetSelected("form")
	if out := h.output(t); !strings.HasPrefix(out, "grant_type=refresh_token&client_id=mY8tQj2ZpWk1Lx0c&refresh_token=%24REFRESH_TOKEN") {
		t.Fatalf("form output %q", out)
	}
	onscreen.FormField(t, w, "Client auth").(*widget.Select).SetSelected(authLabels[3]) // basic
	onscreen.Select(t, w, "http").SetSelected("http")
	if out := h.output(t); !strings.Contains(out, "Authorization: Basic <base64 of mY8tQj2ZpWk1Lx0c:$CLIENT_SECRET>") {
		t.Fatalf("http output %q", out)
	}
	test.Tap(onscreen.Check(t, w, "Show secrets in the output"))
	if !strings.Contains(h.output(t), "v1.MRrT3gL0b_Zqk9xY2wV4uT6sR8q") {
		t.Fatal("Show secrets did not reveal the refresh token")
	}
	test.Tap(onscreen.Button(t, w, "Copy"))
	if got := fyne.CurrentApp().Clipboard().Content(); got != h.output(t) {
		t.Fatal("Copy did not copy the output")
	}
}

func TestAHARShowsEachDelegationCallWithItsStatus(t *testing.T) {
	h := newTestMigrate(t)
	w := h.w
	if onscreen.Shows(w, "HAR entry") {
		t.Fatalf("the list of calls is shown with no input:\n%s", onscreen.Texts(w))
	}
	h.input(t).SetText(`{"log":{"entries":[
	{"request":{"method":"POST","url":"https://t.auth0.com/delegation","postData":{"mimeType":"application/x-www-form-urlencoded","text":"grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&client_id=a&refresh_token=r"}}},
	{"request":{"method":"GET","url":"https://t.auth0.com/userinfo"}},
	{"request":{"method":"POST","url":"https://t.auth0.com/delegation","postData":{"mimeType":"application/x-www-form-urlencoded","text":"grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&client_id=a&id_token=x"}}}]}}`)
	h.settle()
	list := onscreen.List(t, w)
	if list.Length() != 2 || !onscreen.Shows(w, "2 legacy calls found: 1 migratable, 1 blocked (1 other entry skipped)") {
		t.Fatalf("%d calls in the list; the window shows:\n%s", list.Length(), onscreen.Texts(w))
	}
	if !onscreen.Shows(w, "HAR entry 1: migrated") || !onscreen.Shows(w, "HAR entry 3") {
		t.Fatalf("the window shows:\n%s", onscreen.Texts(w))
	}
	list.Select(1)
	if !onscreen.Shows(w, "HAR entry 3: cannot be migrated") || h.output(t) != "" || !onscreen.Button(t, w, "Copy").Disabled() {
		t.Fatalf("the window shows:\n%s", onscreen.Texts(w))
	}
}

func TestUnreadableInputSaysWhere(t *testing.T) {
	h := newTestMigrate(t)
	h.input(t).SetText("{\n \"client_id\": \"a\",\n oops }")
	h.settle()
	if l := onscreen.Label(h.w, "Cannot read this input"); l == nil || !strings.Contains(l.Text, "line 3") {
		t.Fatalf("the window shows:\n%s", onscreen.Texts(h.w))
	}
}

func TestSaveAsProfileStoresTheClientAndPutsTheSecretsInTheKeyring(t *testing.T) {
	h := newTestMigrate(t)
	w := h.w
	h.input(t).SetText("curl https://tenant.eu.auth0.com/delegation -u 'mY8tQj2ZpW:s3cret-value' -d 'grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&refresh_token=v1.r3fresh&scope=openid'")
	h.settle()
	onscreen.FormField(t, w, "Client auth").(*widget.Select).SetSelected(authLabels[3])
	save := onscreen.Button(t, w, "Save as profile…")
	if save.Disabled() {
		t.Fatal("Save as profile is disabled for a migratable request")
	}
	test.Tap(save)
	name := onscreen.FormEntry(t, w, "Profile name")
	if name.Text != "tenant" {
		t.Fatalf("suggested name %q", name.Text)
	}
	name.SetText("eu-tenant")
	test.Tap(onscreen.DialogButton(t, w, "Save"))
	h.settle()
	if !onscreen.Shows(w, "Saved profile eu-tenant") || !onscreen.Shows(w, "refresh token and client secret are in the OS keyring") {
		t.Fatalf("the window shows:\n%s", onscreen.Texts(w))
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
	if !onscreen.Button(t, w, "Save as profile…").Disabled() {
		t.Fatal("a request with the placeholder domain cannot become a profile")
	}
	test.Type(onscreen.FormEntry(t, w, "Domain"), "tenant.us.auth0.com")
	if onscreen.Button(t, w, "Save as profile…").Disabled() {
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
	if !onscreen.Shows(w, "1 legacy call found: 1 migratable, 0 blocked (2000 other entries skipped)") || !onscreen.Shows(w, "HAR entry 2001: migrated") {
		t.Fatalf("the window shows:\n%s", onscreen.Texts(w))
	}
	test.Tap(onscreen.Button(t, w, "Clear"))
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

func TestTheDemoSampleComparesTheLegacyCallWithItsTwin(t *testing.T) {
	h := newDemoMigrate(t)
	w := h.w
	test.Tap(onscreen.Button(t, w, "Sample"))
	h.settle()
	compare := onscreen.Button(t, w, "Compare")
	if compare.Disabled() {
		t.Fatalf("Compare is not offered for the demo sample:\n%s", onscreen.Texts(w))
	}
	test.Tap(compare)
	h.settle()
	if !onscreen.Shows(w, "POST /delegation: HTTP 200\nPOST /oauth/token: HTTP 200") {
		t.Fatalf("the comparison:\n%s", onscreen.Texts(w))
	}
	all := onscreen.LabelTexts(w)
	if !strings.Contains(all, "\nsame\n") || !strings.Contains(all, "new only") || !strings.Contains(all, "at_hash") {
		t.Fatalf("the comparison shows:\n%s", all)
	}
	// The user scrolls back up to the findings.
	heading := onscreen.Label(w, "Side by side")
	scroll := onscreen.ScrollHolding(t, w, heading)
	scroll.ScrollToTop()
	// Compare spent fresh tokens of its own: Send right after it works
	// with the sample's token (it once failed with invalid_grant).
	test.Tap(onscreen.Button(t, w, "Send"))
	h.settle()
	if !onscreen.Shows(w, "succeeded (HTTP 200)") {
		t.Fatalf("Send after Compare:\n%s", onscreen.Texts(w))
	}
	// The pane scrolls to Send's answer, not left on the findings above it.
	onscreen.Frame(w)
	if first := onscreen.Button(t, w, "Inspect access token"); !onscreen.InSight(scroll, first) {
		t.Fatalf("Send's answer is out of sight: the pane shows %v of %v from %v", scroll.Size().Height, scroll.Content.Size().Height, scroll.Offset.Y)
	}
}

func TestSendRunsTheMigratedRequestAndOffersItsTokensToTheInspector(t *testing.T) {
	h := newDemoMigrate(t)
	w := h.w
	var inspected string
	h.s.inspect = func(tok string) { inspected = tok }
	test.Tap(onscreen.Button(t, w, "Sample"))
	h.settle()
	send := onscreen.Button(t, w, "Send")
	if send.Disabled() {
		t.Fatalf("Send is not offered:\n%s", onscreen.Texts(w))
	}
	test.Tap(send)
	h.settle()
	if !onscreen.Shows(w, "succeeded (HTTP 200)") || !onscreen.Shows(w, "only copy") {
		t.Fatalf("after Send:\n%s", onscreen.Texts(w))
	}
	test.Tap(onscreen.Button(t, w, "Inspect ID token"))
	if strings.Count(inspected, ".") != 2 {
		t.Fatalf("inspected %q", inspected)
	}
	// A request with a $CLIENT_SECRET placeholder cannot be sent.
	onscreen.FormField(t, w, "Client auth").(*widget.Select).SetSelected(authLabels[2])
	if !onscreen.Button(t, w, "Send").Disabled() {
		t.Fatal("Send is offered for a request without its client secret")
	}
}

// Changing the input while Send is in flight cancels it: the answer for
// the old request is never shown against the new one.
func TestSendIsCancelledWhenTheInputChanges(t *testing.T) {
	h := newDemoMigrate(t)
	w := h.w
	test.Tap(onscreen.Button(t, w, "Sample"))
	h.settle()
	test.Tap(onscreen.Button(t, w, "Send"))
	onscreen.FormEntry(t, w, "Audience").SetText("https://another.example/api") // the request changes
	h.settle()
	if onscreen.Shows(w, "succeeded") || onscreen.Shows(w, "failed") || onscreen.Shows(w, "Inspect") {
		t.Fatalf("a stale Send result was shown:\n%s", onscreen.Texts(w))
	}
}

// Clear on the Migrate screen removes Send's results: no Inspect button
// opens a token of an input that is gone.
func TestClearRemovesTheOldResults(t *testing.T) {
	h := newDemoMigrate(t)
	w := h.w
	test.Tap(onscreen.Button(t, w, "Sample"))
	h.settle()
	test.Tap(onscreen.Button(t, w, "Send"))
	h.settle()
	if !onscreen.Shows(w, "Inspect ID token") {
		t.Fatalf("Send shows no tokens:\n%s", onscreen.Texts(w))
	}
	test.Tap(onscreen.Button(t, w, "Clear"))
	h.settle()
	if onscreen.Shows(w, "Inspect") || onscreen.Shows(w, "only copy") {
		t.Fatalf("Send's answer is still offered after Clear:\n%s", onscreen.Texts(w))
	}
}

// A request handed over again (Scan's Open in Migrate on the call shown)
// takes the last Send's answer off the screen too: the field's text does
// not change, so nothing else would have.
func TestTheSameRequestHandedOverAgainClearsTheLastSendsAnswer(t *testing.T) {
	h := newDemoMigrate(t)
	w := h.w
	test.Tap(onscreen.Button(t, w, "Sample"))
	h.settle()
	sample := h.input(t).Text
	test.Tap(onscreen.Button(t, w, "Send"))
	h.settle()
	if !onscreen.Shows(w, "Inspect ID token") {
		t.Fatalf("Send shows no tokens:\n%s", onscreen.Texts(w))
	}
	h.s.setInput(sample)
	if onscreen.Shows(w, "Inspect ID token") || onscreen.Shows(w, "only copy") {
		t.Fatalf("the last Send's answer is still there:\n%s", onscreen.Texts(w))
	}
	h.settle()
	if onscreen.Shows(w, "Inspect") || onscreen.Shows(w, "succeeded (HTTP 200)") || !onscreen.Shows(w, "migrated to POST") || onscreen.Button(t, w, "Send").Disabled() {
		t.Fatalf("after the hand-over:\n%s", onscreen.Texts(w))
	}
}
