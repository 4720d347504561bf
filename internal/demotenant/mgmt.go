package demotenant

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/go-jose/go-jose/v4/jwt"
)

// The demo's Management API application, a machine-to-machine client
// granted what a readiness report reads (the tenant's legacy flags, the
// applications, the deprecation notes) and what a rehearsal changes (the
// flags).
const (
	ManagementClientID   = "demo-mgmt-app"
	ManagementClientName = "Demo Management (M2M)"
)

// ManagementClientScopes are the demo Management application's scopes.
func ManagementClientScopes() []string {
	return []string{"read:logs", "read:tenant_settings", "update:tenant_settings", "read:clients"}
}

// defaultManagementRate is Config.ManagementRate's default: "Using the
// Management API for free and trial tenants is restricted to 2 requests per
// second (with bursts of up to 10 requests)"
// (https://community.auth0.com/t/429-too-many-requests/81374, quoting
// Auth0's rate limit policy).
var defaultManagementRate = Rate{Burst: 10, PerMinute: 120}

func managementClient() Client {
	return Client{ID: ManagementClientID, Secret: randomString(32), Auth: "post", Name: ManagementClientName,
		ClientCredentialsGrant: true, OIDCConformant: true, ManagementScopes: ManagementClientScopes()}
}

// ManagementAudience is the tenant's Management API identifier, Auth0's
// https://TENANT/api/v2/.
func (t *Tenant) ManagementAudience() string { return t.Issuer() + "api/v2/" }

// ManagementClient is the demo's Management API application with its
// secret (random per run), the audience to ask for and its scopes: what a
// profile needs to run a readiness report against the demo tenant. It has
// the client-credentials grant only, so RefreshToken is empty.
func (t *Tenant) ManagementClient() ClientGrant {
	t.mu.Lock()
	c := *t.clients[ManagementClientID]
	t.mu.Unlock()
	return ClientGrant{Client: c, Audience: t.ManagementAudience(), Scope: strings.Join(c.ManagementScopes, " ")}
}

// TenantFlags are the legacy switches of Auth0's tenant settings
// (GET /api/v2/tenants/settings, "flags"; go-auth0's management.TenantFlags).
type TenantFlags struct {
	// AllowLegacyDelegationGrantTypes: "Whether the legacy delegation
	// endpoint will be enabled for your account (true) or not available (false)."
	AllowLegacyDelegationGrantTypes bool `json:"allow_legacy_delegation_grant_types"`
	// AllowLegacyROGrantTypes: "Whether the legacy `auth/ro` endpoint (used
	// with resource owner password and passwordless features) will be
	// enabled for your account (true) or not available (false)."
	AllowLegacyROGrantTypes bool `json:"allow_legacy_ro_grant_types"`
	// AllowLegacyTokenInfoEndpoint: whether /tokeninfo answers.
	AllowLegacyTokenInfoEndpoint bool `json:"allow_legacy_tokeninfo_endpoint"`
}

// LegacyFlags are a legacy tenant's flags, every one on: the demo's default.
func LegacyFlags() TenantFlags {
	return TenantFlags{AllowLegacyDelegationGrantTypes: true, AllowLegacyROGrantTypes: true, AllowLegacyTokenInfoEndpoint: true}
}

// Flags returns the tenant's legacy flags now.
func (t *Tenant) Flags() TenantFlags {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.flags
}

// SetFlags switches the legacy flags, as PATCH /api/v2/tenants/settings does.
func (t *Tenant) SetFlags(f TenantFlags) {
	t.mu.Lock()
	t.flags = f
	t.mu.Unlock()
}

// mgmtError is an error answer of the Management API, which has its own
// shape: {"statusCode", "error" (the status text), "message", "errorCode"}
// (e.g. auth0/auth0-cli#538's 403 insufficient_scope), and "attributes"
// on a refused token.
type mgmtError struct {
	status     int
	message    string
	errorCode  string
	attributes bool
	header     http.Header
}

func writeMgmtError(w http.ResponseWriter, e *mgmtError) {
	for k, vs := range e.header {
		w.Header()[k] = vs
	}
	body := map[string]any{"statusCode": e.status, "error": http.StatusText(e.status), "message": e.message}
	if e.errorCode != "" {
		body["errorCode"] = e.errorCode
	}
	if e.attributes {
		body["attributes"] = map[string]string{"error": e.message}
	}
	writeJSON(w, e.status, body)
}

func badQuery(format string, a ...any) *mgmtError {
	return &mgmtError{status: 400, message: fmt.Sprintf(format, a...), errorCode: "invalid_query_string"}
}

func badBody(format string, a ...any) *mgmtError {
	return &mgmtError{status: 400, message: fmt.Sprintf(format, a...), errorCode: "invalid_body"}
}

// mgmt serves one Management API endpoint: the bearer token checked (an
// RS256 JWT of this tenant for the Management API audience), the token's
// bucket taken (X-RateLimit-Limit, -Remaining and -Reset on every answer,
// 429 with Retry-After past it), then the scope: any one of scopes will do.
func (t *Tenant) mgmt(scopes []string, h func(w http.ResponseWriter, r *http.Request) (any, *mgmtError)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		claims, authErr := t.managementToken(r)
		key := "mgmt|ip|" + clientIP(r)
		if authErr == nil {
			key = "mgmt|" + fmt.Sprint(claims["jti"])
		}
		if err := t.limit(w, key, t.cfg.ManagementRate); err != nil {
			// Auth0's words for an empty bucket, in the Management API's shape.
			writeMgmtError(w, &mgmtError{status: 429, message: "Global limit has been reached", errorCode: "too_many_requests", header: err.header})
			return
		}
		if authErr != nil {
			writeMgmtError(w, authErr)
			return
		}
		granted := strings.Fields(fmt.Sprint(claims["scope"]))
		if len(scopes) > 0 && !slices.ContainsFunc(scopes, func(s string) bool { return slices.Contains(granted, s) }) {
			writeMgmtError(w, &mgmtError{status: 403, message: "Insufficient scope, expected any of: " + strings.Join(scopes, ","), errorCode: "insufficient_scope"})
			return
		}
		v, err := h(w, r)
		if err != nil {
			writeMgmtError(w, err)
			return
		}
		writeJSON(w, 200, v)
	}
}

// managementToken checks the request's bearer token. Auth0's answers, as
// Auth0.NET's ErrorApiException quotes them: an expired token is 401
// "Expired token received for JSON Web Token validation" and a token that
// is not the tenant's 401 "Invalid token", each with the message repeated
// in attributes.error; no token at all is 401 "Missing authentication"
// (the hapi words the Management API's shape comes from). The demo words
// every refusal but expiry (signature, issuer, audience) "Invalid token".
func (t *Tenant) managementToken(r *http.Request) (map[string]any, *mgmtError) {
	h := r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || strings.TrimSpace(tok) == "" {
		return nil, &mgmtError{status: 401, message: "Missing authentication"}
	}
	claims, err := t.verify(strings.TrimSpace(tok))
	if errors.Is(err, jwt.ErrExpired) {
		return nil, &mgmtError{status: 401, message: "Expired token received for JSON Web Token validation", attributes: true}
	}
	if err != nil || !audIncludes(claims["aud"], t.ManagementAudience()) {
		return nil, &mgmtError{status: 401, message: "Invalid token", attributes: true}
	}
	return claims, nil
}

// managementGrant is the client-credentials grant for the Management API:
// only a client granted it gets a token, with the scopes it asks of its
// grant (all of them when it asks none).
func (t *Tenant) managementGrant(c *Client, aud, scope string) ([]string, *apiError) {
	if len(c.ManagementScopes) == 0 {
		// Auth0's words when no client grant links the application to the API
		// (auth0-samples quickstart READMEs and Auth0 community threads quote it).
		return nil, errorf(403, "access_denied", `Client is not authorized to access "%s". You need to create a "client-grant" associated to this API. See: https://auth0.com/docs/api/v2#!/Client_Grants/post_client_grants`, aud)
	}
	if scope == "" {
		return slices.Clone(c.ManagementScopes), nil
	}
	granted := strings.Fields(scope)
	for _, s := range granted {
		if !slices.Contains(c.ManagementScopes, s) {
			return nil, errorf(403, "access_denied", "Client has not been granted scopes: %s", s)
		}
	}
	return granted, nil
}

// The Management API endpoints a readiness report reads.
var (
	scopesReadSettings   = []string{"read:tenant_settings"}
	scopesUpdateSettings = []string{"update:tenant_settings"}
	scopesReadClients    = []string{"read:clients"}
	scopesReadLogs       = []string{"read:logs"}
)

func (t *Tenant) managementRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v2/tenants/settings", t.mgmt(scopesReadSettings, t.getSettings))
	mux.HandleFunc("PATCH /api/v2/tenants/settings", t.mgmt(scopesUpdateSettings, t.patchSettings))
	mux.HandleFunc("GET /api/v2/clients", t.mgmt(scopesReadClients, t.listClients))
	mux.HandleFunc("GET /api/v2/logs", t.mgmt(scopesReadLogs, t.listLogs))
	mux.HandleFunc("/api/v2/", t.mgmt(nil, func(w http.ResponseWriter, r *http.Request) (any, *mgmtError) {
		return nil, &mgmtError{status: 404, message: "Not Found"}
	}))
}

// settings is GET /api/v2/tenants/settings' body: the demo's share of
// Auth0's tenant settings (https://auth0.com/docs/api/management/v2/tenants/tenant-settings-route).
func (t *Tenant) settings() map[string]any {
	return map[string]any{
		"friendly_name": "Tokenscope Demo", "picture_url": "", "support_email": "", "support_url": "",
		"allowed_logout_urls": []string{}, "session_lifetime": 168, "idle_session_lifetime": 72,
		"enabled_locales": []string{"en"}, "sandbox_version": "18",
		"flags": t.Flags(),
	}
}

func (t *Tenant) getSettings(w http.ResponseWriter, r *http.Request) (any, *mgmtError) {
	return t.settings(), nil
}

// patchSettings is PATCH /api/v2/tenants/settings: the flags named in the
// body change, the others keep their value, and the answer is the settings
// after the change. An unknown flag or a flag that is not a boolean is 400
// invalid_body, as Auth0 validates the payload against its schema.
func (t *Tenant) patchSettings(w http.ResponseWriter, r *http.Request) (any, *mgmtError) {
	b, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	if err != nil {
		return nil, badBody("The body cannot be read: %v", err)
	}
	var body struct {
		Flags map[string]json.RawMessage `json:"flags"`
	}
	if err := json.Unmarshal(b, &body); err != nil {
		return nil, badBody("Payload validation error: 'Invalid JSON' (%v).", err)
	}
	t.mu.Lock()
	f := t.flags
	fields := map[string]*bool{
		"allow_legacy_delegation_grant_types": &f.AllowLegacyDelegationGrantTypes,
		"allow_legacy_ro_grant_types":         &f.AllowLegacyROGrantTypes,
		"allow_legacy_tokeninfo_endpoint":     &f.AllowLegacyTokenInfoEndpoint,
	}
	for k, raw := range body.Flags {
		p, ok := fields[k]
		if !ok {
			t.mu.Unlock()
			return nil, badBody("Payload validation error: 'Additional properties not allowed: %s' on property flags.", k)
		}
		if err := json.Unmarshal(raw, p); err != nil {
			t.mu.Unlock()
			return nil, badBody("Payload validation error: 'Expected type boolean' on property flags.%s.", k)
		}
	}
	t.flags = f
	t.mu.Unlock()
	return t.settings(), nil
}

// pageParams reads page, per_page and include_totals as Auth0 does:
// page from 0, per_page 50 by default and at most 100
// (https://auth0.com/docs/api/management/v2/clients/get-clients).
func pageParams(r *http.Request) (page, perPage int, totals bool, err *mgmtError) {
	q := r.URL.Query()
	page, perPage = 0, 50
	for _, p := range []struct {
		name     string
		v        *int
		min, max int
	}{{"page", &page, 0, 1 << 30}, {"per_page", &perPage, 0, 100}} {
		s := q.Get(p.name)
		if s == "" {
			continue
		}
		n, convErr := strconv.Atoi(s)
		switch {
		case convErr != nil:
			return 0, 0, false, badQuery("Query validation error: 'Expected type integer but found type string' on property %s.", p.name)
		case n < p.min:
			return 0, 0, false, badQuery("Query validation error: 'Too small: %d (minimum %d)' on property %s.", n, p.min, p.name)
		case n > p.max:
			return 0, 0, false, badQuery("Query validation error: 'Too big: %d (maximum %d)' on property %s.", n, p.max, p.name)
		}
		*p.v = n
	}
	switch q.Get("include_totals") {
	case "", "false":
	case "true":
		totals = true
	default:
		return 0, 0, false, badQuery("Query validation error: 'Expected type boolean but found type string' on property include_totals.")
	}
	return page, perPage, totals, nil
}

// window cuts page of perPage out of n items.
func window(n, page, perPage int) (from, to int) {
	from = min(page*perPage, n)
	return from, min(from+perPage, n)
}

// listClients is GET /api/v2/clients: a bare array, or with
// include_totals=true {"start", "limit", "length", "total", "clients"}
// (go-auth0's management.ClientList: List{start, limit, length, total}).
func (t *Tenant) listClients(w http.ResponseWriter, r *http.Request) (any, *mgmtError) {
	page, perPage, totals, err := pageParams(r)
	if err != nil {
		return nil, err
	}
	t.mu.Lock()
	all := make([]*Client, 0, len(t.clients))
	for _, c := range t.clients {
		all = append(all, c)
	}
	t.mu.Unlock()
	slices.SortFunc(all, func(a, b *Client) int { return strings.Compare(a.ID, b.ID) })
	from, to := window(len(all), page, perPage)
	out := make([]map[string]any, 0, to-from)
	for _, c := range all[from:to] {
		out = append(out, t.clientJSON(c))
	}
	if totals {
		return map[string]any{"start": from, "limit": perPage, "length": len(out), "total": len(all), "clients": out}, nil
	}
	return out, nil
}

// The legacy grant types an application may have
// (https://auth0.com/docs/get-started/applications/application-grant-types#legacy-grants).
const (
	GrantLegacyRO                = "http://auth0.com/oauth/legacy/grant-type/ro"
	GrantLegacyROJWTBearer       = "http://auth0.com/oauth/legacy/grant-type/ro/jwt-bearer"
	GrantLegacyDelegationRefresh = "http://auth0.com/oauth/legacy/grant-type/delegation/refresh_token"
	GrantLegacyDelegationIDToken = "http://auth0.com/oauth/legacy/grant-type/delegation/id_token"
)

// grantTypes is an application's grant_types as the Management API lists them.
func grantTypes(c *Client) []string {
	var g []string
	if c.CodeGrant {
		g = append(g, "authorization_code")
	}
	if c.RefreshGrant {
		g = append(g, "refresh_token")
	}
	if c.DeviceGrant {
		g = append(g, DeviceCodeGrant)
	}
	if c.ClientCredentialsGrant {
		g = append(g, "client_credentials")
	}
	if !c.OIDCConformant {
		g = append(g, GrantLegacyRO, GrantLegacyROJWTBearer, GrantLegacyDelegationRefresh, GrantLegacyDelegationIDToken)
	}
	return g
}

// appType is Auth0's app_type: native for a public client, non_interactive
// for a machine-to-machine one, regular_web otherwise.
func appType(c *Client) string {
	switch {
	case c.Auth == "none":
		return "native"
	case c.ClientCredentialsGrant && !c.CodeGrant && !c.RefreshGrant:
		return "non_interactive"
	}
	return "regular_web"
}

var authMethods = map[string]string{"none": "none", "post": "client_secret_post", "basic": "client_secret_basic"}

// clientJSON is an application as GET /api/v2/clients returns it, without
// its secret (that needs read:client_keys). refresh_token is Auth0's
// object (go-auth0's management.ClientRefreshToken) fed by the tenant's
// refresh-token settings (Config).
func (t *Tenant) clientJSON(c *Client) map[string]any {
	rotation := RotationNonRotating
	if t.rotates(c) {
		rotation = RotationRotating
	}
	expiration := "expiring"
	if t.cfg.InfiniteLifetime && t.cfg.InfiniteIdleLifetime {
		expiration = "non-expiring"
	}
	return map[string]any{
		"tenant": "demo", "global": false, "is_first_party": true,
		"name": c.Name, "client_id": c.ID, "description": "",
		"app_type": appType(c), "oidc_conformant": c.OIDCConformant, "grant_types": grantTypes(c),
		"token_endpoint_auth_method": authMethods[c.Auth],
		"callbacks":                  append([]string{}, c.Callbacks...),
		"jwt_configuration":          map[string]any{"alg": "RS256", "lifetime_in_seconds": int(t.cfg.IDTokenLifetime.Seconds()), "secret_encoded": false},
		"refresh_token": map[string]any{
			"rotation_type": rotation, "expiration_type": expiration, "leeway": int(t.cfg.ReuseInterval.Seconds()),
			"token_lifetime": int(t.cfg.AbsoluteLifetime.Seconds()), "infinite_token_lifetime": t.cfg.InfiniteLifetime,
			"idle_token_lifetime": int(t.cfg.IdleLifetime.Seconds()), "infinite_idle_token_lifetime": t.cfg.InfiniteIdleLifetime,
		},
	}
}
