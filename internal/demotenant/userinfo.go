package demotenant

import (
	"net/http"
	"strings"
)

// userinfo is GET or POST /userinfo with the access token as a bearer
// token, limited per user ID (Auth0's rate-limit tables list User Info as
// "GET, POST ... To a unique User ID"). A missing or bad token is 401 with
// WWW-Authenticate, as RFC 6750 §3 requires.
func (t *Tenant) userinfo(w http.ResponseWriter, r *http.Request) (any, *apiError) {
	h := r.Header.Get("Authorization")
	if !strings.HasPrefix(h, "Bearer ") {
		return nil, &apiError{status: 401, code: "invalid_request", desc: "Send the access token as Authorization: Bearer TOKEN.",
			header: http.Header{"Www-Authenticate": {`Bearer realm="` + t.Issuer() + `"`}}}
	}
	invalid := func(desc string) *apiError {
		return &apiError{status: 401, code: "invalid_token", desc: desc,
			header: http.Header{"Www-Authenticate": {`Bearer realm="` + t.Issuer() + `", error="invalid_token", error_description="` + strings.ReplaceAll(desc, `"`, `'`) + `"`}}}
	}
	tok := strings.TrimPrefix(h, "Bearer ")
	now := t.cfg.Now()
	var scope []string
	t.mu.Lock()
	o, isOpaque := t.opaque[tok]
	t.mu.Unlock()
	switch {
	case isOpaque && now.Before(o.expires):
		scope = o.scope
	case isOpaque:
		return nil, invalid("The access token expired.")
	default:
		claims, err := t.verify(tok)
		if err != nil {
			return nil, invalid(err.Error())
		}
		if !audIncludes(claims["aud"], t.Issuer()+"userinfo") {
			return nil, invalid("This access token's audience does not include /userinfo: request it with the openid scope.")
		}
		s, _ := claims["scope"].(string)
		scope = strings.Fields(s)
	}
	if err := t.limit(w, "userinfo|"+t.user.ID, t.cfg.UserinfoRate); err != nil {
		return nil, err
	}
	out := map[string]any{"sub": t.user.ID}
	t.profileClaims(out, scope)
	return out, nil
}

func audIncludes(aud any, want string) bool {
	switch a := aud.(type) {
	case string:
		return a == want
	case []any:
		for _, x := range a {
			if x == want {
				return true
			}
		}
	}
	return false
}

// revoke is POST /oauth/revoke (RFC 7009): the client authenticates as at
// /oauth/token; token is required (400 invalid_request without it); a
// token that is unknown, or another client's, is answered 200 and nothing
// is revoked (§2.2: an invalid token is not an error the client can act on).
func (t *Tenant) revoke(w http.ResponseWriter, r *http.Request) (any, *apiError) {
	p, err := params(r)
	if err != nil {
		return nil, err
	}
	c, err := t.authenticate(r, p)
	if err != nil {
		return nil, err
	}
	if p.Get("token") == "" {
		return nil, missing("token")
	}
	t.mu.Lock()
	if rt, ok := t.tokens[p.Get("token")]; ok && rt.family.clientID == c.ID {
		rt.family.revoked, rt.family.revokedBy = true, revokedByUser
	}
	t.mu.Unlock()
	return nil, nil
}
