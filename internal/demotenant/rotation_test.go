package demotenant

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// The pages these tests hold the demo to:
const (
	pageRotation      = "https://auth0.com/docs/secure/tokens/refresh-tokens/refresh-token-rotation"
	pageConfigRotate  = "https://auth0.com/docs/secure/tokens/refresh-tokens/configure-refresh-token-rotation"
	pageConfigExpire  = "https://auth0.com/docs/secure/tokens/refresh-tokens/configure-refresh-token-expiration"
	pageMRRT          = "https://auth0.com/docs/secure/tokens/refresh-tokens/multi-resource-refresh-token/configure-and-implement-multi-resource-refresh-token"
	pageUnknownOr403  = "https://community.auth0.com/t/troubleshoot-refresh-token-unknown-or-invalid-before-expiry-403-unknown-or-invalid-refresh-token/120406"
	wantUnknownDesc   = "Unknown or invalid refresh token."
	rotationTestScope = "openid offline_access"
)

// exchange refreshes rt as the native client and returns the status, the
// error code and the new refresh token (or "").
func exchange(t *testing.T, srv *httptest.Server, c Client, rt string, extra ...string) (int, string, string) {
	t.Helper()
	status, body, _ := post(t, srv, "/oauth/token", refreshForm(c, rt, extra...), "", "")
	code, _ := body["error"].(string)
	if code == "invalid_grant" && body["error_description"] != wantUnknownDesc {
		t.Fatalf("invalid_grant is not in Auth0's words (%s): %v", pageUnknownOr403, body)
	}
	next, _ := body["refresh_token"].(string)
	return status, code, next
}

func familyOf(t *testing.T, ten *Tenant, rt string) FamilyState {
	t.Helper()
	f, ok := ten.Family(rt)
	if !ok {
		t.Fatalf("the tenant does not know the token")
	}
	return f
}

func tokenStates(f FamilyState) string {
	var s []string
	for _, x := range f.Tokens {
		s = append(s, x.State)
	}
	return strings.Join(s, ", ")
}

// With the reuse interval ("leeway") at Auth0's default, disabled, a
// rotated-out token sent again — even in the same instant, as two tabs do —
// is reuse: Auth0 answers 403 invalid_grant "Unknown or invalid refresh
// token." (pageUnknownOr403) and "immediately invalidates the refresh token
// family" so the newest token fails too (pageRotation, "Automatic reuse
// detection").
func TestRotationWithoutAReuseIntervalRevokesTheFamilyOnTheFirstReuse(t *testing.T) {
	t.Parallel()
	clock := NewClock(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC))
	ten, srv := start(t, Config{Now: clock.Now})
	native := clientByAuth(ten, "none")
	a, _ := ten.MintRefreshToken(native.ID, rotationTestScope, "")
	status, _, b := exchange(t, srv, native, a)
	if status != 200 || b == "" || b == a {
		t.Fatalf("the first exchange did not rotate: %d", status)
	}
	if f := familyOf(t, ten, a); f.State != FamilyActive || tokenStates(f) != "used, current" {
		t.Fatalf("after one rotation: %s (%s)", f.State, tokenStates(f))
	}
	if status, code, _ := exchange(t, srv, native, a); status != 403 || code != "invalid_grant" {
		t.Fatalf("reuse in the same instant with no reuse interval: %d %s", status, code)
	}
	if f := familyOf(t, ten, b); f.State != FamilyReuseRevoked || tokenStates(f) != "revoked, revoked" {
		t.Fatalf("after reuse: %s (%s)", f.State, tokenStates(f))
	}
	if status, code, _ := exchange(t, srv, native, b); status != 403 || code != "invalid_grant" {
		t.Fatalf("the newest token outlived reuse detection: %d %s", status, code)
	}
}

// "During the leeway window the breach detection features don't apply and
// a new rotating refresh token is issued. Only the previous token can be
// reused; if the second-to-last one is exchanged, breach detection will
// be triggered." (pageConfigRotate). Past the window, reuse is a breach.
func TestRotationReuseIntervalIsAWindowFromTheFirstExchange(t *testing.T) {
	t.Parallel()
	clock := NewClock(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC))
	ten, srv := start(t, Config{Now: clock.Now, ReuseInterval: 30 * time.Second})
	native := clientByAuth(ten, "none")
	a, _ := ten.MintRefreshToken(native.ID, rotationTestScope, "")
	_, _, b := exchange(t, srv, native, a)
	clock.Advance(29 * time.Second)
	if f := familyOf(t, ten, a); tokenStates(f) != "reusable, current" {
		t.Fatalf("inside the window: %s", tokenStates(f))
	}
	status, _, c := exchange(t, srv, native, a)
	if status != 200 || c == "" || c == b {
		t.Fatalf("a retry inside the reuse interval: %d", status)
	}
	clock.Advance(time.Second) // 30 s after the first exchange: the window has closed
	if f := familyOf(t, ten, a); f.State != FamilyActive || tokenStates(f) != "used, current, current" {
		t.Fatalf("at the end of the window: %s (%s)", f.State, tokenStates(f))
	}
	if status, _, _ := exchange(t, srv, native, a); status != 403 {
		t.Fatalf("reuse after the interval: %d", status)
	}
	if f := familyOf(t, ten, c); f.State != FamilyReuseRevoked {
		t.Fatalf("reuse after the interval left the family %s", f.State)
	}
}

// rotation_type "non-rotating": the same refresh token keeps working and
// no new one comes back; Config.Rotation applies to every client, over the
// client's own setting (pageConfigRotate, the Management API attributes).
func TestRotationTypeNonRotatingKeepsOneToken(t *testing.T) {
	t.Parallel()
	ten, srv := start(t, Config{Rotation: RotationNonRotating})
	native := clientByAuth(ten, "none")
	if !native.Rotate {
		t.Fatal("the seeded native client should rotate on its own")
	}
	a, _ := ten.MintRefreshToken(native.ID, rotationTestScope, "")
	for i := range 3 {
		if status, _, next := exchange(t, srv, native, a); status != 200 || next != "" {
			t.Fatalf("exchange %d of a non-rotating token: %d, new token %t", i+1, status, next != "")
		}
	}
	if f := familyOf(t, ten, a); f.State != FamilyActive || tokenStates(f) != "current" {
		t.Fatalf("%s (%s)", f.State, tokenStates(f))
	}

	ten2, srv2 := start(t, Config{Rotation: RotationRotating})
	ten2.AddClient(Client{ID: "fixed", Auth: "none", RefreshGrant: true, Rotate: false})
	b, _ := ten2.MintRefreshToken("fixed", rotationTestScope, "")
	if status, _, next := exchange(t, srv2, Client{ID: "fixed", Auth: "none"}, b); status != 200 || next == "" {
		t.Fatalf("rotation_type rotating did not apply to a client set not to rotate: %d", status)
	}
}

// The absolute lifetime "does not extend when tokens are rotated"
// (pageConfigRotate, token_lifetime); the idle lifetime "is renewed each
// time the refresh token is exchanged" (pageConfigExpire); the infinite_*
// settings take precedence over both (the Management API's
// ClientRefreshTokenConfiguration). Both defaults are Auth0's 30 days
// (pageConfigRotate, pageConfigExpire).
func TestRotationLifetimesAbsoluteIdleAndInfinite(t *testing.T) {
	t.Parallel()
	clock := NewClock(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC))
	ten, srv := start(t, Config{Now: clock.Now, AbsoluteLifetime: 3 * time.Hour, IdleLifetime: time.Hour})
	native := clientByAuth(ten, "none")
	rt, _ := ten.MintRefreshToken(native.ID, rotationTestScope, "")
	idle, _ := ten.MintRefreshToken(native.ID, rotationTestScope, "")
	for range 3 { // every 55 minutes: never idle for an hour
		clock.Advance(55 * time.Minute)
		status, _, next := exchange(t, srv, native, rt)
		if status != 200 {
			t.Fatalf("a token used every 55 minutes with a 1 h idle lifetime: %d", status)
		}
		rt = next
	}
	if f := familyOf(t, ten, idle); f.State != FamilyIdle || tokenStates(f) != TokenExpiredIdle {
		t.Fatalf("unused for 2 h 45 m: %s (%s)", f.State, tokenStates(f))
	}
	if status, code, _ := exchange(t, srv, native, idle); status != 403 || code != "invalid_grant" {
		t.Fatalf("past the idle lifetime: %d %s", status, code)
	}
	clock.Advance(30 * time.Minute) // 3 h 15 m after the family began, 30 min after the last exchange
	if f := familyOf(t, ten, rt); f.State != FamilyExpired {
		t.Fatalf("past the absolute lifetime the family is %s", f.State)
	}
	if status, code, _ := exchange(t, srv, native, rt); status != 403 || code != "invalid_grant" {
		t.Fatalf("past the absolute lifetime: %d %s", status, code)
	}

	def, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	if s := def.RefreshSettings(); s.AbsoluteLifetime != 30*24*time.Hour || s.IdleLifetime != 30*24*time.Hour || s.ReuseInterval != 0 {
		t.Fatalf("defaults are not Auth0's: %+v", s)
	}

	clock2 := NewClock(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC))
	ten2, srv2 := start(t, Config{Now: clock2.Now, AbsoluteLifetime: time.Hour, IdleLifetime: time.Hour, InfiniteLifetime: true, InfiniteIdleLifetime: true})
	forever, _ := ten2.MintRefreshToken(native.ID, rotationTestScope, "")
	clock2.Advance(2 * 365 * 24 * time.Hour)
	if status, _, _ := exchange(t, srv2, native, forever); status != 200 {
		t.Fatalf("infinite lifetimes, two years idle: %d", status)
	}
}

// Settings Auth0 refuses are refused with the setting's name: the idle
// lifetime "can not exceed the Maximum Refresh Token Lifetime", both run
// from 1 second to 31,557,600 seconds (pageConfigExpire), and
// rotation_type is "rotating" or "non-rotating" (pageConfigRotate).
func TestRotationSettingsAuth0RefusesAreRefused(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		cfg  Config
		want string
	}{
		{Config{IdleLifetime: 2 * time.Hour, AbsoluteLifetime: time.Hour}, "exceeds the absolute lifetime"},
		{Config{AbsoluteLifetime: MaxLifetime + time.Second}, "absolute lifetime"},
		{Config{IdleLifetime: time.Millisecond}, "idle lifetime"},
		{Config{ReuseInterval: -time.Second}, "reuse interval"},
		{Config{Rotation: "sometimes"}, "rotating or non-rotating"},
	} {
		if _, err := New(c.cfg); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want an error naming %q", c.cfg, err, c.want)
		}
	}
	if _, err := New(Config{IdleLifetime: 2 * time.Hour, AbsoluteLifetime: time.Hour, InfiniteLifetime: true}); err != nil {
		t.Errorf("an idle lifetime beside an infinite absolute one: %v", err)
	}
}

// Multi-Resource Refresh Token, Auth0's evaluation logic (pageMRRT): an
// audience a policy names gets a token for it with its policy scopes; no
// audience gets the original one plus its policy scopes; an audience no
// policy names is ignored and the default audience comes back, with no
// error (auth0/auth0-server-python#58); unauthorized scopes are silently
// ignored; a policy naming no API of the tenant is ignored.
func TestMultiResourceRefreshTokenPolicies(t *testing.T) {
	t.Parallel()
	ten, srv := start(t, Config{Policies: append(DemoPolicies(), Policy{Audience: "https://not-an-api.example", Scope: []string{"read:x"}})})
	web := clientByAuth(ten, "post")
	rt, _ := ten.MintRefreshToken(web.ID, "openid offline_access read:orders", APIAudience)
	for _, c := range []struct {
		name, audience, scope string
		wantAud, wantScope    string
	}{
		{"no audience: the original one with its policy scopes", "", "", APIAudience, "openid offline_access read:orders write:orders"},
		{"an audience a policy names", BillingAudience, "", BillingAudience, "openid offline_access read:billing"},
		{"a scope the policy does not allow is ignored", BillingAudience, "read:billing write:billing", BillingAudience, "read:billing"},
		{"an audience outside the policies: the default audience", "https://another-api.example", "", APIAudience, "openid offline_access read:orders write:orders"},
		{"a policy for an API the tenant lacks is ignored", "https://not-an-api.example", "read:x", APIAudience, ""},
		{"a narrower scope on the original audience", APIAudience, "read:orders", APIAudience, "read:orders"},
	} {
		t.Run(c.name, func(t *testing.T) {
			form := refreshForm(web, rt)
			if c.audience != "" {
				form.Set("audience", c.audience)
			}
			if c.scope != "" {
				form.Set("scope", c.scope)
			}
			status, body, _ := post(t, srv, "/oauth/token", form, "", "")
			if status != 200 {
				t.Fatalf("MRRT answers no error (%s): %d %v", pageMRRT, status, body)
			}
			rt = body["refresh_token"].(string)
			claims, err := ten.verify(body["access_token"].(string))
			if err != nil {
				t.Fatal(err)
			}
			if !audIncludes(claims["aud"], c.wantAud) || body["scope"] != c.wantScope || claims["scope"] != c.wantScope {
				t.Fatalf("aud %v scope %q (token %q), want %s and %q", claims["aud"], body["scope"], claims["scope"], c.wantAud, c.wantScope)
			}
		})
	}

	// Without policies a scope beyond the grant is still invalid_scope.
	ten2, srv2 := start(t, Config{})
	rt2, _ := ten2.MintRefreshToken(web.ID, "openid offline_access", APIAudience)
	if status, code, _ := exchange(t, srv2, clientByAuth(ten2, "post"), rt2, "scope", "openid email"); status != 403 || code != "invalid_scope" {
		t.Fatalf("without MRRT a wider scope: %d %s", status, code)
	}
}
