package app

import (
	"bytes"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/go-jose/go-jose/v4"

	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/secrets"
	"github.com/tokenscope/tokenscope/internal/testop"
	"github.com/tokenscope/tokenscope/internal/tokens"
	"github.com/tokenscope/tokenscope/internal/workspace"
)

var now = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func run(t *testing.T, stdin string, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }, Now: func() time.Time { return now }}
	code := RunCommand(e, args)
	return code, out.String(), errb.String()
}

func TestDecodeJSONFollowsTheDocumentedContract(t *testing.T) {
	t.Parallel()
	tok := testop.Sign(t, jose.HS256, []byte("0123456789abcdef0123456789abcdef"), "k1", map[string]any{"sub": "a", "exp": now.Add(-time.Hour).Unix()})
	code, out, stderr := run(t, "Bearer "+tok+"\n", nil, "decode", "--json", "-")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var got struct {
		Kind     string            `json:"kind"`
		Header   map[string]any    `json:"header"`
		Claims   map[string]any    `json:"claims"`
		Times    map[string]string `json:"times"`
		Findings []struct{ Severity, Code, Message string }
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got.Kind != "jws" || got.Header["alg"] != "HS256" || got.Claims["sub"] != "a" || got.Times["exp"] != "2026-11-26T11:00:00Z" {
		t.Fatalf("got %+v", got)
	}
	codes := map[string]bool{}
	for _, f := range got.Findings {
		codes[f.Code] = true
	}
	if !codes["expired"] || !codes["prefix_stripped"] {
		t.Fatalf("findings %v", codes)
	}
}

func TestDecodeExitCodes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, input string
		code        int
		stderr      string
	}{
		{"opaque", "9tQ2mTjW1ZbB7x0yQ3cQkz0qZ2l5WcB1", 0, ""},
		{"jwe", "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..aXY.Y3Q.dGFn", 0, ""},
		{"header not json", "aGVsbG8.e30.c2ln", 2, "header (segment 1) is not JSON"},
		{"empty stdin", "", 2, "no token given"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := run(t, c.input, nil, "decode")
			if code != c.code || !strings.Contains(stderr, c.stderr) {
				t.Fatalf("exit %d stderr %q", code, stderr)
			}
			if c.code == 2 && strings.Count(stderr, "\n") != 1 {
				t.Fatalf("want one line on stderr, got %q", stderr)
			}
		})
	}
}

func TestOpaqueDecodeJSONHasNullHeaderAndClaims(t *testing.T) {
	t.Parallel()
	_, out, _ := run(t, "", nil, "decode", "--json", "9tQ2mTjW1ZbB7x0yQ3cQkz0qZ2l5WcB1")
	if !strings.Contains(out, `"header": null`) || !strings.Contains(out, `"claims": null`) || !strings.Contains(out, `"opaque_token"`) {
		t.Fatal(out)
	}
}

// An OpenID provider on loopback: discovery and JWKS, counting key fetches.
func provider(t *testing.T, key *rsa.PrivateKey) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	var srv *httptest.Server
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]string{"issuer": srv.URL + "/", "token_endpoint": srv.URL + "/oauth/token", "jwks_uri": srv.URL + "/.well-known/jwks.json"})
	})
	mux.HandleFunc("/.well-known/jwks.json", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
	})
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// An attacker who signs a token and publishes the key at the URL its iss
// names gets exit 1 and a signature row that says so: the token does not
// vouch for itself. Naming the issuer makes the same keys trusted.
func TestVerifyTrustsTheIssuerYouNameNeverTheTokensOwn(t *testing.T) {
	t.Parallel()
	key := testop.RSAKey()
	srv := provider(t, key)
	iss := srv.URL + "/"
	good := testop.Sign(t, jose.RS256, key, "k1", map[string]any{"iss": iss, "aud": "api", "exp": now.Add(time.Hour).Unix()})
	code, out, _ := run(t, "", nil, "verify", "--json", "--audience", "api", good)
	if code != 1 || !strings.Contains(out, `"valid": false`) || !strings.Contains(out, "the issuer the token names itself") ||
		!strings.Contains(out, srv.URL+"/.well-known/jwks.json") || !strings.Contains(out, "--issuer "+iss) {
		t.Fatalf("self-vouching token: exit %d\n%s", code, out)
	}
	code, out, stderr := run(t, "", nil, "verify", "--json", "--audience", "api", "--issuer", iss, good)
	if code != 0 {
		t.Fatalf("exit %d: %s %s", code, out, stderr)
	}
	var rep struct {
		Valid  bool
		Checks []struct {
			Name   string
			OK     bool
			Detail string
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || !rep.Valid || rep.Checks[0].Name != "signature" || !rep.Checks[0].OK {
		t.Fatalf("%v %s", err, out)
	}

	expired := testop.Sign(t, jose.RS256, key, "k1", map[string]any{"iss": iss, "exp": now.Add(-time.Hour).Unix()})
	if code, out, _ := run(t, "", nil, "verify", "--issuer", iss, expired); code != 1 || !strings.Contains(out, "FAIL exp") {
		t.Fatalf("expired: exit %d\n%s", code, out)
	}
	// --now pins the clock: the same token was valid two hours earlier.
	if code, _, _ := run(t, "", nil, "verify", "--issuer", iss, "--now", "2026-11-26T09:30:00Z", expired); code != 0 {
		t.Fatalf("with --now: exit %d", code)
	}
}

func TestVerifyWithAnHMACSecretFromTheEnvironmentAndAKeyFile(t *testing.T) {
	t.Parallel()
	secret := "0123456789abcdef0123456789abcdef"
	tok := testop.Sign(t, jose.HS256, []byte(secret), "k1", map[string]any{"sub": "a"})
	if code, out, _ := run(t, "", map[string]string{"S": secret}, "verify", "--secret-env", "S", tok); code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	if code, _, _ := run(t, "", map[string]string{"S": "wrong-secret-wrong-secret-wrong!"}, "verify", "--secret-env", "S", tok); code != 1 {
		t.Fatalf("wrong secret: exit %d", code)
	}
	key := testop.RSAKey()
	dir := t.TempDir()
	jwk, _ := json.Marshal(jose.JSONWebKey{Key: &key.PublicKey})
	path := filepath.Join(dir, "key.jwk")
	os.WriteFile(path, jwk, 0o600)
	rs := testop.Sign(t, jose.RS256, key, "k1", map[string]any{"sub": "a"})
	if code, out, _ := run(t, "", nil, "verify", rs, "--key", path); code != 0 {
		t.Fatalf("flag after token: exit %d\n%s", code, out)
	}
}

func TestVerifyUsageErrorsExitTwoWithOneSentence(t *testing.T) {
	t.Parallel()
	tok := testop.Sign(t, jose.HS256, []byte("0123456789abcdef0123456789abcdef"), "k1", map[string]any{"sub": "a"})
	cases := map[string][]string{
		"unset secret env": {"verify", "--secret-env", "NOPE", tok},
		"bad --now":        {"verify", "--now", "yesterday", "--secret-env", "S", tok},
		"two key sources":  {"verify", "--key", "a", "--jwks", "b", tok},
		"missing key file": {"verify", "--key", "/does/not/exist", tok},
		"no iss no key":    {"verify", tok},
		"plain http jwks":  {"verify", "--jwks", "http://example.com/jwks.json", tok},
		"unknown flag":     {"verify", "--frobnicate", tok},
		"unknown command":  {"frobnicate"},
	}
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			code, _, stderr := run(t, "", map[string]string{"S": "x"}, args...)
			if code != 2 || stderr == "" {
				t.Fatalf("exit %d stderr %q", code, stderr)
			}
		})
	}
}

// FuzzDecodeJSONStaysLinear: whatever nesting a hostile token has,
// `decode --json` prints at most a bounded multiple of its size (a
// 9,000-deep array once printed 160 MB for 26 KB).
func FuzzDecodeJSONStaysLinear(f *testing.F) {
	f.Add(uint16(3), `"x"`)
	f.Add(uint16(64), `{}`)
	f.Add(uint16(9000), `1`)
	f.Add(uint16(200), `{"a":[{"b":[]}]}`)
	f.Fuzz(func(t *testing.T, depth uint16, inner string) {
		if depth > 9500 || len(inner) > 4096 {
			return
		}
		enc := base64.RawURLEncoding.EncodeToString
		payload := `{"a":` + strings.Repeat("[", int(depth)) + inner + strings.Repeat("]", int(depth)) + `}`
		tok := enc([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." + enc([]byte(payload)) + "." + enc([]byte("sig"))
		_, out, _ := run(t, tok, nil, "decode", "--json")
		// Each input byte can start at most one output line, indented by
		// at most two spaces per level, and levels stop at MaxNesting.
		if limit := (2*tokens.MaxNesting+16)*len(tok) + 4096; len(out) > limit {
			t.Fatalf("depth %d: %d bytes of output for a %d-byte token", depth, len(out), len(tok))
		}
	})
}

// A token whose claims hold invalid UTF-8 still gives valid JSON, with the
// bad bytes escaped as U+FFFD.
func TestDecodeJSONEscapesInvalidUTF8(t *testing.T) {
	t.Parallel()
	enc := base64.RawURLEncoding.EncodeToString
	tok := enc([]byte(`{"alg":"HS256"}`)) + "." + enc([]byte("{\"sub\":\"a\xff\xfeb\"}")) + "." + enc([]byte("sig"))
	code, out, _ := run(t, tok, nil, "decode", "--json")
	if code != 0 || !utf8.ValidString(out) || !json.Valid([]byte(out)) || !strings.Contains(out, "a\uFFFDb") {
		t.Fatalf("exit %d: %q", code, out)
	}
}

// wsOf is the workspace a command runs on, over a test's profiles store
// and secrets.
func wsOf(p *profiles.Store, s secrets.Store) *workspace.Workspace {
	w := workspace.New(p.Path, s)
	w.Profiles = p
	return w
}
