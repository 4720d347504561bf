package workspace

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/testop"
)

func readinessWorkspace(t *testing.T, s *testop.ManagementAPI) *Workspace {
	t.Helper()
	ws, _ := newWorkspace(t)
	p := profiles.Profile{Name: "mgmt", Issuer: s.URL + "/", ClientID: "m2m", Auth: "post"}
	if _, err := ws.Save(SaveRequest{Profile: p, ClientSecret: Store("m2m-secret")}); err != nil {
		t.Fatal(err)
	}
	return ws
}

// Readiness joins the tenant's flags, its applications (paged) and the
// deprecation notes (after a 429's Retry-After) with the code that calls
// legacy endpoints, per application, and lights each one.
func TestReadinessJoinsTheTenantTheLogsAndTheCode(t *testing.T) {
	t.Parallel()
	s := testop.StartManagementAPI(t)
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	s.Clients = append(s.Clients,
		map[string]any{"name": "Legacy SPA", "client_id": "spa-1", "app_type": "spa", "oidc_conformant": false, "grant_types": []string{"implicit", "urn:ietf:params:oauth:grant-type:jwt-bearer"}},
		map[string]any{"name": "Quiet Native", "client_id": "native-1", "app_type": "native", "oidc_conformant": false, "grant_types": []string{"authorization_code", "refresh_token"}},
		map[string]any{"name": "Modern Web", "client_id": "web-1", "app_type": "regular_web", "oidc_conformant": true, "grant_types": []string{"authorization_code", "refresh_token"}})
	for i := range 57 { // a second page of applications
		s.Clients = append(s.Clients, map[string]any{"name": fmt.Sprintf("M2M %d", i), "client_id": fmt.Sprintf("m2m-%d", i), "app_type": "non_interactive", "oidc_conformant": true, "grant_types": []string{"client_credentials"}})
	}
	for h := range 3 {
		s.Logs = append(s.Logs, map[string]any{"date": now.Add(-time.Duration(h+1) * time.Hour).Format(time.RFC3339), "type": "depnote", "description": "Legacy Delegation Grant Type", "client_id": "spa-1", "client_name": "Legacy SPA", "log_id": fmt.Sprint(h)})
	}
	s.Logs = append(s.Logs, map[string]any{"date": now.Add(-time.Hour).Format(time.RFC3339), "type": "depnote", "description": "Tokeninfo endpoint", "client_id": "deleted-app", "log_id": "x"})
	s.Throttled = 1
	ws := readinessWorkspace(t, s)
	root := t.TempDir()
	_ = os.MkdirAll(filepath.Join(root, "web"), 0o755)
	_ = os.WriteFile(filepath.Join(root, "web", ".env"), []byte("AUTH0_CLIENT_ID=spa-1\n"), 0o600)
	_ = os.WriteFile(filepath.Join(root, "web", "auth.js"), []byte("auth0.getDelegationToken({})\n"), 0o600)
	_ = os.WriteFile(filepath.Join(root, "other.js"), []byte("fetch('/tokeninfo')\n"), 0o600)
	var slept []time.Duration
	rep, err := ws.Readiness(context.Background(), "mgmt", ReadinessOptions{Now: func() time.Time { return now }, ScanRoots: []string{root},
		Sleep: func(_ context.Context, d time.Duration) error { slept = append(slept, d); return nil },
		Scan: func(_ context.Context, r string) ([]CodeFinding, error) {
			return []CodeFinding{{File: "web/auth.js", Line: 1, Endpoint: "/delegation", Code: "legacy_delegation_call"}, {File: "other.js", Line: 1, Endpoint: "/tokeninfo", Code: "legacy_tokeninfo_request"}}, nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Applications) != 60 || len(slept) == 0 || slept[0] != 2*time.Second {
		t.Fatalf("%d applications (want 60 over two pages); slept %v (want Retry-After's 2s first)", len(rep.Applications), slept)
	}
	spa, native, web := rep.Applications[0], rep.Applications[1], rep.Applications[2]
	if spa.ClientID != "spa-1" || spa.Light != LightLegacy || len(spa.LegacyUse) != 1 || spa.LegacyUse[0].Count != 3 || spa.LegacyUse[0].Endpoint != "/delegation" ||
		spa.LegacyUse[0].Flag != FlagDelegation || len(spa.Code) != 1 || spa.Code[0].File != "web/auth.js" {
		t.Fatalf("the legacy SPA: %+v", spa)
	}
	steps := strings.Join(spa.Steps, "\n")
	if !strings.HasPrefix(steps, "web/auth.js:1 calls /delegation") || !strings.Contains(steps, "OIDC Conformant") || !strings.Contains(steps, "jwt-bearer") || !strings.Contains(steps, "switch off the tenant flags "+FlagDelegation) {
		t.Fatalf("steps, in order:\n%s", steps)
	}
	if native.ClientID != "native-1" || native.Light != LightFlag || web.Light != LightReady {
		t.Fatalf("native %s (%s), web %s", native.Light, native.Why, web.Light)
	}
	if len(rep.Unattributed) != 1 || rep.Unattributed[0].File != "other.js" || len(rep.UnknownClients) != 1 || rep.UnknownClients[0] != "deleted-app" {
		t.Fatalf("unattributed %+v, unknown %v", rep.Unattributed, rep.UnknownClients)
	}
	if !rep.Flags[FlagDelegation] || rep.Flags[FlagTokeninfo] || !rep.Since.Equal(now.Add(-30*24*time.Hour)) {
		t.Fatalf("flags %v since %s", rep.Flags, rep.Since)
	}
	for _, c := range s.Calls {
		if strings.HasPrefix(c, "/api/v2/logs") && !strings.Contains(c, "type%3Adepnote") {
			t.Fatalf("the logs were not asked for deprecation notes: %s", c)
		}
	}
}

// A token without read:logs: one sentence that names the scope and where
// to grant it.
func TestReadinessSaysWhichScopeIsMissing(t *testing.T) {
	t.Parallel()
	s := testop.StartManagementAPI(t)
	s.NoLogs = true
	ws := readinessWorkspace(t, s)
	_, err := ws.Readiness(context.Background(), "mgmt", ReadinessOptions{})
	if !errors.Is(err, ErrManagementAPI) || !strings.Contains(err.Error(), "GET /api/v2/logs (HTTP 403 insufficient_scope)") || !strings.Contains(err.Error(), "needs the read:logs scope") {
		t.Fatalf("%v", err)
	}
}
