package demotenant

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"golang.org/x/oauth2"

	"github.com/tokenscope/tokenscope/internal/oauth"
	"github.com/tokenscope/tokenscope/internal/tokens"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }
func newClock() *clock               { return &clock{t: time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)} }
func clientByAuth(t *Tenant, auth string) Client {
	for _, c := range t.Clients() {
		if c.Auth == auth {
			return c
		}
	}
	panic(auth)
}

func start(tb testing.TB, cfg Config) (*Tenant, *httptest.Server) {
	tb.Helper()
	if cfg.Logf == nil {
		cfg.Logf = tb.Logf // the tenant's log goes with the test's output
	}
	ten, err := New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	srv := httptest.NewServer(ten.Handler())
	tb.Cleanup(srv.Close)
	ten.SetIssuer(srv.URL)
	return ten, srv
}

// post sends a form (or JSON) to the tenant and decodes the answer.
func post(t *testing.T, srv *httptest.Server, path string, form url.Values, basicUser, basicPass string) (int, map[string]any, http.Header) {
	t.Helper()
	req, _ := http.NewRequest("POST", srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basicUser != "" {
		req.SetBasicAuth(basicUser, basicPass)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	json.NewDecoder(resp.Body).Decode(&m)
	return resp.StatusCode, m, resp.Header
}

func refreshForm(c Client, rt string, extra ...string) url.Values {
	f := url.Values{"grant_type": {"refresh_token"}, "client_id": {c.ID}, "refresh_token": {rt}}
	if c.Auth == "post" {
		f.Set("client_secret", c.Secret)
	}
	for i := 0; i+1 < len(extra); i += 2 {
		f.Set(extra[i], extra[i+1])
	}
	return f
}

func TestXOAuth2RefreshesAndGoJoseVerifiesTheTokensAgainstTheJWKS(t *testing.T) {
	t.Parallel()
	ten, srv := start(t, Config{})
	web := clientByAuth(ten, "post")
	rt, _ := ten.MintRefreshToken(web.ID, "openid profile email offline_access read:orders", APIAudience)
	cfg := oauth2.Config{ClientID: web.ID, ClientSecret: web.Secret, Endpoint: oauth2.Endpoint{TokenURL: srv.URL + "/oauth/token", AuthStyle: oauth2.AuthStyleInParams}}
	tok, err := cfg.TokenSource(context.Background(), &oauth2.Token{RefreshToken: rt, Expiry: time.Now().Add(-time.Hour)}).Token()
	if err != nil {
		t.Fatal(err)
	}
	if tok.RefreshToken == rt || tok.RefreshToken == "" {
		t.Fatal("the refresh token did not rotate")
	}
	resp, _ := http.Get(srv.URL + "/.well-known/jwks.json")
	var jwks jose.JSONWebKeySet
	json.NewDecoder(resp.Body).Decode(&jwks)
	resp.Body.Close()

	at, err := jwt.ParseSigned(tok.AccessToken, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		t.Fatal(err)
	}
	var std jwt.Claims
	var extra struct {
		Scope string `json:"scope"`
		Azp   string `json:"azp"`
	}
	if err := at.Claims(jwks, &std, &extra); err != nil {
		t.Fatalf("go-jose cannot verify the access token with the JWKS: %v", err)
	}
	if err := std.Validate(jwt.Expected{Issuer: srv.URL + "/", AnyAudience: jwt.Audience{APIAudience, srv.URL + "/userinfo"}}); err != nil {
		t.Fatal(err)
	}
	if len(std.Audience) != 2 || extra.Azp != web.ID || !strings.Contains(extra.Scope, "read:orders") {
		t.Fatalf("aud %v azp %s scope %s", std.Audience, extra.Azp, extra.Scope)
	}
	idRaw, _ := tok.Extra("id_token").(string)
	id, err := jwt.ParseSigned(idRaw, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		t.Fatal(err)
	}
	var idClaims struct {
		jwt.Claims
		Azp    string `json:"azp"`
		AtHash string `json:"at_hash"`
		Sid    string `json:"sid"`
		Email  string `json:"email"`
	}
	if err := id.Claims(jwks, &idClaims); err != nil {
		t.Fatal(err)
	}
	want, _ := tokens.AtHash("RS256", tok.AccessToken)
	// One audience, so no azp: Auth0's ID tokens carry none (see
	// TestTheCodeGrantIDTokenCarriesAuth0sClaims).
	if len(idClaims.Audience) != 1 || idClaims.Audience[0] != web.ID || idClaims.Azp != "" || idClaims.AtHash != want || idClaims.Sid == "" || idClaims.Email == "" {
		t.Fatalf("id token claims %+v", idClaims)
	}
}

func TestWithoutAnAudienceTheAccessTokenIsOpaqueAndOnlyUserinfoTakesIt(t *testing.T) {
	t.Parallel()
	ten, srv := start(t, Config{})
	native := clientByAuth(ten, "none")
	rt, _ := ten.MintRefreshToken(native.ID, "openid profile offline_access", "")
	status, body, _ := post(t, srv, "/oauth/token", refreshForm(native, rt), "", "")
	access, _ := body["access_token"].(string)
	if status != 200 || strings.Count(access, ".") == 2 {
		t.Fatalf("%d %v", status, body)
	}
	get := func(tok string) (int, map[string]any) {
		req, _ := http.NewRequest("GET", srv.URL+"/userinfo", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		json.NewDecoder(resp.Body).Decode(&m)
		return resp.StatusCode, m
	}
	if code, info := get(access); code != 200 || info["name"] != "Dana Demo" {
		t.Fatalf("userinfo %d %v", code, info)
	}
	// A JWT for the API without openid does not name /userinfo as audience.
	web := clientByAuth(ten, "post")
	rt2, _ := ten.MintRefreshToken(web.ID, "read:orders offline_access", APIAudience)
	_, body, _ = post(t, srv, "/oauth/token", refreshForm(web, rt2), "", "")
	if code, _ := get(body["access_token"].(string)); code != 401 {
		t.Fatalf("an API-only JWT was accepted by /userinfo: %d", code)
	}
}

func TestIdleAndAbsoluteLifetimes(t *testing.T) {
	t.Parallel()
	c := newClock()
	ten, srv := start(t, Config{Now: c.Now, IdleLifetime: time.Hour, AbsoluteLifetime: 3 * time.Hour})
	native := clientByAuth(ten, "none")
	idle, _ := ten.MintRefreshToken(native.ID, "offline_access", "")
	rt, _ := ten.MintRefreshToken(native.ID, "offline_access", "")
	for range 3 { // every 50 minutes: never idle, but 2.5 h in
		c.Add(50 * time.Minute)
		status, body, _ := post(t, srv, "/oauth/token", refreshForm(native, rt), "", "")
		if status != 200 {
			t.Fatalf("%d %v", status, body)
		}
		rt = body["refresh_token"].(string)
	}
	if status, _, _ := post(t, srv, "/oauth/token", refreshForm(native, idle), "", ""); status != 403 {
		t.Fatalf("idle for 2.5 h with a 1 h idle lifetime: %d", status)
	}
	c.Add(40 * time.Minute) // 3 h 10 m after the family began
	if status, _, _ := post(t, srv, "/oauth/token", refreshForm(native, rt), "", ""); status != 403 {
		t.Fatalf("past the absolute lifetime: %d", status)
	}
}

func TestDelegationBehavesLikeTheLegacyEndpoint(t *testing.T) {
	t.Parallel()
	ten, srv := start(t, Config{})
	native, web := clientByAuth(ten, "none"), clientByAuth(ten, "post")
	rt, _ := ten.MintRefreshToken(native.ID, "openid offline_access", "")
	base := url.Values{"grant_type": {oauth.GrantJWTBearer}, "client_id": {native.ID}, "refresh_token": {rt}, "scope": {"openid name email"}}
	status, body, _ := post(t, srv, "/delegation", base, "", "")
	idTok, _ := body["id_token"].(string)
	claims, err := ten.verify(idTok)
	if status != 200 || err != nil || claims["aud"] != native.ID || claims["name"] != "Dana Demo" || body["refresh_token"] != nil {
		t.Fatalf("%d %v %v", status, body, err)
	}
	// target: an ID token for another client.
	withTarget := url.Values{"grant_type": {oauth.GrantJWTBearer}, "client_id": {native.ID}, "refresh_token": {rt}, "target": {web.ID}}
	_, body, _ = post(t, srv, "/delegation", withTarget, "", "")
	if claims, _ := ten.verify(body["id_token"].(string)); claims["aud"] != web.ID {
		t.Fatalf("target: %v", claims)
	}
	// An id_token as the subject.
	byID := url.Values{"grant_type": {oauth.GrantJWTBearer}, "client_id": {native.ID}, "id_token": {idTok}}
	if status, body, _ := post(t, srv, "/delegation", byID, "", ""); status != 200 || body["id_token"] == nil {
		t.Fatalf("id_token subject: %d %v", status, body)
	}
	addon := url.Values{"grant_type": {oauth.GrantJWTBearer}, "client_id": {native.ID}, "refresh_token": {rt}, "api_type": {"firebase"}}
	if status, body, _ := post(t, srv, "/delegation", addon, "", ""); status != 400 || !strings.Contains(body["error_description"].(string), "firebase add-on is not enabled") {
		t.Fatalf("add-on: %d %v", status, body)
	}
	bad := url.Values{"grant_type": {oauth.GrantJWTBearer}, "client_id": {native.ID}, "refresh_token": {"v1.nope"}}
	if status, _, _ := post(t, srv, "/delegation", bad, "", ""); status != 401 {
		t.Fatalf("unknown refresh token: %d", status)
	}
}

func TestRevokeKillsTheFamily(t *testing.T) {
	t.Parallel()
	ten, srv := start(t, Config{})
	web := clientByAuth(ten, "post")
	rt, _ := ten.MintRefreshToken(web.ID, "offline_access", "")
	if status, _, _ := post(t, srv, "/oauth/revoke", url.Values{"token": {rt}, "client_id": {web.ID}, "client_secret": {web.Secret}}, "", ""); status != 200 {
		t.Fatal(status)
	}
	if status, _, _ := post(t, srv, "/oauth/token", refreshForm(web, rt), "", ""); status != 403 {
		t.Fatalf("a revoked token still works: %d", status)
	}
}

func TestStartRefusesANonLoopbackAddress(t *testing.T) {
	t.Parallel()
	ten, _ := New(Config{})
	if _, err := Start(ten, "0.0.0.0:0", false); err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Fatalf("err = %v", err)
	}
	s, err := Start(ten, "127.0.0.1:0", false)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	resp, err := http.Get(s.Issuer() + ".well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), `"issuer":"`+s.Issuer()+`"`) {
		t.Fatalf("%s", b)
	}
}

// A client that sends half a request line and then nothing is cut off
// after the header timeout instead of holding a connection forever.
func TestTheDemoServerDropsASilentClient(t *testing.T) {
	t.Parallel()
	ten, err := New(Config{HeaderTimeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	s, err := Start(ten, "", false)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	conn, err := net.Dial("tcp", s.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "POST /oauth/token HTTP/1.1\r\nHost: x\r\n")
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	start := time.Now()
	_, err = io.ReadAll(conn)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatalf("the server kept the connection open for %s", time.Since(start))
	}
}

// On an unspecified address the issuer names an address clients can
// reach, never 0.0.0.0.
func TestAnAllowRemoteServerAdvertisesAReachableIssuer(t *testing.T) {
	t.Parallel()
	if got := advertised("0.0.0.0:8080"); strings.HasPrefix(got, "0.0.0.0") || !strings.HasSuffix(got, ":8080") {
		t.Fatalf("advertised %q", got)
	}
	if got := advertised("127.0.0.1:9"); got != "127.0.0.1:9" {
		t.Fatalf("a loopback address changed: %q", got)
	}
}

// Rotation with a Reuse Interval, as Auth0 documents it: "During the leeway
// window the breach detection features don't apply and a new rotating
// refresh token is issued. Only the previous token can be reused; if the
// second-to-last one is exchanged, breach detection will be triggered."
// (https://auth0.com/docs/secure/tokens/refresh-tokens/configure-refresh-token-rotation)
func TestRotationReuseDetectionAndTheReuseInterval(t *testing.T) {
	t.Parallel()
	c := newClock()
	ten, srv := start(t, Config{Now: c.Now, ReuseInterval: 30 * time.Second})
	native := clientByAuth(ten, "none")
	a, _ := ten.MintRefreshToken(native.ID, "openid offline_access", "")
	_, body, _ := post(t, srv, "/oauth/token", refreshForm(native, a), "", "")
	b := body["refresh_token"].(string)
	c.Add(10 * time.Second)
	status, body, _ := post(t, srv, "/oauth/token", refreshForm(native, a), "", "")
	if status != 200 || body["refresh_token"] == b || body["refresh_token"] == nil {
		t.Fatalf("within the reuse interval a new token is issued: %d %v", status, body)
	}
	c.Add(30 * time.Second)
	if status, body, _ := post(t, srv, "/oauth/token", refreshForm(native, a), "", ""); status != 403 || body["error"] != "invalid_grant" || body["error_description"] != "Unknown or invalid refresh token." {
		t.Fatalf("reuse after the interval: %d %v", status, body)
	}
	// Reuse revoked the whole family: the current token is dead too.
	if status, _, _ := post(t, srv, "/oauth/token", refreshForm(native, b), "", ""); status != 403 {
		t.Fatalf("the family survived reuse: %d", status)
	}

	// Within the interval, the second-to-last token is a breach all the same.
	x, _ := ten.MintRefreshToken(native.ID, "openid offline_access", "")
	_, body, _ = post(t, srv, "/oauth/token", refreshForm(native, x), "", "")
	y := body["refresh_token"].(string)
	_, body, _ = post(t, srv, "/oauth/token", refreshForm(native, y), "", "")
	z := body["refresh_token"].(string)
	if status, _, _ := post(t, srv, "/oauth/token", refreshForm(native, x), "", ""); status != 403 {
		t.Fatalf("the second-to-last token was accepted: %d", status)
	}
	if status, _, _ := post(t, srv, "/oauth/token", refreshForm(native, z), "", ""); status != 403 {
		t.Fatalf("the breach did not revoke the family: %d", status)
	}
}

// Client authentication, grant and parameter errors in Auth0's shapes:
// a wrong secret or the wrong method is 401 access_denied "Unauthorized"
// (auth0-samples/auth0-angular-samples#201, where a SPA whose method was not
// None got exactly that); a grant the application lacks is 403
// unauthorized_client "Grant type '…' not allowed for the client." with
// Auth0's error_uri (ibi-group/datatools-server#487); a missing parameter
// is 400 invalid_request (RFC 6749 §5.2); an audience on a refresh without
// Multi-Resource Refresh Token is ignored and the token keeps the original
// audience (auth0/auth0-server-python#58).
func TestClientAuthenticationScopeAndGrantErrorsHaveAuth0Shapes(t *testing.T) {
	t.Parallel()
	ten, srv := start(t, Config{})
	web, native, backend := clientByAuth(ten, "post"), clientByAuth(ten, "none"), clientByAuth(ten, "basic")
	ten.AddClient(Client{ID: "no-refresh", Auth: "none", RefreshGrant: false})
	rtWeb, _ := ten.MintRefreshToken(web.ID, "openid offline_access", "")
	rtBackend, _ := ten.MintRefreshToken(backend.ID, "openid offline_access", "")
	rtNR, _ := ten.MintRefreshToken("no-refresh", "openid", "")
	rtNative, _ := ten.MintRefreshToken(native.ID, "openid offline_access", "")
	wrong := refreshForm(web, rtWeb)
	wrong.Set("client_secret", "wrong")
	nativeWithSecret := refreshForm(native, rtNative)
	nativeWithSecret.Set("client_secret", "anything")
	noToken := refreshForm(native, "")
	noToken.Del("refresh_token")
	cases := []struct {
		name   string
		form   url.Values
		user   string
		pass   string
		status int
		code   string
		desc   string
	}{
		{"wrong secret", wrong, "", "", 401, "access_denied", "Unauthorized"},
		{"basic client posting its secret", refreshForm(Client{ID: backend.ID, Auth: "post", Secret: backend.Secret}, rtBackend), "", "", 401, "access_denied", "Unauthorized"},
		{"none client sending a secret", nativeWithSecret, "", "", 401, "access_denied", "Unauthorized"},
		{"basic client with basic", refreshForm(Client{ID: backend.ID}, rtBackend), backend.ID, backend.Secret, 200, "", ""},
		{"refresh grant disabled", refreshForm(Client{ID: "no-refresh"}, rtNR), "", "", 403, "unauthorized_client", "Grant type 'refresh_token' not allowed for the client."},
		{"no refresh_token", noToken, "", "", 400, "invalid_request", "Missing required parameter: refresh_token"},
		{"wider scope", refreshForm(web, rtWeb, "scope", "openid email"), "", "", 403, "invalid_scope", ""},
		{"other client's token", refreshForm(native, rtWeb), "", "", 403, "invalid_grant", "Unknown or invalid refresh token."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, body, _ := post(t, srv, "/oauth/token", c.form, c.user, c.pass)
			if status != c.status || body["error"] != nil && body["error"] != c.code || c.desc != "" && body["error_description"] != c.desc {
				t.Fatalf("%d %v", status, body)
			}
			if c.code == "unauthorized_client" && body["error_uri"] != "https://auth0.com/docs/clients/client-grant-types" {
				t.Fatalf("error_uri: %v", body)
			}
		})
	}
	// An audience on the refresh is ignored: the token is for the original one.
	rtAPI, _ := ten.MintRefreshToken(web.ID, "openid read:orders offline_access", APIAudience)
	status, body, _ := post(t, srv, "/oauth/token", refreshForm(web, rtAPI, "audience", "https://another-api.example"), "", "")
	if status != 200 {
		t.Fatalf("audience on refresh: %d %v", status, body)
	}
	claims, err := ten.verify(body["access_token"].(string))
	if err != nil || !audIncludes(claims["aud"], APIAudience) || audIncludes(claims["aud"], "https://another-api.example") {
		t.Fatalf("aud %v (%v)", claims["aud"], err)
	}
}

// The rate limits Auth0 documents for the endpoints the demo serves
// (https://auth0.com/docs/support/policies/rate-limit-policy/authentication-api-endpoint-rate-limits):
// /delegation by user ID and IP, bursts of 10, then 429 with Retry-After,
// and the X-RateLimit-Limit/Remaining/Reset headers on every answer
// (https://auth0.com/docs/api/authentication/delegation-legacy/delegation);
// /userinfo by user ID, bursts of 10; /oauth/token has no per-user limit.
func TestRateLimitsSitWhereAuth0DocumentsThem(t *testing.T) {
	t.Parallel()
	c := newClock()
	ten, srv := start(t, Config{Now: c.Now})
	native := clientByAuth(ten, "none")
	rt, _ := ten.MintRefreshToken(native.ID, "openid offline_access", "")
	form := url.Values{"grant_type": {oauth.GrantJWTBearer}, "client_id": {native.ID}, "refresh_token": {rt}, "api_type": {"auth0"}}
	for i := 1; i <= 10; i++ {
		status, _, h := post(t, srv, "/delegation", form, "", "")
		if status != 200 || h.Get("X-RateLimit-Limit") != "10" || h.Get("X-RateLimit-Remaining") != strconv.Itoa(10-i) || h.Get("X-RateLimit-Reset") == "" {
			t.Fatalf("call %d: %d %v", i, status, h)
		}
	}
	status, body, h := post(t, srv, "/delegation", form, "", "")
	if status != 429 || body["error"] != "too_many_requests" || h.Get("X-RateLimit-Remaining") != "0" || h.Get("Retry-After") != "60" {
		t.Fatalf("the 11th call: %d %v %v", status, body, h)
	}
	c.Add(time.Minute) // one request is added back a minute
	if status, _, _ := post(t, srv, "/delegation", form, "", ""); status != 200 {
		t.Fatalf("a minute later: %d", status)
	}
	// Twenty refreshes in a row are not limited per user.
	for i := range 20 {
		status, body, _ := post(t, srv, "/oauth/token", refreshForm(native, rt), "", "")
		if status != 200 {
			t.Fatalf("refresh %d: %d %v", i, status, body)
		}
		rt = body["refresh_token"].(string)
	}
	_, body, _ = post(t, srv, "/oauth/token", refreshForm(native, rt), "", "")
	access := body["access_token"].(string)
	var last int
	for range 11 {
		req, _ := http.NewRequest("GET", srv.URL+"/userinfo", nil)
		req.Header.Set("Authorization", "Bearer "+access)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		last = resp.StatusCode
	}
	if last != 429 {
		t.Fatalf("the 11th /userinfo call: %d", last)
	}
}

// /userinfo takes GET and POST; a bad token is 401 with WWW-Authenticate
// naming the error (RFC 6750 §3; Auth0 lists User Info as "GET, POST").
func TestUserinfoTakesGETAndPOSTAndExplainsA401(t *testing.T) {
	t.Parallel()
	ten, srv := start(t, Config{})
	native := clientByAuth(ten, "none")
	rt, _ := ten.MintRefreshToken(native.ID, "openid profile email offline_access", "")
	_, body, _ := post(t, srv, "/oauth/token", refreshForm(native, rt), "", "")
	for _, method := range []string{"GET", "POST"} {
		req, _ := http.NewRequest(method, srv.URL+"/userinfo", nil)
		req.Header.Set("Authorization", "Bearer "+body["access_token"].(string))
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("%s: %v %v", method, resp, err)
		}
		resp.Body.Close()
	}
	req, _ := http.NewRequest("GET", srv.URL+"/userinfo", nil)
	req.Header.Set("Authorization", "Bearer not-a-token")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 || !strings.Contains(resp.Header.Get("WWW-Authenticate"), `error="invalid_token"`) {
		t.Fatalf("%d %v", resp.StatusCode, resp.Header)
	}
}

// Revocation as RFC 7009 describes it: token is required; an unknown token
// is answered 200 and changes nothing.
func TestRevokeNeedsATokenAndTakesUnknownOnesQuietly(t *testing.T) {
	t.Parallel()
	ten, srv := start(t, Config{})
	web := clientByAuth(ten, "post")
	auth := url.Values{"client_id": {web.ID}, "client_secret": {web.Secret}}
	if status, body, _ := post(t, srv, "/oauth/revoke", auth, "", ""); status != 400 || body["error"] != "invalid_request" {
		t.Fatalf("no token: %d %v", status, body)
	}
	auth.Set("token", "v1.unknown")
	if status, _, _ := post(t, srv, "/oauth/revoke", auth, "", ""); status != 200 {
		t.Fatalf("unknown token: %d", status)
	}
	auth.Set("client_secret", "wrong")
	if status, body, _ := post(t, srv, "/oauth/revoke", auth, "", ""); status != 401 || body["error"] != "access_denied" {
		t.Fatalf("wrong secret: %d %v", status, body)
	}
}

// api_type auth0 is what auth0.js v7's refreshToken sends; an ID token may
// only be exchanged by the client it was issued to.
func TestDelegationTakesAPITypeAuth0AndRefusesAnotherClientsIDToken(t *testing.T) {
	t.Parallel()
	ten, srv := start(t, Config{})
	native, web := clientByAuth(ten, "none"), clientByAuth(ten, "post")
	rt, _ := ten.MintRefreshToken(native.ID, "openid offline_access", "")
	v7 := url.Values{"grant_type": {oauth.GrantJWTBearer}, "client_id": {native.ID}, "target": {native.ID}, "api_type": {"auth0"}, "refresh_token": {rt}, "scope": {"passthrough"}}
	status, body, _ := post(t, srv, "/delegation", v7, "", "")
	if status != 200 || body["id_token"] == nil {
		t.Fatalf("auth0.js v7 refreshToken: %d %v", status, body)
	}
	other := url.Values{"grant_type": {oauth.GrantJWTBearer}, "client_id": {web.ID}, "id_token": {body["id_token"].(string)}, "api_type": {"app"}}
	if status, body, _ := post(t, srv, "/delegation", other, "", ""); status != 401 || !strings.Contains(body["error_description"].(string), "another client") {
		t.Fatalf("another client's ID token: %d %v", status, body)
	}
}
