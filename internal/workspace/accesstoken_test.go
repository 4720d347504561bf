package workspace

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/secrets"
)

// countingTokenServer answers every refresh with a new access token valid
// for lifetime, and counts the refreshes.
type countingTokenServer struct {
	*httptest.Server
	mu       sync.Mutex
	n        int
	lifetime int
	forms    []string
}

func newCountingTokenServer(t *testing.T, lifetime int) *countingTokenServer {
	s := &countingTokenServer{lifetime: lifetime}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		s.mu.Lock()
		s.n++
		n := s.n
		s.forms = append(s.forms, r.PostForm.Encode())
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"access_token": "at-" + string(rune('0'+n)), "token_type": "Bearer", "expires_in": s.lifetime})
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *countingTokenServer) refreshes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

func accessTokenWorkspace(t *testing.T, srv *countingTokenServer) (*Workspace, *secrets.Memory) {
	t.Helper()
	ws, mem := newWorkspace(t)
	p := profiles.Profile{Name: "api", Issuer: srv.URL + "/", ClientID: "c", Auth: "none", Endpoints: &profiles.Endpoints{Token: srv.URL + "/oauth/token"}}
	if _, err := ws.Save(SaveRequest{Profile: p, RefreshToken: Store("v1.non-rotating")}); err != nil {
		t.Fatal(err)
	}
	return ws, mem
}

// The cached token is handed out while it stays valid for --min-valid; a
// refresh happens only when it would not, and for another audience.
func TestAccessTokenIsReusedWhileItStaysValidLongEnough(t *testing.T) {
	t.Parallel()
	srv := newCountingTokenServer(t, 3600)
	ws, mem := accessTokenWorkspace(t, srv)
	clock := time.Now()
	now := func() time.Time { return clock }
	ctx := context.Background()
	first, err := ws.AccessToken(ctx, "api", AccessTokenOptions{MinValid: time.Minute, Now: now})
	if err != nil || first.Token != "at-1" || first.Cached {
		t.Fatalf("first: %+v %v", first, err)
	}
	if cached, _ := mem.Get("api", secrets.AccessToken); !strings.Contains(cached, `"access_token":"at-1"`) {
		t.Fatalf("the keyring caches %q", cached)
	}
	clock = clock.Add(58 * time.Minute) // 2 minutes left
	again, err := ws.AccessToken(ctx, "api", AccessTokenOptions{MinValid: time.Minute, Now: now})
	if err != nil || again.Token != "at-1" || !again.Cached || srv.refreshes() != 1 {
		t.Fatalf("within --min-valid: %+v %v, %d refreshes", again, err, srv.refreshes())
	}
	fresh, err := ws.AccessToken(ctx, "api", AccessTokenOptions{MinValid: 5 * time.Minute, Now: now})
	if err != nil || fresh.Token != "at-2" || srv.refreshes() != 2 {
		t.Fatalf("past --min-valid: %+v %v, %d refreshes", fresh, err, srv.refreshes())
	}
	other, err := ws.AccessToken(ctx, "api", AccessTokenOptions{Audience: "https://other-api", Now: now})
	if err != nil || other.Token != "at-3" || !strings.Contains(srv.forms[2], "audience=https%3A%2F%2Fother-api") {
		t.Fatalf("another audience is not served from the cache: %+v %v %v", other, err, srv.forms)
	}
}

// A token cached for the profile's previous client is never handed out.
func TestAccessTokenCachedForAnotherClientIsNotUsed(t *testing.T) {
	t.Parallel()
	srv := newCountingTokenServer(t, 3600)
	ws, mem := accessTokenWorkspace(t, srv)
	b, _ := json.Marshal(cachedAccessToken{Token: "at-of-the-old-client", Expiry: time.Now().Add(time.Hour), Binding: "https://old.example/ client old"})
	_ = mem.Set("api", secrets.AccessToken, string(b))
	got, err := ws.AccessToken(context.Background(), "api", AccessTokenOptions{})
	if err != nil || got.Token != "at-1" {
		t.Fatalf("%+v %v", got, err)
	}
}

// A token shorter-lived than --min-valid cannot be had: one sentence.
func TestAccessTokenSaysWhenNoValidTokenCanBeHad(t *testing.T) {
	t.Parallel()
	srv := newCountingTokenServer(t, 30)
	ws, _ := accessTokenWorkspace(t, srv)
	_, err := ws.AccessToken(context.Background(), "api", AccessTokenOptions{MinValid: time.Minute})
	if !errors.Is(err, ErrNoAccessToken) || !strings.Contains(err.Error(), "less than the 1m") {
		t.Fatalf("%v", err)
	}
	_, err = ws.AccessToken(context.Background(), "nope", AccessTokenOptions{})
	if !errors.Is(err, ErrNoAccessToken) || !errors.Is(err, profiles.ErrNoProfile) {
		t.Fatalf("unknown profile: %v", err)
	}
}
