package testop

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sync"
	"testing"
)

// RotatingTokens is a token endpoint (on any path) that rotates refresh
// tokens as Auth0 does with rotation on: a refresh token is accepted once,
// and the answer to the Nth accepted refresh holds the next one,
// RotatedRefreshToken(N), with the access token RotatedAccessToken(N),
// expires_in 86400 and the scope asked for. A spent or unknown refresh
// token gets 403 invalid_grant in Auth0's words. It stops when the test
// ends.
type RotatingTokens struct {
	*httptest.Server

	mu    sync.Mutex
	valid map[string]bool
	forms []url.Values
	n     int
}

// NewRotatingTokens starts the endpoint; first is the one valid refresh
// token to begin with.
func NewRotatingTokens(t testing.TB, first string) *RotatingTokens {
	s := &RotatingTokens{valid: map[string]bool{first: true}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.token))
	t.Cleanup(s.Close)
	return s
}

// RotatedRefreshToken is the refresh token the Nth accepted refresh
// issues (counting from 1).
func RotatedRefreshToken(n int) string { return fmt.Sprintf("v1.rotated-refresh-token-%d", n) }

// RotatedAccessToken is the (opaque) access token the Nth accepted
// refresh issues.
func RotatedAccessToken(n int) string { return fmt.Sprintf("opaque-access-token-%d", n) }

// Rotations is how many refreshes were accepted so far.
func (s *RotatingTokens) Rotations() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

// Requests are the forms of every request so far, accepted or not, in the
// order they came.
func (s *RotatingTokens) Requests() []url.Values {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.forms)
}

func (s *RotatingTokens) token(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.forms = append(s.forms, r.PostForm)
	w.Header().Set("Content-Type", "application/json")
	rt := r.PostForm.Get("refresh_token")
	if !s.valid[rt] {
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`{"error":"invalid_grant","error_description":"Unknown or invalid refresh token."}`))
		return
	}
	delete(s.valid, rt)
	s.n++
	next := RotatedRefreshToken(s.n)
	s.valid[next] = true
	answer := map[string]any{"access_token": RotatedAccessToken(s.n), "refresh_token": next, "token_type": "Bearer", "expires_in": 86400}
	if scope := r.PostForm.Get("scope"); scope != "" {
		answer["scope"] = scope
	}
	_ = json.NewEncoder(w).Encode(answer)
}
