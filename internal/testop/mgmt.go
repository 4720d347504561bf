package testop

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"
)

// ManagementAPI answers as Auth0's Management API v2 does, in the shapes its
// reference gives (https://auth0.com/docs/api/management/v2/clients/get-clients,
// .../logs/get-logs, .../tenants/tenant-settings-route): paged lists with
// include_totals → {start, limit, length, total, <items>}; errors as
// {statusCode, error, message, errorCode}; rate limits in X-RateLimit-*
// and a 429 with Retry-After.
type ManagementAPI struct {
	*httptest.Server
	Mu        sync.Mutex
	Clients   []map[string]any
	Logs      []map[string]any
	Flags     map[string]bool
	NoLogs    bool // the token lacks read:logs
	Throttled int  // how many calls answer 429 first
	Calls     []string
}

func StartManagementAPI(t testing.TB) *ManagementAPI {
	s := &ManagementAPI{Flags: map[string]bool{"allow_legacy_delegation_grant_types": true, "allow_legacy_ro_grant_types": true, "allow_legacy_tokeninfo_endpoint": false}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *ManagementAPI) serve(w http.ResponseWriter, r *http.Request) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	s.Calls = append(s.Calls, r.URL.Path+"?"+r.URL.RawQuery)
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
	if s.Throttled > 0 {
		s.Throttled--
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
		_ = enc.Encode(map[string]any{"friendly_name": "Acme", "flags": s.Flags})
	case "/api/v2/clients":
		paged("clients", s.Clients)
	case "/api/v2/logs":
		if s.NoLogs {
			w.WriteHeader(http.StatusForbidden)
			_ = enc.Encode(map[string]any{"statusCode": 403, "error": "Forbidden", "message": "Insufficient scope, expected any of: read:logs", "errorCode": "insufficient_scope"})
			return
		}
		paged("logs", s.Logs)
	default:
		w.WriteHeader(http.StatusNotFound)
	}
}
