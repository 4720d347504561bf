package workspace

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tokenscope/tokenscope/internal/exchange"
	"github.com/tokenscope/tokenscope/internal/tokens"
)

// Ignored is what a token endpoint left out of what a refresh asked for.
// Auth0 answers 200 when it ignores an audience or a scope on a refresh,
// so nothing but this comparison shows it.
type Ignored struct {
	// Audience is the audience asked for that the access token is not
	// for ("" when it was granted or none was asked).
	Audience string `json:"audience,omitempty"`
	// GotAudience is the access token's aud when it is a JWT (empty for an
	// opaque token, whose audience cannot be read).
	GotAudience []string `json:"got_audience,omitempty"`
	// Scopes are the scopes asked for that were not granted.
	Scopes []string `json:"scopes,omitempty"`
	// GotScope is the scope granted: the answer's, or the access token's.
	GotScope string `json:"got_scope,omitempty"`
	// Explanation says in one sentence what was ignored and why.
	Explanation string `json:"explanation"`
}

// Ignored compares what the refresh asked for with what it got (see
// AskedAndGot); nil when nothing was ignored or no token came back.
func (r RefreshResult) Ignored() *Ignored {
	if r.Err != nil {
		return nil
	}
	return AskedAndGot(r.Request, r.Response)
}

// Why an audience or scope is ignored, in Auth0's terms: Multi-Resource
// Refresh Token "Tokens requested for audiences outside your configured
// policies will be ignored by Auth0, which will return a token for the
// default audience instead" (auth0/auth0-server-python#58, and without
// MRRT the audience is always ignored); "Invalid or unauthorized scopes
// requested are silently ignored"
// (https://auth0.com/docs/secure/tokens/refresh-tokens/multi-resource-refresh-token/configure-and-implement-multi-resource-refresh-token);
// and any server may grant less scope than asked (RFC 6749 §3.3).
const (
	whyAudience = "Auth0 ignores an audience outside the application's refresh-token policies (Multi-Resource Refresh Token) and returns a token for the default audience"
	whyScope    = "a server may grant fewer scopes than asked (RFC 6749 §3.3), and Auth0 silently drops scopes that neither the sign-in nor the application's refresh-token policies allow"
	whyBoth     = whyAudience + ", and silently drops scopes that neither the sign-in nor those policies allow"
	whyOpaque   = "Auth0 answers with an opaque token when it issued the token for no API, which on a refresh means it ignored the audience, as it ignores one outside the application's refresh-token policies (Multi-Resource Refresh Token)"
)

// AskedAndGot compares what a refresh asked for (its audience and scope,
// as sent: a --param audience= or scope= wins as it does in the request)
// with what it got (the access token's aud, the answer's scope or else the
// access token's), and returns what was ignored, or nil. An answer without
// scope granted what was asked (RFC 6749 §5.1).
func AskedAndGot(asked exchange.Request, got *exchange.Response) *Ignored {
	if got == nil || got.AccessToken == "" {
		return nil
	}
	audience, scope := asked.Audience, asked.Scope
	if v, ok := asked.Params["audience"]; ok {
		audience = v
	}
	if v, ok := asked.Params["scope"]; ok {
		scope = v
	}
	claims, isJWT := accessClaims(got.AccessToken)
	out := Ignored{GotScope: got.Scope}
	if out.GotScope == "" {
		out.GotScope = claimScope(claims)
	}
	if audience != "" {
		out.GotAudience = claimAudience(claims)
		if !isJWT || !slices.Contains(out.GotAudience, audience) {
			out.Audience = audience
		}
	}
	if scope != "" && out.GotScope != "" {
		granted := strings.Fields(out.GotScope)
		for _, s := range strings.Fields(scope) {
			if !slices.Contains(granted, s) && !slices.Contains(out.Scopes, s) {
				out.Scopes = append(out.Scopes, s)
			}
		}
	}
	if out.Audience == "" && len(out.Scopes) == 0 {
		return nil
	}
	out.Explanation = explainIgnored(out, !isJWT)
	return &out
}

// explainIgnored is the one sentence: what was ignored, what came back
// instead, and why.
func explainIgnored(ig Ignored, opaque bool) string {
	scopes, auds := strings.Join(ig.Scopes, " "), strings.Join(ig.GotAudience, ", ")
	if auds == "" {
		auds = "no audience"
	}
	granted := ig.GotScope
	if granted == "" {
		granted = "none"
	}
	switch {
	case ig.Audience != "" && opaque && len(ig.Scopes) > 0:
		return fmt.Sprintf("The access token is opaque, so it cannot show the audience %s you asked for, and the scope %s was ignored (granted: %s): %s; and %s, with no error.", ig.Audience, scopes, granted, whyOpaque, whyScope)
	case ig.Audience != "" && opaque:
		return fmt.Sprintf("The access token is opaque, so it cannot show the audience %s you asked for: %s, with no error.", ig.Audience, whyOpaque)
	case ig.Audience != "" && len(ig.Scopes) > 0:
		return fmt.Sprintf("The audience %s and the scope %s were ignored (the access token is for %s with scope %s): %s, with no error.", ig.Audience, scopes, auds, granted, whyBoth)
	case ig.Audience != "":
		return fmt.Sprintf("The audience %s was ignored (the access token is for %s): %s, with no error.", ig.Audience, auds, whyAudience)
	}
	return fmt.Sprintf("The scope %s was ignored (granted: %s): %s, with no error.", scopes, granted, whyScope)
}

// accessClaims decodes an access token's claims without verifying it (the
// token came straight from the token endpoint), and says whether it is a
// JWT with a claims object.
func accessClaims(raw string) (map[string]any, bool) {
	t, err := tokens.DecodeStrict(raw, time.Now())
	if err != nil || t.Kind != tokens.KindJWS || t.PayloadJSON == "" {
		return nil, false
	}
	var claims map[string]any
	if json.Unmarshal([]byte(t.PayloadJSON), &claims) != nil {
		return nil, false
	}
	return claims, true
}

func claimAudience(claims map[string]any) []string {
	switch a := claims["aud"].(type) {
	case string:
		return []string{a}
	case []any:
		var out []string
		for _, x := range a {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// claimScope is the scope claim (RFC 9068 §2.2.3), or scp as a list or a
// string as some providers send it.
func claimScope(claims map[string]any) string {
	if s, ok := claims["scope"].(string); ok {
		return s
	}
	switch s := claims["scp"].(type) {
	case string:
		return s
	case []any:
		var out []string
		for _, x := range s {
			if v, ok := x.(string); ok {
				out = append(out, v)
			}
		}
		return strings.Join(out, " ")
	}
	return ""
}
