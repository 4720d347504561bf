package app

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const legacy = `{"grant_type":"urn:ietf:params:oauth:grant-type:jwt-bearer","client_id":"abc","client_secret":"s3cret","refresh_token":"v1.r3fresh","scope":"openid"}`

func TestMigrateJSONContractMasksSecretsUnlessRevealed(t *testing.T) {
	t.Parallel()
	code, out, _ := run(t, legacy, nil, "migrate", "--json", "--auth", "basic", "--domain", "tenant.eu.auth0.com")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var got []struct {
		Source     struct{ Format, Location string }
		Migratable bool
		Request    *struct {
			Method, URL string
			Headers     map[string]string
			ContentType string `json:"content_type"`
			Body        map[string]string
		}
		Findings []struct{ Severity, Code, Message string }
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	r := got[0]
	if !r.Migratable || r.Source.Format != "json" || r.Request.URL != "https://tenant.eu.auth0.com/oauth/token" || r.Request.ContentType != "application/json" {
		t.Fatalf("%+v", r)
	}
	if r.Request.Body["refresh_token"] != "$REFRESH_TOKEN" || strings.Contains(out, "s3cret") || strings.Contains(out, "v1.r3fresh") {
		t.Fatalf("secrets leaked: %s", out)
	}
	_, out, _ = run(t, legacy, nil, "migrate", "--json", "--auth", "basic", "--reveal")
	if !strings.Contains(out, "v1.r3fresh") || !strings.Contains(out, "Basic YWJjOnMzY3JldA==") {
		t.Fatalf("--reveal should show the secrets: %s", out)
	}
}

func TestMigrateExitCodesAndFindingsOnStderr(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	har := filepath.Join(dir, "session.har")
	os.WriteFile(har, []byte(`{"log":{"entries":[
		{"request":{"method":"POST","url":"https://t.auth0.com/delegation","postData":{"mimeType":"application/json","text":`+jsonQuote(legacy)+`}}},
		{"request":{"method":"GET","url":"https://t.auth0.com/userinfo"}},
		{"request":{"method":"POST","url":"https://t.auth0.com/delegation","postData":{"mimeType":"application/json","text":"{\"grant_type\":\"urn:ietf:params:oauth:grant-type:jwt-bearer\",\"client_id\":\"abc\",\"id_token\":\"x\"}"}}}]}}`), 0o600)
	code, out, stderr := run(t, "", nil, "migrate", "--format", "form", har)
	if code != 1 || !strings.Contains(stderr, "2 legacy calls found: 1 migratable, 1 blocked (1 other entry skipped)") || !strings.Contains(stderr, "HAR entry 3: NOT migratable") {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if strings.TrimSpace(out) != "grant_type=refresh_token&client_id=abc&refresh_token=%24REFRESH_TOKEN&client_secret=%24CLIENT_SECRET&scope=openid" { // post, inferred from the secret in the body
		t.Fatalf("stdout %q", out)
	}
	for name, args := range map[string][]string{
		"bad format": {"migrate", "--format", "yaml"},
		"bad auth":   {"migrate", "--auth", "jwt"},
		"no file":    {"migrate", filepath.Join(dir, "missing.har")},
		"bad json":   {"migrate", "-"},
	} {
		code, _, stderr := run(t, "{nope", nil, args...)
		if code != 2 || stderr == "" {
			t.Errorf("%s: exit %d stderr %q", name, code, stderr)
		}
	}
}

func jsonQuote(s string) string { b, _ := json.Marshal(s); return string(b) }

// A /delegation call for another application's API is classified, and the
// RFC 8693 token exchange comes with it; a subject_token_type in Auth0's
// reserved namespaces is refused before anything is read.
func TestMigrateClassifiesDelegationAndOffersTheTokenExchange(t *testing.T) {
	t.Parallel()
	other := `{"grant_type":"urn:ietf:params:oauth:grant-type:jwt-bearer","client_id":"spa","target":"other-api-client","id_token":"eyJ.x.y","api_type":"app","scope":"openid"}`
	code, out, stderr := run(t, other, nil, "migrate", "--json", "--subject-token-type", "urn:acme:legacy", "--domain", "t.eu.auth0.com")
	var outs []MigrateOutput
	if err := json.Unmarshal([]byte(out), &outs); err != nil || len(outs) != 1 {
		t.Fatalf("exit %d %v\n%s\n%s", code, err, out, stderr)
	}
	o := outs[0]
	if o.Delegation == nil || o.Delegation.Kind != "other_api" || o.Alternative == nil || !strings.Contains(string(o.Alternative.Body), "urn:ietf:params:oauth:grant-type:token-exchange") ||
		!strings.Contains(string(o.Alternative.Body), "urn:acme:legacy") {
		t.Fatalf("delegation %+v alternative %+v", o.Delegation, o.Alternative)
	}
	if code, _, stderr := run(t, other, nil, "migrate", "--subject-token-type", "urn:ietf:params:oauth:token-type:jwt"); code != ExitUsage || !strings.Contains(stderr, "--subject-token-type") {
		t.Fatalf("a reserved type: exit %d %q", code, stderr)
	}
	if _, _, stderr := run(t, other, nil, "migrate", "--domain", "t.eu.auth0.com"); !strings.Contains(stderr, "Alternative, an RFC 8693 token exchange") && !strings.Contains(stderr, "token_exchange") {
		t.Fatalf("the text output does not offer the token exchange:\n%s", stderr)
	}
}
