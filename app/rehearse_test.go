package app

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tokenscope/tokenscope/internal/workspace"
)

// `tokenscope rehearse` with Auth0's defaults, read as a person reads it:
// each race's title and outcome, a line per request with the token's
// label and fingerprint and Auth0's answer, and the page that says so.
// Auth0's defaults (leeway disabled,
// https://auth0.com/docs/secure/tokens/refresh-tokens/configure-refresh-token-rotation)
// make the second of two tabs a reuse that revokes the family
// (https://auth0.com/docs/secure/tokens/refresh-tokens/refresh-token-rotation).
func TestRehearseShowsEachRaceAsATimeline(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	code, out, stderr := w.run(t, "", "rehearse")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"rotating, reuse interval 0s, absolute lifetime 720h, idle lifetime 720h; a lost answer is retried after 10s.",
		"Two tabs refresh with the same token at once: revoked",
		"A retry after a timeout: revoked",
		"An old token replayed after the reuse interval: revoked",
		"An idle gap past the idle lifetime: expired",
		"403 invalid_grant (Unknown or invalid refresh token.)",
		"family revoked: reuse detected (RT1 revoked, RT2 revoked)",
		"but the answer is lost (client timeout)",
		"Auth0: https://auth0.com/docs/secure/tokens/refresh-tokens/refresh-token-rotation",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "v1.demo.") {
		t.Fatal("a refresh token's value is in the output")
	}
}

// The settings flags reach the tenant: with a 30 s reuse interval the two
// tabs and the retry keep the family, the replay after it does not; the
// JSON is the documented report.
func TestRehearseJSONWithAReuseInterval(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	code, out, stderr := w.run(t, "", "rehearse", "--reuse-interval", "30s", "--idle-lifetime", "1h", "--absolute-lifetime", "infinite", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep workspace.RehearsalReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err, out)
	}
	got := map[string]string{}
	for _, r := range rep.Races {
		got[r.Name] = r.Outcome
	}
	want := map[string]string{"two-tabs": "kept", "retry-after-timeout": "kept", "replay-after-interval": "revoked", "idle-gap": "expired"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %s, want %s", k, got[k], v)
		}
	}
	if rep.Settings.ReuseIntervalSeconds != 30 || rep.Settings.AbsoluteLifetimeSeconds != nil || *rep.Settings.IdleLifetimeSeconds != 3600 ||
		!strings.Contains(out, `"absolute_lifetime_seconds": null`) || !strings.Contains(out, `"fingerprint": "`) {
		t.Fatalf("settings: %s", out)
	}
}

// Settings Auth0 refuses are a usage error naming the setting.
func TestRehearseAndDemoServerRefuseSettingsAuth0Refuses(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	for _, args := range [][]string{
		{"rehearse", "--idle-lifetime", "2h", "--absolute-lifetime", "1h"},
		{"demo-server", "--idle-lifetime", "2h", "--absolute-lifetime", "1h"},
		{"rehearse", "--rotation", "sometimes"},
		{"rehearse", "--idle-lifetime", "forever"},
	} {
		code, _, stderr := w.run(t, "", args...)
		if code != ExitUsage || strings.Count(strings.TrimSpace(stderr), "\n") != 0 ||
			!strings.Contains(stderr, "idle lifetime 2h0m0s exceeds the absolute lifetime 1h0m0s") && !strings.Contains(stderr, "rotating or non-rotating") && !strings.Contains(stderr, "neither a positive duration") {
			t.Errorf("%v: exit %d, %q", args, code, stderr)
		}
	}
}

// `demo-server --rotation non-rotating --mrrt` serves a tenant whose
// refresh tokens do not rotate and whose clients may refresh for the
// billing API: the flags reach the tenant.
func TestRehearsalSettingsReachTheDemoServer(t *testing.T) {
	t.Parallel()
	pr, pw := io.Pipe()
	done := make(chan struct{})
	exit := make(chan int, 1)
	var errb strings.Builder
	env := Env{Stdin: strings.NewReader(""), Stdout: pw, Stderr: &errb, Getenv: func(string) string { return "" }, Now: time.Now, Done: done}
	go func() {
		exit <- RunCommand(env, []string{"demo-server", "--json", "--reveal", "--rotation", "non-rotating", "--mrrt"})
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	go io.Copy(io.Discard, pr)
	var out DemoServerOutput
	if err := json.Unmarshal([]byte(line), &out); err != nil {
		t.Fatal(err)
	}
	var native DemoServerClient
	for _, c := range out.Clients {
		if c.Auth == "none" {
			native = c
		}
	}
	for range 2 {
		resp, err := http.PostForm(out.Issuer+"oauth/token", url.Values{"grant_type": {"refresh_token"}, "client_id": {native.ClientID},
			"refresh_token": {native.RefreshToken}, "audience": {"https://billing.demo.tokenscope.dev"}, "scope": {"read:billing"}})
		if err != nil {
			t.Fatal(err)
		}
		var body map[string]any
		json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if resp.StatusCode != 200 || body["refresh_token"] != nil || body["scope"] != "read:billing" {
			t.Fatalf("%d %v", resp.StatusCode, body)
		}
	}
	close(done)
	if code := <-exit; code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
}
