package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/tokenscope/tokenscope/internal/testop"
	"github.com/tokenscope/tokenscope/internal/workspace"
)

// readinessWorld is a Management API on loopback with three applications
// and a profile for it, and a codebase whose .env names one of them.
func readinessWorld(t *testing.T) (*cliWorld, *testop.ManagementAPI, string) {
	t.Helper()
	s := testop.StartManagementAPI(t)
	now := time.Now().UTC()
	s.Clients = []map[string]any{
		{"name": "Legacy <SPA>", "client_id": "spa-1", "app_type": "spa", "oidc_conformant": false, "grant_types": []string{"implicit"}},
		{"name": "Quiet Native", "client_id": "native-1", "app_type": "native", "oidc_conformant": false, "grant_types": []string{"authorization_code"}},
		{"name": "Modern Web", "client_id": "web-1", "app_type": "regular_web", "oidc_conformant": true, "grant_types": []string{"authorization_code"}},
	}
	for h := range 2 {
		s.Logs = append(s.Logs, map[string]any{"date": now.Add(-time.Duration(h+1) * time.Hour).Format(time.RFC3339), "type": "depnote", "description": "Legacy Delegation Grant Type", "client_id": "spa-1", "log_id": fmt.Sprint(h)})
	}
	w := newWorld(t)
	w.env["SECRET"] = "m2m-secret"
	if code, _, stderr := w.run(t, "", "profile", "add", "mgmt", "--issuer", s.URL+"/", "--client-id", "m2m", "--auth", "post", "--client-secret-env", "SECRET"); code != 0 {
		t.Fatal(stderr)
	}
	root := t.TempDir()
	_ = os.WriteFile(filepath.Join(root, ".env"), []byte("AUTH0_CLIENT_ID=spa-1\n"), 0o600)
	_ = os.WriteFile(filepath.Join(root, "auth.js"), []byte("var a0 = new Auth0({domain: 'acme.auth0.com', clientID: 'spa-1'});\na0.getDelegationToken({id_token: t}, cb);\n"), 0o600)
	return w, s, root
}

// The text report lights each application, and the code finding lands
// on the application whose client ID sits beside it; exit 1 while one
// still calls a legacy endpoint.
func TestReadinessReportsEachApplicationWithItsEvidence(t *testing.T) {
	t.Parallel()
	w, _, root := readinessWorld(t)
	code, out, stderr := w.run(t, "", "readiness", "--profile", "mgmt", "--scan", root)
	if code != ExitNegative || stderr != "" {
		t.Fatalf("exit %d, stderr %q\n%s", code, stderr, out)
	}
	for _, want := range []string{"[STILL CALLING LEGACY ENDPOINTS] Legacy <SPA> (spa-1", "logs: /delegation ×2", "code: auth.js:2 /delegation",
		"[ONLY ALLOWED BY A SETTING] Quiet Native", "[READY] Modern Web", "allow_legacy_delegation_grant_types on"} {
		if !strings.Contains(out, want) {
			t.Errorf("the report does not say %q:\n%s", want, out)
		}
	}
	_, out, _ = w.run(t, "", "readiness", "--profile", "mgmt", "--json")
	var rep workspace.ReadinessReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.Applications) != 3 || rep.Applications[0].Light != workspace.LightLegacy {
		t.Fatalf("--json: %v\n%s", err, out)
	}
	if code, _, stderr := w.run(t, "", "readiness", "--profile", "mgmt", "--since", "soon"); code != ExitUsage || !strings.Contains(stderr, "30d") {
		t.Fatalf("a bad --since: exit %d %q", code, stderr)
	}
}

// --html writes one self-contained page people open in a browser: a real
// headless Chromium loads it from disk, with the network off, and finds a
// row per application with its light; the application's name is text,
// never markup.
func TestReadinessHTMLOpensInARealBrowser(t *testing.T) {
	t.Parallel()
	w, _, root := readinessWorld(t)
	page := filepath.Join(t.TempDir(), "readiness.html")
	if code, out, stderr := w.run(t, "", "readiness", "--profile", "mgmt", "--scan", root, "--html", page); code != ExitNegative || !strings.Contains(out, page) {
		t.Fatalf("exit %d %q %q", code, out, stderr)
	}
	b, _ := os.ReadFile(page)
	for _, external := range []string{"<link", "<script", "src=", "@import", "url("} {
		if strings.Contains(string(b), external) {
			t.Fatalf("the page loads something from outside (%s)", external)
		}
	}
	ctx := testop.Chromium(t, chromedp.Flag("proxy-server", "http://127.0.0.1:9")) // no network: the page needs none
	if ctx == nil {
		t.Skip("no chromium to open the report in")
	}
	ctx, cancelT := context.WithTimeout(ctx, 60*time.Second)
	defer cancelT()
	if err := chromedp.Do(ctx, chromedp.Navigate("file://"+page)); err != nil {
		t.Fatal(err)
	}
	rows, err1 := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("tr.app")].map(r => r.dataset.clientId + " " + r.querySelector(".verdict").textContent)`))
	lights, err2 := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("tr.app .light")].map(l => getComputedStyle(l).backgroundColor)`))
	title, err3 := chromedp.Run(ctx, chromedp.Title())
	if err := errors.Join(err1, err2, err3); err != nil {
		t.Fatal(err)
	}
	want := []string{"spa-1 STILL CALLING LEGACY ENDPOINTS", "native-1 ONLY ALLOWED BY A SETTING", "web-1 READY"}
	if strings.Join(rows, "|") != strings.Join(want, "|") || !strings.Contains(title, "Legacy endpoint readiness") {
		t.Fatalf("rows %v, title %q", rows, title)
	}
	if len(lights) != 3 || lights[0] == lights[1] || lights[1] == lights[2] {
		t.Fatalf("the lights are not three colours: %v", lights)
	}
	if name, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`tr.app strong`))); err != nil || name != "Legacy <SPA>" {
		t.Fatalf("the name shown is %q (%v)", name, err)
	}
}

// readiness --demo runs on a fresh demo tenant with a seeded week of
// legacy calls: a report with something to show on a fresh machine, and
// the rehearsal of the flags switched off, in JSON and text alike.
func TestReadinessDemoShowsAReportAndTheRehearsal(t *testing.T) {
	t.Parallel()
	code, out, stderr := run(t, "", nil, "readiness", "--demo", "--json")
	var rep workspace.ReadinessReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != ExitNegative || len(rep.Rehearsal) != 3 || len(rep.Applications) < 3 {
		t.Fatalf("exit %d, %v, stderr %q\n%.600s", code, err, stderr, out)
	}
	if code, _, stderr := run(t, "", nil, "readiness", "--demo", "--profile", "x"); code != ExitUsage || !strings.Contains(stderr, "--demo and --profile cannot be given together") && !strings.Contains(stderr, "--profile and --demo cannot be given together") {
		t.Fatalf("--demo with --profile: exit %d %q", code, stderr)
	}
}
