package demotenant

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// authenticate checks the client against its Token Endpoint Authentication
// Method. Any mismatch — a wrong secret, a secret from a client set to
// none, a post client using basic — is Auth0's 401 access_denied
// "Unauthorized", which says nothing about which part was wrong.
func (t *Tenant) authenticate(r *http.Request, p url.Values) (*Client, *apiError) {
	id, secret, basic := r.BasicAuth()
	if basic {
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
	} else {
		id, secret = p.Get("client_id"), p.Get("client_secret")
	}
	c, err := t.client(id)
	if err != nil {
		return nil, err
	}
	switch {
	case c.Auth == "none" && (basic || secret != ""),
		c.Auth == "post" && (basic || secret != c.Secret),
		c.Auth == "basic" && (!basic || secret != c.Secret):
		return nil, errUnauthorized()
	}
	return c, nil
}

// client finds a client by ID, as every endpoint that takes one does: no
// client_id is invalid_request, an unknown one Auth0's 401 "Unauthorized".
func (t *Tenant) client(id string) (*Client, *apiError) {
	if id == "" {
		return nil, missing("client_id")
	}
	t.mu.Lock()
	c, ok := t.clients[id]
	t.mu.Unlock()
	if !ok {
		return nil, errUnauthorized()
	}
	return c, nil
}

// token is POST /oauth/token. The demo serves the refresh_token grant.
func (t *Tenant) token(w http.ResponseWriter, r *http.Request) (any, *apiError) {
	p, err := params(r)
	if err != nil {
		return nil, err
	}
	gt := p.Get("grant_type")
	if gt == "" {
		return nil, missing("grant_type")
	}
	c, err := t.authenticate(r, p)
	if err != nil {
		return nil, err
	}
	switch {
	case gt == "authorization_code" && c.CodeGrant:
		return t.codeGrant(c, p)
	case gt == "client_credentials" && c.ClientCredentialsGrant:
		return t.clientCredentials(c, p)
	case gt == DeviceCodeGrant && c.DeviceGrant:
		return t.deviceGrant(w, c, p)
	}
	if gt != "refresh_token" || !c.RefreshGrant {
		// Auth0's words and error_uri for a grant the application does not
		// have enabled (seen in ibi-group/datatools-server#487).
		return nil, &apiError{status: 403, code: "unauthorized_client", desc: "Grant type '" + gt + "' not allowed for the client.",
			uri: "https://auth0.com/docs/clients/client-grant-types"}
	}
	if p.Get("refresh_token") == "" {
		return nil, missing("refresh_token")
	}
	return t.refresh(c, p.Get("refresh_token"), p.Get("scope"), p.Get("audience"))
}

// refresh implements the grant: lifetimes, reuse detection with Auth0's
// reuse interval, the audience and scope (grant), and rotation. Every
// refusal of the token is Auth0's 403 invalid_grant "Unknown or invalid
// refresh token.", whatever the reason (expired, reused, revoked), as
// Auth0 answers it
// (https://community.auth0.com/t/troubleshoot-refresh-token-unknown-or-invalid-before-expiry-403-unknown-or-invalid-refresh-token/120406).
func (t *Tenant) refresh(c *Client, value, scope, audience string) (map[string]any, *apiError) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.cfg.Now()
	rt, ok := t.tokens[value]
	if !ok || rt.family.revoked || rt.family.clientID != c.ID {
		return nil, errorf(403, "invalid_grant", "%s", errUnknownToken)
	}
	f := rt.family
	if t.absoluteExpired(f, now) || t.idleExpired(rt, now) {
		return nil, errorf(403, "invalid_grant", "%s", errUnknownToken)
	}
	if !rt.usedAt.IsZero() && !t.reusable(rt, now) {
		// A rotated-out token past the Reuse Interval, or the
		// second-to-last one: a breach that revokes the whole family
		// (https://auth0.com/docs/secure/tokens/refresh-tokens/refresh-token-rotation,
		// "Automatic reuse detection").
		f.revoked, f.revokedBy = true, revokedByReuse
		return nil, errorf(403, "invalid_grant", "%s", errUnknownToken)
	}
	granted, aud, apiErr := t.grant(c, f, scope, audience)
	if apiErr != nil {
		return nil, apiErr
	}
	rt.lastUsed = now
	resp := map[string]any{"token_type": "Bearer", "expires_in": int(t.cfg.AccessTokenLifetime.Seconds()), "scope": strings.Join(granted, " ")}
	access, err := t.accessToken(c, granted, aud, now)
	if err != nil {
		return nil, errorf(500, "server_error", "%v", err)
	}
	resp["access_token"] = access
	if slices.Contains(granted, "openid") {
		id, err := t.idToken(c.ID, granted, f.sid, access, "", time.Time{}, now)
		if err != nil {
			return nil, errorf(500, "server_error", "%v", err)
		}
		resp["id_token"] = id
	}
	if t.rotates(c) {
		if rt.usedAt.IsZero() {
			rt.usedAt = now
		}
		rt.next = t.newRefreshToken(f, now)
		resp["refresh_token"] = rt.next
	}
	return resp, nil
}
