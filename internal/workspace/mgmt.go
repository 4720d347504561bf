package workspace

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tokenscope/tokenscope/internal/httpx"
)

// ErrManagementAPI matches (errors.Is) every Management API failure.
var ErrManagementAPI = errors.New("the Management API call failed")

// mgmtClient calls an Auth0 Management API v2 with one access token,
// within its rate limits: it waits out a 429's Retry-After (or the
// X-RateLimit-Reset of an empty bucket), a few times at most.
type mgmtClient struct {
	http  *http.Client
	base  string // https://TENANT/api/v2/
	token string
	sleep func(ctx context.Context, d time.Duration) error
	now   func() time.Time
	tries int
}

// mgmtError is a refused Management API call, in Auth0's body.
type mgmtError struct {
	Method, Path string
	Status       int
	Code, Msg    string
	hint         string
}

func (e *mgmtError) Error() string {
	s := fmt.Sprintf("the Management API refused %s %s (HTTP %d", e.Method, e.Path, e.Status)
	if e.Code != "" {
		s += " " + e.Code
	}
	s += ")"
	if e.Msg != "" {
		s += ": " + e.Msg
	}
	if e.hint != "" {
		s += "; " + e.hint
	}
	return s
}

func (e *mgmtError) Is(target error) bool { return target == ErrManagementAPI }

// scopeFor names the scope each call needs, for the sentence a 403 gets.
var scopeFor = map[string]string{"tenants/settings": "read:tenant_settings", "clients": "read:clients", "logs": "read:logs"}

// get reads path (relative to base, with query q) into v.
func (c *mgmtClient) get(ctx context.Context, path string, q url.Values, v any) error {
	u := c.base + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	if _, err := httpx.CheckEndpointURL(u); err != nil {
		return err
	}
	for attempt := 0; ; attempt++ {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		req.Header.Set("Authorization", "Bearer "+c.token)
		req.Header.Set("Accept", "application/json")
		resp, err := c.http.Do(req)
		if err != nil {
			return fmt.Errorf("%w: could not reach %s: %s", ErrManagementAPI, c.base+path, httpx.Describe(err))
		}
		body, rerr := httpx.ReadBody(resp.Body, 8*httpx.MaxBody)
		resp.Body.Close()
		if resp.StatusCode == http.StatusTooManyRequests && attempt < c.tries {
			if err := c.sleep(ctx, c.retryAfter(resp.Header)); err != nil {
				return err
			}
			continue
		}
		if rerr != nil {
			return fmt.Errorf("%w: reading %s: %w", ErrManagementAPI, c.base+path, rerr)
		}
		if resp.StatusCode != http.StatusOK {
			var b struct {
				Message   string `json:"message"`
				ErrorCode string `json:"errorCode"`
				Error     string `json:"error"`
			}
			_ = json.Unmarshal(body, &b)
			e := &mgmtError{Method: "GET", Path: "/api/v2/" + path, Status: resp.StatusCode, Code: firstNonEmpty(b.ErrorCode, b.Error), Msg: b.Message}
			switch resp.StatusCode {
			case http.StatusForbidden:
				e.hint = fmt.Sprintf("the application needs the %s scope: grant it in the Auth0 Dashboard (Applications → APIs → Auth0 Management API → Machine to Machine Applications)", scopeFor[path])
			case http.StatusUnauthorized:
				e.hint = "the access token was refused: is the profile's audience the tenant's Management API (https://TENANT/api/v2/)?"
			case http.StatusTooManyRequests:
				e.hint = "the Management API's rate limit was still exhausted after waiting: try again later"
			}
			return e
		}
		// An empty bucket: wait for its reset before the next call.
		if resp.Header.Get("X-RateLimit-Remaining") == "0" {
			if err := c.sleep(ctx, c.untilReset(resp.Header)); err != nil {
				return err
			}
		}
		if err := json.Unmarshal(body, v); err != nil {
			return fmt.Errorf("%w: %s did not answer JSON: %w", ErrManagementAPI, c.base+path, err)
		}
		return nil
	}
}

// retryAfter is a 429's wait: Retry-After (seconds), else the reset.
func (c *mgmtClient) retryAfter(h http.Header) time.Duration {
	if s, err := strconv.Atoi(strings.TrimSpace(h.Get("Retry-After"))); err == nil && s >= 0 {
		return min(time.Duration(s)*time.Second, time.Minute)
	}
	return c.untilReset(h)
}

// untilReset is how long until X-RateLimit-Reset (a Unix time), capped.
func (c *mgmtClient) untilReset(h http.Header) time.Duration {
	if s, err := strconv.ParseInt(strings.TrimSpace(h.Get("X-RateLimit-Reset")), 10, 64); err == nil {
		if d := time.Unix(s, 0).Sub(c.now()); d > 0 {
			return min(d, time.Minute)
		}
		return 0
	}
	return time.Second
}

// TenantFlags are the tenant's legacy switches (GET /api/v2/tenants/settings).
type TenantFlags struct {
	AllowLegacyDelegationGrantTypes *bool `json:"allow_legacy_delegation_grant_types,omitempty"`
	AllowLegacyROGrantTypes         *bool `json:"allow_legacy_ro_grant_types,omitempty"`
	AllowLegacyTokeninfoEndpoint    *bool `json:"allow_legacy_tokeninfo_endpoint,omitempty"`
}

// MgmtClient is one application as GET /api/v2/clients returns it.
type MgmtClient struct {
	Name           string          `json:"name"`
	ClientID       string          `json:"client_id"`
	AppType        string          `json:"app_type,omitempty"`
	OIDCConformant bool            `json:"oidc_conformant"`
	GrantTypes     []string        `json:"grant_types"`
	RefreshToken   json.RawMessage `json:"refresh_token,omitempty"`
}

// MgmtLog is one tenant log entry (GET /api/v2/logs).
type MgmtLog struct {
	Date        time.Time `json:"date"`
	Type        string    `json:"type"`
	Description string    `json:"description"`
	ClientID    string    `json:"client_id"`
	ClientName  string    `json:"client_name"`
	LogID       string    `json:"log_id"`
}

func (c *mgmtClient) flags(ctx context.Context) (TenantFlags, error) {
	var s struct {
		Flags TenantFlags `json:"flags"`
	}
	err := c.get(ctx, "tenants/settings", nil, &s)
	return s.Flags, err
}

// mgmtPageSize is per_page for the paged calls (Auth0's maximum is 100).
const mgmtPageSize = 50

// maxPages bounds a paged read (a hostile or huge tenant).
const maxPages = 200

func (c *mgmtClient) clients(ctx context.Context) ([]MgmtClient, error) {
	var all []MgmtClient
	for page := 0; page < maxPages; page++ {
		var p struct {
			Total   int          `json:"total"`
			Clients []MgmtClient `json:"clients"`
		}
		q := url.Values{"page": {strconv.Itoa(page)}, "per_page": {strconv.Itoa(mgmtPageSize)}, "include_totals": {"true"}}
		if err := c.get(ctx, "clients", q, &p); err != nil {
			return all, err
		}
		all = append(all, p.Clients...)
		if len(p.Clients) < mgmtPageSize || len(all) >= p.Total {
			return all, nil
		}
	}
	return all, nil
}

// depnotes reads the deprecation notes since a time, newest first.
func (c *mgmtClient) depnotes(ctx context.Context, since time.Time) ([]MgmtLog, error) {
	var all []MgmtLog
	q := fmt.Sprintf("type:depnote AND date:[%s TO *]", since.UTC().Format(time.RFC3339))
	for page := 0; page < maxPages; page++ {
		var p struct {
			Total int       `json:"total"`
			Logs  []MgmtLog `json:"logs"`
		}
		v := url.Values{"q": {q}, "page": {strconv.Itoa(page)}, "per_page": {strconv.Itoa(mgmtPageSize)}, "include_totals": {"true"}, "sort": {"date:-1"}}
		if err := c.get(ctx, "logs", v, &p); err != nil {
			return all, err
		}
		for _, l := range p.Logs {
			if l.Type == "depnote" && !l.Date.Before(since) {
				all = append(all, l)
			}
		}
		if len(p.Logs) < mgmtPageSize || len(all) >= p.Total {
			return all, nil
		}
	}
	return all, nil
}
