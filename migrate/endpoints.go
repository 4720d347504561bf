package migrate

import (
	"net/url"
	"strings"

	"github.com/tokenscope/tokenscope/internal/finding"
	"github.com/tokenscope/tokenscope/internal/httpx"
	"github.com/tokenscope/tokenscope/internal/oauth"
)

// Endpoint is a legacy Authentication API endpoint.
type Endpoint string

const (
	EndpointDelegation  Endpoint = "/delegation"
	EndpointRO          Endpoint = "/oauth/ro"
	EndpointTokenInfo   Endpoint = "/tokeninfo"
	EndpointAccessToken Endpoint = "/oauth/access_token"
	EndpointSSOData     Endpoint = "/user/ssodata"
	EndpointAuthorize   Endpoint = "/authorize"
)

// EndpointOf names the legacy endpoint a URL calls, or "" for any other.
// Only the path counts, so a proxy prefix (/auth0/delegation) still does.
func EndpointOf(raw string) Endpoint {
	p := strings.TrimSuffix(pathOf(raw), "/")
	for _, e := range []Endpoint{EndpointDelegation, EndpointRO, EndpointTokenInfo, EndpointAccessToken, EndpointSSOData, EndpointAuthorize} {
		if p == string(e) || strings.HasSuffix(p, string(e)) {
			return e
		}
	}
	if p == "/ssodata" || strings.HasSuffix(p, "/ssodata") {
		return EndpointSSOData
	}
	return ""
}

// passwordRealmGrant is Auth0's resource-owner grant for one connection
// (https://auth0.com/docs/troubleshoot/product-lifecycle/past-migrations/migration-oauthro-oauthtoken).
const passwordRealmGrant = "http://auth0.com/oauth/grant-type/password-realm"

// roParams are what /oauth/ro took; anything else is named as dropped.
var roParams = map[string]bool{
	"grant_type": true, "client_id": true, "client_secret": true, "username": true, "password": true,
	"connection": true, "scope": true, "device": true, "id_token": true, "access_token": true,
}

// rewriteRO turns a /oauth/ro password login into the password-realm
// grant at /oauth/token: the connection becomes the realm, claim scopes
// map to OIDC scopes, device is gone, audience is optional.
func rewriteRO(l Legacy, o Options, add func(finding.Severity, string, string, ...any)) *Request {
	grant, _ := l.Params.Get("grant_type")
	if grant != "" && grant != "password" {
		add(finding.SeverityError, CodeIDTokenDelegation, "This /oauth/ro call uses grant_type %s, which exchanged an existing token; the OIDC-conformant pipeline has none. Sign the user in with Universal Login (authorization code flow with PKCE) instead.", grant)
		return nil
	}
	clientID := firstParam(l, "client_id", l.BasicUser)
	username, _ := l.Params.Get("username")
	password, _ := l.Params.Get("password")
	connection, _ := l.Params.Get("connection")
	blocked := false
	for name, v := range map[string]string{"client_id": clientID, "username": username, "password": password} {
		if v == "" {
			add(finding.SeverityError, CodeMissingParameter, "The /oauth/ro call has no %s.", name)
			blocked = true
		}
	}
	add(finding.SeverityWarning, CodeResourceOwner, "This is the resource owner password grant: the app handles the user's password. The new request keeps working through Auth0's password-realm grant (enable the Password grant type on the application), but Auth0 recommends moving to Universal Login with the authorization code flow and PKCE.")
	if connection == "" {
		add(finding.SeverityWarning, CodeMissingParameter, "The call names no connection: the new request has no realm, so Auth0 uses the tenant's Default Directory (set it under Tenant Settings → API Authorization Settings).")
	}
	dropNonParams(l, roParams, add)
	if _, ok := l.Params.Get("device"); ok {
		add(finding.SeverityInfo, CodeDroppedParameter, "The device parameter is gone from the new pipeline: a refresh token is issued when the scope has offline_access.")
	}
	if blocked {
		return nil
	}
	auth := inferAuth(l, o.Auth, hasBodySecret(l), add)
	secret := secretFor(l, auth, add)
	endpoint := newEndpoint(l, o, "/oauth/token", add)
	req := &Request{Method: "POST", URL: endpoint, Encoding: encodingOf(l), Auth: auth, ClientID: clientID, ClientSecret: secret}
	req.Body = Params{{"grant_type", passwordRealmGrant}, {"client_id", clientID}, {"username", username}, {"password", password}}
	if connection != "" {
		req.Body = append(req.Body, Param{"realm", connection})
	}
	if auth == oauth.AuthPost {
		req.Body = append(req.Body, Param{"client_secret", secret})
	}
	if scope, ok := l.Params.Get("scope"); ok {
		if scope, ok = rewriteScope(scope, add); ok {
			req.Body = append(req.Body, Param{"scope", scope})
		}
	}
	if o.Audience != "" {
		req.Body = append(req.Body, Param{"audience", o.Audience})
	}
	return req
}

// rewriteTokenInfo turns /tokeninfo (an ID token in, the profile out)
// into GET /userinfo with the access token of the same login
// (https://auth0.com/docs/api/authentication/user-profile-legacy/get-token-info:
// "Deprecated ... use /userinfo instead").
func rewriteTokenInfo(l Legacy, o Options, add func(finding.Severity, string, string, ...any)) *Request {
	add(finding.SeverityWarning, CodeTokenInfo, "/tokeninfo took an ID token; /userinfo takes the access token issued with it (the login must ask for the openid scope), sent as Authorization: Bearer — $ACCESS_TOKEN stands in for it. Or skip the call: verify the ID token and read its claims.")
	endpoint := newEndpoint(l, o, "/userinfo", add)
	return &Request{Method: "GET", URL: endpoint, Bearer: "$" + EnvAccessToken}
}

func rewriteAccessToken(add func(finding.Severity, string, string, ...any)) {
	add(finding.SeverityError, CodeSocialAccessToken, "/oauth/access_token exchanged a social provider's access token (Facebook, Google, …) for Auth0 tokens, and has no one-to-one replacement. Use Universal Login with that social connection, or, for Sign in with Apple and Facebook on native apps, Native Social Login through /oauth/token with the token-exchange grant.")
}

func rewriteSSOData(add func(finding.Severity, string, string, ...any)) {
	add(finding.SeverityError, CodeSSOData, "/user/ssodata told a page whether the browser had an Auth0 session. Use silent authentication instead: auth0.js 9 checkSession(), auth0-spa-js getTokenSilently(), or /authorize with prompt=none.")
}

func firstParam(l Legacy, name, fallback string) string {
	if v, _ := l.Params.Get(name); v != "" {
		return v
	}
	return fallback
}

func encodingOf(l Legacy) Encoding {
	if l.Encoding == "" {
		return EncodingJSON
	}
	return l.Encoding
}

// dropNonParams names each parameter the endpoint never took.
func dropNonParams(l Legacy, known map[string]bool, add func(finding.Severity, string, string, ...any)) {
	seen := map[string]bool{}
	for _, p := range l.Params {
		if !known[p.Name] && !seen[p.Name] && !jsonpParams[p.Name] {
			seen[p.Name] = true
			add(finding.SeverityWarning, CodeDroppedParameter, "The parameter %s has no meaning for the new endpoint and is dropped.", p.Name)
		}
	}
}

// jsonpParams are the callback parameters of auth0.js's JSONP transport
// (it used "cbx"), which only ever existed on GET calls from old browsers.
var jsonpParams = map[string]bool{"cbx": true, "callback": true}

// noteJSONP explains a GET with a JSONP callback: the new endpoints are
// POST (or GET with a bearer token) and answer JSON, never JSONP.
func noteJSONP(l Legacy, add func(finding.Severity, string, string, ...any)) {
	for name := range jsonpParams {
		if _, ok := l.Params.Get(name); ok {
			add(finding.SeverityInfo, CodeJSONP, "This call went through JSONP (GET with a %s callback, as auth0.js did in browsers without CORS). /oauth/token takes a POST and answers JSON; the callback parameter is dropped.", name)
			return
		}
	}
}

// secretFor returns the client secret the new request sends, with the
// findings that say where it came from or why it is missing.
func secretFor(l Legacy, auth oauth.AuthMethod, add func(finding.Severity, string, string, ...any)) string {
	secret, hasSecret := l.Params.Get("client_secret")
	if !hasSecret && l.BasicPassword != "" {
		secret, hasSecret = l.BasicPassword, true
	}
	switch {
	case auth == oauth.AuthNone && hasSecret:
		add(finding.SeverityInfo, CodeSecretNotSent, "The legacy request carried a client_secret; with client authentication none (native and mobile apps) it is not sent. Choose post or basic for a confidential application.")
	case auth != oauth.AuthNone && !hasSecret:
		add(finding.SeverityInfo, CodeSecretNeeded, "Client authentication %s needs the client secret, which the legacy request did not carry: the new request reads it from $CLIENT_SECRET.", auth)
		secret = "$" + EnvClientSecret
	}
	return secret
}

// newEndpoint is the new URL on the same tenant: the user's domain, or
// the input's host, with https unless it is loopback.
func newEndpoint(l Legacy, o Options, path string, add func(finding.Severity, string, string, ...any)) string {
	endpoint, domainOK := tokenEndpoint(l.URL, o.Domain)
	endpoint = strings.TrimSuffix(endpoint, "/oauth/token") + path
	if !domainOK {
		add(finding.SeverityWarning, CodeMissingDomain, "The input names no tenant domain: the URL uses %s. Give your domain (for example tenant.eu.auth0.com).", PlaceholderDomain)
	}
	if u, err := url.Parse(endpoint); err == nil && u.Scheme == "http" && !httpx.IsLoopback(u.Hostname()) {
		add(finding.SeverityError, CodeInsecureTransport, "The request uses plain http to %s: credentials must travel over https. The new request uses https.", u.Host)
		u.Scheme = "https"
		endpoint = u.String()
	}
	return endpoint
}
