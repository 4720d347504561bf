package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/tokenscope/tokenscope/internal/fixlocale" // the child CLI reads the locale as main does
	"github.com/tokenscope/tokenscope/internal/testop"

	"github.com/godbus/dbus/v5"

	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/secrets"
)

// The test binary doubles as the tokenscope command: with
// TOKENSCOPE_TEST_AS_CLI=1 it runs the arguments as a subcommand and
// exits, so tests can start real, concurrent processes.
func TestMain(m *testing.M) {
	if os.Getenv("TOKENSCOPE_TEST_AS_CLI") == "1" {
		os.Exit(RunCommand(OSEnv(), os.Args[1:]))
	}
	os.Exit(m.Run())
}

// cli is a tokenscope process on a config directory.
func cli(ctx context.Context, dir string, env []string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, os.Args[0], args...)
	cmd.Env = append(os.Environ(), "TOKENSCOPE_TEST_AS_CLI=1", "TOKENSCOPE_CONFIG_DIR="+dir)
	cmd.Env = append(cmd.Env, env...)
	return cmd
}

func needKeyring(t *testing.T) {
	t.Helper()
	if os.Getenv("TOKENSCOPE_SECRET_SERVICE") == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("CI must run this test against the real keyring: run the tests through scripts/with-keyring.sh")
		}
		t.Skip("needs the test keyring: run under scripts/with-keyring.sh (make test does)")
	}
}

// reuseDetectingServer rotates refresh tokens the way Auth0 documents
// rotation with reuse detection: a refresh token used a second time
// revokes every token of its family, including the newest one
// (https://auth0.com/docs/secure/tokens/refresh-tokens/refresh-token-rotation).
// delay widens the window in which two clients could race.
type reuseDetectingServer struct {
	*httptest.Server
	mu      sync.Mutex
	valid   map[string]bool
	spent   map[string]bool
	sent    map[string]int // refresh token → times it arrived
	reuses  int
	n       int
	delay   time.Duration
	onToken func() // called inside the handler before it answers
}

func newReuseDetectingServer(t *testing.T, first string, delay time.Duration) *reuseDetectingServer {
	s := &reuseDetectingServer{valid: map[string]bool{first: true}, spent: map[string]bool{}, sent: map[string]int{}, delay: delay}
	s.Server = httptest.NewServer(http.HandlerFunc(s.token))
	t.Cleanup(s.Close)
	return s
}

func (s *reuseDetectingServer) token(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	form, _ := url.ParseQuery(string(b))
	rt := form.Get("refresh_token")
	time.Sleep(s.delay)
	s.mu.Lock()
	s.sent[rt]++
	w.Header().Set("Content-Type", "application/json")
	switch {
	case s.spent[rt]:
		s.reuses++
		s.valid = map[string]bool{} // the whole family is revoked
		s.mu.Unlock()
		w.WriteHeader(403)
		io.WriteString(w, `{"error":"invalid_grant","error_description":"Unknown or invalid refresh token."}`)
		return
	case !s.valid[rt]:
		s.mu.Unlock()
		w.WriteHeader(403)
		io.WriteString(w, `{"error":"invalid_grant","error_description":"Unknown or invalid refresh token."}`)
		return
	}
	delete(s.valid, rt)
	s.spent[rt] = true
	s.n++
	next := fmt.Sprintf("v1.rotated-refresh-token-%03d", s.n)
	s.valid[next] = true
	hook := s.onToken
	s.mu.Unlock()
	if hook != nil {
		hook()
	}
	json.NewEncoder(w).Encode(map[string]any{"access_token": "at-" + next, "refresh_token": next, "token_type": "Bearer", "expires_in": 86400})
}

// addProfile stores a profile pointing at srv with a first refresh token
// in the real keyring, through the command itself.
func addProfile(t *testing.T, dir, name, tokenURL, rt string) {
	t.Helper()
	cmd := cli(context.Background(), dir, []string{"RT=" + rt}, "profile", "add", name, "--issuer", strings.TrimSuffix(tokenURL, "/oauth/token")+"/", "--client-id", "cli-"+name, "--refresh-token-env", "RT")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("profile add: %v\n%s", err, out)
	}
	t.Cleanup(func() { secrets.DeleteProfile(secrets.Keyring{}, name) })
	st := &profiles.Store{Path: filepath.Join(dir, "profiles.json")}
	if err := st.Update(name, func(p *profiles.Profile) error {
		p.Endpoints = &profiles.Endpoints{Token: tokenURL}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// Two `refresh --profile P` processes started together, ten times over,
// against a server that revokes the family on reuse: every refresh token
// reaches the server once, both processes succeed (the second waits for
// the first and uses its new token), and the profile still refreshes.
func TestTwoRefreshProcessesAtOnceNeverSendOneRefreshTokenTwice(t *testing.T) {
	t.Parallel()
	needKeyring(t)
	dir := t.TempDir()
	srv := newReuseDetectingServer(t, "v1.first-refresh-token-of-race", 150*time.Millisecond)
	addProfile(t, dir, "race", srv.URL+"/oauth/token", "v1.first-refresh-token-of-race")
	for round := 0; round < 10; round++ {
		var wg sync.WaitGroup
		outs := make([]string, 2)
		errs := make([]error, 2)
		for i := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				out, err := cli(context.Background(), dir, nil, "refresh", "--profile", "race", "--json").CombinedOutput()
				outs[i], errs[i] = string(out), err
			}()
		}
		wg.Wait()
		for i := range 2 {
			if errs[i] != nil {
				t.Fatalf("round %d, process %d: %v\n%s", round, i, errs[i], outs[i])
			}
		}
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if srv.reuses != 0 || srv.n != 20 {
		t.Fatalf("%d refreshes, %d reuses (want 20 and 0)", srv.n, srv.reuses)
	}
	for rt, n := range srv.sent {
		if n != 1 {
			t.Errorf("%s was sent %d times", rt, n)
		}
	}
	if got, _ := (secrets.Keyring{}).Get("race", secrets.RefreshToken); got != "v1.rotated-refresh-token-020" {
		t.Fatalf("the keyring holds %q, not the newest token", got)
	}
}

// secretServicePID is the process that owns org.freedesktop.secrets on
// this D-Bus session: the gnome-keyring-daemon the tests started.
func secretServicePID(t *testing.T) int {
	t.Helper()
	conn, err := dbus.SessionBus()
	if err != nil {
		t.Fatal(err)
	}
	var pid uint32
	if err := conn.BusObject().Call("org.freedesktop.DBus.GetConnectionUnixProcessID", 0, "org.freedesktop.secrets").Store(&pid); err != nil {
		t.Fatal(err)
	}
	return int(pid)
}

// The keyring stops answering after the server has rotated the token, and
// the user presses Ctrl+C: the process neither dies nor loses the token.
// It prints it (stored: false), warns, and exits 1 once the keyring write
// has timed out.
func TestAStalledKeyringAndCtrlCNeverLoseTheRotatedToken(t *testing.T) {
	needKeyring(t)
	dir := t.TempDir()
	srv := newReuseDetectingServer(t, "v1.first-refresh-token-of-stall", 0)
	addProfile(t, dir, "stall", srv.URL+"/oauth/token", "v1.first-refresh-token-of-stall")
	daemon := secretServicePID(t)
	var once sync.Once
	cont := func() { syscall.Kill(daemon, syscall.SIGCONT) }
	t.Cleanup(func() { once.Do(cont) })
	answered := make(chan struct{})
	srv.mu.Lock()
	srv.onToken = func() {
		if err := syscall.Kill(daemon, syscall.SIGSTOP); err != nil {
			t.Errorf("stopping the keyring daemon: %v", err)
		}
		close(answered)
	}
	srv.mu.Unlock()

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := cli(ctx, dir, []string{"TOKENSCOPE_KEYRING_TIMEOUT=3s"}, "refresh", "--profile", "stall", "--json")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	<-answered
	time.Sleep(500 * time.Millisecond) // the answer is in; the keyring write is stuck
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	once.Do(cont)
	code := cmd.ProcessState.ExitCode()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		t.Fatalf("the process was killed by %v: the token is lost\n%s", ws.Signal(), stderr.String())
	}
	if code != 1 {
		t.Fatalf("exit %d (%v), want 1\nstdout: %s\nstderr: %s", code, err, stdout.String(), stderr.String())
	}
	var out RefreshOutput
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("%v\n%s", err, stdout.String())
	}
	if out.Stored || !out.Rotated || out.Response["refresh_token"] != "v1.rotated-refresh-token-001" {
		t.Fatalf("the only copy is not in the output: %+v", out)
	}
	if !strings.Contains(stderr.String(), "interrupted") || !strings.Contains(stderr.String(), "only copy") || !strings.Contains(stderr.String(), "did not answer") {
		t.Fatalf("stderr: %s", stderr.String())
	}
}

// Twenty `profile add` processes at once keep twenty profiles.
func TestTwentyConcurrentProfileAddsKeepEveryProfile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var wg sync.WaitGroup
	errs := make([]string, 20)
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := cli(context.Background(), dir, nil, "profile", "add", fmt.Sprintf("p%02d", i), "--domain", "tenant.eu.auth0.com", "--client-id", "c").CombinedOutput()
			if err != nil {
				errs[i] = fmt.Sprintf("%v: %s", err, out)
			}
		}()
	}
	wg.Wait()
	for i, e := range errs {
		if e != "" {
			t.Errorf("p%02d: %s", i, e)
		}
	}
	ps, err := (&profiles.Store{Path: filepath.Join(dir, "profiles.json")}).Load()
	if err != nil || len(ps) != 20 {
		t.Fatalf("%d profiles kept (%v)", len(ps), err)
	}
}

// Twenty `access-token --profile P` processes at once cause one refresh:
// they wait for one another on the profile's lock and find the token the
// first cached in the keyring. Each prints that token and nothing else.
func TestTwentyAccessTokenProcessesAtOnceCauseOneRefresh(t *testing.T) {
	t.Parallel()
	needKeyring(t)
	dir := t.TempDir()
	srv := newReuseDetectingServer(t, "v1.first-refresh-token-of-at", 200*time.Millisecond)
	addProfile(t, dir, "at", srv.URL+"/oauth/token", "v1.first-refresh-token-of-at")
	var wg sync.WaitGroup
	outs := make([]string, 20)
	errs := make([]string, 20)
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var stdout, stderr bytes.Buffer
			cmd := cli(context.Background(), dir, nil, "access-token", "--profile", "at")
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Run(); err != nil || stderr.Len() > 0 {
				errs[i] = fmt.Sprintf("%v: %s", err, stderr.String())
			}
			outs[i] = stdout.String()
		}()
	}
	wg.Wait()
	for i := range 20 {
		if errs[i] != "" || outs[i] != "at-v1.rotated-refresh-token-001\n" {
			t.Errorf("process %d: stdout %q, %s", i, outs[i], errs[i])
		}
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if srv.n != 1 || srv.reuses != 0 {
		t.Fatalf("%d refreshes and %d reuses for twenty callers (want 1 and 0)", srv.n, srv.reuses)
	}
}

// No valid token: exit 1, one sentence on stderr, nothing on stdout.
func TestAccessTokenFailureIsOneSentenceOnStderr(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	srv := testop.NewRotatingTokens(t, "v1.valid")
	w.addBareProfile(t, "gone", srv.URL, "v1.revoked")
	code, stdout, stderr := w.run(t, "", "access-token", "--profile", "gone")
	if code != ExitNegative || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "invalid_grant") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if code, stdout, _ := w.run(t, "", "access-token", "--profile", "nope"); code != ExitUsage || stdout != "" {
		t.Fatalf("unknown profile: exit %d %q", code, stdout)
	}
}
