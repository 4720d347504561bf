package testop

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// PanvaClient is one client registration for panva's oidc-provider, in
// the client metadata names it takes (RFC 7591 §2, OpenID Connect Dynamic
// Client Registration §2).
type PanvaClient struct {
	ClientID                string   `json:"client_id"`
	ClientSecret            string   `json:"client_secret,omitempty"`
	TokenEndpointAuthMethod string   `json:"token_endpoint_auth_method"`
	ApplicationType         string   `json:"application_type,omitempty"`
	RedirectURIs            []string `json:"redirect_uris,omitempty"`
	GrantTypes              []string `json:"grant_types"`
	ResponseTypes           []string `json:"response_types"`
}

// ProviderDirEnv names the directory where `make test-peers` installed
// oidc-provider (npm ci of panva/package-lock.json), outside the work tree.
const ProviderDirEnv = "TOKENSCOPE_OIDC_PROVIDER_DIR"

// StartPanva runs panva's oidc-provider (OpenID Certified; a Node program,
// panva/server.mjs) on 127.0.0.1 with these clients and its default claims,
// and returns its issuer, http://127.0.0.1:PORT (no trailing slash, as it
// names itself). The process ends when the test does. Without Node or the
// install the test is skipped, except in CI (CI set), where it fails: CI
// must sign in against both providers.
func StartPanva(t testing.TB, clients ...PanvaClient) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		missing(t, "no node on PATH: install Debian's nodejs and npm (make test-peers does)")
	}
	// oidc-provider 9 removed Node 18 (its CHANGELOG) and supports 22 LTS
	// and later; it runs on 20 with a warning. Debian 12's nodejs is 18.
	if v, err := exec.Command(node, "--version").Output(); err != nil || nodeMajor(string(v)) < 20 {
		missing(t, fmt.Sprintf("oidc-provider 9 needs Node.js 20 or newer (22 LTS supported); %s is %s", node, strings.TrimSpace(string(v))))
	}
	dir := providerDir()
	if dir == "" {
		missing(t, ProviderDirEnv+" is not set and there is no user cache directory: run `make test-peers`")
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "oidc-provider", "package.json")); err != nil {
		missing(t, "oidc-provider is not installed in "+dir+": run `make test-peers` (it installs panva/package-lock.json there with npm ci)")
	}
	js, err := json.Marshal(clients)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, filepath.Join(sourceDir(), "panva", "server.mjs"))
	cmd.Env = append(os.Environ(), ProviderDirEnv+"="+dir, "TOKENSCOPE_PEER_CLIENTS="+string(js), "TOKENSCOPE_PEER_PORT=0")
	stdin, err := cmd.StdinPipe() // server.mjs exits when it closes: nothing outlives the test binary
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := &syncBuffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting oidc-provider: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = stdin.Close()
		_ = cmd.Wait()
	})
	issuers := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if line := strings.TrimSpace(sc.Text()); strings.HasPrefix(line, "http://127.0.0.1:") {
				issuers <- line
				break
			}
		}
		close(issuers)
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case issuer, ok := <-issuers:
		if !ok {
			t.Fatalf("oidc-provider exited before it listened:\n%s", stderr)
		}
		return issuer
	case <-time.After(30 * time.Second):
		t.Fatalf("oidc-provider did not say it listens within 30 s:\n%s", stderr)
	}
	return ""
}

// nodeMajor reads the major version from `node --version` (v22.12.0).
func nodeMajor(v string) int {
	major, _, _ := strings.Cut(strings.TrimPrefix(strings.TrimSpace(v), "v"), ".")
	n, err := strconv.Atoi(major)
	if err != nil {
		return 0
	}
	return n
}

// missing skips the test, or fails it in CI.
func missing(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatal("CI must sign in against panva's oidc-provider: " + why)
	}
	t.Skip(why)
}

// providerDir is $TOKENSCOPE_OIDC_PROVIDER_DIR, or where `make test-peers`
// puts the install by default (keyed on the lock file's hash, as the
// Makefile keys it), so that `go test` alone finds it.
func providerDir() string {
	if d := os.Getenv(ProviderDirEnv); d != "" {
		return d
	}
	lock, err := os.ReadFile(filepath.Join(sourceDir(), "panva", "package-lock.json"))
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(lock)
	cache, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(cache, "tokenscope", "oidc-provider", hex.EncodeToString(sum[:])[:16])
}

// sourceDir is this package's directory, where panva/ lives.
func sourceDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(file)
}

// syncBuffer collects the provider's stderr for a failure message.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
