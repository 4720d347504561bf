package app

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/testop"
)

// evil holds every class of character the terminal rule names: CSI (clear
// the screen), OSC 52 (write the clipboard), OSC 8 (plant a link), a
// right-to-left override, a zero-width space, a carriage return and a
// newline that would forge a report line.
const evil = "x\x1b[2J\x1b]52;c;cm0gLXJmIH4=\x07\x1b]8;;https://evil.test\x1b\\link\u202etxt.exe\u200b\r\nforged: line\u0085"

// acting reports the first character of s that a terminal would act on.
func acting(s string) string {
	for _, bad := range []string{"\x1b", "\x07", "\r", "\u202e", "\u200b", "\u0085", "\nforged"} {
		if strings.Contains(s, bad) {
			return bad
		}
	}
	return ""
}

// TestHumanOutputShowsHostileTextVisibly: a claim name and value, a
// provider's error_description and answer, a legacy request's fields and a
// stored profile's client ID reach the terminal with their control, BiDi
// and zero-width characters shown as escapes, through every command's text
// output; --json keeps them exact.
func TestHumanOutputShowsHostileTextVisibly(t *testing.T) {
	t.Parallel()
	hmacKey := []byte("0123456789abcdef0123456789abcdef")
	tok := testop.Sign(t, jose.HS256, hmacKey, "k1", map[string]any{"sub": evil, "aud": evil, evil: "value", "exp": now.Add(time.Hour).Unix()})

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if strings.Contains(r.URL.RawQuery, "ok") {
			_ = json.NewEncoder(w).Encode(map[string]any{"access_token": "at", "token_type": "Bearer", "scope": evil, evil: 1})
			return
		}
		w.WriteHeader(http.StatusForbidden)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": "invalid_grant" + evil, "error_description": evil})
	}))
	t.Cleanup(srv.Close)

	legacy := `{"grant_type":"urn:ietf:params:oauth:grant-type:jwt-bearer","client_id":` + jsonQuote(evil) + `,"refresh_token":"v1.r","target":` + jsonQuote(evil) + `,"api_type":` + jsonQuote(evil) + `,"scope":"openid"}`

	w := newWorld(t)
	w.env["RT"], w.env["KEY"] = "v1.refresh", string(hmacKey)
	// A profiles file written by something else (an older version, a hand
	// edit): list and show still print it safely.
	raw, _ := json.Marshal(map[string]any{"version": 1, "profiles": []profiles.Profile{{Name: "hand", Issuer: "https://t.example/", ClientID: evil, Auth: "none", Scope: evil}}})
	if err := os.WriteFile(w.profiles.Path, raw, 0o600); err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name, stdin string
		args        []string
		visible     string // what the user reads instead
	}{
		{"decode", "", []string{"decode", tok}, `x\x1b[2J\x1b]52;c;cm0gLXJmIH4=\x07`},
		{"verify", "", []string{"verify", "--secret-env", "KEY", "--audience", "api", "--now", now.Format(time.RFC3339), tok}, `\u202etxt.exe`},
		{"migrate", legacy, []string{"migrate", "--format", "curl", "-"}, `\x1b]8;;https://evil.test`},
		{"profile list", "", []string{"profile", "list"}, `x\x1b[2J`},
		{"profile show", "", []string{"profile", "show", "hand"}, `x\x1b[2J`},
		{"refresh error", "", []string{"refresh", "--token-url", srv.URL + "/oauth/token", "--client-id", "abc", "--refresh-token-env", "RT"}, `\x0d\x0aforged: line\u0085`},
		{"refresh answer", "", []string{"refresh", "--token-url", srv.URL + "/oauth/token?ok=1", "--client-id", "abc", "--refresh-token-env", "RT"}, `link\u202etxt.exe\u200b`},
		{"profile add refuses it", "", []string{"profile", "add", "p", "--domain", "t.eu.auth0.com", "--client-id", evil}, `has a control, BiDi or zero-width character`},
	}
	for _, c := range cases {
		code, stdout, stderr := w.run(t, c.stdin, c.args...)
		if bad := acting(stdout + stderr); bad != "" {
			t.Errorf("%s: %q reaches the terminal raw:\n%s\n%s", c.name, bad, stdout, stderr)
		}
		if !strings.Contains(stdout+stderr, c.visible) {
			t.Errorf("%s (exit %d): the user does not read %q:\n%s\n%s", c.name, code, c.visible, stdout, stderr)
		}
	}
	if code, _, stderr := w.run(t, "", "profile", "add", "p", "--domain", "t.eu.auth0.com", "--client-id", evil); code != ExitUsage || strings.Count(stderr, "\n") != 1 {
		t.Errorf("profile add with a control character: exit %d, %q", code, stderr)
	}
	// --json is exact: the same claim comes back byte for byte.
	_, stdout, _ := w.run(t, "", "decode", "--json", tok)
	var out struct {
		Claims map[string]any `json:"claims"`
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil || out.Claims["sub"] != evil {
		t.Fatalf("--json is not exact: %v %q", err, out.Claims["sub"])
	}
	// The decoder flags a claim that had hidden characters.
	if _, stdout, _ := w.run(t, "", "decode", tok); !strings.Contains(stdout, "(hidden characters shown escaped)") {
		t.Fatalf("no flag on a claim with hidden characters:\n%s", stdout)
	}
}
