package workspace

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"net/url"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"

	"github.com/tokenscope/tokenscope/internal/discovery"
	"github.com/tokenscope/tokenscope/internal/exchange"
	"github.com/tokenscope/tokenscope/internal/httpx"
	"github.com/tokenscope/tokenscope/internal/oauth"
	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/safetext"
	"github.com/tokenscope/tokenscope/internal/secrets"
	"github.com/tokenscope/tokenscope/internal/tokens"
)

// DefaultLoginScope asks for an ID token, the profile and a refresh token.
const DefaultLoginScope = "openid profile email offline_access"

// DefaultLoginTimeout bounds how long a sign-in waits for the browser.
const DefaultLoginTimeout = 5 * time.Minute

// LoginOptions are one sign-in's choices. Empty fields take the profile's
// values or the defaults.
type LoginOptions struct {
	Scope, Audience, Prompt, Organization, Connection, LoginHint string
	MaxAge                                                       *int
	Params                                                       map[string]string
	// RedirectURI overrides the profile's (a loopback http URL).
	RedirectURI string
	// Open shows the authorization URL to the user: the system browser,
	// or (nil) nothing — then OnURL must show it.
	Open  func(authURL string) error
	OnURL func(authURL string)
	// Timeout bounds the wait for the browser (DefaultLoginTimeout).
	Timeout time.Duration
}

// LoginResult is a sign-in's outcome. Response holds the tokens; when
// Response.Rotated is set and Stored is not, the refresh token is the only
// copy (the keyring refused it) and must be shown.
type LoginResult struct {
	Profile  profiles.Profile
	TokenURL string
	Response *exchange.Response
	// Subject and Issuer are the verified ID token's sub and iss (empty
	// when the provider sent no ID token because openid was not asked for).
	Subject, Issuer string
	Err             error
}

// OpenBrowser opens url with the platform's opener: xdg-open on Linux and
// the BSDs, open on macOS, the URL handler on Windows. Only an https URL
// (or http to loopback) is handed over: an opener runs whatever a file:,
// javascript: or "-option" value makes it run.
func OpenBrowser(u string) error {
	if _, err := httpx.CheckBrowserURL(u); err != nil {
		return fmt.Errorf("not opened in the browser: %w", err)
	}
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", u)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", u)
	default:
		cmd = exec.Command("xdg-open", u)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("could not open the browser (%w): open the URL yourself", err)
	}
	// An opener that finds no browser says so by exiting non-zero at once
	// (xdg-open: 3, "a required tool could not be found"); one still
	// running after a moment has handed the URL over (some openers wait
	// for the browser to close).
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("the browser opener found no browser (%w): open the URL yourself", err)
		}
	case <-time.After(openerGrace):
	}
	return nil
}

// openerGrace is how long OpenBrowser waits to hear that no browser exists.
const openerGrace = 2 * time.Second

// LoginError is a sign-in that did not finish, explained.
type LoginError struct {
	Code, Description string // the provider's error, when it sent one
	Hint              string
}

// Error is for people: the provider's code and description are shown with
// control characters made visible (a terminal never acts on them).
func (e *LoginError) Error() string {
	s := safetext.Line(e.Code)
	if e.Description != "" {
		s += " (" + safetext.Line(e.Description) + ")"
	}
	if e.Hint != "" {
		if s != "" {
			s += ": "
		}
		s += e.Hint
	}
	return s
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// oauthConfig is the profile as an x/oauth2 config, with the client
// authentication style always explicit (never auto-detect, which retries).
func oauthConfig(l Loaded, m *discovery.Metadata, redirect string, scope []string) *oauth2.Config {
	style := oauth2.AuthStyleInParams
	if l.Profile.Auth == string(oauth.AuthBasic) {
		style = oauth2.AuthStyleInHeader
	}
	secret := ""
	if oauth.AuthMethod(l.Profile.Auth).NeedsSecret() {
		secret = l.ClientSecret
	}
	return &oauth2.Config{ClientID: l.Profile.ClientID, ClientSecret: secret, RedirectURL: redirect, Scopes: scope,
		Endpoint: oauth2.Endpoint{AuthURL: m.AuthorizationEndpoint, TokenURL: m.TokenEndpoint, DeviceAuthURL: m.DeviceAuthorizationEndpoint, AuthStyle: style}}
}

// prepareSignIn loads the profile, its client secret and the issuer's
// metadata, and starts the result: its profile and token endpoint, or in
// Err what is missing, before any browser opens.
func (w *Workspace) prepareSignIn(ctx context.Context, name string) (Loaded, *discovery.Metadata, LoginResult) {
	l, err := w.Load(ctx, name)
	res := LoginResult{Profile: l.Profile}
	switch {
	case err != nil:
		res.Err = err
	case l.SecretsErr != nil:
		res.Err = l.SecretsErr
	case oauth.AuthMethod(l.Profile.Auth).NeedsSecret() && l.ClientSecret == "":
		res.Err = fmt.Errorf("profile %s authenticates with %s but has no client secret in the keyring: store it first", name, l.Profile.Auth)
	}
	if res.Err != nil {
		return l, nil, res
	}
	m, err := w.Discover(ctx, l.Profile.Issuer)
	if err != nil {
		res.Err = fmt.Errorf("discovering %s: %w", l.Profile.Issuer, err)
		return l, nil, res
	}
	res.TokenURL = m.TokenEndpoint
	return l, m, res
}

// Login signs in with the authorization code flow and PKCE (RFC 7636) for
// native apps (RFC 8252): a loopback listener receives the redirect;
// state, nonce and an S256 challenge are fresh every time; the code is
// redeemed through x/oauth2; the ID token is verified against the issuer's
// keys (signature, iss, aud, nonce, at_hash) before anything is stored; the
// refresh token is stored under the profile's lock, as a rotation is.
func (w *Workspace) Login(ctx context.Context, name string, o LoginOptions) LoginResult {
	l, m, res := w.prepareSignIn(ctx, name)
	if res.Err != nil {
		return res
	}
	if m.AuthorizationEndpoint == "" {
		res.Err = fmt.Errorf("%s lists no authorization_endpoint: sign in through the device grant (--device) if it offers one", l.Profile.Issuer)
		return res
	}
	redirect := firstNonEmpty(o.RedirectURI, l.Profile.RedirectURI)
	lns, redirect, err := listen(redirect)
	if err != nil {
		res.Err = err
		return res
	}
	state, nonce, verifier := randomToken(), randomToken(), oauth2.GenerateVerifier()
	scope := strings.Fields(firstNonEmpty(o.Scope, l.Profile.Scope, DefaultLoginScope))
	cfg := oauthConfig(l, m, redirect, scope)
	opts := []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(verifier), oauth2.SetAuthURLParam("nonce", nonce)}
	for k, v := range map[string]string{"audience": firstNonEmpty(o.Audience, l.Profile.Audience), "prompt": o.Prompt,
		"organization": o.Organization, "connection": o.Connection, "login_hint": o.LoginHint} {
		if v != "" {
			opts = append(opts, oauth2.SetAuthURLParam(k, v))
		}
	}
	if o.MaxAge != nil {
		opts = append(opts, oauth2.SetAuthURLParam("max_age", strconv.Itoa(*o.MaxAge)))
	}
	for k, v := range o.Params {
		opts = append(opts, oauth2.SetAuthURLParam(k, v))
	}
	authURL := cfg.AuthCodeURL(state, opts...)
	if _, err := httpx.CheckBrowserURL(authURL); err != nil {
		for _, ln := range lns {
			ln.Close()
		}
		res.Err = fmt.Errorf("the authorization URL of %s is not opened: %w", l.Profile.Issuer, err)
		return res
	}

	timeout := o.Timeout
	if timeout <= 0 {
		timeout = DefaultLoginTimeout
	}
	wctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	results := make(chan url.Values, 1)
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, MaxHeaderBytes: maxCallbackHeader,
		Handler: callbackHandler(redirect, l.Profile.Issuer, state, results)}
	for _, ln := range lns {
		go func() { _ = srv.Serve(ln) }()
	}
	defer func() {
		// Let the callback page reach the browser (its answer is sent
		// before it is handed over), then close the listeners whatever
		// happens.
		sctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
		srv.Close()
	}()

	if o.OnURL != nil {
		o.OnURL(authURL)
	}
	if o.Open != nil {
		if err := o.Open(authURL); err != nil && o.OnURL == nil {
			res.Err = err
			return res
		}
	}
	var q url.Values
	select {
	case q = <-results:
	case <-wctx.Done():
		if errors.Is(wctx.Err(), context.DeadlineExceeded) {
			res.Err = &LoginError{Hint: fmt.Sprintf("no answer from the browser within %s: the sign-in was cancelled and the listener on %s closed; start again", timeout, redirect)}
		} else {
			res.Err = &LoginError{Hint: "the sign-in was cancelled"}
		}
		return res
	}
	if res.Err = callbackError(q, state); res.Err != nil {
		return res
	}
	var id idClaims
	res.Response, id, res.Err = w.redeem(ctx, l, m, cfg, q.Get("code"), verifier, idExpect{nonce: nonce, scope: scope, maxAge: o.MaxAge})
	res.Subject, res.Issuer = id.sub, id.iss
	return res
}

// maxCallbackHeader bounds a request to the redirect listener (request
// line and headers); maxCallbackRequests bounds how many it answers.
const (
	maxCallbackHeader   = 16 << 10
	maxCallbackRequests = 64
)

// listen opens the loopback listener for redirect, or for a free port on
// 127.0.0.1 when redirect is "", and returns the redirect URI it serves.
// RFC 8252 §7.3: the redirect is http on a loopback address — 127.0.0.1,
// [::1], or localhost, which is served on both 127.0.0.1 and [::1] since a
// browser may resolve it to either. 0.0.0.0, [::] and every other host
// are refused: the listener must not be reachable from the network.
func listen(redirect string) ([]net.Listener, string, error) {
	if redirect == "" {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, "", fmt.Errorf("cannot listen on loopback for the sign-in redirect: %w", err)
		}
		return []net.Listener{ln}, "http://" + ln.Addr().String() + "/callback", nil
	}
	u, err := httpx.CheckRedirectURI(redirect)
	if err != nil {
		return nil, "", err
	}
	hosts := []string{u.Hostname()}
	if strings.EqualFold(u.Hostname(), "localhost") {
		hosts = []string{"127.0.0.1", "::1"}
	}
	var lns []net.Listener
	for i, h := range hosts {
		ln, err := net.Listen("tcp", net.JoinHostPort(h, u.Port()))
		if err != nil && i == 0 {
			return nil, "", fmt.Errorf("cannot listen on %s for the sign-in redirect (%w): close what uses that port, or register another redirect URI", u.Host, err)
		}
		if err == nil { // [::1] for localhost is a courtesy: IPv6 may be off
			lns = append(lns, ln)
		}
	}
	return lns, redirect, nil
}

// callbackHandler answers the redirect listener. Only a request carrying
// this sign-in's state ends it — with a code or with the provider's
// error= (RFC 6749 §4.1.2 and §4.1.2.1 send state back in both); any
// other request (a forged one, an old tab) gets a short page and the
// sign-in keeps waiting, so it cannot cancel a sign-in in progress. Past
// maxCallbackRequests the listener answers 429 and reads no more.
func callbackHandler(redirect, issuer, state string, results chan<- url.Values) http.Handler {
	u, _ := url.Parse(redirect)
	path := u.Path
	if path == "" {
		path = "/"
	}
	var count atomic.Int32
	var answered atomic.Bool
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		status, title, body := http.StatusOK, "Signed in", "Tokenscope received the sign-in from "+issuer+". You can close this tab."
		q := r.URL.Query()
		hand := false // this request is the answer: hand it over once its page is sent
		switch {
		case count.Add(1) > maxCallbackRequests:
			status, title, body = http.StatusTooManyRequests, "Too many requests", "Tokenscope's sign-in listener has answered too many requests and reads no more."
		case r.URL.Path != path:
			status, title, body = http.StatusNotFound, "Not found", "This is not Tokenscope's sign-in address."
		case r.Method != http.MethodGet:
			status, title, body = http.StatusMethodNotAllowed, "Not allowed", "Tokenscope's sign-in listener takes the provider's GET redirect only."
		case subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(state)) != 1:
			status, title, body = http.StatusBadRequest, "Not this sign-in", "This request does not carry the state of the sign-in Tokenscope is waiting for (an old tab, or a forged link): it is ignored, and Tokenscope keeps waiting for the provider's answer."
		default:
			if err := callbackError(q, state); err != nil {
				title, body = "Sign-in failed", err.Error()
			}
			if hand = answered.CompareAndSwap(false, true); !hand {
				// a second answer with our state: the first one decided
				title, body = "Already answered", "Tokenscope already received an answer for this sign-in. You can close this tab."
			}
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Frame-Options", "DENY")
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
		w.WriteHeader(status)
		fmt.Fprintf(w, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>%s — Tokenscope</title><style>body{font:16px system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem}</style></head><body><h1 id="title">%s</h1><p id="message">%s</p></body></html>`,
			html.EscapeString(title), html.EscapeString(title), html.EscapeString(body))
		if hand {
			// The page goes out first: the sign-in may end, and its
			// listener close, as soon as it has the answer.
			if f, ok := w.(http.Flusher); ok {
				f.Flush()
			}
			results <- q // buffered for the one answer
		}
	})
}

// callbackError checks the redirect's query: the state (RFC 6749 §10.12),
// the provider's error, and the code.
func callbackError(q url.Values, state string) error {
	switch {
	case subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(state)) != 1:
		return &LoginError{Code: "state_mismatch", Hint: "the browser came back with a state that is not this sign-in's (an old tab, or a forged redirect): nothing was stored; start again"}
	case q.Get("error") != "":
		e := &LoginError{Code: q.Get("error"), Description: q.Get("error_description")}
		switch e.Code {
		case "access_denied":
			e.Hint = "the sign-in was cancelled or refused at the provider (the user pressed cancel, or a rule or Action denied it): nothing was stored"
		case "login_required", "consent_required", "interaction_required":
			e.Hint = "the provider needs the user to sign in or consent interactively: try again without prompt=none"
		case "invalid_request", "unauthorized_client":
			e.Hint = "the provider refused the request: check the application's Allowed Callback URLs (the redirect URI) and that the Authorization Code grant is enabled"
		default:
			e.Hint = "the provider refused the sign-in: nothing was stored"
		}
		return e
	case q.Get("code") == "":
		return &LoginError{Code: "no_code", Hint: "the redirect carried no authorization code: nothing was stored"}
	}
	return nil
}

// redeem exchanges the code, verifies the ID token and stores the refresh
// token under the profile's lock.
func (w *Workspace) redeem(ctx context.Context, l Loaded, m *discovery.Metadata, cfg *oauth2.Config, code, verifier string, want idExpect) (*exchange.Response, idClaims, error) {
	start := time.Now()
	tok, err := cfg.Exchange(context.WithValue(ctx, oauth2.HTTPClient, w.HTTP), code, oauth2.VerifierOption(verifier))
	if err != nil {
		err = explainTokenError(err, oauth.AuthMethod(l.Profile.Auth))
		w.record(l.Profile.Name, m.TokenEndpoint, start, nil, err)
		return nil, idClaims{}, err
	}
	resp := responseOf(tok, time.Since(start))
	id, err := w.checkIDToken(ctx, l, m, resp, want)
	if err != nil {
		return nil, idClaims{}, err
	}
	err = w.storeSignIn(ctx, l.Profile.Name, resp)
	w.record(l.Profile.Name, m.TokenEndpoint, start, resp, nil)
	return resp, id, err
}

// storeSignIn keeps a sign-in's refresh token in the keyring under the
// profile's lock, and notes the sign-in time. When the keyring refuses,
// Stored is false and the caller must show the token.
func (w *Workspace) storeSignIn(ctx context.Context, name string, resp *exchange.Response) error {
	if resp.RefreshToken == "" {
		_ = w.Profiles.Update(name, func(p *profiles.Profile) error { now := time.Now().UTC(); p.LastSignIn = &now; return nil })
		return nil
	}
	resp.Rotated = true // a new refresh token: show it if it cannot be stored
	unlock, err := w.LockProfile(ctx, name, DefaultWait, nil)
	if err == nil {
		resp.StoreErr = w.Secrets.Set(name, secrets.RefreshToken, resp.RefreshToken)
		if resp.StoreErr == nil {
			w.noteFamily(name, func(f *Family, now time.Time) { f.begin(resp.RefreshToken, "sign-in", now) })
		}
		unlock()
	} else {
		resp.StoreErr = err
	}
	resp.Stored = resp.StoreErr == nil
	_ = w.Profiles.Update(name, func(p *profiles.Profile) error { now := time.Now().UTC(); p.LastSignIn = &now; return nil })
	return nil
}

// idExpect is what a sign-in's ID token must match: the nonce the
// authorization request sent ("" in the device grant, which has none), the
// scope asked for, and max_age when it was sent.
type idExpect struct {
	nonce  string
	scope  []string
	maxAge *int
}

// idClaims are the verified ID token's subject and issuer.
type idClaims struct{ sub, iss string }

// checkIDToken validates a sign-in's ID token as OpenID Connect Core 1.0
// §3.1.3.7 says for one from the token endpoint, against the issuer the
// profile names (trusted: the user chose it): signature with the issuer's
// keys and the allowed algorithms; iss exactly; aud containing our
// client_id; azp, when present or when there are several audiences, equal
// to it; exp and iat present and in range (with the leeway); sub present
// (§2 makes iss, sub, aud, exp and iat REQUIRED); nonce equal to ours;
// auth_time within max_age when max_age was sent (§3.1.2.1). at_hash is
// OPTIONAL here (§3.1.3.6): checked when present, never required. When
// openid was asked for and no ID token came, nothing is stored.
func (w *Workspace) checkIDToken(ctx context.Context, l Loaded, m *discovery.Metadata, resp *exchange.Response, want idExpect) (idClaims, error) {
	refuse := func(why string) (idClaims, error) {
		return idClaims{}, &LoginError{Code: "invalid_id_token", Hint: why + ": nothing was stored"}
	}
	if resp.IDToken == "" {
		if slices.Contains(want.scope, "openid") {
			return idClaims{}, &LoginError{Code: "no_id_token", Hint: "openid was asked for but the provider sent no ID token (OpenID Connect Core §3.1.3.3), so the sign-in cannot be verified: nothing was stored"}
		}
		return idClaims{}, nil
	}
	tok, err := tokens.Decode(resp.IDToken, time.Now())
	if err != nil {
		return refuse("the ID token cannot be read (" + err.Error() + ")")
	}
	ks, err := w.IssuerKeys(ctx, l.Profile.Issuer)
	if err != nil {
		return refuse("the issuer's keys could not be fetched to verify the ID token (" + err.Error() + ")")
	}
	o := tokens.Options{Keys: ks.Keys, Issuer: m.Issuer, Audience: l.Profile.ClientID, ClientID: l.Profile.ClientID, Nonce: want.nonce, Leeway: tokens.DefaultLeeway}
	if _, has := tok.ClaimString("at_hash"); has {
		o.AccessToken = resp.AccessToken
	}
	rep := tokens.Verify(ctx, tok, o)
	var failed []string
	for _, c := range rep.Checks {
		required := c.Name == "signature" || c.Name == "iss" || c.Name == "aud" || c.Name == "exp" || c.Name == "iat" || c.Name == "nonce"
		if c.Status == tokens.Fail || required && c.Status != tokens.Pass {
			failed = append(failed, c.Name+": "+c.Detail)
		}
	}
	sub, _ := tok.ClaimString("sub")
	if sub == "" {
		failed = append(failed, "sub: no sub claim (required in every ID token, OpenID Connect Core §2)")
	}
	if want.maxAge != nil {
		if d := authAge(tok); d == nil {
			failed = append(failed, "auth_time: max_age was sent but the ID token has no auth_time (OpenID Connect Core §3.1.2.1)")
		} else if *d > time.Duration(*want.maxAge)*time.Second+tokens.DefaultLeeway {
			failed = append(failed, fmt.Sprintf("auth_time: the user signed in %s ago, longer than max_age %ds", tokens.Duration(*d), *want.maxAge))
		}
	}
	if len(failed) > 0 {
		return refuse("the ID token failed verification (" + safetext.Line(strings.Join(failed, "; ")) + ")")
	}
	iss, _ := tok.ClaimString("iss")
	return idClaims{sub: sub, iss: iss}, nil
}

// authAge is how long ago the ID token's auth_time was, or nil without a
// readable one.
func authAge(tok *tokens.Token) *time.Duration {
	at, ok, err := tok.TimeClaim("auth_time")
	if !ok || err != nil {
		return nil
	}
	d := time.Since(at)
	return &d
}

// responseOf turns an x/oauth2 token into the response the screens show.
func responseOf(tok *oauth2.Token, d time.Duration) *exchange.Response {
	resp := &exchange.Response{Status: 200, AccessToken: tok.AccessToken, RefreshToken: tok.RefreshToken, TokenType: tok.TokenType, Expiry: tok.Expiry, Duration: d,
		Fields: map[string]any{"access_token": tok.AccessToken, "token_type": tok.TokenType}}
	if id, ok := tok.Extra("id_token").(string); ok {
		resp.IDToken, resp.Fields["id_token"] = id, id
	}
	if s, ok := tok.Extra("scope").(string); ok {
		resp.Scope, resp.Fields["scope"] = s, s
	}
	if tok.RefreshToken != "" {
		resp.Fields["refresh_token"] = tok.RefreshToken
	}
	if tok.ExpiresIn > 0 {
		resp.ExpiresIn, resp.Fields["expires_in"] = tok.ExpiresIn, tok.ExpiresIn
	}
	return resp
}

// explainTokenError turns x/oauth2's error into an explained exchange.Error.
func explainTokenError(err error, auth oauth.AuthMethod) error {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.Response == nil {
		return &exchange.Error{Cause: err, Hint: "the token endpoint could not be reached: check the URL and your network"}
	}
	e := &exchange.Error{Status: re.Response.StatusCode, Code: re.ErrorCode, Description: re.ErrorDescription}
	e.Hint = exchange.Explain(e.Status, e.Code, e.Description, re.Response.Header, auth)
	return e
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
