package scan

import (
	"testing"

	"github.com/tokenscope/tokenscope/migrate"
)

// Each /delegation call the scanner finds says what it was for when its
// call or request carries enough to tell, by migrate's rule
// (https://auth0.com/docs/authenticate/login/oidc-conformant-authentication/oidc-adoption-delegation):
// an add-on (`api`/`api_type` naming one), another application's API (a
// `target` that is not the caller), or renewing the caller's own tokens.
func TestEachDelegationCallSaysWhatItWasFor(t *testing.T) {
	t.Parallel()
	cases := []struct {
		call, request string
		want          migrate.DelegationKind
	}{
		{"a0.getDelegationToken({ id_token: idToken, api: 'firebase', scope: 'openid' }, cb)", "", migrate.DelegationAddon},
		{"webAuth.client.delegation({ id_token: idToken, api_type: 'aws', role: r, principal: p }, done)", "", migrate.DelegationAddon},
		{"auth0.getDelegationToken({ target: 'other-api-client', client_id: 'spa', id_token: t, api_type: 'app' }, cb)", "", migrate.DelegationOtherAPI},
		{"legacy.refreshToken(refreshToken, cb)", "", migrate.DelegationRenew},
		{"`https://${AUTH0_DOMAIN}/delegation`", "curl -X POST https://t.auth0.com/delegation -d grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer -d client_id=spa -d refresh_token=$RT", migrate.DelegationRenew},
	}
	for _, c := range cases {
		r := &Report{Findings: []Finding{{Endpoint: "/delegation", Call: c.call, Request: c.request}}}
		classifyDelegations(r)
		if d := r.Findings[0].Delegation; d == nil || d.Kind != c.want {
			t.Errorf("%s: %+v, want %s", c.call, d, c.want)
		}
	}
	// Nothing to judge by: nothing said.
	r := &Report{Findings: []Finding{{Endpoint: "/delegation", Call: "getDelegationToken(opts, cb)"}}}
	if classifyDelegations(r); r.Findings[0].Delegation != nil {
		t.Fatalf("a call with no arguments to read was classified: %+v", r.Findings[0].Delegation)
	}
}
