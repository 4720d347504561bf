package scan

import (
	"regexp"

	"github.com/tokenscope/tokenscope/migrate"
)

// delegationArg finds the literal arguments a /delegation call carries in
// its source text — an SDK call's options object (`api: 'firebase'`,
// `target: 'abc'`), a hand-built body (`api_type=aws`, `"id_token":`) —
// enough for migrate.ClassifyDelegation to say what the call was for.
var delegationArg = regexp.MustCompile(`["']?\b(api_type|api|target|refresh_token|id_token|client_id)\b["']?\s*(?:[:=]|=>)\s*(?:["']([^"'\n]{0,200})["']|([A-Za-z_$][\w$.]{0,100}))`)

// renewMethod is an SDK method whose name says it renews the caller's own
// tokens.
var renewMethod = regexp.MustCompile(`(?i)\b\w*(renew|refresh)\w*\s*\(`)

// classifyDelegations sets Delegation on every /delegation finding: renew,
// another API, or an add-on (migrate's rule), from what its call and
// request carry.
func classifyDelegations(r *Report) {
	for i := range r.Findings {
		f := &r.Findings[i]
		if f.Endpoint != string(migrate.EndpointDelegation) {
			continue
		}
		var ps migrate.Params
		for _, text := range []string{f.Call, f.Request} {
			for _, m := range delegationArg.FindAllStringSubmatch(text, -1) {
				name, value := m[1], m[2]
				if value == "" {
					value = m[3] // a variable: present, value unknown
				}
				if name == "api" {
					name = "api_type" // auth0.js 7's getDelegationToken({api: …})
				}
				ps = append(ps, migrate.Param{Name: name, Value: value})
			}
		}
		if len(ps) == 0 && renewMethod.MatchString(f.Call) {
			// refreshToken(rt), renewIdToken(t), delegationWithRefreshToken(rt),
			// renewAuth(rt), refresh_delegation(rt): the caller's own tokens.
			ps = migrate.Params{{Name: "refresh_token", Value: "…"}}
		}
		if len(ps) == 0 {
			continue // nothing to judge by: say nothing rather than guess
		}
		use := migrate.ClassifyDelegation(migrate.Legacy{Params: ps})
		f.Delegation = &use
	}
}
