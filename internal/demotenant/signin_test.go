package demotenant

import (
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// noRedirect is a client that reads each redirect by hand.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// authorizeURL builds a /authorize URL for the native client with PKCE.
func authorizeURL(iss, clientID, redirect, verifier string, extra ...string) string {
	sum := sha256.Sum256([]byte(verifier))
	v := url.Values{"response_type": {"code"}, "client_id": {clientID}, "redirect_uri": {redirect}, "scope": {"openid profile offline_access"},
		"state": {"st-1"}, "nonce": {"n-1"}, "code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"}}
	for i := 0; i+1 < len(extra); i += 2 {
		if extra[i+1] == "" {
			v.Del(extra[i])
		} else {
			v.Set(extra[i], extra[i+1])
		}
	}
	return iss + "authorize?" + v.Encode()
}

// signInThroughThePage follows the login page like a person: open it,
// press the button, and return where the browser is sent.
func signInThroughThePage(t *testing.T, authURL, decision string) *url.URL {
	t.Helper()
	resp, err := noRedirect.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(b), "Continue as the demo user") {
		t.Fatalf("login page: %d %s", resp.StatusCode, b)
	}
	i := strings.Index(string(b), `name="request" value="`)
	id := string(b)[i+len(`name="request" value="`):]
	id = id[:strings.IndexByte(id, '"')]
	base, _ := url.Parse(authURL)
	resp, err = noRedirect.PostForm(base.Scheme+"://"+base.Host+"/authorize/decide", url.Values{"request": {id}, "decision": {decision}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	return loc
}

// The authorization code flow with PKCE (RFC 7636) for a native client on
// any loopback port (RFC 8252 §7.3), the code single-use and bound to its
// verifier and redirect URI (RFC 6749 §4.1.3), the nonce in the ID token.
func TestTheDemoSignsInWithCodeAndPKCE(t *testing.T) {
	t.Parallel()
	ten, srv := start(t, Config{})
	iss := ten.Issuer()
	redirect := "http://127.0.0.1:49152/callback"
	loc := signInThroughThePage(t, authorizeURL(iss, "demo-native-app", redirect, "verifier-0123456789-0123456789-0123456789"), "allow")
	if loc.Query().Get("state") != "st-1" || loc.Query().Get("code") == "" || !strings.HasPrefix(loc.String(), redirect) {
		t.Fatalf("redirect %s", loc)
	}
	form := url.Values{"grant_type": {"authorization_code"}, "client_id": {"demo-native-app"}, "code": {loc.Query().Get("code")},
		"redirect_uri": {redirect}, "code_verifier": {"wrong-verifier-0123456789-0123456789-0123"}}
	if status, body, _ := post(t, srv, "/oauth/token", form, "", ""); status != 403 || body["error"] != "invalid_grant" {
		t.Fatalf("wrong verifier: %d %v", status, body)
	}
	// The code was spent by the failed attempt; a new sign-in, the right verifier.
	loc = signInThroughThePage(t, authorizeURL(iss, "demo-native-app", redirect, "verifier-0123456789-0123456789-0123456789"), "allow")
	form.Set("code", loc.Query().Get("code"))
	form.Set("code_verifier", "verifier-0123456789-0123456789-0123456789")
	status, body, _ := post(t, srv, "/oauth/token", form, "", "")
	if status != 200 || body["refresh_token"] == nil || body["id_token"] == nil {
		t.Fatalf("%d %v", status, body)
	}
	claims, err := ten.verify(body["id_token"].(string))
	if err != nil || claims["nonce"] != "n-1" || claims["aud"] != "demo-native-app" {
		t.Fatalf("%v %v", claims, err)
	}
	if status, _, _ := post(t, srv, "/oauth/token", form, "", ""); status != 403 {
		t.Fatalf("a code was redeemed twice: %d", status)
	}
}

// Cancel on the login page comes back as error=access_denied with the
// state; a public client without PKCE, a confidential client on another
// port, and a callback not allowed at all are refused.
func TestTheDemoRefusesWhatAuth0Refuses(t *testing.T) {
	t.Parallel()
	ten, _ := start(t, Config{})
	iss := ten.Issuer()
	loc := signInThroughThePage(t, authorizeURL(iss, "demo-native-app", "http://127.0.0.1:40000/callback", "v-0123456789-0123456789-0123456789-0123"), "deny")
	if loc.Query().Get("error") != "access_denied" || loc.Query().Get("state") != "st-1" {
		t.Fatalf("cancel: %s", loc)
	}
	resp, _ := noRedirect.Get(authorizeURL(iss, "demo-native-app", "http://127.0.0.1:40000/callback", "v", "code_challenge", ""))
	resp.Body.Close()
	if l, _ := url.Parse(resp.Header.Get("Location")); l == nil || l.Query().Get("error") != "invalid_request" {
		t.Fatalf("no PKCE: %d %v", resp.StatusCode, resp.Header)
	}
	for _, bad := range []struct{ client, redirect string }{
		{"demo-web-app", "http://127.0.0.1:40001/callback"}, // confidential: exact match only
		{"demo-native-app", "https://evil.example/callback"},
	} {
		resp, _ := noRedirect.Get(authorizeURL(iss, bad.client, bad.redirect, "v-0123456789-0123456789-0123456789-0123"))
		resp.Body.Close()
		if resp.StatusCode != 400 || resp.Header.Get("Location") != "" {
			t.Fatalf("%s %s: %d %v", bad.client, bad.redirect, resp.StatusCode, resp.Header)
		}
	}
}

// Client credentials need an audience on Auth0 ("No audience parameter was
// provided, and no default audience has been configured").
func TestTheDemoClientCredentialsNeedAnAudience(t *testing.T) {
	t.Parallel()
	ten, srv := start(t, Config{})
	backend := clientByAuth(ten, "basic")
	form := url.Values{"grant_type": {"client_credentials"}}
	if status, body, _ := post(t, srv, "/oauth/token", form, backend.ID, backend.Secret); status != 403 || body["error"] != "access_denied" {
		t.Fatalf("no audience: %d %v", status, body)
	}
	form.Set("audience", APIAudience)
	status, body, _ := post(t, srv, "/oauth/token", form, backend.ID, backend.Secret)
	if status != 200 {
		t.Fatalf("%d %v", status, body)
	}
	claims, err := ten.verify(body["access_token"].(string))
	if err != nil || claims["gty"] != "client-credentials" || claims["sub"] != backend.ID+"@clients" {
		t.Fatalf("%v %v", claims, err)
	}
}

// The device flow as Auth0 answers it
// (https://auth0.com/docs/api/authentication/device-authorization-flow/authorize-device):
// 403 authorization_pending, 429 slow_down when polling too fast, then the
// tokens once the user allowed the code on /activate.
func TestTheDemoDeviceFlow(t *testing.T) {
	t.Parallel()
	c := newClock()
	ten, srv := start(t, Config{Now: c.Now})
	status, body, _ := post(t, srv, "/oauth/device/code", url.Values{"client_id": {"demo-native-app"}, "scope": {"openid offline_access"}}, "", "")
	if status != 200 || body["verification_uri_complete"] == nil || body["interval"] != float64(5) {
		t.Fatalf("%d %v", status, body)
	}
	poll := url.Values{"grant_type": {DeviceCodeGrant}, "client_id": {"demo-native-app"}, "device_code": {body["device_code"].(string)}}
	if status, b, _ := post(t, srv, "/oauth/token", poll, "", ""); status != 403 || b["error"] != "authorization_pending" {
		t.Fatalf("pending: %d %v", status, b)
	}
	if status, b, _ := post(t, srv, "/oauth/token", poll, "", ""); status != 429 || b["error"] != "slow_down" {
		t.Fatalf("too fast: %d %v", status, b)
	}
	resp, err := http.PostForm(ten.Issuer()+"activate", url.Values{"user_code": {strings.ToLower(body["user_code"].(string))}, "decision": {"allow"}})
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("activate: %v %v", resp, err)
	}
	resp.Body.Close()
	c.Add(6 * time.Second)
	if status, b, _ := post(t, srv, "/oauth/token", poll, "", ""); status != 200 || b["refresh_token"] == nil {
		t.Fatalf("after allowing: %d %v", status, b)
	}
}
