package demotenant

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/tokenscope/tokenscope/internal/httpx"
)

// How long what a sign-in leaves behind lives, as Auth0 documents it.
var (
	// PendingLifetime: "Auth0 will enforce a maximum lifetime of 1 hour for
	// redirection-based login flows" — the Authorization Code Flow (with
	// PKCE) and the Device Authorization Flow among them
	// (https://auth0.com/docs/troubleshoot/product-lifecycle/past-migrations/migrate-to-1-hour-expiration).
	PendingLifetime = time.Hour
	// CodeLifetime: Auth0 publishes no lifetime for an authorization code
	// (https://community.auth0.com/t/how-long-is-a-code-valid-for-exchanging-with-tokens/30987
	// answers with RFC 6749 §4.1.2's "maximum ... of 10 minutes is
	// RECOMMENDED"); the demo keeps it at half that.
	CodeLifetime = 5 * time.Minute
	// DeviceCodeLifetime: a device_code and its user_code expire after 15
	// minutes ("expires_in": 900; "Expiration time: 15 minutes",
	// https://auth0.com/docs/get-started/authentication-and-authorization-flow/device-authorization-flow/call-your-api-using-the-device-authorization-flow).
	DeviceCodeLifetime = 15 * time.Minute
)

// The caps on what waits for a person. Auth0 publishes none; a person
// starts a handful of sign-ins an hour, and these keep the demo's tables
// under a megabyte whatever a page or a script sends.
var (
	MaxPending     = 256
	MaxDeviceCodes = 256
)

// Per-client limits on the two endpoints that store something for a
// request nobody authenticated. Auth0 names no separate limit for
// /authorize or /oauth/device/code, so they fall under the Authentication
// API's global limit, 300 requests at once and 300 a minute on a free
// tenant
// (https://auth0.com/docs/troubleshoot/customer-support/operational-policies/rate-limit-policy/rate-limit-configurations/free-public);
// the demo applies it to each client.
var (
	AuthorizeRate  = Rate{Burst: 300, PerMinute: 300}
	DeviceCodeRate = Rate{Burst: 300, PerMinute: 300}
)

// tooMany is the 429 a full table answers, in Auth0's error shape.
func tooMany(what string) *apiError {
	return errorf(429, "too_many_requests", "Too many %s are waiting; try again once some have finished or expired.", what)
}

// admitLocked makes room for one more entry in a table of n entries
// capped at max: it sweeps when a sweep is due, or when the table is full
// (at most once a second, so a flood against a full table does not sweep
// on every request), and says whether there is room. Call it with t.mu held.
func (t *Tenant) admitLocked(n func() int, max int, now time.Time) bool {
	if since := now.Sub(t.lastSweep); since >= t.cfg.SweepEvery || n() >= max && since >= time.Second {
		t.sweepLocked(now)
	}
	return n() < max
}

// sweep removes every expired sign-in, code, device code and opaque
// access token, every refresh-token family past its absolute lifetime or
// revoked, and every rate-limit bucket that has filled up again; it
// returns how many entries went.
func (t *Tenant) sweep() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.sweepLocked(t.cfg.Now())
}

func (t *Tenant) sweepLocked(now time.Time) int {
	removed := 0
	for k, a := range t.authz {
		if now.After(a.expires) {
			delete(t.authz, k)
			removed++
		}
	}
	for k, c := range t.codes {
		if now.After(c.expires) {
			delete(t.codes, k)
			removed++
		}
	}
	for k, d := range t.devices {
		if now.After(d.expires) {
			delete(t.devices, k)
			removed++
		}
	}
	for k, o := range t.opaque {
		if !now.Before(o.expires) {
			delete(t.opaque, k)
			removed++
		}
	}
	ended := map[*family]bool{}
	for k, f := range t.families {
		if f.revoked || t.absoluteExpired(f, now) {
			ended[f] = true
			delete(t.families, k)
			removed++
		}
	}
	if len(ended) > 0 {
		for k, rt := range t.tokens {
			if ended[rt.family] {
				delete(t.tokens, k)
				removed++
			}
		}
	}
	for k, b := range t.buckets {
		if b.tokens+now.Sub(b.at).Seconds()*b.perSecond >= b.burst {
			delete(t.buckets, k) // a new bucket starts full: nothing is lost
			removed++
		}
	}
	for k, at := range t.lastLogged {
		if now.Sub(at) >= time.Minute {
			delete(t.lastLogged, k)
		}
	}
	// A Go map keeps its buckets when its entries go: an emptied table is
	// replaced so a burst's memory can be given back.
	if len(t.authz) == 0 {
		t.authz = map[string]*authzRequest{}
	}
	if len(t.codes) == 0 {
		t.codes = map[string]*authCode{}
	}
	if len(t.devices) == 0 {
		t.devices = map[string]*deviceRequest{}
	}
	if len(t.buckets) == 0 {
		t.buckets = map[string]*bucket{}
	}
	t.lastSweep = now
	return removed
}

// logOnceAMinuteLocked writes to the tenant's log at most once a minute
// for each kind of event, as Auth0 writes its api_limit log: once when a
// limit is hit, again if it still is a minute later
// (https://auth0.com/docs/troubleshoot/customer-support/operational-policies/rate-limit-policy/rate-limit-use-cases).
// Call it with t.mu held.
func (t *Tenant) logOnceAMinuteLocked(kind string, now time.Time, format string, a ...any) {
	if last, ok := t.lastLogged[kind]; ok && now.Sub(last) < time.Minute {
		return
	}
	t.lastLogged[kind] = now
	t.cfg.Logf("demo tenant: "+format, a...)
}

// withPort lower-cases a host[:port] and adds HTTP's default port.
func withPort(hostport string) string {
	hostport = strings.ToLower(hostport)
	if _, _, err := net.SplitHostPort(hostport); err != nil {
		return net.JoinHostPort(strings.Trim(hostport, "[]"), "80")
	}
	return hostport
}

// hostAllowed says whether a request's Host names this tenant: its
// issuer's host and port, or a loopback name for the same port. Any other
// name reaching a loopback listener is a page whose DNS name was rebound
// to 127.0.0.1, and must not drive the tenant.
func (t *Tenant) hostAllowed(host string) bool {
	t.mu.Lock()
	want := t.issuerHost
	t.mu.Unlock()
	got := withPort(host)
	if got == want {
		return true
	}
	name, port, err := net.SplitHostPort(got)
	if err != nil || name != "localhost" && !httpx.IsLoopback(name) {
		return false
	}
	if want == "" {
		return true // no issuer yet: loopback names only
	}
	_, wantPort, _ := net.SplitHostPort(want)
	return port == wantPort
}

// checkHost refuses a request whose Host is not the tenant's, with 421
// Misdirected Request (RFC 9110 §15.5.20) in Auth0's error shape.
func (t *Tenant) checkHost(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !t.hostAllowed(r.Host) {
			writeJSON(w, http.StatusMisdirectedRequest, map[string]string{"error": "invalid_request",
				"error_description": fmt.Sprintf("The Host %q is not this demo tenant's address (%s): it only answers requests sent to that address.", r.Host, strings.TrimSuffix(t.Issuer(), "/"))})
			return
		}
		next.ServeHTTP(w, r)
	})
}

// callbackURL is where the browser goes back to: the redirect URI with
// the answer's parameters added to its own query (RFC 6749 §3.1.2: the
// query "MUST be retained when adding additional query parameters"; ours
// replace any of the same name) and no fragment, which a redirection
// endpoint must not have and which would swallow the query after it.
func callbackURL(redirect string, answer url.Values) string {
	u, err := url.Parse(redirect)
	if err != nil {
		return redirect
	}
	q := u.Query()
	for k, vs := range answer {
		q[k] = vs
	}
	u.RawQuery = q.Encode()
	u.Fragment, u.RawFragment = "", ""
	return u.String()
}

// noFraming keeps a page out of other sites' frames, so no page can put
// the login, consent or activate button under a user's click.
func noFraming(h http.Header) {
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "frame-ancestors 'none'")
}
