// Package oauth holds the few OAuth 2.0 words every other package shares:
// the client authentication methods, the grant type names, the
// token-request parameters Tokenscope sets itself, and a token request as
// it goes on the wire (WireRequest). It imports only the standard library,
// so migrate, profiles, exchange, workspace and the demo tenant can all use
// it without importing each other.
package oauth

import (
	"errors"
	"fmt"
	"strings"
)

// Grant types.
const (
	GrantRefreshToken = "refresh_token"
	// GrantJWTBearer is the legacy /delegation grant type.
	GrantJWTBearer = "urn:ietf:params:oauth:grant-type:jwt-bearer"
)

// AuthMethod is how a client authenticates at the token endpoint.
type AuthMethod string

const (
	AuthNone  AuthMethod = "none"  // native and mobile apps: client_id only
	AuthPost  AuthMethod = "post"  // client_secret in the body (client_secret_post)
	AuthBasic AuthMethod = "basic" // Authorization: Basic (client_secret_basic)
)

// ParseAuthMethod reads "none", "post" or "basic" (and the OAuth names
// client_secret_post and client_secret_basic). "" means none.
func ParseAuthMethod(s string) (AuthMethod, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "none", "":
		return AuthNone, nil
	case "post", "client_secret_post":
		return AuthPost, nil
	case "basic", "client_secret_basic":
		return AuthBasic, nil
	}
	return "", fmt.Errorf("client authentication %q is not one of none, post, basic", s)
}

// NeedsSecret reports whether the method sends a client secret.
func (m AuthMethod) NeedsSecret() bool { return m == AuthPost || m == AuthBasic }

// reservedParams are the token-request parameters Tokenscope sets itself
// in a request extra parameters go into: the refresh and client credentials
// grants (grant_type, refresh_token, client_id, client_secret) and the
// authorization code redemption (code, code_verifier, redirect_uri). A
// profile's parameters go into all of them, so one list serves both the
// profile check and the request check.
var reservedParams = [...]string{"grant_type", "refresh_token", "client_id", "client_secret", "code", "code_verifier", "redirect_uri"}

// ErrReservedParam is an extra parameter that names one Tokenscope sets
// itself; the profile check and the request check both wrap it.
var ErrReservedParam = errors.New("set by Tokenscope itself")

// Reserved reports whether a token-request parameter is one Tokenscope
// sets itself, so a profile's or a run's extra parameters may not.
func Reserved(param string) bool {
	for _, r := range reservedParams {
		if param == r {
			return true
		}
	}
	return false
}

// ReservedParams lists the parameters Reserved refuses.
func ReservedParams() []string { return append([]string(nil), reservedParams[:]...) }
