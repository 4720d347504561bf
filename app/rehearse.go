package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/pflag"

	"github.com/tokenscope/tokenscope/internal/workspace"
)

// runRehearse is `tokenscope rehearse`: the rotation races on a fresh demo
// tenant with the settings given, as a timeline (workspace.Rehearse; its
// doc comment is the --json contract).
func runRehearse(env Env, fs *pflag.FlagSet) func(pos []string) int {
	settings := refreshSettingsFlags(fs)
	retry := fs.Duration("retry-delay", workspace.DefaultRetryDelay, "how long the client in the retry race waits before retrying a refresh whose answer it lost")
	asJSON := fs.Bool("json", false, "print the documented JSON report instead of text")
	return func(pos []string) int {
		if *retry <= 0 {
			return fail(env, "rehearse", ExitUsage, "--retry-delay must be a positive duration such as 10s")
		}
		ds, err := settings()
		if err != nil {
			return fail(env, "rehearse", ExitUsage, "%v", err)
		}
		ds.Logf = func(format string, a ...any) { say(env.Stderr, format+"\n", a...) }
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		rep, err := env.workspace().RehearseOnDemo(ctx, ds, *retry)
		if err != nil {
			return fail(env, "rehearse", ExitUsage, "%v", err)
		}
		if *asJSON {
			enc := json.NewEncoder(env.Stdout)
			enc.SetIndent("", "  ")
			_ = enc.Encode(rep)
			return ExitOK
		}
		printRehearsal(env, rep)
		return ExitOK
	}
}

func printRehearsal(env Env, rep workspace.RehearsalReport) {
	s := rep.Settings
	say(env.Stdout, "Rotation rehearsal on a demo tenant (client %s): %s, reuse interval %s, absolute lifetime %s, idle lifetime %s; a lost answer is retried after %s.\n",
		rep.ClientID, s.Rotation, seconds(s.ReuseIntervalSeconds), lifetime(s.AbsoluteLifetimeSeconds), lifetime(s.IdleLifetimeSeconds), seconds(s.RetryDelaySeconds))
	say(env.Stdout, "Refresh tokens are shown by label and fingerprint (RT1 9f86d081884c), never by value.\n")
	for _, r := range rep.Races {
		say(env.Stdout, "\n%s: %s\n", r.Title, r.Outcome)
		tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
		for _, st := range r.Steps {
			say(tw, "  +%s\t%s\t%s\t%s\n", seconds(st.ElapsedSeconds), st.Actor, st.Describe(), st.Family.Describe())
		}
		tw.Flush()
		say(env.Stdout, "  %s\n  Auth0: %s\n", r.Summary, r.Auth0Docs)
	}
}

func seconds(s float64) string { return shortDuration(time.Duration(s * float64(time.Second))) }

// shortDuration is a Go duration without its trailing zero units: "720h",
// "2m", "10s", "720h0m1s".
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

func lifetime(s *float64) string {
	if s == nil {
		return "infinite"
	}
	return seconds(*s)
}

// refreshSettingsFlags declares the demo tenant's refresh-token settings,
// named as Auth0 names them, and returns what reads them. demo-server and
// rehearse share them.
func refreshSettingsFlags(fs *pflag.FlagSet) func() (workspace.DemoSettings, error) {
	rotation := fs.String("rotation", workspace.RotationRotating, "rotation_type: rotating (each refresh token is single-use) or non-rotating")
	reuse := fs.Duration("reuse-interval", 0, "Auth0's reuse interval (leeway): how long a rotated-out refresh token may still be exchanged; 0 disables it, Auth0's default")
	absolute := &lifetimeFlag{d: 30 * 24 * time.Hour}
	idle := &lifetimeFlag{d: 30 * 24 * time.Hour}
	fs.Var(absolute, "absolute-lifetime", "token_lifetime: how long a refresh-token family lives, rotation or not (a duration, or infinite)")
	fs.Var(idle, "idle-lifetime", "idle_token_lifetime: how long a refresh token lives unused (a duration, or infinite)")
	return func() (workspace.DemoSettings, error) {
		switch *rotation {
		case workspace.RotationRotating, workspace.RotationNonRotating:
		default:
			return workspace.DemoSettings{}, fmt.Errorf("--rotation %q: say rotating or non-rotating", *rotation)
		}
		if *reuse < 0 {
			return workspace.DemoSettings{}, fmt.Errorf("--reuse-interval cannot be negative")
		}
		return workspace.DemoSettings{Rotation: *rotation, ReuseInterval: *reuse,
			AbsoluteLifetime: absolute.d, InfiniteAbsolute: absolute.infinite,
			IdleLifetime: idle.d, InfiniteIdle: idle.infinite}, nil
	}
}

// lifetimeFlag is a Go duration or "infinite".
type lifetimeFlag struct {
	d        time.Duration
	infinite bool
}

func (f *lifetimeFlag) String() string {
	if f.infinite {
		return "infinite"
	}
	return shortDuration(f.d)
}

func (f *lifetimeFlag) Set(s string) error {
	if s == "infinite" {
		f.infinite = true
		return nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return fmt.Errorf("%q is neither a positive duration such as 720h nor infinite", s)
	}
	f.d, f.infinite = d, false
	return nil
}

func (f *lifetimeFlag) Type() string { return "duration|infinite" }
