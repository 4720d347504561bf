package demotenant

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tokenscope/tokenscope/internal/oauth"
)

// legacyCalls are one call to each legacy endpoint the demo serves, by a
// seeded application with what it needs: a refresh token, an ID token,
// the demo user's password.
func legacyCalls(t *testing.T, ten *Tenant) map[string]url.Values {
	t.Helper()
	native, web := clientByAuth(ten, "none"), clientByAuth(ten, "post")
	rt, _ := ten.MintRefreshToken(native.ID, "openid offline_access", "")
	id, err := ten.sign(map[string]any{"iss": ten.Issuer(), "sub": ten.user.ID, "aud": web.ID, "iat": ten.cfg.Now().Unix(), "exp": ten.cfg.Now().Add(time.Hour).Unix()})
	if err != nil {
		t.Fatal(err)
	}
	return map[string]url.Values{
		"/delegation": {"grant_type": {oauth.GrantJWTBearer}, "client_id": {native.ID}, "refresh_token": {rt}, "api_type": {"app"}},
		"/oauth/ro": {"grant_type": {"password"}, "client_id": {web.ID}, "username": {ten.user.Email}, "password": {DemoUserPassword},
			"connection": {"Username-Password-Authentication"}, "scope": {"openid"}},
		"/tokeninfo": {"id_token": {id}},
	}
}

// Each legacy endpoint leaves a deprecation notice (type depnote) with
// the client ID, once per feature and client in an hour of the tenant's
// clock: "Deprecation notices are only shown once per hour (the first time
// the error occurs within that hour)"; the description names the feature
// (https://auth0.com/docs/troubleshoot/basic-issues/search-logs-for-deprecation-errors),
// worded as Auth0's notices are ("…: This feature is being deprecated.
// Please see details.feature of this log for more information.",
// auth0/auth0-deploy-cli#1390) with details.feature {id, name}.
func TestLegacyCallsLeaveOneDepnotePerFeatureClientAndHour(t *testing.T) {
	t.Parallel()
	c := newClock()
	ten, srv := start(t, Config{Now: c.Now})
	calls := legacyCalls(t, ten)
	for path, form := range calls {
		for range 3 {
			if status, body, _ := post(t, srv, path, form, "", ""); status != 200 {
				t.Fatalf("%s: %d %v", path, status, body)
			}
		}
	}
	logs := ten.Logs()
	if len(logs) != 3 {
		t.Fatalf("three calls to each endpoint in an hour: %d notices, want 3", len(logs))
	}
	want := map[string]string{FeatureDelegation: "demo-native-app", FeatureRO: "demo-web-app", FeatureTokeninfo: "demo-web-app"}
	for _, e := range logs {
		f := e.Details["feature"].(map[string]any)["id"].(string)
		if e.Type != LogTypeDepnote || e.ClientID != want[f] || e.ClientName == "" || !e.Date.Equal(c.Now()) ||
			!strings.HasSuffix(e.Description, ": This feature is being deprecated. Please see details.feature of this log for more information.") || e.IP == "" || len(e.LogID) != 56 {
			t.Errorf("%+v", e)
		}
	}
	c.Add(59 * time.Minute) // 12:59, still the same hour
	post(t, srv, "/delegation", calls["/delegation"], "", "")
	if n := len(ten.Logs()); n != 3 {
		t.Fatalf("later in the same hour: %d notices", n)
	}
	c.Add(time.Minute) // 13:00, the next hour
	post(t, srv, "/delegation", calls["/delegation"], "", "")
	if logs := ten.Logs(); len(logs) != 4 || logs[3].Details["feature"].(map[string]any)["id"] != FeatureDelegation {
		t.Fatalf("the next hour: %d notices", len(logs))
	}
}

// With a legacy flag off, Auth0 answers a legacy grant as any grant the
// application lacks — 403 unauthorized_client "Grant type
// 'http://auth0.com/oauth/legacy/grant-type/ro' not allowed for the
// client." (auth0/Auth0.swift#121, auth0-community/ember-simple-auth-auth0#83;
// the legacy grant types are listed at
// https://auth0.com/docs/get-started/applications/application-grant-types) —
// and /tokeninfo is not there, 404 (lukeocodes/auth0-elixir-countdown#6).
// Nothing is noted, and the migrated twin, a refresh at /oauth/token, works.
func TestFlagsOffRefuseTheLegacyEndpointsAsAuth0Does(t *testing.T) {
	t.Parallel()
	ten, srv := start(t, Config{})
	calls := legacyCalls(t, ten)
	ten.SetFlags(TenantFlags{})
	byIDToken := url.Values{"grant_type": {oauth.GrantJWTBearer}, "client_id": {"demo-web-app"}, "id_token": calls["/tokeninfo"]["id_token"]}
	cases := []struct {
		path   string
		form   url.Values
		status int
		code   string
		desc   string
	}{
		{"/delegation", calls["/delegation"], 403, "unauthorized_client", "Grant type '" + GrantLegacyDelegationRefresh + "' not allowed for the client."},
		{"/delegation", byIDToken, 403, "unauthorized_client", "Grant type '" + GrantLegacyDelegationIDToken + "' not allowed for the client."},
		{"/oauth/ro", calls["/oauth/ro"], 403, "unauthorized_client", "Grant type 'http://auth0.com/oauth/legacy/grant-type/ro' not allowed for the client."},
		{"/tokeninfo", calls["/tokeninfo"], 404, "not_found", ""},
	}
	for _, tc := range cases {
		status, body, _ := post(t, srv, tc.path, tc.form, "", "")
		if status != tc.status || body["error"] != tc.code || tc.desc != "" && body["error_description"] != tc.desc {
			t.Errorf("%s: %d %v", tc.path, status, body)
		}
	}
	if n := len(ten.Logs()); n != 0 {
		t.Fatalf("refused calls left %d notices", n)
	}
	native := clientByAuth(ten, "none")
	twin := refreshForm(native, calls["/delegation"].Get("refresh_token"), "scope", "openid")
	if status, body, _ := post(t, srv, "/oauth/token", twin, "", ""); status != 200 {
		t.Fatalf("the migrated twin: %d %v", status, body)
	}
	// An OIDC-conformant application has no legacy grant, flags or not.
	ten.SetFlags(LegacyFlags())
	conformant := native
	conformant.ID, conformant.OIDCConformant = "demo-conformant-app", true
	ten.AddClient(conformant)
	byConformant := url.Values{"grant_type": {oauth.GrantJWTBearer}, "client_id": {conformant.ID}, "id_token": calls["/tokeninfo"]["id_token"]}
	if status, body, _ := post(t, srv, "/delegation", byConformant, "", ""); status != 403 || body["error"] != "unauthorized_client" {
		t.Fatalf("an OIDC-conformant application at /delegation: %d %v", status, body)
	}
	// One flag at a time: /delegation back on, /oauth/ro still off.
	ten.SetFlags(TenantFlags{AllowLegacyDelegationGrantTypes: true})
	if status, _, _ := post(t, srv, "/delegation", byIDToken, "", ""); status != 200 {
		t.Fatalf("/delegation with its flag on: %d", status)
	}
	if status, _, _ := post(t, srv, "/oauth/ro", calls["/oauth/ro"], "", ""); status != 403 {
		t.Fatalf("/oauth/ro with its flag off: %d", status)
	}
}

// The legacy /oauth/ro and /tokeninfo answer as Auth0's did: an ID token
// and an access token for the user's password; the user's profile for an
// ID token (https://auth0.com/docs/api/authentication/resource-owner-legacy/resource-owner-password-grant,
// https://auth0.com/docs/api/authentication/user-profile-legacy/get-token-info).
func TestTheLegacyResourceOwnerAndTokeninfoEndpointsAnswer(t *testing.T) {
	t.Parallel()
	ten, srv := start(t, Config{})
	calls := legacyCalls(t, ten)
	status, body, _ := post(t, srv, "/oauth/ro", calls["/oauth/ro"], "", "")
	if claims, err := ten.verify(body["id_token"].(string)); status != 200 || err != nil || claims["aud"] != "demo-web-app" || body["access_token"] == nil || body["token_type"] != "bearer" {
		t.Fatalf("/oauth/ro: %d %v %v", status, body, err)
	}
	wrong := url.Values{}
	for k, v := range calls["/oauth/ro"] {
		wrong[k] = v
	}
	wrong.Set("password", "guess")
	if status, body, _ := post(t, srv, "/oauth/ro", wrong, "", ""); status != 401 || body["error"] != "invalid_user_password" {
		t.Fatalf("a wrong password: %d %v", status, body)
	}
	status, body, _ = post(t, srv, "/tokeninfo", calls["/tokeninfo"], "", "")
	if status != 200 || body["user_id"] != ten.user.ID || body["email"] != ten.user.Email {
		t.Fatalf("/tokeninfo: %d %v", status, body)
	}
}

// GET /api/v2/logs searches as Auth0's does: q in Lucene syntax
// (type:depnote, date:[FROM TO]), page and per_page (at most 100, and
// only through the first 1,000 results), include_totals ({start, limit,
// length, total, logs}), sort date:-1 or date:1; or by checkpoint, from a
// log_id with take, in log_id order with a Link rel="next"
// (https://auth0.com/docs/deploy-monitor/logs/retrieve-log-events-using-mgmt-api).
// Each entry has Auth0's log fields (go-auth0's management.Log).
func TestLogsAreSearchedAndPagedAsAuth0Does(t *testing.T) {
	t.Parallel()
	c := newClock() // 2026-11-26 12:00 UTC
	// A bigger bucket than a free tenant's 10: the test makes 16 calls at once.
	ten, srv := start(t, Config{Now: c.Now, ManagementRate: Rate{Burst: 100, PerMinute: 6000}})
	if n := ten.SeedLegacyHistory(); n != 28 {
		t.Fatalf("seeded %d notices", n)
	}
	tok := mgmtToken(t, ten, srv, "read:logs")
	type page struct {
		Start, Limit, Length, Total int
		Logs                        []map[string]any
	}
	get := func(query string) page {
		t.Helper()
		status, b, _ := mgmtCall(t, srv, "GET", "/api/v2/logs?"+query, tok, "")
		if status != 200 {
			t.Fatalf("%s: %d %s", query, status, b)
		}
		return decode[page](t, b)
	}
	q := "include_totals=true&per_page=10&q=" + url.QueryEscape("type:depnote")
	var dates []string
	for p, want := range []int{10, 10, 8} {
		got := get(q + "&page=" + strconv.Itoa(p))
		if got.Total != 28 || got.Length != want || got.Start != 10*p || got.Limit != 10 {
			t.Fatalf("page %d: %+v", p, got)
		}
		for _, e := range got.Logs {
			dates = append(dates, e["date"].(string))
		}
	}
	for i := 1; i < len(dates); i++ {
		if dates[i] > dates[i-1] {
			t.Fatalf("not newest first: %s then %s", dates[i-1], dates[i])
		}
	}
	if dates[0] != "2026-11-25T17:07:00.000Z" || dates[27] != "2026-11-19T09:07:00.000Z" {
		t.Fatalf("newest %s, oldest %s", dates[0], dates[27])
	}
	e := get(q + "&per_page=1").Logs[0]
	for _, k := range []string{"date", "type", "description", "client_id", "client_name", "ip", "log_id", "details", "user_agent", "hostname"} {
		if _, ok := e[k]; !ok {
			t.Errorf("a log entry has no %s: %v", k, e)
		}
	}
	day := get("include_totals=true&q=" + url.QueryEscape("type:depnote AND date:[2026-11-25 TO 2026-11-25]"))
	if day.Total != 4 { // three /delegation calls and one /tokeninfo; /oauth/ro was two days ago
		t.Fatalf("yesterday: %d notices", day.Total)
	}
	span := get("include_totals=true&q=" + url.QueryEscape(`type:depnote AND client_id:demo-web-app AND date:[2026-11-20T00:00:00Z TO *]`))
	if span.Total != 7 {
		t.Fatalf("the web app since the 20th: %d notices", span.Total)
	}
	// Auth0's own example of a description search: type:depnote AND description:ignore*request*host*header*
	// (https://auth0.com/docs/troubleshoot/product-lifecycle/past-migrations/tenant-hostname-migration).
	if ro := get("include_totals=true&q=" + url.QueryEscape("type:depnote AND description:*/oauth/ro*")); ro.Total != 2 {
		t.Fatalf("description:*/oauth/ro*: %d notices", ro.Total)
	}
	if asc := get("sort=date:1&per_page=1&include_totals=true"); asc.Logs[0]["date"] != "2026-11-19T09:07:00.000Z" {
		t.Fatalf("date:1 starts with %v", asc.Logs[0]["date"])
	}

	// By checkpoint: the entries after a log_id, in log_id order.
	first := ten.Logs()[0].LogID
	status, b, h := mgmtCall(t, srv, "GET", "/api/v2/logs?take=5&q=type:nothing&from="+first, tok, "")
	after := decode[[]map[string]any](t, b)
	if status != 200 || len(after) != 5 || after[0]["log_id"] != ten.Logs()[1].LogID || !strings.Contains(h.Get("Link"), "from="+after[4]["log_id"].(string)) || !strings.Contains(h.Get("Link"), `rel="next"`) {
		t.Fatalf("checkpoint: %d %d entries, Link %q", status, len(after), h.Get("Link"))
	}

	for _, bad := range []string{"page=10&per_page=100", "q=" + url.QueryEscape("user_id:x"), "q=" + url.QueryEscape("date:[yesterday TO *]"), "sort=type:1"} {
		status, b, _ := mgmtCall(t, srv, "GET", "/api/v2/logs?"+bad, tok, "")
		if status != 400 || decode[map[string]any](t, b)["errorCode"] != "invalid_query_string" {
			t.Errorf("%s: %d %s", bad, status, b)
		}
	}
}

// SeedLegacyHistory gives a fresh tenant a week of notices on its own
// clock, all before the current hour, once; the calls it pretends happened
// keep the once-an-hour rule with calls that happen next.
func TestSeedLegacyHistoryGivesAFreshTenantAWeekOfNotices(t *testing.T) {
	t.Parallel()
	c := newClock()
	ten, srv := start(t, Config{Now: c.Now})
	if n := ten.SeedLegacyHistory(); n != 28 {
		t.Fatalf("seeded %d", n)
	}
	if n := ten.SeedLegacyHistory(); n != 0 {
		t.Fatalf("a second seeding wrote %d", n)
	}
	per := map[string]int{}
	for _, e := range ten.Logs() {
		if e.Type != LogTypeDepnote || !e.Date.Before(c.Now().Truncate(time.Hour)) || e.Date.Before(c.Now().AddDate(0, 0, -8)) {
			t.Fatalf("%+v", e)
		}
		per[e.ClientID+" "+e.Details["feature"].(map[string]any)["id"].(string)]++
	}
	if per["demo-native-app "+FeatureDelegation] != 21 || per["demo-web-app "+FeatureTokeninfo] != 5 || per["demo-web-app "+FeatureRO] != 2 || len(per) != 3 {
		t.Fatalf("notices %v", per)
	}
	post(t, srv, "/delegation", legacyCalls(t, ten)["/delegation"], "", "")
	if n := len(ten.Logs()); n != 29 {
		t.Fatalf("a live call after the seeding: %d notices", n)
	}
}
