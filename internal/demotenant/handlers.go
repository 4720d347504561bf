package demotenant

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/tokenscope/tokenscope/internal/oauth"
	"github.com/tokenscope/tokenscope/internal/tokens"
)

// JWTBearer is the legacy /delegation grant type.
const JWTBearer = oauth.GrantJWTBearer

// addonAPITypes are the /delegation add-ons Auth0 had.
var addonAPITypes = map[string]bool{"firebase": true, "aws": true, "azure_sb": true, "salesforce_api": true, "salesforce_sandbox_api": true, "sap_api": true, "wams": true}

// Handler serves the tenant's endpoints.
func (t *Tenant) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", t.discovery)
	mux.HandleFunc("GET /.well-known/jwks.json", t.jwks)
	mux.HandleFunc("POST /oauth/token", t.token)
	mux.HandleFunc("POST /delegation", t.delegation)
	mux.HandleFunc("GET /userinfo", t.userinfo)
	mux.HandleFunc("POST /oauth/revoke", t.revoke)
	return mux
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// oauthError writes an error in Auth0's shape.
func oauthError(w http.ResponseWriter, status int, code, desc string) {
	writeJSON(w, status, map[string]string{"error": code, "error_description": desc})
}

func (t *Tenant) discovery(w http.ResponseWriter, r *http.Request) {
	iss := t.Issuer()
	writeJSON(w, 200, map[string]any{
		"issuer":                                iss,
		"token_endpoint":                        iss + "oauth/token",
		"jwks_uri":                              iss + ".well-known/jwks.json",
		"userinfo_endpoint":                     iss + "userinfo",
		"revocation_endpoint":                   iss + "oauth/revoke",
		"grant_types_supported":                 []string{"refresh_token", JWTBearer},
		"response_types_supported":              []string{"code"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"token_endpoint_auth_methods_supported": []string{"none", "client_secret_post", "client_secret_basic"},
		"scopes_supported":                      append([]string{"openid", "profile", "email", "offline_access"}, APIScopes...),
	})
}

func (t *Tenant) jwks(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, 200, t.PublicJWKS())
}

// params reads a JSON or form body, as Auth0 accepts both.
func params(r *http.Request) (url.Values, error) {
	b, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	if err != nil {
		return nil, err
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("the JSON body cannot be read: %v", err)
		}
		v := url.Values{}
		for k, x := range m {
			switch s := x.(type) {
			case string:
				v.Set(k, s)
			default:
				v.Set(k, fmt.Sprint(s))
			}
		}
		return v, nil
	}
	return url.ParseQuery(string(b))
}

// authenticate checks the client against its authentication method.
func (t *Tenant) authenticate(r *http.Request, p url.Values) (*Client, int, string, string) {
	id, secret, basic := r.BasicAuth()
	if basic {
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
	} else {
		id, secret = p.Get("client_id"), p.Get("client_secret")
	}
	if id == "" {
		return nil, 401, "invalid_client", "Missing required parameter: client_id"
	}
	t.mu.Lock()
	c, ok := t.clients[id]
	t.mu.Unlock()
	if !ok {
		return nil, 401, "invalid_client", "Unknown client."
	}
	fail := func() (*Client, int, string, string) {
		return nil, 401, "invalid_client", "Client authentication failed: this application uses " + c.Auth + "."
	}
	switch c.Auth {
	case "none":
		if basic || secret != "" {
			return fail()
		}
	case "post":
		if basic || secret != c.Secret {
			return fail()
		}
	case "basic":
		if !basic || secret != c.Secret {
			return fail()
		}
	}
	return c, 0, "", ""
}

func (t *Tenant) token(w http.ResponseWriter, r *http.Request) {
	p, err := params(r)
	if err != nil {
		oauthError(w, 400, "invalid_request", err.Error())
		return
	}
	if gt := p.Get("grant_type"); gt != "refresh_token" {
		oauthError(w, 403, "unsupported_grant_type", fmt.Sprintf("Unsupported grant type: %s (the demo tenant serves refresh_token; use /delegation for the legacy grant)", gt))
		return
	}
	c, status, code, desc := t.authenticate(r, p)
	if c == nil {
		oauthError(w, status, code, desc)
		return
	}
	if !c.RefreshGrant {
		oauthError(w, 403, "unauthorized_client", "Grant type 'refresh_token' not allowed for the client.")
		return
	}
	if !t.allow(w) {
		return
	}
	resp, status, code, desc := t.refresh(c, p.Get("refresh_token"), p.Get("scope"), p.Get("audience"))
	if resp == nil {
		oauthError(w, status, code, desc)
		return
	}
	writeJSON(w, 200, resp)
}

// allow applies the per-user rate limit and sets Auth0's headers.
func (t *Tenant) allow(w http.ResponseWriter) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.cfg.Now()
	window := t.rate[t.user.ID][:0]
	for _, at := range t.rate[t.user.ID] {
		if now.Sub(at) < t.cfg.RateWindow {
			window = append(window, at)
		}
	}
	reset := now.Add(t.cfg.RateWindow)
	if len(window) > 0 {
		reset = window[0].Add(t.cfg.RateWindow)
	}
	w.Header().Set("X-RateLimit-Limit", strconv.Itoa(t.cfg.RateLimit))
	w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
	if len(window) >= t.cfg.RateLimit {
		t.rate[t.user.ID] = window
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("Retry-After", strconv.Itoa(int(reset.Sub(now).Seconds()+0.999)))
		oauthError(w, 429, "too_many_requests", "Too many requests for this user. Check the X-RateLimit-* headers.")
		return false
	}
	t.rate[t.user.ID] = append(window, now)
	w.Header().Set("X-RateLimit-Remaining", strconv.Itoa(t.cfg.RateLimit-len(window)-1))
	return true
}

var errUnknownToken = "Unknown or invalid refresh token."

// refresh implements the grant: lifetimes, reuse detection, scope that can
// only narrow, audience, rotation, and the tokens.
func (t *Tenant) refresh(c *Client, value, scope, audience string) (map[string]any, int, string, string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.cfg.Now()
	rt, ok := t.tokens[value]
	if !ok || rt.family.revoked || rt.family.clientID != c.ID {
		return nil, 403, "invalid_grant", errUnknownToken
	}
	f := rt.family
	if now.Sub(f.created) > t.cfg.AbsoluteLifetime || now.Sub(rt.lastUsed) > t.cfg.IdleLifetime {
		return nil, 403, "invalid_grant", errUnknownToken
	}
	if !rt.usedAt.IsZero() && now.Sub(rt.usedAt) > t.cfg.ReuseInterval {
		// Reuse of a rotated-out token: revoke the whole family.
		f.revoked = true
		return nil, 403, "invalid_grant", errUnknownToken
	}
	granted := f.scope
	if scope != "" {
		req := strings.Fields(scope)
		for _, s := range req {
			if !slices.Contains(f.scope, s) {
				return nil, 403, "invalid_scope", fmt.Sprintf("The scope %q was not granted to this refresh token: a refresh can only keep or narrow the scope.", s)
			}
		}
		granted = req
	}
	aud := f.audience
	if audience != "" && audience != f.audience {
		return nil, 403, "access_denied", fmt.Sprintf("The refresh token was issued for audience %q; asking for %q needs Multi-Resource Refresh Token, which the demo tenant does not enable.", f.audience, audience)
	}
	rt.lastUsed = now
	resp := map[string]any{"token_type": "Bearer", "expires_in": int(t.cfg.AccessTokenLifetime.Seconds()), "scope": strings.Join(granted, " ")}
	access, err := t.accessToken(c, granted, aud, now)
	if err != nil {
		return nil, 500, "server_error", err.Error()
	}
	resp["access_token"] = access
	if slices.Contains(granted, "openid") {
		id, err := t.idToken(c.ID, granted, f.sid, access, now)
		if err != nil {
			return nil, 500, "server_error", err.Error()
		}
		resp["id_token"] = id
	}
	if c.Rotate {
		if rt.usedAt.IsZero() {
			rt.usedAt = now
			rt.next = t.newRefreshToken(f, now)
		}
		resp["refresh_token"] = rt.next // within the reuse interval: the same successor
	}
	return resp, 200, "", ""
}

func (t *Tenant) sign(claims map[string]any) (string, error) {
	b, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	obj, err := t.signer.Sign(b)
	if err != nil {
		return "", err
	}
	return obj.CompactSerialize()
}

// accessToken is an RS256 JWT for an audience, or an opaque token that
// only /userinfo accepts when there is none (as Auth0 does).
func (t *Tenant) accessToken(c *Client, scope []string, audience string, now time.Time) (string, error) {
	exp := now.Add(t.cfg.AccessTokenLifetime)
	if audience == "" {
		v := "demo-opaque." + randomString(32)
		t.opaque[v] = opaqueToken{sub: t.user.ID, expires: exp, scope: scope}
		return v, nil
	}
	var aud any = audience
	if slices.Contains(scope, "openid") {
		aud = []string{audience, t.issuer + "userinfo"}
	}
	return t.sign(map[string]any{
		"iss": t.issuer, "sub": t.user.ID, "aud": aud, "iat": now.Unix(), "exp": exp.Unix(),
		"azp": c.ID, "scope": strings.Join(scope, " "), "jti": randomHex(8),
	})
}

func (t *Tenant) idToken(clientID string, scope []string, sid, access string, now time.Time) (string, error) {
	atHash, err := tokens.AtHash("RS256", access)
	if err != nil {
		return "", err
	}
	claims := map[string]any{
		"iss": t.issuer, "sub": t.user.ID, "aud": clientID, "azp": clientID, "iat": now.Unix(),
		"exp": now.Add(t.cfg.IDTokenLifetime).Unix(), "at_hash": atHash, "sid": sid,
	}
	if slices.Contains(scope, "profile") {
		claims["name"], claims["nickname"] = t.user.Name, t.user.Nickname
	}
	if slices.Contains(scope, "email") {
		claims["email"], claims["email_verified"] = t.user.Email, true
	}
	return t.sign(claims)
}

// delegation is the legacy endpoint: a refresh token or an ID token in,
// an ID token for the target client out.
func (t *Tenant) delegation(w http.ResponseWriter, r *http.Request) {
	p, err := params(r)
	if err != nil {
		oauthError(w, 400, "invalid_request", err.Error())
		return
	}
	if p.Get("grant_type") != JWTBearer {
		oauthError(w, 400, "unsupported_grant_type", "grant_type must be "+JWTBearer)
		return
	}
	t.mu.Lock()
	c, ok := t.clients[p.Get("client_id")]
	t.mu.Unlock()
	if !ok {
		oauthError(w, 401, "invalid_client", "Unknown client.")
		return
	}
	if api := p.Get("api_type"); api != "" && api != "app" {
		if addonAPITypes[api] {
			oauthError(w, 400, "invalid_request", fmt.Sprintf("%s add-on is not enabled for this client.", api))
		} else {
			oauthError(w, 400, "invalid_request", fmt.Sprintf("Unknown api_type %q.", api))
		}
		return
	}
	target := p.Get("target")
	if target == "" {
		target = c.ID
	}
	t.mu.Lock()
	_, targetOK := t.clients[target]
	t.mu.Unlock()
	if !targetOK {
		oauthError(w, 400, "invalid_request", fmt.Sprintf("The target client %q does not exist.", target))
		return
	}
	scope := strings.Fields(p.Get("scope"))
	if len(scope) == 0 {
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
			oauthError(w, 401, "invalid_grant", errUnknownToken)
			return
		}
	case p.Get("id_token") != "":
		claims, err := t.verify(p.Get("id_token"))
		if err != nil {
			oauthError(w, 401, "invalid_grant", "The id_token is not valid: "+err.Error())
			return
		}
		sid, _ = claims["sid"].(string)
	default:
		oauthError(w, 400, "invalid_request", "Missing refresh_token or id_token.")
		return
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
	id, err := t.sign(claims)
	if err != nil {
		oauthError(w, 500, "server_error", err.Error())
		return
	}
	writeJSON(w, 200, map[string]any{"token_type": "Bearer", "expires_in": int(t.cfg.IDTokenLifetime.Seconds()), "id_token": id})
}

// verify checks a token this tenant signed and returns its claims.
func (t *Tenant) verify(raw string) (map[string]any, error) {
	tok, err := jwt.ParseSigned(raw, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		return nil, err
	}
	var std jwt.Claims
	claims := map[string]any{}
	if err := tok.Claims(&t.key.PublicKey, &std, &claims); err != nil {
		return nil, err
	}
	if err := std.ValidateWithLeeway(jwt.Expected{Issuer: t.Issuer(), Time: t.cfg.Now()}, time.Minute); err != nil {
		return nil, err
	}
	return claims, nil
}

func (t *Tenant) userinfo(w http.ResponseWriter, r *http.Request) {
	h := r.Header.Get("Authorization")
	if !strings.HasPrefix(h, "Bearer ") {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_request"`)
		oauthError(w, 401, "invalid_request", "Send the access token as Authorization: Bearer TOKEN.")
		return
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
		oauthError(w, 401, "invalid_token", "The access token expired.")
		return
	default:
		claims, err := t.verify(tok)
		if err != nil {
			oauthError(w, 401, "invalid_token", err.Error())
			return
		}
		if !audIncludes(claims["aud"], t.Issuer()+"userinfo") {
			oauthError(w, 401, "invalid_token", "This access token's audience does not include /userinfo: request it with the openid scope.")
			return
		}
		s, _ := claims["scope"].(string)
		scope = strings.Fields(s)
	}
	out := map[string]any{"sub": t.user.ID}
	if slices.Contains(scope, "profile") {
		out["name"], out["nickname"] = t.user.Name, t.user.Nickname
	}
	if slices.Contains(scope, "email") {
		out["email"], out["email_verified"] = t.user.Email, true
	}
	writeJSON(w, 200, out)
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

func (t *Tenant) revoke(w http.ResponseWriter, r *http.Request) {
	p, err := params(r)
	if err != nil {
		oauthError(w, 400, "invalid_request", err.Error())
		return
	}
	c, status, code, desc := t.authenticate(r, p)
	if c == nil {
		oauthError(w, status, code, desc)
		return
	}
	t.mu.Lock()
	if rt, ok := t.tokens[p.Get("token")]; ok && rt.family.clientID == c.ID {
		rt.family.revoked = true
	}
	t.mu.Unlock()
	w.WriteHeader(200)
}
