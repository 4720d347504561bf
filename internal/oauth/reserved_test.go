package oauth_test

import (
	"errors"
	"testing"

	"github.com/tokenscope/tokenscope/internal/exchange"
	"github.com/tokenscope/tokenscope/internal/oauth"
	"github.com/tokenscope/tokenscope/internal/profiles"
)

// The one list of reserved parameters is refused on both paths extra
// parameters take: a profile's saved parameters (profiles.Validate) and a
// token request's extra parameters (exchange.Request.Validate). A name
// that is not reserved passes both.
func TestAReservedParameterIsRefusedByTheProfileAndByTheRequest(t *testing.T) {
	t.Parallel()
	profile := func(param string) profiles.Profile {
		return profiles.Profile{Name: "p", Issuer: "https://tenant.eu.auth0.com/", ClientID: "c", Auth: string(oauth.AuthNone),
			Params: map[string]string{param: "x"}}
	}
	request := func(param string) exchange.Request {
		return exchange.Request{TokenURL: "https://tenant.eu.auth0.com/oauth/token", ClientID: "c", Auth: oauth.AuthNone,
			RefreshToken: "rt", Params: map[string]string{param: "x"}}
	}
	names := oauth.ReservedParams()
	if len(names) != 7 {
		t.Fatalf("reserved parameters %v, want the 7 of the refresh, client credentials and code grants", names)
	}
	for _, name := range names {
		if !oauth.Reserved(name) {
			t.Errorf("Reserved(%q) = false for a listed name", name)
		}
		if err := profile(name).Validate(); !errors.Is(err, oauth.ErrReservedParam) {
			t.Errorf("profile with parameter %s: %v, want ErrReservedParam", name, err)
		}
		if err := request(name).Validate(); !errors.Is(err, oauth.ErrReservedParam) {
			t.Errorf("request with parameter %s: %v, want ErrReservedParam", name, err)
		}
	}
	for _, name := range []string{"resource", "audience", "organization"} {
		if oauth.Reserved(name) {
			t.Errorf("Reserved(%q) = true", name)
		}
		if err := profile(name).Validate(); err != nil {
			t.Errorf("profile with parameter %s: %v", name, err)
		}
		if err := request(name).Validate(); err != nil {
			t.Errorf("request with parameter %s: %v", name, err)
		}
	}
}
