package ui

import (
	"github.com/tokenscope/tokenscope/internal/profiles"
)

// grants are the sign-in grants a profile's client may use. Tokenscope
// knows them for a demo profile (its client is on the embedded tenant);
// for a real one it does not (they are the tenant's settings), so every
// action is offered and the server's answer explains a refusal.
type grants struct {
	known                           bool
	code, device, clientCredentials bool
}

// signsIn reports whether a user can sign in with the profile.
func (g grants) signsIn() bool { return !g.known || g.code || g.device }

// grantsOf looks p's client up on the demo tenant.
func (svc *Services) grantsOf(p profiles.Profile) grants {
	if !p.Demo || svc.Demo == nil {
		return grants{code: true, device: true, clientCredentials: p.Auth != "none"}
	}
	for _, c := range svc.Demo.Clients() {
		if c.ID == p.ClientID {
			return grants{known: true, code: c.CodeGrant, device: c.DeviceGrant, clientCredentials: c.ClientCredentialsGrant}
		}
	}
	return grants{known: true}
}

// demoSignInProfile is the demo profile to suggest for signing in: the
// first that can sign in both ways (the browser and a code), else the
// first that can sign in at all; "" when there is none.
func (svc *Services) demoSignInProfile() string {
	ps, _ := svc.Profiles.Load()
	best := ""
	for _, p := range ps {
		g := svc.grantsOf(p)
		if !p.Demo || !g.known {
			continue
		}
		if g.code && g.device {
			return p.Name
		}
		if best == "" && g.signsIn() {
			best = p.Name
		}
	}
	return best
}
