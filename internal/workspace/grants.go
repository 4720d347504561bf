package workspace

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/tokenscope/tokenscope/internal/exchange"
	"github.com/tokenscope/tokenscope/internal/httpx"
	"github.com/tokenscope/tokenscope/internal/oauth"
	"github.com/tokenscope/tokenscope/internal/secrets"
)

// DeviceCode is what a person needs to approve a device sign-in.
type DeviceCode struct {
	UserCode, VerificationURI, VerificationURIComplete string
	Expires                                            time.Time
}

// LoginDevice signs in with the device authorization grant (RFC 8628):
// onCode shows the user code and verification URI, then the token
// endpoint is polled at the server's interval, slower after slow_down
// (x/oauth2 does both), until the user decides or the code expires.
func (w *Workspace) LoginDevice(ctx context.Context, name string, o LoginOptions, onCode func(DeviceCode)) LoginResult {
	l, m, res := w.prepareSignIn(ctx, name)
	if res.Err != nil {
		return res
	}
	if m.DeviceAuthorizationEndpoint == "" {
		res.Err = fmt.Errorf("%s lists no device_authorization_endpoint: this provider has no device grant; sign in through the browser instead", l.Profile.Issuer)
		return res
	}
	scope := strings.Fields(firstNonEmpty(o.Scope, l.Profile.Scope, DefaultLoginScope))
	cfg := oauthConfig(l, m, "", scope)
	hctx := context.WithValue(ctx, oauth2.HTTPClient, w.HTTP)
	var opts []oauth2.AuthCodeOption
	if aud := firstNonEmpty(o.Audience, l.Profile.Audience); aud != "" {
		opts = append(opts, oauth2.SetAuthURLParam("audience", aud))
	}
	for k, v := range o.Params {
		opts = append(opts, oauth2.SetAuthURLParam(k, v))
	}
	// RFC 8628 §3.1: RFC 6749 §3.2.1's client authentication applies to
	// the device authorization request too; x/oauth2's DeviceAuth sends
	// client_id alone, so the secret is added here, the way the token
	// request sends it.
	dctx := hctx
	switch oauth.AuthMethod(l.Profile.Auth) {
	case oauth.AuthPost:
		opts = append(opts, oauth2.SetAuthURLParam("client_secret", l.ClientSecret))
	case oauth.AuthBasic:
		dctx = context.WithValue(ctx, oauth2.HTTPClient, withBasicAuth(w.HTTP, m.DeviceAuthorizationEndpoint, l.Profile.ClientID, l.ClientSecret))
	}
	da, err := cfg.DeviceAuth(dctx, opts...)
	if err != nil {
		res.Err = explainTokenError(err, oauth.AuthMethod(l.Profile.Auth))
		return res
	}
	// The verification URIs are shown as links and QR codes and opened:
	// the same rule as an authorization URL (https, or http to loopback).
	for _, u := range []string{da.VerificationURI, da.VerificationURIComplete} {
		if u == "" {
			continue
		}
		if _, err := httpx.CheckBrowserURL(u); err != nil {
			res.Err = fmt.Errorf("the device authorization answer of %s names a verification URI that is not shown: %w", l.Profile.Issuer, err)
			return res
		}
	}
	if da.VerificationURI == "" {
		res.Err = fmt.Errorf("the device authorization answer of %s has no verification_uri (RFC 8628 §3.2): there is nowhere to approve the code", l.Profile.Issuer)
		return res
	}
	if onCode != nil {
		onCode(DeviceCode{UserCode: da.UserCode, VerificationURI: da.VerificationURI, VerificationURIComplete: da.VerificationURIComplete, Expires: da.Expiry})
	}
	timeout := o.Timeout
	if timeout <= 0 || !da.Expiry.IsZero() && time.Until(da.Expiry) < timeout {
		timeout = time.Until(da.Expiry)
	}
	if timeout <= 0 {
		timeout = DefaultLoginTimeout
	}
	pctx, cancel := context.WithTimeout(hctx, timeout)
	defer cancel()
	start := time.Now()
	tok, err := cfg.DeviceAccessToken(pctx, da)
	if err != nil {
		switch {
		case errors.Is(pctx.Err(), context.DeadlineExceeded):
			res.Err = &LoginError{Code: "expired_token", Hint: "nobody approved the device in time: start again"}
		case errors.Is(ctx.Err(), context.Canceled):
			res.Err = &LoginError{Hint: "the sign-in was cancelled"}
		default:
			res.Err = explainDeviceError(err, oauth.AuthMethod(l.Profile.Auth))
		}
		return res
	}
	res.Response = responseOf(tok, time.Since(start))
	id, err := w.checkIDToken(ctx, l, m, res.Response, idExpect{scope: scope})
	if err != nil {
		res.Response, res.Err = nil, err
		return res
	}
	res.Subject, res.Issuer = id.sub, id.iss
	res.Err = w.storeSignIn(ctx, name, res.Response)
	w.record(name, m.TokenEndpoint, start, res.Response, nil)
	return res
}

// withBasicAuth is client with HTTP Basic client authentication (RFC 6749
// §2.3.1: ID and secret form-encoded first) on requests to endpoint only.
func withBasicAuth(client *http.Client, endpoint, id, secret string) *http.Client {
	c := *client
	base := c.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	c.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.URL.String() == endpoint {
			r = r.Clone(r.Context())
			r.SetBasicAuth(url.QueryEscape(id), url.QueryEscape(secret))
		}
		return base.RoundTrip(r)
	})
	return &c
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func explainDeviceError(err error, auth oauth.AuthMethod) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		switch re.ErrorCode {
		case "access_denied":
			return &LoginError{Code: re.ErrorCode, Description: re.ErrorDescription, Hint: "the device was denied on the activation page: nothing was stored"}
		case "expired_token":
			return &LoginError{Code: re.ErrorCode, Description: re.ErrorDescription, Hint: "the code expired before anyone approved it: start again"}
		}
	}
	return explainTokenError(err, auth)
}

// ClientCredentials runs the client credentials grant for a machine-to-
// machine profile (Auth0 needs an audience: the profile's or audience).
// The profile's scope is for user sign-in and is not sent: without scope,
// Auth0 grants every scope the client is authorized for on the API.
func (w *Workspace) ClientCredentials(ctx context.Context, name, audience, scope string) RefreshResult {
	l, err := w.Load(ctx, name)
	if err != nil {
		return RefreshResult{Err: err}
	}
	res := RefreshResult{Profile: l.Profile}
	if l.EndpointErr != nil {
		res.Err = l.EndpointErr
		return res
	}
	if l.SecretsErr != nil {
		res.Err = l.SecretsErr
		return res
	}
	r := exchange.Request{Grant: "client_credentials", TokenURL: l.TokenURL, ClientID: l.Profile.ClientID, Auth: oauth.AuthMethod(l.Profile.Auth),
		ClientSecret: l.ClientSecret, Audience: firstNonEmpty(audience, l.Profile.Audience), Scope: scope, Params: l.Profile.Params}
	if r.Auth == oauth.AuthNone {
		res.Err = fmt.Errorf("profile %s authenticates with none: the client credentials grant needs a confidential application (post or basic) and its secret", name)
		return res
	}
	if r.Audience == "" {
		res.Err = errors.New("the client credentials grant needs an audience (Auth0 has no default): give --audience or set it on the profile")
		return res
	}
	res.Request = r
	if res.Err = r.Validate(); res.Err != nil {
		return res
	}
	start := time.Now()
	res.Sent = true
	res.Response, res.Err = w.Exchange.Refresh(ctx, name, r, nil)
	w.record(name, r.TokenURL, start, res.Response, res.Err)
	return res
}

// UserinfoResult is a /userinfo answer.
type UserinfoResult struct {
	Endpoint string
	Status   int
	Claims   map[string]any
	Err      error
}

// Userinfo calls the profile's userinfo endpoint with an access token.
func (w *Workspace) Userinfo(ctx context.Context, name, accessToken string) UserinfoResult {
	p, err := w.Profiles.Get(name)
	if err != nil {
		return UserinfoResult{Err: err}
	}
	m, err := w.Discover(ctx, p.Issuer)
	if err != nil {
		return UserinfoResult{Err: fmt.Errorf("discovering %s: %w", p.Issuer, err)}
	}
	res := UserinfoResult{Endpoint: m.UserinfoEndpoint}
	if m.UserinfoEndpoint == "" {
		res.Err = fmt.Errorf("%s lists no userinfo_endpoint", p.Issuer)
		return res
	}
	if _, err := httpx.CheckEndpointURL(m.UserinfoEndpoint); err != nil {
		res.Err = err
		return res
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, m.UserinfoEndpoint, nil)
	req.Header.Set("Authorization", "Bearer "+accessToken)
	req.Header.Set("Accept", "application/json")
	resp, err := w.HTTP.Do(req)
	if err != nil {
		res.Err = fmt.Errorf("could not reach %s: %w", m.UserinfoEndpoint, err)
		return res
	}
	defer resp.Body.Close()
	res.Status = resp.StatusCode
	body, err := httpx.ReadBody(resp.Body, httpx.MaxBody)
	if err != nil {
		res.Err = err
		return res
	}
	if resp.StatusCode != http.StatusOK {
		hint := "the access token was refused"
		if wa := resp.Header.Get("WWW-Authenticate"); wa != "" {
			hint += " (" + wa + ")"
		}
		res.Err = fmt.Errorf("%s answered %s: %s; /userinfo takes an access token issued with the openid scope, for this tenant, not expired", m.UserinfoEndpoint, resp.Status, hint)
		return res
	}
	if err := json.Unmarshal(body, &res.Claims); err != nil {
		res.Err = fmt.Errorf("%s did not answer JSON: %w", m.UserinfoEndpoint, err)
	}
	return res
}

// Revoke revokes the profile's stored refresh token (RFC 7009) and removes
// it from the keyring only after the server accepted the revocation.
func (w *Workspace) Revoke(ctx context.Context, name string) (endpoint string, err error) {
	unlock, err := w.LockProfile(ctx, name, DefaultWait, nil)
	if err != nil {
		return "", err
	}
	defer unlock()
	l, err := w.Load(ctx, name)
	if err != nil {
		return "", err
	}
	if l.SecretsErr != nil {
		return "", l.SecretsErr
	}
	if l.RefreshToken == "" {
		return "", fmt.Errorf("profile %s has no refresh token in the keyring: nothing to revoke", name)
	}
	m, err := w.Discover(ctx, l.Profile.Issuer)
	if err != nil {
		return "", fmt.Errorf("discovering %s: %w", l.Profile.Issuer, err)
	}
	if m.RevocationEndpoint == "" {
		return "", fmt.Errorf("%s lists no revocation_endpoint", l.Profile.Issuer)
	}
	if _, err := httpx.CheckEndpointURL(m.RevocationEndpoint); err != nil {
		return m.RevocationEndpoint, err
	}
	form := url.Values{"token": {l.RefreshToken}, "token_type_hint": {"refresh_token"}, "client_id": {l.Profile.ClientID}}
	auth := oauth.AuthMethod(l.Profile.Auth)
	if auth == oauth.AuthPost {
		form.Set("client_secret", l.ClientSecret)
	}
	if auth == oauth.AuthBasic {
		form.Del("client_id")
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, m.RevocationEndpoint, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if auth == oauth.AuthBasic {
		req.SetBasicAuth(url.QueryEscape(l.Profile.ClientID), url.QueryEscape(l.ClientSecret))
	}
	resp, err := w.HTTP.Do(req)
	if err != nil {
		return m.RevocationEndpoint, fmt.Errorf("could not reach %s: %w; the refresh token is still stored", m.RevocationEndpoint, err)
	}
	defer resp.Body.Close()
	body, _ := httpx.ReadBody(resp.Body, httpx.MaxBody)
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error            string `json:"error"`
			ErrorDescription string `json:"error_description"`
		}
		_ = json.Unmarshal(body, &e)
		hint := exchange.Explain(resp.StatusCode, e.Error, e.ErrorDescription, resp.Header, auth)
		return m.RevocationEndpoint, fmt.Errorf("%s refused the revocation (%s %s %s): %s; the refresh token is still stored", m.RevocationEndpoint, resp.Status, e.Error, e.ErrorDescription, hint)
	}
	w.noteFamily(name, func(f *Family, now time.Time) { f.revoked(l.RefreshToken, now) })
	if err := w.Secrets.Delete(name, secrets.RefreshToken); err != nil && !errors.Is(err, secrets.ErrNotFound) {
		return m.RevocationEndpoint, fmt.Errorf("revoked at the server, but the keyring entry could not be removed: %w", err)
	}
	return m.RevocationEndpoint, nil
}
