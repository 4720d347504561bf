// Package exchange runs the OAuth 2.0 refresh-token grant through
// golang.org/x/oauth2, with an explicit client authentication style, and
// explains what comes back.
//
// x/oauth2's own refresh path sends no scope or audience; its
// client-credentials config sends EndpointParams exactly as given, with
// grant_type overridable, so that is what carries the refresh grant here.
// AuthStyle is always set: the library's automatic mode retries a failed
// request the other way, which would send a rotating refresh token twice.
package exchange

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/tokenscope/tokenscope/internal/httpx"
	"github.com/tokenscope/tokenscope/internal/oauth"
	"github.com/tokenscope/tokenscope/internal/secrets"
)

// Auth is the client authentication method: none, post or basic, in the
// words a migrated request and a profile use too.
type Auth = oauth.AuthMethod

const (
	AuthNone  = oauth.AuthNone
	AuthPost  = oauth.AuthPost
	AuthBasic = oauth.AuthBasic
)

// ParseAuth reads none, post or basic (or the OAuth names).
func ParseAuth(s string) (Auth, error) { return oauth.ParseAuthMethod(s) }

// Request is one token request: the refresh grant, or (Grant set) the
// client credentials grant.
type Request struct {
	// Grant is the grant type; "" means refresh_token.
	Grant        string
	TokenURL     string
	ClientID     string
	ClientSecret string // sent with post and basic only
	Auth         Auth
	RefreshToken string
	Scope        string
	Audience     string
	Params       map[string]string // extra parameters, e.g. resource= (RFC 8707)
}

// reserved parameters cannot be set through Params.
var reserved = map[string]bool{"grant_type": true, "refresh_token": true, "client_id": true, "client_secret": true}

// Validate says what is wrong with a request before anything is sent.
func (r Request) Validate() error {
	if _, err := httpx.CheckIssuerURL(r.TokenURL); err != nil {
		return fmt.Errorf("token endpoint: %v", err)
	}
	switch {
	case r.ClientID == "":
		return errors.New("no client ID: set it on the profile (or give it for this run)")
	case r.RefreshToken == "" && r.grant() == oauth.GrantRefreshToken:
		return errors.New("no refresh token: store one with the profile (or give one for this run)")
	case r.Auth != AuthNone && r.ClientSecret == "":
		return fmt.Errorf("client authentication %s needs the client secret: store it with the profile (or give it for this run)", r.Auth)
	}
	if _, err := ParseAuth(string(r.Auth)); err != nil {
		return err
	}
	for k := range r.Params {
		if reserved[k] {
			return fmt.Errorf("the extra parameter %q is set by Tokenscope itself and cannot be overridden", k)
		}
	}
	return nil
}

func (r Request) grant() string {
	if r.Grant == "" {
		return oauth.GrantRefreshToken
	}
	return r.Grant
}

func (r Request) config() *clientcredentials.Config {
	v := url.Values{"grant_type": {r.grant()}}
	if r.grant() == oauth.GrantRefreshToken {
		v.Set("refresh_token", r.RefreshToken)
	}
	if r.Scope != "" {
		v.Set("scope", r.Scope)
	}
	if r.Audience != "" {
		v.Set("audience", r.Audience)
	}
	for k, val := range r.Params {
		v.Set(k, val)
	}
	c := &clientcredentials.Config{ClientID: r.ClientID, TokenURL: r.TokenURL, EndpointParams: v, AuthStyle: oauth2.AuthStyleInParams}
	if r.Auth != AuthNone {
		c.ClientSecret = r.ClientSecret
	}
	if r.Auth == AuthBasic {
		c.AuthStyle = oauth2.AuthStyleInHeader
	}
	return c
}

// Response is a successful refresh.
type Response struct {
	Status       int
	Fields       map[string]any // every member of the response, as sent
	AccessToken  string
	IDToken      string
	RefreshToken string
	TokenType    string
	Scope        string
	ExpiresIn    int64
	Expiry       time.Time
	// Rotated: the server returned a new refresh token. Stored: it was
	// written by the store callback before Refresh returned; StoreErr says
	// why not (the new token is then the only copy).
	Rotated  bool
	Stored   bool
	StoreErr error
	Duration time.Duration
}

// ErrInFlight refuses a second refresh of one key while one runs: a double
// click must not send the same rotating refresh token twice.
var ErrInFlight = errors.New("a refresh for this profile is already running")

// Client runs refreshes. It is safe for concurrent use.
type Client struct {
	HTTP *http.Client
	// Timeout bounds one refresh (default 30 s).
	Timeout time.Duration

	mu       sync.Mutex
	inFlight map[string]bool
}

// NewClient returns a client that follows internal/httpx's rules.
func NewClient() *Client {
	return &Client{HTTP: httpx.NewClient(httpx.DefaultTimeout), Timeout: httpx.DefaultTimeout}
}

func (c *Client) claim(key string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.inFlight == nil {
		c.inFlight = map[string]bool{}
	}
	if c.inFlight[key] {
		return false
	}
	c.inFlight[key] = true
	return true
}

func (c *Client) release(key string) {
	c.mu.Lock()
	delete(c.inFlight, key)
	c.mu.Unlock()
}

// Refresh runs one refresh for key (a profile name). When the response
// carries a new refresh token, store is called with it before anything
// else happens with the response. A failed refresh is never retried.
//
// A 2xx answer that cannot be used (no access_token, a malformed field,
// HTML, over the size cap) returns an *Error with Code "invalid_response"
// together with a non-nil Response: its RefreshToken, Rotated, Stored and
// StoreErr say what became of a refresh token the answer carried.
func (c *Client) Refresh(ctx context.Context, key string, r Request, store func(newRefreshToken string) error) (*Response, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	if !c.claim(key) {
		return nil, ErrInFlight
	}
	defer c.release(key)
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = httpx.DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	rec := &recorder{base: c.HTTP.Transport}
	hc := *c.HTTP
	hc.Transport = rec
	start := time.Now()
	tok, err := r.config().Token(context.WithValue(ctx, oauth2.HTTPClient, &hc))
	elapsed := time.Since(start)
	if err != nil && rec.status >= 200 && rec.status < 300 {
		// The server accepted the refresh but x/oauth2 cannot use the
		// answer. The old refresh token may be spent all the same, so a
		// refresh_token in it is kept exactly as in a good answer.
		resp := &Response{Status: rec.status, Duration: elapsed, Fields: tokenFields(rec.body)}
		resp.RefreshToken, _ = resp.Fields["refresh_token"].(string)
		keepRotated(resp, r.RefreshToken, store)
		return resp, invalidResponse(err, rec)
	}
	if err != nil {
		return nil, classify(err, rec, ctx, r.Auth)
	}
	resp := &Response{Status: rec.status, AccessToken: tok.AccessToken, RefreshToken: tok.RefreshToken, TokenType: tok.TokenType, Expiry: tok.Expiry, Duration: elapsed}
	keepRotated(resp, r.RefreshToken, store)
	resp.Fields = tokenFields(rec.body)
	resp.IDToken, _ = resp.Fields["id_token"].(string)
	resp.Scope, _ = resp.Fields["scope"].(string)
	if n, ok := number(resp.Fields["expires_in"]); ok {
		resp.ExpiresIn = n
	}
	return resp, nil
}

// keepRotated marks a new refresh token as rotated and hands it to store
// before anything else happens with the response: the old one is spent.
func keepRotated(resp *Response, sent string, store func(string) error) {
	if resp.RefreshToken == "" || resp.RefreshToken == sent {
		return
	}
	resp.Rotated = true
	if store != nil {
		if resp.StoreErr = store(resp.RefreshToken); resp.StoreErr == nil {
			resp.Stored = true
		}
	}
}

// tokenFields returns every member of the response body, JSON or
// form-encoded (x/oauth2 accepts both), parsed once.
func tokenFields(body []byte) map[string]any {
	out := map[string]any{}
	if json.Unmarshal(body, &out) == nil {
		return out
	}
	if v, err := url.ParseQuery(string(body)); err == nil {
		for k := range v {
			out[k] = v.Get(k)
		}
	}
	return out
}

func number(v any) (int64, bool) {
	switch n := v.(type) {
	case float64:
		return int64(n), true
	case string:
		var i int64
		_, err := fmt.Sscan(n, &i)
		return i, err == nil
	}
	return 0, false
}

// Preview returns the request exactly as Refresh would send it: x/oauth2
// builds it and a transport catches it before it leaves.
func Preview(r Request) (*http.Request, []byte, error) {
	c := &capture{}
	hc := &http.Client{Transport: c}
	_, _ = r.config().Token(context.WithValue(context.Background(), oauth2.HTTPClient, hc))
	if c.req == nil {
		return nil, nil, errors.New("the request could not be built: check the token endpoint URL")
	}
	return c.req, c.body, nil
}

type capture struct {
	req  *http.Request
	body []byte
}

var errCaptured = errors.New("captured")

func (c *capture) RoundTrip(req *http.Request) (*http.Response, error) {
	c.req = req
	if req.Body != nil {
		c.body, _ = io.ReadAll(req.Body)
	}
	return nil, errCaptured
}

// recorder keeps the status, headers and body of the response (capped) so
// they can be shown and classified.
type recorder struct {
	base    http.RoundTripper
	status  int
	header  http.Header
	body    []byte
	readErr error // the body could not be read whole
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	base := r.base
	if base == nil {
		base = http.DefaultTransport
	}
	resp, err := base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	r.status, r.header = resp.StatusCode, resp.Header
	b, err := httpx.ReadBody(resp.Body, httpx.MaxBody)
	resp.Body.Close()
	if err != nil {
		r.readErr = err
		return nil, fmt.Errorf("the token endpoint's response: %w", err)
	}
	r.body = b
	resp.Body = io.NopCloser(bytes.NewReader(b))
	return resp, nil
}

// MaskedCurl renders a previewed request as curl with the refresh token
// and client secret masked, or literal when reveal is set.
func MaskedCurl(req *http.Request, body []byte, reveal bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "curl --request %s \\\n  --url '%s'", req.Method, req.URL.String())
	keys := make([]string, 0, len(req.Header))
	for k := range req.Header {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := req.Header.Get(k)
		if k == "Authorization" && !reveal {
			v = "Basic ••••••••"
		}
		fmt.Fprintf(&b, " \\\n  --header '%s: %s'", k, v)
	}
	form, _ := url.ParseQuery(string(body))
	fkeys := make([]string, 0, len(form))
	for k := range form {
		fkeys = append(fkeys, k)
	}
	sort.Strings(fkeys)
	for _, k := range fkeys {
		v := form.Get(k)
		if !reveal && (k == "refresh_token" || k == "client_secret") {
			v = secrets.Mask(v)
		}
		fmt.Fprintf(&b, " \\\n  --data-urlencode '%s=%s'", k, strings.ReplaceAll(v, "'", `'\''`))
	}
	return b.String() + "\n"
}
