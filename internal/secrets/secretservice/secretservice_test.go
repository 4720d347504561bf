// Package secretservice_test checks internal/secrets against a real Secret
// Service. It is a package of its own because go-keyring's mock, which the
// unit tests use, replaces the provider for the whole test binary.
package secretservice_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	. "github.com/tokenscope/tokenscope/internal/secrets"
)

// TestRealSecretServiceKeepsSecretsOutOfFiles runs against gnome-keyring on
// a private D-Bus session (make test starts it via scripts/with-keyring.sh)
// and reads the entry back with secret-tool, an independent client.
func TestRealSecretServiceKeepsSecretsOutOfFiles(t *testing.T) {
	if os.Getenv("TOKENSCOPE_SECRET_SERVICE") == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("CI must run this test against the real keyring: run the tests through scripts/with-keyring.sh")
		}
		t.Skip("needs the test keyring: run under scripts/with-keyring.sh (make test does)")
	}
	const secret = "v1.real-keyring-refresh-token-4f9a2c"
	s := Keyring{}
	if err := s.Set("ci-profile", RefreshToken, secret); err != nil {
		t.Fatalf("Set on the real keyring: %v", err)
	}
	t.Cleanup(func() { DeleteProfile(s, "ci-profile") })
	out, err := exec.Command("secret-tool", "lookup", "service", Service, "username", Account("ci-profile", RefreshToken)).Output()
	if err != nil || string(out) != secret {
		t.Fatalf("secret-tool lookup = %q, %v", out, err)
	}
	// Nowhere on disk in clear: gnome-keyring's files are encrypted.
	data := os.Getenv("XDG_DATA_HOME")
	filepath.Walk(data, func(path string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			if b, _ := os.ReadFile(path); strings.Contains(string(b), secret) {
				t.Errorf("%s holds the secret in clear", path)
			}
		}
		return nil
	})
	if err := DeleteProfile(s, "ci-profile"); err != nil {
		t.Fatal(err)
	}
	if out, _ := exec.Command("secret-tool", "lookup", "service", Service, "username", Account("ci-profile", RefreshToken)).Output(); len(out) != 0 {
		t.Fatal("the entry is still in the keyring after DeleteProfile")
	}
}
