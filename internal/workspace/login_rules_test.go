package workspace

import (
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/tokenscope/tokenscope/internal/httpx"
	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/secrets"
	"github.com/tokenscope/tokenscope/internal/testop"
)

// scriptedOP is an OpenID provider on loopback that answers as each test
// scripts it: the discovery document, the ID token's claims, the redirect.
// It approves every authorization at once (no login page), which is what
// the hostile cases need: the answer, not the form.
type scriptedOP struct {
	*httptest.Server
	t   testing.TB
	key *rsa.PrivateKey

	mu sync.Mutex
	// meta overrides members of the discovery document ("" deletes one).
	meta map[string]string
	// claims edits the ID token's claims; idToken false sends none.
	claims     func(map[string]any)
	noIDToken  bool
	callbackQ  func(q url.Values) // edits the redirect's query
	nonce      string
	tokenCalls int
	paths      []string
}

func newScriptedOP(t *testing.T) *scriptedOP {
	t.Helper()
	op := &scriptedOP{t: t, key: testop.RSAKey(), meta: map[string]string{}}
	op.Server = httptest.NewServer(http.HandlerFunc(op.serve))
	t.Cleanup(op.Close)
	return op
}

func (op *scriptedOP) issuer() string { return op.URL + "/" }

func (op *scriptedOP) serve(w http.ResponseWriter, r *http.Request) {
	op.mu.Lock()
	defer op.mu.Unlock()
	op.paths = append(op.paths, r.URL.Path)
	w.Header().Set("Content-Type", "application/json")
	switch r.URL.Path {
	case "/.well-known/openid-configuration":
		m := map[string]string{"issuer": op.issuer(), "authorization_endpoint": op.URL + "/authorize", "token_endpoint": op.URL + "/token",
			"jwks_uri": op.URL + "/jwks", "userinfo_endpoint": op.URL + "/userinfo", "device_authorization_endpoint": op.URL + "/device",
			"revocation_endpoint": op.URL + "/revoke"}
		for k, v := range op.meta {
			if v == "" {
				delete(m, k)
			} else {
				m[k] = v
			}
		}
		_ = json.NewEncoder(w).Encode(m)
	case "/jwks":
		_ = json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &op.key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
	case "/authorize":
		q := r.URL.Query()
		op.nonce = q.Get("nonce")
		back := url.Values{"code": {"the-code"}, "state": {q.Get("state")}}
		if op.callbackQ != nil {
			op.callbackQ(back)
		}
		http.Redirect(w, r, q.Get("redirect_uri")+"?"+back.Encode(), http.StatusFound)
	case "/token":
		op.tokenCalls++
		_ = r.ParseForm()
		claims := map[string]any{"iss": op.issuer(), "sub": "user-1", "aud": r.Form.Get("client_id"), "iat": time.Now().Unix(),
			"exp": time.Now().Add(time.Hour).Unix(), "nonce": op.nonce}
		if r.Form.Get("grant_type") == "urn:ietf:params:oauth:grant-type:device_code" {
			delete(claims, "nonce")
		}
		if op.claims != nil {
			op.claims(claims)
		}
		body := map[string]any{"access_token": "an-access-token", "token_type": "Bearer", "expires_in": 3600, "refresh_token": "rt-from-scripted-op"}
		if !op.noIDToken {
			body["id_token"] = testop.Sign(op.t, jose.RS256, op.key, "k1", claims)
		}
		_ = json.NewEncoder(w).Encode(body)
	case "/device":
		_ = json.NewEncoder(w).Encode(map[string]any{"device_code": "dc", "user_code": "ABCD-EFGH", "expires_in": 600, "interval": 1,
			"verification_uri": op.metaOr("verification_uri", op.URL+"/activate"), "verification_uri_complete": op.metaOr("verification_uri_complete", "")})
	default:
		http.NotFound(w, r)
	}
}

func (op *scriptedOP) metaOr(k, def string) string {
	if v, ok := op.meta[k]; ok {
		return v
	}
	return def
}

func (op *scriptedOP) script(f func(op *scriptedOP)) {
	op.mu.Lock()
	defer op.mu.Unlock()
	f(op)
}

func (op *scriptedOP) calls() (token int, paths []string) {
	op.mu.Lock()
	defer op.mu.Unlock()
	return op.tokenCalls, append([]string(nil), op.paths...)
}

// addProfile saves a profile on op's issuer with a client secret.
func addProfile(t *testing.T, ws *Workspace, name, issuer, auth string) {
	t.Helper()
	req := SaveRequest{Profile: profiles.Profile{Name: name, Issuer: issuer, ClientID: "client-1", Auth: auth, Scope: DefaultLoginScope}}
	if auth != "none" {
		req.ClientSecret = Store("s3cret-value")
	}
	if _, err := ws.Save(req); err != nil {
		t.Fatal(err)
	}
}

// follow is a browser that approves at once: it loads the authorization
// URL, follows the provider's redirect to our listener, and hands back the
// page our listener served.
func follow(t *testing.T) (func(string) error, <-chan string) {
	pages := make(chan string, 1)
	client := &http.Client{Timeout: 10 * time.Second}
	return func(u string) error {
		go func() {
			resp, err := client.Get(u)
			if err != nil {
				t.Errorf("the browser: %v", err)
				pages <- ""
				return
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			pages <- string(b)
		}()
		return nil
	}, pages
}

func signIn(t *testing.T, ws *Workspace, name string, o LoginOptions) LoginResult {
	t.Helper()
	open, _ := follow(t)
	if o.Open == nil {
		o.Open = open
	}
	if o.Timeout == 0 {
		o.Timeout = 20 * time.Second
	}
	return ws.Login(context.Background(), name, o)
}

// OpenID Connect Core 1.0 §3.1.3.6 (https://openid.net/specs/openid-connect-core-1_0.html#CodeIDToken):
// at_hash is OPTIONAL in an ID token from the token endpoint. panva's
// oidc-provider, with its defaults, leaves it out; a sign-in must work.
func TestSignInAcceptsAnIDTokenWithoutAtHash(t *testing.T) {
	t.Parallel()
	op := newScriptedOP(t)
	for _, auth := range []string{"post", "none"} {
		ws, mem := newWorkspace(t)
		addProfile(t, ws, "p", op.issuer(), auth)
		res := signIn(t, ws, "p", LoginOptions{})
		if res.Err != nil {
			t.Fatalf("%s client: %v", auth, res.Err)
		}
		if rt, _ := mem.Get("p", secrets.RefreshToken); rt != "rt-from-scripted-op" || !res.Response.Stored {
			t.Fatalf("%s client: stored %q", auth, rt)
		}
		if res.Subject != "user-1" || res.Issuer != op.issuer() {
			t.Fatalf("%s client: signed in as %q at %q", auth, res.Subject, res.Issuer)
		}
	}
}

// OpenID Connect Core 1.0 §3.1.3.7 (ID Token Validation) and §2 (iss, sub,
// aud, exp and iat are REQUIRED): each bad ID token is refused, names the
// claim, and stores nothing.
func TestSignInRefusesAnIDTokenThatFailsTheTokenEndpointRules(t *testing.T) {
	t.Parallel()
	op := newScriptedOP(t)
	maxAge := 60
	cases := []struct {
		name   string // the spec's rule
		edit   func(map[string]any)
		opts   LoginOptions
		claim  string
		reason string
	}{
		{"§2 exp is required", func(c map[string]any) { delete(c, "exp") }, LoginOptions{}, "exp", "no exp claim"},
		{"§2 iat is required", func(c map[string]any) { delete(c, "iat") }, LoginOptions{}, "iat", "no iat claim"},
		{"§2 sub is required", func(c map[string]any) { delete(c, "sub") }, LoginOptions{}, "sub", "no sub claim"},
		{"§3.1.3.7 step 2: iss must match exactly", func(c map[string]any) { c["iss"] = "https://other.example/" }, LoginOptions{}, "iss", ""},
		{"§3.1.3.7 step 3: aud must contain our client_id", func(c map[string]any) { c["aud"] = "someone-else" }, LoginOptions{}, "aud", ""},
		{"§3.1.3.7 steps 4-5: several audiences need azp equal to our client_id", func(c map[string]any) {
			c["aud"], c["azp"] = []string{"client-1", "api"}, "foreign-client"
		}, LoginOptions{}, "azp", "foreign-client"},
		{"§3.1.3.7 step 4: several audiences without azp", func(c map[string]any) { c["aud"] = []string{"client-1", "api"} }, LoginOptions{}, "azp", "no azp claim"},
		{"§3.1.3.7 step 9: expired", func(c map[string]any) { c["exp"] = time.Now().Add(-time.Hour).Unix() }, LoginOptions{}, "exp", "expired"},
		{"§3.1.3.7 step 10: issued in the future", func(c map[string]any) { c["iat"] = time.Now().Add(time.Hour).Unix() }, LoginOptions{}, "iat", "future"},
		{"§3.1.3.7 step 11: nonce must be ours", func(c map[string]any) { c["nonce"] = "replayed" }, LoginOptions{}, "nonce", "replayed"},
		{"§3.1.3.8: an at_hash that is present must match", func(c map[string]any) { c["at_hash"] = "AAAAAAAAAAAAAAAAAAAAAA" }, LoginOptions{}, "at_hash", "not issued together"},
		{"§3.1.2.1: max_age sent, no auth_time", func(c map[string]any) {}, LoginOptions{MaxAge: &maxAge}, "auth_time", "no auth_time"},
		{"§3.1.3.7 step 13: auth_time older than max_age", func(c map[string]any) { c["auth_time"] = time.Now().Add(-time.Hour).Unix() }, LoginOptions{MaxAge: &maxAge}, "auth_time", "longer than max_age"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ws, mem := newWorkspace(t)
			addProfile(t, ws, "p", op.issuer(), "post")
			op.script(func(op *scriptedOP) { op.claims = c.edit })
			res := signIn(t, ws, "p", c.opts)
			op.script(func(op *scriptedOP) { op.claims = nil })
			var le *LoginError
			if !errors.As(res.Err, &le) || le.Code != "invalid_id_token" {
				t.Fatalf("want invalid_id_token, got %v", res.Err)
			}
			msg := res.Err.Error()
			if !strings.Contains(msg, c.claim+": ") || !strings.Contains(msg, c.reason) || !strings.Contains(msg, "nothing was stored") {
				t.Fatalf("the message does not name %s (%q): %s", c.claim, c.reason, msg)
			}
			if rt, _ := mem.Get("p", secrets.RefreshToken); rt != "" || res.Response != nil {
				t.Fatalf("stored %q after a refused ID token", rt)
			}
		})
	}
}

// OpenID Connect Core 1.0 §3.1.3.3: a successful token response to an
// openid request contains an id_token. Without one the sign-in cannot be
// verified, so nothing is stored.
func TestSignInRefusesAnAnswerWithoutIDTokenWhenOpenidWasAsked(t *testing.T) {
	t.Parallel()
	op := newScriptedOP(t)
	op.script(func(op *scriptedOP) { op.noIDToken = true })
	ws, mem := newWorkspace(t)
	addProfile(t, ws, "p", op.issuer(), "post")
	res := signIn(t, ws, "p", LoginOptions{})
	var le *LoginError
	if !errors.As(res.Err, &le) || le.Code != "no_id_token" {
		t.Fatalf("want no_id_token, got %v", res.Err)
	}
	if rt, _ := mem.Get("p", secrets.RefreshToken); rt != "" {
		t.Fatalf("stored %q", rt)
	}
	// Without openid there is no ID token to expect (plain OAuth 2.0).
	res = signIn(t, ws, "p", LoginOptions{Scope: "offline_access read:things"})
	if res.Err != nil {
		t.Fatalf("a sign-in without openid: %v", res.Err)
	}
}

// DESIGN's one rule on every path: every endpoint found through discovery
// passes the refresh path's endpoint check before anything is sent; a
// provider that names a bad one gets nothing — no browser, no code, no
// client secret.
func TestSignInSendsNothingToAnEndpointThatBreaksTheNetworkRules(t *testing.T) {
	t.Parallel()
	cases := []struct{ member, value, says string }{
		{"token_endpoint", "http://tokens.example.test/token", "plain http to a host that is not loopback"},
		{"authorization_endpoint", "javascript:alert(document.cookie)", "must start with https://"},
		{"authorization_endpoint", "file:///etc/passwd", "must start with https://"},
		{"authorization_endpoint", "http://login.example.test/authorize", "plain http"},
		{"device_authorization_endpoint", "http://device.example.test/device", "plain http"},
		{"userinfo_endpoint", "https://user:pw@idp.example.test/userinfo", "user name or password"},
		{"revocation_endpoint", "https://idp.example.test/revoke#frag", "fragment"},
		{"jwks_uri", "https://idp.example.test/jwks?client_secret=x", "query carries client_secret"},
	}
	for _, c := range cases {
		t.Run(c.member+" "+c.value, func(t *testing.T) {
			op := newScriptedOP(t)
			op.script(func(op *scriptedOP) { op.meta[c.member] = c.value })
			ws, mem := newWorkspace(t)
			addProfile(t, ws, "p", op.issuer(), "post")
			opened := false
			res := ws.Login(context.Background(), "p", LoginOptions{Open: func(string) error { opened = true; return nil }, Timeout: 5 * time.Second})
			if res.Err == nil || !errors.Is(res.Err, httpx.ErrRefusedURL) || !strings.Contains(res.Err.Error(), c.member) || !strings.Contains(res.Err.Error(), c.says) {
				t.Fatalf("want a refusal naming %s (%s), got %v", c.member, c.says, res.Err)
			}
			if strings.Contains(res.Err.Error(), "s3cret-value") {
				t.Fatal("the error carries the client secret")
			}
			tokenCalls, paths := op.calls()
			onlyDiscovery := true
			for _, p := range paths {
				onlyDiscovery = onlyDiscovery && p == "/.well-known/openid-configuration"
			}
			if opened || tokenCalls != 0 || !onlyDiscovery {
				t.Fatalf("something was sent: browser opened %v, token requests %d, paths %v", opened, tokenCalls, paths)
			}
			if rt, _ := mem.Get("p", secrets.RefreshToken); rt != "" {
				t.Fatalf("stored %q", rt)
			}
			// The device grant and userinfo refuse the same document.
			if r := ws.LoginDevice(context.Background(), "p", LoginOptions{}, nil); !errors.Is(r.Err, httpx.ErrRefusedURL) {
				t.Fatalf("device grant: %v", r.Err)
			}
			if r := ws.Userinfo(context.Background(), "p", "at"); !errors.Is(r.Err, httpx.ErrRefusedURL) {
				t.Fatalf("userinfo: %v", r.Err)
			}
		})
	}
}

// A device grant's verification_uri is shown as a link and a QR code and
// opened: the same rule as an authorization URL, before it is shown.
func TestDeviceSignInShowsNoVerificationURIThatBreaksTheRules(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"javascript:alert(1)", "file:///home", "-oProxyCommand=calc", "http://activate.example.test/"} {
		for _, member := range []string{"verification_uri", "verification_uri_complete"} {
			op := newScriptedOP(t)
			op.script(func(op *scriptedOP) { op.meta[member] = bad })
			ws, _ := newWorkspace(t)
			addProfile(t, ws, "p", op.issuer(), "none")
			shown := false
			res := ws.LoginDevice(context.Background(), "p", LoginOptions{Timeout: 5 * time.Second}, func(DeviceCode) { shown = true })
			if !errors.Is(res.Err, httpx.ErrRefusedURL) || shown {
				t.Fatalf("%s %q: shown %v, err %v", member, bad, shown, res.Err)
			}
			if tokenCalls, _ := op.calls(); tokenCalls != 0 {
				t.Fatalf("%s %q: the token endpoint was polled", member, bad)
			}
		}
	}
}

// RFC 8252 §7.3: a native app's redirect is http on a loopback address
// (127.0.0.1, [::1], or localhost); never a wildcard address, which would
// listen on the network, and never with a fragment (RFC 6749 §3.1.2).
func TestTheRedirectURIMustBeLoopback(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"http://127.0.0.1:53682/callback", "http://[::1]:53682/cb", "http://localhost:53682/callback", "http://LOCALHOST:8080/"} {
		if _, err := httpx.CheckRedirectURI(ok); err != nil {
			t.Errorf("%s refused: %v", ok, err)
		}
	}
	for _, bad := range []string{"http://0.0.0.0:53682/callback", "http://[::]:53682/callback", "http://:53682/callback", "http://example.test:53682/cb",
		"https://127.0.0.1:53682/cb", "http://127.0.0.1/cb", "http://127.0.0.1:0/cb", "http://127.0.0.1:53682/cb#x", "http://u:p@127.0.0.1:53682/cb",
		"http://192.168.1.10:53682/cb", "myapp://callback"} {
		_, err := httpx.CheckRedirectURI(bad)
		if !errors.Is(err, httpx.ErrRefusedURL) || !strings.Contains(err.Error(), "RFC 8252") {
			t.Errorf("%s: %v", bad, err)
		}
	}
	// Login refuses before any listener or browser.
	op := newScriptedOP(t)
	ws, _ := newWorkspace(t)
	addProfile(t, ws, "p", op.issuer(), "post")
	opened := false
	res := ws.Login(context.Background(), "p", LoginOptions{RedirectURI: "http://0.0.0.0:53690/callback", Open: func(string) error { opened = true; return nil }})
	if !errors.Is(res.Err, httpx.ErrRefusedURL) || opened {
		t.Fatalf("0.0.0.0 redirect: opened %v, %v", opened, res.Err)
	}
}

// RFC 6749 §10.12 and §4.1.2.1: only a request carrying our state is the
// provider's answer. Forged requests — an error= without state, a code
// with another state — get a short page and do not end or cancel the
// sign-in; the real answer that follows still signs in.
func TestForgedCallbacksDoNotEndASignInInProgress(t *testing.T) {
	t.Parallel()
	op := newScriptedOP(t)
	ws, mem := newWorkspace(t)
	addProfile(t, ws, "p", op.issuer(), "post")
	open, pages := follow(t)
	var forged []int
	res := ws.Login(context.Background(), "p", LoginOptions{Timeout: 20 * time.Second, Open: func(u string) error {
		au, _ := url.Parse(u)
		cb := au.Query().Get("redirect_uri")
		for _, q := range []string{"error=access_denied&error_description=forged", "code=attacker-code&state=forged", "code=attacker-code", "error=server_error"} {
			resp, err := http.Get(cb + "?" + q)
			if err != nil {
				return err
			}
			resp.Body.Close()
			forged = append(forged, resp.StatusCode)
		}
		return open(u)
	}})
	if res.Err != nil {
		t.Fatalf("the real answer after forged ones: %v", res.Err)
	}
	for _, s := range forged {
		if s != http.StatusBadRequest {
			t.Fatalf("forged callbacks answered %v, want 400 each", forged)
		}
	}
	if page := <-pages; !strings.Contains(page, "Signed in") {
		t.Fatalf("the real callback's page: %s", page)
	}
	if rt, _ := mem.Get("p", secrets.RefreshToken); rt != "rt-from-scripted-op" {
		t.Fatalf("stored %q", rt)
	}
	if tokenCalls, _ := op.calls(); tokenCalls != 1 {
		t.Fatalf("the attacker's code was redeemed: %d token requests", tokenCalls)
	}
}

// The listener answers a bounded number of requests, each of bounded
// size: a flood gets 429s and an oversized request 431, and neither
// reaches the sign-in.
func TestTheCallbackListenerIsBounded(t *testing.T) {
	t.Parallel()
	op := newScriptedOP(t)
	ws, _ := newWorkspace(t)
	addProfile(t, ws, "p", op.issuer(), "post")
	statuses := map[int]int{}
	res := ws.Login(context.Background(), "p", LoginOptions{Timeout: 3 * time.Second, Open: func(u string) error {
		au, _ := url.Parse(u)
		cb := au.Query().Get("redirect_uri")
		resp, err := http.Get(cb + "?state=" + strings.Repeat("x", 64<<10))
		if err != nil {
			return err
		}
		resp.Body.Close()
		statuses[resp.StatusCode]++
		for range maxCallbackRequests + 5 {
			resp, err := http.Get(cb + "?state=forged")
			if err != nil {
				return err
			}
			resp.Body.Close()
			statuses[resp.StatusCode]++
		}
		return nil
	}})
	if res.Err == nil || !strings.Contains(res.Err.Error(), "no answer from the browser") {
		t.Fatalf("want the sign-in to time out waiting, got %v", res.Err)
	}
	if statuses[http.StatusRequestHeaderFieldsTooLarge] != 1 || statuses[http.StatusBadRequest] != maxCallbackRequests || statuses[http.StatusTooManyRequests] != 5 {
		t.Fatalf("statuses %v", statuses)
	}
}

// The provider's error_description is shown as text: an escape sequence
// in it is made visible, never handed to the terminal (DESIGN: human
// output never carries control characters from untrusted data).
func TestTheProvidersErrorDescriptionIsShownVisibly(t *testing.T) {
	t.Parallel()
	op := newScriptedOP(t)
	op.script(func(op *scriptedOP) {
		op.callbackQ = func(q url.Values) {
			q.Del("code")
			q.Set("error", "access_denied")
			q.Set("error_description", "denied\x1b[2J\x1b]52;c;cm0gLXJm\x07\u202egnp.exe")
		}
	})
	ws, _ := newWorkspace(t)
	addProfile(t, ws, "p", op.issuer(), "post")
	res := signIn(t, ws, "p", LoginOptions{})
	var le *LoginError
	if !errors.As(res.Err, &le) || le.Code != "access_denied" {
		t.Fatalf("%v", res.Err)
	}
	msg := res.Err.Error()
	if strings.ContainsAny(msg, "\x1b\x07\u202e") || !strings.Contains(msg, `denied\x1b[2J\x1b]52;c;cm0gLXJm\x07\u202egnp.exe`) {
		t.Fatalf("the description is not shown visibly: %q", msg)
	}
	if le.Description != "denied\x1b[2J\x1b]52;c;cm0gLXJm\x07\u202egnp.exe" {
		t.Fatal("the error keeps the exact description for --json")
	}
}

// The system opener only ever receives an https URL (or http to loopback):
// a javascript:, file: or "-option" value is refused before anything runs.
func TestOpenBrowserRefusesWhatAnOpenerWouldRun(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"javascript:alert(1)", "file:///etc/passwd", "--new-window=calc", "-a Calculator", "http://evil.example.test/", "data:text/html,<script>", "smb://host/share"} {
		err := OpenBrowser(bad)
		if !errors.Is(err, httpx.ErrRefusedURL) || !strings.Contains(err.Error(), "not opened") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

// An opener that finds no browser (xdg-open exits 3 at once) is an error,
// so the window shows the link to open instead of "your browser opens";
// one that succeeds, or is still running a moment later, is not.
func TestOpenBrowserSaysWhenNoBrowserOpened(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the opener is xdg-open on Linux")
	}
	dir := t.TempDir()
	t.Setenv("PATH", dir)
	write := func(script string) {
		if err := os.WriteFile(filepath.Join(dir, "xdg-open"), []byte("#!/bin/sh\n"+script+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write("exit 3")
	if err := OpenBrowser("https://login.example.test/authorize"); err == nil || !strings.Contains(err.Error(), "found no browser") {
		t.Fatalf("an opener with no browser: %v", err)
	}
	write("exit 0")
	if err := OpenBrowser("https://login.example.test/authorize"); err != nil {
		t.Fatalf("an opener that worked: %v", err)
	}
	write("exec /bin/sleep 3")
	start := time.Now()
	if err := OpenBrowser("https://login.example.test/authorize"); err != nil || time.Since(start) > 5*time.Second {
		t.Fatalf("an opener still running: %v after %s", err, time.Since(start))
	}
}
