package workspace

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/tokenscope/tokenscope/migrate"
)

// The whole report on a fresh demo tenant: its seeded week of legacy calls
// lights its applications, and the rehearsal shows what switching the
// flags off does — each legacy call refused as Auth0 refuses it
// (unauthorized_client for /delegation and /oauth/ro, 404 for /tokeninfo),
// and the twins that replace /delegation and /tokeninfo still working.
func TestReadinessOnTheDemoTenantRehearsesTheFlagsOff(t *testing.T) {
	t.Parallel()
	rep, err := ReadinessOnDemo(context.Background(), ReadinessOptions{})
	if err != nil {
		t.Fatal(err)
	}
	lights := map[string]Light{}
	for _, a := range rep.Applications {
		lights[a.ClientID] = a.Light
	}
	if lights["demo-native-app"] != LightLegacy || !rep.Flags[FlagDelegation] {
		t.Fatalf("lights %v, flags %v", lights, rep.Flags)
	}
	byEndpoint := map[string]LegacyReplay{}
	for _, r := range rep.Rehearsal {
		byEndpoint[r.Endpoint] = r
	}
	d, ro, ti := byEndpoint["/delegation"], byEndpoint["/oauth/ro"], byEndpoint["/tokeninfo"]
	if d.FlagsOn != http.StatusOK || d.FlagsOff != http.StatusForbidden || !strings.Contains(d.FlagsOffError, "unauthorized_client") || d.TwinStatus != http.StatusOK {
		t.Fatalf("/delegation: %+v", d)
	}
	if ro.FlagsOn != http.StatusOK || ro.FlagsOff != http.StatusForbidden || ro.TwinStatus != 0 || !strings.Contains(ro.Verdict, "migrate it before") {
		t.Fatalf("/oauth/ro: %+v", ro)
	}
	if ti.FlagsOn != http.StatusOK || ti.FlagsOff != http.StatusNotFound || ti.TwinStatus != http.StatusOK || !strings.Contains(ti.Verdict, "twin works") {
		t.Fatalf("/tokeninfo: %+v", ti)
	}
}

// A step found in the logs names the migrate finding that explains the
// endpoint's replacement, and those names are migrate's own.
func TestReadinessStepsNameMigratesFindingCodes(t *testing.T) {
	t.Parallel()
	for ep, code := range map[string]string{"/delegation": migrate.CodeDelegationRenew, "/oauth/ro": migrate.CodeResourceOwner, "/tokeninfo": migrate.CodeTokenInfo,
		"/oauth/access_token": migrate.CodeSocialAccessToken, "/user/ssodata": migrate.CodeSSOData} {
		if migrateCodeFor[ep] != code {
			t.Errorf("%s: readiness says %q, migrate %q", ep, migrateCodeFor[ep], code)
		}
	}
	a := AppReadiness{Name: "web", ClientID: "w", OIDCConformant: true, LegacyUse: []LegacyUse{{Endpoint: "/tokeninfo", Count: 2}}}
	lightApp(&a, map[string]bool{})
	if len(a.Steps) == 0 || !strings.HasSuffix(a.Steps[0], "(tokeninfo)") {
		t.Fatalf("steps %q", a.Steps)
	}
}
