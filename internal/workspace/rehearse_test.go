package workspace

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/tokenscope/tokenscope/internal/demotenant"
)

// The pages each race's outcome is held to.
const (
	// "During the leeway window the breach detection features don't apply
	// and a new rotating refresh token is issued"; leeway exists "to account
	// for potential network concurrency issues that would otherwise
	// invalidate the token should the client attempt to retry using the same
	// refresh token. By default leeway is disabled."
	docConfigRotate = "https://auth0.com/docs/secure/tokens/refresh-tokens/configure-refresh-token-rotation"
	// "Auth0 recognizes that refresh token 1 is being reused, and immediately
	// invalidates the refresh token family, including refresh token 2."
	docRotation = "https://auth0.com/docs/secure/tokens/refresh-tokens/refresh-token-rotation"
	// "The refresh token expires after the specified interval and can no
	// longer be used to get a new access token."
	docConfigExpire = "https://auth0.com/docs/secure/tokens/refresh-tokens/configure-refresh-token-expiration"
	// Expired, reused and revoked tokens alike: HTTP 403 with
	// {"error": "invalid_grant", "error_description": "Unknown or invalid refresh token."}.
	docUnknown403 = "https://community.auth0.com/t/troubleshoot-refresh-token-unknown-or-invalid-before-expiry-403-unknown-or-invalid-refresh-token/120406"
)

func rehearse(t *testing.T, cfg demotenant.Config) RehearsalReport {
	t.Helper()
	ws, _ := newWorkspace(t)
	clock := demotenant.NewClock(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	cfg.Now, cfg.Logf = clock.Now, t.Logf
	ten, err := demotenant.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := demotenant.Start(ten, "", false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	rep, err := ws.Rehearse(context.Background(), Rehearsal{Server: srv, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// timeline is a race as a person reads it: "actor sent→status[ issued]" per
// request, "wait" per gap, "=family state" after each.
func timeline(r Race) string {
	var b []string
	for _, s := range r.Steps {
		if s.Kind == StepWait {
			b = append(b, "wait="+s.Family.State)
			continue
		}
		// Which tab wins is luck: the tabs are not told apart.
		x := strings.TrimRight(s.Actor, " 12") + " " + s.Sent.Label + "→" + itoa(s.Status)
		if s.Issued != nil {
			x += " " + s.Issued.Label
		}
		if s.AnswerLost {
			x += " (lost)"
		}
		b = append(b, x+"="+s.Family.State)
	}
	return strings.Join(b, "; ")
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// Each race under Auth0's default settings, a 30 s reuse interval,
// non-rotating tokens and no idle lifetime, compared with what Auth0's
// pages say happens. Every refusal is 403 invalid_grant "Unknown or
// invalid refresh token." (docUnknown403).
func TestRehearsalOutcomesMatchAuth0sDocs(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		cfg      demotenant.Config
		outcomes map[string]string
		lines    map[string]string // race → its timeline, where the order is certain
		why      string
	}{
		{"Auth0's defaults: rotating, no reuse interval", demotenant.Config{},
			map[string]string{RaceTwoTabs: OutcomeRevoked, RaceRetry: OutcomeRevoked, RaceReplay: OutcomeRevoked, RaceIdleGap: OutcomeExpired},
			map[string]string{
				RaceTwoTabs: "tab RT1→200 RT2=revoked: reuse detected; tab RT1→403=revoked: reuse detected; tab RT2→403=revoked: reuse detected",
				RaceRetry:   "client RT1→200 RT2 (lost)=active; wait=active; client RT1→403=revoked: reuse detected",
				RaceReplay:  "client RT1→200 RT2=active; wait=active; old copy RT1→403=revoked: reuse detected; client RT2→403=revoked: reuse detected",
				// Both lifetimes are 30 days: an idle gap past one is past the other.
				RaceIdleGap: "client RT1→200 RT2=active; wait=expired: absolute lifetime; client RT2→403=expired: absolute lifetime",
			},
			docConfigRotate + " (leeway disabled by default), " + docRotation + " (the family goes), " + docConfigExpire + " (both lifetimes 30 days)"},
		{"a 30 s reuse interval, a 1 h idle lifetime", demotenant.Config{ReuseInterval: 30 * time.Second, IdleLifetime: time.Hour},
			map[string]string{RaceTwoTabs: OutcomeKept, RaceRetry: OutcomeKept, RaceReplay: OutcomeRevoked, RaceIdleGap: OutcomeExpired},
			map[string]string{
				RaceTwoTabs: "tab RT1→200 RT2=active; tab RT1→200 RT3=active; tab RT2→200 RT4=active; tab RT3→200 RT5=active",
				RaceRetry:   "client RT1→200 RT2 (lost)=active; wait=active; client RT1→200 RT3=active; client RT3→200 RT4=active",
				RaceReplay:  "client RT1→200 RT2=active; wait=active; old copy RT1→403=revoked: reuse detected; client RT2→403=revoked: reuse detected",
				RaceIdleGap: "client RT1→200 RT2=active; wait=expired: idle lifetime; client RT2→403=expired: idle lifetime",
			},
			docConfigRotate + " (inside the leeway a new token is issued), " + docRotation + ", " + docConfigExpire},
		{"non-rotating, a 1 h idle lifetime", demotenant.Config{Rotation: demotenant.RotationNonRotating, IdleLifetime: time.Hour},
			map[string]string{RaceTwoTabs: OutcomeKept, RaceRetry: OutcomeKept, RaceReplay: OutcomeKept, RaceIdleGap: OutcomeExpired},
			map[string]string{
				RaceTwoTabs: "tab RT1→200=active; tab RT1→200=active; tab RT1→200=active; tab RT1→200=active",
				RaceIdleGap: "client RT1→200=active; wait=expired: idle lifetime; client RT1→403=expired: idle lifetime",
			},
			docConfigRotate + " (rotation_type non-rotating), " + docConfigExpire + " (the idle lifetime applies to non-rotating tokens too)"},
		{"no idle lifetime", demotenant.Config{InfiniteIdleLifetime: true},
			map[string]string{RaceIdleGap: OutcomeKept},
			map[string]string{RaceIdleGap: "client RT1→200 RT2=active; wait=active; client RT2→200 RT3=active"},
			docConfigExpire + " (infinite_idle_token_lifetime)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rep := rehearse(t, c.cfg)
			if len(rep.Races) != 4 {
				t.Fatalf("%d races", len(rep.Races))
			}
			for _, r := range rep.Races {
				if want, ok := c.outcomes[r.Name]; ok && r.Outcome != want {
					t.Errorf("%s ended %s; Auth0 says %s (%s): %s", r.Name, r.Outcome, want, c.why, timeline(r))
				}
				if want, ok := c.lines[r.Name]; ok && timeline(r) != want {
					t.Errorf("%s:\n got %s\nwant %s\n(%s)", r.Name, timeline(r), want, c.why)
				}
				for _, s := range r.Steps {
					if s.Status == 403 && (s.Error != "invalid_grant" || s.ErrorDescription != "Unknown or invalid refresh token.") {
						t.Errorf("%s: a refusal not in Auth0's words (%s): %+v", r.Name, docUnknown403, s)
					}
				}
				if r.Summary == "" || !strings.HasPrefix(r.Auth0Docs, "https://auth0.com/docs/") {
					t.Errorf("%s: summary %q, docs %q", r.Name, r.Summary, r.Auth0Docs)
				}
			}
		})
	}
}

// The report names tokens by label and fingerprint only: no refresh-token
// value reaches it, and the settings are the tenant's, in seconds.
func TestRehearsalShowsFingerprintsNeverTokensAndTheSettings(t *testing.T) {
	t.Parallel()
	rep := rehearse(t, demotenant.Config{ReuseInterval: 5 * time.Second, AbsoluteLifetime: 48 * time.Hour, IdleLifetime: 2 * time.Hour, InfiniteLifetime: true})
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "v1.demo.") {
		t.Fatal("a refresh token value is in the report")
	}
	s := rep.Settings
	if s.Rotation != "rotating" || s.ReuseIntervalSeconds != 5 || s.AbsoluteLifetimeSeconds != nil || s.IdleLifetimeSeconds == nil || *s.IdleLifetimeSeconds != 7200 || s.RetryDelaySeconds != 10 {
		t.Fatalf("settings %s", b)
	}
	first := rep.Races[0].Steps[0]
	if first.Sent.Label != "RT1" || len(first.Sent.Fingerprint) != 12 || first.Family.Tokens[0].Fingerprint != first.Sent.Fingerprint {
		t.Fatalf("first step %+v", first)
	}
	idle := rep.Races[3]
	if idle.Steps[1].Kind != StepWait || idle.Steps[1].ElapsedSeconds != 7201 || !strings.Contains(idle.Steps[1].Note, "past the idle lifetime (2h)") {
		t.Fatalf("the idle gap: %+v", idle.Steps[1])
	}
}

// A tenant on another clock would make the rehearsal sleep or lie: it is
// refused with the fix.
func TestRehearsalRefusesATenantOnAnotherClock(t *testing.T) {
	t.Parallel()
	ws, _ := newWorkspace(t)
	ten, err := demotenant.New(demotenant.Config{Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := demotenant.Start(ten, "", false)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	_, err = ws.Rehearse(context.Background(), Rehearsal{Server: srv, Clock: demotenant.NewClock(time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC))})
	if err == nil || !strings.Contains(err.Error(), "Config{Now: clock.Now}") {
		t.Fatalf("%v", err)
	}
}
