package demotenant

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// Auth0's rotation_type values (Config.Rotation).
const (
	RotationRotating    = "rotating"
	RotationNonRotating = "non-rotating"
)

// MaxLifetime is the longest absolute or idle lifetime Auth0 accepts:
// 31,557,600 seconds, a year of 365.25 days
// (https://auth0.com/docs/secure/tokens/refresh-tokens/configure-refresh-token-expiration).
const MaxLifetime = 31557600 * time.Second

// BillingAudience is the demo's second API, so that a Multi-Resource
// Refresh Token policy has another API to name.
const BillingAudience = "https://billing.demo.tokenscope.dev"

// BillingScopes are the billing API's permissions.
var BillingScopes = []string{"read:billing", "write:billing"}

// apiScopes returns an API's permissions, and whether the tenant has it.
func apiScopes(audience string) ([]string, bool) {
	switch audience {
	case APIAudience:
		return APIScopes, true
	case BillingAudience:
		return BillingScopes, true
	}
	return nil, false
}

// Policy is one Multi-Resource Refresh Token policy of an application: an
// API and the scopes a refresh may ask of it (Auth0's
// refresh_token.policies[]: {audience, scope}).
type Policy struct {
	Audience string
	Scope    []string
}

// DemoPolicies are the policies `demo-server --mrrt` gives the demo
// clients: the orders API may also be asked for write:orders, and the
// billing API for read:billing (not write:billing, so that asking for it
// shows a scope being ignored).
func DemoPolicies() []Policy {
	return []Policy{
		{Audience: APIAudience, Scope: []string{"write:orders"}},
		{Audience: BillingAudience, Scope: []string{"read:billing"}},
	}
}

// checkRefreshSettings refuses the settings Auth0 refuses, in words that
// name the setting.
func checkRefreshSettings(cfg Config) error {
	switch cfg.Rotation {
	case "", RotationRotating, RotationNonRotating:
	default:
		return fmt.Errorf("rotation %q: it is %s or %s", cfg.Rotation, RotationRotating, RotationNonRotating)
	}
	switch {
	case cfg.ReuseInterval < 0:
		return errors.New("the reuse interval cannot be negative")
	case cfg.AbsoluteLifetime < time.Second || cfg.AbsoluteLifetime > MaxLifetime:
		return fmt.Errorf("the absolute lifetime %s is outside what Auth0 accepts (1 second to 1 year)", cfg.AbsoluteLifetime)
	case cfg.IdleLifetime < time.Second || cfg.IdleLifetime > MaxLifetime:
		return fmt.Errorf("the idle lifetime %s is outside what Auth0 accepts (1 second to 1 year)", cfg.IdleLifetime)
	case !cfg.InfiniteLifetime && !cfg.InfiniteIdleLifetime && cfg.IdleLifetime > cfg.AbsoluteLifetime:
		return fmt.Errorf("the idle lifetime %s exceeds the absolute lifetime %s, which Auth0 does not allow", cfg.IdleLifetime, cfg.AbsoluteLifetime)
	}
	return nil
}

// RefreshSettings are the tenant's refresh-token settings, defaults filled in.
type RefreshSettings struct {
	Rotation             string // RotationRotating or RotationNonRotating, or "" when each client keeps its own
	ReuseInterval        time.Duration
	AbsoluteLifetime     time.Duration
	IdleLifetime         time.Duration
	InfiniteLifetime     bool
	InfiniteIdleLifetime bool
	Policies             []Policy
}

// RefreshSettings returns the settings the tenant runs with.
func (t *Tenant) RefreshSettings() RefreshSettings {
	return RefreshSettings{Rotation: t.cfg.Rotation, ReuseInterval: t.cfg.ReuseInterval, AbsoluteLifetime: t.cfg.AbsoluteLifetime,
		IdleLifetime: t.cfg.IdleLifetime, InfiniteLifetime: t.cfg.InfiniteLifetime, InfiniteIdleLifetime: t.cfg.InfiniteIdleLifetime,
		Policies: slices.Clone(t.cfg.Policies)}
}

// Rotates says whether a client's refresh tokens rotate.
func (t *Tenant) rotates(c *Client) bool {
	switch t.cfg.Rotation {
	case RotationRotating:
		return true
	case RotationNonRotating:
		return false
	}
	return c.Rotate
}

func (t *Tenant) policies(c *Client) []Policy {
	if c.Policies != nil {
		return c.Policies
	}
	return t.cfg.Policies
}

// absoluteExpired and idleExpired say whether a lifetime has run out.
func (t *Tenant) absoluteExpired(f *family, now time.Time) bool {
	return !t.cfg.InfiniteLifetime && now.Sub(f.created) > t.cfg.AbsoluteLifetime
}

func (t *Tenant) idleExpired(rt *refreshToken, now time.Time) bool {
	return !t.cfg.InfiniteIdleLifetime && now.Sub(rt.lastUsed) > t.cfg.IdleLifetime
}

// reusable says whether a rotated-out token may be exchanged again:
// within the Reuse Interval after its first exchange, and only while its
// successor is unused ("Only the previous token can be reused; if the
// second-to-last one is exchanged, breach detection will be triggered",
// https://auth0.com/docs/secure/tokens/refresh-tokens/configure-refresh-token-rotation).
// The page does not say from when the interval counts; the demo counts
// from the token's first exchange. With no interval (Auth0's default,
// "By default leeway is disabled") nothing is.
func (t *Tenant) reusable(rt *refreshToken, now time.Time) bool {
	successor := t.tokens[rt.next]
	return now.Sub(rt.usedAt) < t.cfg.ReuseInterval && successor != nil && successor.usedAt.IsZero()
}

// identityScopes are the scopes about the user rather than an API: a
// token for another API keeps those of the original sign-in.
var identityScopes = []string{"openid", "profile", "email", "offline_access"}

// grant decides the audience and scopes of a refresh's access token.
//
// Without Multi-Resource Refresh Token policies an audience is ignored
// and the token is for the original one (auth0/auth0-server-python#58:
// "Tokens requested for audiences outside your configured policies will
// be ignored by Auth0, which will return a token for the default audience
// instead"), and a scope can only narrow the grant (invalid_scope beyond).
//
// With policies, Auth0's evaluation logic
// (https://auth0.com/docs/secure/tokens/refresh-tokens/multi-resource-refresh-token/configure-and-implement-multi-resource-refresh-token):
// no audience, or the original one, gets the original scopes plus that
// API's policy scopes; an audience a policy names gets its policy scopes;
// any other audience is ignored (the original audience, no error); a
// scope parameter is checked against those and "invalid or unauthorized
// scopes requested are silently ignored". A policy or scope naming no
// API of the tenant is ignored too ("the refresh token exchange will
// silently ignore them"). The page does not say what becomes of openid,
// profile and email on another API's token: the demo keeps those of the
// original sign-in, since its ID token is about the same user.
func (t *Tenant) grant(c *Client, f *family, scope, audience string) ([]string, string, *apiError) {
	policies := t.policies(c)
	if len(policies) == 0 {
		if scope == "" {
			return f.scope, f.audience, nil
		}
		req := strings.Fields(scope)
		for _, s := range req {
			if !slices.Contains(f.scope, s) {
				return nil, "", errorf(403, "invalid_scope", "The scope %q was not granted to this refresh token.", s)
			}
		}
		return req, f.audience, nil
	}
	aud := f.audience
	if audience != "" && audience != f.audience {
		if _, ok := policyScopes(policies, audience); ok {
			aud = audience
		}
	}
	extra, _ := policyScopes(policies, aud)
	var allowed []string
	if aud == f.audience {
		allowed = slices.Clone(f.scope)
	} else {
		for _, s := range f.scope {
			if slices.Contains(identityScopes, s) {
				allowed = append(allowed, s)
			}
		}
	}
	for _, s := range extra {
		if !slices.Contains(allowed, s) {
			allowed = append(allowed, s)
		}
	}
	if scope == "" {
		return allowed, aud, nil
	}
	var granted []string
	for _, s := range strings.Fields(scope) {
		if slices.Contains(allowed, s) && !slices.Contains(granted, s) {
			granted = append(granted, s)
		}
	}
	return granted, aud, nil
}

// policyScopes returns the scopes the policies allow for an audience, and
// whether a policy names it and the tenant has that API.
func policyScopes(policies []Policy, audience string) ([]string, bool) {
	api, ok := apiScopes(audience)
	if !ok {
		return nil, false
	}
	found := false
	var out []string
	for _, p := range policies {
		if p.Audience != audience {
			continue
		}
		found = true
		for _, s := range p.Scope {
			if slices.Contains(api, s) && !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out, found
}

// Family and token states, in the words Auth0's documentation uses.
const (
	FamilyActive       = "active"
	FamilyReuseRevoked = "revoked: reuse detected"
	FamilyRevoked      = "revoked"
	FamilyExpired      = "expired: absolute lifetime"
	FamilyIdle         = "expired: idle lifetime" // every token idle past its lifetime

	TokenCurrent         = "current"  // can be exchanged
	TokenReusable        = "reusable" // rotated out, still inside the reuse interval
	TokenUsed            = "used"     // rotated out: sending it again is reuse
	TokenRevoked         = "revoked"  // its family was revoked
	TokenExpiredIdle     = "expired: idle lifetime"
	TokenExpiredAbsolute = "expired: absolute lifetime"
)

const (
	revokedByReuse = "reuse"
	revokedByUser  = "user"
)

// FamilyState is a refresh-token family as the tenant sees it now.
type FamilyState struct {
	State  string
	Tokens []TokenState // in the order they were issued
}

// TokenState is one refresh token of a family.
type TokenState struct {
	// Value is the token itself, for the caller to tell its tokens apart:
	// never show it.
	Value  string
	Issued time.Time
	// Used is its first exchange (zero if never exchanged, or when it
	// does not rotate).
	Used  time.Time
	State string
}

// Family returns the state of the family a refresh token belongs to, and
// false when the tenant does not know the token (never issued, or swept
// after its family ended).
func (t *Tenant) Family(refreshToken string) (FamilyState, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	rt, ok := t.tokens[refreshToken]
	if !ok {
		return FamilyState{}, false
	}
	now := t.cfg.Now()
	f := rt.family
	out := FamilyState{State: FamilyActive}
	switch {
	case f.revoked && f.revokedBy == revokedByReuse:
		out.State = FamilyReuseRevoked
	case f.revoked:
		out.State = FamilyRevoked
	case t.absoluteExpired(f, now):
		out.State = FamilyExpired
	}
	live := false
	for _, x := range f.tokens {
		s := TokenState{Value: x.value, Issued: x.issued, Used: x.usedAt}
		switch {
		case f.revoked:
			s.State = TokenRevoked
		case t.absoluteExpired(f, now):
			s.State = TokenExpiredAbsolute
		case !x.usedAt.IsZero() && t.reusable(x, now):
			s.State = TokenReusable
		case !x.usedAt.IsZero():
			s.State = TokenUsed
		case t.idleExpired(x, now):
			s.State = TokenExpiredIdle
		default:
			s.State = TokenCurrent
		}
		live = live || s.State == TokenCurrent || s.State == TokenReusable
		out.Tokens = append(out.Tokens, s)
	}
	if out.State == FamilyActive && !live {
		out.State = FamilyIdle
	}
	return out, true
}

// Clock is a tenant clock that moves only when told to: a rehearsal or a
// test passes a lifetime in an instant. Give its Now to Config.Now.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock stopped at start.
func NewClock(start time.Time) *Clock { return &Clock{now: start} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}
