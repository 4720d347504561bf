package workspace

import (
	"fmt"
	"strings"
	"time"

	"github.com/tokenscope/tokenscope/internal/demotenant"
	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/secrets"
)

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

// DemoSeed is what SeedDemo made.
type DemoSeed struct {
	Profiles []profiles.Profile
	// Notes say which demo profiles took another name because a real
	// profile has theirs.
	Notes []string
}

// SeedDemo replaces the demo profiles with ones pointing at ten, with
// their secrets and fresh refresh tokens in the keyring. A profile that is
// not a demo profile is never touched: a demo profile whose name it has
// takes the next free name (demo-web-2, …) and a note says so.
func (w *Workspace) SeedDemo(ten Demo) (DemoSeed, error) {
	grants, err := ten.Grants()
	if err != nil {
		return DemoSeed{}, err
	}
	existing, err := w.Profiles.Load()
	if err != nil {
		return DemoSeed{}, err
	}
	taken := map[string]bool{}
	for _, p := range existing {
		if !p.Demo {
			taken[p.Name] = true
			continue
		}
		if err := w.Profiles.Remove(p.Name); err == nil {
			_ = secrets.DeleteProfile(w.Secrets, p.Name)
		}
	}
	iss := ten.Issuer()
	var out DemoSeed
	for _, g := range grants {
		base := demotenant.ProfileName(g.ID)
		name := base
		for n := 2; taken[name]; n++ {
			name = fmt.Sprintf("%s-%d", base, n)
		}
		taken[name] = true
		if name != base {
			out.Notes = append(out.Notes, fmt.Sprintf("your profile %s is kept; the demo's is %s", base, name))
		}
		p := profiles.Profile{Name: name, Issuer: iss, ClientID: g.ID, Auth: g.Auth, Audience: g.Audience, Scope: "openid profile email offline_access", Demo: true,
			Endpoints: &profiles.Endpoints{Token: iss + "oauth/token", JWKS: iss + ".well-known/jwks.json", Userinfo: iss + "userinfo", Authorization: iss + "authorize",
				Device: iss + "oauth/device/code", Revocation: iss + "oauth/revoke", DiscoveredAt: time.Now().UTC()}}
		if len(g.Callbacks) == 1 && g.Auth != "none" {
			p.RedirectURI = g.Callbacks[0] // a confidential client's callback must match exactly
		}

		p.SecretsBoundTo = Binding(p)
		// Add, not Put: if another process created this name meanwhile, it wins.
		if err := w.Profiles.Add(p); err != nil {
			return out, err
		}
		if g.Secret != "" {
			if err := w.Secrets.Set(p.Name, secrets.ClientSecret, g.Secret); err != nil {
				return out, err
			}
		}
		if err := w.Secrets.Set(p.Name, secrets.RefreshToken, g.RefreshToken); err != nil {
			return out, err
		}
		out.Profiles = append(out.Profiles, p)
	}
	return out, nil
}

// Demo is the running demo tenant as the front ends use it. The
// composition root builds it (internal/demotenant) and hands it in.
type Demo interface {
	Issuer() string
	Clients() []demotenant.Client
	// MintRefreshToken makes a refresh token for a demo client, as a
	// sign-in would (scope "" is DemoScope).
	MintRefreshToken(clientID, scope, audience string) (string, error)
	// SampleDelegation is a legacy /delegation request for this tenant,
	// ready to paste into Migrate.
	SampleDelegation() (string, error)
	Grants() ([]demotenant.ClientGrant, error)
}

// DemoScope is the scope a demo sign-in grants.
const DemoScope = demotenant.DemoScope

// DemoStarter starts the demo tenant the window offers, on a free loopback
// port. The composition root passes demotenant.StartDemo; tests pass
// their own.
type DemoStarter func() (*demotenant.Server, error)

// StartDemo starts the demo tenant with start and seeds its profiles when
// the user has no profiles or only demo ones. It returns a nil server
// when the demo is not needed.
func (w *Workspace) StartDemo(start DemoStarter) (*demotenant.Server, DemoSeed, error) {
	ps, err := w.Profiles.Load()
	if err != nil || !NeedsDemo(ps) {
		return nil, DemoSeed{}, err
	}
	srv, err := start()
	if err != nil {
		return nil, DemoSeed{}, err
	}
	seed, err := w.SeedDemo(srv.Tenant)
	if err != nil {
		srv.Close()
		return nil, seed, fmt.Errorf("seeding the demo profiles: %w", err)
	}
	return srv, seed, nil
}

// DemoNote is the banner's sentence about renamed demo profiles, or "".
func (s DemoSeed) DemoNote() string {
	if len(s.Notes) == 0 {
		return ""
	}
	return strings.Join(s.Notes, "; ") + "."
}
