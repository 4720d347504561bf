package demotenant

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// logBook collects what the tenant logs.
type logBook struct {
	mu    sync.Mutex
	lines []string
}

func (l *logBook) Logf(format string, a ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf(format, a...))
}

func (l *logBook) matching(s string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, line := range l.lines {
		if strings.Contains(line, s) {
			out = append(out, line)
		}
	}
	return out
}

// get sends a GET without following redirects and decodes a JSON answer.
func get(t *testing.T, u string) (*http.Response, map[string]any) {
	t.Helper()
	resp, err := noRedirect.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		json.NewDecoder(resp.Body).Decode(&m)
	}
	return resp, m
}

func (t *Tenant) sizes() (authz, codes, devices int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.authz), len(t.codes), len(t.devices)
}

const verifier = "verifier-0123456789-0123456789-0123456789"

// The lifetimes are Auth0's: a login flow lasts at most an hour ("Auth0
// will enforce a maximum lifetime of 1 hour for redirection-based login
// flows",
// https://auth0.com/docs/troubleshoot/product-lifecycle/past-migrations/migrate-to-1-hour-expiration)
// and a device code 15 minutes ("expires_in": 900, "Expiration time: 15
// minutes",
// https://auth0.com/docs/get-started/authentication-and-authorization-flow/device-authorization-flow/call-your-api-using-the-device-authorization-flow).
// Past them a sign-in or a device code is refused, and a sweep removes it.
func TestPendingSignInsAndDeviceCodesExpireAtAuth0sLifetimesAndAreSwept(t *testing.T) {
	t.Parallel()
	if PendingLifetime != time.Hour || DeviceCodeLifetime != 15*time.Minute {
		t.Fatalf("lifetimes %s and %s are not Auth0's", PendingLifetime, DeviceCodeLifetime)
	}
	c := newClock()
	ten, srv := start(t, Config{Now: c.Now})
	status, body, _ := post(t, srv, "/oauth/device/code", url.Values{"client_id": {"demo-native-app"}}, "", "")
	if status != 200 || body["expires_in"] != float64(900) {
		t.Fatalf("device code: %d %v", status, body)
	}
	redirect := "http://127.0.0.1:49152/callback"
	resp, _ := get(t, authorizeURL(ten.Issuer(), "demo-native-app", redirect, verifier))
	if resp.StatusCode != 200 {
		t.Fatalf("authorize: %d", resp.StatusCode)
	}
	c.Add(14 * time.Minute)
	if ten.sweep(); !sameSizes(ten, 1, 0, 1) {
		t.Fatal("a sweep removed what had not expired")
	}
	c.Add(2 * time.Minute) // 16 minutes: the device code has expired
	poll := url.Values{"grant_type": {DeviceCodeGrant}, "client_id": {"demo-native-app"}, "device_code": {body["device_code"].(string)}}
	if status, b, _ := post(t, srv, "/oauth/token", poll, "", ""); status != 403 || b["error"] != "expired_token" {
		t.Fatalf("an expired device code, before the sweep: %d %v", status, b)
	}
	if ten.sweep(); !sameSizes(ten, 1, 0, 0) {
		t.Fatal("the sweep kept an expired device code")
	}
	if status, b, _ := post(t, srv, "/oauth/token", poll, "", ""); status != 403 || b["error"] != "invalid_grant" {
		t.Fatalf("a swept device code: %d %v", status, b)
	}
	c.Add(45 * time.Minute) // 61 minutes: the sign-in has expired
	if ten.sweep(); !sameSizes(ten, 0, 0, 0) {
		t.Fatal("the sweep kept an expired sign-in")
	}
	// A redeemed-never code goes too.
	loc := signInThroughThePage(t, authorizeURL(ten.Issuer(), "demo-native-app", redirect, verifier), "allow")
	if loc.Query().Get("code") == "" || !sameSizes(ten, 0, 1, 0) {
		t.Fatalf("sign-in: %s", loc)
	}
	c.Add(CodeLifetime + time.Second)
	if ten.sweep(); !sameSizes(ten, 0, 0, 0) {
		t.Fatal("the sweep kept an expired code")
	}
}

func sameSizes(ten *Tenant, authz, codes, devices int) bool {
	a, c, d := ten.sizes()
	return a == authz && c == codes && d == devices
}

// A full table answers 429 too_many_requests in Auth0's error shape and
// says so in the tenant's log, once a minute however many it turns away;
// once entries expire there is room again without anyone sweeping.
func TestAFullTableAnswers429AndSaysSoInTheLog(t *testing.T) {
	t.Parallel()
	c := newClock()
	var book logBook
	ten, srv := start(t, Config{Now: c.Now, MaxPending: 3, MaxDeviceCodes: 2, Logf: book.Logf})
	redirect := "http://127.0.0.1:49152/callback"
	for i := range 3 {
		if resp, _ := get(t, authorizeURL(ten.Issuer(), "demo-native-app", redirect, verifier)); resp.StatusCode != 200 {
			t.Fatalf("sign-in %d: %d", i, resp.StatusCode)
		}
	}
	for range 5 {
		resp, body := get(t, authorizeURL(ten.Issuer(), "demo-native-app", redirect, verifier))
		if resp.StatusCode != 429 || body["error"] != "too_many_requests" || !strings.Contains(body["error_description"].(string), "sign-ins") {
			t.Fatalf("a fourth sign-in: %d %v", resp.StatusCode, body)
		}
	}
	for i := range 2 {
		if status, body, _ := post(t, srv, "/oauth/device/code", url.Values{"client_id": {"demo-native-app"}}, "", ""); status != 200 {
			t.Fatalf("device code %d: %d %v", i, status, body)
		}
	}
	status, body, _ := post(t, srv, "/oauth/device/code", url.Values{"client_id": {"demo-native-app"}}, "", "")
	if status != 429 || body["error"] != "too_many_requests" || body["error_description"] == "" || len(body) != 2 {
		t.Fatalf("a third device code: %d %v", status, body)
	}
	if got := book.matching("sign-ins are waiting on the login page, the most it keeps"); len(got) != 1 {
		t.Fatalf("the log says %q", book.lines)
	}
	if got := book.matching("device codes are waiting for a user, the most it keeps"); len(got) != 1 {
		t.Fatalf("the log says %q", book.lines)
	}
	c.Add(PendingLifetime + time.Second)
	if resp, _ := get(t, authorizeURL(ten.Issuer(), "demo-native-app", redirect, verifier)); resp.StatusCode != 200 {
		t.Fatalf("after the others expired: %d", resp.StatusCode)
	}
	if status, _, _ := post(t, srv, "/oauth/device/code", url.Values{"client_id": {"demo-native-app"}}, "", ""); status != 200 {
		t.Fatalf("a device code after the others expired: %d", status)
	}
	if a, _, d := ten.sizes(); a != 1 || d != 1 {
		t.Fatalf("%d sign-ins and %d device codes kept", a, d)
	}
}

// /authorize and /oauth/device/code are limited per client like the
// endpoints Auth0 lists (429 too_many_requests, Retry-After and the
// X-RateLimit headers), one client's burst leaving another's untouched.
func TestAuthorizeAndTheDeviceEndpointAreLimitedPerClient(t *testing.T) {
	t.Parallel()
	c := newClock()
	var book logBook
	ten, srv := start(t, Config{Now: c.Now, AuthorizeRate: Rate{Burst: 3, PerMinute: 6}, DeviceCodeRate: Rate{Burst: 2, PerMinute: 6}, Logf: book.Logf})
	native := authorizeURL(ten.Issuer(), "demo-native-app", "http://127.0.0.1:49152/callback", verifier)
	web := authorizeURL(ten.Issuer(), "demo-web-app", WebCallback, verifier)
	for i := range 3 {
		if resp, _ := get(t, native); resp.StatusCode != 200 || resp.Header.Get("X-RateLimit-Limit") != "3" {
			t.Fatalf("sign-in %d: %d %v", i, resp.StatusCode, resp.Header)
		}
	}
	resp, body := get(t, native)
	if resp.StatusCode != 429 || body["error"] != "too_many_requests" || resp.Header.Get("Retry-After") != "10" || resp.Header.Get("X-RateLimit-Remaining") != "0" {
		t.Fatalf("the fourth: %d %v %v", resp.StatusCode, body, resp.Header)
	}
	if resp, _ := get(t, web); resp.StatusCode != 200 {
		t.Fatalf("another client: %d", resp.StatusCode)
	}
	form := url.Values{"client_id": {"demo-native-app"}}
	for range 2 {
		post(t, srv, "/oauth/device/code", form, "", "")
	}
	if status, body, h := post(t, srv, "/oauth/device/code", form, "", ""); status != 429 || body["error"] != "too_many_requests" || h.Get("Retry-After") == "" {
		t.Fatalf("the third device code: %d %v", status, body)
	}
	c.Add(10 * time.Second) // one more a ten seconds
	if resp, _ := get(t, native); resp.StatusCode != 200 {
		t.Fatalf("ten seconds later: %d", resp.StatusCode)
	}
	if len(book.matching("rate limit authorize|demo-native-app reached")) != 1 || len(book.matching("rate limit device|demo-native-app reached")) != 1 {
		t.Fatalf("the log says %q", book.lines)
	}
	if a, _, d := ten.sizes(); a != 5 || d != 2 {
		t.Fatalf("%d sign-ins, %d device codes stored: a refused request stored one", a, d)
	}
}

// A page whose DNS name was rebound to 127.0.0.1 reaches the listener
// with its own name in Host: the tenant answers only to its issuer's host
// and port (or a loopback name for that port), and refuses the rest with
// 421 in Auth0's error shape.
func TestARequestForAnotherHostIsRefused(t *testing.T) {
	t.Parallel()
	ten, srv := start(t, Config{})
	u, _ := url.Parse(srv.URL)
	_, port, _ := strings.Cut(u.Host, ":")
	for _, c := range []struct {
		host string
		ok   bool
	}{
		{u.Host, true},
		{"localhost:" + port, true},
		{"LOCALHOST:" + port, true},
		{"[::1]:" + port, true},
		{"rebind.attacker.example:" + port, false},
		{"rebind.attacker.example", false},
		{"127.0.0.1:1", false},
		{"127.0.0.1", false},
		{"10.0.0.7:" + port, false},
	} {
		for _, path := range []string{"authorize?client_id=demo-native-app", ".well-known/openid-configuration", "activate"} {
			req, _ := http.NewRequest("GET", ten.Issuer()+path, nil)
			req.Host = c.host
			resp, err := noRedirect.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var body map[string]any
			json.NewDecoder(resp.Body).Decode(&body)
			resp.Body.Close()
			refused := resp.StatusCode == http.StatusMisdirectedRequest
			if refused == c.ok || refused && (body["error"] != "invalid_request" || !strings.Contains(body["error_description"].(string), "is not this demo tenant's address")) {
				t.Errorf("Host %s, /%s: %d %v", c.host, path, resp.StatusCode, body)
			}
		}
	}
	if a, _, _ := ten.sizes(); a != 0 {
		t.Fatalf("a refused request stored %d sign-ins", a)
	}
}

// The login (and consent) page and the activate page cannot be framed, so
// no other page can lay them under a user's click: X-Frame-Options DENY and
// CSP frame-ancestors 'none', on error pages too.
func TestTheLoginAndActivatePagesCannotBeFramed(t *testing.T) {
	t.Parallel()
	ten, _ := start(t, Config{})
	for _, path := range []string{
		strings.TrimPrefix(authorizeURL(ten.Issuer(), "demo-native-app", "http://127.0.0.1:49152/callback", verifier), ten.Issuer()),
		"authorize?client_id=nobody",
		"activate",
		"activate?user_code=ABCD-EFGH",
	} {
		resp, _ := get(t, ten.Issuer()+path)
		if resp.Header.Get("X-Frame-Options") != "DENY" || resp.Header.Get("Content-Security-Policy") != "frame-ancestors 'none'" {
			t.Errorf("/%s: %d %v", path, resp.StatusCode, resp.Header)
		}
	}
	resp, err := http.PostForm(ten.Issuer()+"activate", url.Values{"user_code": {"NOPE-NOPE"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("X-Frame-Options") != "DENY" {
		t.Errorf("POST /activate: %v", resp.Header)
	}
}

// A loopback redirect URI may carry a query: the answer's parameters join
// it (RFC 6749 §3.1.2: the query "MUST be retained when adding additional
// query parameters"), replacing any of the same name, so there is one code
// and one state; the token request then names the same URI. A redirect URI
// with a fragment is refused ("The endpoint URI MUST NOT include a fragment
// component", same section), and the answer never puts a fragment in front
// of its query.
func TestALoopbackRedirectURIKeepsItsQueryAndNeverAFragment(t *testing.T) {
	t.Parallel()
	ten, srv := start(t, Config{})
	redirect := "http://127.0.0.1:49152/callback?tenant=a%20b&state=forged&code=forged"
	loc := signInThroughThePage(t, authorizeURL(ten.Issuer(), "demo-native-app", redirect, verifier), "allow")
	q := loc.Query()
	if loc.Path != "/callback" || loc.Fragment != "" || q.Get("tenant") != "a b" || len(q["state"]) != 1 || q.Get("state") != "st-1" || len(q["code"]) != 1 || q.Get("code") == "forged" {
		t.Fatalf("Location %s", loc)
	}
	form := url.Values{"grant_type": {"authorization_code"}, "client_id": {"demo-native-app"}, "code": {q.Get("code")}, "redirect_uri": {redirect}, "code_verifier": {verifier}}
	if status, body, _ := post(t, srv, "/oauth/token", form, "", ""); status != 200 {
		t.Fatalf("redeeming: %d %v", status, body)
	}
	// An error goes back the same way.
	resp, _ := get(t, authorizeURL(ten.Issuer(), "demo-native-app", redirect, verifier, "code_challenge", ""))
	loc, _ = url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != 302 || loc.Query().Get("error") != "invalid_request" || loc.Query().Get("tenant") != "a b" || loc.Query().Get("state") != "st-1" {
		t.Fatalf("an error: %d %s", resp.StatusCode, loc)
	}
	for _, bad := range []string{"http://127.0.0.1:49152/callback#x", "http://127.0.0.1:49152/callback?a=1#x", "http://127.0.0.1:49152/callback#"} {
		resp, _ := get(t, authorizeURL(ten.Issuer(), "demo-native-app", bad, verifier))
		if resp.StatusCode != 400 || resp.Header.Get("Location") != "" {
			t.Errorf("%s: %d %v", bad, resp.StatusCode, resp.Header)
		}
	}
	// Whatever reaches callbackURL, the query lands in the query.
	for in, want := range map[string]string{
		"http://127.0.0.1:1/cb":           "http://127.0.0.1:1/cb?code=c&state=s",
		"http://127.0.0.1:1/cb?a=1":       "http://127.0.0.1:1/cb?a=1&code=c&state=s",
		"http://127.0.0.1:1/cb?a=1#frag":  "http://127.0.0.1:1/cb?a=1&code=c&state=s",
		"http://127.0.0.1:1/cb#frag?x=1":  "http://127.0.0.1:1/cb?code=c&state=s",
		"http://127.0.0.1:1/cb?state=old": "http://127.0.0.1:1/cb?code=c&state=s",
	} {
		if got := callbackURL(in, url.Values{"code": {"c"}, "state": {"s"}}); got != want {
			t.Errorf("callbackURL(%s) = %s, want %s", in, got, want)
		}
	}
}

// A sweep also forgets what can never be used again — expired opaque
// access tokens, refresh-token families that were revoked or are past
// their absolute lifetime — and nobody can tell: the answers stay
// Auth0's "Unknown or invalid refresh token." and 401 at /userinfo.
func TestASweepForgetsEndedFamiliesAndExpiredAccessTokensAndNothingAnswersDifferently(t *testing.T) {
	t.Parallel()
	c := newClock()
	ten, srv := start(t, Config{Now: c.Now, AbsoluteLifetime: 48 * time.Hour, IdleLifetime: 48 * time.Hour})
	native := clientByAuth(ten, "none")
	revoked, _ := ten.MintRefreshToken(native.ID, "openid offline_access", "")
	post(t, srv, "/oauth/revoke", url.Values{"token": {revoked}, "client_id": {native.ID}}, "", "")
	old, _ := ten.MintRefreshToken(native.ID, "openid profile offline_access", "")
	_, body, _ := post(t, srv, "/oauth/token", refreshForm(native, old), "", "")
	access := body["access_token"].(string) // opaque: no audience
	c.Add(25 * time.Hour)                   // the access token (24 h) has expired
	live, _ := ten.MintRefreshToken(native.ID, "openid offline_access", "")
	c.Add(24 * time.Hour) // the first families are past 48 h, live is not
	ten.sweep()
	ten.mu.Lock()
	families, tokens, opaque := len(ten.families), len(ten.tokens), len(ten.opaque)
	ten.mu.Unlock()
	if families != 1 || tokens != 1 || opaque != 0 {
		t.Fatalf("kept %d families, %d refresh tokens, %d opaque access tokens", families, tokens, opaque)
	}
	for _, rt := range []string{revoked, old, body["refresh_token"].(string)} {
		if status, b, _ := post(t, srv, "/oauth/token", refreshForm(native, rt), "", ""); status != 403 || b["error_description"] != errUnknownToken {
			t.Fatalf("a forgotten token: %d %v", status, b)
		}
	}
	if status, _, _ := post(t, srv, "/oauth/token", refreshForm(native, live), "", ""); status != 200 {
		t.Fatalf("the live family: %d", status)
	}
	req, _ := http.NewRequest("GET", srv.URL+"/userinfo", nil)
	req.Header.Set("Authorization", "Bearer "+access)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Fatalf("a forgotten access token at /userinfo: %d", resp.StatusCode)
	}
}
