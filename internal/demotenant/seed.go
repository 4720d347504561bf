package demotenant

import (
	"strings"
	"time"

	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/secrets"
)

// DemoScope is what the demo refresh tokens were granted.
const DemoScope = "openid profile email offline_access read:orders"

// ClientGrant is a seeded client with a fresh refresh token.
type ClientGrant struct {
	Client
	RefreshToken string
	Audience     string
}

// Grants mints a refresh token for every client: the web and backend apps
// for the API (their access tokens are JWTs), the native app without an
// audience (its access token is opaque, as Auth0's would be).
func (t *Tenant) Grants() ([]ClientGrant, error) {
	var out []ClientGrant
	for _, c := range t.Clients() {
		aud := APIAudience
		if c.Auth == "none" {
			aud = ""
		}
		rt, err := t.MintRefreshToken(c.ID, DemoScope, aud)
		if err != nil {
			return nil, err
		}
		out = append(out, ClientGrant{Client: c, RefreshToken: rt, Audience: aud})
	}
	return out, nil
}

// ProfileName is the demo profile name for a client: "demo-web-app" → "demo-web".
func ProfileName(clientID string) string { return strings.TrimSuffix(clientID, "-app") }

// SeedProfiles replaces the demo profiles with ones pointing at this
// tenant, their secrets and fresh refresh tokens in sec. Profiles that are
// not demo profiles are left alone.
func (t *Tenant) SeedProfiles(store *profiles.Store, sec secrets.Store) ([]profiles.Profile, error) {
	grants, err := t.Grants()
	if err != nil {
		return nil, err
	}
	existing, err := store.Load()
	if err != nil {
		return nil, err
	}
	for _, p := range existing {
		if p.Demo {
			_ = store.Remove(p.Name)
			_ = secrets.DeleteProfile(sec, p.Name)
		}
	}
	iss := t.Issuer()
	var out []profiles.Profile
	for _, g := range grants {
		p := profiles.Profile{Name: ProfileName(g.ID), Issuer: iss, ClientID: g.ID, Auth: g.Auth, Audience: g.Audience, Scope: "openid profile email offline_access", Demo: true,
			Endpoints: &profiles.Endpoints{Token: iss + "oauth/token", JWKS: iss + ".well-known/jwks.json", Userinfo: iss + "userinfo", DiscoveredAt: time.Now().UTC()}}
		if err := store.Put(p); err != nil {
			return nil, err
		}
		if g.Secret != "" {
			if err := sec.Set(p.Name, secrets.ClientSecret, g.Secret); err != nil {
				return nil, err
			}
		}
		if err := sec.Set(p.Name, secrets.RefreshToken, g.RefreshToken); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// NeedsDemo says whether the app should start the demo tenant: no
// profiles yet, or demo profiles to bring back to life.
func NeedsDemo(ps []profiles.Profile) bool {
	if len(ps) == 0 {
		return true
	}
	for _, p := range ps {
		if p.Demo {
			return true
		}
	}
	return false
}

// FirstRun starts the tenant on a free loopback port and (re)creates the
// demo profiles when the user has no profiles or only demo ones. It
// returns nil, nil when the demo is not needed.
func FirstRun(store *profiles.Store, sec secrets.Store) (*Server, error) {
	ps, err := store.Load()
	if err != nil || !NeedsDemo(ps) {
		return nil, err
	}
	ten, err := New(Config{})
	if err != nil {
		return nil, err
	}
	srv, err := Start(ten, "", false)
	if err != nil {
		return nil, err
	}
	if _, err := ten.SeedProfiles(store, sec); err != nil {
		srv.Close()
		return nil, err
	}
	return srv, nil
}
