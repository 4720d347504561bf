package demotenant

import (
	"net/http"
	"strings"
)

// delegation is the legacy endpoint
// (https://auth0.com/docs/api/authentication/delegation-legacy/delegation):
// a refresh token or an ID token in, an ID token for the target out.
// api_type app and auth0 both mean a token for an application (auth0.js v7's
// refreshToken and renewIdToken send auth0); the rest are add-ons. It is
// limited per user ID and IP address, with the X-RateLimit headers on every
// answer.
func (t *Tenant) delegation(w http.ResponseWriter, r *http.Request) (any, *apiError) {
	if err := t.limit(w, "delegation|"+t.user.ID+"|"+clientIP(r), t.cfg.DelegationRate); err != nil {
		return nil, err
	}
	p, err := params(r)
	if err != nil {
		return nil, err
	}
	switch g := p.Get("grant_type"); {
	case g == "":
		return nil, missing("grant_type")
	case g != JWTBearer:
		return nil, errorf(400, "unsupported_grant_type", "grant_type must be %s", JWTBearer)
	}
	c, err := t.client(p.Get("client_id"))
	if err != nil {
		return nil, err
	}
	if api := p.Get("api_type"); api != "" && api != "app" && api != "auth0" {
		if addonAPITypes[api] {
			return nil, errorf(400, "invalid_request", "%s add-on is not enabled for this client.", api)
		}
		return nil, errorf(400, "invalid_request", "Unknown api_type %q.", api)
	}
	target := p.Get("target")
	if target == "" {
		target = c.ID
	}
	t.mu.Lock()
	_, targetOK := t.clients[target]
	t.mu.Unlock()
	if !targetOK {
		return nil, errorf(400, "invalid_request", "The target client %q does not exist.", target)
	}
	scope := strings.Fields(p.Get("scope"))
	if len(scope) == 0 || len(scope) == 1 && scope[0] == "passthrough" {
		scope = []string{"openid"}
	}
	var sid string
	switch {
	case p.Get("refresh_token") != "":
		t.mu.Lock()
		rt, ok := t.tokens[p.Get("refresh_token")]
		valid := ok && !rt.family.revoked && rt.family.clientID == c.ID && rt.usedAt.IsZero()
		if valid {
			sid = rt.family.sid
		}
		t.mu.Unlock()
		if !valid {
			return nil, errorf(401, "invalid_grant", "%s", errUnknownToken)
		}
	case p.Get("id_token") != "":
		claims, err := t.verify(p.Get("id_token"))
		if err != nil {
			return nil, errorf(401, "invalid_grant", "The id_token is not valid: %v", err)
		}
		// An ID token speaks for the client it was issued to, and for no other.
		if !audIncludes(claims["aud"], c.ID) {
			return nil, errorf(401, "invalid_grant", "The id_token was issued to another client (aud %v), not to %s.", claims["aud"], c.ID)
		}
		sid, _ = claims["sid"].(string)
	default:
		return nil, missing("refresh_token or id_token")
	}
	now := t.cfg.Now()
	t.mu.Lock()
	claims := map[string]any{"iss": t.issuer, "sub": t.user.ID, "aud": target, "azp": c.ID, "iat": now.Unix(), "exp": now.Add(t.cfg.IDTokenLifetime).Unix(), "sid": sid}
	t.mu.Unlock()
	for _, s := range scope {
		// The legacy pipeline put user attributes named in scope into the token.
		switch s {
		case "name", "profile":
			claims["name"] = t.user.Name
		case "nickname":
			claims["nickname"] = t.user.Nickname
		case "email":
			claims["email"] = t.user.Email
		}
	}
	id, err2 := t.sign(claims)
	if err2 != nil {
		return nil, errorf(500, "server_error", "%v", err2)
	}
	return map[string]any{"token_type": "Bearer", "expires_in": int(t.cfg.IDTokenLifetime.Seconds()), "id_token": id}, nil
}

// addonAPITypes are the /delegation add-ons Auth0 had.
var addonAPITypes = map[string]bool{"firebase": true, "aws": true, "azure_sb": true, "salesforce_api": true, "salesforce_sandbox_api": true, "sap_api": true, "wams": true}
