package demotenant

import (
	"strings"
)

// DemoScope is what the demo refresh tokens were granted.
const DemoScope = "openid profile email offline_access read:orders"

// ClientGrant is a seeded client with a fresh refresh token.
type ClientGrant struct {
	Client
	RefreshToken string
	Audience     string
	// Scope is what a profile for the client asks for; set for the
	// Management API application (ManagementClient), empty otherwise.
	Scope string
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
