package migrate

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/tokenscope/tokenscope/internal/finding"
	"github.com/tokenscope/tokenscope/internal/oauth"
)

// DelegationKind is which of the three uses of /delegation that Auth0's
// guidance tells apart a call is
// (https://auth0.com/docs/authenticate/login/oidc-conformant-authentication/oidc-adoption-delegation):
// "get a fresh ID token using a refresh token", "exchange an ID token issued
// to one application for a new one issued to a different application", and
// "exchange an ID token for a third-party (e.g., Firebase, AWS) API token".
type DelegationKind string

const (
	// DelegationRenew renews the calling application's own tokens: the
	// refresh-token grant replaces it.
	DelegationRenew DelegationKind = "renew"
	// DelegationOtherAPI asks for a token for another application: a
	// refresh with that API's audience under a Multi-Resource Refresh
	// Token policy, or Custom Token Exchange (RFC 8693), replaces it.
	DelegationOtherAPI DelegationKind = "other_api"
	// DelegationAddon asks an Auth0 add-on (Firebase, AWS, Azure, …) for a
	// third-party token: nothing replaces it one to one.
	DelegationAddon DelegationKind = "addon"
)

// Finding codes of the classification, one per /delegation call: part of
// the --json contract.
const (
	CodeDelegationRenew    = "delegation_renew"
	CodeDelegationOtherAPI = "delegation_other_api"
	CodeDelegationAddon    = "delegation_addon"
	// CodeTokenExchange says a token-exchange request is rendered as an
	// alternative, and what it needs on the tenant.
	CodeTokenExchange = "token_exchange"
	// CodeSubjectTokenType refuses a subject_token_type that is not a URI
	// the customer owns (one of Auth0's reserved namespaces, or no URI).
	CodeSubjectTokenType = "subject_token_type"
)

// DelegationUse is what a /delegation call was for, as `tokenscope
// migrate --json` shows it in "delegation" (null for the other legacy
// endpoints and for bodies that are not a delegation request):
//
//		{"kind": "other_api", "subject": "refresh_token", "target": "orders-api-client",
//		 "api_type": "app", "reason": "…", "replacement": "…"}
//
//	  - kind: "renew", "other_api" or "addon" (see DelegationKind); the
//	    finding with code delegation_renew, delegation_other_api or
//	    delegation_addon says the same in words.
//	  - subject: "refresh_token" or "id_token", the token the call
//	    delegated; "" when it carried neither.
//	  - target: the target client ID, only when it is another application
//	    than the caller.
//	  - api_type: as sent ("" when the call sent none).
//	  - add_on: the add-on's name ("Firebase", "Amazon Web Services", …),
//	    only for kind "addon".
//	  - reason: one sentence naming the parameters that decided the kind.
//	  - replacement: one sentence on what replaces the call.
type DelegationUse struct {
	Kind        DelegationKind `json:"kind"`
	Subject     string         `json:"subject"`
	Target      string         `json:"target,omitempty"`
	APIType     string         `json:"api_type,omitempty"`
	AddOn       string         `json:"add_on,omitempty"`
	Reason      string         `json:"reason"`
	Replacement string         `json:"replacement"`
}

// addon is an Auth0 add-on that /delegation issued third-party tokens for.
type addon struct {
	name string
	// instead is what a customer can move to; Auth0 itself names no
	// replacement, so this is Tokenscope's word and says so.
	instead string
	// params are the add-on's own /delegation parameters, which are not
	// dropped silently: they say what the replacement must carry.
	params []string
}

// backendInstead is the way off /delegation for an add-on whose service
// accepts no Auth0 token: the service's credentials move to a backend.
const backendInstead = "have a backend API that accepts Auth0 access tokens call %s with its own credentials on the user's behalf"

// addons are the api_type values of Auth0's delegation add-ons: Lock's
// Delegation API pages list app, aws, azure_sb, firebase, salesforce_api,
// salesforce_sandbox_api, sap_api and wams
// (https://auth0.com/docs/libraries/lock-android/v2/delegation-api);
// Auth0's Azure Blob Storage add-on page sends api_type azure_blob
// (auth0/docs articles/addons/client-addons/azure-blob-storage/authenticate.md).
var addons = map[string]addon{
	"firebase": {name: "Firebase", instead: "have your backend mint a Firebase custom token with the Firebase Admin SDK (createCustomToken) after it verifies the user's Auth0 access token, and sign in with signInWithCustomToken"},
	"aws": {name: "Amazon Web Services", params: []string{"role", "principal"},
		instead: "register the tenant as an OpenID Connect identity provider in AWS IAM and call STS AssumeRoleWithWebIdentity with the user's ID token (or use a Cognito identity pool); role becomes the RoleArn, and the OIDC provider takes the place of principal's SAML provider"},
	"azure_sb":               {name: "Azure Service Bus", instead: fmt.Sprintf(backendInstead, "Azure Service Bus")},
	"azure_blob":             {name: "Azure Blob Storage", instead: "have a backend API that accepts Auth0 access tokens issue the Shared Access Signature with the storage account's key"},
	"salesforce_api":         {name: "Salesforce", instead: fmt.Sprintf(backendInstead, "Salesforce")},
	"salesforce_sandbox_api": {name: "Salesforce (sandbox)", instead: fmt.Sprintf(backendInstead, "the Salesforce sandbox")},
	"sap_api":                {name: "SAP OData", instead: fmt.Sprintf(backendInstead, "SAP")},
	"wams":                   {name: "Windows Azure Mobile Services", instead: fmt.Sprintf(backendInstead, "the mobile service")},
	"layer":                  {name: "Layer", params: []string{"nonce"}, instead: fmt.Sprintf(backendInstead, "Layer (its identity token)")},
}

// addonParams are every add-on's own parameters, for dropNonParams.
func addonParams(apiType string) map[string]bool {
	m := map[string]bool{}
	for _, p := range addons[apiType].params {
		m[p] = true
	}
	return m
}

// ClassifyDelegation says which of the three uses a /delegation request
// (grant_type jwt-bearer) is, and why. The rule, in order:
//
//  1. An api_type other than app and auth0 names an add-on: addon. The
//     add-on decides what the call returned, whatever the target (Auth0's
//     add-on pages send target = the caller's own client ID, the
//     application the add-on is enabled on).
//  2. A target that is not the caller's client ID (client_id, or the user
//     of an Authorization: Basic header): other_api. auth0.js 7 sends
//     api_type auth0 for "another API or App" (targetClientId), node-auth0
//     2 sends whatever api_type it is given, so api_type app or auth0 does
//     not decide.
//  3. Anything else (no target, or the caller itself; api_type app, auth0
//     or none): renew. With no api_type Auth0 used the application's first
//     active add-on, if it had one (auth0.js v7.6.1 README: api "defaults
//     to the first active addon if any"); the reason says so, because the
//     call alone cannot tell. With a refresh_token the refresh-token grant
//     replaces it; with an id_token nothing exchanges it any more and the
//     user signs in again (silently).
//
// scope never changes the kind: in /delegation it only chose the claims
// of the token issued (https://auth0.com/docs/api/authentication/delegation-legacy/delegation:
// "The profile scope value requests access to the End-User's default
// profile Claims"), never its recipient; it is carried into the
// replacement. passthrough (auth0.js 7's refreshToken and renewIdToken)
// is named in the renew reason, because it means "the same grant again".
func ClassifyDelegation(l Legacy) DelegationUse {
	clientID := firstParam(l, "client_id", l.BasicUser)
	target, _ := l.Params.Get("target")
	apiType, _ := l.Params.Get("api_type")
	scope, _ := l.Params.Get("scope")
	u := DelegationUse{APIType: apiType}
	if v, _ := l.Params.Get("refresh_token"); v != "" {
		u.Subject = "refresh_token"
	} else if _, ok := l.Params.Get("id_token"); ok {
		u.Subject = "id_token"
	}
	subject := "it carries no token to exchange"
	if u.Subject != "" {
		subject = "it carries " + article(u.Subject) + " " + u.Subject
	}

	switch {
	case apiType != "" && apiType != "app" && apiType != "auth0":
		u.Kind = DelegationAddon
		a, known := addons[apiType]
		u.AddOn = a.name
		u.Reason = fmt.Sprintf("api_type %s asks the %s add-on for a third-party token, and %s.", apiType, u.AddOn, subject)
		if !known {
			a.instead = fmt.Sprintf(backendInstead, "that service")
			u.Reason = fmt.Sprintf("api_type %s is neither app nor auth0, so it names an add-on (one Tokenscope does not know), and %s.", apiType, subject)
		}
		// "OIDC-conformant applications cannot be the source or target of
		// delegation requests" (the oidc-adoption-delegation page), hence
		// "from an application that is not OIDC-conformant".
		u.Replacement = "Auth0 has no OIDC-conformant replacement for add-on tokens (\"no OIDC-compliant mechanism exists to get third-party API tokens\"), so this call can stay on /delegation while the add-on is in use, from an application that is not OIDC-conformant; to leave it, " + a.instead + "."
	case target != "" && target != clientID:
		u.Kind = DelegationOtherAPI
		u.Target = target
		caller := "the caller " + clientID
		if clientID == "" {
			caller = "the caller, which the call does not name (no client_id)"
		}
		u.Reason = fmt.Sprintf("target %s is another application than %s, so the call asked for a token for that application's API, and %s.", target, caller, subject)
		u.Replacement = "Model that application's backend as an API in Auth0 and ask for its audience: a refresh with audience (allowed by a Multi-Resource Refresh Token policy on this application), or Custom Token Exchange (RFC 8693) with a subject_token_type you own."
	default:
		u.Kind = DelegationRenew
		why := "there is no target"
		if target != "" {
			why = "target is the caller's own client ID"
		}
		switch apiType {
		case "":
			// auth0.js 7's README: api "defaults to the first active addon
			// if any", and the library sends none when it is not given.
			why += " and no api_type (unless an add-on is enabled on this application: then Auth0 answered for the first active one)"
		default:
			why += " and api_type " + apiType + " means the calling application"
		}
		if strings.Contains(" "+scope+" ", " passthrough ") {
			why += ", and scope=passthrough asks for the original grant again"
		}
		u.Reason = fmt.Sprintf("%s, so the call renewed the caller's own tokens; %s.", why, subject)
		switch u.Subject {
		case "refresh_token":
			u.Replacement = "The refresh-token grant at /oauth/token replaces it."
		case "id_token":
			u.Replacement = "Nothing exchanges an ID token any more: renew with silent authentication (prompt=none), or sign in with offline_access and use the refresh-token grant."
		default:
			u.Replacement = "The refresh-token grant at /oauth/token replaces it, once the call carries a refresh_token."
		}
	}
	return u
}

func (u DelegationUse) code() string {
	switch u.Kind {
	case DelegationAddon:
		return CodeDelegationAddon
	case DelegationOtherAPI:
		return CodeDelegationOtherAPI
	}
	return CodeDelegationRenew
}

// finding is the classification as the user reads it.
func (u DelegationUse) finding() finding.Finding {
	kind := map[DelegationKind]string{
		DelegationRenew:    "Renewing tokens",
		DelegationOtherAPI: "A token for another API",
		DelegationAddon:    "A third-party add-on token (" + u.addOnName() + ")",
	}[u.Kind]
	return finding.Finding{Severity: finding.SeverityInfo, Code: u.code(), Message: kind + ": " + u.Reason + " " + u.Replacement}
}

// addOnName is the add-on's name for a sentence.
func (u DelegationUse) addOnName() string {
	if u.AddOn == "" {
		return "an unknown add-on"
	}
	return u.AddOn
}

func article(s string) string {
	if s != "" && strings.ContainsRune("aeiou", rune(s[0])) {
		return "an"
	}
	return "a"
}

// TokenExchangeGrant is RFC 8693's grant type, which Auth0's Custom Token
// Exchange uses.
const TokenExchangeGrant = "urn:ietf:params:oauth:grant-type:token-exchange"

// DefaultSubjectTokenType stands in for the subject_token_type of a
// rendered token exchange until the user names one: acme is the
// placeholder, a namespace the customer owns replaces it.
const DefaultSubjectTokenType = "urn:acme:legacy-delegation"

// PlaceholderAudience stands in for the other API's identifier when the
// user gives no audience.
const PlaceholderAudience = "YOUR_API_IDENTIFIER"

// reservedNamespaces are the subject_token_type namespaces Auth0's Custom
// Token Exchange refuses
// (https://auth0.com/docs/get-started/authentication-and-authorization-flow/token-exchange-flow/call-your-api-using-the-custom-token-exchange-flow:
// "The following namespaces are reserved and cannot be used").
var reservedNamespaces = []string{"http://auth0.com", "https://auth0.com", "http://okta.com", "https://okta.com", "urn:ietf", "urn:auth0", "urn:okta"}

// CheckSubjectTokenType returns nil when s can name a Custom Token
// Exchange profile: a URI (urn:… or http(s)://…) outside the namespaces
// Auth0 reserves. The error is one sentence for the user.
func CheckSubjectTokenType(s string) error {
	const own = "use a URI in a namespace you own, such as urn:acme:legacy-delegation or https://acme.com/legacy-delegation"
	if ns := reservedNamespace(s); ns != "" {
		return fmt.Errorf("subject_token_type %q is in the %s namespace, which Auth0 reserves (%s): %s", s, ns, strings.Join(reservedNamespaces, ", "), own)
	}
	lower := strings.ToLower(s)
	switch {
	case strings.HasPrefix(lower, "urn:"):
		if nid, _, ok := strings.Cut(s[4:], ":"); !ok || nid == "" {
			return fmt.Errorf("subject_token_type %q is not a URN (urn:NAMESPACE:NAME): %s", s, own)
		}
	case strings.HasPrefix(lower, "https://") || strings.HasPrefix(lower, "http://"):
		if u, err := url.Parse(s); err != nil || u.Host == "" {
			return fmt.Errorf("subject_token_type %q is not a URL with a host: %s", s, own)
		}
	default:
		return fmt.Errorf("subject_token_type %q is not a URI: %s", s, own)
	}
	return nil
}

// reservedNamespace names the reserved namespace s is in, or "". A URN is
// in urn:auth0 when its namespace identifier is auth0 (case-insensitive,
// RFC 8141); a URL when its host is auth0.com or okta.com, or one of their
// subdomains, which no customer owns either.
func reservedNamespace(s string) string {
	lower := strings.ToLower(strings.TrimSpace(s))
	if strings.HasPrefix(lower, "urn:") {
		nid, _, _ := strings.Cut(lower[4:], ":")
		for _, ns := range reservedNamespaces {
			if ns == "urn:"+nid {
				return ns
			}
		}
		return ""
	}
	u, err := url.Parse(lower)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	host := strings.TrimSuffix(u.Hostname(), ".")
	for _, domain := range []string{"auth0.com", "okta.com"} {
		if host == domain || strings.HasSuffix(host, "."+domain) {
			return u.Scheme + "://" + domain
		}
	}
	return ""
}

// tokenExchange builds the RFC 8693 request that Auth0's Custom Token
// Exchange takes
// (https://auth0.com/docs/get-started/authentication-and-authorization-flow/token-exchange-flow/call-your-api-using-the-custom-token-exchange-flow):
// the legacy call's id_token is the subject token when it had one; a
// refresh token never is (an Action cannot validate Auth0's opaque refresh
// tokens, and it would hand a long-lived credential to custom code), so
// $SUBJECT_TOKEN then stands for the user's access or ID token.
func tokenExchange(l Legacy, o Options, base Request, add func(finding.Severity, string, string, ...any)) *Request {
	stt := o.SubjectTokenType
	if stt == "" {
		stt = DefaultSubjectTokenType
	}
	if err := CheckSubjectTokenType(stt); err != nil {
		add(finding.SeverityError, CodeSubjectTokenType, "No token exchange is rendered: %v.", err)
		return nil
	}
	subject := "$" + EnvSubjectToken
	if v, _ := l.Params.Get("id_token"); v != "" {
		subject = v
	}
	audience := o.Audience
	if audience == "" {
		audience = PlaceholderAudience
	}
	req := base
	req.Body = Params{{"grant_type", TokenExchangeGrant}, {"client_id", base.ClientID}}
	if base.Auth == oauth.AuthPost {
		req.Body = append(req.Body, Param{"client_secret", base.ClientSecret})
	}
	req.Body = append(req.Body, Param{"subject_token", subject}, Param{"subject_token_type", stt}, Param{"audience", audience})
	if scope, ok := l.Params.Get("scope"); ok {
		if scope, ok = rewriteScope(scope, func(finding.Severity, string, string, ...any) {}); ok {
			req.Body = append(req.Body, Param{"scope", scope})
		}
	}

	var todo []string
	if stt == DefaultSubjectTokenType {
		todo = append(todo, "replace acme in subject_token_type "+stt+" with a namespace you own (--subject-token-type)")
	}
	if audience == PlaceholderAudience {
		todo = append(todo, "replace "+PlaceholderAudience+" with the API's identifier (--audience)")
	}
	if subject == "$"+EnvSubjectToken {
		todo = append(todo, "$"+EnvSubjectToken+" stands for the user's current access or ID token (not the refresh token)")
	}
	msg := "Alternative: Custom Token Exchange (RFC 8693, grant_type " + TokenExchangeGrant + ") at /oauth/token. It needs a Custom Token Exchange Profile for subject_token_type " + stt + " whose Action validates the subject token and sets the user; the application must be first-party and OIDC-conformant, and the feature is Early Access for Enterprise and B2B Pro plans."
	if len(todo) > 0 {
		msg += " Before sending it: " + strings.Join(todo, "; ") + "."
	}
	add(finding.SeverityInfo, CodeTokenExchange, "%s", msg)
	return &req
}
