package tokens

import (
	"net/url"
	"strings"
)

// claimHelp explains registered claims: RFC 7519, OpenID Connect Core,
// RFC 8693/9068 and Auth0's own.
var claimHelp = map[string]string{
	"iss":                   "Issuer: who created and signed the token. Auth0 issuers end with a slash.",
	"sub":                   "Subject: the user (or client, for machine tokens) the token is about.",
	"aud":                   "Audience: who the token is meant for. Reject a token whose aud is not you.",
	"exp":                   "Expiration time: the token must not be accepted after this.",
	"nbf":                   "Not before: the token must not be accepted before this.",
	"iat":                   "Issued at: when the token was created.",
	"jti":                   "JWT ID: a unique identifier, used to detect replay.",
	"azp":                   "Authorized party: the client_id the token was issued to.",
	"nonce":                 "Nonce: the value the client sent in /authorize, echoed to stop replay.",
	"auth_time":             "Authentication time: when the user last actually signed in.",
	"at_hash":               "Access token hash: binds the ID token to the access token issued with it.",
	"c_hash":                "Code hash: binds the ID token to the authorization code.",
	"acr":                   "Authentication context class: how strongly the user was authenticated.",
	"amr":                   "Authentication methods: how the user signed in (pwd, mfa, otp, ...).",
	"sid":                   "Session ID: the user's session at the issuer, used for logout.",
	"name":                  "Full name (OpenID Connect standard claim).",
	"given_name":            "Given (first) name (OpenID Connect standard claim).",
	"family_name":           "Family (last) name (OpenID Connect standard claim).",
	"middle_name":           "Middle name (OpenID Connect standard claim).",
	"nickname":              "Casual name (OpenID Connect standard claim).",
	"preferred_username":    "Name the user prefers to be called (OpenID Connect standard claim).",
	"profile":               "Profile page URL (OpenID Connect standard claim).",
	"picture":               "Profile picture URL (OpenID Connect standard claim).",
	"website":               "Web page or blog URL (OpenID Connect standard claim).",
	"email":                 "E-mail address (OpenID Connect standard claim).",
	"email_verified":        "Whether the e-mail address has been verified.",
	"gender":                "Gender (OpenID Connect standard claim).",
	"birthdate":             "Birthday, YYYY-MM-DD (OpenID Connect standard claim).",
	"zoneinfo":              "Time zone, e.g. Europe/Paris (OpenID Connect standard claim).",
	"locale":                "Locale, e.g. en-US (OpenID Connect standard claim).",
	"phone_number":          "Phone number (OpenID Connect standard claim).",
	"phone_number_verified": "Whether the phone number has been verified.",
	"address":               "Postal address, a JSON object (OpenID Connect standard claim).",
	"updated_at":            "When the user's profile was last updated.",
	"scope":                 "Scopes granted, space-separated (Auth0, RFC 8693/9068).",
	"scp":                   "Scopes granted (a non-standard spelling some issuers use).",
	"client_id":             "The client the token was issued to (RFC 9068).",
	"gty":                   "Auth0 grant type that produced the token (client-credentials, password, refresh_token, ...).",
	"permissions":           "Auth0 RBAC permissions for the API, added when RBAC's \"Add permissions\" is on.",
	"org_id":                "Auth0 Organization the user signed in to.",
	"org_name":              "Auth0 Organization name (when the tenant includes it).",
	"act":                   "Actor: who is acting on behalf of the subject (RFC 8693 token exchange).",
	"may_act":               "Who may act on behalf of the subject (RFC 8693).",
	"cnf":                   "Confirmation: the key the token is bound to (DPoP, mTLS).",
	"roles":                 "Roles (a custom claim many issuers add).",
	"groups":                "Groups (a custom claim many issuers add).",
	"tenant":                "Tenant (a custom claim some issuers add).",
}

var headerHelp = map[string]string{
	"alg":      "Algorithm used to sign (JWS) or to manage the content key (JWE).",
	"typ":      "Media type of the token: JWT, at+jwt (RFC 9068 access token), ...",
	"kid":      "Key ID: which key in the issuer's JWKS signed the token.",
	"cty":      "Content type: JWT means a nested token is inside.",
	"enc":      "Content encryption algorithm of a JWE.",
	"zip":      "Compression applied before encryption.",
	"jku":      "URL of a JWKS. Never trust it blindly: take keys from the issuer's discovery.",
	"jwk":      "A public key embedded in the header. Never trust it blindly.",
	"x5u":      "URL of an X.509 certificate chain.",
	"x5c":      "X.509 certificate chain of the signing key.",
	"x5t":      "SHA-1 thumbprint of the signing certificate.",
	"x5t#S256": "SHA-256 thumbprint of the signing certificate.",
	"crit":     "Header parameters a verifier must understand, or reject the token.",
	"epk":      "Ephemeral public key for ECDH-ES key agreement.",
	"apu":      "Agreement PartyUInfo for ECDH-ES.",
	"apv":      "Agreement PartyVInfo for ECDH-ES.",
	"iv":       "Initialization vector for AES-GCM key wrapping.",
	"tag":      "Authentication tag for AES-GCM key wrapping.",
	"p2s":      "PBES2 salt.",
	"p2c":      "PBES2 iteration count.",
	"iss":      "Issuer, copied into the header (Auth0 does this in its encrypted opaque tokens).",
}

// ExplainClaim says in one line what a claim is for.
func ExplainClaim(name string) string {
	if h, ok := claimHelp[name]; ok {
		return h
	}
	if isNamespaced(name) {
		return "Namespaced custom claim, added by an Auth0 Action or Rule."
	}
	return "Custom claim. Auth0 allows non-namespaced custom claims since 2022, except reserved names."
}

// ExplainHeader says in one line what a header parameter is for.
func ExplainHeader(name string) string {
	if h, ok := headerHelp[name]; ok {
		return h
	}
	return "Non-standard header parameter."
}

func isNamespaced(name string) bool {
	if !strings.Contains(name, "/") {
		return false
	}
	u, err := url.Parse(name)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
