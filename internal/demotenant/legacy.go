package demotenant

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/tokenscope/tokenscope/internal/oauth"
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
	case g != oauth.GrantJWTBearer:
		return nil, errorf(400, "unsupported_grant_type", "grant_type must be %s", oauth.GrantJWTBearer)
	}
	c, err := t.client(p.Get("client_id"))
	if err != nil {
		return nil, err
	}
	if grant := delegationGrant(p); grant != "" {
		if err := t.legacyAllowed(c, grant); err != nil {
			return nil, err
		}
		t.depnote(FeatureDelegation, c, r)
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

// delegationGrant is the legacy grant type a /delegation request uses:
// by a refresh token or by an ID token ("" when it has neither).
func delegationGrant(p url.Values) string {
	switch {
	case p.Get("refresh_token") != "":
		return GrantLegacyDelegationRefresh
	case p.Get("id_token") != "":
		return GrantLegacyDelegationIDToken
	}
	return ""
}

// legacyAllowed says whether a client may use a legacy grant type now: an
// OIDC-conformant client has none, and with the tenant's flag off no
// client has it. Auth0 then answers the legacy endpoints as it answers any
// grant the application lacks: unauthorized_client "Grant type '…' not
// allowed for the client." (for /oauth/ro: auth0/Auth0.swift#121,
// auth0-community/ember-simple-auth-auth0#83; the status is the 403 of
// /oauth/token's, ibi-group/datatools-server#487).
func (t *Tenant) legacyAllowed(c *Client, grant string) *apiError {
	f := t.Flags()
	on := f.AllowLegacyROGrantTypes
	if grant == GrantLegacyDelegationRefresh || grant == GrantLegacyDelegationIDToken {
		on = f.AllowLegacyDelegationGrantTypes
	}
	if on && !c.OIDCConformant {
		return nil
	}
	return errorf(403, "unauthorized_client", "Grant type '%s' not allowed for the client.", grant)
}

// DemoUserPassword is the demo user's password at the legacy /oauth/ro
// (username: the user's email or nickname).
const DemoUserPassword = "tokenscope-demo"

// resourceOwner is the legacy POST /oauth/ro
// (https://auth0.com/docs/api/authentication/resource-owner-legacy/resource-owner-password-grant):
// grant_type password with username, password and connection, or
// urn:ietf:params:oauth:grant-type:jwt-bearer with an id_token; the answer
// is an ID token and an (opaque) access token.
func (t *Tenant) resourceOwner(w http.ResponseWriter, r *http.Request) (any, *apiError) {
	p, err := params(r)
	if err != nil {
		return nil, err
	}
	gt := p.Get("grant_type")
	if gt == "" {
		return nil, missing("grant_type")
	}
	c, err := t.client(p.Get("client_id"))
	if err != nil {
		return nil, err
	}
	grant := GrantLegacyRO
	switch gt {
	case "password":
	case oauth.GrantJWTBearer:
		grant = GrantLegacyROJWTBearer
	default:
		return nil, errorf(400, "unsupported_grant_type", "grant_type must be password or %s", oauth.GrantJWTBearer)
	}
	if err := t.legacyAllowed(c, grant); err != nil {
		return nil, err
	}
	t.depnote(FeatureRO, c, r)
	var sid string
	if grant == GrantLegacyRO {
		for _, k := range []string{"username", "password", "connection"} {
			if p.Get(k) == "" {
				return nil, missing(k)
			}
		}
		if u := p.Get("username"); u != t.user.Email && u != t.user.Nickname || p.Get("password") != DemoUserPassword {
			// The legacy endpoint's answer to a wrong password.
			return nil, errorf(401, "invalid_user_password", "Wrong email or password.")
		}
		sid = randomString(16)
	} else {
		if p.Get("id_token") == "" {
			return nil, missing("id_token")
		}
		claims, err := t.verify(p.Get("id_token"))
		if err != nil || !audIncludes(claims["aud"], c.ID) {
			return nil, errorf(401, "invalid_grant", "The id_token is not valid for %s.", c.ID)
		}
		sid, _ = claims["sid"].(string)
	}
	scope := strings.Fields(p.Get("scope"))
	if len(scope) == 0 {
		scope = []string{"openid"}
	}
	now := t.cfg.Now()
	t.mu.Lock()
	access, err2 := t.accessToken(c, scope, "", now)
	var id string
	if err2 == nil {
		id, err2 = t.idToken(c.ID, scope, sid, access, "", time.Time{}, now)
	}
	t.mu.Unlock()
	if err2 != nil {
		return nil, errorf(500, "server_error", "%v", err2)
	}
	return map[string]any{"id_token": id, "access_token": access, "token_type": "bearer"}, nil
}

// tokeninfo is the legacy POST /tokeninfo
// (https://auth0.com/docs/api/authentication/user-profile-legacy/get-token-info):
// an ID token in, the user's profile out. Off — the tenant's
// allow_legacy_tokeninfo_endpoint, or an OIDC-conformant client — the
// route is not there: 404 (lukeocodes/auth0-elixir-countdown#6, "Route to
// /tokeninfo gives 404" for an OIDC-conformant client; the body is the demo's).
func (t *Tenant) tokeninfo(w http.ResponseWriter, r *http.Request) (any, *apiError) {
	p, err := params(r)
	if err != nil {
		return nil, err
	}
	if !t.Flags().AllowLegacyTokenInfoEndpoint {
		return nil, errTokeninfoOff()
	}
	if p.Get("id_token") == "" {
		return nil, missing("id_token")
	}
	claims, verr := t.verify(p.Get("id_token"))
	if verr != nil {
		return nil, errorf(401, "invalid_token", "The id_token is not valid: %v", verr)
	}
	aud, _ := claims["aud"].(string)
	t.mu.Lock()
	c, ok := t.clients[aud]
	t.mu.Unlock()
	if !ok {
		return nil, errorf(401, "invalid_token", "The id_token was issued to no client of this tenant.")
	}
	if c.OIDCConformant {
		return nil, errTokeninfoOff()
	}
	t.depnote(FeatureTokeninfo, c, r)
	out := map[string]any{"user_id": t.user.ID, "clientID": c.ID,
		"identities": []map[string]any{{"provider": "auth0", "user_id": strings.TrimPrefix(t.user.ID, "auth0|"), "connection": "Username-Password-Authentication", "isSocial": false}}}
	t.profileClaims(out, []string{"profile", "email"})
	return out, nil
}

func errTokeninfoOff() *apiError {
	return errorf(404, "not_found", "/tokeninfo is not available on this tenant (allow_legacy_tokeninfo_endpoint is off, or the application is OIDC conformant).")
}
