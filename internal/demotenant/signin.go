package demotenant

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/tokenscope/tokenscope/internal/httpx"
)

// DeviceCodeGrant is RFC 8628's grant type.
const DeviceCodeGrant = "urn:ietf:params:oauth:grant-type:device_code"

// WebCallback is the demo web app's one Allowed Callback URL: confidential
// clients need an exact match, so a profile for it names this redirect URI.
const WebCallback = "http://127.0.0.1:53682/callback"

// authzRequest is a pending /authorize: what the login page will decide.
type authzRequest struct {
	client                 *Client
	redirect, state, nonce string
	scope                  []string
	audience, challenge    string
	expires                time.Time
	// wantsAuthTime: the request had max_age or prompt=login, the two that
	// make Auth0 put auth_time in the ID token.
	wantsAuthTime bool
}

type authCode struct {
	req      *authzRequest
	expires  time.Time
	authTime time.Time // when the user pressed Continue
}

type deviceRequest struct {
	client            *Client
	scope             []string
	audience          string
	userCode          string
	expires, lastPoll time.Time
	interval          time.Duration
	approved, denied  bool
}

// callbackAllowed matches redirect against a client's Allowed Callback
// URLs: exactly, except that a native client's loopback callback may come
// on any port (RFC 8252 §7.3: "The authorization server MUST allow any
// port to be specified at the time of the request for loopback IP redirect
// URIs").
//
// A redirect URI with a fragment is never allowed: "The endpoint URI MUST
// NOT include a fragment component" (RFC 6749 §3.1.2).
func callbackAllowed(c *Client, redirect string) bool {
	u, err := url.Parse(redirect)
	if err != nil || strings.Contains(redirect, "#") {
		return false
	}
	if slices.Contains(c.Callbacks, redirect) {
		return true
	}
	if c.Auth != "none" || u.Scheme != "http" || !httpx.IsLoopback(u.Hostname()) {
		return false
	}
	for _, cb := range c.Callbacks {
		if v, err := url.Parse(cb); err == nil && v.Scheme == "http" && v.Hostname() == u.Hostname() && v.Path == u.Path && v.Port() == "" {
			return true
		}
	}
	return false
}

var pageTmpl = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>body{font:16px system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222}
button{font:inherit;padding:.6rem 1.2rem;margin:.3rem .3rem 0 0;border-radius:6px;border:1px solid #888;cursor:pointer}
.primary{background:#3b5bdb;color:#fff;border-color:#3b5bdb}.note{color:#555;font-size:.9rem}input{font:inherit;padding:.5rem}</style></head>
<body><h1>{{.Title}}</h1>{{range .Lines}}<p>{{.}}</p>{{end}}
{{if .Form}}<form method="post" action="{{.Action}}">{{range $k, $v := .Hidden}}<input type="hidden" name="{{$k}}" value="{{$v}}">{{end}}
{{if .CodeField}}<p><label>Code <input id="user_code" name="user_code" value="{{.Code}}" autocomplete="off"></label></p>{{end}}
<button id="continue" class="primary" name="decision" value="allow">{{.Allow}}</button>
<button id="cancel" name="decision" value="deny">Cancel</button></form>{{end}}
<p class="note">Tokenscope demo tenant — every token here is made on this machine.</p></body></html>`))

type page struct {
	Title, Action, Allow, Code string
	Lines                      []string
	Form, CodeField            bool
	Hidden                     map[string]string
}

func renderPage(w http.ResponseWriter, status int, p page) {
	noFraming(w.Header())
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = pageTmpl.Execute(w, p)
}

// authorize is GET /authorize (response_type=code): it checks the client
// and redirect URI, requires PKCE S256 for public clients, and shows the
// demo login page. Errors before the redirect URI is trusted are shown on
// the page; after, they go back to it (RFC 6749 §4.1.2.1).
func (t *Tenant) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	t.mu.Lock()
	c, ok := t.clients[q.Get("client_id")]
	t.mu.Unlock()
	if !ok || !c.CodeGrant {
		renderPage(w, 400, page{Title: "Unknown application", Lines: []string{"No application with the client ID " + q.Get("client_id") + " can sign in here."}})
		return
	}
	redirect := q.Get("redirect_uri")
	if !callbackAllowed(c, redirect) {
		renderPage(w, 400, page{Title: "Callback URL mismatch", Lines: []string{redirect + " is not in the list of Allowed Callback URLs of " + c.Name + "."}})
		return
	}
	if err := t.limit(w, "authorize|"+c.ID, t.cfg.AuthorizeRate); err != nil {
		writeAPIError(w, err)
		return
	}
	fail := func(code, desc string) {
		v := url.Values{"error": {code}, "error_description": {desc}}
		if s := q.Get("state"); s != "" {
			v.Set("state", s)
		}
		http.Redirect(w, r, callbackURL(redirect, v), http.StatusFound)
	}
	if q.Get("response_type") != "code" {
		fail("unsupported_response_type", "The demo tenant supports response_type=code.")
		return
	}
	challenge, method := q.Get("code_challenge"), q.Get("code_challenge_method")
	switch {
	case challenge == "" && c.Auth == "none":
		fail("invalid_request", "Parameter 'code_challenge' is required for public clients (PKCE).")
		return
	case challenge != "" && method != "S256":
		fail("invalid_request", "code_challenge_method must be S256.")
		return
	}
	scope := strings.Fields(q.Get("scope"))
	if len(scope) == 0 {
		scope = []string{"openid"}
	}
	now := t.cfg.Now()
	req := &authzRequest{client: c, redirect: redirect, state: q.Get("state"), nonce: q.Get("nonce"), scope: scope,
		audience: q.Get("audience"), challenge: challenge, expires: now.Add(t.cfg.PendingLifetime),
		wantsAuthTime: q.Has("max_age") || slices.Contains(strings.Fields(q.Get("prompt")), "login")}
	id := randomString(24)
	t.mu.Lock()
	room := t.admitLocked(func() int { return len(t.authz) }, t.cfg.MaxPending, now)
	if room {
		t.authz[id] = req
	} else {
		t.logOnceAMinuteLocked("full|authz", now, "%d sign-ins are waiting on the login page, the most it keeps: answering /authorize with 429 too_many_requests until some finish or expire (after %s)", len(t.authz), t.cfg.PendingLifetime)
	}
	t.mu.Unlock()
	if !room {
		writeAPIError(w, tooMany("sign-ins"))
		return
	}
	lines := []string{c.Name + " asks to sign you in as " + t.user.Name + " (" + t.user.Email + ")."}
	if slices.Contains(scope, "offline_access") {
		lines = append(lines, "It also asks for offline_access: a refresh token, so it can stay signed in.")
	}
	lines = append(lines, "Scopes: "+strings.Join(scope, " ")+".")
	renderPage(w, 200, page{Title: "Sign in to the demo tenant", Lines: lines, Form: true, Action: "/authorize/decide",
		Allow: "Continue as the demo user", Hidden: map[string]string{"request": id}})
}

// decide is the login page's answer: a code, or access_denied.
func (t *Tenant) decide(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	t.mu.Lock()
	req, ok := t.authz[r.PostForm.Get("request")]
	delete(t.authz, r.PostForm.Get("request"))
	t.mu.Unlock()
	if !ok || t.cfg.Now().After(req.expires) {
		renderPage(w, 400, page{Title: "This sign-in expired", Lines: []string{"Start again from the application."}})
		return
	}
	v := url.Values{}
	if req.state != "" {
		v.Set("state", req.state)
	}
	if r.PostForm.Get("decision") != "allow" {
		v.Set("error", "access_denied")
		v.Set("error_description", "The user cancelled the sign-in.")
	} else {
		code := randomString(32)
		now := t.cfg.Now()
		t.mu.Lock()
		room := t.admitLocked(func() int { return len(t.codes) }, t.cfg.MaxPending, now)
		if room {
			t.codes[code] = &authCode{req: req, expires: now.Add(t.cfg.CodeLifetime), authTime: now}
		} else {
			t.logOnceAMinuteLocked("full|codes", now, "%d authorization codes are waiting to be redeemed, the most it keeps: answering with 429 too_many_requests until some are redeemed or expire (after %s)", len(t.codes), t.cfg.CodeLifetime)
		}
		t.mu.Unlock()
		if !room {
			writeAPIError(w, tooMany("authorization codes"))
			return
		}
		v.Set("code", code)
	}
	http.Redirect(w, r, callbackURL(req.redirect, v), http.StatusFound)
}

// codeGrant redeems an authorization code: once, by the client it was
// issued to, with the same redirect URI and the PKCE verifier.
func (t *Tenant) codeGrant(c *Client, p url.Values) (any, *apiError) {
	code := p.Get("code")
	if code == "" {
		return nil, missing("code")
	}
	t.mu.Lock()
	ac, ok := t.codes[code]
	delete(t.codes, code) // single use, whatever happens next
	t.mu.Unlock()
	switch {
	case !ok || t.cfg.Now().After(ac.expires) || ac.req.client.ID != c.ID:
		return nil, errorf(403, "invalid_grant", "Invalid authorization code")
	case p.Get("redirect_uri") != ac.req.redirect:
		return nil, errorf(403, "invalid_grant", "Redirect URI mismatch: it must be the one sent to /authorize")
	case ac.req.challenge != "":
		sum := sha256.Sum256([]byte(p.Get("code_verifier")))
		if subtle.ConstantTimeCompare([]byte(base64.RawURLEncoding.EncodeToString(sum[:])), []byte(ac.req.challenge)) != 1 {
			return nil, errorf(403, "invalid_grant", "Failed to verify code verifier")
		}
	}
	var authTime time.Time
	if ac.req.wantsAuthTime {
		authTime = ac.authTime
	}
	return t.issue(c, ac.req.scope, ac.req.audience, ac.req.nonce, authTime)
}

// issue mints the tokens of a sign-in: an access token, an ID token (with
// openid) and, with offline_access, the first refresh token of a family.
func (t *Tenant) issue(c *Client, scope []string, audience, nonce string, authTime time.Time) (map[string]any, *apiError) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.cfg.Now()
	sid := randomString(16)
	access, err := t.accessToken(c, scope, audience, now)
	if err != nil {
		return nil, errorf(500, "server_error", "%v", err)
	}
	resp := map[string]any{"access_token": access, "token_type": "Bearer", "expires_in": int(t.cfg.AccessTokenLifetime.Seconds()), "scope": strings.Join(scope, " ")}
	if slices.Contains(scope, "openid") {
		id, err := t.idToken(c.ID, scope, sid, access, nonce, authTime, now)
		if err != nil {
			return nil, errorf(500, "server_error", "%v", err)
		}
		resp["id_token"] = id
	}
	if slices.Contains(scope, "offline_access") && c.RefreshGrant {
		f := &family{id: randomString(12), clientID: c.ID, scope: scope, audience: audience, created: now, sid: sid}
		t.families[f.id] = f
		resp["refresh_token"] = t.newRefreshToken(f, now)
	}
	return resp, nil
}

// clientCredentials is the machine-to-machine grant. Auth0 needs an
// audience for it (there is no default audience on the demo tenant).
func (t *Tenant) clientCredentials(c *Client, p url.Values) (any, *apiError) {
	aud := p.Get("audience")
	if aud == "" {
		return nil, errorf(403, "access_denied", "No audience parameter was provided, and no default audience has been configured")
	}
	if aud == t.ManagementAudience() {
		granted, err := t.managementGrant(c, aud, p.Get("scope"))
		if err != nil {
			return nil, err
		}
		return t.machineToken(c, aud, granted)
	}
	if aud != APIAudience {
		return nil, errorf(403, "access_denied", "Service not found: %s", aud)
	}
	if len(c.ManagementScopes) > 0 {
		// The Management application has a client grant for that API only.
		_, err := t.managementGrant(&Client{}, aud, "")
		return nil, err
	}
	scope := APIScopes
	if s := p.Get("scope"); s != "" {
		scope = strings.Fields(s)
		for _, x := range scope {
			if !slices.Contains(APIScopes, x) {
				return nil, errorf(403, "access_denied", "Client has not been granted scopes: %s", x)
			}
		}
	}
	return t.machineToken(c, aud, scope)
}

// machineToken is a client-credentials access token: sub CLIENT_ID@clients,
// gty client-credentials, the granted scopes in scope.
func (t *Tenant) machineToken(c *Client, aud string, scope []string) (any, *apiError) {
	now := t.cfg.Now()
	tok, err := t.sign(map[string]any{"iss": t.Issuer(), "sub": c.ID + "@clients", "aud": aud, "iat": now.Unix(),
		"exp": now.Add(t.cfg.AccessTokenLifetime).Unix(), "azp": c.ID, "scope": strings.Join(scope, " "), "gty": "client-credentials", "jti": randomHex(8)})
	if err != nil {
		return nil, errorf(500, "server_error", "%v", err)
	}
	return map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": int(t.cfg.AccessTokenLifetime.Seconds()), "scope": strings.Join(scope, " ")}, nil
}

// DeviceInterval is how often a device may poll unless Config says
// otherwise (Auth0's default, 5 s).
const DeviceInterval = 5 * time.Second

// deviceCode is POST /oauth/device/code
// (https://auth0.com/docs/api/authentication/device-authorization-flow/authorize-device).
func (t *Tenant) deviceCode(w http.ResponseWriter, r *http.Request) (any, *apiError) {
	p, err := params(r)
	if err != nil {
		return nil, err
	}
	c, err := t.client(p.Get("client_id"))
	if err != nil {
		return nil, err
	}
	if !c.DeviceGrant {
		return nil, &apiError{status: 403, code: "unauthorized_client", desc: "Grant type '" + DeviceCodeGrant + "' not allowed for the client.",
			uri: "https://auth0.com/docs/clients/client-grant-types"}
	}
	if err := t.limit(w, "device|"+c.ID, t.cfg.DeviceCodeRate); err != nil {
		return nil, err
	}
	scope := strings.Fields(p.Get("scope"))
	if len(scope) == 0 {
		scope = []string{"openid"}
	}
	now := t.cfg.Now()
	user := strings.ToUpper(randomHex(2) + "-" + randomHex(2))
	d := &deviceRequest{client: c, scope: scope, audience: p.Get("audience"), userCode: user, expires: now.Add(t.cfg.DeviceCodeLifetime), interval: t.cfg.DeviceInterval}
	device := randomString(40)
	t.mu.Lock()
	room := t.admitLocked(func() int { return len(t.devices) }, t.cfg.MaxDeviceCodes, now)
	if room {
		t.devices[device] = d
	} else {
		t.logOnceAMinuteLocked("full|devices", now, "%d device codes are waiting for a user, the most it keeps: answering /oauth/device/code with 429 too_many_requests until some are used or expire (after %s)", len(t.devices), t.cfg.DeviceCodeLifetime)
	}
	iss := t.issuer
	t.mu.Unlock()
	if !room {
		return nil, tooMany("device codes")
	}
	return map[string]any{"device_code": device, "user_code": user, "verification_uri": iss + "activate",
		"verification_uri_complete": iss + "activate?user_code=" + url.QueryEscape(user),
		"expires_in":                int(t.cfg.DeviceCodeLifetime.Seconds()), "interval": int(d.interval.Seconds())}, nil
}

// deviceGrant answers a device's poll as Auth0 does: 403
// authorization_pending until the user decides, 429 slow_down when it polls
// faster than the interval, then the tokens, access_denied or expired_token.
func (t *Tenant) deviceGrant(w http.ResponseWriter, c *Client, p url.Values) (any, *apiError) {
	code := p.Get("device_code")
	if code == "" {
		return nil, missing("device_code")
	}
	t.mu.Lock()
	d, ok := t.devices[code]
	now := t.cfg.Now()
	var tooFast bool
	if ok {
		tooFast = !d.lastPoll.IsZero() && now.Sub(d.lastPoll) < d.interval
		d.lastPoll = now
	}
	t.mu.Unlock()
	switch {
	case !ok || d.client.ID != c.ID:
		return nil, errorf(403, "invalid_grant", "Invalid or expired device code.")
	case now.After(d.expires):
		return nil, errorf(403, "expired_token", "The device code has expired.")
	case d.denied:
		return nil, errorf(403, "access_denied", "The user denied the device.")
	case tooFast:
		return nil, errorf(429, "slow_down", "You are polling faster than the specified interval of %d seconds.", int(d.interval.Seconds()))
	case !d.approved:
		return nil, errorf(403, "authorization_pending", "User has yet to authorize device code.")
	}
	t.mu.Lock()
	delete(t.devices, code)
	t.mu.Unlock()
	return t.issue(c, d.scope, d.audience, "", time.Time{})
}

// activate is the page a person opens on another device: type (or
// confirm) the user code, then allow or deny.
func (t *Tenant) activate(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	code := strings.ToUpper(strings.TrimSpace(r.Form.Get("user_code")))
	if r.Method == http.MethodGet {
		renderPage(w, 200, page{Title: "Activate a device", Lines: []string{"Type the code the device shows, then allow it to sign in as " + t.user.Name + "."},
			Form: true, Action: "/activate", Allow: "Allow", CodeField: true, Code: code})
		return
	}
	t.mu.Lock()
	var found *deviceRequest
	for _, d := range t.devices {
		if d.userCode == code && t.cfg.Now().Before(d.expires) {
			found = d
		}
	}
	if found != nil {
		if r.PostForm.Get("decision") == "allow" {
			found.approved = true
		} else {
			found.denied = true
		}
	}
	t.mu.Unlock()
	switch {
	case found == nil:
		renderPage(w, 400, page{Title: "Unknown code", Lines: []string{fmt.Sprintf("No device is waiting for the code %q: check it and try again.", code)},
			Form: true, Action: "/activate", Allow: "Allow", CodeField: true, Code: code})
	case found.approved:
		renderPage(w, 200, page{Title: "Device allowed", Lines: []string{"You can go back to the device: it is signed in."}})
	default:
		renderPage(w, 200, page{Title: "Device denied", Lines: []string{"The device will be told it was denied."}})
	}
}
