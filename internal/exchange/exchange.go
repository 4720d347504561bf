// Package exchange runs the OAuth 2.0 refresh-token and client-credentials
// grants, with an explicit client authentication style, and explains what
// comes back.
//
// The request is the one golang.org/x/oauth2 builds (internal/token.go,
// newTokenRequest: the form, client_id and client_secret in it for post,
// Basic with both form-escaped for basic), and the answer is read by its
// rules (doTokenRoundTrip: a JSON or form-encoded body, an error member
// even under 200, expires_in as a number or a numeric string). It is sent
// here rather than through x/oauth2 because x/oauth2 parses every answer
// twice and keeps neither parse for us: a refresh cost 1.3 times the bare
// POST under it. Here the answer is parsed once into Response.Fields and
// the typed members are read from that. x/oauth2 still runs sign-in
// (internal/workspace), where the code and device grants are its own.
//
// AuthStyle is always explicit: x/oauth2's automatic mode retries a failed
// request the other way, which would send a rotating refresh token twice.
package exchange

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tokenscope/tokenscope/internal/curl"
	"github.com/tokenscope/tokenscope/internal/httpx"
	"github.com/tokenscope/tokenscope/internal/oauth"
	"github.com/tokenscope/tokenscope/internal/safetext"
	"github.com/tokenscope/tokenscope/internal/tokens"
)

// Request is one token request: the refresh grant, or (Grant set) the
// client credentials grant.
type Request struct {
	// Grant is the grant type; "" means refresh_token.
	Grant        string
	TokenURL     string
	ClientID     string
	ClientSecret string // sent with post and basic only
	Auth         oauth.AuthMethod
	RefreshToken string
	Scope        string
	Audience     string
	Params       map[string]string // extra parameters, e.g. resource= (RFC 8707)
}

// Validate says what is wrong with a request before anything is sent.
func (r Request) Validate() error {
	if _, err := httpx.CheckEndpointURL(r.TokenURL); err != nil {
		return fmt.Errorf("token endpoint: %w", err)
	}
	switch {
	case r.ClientID == "":
		return errors.New("no client ID: set it on the profile (or give it for this run)")
	case r.RefreshToken == "" && r.grant() == oauth.GrantRefreshToken:
		return errors.New("no refresh token: store one with the profile (or give one for this run)")
	case r.Auth != oauth.AuthNone && r.ClientSecret == "":
		return fmt.Errorf("client authentication %s needs the client secret: store it with the profile (or give it for this run)", r.Auth)
	}
	if _, err := oauth.ParseAuthMethod(string(r.Auth)); err != nil {
		return err
	}
	for k := range r.Params {
		if oauth.Reserved(k) {
			return fmt.Errorf("the extra parameter %q is %w and cannot be overridden", k, oauth.ErrReservedParam)
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

// form is the request body: x/oauth2's url.Values encoding (keys sorted,
// form-escaped), with the client's credentials in it for post
// (AuthStyleInParams), built without the map.
func (r Request) form() []byte {
	type pair struct{ k, v string }
	var buf [8]pair
	pairs := buf[:0]
	set := func(k, v string) {
		for i := range pairs {
			if pairs[i].k == k {
				pairs[i].v = v
				return
			}
		}
		pairs = append(pairs, pair{k, v})
	}
	set("grant_type", r.grant())
	if r.grant() == oauth.GrantRefreshToken {
		set("refresh_token", r.RefreshToken)
	}
	if r.Scope != "" {
		set("scope", r.Scope)
	}
	if r.Audience != "" {
		set("audience", r.Audience)
	}
	for k, v := range r.Params {
		set(k, v)
	}
	if r.Auth != oauth.AuthBasic {
		set("client_id", r.ClientID)
	}
	if r.Auth == oauth.AuthPost && r.ClientSecret != "" {
		set("client_secret", r.ClientSecret)
	}
	slices.SortFunc(pairs, func(a, b pair) int { return strings.Compare(a.k, b.k) })
	n := 0
	for _, p := range pairs {
		n += len(p.k) + len(p.v) + 2
	}
	b := make([]byte, 0, n+n/4)
	for i, p := range pairs {
		if i > 0 {
			b = append(b, '&')
		}
		b = append(b, url.QueryEscape(p.k)...)
		b = append(b, '=')
		b = append(b, url.QueryEscape(p.v)...)
	}
	return b
}

// httpRequest is the POST Refresh sends and Preview shows.
func (r Request) httpRequest(ctx context.Context) (*http.Request, []byte, error) {
	body := r.form()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.TokenURL, bytes.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if r.Auth == oauth.AuthBasic {
		// RFC 6749 §2.3.1: both form-encoded before Basic encoding.
		req.SetBasicAuth(url.QueryEscape(r.ClientID), url.QueryEscape(r.ClientSecret))
	}
	return req, body, nil
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
	if timeout != c.HTTP.Timeout { // http.Client enforces its own Timeout
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	req, _, err := r.httpRequest(ctx)
	if err != nil {
		return nil, &Error{Cause: err, Hint: "the token endpoint URL cannot be used: check it"}
	}
	start := time.Now()
	hr, err := c.HTTP.Do(req)
	if err != nil {
		return nil, transportError(err, ctx)
	}
	a := answer{status: hr.StatusCode, header: hr.Header}
	a.body, a.readErr = httpx.ReadBody(hr.Body, httpx.MaxBody)
	hr.Body.Close()
	elapsed := time.Since(start) // the exchange, not the keyring write after it
	resp, err := a.response(r.Auth, r.RefreshToken, store)
	if resp != nil {
		resp.Duration = elapsed
	}
	return resp, err
}

// answer is what the token endpoint sent back.
type answer struct {
	status  int
	header  http.Header
	body    []byte
	readErr error // the body could not be read whole (over the cap, cut off)
}

// response reads an answer to a request that authenticated with auth and
// sent the refresh token sent. A 2xx answer that cannot be used still
// returns its Response, and a refresh_token in it is kept first (handed to
// store): the old one may be spent whatever else is wrong.
func (a answer) response(auth oauth.AuthMethod, sent string, store func(string) error) (*Response, error) {
	if a.status < 200 || a.status > 299 {
		return nil, a.oauthError(auth)
	}
	resp := &Response{Status: a.status}
	var err error
	form := false
	if a.readErr == nil {
		resp.Fields, form, err = parseFields(a.header.Get("Content-Type"), a.body)
	}
	resp.RefreshToken, _ = resp.Fields["refresh_token"].(string)
	keepRotated(resp, sent, store)
	if reason := resp.fill(a, form, err); reason != "" {
		return resp, invalidResponse(reason, a)
	}
	return resp, nil
}

// parseFields reads a token response's members, once: form-encoded when
// the server says so (form is then true), as x/oauth2 accepts, and JSON
// otherwise, numbers as json.Number.
func parseFields(contentType string, body []byte) (fields map[string]any, form bool, err error) {
	media, _, _ := mime.ParseMediaType(contentType)
	if media == "application/x-www-form-urlencoded" || media == "text/plain" {
		v, err := url.ParseQuery(string(body))
		out := make(map[string]any, len(v))
		for k := range v {
			out[k] = v.Get(k)
		}
		return out, true, err
	}
	fields, err = tokens.JSONObject(body)
	return fields, false, err
}

// fill sets the typed members from Fields, by x/oauth2's rules
// (internal/token.go: tokenJSON and expirationTime), or says in a few
// words why the answer is not a token response.
// FuzzAnswersAgreeWithXOAuth2 holds the two to the same verdicts.
func (resp *Response) fill(a answer, form bool, parseErr error) string {
	switch {
	case a.readErr != nil:
		return fmt.Sprintf("the answer could not be read: %v", a.readErr)
	case parseErr != nil && strings.Contains(a.header.Get("Content-Type"), "html"):
		return "the answer is an HTML page, not a token response"
	case parseErr != nil:
		return "the answer is not a valid token response: " + parseErr.Error()
	}
	if !form {
		for _, k := range []string{"access_token", "refresh_token", "token_type", "error", "error_description", "error_uri"} {
			if v, ok := resp.Fields[k]; ok && v != nil {
				if _, isString := v.(string); !isString {
					return fmt.Sprintf("the answer is not a valid token response: %s is %s, not a string", k, jsonKind(v))
				}
			}
		}
	}
	if code, _ := resp.Fields["error"].(string); code != "" {
		desc, _ := resp.Fields["error_description"].(string)
		return fmt.Sprintf("the answer says error %q (%s) under a success status", code, desc)
	}
	resp.AccessToken, _ = resp.Fields["access_token"].(string)
	resp.IDToken, _ = resp.Fields["id_token"].(string)
	resp.TokenType, _ = resp.Fields["token_type"].(string)
	resp.Scope, _ = resp.Fields["scope"].(string)
	if v, ok := resp.Fields["expires_in"]; ok && v != nil {
		n, ok := expiresIn(v)
		if !ok && !form {
			return fmt.Sprintf("the answer is not a valid token response: expires_in is %s, not a whole number of seconds", jsonKind(v))
		}
		resp.ExpiresIn = n // a form-encoded one that is not a number is 0, as in x/oauth2
		if n != 0 {
			resp.Expiry = time.Now().Add(time.Duration(n) * time.Second)
		}
	}
	if resp.AccessToken == "" {
		return "the answer has no access_token"
	}
	return ""
}

// expiresIn reads expires_in as x/oauth2 does: a JSON integer, or a string
// holding one (some servers quote it), capped at 2³¹−1 seconds.
func expiresIn(v any) (int64, bool) {
	var digits string
	switch x := v.(type) {
	case json.Number:
		digits = string(x)
	case string:
		// encoding/json takes a quoted json.Number only if it is a valid
		// JSON number literal, with no space or plus sign around it.
		if x == "" || !(x[0] == '-' || x[0] >= '0' && x[0] <= '9') || !json.Valid([]byte(x)) {
			return 0, false
		}
		digits = x
	default:
		return 0, false
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		return 0, false
	}
	return min(n, math.MaxInt32), true
}

func jsonKind(v any) string {
	switch x := v.(type) {
	case string:
		return fmt.Sprintf("the text %q", truncate(x, 40))
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return "null"
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

// Preview returns the request exactly as Refresh sends it, built by the
// same code.
func Preview(r Request) (*http.Request, []byte, error) {
	req, body, err := r.httpRequest(context.Background())
	if err != nil {
		return nil, nil, errors.New("the request could not be built: check the token endpoint URL")
	}
	return req, body, nil
}

// MaskedCurl renders a previewed request as curl with the refresh token
// and client secret masked, or literal when reveal is set. Every argument
// is quoted for the shell (internal/curl): what runs is what was previewed.
func MaskedCurl(req *http.Request, body []byte, reveal bool) string {
	c := curl.Command{Method: req.Method, URL: req.URL.String()}
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
		c.Headers = append(c.Headers, curl.Header{Name: k, Value: v})
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
			v = safetext.Mask(v)
		}
		c.Form = append(c.Form, curl.Param{Name: k, Value: v})
	}
	return c.String()
}

// Curl is the request as the curl command that sends it, every argument
// quoted for the shell, with the refresh token and client secret masked
// unless reveal is set. The error says why the request cannot be built.
func (r Request) Curl(reveal bool) (string, error) {
	req, body, err := Preview(r)
	if err != nil {
		return "", err
	}
	return MaskedCurl(req, body, reveal), nil
}
