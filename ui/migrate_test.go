package ui

import (
	"io"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/secrets"
	"github.com/tokenscope/tokenscope/internal/workspace"
)

type migrateHarness struct {
	s        *migrateScreen
	bridge   *testBridge
	secrets  *secrets.Memory
	profiles *profiles.Store
}

func newTestMigrate(t *testing.T) *migrateHarness {
	t.Helper()
	test.NewTempApp(t).Settings().SetTheme(newTheme())
	w := test.NewTempWindow(t, nil)
	h := &migrateHarness{bridge: &testBridge{}}
	h.secrets = &secrets.Memory{}
	h.profiles = &profiles.Store{Path: filepath.Join(t.TempDir(), "profiles.json")}
	ws := workspace.New(h.profiles.Path, h.secrets)
	ws.Profiles = h.profiles
	h.s = newMigrateScreen(&Services{Workspace: ws}, w, h.bridge.Do)
	w.SetContent(h.s.view())
	w.Resize(fyne.NewSize(1200, 800))
	return h
}

func (h *migrateHarness) settle() { settle(h.bridge, &h.s.busy) }

func TestTheSampleBecomesACurlRefreshRequestWithFindings(t *testing.T) {
	h := newTestMigrate(t)
	test.Tap(h.s.sample)
	h.settle()
	s := h.s
	if !strings.Contains(s.detected.Text, "curl command") {
		t.Fatalf("detected %q", s.detected.Text)
	}
	out := s.output.Text
	if !strings.Contains(out, "https://tenant.eu.auth0.com/oauth/token") || !strings.Contains(out, `"refresh_token": "$REFRESH_TOKEN"`) || strings.Contains(out, "v1.MRrT3gL0b") {
		t.Fatalf("output:\n%s", out)
	}
	var msgs []string
	for _, o := range s.findings.Objects {
		for _, l := range test.LaidOutObjects(o) {
			if txt := textOf(l); txt != "" {
				msgs = append(msgs, txt)
			}
		}
	}
	joined := strings.Join(msgs, "\n")
	if !strings.Contains(joined, "nickname") || !strings.Contains(joined, "device") {
		t.Fatalf("findings:\n%s", joined)
	}

	s.format.SetSelected("form")
	if !strings.HasPrefix(s.output.Text, "grant_type=refresh_token&client_id=mY8tQj2ZpWk1Lx0c&refresh_token=%24REFRESH_TOKEN") {
		t.Fatalf("form output %q", s.output.Text)
	}
	s.auth.SetSelected(authLabels[3]) // basic
	s.format.SetSelected("http")
	if !strings.Contains(s.output.Text, "Authorization: Basic <base64 of mY8tQj2ZpWk1Lx0c:$CLIENT_SECRET>") {
		t.Fatalf("http output %q", s.output.Text)
	}
	test.Tap(s.reveal)
	if !strings.Contains(s.output.Text, "v1.MRrT3gL0b_Zqk9xY2wV4uT6sR8q") {
		t.Fatal("Show secrets did not reveal the refresh token")
	}
	test.Tap(s.copyBtn)
	if got := fyne.CurrentApp().Clipboard().Content(); got != s.output.Text {
		t.Fatal("Copy did not copy the output")
	}
}

func TestAHARShowsEachDelegationCallWithItsStatus(t *testing.T) {
	h := newTestMigrate(t)
	h.s.input.SetText(`{"log":{"entries":[
	{"request":{"method":"POST","url":"https://t.auth0.com/delegation","postData":{"mimeType":"application/x-www-form-urlencoded","text":"grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&client_id=a&refresh_token=r"}}},
	{"request":{"method":"GET","url":"https://t.auth0.com/userinfo"}},
	{"request":{"method":"POST","url":"https://t.auth0.com/delegation","postData":{"mimeType":"application/x-www-form-urlencoded","text":"grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&client_id=a&id_token=x"}}}]}}`)
	h.settle()
	s := h.s
	if s.listBox.Hidden || s.requests.Length() != 2 || !strings.Contains(s.detected.Text, "2 legacy calls found: 1 migratable, 1 blocked (1 other entry skipped)") {
		t.Fatalf("detected %q, %d in the list", s.detected.Text, s.requests.Length())
	}
	if !strings.Contains(s.status.Text, "HAR entry 1: migrated") {
		t.Fatalf("status %q", s.status.Text)
	}
	s.requests.Select(1)
	if !strings.Contains(s.status.Text, "HAR entry 3: cannot be migrated") || s.output.Text != "" || !s.copyBtn.Disabled() {
		t.Fatalf("status %q output %q", s.status.Text, s.output.Text)
	}
}

func TestUnreadableInputSaysWhere(t *testing.T) {
	h := newTestMigrate(t)
	h.s.input.SetText("{\n \"client_id\": \"a\",\n oops }")
	h.settle()
	if !strings.Contains(h.s.detected.Text, "line 3") {
		t.Fatalf("detected %q", h.s.detected.Text)
	}
}

func TestSaveAsProfileStoresTheClientAndPutsTheSecretsInTheKeyring(t *testing.T) {
	h := newTestMigrate(t)
	h.s.input.SetText("curl https://tenant.eu.auth0.com/delegation -u 'mY8tQj2ZpW:s3cret-value' -d 'grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&refresh_token=v1.r3fresh&scope=openid'")
	h.settle()
	s := h.s
	s.auth.SetSelected(authLabels[3])
	if s.saveBtn.Disabled() {
		t.Fatal("Save as profile is disabled for a migratable request")
	}
	test.Tap(s.saveBtn)
	if s.saveName.Text != "tenant" {
		t.Fatalf("suggested name %q", s.saveName.Text)
	}
	s.saveProfile("eu-tenant")
	h.settle()
	if !strings.Contains(s.status.Text, "Saved profile eu-tenant") || !strings.Contains(s.status.Text, "refresh token and client secret are in the OS keyring") {
		t.Fatalf("status %q", s.status.Text)
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
	h.s.input.SetText("grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&client_id=a&refresh_token=r")
	h.settle()
	if !h.s.saveBtn.Disabled() {
		t.Fatal("a request with the placeholder domain cannot become a profile")
	}
	h.s.domain.SetText("tenant.us.auth0.com")
	if h.s.saveBtn.Disabled() {
		t.Fatal("with a domain given, Save as profile should be enabled")
	}
}

func TestALargeHARStaysOutOfTheFieldAndIsParsed(t *testing.T) {
	h := newTestMigrate(t)
	entry := `{"request":{"method":"GET","url":"https://t.auth0.com/userinfo","headers":[{"name":"Accept","value":"application/json"}]}},`
	har := `{"log":{"entries":[` + strings.Repeat(entry, 2000) +
		`{"request":{"method":"POST","url":"https://t.auth0.com/delegation","postData":{"mimeType":"application/x-www-form-urlencoded","text":"grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&client_id=a&refresh_token=r"}}}]}}`
	h.s.loadFile(io.NopCloser(strings.NewReader(har)))
	h.settle()
	s := h.s
	if !s.input.Disabled() || !strings.Contains(s.input.Text, "KB loaded") {
		t.Fatalf("the field holds %d characters", len(s.input.Text))
	}
	if !strings.Contains(s.detected.Text, "1 legacy call found: 1 migratable, 0 blocked (2000 other entries skipped)") || !strings.Contains(s.status.Text, "HAR entry 2001: migrated") {
		t.Fatalf("detected %q status %q", s.detected.Text, s.status.Text)
	}
	test.Tap(s.clearBtn)
	h.settle()
	if s.input.Disabled() || s.input.Text != "" || s.output.Text != "" {
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
