package app

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tokenscope/tokenscope/internal/demotenant"
	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/secrets"
	"github.com/tokenscope/tokenscope/internal/workspace"
)

// demoCLI is a command environment whose profiles point at a running demo
// tenant, and whose "browser" follows the demo login page.
func demoCLI(t *testing.T, decision string) (func(args ...string) (int, string, string), *secrets.Memory) {
	t.Helper()
	mem := &secrets.Memory{}
	store := &profiles.Store{Path: filepath.Join(t.TempDir(), "profiles.json")}
	ws := workspace.New(store.Path, mem)
	srv, _, err := ws.StartDemo(demotenant.StartDemo)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	browser := &demotenant.Browser{Decision: decision}
	t.Cleanup(func() {
		if err := browser.Wait(); err != nil {
			t.Errorf("the browser: %v", err)
		}
	})
	run := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		env := Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }, Now: time.Now,
			Workspace: wsOf(store, mem), Open: browser.Open}
		code := RunCommand(env, args)
		return code, out.String(), errb.String()
	}
	return run, mem
}

func TestLoginStoresTheRefreshTokenAndPrintsRefreshsJSON(t *testing.T) {
	t.Parallel()
	run, mem := demoCLI(t, "allow")
	code, out, stderr := run("login", "--profile", "demo-native", "--json")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, stderr)
	}
	var got RefreshOutput
	if err := json.Unmarshal([]byte(out), &got); err != nil || got.Status != 200 || !got.Stored || got.Error != nil || got.Response["id_token"] == nil {
		t.Fatalf("%v %s", err, out)
	}
	rt, _ := mem.Get("demo-native", secrets.RefreshToken)
	if masked, _ := got.Response["refresh_token"].(string); rt == "" || masked == rt || !strings.Contains(masked, "…") {
		t.Fatalf("the refresh token is not masked in the output: %q", masked)
	}
	if !strings.Contains(stderr, "Opening the browser") || !strings.Contains(stderr, "code_challenge_method=S256") {
		t.Fatalf("stderr: %s", stderr)
	}
	// The stored token refreshes; userinfo uses a refreshed access token.
	if code, out, stderr := run("userinfo", "--profile", "demo-native", "--json"); code != 0 || !strings.Contains(out, `"sub": "auth0|demo-user-1"`) {
		t.Fatalf("userinfo: exit %d %s %s", code, out, stderr)
	}
	if code, out, stderr := run("revoke", "--profile", "demo-native"); code != 0 || !strings.Contains(out, "Revoked at") {
		t.Fatalf("revoke: exit %d %s %s", code, out, stderr)
	}
	if code, _, stderr := run("refresh", "--profile", "demo-native"); code != 2 || !strings.Contains(stderr, "no refresh token") {
		t.Fatalf("refresh after revoke: exit %d %s", code, stderr)
	}
}

func TestLoginCancelledExitsOneAndStoresNothing(t *testing.T) {
	t.Parallel()
	run, mem := demoCLI(t, "deny")
	before, _ := mem.Get("demo-native", secrets.RefreshToken)
	code, out, _ := run("login", "--profile", "demo-native", "--json", "--no-browser", "--timeout", "2s")
	if code != 1 || !strings.Contains(out, `"code": "cancelled"`) && !strings.Contains(out, "no answer from the browser") {
		t.Fatalf("--no-browser without anyone signing in: exit %d %s", code, out)
	}
	code, out, _ = run("login", "--profile", "demo-native", "--json")
	if code != 1 || !strings.Contains(out, `"code": "access_denied"`) {
		t.Fatalf("cancel: exit %d %s", code, out)
	}
	if now, _ := mem.Get("demo-native", secrets.RefreshToken); now != before {
		t.Fatal("a cancelled sign-in changed the stored token")
	}
}

func TestTokenRunsClientCredentials(t *testing.T) {
	t.Parallel()
	run, _ := demoCLI(t, "allow")
	code, out, stderr := run("token", "--profile", "demo-backend", "--json")
	if code != 0 || !strings.Contains(out, `"access_token"`) {
		t.Fatalf("exit %d %s %s", code, out, stderr)
	}
	if code, _, stderr := run("token", "--profile", "demo-native"); code != 2 || !strings.Contains(stderr, "confidential") {
		t.Fatalf("a public client: exit %d %s", code, stderr)
	}
}
