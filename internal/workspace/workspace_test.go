package workspace

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tokenscope/tokenscope/internal/demotenant"
	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/secrets"
)

func newWorkspace(t *testing.T) (*Workspace, *secrets.Memory) {
	t.Helper()
	mem := &secrets.Memory{}
	return New(filepath.Join(t.TempDir(), "profiles.json"), mem), mem
}

// spy is an OpenID provider on loopback that records every request body
// and header it receives.
type spy struct {
	*httptest.Server
	mu   sync.Mutex
	seen []string
}

func newSpy(t *testing.T) *spy {
	s := &spy{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.seen = append(s.seen, r.URL.String()+" "+r.Header.Get("Authorization")+" "+string(b))
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/.well-known/openid-configuration" {
			json.NewEncoder(w).Encode(map[string]string{"issuer": s.URL + "/", "token_endpoint": s.URL + "/oauth/token", "jwks_uri": s.URL + "/jwks"})
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"access_token": "at", "token_type": "Bearer", "expires_in": 60})
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *spy) all() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Join(s.seen, "\n")
}

// A profile replaced with another issuer sends nothing of the old
// tenant's to the new one: its secrets are deleted and the user is told.
func TestReplacingAProfileWithAnotherIssuerSendsNothingOfTheOldTenant(t *testing.T) {
	t.Parallel()
	ws, mem := newWorkspace(t)
	a, b := newSpy(t), newSpy(t)
	old := profiles.Profile{Name: "prod", Issuer: a.URL + "/", ClientID: "client-a", Auth: "post"}
	if _, err := ws.Save(SaveRequest{Profile: old, ClientSecret: Store("tenant-a-client-secret"), RefreshToken: Store("v1.tenant-a-refresh-token")}); err != nil {
		t.Fatal(err)
	}
	// Without Replace, the name is refused.
	moved := profiles.Profile{Name: "prod", Issuer: b.URL + "/", ClientID: "client-b", Auth: "post"}
	if _, err := ws.Save(SaveRequest{Profile: moved}); !errors.Is(err, profiles.ErrExists) {
		t.Fatalf("re-adding without replace: %v", err)
	}
	res, err := ws.Save(SaveRequest{Profile: moved, Replace: true})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Replaced || !strings.Contains(res.Dropped, "client-a") || !strings.Contains(res.Dropped, "deleted") {
		t.Fatalf("the user is not told: %+v", res)
	}
	for _, kind := range []string{secrets.ClientSecret, secrets.RefreshToken} {
		if v, err := mem.Get("prod", kind); !errors.Is(err, secrets.ErrNotFound) {
			t.Fatalf("%s still stored: %q", kind, v)
		}
	}
	r := ws.Refresh(context.Background(), "prod", RefreshOptions{})
	if r.Sent || r.Err == nil || !strings.Contains(r.Err.Error(), "no refresh token") {
		t.Fatalf("refresh after the move: sent=%v %v", r.Sent, r.Err)
	}
	if got := b.all(); strings.Contains(got, "tenant-a") {
		t.Fatalf("tenant B received tenant A's secrets:\n%s", got)
	}
	if strings.Contains(b.all(), "/oauth/token") {
		t.Fatalf("a token request reached tenant B:\n%s", b.all())
	}
}

// When the old secrets cannot be deleted (the keyring fails), they stay
// bound to the old issuer and Load refuses to hand them out.
func TestSecretsThatCouldNotBeDeletedAreNeverSentToTheNewIssuer(t *testing.T) {
	t.Parallel()
	mem := &secrets.Memory{}
	flaky := &failingDeletes{Store: mem}
	ws := New(filepath.Join(t.TempDir(), "profiles.json"), flaky)
	a, b := newSpy(t), newSpy(t)
	if _, err := ws.Save(SaveRequest{Profile: profiles.Profile{Name: "p", Issuer: a.URL + "/", ClientID: "ca", Auth: "none"}, RefreshToken: Store("v1.tenant-a-refresh-token")}); err != nil {
		t.Fatal(err)
	}
	flaky.fail = true
	_, err := ws.Save(SaveRequest{Profile: profiles.Profile{Name: "p", Issuer: b.URL + "/", ClientID: "cb", Auth: "none"}, Replace: true})
	if err == nil || !strings.Contains(err.Error(), "never sent") {
		t.Fatalf("save: %v", err)
	}
	r := ws.Refresh(context.Background(), "p", RefreshOptions{})
	if r.Sent || r.Err == nil || !strings.Contains(r.Err.Error(), "were stored for") {
		t.Fatalf("refresh: sent=%v %v", r.Sent, r.Err)
	}
	if strings.Contains(b.all(), "tenant-a") {
		t.Fatalf("tenant B received tenant A's token:\n%s", b.all())
	}
	// Storing this client's own token rebinds the profile.
	flaky.fail = false
	if _, err := ws.Save(SaveRequest{OldName: "p", Profile: profiles.Profile{Name: "p", Issuer: b.URL + "/", ClientID: "cb", Auth: "none"}, RefreshToken: Store("v1.tenant-b-refresh-token")}); err != nil {
		t.Fatal(err)
	}
	if r := ws.Refresh(context.Background(), "p", RefreshOptions{}); r.Err != nil || !strings.Contains(b.all(), "v1.tenant-b-refresh-token") {
		t.Fatalf("after rebinding: %v\n%s", r.Err, b.all())
	}
}

type failingDeletes struct {
	secrets.Store
	fail bool
}

func (f *failingDeletes) Delete(profile, kind string) error {
	if f.fail {
		return &secrets.UnavailableError{Cause: errors.New("org.freedesktop.Secret.Error.IsLocked")}
	}
	return f.Store.Delete(profile, kind)
}

// Editing a profile's audience keeps its secrets: only the issuer and the
// client ID bind them.
func TestEditingTheSameClientKeepsItsSecrets(t *testing.T) {
	t.Parallel()
	ws, mem := newWorkspace(t)
	p := profiles.Profile{Name: "p", Issuer: "https://tenant.eu.auth0.com/", ClientID: "c", Auth: "post"}
	ws.Save(SaveRequest{Profile: p, ClientSecret: Store("the-client-secret-0123"), RefreshToken: Store("v1.rt")})
	p.Audience = "https://api"
	res, err := ws.Save(SaveRequest{OldName: "p", Profile: p})
	if err != nil || res.Dropped != "" {
		t.Fatalf("%+v %v", res, err)
	}
	if v, _ := mem.Get("p", secrets.ClientSecret); v != "the-client-secret-0123" {
		t.Fatalf("secret %q", v)
	}
	// An explicit clear deletes; Keep does not.
	if _, err := ws.Save(SaveRequest{OldName: "p", Profile: p, RefreshToken: Forget()}); err != nil {
		t.Fatal(err)
	}
	if _, err := mem.Get("p", secrets.RefreshToken); !errors.Is(err, secrets.ErrNotFound) {
		t.Fatal("Forget kept the refresh token")
	}
	if v, _ := mem.Get("p", secrets.ClientSecret); v != "the-client-secret-0123" {
		t.Fatal("Keep lost the client secret")
	}
}

// A real profile named like a demo profile survives two app starts, with
// its secrets; the demo profile takes the next free name and a note says so.
func TestTheDemoNeverTouchesARealProfile(t *testing.T) {
	t.Parallel()
	ws, mem := newWorkspace(t)
	mine := profiles.Profile{Name: "demo-web", Issuer: "https://tenant.eu.auth0.com/", ClientID: "mine", Auth: "post"}
	if _, err := ws.Save(SaveRequest{Profile: mine, ClientSecret: Store("my-real-client-secret"), RefreshToken: Store("v1.my-real-refresh-token")}); err != nil {
		t.Fatal(err)
	}
	// A demo profile left from an earlier run makes the app start the demo.
	ws.Profiles.Add(profiles.Profile{Name: "demo-native", Issuer: "http://127.0.0.1:1/", ClientID: "demo-native-app", Auth: "none", Demo: true})
	for start := 1; start <= 2; start++ {
		srv, seed, err := ws.StartDemo(demotenant.StartDemo)
		if err != nil || srv == nil {
			t.Fatalf("start %d: %v", start, err)
		}
		srv.Close()
		got, _ := ws.Profiles.Get("demo-web")
		if got.ClientID != "mine" || got.Demo || got.Issuer != mine.Issuer {
			t.Fatalf("start %d: the real profile changed: %+v", start, got)
		}
		if v, _ := mem.Get("demo-web", secrets.ClientSecret); v != "my-real-client-secret" {
			t.Fatalf("start %d: the real client secret is %q", start, v)
		}
		if v, _ := mem.Get("demo-web", secrets.RefreshToken); v != "v1.my-real-refresh-token" {
			t.Fatalf("start %d: the real refresh token is %q", start, v)
		}
		demo, err := ws.Profiles.Get("demo-web-2")
		if err != nil || !demo.Demo || demo.ClientID != "demo-web-app" {
			t.Fatalf("start %d: demo profile %+v %v", start, demo, err)
		}
		if !strings.Contains(seed.DemoNote(), "your profile demo-web is kept; the demo's is demo-web-2") {
			t.Fatalf("note %q", seed.DemoNote())
		}
	}
	ps, _ := ws.Profiles.Load()
	if len(ps) != 4 {
		t.Fatalf("%d profiles: %+v", len(ps), ps)
	}
}

// The demo's refresh works through the workspace, and the rotated token
// is what the next Load returns.
func TestRefreshStoresTheRotatedTokenBeforeReturning(t *testing.T) {
	t.Parallel()
	ws, mem := newWorkspace(t)
	ten, err := demotenant.New(demotenant.Config{})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := demotenant.Start(ten, "", false)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if _, err := ws.SeedDemo(ten); err != nil {
		t.Fatal(err)
	}
	before, _ := mem.Get("demo-web", secrets.RefreshToken)
	r := ws.Refresh(context.Background(), "demo-web", RefreshOptions{})
	if r.Err != nil || !r.Response.Rotated || !r.Response.Stored {
		t.Fatalf("%+v %v", r.Response, r.Err)
	}
	after, _ := mem.Get("demo-web", secrets.RefreshToken)
	if after == before || after != r.Response.RefreshToken {
		t.Fatal("the keyring does not hold the rotated token")
	}
	entries, _ := ws.History.Load()
	if len(entries) != 1 || entries[0].Profile != "demo-web" || !entries[0].Rotated {
		t.Fatalf("history %+v", entries)
	}
}

// A second refresh of a profile waits for the first, says so, and gives
// up with ErrLockTimeout after the wait.
func TestASecondRefreshWaitsForTheProfileLock(t *testing.T) {
	t.Parallel()
	ws, _ := newWorkspace(t)
	unlock, err := ws.LockProfile(context.Background(), "p", time.Second, nil)
	if err != nil {
		t.Fatal(err)
	}
	waited := false
	_, err = ws.LockProfile(context.Background(), "p", 200*time.Millisecond, func() { waited = true })
	if !waited || !errors.Is(err, ErrLockTimeout) || !strings.Contains(err.Error(), "--wait") {
		t.Fatalf("waited=%v err=%v", waited, err)
	}
	go func() { time.Sleep(100 * time.Millisecond); unlock() }()
	unlock2, err := ws.LockProfile(context.Background(), "p", 5*time.Second, nil)
	if err != nil {
		t.Fatalf("after the first let go: %v", err)
	}
	unlock2()
}
