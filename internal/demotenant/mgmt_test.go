package demotenant

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// mgmtToken gets a Management API access token for the demo's
// Management application through the client-credentials grant.
func mgmtToken(t *testing.T, ten *Tenant, srv *httptest.Server, scope string) string {
	t.Helper()
	m := ten.ManagementClient()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {m.ID}, "client_secret": {m.Secret}, "audience": {m.Audience}}
	if scope != "" {
		form.Set("scope", scope)
	}
	status, body, _ := post(t, srv, "/oauth/token", form, "", "")
	tok, _ := body["access_token"].(string)
	if status != 200 || tok == "" {
		t.Fatalf("a Management API token: %d %v", status, body)
	}
	return tok
}

// mgmtCall sends a Management API request and returns the status, the raw
// body and the headers.
func mgmtCall(t *testing.T, srv *httptest.Server, method, path, token, body string) (int, []byte, http.Header) {
	t.Helper()
	req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b, resp.Header
}

func decode[T any](t *testing.T, b []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	return v
}

// The Management API is reached as on Auth0: a machine-to-machine
// application with a client grant for https://TENANT/api/v2/ asks
// /oauth/token for that audience
// (https://auth0.com/docs/secure/tokens/access-tokens/management-api-access-tokens/get-management-api-access-tokens-for-production);
// the token's scope claim carries the granted scopes. An application
// without the grant gets Auth0's 403 access_denied "Client is not
// authorized to access …" (quoted in auth0 quickstart READMEs).
func TestTheManagementApplicationGetsATokenForTheAPIv2Audience(t *testing.T) {
	t.Parallel()
	ten, srv := start(t, Config{})
	m := ten.ManagementClient()
	if m.ID != ManagementClientID || m.Secret == "" || m.Auth != "post" || m.Audience != srv.URL+"/api/v2/" ||
		m.Scope != "read:logs read:tenant_settings update:tenant_settings read:clients" || m.RefreshToken != "" {
		t.Fatalf("ManagementClient %+v", m)
	}
	for _, c := range ten.Clients() {
		if c.ID == ManagementClientID {
			t.Fatal("Clients lists the Management application, which holds no user's refresh token")
		}
	}
	if c, ok := ten.Client(ManagementClientID); !ok || c.Secret != m.Secret || !c.ClientCredentialsGrant || c.RefreshGrant {
		t.Fatalf("Client(%s) = %+v, %v", ManagementClientID, c, ok)
	}
	claims, err := ten.verify(mgmtToken(t, ten, srv, ""))
	if err != nil || claims["aud"] != m.Audience || claims["scope"] != m.Scope || claims["gty"] != "client-credentials" || claims["sub"] != m.ID+"@clients" {
		t.Fatalf("%v %v", claims, err)
	}
	claims, _ = ten.verify(mgmtToken(t, ten, srv, "read:logs"))
	if claims["scope"] != "read:logs" {
		t.Fatalf("asked for read:logs alone: %v", claims["scope"])
	}

	backend := clientByAuth(ten, "basic")
	form := url.Values{"grant_type": {"client_credentials"}, "audience": {m.Audience}}
	status, body, _ := post(t, srv, "/oauth/token", form, backend.ID, backend.Secret)
	want := `Client is not authorized to access "` + m.Audience + `". You need to create a "client-grant" associated to this API. See: https://auth0.com/docs/api/v2#!/Client_Grants/post_client_grants`
	if status != 403 || body["error"] != "access_denied" || body["error_description"] != want {
		t.Fatalf("an application without the grant: %d %v", status, body)
	}
	form = url.Values{"grant_type": {"client_credentials"}, "client_id": {m.ID}, "client_secret": {m.Secret}, "audience": {m.Audience}, "scope": {"read:logs read:users"}}
	if status, body, _ := post(t, srv, "/oauth/token", form, "", ""); status != 403 || body["error_description"] != "Client has not been granted scopes: read:users" {
		t.Fatalf("a scope outside the grant: %d %v", status, body)
	}
	form.Set("audience", APIAudience)
	form.Del("scope")
	if status, _, _ := post(t, srv, "/oauth/token", form, "", ""); status != 403 {
		t.Fatalf("the Management application asked for another API: %d", status)
	}
}

// The Management API's refusals have its own shape, {statusCode, error,
// message, errorCode}: a missing scope is 403 "Insufficient scope,
// expected any of: read:clients" with errorCode insufficient_scope (the
// body auth0/auth0-cli#538 quotes for read:grants); no token is 401
// "Missing authentication"; an expired one 401 "Expired token received for
// JSON Web Token validation" with attributes.error.
func TestTheManagementAPIRefusesWithAuth0sBodies(t *testing.T) {
	t.Parallel()
	c := newClock()
	ten, srv := start(t, Config{Now: c.Now})
	logsOnly := mgmtToken(t, ten, srv, "read:logs")
	cases := []struct {
		name, path, token string
		status            int
		want              map[string]any
	}{
		{"a token without the scope", "/api/v2/clients", logsOnly, 403,
			map[string]any{"statusCode": 403.0, "error": "Forbidden", "message": "Insufficient scope, expected any of: read:clients", "errorCode": "insufficient_scope"}},
		{"no token", "/api/v2/logs", "", 401, map[string]any{"statusCode": 401.0, "error": "Unauthorized", "message": "Missing authentication"}},
		{"a token that is not one", "/api/v2/logs", "abc.def.ghi", 401,
			map[string]any{"statusCode": 401.0, "error": "Unauthorized", "message": "Invalid token", "attributes": map[string]any{"error": "Invalid token"}}},
		{"an unknown endpoint", "/api/v2/users", logsOnly, 404, map[string]any{"statusCode": 404.0, "error": "Not Found", "message": "Not Found"}},
	}
	for _, tc := range cases {
		status, b, h := mgmtCall(t, srv, "GET", tc.path, tc.token, "")
		if got := decode[map[string]any](t, b); status != tc.status || !reflect.DeepEqual(got, tc.want) || h.Get("X-RateLimit-Limit") == "" {
			t.Errorf("%s: %d %s %v", tc.name, status, b, h)
		}
	}
	// A token minted for another API is no Management API token.
	apiTok, _ := ten.sign(map[string]any{"iss": ten.Issuer(), "aud": APIAudience, "scope": "read:logs", "exp": c.Now().Add(time.Hour).Unix()})
	if status, _, _ := mgmtCall(t, srv, "GET", "/api/v2/logs", apiTok, ""); status != 401 {
		t.Errorf("a token for another audience: %d", status)
	}
	c.Add(25 * time.Hour)
	status, b, _ := mgmtCall(t, srv, "GET", "/api/v2/logs", logsOnly, "")
	msg := "Expired token received for JSON Web Token validation"
	if want := (map[string]any{"statusCode": 401.0, "error": "Unauthorized", "message": msg, "attributes": map[string]any{"error": msg}}); status != 401 || !reflect.DeepEqual(decode[map[string]any](t, b), want) {
		t.Errorf("an expired token: %d %s", status, b)
	}
}

// GET /api/v2/tenants/settings shows the legacy flags under "flags"
// (go-auth0's management.TenantFlags: allow_legacy_delegation_grant_types,
// allow_legacy_ro_grant_types, allow_legacy_tokeninfo_endpoint), on by
// default on the demo's legacy tenant; PATCH changes the flags it names
// and answers with the settings
// (https://auth0.com/docs/api/management/v2/tenants/patch-settings).
func TestTenantSettingsShowAndChangeTheLegacyFlags(t *testing.T) {
	t.Parallel()
	ten, srv := start(t, Config{})
	tok := mgmtToken(t, ten, srv, "")
	type settings struct {
		Flags map[string]any `json:"flags"`
	}
	status, b, _ := mgmtCall(t, srv, "GET", "/api/v2/tenants/settings", tok, "")
	want := map[string]any{"allow_legacy_delegation_grant_types": true, "allow_legacy_ro_grant_types": true, "allow_legacy_tokeninfo_endpoint": true}
	if got := decode[settings](t, b); status != 200 || !reflect.DeepEqual(got.Flags, want) {
		t.Fatalf("%d %s", status, b)
	}
	status, b, _ = mgmtCall(t, srv, "PATCH", "/api/v2/tenants/settings", tok, `{"flags":{"allow_legacy_delegation_grant_types":false,"allow_legacy_tokeninfo_endpoint":false}}`)
	want["allow_legacy_delegation_grant_types"], want["allow_legacy_tokeninfo_endpoint"] = false, false
	if got := decode[settings](t, b); status != 200 || !reflect.DeepEqual(got.Flags, want) {
		t.Fatalf("PATCH: %d %s", status, b)
	}
	if f := ten.Flags(); f.AllowLegacyDelegationGrantTypes || !f.AllowLegacyROGrantTypes || f.AllowLegacyTokenInfoEndpoint {
		t.Fatalf("Flags after the PATCH: %+v", f)
	}
	for _, bad := range []string{`{"flags":{"allow_legacy_everything":false}}`, `{"flags":{"allow_legacy_ro_grant_types":"no"}}`, `not json`} {
		status, b, _ := mgmtCall(t, srv, "PATCH", "/api/v2/tenants/settings", tok, bad)
		if got := decode[map[string]any](t, b); status != 400 || got["errorCode"] != "invalid_body" {
			t.Errorf("%s: %d %s", bad, status, b)
		}
	}
	if !ten.Flags().AllowLegacyROGrantTypes {
		t.Fatal("a refused PATCH changed a flag")
	}
	readOnly := mgmtToken(t, ten, srv, "read:tenant_settings")
	status, b, _ = mgmtCall(t, srv, "PATCH", "/api/v2/tenants/settings", readOnly, `{"flags":{"allow_legacy_ro_grant_types":false}}`)
	if status != 403 || decode[map[string]any](t, b)["message"] != "Insufficient scope, expected any of: update:tenant_settings" {
		t.Fatalf("PATCH without update:tenant_settings: %d %s", status, b)
	}
	off := TenantFlags{}
	ten2, _ := start(t, Config{Flags: &off})
	if ten2.Flags() != off {
		t.Fatal("Config.Flags is not the tenant's flags at start")
	}
}

// GET /api/v2/clients pages with page (from 0), per_page (at most 100)
// and include_totals ({start, limit, length, total, clients}; go-auth0's
// management.ClientList), each application with Auth0's fields: name,
// client_id, app_type, oidc_conformant, grant_types (legacy ones included,
// https://auth0.com/docs/get-started/applications/application-grant-types)
// and the refresh_token object (go-auth0's management.ClientRefreshToken)
// from the tenant's settings.
func TestClientsArePagedAndShapedAsAuth0ListsThem(t *testing.T) {
	t.Parallel()
	ten, srv := start(t, Config{ReuseInterval: 30 * time.Second, IdleLifetime: 24 * time.Hour, Rotation: RotationNonRotating})
	tok := mgmtToken(t, ten, srv, "read:clients")
	type page struct {
		Start, Limit, Length, Total int
		Clients                     []map[string]any
	}
	var ids []string
	for p, wantLen := range []int{3, 1, 0} {
		status, b, _ := mgmtCall(t, srv, "GET", "/api/v2/clients?include_totals=true&per_page=3&page="+string(rune('0'+p)), tok, "")
		got := decode[page](t, b)
		if status != 200 || got.Start != min(3*p, 4) || got.Limit != 3 || got.Length != wantLen || got.Total != 4 || len(got.Clients) != wantLen {
			t.Fatalf("page %d: %d %s", p, status, b)
		}
		for _, c := range got.Clients {
			ids = append(ids, c["client_id"].(string))
		}
	}
	if want := []string{"demo-backend", ManagementClientID, "demo-native-app", "demo-web-app"}; !slices.Equal(ids, want) {
		t.Fatalf("clients %v", ids)
	}
	status, b, _ := mgmtCall(t, srv, "GET", "/api/v2/clients", tok, "")
	all := decode[[]map[string]any](t, b)
	if status != 200 || len(all) != 4 {
		t.Fatalf("without include_totals, a bare array: %d %s", status, b)
	}
	byID := map[string]map[string]any{}
	for _, c := range all {
		byID[c["client_id"].(string)] = c
	}
	native, mgmt := byID["demo-native-app"], byID[ManagementClientID]
	if native["app_type"] != "native" || native["oidc_conformant"] != false || native["token_endpoint_auth_method"] != "none" ||
		!slices.Contains(toStrings(native["grant_types"]), GrantLegacyDelegationRefresh) || native["client_secret"] != nil {
		t.Fatalf("native app %v", native)
	}
	rt := native["refresh_token"].(map[string]any)
	wantRT := map[string]any{"rotation_type": "non-rotating", "expiration_type": "expiring", "leeway": 30.0, "token_lifetime": 2592000.0,
		"infinite_token_lifetime": false, "idle_token_lifetime": 86400.0, "infinite_idle_token_lifetime": false}
	if !reflect.DeepEqual(rt, wantRT) {
		t.Fatalf("refresh_token %v", rt)
	}
	if mgmt["app_type"] != "non_interactive" || mgmt["oidc_conformant"] != true || !slices.Equal(toStrings(mgmt["grant_types"]), []string{"client_credentials"}) || mgmt["name"] != ManagementClientName {
		t.Fatalf("the Management application %v", mgmt)
	}
	status, b, _ = mgmtCall(t, srv, "GET", "/api/v2/clients?per_page=101", tok, "")
	if status != 400 || decode[map[string]any](t, b)["errorCode"] != "invalid_query_string" {
		t.Fatalf("per_page 101: %d %s", status, b)
	}
}

func toStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

// Auth0's Management API buckets: X-RateLimit-Limit, -Remaining and -Reset
// on every answer, and past the bucket 429 "Global limit has been reached"
// with Retry-After (https://community.auth0.com/t/429-too-many-requests/81374;
// the body in the Management API's shape, as auth0-java's RateLimitException
// test reads it: too_many_requests, "Global limit has been reached"). The
// bucket is per access token; a tiny one makes the test quick.
func TestTheManagementAPIAnswers429WithRetryAfterPastItsBucket(t *testing.T) {
	t.Parallel()
	c := newClock()
	ten, srv := start(t, Config{Now: c.Now, ManagementRate: Rate{Burst: 2, PerMinute: 60}})
	tok := mgmtToken(t, ten, srv, "")
	for i, remaining := range []string{"1", "0"} {
		status, _, h := mgmtCall(t, srv, "GET", "/api/v2/tenants/settings", tok, "")
		if status != 200 || h.Get("X-RateLimit-Limit") != "2" || h.Get("X-RateLimit-Remaining") != remaining || h.Get("X-RateLimit-Reset") == "" {
			t.Fatalf("call %d: %d %v", i+1, status, h)
		}
	}
	status, b, h := mgmtCall(t, srv, "GET", "/api/v2/tenants/settings", tok, "")
	want := map[string]any{"statusCode": 429.0, "error": "Too Many Requests", "message": "Global limit has been reached", "errorCode": "too_many_requests"}
	if status != 429 || !reflect.DeepEqual(decode[map[string]any](t, b), want) || h.Get("Retry-After") != "1" || h.Get("X-RateLimit-Remaining") != "0" {
		t.Fatalf("past the bucket: %d %s %v", status, b, h)
	}
	if status, _, _ := mgmtCall(t, srv, "GET", "/api/v2/tenants/settings", mgmtToken(t, ten, srv, ""), ""); status != 200 {
		t.Fatalf("another token has its own bucket: %d", status)
	}
	c.Add(time.Second)
	if status, _, _ := mgmtCall(t, srv, "GET", "/api/v2/tenants/settings", tok, ""); status != 200 {
		t.Fatalf("after Retry-After: %d", status)
	}
}
