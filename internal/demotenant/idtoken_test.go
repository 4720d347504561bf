package demotenant

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// claimNames decodes a JWT's payload (no verification: only the names
// matter here) and returns its claim names, sorted.
func claimNames(t *testing.T, jwt string) []string {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWS: %q", jwt)
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	var names []string
	for k := range m {
		names = append(names, k)
	}
	slices.Sort(names)
	return names
}

// codeGrantIDToken signs in through the login page with scope and extra
// /authorize parameters and returns the ID token /oauth/token gives.
func codeGrantIDToken(t *testing.T, scope string, extra ...string) string {
	t.Helper()
	ten, srv := start(t, Config{})
	redirect := "http://127.0.0.1:49152/callback"
	loc := signInThroughThePage(t, authorizeURL(ten.Issuer(), "demo-native-app", redirect, verifier, append([]string{"scope", scope}, extra...)...), "allow")
	form := url.Values{"grant_type": {"authorization_code"}, "client_id": {"demo-native-app"}, "code": {loc.Query().Get("code")},
		"redirect_uri": {redirect}, "code_verifier": {verifier}}
	status, body, _ := post(t, srv, "/oauth/token", form, "", "")
	id, _ := body["id_token"].(string)
	if status != 200 || id == "" {
		t.Fatalf("%d %v", status, body)
	}
	if _, err := ten.verify(id); err != nil {
		t.Fatal(err)
	}
	return id
}

// The ID token /oauth/token returns for the authorization code grant
// carries the claims Auth0's own do, so a client that works against the
// demo works against Auth0:
//
//   - openid: sub, and "In an ID Token, iss, aud, exp, iat, and at_hash
//     claims will also be present"; profile: "name, family_name,
//     given_name, middle_name, nickname, picture, and updated_at" (those the
//     user has: a database user like the demo's has name, nickname,
//     picture, updated_at); email: email and email_verified
//     (https://auth0.com/docs/get-started/apis/scopes/openid-connect-scopes).
//   - The authorization-code example of scope openid profile email decodes
//     to exactly name, nickname, picture, updated_at, email,
//     email_verified, iss, sub, aud, exp, iat, nonce, at_hash
//     (https://auth0.com/docs/get-started/apis/scopes/sample-use-cases-scopes-and-claims);
//     its aud is the client ID alone, and no Auth0 sample has azp
//     (https://auth0.com/docs/secure/tokens/id-tokens/id-token-structure).
//   - sid: "During user authentication, the Auth0 tenant adds the sid to
//     the ID token"
//     (https://auth0.com/docs/authenticate/login/logout/back-channel-logout).
//   - auth_time only on request: it "will be included automatically in
//     the ID token when prompt=login or max_age=0 parameters are given"
//     (https://auth0.com/docs/authenticate/login/max-age-reauthentication);
//     OpenID Connect Core §3.1.2.1 requires it for any max_age.
//   - nonce when the request had one (same sample; OpenID Connect Core §2).
func TestTheCodeGrantIDTokenCarriesAuth0sClaims(t *testing.T) {
	t.Parallel()
	base := []string{"aud", "exp", "iat", "iss", "sub", "at_hash", "sid"}
	with := func(extra ...string) []string {
		out := slices.Concat(base, extra)
		slices.Sort(out)
		return out
	}
	profile := []string{"name", "nickname", "picture", "updated_at"}
	email := []string{"email", "email_verified"}
	cases := []struct {
		name  string
		scope string
		extra []string
		want  []string
	}{
		{"openid profile email with a nonce", "openid profile email", nil, with(slices.Concat(profile, email, []string{"nonce"})...)},
		{"openid alone, no nonce", "openid", []string{"nonce", ""}, with()},
		{"openid email offline_access", "openid email offline_access", nil, with(slices.Concat(email, []string{"nonce"})...)},
		{"max_age asks for auth_time", "openid", []string{"max_age", "0"}, with("nonce", "auth_time")},
		{"prompt=login asks for auth_time", "openid profile", []string{"prompt", "login"}, with(slices.Concat(profile, []string{"nonce", "auth_time"})...)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := claimNames(t, codeGrantIDToken(t, c.scope, c.extra...)); !slices.Equal(got, c.want) {
				t.Fatalf("claims %v\nAuth0's %v", got, c.want)
			}
		})
	}
}

// The values behind those names are the shapes Auth0 uses: aud is the
// client ID as a string, updated_at an ISO 8601 string, auth_time the
// moment the user pressed Continue.
func TestTheCodeGrantIDTokenClaimsHaveAuth0sShapes(t *testing.T) {
	t.Parallel()
	c := newClock()
	ten, srv := start(t, Config{Now: c.Now})
	redirect := "http://127.0.0.1:49152/callback"
	loc := signInThroughThePage(t, authorizeURL(ten.Issuer(), "demo-native-app", redirect, verifier, "scope", "openid profile", "max_age", "300"), "allow")
	c.Add(30 * time.Second)
	form := url.Values{"grant_type": {"authorization_code"}, "client_id": {"demo-native-app"}, "code": {loc.Query().Get("code")},
		"redirect_uri": {redirect}, "code_verifier": {verifier}}
	_, body, _ := post(t, srv, "/oauth/token", form, "", "")
	claims, err := ten.verify(body["id_token"].(string))
	if err != nil {
		t.Fatal(err)
	}
	updated, _ := claims["updated_at"].(string)
	if _, err := time.Parse(time.RFC3339, updated); err != nil {
		t.Errorf("updated_at %v: %v", claims["updated_at"], err)
	}
	if claims["aud"] != "demo-native-app" || claims["auth_time"] != float64(c.Now().Add(-30*time.Second).Unix()) || claims["iat"] != float64(c.Now().Unix()) {
		t.Errorf("claims %v", claims)
	}
}
