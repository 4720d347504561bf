package workspace

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/tokenscope/tokenscope/internal/exchange"
	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/secrets"
	"github.com/tokenscope/tokenscope/internal/tokens"
)

// DefaultMinValid is how long a cached access token must stay valid to be
// handed out again (`access-token --min-valid`).
const DefaultMinValid = 60 * time.Second

// ErrNoAccessToken matches (errors.Is) every AccessToken failure: no valid
// access token could be had, and the sentence says why.
var ErrNoAccessToken = errors.New("no valid access token")

// AccessTokenOptions tune AccessToken.
type AccessTokenOptions struct {
	// MinValid: a cached token valid for less than this is refreshed
	// (DefaultMinValid when 0).
	MinValid time.Duration
	// Audience and Scope ask for another audience or scope than the
	// profile's; the cache answers only for the same ones.
	Audience, Scope string
	Wait            time.Duration // for another refresh of the profile
	Now             func() time.Time
}

// AccessToken is a valid access token and where it came from.
type AccessToken struct {
	Token  string
	Expiry time.Time // zero: the provider said nothing about it
	// Cached is set when it came from the keyring, Refreshed when a
	// refresh minted it for this call.
	Cached bool
}

// cachedAccessToken is what the keyring keeps under PROFILE/access_token.
type cachedAccessToken struct {
	Token    string    `json:"access_token"`
	Expiry   time.Time `json:"expires_at"`
	Audience string    `json:"audience,omitempty"`
	Scope    string    `json:"scope,omitempty"`
	// Binding is the issuer and client it was minted for (Binding): a
	// token cached before the profile changed is never handed out.
	Binding string `json:"binding"`
}

// AccessToken returns an access token for the profile that stays valid for
// at least MinValid: the one cached in the keyring, or a new one from a
// refresh under the profile's lock. Callers in every process wait for one
// another on that lock and then find the token the first one cached, so
// twenty callers at once cause one refresh.
func (w *Workspace) AccessToken(ctx context.Context, name string, o AccessTokenOptions) (AccessToken, error) {
	if o.MinValid <= 0 {
		o.MinValid = DefaultMinValid
	}
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	p, err := w.Profiles.Get(name)
	if err != nil {
		return AccessToken{}, fmt.Errorf("%w: %w", ErrNoAccessToken, err)
	}
	if t, ok := w.cachedAccessToken(p, o, now()); ok {
		return t, nil
	}
	unlock, err := w.LockProfile(ctx, name, o.Wait, nil)
	if err != nil {
		return AccessToken{}, fmt.Errorf("%w: %w", ErrNoAccessToken, err)
	}
	defer unlock()
	// Another caller may have refreshed while this one waited.
	if t, ok := w.cachedAccessToken(p, o, now()); ok {
		return t, nil
	}
	res := w.refreshLocked(ctx, name, RefreshOptions{Overrides: Overrides{Audience: o.Audience, Scope: o.Scope}})
	if res.Err != nil {
		return AccessToken{}, fmt.Errorf("%w: refreshing profile %s: %w", ErrNoAccessToken, name, res.Err)
	}
	resp := res.Response
	if resp.AccessToken == "" {
		return AccessToken{}, fmt.Errorf("%w: the refresh of profile %s returned no access token", ErrNoAccessToken, name)
	}
	t := AccessToken{Token: resp.AccessToken, Expiry: accessTokenExpiry(resp, now())}
	if !t.Expiry.IsZero() && t.Expiry.Sub(now()) < o.MinValid {
		return AccessToken{}, fmt.Errorf("%w: the new access token of profile %s is valid for %s only, less than the %s asked for (lower --min-valid, or lengthen the API's token lifetime)",
			ErrNoAccessToken, name, tokens.Duration(t.Expiry.Sub(now())), tokens.Duration(o.MinValid))
	}
	if !t.Expiry.IsZero() {
		// A cache: when the keyring refuses it, the next call refreshes.
		b, _ := json.Marshal(cachedAccessToken{Token: t.Token, Expiry: t.Expiry, Audience: o.Audience, Scope: o.Scope, Binding: Binding(p)})
		_ = w.Secrets.Set(name, secrets.AccessToken, string(b))
	}
	return t, nil
}

// cachedAccessToken is the keyring's access token when it was minted for
// this profile's client and the same audience and scope, and stays valid
// for MinValid.
func (w *Workspace) cachedAccessToken(p profiles.Profile, o AccessTokenOptions, now time.Time) (AccessToken, bool) {
	v, err := w.Secrets.Get(p.Name, secrets.AccessToken)
	if err != nil {
		return AccessToken{}, false
	}
	var c cachedAccessToken
	if json.Unmarshal([]byte(v), &c) != nil || c.Token == "" || c.Binding != Binding(p) || c.Audience != o.Audience || c.Scope != o.Scope {
		return AccessToken{}, false
	}
	if c.Expiry.Sub(now) < o.MinValid {
		return AccessToken{}, false
	}
	return AccessToken{Token: c.Token, Expiry: c.Expiry, Cached: true}, true
}

// accessTokenExpiry is when the access token expires: the answer's
// expires_in, or else the token's own exp when it is a JWT.
func accessTokenExpiry(resp *exchange.Response, now time.Time) time.Time {
	if resp.ExpiresIn > 0 {
		return now.Add(time.Duration(resp.ExpiresIn) * time.Second)
	}
	if !resp.Expiry.IsZero() {
		return resp.Expiry
	}
	if tok, err := tokens.Decode(resp.AccessToken, now); err == nil {
		if exp, ok, err := tok.TimeClaim("exp"); ok && err == nil {
			return exp
		}
	}
	return time.Time{}
}
