package workspace

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/tokenscope/tokenscope/internal/demotenant"
	"github.com/tokenscope/tokenscope/internal/exchange"
	"github.com/tokenscope/tokenscope/internal/oauth"
)

// Rehearsal is what a rehearsal runs against.
type Rehearsal struct {
	// Server is a started demo tenant whose Config.Now is Clock.Now.
	Server *demotenant.Server
	Clock  *demotenant.Clock
	// RetryDelay is how long a client waits before retrying a refresh
	// whose answer it lost (default DefaultRetryDelay).
	RetryDelay time.Duration
}

// DefaultRetryDelay is a client's wait before it retries a refresh that
// timed out.
const DefaultRetryDelay = 10 * time.Second

// RehearsalReport is a rotation rehearsal's outcome. A rehearsal runs the races people hit with rotating refresh
// tokens — two tabs refreshing at once, a retry after a timeout, an old
// token replayed after the reuse interval, an idle gap past the idle
// lifetime — each against a fresh refresh-token family on a demo tenant,
// through the same refresh request every flow sends, and returns what
// happened as a timeline. Time that must pass is passed on the tenant's
// clock, never slept.
//
// Its JSON (`tokenscope rehearse --json`) is a stable contract:
//
//	{
//	  "settings": {"rotation": "rotating"|"non-rotating", "reuse_interval_seconds": 0,
//	               "absolute_lifetime_seconds": 2592000|null, "idle_lifetime_seconds": 2592000|null,
//	               "retry_delay_seconds": 10},
//	  "client_id": "demo-native-app",
//	  "races": [{
//	    "name": "two-tabs"|"retry-after-timeout"|"replay-after-interval"|"idle-gap",
//	    "title": "…", "outcome": "kept"|"revoked"|"expired", "summary": "one sentence",
//	    "auth0_docs": "the page that says what Auth0 does here",
//	    "steps": [{
//	      "elapsed_seconds": 0, "actor": "tab 1", "kind": "refresh"|"wait", "note": "…",
//	      "sent": {"label": "RT1", "fingerprint": "9f86d081884c"},  (refresh only)
//	      "status": 200, "error": "invalid_grant", "error_description": "…",
//	      "issued": {"label": "RT2", "fingerprint": "…"},         (when a new refresh token came back)
//	      "answer_lost": true,                                    (the client never read this answer)
//	      "family": {"state": "active", "tokens": [{"label": "RT1", "fingerprint": "…", "state": "used"}]}
//	    }]
//	  }]
//	}
//
// A null lifetime is infinite. Tokens appear only by label (RT1, RT2, … in
// the order the tenant issued them) and fingerprint (Fingerprint: the
// first 12 hex digits of the token's SHA-256, as `tokenscope family`
// shows them), never by value. Family states are
// demotenant's: "active", "revoked: reuse detected", "revoked",
// "expired: absolute lifetime", "expired: idle lifetime"; token states
// "current", "reusable", "used", "revoked", "expired: idle lifetime",
// "expired: absolute lifetime". Outcome is the family's at the end: kept
// (it still works), revoked, or expired. Steps are in the order the
// tenant took the requests; a step's family is as it was once its answer
// came (for the two tabs' requests sent at once, after both).
type RehearsalReport struct {
	Settings RehearsalSettings `json:"settings"`
	ClientID string            `json:"client_id"`
	Races    []Race            `json:"races"`
}

// RehearsalSettings are the tenant's refresh-token settings the races ran
// under, in Auth0's units (seconds); a nil lifetime is infinite.
type RehearsalSettings struct {
	Rotation                string   `json:"rotation"`
	ReuseIntervalSeconds    float64  `json:"reuse_interval_seconds"`
	AbsoluteLifetimeSeconds *float64 `json:"absolute_lifetime_seconds"`
	IdleLifetimeSeconds     *float64 `json:"idle_lifetime_seconds"`
	RetryDelaySeconds       float64  `json:"retry_delay_seconds"`
}

// Race is one race's timeline.
type Race struct {
	Name      string `json:"name"`
	Title     string `json:"title"`
	Outcome   string `json:"outcome"`
	Summary   string `json:"summary"`
	Auth0Docs string `json:"auth0_docs"`
	Steps     []Step `json:"steps"`
}

// Race names and outcomes.
const (
	RaceTwoTabs      = "two-tabs"
	RaceRetry        = "retry-after-timeout"
	RaceReplay       = "replay-after-interval"
	RaceIdleGap      = "idle-gap"
	OutcomeKept      = "kept"
	OutcomeRevoked   = "revoked"
	OutcomeExpired   = "expired"
	StepRefresh      = "refresh"
	StepWait         = "wait"
	pageRotation     = "https://auth0.com/docs/secure/tokens/refresh-tokens/refresh-token-rotation"
	pageConfigRotate = "https://auth0.com/docs/secure/tokens/refresh-tokens/configure-refresh-token-rotation"
	pageConfigExpire = "https://auth0.com/docs/secure/tokens/refresh-tokens/configure-refresh-token-expiration"
)

// Step is one request and its answer, or time passing.
type Step struct {
	ElapsedSeconds   float64        `json:"elapsed_seconds"`
	Actor            string         `json:"actor"`
	Kind             string         `json:"kind"`
	Note             string         `json:"note"`
	Sent             *TokenRef      `json:"sent,omitempty"`
	Status           int            `json:"status,omitempty"`
	Error            string         `json:"error,omitempty"`
	ErrorDescription string         `json:"error_description,omitempty"`
	Issued           *TokenRef      `json:"issued,omitempty"`
	AnswerLost       bool           `json:"answer_lost,omitempty"`
	Family           FamilySnapshot `json:"family"`
}

// TokenRef names a refresh token without its value.
type TokenRef struct {
	Label       string `json:"label"`
	Fingerprint string `json:"fingerprint"`
}

// FamilySnapshot is the family's state after a step.
type FamilySnapshot struct {
	State  string          `json:"state"`
	Tokens []TokenSnapshot `json:"tokens"`
}

// TokenSnapshot is one token of the family after a step.
type TokenSnapshot struct {
	TokenRef
	State string `json:"state"`
}

// rehearsalScope is what each race's family was granted.
const rehearsalScope = "openid offline_access"

// Rehearse runs the four races, each on a fresh family of the tenant's
// native (public) client, and returns their timelines. It fails only when
// the tenant cannot be reached or is not on the rehearsal's clock.
func (w *Workspace) Rehearse(ctx context.Context, r Rehearsal) (RehearsalReport, error) {
	if r.Server == nil || r.Clock == nil {
		return RehearsalReport{}, errors.New("a rehearsal needs a started demo tenant and its clock")
	}
	if r.RetryDelay <= 0 {
		r.RetryDelay = DefaultRetryDelay
	}
	var client *demotenant.Client
	for _, c := range r.Server.Clients() {
		if c.Auth == "none" && c.RefreshGrant {
			client = &c
			break
		}
	}
	if client == nil {
		return RehearsalReport{}, errors.New("the demo tenant has no public client with the refresh grant to rehearse with")
	}
	s := r.Server.RefreshSettings()
	rotating := s.Rotation != demotenant.RotationNonRotating && (s.Rotation == demotenant.RotationRotating || client.Rotate)
	rep := RehearsalReport{ClientID: client.ID, Settings: RehearsalSettings{Rotation: demotenant.RotationNonRotating,
		ReuseIntervalSeconds: s.ReuseInterval.Seconds(), RetryDelaySeconds: r.RetryDelay.Seconds()}}
	if rotating {
		rep.Settings.Rotation = demotenant.RotationRotating
	}
	if !s.InfiniteLifetime {
		v := s.AbsoluteLifetime.Seconds()
		rep.Settings.AbsoluteLifetimeSeconds = &v
	}
	if !s.InfiniteIdleLifetime {
		v := s.IdleLifetime.Seconds()
		rep.Settings.IdleLifetimeSeconds = &v
	}
	for _, race := range []func(*raceRun) error{raceTwoTabs, raceRetry, raceReplay, raceIdleGap} {
		run, err := w.newRace(ctx, r, *client, s, rotating)
		if err != nil {
			return rep, err
		}
		if err := race(run); err != nil {
			return rep, err
		}
		rep.Races = append(rep.Races, run.race)
	}
	return rep, nil
}

// raceRun is one race in progress: its family, its clock and its steps.
type raceRun struct {
	w        *Workspace
	ctx      context.Context
	r        Rehearsal
	client   demotenant.Client
	settings demotenant.RefreshSettings
	rotating bool
	start    time.Time
	first    string // the family's first token, to ask the tenant about the family

	mu     sync.Mutex
	labels map[string]TokenRef
	race   Race
}

func (w *Workspace) newRace(ctx context.Context, r Rehearsal, c demotenant.Client, s demotenant.RefreshSettings, rotating bool) (*raceRun, error) {
	first, err := r.Server.MintRefreshToken(c.ID, rehearsalScope, demotenant.APIAudience)
	if err != nil {
		return nil, err
	}
	run := &raceRun{w: w, ctx: ctx, r: r, client: c, settings: s, rotating: rotating, start: r.Clock.Now(), first: first, labels: map[string]TokenRef{}}
	if f, ok := r.Server.Family(first); !ok || len(f.Tokens) != 1 || !f.Tokens[0].Issued.Equal(run.start) {
		return nil, errors.New("the demo tenant is not on the rehearsal's clock: build it with demotenant.Config{Now: clock.Now}")
	}
	return run, nil
}

// snapshotLocked reads the family and labels tokens in the order the
// tenant issued them. Call it with run.mu held.
func (run *raceRun) snapshotLocked() FamilySnapshot {
	f, ok := run.r.Server.Family(run.first)
	if !ok {
		return FamilySnapshot{State: "unknown: the tenant no longer has it"}
	}
	out := FamilySnapshot{State: f.State}
	for _, t := range f.Tokens {
		ref, seen := run.labels[t.Value]
		if !seen {
			ref = TokenRef{Label: fmt.Sprintf("RT%d", len(run.labels)+1), Fingerprint: Fingerprint(t.Value)}
			run.labels[t.Value] = ref
		}
		out.Tokens = append(out.Tokens, TokenSnapshot{TokenRef: ref, State: t.State})
	}
	return out
}

func (run *raceRun) elapsed() float64 { return run.r.Clock.Now().Sub(run.start).Seconds() }

// refresh sends token as actor and records the step once the answer is
// in, with the family as it is then (for two requests at once, the other
// may already have reached the tenant too): steps are in the order their
// answers came. It returns the new refresh token
// ("" when none came back) and whether the refresh succeeded.
func (run *raceRun) refresh(actor, note, token string, lost bool) (string, bool, error) {
	req := exchange.Request{TokenURL: run.r.Server.Issuer() + "oauth/token", ClientID: run.client.ID, Auth: oauth.AuthNone, RefreshToken: token}
	resp, err := run.w.Exchange.Refresh(run.ctx, "rehearse/"+run.race.Name+"/"+actor, req, nil)
	step := Step{Actor: actor, Kind: StepRefresh, Note: note, AnswerLost: lost}
	var xe *exchange.Error
	switch {
	case err == nil:
		step.Status = resp.Status
	case errors.As(err, &xe) && xe.Status != 0:
		step.Status, step.Error, step.ErrorDescription = xe.Status, xe.Code, xe.Description
	default:
		return "", false, fmt.Errorf("the demo tenant did not answer the %s race: %w", run.race.Name, err)
	}
	next := ""
	if resp != nil {
		next = resp.RefreshToken
	}
	run.mu.Lock()
	defer run.mu.Unlock()
	step.ElapsedSeconds = run.elapsed()
	step.Family = run.snapshotLocked()
	sent := run.labels[token]
	step.Sent = &sent
	if next != "" {
		issued := run.labels[next]
		step.Issued = &issued
	}
	run.race.Steps = append(run.race.Steps, step)
	return next, err == nil, nil
}

// wait passes d on the tenant's clock and records it.
func (run *raceRun) wait(actor string, d time.Duration, note string) {
	run.r.Clock.Advance(d)
	run.mu.Lock()
	defer run.mu.Unlock()
	run.race.Steps = append(run.race.Steps, Step{ElapsedSeconds: run.elapsed(), Actor: actor, Kind: StepWait, Note: note, Family: run.snapshotLocked()})
}

// holds is the refresh token a client holds after refreshing with sent:
// the rotated one, or sent itself when none came back (no rotation).
func holds(sent, next string) string {
	if next != "" {
		return next
	}
	return sent
}

// finish sets the outcome from the family's last state and the summary
// for it (a race that names no summary for expiry gets the plain one).
func (run *raceRun) finish(summaries map[string]string) {
	run.mu.Lock()
	state := run.snapshotLocked().State
	run.mu.Unlock()
	switch state {
	case demotenant.FamilyActive:
		run.race.Outcome = OutcomeKept
	case demotenant.FamilyReuseRevoked, demotenant.FamilyRevoked:
		run.race.Outcome = OutcomeRevoked
	default:
		run.race.Outcome = OutcomeExpired
	}
	run.race.Summary = summaries[run.race.Outcome]
	if run.race.Summary == "" && run.race.Outcome == OutcomeExpired {
		run.race.Summary = "The family expired during the race: the user must sign in again."
	}
	if state == demotenant.FamilyExpired && run.race.Outcome == OutcomeExpired {
		run.race.Summary = "The family passed its absolute lifetime, which rotation never extends: the user must sign in again."
	}
}

// raceTwoTabs: two tabs hold the same refresh token and refresh at the
// same instant; then each refreshes again with what it holds.
func raceTwoTabs(run *raceRun) error {
	run.race.Name, run.race.Title, run.race.Auth0Docs = RaceTwoTabs, "Two tabs refresh with the same token at once", pageConfigRotate
	tabs := []string{"tab 1", "tab 2"}
	held := []string{run.first, run.first}
	ok := []bool{false, false}
	errs := make([]error, 2)
	var wg sync.WaitGroup
	gate := make(chan struct{})
	for i := range tabs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-gate
			next, good, err := run.refresh(tabs[i], "refreshes with the token both tabs share", run.first, false)
			ok[i], errs[i] = good, err
			if next != "" {
				held[i] = next
			}
		}()
	}
	close(gate)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	// The tenant took the two one after the other, but which answer
	// reaches its tab first is luck: show them in the tenant's order (a
	// success before the refusal it caused, the first token issued first)
	// and, since no one saw the family between them, with its state after
	// both.
	pair := slices.Clone(run.race.Steps)
	if issuedOrder(pair[1]) < issuedOrder(pair[0]) {
		pair[0], pair[1] = pair[1], pair[0]
	}
	run.mu.Lock()
	after := run.snapshotLocked()
	run.mu.Unlock()
	pair[0].Family, pair[1].Family = after, after
	run.race.Steps = slices.Clone(pair)
	for _, first := range pair {
		i := slices.Index(tabs, first.Actor)
		if !ok[i] {
			continue // signed out: it has nothing to send
		}
		if _, _, err := run.refresh(tabs[i], "refreshes again with the token it holds", held[i], false); err != nil {
			return err
		}
	}
	run.finish(map[string]string{
		OutcomeKept:    keptSummary(run, "Both tabs got an answer they could use", "the later of the two refreshes fell inside the reuse interval, so it got a new token too"),
		OutcomeRevoked: "The later of the two refreshes reused a token that had just rotated and no reuse interval covered it, so reuse detection revoked the whole family: both tabs must sign in again.",
	})
	return nil
}

// issuedOrder ranks a step by the token its answer issued: RT2 before
// RT3, any token before none (a refusal, or a token that does not rotate).
func issuedOrder(s Step) int {
	if s.Issued == nil {
		if s.Status == 200 {
			return 1 << 20
		}
		return 1 << 21
	}
	n := 0
	fmt.Sscanf(s.Issued.Label, "RT%d", &n)
	return n
}

// raceRetry: a refresh whose answer is lost (the client timed out after
// the tenant rotated), retried with the same token after RetryDelay.
func raceRetry(run *raceRun) error {
	run.race.Name, run.race.Title, run.race.Auth0Docs = RaceRetry, "A retry after a timeout", pageConfigRotate
	if _, _, err := run.refresh("client", "refreshes; the tenant answers but the client times out and never reads it", run.first, true); err != nil {
		return err
	}
	run.wait("client", run.r.RetryDelay, "waits, then retries with the token it still holds")
	next, good, err := run.refresh("client", "retries with the same token", run.first, false)
	if err != nil {
		return err
	}
	if good {
		held := holds(run.first, next)
		if _, _, err := run.refresh("client", "refreshes again with the token the retry got", held, false); err != nil {
			return err
		}
	}
	run.finish(map[string]string{
		OutcomeKept:    keptSummary(run, "The retry worked", "it fell inside the reuse interval, which exists for exactly this"),
		OutcomeRevoked: "The retry sent a token the lost answer had already rotated, outside any reuse interval, so reuse detection revoked the whole family: the user must sign in again.",
	})
	return nil
}

// raceReplay: the current token works; then an old copy of the first token
// (another device, a restored backup, a thief) is sent after the reuse
// interval; then the client refreshes with its current token.
func raceReplay(run *raceRun) error {
	run.race.Name, run.race.Title, run.race.Auth0Docs = RaceReplay, "An old token replayed after the reuse interval", pageRotation
	next, _, err := run.refresh("client", "refreshes", run.first, false)
	if err != nil {
		return err
	}
	gap := run.settings.ReuseInterval + time.Second
	run.wait("client", gap, fmt.Sprintf("%s pass: the reuse interval (%s) is over", fmtDuration(gap), fmtDuration(run.settings.ReuseInterval)))
	if _, _, err := run.refresh("old copy", "sends the first token again", run.first, false); err != nil {
		return err
	}
	held := holds(run.first, next)
	if _, _, err := run.refresh("client", "refreshes with the token it holds", held, false); err != nil {
		return err
	}
	run.finish(map[string]string{
		OutcomeKept:    keptSummary(run, "The old token still works", ""),
		OutcomeRevoked: "Auth0 cannot tell the legitimate client from a thief, so the replayed token revoked the whole family, the client's current token with it: the user must sign in again.",
	})
	return nil
}

// raceIdleGap: the client refreshes, then nothing happens for longer than
// the idle lifetime, then it refreshes with the token it holds.
func raceIdleGap(run *raceRun) error {
	run.race.Name, run.race.Title, run.race.Auth0Docs = RaceIdleGap, "An idle gap past the idle lifetime", pageConfigExpire
	next, _, err := run.refresh("client", "refreshes", run.first, false)
	if err != nil {
		return err
	}
	gap := run.settings.IdleLifetime + time.Second
	note := fmt.Sprintf("%s pass with no refresh: past the idle lifetime (%s)", fmtDuration(gap), fmtDuration(run.settings.IdleLifetime))
	if !run.settings.InfiniteLifetime && gap > run.settings.AbsoluteLifetime {
		note += fmt.Sprintf(", and the absolute lifetime (%s), which is no longer", fmtDuration(run.settings.AbsoluteLifetime))
	}
	if run.settings.InfiniteIdleLifetime {
		// No idle lifetime to pass: a long gap that stays inside the
		// absolute lifetime, so only idleness is rehearsed.
		gap = 30*24*time.Hour + time.Second
		if !run.settings.InfiniteLifetime && gap >= run.settings.AbsoluteLifetime {
			gap = run.settings.AbsoluteLifetime - time.Second
		}
		note = fmt.Sprintf("%s pass with no refresh; the idle lifetime is infinite", fmtDuration(gap))
	}
	run.wait("client", gap, note)
	held := holds(run.first, next)
	if _, _, err := run.refresh("client", "refreshes with the token it holds", held, false); err != nil {
		return err
	}
	run.finish(map[string]string{
		OutcomeKept:    "With no idle lifetime the token still works after the gap.",
		OutcomeRevoked: "The family was revoked during the race: the user must sign in again.",
		OutcomeExpired: "The token sat unused past the idle lifetime, so it expired: the user must sign in again (the idle lifetime restarts only with each exchange).",
	})
	return nil
}

// keptSummary is the sentence for a race the family survived.
func keptSummary(run *raceRun, what, why string) string {
	if !run.rotating {
		return what + ": the refresh token does not rotate, so sending it again is no reuse."
	}
	if why == "" {
		return what + "."
	}
	return what + ": " + why + "."
}

// fmtDuration is a setting's duration as people write it: "30s", "720h".
func fmtDuration(d time.Duration) string {
	s := d.String()
	for _, suffix := range []string{"m0s", "h0m"} {
		if len(s) > len(suffix) && s[len(s)-len(suffix):] == suffix {
			s = s[:len(s)-len(suffix)+1]
		}
	}
	return s
}
