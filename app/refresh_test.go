package app

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/secrets"
	"github.com/tokenscope/tokenscope/internal/testop"
)

type cliWorld struct {
	profiles *profiles.Store
	secrets  *secrets.Memory
	env      map[string]string
}

func newWorld(t *testing.T) *cliWorld {
	return &cliWorld{profiles: &profiles.Store{Path: filepath.Join(t.TempDir(), "profiles.json")}, secrets: &secrets.Memory{}, env: map[string]string{}}
}

func (w *cliWorld) run(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return w.env[k] },
		Now: func() time.Time { return now }, Workspace: wsOf(w.profiles, w.secrets)}
	return RunCommand(e, args), out.String(), errb.String()
}

// addBareProfile adds profile name (client "c", auth none) on a bare token
// server at srvURL with refresh token rt, through the command, and caches
// its token endpoint so no discovery is needed.
func (w *cliWorld) addBareProfile(t *testing.T, name, srvURL, rt string) {
	t.Helper()
	w.env["RT"] = rt
	if code, _, stderr := w.run(t, "", "profile", "add", name, "--issuer", srvURL+"/", "--client-id", "c", "--refresh-token-env", "RT"); code != 0 {
		t.Fatal(stderr)
	}
	if err := w.profiles.Update(name, func(p *profiles.Profile) error {
		p.Endpoints = &profiles.Endpoints{Token: srvURL + "/oauth/token"}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

func TestProfileAddKeepsSecretsInTheKeyringAndOutOfTheFile(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.env["SECRET"], w.env["RT"] = "client-secret-0123456789", "v1.first-refresh-token"
	code, out, stderr := w.run(t, "", "profile", "add", "eu", "--domain", "tenant.eu.auth0.com", "--client-id", "abc", "--auth", "post", "--scope", "openid offline_access", "--client-secret-env", "SECRET", "--refresh-token-env", "RT", "--param", "resource=https://api")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(out, "https://tenant.eu.auth0.com/") {
		t.Fatal(out)
	}
	b, _ := os.ReadFile(w.profiles.Path)
	if bytes.Contains(b, []byte("client-secret-0123456789")) || bytes.Contains(b, []byte("v1.first-refresh-token")) {
		t.Fatalf("a secret reached the profiles file:\n%s", b)
	}
	if v, _ := w.secrets.Get("eu", secrets.RefreshToken); v != "v1.first-refresh-token" {
		t.Fatalf("keyring refresh token %q", v)
	}
	_, out, _ = w.run(t, "", "profile", "show", "eu")
	if !strings.Contains(out, "in the OS keyring (clie…(24 chars))") || strings.Contains(out, "client-secret-0123456789") || !strings.Contains(out, "resource=https://api") {
		t.Fatalf("show:\n%s", out)
	}
	_, out, _ = w.run(t, "", "profile", "list", "--json")
	var ps []profiles.Profile
	if json.Unmarshal([]byte(out), &ps) != nil || len(ps) != 1 || ps[0].ClientID != "abc" {
		t.Fatal(out)
	}
	if code, _, _ := w.run(t, "", "profile", "rename", "eu", "prod"); code != 0 {
		t.Fatal("rename failed")
	}
	if v, _ := w.secrets.Get("prod", secrets.ClientSecret); v != "client-secret-0123456789" {
		t.Fatal("the secret did not move with the rename")
	}
	if code, _, _ := w.run(t, "", "profile", "remove", "prod"); code != 0 {
		t.Fatal("remove failed")
	}
	if _, err := w.secrets.Get("prod", secrets.RefreshToken); err == nil {
		t.Fatal("remove left the refresh token in the keyring")
	}
}

func TestRefreshWithAProfileStoresTheRotatedToken(t *testing.T) {
	t.Parallel()
	srv := testop.NewRotatingTokens(t, "v1.first-refresh-token")
	w := newWorld(t)
	w.env["RT"], w.env["SECRET"] = "v1.first-refresh-token", "client-secret-0123456789"
	w.run(t, "", "profile", "add", "local", "--issuer", srv.URL+"/", "--client-id", "abc", "--auth", "post", "--scope", "openid", "--client-secret-env", "SECRET", "--refresh-token-env", "RT")
	// Cache the endpoint so no discovery is needed against this bare server.
	p, _ := w.profiles.Get("local")
	p.Endpoints = &profiles.Endpoints{Token: srv.URL + "/oauth/token"}
	w.profiles.Put(p)

	code, out, stderr := w.run(t, "", "refresh", "--profile", "local", "--json", "--param", "resource=https://api")
	if code != 0 {
		t.Fatalf("exit %d %s %s", code, out, stderr)
	}
	var got RefreshOutput
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got.Status != 200 || !got.Rotated || !got.Stored || got.Error != nil || got.Response["access_token"] != testop.RotatedAccessToken(1) || got.TokenEndpoint != srv.URL+"/oauth/token" {
		t.Fatalf("%+v", got)
	}
	if rt := got.Response["refresh_token"].(string); strings.Contains(rt, "rotated-refresh-token") {
		t.Fatalf("the refresh token is not masked: %q", rt)
	}
	if v, _ := w.secrets.Get("local", secrets.RefreshToken); v != testop.RotatedRefreshToken(1) {
		t.Fatalf("keyring holds %q", v)
	}
	forms := srv.Requests()
	last := forms[len(forms)-1]
	if last.Get("client_secret") != "client-secret-0123456789" || last.Get("resource") != "https://api" || last.Get("scope") != "openid" {
		t.Fatalf("sent %v", last)
	}
	// The next refresh uses the stored, rotated token.
	if code, out, _ := w.run(t, "", "refresh", "--profile", "local"); code != 0 || !strings.Contains(out, "replaced the old in the OS keyring") {
		t.Fatalf("second refresh: exit %d\n%s", code, out)
	}
	hist, _ := os.ReadFile(filepath.Join(filepath.Dir(w.profiles.Path), "history.json"))
	if !bytes.Contains(hist, []byte(`"profile": "local"`)) || bytes.Contains(hist, []byte("rotated-refresh-token")) {
		t.Fatalf("history:\n%s", hist)
	}
}

func TestRefreshWithoutAProfileNeverLosesARotatedToken(t *testing.T) {
	t.Parallel()
	srv := testop.NewRotatingTokens(t, "v1.first-refresh-token")
	w := newWorld(t)
	code, out, stderr := w.run(t, "v1.first-refresh-token\n", "refresh", "--token-url", srv.URL+"/oauth/token", "--client-id", "abc", "--json")
	if code != 0 {
		t.Fatalf("exit %d %s", code, stderr)
	}
	if !strings.Contains(out, testop.RotatedRefreshToken(1)) || !strings.Contains(stderr, "only copy") {
		t.Fatalf("the new token must be shown when it cannot be stored:\n%s\n%s", out, stderr)
	}
}

func TestRefreshErrorsExitOneAndUsageErrorsTwo(t *testing.T) {
	t.Parallel()
	srv := testop.NewRotatingTokens(t, "v1.first-refresh-token")
	w := newWorld(t)
	w.env["RT"] = "v1.already-spent"
	code, out, _ := w.run(t, "", "refresh", "--token-url", srv.URL+"/oauth/token", "--client-id", "abc", "--refresh-token-env", "RT", "--json")
	var got RefreshOutput
	json.Unmarshal([]byte(out), &got)
	if code != 1 || got.Status != 403 || got.Error == nil || got.Error.Code != "invalid_grant" || !strings.Contains(got.Error.Hint, "sign in again") {
		t.Fatalf("exit %d %s", code, out)
	}
	for name, args := range map[string][]string{
		"no source":        {"refresh", "--client-id", "abc"},
		"two sources":      {"refresh", "--token-url", "https://a/t", "--issuer", "https://a/"},
		"unknown profile":  {"refresh", "--profile", "nope"},
		"no client id":     {"refresh", "--token-url", "https://a/t", "--refresh-token-env", "RT"},
		"post, no secret":  {"refresh", "--token-url", "https://a/t", "--client-id", "a", "--auth", "post", "--refresh-token-env", "RT"},
		"bad param":        {"refresh", "--token-url", "https://a/t", "--client-id", "a", "--param", "novalue", "--refresh-token-env", "RT"},
		"reserved param":   {"refresh", "--token-url", "https://a/t", "--client-id", "a", "--param", "grant_type=password", "--refresh-token-env", "RT"},
		"plain http":       {"refresh", "--token-url", "http://tenant.example.com/oauth/token", "--client-id", "a", "--refresh-token-env", "RT"},
		"profile no verb":  {"profile"},
		"add both sources": {"profile", "add", "x", "--domain", "a", "--issuer", "https://a/", "--client-id", "c"},
	} {
		code, _, stderr := w.run(t, "", args...)
		if code != 2 || stderr == "" {
			t.Errorf("%s: exit %d stderr %q", name, code, stderr)
		}
	}
}

// profile add refuses what would later go wrong: a taken name without
// --replace, names that cannot be keyring accounts, issuers with user info
// or a query, and parameters Tokenscope sets itself.
func TestProfileAddRefusesBadInputAtAddTime(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	if code, _, stderr := w.run(t, "", "profile", "add", "eu", "--domain", "tenant.eu.auth0.com", "--client-id", "a"); code != 0 {
		t.Fatal(stderr)
	}
	cases := map[string][]string{
		"already exists":           {"eu", "--domain", "tenant.eu.auth0.com", "--client-id", "b"},
		"letters, digits":          {"my profile", "--domain", "tenant.eu.auth0.com", "--client-id", "a"},
		"longer than 64":           {strings.Repeat("p", 65), "--domain", "tenant.eu.auth0.com", "--client-id", "a"},
		"user name or password":    {"x", "--issuer", "https://admin:hunter2@tenant.eu.auth0.com/", "--client-id", "a"},
		"query string":             {"x", "--issuer", "https://tenant.eu.auth0.com/?x=1", "--client-id", "a"},
		"plain http":               {"x", "--issuer", "http://tenant.eu.auth0.com/", "--client-id", "a"},
		"set by Tokenscope itself": {"x", "--domain", "tenant.eu.auth0.com", "--client-id", "a", "--param", "refresh_token=x"},
	}
	for want, args := range cases {
		code, _, stderr := w.run(t, "", append([]string{"profile", "add"}, args...)...)
		if code != 2 || !strings.Contains(stderr, want) || strings.Contains(stderr, "hunter2") {
			t.Errorf("%v: exit %d, %q (want %q)", args, code, stderr, want)
		}
	}
	code, out, stderr := w.run(t, "", "profile", "add", "eu", "--replace", "--domain", "tenant.eu.auth0.com", "--client-id", "b")
	if code != 0 || !strings.Contains(out, "Replaced profile eu") {
		t.Fatalf("--replace: exit %d %q %q", code, out, stderr)
	}
}
