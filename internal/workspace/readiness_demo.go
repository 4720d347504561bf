package workspace

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/tokenscope/tokenscope/internal/demotenant"
	"github.com/tokenscope/tokenscope/internal/httpx"
	"github.com/tokenscope/tokenscope/internal/oauth"
	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/secrets"
)

// LegacyReplay is one legacy call of the demo's applications replayed on
// the demo tenant with its legacy flags on and then off, next to the
// migrated twin that replaces it.
type LegacyReplay struct {
	Endpoint string `json:"endpoint"`
	ClientID string `json:"client_id"`
	// Statuses of the legacy call with the flags on and off, and what the
	// tenant answered when off.
	FlagsOn       int    `json:"flags_on_status"`
	FlagsOff      int    `json:"flags_off_status"`
	FlagsOffError string `json:"flags_off_error,omitempty"`
	// Twin is the request that replaces it; TwinStatus its status with the
	// flags off (0 when the demo tenant serves no twin).
	Twin       string `json:"twin"`
	TwinStatus int    `json:"twin_status"`
	// Works says whether the call's job still gets done with the flags
	// off: by the legacy call itself, or by its twin.
	Verdict string `json:"verdict"`
}

// ReadinessOnDemo runs the whole readiness report against a fresh embedded
// demo tenant: its first run seeds a week of legacy calls from its demo
// applications, a Management API profile reads them, and the rehearsal
// replays the legacy calls, switches the tenant's legacy flags off through
// the Management API, and replays them again next to their migrated twins.
// Nothing of the user's profiles or keyring is used or touched.
func ReadinessOnDemo(ctx context.Context, o ReadinessOptions) (ReadinessReport, error) {
	ten, err := demotenant.New(demotenant.Config{Policies: demotenant.DemoPolicies(), Logf: func(string, ...any) {}})
	if err != nil {
		return ReadinessReport{}, err
	}
	srv, err := demotenant.Start(ten, "", false)
	if err != nil {
		return ReadinessReport{}, fmt.Errorf("starting the demo tenant: %w", err)
	}
	defer srv.Close()
	ten.SeedLegacyHistory()
	dir, err := os.MkdirTemp("", "tokenscope-readiness-")
	if err != nil {
		return ReadinessReport{}, err
	}
	defer os.RemoveAll(dir)
	w := New(filepath.Join(dir, "profiles.json"), &secrets.Memory{})
	mc := ten.ManagementClient()
	p := profiles.Profile{Name: "demo-mgmt", Issuer: ten.Issuer(), ClientID: mc.ID, Auth: mc.Auth, Audience: ten.ManagementAudience(), Demo: true}
	if _, err := w.Save(SaveRequest{Profile: p, ClientSecret: Store(mc.Secret)}); err != nil {
		return ReadinessReport{}, err
	}
	rep, err := w.Readiness(ctx, p.Name, o)
	if err != nil {
		return rep, err
	}
	rep.Rehearsal, err = w.rehearseFlagsOff(ctx, ten)
	return rep, err
}

// legacyCall is one legacy request of a demo application and its twin.
type legacyCall struct {
	endpoint, clientID string
	form               url.Values
	twin               string
	sendTwin           func(ctx context.Context) (int, error)
}

// rehearseFlagsOff replays the demo applications' legacy calls with the
// flags on, switches them off through the Management API (PATCH
// /api/v2/tenants/settings), and replays each next to its twin.
func (w *Workspace) rehearseFlagsOff(ctx context.Context, ten *demotenant.Tenant) ([]LegacyReplay, error) {
	iss := ten.Issuer()
	grants, err := ten.Grants()
	if err != nil {
		return nil, err
	}
	var native, web demotenant.ClientGrant
	for _, g := range grants {
		switch g.Auth {
		case "none":
			native = g
		case "post":
			web = g
		}
	}
	refreshTwin := func(rt string) func(ctx context.Context) (int, error) {
		return func(ctx context.Context) (int, error) {
			return w.postForm(ctx, iss+"oauth/token", url.Values{"grant_type": {"refresh_token"}, "client_id": {native.ID}, "refresh_token": {rt}})
		}
	}
	// A fresh refresh token and an ID token and access token for the calls.
	rt, err := ten.MintRefreshToken(native.ID, "openid offline_access", "")
	if err != nil {
		return nil, err
	}
	rt2, _ := ten.MintRefreshToken(native.ID, "openid offline_access", "")
	var tok struct {
		IDToken     string `json:"id_token"`
		AccessToken string `json:"access_token"`
	}
	if err := w.postJSON(ctx, iss+"oauth/token", url.Values{"grant_type": {"refresh_token"}, "client_id": {native.ID}, "refresh_token": {rt2}}, &tok); err != nil {
		return nil, err
	}
	calls := []legacyCall{
		{endpoint: "/delegation", clientID: native.ID, twin: "POST /oauth/token grant_type=refresh_token",
			form:     url.Values{"grant_type": {oauth.GrantJWTBearer}, "client_id": {native.ID}, "refresh_token": {rt}, "api_type": {"app"}, "scope": {"openid"}},
			sendTwin: refreshTwin(rt)},
		{endpoint: "/oauth/ro", clientID: web.ID, twin: "POST /oauth/token grant_type=http://auth0.com/oauth/grant-type/password-realm (the demo tenant does not serve it: sign in with the authorization code flow instead)",
			form: url.Values{"grant_type": {"password"}, "client_id": {web.ID}, "username": {ten.User().Email}, "password": {demotenant.DemoUserPassword},
				"connection": {"Username-Password-Authentication"}, "scope": {"openid"}}},
		{endpoint: "/tokeninfo", clientID: native.ID, twin: "GET /userinfo with the access token",
			form: url.Values{"id_token": {tok.IDToken}},
			sendTwin: func(ctx context.Context) (int, error) {
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, iss+"userinfo", nil)
				req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
				return w.do(req)
			}},
	}
	out := make([]LegacyReplay, len(calls))
	for i, c := range calls {
		out[i] = LegacyReplay{Endpoint: c.endpoint, ClientID: c.clientID, Twin: c.twin}
		if out[i].FlagsOn, err = w.postForm(ctx, iss+strings.TrimPrefix(c.endpoint, "/"), c.form); err != nil {
			return out, err
		}
	}
	if err := w.switchLegacyFlagsOff(ctx, ten); err != nil {
		return out, err
	}
	for i, c := range calls {
		var answer struct {
			Error            string `json:"error"`
			ErrorDescription string `json:"error_description"`
		}
		status, body, err := w.send(ctx, iss+strings.TrimPrefix(c.endpoint, "/"), c.form)
		if err != nil {
			return out, err
		}
		_ = json.Unmarshal(body, &answer)
		out[i].FlagsOff = status
		out[i].FlagsOffError = strings.TrimSpace(answer.Error + " " + answer.ErrorDescription)
		if c.sendTwin != nil {
			if out[i].TwinStatus, err = c.sendTwin(ctx); err != nil {
				return out, err
			}
		}
		switch {
		case out[i].FlagsOff == http.StatusOK:
			out[i].Verdict = "still works with the flags off"
		case out[i].TwinStatus == http.StatusOK:
			out[i].Verdict = "refused with the flags off; its migrated twin works"
		default:
			out[i].Verdict = "refused with the flags off, and no twin works here: migrate it before switching the flag off"
		}
	}
	return out, nil
}

// switchLegacyFlagsOff turns the three legacy flags off through the
// tenant's Management API, as an administrator would.
func (w *Workspace) switchLegacyFlagsOff(ctx context.Context, ten *demotenant.Tenant) error {
	mc := ten.ManagementClient()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := w.postJSON(ctx, ten.Issuer()+"oauth/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {mc.ID}, "client_secret": {mc.Secret},
		"audience": {ten.ManagementAudience()}, "scope": {"update:tenant_settings"}}, &tok); err != nil {
		return fmt.Errorf("a Management API token to switch the flags off: %w", err)
	}
	body := fmt.Sprintf(`{"flags":{%q:false,%q:false,%q:false}}`, FlagDelegation, FlagRO, FlagTokeninfo)
	req, _ := http.NewRequestWithContext(ctx, http.MethodPatch, ten.ManagementAudience()+"tenants/settings", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	req.Header.Set("Content-Type", "application/json")
	status, err := w.do(req)
	if err == nil && status != http.StatusOK {
		err = fmt.Errorf("PATCH /api/v2/tenants/settings answered HTTP %d", status)
	}
	return err
}

// send posts a form and returns the status and body (capped).
func (w *Workspace) send(ctx context.Context, u string, form url.Values) (int, []byte, error) {
	if _, err := httpx.CheckEndpointURL(u); err != nil {
		return 0, nil, err
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := w.HTTP.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("could not reach %s: %s", u, httpx.Describe(err))
	}
	defer resp.Body.Close()
	b, err := httpx.ReadBody(resp.Body, httpx.MaxBody)
	return resp.StatusCode, b, err
}

func (w *Workspace) postForm(ctx context.Context, u string, form url.Values) (int, error) {
	status, _, err := w.send(ctx, u, form)
	return status, err
}

func (w *Workspace) postJSON(ctx context.Context, u string, form url.Values, v any) error {
	status, b, err := w.send(ctx, u, form)
	if err != nil {
		return err
	}
	if status != http.StatusOK {
		return fmt.Errorf("%s answered HTTP %d: %.200s", u, status, b)
	}
	return json.Unmarshal(b, v)
}

func (w *Workspace) do(req *http.Request) (int, error) {
	if _, err := httpx.CheckEndpointURL(req.URL.String()); err != nil {
		return 0, err
	}
	resp, err := w.HTTP.Do(req)
	if err != nil {
		return 0, fmt.Errorf("could not reach %s: %s", req.URL.Redacted(), httpx.Describe(err))
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}
