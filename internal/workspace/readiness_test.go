package workspace

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tokenscope/tokenscope/internal/profiles"
)

// mgmtServer answers as Auth0's Management API v2 does, in the shapes its
// reference gives (https://auth0.com/docs/api/management/v2/clients/get-clients,
// .../logs/get-logs, .../tenants/tenant-settings-route): paged lists with
// include_totals → {start, limit, length, total, <items>}; errors as
// {statusCode, error, message, errorCode}; rate limits in X-RateLimit-*
// and a 429 with Retry-After.
type mgmtServer struct {
	*httptest.Server
	mu        sync.Mutex
	clients   []map[string]any
	logs      []map[string]any
	flags     map[string]bool
	noLogs    bool // the token lacks read:logs
	throttled int  // how many calls answer 429 first
	calls     []string
}

func newMgmtServer(t *testing.T) *mgmtServer {
	s := &mgmtServer{flags: map[string]bool{FlagDelegation: true, FlagRO: true, FlagTokeninfo: false}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *mgmtServer) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, r.URL.Path+"?"+r.URL.RawQuery)
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	switch r.URL.Path {
	case "/.well-known/openid-configuration":
		_ = enc.Encode(map[string]string{"issuer": s.URL + "/", "token_endpoint": s.URL + "/oauth/token", "jwks_uri": s.URL + "/.well-known/jwks.json"})
		return
	case "/oauth/token":
		_ = r.ParseForm()
		if r.PostForm.Get("grant_type") != "client_credentials" || r.PostForm.Get("audience") != s.URL+"/api/v2/" {
			w.WriteHeader(http.StatusForbidden)
			_ = enc.Encode(map[string]string{"error": "access_denied", "error_description": "Service not enabled within domain: " + r.PostForm.Get("audience")})
			return
		}
		_ = enc.Encode(map[string]any{"access_token": "mgmt-token", "token_type": "Bearer", "expires_in": 86400, "scope": r.PostForm.Get("scope")})
		return
	}
	if r.Header.Get("Authorization") != "Bearer mgmt-token" {
		w.WriteHeader(http.StatusUnauthorized)
		_ = enc.Encode(map[string]any{"statusCode": 401, "error": "Unauthorized", "message": "Invalid token"})
		return
	}
	w.Header().Set("X-RateLimit-Limit", "10")
	w.Header().Set("X-RateLimit-Remaining", "9")
	w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(time.Now().Add(time.Second).Unix(), 10))
	if s.throttled > 0 {
		s.throttled--
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("Retry-After", "2")
		w.WriteHeader(http.StatusTooManyRequests)
		_ = enc.Encode(map[string]any{"statusCode": 429, "error": "Too Many Requests", "message": "Global limit has been reached", "errorCode": "too_many_requests"})
		return
	}
	q := r.URL.Query()
	page, _ := strconv.Atoi(q.Get("page"))
	per, _ := strconv.Atoi(q.Get("per_page"))
	paged := func(key string, items []map[string]any) {
		lo, hi := min(page*per, len(items)), min(page*per+per, len(items))
		_ = enc.Encode(map[string]any{"start": page * per, "limit": per, "length": hi - lo, "total": len(items), key: items[lo:hi]})
	}
	switch r.URL.Path {
	case "/api/v2/tenants/settings":
		_ = enc.Encode(map[string]any{"friendly_name": "Acme", "flags": s.flags})
	case "/api/v2/clients":
		paged("clients", s.clients)
	case "/api/v2/logs":
		if s.noLogs {
			w.WriteHeader(http.StatusForbidden)
			_ = enc.Encode(map[string]any{"statusCode": 403, "error": "Forbidden", "message": "Insufficient scope, expected any of: read:logs", "errorCode": "insufficient_scope"})
			return
		}
		paged("logs", s.logs)
	default:
		w.WriteHeader(http.StatusNotFound)
	}
}

func readinessWorkspace(t *testing.T, s *mgmtServer) *Workspace {
	t.Helper()
	ws, _ := newWorkspace(t)
	p := profiles.Profile{Name: "mgmt", Issuer: s.URL + "/", ClientID: "m2m", Auth: "post"}
	if _, err := ws.Save(SaveRequest{Profile: p, ClientSecret: Store("m2m-secret")}); err != nil {
		t.Fatal(err)
	}
	return ws
}

// Readiness joins the tenant's flags, its applications (paged) and the
// deprecation notes (after a 429's Retry-After) with the code that calls
// legacy endpoints, per application, and lights each one.
func TestReadinessJoinsTheTenantTheLogsAndTheCode(t *testing.T) {
	t.Parallel()
	s := newMgmtServer(t)
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	s.clients = append(s.clients,
		map[string]any{"name": "Legacy SPA", "client_id": "spa-1", "app_type": "spa", "oidc_conformant": false, "grant_types": []string{"implicit", "urn:ietf:params:oauth:grant-type:jwt-bearer"}},
		map[string]any{"name": "Quiet Native", "client_id": "native-1", "app_type": "native", "oidc_conformant": false, "grant_types": []string{"authorization_code", "refresh_token"}},
		map[string]any{"name": "Modern Web", "client_id": "web-1", "app_type": "regular_web", "oidc_conformant": true, "grant_types": []string{"authorization_code", "refresh_token"}})
	for i := range 57 { // a second page of applications
		s.clients = append(s.clients, map[string]any{"name": fmt.Sprintf("M2M %d", i), "client_id": fmt.Sprintf("m2m-%d", i), "app_type": "non_interactive", "oidc_conformant": true, "grant_types": []string{"client_credentials"}})
	}
	for h := range 3 {
		s.logs = append(s.logs, map[string]any{"date": now.Add(-time.Duration(h+1) * time.Hour).Format(time.RFC3339), "type": "depnote", "description": "Legacy Delegation Grant Type", "client_id": "spa-1", "client_name": "Legacy SPA", "log_id": fmt.Sprint(h)})
	}
	s.logs = append(s.logs, map[string]any{"date": now.Add(-time.Hour).Format(time.RFC3339), "type": "depnote", "description": "Tokeninfo endpoint", "client_id": "deleted-app", "log_id": "x"})
	s.throttled = 1
	ws := readinessWorkspace(t, s)
	root := t.TempDir()
	_ = os.MkdirAll(filepath.Join(root, "web"), 0o755)
	_ = os.WriteFile(filepath.Join(root, "web", ".env"), []byte("AUTH0_CLIENT_ID=spa-1\n"), 0o600)
	_ = os.WriteFile(filepath.Join(root, "web", "auth.js"), []byte("auth0.getDelegationToken({})\n"), 0o600)
	_ = os.WriteFile(filepath.Join(root, "other.js"), []byte("fetch('/tokeninfo')\n"), 0o600)
	var slept []time.Duration
	rep, err := ws.Readiness(context.Background(), "mgmt", ReadinessOptions{Now: func() time.Time { return now }, ScanRoots: []string{root},
		Sleep: func(_ context.Context, d time.Duration) error { slept = append(slept, d); return nil },
		Scan: func(_ context.Context, r string) ([]CodeFinding, error) {
			return []CodeFinding{{File: "web/auth.js", Line: 1, Endpoint: "/delegation", Code: "legacy_delegation_call"}, {File: "other.js", Line: 1, Endpoint: "/tokeninfo", Code: "legacy_tokeninfo_request"}}, nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Applications) != 60 || len(slept) == 0 || slept[0] != 2*time.Second {
		t.Fatalf("%d applications (want 60 over two pages); slept %v (want Retry-After's 2s first)", len(rep.Applications), slept)
	}
	spa, native, web := rep.Applications[0], rep.Applications[1], rep.Applications[2]
	if spa.ClientID != "spa-1" || spa.Light != LightLegacy || len(spa.LegacyUse) != 1 || spa.LegacyUse[0].Count != 3 || spa.LegacyUse[0].Endpoint != "/delegation" ||
		spa.LegacyUse[0].Flag != FlagDelegation || len(spa.Code) != 1 || spa.Code[0].File != "web/auth.js" {
		t.Fatalf("the legacy SPA: %+v", spa)
	}
	steps := strings.Join(spa.Steps, "\n")
	if !strings.HasPrefix(steps, "web/auth.js:1 calls /delegation") || !strings.Contains(steps, "OIDC Conformant") || !strings.Contains(steps, "jwt-bearer") || !strings.Contains(steps, "switch off the tenant flags "+FlagDelegation) {
		t.Fatalf("steps, in order:\n%s", steps)
	}
	if native.ClientID != "native-1" || native.Light != LightFlag || web.Light != LightReady {
		t.Fatalf("native %s (%s), web %s", native.Light, native.Why, web.Light)
	}
	if len(rep.Unattributed) != 1 || rep.Unattributed[0].File != "other.js" || len(rep.UnknownClients) != 1 || rep.UnknownClients[0] != "deleted-app" {
		t.Fatalf("unattributed %+v, unknown %v", rep.Unattributed, rep.UnknownClients)
	}
	if !rep.Flags[FlagDelegation] || rep.Flags[FlagTokeninfo] || !rep.Since.Equal(now.Add(-30*24*time.Hour)) {
		t.Fatalf("flags %v since %s", rep.Flags, rep.Since)
	}
	for _, c := range s.calls {
		if strings.HasPrefix(c, "/api/v2/logs") && !strings.Contains(c, "type%3Adepnote") {
			t.Fatalf("the logs were not asked for deprecation notes: %s", c)
		}
	}
}

// A token without read:logs: one sentence that names the scope and where
// to grant it.
func TestReadinessSaysWhichScopeIsMissing(t *testing.T) {
	t.Parallel()
	s := newMgmtServer(t)
	s.noLogs = true
	ws := readinessWorkspace(t, s)
	_, err := ws.Readiness(context.Background(), "mgmt", ReadinessOptions{})
	if !errors.Is(err, ErrManagementAPI) || !strings.Contains(err.Error(), "GET /api/v2/logs (HTTP 403 insufficient_scope)") || !strings.Contains(err.Error(), "needs the read:logs scope") {
		t.Fatalf("%v", err)
	}
}
