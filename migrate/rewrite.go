package migrate

import (
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/tokenscope/tokenscope/internal/finding"
	"github.com/tokenscope/tokenscope/internal/httpx"
	"github.com/tokenscope/tokenscope/internal/oauth"
)

// JWTBearer is the legacy /delegation grant type.
const JWTBearer = oauth.GrantJWTBearer

// AuthMethod is how the new request authenticates the client.
type AuthMethod = oauth.AuthMethod

const (
	AuthNone  = oauth.AuthNone
	AuthPost  = oauth.AuthPost
	AuthBasic = oauth.AuthBasic
)

// ParseAuthMethod reads "none", "post" or "basic" (and the OAuth names).
func ParseAuthMethod(s string) (AuthMethod, error) { return oauth.ParseAuthMethod(s) }

// Options are the user's choices for the rewrite.
type Options struct {
	Domain   string     // overrides the input's host; "" keeps it
	Auth     AuthMethod // default none
	Audience string     // optional
}

// Severity ranks a finding.
type Severity = finding.Severity

const (
	SeverityError   = finding.SeverityError
	SeverityWarning = finding.SeverityWarning
	SeverityInfo    = finding.SeverityInfo
)

// Finding codes: part of the --json contract.
const (
	CodeIDTokenDelegation = "id_token_delegation"
	CodeTargetClient      = "target_client"
	CodeAddonAPIType      = "addon_api_type"
	CodeDroppedParameter  = "dropped_parameter"
	CodeLegacyScope       = "legacy_scope"
	CodeAudienceOnRefresh = "audience_on_refresh"
	CodeMissingDomain     = "missing_domain"
	CodeInsecureTransport = "insecure_transport"
	CodeMissingParameter  = "missing_parameter"
	CodeNotDelegation     = "not_delegation"
	CodeImplicitRefresh   = "implicit_refresh"
	CodeSecretNotSent     = "secret_not_sent"
	CodeSecretNeeded      = "secret_needed"
)

// Finding is one thing the user should know about a rewrite.
type Finding = finding.Finding

// Request is the new POST /oauth/token request. Secrets are kept literal
// here; renderers decide whether to show them.
type Request struct {
	Method   string
	URL      string
	Encoding Encoding
	Body     Params
	// ClientID and ClientSecret for Authorization: Basic (Auth == basic).
	Auth         AuthMethod
	ClientID     string
	ClientSecret string
}

// Result is one legacy request and what became of it.
type Result struct {
	Source     Source
	Migratable bool
	Request    *Request // nil when not migratable
	Findings   []Finding
}

// PlaceholderDomain stands in when neither the input nor the user names one.
const PlaceholderDomain = "YOUR_TENANT.auth0.com"

// Add-on api_types: Auth0's delegation to third-party APIs, which has no
// OIDC-conformant equivalent.
var addonAPITypes = map[string]string{
	"firebase": "Firebase", "aws": "Amazon Web Services", "azure_sb": "Azure Service Bus",
	"salesforce_api": "Salesforce", "salesforce_sandbox_api": "Salesforce (sandbox)",
	"sap_api": "SAP", "wams": "Windows Azure Mobile Services",
}

// Scopes the OIDC-conformant pipeline understands without an API.
var oidcScopes = map[string]bool{"openid": true, "profile": true, "email": true, "address": true, "phone": true, "offline_access": true}

// Parameters /delegation knew; anything else is dropped and named.
var delegationParams = map[string]bool{
	"grant_type": true, "client_id": true, "client_secret": true, "refresh_token": true,
	"id_token": true, "target": true, "api_type": true, "scope": true,
}

// Rewrite turns one legacy request into a /oauth/token refresh request.
func Rewrite(l Legacy, o Options) Result {
	r := Result{Source: l.Source}
	add := func(sev Severity, code, format string, a ...any) {
		r.Findings = append(r.Findings, Finding{Severity: sev, Code: code, Message: fmt.Sprintf(format, a...)})
	}
	blocked := false
	if l.Source.Format == FormAuthorize {
		rewriteAuthorize(l, add)
		return r
	}
	if l.URL != "" && !isDelegationURL(l.URL) {
		add(SeverityError, CodeNotDelegation, "This request goes to %s, not to /delegation, so there is nothing to migrate.", pathOf(l.URL))
		return r
	}
	grant, _ := l.Params.Get("grant_type")
	switch {
	case grant == "refresh_token":
		add(SeverityError, CodeNotDelegation, "This is already an OIDC-conformant refresh request (grant_type=refresh_token): send it to /oauth/token as it is.")
		return r
	case grant != JWTBearer:
		if grant == "" {
			grant = "(none)"
		}
		add(SeverityError, CodeNotDelegation, "The grant_type is %s, not %s: this is not a /delegation request.", grant, JWTBearer)
		return r
	}

	clientID, _ := l.Params.Get("client_id")
	if clientID == "" {
		clientID = l.BasicUser
	}
	if clientID == "" {
		add(SeverityError, CodeMissingParameter, "The request has no client_id: add the application's Client ID.")
		blocked = true
	}
	secret, hasSecret := l.Params.Get("client_secret")
	if !hasSecret && l.BasicPassword != "" {
		secret, hasSecret = l.BasicPassword, true
	}
	refresh, hasRefresh := l.Params.Get("refresh_token")
	_, hasIDToken := l.Params.Get("id_token")
	switch {
	case hasRefresh && refresh != "":
	case hasIDToken:
		add(SeverityError, CodeIDTokenDelegation, "This delegates an id_token, and the OIDC-conformant pipeline has no ID-token exchange. Sign the user in with the authorization code flow and PKCE (or silent authentication with prompt=none), asking for the offline_access scope, then use the refresh_token grant.")
		blocked = true
	default:
		add(SeverityError, CodeMissingParameter, "The request has neither a refresh_token nor an id_token to exchange.")
		blocked = true
	}
	if target, ok := l.Params.Get("target"); ok && target != "" && target != clientID {
		add(SeverityError, CodeTargetClient, "The target is another client (%s). There is no one-to-one equivalent: model that client's backend as an API in Auth0 and request an access token with audience set to the API's identifier.", target)
		blocked = true
	}
	if apiType, ok := l.Params.Get("api_type"); ok && apiType != "" && apiType != "app" {
		name := addonAPITypes[apiType]
		if name == "" {
			name = "an unknown add-on"
		}
		add(SeverityError, CodeAddonAPIType, "api_type %s asks for a token for %s through an Auth0 add-on; the OIDC-conformant pipeline has no equivalent, so this call cannot be migrated.", apiType, name)
		blocked = true
	}
	var dropped []string
	for _, p := range l.Params {
		if !delegationParams[p.Name] {
			dropped = append(dropped, p.Name)
		}
	}
	sort.Strings(dropped)
	for _, d := range dedupe(dropped) {
		add(SeverityWarning, CodeDroppedParameter, "The parameter %s has no meaning for /oauth/token and is dropped.", d)
	}

	scope, hasScope := l.Params.Get("scope")
	if hasScope {
		var legacy []string
		for _, s := range strings.Fields(scope) {
			if !oidcScopes[s] && !strings.Contains(s, ":") {
				legacy = append(legacy, s)
			}
		}
		if len(legacy) > 0 {
			add(SeverityWarning, CodeLegacyScope, "The scope asks for %s, which are not OIDC scopes: the new pipeline returns standard claims only. Add custom data with custom claims from an Action.", strings.Join(legacy, ", "))
		}
	}
	if o.Audience != "" {
		add(SeverityWarning, CodeAudienceOnRefresh, "You added audience %s. Auth0 issues the refreshed tokens for the audience of the original grant unless Multi-Resource Refresh Token is set up for this application.", o.Audience)
	}

	endpoint, domainOK := tokenEndpoint(l.URL, o.Domain)
	if !domainOK {
		add(SeverityWarning, CodeMissingDomain, "The input names no tenant domain: the URL uses %s. Give your domain (for example tenant.eu.auth0.com).", PlaceholderDomain)
	}
	if u, err := url.Parse(endpoint); err == nil && u.Scheme == "http" && !httpx.IsLoopback(u.Hostname()) {
		add(SeverityError, CodeInsecureTransport, "The request uses plain http to %s: a refresh token must travel over https. The new request uses https.", u.Host)
		u.Scheme = "https"
		endpoint = u.String()
	}
	auth := o.Auth
	if auth == "" {
		auth = AuthNone
	}
	switch {
	case auth == AuthNone && hasSecret:
		add(SeverityInfo, CodeSecretNotSent, "The legacy request carried a client_secret; with client authentication none (native and mobile apps) it is not sent. Choose post or basic for a confidential application.")
	case auth != AuthNone && !hasSecret:
		add(SeverityInfo, CodeSecretNeeded, "Client authentication %s needs the client secret, which the legacy request did not carry: the new request reads it from $CLIENT_SECRET.", auth)
		secret = "$" + EnvClientSecret
	}
	if blocked {
		return r
	}

	req := &Request{Method: "POST", URL: endpoint, Encoding: l.Encoding, Auth: auth, ClientID: clientID, ClientSecret: secret}
	if req.Encoding == "" {
		req.Encoding = EncodingJSON
	}
	req.Body = Params{{"grant_type", "refresh_token"}, {"client_id", clientID}, {"refresh_token", refresh}}
	if auth == AuthPost {
		req.Body = append(req.Body, Param{"client_secret", secret})
	}
	if hasScope {
		req.Body = append(req.Body, Param{"scope", scope})
	}
	if o.Audience != "" {
		req.Body = append(req.Body, Param{"audience", o.Audience})
	}
	r.Request = req
	r.Migratable = true
	return r
}

func rewriteAuthorize(l Legacy, add func(Severity, string, string, ...any)) {
	rt, _ := l.Params.Get("response_type")
	scope, _ := l.Params.Get("scope")
	implicit := false
	for _, t := range strings.Fields(rt) {
		if t == "token" || t == "id_token" {
			implicit = true
		}
	}
	hasOffline := false
	for _, s := range strings.Fields(scope) {
		if s == "offline_access" {
			hasOffline = true
		}
	}
	if implicit && hasOffline && !strings.Contains(rt, "code") {
		add(SeverityError, CodeImplicitRefresh, "This /authorize request uses the implicit grant (response_type=%s) and asks for offline_access: the implicit grant no longer returns refresh tokens. Renew tokens with silent authentication (prompt=none), or switch to the authorization code flow with PKCE to get a refresh token.", rt)
		return
	}
	add(SeverityError, CodeNotDelegation, "This is an /authorize URL, not a /delegation call: there is nothing to migrate.")
}

func dedupe(s []string) []string {
	var out []string
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

func isDelegationURL(raw string) bool {
	p := strings.TrimSuffix(pathOf(raw), "/")
	return p == "delegation" || strings.HasSuffix(p, "/delegation")
}

func pathOf(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Path != "" {
		return u.Path
	}
	return raw
}

// tokenEndpoint builds https://DOMAIN/oauth/token from the user's domain,
// or the input URL's scheme and host; ok is false when neither has one.
func tokenEndpoint(inputURL, domain string) (string, bool) {
	if d := strings.TrimSpace(domain); d != "" {
		if !strings.Contains(d, "://") {
			d = "https://" + d
		}
		if u, err := url.Parse(d); err == nil && u.Host != "" {
			return u.Scheme + "://" + u.Host + "/oauth/token", true
		}
	}
	if u, err := url.Parse(inputURL); err == nil && u.Host != "" {
		scheme := u.Scheme
		if scheme == "" {
			scheme = "https"
		}
		return scheme + "://" + u.Host + "/oauth/token", true
	}
	return "https://" + PlaceholderDomain + "/oauth/token", false
}

// RewriteAll rewrites every request of a batch.
func RewriteAll(b *Batch, o Options) []Result {
	out := make([]Result, len(b.Requests))
	for i, l := range b.Requests {
		out[i] = Rewrite(l, o)
	}
	return out
}
