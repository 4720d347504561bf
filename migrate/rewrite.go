package migrate

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/tokenscope/tokenscope/internal/finding"
	"github.com/tokenscope/tokenscope/internal/oauth"
)

// Options are the user's choices for the rewrite.
type Options struct {
	Domain   string           // overrides the input's host; "" keeps it
	Auth     oauth.AuthMethod // default none
	Audience string           // optional
	// SubjectTokenType names the token-exchange alternative's
	// subject_token_type; "" uses DefaultSubjectTokenType. See
	// CheckSubjectTokenType.
	SubjectTokenType string
}

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
	CodeAuthInferred      = "auth_inferred"
	CodePassthroughScope  = "passthrough_scope"
	CodeJSONP             = "jsonp"
	CodeResourceOwner     = "resource_owner"
	CodeTokenInfo         = "tokeninfo"
	CodeSocialAccessToken = "social_access_token"
	CodeSSOData           = "ssodata"
)

// Request is the new POST /oauth/token request. Secrets are kept literal
// here; renderers decide whether to show them.
type Request struct {
	Method   string
	URL      string
	Encoding Encoding
	Body     Params
	// ClientID and ClientSecret for Authorization: Basic (Auth == basic).
	Auth         oauth.AuthMethod
	ClientID     string
	ClientSecret string
	// Bearer is the access token of a GET /userinfo (a placeholder: the
	// legacy call never had it).
	Bearer string
}

// Result is one legacy request and what became of it.
type Result struct {
	Source     Source
	Migratable bool
	Request    *Request // nil when not migratable
	Findings   []finding.Finding
	// Delegation says which use of /delegation the call was, and why; nil
	// for the other endpoints and for requests that are not a delegation.
	Delegation *DelegationUse
	// Alternative is another way to the same tokens, rendered like Request:
	// the RFC 8693 token exchange for a token for another API. It is
	// there whether or not Request is (Migratable speaks of Request only).
	Alternative *Request
}

// PlaceholderDomain stands in when neither the input nor the user names one.
const PlaceholderDomain = "YOUR_TENANT.auth0.com"

// Scopes the OIDC-conformant pipeline understands without an API.
var oidcScopes = map[string]bool{"openid": true, "profile": true, "email": true, "address": true, "phone": true, "offline_access": true}

// claimScopes maps a legacy claim-as-scope to the OIDC scope that now
// carries that claim (OpenID Connect Core 1.0 §5.4). Legacy Auth0 let a
// scope name any profile attribute ("openid name email nickname"); the
// OIDC-conformant pipeline accepts standard scopes and API permissions
// only (https://auth0.com/docs/troubleshoot/product-lifecycle/past-migrations/migration-oauthro-oauthtoken:
// "A scope that doesn't fit in one of these categories ... is no longer a valid scope").
var claimScopes = map[string]string{
	"name": "profile", "family_name": "profile", "given_name": "profile", "middle_name": "profile", "nickname": "profile",
	"preferred_username": "profile", "picture": "profile", "website": "profile", "gender": "profile", "birthdate": "profile",
	"zoneinfo": "profile", "locale": "profile", "updated_at": "profile",
	"email_verified": "email",
	"phone_number":   "phone", "phone_number_verified": "phone",
}

// rewriteScope maps a legacy scope to one the new pipeline accepts: OIDC
// scopes and API permissions (with a colon) stay, claim names become the
// scope that carries them, "passthrough" is dropped (leaving scope out of
// a refresh keeps the original grant's scopes), and anything else is
// dropped with a word on where that data comes from now.
func rewriteScope(scope string, add func(finding.Severity, string, string, ...any)) (string, bool) {
	var out, mapped, dropped []string
	seen := map[string]bool{}
	keep := func(s string) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	passthrough := false
	for _, s := range strings.Fields(scope) {
		switch {
		case s == "passthrough":
			passthrough = true
		case oidcScopes[s] || strings.Contains(s, ":"):
			keep(s)
		case claimScopes[s] != "":
			keep(claimScopes[s])
			mapped = append(mapped, fmt.Sprintf("%s → %s", s, claimScopes[s]))
		default:
			dropped = append(dropped, s)
		}
	}
	if passthrough {
		add(finding.SeverityInfo, CodePassthroughScope, "scope=passthrough asked for the scopes of the original grant. A refresh without scope keeps exactly those, so the new request leaves scope out.")
		if len(out) == 0 {
			return "", false
		}
	}
	if len(mapped) > 0 || len(dropped) > 0 {
		var parts []string
		if len(mapped) > 0 {
			parts = append(parts, "these claims now come with the standard scope that carries them: "+strings.Join(mapped, ", "))
		}
		if len(dropped) > 0 {
			parts = append(parts, strings.Join(dropped, ", ")+" name no OIDC scope and are dropped; add that data as a namespaced custom claim from an Action (for example https://example.com/"+dropped[0]+")")
		}
		add(finding.SeverityWarning, CodeLegacyScope, "The legacy scope named claims, not scopes (Auth0 rejects them now with invalid_scope): %s.", strings.Join(parts, "; "))
	}
	if len(out) == 0 {
		return "", false
	}
	return strings.Join(out, " "), true
}

// inferAuth picks the client authentication from the legacy call unless
// the user chose one: a Basic header means basic, a client_secret in the
// body means post, neither means none (a native or single-page app).
func inferAuth(l Legacy, chosen oauth.AuthMethod, hasBodySecret bool, add func(finding.Severity, string, string, ...any)) oauth.AuthMethod {
	if chosen != "" {
		return chosen
	}
	switch {
	case l.BasicPassword != "":
		add(finding.SeverityInfo, CodeAuthInferred, "Client authentication basic was inferred: the legacy call sent the client credentials in an Authorization: Basic header. Choose another with --auth.")
		return oauth.AuthBasic
	case hasBodySecret:
		add(finding.SeverityInfo, CodeAuthInferred, "Client authentication post was inferred: the legacy call sent client_secret in the body. Choose another with --auth.")
		return oauth.AuthPost
	}
	add(finding.SeverityInfo, CodeAuthInferred, "Client authentication none was inferred: the legacy call sent no client secret, as a native or single-page app does. Choose post or basic with --auth for a confidential application.")
	return oauth.AuthNone
}

// Parameters /delegation knew; anything else is dropped and named.
var delegationParams = map[string]bool{
	"grant_type": true, "client_id": true, "client_secret": true, "refresh_token": true,
	"id_token": true, "target": true, "api_type": true, "scope": true,
}

// Rewrite turns one legacy request into a /oauth/token refresh request.
func Rewrite(l Legacy, o Options) Result {
	r := Result{Source: l.Source}
	add := func(sev finding.Severity, code, format string, a ...any) {
		r.Findings = append(r.Findings, finding.Finding{Severity: sev, Code: code, Message: fmt.Sprintf(format, a...)})
	}
	blocked := false
	ep := EndpointOf(l.URL)
	if l.URL == "" {
		ep = guessEndpoint(l)
	}
	if ep != EndpointAuthorize {
		noteJSONP(l, add)
	}
	switch ep {
	case EndpointAuthorize:
		rewriteAuthorize(l, add)
		return r
	case EndpointRO:
		r.Request = rewriteRO(l, o, add)
		r.Migratable = r.Request != nil
		return r
	case EndpointTokenInfo:
		r.Request = rewriteTokenInfo(l, o, add)
		r.Migratable = true
		return r
	case EndpointAccessToken:
		rewriteAccessToken(add)
		return r
	case EndpointSSOData:
		rewriteSSOData(add)
		return r
	case EndpointDelegation:
	default:
		add(finding.SeverityError, CodeNotDelegation, "This request goes to %s, not to a legacy Authentication API endpoint (/delegation, /oauth/ro, /tokeninfo, /oauth/access_token, /user/ssodata), so there is nothing to migrate.", pathOf(l.URL))
		return r
	}
	grant, _ := l.Params.Get("grant_type")
	switch {
	case grant == "refresh_token":
		add(finding.SeverityError, CodeNotDelegation, "This is already an OIDC-conformant refresh request (grant_type=refresh_token): send it to /oauth/token as it is.")
		return r
	case grant != oauth.GrantJWTBearer:
		if grant == "" {
			grant = "(none)"
		}
		add(finding.SeverityError, CodeNotDelegation, "The grant_type is %s, not %s: this is not a /delegation request.", grant, oauth.GrantJWTBearer)
		return r
	}

	use := ClassifyDelegation(l)
	r.Delegation = &use
	r.Findings = append(r.Findings, use.finding())

	clientID, _ := l.Params.Get("client_id")
	if clientID == "" {
		clientID = l.BasicUser
	}
	if clientID == "" {
		add(finding.SeverityError, CodeMissingParameter, "The request has no client_id: add the application's Client ID.")
		blocked = true
	}
	refresh, hasRefresh := l.Params.Get("refresh_token")
	_, hasIDToken := l.Params.Get("id_token")
	switch {
	case hasRefresh && refresh != "":
	case hasIDToken:
		add(finding.SeverityError, CodeIDTokenDelegation, "This delegates an id_token, and the OIDC-conformant pipeline has no ID-token exchange. Sign the user in with the authorization code flow and PKCE (or silent authentication with prompt=none), asking for the offline_access scope, then use the refresh_token grant.")
		blocked = true
	default:
		add(finding.SeverityError, CodeMissingParameter, "The request has neither a refresh_token nor an id_token to exchange.")
		blocked = true
	}
	switch use.Kind {
	case DelegationOtherAPI:
		if o.Audience != "" {
			add(finding.SeverityWarning, CodeTargetClient, "The target is another client (%s). The new request asks for an access token for the API %s instead: define that client's backend as an API in Auth0 (Applications → APIs → Create API) with the identifier %s, and authorize this application to request it.", use.Target, o.Audience, o.Audience)
		} else {
			add(finding.SeverityError, CodeTargetClient, "The target is another client (%s). There is no one-to-one equivalent: model that client's backend as an API in Auth0 and request an access token with audience set to the API's identifier (give it with --audience, or the Audience field, and the request is produced).", use.Target)
			blocked = true
		}
	case DelegationAddon:
		// An add-on's target is the application the add-on is enabled on,
		// so it is no "other client" to model as an API.
		add(finding.SeverityError, CodeAddonAPIType, "api_type %s asks for a token for %s through an Auth0 add-on; the OIDC-conformant pipeline has no equivalent, so this call cannot be migrated.", use.APIType, use.addOnName())
		blocked = true
	}
	known := delegationParams
	if use.Kind == DelegationAddon {
		known = addonParams(use.APIType)
		for p := range delegationParams {
			known[p] = true
		}
	}
	dropNonParams(l, known, add)

	scope, hasScope := l.Params.Get("scope")
	if hasScope {
		scope, hasScope = rewriteScope(scope, add)
	}
	if o.Audience != "" {
		add(finding.SeverityWarning, CodeAudienceOnRefresh, "You added audience %s. Auth0 issues the refreshed tokens for the audience of the original grant unless Multi-Resource Refresh Token is set up for this application.", o.Audience)
	}

	endpoint := newEndpoint(l, o, "/oauth/token", add)
	auth := inferAuth(l, o.Auth, hasBodySecret(l), add)
	secret := secretFor(l, auth, add)
	base := Request{Method: "POST", URL: endpoint, Encoding: encodingOf(l), Auth: auth, ClientID: clientID, ClientSecret: secret}
	if use.Kind == DelegationOtherAPI && clientID != "" {
		r.Alternative = tokenExchange(l, o, base, add)
	}
	if blocked {
		return r
	}

	req := &base
	req.Body = Params{{"grant_type", "refresh_token"}, {"client_id", clientID}, {"refresh_token", refresh}}
	if auth == oauth.AuthPost {
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

func rewriteAuthorize(l Legacy, add func(finding.Severity, string, string, ...any)) {
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
		add(finding.SeverityError, CodeImplicitRefresh, "This /authorize request uses the implicit grant (response_type=%s) and asks for offline_access: the implicit grant no longer returns refresh tokens. Renew tokens with silent authentication (prompt=none), or switch to the authorization code flow with PKCE to get a refresh token.", rt)
		return
	}
	add(finding.SeverityError, CodeNotDelegation, "This is an /authorize URL, not a /delegation call: there is nothing to migrate.")
}

func hasBodySecret(l Legacy) bool {
	v, ok := l.Params.Get("client_secret")
	return ok && v != ""
}

// guessEndpoint names the endpoint of a bare body by its parameters: a
// password login went to /oauth/ro, everything else is taken for
// /delegation.
func guessEndpoint(l Legacy) Endpoint {
	grant, _ := l.Params.Get("grant_type")
	_, hasUser := l.Params.Get("username")
	if grant == "password" || hasUser {
		return EndpointRO
	}
	return EndpointDelegation
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

// Summary counts what a batch held.
type Summary struct {
	Calls      int `json:"calls"`      // legacy calls found
	Migratable int `json:"migratable"` // rewritten to a new request
	Blocked    int `json:"blocked"`    // with no one-to-one replacement
	Preflights int `json:"preflights"` // CORS preflights, not counted as calls
	Skipped    int `json:"skipped"`    // entries that call no legacy endpoint
}

// Summarize counts the results of a batch.
func Summarize(b *Batch, results []Result) Summary {
	s := Summary{Calls: len(results), Preflights: b.Preflights, Skipped: b.Skipped}
	for _, r := range results {
		if r.Migratable {
			s.Migratable++
		} else {
			s.Blocked++
		}
	}
	return s
}

// String is the summary as one sentence, for stderr and the screen.
func (s Summary) String() string {
	calls := "calls"
	if s.Calls == 1 {
		calls = "call"
	}
	out := fmt.Sprintf("%d legacy %s found: %d migratable, %d blocked", s.Calls, calls, s.Migratable, s.Blocked)
	var skipped []string
	if s.Preflights > 0 {
		skipped = append(skipped, fmt.Sprintf("%d CORS preflight%s", s.Preflights, plural(s.Preflights)))
	}
	if s.Skipped > 0 {
		skipped = append(skipped, fmt.Sprintf("%d other entr%s", s.Skipped, map[bool]string{true: "y", false: "ies"}[s.Skipped == 1]))
	}
	if len(skipped) > 0 {
		out += " (" + strings.Join(skipped, " and ") + " skipped)"
	}
	return out + "."
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
