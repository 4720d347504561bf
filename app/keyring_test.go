package app

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/secrets"
	"github.com/tokenscope/tokenscope/internal/testop"
)

// TestProfileSecretsLiveInTheRealKeyring drives the commands against the
// real Secret Service (gnome-keyring, started by make test) and checks the
// entries with secret-tool, an independent client.
func TestProfileSecretsLiveInTheRealKeyring(t *testing.T) {
	t.Parallel()
	if os.Getenv("TOKENSCOPE_SECRET_SERVICE") == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("CI must run this test against the real keyring: run the tests through scripts/with-keyring.sh")
		}
		t.Skip("needs the test keyring: run under scripts/with-keyring.sh (make test does)")
	}
	lookup := func(account string) string {
		out, _ := exec.Command("secret-tool", "lookup", "service", secrets.Service, "username", account).Output()
		return string(out)
	}
	srv := testop.NewRotatingTokens(t, "v1.keyring-first-refresh-token")
	w := &cliWorld{profiles: &profiles.Store{Path: filepath.Join(t.TempDir(), "profiles.json")}, env: map[string]string{
		"RT": "v1.keyring-first-refresh-token", "SECRET": "keyring-client-secret-value"}}
	var out, errb bytes.Buffer
	env := Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return w.env[k] }, Now: func() time.Time { return now },
		Workspace: wsOf(w.profiles, secrets.Keyring{})}
	runCmd := func(args ...string) int { out.Reset(); errb.Reset(); return RunCommand(env, args) }
	t.Cleanup(func() { secrets.DeleteProfile(secrets.Keyring{}, "kr") })

	if code := runCmd("profile", "add", "kr", "--issuer", srv.URL+"/", "--client-id", "abc", "--auth", "post", "--client-secret-env", "SECRET", "--refresh-token-env", "RT"); code != 0 {
		t.Fatalf("add: %s", errb.String())
	}
	if lookup("kr/refresh_token") != "v1.keyring-first-refresh-token" || lookup("kr/client_secret") != "keyring-client-secret-value" {
		t.Fatal("the secrets are not in the keyring")
	}
	p, _ := w.profiles.Get("kr")
	p.Endpoints = &profiles.Endpoints{Token: srv.URL + "/oauth/token"}
	w.profiles.Put(p)
	if code := runCmd("refresh", "--profile", "kr"); code != 0 {
		t.Fatalf("refresh: %s %s", out.String(), errb.String())
	}
	if got := lookup("kr/refresh_token"); got != testop.RotatedRefreshToken(1) {
		t.Fatalf("after rotation the keyring holds %q", got)
	}
	// Nothing secret anywhere under the config directory.
	filepath.Walk(filepath.Dir(w.profiles.Path), func(path string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			b, _ := os.ReadFile(path)
			for _, secret := range []string{"keyring-client-secret-value", "v1.keyring-first-refresh-token", testop.RotatedRefreshToken(1)} {
				if bytes.Contains(b, []byte(secret)) {
					t.Errorf("%s holds a secret", path)
				}
			}
		}
		return nil
	})
	if code := runCmd("profile", "remove", "kr"); code != 0 {
		t.Fatalf("remove: %s", errb.String())
	}
	if lookup("kr/refresh_token") != "" || lookup("kr/client_secret") != "" {
		t.Fatal("remove left entries in the keyring")
	}
}
